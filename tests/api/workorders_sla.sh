#!/usr/bin/env bash
# Work orders' time limits: limits per category x priority (checked whole,
# 400 naming the item), the periodic check (ticket.check_ms = 200 here)
# publishing ticket.warning then ticket.breached once per clock, escalated
# to the department's lead, in the history and in view=overdue; delivered
# over the CTI WebSocket to the users concerned and not to others; and
# business calendars (PUT /api/v1/calendars): a department whose calendar
# never opens counts no time, one open all week counts every second.
. "$(dirname "$0")/../lib.sh"

CONF="$TEST_DIR/hotline.ini"
printf '[ticket]\ncheck_ms = 200\n' >"$CONF"
start_server --config "$CONF"
DB="$DATA_DIR/hotline.db"
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }
ADMIN=$(login admin admin123)

dept() {
	http POST /api/v1/departments "{\"name\":\"$1\"}" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
AS=$(dept 售后部); AS1=$(dept 售后一组); TECH=$(dept 技术部)
for u in "bo1 backoffice $AS1" "aslead supervisor $AS" "tech1 backoffice $TECH"; do
	set -- $u
	http POST /api/v1/users "{\"username\":\"$1\",\"password\":\"pw-$1-123\",\"role\":\"$2\",\"department\":\"$3\"}" "$ADMIN" >/dev/null
	expect_status 201 "user $1"
done
BO1=$(login bo1 pw-bo1-123); LEAD=$(login aslead pw-aslead-123)
TECH1=$(login tech1 pw-tech1-123); AGENT=$(login 1001 secret1001)
LEAD_ID=$(sql "SELECT id FROM users WHERE username = 'aslead'")
BO1_ID=$(sql "SELECT id FROM users WHERE username = 'bo1'")

# ---- limits: checked whole, nothing changed on a refusal
before=$(sql "SELECT COUNT(*) FROM wo_limits")
http PUT /api/v1/work-order-limits '{"items":[{"category":"*","priority":"*","first_response_s":0,"update_s":1,"complete_s":1}]}' "$ADMIN" >/dev/null
expect_status 400 "a zero limit"
jbody 'j["error"]' | grep -q '^items\[0\].first_response_s' || fail "not named: $HTTP_BODY"
http PUT /api/v1/work-order-limits '{"items":[{"category":"*","priority":"asap","first_response_s":1,"update_s":1,"complete_s":1}]}' "$ADMIN" >/dev/null
expect_status 400 "a bad priority"
jbody 'j["error"]' | grep -q '^items\[0\].priority' || fail "not named: $HTTP_BODY"
http PUT /api/v1/work-order-limits '{"items":[{"category":"*","priority":"*","first_response_s":2,"update_s":3600,"complete_s":4,"warn_pct":50}]}' "$LEAD" >/dev/null
expect_status 403 "a supervisor sets limits"
[ "$(sql "SELECT COUNT(*) FROM wo_limits")" = "$before" ] || fail "a refused PUT changed the limits"
# 投诉 gives an hour to respond (so a slow machine never misses it) and 3 s
# to complete; everything else 2 s and 4 s. Warnings at half.
http PUT /api/v1/work-order-limits '{"items":[{"category":"投诉","priority":"*","first_response_s":3600,"update_s":3600,"complete_s":3,"warn_pct":50},{"category":"*","priority":"*","first_response_s":2,"update_s":3600,"complete_s":4,"warn_pct":50}]}' "$ADMIN" >/dev/null
expect_status 200 "limits"
http GET /api/v1/work-order-limits "" "$LEAD" >/dev/null
[ "$(jbody '[(r["category"], r["first_response_s"], r["complete_s"], r["warn_pct"]) for r in j["items"]]')" = "[('*', 2, 4, 50), ('投诉', 3600, 3, 50)]" ] ||
	fail "limits read back: $HTTP_BODY"
http PUT "/api/v1/work-order-departments/$AS" '{"assign":"manual","lead":"aslead"}' "$ADMIN" >/dev/null
expect_status 200 "售后部's lead"
# 售后一组: bo1 alone, round-robin, so an order is bo1's from its first
# instant whatever the machine's speed.
http PUT "/api/v1/work-order-departments/$AS1" '{"assign":"round-robin","lead":"aslead"}' "$ADMIN" >/dev/null
expect_status 200 "售后一组's lead"
ok "limits: 400 naming the item, admin only, read back"

ws() {   # ws NAME TOKEN: the CTI socket of that user, into $TEST_DIR/NAME.ws
	WS_SECONDS=60 WS_FRAMES=100000 python3 "$(dirname "$0")/ws_client.py" \
		127.0.0.1 "$HTTP_PORT" "/api/v1/events?token=$2" >"$TEST_DIR/$1.ws" &
	WS_PIDS+=" $!"
}
WS_PIDS=""
ws bo1 "$BO1"; ws lead "$LEAD"; ws tech1 "$TECH1"
for f in bo1 lead tech1; do   # each has its snapshot: it hears what follows
	for _ in $(seq 1 300); do
		grep -q '"snapshot"' "$TEST_DIR/$f.ws" 2>/dev/null && break
		sleep 0.1
	done
	grep -q '"snapshot"' "$TEST_DIR/$f.ws" || fail "$f's socket did not open"
done

# ---- a breach: warning, then breached, once each, escalated
http POST /api/v1/work-orders "{\"title\":\"超时测试\",\"category\":\"投诉\",\"service\":\"商城售后\",\"priority\":\"高\",\"department\":\"$AS1\"}" "$AGENT" >/dev/null
expect_status 201 "create"
W=$(jbody 'j["id"]')
[ "$(jbody 'j["assignee_name"]')" = bo1 ] || fail "not given to bo1: $HTTP_BODY"
http POST "/api/v1/work-orders/$W/claim" '{}' "$BO1" >/dev/null
expect_status 200 "bo1 takes it into work"
for _ in $(seq 1 100); do
	[ "$(sql "SELECT COUNT(*) FROM work_order_history WHERE order_id = '$W' AND action = 'breached'")" = 1 ] && break
	sleep 0.1
done
sleep 0.6   # a few more rounds: nothing is published twice
[ "$(sql "SELECT group_concat(action || ':' || json_extract(data, '\$.clock'), ' ') FROM (SELECT action, data FROM work_order_history WHERE order_id = '$W' AND action IN ('warning', 'breached') ORDER BY seq)")" = "warning:completion breached:completion" ] ||
	fail "history: $(sql "SELECT action, data FROM work_order_history WHERE order_id = '$W'")"
[ "$(sql "SELECT COUNT(*) FROM events WHERE type = 'ticket.breached' AND subject = '$W' AND json_extract(data, '\$.escalated_to[0]') = '$LEAD_ID'")" = 1 ] ||
	fail "ticket.breached not escalated to the lead once"
http GET "/api/v1/work-orders?view=overdue" "" "$LEAD" >/dev/null
[ "$(jbody '[o["id"] for o in j["items"]]')" = "['$W']" ] || fail "overdue: $HTTP_BODY"
http GET "/api/v1/work-orders/$W" "" "$BO1" >/dev/null
[ "$(jbody '(j["deadlines"]["completion"]["status"], j["deadlines"]["first_response"]["status"])')" = "('breached', 'met')" ] ||
	fail "deadlines: $HTTP_BODY"
ok "the check publishes ticket.warning and ticket.breached once, escalated to the lead; overdue lists it"

# First response missed too: nobody took this one.
http POST /api/v1/work-orders "{\"title\":\"无人受理\",\"category\":\"咨询\",\"service\":\"商城售后\",\"priority\":\"低\",\"department\":\"$AS\"}" "$AGENT" >/dev/null
W2=$(jbody 'j["id"]')
for _ in $(seq 1 100); do
	[ "$(sql "SELECT COUNT(*) FROM work_order_history WHERE order_id = '$W2' AND action = 'breached'")" = 2 ] && break
	sleep 0.1
done
# When rounds come late (a loaded machine) several steps may land in one;
# what holds is one of each, each clock's warning before its breach.
sla_seq() { sql "SELECT seq FROM work_order_history WHERE order_id = '$W2' AND action = '$1' AND json_extract(data, '\$.clock') = '$2'"; }
[ "$(sql "SELECT COUNT(*) FROM work_order_history WHERE order_id = '$W2' AND action IN ('warning', 'breached')")" = 4 ] &&
[ "$(sla_seq warning first_response)" -lt "$(sla_seq breached first_response)" ] &&
[ "$(sla_seq warning completion)" -lt "$(sla_seq breached completion)" ] ||
	fail "first response history: $(sql "SELECT action, data FROM work_order_history WHERE order_id = '$W2'")"
ok "an order nobody takes breaches its first response, then its completion"

sleep 0.5
grep -q "\"ticket.breached\".*$W" "$TEST_DIR/bo1.ws" || fail "the handler did not hear the breach: $(head -c 600 "$TEST_DIR/bo1.ws")"
grep -q "\"ticket.breached\".*$W" "$TEST_DIR/lead.ws" || fail "the lead did not hear the breach"
grep -q '"ticket\.' "$TEST_DIR/tech1.ws" && fail "技术部's tech1 heard 售后部's orders"
ok "over the CTI socket: the handler and the lead hear the breach, another department's user does not"

# ---- calendars
http PUT /api/v1/calendars/never '{"tz":"+08:00","weekly":[{"days":["mon"],"from":"25:00","to":"26:00"}]}' "$ADMIN" >/dev/null
expect_status 400 "a bad calendar"
jbody 'j["error"]' | grep -q '^weekly\[0\].from' || fail "not named: $HTTP_BODY"
http PUT /api/v1/calendars/never '{"tz":"+08:00","weekly":[]}' "$LEAD" >/dev/null
expect_status 403 "a supervisor writes a calendar"
http PUT /api/v1/calendars/never '{"tz":"+08:00","weekly":[]}' "$ADMIN" >/dev/null
expect_status 200 "a calendar that never opens"
http PUT /api/v1/calendars/always '{"tz":"Asia/Shanghai","weekly":[{"days":["mon","tue","wed","thu","fri","sat","sun"],"from":"00:00","to":"24:00"}]}' "$ADMIN" >/dev/null
expect_status 200 "a calendar always open"
http GET /api/v1/calendars "" "$LEAD" >/dev/null
[ "$(jbody '[c["name"] for c in j["items"]]')" = "['always', 'never']" ] || fail "calendars: $HTTP_BODY"
http PUT "/api/v1/work-order-departments/$TECH" '{"assign":"manual","calendar":"nope"}' "$ADMIN" >/dev/null
expect_status 400 "no such calendar"
jbody 'j["error"]' | grep -q '^calendar' || fail "not named: $HTTP_BODY"
http PUT "/api/v1/work-order-departments/$TECH" '{"assign":"manual","calendar":"never"}' "$ADMIN" >/dev/null
expect_status 200 "技术部 never open"
http POST /api/v1/work-orders "{\"title\":\"休息日\",\"category\":\"咨询\",\"service\":\"机票\",\"priority\":\"高\",\"department\":\"$TECH\"}" "$AGENT" >/dev/null
W3=$(jbody 'j["id"]')
sleep 1.2
http GET "/api/v1/work-orders/$W3" "" "$TECH1" >/dev/null
[ "$(jbody '(j["deadlines"]["calendar"], j["deadlines"]["completion"]["elapsed_s"], j["deadlines"]["completion"]["due_at"], j["deadlines"]["completion"]["status"])')" = "('never', 0, None, 'ok')" ] ||
	fail "a closed calendar counted time: $HTTP_BODY"
[ "$(sql "SELECT COUNT(*) FROM work_order_history WHERE order_id = '$W3' AND action IN ('warning', 'breached')")" = 0 ] ||
	fail "a closed department's order breached"
http PUT "/api/v1/work-order-departments/$TECH" '{"assign":"manual","calendar":"always"}' "$ADMIN" >/dev/null
http GET "/api/v1/work-orders/$W3" "" "$TECH1" >/dev/null
python3 - "$HTTP_BODY" <<'PY' || fail "always-open deadline: $HTTP_BODY"
import json, sys, datetime
j = json.loads(sys.argv[1])
c = j["deadlines"]["completion"]
t = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
assert j["deadlines"]["calendar"] == "always"
assert int(t(c["due_at"]) - t(j["created_at"])) in (4, 5), c
assert c["elapsed_s"] >= 1, c
PY
ok "calendars: 400 naming the key, admin only; never open counts nothing, always open counts every second"
# By pid: job %1 is the server itself, which only stop_server may stop.
kill $WS_PIDS 2>/dev/null || true
stop_server
ok "the server stops cleanly"
