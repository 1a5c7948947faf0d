#!/usr/bin/env bash
# The report list over what the running server itself recorded, not rows
# seeded by hand: agent 1001's phone registers (signed in), the agent is
# not ready for a break of about a second and back, a caller to sales is
# answered and talks 2 s; then not ready for a meal, a second caller hangs
# up after 1.5 s in the queue (a short abandon) and the agent is back. The
# reports then show exactly that: the agent's sign-in and two not-ready
# spans by reason, the queue's entries, answer, short abandon, the
# abandoned call in the abandon detail, both calls in the inbound detail.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

start_server
TOKEN=$(admin_token)
FROM=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "no wrap-up"

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
sipp_bg agent agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)" -m 1
state() { # state STATE [REASON]
	local reason=${2:-}
	http PUT /api/v1/agents/1001/state "{\"state\":\"$1\"${reason:+,\"reason\":\"$reason\"}}" "$TOKEN" >/dev/null
	expect_status 200 "1001 $1 $reason"
}
caller() {  # caller NAME STAY_MS FROM
	sed "s/13800138000/$3/g" "$SCEN/caller_stay.xml" >"$TEST_DIR/$1.xml"
	call_to "$1" "$TEST_DIR/$1.xml" 4008003000 -d "$2"
}
sleep 0.3
state not_ready break
sleep 1.2
state ready
caller talk 2000 13800000001
sipp_wait agent || { cat "$TEST_DIR/agent.err" >&2; fail "the agent's phone failed"; }
state not_ready meal
caller gone 1500 13800000002
state ready
ok "a break, an answered call, a meal and a caller who gave up"

TO=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
P="from=$FROM&to=$TO"
# report ID QUERY EXPR WANT: polls until EXPR over its JSON is WANT (the
# event log is written by the writer thread, a moment after the event).
report() {
	local got=""
	for _ in $(seq 1 50); do
		http GET "/api/v1/reports/$1?$P&$2" "" "$TOKEN" >/dev/null
		expect_status 200 "$1?$2"
		got=$(jbody "$3")
		[ "$got" = "$4" ] && return 0
		sleep 0.1
	done
	fail "$1?$2: want $4, got $got ($HTTP_BODY)"
}
R='{r["key"]: r for r in j["rows"]}'
report not-ready "" "sorted(($R).keys())" "['break', 'meal']"
report not-ready "" "(($R)['break']['times'], ($R)['break']['not_ready_s'] >= 1.0, ($R)['meal']['times'])" "(1, True, 1)"
report not-ready "" "($R)['break']['label']" "休息"
report sign-in "" "(($R)['1001']['sign_ins'], ($R)['1001']['signed_in_s'] > 0)" "(1, True)"
ok "坐席签入签出报表 and 坐席示忙报表 from the server's own agent.state events: the sign-in, a break and a meal"

report acd "" "[(k, r['entered'], r['answered'], r['abandoned'], r['short_abandoned']) for k, r in ($R).items()]" \
	"[('sales', 2, 1, 0, 1)]"
report abandon-detail "" "[(r['caller'], r['short'], r['queue']) for r in j['rows']]" "[('13800000002', 1, 'sales')]"
report abandon-summary "" "[(k, r['entered'], r['short_abandoned'], r['abandoned']) for k, r in ($R).items()]" \
	"[('sales', 2, 1, 0)]"
ok "ACD排队统计 and 队列呼损 from the server's own queue events: the short abandon apart"

report inbound-detail "" "[(r['caller'], r['agent'], r['answered'], r['queue']) for r in j['rows']]" \
	"[('13800000001', '1001', 1, 'sales'), ('13800000002', None, 0, 'sales')]"
report traffic "group=direction" "(j['total']['inbound'], j['total']['inbound_answered'])" "(2, 1)"
ok "呼入电话明细 and 话务量统计 from the server's own call records"
stop_server
