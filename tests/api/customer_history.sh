#!/usr/bin/env bash
# A customer's contact history (GET /api/v1/customers/{id}/history) with
# the other modules' sources: the customer's work orders (ticket/) and
# callback tasks (task/, by customer id or by one of the numbers), each in
# the reading user's data scope: an agent sees the orders they wrote and
# the tasks they hold, not a colleague's; the administrator sees all.
. "$(dirname "$0")/../lib.sh"

start_server
A=$(login admin admin123)
G1=$(login 1001 secret1001)
G2=$(login 1002 secret1002)

http POST /api/v1/customers '{"name":"历史客户","phones":["13800007777","021-5555 0001"],"owner":"1001"}' "$A" >/dev/null
expect_status 201 "customer"
ID=$(jbody 'j["id"]')

http POST /api/v1/work-orders '{"title":"宽带报修","category":"故障申报","service":"商城售后","priority":"高","customer_phone":"13800007777"}' "$G1" >/dev/null
expect_status 201 "1001's order"
W1=$(jbody 'j["id"]')
http POST /api/v1/work-orders '{"title":"咨询套餐","category":"咨询","service":"商城售前","priority":"低","customer_phone":"13800007777"}' "$G2" >/dev/null
expect_status 201 "1002's order"
W2=$(jbody 'j["id"]')
http POST /api/v1/work-orders '{"title":"别人的","category":"咨询","service":"商城售前","priority":"低","customer_phone":"13900000001"}' "$G1" >/dev/null
expect_status 201 "another customer's order"
http POST /api/v1/tasks '{"title":"回访宽带","phone":"13800007777","due_at":"2030-01-01T09:00:00Z","assignee":"1001"}' "$A" >/dev/null
expect_status 201 "1001's task by number"
T1=$(jbody 'j["id"]')
http POST /api/v1/tasks "{\"title\":\"回访套餐\",\"customer_id\":\"$ID\",\"due_at\":\"2030-01-02T09:00:00Z\",\"assignee\":\"1002\"}" "$A" >/dev/null
expect_status 201 "1002's task by customer id"
T2=$(jbody 'j["id"]')
http POST /api/v1/tasks '{"title":"别人的任务","phone":"13900000001","due_at":"2030-01-01T09:00:00Z","assignee":"1001"}' "$A" >/dev/null
expect_status 201 "another number's task"

kinds() { jbody 'sorted((i["kind"], i["id"]) for i in j["items"] if i["kind"] in ("work_order", "task"))'; }
want() { python3 -c "print(sorted([$1]))"; }

http GET "/api/v1/customers/$ID/history" "" "$A" >/dev/null
expect_status 200 "admin's history"
[ "$(kinds)" = "$(want "('work_order','$W1'),('work_order','$W2'),('task','$T1'),('task','$T2')")" ] ||
	fail "admin's history: $HTTP_BODY"
e=$(jbody "[i for i in j['items'] if i.get('id') == '$W1'][0]")
python3 - "$e" <<'PY' || fail "order entry: $e"
import ast, sys
e = ast.literal_eval(sys.argv[1])
assert e["title"] == "宽带报修" and e["state"] and e["priority"] == "high", e
assert "department" in e and e["at"].endswith("Z"), e
PY
e=$(jbody "[i for i in j['items'] if i.get('id') == '$T2'][0]")
python3 - "$e" <<'PY' || fail "task entry: $e"
import ast, sys
e = ast.literal_eval(sys.argv[1])
assert e["title"] == "回访套餐" and e["state"] == "open", e
assert e["due"] == "2030-01-02T09:00:00Z" and e["at"].endswith("Z"), e
PY
jbody '[i["at"] for i in j["items"]] == sorted((i["at"] for i in j["items"]), reverse=True)' | grep -q True ||
	fail "history not newest first: $HTTP_BODY"
ok "the history lists the customer's orders and tasks (by id and by number), newest first"

http GET "/api/v1/customers/$ID/history" "" "$G1" >/dev/null
expect_status 200 "1001's history"
[ "$(kinds)" = "$(want "('work_order','$W1'),('task','$T1')")" ] || fail "1001's history: $HTTP_BODY"
ok "an agent sees only the orders and tasks of their scope"
stop_server
