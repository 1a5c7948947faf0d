#!/usr/bin/env bash
# The supervisor's wallboard in a real browser: a caller waits in support
# (no agent there is signed in) and the wallboard shows the queue filling;
# agent 1006's phone registers, 1006 turns ready and takes the call, and
# the wallboard shows 1006 talking with the caller's number and the queue
# empty again. Switched to English, the same board reads in English.
# Then a team lead whose data scope is 1006's department opens the board:
# the center's KPI report is theirs to see no more, and the day's chart
# shows the call all the same, summed over the queues they see, and the
# live tables list 1006 and support alone (their department's agent and
# the queue it serves), as the CTI WebSocket's scope gives them.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
web_start wallboard.mjs
web_wait board
sipp_bg caller caller_stay.xml -s 4008002000 -d 30000 -timeout 60s -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" "127.0.0.1:$SIP_PORT"
web_wait waiting
ok "the wallboard showed a caller waiting in support"
P=$(free_port)
sipp_bg a6 agent_answer.xml -p "$P" -mi 127.0.0.1 -mp "$(free_port)" -timeout 60s
register 1006 secret1006 "$P"
web_wait talking
ok "the wallboard showed 1006 ready, then talking to the caller, support empty"
sipp_wait caller || { cat "$TEST_DIR/caller.err" >&2; fail "caller failed"; }
sipp_wait a6 || { cat "$TEST_DIR/a6.err" >&2; fail "1006's phone failed"; }
web_end

ADMIN=$(login admin admin123)
http POST /api/v1/departments '{"name":"二组"}' "$ADMIN" >/dev/null
expect_status 201 "department 二组"
G2=$(jbody 'j["id"]')
http PUT /api/v1/users/1006 "{\"department\":\"$G2\"}" "$ADMIN" >/dev/null
expect_status 200 "1006 into 二组"
http POST /api/v1/users "{\"username\":\"lead2\",\"password\":\"password-lead2\",\"role\":\"supervisor\",\"department\":\"$G2\"}" "$ADMIN" >/dev/null
expect_status 201 "lead of 二组"
[ "$(jbody 'j["scope"]')" = departments ] || fail "lead2's scope: $HTTP_BODY"
LEAD=$(login lead2 password-lead2)
http GET "/api/v1/reports/kpi?interval=1h" "" "$LEAD" >/dev/null
expect_status 403 "the center's report for a team lead"
web_start wallboard_lead.mjs
web_end
stop_server
