#!/usr/bin/env bash
# Two queue rules in real calls. Sticky routing: a caller who was served by
# an agent goes to that agent again, even when another has been idle
# longer, also after a restart (the memory is rebuilt from the call
# records); a new caller goes to whoever has been idle longest.
# Join-when-empty: a queue with nobody logged in turns callers away at once
# (overflow "join-empty") instead of keeping them waiting.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib_sip.bash"

dbv() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }
start_server
TOKEN=$(admin_token)

http PUT /api/v1/queues/sales '{"join_empty":"never"}' "$TOKEN" >/dev/null
expect_status 400 "bad join_empty"
echo "$HTTP_BODY" | grep -q join_empty || fail "reason does not name the field: $HTTP_BODY"
http PUT /api/v1/queues/sales '{"strategy":"sticky","sticky_window_ms":86400000,"wrapup_ms":0}' "$TOKEN" >/dev/null
expect_status 200 "sticky queue"
http PUT /api/v1/queues/support '{"join_empty":"no_agents"}' "$TOKEN" >/dev/null
expect_status 200 "join-empty rule"
http GET /api/v1/queues/sales "" "$TOKEN" >/dev/null
[ "$(jbody 'j["strategy"], j["sticky_window_ms"], j["join_empty"]')" = "sticky 86400000 off" ] ||
	fail "sales config: $HTTP_BODY"
ok "sales: sticky for a day; support: join_empty no_agents"

AGENT_PORT=$(free_port)
register 1001 secret1001 "$AGENT_PORT"
sleep 0.2
register 1002 secret1002 "$AGENT_PORT"   # 1001 has been idle longer

# one_call NAME CALLER: one call to sales from CALLER, answered by an agent
# and hung up after 1 s; prints the agent who answered.
one_call() {
	sipp_bg "ag$1" agent_answer.xml -p "$AGENT_PORT" -mi 127.0.0.1 -mp "$(free_port)"
	sleep 0.2
	sed "s/13800138000/$2/g" "$SCEN/caller_stay.xml" >"$TEST_DIR/caller-$1.xml"
	call_to "$1" "$TEST_DIR/caller-$1.xml" 4008003000 -d 1000
	sipp_wait "ag$1" || { cat "$TEST_DIR/ag$1.err" >&2; fail "$1: agent phone failed"; }
	last_call "$TOKEN" | json 'j["from"] + " " + (j["agent"] or "none")'
}

[ "$(one_call first 13800138000)" = "13800138000 1001" ] || fail "first call not to the longest idle (1001)"
sleep 0.3
# 1002 is now the longest idle, but this caller was served by 1001.
[ "$(one_call again 13800138000)" = "13800138000 1001" ] || fail "returning caller not sent to 1001"
sleep 0.3
[ "$(one_call other 13900139000)" = "13900139000 1002" ] || fail "a new caller not to the longest idle (1002)"
ok "sticky: a returning caller reaches their agent, a new one the longest idle"

stop_server
start_server
TOKEN=$(admin_token)
register 1001 secret1001 "$AGENT_PORT"
register 1002 secret1002 "$AGENT_PORT"
# Agents' states survive the restart: 1001 (who served before 1002's last
# call) is the longest idle, yet 1002's caller goes to 1002.
[ "$(one_call afterrestart 13900139000)" = "13900139000 1002" ] ||
	fail "after a restart the returning caller did not reach 1002"
ok "sticky after a restart: the memory is rebuilt from the call records"

# Support has nobody logged in: the caller is turned away at once.
call_to turned "$SCEN/caller_wait_bye.xml" 4008002000
sleep 0.3
stop_server
[ "$(dbv "SELECT json_extract(data, '$.reason') FROM events WHERE type = 'queue.overflow' ORDER BY seq DESC LIMIT 1")" = "join-empty" ] ||
	fail "no join-empty overflow in the event log: $(dbv "SELECT type, data FROM events WHERE type LIKE 'queue.%' ORDER BY seq DESC LIMIT 3")"
[ "$(dbv "SELECT hangup_by || '|' || hangup_cause FROM calls WHERE queue = 'support'")" = "system|overflow" ] ||
	fail "support call record: $(dbv "SELECT * FROM calls WHERE queue = 'support'")"
ok "join_empty no_agents: the caller is sent away at once (queue.overflow join-empty)"
