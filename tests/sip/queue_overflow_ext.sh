#!/usr/bin/env bash
# Overflow to an extension, and what happens when a redirected or
# transferred call's target does not answer (call.ring_timeout_s = 2 here).
#  1. support has no agent logged in, max_wait_ms 1000 and overflow
#     "extension:1003": a caller waits a second with music, overflows, 1003
#     rings and answers, and they talk.
#  2. 1003 does not answer: the overflowed call ends (system, no-answer).
#  3. 1001 transfers a sales call to 1003, which does not answer: the caller
#     goes back into sales and 1001 answers them again.
# A bad overflow setting is refused with the reason first.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

dbv() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }
printf '[call]\nring_timeout_s = 2\n' >"$TEST_DIR/ring.ini"
start_server --config "$TEST_DIR/ring.ini"
TOKEN=$(admin_token)

for bad in extension:10a3 extension: extension:1234567890123456 ext:1003; do
	http PUT /api/v1/queues/support "{\"overflow\":\"$bad\"}" "$TOKEN" >/dev/null
	expect_status 400 "overflow $bad"
	echo "$HTTP_BODY" | grep -q overflow || fail "reason does not name the field: $HTTP_BODY"
done
http GET /api/v1/queues/support "" "$TOKEN" >/dev/null
[ "$(jbody 'j["overflow"]')" = hangup ] || fail "refused overflow changed the queue: $HTTP_BODY"
http PUT /api/v1/queues/support '{"max_wait_ms":1000,"overflow":"extension:1003"}' "$TOKEN" >/dev/null
expect_status 200 "overflow to 1003"
http PUT /api/v1/queues/sales '{"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "sales without wrap-up"
ok "overflow: extension:10a3, extension:, 16 digits, ext:… refused naming the field; extension:1003 taken"

P1=$(free_port); P3=$(free_port)
register 1001 secret1001 "$P1"
register 1003 secret1003 "$P3"
# 1003 serves sales as well: not ready, so only overflows and transfers
# ring it.
http PUT /api/v1/agents/1003/state '{"state":"not_ready","reason":"meeting"}' "$TOKEN" >/dev/null
expect_status 200 "1003 not ready"

# 1. Overflow after a second of waiting; 1003 answers.
sipp_bg ovf agent_answer.xml -p "$P3" -mi 127.0.0.1 -mp "$(free_port)"
sleep 0.3
call_to c1 "$SCEN/caller_stay.xml" 4008002000 -d 4000
sipp_wait ovf || { cat "$TEST_DIR/ovf.err" >&2; fail "1003 was not rung on overflow"; }
CALL=$(last_call "$TOKEN")
echo "$CALL" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["queue"] == "support" and c["agent"] == "1003", c
assert c["answered_at"] and c["hangup_by"] == "caller", c
assert c["transfer_to"] is None, c' || fail "record of the overflowed call: $CALL"
http GET "/api/v1/calls/$(echo "$CALL" | json 'j["id"]')" "" "$TOKEN" >/dev/null
echo "$HTTP_BODY" | python3 -c '
import json, sys
ev = json.load(sys.stdin)["events"]
t = [e["type"] for e in ev]
o = [e["data"] for e in ev if e["type"] == "queue.overflow"]
assert len(o) == 1 and o[0]["queue"] == "support" and o[0]["reason"] == "max-wait", o
assert o[0]["wait_ms"] >= 1000, o
assert "queue.answer" not in t and t.index("queue.overflow") < t.index("call.answered"), t
assert [e["data"]["agent"] for e in ev if e["type"] == "call.answered"] == ["1003"], ev' ||
	fail "events of the overflowed call: $HTTP_BODY"
http GET "/api/v1/reports/kpi?queue=support&interval=1d" "" "$TOKEN" >/dev/null
[ "$(jbody '[j["rows"][0]["counts"][k] for k in ("entered", "overflowed", "answered")]')" = "[1, 1, 0]" ] ||
	fail "support KPI: $HTTP_BODY"
ok "max wait 1 s: queue.overflow (max-wait), 1003 rang and answered; support entered 1, overflowed 1"

# 2. 1003 rings and rings: the caller is hung up after ring_timeout_s.
sipp_bg ring agent_ring.xml -p "$P3"
sleep 0.3
call_to c2 "$SCEN/caller_wait_bye.xml" 4008002000
sipp_wait ring || { cat "$TEST_DIR/ring.err" >&2; fail "1003 was not cancelled"; }
CALL=$(last_call "$TOKEN")
echo "$CALL" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["queue"] == "support" and c["agent"] is None and c["answered_at"] is None, c
assert c["hangup_by"] == "system", c' || fail "record of the unanswered overflow: $CALL"
[ "$(dbv "SELECT hangup_cause FROM calls WHERE id = '$(echo "$CALL" | json 'j["id"]')'")" = no-answer ] ||
	fail "cause of the unanswered overflow"
ok "overflow target does not answer: CANCEL after 2 s, the caller gets BYE (no-answer)"

# 3. A transfer whose target does not answer: back into sales.
sipp_bg a1 agent_refer.xml -p "$P1" -mi 127.0.0.1 -mp "$(free_port)" -key target 1003
sipp_bg ring2 agent_ring.xml -p "$P3"
sleep 0.3
sipp -sf "$SCEN/caller_play.xml" -s 4008003000 -d 7000 -i 127.0.0.1 -p "$(free_port)" \
	-mi 127.0.0.1 -mp "$(free_port)" -m 1 -timeout 30s -timeout_error -trace_err \
	-error_file "$TEST_DIR/c3.err" "127.0.0.1:$SIP_PORT" >"$TEST_DIR/c3.out" 2>&1 &
C3=$!
sipp_wait a1 || { cat "$TEST_DIR/a1.err" >&2; fail "1001 (REFER to 1003) failed"; }
sipp_bg a2 agent_answer.xml -p "$P1" -mi 127.0.0.1 -mp "$(free_port)"
sipp_wait ring2 || { cat "$TEST_DIR/ring2.err" >&2; fail "1003 was not cancelled"; }
sipp_wait a2 || { cat "$TEST_DIR/a2.err" >&2; fail "1001 did not get the call back"; }
wait "$C3" || { cat "$TEST_DIR/c3.err" >&2; fail "caller of the failed transfer"; }
CALL=$(last_call "$TOKEN")
echo "$CALL" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c["queue"] == "sales" and c["agent"] == "1001", c
assert c["transfer_by"] == "1001" and c["transfer_to"] == "1003", c
assert c["hangup_by"] == "caller", c' || fail "record of the failed transfer: $CALL"
http GET "/api/v1/calls/$(echo "$CALL" | json 'j["id"]')" "" "$TOKEN" >/dev/null
[ "$(jbody '[e["type"] for e in j["events"] if e["type"] in ("queue.enter", "queue.transfer", "queue.answer")]')" = \
	"['queue.enter', 'queue.answer', 'queue.transfer', 'queue.enter', 'queue.answer']" ] ||
	fail "queue events of the failed transfer: $HTTP_BODY"
ok "transfer to 1003 unanswered: back into sales after 2 s, 1001 answered again"
stop_server
