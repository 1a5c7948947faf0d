# The WebSocket of live events: a stdlib-only client connects with a token
# (query or header) and receives real bus events (a sign-in publishes
# auth.login); tokens are required; events are also in the events table;
# control frames are answered; a stop closes the socket with a close frame
# and still exits 0.
. "$(dirname "$0")/../lib.sh"

start_server
ADMIN=$(login admin admin123)
WS="python3 $(dirname "$0")/ws_client.py 127.0.0.1"

# wait_for FILE PATTERN: up to 10 s for a line matching PATTERN.
wait_for() {
	for _ in $(seq 1 200); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "no '$2' in $1: $(cat "$1")"
}

# --- refused without a valid token
rc=0; $WS "$HTTP_PORT" /api/v1/events >"$TEST_DIR/ws0" || rc=$?
[ $rc -eq 1 ] && grep -q 'status=401' "$TEST_DIR/ws0" || fail "no token: $(cat "$TEST_DIR/ws0")"
rc=0; $WS "$HTTP_PORT" "/api/v1/events?token=$(printf '0%.0s' $(seq 64))" >"$TEST_DIR/ws0" || rc=$?
grep -q 'status=401' "$TEST_DIR/ws0" || fail "bad token: $(cat "$TEST_DIR/ws0")"
http GET /api/v1/events "" "$ADMIN" >/dev/null
expect_status 400 "plain GET on the WebSocket route"
ok "WebSocket needs a token and an upgrade"

# --- two clients, one by ?token=, one by header
$WS "$HTTP_PORT" "/api/v1/events?token=$ADMIN" >"$TEST_DIR/ws1" &
C1=$!
$WS "$HTTP_PORT" /api/v1/events "Authorization: Bearer $ADMIN" >"$TEST_DIR/ws2" &
C2=$!
wait_for "$TEST_DIR/ws1" 'status=101'
wait_for "$TEST_DIR/ws2" 'status=101'
wait_for "$TEST_DIR/server.err" 'ws.open .*clients=2'

login 1005 secret1005 >/dev/null
wait_for "$TEST_DIR/ws1" '"auth.login"'
wait_for "$TEST_DIR/ws2" '"auth.login"'
EV=$(grep '"auth.login"' "$TEST_DIR/ws1" | head -1)
python3 - "$EV" <<'PY' || fail "event frame: $EV"
import json, re, sys
e = json.loads(sys.argv[1])
assert set(e) == {"type", "subject", "ts", "seq", "data"}, e
assert e["type"] == "auth.login" and e["subject"] == "1005", e
assert e["data"] == {"username": "1005", "role": "agent"}, e
assert isinstance(e["seq"], int) and e["seq"] > 0, e
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["ts"]), e
PY
ok "both clients receive the auth.login event as {type,subject,ts,seq,data}"

# --- one client leaves; the other keeps receiving
kill "$C2" 2>/dev/null || true
wait "$C2" 2>/dev/null || true
wait_for "$TEST_DIR/server.err" 'ws.closed'
login sup sup123 >/dev/null
wait_for "$TEST_DIR/ws1" '"subject":"sup"'
ok "a client leaving does not disturb the others"

# --- control frames: a ping gets its pong, a client's close is echoed;
# an unmasked frame is a protocol error (1002)
WS_ACTION=ping-close $WS "$HTTP_PORT" "/api/v1/events?token=$ADMIN" >"$TEST_DIR/ws3" ||
	fail "ping-close: $(cat "$TEST_DIR/ws3")"
grep -q '^pong hi$' "$TEST_DIR/ws3" || fail "no pong: $(cat "$TEST_DIR/ws3")"
grep -q '^close 1000$' "$TEST_DIR/ws3" || fail "close not echoed: $(cat "$TEST_DIR/ws3")"
WS_ACTION=unmasked $WS "$HTTP_PORT" "/api/v1/events?token=$ADMIN" >"$TEST_DIR/ws3" ||
	fail "unmasked: $(cat "$TEST_DIR/ws3")"
grep -q '^close 1002$' "$TEST_DIR/ws3" || fail "unmasked frame accepted: $(cat "$TEST_DIR/ws3")"
ok "pings are answered, a client's close is echoed, unmasked frames get 1002"

# --- stop: the remaining client gets a close frame, the server exits 0
stop_server
wait "$C1" || fail "client did not end cleanly"
grep -q '^closed$' "$TEST_DIR/ws1" || fail "no close frame: $(tail -3 "$TEST_DIR/ws1")"
ok "stop sends a close frame and exits 0"

# --- every event is in the events table
N=$(sqlite3 "$DATA_DIR/hotline.db" "SELECT count(*) FROM events WHERE type='auth.login'")
[ "$N" -eq 3 ] || fail "want 3 auth.login rows, got $N"
sqlite3 "$DATA_DIR/hotline.db" "SELECT data FROM events WHERE subject='1005'" |
	grep -q '"role":"agent"' || fail "event data not stored"
ok "events are persisted to the events table"
