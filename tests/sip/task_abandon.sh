#!/usr/bin/env bash
# An abandoned call in a queue makes a callback task (issue 15): a sipp
# caller (13800138000) waits in sales with nobody ready and hangs up; a
# task for the sales pool appears (origin abandoned, origin_id the call,
# the caller's number), visible in the pool of a sales agent, not of a
# support agent. A second abandon from the same number makes no second
# task. With sales's switch off, an abandon makes none. Then 1001 claims
# the task and clicks to dial the number: once the "carrier" (rtp_party)
# answers, the task is done by that call (outcome called, call_id) and
# task.done {origin abandoned} is in the event log.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

PARTY="$(dirname "$0")/rtp_party.py"
dbv() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }
start_server
TOKEN=$(admin_token)
SUP=$(login sup sup123)
AG1=$(login 1001 secret1001)
AG6=$(login 1006 secret1006)

abandon() {   # abandon NAME: a call to sales that hangs up after 1.5 s
	call_to "$1" "$SCEN/caller_stay.xml" 4008003000 -d 1500
	for _ in $(seq 1 100); do
		[ "$(dbv "SELECT count(*) FROM events WHERE type = 'call.ended'")" -ge "$2" ] && break
		sleep 0.1
	done
}
pool_tasks() {   # pool_tasks TOKEN: the open pool tasks it sees
	http GET "/api/v1/tasks?view=pool" "" "$1" >/dev/null
	expect_status 200 "pool"
	jbody '[(t["origin"], t["pool"], t["phone"], t["origin_id"]) for t in j["items"]]'
}
wait_tasks() {   # wait_tasks N: until N tasks are stored
	for _ in $(seq 1 100); do
		[ "$(dbv "SELECT count(*) FROM tasks")" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

abandon a 1
CALL_A=$(dbv "SELECT subject FROM events WHERE type = 'queue.abandon' ORDER BY seq LIMIT 1")
[ -n "$CALL_A" ] || fail "no queue.abandon for the caller"
wait_tasks 1 || fail "no task after the abandon"
[ "$(pool_tasks "$AG1")" = "[('abandoned', 'sales', '13800138000', '$CALL_A')]" ] ||
	fail "1001's pool: $HTTP_BODY"
[ "$(pool_tasks "$AG6")" = "[]" ] || fail "1006 serves support, not sales: $HTTP_BODY"
[ "$(dbv "SELECT count(*) FROM events WHERE type = 'task.created' AND subject = (SELECT id FROM tasks)")" = 1 ] ||
	fail "task.created not published"
ok "an abandoned sales call made a callback task in the sales pool"

abandon b 2
sleep 1
[ "$(dbv "SELECT count(*) FROM tasks")" = 1 ] || fail "a second abandon from the same number made another task"
ok "the same number abandoning again makes no second callback"

T=$(dbv "SELECT id FROM tasks")
http POST "/api/v1/tasks/$T/cancel" '{"outcome":"test"}' "$SUP" >/dev/null
expect_status 200 "cancel"
http PUT /api/v1/tasks/abandon-rules '{"queue":"sales","enabled":false}' "$SUP" >/dev/null
expect_status 200 "sales off"
abandon c 3
sleep 1
[ "$(dbv "SELECT count(*) FROM tasks")" = 1 ] || fail "sales switched off still made a task"
http PUT /api/v1/tasks/abandon-rules '{"queue":"sales","enabled":true}' "$SUP" >/dev/null
abandon d 4
wait_tasks 2 || fail "sales back on: no task"
T=$(dbv "SELECT id FROM tasks WHERE state = 'open'")
ok "the per-queue switch: off makes none, on again makes one"

# --- the callback: claimed, then dialled with click-to-dial.
CARRIER=$(free_port)
http POST /api/v1/trunks '{"name": "carrier", "outbound": {"address": "127.0.0.1:'"$CARRIER"'"}, "caller_id": "4008001000", "ping_interval_s": 0}' "$TOKEN" >/dev/null
expect_status 201 "a trunk"
http POST /api/v1/dial-plans '{"pattern": "^1[3-9][0-9]{9}$", "trunks": ["carrier"]}' "$TOKEN" >/dev/null
expect_status 201 "a dial plan"
P1=$(free_port)
register 1001 secret1001 "$P1"
http PUT /api/v1/agents/1001/state '{"state":"not_ready","reason":"outbound"}' "$TOKEN" >/dev/null
python3 "$PARTY" answer --bind "$P1" --hz 700 --timeout 60 \
	--bye-file "$TEST_DIR/agent-bye" --out "$TEST_DIR/agent.json" &
A_PID=$!
python3 "$PARTY" answer --bind "$CARRIER" --hz 1100 --timeout 60 \
	--out "$TEST_DIR/customer.json" &
K_PID=$!
sleep 0.5
http POST "/api/v1/tasks/$T/claim" "" "$AG1" >/dev/null
expect_status 200 "1001 claims"
http POST /api/v1/calls '{"agent":"1001","to":"13800138000"}' "$AG1" >/dev/null
expect_status 201 "1001 dials the task's number"
CALL_ID=$(jbody 'j["id"]')
for _ in $(seq 1 150); do
	http GET "/api/v1/tasks/$T" "" "$AG1" >/dev/null
	[ "$(jbody 'j["state"]')" = done ] && break
	sleep 0.1
done
[ "$(jbody '(j["state"], j["outcome"], j["call_id"], j["attempts"])')" = "('done', 'called', '$CALL_ID', 1)" ] ||
	fail "the call did not end the task: $HTTP_BODY"
touch "$TEST_DIR/agent-bye"
wait "$A_PID" "$K_PID" || fail "a party failed"
for _ in $(seq 1 50); do
	[ "$(dbv "SELECT count(*) FROM events WHERE type = 'task.done'")" = 1 ] && break
	sleep 0.1
done
[ "$(dbv "SELECT json_extract(data, '\$.origin') || ' ' || json_extract(data, '\$.origin_id') FROM events WHERE type = 'task.done' AND subject = '$T'")" = "abandoned $(dbv "SELECT origin_id FROM tasks WHERE id = '$T'")" ] ||
	fail "task.done: $(dbv "SELECT data FROM events WHERE type = 'task.done'")"
ok "the assignee's answered call to the number ended the task (called, call linked, task.done)"
stop_server
