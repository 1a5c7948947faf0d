#!/usr/bin/env bash
# Not-ready reasons, wrap-up codes and after-call work (issue 14):
#  - CRUD of both lists: everyone reads, supervisors and admins write,
#    bad input 400 naming the field, a taken code 409, nothing changed;
#  - PUT state not_ready takes only an active reason code; the live agent
#    shows the code and its labels;
#  - a real sipp call to sales (agent 1001): after it the agent is in
#    wrap-up; filing a code ends it at once (ready), stores code and notes
#    with the call, publishes call.wrapup on the WebSocket, and the calls
#    list filters by it; filing for someone else's call or a live one 409;
#  - a queue with wrapup_required keeps its agent in wrap-up past wrapup_ms
#    until the code is filed;
#  - a not-ready asked for during a call takes effect when the call ends.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"

start_server
ADMIN=$(login admin admin123)
SUP=$(login sup sup123)
AG1=$(login 1001 secret1001)
AG2=$(login 1002 secret1002)

# --- the seeded lists
http GET /api/v1/not-ready-reasons "" "$AG1" >/dev/null
expect_status 200 "reasons"
[ "$(jbody '[r["code"] for r in j["items"]][:5]')" = "['break', 'meal', 'training', 'meeting', 'after_call']" ] ||
	fail "seeded reasons: $HTTP_BODY"
[ "$(jbody '[r["label_zh"] for r in j["items"]][:2]')" = "['休息', '就餐']" ] || fail "labels: $HTTP_BODY"
# The reasons Hotline sets by itself are named too, and never offered.
[ "$(jbody '[(r["code"], r["label_zh"], bool(r["active"])) for r in j["items"] if r["code"] in ("no-answer", "phone")]')" = "[('no-answer', '未接听自动示忙', False), ('phone', '话机示忙', False)]" ] ||
	fail "system reasons: $HTTP_BODY"
http PUT /api/v1/agents/1001/state '{"state":"not_ready","reason":"no-answer"}' "$AG1" >/dev/null
expect_status 400 "a system reason is not the agent's to pick"
http GET /api/v1/wrapup-codes "" "$AG1" >/dev/null
expect_status 200 "codes"
[ "$(jbody '[(r["code"], r["queue"]) for r in j["items"]]')" = "[('inquiry', None), ('complaint', None), ('repair', None), ('sale', None), ('other', None)]" ] ||
	fail "seeded codes: $HTTP_BODY"
ok "seeded reasons and wrap-up codes, readable by an agent"

# --- CRUD and refusals
http POST /api/v1/not-ready-reasons '{"code":"coaching","label_zh":"辅导","label_en":"Coaching","sort":35}' "$SUP" >/dev/null
expect_status 201 "create reason"
[ "$(jbody 'j["active"]')" = True ] || fail "created: $HTTP_BODY"
http POST /api/v1/not-ready-reasons '{"code":"coaching","label_zh":"x","label_en":"x"}' "$SUP" >/dev/null
expect_status 409 "duplicate"
http POST /api/v1/not-ready-reasons '{"code":"bad code","label_zh":"x","label_en":"x"}' "$ADMIN" >/dev/null
expect_status 400 "bad code"
[ "$(jbody 'j["error"].startswith("code:")')" = True ] || fail "names code: $HTTP_BODY"
http POST /api/v1/not-ready-reasons '{"code":"nolabel","label_zh":"x"}' "$ADMIN" >/dev/null
expect_status 400 "missing label"
[ "$(jbody 'j["error"]')" = "label_en: required" ] || fail "names label_en: $HTTP_BODY"
http POST /api/v1/not-ready-reasons '{"code":"q","label_zh":"x","label_en":"x","queue":"sales"}' "$ADMIN" >/dev/null
expect_status 400 "queue on a reason"
http POST /api/v1/not-ready-reasons '{"code":"s","label_zh":"x","label_en":"x","sort":"1"}' "$ADMIN" >/dev/null
expect_status 400 "sort type"
[ "$(jbody 'j["error"].startswith("sort:")')" = True ] || fail "names sort: $HTTP_BODY"
http POST /api/v1/wrapup-codes '{"code":"upsell","label_zh":"追加销售","label_en":"Upsell","queue":"nowhere"}' "$ADMIN" >/dev/null
expect_status 400 "unknown queue"
[ "$(jbody 'j["error"]')" = "queue: no queue 'nowhere'" ] || fail "names queue: $HTTP_BODY"
http POST /api/v1/wrapup-codes '{"code":"upsell","label_zh":"追加销售","label_en":"Upsell","queue":"support","sort":50}' "$ADMIN" >/dev/null
expect_status 201 "create code"
http POST /api/v1/wrapup-codes '{"code":"x","label_zh":"x","label_en":"x"}' "$AG1" >/dev/null
expect_status 403 "agent may not write"
http PUT /api/v1/not-ready-reasons/coaching '{"label_en":"Coaching session","active":false}' "$SUP" >/dev/null
expect_status 200 "update"
[ "$(jbody '(j["label_en"], j["label_zh"], j["active"])')" = "('Coaching session', '辅导', False)" ] ||
	fail "updated: $HTTP_BODY"
http PUT /api/v1/not-ready-reasons/coaching '{"code":"other"}' "$SUP" >/dev/null
expect_status 400 "code change"
http PUT /api/v1/not-ready-reasons/nothing '{"label_en":"x"}' "$SUP" >/dev/null
expect_status 404 "update unknown"
http PUT /api/v1/wrapup-codes/sale '{"active":"yes"}' "$SUP" >/dev/null
expect_status 400 "active type"
http GET /api/v1/wrapup-codes "" "$SUP" >/dev/null
[ "$(jbody '[r for r in j["items"] if r["code"]=="sale"][0]["active"]')" = True ] || fail "changed by a refusal: $HTTP_BODY"
http POST /api/v1/wrapup-codes '{"code":"gone","label_zh":"x","label_en":"x"}' "$ADMIN" >/dev/null
http DELETE /api/v1/wrapup-codes/gone "" "$ADMIN" >/dev/null
expect_status 200 "delete"
http DELETE /api/v1/wrapup-codes/gone "" "$ADMIN" >/dev/null
expect_status 404 "delete again"
ok "CRUD: 201/200, duplicate 409, bad fields 400 naming them, agents 403, unknown 404"

# --- not_ready takes an active reason code
http PUT /api/v1/agents/1003/state '{"state":"not_ready","reason":"lunch"}' "$SUP" >/dev/null
expect_status 400 "free text reason"
[ "$(jbody 'j["error"].startswith("reason:")')" = True ] || fail "names reason: $HTTP_BODY"
http PUT /api/v1/agents/1003/state '{"state":"not_ready","reason":"coaching"}' "$SUP" >/dev/null
expect_status 400 "inactive reason"
http PUT /api/v1/agents/1003/state '{"state":"not_ready"}' "$SUP" >/dev/null
expect_status 400 "no reason"
http PUT /api/v1/agents/1003/state '{"state":"not_ready","reason":"training"}' "$SUP" >/dev/null
expect_status 200 "known reason"
http GET /api/v1/agents "" "$SUP" >/dev/null
[ "$(jbody '[(a["state"], a["reason"], a["reason_label_zh"], a["reason_label_en"]) for a in j["items"] if a["ext"]=="1003"][0]')" = "('not_ready', 'training', '培训', 'Training')" ] ||
	fail "live agent reason: $HTTP_BODY"
ok "not_ready: unknown, inactive or missing reason 400; a known one shows its labels"

# --- a real call; the CTI socket listens meanwhile
WS_SECONDS=240 WS_FRAMES=100000 python3 "$(dirname "$0")/ws_client.py" 127.0.0.1 "$HTTP_PORT" \
	"/api/v1/events?token=$SUP" >"$TEST_DIR/ws.out" 2>&1 &
WS_PID=$!
AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
# sales: 1001 only ready (the others are not logged in); a long wrap-up so
# the test sees it.
http PUT /api/v1/queues/sales '{"wrapup_ms":60000}' "$ADMIN" >/dev/null
expect_status 200 "sales wrapup_ms"
[ "$(jbody 'j["wrapup_required"]')" = False ] || fail "default wrapup_required: $HTTP_BODY"

agent_state() {
	http GET /api/v1/agents "" "$SUP" >/dev/null
	jbody "[' '.join(str(a[k]) for k in ('state', 'wrapup_call', 'wrapup_required', 'wrapup_ms')) for a in j['items'] if a['ext']=='$1'][0]"
}
one_call() {   # one_call NAME: a call to sales that 1001 answers, 2 s talk
	sipp_bg "a$1" agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
	sleep 0.3
	call_to "c$1" "$SCEN/caller_stay.xml" 4008003000 -d 2000
	sipp_wait "a$1" || { cat "$TEST_DIR/a$1.err" >&2; fail "agent scenario $1"; }
	last_call "$SUP" | json 'j["id"]'
}
CALL1=$(one_call 1)
[ -n "$CALL1" ] || fail "no call record"
for _ in $(seq 1 20); do
	[ "$(agent_state 1001)" = "wrap_up $CALL1 False 60000" ] && break
	sleep 0.1
done
[ "$(agent_state 1001)" = "wrap_up $CALL1 False 60000" ] || fail "after the call: $(agent_state 1001)"
ok "after the call 1001 is in wrap-up for $CALL1"

http POST "/api/v1/calls/$CALL1/wrapup" '{"code":"sale","notes":"x"}' "$AG2" >/dev/null
expect_status 409 "another agent's call"
[ "$(jbody 'j["error"].startswith("not your call")')" = True ] || fail "409 reason: $HTTP_BODY"
http POST "/api/v1/calls/$CALL1/wrapup" '{"code":"nope"}' "$AG1" >/dev/null
expect_status 400 "unknown code"
[ "$(jbody 'j["error"].startswith("code:")')" = True ] || fail "names code: $HTTP_BODY"
http POST "/api/v1/calls/$CALL1/wrapup" '{"code":"upsell"}' "$AG1" >/dev/null
expect_status 400 "code of another queue"
LONG=$(python3 -c 'print("话" * 2001)')
http POST "/api/v1/calls/$CALL1/wrapup" "{\"code\":\"sale\",\"notes\":\"$LONG\"}" "$AG1" >/dev/null
expect_status 400 "long notes"
[ "$(jbody 'j["error"].startswith("notes:")')" = True ] || fail "names notes: $HTTP_BODY"
http POST "/api/v1/calls/nosuchcall/wrapup" '{"code":"sale"}' "$AG1" >/dev/null
expect_status 404 "unknown call"
http GET "/api/v1/calls/$CALL1/wrapup" "" "$SUP" >/dev/null
[ "$(jbody 'j["code"]')" = None ] || fail "stored by a refusal: $HTTP_BODY"
[ "$(agent_state 1001 | cut -d' ' -f1)" = wrap_up ] || fail "refusal released: $(agent_state 1001)"
ok "another's call 409, unknown or other queue's code 400, notes > 2000 400; nothing stored"

NOTES=$(python3 -c 'print("客户要报价 " + "话" * 1990)')
http POST "/api/v1/calls/$CALL1/wrapup" "{\"code\":\"sale\",\"notes\":\"$NOTES\"}" "$AG1" >/dev/null
expect_status 200 "file wrap-up"
[ "$(jbody '(j["code"], j["by"], j["agent"], j["queue"])')" = "('sale', '1001', '1001', 'sales')" ] ||
	fail "filed: $HTTP_BODY"
[ "$(agent_state 1001 | cut -d' ' -f1)" = ready ] || fail "not released: $(agent_state 1001)"
http GET "/api/v1/calls/$CALL1/wrapup" "" "$SUP" >/dev/null
[ "$(jbody '(j["code"], j["notes"] == "'"$NOTES"'", j["by"])')" = "('sale', True, '1001')" ] ||
	fail "stored wrap-up: $HTTP_BODY"
http GET "/api/v1/calls?wrapup=sale" "" "$SUP" >/dev/null
[ "$(jbody '[c["id"] for c in j["items"]]')" = "['$CALL1']" ] || fail "filter wrapup=sale: $HTTP_BODY"
http GET "/api/v1/calls?wrapup=complaint" "" "$SUP" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "filter wrapup=complaint: $HTTP_BODY"
ok "filing ends the wrap-up at once (ready); code and notes stored; ?wrapup= filters"

for _ in $(seq 1 50); do grep -q '"call.wrapup"' "$TEST_DIR/ws.out" && break; sleep 0.1; done
grep '"call.wrapup"' "$TEST_DIR/ws.out" | python3 -c '
import json, sys
e = json.loads(sys.stdin.readline())
assert e["subject"] == sys.argv[1] and e["data"]["code"] == "sale", e
assert e["data"]["agent"] == "1001", e' "$CALL1" || fail "call.wrapup on the WS: $(tail -5 "$TEST_DIR/ws.out")"
ok "call.wrapup reached the CTI WebSocket"

# --- required wrap-up: held past wrapup_ms until the code is filed
http PUT /api/v1/queues/sales '{"wrapup_ms":1000,"wrapup_required":true}' "$ADMIN" >/dev/null
expect_status 200 "required"
[ "$(jbody 'j["wrapup_required"]')" = True ] || fail "wrapup_required: $HTTP_BODY"
CALL2=$(one_call 2)
sleep 2.5
[ "$(agent_state 1001)" = "wrap_up $CALL2 True 1000" ] || fail "required: released at wrapup_ms: $(agent_state 1001)"
http POST "/api/v1/calls/$CALL2/wrapup" '{"code":"inquiry"}' "$AG1" >/dev/null
expect_status 200 "file required"
[ "$(agent_state 1001 | cut -d' ' -f1)" = ready ] || fail "required: not released: $(agent_state 1001)"
ok "wrapup_required holds 1001 past wrapup_ms until the code is filed"

# --- not-ready asked for during the call applies when it ends
http PUT /api/v1/queues/sales '{"wrapup_ms":60000,"wrapup_required":false}' "$ADMIN" >/dev/null
sipp_bg a3 agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
sipp_bg c3 caller_stay.xml -s 4008003000 -p "$(free_port)" -mi 127.0.0.1 \
	-mp "$(free_port)" -d 8000 "127.0.0.1:$SIP_PORT"
for _ in $(seq 1 30); do
	[ "$(agent_state 1001 | cut -d' ' -f1)" = talking ] && break
	sleep 0.1
done
[ "$(agent_state 1001 | cut -d' ' -f1)" = talking ] || fail "not talking: $(agent_state 1001)"
http PUT /api/v1/agents/1001/state '{"state":"not_ready","reason":"meal"}' "$AG1" >/dev/null
expect_status 200 "not_ready while talking"
[ "$(agent_state 1001 | cut -d' ' -f1)" = talking ] || fail "not_ready cut the call: $(agent_state 1001)"
sipp_wait c3 || { cat "$TEST_DIR/c3.err" >&2; fail "caller 3"; }
sipp_wait a3 || fail "agent 3"
CALL3=$(last_call "$SUP" | json 'j["id"]')
sleep 0.3
http GET /api/v1/agents "" "$SUP" >/dev/null
[ "$(jbody '[(a["state"], a["reason"]) for a in j["items"] if a["ext"]=="1001"][0]')" = "('not_ready', 'meal')" ] ||
	fail "pending not_ready: $HTTP_BODY"
http POST "/api/v1/calls/$CALL3/wrapup" '{"code":"other"}' "$AG1" >/dev/null
expect_status 200 "file while not ready"
[ "$(agent_state 1001 | cut -d' ' -f1)" = not_ready ] || fail "filing made them ready: $(agent_state 1001)"
ok "not_ready during a call: applied when it ended; filing then leaves it"

kill "$WS_PID" 2>/dev/null || true
stop_server
