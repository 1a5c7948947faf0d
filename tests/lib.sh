# Shared helpers for integration tests (sourced). Each test gets its own data
# directory and free loopback ports, and its server is stopped on exit.
set -euo pipefail
: "${HOTLINE:?run through tests/run.sh or set HOTLINE}"
TEST_DIR=$(mktemp -d /tmp/hotline-test.XXXXXX)
SERVER_PID=""

fail() { echo "FAIL: $*" >&2; exit 1; }
ok()   { echo "ok: $*"; }

# Prints a loopback port nobody listens on (UDP and TCP).
free_port() {
	python3 - <<'PY'
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        t.close(); u.close()
PY
}

# start_server [extra flags]: starts "hotline serve --demo" and waits for the
# ready line. Sets SIP_PORT, HTTP_PORT, DATA_DIR, BASE_URL.
start_server() {
	SIP_PORT=$(free_port); HTTP_PORT=$(free_port)
	local rtp=$(( (RANDOM % 200) * 100 + 30000 ))
	DATA_DIR=${DATA_DIR:-$TEST_DIR/data}
	BASE_URL="http://127.0.0.1:$HTTP_PORT"
	"$HOTLINE" serve --demo --data "$DATA_DIR" --sip "127.0.0.1:$SIP_PORT" \
		--http "127.0.0.1:$HTTP_PORT" --rtp-ports "$rtp-$((rtp + 99))" "$@" \
		>"$TEST_DIR/server.out" 2>"$TEST_DIR/server.err" &
	SERVER_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^hotline ready ' "$TEST_DIR/server.out" 2>/dev/null && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TEST_DIR/server.err" >&2; fail "server died at start"; }
		sleep 0.05
	done
	fail "server not ready in 10 s"
}

# stop_server: SIGTERM, expect exit 0 within 5 s.
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID"
	local rc=0
	for _ in $(seq 1 100); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -KILL "$SERVER_PID"; SERVER_PID=""; fail "server did not stop within 5 s"
	fi
	wait "$SERVER_PID" || rc=$?
	SERVER_PID=""
	[ "$rc" -eq 0 ] || { tail -20 "$TEST_DIR/server.err" >&2; fail "server exited $rc"; }
}

cleanup() {
	local rc=$?
	if [ -n "$SERVER_PID" ]; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
	if [ $rc -ne 0 ] && [ -f "$TEST_DIR/server.err" ]; then
		echo "--- server stderr (last 40 lines)"; tail -40 "$TEST_DIR/server.err"
	fi
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT

# http METHOD PATH [BODY] [TOKEN]: prints the body, sets HTTP_STATUS.
http() {
	local method=$1 path=$2 body=${3:-} token=${4:-}
	local args=(-s -o "$TEST_DIR/http.body" -w '%{http_code}' -X "$method")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	[ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
	HTTP_STATUS=$(curl "${args[@]}" "$BASE_URL$path")
	cat "$TEST_DIR/http.body"
}

# json EXPR: reads JSON on stdin, prints the Python expression over it (j).
json() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }
