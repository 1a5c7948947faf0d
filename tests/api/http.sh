# The HTTP layer itself: limits answered with a status and {"error": …}
# (413 from Content-Length alone, 431, 400, 411), the header timeout (408,
# set to 300 ms here), keep-alive and pipelining in order, and the cap on
# open connections (503).
. "$(dirname "$0")/../lib.sh"

CONF="$TEST_DIR/hotline.ini"
printf '[http]\nheader_timeout_ms = 300\n' >"$CONF"
start_server --config "$CONF"
RAW="python3 $(dirname "$0")/raw_http.py $HTTP_PORT"

# raw CASE: runs one raw_http.py case into $TEST_DIR/raw, fails on timeout.
raw() { $RAW "$@" >"$TEST_DIR/raw" 2>&1 || fail "$1: $(cat "$TEST_DIR/raw")"; }
# line N: the Nth line of the last raw case.
line() { sed -n "${1}p" "$TEST_DIR/raw"; }
# is_error N STATUS WORDS: line N is STATUS with {"error": …} naming WORDS.
is_error() {
	line "$1" | python3 -c '
import json, sys
status, _, body = sys.stdin.read().strip().partition(" ")
assert status == sys.argv[1], status
e = json.loads(body)["error"]
assert sys.argv[2] in e, e' "$2" "$3" || fail "want $2 naming '$3': $(cat "$TEST_DIR/raw")"
}

# --- bodies past the limit
head -c $((1 << 20)) /dev/zero | tr '\0' a >"$TEST_DIR/big"
http POST /api/v1/auth/login "@$TEST_DIR/big" >/dev/null
expect_status 413 "1 MiB body by curl"
jbody 'j["error"]' | grep -q '262144 bytes' || fail "413 reason: $HTTP_BODY"
raw big-body
is_error 1 413 "larger than 262144 bytes"
[ "$(line 2)" = eof ] || fail "connection stays open after 413: $(cat "$TEST_DIR/raw")"
ok "a 1 MiB body gets 413 {\"error\"} and the connection closes"

raw announced
is_error 1 413 "larger than"
[ "$(line 2)" = eof ] || fail "after the announced body: $(cat "$TEST_DIR/raw")"
ok "100 MiB announced without a byte of it: 413 at once"

# --- heads
raw big-head
is_error 1 431 "header block"
ok "a 20 KiB header block gets 431"
raw garbage
is_error 1 400 "malformed request line"
[ "$(line 2)" = eof ] || fail "after garbage: $(cat "$TEST_DIR/raw")"
ok "a garbage request line gets 400 {\"error\"}"
raw chunked
is_error 1 411 "Content-Length"
ok "a chunked body gets 411 asking for Content-Length"

# --- slow client: the head must arrive within http.header_timeout_ms
raw stall
is_error 1 408 "not received in time"
[ "$(line 2)" = eof ] || fail "stalled client not closed: $(cat "$TEST_DIR/raw")"
grep -q 'http.refused status=408' "$TEST_DIR/server.err" || fail "408 not logged"
ok "half a header then silence: 408 and closed after the header timeout"

# --- keep-alive and pipelining
raw keep-alive
[ "$(line 1)" = '200 {"status":"ok"}' ] || fail "keep-alive 1st: $(cat "$TEST_DIR/raw")"
is_error 2 404 "no such route"
[ "$(line 3)" = open ] || fail "keep-alive closed: $(cat "$TEST_DIR/raw")"
ok "two requests on one connection, which stays open"
raw pipelined
[ "$(line 1)" = '200 {"status":"ok"}' ] && [ "$(line 3)" = '200 {"status":"ok"}' ] ||
	fail "pipelined: $(cat "$TEST_DIR/raw")"
is_error 2 404 "no such route"
[ "$(line 4)" = eof ] || fail "Connection: close ignored: $(cat "$TEST_DIR/raw")"
ok "three pipelined requests answered in order; Connection: close honoured"

# --- the server still works, and stops cleanly
http GET /healthz >/dev/null
expect_status 200 "healthz after all that"
stop_server
ok "stopped"

# --- at most http.max_conns connections; the next gets 503
printf '[http]\nmax_conns = 2\n' >"$CONF"
start_server --config "$CONF"
RAW="python3 $(dirname "$0")/raw_http.py $HTTP_PORT"
$RAW hold 20 >"$TEST_DIR/h1" & H1=$!
$RAW hold 20 >"$TEST_DIR/h2" & H2=$!
for _ in $(seq 1 200); do
	grep -q holding "$TEST_DIR/h1" && grep -q holding "$TEST_DIR/h2" && break
	sleep 0.05
done
grep -q holding "$TEST_DIR/h2" || fail "holders did not connect"
http GET /healthz >/dev/null
expect_status 503 "third connection over max_conns=2"
jbody 'j["error"]' | grep -q 'too many connections' || fail "503 reason: $HTTP_BODY"
kill "$H1" "$H2" 2>/dev/null; wait "$H1" "$H2" 2>/dev/null || true
for _ in $(seq 1 100); do
	http GET /healthz >/dev/null
	[ "$HTTP_STATUS" = 200 ] && break
	sleep 0.05
done
expect_status 200 "a slot is free again"
ok "connections past http.max_conns get 503; slots free up when they go"
stop_server
