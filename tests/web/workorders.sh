#!/usr/bin/env bash
# Work orders in a real browser with a real call: agent 1001 takes a call
# on DID 4008003000 (sales), writes a work order from the screen pop (the
# form opens with the call and the caller filled in), the routing rule
# puts it in 售后部's inbox, and back-office bo1 claims it, waits for the
# customer with a reason, takes it back and finishes it from the work-order
# page; the API has the order linked to the call with every step in its
# history. Screenshots in Chinese and English (build/rel/test-logs/web/).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../sip/lib_sip.bash"
source "$(dirname "$0")/lib_web.bash"

start_server
TOKEN=$(admin_token)
http POST /api/v1/departments '{"name":"售后部"}' "$TOKEN" >/dev/null
expect_status 201 "售后部"
AS=$(jbody 'j["id"]')
http POST /api/v1/users "{\"username\":\"bo1\",\"password\":\"pw-bo1-123\",\"role\":\"backoffice\",\"department\":\"$AS\"}" "$TOKEN" >/dev/null
expect_status 201 "bo1"
http PUT /api/v1/work-order-routes "{\"items\":[{\"category\":\"*\",\"service\":\"*\",\"department\":\"$AS\"}]}" "$TOKEN" >/dev/null
expect_status 200 "every order to 售后部"

P1=$(free_port)
register 1001 secret1001 "$P1"
sipp_bg a1 agent_answer.xml -p "$P1" -mi 127.0.0.1 -mp "$(free_port)" -timeout 120s
web_start workorders.mjs
web_wait ready 90
ivr_caller caller 4008003000 13800138000 caller_stay p:30000
web_wait created 90

http GET /api/v1/calls?limit=1 "" "$TOKEN" >/dev/null
CALL_ID=$(jbody 'j["items"][0]["id"]')
http GET "/api/v1/work-orders?view=all" "" "$TOKEN" >/dev/null
[ "$(jbody '[(o["title"], o["customer_phone"], o["call_id"], o["category"], o["service"], o["priority"], o["department_name"]) for o in j["items"]]')" = \
  "[('退款七天未到账', '13800138000', '$CALL_ID', '投诉', '商城售后', 'high', '售后部')]" ] ||
	fail "the order written on the call: $HTTP_BODY (call $CALL_ID)"
W=$(jbody 'j["items"][0]["id"]')
ok "written from the screen pop: linked to the call, the caller's number, routed to 售后部"
web_say check
web_wait handled 90
http GET "/api/v1/work-orders/$W" "" "$TOKEN" >/dev/null
[ "$(jbody '(j["state"], j["assignee_name"], [(h["action"], h["to"], h["reason"]) for h in j["history"] if h["action"] in ("claim", "move")])')" = \
  "('done', 'bo1', [('move', 'pending', 'routed'), ('claim', None, None), ('move', 'in_progress', None), ('move', 'waiting_customer', '等客户提供订单号'), ('move', 'in_progress', None), ('move', 'done', None)])" ] ||
	fail "the order bo1 handled: $HTTP_BODY"
ok "bo1 claimed, waited for the customer with the reason, finished: all in the history"
web_end
sipp_wait caller || true
stop_server
