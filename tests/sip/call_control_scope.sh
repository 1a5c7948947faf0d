#!/usr/bin/env bash
# Call control within the data scope (管理级 / 普通级). Agent 1001 is in
# department 一组 under 呼叫中心; 1002 in 二组. A supervisor of 呼叫中心
# (scope: departments) holds, resumes and hangs up 1001's call; a
# supervisor of 二组 and one whose scope is their own calls are refused
# with 403 and the reason, and the call goes on; the refusals are in the
# audit log. An unknown call stays 404 for them.
# A queue's supervisors setting opens monitoring (only) beyond the scope:
# named by user (lead2) or by department (dept:一组 — the own-scope
# supervisor of 呼叫中心, above it), they listen in and hear both sides;
# lead2 still may not hold the call, and loses it when the queue names
# another department.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
start_server
ADMIN=$(admin_token)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$ADMIN" >/dev/null
expect_status 200 "no wrap-up"
http POST /api/v1/departments '{"name":"呼叫中心"}' "$ADMIN" >/dev/null
TOP=$(jbody 'j["id"]')
http POST /api/v1/departments "{\"name\":\"一组\",\"parent_id\":\"$TOP\"}" "$ADMIN" >/dev/null
TEAM1=$(jbody 'j["id"]')
http POST /api/v1/departments "{\"name\":\"二组\",\"parent_id\":\"$TOP\"}" "$ADMIN" >/dev/null
TEAM2=$(jbody 'j["id"]')
http PUT /api/v1/users/1001 "{\"department\":\"$TEAM1\"}" "$ADMIN" >/dev/null
expect_status 200 "1001 into 一组"
http PUT /api/v1/users/1002 "{\"department\":\"$TEAM2\"}" "$ADMIN" >/dev/null
expect_status 200 "1002 into 二组"
add_sup() { # name department scope
	http POST /api/v1/users "{\"username\":\"$1\",\"password\":\"$1-pass-123\",\"role\":\"supervisor\",\"department\":\"$2\",\"scope\":\"$3\"}" "$ADMIN" >/dev/null
	expect_status 201 "supervisor $1"
	login "$1" "$1-pass-123"
}
LEAD=$(add_sup lead "$TOP" departments)
LEAD2=$(add_sup lead2 "$TEAM2" departments)
OWNSUP=$(add_sup ownsup "$TOP" own)

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
python3 "$PARTY" answer --bind "$AGENT_PORT" --hz 700 --timeout 120 \
	--out "$TEST_DIR/agent.json" &
AGENT_PID=$!
python3 "$PARTY" call --port "$SIP_PORT" --number 4008003000 --hz 400 \
	--timeout 120 --out "$TEST_DIR/caller.json" &
CALLER_PID=$!

CALL_ID=$(live_call "$ADMIN") || fail "the call was never answered"
http GET "/api/v1/calls/$CALL_ID" "" "$ADMIN" >/dev/null
[ "$(jbody 'j["agent"]')" = 1001 ] || fail "not 1001's call: $HTTP_BODY"
ok "caller and agent 1001 talk (call $CALL_ID)"

for who in LEAD2 OWNSUP; do
	for op in hold hangup; do
		http POST "/api/v1/calls/$CALL_ID/$op" '{}' "${!who}" >/dev/null
		expect_status 403 "$who $op"
		echo "$HTTP_BODY" | grep -q "outside your data scope" ||
			fail "$who $op: no reason in $HTTP_BODY"
	done
	http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1005","mode":"listen"}' "${!who}" >/dev/null
	expect_status 403 "$who listens"
	http POST "/api/v1/calls/$CALL_ID/transfer" '{"to":"1003"}' "${!who}" >/dev/null
	expect_status 403 "$who transfers"
	http POST /api/v1/calls/nosuchcall/hold '{}' "${!who}" >/dev/null
	expect_status 404 "$who: an unknown call"
done
http GET "/api/v1/calls/$CALL_ID" "" "$ADMIN" >/dev/null
[ "$(jbody 'j["ended_at"]')" = None ] || fail "a refused hangup ended the call: $HTTP_BODY"
ok "二组's supervisor and an own-scope supervisor: hold, hang-up, listen, transfer refused 403; the call goes on"

SUP_PORT=$(free_port)
register 1005 secret1005 "$SUP_PORT"
http PUT /api/v1/agents/1005/state '{"state":"not_ready","reason":"meeting"}' "$ADMIN" >/dev/null
expect_status 200 "1005 takes no queue calls"
python3 "$PARTY" answer --bind "$SUP_PORT" --hz 1100 --timeout 120 \
	--bye-file "$TEST_DIR/sup-bye" --out "$TEST_DIR/sup.json" &
SUP_PID=$!
for bad in "lead2 ann" ",lead2" "team:$TEAM1"; do
	http PUT /api/v1/queues/sales "{\"supervisors\":\"$bad\"}" "$ADMIN" >/dev/null
	expect_status 400 "supervisors '$bad'"
done
http PUT /api/v1/queues/sales '{"supervisors":"lead2"}' "$ADMIN" >/dev/null
expect_status 200 "sales names lead2 its supervisor"
[ "$(jbody 'j["supervisors"]')" = lead2 ] || fail "not kept: $HTTP_BODY"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1005","mode":"listen"}' "$LEAD2" >/dev/null
expect_status 202 "lead2 listens in on sales' call"
http POST "/api/v1/calls/$CALL_ID/hold" '{}' "$LEAD2" >/dev/null
expect_status 403 "the queue's supervisor may not hold another department's call"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1005","mode":"whisper"}' "$OWNSUP" >/dev/null
expect_status 403 "ownsup is nobody sales names"
echo "$HTTP_BODY" | grep -q "nor is its queue one you supervise" ||
	fail "a refused monitor does not say why: $HTTP_BODY"
http PUT /api/v1/queues/sales "{\"supervisors\":\"dept:$TEAM1\"}" "$ADMIN" >/dev/null
expect_status 200 "sales names 一组"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1005","mode":"whisper"}' "$OWNSUP" >/dev/null
expect_status 202 "呼叫中心's own-scope supervisor (一组 is below) whispers"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1005","mode":"listen"}' "$LEAD2" >/dev/null
expect_status 403 "lead2 (二组) is no supervisor of 一组"
http POST "/api/v1/calls/$CALL_ID/monitor" '{"supervisor_ext":"1005","mode":"listen"}' "$OWNSUP" >/dev/null
expect_status 202 "back to listening"
sleep 1.5
touch "$TEST_DIR/sup-bye"
wait "$SUP_PID" || fail "the supervisor's phone failed"
python3 - "$TEST_DIR/sup.json" <<'PY' || fail "the supervisor did not hear both sides"
import json, sys
heard = set(hz for _, f in json.load(open(sys.argv[1]))["frames"] for hz in f)
sys.exit(0 if {400, 700} <= heard else 1)
PY
ok "the queue's supervisors, by name and by department, listen in (and hear both sides); holding stays refused"

http POST "/api/v1/calls/$CALL_ID/hold" '{}' "$LEAD" >/dev/null
expect_status 200 "呼叫中心's supervisor holds 一组's call"
http POST "/api/v1/calls/$CALL_ID/resume" '{}' "$LEAD" >/dev/null
expect_status 200 "and resumes it"
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$LEAD" >/dev/null
expect_status 200 "and hangs it up"
wait "$CALLER_PID" || fail "the caller party failed"
wait "$AGENT_PID" || fail "the agent party failed"
http POST "/api/v1/calls/$CALL_ID/hangup" '{}' "$LEAD" >/dev/null
expect_status 409 "an ended call, for the department's supervisor too"
ok "the supervisor of 1001's department tree holds, resumes and hangs up its call"

http GET "/api/v1/audit?limit=200" "" "$ADMIN" >/dev/null
[ "$(jbody 'sum(1 for e in j["items"] if e["outcome"] == "refused" and e["username"] in ("lead2", "ownsup") and "/calls/" in e["action"])')" = 11 ] ||
	fail "the refusals are not in the audit log: $(echo "$HTTP_BODY" | head -c 600)"
ok "every refusal is in the audit log"
stop_server
