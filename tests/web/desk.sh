#!/usr/bin/env bash
# The agent desktop in a real browser with real calls: agent 1001 signs in
# (their phone registered, so ready), goes not ready with a reason and
# back; a caller dials the main line and presses 1; the screen pop shows
# the number, its region, the queue and the IVR's call data; the agent
# transfers the call to 1002 from the console, 1001's phone is hung up and
# 1002 talks to the caller; the record says so. 1001 files a wrap-up code
# (咨询) with a note in the wrap-up panel; the API has it with the call. Agent 1003 cannot open
# 1001's recording nor see the call in their list; 1001 plays it in the
# browser.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
TOKEN=$(admin_token)
P1=$(free_port); P2=$(free_port)
register 1001 secret1001 "$P1"
sipp_bg a1 agent_answer.xml -p "$P1" -mi 127.0.0.1 -mp "$(free_port)" -timeout 90s

web_start desk.mjs
web_wait ready
ok "1001 signed in: ready, not ready (用餐), ready again"

ivr_caller caller 4008001000 13800138000 caller_stay p:1500 k:1 p:20000
web_wait popped 60
ok "the screen pop showed the caller, 北京, queue sales and the IVR's call data"
# 1002's phone comes up only now, so the call could only have gone to 1001.
sipp_bg a2 agent_answer.xml -p "$P2" -mi 127.0.0.1 -mp "$(free_port)" -timeout 90s
register 1002 secret1002 "$P2"
web_say transfer
web_wait transferred
sipp_wait a1 || { cat "$TEST_DIR/a1.err" >&2; fail "1001's phone was not hung up"; }
ok "transferred from the console: 1001's phone got BYE"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "caller failed"; }
sipp_wait a2 || { cat "$TEST_DIR/a2.err" >&2; fail "1002 did not take the call"; }
last_call "$TOKEN" >"$TEST_DIR/call.json"
python3 - "$TEST_DIR/call.json" "$TEST_DIR/call_id" <<'PY' || fail "call record wrong: $(cat "$TEST_DIR/call.json")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["from"] == "13800138000" and c["queue"] == "sales", c
assert c["transfer_by"] == "1001" and c["transfer_to"] == "1002", c
assert c["agent"] == "1002" and c["recording"], c
open(sys.argv[2], "w").write(c["id"])
PY
ok "record: from sales, transferred by 1001 to 1002, recorded"
web_wait wrapped
CALL_ID=$(cat "$TEST_DIR/call_id")
http GET "/api/v1/calls/$CALL_ID/wrapup" "" "$TOKEN" >/dev/null
expect_status 200 "wrap-up of the call"
[ "$(jbody '(j["code"], j["by"], j["notes"])')" = "('inquiry', '1001', '客户咨询报价，已转销售 1002')" ] ||
	fail "the wrap-up the desk filed: $HTTP_BODY"
ok "the console's wrap-up is stored with the call: inquiry by 1001, with the note"
web_say checked
web_end
stop_server
