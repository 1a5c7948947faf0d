#!/usr/bin/env bash
# Administration in a real browser: the administrator creates queue vip
# (ring-all), agent 2001 serving it, number 4008009000 leading to it and a
# web user for the agent, every form first refused once with the server's
# reason shown; then a call to 4008009000 reaches the new agent's phone.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
TOKEN=$(admin_token)
web_start admin.mjs
web_wait configured 90
ok "vip, agent 2001, 4008009000 and user li created from the console"

http GET /api/v1/queues/vip "" "$TOKEN" >/dev/null
expect_status 200 "queue vip stored"
[ "$(jbody 'j["strategy"]')" = ring-all ] || fail "vip: $HTTP_BODY"
P=$(free_port)
sipp_bg a1 agent_answer.xml -p "$P" -mi 127.0.0.1 -mp "$(free_port)"
register 2001 secret2001x "$P"
call_to vip "$SCEN/caller_talk.xml" 4008009000
sipp_wait a1 || { cat "$TEST_DIR/a1.err" >&2; fail "2001's phone did not answer"; }
last_call "$TOKEN" >"$TEST_DIR/call.json"
python3 - "$TEST_DIR/call.json" <<'PY' || fail "call record wrong: $(cat "$TEST_DIR/call.json")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["to"] == "4008009000" and c["queue"] == "vip" and c["agent"] == "2001", c
assert c["answered_at"], c
PY
ok "a call to 4008009000 reached the new agent 2001 through queue vip"
web_say called
web_end
stop_server
