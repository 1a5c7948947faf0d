#!/usr/bin/env bash
# Work orders (工单) through the API against a real SQLite file: routing by
# category x service, the department's inbox, claim, the state table's
# refusals (409 with the reason, 403 for who may not, 400 for a missing
# reason), waiting for the customer, done with ticket.reply_due on the bus,
# forward (404 for no department), return to the writer, assignment by the
# lead, round-robin auto-assignment, extension requests, fault → incident
# links, the data scope and masking, and bad input naming its field with
# nothing stored. Every change is in the order's history.
. "$(dirname "$0")/../lib.sh"

CONF="$TEST_DIR/hotline.ini"
printf '[ticket]\ncheck_ms = 300\n' >"$CONF"
start_server --config "$CONF"
DB="$DATA_DIR/hotline.db"
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }
ADMIN=$(login admin admin123)

dept() {   # dept NAME: prints the new department's id
	http POST /api/v1/departments "{\"name\":\"$1\"}" "$ADMIN" >/dev/null
	expect_status 201 "department $1"
	jbody 'j["id"]'
}
user() {   # user NAME ROLE DEPT [extra json]
	http POST /api/v1/users "{\"username\":\"$1\",\"password\":\"pw-$1-123\",\"role\":\"$2\",\"department\":\"$3\"${4:-}}" "$ADMIN" >/dev/null
	expect_status 201 "user $1"
}
CC=$(dept 客服中心); AS=$(dept 售后部); TECH=$(dept 技术部)
user bo1 backoffice "$AS"; user bo2 backoffice "$AS"; user aslead supervisor "$AS"
user tech1 backoffice "$TECH"; user boss executive "$CC"
user mqa qa "$CC" ',"mask_numbers":true'
http PUT /api/v1/users/1001 "{\"department\":\"$CC\"}" "$ADMIN" >/dev/null
expect_status 200 "1001 into 客服中心"
AGENT=$(login 1001 secret1001); BO1=$(login bo1 pw-bo1-123)
LEAD=$(login aslead pw-aslead-123); TECH1=$(login tech1 pw-tech1-123)
BOSS=$(login boss pw-boss-123); MQA=$(login mqa pw-mqa-123)

# ---- the model and the configuration
http GET /api/v1/work-order-meta "" "$AGENT" >/dev/null
expect_status 200 "meta"
[ "$(jbody '[s["name"] for s in j["states"]]')" = "['submitted', 'pending', 'in_progress', 'waiting_customer', 'done', 'replied', 'returned', 'reopened', 'closed']" ] ||
	fail "states: $HTTP_BODY"
[ "$(jbody '[s["clock"] for s in j["states"] if s["name"] == "waiting_customer"]')" = "['pause']" ] ||
	fail "waiting_customer does not pause"
http GET /api/v1/work-order-categories "" "$AGENT" >/dev/null
[ "$(jbody '[c["name"] for c in j["items"]]')" = "['故障申报', '咨询', '业务受理', '投诉', '建议', '退款', '其它']" ] ||
	fail "default categories: $HTTP_BODY"
http GET /api/v1/work-order-services "" "$AGENT" >/dev/null
[ "$(jbody '"商城售后" in [c["name"] for c in j["items"]] and "手机充值" in [c["name"] for c in j["items"]]')" = True ] ||
	fail "default services: $HTTP_BODY"
ok "states, the move table, default categories and service catalogue"

http PUT /api/v1/work-order-routes "{\"items\":[{\"category\":\"投诉\",\"service\":\"商城售后\",\"department\":\"$AS\"},{\"category\":\"*\",\"service\":\"*\",\"department\":\"$CC\"}]}" "$LEAD" >/dev/null
expect_status 403 "a supervisor changes routing"
http PUT /api/v1/work-order-routes '{"items":[{"category":"投诉","service":"商城售后","department":"nope"}]}' "$ADMIN" >/dev/null
expect_status 404 "a rule to no department"
jbody 'j["error"]' | grep -q 'items\[0\].department' || fail "404 names the field: $HTTP_BODY"
http PUT /api/v1/work-order-routes "{\"items\":[{\"category\":\"投诉\",\"service\":\"商城售后\",\"department\":\"$AS\"},{\"category\":\"故障申报\",\"service\":\"*\",\"department\":\"$TECH\"},{\"category\":\"*\",\"service\":\"*\",\"department\":\"$CC\"}]}" "$ADMIN" >/dev/null
expect_status 200 "routing rules"
http GET /api/v1/work-order-routes "" "$LEAD" >/dev/null
[ "$(jbody 'len(j["items"])')" = 3 ] || fail "rules read back: $HTTP_BODY"
ok "routing rules: admin only, a missing department is 404 naming the item"

# ---- create, with bad input first: 400 naming the field, nothing stored
count() { sql "SELECT COUNT(*) FROM work_orders"; }
bad() {   # bad BODY FIELD
	http POST /api/v1/work-orders "$1" "$AGENT" >/dev/null
	expect_status 400 "bad create ($2)"
	jbody 'j["error"]' | grep -q "^$2" || fail "error does not name $2: $HTTP_BODY"
}
GOOD='"title":"退款未到账","category":"投诉","service":"商城售后","priority":"紧急"'
bad "{\"category\":\"投诉\",\"service\":\"商城售后\",\"priority\":\"高\"}" title
bad "{\"title\":\"x\",\"category\":\"吐槽\",\"service\":\"商城售后\",\"priority\":\"高\"}" category
bad "{\"title\":\"x\",\"category\":\"投诉\",\"service\":\"火星\",\"priority\":\"高\"}" service
bad "{\"title\":\"x\",\"category\":\"投诉\",\"service\":\"商城售后\",\"priority\":\"超急\"}" priority
bad "{$GOOD,\"type\":\"task\"}" due_at
bad "{$GOOD,\"type\":\"bug\"}" type
bad "{$GOOD,\"customer_phone\":\"call me\"}" customer_phone
bad "{$GOOD,\"colour\":\"red\"}" colour
bad "{$GOOD,\"department\":\"nope\"}" department
http POST /api/v1/work-orders '[1]' "$AGENT" >/dev/null
expect_status 400 "an array body"
[ "$(count)" = 0 ] || fail "a refused create stored something"
for t in "$BOSS" "$MQA"; do
	http POST /api/v1/work-orders "{$GOOD}" "$t" >/dev/null
	expect_status 403 "executive / qa create"
done
ok "bad input → 400 naming the field, executive and qa may not write, nothing stored"

http POST /api/v1/work-orders "{$GOOD,\"customer_phone\":\"13800138000\",\"call_id\":\"call-1\",\"description\":\"客户说退款七天未到账\"}" "$AGENT" >/dev/null
expect_status 201 "agent creates"
W1=$(jbody 'j["id"]')
[ "$(jbody '(j["state"], j["state_zh"], j["priority"], j["type"], j["department_id"] == "'"$AS"'", j["reply_needed"], j["call_id"], j["customer_phone"], j["assignee"])')" = \
  "('pending', '待处理', 'urgent', 'question', True, True, 'call-1', '13800138000', None)" ] ||
	fail "created order: $HTTP_BODY"
[ "$(jbody '[(h["action"], h["from"], h["to"]) for h in j["history"]]')" = "[('created', None, 'submitted'), ('move', 'submitted', 'pending')]" ] ||
	fail "creation history: $HTTP_BODY"
jbody 'j["no"]' | grep -Eq '^WO[0-9]{14}[0-9a-f]{4}$' || fail "order number: $HTTP_BODY"
[ "$(jbody 'j["deadlines"]["first_response"]["status"]')" = ok ] || fail "deadlines: $HTTP_BODY"
ok "created as 已提交, routed by 投诉 x 商城售后 to 售后部's inbox (待处理), history kept"

sleep 0.3
[ "$(sql "SELECT COUNT(*) FROM events WHERE type = 'ticket.created' AND subject = '$W1' AND json_extract(data, '\$.customer_phone') = '13800138000'")" = 1 ] ||
	fail "ticket.created not on the bus with the customer's number"
ok "ticket.created is published with the customer's number (crm's seam)"


# ---- inbox, scope, masking
http GET "/api/v1/work-orders?view=inbox" "" "$BO1" >/dev/null
expect_status 200 "bo1 inbox"
[ "$(jbody '[o["id"] for o in j["items"]]')" = "['$W1']" ] || fail "bo1's inbox: $HTTP_BODY"
http GET "/api/v1/work-orders?view=inbox" "" "$TECH1" >/dev/null
[ "$(jbody 'len(j["items"])')" = 0 ] || fail "技术部's inbox has 售后部's order"
http GET "/api/v1/work-orders/$W1" "" "$TECH1" >/dev/null
expect_status 403 "another department's order"
http GET "/api/v1/work-orders/nope" "" "$ADMIN" >/dev/null
expect_status 404 "no such order"
http GET "/api/v1/work-orders/$W1" "" "$MQA" >/dev/null
expect_status 200 "qa reads (scope all)"
[ "$(jbody 'j["customer_phone"]')" = "138****8000" ] || fail "not masked for mqa: $HTTP_BODY"
http GET "/api/v1/work-orders?view=mine" "" "$BO1" >/dev/null
[ "$(jbody 'len(j["items"])')" = 0 ] || fail "bo1 has orders before claiming"
http GET "/api/v1/work-orders?view=sideways" "" "$BO1" >/dev/null
expect_status 400 "bad view"
http GET "/api/v1/work-orders?state=solved" "" "$BO1" >/dev/null
expect_status 400 "bad state"
jbody 'j["error"]' | grep -q '^state' || fail "bad state names it: $HTTP_BODY"
ok "the department's inbox, another department 403, qa sees the number masked"

# ---- moves: the table's refusals
move() {   # move TOKEN ID BODY STATUS WHAT
	http POST "/api/v1/work-orders/$2/transitions" "$3" "$1" >/dev/null
	expect_status "$4" "$5"
}
move "$BO1" "$W1" '{"to":"done"}' 409 "pending → done"
jbody 'j["error"]' | grep -q 'no such move' || fail "409 without the reason: $HTTP_BODY"
move "$AGENT" "$W1" '{"to":"in_progress"}' 403 "the writer takes it into work"
move "$BO1" "$W1" '{"to":"finished"}' 400 "no such state"
move "$BO1" "$W1" '{"to":"returned"}' 400 "return without a reason"
jbody 'j["error"]' | grep -q '^reason' || fail "missing reason not named: $HTTP_BODY"
[ "$(sql "SELECT state FROM work_orders WHERE id = '$W1'")" = pending ] || fail "a refused move changed the state"

http POST "/api/v1/work-orders/$W1/claim" '{}' "$BO1" >/dev/null
expect_status 200 "bo1 claims"
[ "$(jbody '(j["state"], j["assignee_name"], j["first_response_at"] is not None, j["deadlines"]["first_response"]["status"])')" = "('in_progress', 'bo1', True, 'met')" ] ||
	fail "claimed: $HTTP_BODY"
BO2=$(login bo2 pw-bo2-123)
http POST "/api/v1/work-orders/$W1/claim" '{}' "$BO2" >/dev/null
expect_status 409 "claiming someone else's order"
move "$BO1" "$W1" '{"to":"waiting_customer","reason":"等客户提供订单号"}' 200 "wait for the customer"
[ "$(jbody 'j["deadlines"]["completion"]["status"] in ("paused", "warning", "breached")')" = True ] || fail "paused: $HTTP_BODY"
move "$BO1" "$W1" '{"to":"处理中"}' 200 "back to work (Chinese name)"
move "$BO1" "$W1" '{"to":"done"}' 200 "done"
[ "$(jbody '(j["state"], j["done_at"] is not None)')" = "('done', True)" ] || fail "done: $HTTP_BODY"
sleep 0.3
[ "$(sql "SELECT json_extract(data, '\$.customer_phone') || ' ' || json_extract(data, '\$.title') FROM events WHERE type = 'ticket.reply_due' AND subject = '$W1'")" = "13800138000 退款未到账" ] ||
	fail "ticket.reply_due not published"
move "$BO1" "$W1" '{"to":"replied"}' 200 "replied"
move "$AGENT" "$W1" '{"to":"closed"}' 200 "the writer closes"
move "$AGENT" "$W1" '{"to":"reopened"}' 400 "reopen without a reason"
move "$AGENT" "$W1" '{"to":"reopened","reason":"客户说还没到账"}' 200 "reopened"
http GET "/api/v1/work-orders/$W1" "" "$AGENT" >/dev/null
[ "$(jbody '[h["to"] for h in j["history"] if h["action"] == "move"]')" = "['pending', 'in_progress', 'waiting_customer', 'in_progress', 'done', 'replied', 'closed', 'reopened']" ] ||
	fail "history of moves: $HTTP_BODY"
[ "$(jbody '[h["reason"] for h in j["history"] if h["to"] == "waiting_customer"]')" = "['等客户提供订单号']" ] ||
	fail "reason not kept: $HTTP_BODY"
ok "409 with the reason, 403 for the writer, 400 without a reason; claim, wait, done (reply_due), replied, closed, reopened"

# ---- forward, return, assign
http POST /api/v1/work-orders "{\"title\":\"发票抬头错了\",\"category\":\"投诉\",\"service\":\"商城售后\",\"priority\":\"中\"}" "$AGENT" >/dev/null
W2=$(jbody 'j["id"]')
[ "$(jbody 'j["reply_needed"]')" = False ] || fail "no number, no reply: $HTTP_BODY"
http POST "/api/v1/work-orders/$W2/forward" '{"department":"nope"}' "$BO1" >/dev/null
expect_status 404 "forward to no department"
http POST "/api/v1/work-orders/$W2/forward" "{\"department\":\"$AS\"}" "$BO1" >/dev/null
expect_status 409 "forward to where it is"
http POST "/api/v1/work-orders/$W2/forward" "{\"department\":\"$TECH\",\"reason\":\"系统问题\"}" "$TECH1" >/dev/null
expect_status 403 "forward by someone outside"
http POST "/api/v1/work-orders/$W2/forward" "{\"department\":\"$TECH\",\"reason\":\"系统问题\"}" "$BO1" >/dev/null
expect_status 200 "forward to 技术部"
[ "$(jbody '(j["state"], j["department_name"], j["assignee"])')" = "('pending', '技术部', None)" ] || fail "forwarded: $HTTP_BODY"
http POST "/api/v1/work-orders/$W2/return" '{}' "$TECH1" >/dev/null
expect_status 400 "return without a reason"
http POST "/api/v1/work-orders/$W2/return" '{"reason":"不是技术问题"}' "$TECH1" >/dev/null
expect_status 200 "returned"
[ "$(jbody '(j["state"], j["department_id"])')" = "('returned', None)" ] || fail "returned: $HTTP_BODY"
http GET "/api/v1/work-orders?view=created&state=returned" "" "$AGENT" >/dev/null
[ "$(jbody '[o["id"] for o in j["items"]]')" = "['$W2']" ] || fail "the writer's returned orders: $HTTP_BODY"
move "$AGENT" "$W2" '{"to":"submitted"}' 200 "sent again"
move "$AGENT" "$W2" '{"to":"pending"}' 403 "the writer cannot route"
http POST "/api/v1/work-orders/$W2/forward" "{\"department\":\"$AS\"}" "$AGENT" >/dev/null
expect_status 403 "the writer is not the department"
http POST "/api/v1/work-orders/$W2/forward" "{\"department\":\"$AS\"}" "$LEAD" >/dev/null
expect_status 200 "the lead routes it to 售后部"
http POST "/api/v1/work-orders/$W2/assign" '{"user":"bo2"}' "$BO1" >/dev/null
expect_status 403 "a member assigns"
http POST "/api/v1/work-orders/$W2/assign" '{"user":"tech1"}' "$LEAD" >/dev/null
expect_status 409 "assign outside the department"
http POST "/api/v1/work-orders/$W2/assign" '{"user":"ghost"}' "$LEAD" >/dev/null
expect_status 404 "assign to nobody"
http POST "/api/v1/work-orders/$W2/assign" '{"user":"bo2"}' "$LEAD" >/dev/null
expect_status 200 "the lead assigns bo2"
[ "$(jbody '(j["state"], j["assignee_name"])')" = "('in_progress', 'bo2')" ] || fail "assigned: $HTTP_BODY"
http POST "/api/v1/work-orders/$W2/cohandle" "{\"department\":\"$TECH\"}" "$BO2" >/dev/null
expect_status 200 "协办 with 技术部"
http GET "/api/v1/work-orders/$W2" "" "$TECH1" >/dev/null
expect_status 200 "the helping department reads it"
[ "$(jbody 'j["co_department_name"]')" = 技术部 ] || fail "co-department: $HTTP_BODY"
ok "forward (404, 409, 403), return with a reason to the writer, resubmit, lead assigns (403, 409, 404), 协办"

# ---- extensions (延时申请)
http POST "/api/v1/work-orders/$W2/extensions" '{"seconds":3600}' "$BO2" >/dev/null
expect_status 400 "extension without a reason"
http POST "/api/v1/work-orders/$W2/extensions" '{"seconds":3600,"reason":"等厂家回复"}' "$BO1" >/dev/null
expect_status 403 "someone else's order"
http POST "/api/v1/work-orders/$W2/extensions" '{"seconds":999999,"reason":"x"}' "$BO2" >/dev/null
expect_status 409 "more than the maximum"
http POST "/api/v1/work-orders/$W2/extensions" '{"seconds":3600,"reason":"等厂家回复"}' "$BO2" >/dev/null
expect_status 200 "extension asked"
EXT=$(jbody 'j["extension_id"]')
http POST "/api/v1/work-orders/$W2/extensions" '{"seconds":60,"reason":"再等等"}' "$BO2" >/dev/null
expect_status 409 "a second request while one waits"
http POST "/api/v1/work-orders/$W2/extensions/$EXT" '{"approve":true}' "$BO2" >/dev/null
expect_status 403 "the handler approves their own"
http POST "/api/v1/work-orders/$W2/extensions/$EXT" '{"approve":"yes"}' "$LEAD" >/dev/null
expect_status 400 "approve not a boolean"
http POST "/api/v1/work-orders/$W2/extensions/$EXT" '{"approve":true}' "$LEAD" >/dev/null
expect_status 200 "the lead approves"
[ "$(jbody '(j["extension_s"], j["deadlines"]["completion"]["limit_s"])')" = "(3600, 90000)" ] || fail "extension: $HTTP_BODY"
http POST "/api/v1/work-orders/$W2/extensions/$EXT" '{"approve":false}' "$LEAD" >/dev/null
expect_status 409 "decided twice"
ok "延时申请: reason needed, the handler asks, at most the maximum, one at a time, the lead decides once"

# ---- fault and incidents
http POST /api/v1/work-orders '{"title":"华东机房断网","category":"故障申报","service":"其它","priority":"urgent","type":"fault"}' "$AGENT" >/dev/null
FAULT=$(jbody 'j["id"]')
[ "$(jbody 'j["department_id"] == "'"$TECH"'"')" = True ] || fail "故障申报 routes to 技术部: $HTTP_BODY"
http POST /api/v1/work-orders '{"title":"客户无法下单","category":"故障申报","service":"商城售前","priority":"high","type":"incident"}' "$AGENT" >/dev/null
INC=$(jbody 'j["id"]')
http POST "/api/v1/work-orders/$INC/links" "{\"kind\":\"fault\",\"id\":\"$FAULT\"}" "$AGENT" >/dev/null
expect_status 409 "an incident links incidents"
http POST "/api/v1/work-orders/$FAULT/links" '{"kind":"fault","id":"nope"}' "$AGENT" >/dev/null
expect_status 404 "link to no order"
http POST "/api/v1/work-orders/$FAULT/links" "{\"kind\":\"fault\",\"id\":\"$INC\"}" "$AGENT" >/dev/null
expect_status 200 "fault links its incident"
[ "$(sql "SELECT fault_id FROM work_orders WHERE id = '$INC'")" = "$FAULT" ] || fail "incident not linked"
for id in "$INC" "$FAULT"; do
	move "$TECH1" "$id" '{"to":"in_progress"}' 200 "tech1 takes it"
	[ "$id" = "$FAULT" ] || move "$TECH1" "$id" '{"to":"done"}' 200 "incident done"
done
move "$TECH1" "$FAULT" '{"to":"done"}' 200 "fault done"
move "$TECH1" "$FAULT" '{"to":"closed","close_incidents":true}' 200 "close the fault and its incidents"
[ "$(jbody 'j["incidents_closed"]')" = 1 ] || fail "incidents closed: $HTTP_BODY"
[ "$(sql "SELECT state FROM work_orders WHERE id = '$INC'")" = closed ] || fail "incident still open"
ok "a fault links incidents (409 for a non-fault, 404 for none) and closing it closes them"

# Parent and child; one order merged into another.
mk() {   # mk TITLE: prints the new order's id
	http POST /api/v1/work-orders "{\"title\":\"$1\",\"category\":\"咨询\",\"service\":\"鲜花\",\"priority\":\"low\"}" "$AGENT" >/dev/null
	expect_status 201 "create $1"
	jbody 'j["id"]'
}
PARENT=$(mk 批量退款); CHILD=$(mk 退款一); DUP=$(mk 重复来电)
http POST "/api/v1/work-orders/$PARENT/links" "{\"kind\":\"child\",\"id\":\"$PARENT\"}" "$AGENT" >/dev/null
expect_status 409 "an order its own child"
http POST "/api/v1/work-orders/$PARENT/links" "{\"kind\":\"sibling\",\"id\":\"$CHILD\"}" "$AGENT" >/dev/null
expect_status 400 "an unknown kind"
jbody 'j["error"]' | grep -q '^kind' || fail "kind not named: $HTTP_BODY"
http POST "/api/v1/work-orders/$PARENT/links" "{\"kind\":\"child\",\"id\":\"$CHILD\"}" "$AGENT" >/dev/null
expect_status 200 "a child"
[ "$(sql "SELECT parent_id FROM work_orders WHERE id = '$CHILD'")" = "$PARENT" ] || fail "child not linked"
http POST "/api/v1/work-orders/$DUP/links" "{\"kind\":\"merge\",\"id\":\"$PARENT\"}" "$AGENT" >/dev/null
expect_status 200 "merged"
[ "$(jbody '(j["state"], j["merged_into"] == "'"$PARENT"'")')" = "('closed', True)" ] || fail "merged: $HTTP_BODY"
[ "$(jbody '[h["reason"] for h in j["history"] if h["to"] == "closed"][0].startswith("merged into WO")')" = True ] ||
	fail "merge not in the history: $HTTP_BODY"
ok "a child order and a merge (the duplicate closes, naming the order that carries on)"

# ---- round-robin among members signed in
http PUT "/api/v1/work-order-departments/$AS" '{"assign":"sideways"}' "$ADMIN" >/dev/null
expect_status 400 "bad assign"
http PUT "/api/v1/work-order-departments/nope" '{"assign":"manual"}' "$ADMIN" >/dev/null
expect_status 404 "no such department"
http PUT "/api/v1/work-order-departments/$AS" '{"assign":"round-robin","lead":"aslead"}' "$ADMIN" >/dev/null
expect_status 200 "售后部 round-robin"
got=""
for i in 1 2 3; do
	http POST /api/v1/work-orders "{\"title\":\"轮询$i\",\"category\":\"投诉\",\"service\":\"商城售后\",\"priority\":\"低\"}" "$AGENT" >/dev/null
	expect_status 201 "round-robin order $i"
	got="$got $(jbody 'j["assignee_name"]')"
done
# aslead is a supervisor of 售后部 and signed in: on duty too.
[ "$got" = " aslead bo1 bo2" ] || [ "$got" = " bo1 bo2 aslead" ] || [ "$got" = " bo2 aslead bo1" ] ||
	fail "round-robin gave:$got"
ok "round-robin over the members on duty:$got"
# ---- the report: every figure from the orders and their history
http GET "/api/v1/reports/work-orders?format=pdf" "" "$LEAD" >/dev/null
expect_status 400 "a bad format"
http GET "/api/v1/reports/work-orders?department=nope" "" "$LEAD" >/dev/null
expect_status 400 "no such department"
http GET "/api/v1/reports/work-orders?from=yesterday" "" "$LEAD" >/dev/null
expect_status 400 "a bad from"
http GET /api/v1/reports/work-orders "" "$BOSS" >/dev/null
expect_status 200 "the executive reads the report"
want=$(sql "SELECT COUNT(*) FROM work_orders")
[ "$(jbody '(j["total"], j["by_category"]["投诉"], j["by_category"]["故障申报"], j["by_state"]["closed"], j["by_department"]["售后部"], j["by_department"]["技术部"])')" = "($want, 5, 2, 3, 5, 2)" ] ||
	fail "report: $HTTP_BODY"
[ "$(jbody 'round(j["reopen_rate"] * j["total"])')" = 1 ] || fail "reopen rate: $HTTP_BODY"
[ "$(jbody 'j["mean_first_response_s"] >= 0 and j["mean_completion_s"] >= 0 and 0 <= j["compliance"] <= 1')" = True ] ||
	fail "means: $HTTP_BODY"
ok "the report: by category, department and state; one order in $want reopened"
# The back office's report is what its scope covers: its department's
# orders and its own (as its lists); one department on request.
http GET /api/v1/reports/work-orders "" "$BO1" >/dev/null
expect_status 200 "back office reads its report"
BO1_ID=$(sql "SELECT id FROM users WHERE username = 'bo1'")
want_bo=$(sql "SELECT COUNT(*) FROM work_orders WHERE department_id = '$AS' OR co_department_id = '$AS' OR assignee = '$BO1_ID' OR created_by = '$BO1_ID'")
[ "$(jbody 'j["total"]')" = "$want_bo" ] && [ "$want_bo" -lt "$want" ] || fail "bo1's report ($want_bo of $want): $HTTP_BODY"
http GET "/api/v1/reports/work-orders?department=$TECH" "" "$BOSS" >/dev/null
expect_status 200 "one department"
[ "$(jbody '(j["total"], list(j["by_department"]))')" = "(2, ['技术部'])" ] || fail "技术部's report: $HTTP_BODY"
ok "the report in the user's scope ($want_bo of $want for bo1) and for one department"
# The same figures as CSV and as XLSX (read by openpyxl): one row per figure.
http GET /api/v1/reports/work-orders "" "$BOSS" >/dev/null
cp "$TEST_DIR/http.body" "$TEST_DIR/report.json"
http GET "/api/v1/reports/work-orders?format=csv" "" "$BOSS" >/dev/null
expect_status 200 "the report as CSV"
grep -qi '^content-type: text/csv' "$TEST_DIR/http.headers" || fail "CSV type"
cp "$TEST_DIR/http.body" "$TEST_DIR/report.csv"
[ "$(curl -s -o "$TEST_DIR/report.xlsx" -D "$TEST_DIR/xlsx.h" -w '%{http_code}' -H "Authorization: Bearer $BOSS" \
	"$BASE_URL/api/v1/reports/work-orders?format=xlsx")" = 200 ] || fail "the report as XLSX"
grep -qi '^content-type: application/vnd.openxmlformats' "$TEST_DIR/xlsx.h" || fail "XLSX type"
python3 - "$TEST_DIR" <<'PY' || fail "the report's files differ from its JSON"
import csv, json, sys, openpyxl
d = sys.argv[1]
j = json.load(open(d + "/report.json"))
zh = {"closed": "已关闭", "done": "处理完成", "replied": "已答复", "pending": "待处理", "submitted": "已提交",
      "in_progress": "处理中", "waiting_customer": "等待客户", "returned": "已退回", "reopened": "重新打开"}
want = [("汇总", "工单总数", j["total"]), ("汇总", "时限达标率", j["compliance"]),
        ("汇总", "平均首次响应时长(秒)", j["mean_first_response_s"]),
        ("汇总", "平均完成时长(秒)", j["mean_completion_s"]), ("汇总", "重开率", j["reopen_rate"])]
want += [("按分类", k, v) for k, v in j["by_category"].items()]
want += [("按部门", k or "未分派", v) for k, v in j["by_department"].items()]
want += [("按状态", zh[k], v) for k, v in j["by_state"].items()]
def same(a, b):
    return tuple(a[:2]) == tuple(b[:2]) and (b[2] is None and a[2] in ("", None) or a[2] not in ("", None) and abs(float(a[2]) - b[2]) <= 1e-5 * max(1, abs(b[2])))
rows = list(csv.reader(open(d + "/report.csv", encoding="utf-8-sig")))
assert rows[0] == ["分组", "项目", "数值"], rows[0]
assert len(rows) - 1 == len(want) and all(same(r, w) for r, w in zip(rows[1:], want)), (rows, want)
ws = openpyxl.load_workbook(d + "/report.xlsx").active
assert ws.title == "工单统计", ws.title
x = [tuple(c.value for c in r) for r in ws.iter_rows()]
assert x[0] == ("分组", "项目", "数值"), x[0]
assert len(x) - 1 == len(want) and all(same(r, w) for r, w in zip(x[1:], want)), (x, want)
assert isinstance(x[1][2], (int, float)), x[1]
PY
ok "the report as CSV and XLSX: the JSON's figures, row by row"

# Someone not yet a customer: the order's number becomes one at once,
# named by the number (source work_order), and the order is theirs; a
# second order for the number finds that customer, not a new one.
[ "$(sql "SELECT COUNT(*) FROM customer_phones WHERE number = '13966668888'")" = 0 ] ||
	fail "13966668888 is a customer before the test"
http POST /api/v1/work-orders "{$GOOD,\"customer_phone\":\"139-6666-8888\"}" "$AGENT" >/dev/null
expect_status 201 "an order for a number nobody has"
NEWC=$(jbody 'j["customer_id"]')
[ -n "$NEWC" ] && [ "$NEWC" != None ] || fail "the order has no customer: $HTTP_BODY"
[ "$(sql "SELECT name || '|' || source FROM customers WHERE id = '$NEWC'")" = "13966668888|work_order" ] ||
	fail "the customer made: $(sql "SELECT * FROM customers WHERE id = '$NEWC'")"
http POST /api/v1/work-orders "{$GOOD,\"customer_phone\":\"13966668888\"}" "$AGENT" >/dev/null
expect_status 201 "a second order for that number"
[ "$(jbody 'j["customer_id"]')" = "$NEWC" ] || fail "the second order's customer: $HTTP_BODY"
[ "$(sql "SELECT COUNT(*) FROM customer_phones WHERE number = '13966668888'")" = 1 ] ||
	fail "the number given twice"
ok "a work order for someone not yet a customer makes them one (named by the number), and the next order finds them"

stop_server
ok "the server stops cleanly with the time-limit check running"
