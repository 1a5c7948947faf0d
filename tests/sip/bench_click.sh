#!/usr/bin/env bash
# bench/calls' click-to-dial mode (bench/outbound.sh's "click" run) against
# a real demo server: it posts POST /api/v1/calls for agents 1001-1005,
# its agents' phones answer, the server calls the number out through a
# trunk to its carrier side, which answers and hangs up. Every click must
# be counted answered and be a finished outbound call record with its
# agent; a token the API refuses must count every click failed, by status.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"
CALLS="$BUILD/bench/calls"
[ -x "$CALLS" ] || fail "$CALLS not built"

start_server
TOKEN=$(admin_token)
CARRIER=$(free_port)
http POST /api/v1/trunks '{"name": "carrier", "outbound": {"address": "127.0.0.1:'"$CARRIER"'"}, "caller_id": "4008001000", "ping_interval_s": 0}' "$TOKEN" >/dev/null
expect_status 201 "the carrier trunk"
http POST /api/v1/dial-plans '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["carrier"]}' "$TOKEN" >/dev/null
expect_status 201 "the mobile dial plan"

clicks() {  # clicks NAME TOKEN N: one bench/calls click run, its JSON kept
	timeout 120 "$CALLS" --json --target "127.0.0.1:$SIP_PORT" --setup \
		--calls "$3" --concurrent 6 --duration 60 --hold 0.2 \
		--dial 13800000100-13800000199 --agents 5 --agent-base 1001 \
		--agent-password-prefix secret --register-wait 10 \
		--click "127.0.0.1:$HTTP_PORT" --token "$2" \
		--carrier-port "$CARRIER" >"$TEST_DIR/$1.json" 2>"$TEST_DIR/$1.err" ||
		{ cat "$TEST_DIR/$1.err" >&2; fail "bench/calls --click ($1) failed"; }
}
clicks good "$TOKEN" 30
json '(j["calls"]["attempted"], j["calls"]["answered"], j["calls"]["failed"],
       j["calls"]["completed"])' <"$TEST_DIR/good.json" >"$TEST_DIR/good.txt"
[ "$(cat "$TEST_DIR/good.txt")" = "(30, 30, 0, 30)" ] ||
	fail "30 clicks: attempted, answered, failed, completed = $(cat "$TEST_DIR/good.txt")"
ok "30 clicks: each answered by the agent's phone and then the carrier, hung up by the carrier"

for _ in $(seq 1 50); do
	http GET "/api/v1/calls?limit=100" "" "$TOKEN" >"$TEST_DIR/calls.json"
	[ "$(json 'sum(1 for c in j["items"] if c["ended_at"])' <"$TEST_DIR/calls.json")" = 30 ] && break
	sleep 0.1
done
python3 - "$TEST_DIR/calls.json" <<'PY' || fail "the call records: $(head -c 2000 "$TEST_DIR/calls.json")"
import json, sys
items = json.load(open(sys.argv[1]))["items"]
assert len(items) == 30, len(items)
agents = set()
for c in items:
    assert c["direction"] == "outbound", c
    assert c["to"].startswith("138000001"), c
    assert c["agent"] in {"1001", "1002", "1003", "1004", "1005"}, c
    assert c["answered_at"] and c["ended_at"], c
    agents.add(c["agent"])
assert len(agents) == 5, agents          # round robin over the agents
PY
ok "30 finished outbound call records, each with its agent, the agents taken in turn"

clicks refused "not-a-token" 10
json '(j["calls"]["answered"], j["calls"]["failed"], j["calls"]["failed_by_status"])' \
	<"$TEST_DIR/refused.json" >"$TEST_DIR/refused.txt"
[ "$(cat "$TEST_DIR/refused.txt")" = "(0, 10, {'401': 10})" ] ||
	fail "10 clicks with a bad token: $(cat "$TEST_DIR/refused.txt")"
ok "a token the API refuses: every click counted failed, by its status (401)"
stop_server
