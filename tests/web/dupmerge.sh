#!/usr/bin/env bash
# The customers page's 重复客户 view and a work order's attachments in a
# real browser. Two records of 王五 (one with the calls, one with a work
# order and a task) show side by side with their numbers and counts; the
# supervisor picks the one to keep, confirms and merges; the API then has
# one 王五 with both numbers, the other deleted, the work order moved with
# a customer_merged entry in its history. On that work order's page the
# supervisor uploads a file, downloads it back byte for byte (checked in
# the browser side), uploads a second and removes it; the API has the
# first listed and the second removed (soft), both in the history.
# Back-office bo1, whose department handles the order, sees the file and
# may download it, but is offered no removal of the supervisor's file.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
TOKEN=$(admin_token)
db() { sqlite3 -cmd '.timeout 5000' "$DATA_DIR/hotline.db" "$1"; }
http POST /api/v1/customers '{"name":"王五","company":"五洲贸易","level":"gold","phones":["13900001111"],"tags":["老客户"]}' "$TOKEN" >/dev/null
expect_status 201 "王五 with the calls"
KEEP=$(jbody 'j["id"]')
http POST /api/v1/customers '{"name":"王五","phones":["010 6512 0001"],"tags":["展会"],"notes":"要发票"}' "$TOKEN" >/dev/null
expect_status 201 "王五 again"
OTHER=$(jbody 'j["id"]')
http POST /api/v1/customers '{"name":"赵六","phones":["13900004444"]}' "$TOKEN" >/dev/null
expect_status 201 "someone else"
http POST /api/v1/departments '{"name":"售后部"}' "$TOKEN" >/dev/null
expect_status 201 "售后部"
AS=$(jbody 'j["id"]')
http POST /api/v1/users "{\"username\":\"bo1\",\"password\":\"pw-bo1-123\",\"role\":\"backoffice\",\"department\":\"$AS\"}" "$TOKEN" >/dev/null
expect_status 201 "bo1"
http PUT /api/v1/work-order-routes "{\"items\":[{\"category\":\"*\",\"service\":\"*\",\"department\":\"$AS\"}]}" "$TOKEN" >/dev/null
expect_status 200 "every order to 售后部"
http POST /api/v1/work-orders '{"title":"发票抬头错误","category":"咨询","service":"商城售后","priority":"中","customer_phone":"01065120001"}' "$TOKEN" >/dev/null
expect_status 201 "a work order"
WO=$(jbody 'j["id"]')
db "UPDATE work_orders SET customer_id = '$OTHER' WHERE id = '$WO'"
http POST /api/v1/tasks "{\"title\":\"回访\",\"phone\":\"01065120001\",\"customer_id\":\"$OTHER\",\"due_at\":\"2030-01-01T09:00:00Z\"}" "$TOKEN" >/dev/null
expect_status 201 "a task"
db "INSERT INTO calls (id, direction, caller, callee, started_at, agent) VALUES
	('dc1', 'inbound', '13900001111', '4008001000', 1767254400000, '1001'),
	('dc2', 'inbound', '13900001111', '4008001000', 1767254460000, '1002')"
python3 -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + bytes(range(256)) * 40)' >"$TEST_DIR/报价单.pdf"
printf '客户来电记录\n' >"$TEST_DIR/notes.txt"

web_start dupmerge.mjs "$KEEP" "$OTHER" "$TEST_DIR/报价单.pdf" "$TEST_DIR/notes.txt"
web_wait merged 90
http GET "/api/v1/customers/$KEEP" "" "$TOKEN" >/dev/null
[ "$(jbody '([p["number"] for p in j["phones"]], j["tags"], j["deleted_at"])')" = \
  "(['13900001111', '01065120001'], ['展会', '老客户'], None)" ] || fail "the kept one: $HTTP_BODY"
http GET "/api/v1/customers/$OTHER" "" "$TOKEN" >/dev/null
[ "$(jbody 'j["deleted_at"] is not None')" = True ] || fail "the other one is not deleted: $HTTP_BODY"
[ "$(db "SELECT customer_id FROM work_orders WHERE id = '$WO'")" = "$KEEP" ] || fail "the work order stayed"
http GET "/api/v1/work-orders/$WO" "" "$TOKEN" >/dev/null
[ "$(jbody '[(h["action"], h["actor_name"]) for h in j["history"] if h["action"] == "customer_merged"]')" = \
  "[('customer_merged', 'sup')]" ] || fail "the merge in the order's history: $HTTP_BODY"
http GET /api/v1/customers/duplicates "" "$TOKEN" >/dev/null
[ "$(jbody 'j["items"]')" = "[]" ] || fail "still a duplicate: $HTTP_BODY"
ok "merged from the duplicates view: one 王五 with both numbers, the work order moved and its history says so"
web_say check

web_wait attached 90
http GET "/api/v1/work-orders/$WO/attachments" "" "$TOKEN" >/dev/null
[ "$(jbody '[(f["name"], f["size"], f["uploaded_by_name"], f["type"]) for f in j["items"]]')" = \
  "[('报价单.pdf', $(stat -c %s "$TEST_DIR/报价单.pdf"), 'sup', 'application/pdf')]" ] ||
	fail "attachments after the page: $HTTP_BODY"
F=$(jbody 'j["items"][0]["id"]')
cmp -s "$TEST_DIR/报价单.pdf" "$DATA_DIR/work-orders/$F" || fail "the stored file is not the one uploaded"
[ "$(db "SELECT name FROM work_order_files WHERE deleted_at IS NOT NULL")" = notes.txt ] ||
	fail "notes.txt not removed (soft)"
http GET "/api/v1/work-orders/$WO" "" "$TOKEN" >/dev/null
[ "$(jbody '[(h["action"], h["data"]["name"]) for h in j["history"] if h["action"].startswith("attachment")]')" = \
  "[('attachment_added', '报价单.pdf'), ('attachment_added', 'notes.txt'), ('attachment_removed', 'notes.txt')]" ] ||
	fail "attachments in the history: $HTTP_BODY"
ok "the work order's page: uploaded, downloaded back, a second one removed; the API agrees"
web_end
stop_server
