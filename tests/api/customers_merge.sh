#!/usr/bin/env bash
# One person kept as two customers (/api/v1/customers/duplicates, POST
# /api/v1/customers/{id}/merge) on the demo server: found by name (a
# number's own name is no duplicate), merged in one go with numbers,
# tags, fields, notes, work orders (each with a history entry naming the
# merge) and tasks moving over; the other one
# deleted (soft) with a note in the history; the screen of calls follows
# the numbers; bad merges refused with the reason and nothing changed;
# only admins and supervisors.
. "$(dirname "$0")/../lib.sh"

start_server
A=$(login admin admin123)
S=$(login sup sup123)
G=$(login 1001 secret1001)
db() { sqlite3 "$DATA_DIR/hotline.db" "$1"; }

http POST /api/v1/customer-fields '{"name":"size","label":"规模","type":"text"}' "$A" >/dev/null
expect_status 201 "a custom field"
http POST /api/v1/customers '{"name":"王五","phones":["13900001111"],"tags":["老客户"],"fields":{"size":"大"}}' "$G" >/dev/null
expect_status 201 "one record"
KEEP=$(jbody 'j["id"]')
http POST /api/v1/customers '{"name":"王五","phones":["010 6512 0001"],"tags":["老客户","展会"],"fields":{"size":"小"},"notes":"要发票"}' "$G" >/dev/null
expect_status 201 "the same person again"
OTHER=$(jbody 'j["id"]')
http POST /api/v1/customers '{"name":"13900002222","phones":["13900002222"]}' "$G" >/dev/null
expect_status 201 "a caller named by the number"
http POST /api/v1/customers '{"name":"13900002222","phones":["13900003333"]}' "$G" >/dev/null
expect_status 201 "another named so"
http POST /api/v1/customers '{"name":"赵六","phones":["13900004444"]}' "$G" >/dev/null
expect_status 201 "someone else"
LONE=$(jbody 'j["id"]')

http GET /api/v1/customers/duplicates "" "$S" >/dev/null
expect_status 200 "duplicates"
[ "$(jbody '[(g["name"], sorted(c["id"] for c in g["customers"])) for g in j["items"]]')" = \
  "[('王五', $(python3 -c "import sys; print(sorted(sys.argv[1:]))" "$KEEP" "$OTHER"))]" ] ||
	fail "duplicates: $HTTP_BODY"
[ "$(jbody 'sorted(p["number"] for c in j["items"][0]["customers"] for p in c["phones"])')" = \
  "['01065120001', '13900001111']" ] || fail "duplicates carry their numbers: $HTTP_BODY"
ok "duplicates: one name, two live customers; names that are numbers left out"

# a work order and a task of the other record
http POST /api/v1/work-orders '{"title":"发票","category":"咨询","service":"商城售后","priority":"中","customer_phone":"01065120001"}' "$G" >/dev/null
expect_status 201 "a work order"
WO=$(jbody 'j["id"]')
db "UPDATE work_orders SET customer_id = '$OTHER' WHERE id = '$WO'"
http POST /api/v1/work-orders '{"title":"开票","category":"咨询","service":"商城售后","priority":"中","customer_phone":"13900001111"}' "$G" >/dev/null
expect_status 201 "a work order of the kept one"
WO_KEEP=$(jbody 'j["id"]')
db "UPDATE work_orders SET customer_id = '$KEEP' WHERE id = '$WO_KEEP'"
http POST /api/v1/tasks "{\"title\":\"回访\",\"phone\":\"01065120001\",\"customer_id\":\"$OTHER\",\"due_at\":\"2030-01-01T09:00:00Z\"}" "$G" >/dev/null
expect_status 201 "a task"
TASK=$(jbody 'j["id"]')
db "INSERT INTO calls (id, direction, caller, callee, started_at, agent) VALUES
	('mc1', 'inbound', '13900001111', '4008001000', 1767254400000, '1001'),
	('mc2', 'inbound', '13900001111', '4008001000', 1767254460000, '1002'),
	('mc3', 'inbound', '01065120001', '4008001000', 1767254520000, '1003')"
http GET /api/v1/customers/duplicates "" "$S" >/dev/null
[ "$(jbody 'sorted((c["id"], c["counts"]["calls"], c["counts"]["work_orders"], c["counts"]["tasks"]) for c in j["items"][0]["customers"])')" = \
  "$(python3 -c "import sys; print(sorted([(sys.argv[1], 2, 1, 0), (sys.argv[2], 1, 1, 1)]))" "$KEEP" "$OTHER")" ] ||
	fail "duplicates count each one's calls, work orders and tasks: $HTTP_BODY"
ok "duplicates show what each one has: calls, work orders, tasks"

# refusals change nothing
before=$(db "SELECT count(*), sum(deleted_at IS NULL) FROM customers")
for bad in '{}:from' '{"from":""}:from' "{\"from\":\"$KEEP\"}:from" "{\"from\":\"$OTHER\",\"x\":1}:from" '[1]:'; do
	http POST "/api/v1/customers/$KEEP/merge" "${bad%:*}" "$S" >/dev/null
	expect_status 400 "bad merge ${bad%:*}"
	jbody 'j["error"]' | grep -q . || fail "no reason: $HTTP_BODY"
done
http POST "/api/v1/customers/$KEEP/merge" '{"from":"nobody"}' "$S" >/dev/null
expect_status 404 "merge from nobody"
jbody 'j["error"]' | grep -q '^from' || fail "404 names from: $HTTP_BODY"
http POST "/api/v1/customers/nobody/merge" "{\"from\":\"$OTHER\"}" "$S" >/dev/null
expect_status 404 "merge into nobody"
http POST "/api/v1/customers/$KEEP/merge" "{\"from\":\"$OTHER\"}" "$G" >/dev/null
expect_status 403 "an agent merges nothing"
http GET /api/v1/customers/duplicates "" "$G" >/dev/null
expect_status 403 "an agent lists no duplicates"
http DELETE "/api/v1/customers/$LONE" "" "$S" >/dev/null
expect_status 200 "delete one"
http POST "/api/v1/customers/$KEEP/merge" "{\"from\":\"$LONE\"}" "$S" >/dev/null
expect_status 409 "merge from a deleted one"
http POST "/api/v1/customers/$LONE/merge" "{\"from\":\"$KEEP\"}" "$S" >/dev/null
expect_status 409 "merge into a deleted one"
[ "$(db "SELECT count(*), sum(deleted_at IS NULL) FROM customers")" = "$(echo "$before" | awk -F'|' '{print $1"|"$2-1}')" ] ||
	fail "a refused merge changed customers"
[ "$(db "SELECT customer_id FROM customer_phones WHERE number = '01065120001'")" = "$OTHER" ] ||
	fail "a refused merge moved a number"
[ "$(db "SELECT count(*) FROM work_order_history WHERE action = 'customer_merged'")" = 0 ] ||
	fail "a refused merge wrote work-order history"
ok "bad merges refused (400, 403, 404, 409) with the reason; nothing changed"

http POST "/api/v1/customers/$KEEP/merge" "{\"from\":\"$OTHER\"}" "$S" >/dev/null
expect_status 200 "merge"
[ "$(jbody '([p["number"] for p in j["phones"]], j["tags"], j["fields"], j["notes"], j["deleted_at"])')" = \
  "(['13900001111', '01065120001'], ['展会', '老客户'], {'size': '大'}, '要发票', None)" ] ||
	fail "merged: $HTTP_BODY"
[ "$(db "SELECT customer_id FROM work_orders WHERE id = '$WO'")" = "$KEEP" ] || fail "the work order stayed"
[ "$(db "SELECT customer_id FROM tasks WHERE id = '$TASK'")" = "$KEEP" ] || fail "the task stayed"
SUP_ID=$(db "SELECT id FROM users WHERE username = 'sup'")
http GET "/api/v1/work-orders/$WO" "" "$A" >/dev/null
expect_status 200 "the moved order"
[ "$(jbody '[(h["seq"], h["action"], h["actor"], h["actor_name"], h["reason"], h.get("to"), h["data"]) for h in j["history"] if h["action"] == "customer_merged"]')" = \
  "[($(jbody 'len(j["history"])'), 'customer_merged', '$SUP_ID', 'sup', 'customer merged: 王五 ($OTHER) → 王五 ($KEEP)', None, {'from': '$OTHER', 'from_name': '王五', 'into': '$KEEP', 'into_name': '王五'})]" ] ||
	fail "the moved order's history: $HTTP_BODY"
[ "$(jbody 'abs(__import__("datetime").datetime.fromisoformat(j["history"][-1]["at"].replace("Z", "+00:00")).timestamp() - __import__("time").time()) < 120')" = True ] ||
	fail "the merge entry's time: $HTTP_BODY"
[ "$(db "SELECT count(*) FROM work_order_history WHERE order_id = '$WO_KEEP' AND action = 'customer_merged'")" = 0 ] ||
	fail "the kept customer's own order got a merge entry"
[ "$(db "SELECT count(*) FROM work_order_history WHERE action = 'customer_merged'")" = 1 ] ||
	fail "one merge entry per moved order"
ok "the moved work order's history says who merged which customer into which, and when"
http POST "/api/v1/work-orders/$WO/transitions" '{"to":"in_progress"}' "$A" >/dev/null
expect_status 200 "a move after the merge"
[ "$(jbody '[h["seq"] for h in j["history"]] == list(range(1, len(j["history"]) + 1)) and j["history"][-1]["action"] == "move" and j["history"][-2]["action"] == "customer_merged"')" = True ] ||
	fail "history after the merge entry: $HTTP_BODY"
http GET "/api/v1/customers/$OTHER" "" "$S" >/dev/null
expect_status 200 "the other one is still there"
[ "$(jbody 'j["deleted_at"] is not None and j["phones"] == [] and j["tags"] == []')" = True ] ||
	fail "the other one: $HTTP_BODY"
http GET "/api/v1/customers?phone=01065120001" "" "$G" >/dev/null
[ "$(jbody '[c["id"] for c in j["items"]]')" = "['$KEEP']" ] || fail "the number looks up the merged one: $HTTP_BODY"
http GET "/api/v1/customers/$KEEP/history" "" "$S" >/dev/null
expect_status 200 "history"
printf '%s' "$HTTP_BODY" | grep -q "合并了客户 王五 ($OTHER)" || fail "no merge note: ${HTTP_BODY:0:400}"
http GET /api/v1/customers/duplicates "" "$S" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "still a duplicate: $HTTP_BODY"
ok "merged in one go: numbers, tags, fields (the kept one's win), notes, work order, task; the other deleted, noted in the history"
stop_server
