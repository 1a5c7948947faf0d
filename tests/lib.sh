# Shared helpers for integration tests (sourced). Each test gets its own data
# directory and free loopback ports, and its server is stopped on exit.
set -euo pipefail
: "${HOTLINE:?run through tests/run.sh or set HOTLINE}"
# Debian's own tools first: the tests use what scripts/deps.sh installs
# (openpyxl is Debian's python3-openpyxl), and a version manager's shim in
# front of python3 costs a third of a second on each of thousands of calls.
export PATH="/usr/bin:/bin:$PATH"
TEST_DIR=$(mktemp -d /tmp/hotline-test.XXXXXX)
SERVER_PID=""

fail() { echo "FAIL: $*" >&2; exit 1; }
ok()   { echo "ok: $*"; }

# Prints a loopback port nobody listens on (UDP and TCP), the first of an
# aligned block of four (sipp's media port p also binds p+1 for RTCP and
# p+2, p+3 for video). Below the kernel's ephemeral range (32768+), so no
# client socket opened later (curl, sipp's own) can take it between this
# check and its use. A block is claimed for the whole test by a file naming
# the test's shell ($$) in one directory all tests share: free when nobody
# binds it is not enough, since a test's picks are often bound only later
# (a phone's port is picked, registered from, then listened on) and another
# test running beside it could pick the same block in between (CI: sipp's
# "Address already in use"). A claim whose test is gone is taken over.
PORT_CLAIMS=${TMPDIR:-/tmp}/hotline-test-ports
free_port() {
	python3 - "$PORT_CLAIMS" "$$" "${TEST_DIR:-}" <<'PY'
import os, random, socket, sys, time
claims, me, test_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(claims, exist_ok=True)

def stale(path):
    """A claim another test may take over: its test is gone. An empty
    file is a claim being written, unless it has been empty for 10 s."""
    try:
        text = open(path).read()
        if not text:
            return time.time() - os.stat(path).st_mtime > 10
        owner = int(text)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    if owner == me:
        return False
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False

def claim(p):
    path = os.path.join(claims, str(p))
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            if not stale(path):
                return False
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            continue
        os.write(fd, str(me).encode())
        os.close(fd)
        return True
    return False

def bindable(p):
    socks = []
    try:
        for q in range(p, p + 4):
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                s = socket.socket(socket.AF_INET, kind)
                socks.append(s)
                s.bind(("127.0.0.1", q))
        return True
    except OSError:
        return False
    finally:
        for s in socks:
            s.close()

# From 10084: browsers refuse to open port 10080 (Chromium and Firefox list
# it as unsafe, ERR_UNSAFE_PORT), and any port here may become a console's.
while True:
    p = random.randrange(10084, 29996, 4)
    if not claim(p):
        continue
    if bindable(p):
        break
    os.unlink(os.path.join(claims, str(p)))
if test_dir:
    with open(os.path.join(test_dir, ".ports"), "a") as f:
        f.write("%d\n" % p)
print(p)
PY
}

# release_ports: gives this test's claimed port blocks back (cleanup does).
release_ports() {
	local p
	[ -f "$TEST_DIR/.ports" ] || return 0
	while read -r p; do rm -f "$PORT_CLAIMS/$p"; done <"$TEST_DIR/.ports"
}

# rtp_block: takes one of the 100 blocks of 100 RTP ports (30000-39999)
# for this test's life, locked (flock) so that no test running beside it
# gets the same block; sets RTP_BASE, its first port. Two servers in one
# block bind the ports the other just freed: the late packets of one's
# finished call then reach the other's new leg, which latches onto them
# (symmetric RTP) and drops its own caller's as a stranger's — a key
# pressed in the survey went unheard (CI). The lock's descriptor passes to
# the test's children, so a block is free again only when all are gone.
rtp_block() {
	local b
	[ -n "${RTP_BASE:-}" ] && return 0
	for b in $(shuf -i 0-99); do
		exec {RTP_LOCK_FD}>"${TMPDIR:-/tmp}/hotline-test-rtp.$b.lock"
		if flock -n "$RTP_LOCK_FD"; then
			RTP_BASE=$((30000 + b * 100))
			return 0
		fi
		exec {RTP_LOCK_FD}>&-
	done
	fail "every block of RTP ports is taken"
}

# start_server [extra flags]: starts "hotline serve --demo" (without --demo
# when NO_DEMO=1) and waits for the ready line. Sets SIP_PORT, HTTP_PORT,
# DATA_DIR, BASE_URL. Tests run side by side pick ports on their own, so
# two can pick the same free port at the same moment: a server that finds
# its port taken says so and exits at once, and is started again on others.
start_server() {
	local try rtp demo=--demo
	[ "${NO_DEMO:-0}" = 1 ] && demo=""
	DATA_DIR=${DATA_DIR:-$TEST_DIR/data}
	for try in 1 2 3; do
		SIP_PORT=$(free_port); HTTP_PORT=$(free_port)
		# 30000-39999: bye_storm.sh's servers take 40000-59999 whole,
		# and a test's block must never fall in there.
		rtp_block
		rtp=$RTP_BASE
		BASE_URL="http://127.0.0.1:$HTTP_PORT"
		# Emptied here, not by the child's redirection: a restart's
		# check below could otherwise read the last server's ready
		# line before the new one truncates the file, and the first
		# request then finds nobody on the new port (CI: "KeyError:
		# 'token'" after a restart, status 000).
		: >"$TEST_DIR/server.out"
		"$HOTLINE" serve $demo --data "$DATA_DIR" --sip "127.0.0.1:$SIP_PORT" \
			--http "127.0.0.1:$HTTP_PORT" --rtp-ports "$rtp-$((rtp + 99))" "$@" \
			>"$TEST_DIR/server.out" 2>"$TEST_DIR/server.err" &
		SERVER_PID=$!
		# Up to 30 s: a sanitizer build on a loaded machine is slow to
		# start; a healthy start takes a tenth of a second.
		for _ in $(seq 1 600); do
			grep -q '^hotline ready ' "$TEST_DIR/server.out" 2>/dev/null && return 0
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill -0 "$SERVER_PID" 2>/dev/null && fail "server not ready in 30 s"
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
		grep -q 'Address already in use' "$TEST_DIR/server.err" || break
	done
	cat "$TEST_DIR/server.err" >&2
	fail "server died at start"
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
	release_ports
	rm -rf "$TEST_DIR"
}
trap cleanup EXIT

# http METHOD PATH [BODY] [TOKEN] [CURL ARGS...]: prints the body, sets
# HTTP_STATUS and HTTP_BODY (call it outside $(...) to keep them); the
# response headers are kept for http_header. A BODY of @FILE sends that file.
http() {
	local method=$1 path=$2 body=${3:-} token=${4:-}
	shift $(( $# < 4 ? $# : 4 ))
	local args=(-s -o "$TEST_DIR/http.body" -D "$TEST_DIR/http.headers"
		-w '%{http_code}' -X "$method")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	[ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
	# A request that gets no answer must not read the last one's body.
	rm -f "$TEST_DIR/http.body" "$TEST_DIR/http.headers"
	HTTP_STATUS=$(curl "${args[@]}" "$@" "$BASE_URL$path") || true
	HTTP_BODY=$(cat "$TEST_DIR/http.body" 2>/dev/null || true)
	printf '%s\n' "$HTTP_BODY"
}

# jbody EXPR: the Python expression over the last HTTP_BODY parsed as j.
jbody() { printf '%s' "$HTTP_BODY" | json "$1"; }

# http_header NAME: the value of that header in the last http response.
http_header() {
	awk -v n="$1" 'BEGIN { IGNORECASE = 1 }
		index(tolower($0), tolower(n) ":") == 1 {
			sub(/^[^:]*:[ \t]*/, ""); sub(/\r$/, ""); print; exit }' \
		"$TEST_DIR/http.headers"
}

# expect_status CODE WHAT: fails unless the last http call answered CODE.
expect_status() {
	[ "$HTTP_STATUS" = "$1" ] ||
		fail "$2: want HTTP $1, got $HTTP_STATUS $(cat "$TEST_DIR/http.body")"
}

# login USER PASSWORD: prints a bearer token for that web user.
login() {
	http POST /api/v1/auth/login "{\"username\":\"$1\",\"password\":\"$2\"}" >/dev/null
	expect_status 200 "login $1"
	jbody 'j["token"]'
}

# json EXPR: reads JSON on stdin, prints the Python expression over it (j).
json() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }
