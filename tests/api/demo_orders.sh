#!/usr/bin/env bash
# The demo's self-service endpoint (what the IVR "orders" on 4008004000
# looks up): a known order answers its status and amount without a token,
# an unknown one is a 404 with a reason; the demo flow is stored and points
# at this server's own port.
source "$(dirname "$0")/../lib.sh"

start_server
http GET /api/v1/demo/orders/12345 >/dev/null
expect_status 200 "a demo order"
[ "$(jbody '(j["number"], j["status"], j["amount"])')" = "('12345', '已发货', '123.45')" ] ||
	fail "order 12345: $HTTP_BODY"
http GET /api/v1/demo/orders/99999 >/dev/null
expect_status 404 "an unknown order"
[ -n "$(jbody 'j["error"]')" ] || fail "404 without a reason: $HTTP_BODY"
ok "GET /api/v1/demo/orders/{number}: 200 with status and amount, 404 for an unknown number"

TOKEN=$(login admin admin123)
http GET /api/v1/ivr-flows/orders "" "$TOKEN" >/dev/null
expect_status 200 "the demo flow orders"
[ "$(jbody 'j["nodes"]["query"]["url"]')" = "/api/v1/demo/orders/{order}" ] ||
	fail "the flow does not look up this server: $HTTP_BODY"
http GET /api/v1/dids "" "$TOKEN" >/dev/null
[ "$(jbody '[(d["target_kind"], d["target"]) for d in j["items"] if d["did"] == "4008004000"]')" = "[('ivr', 'orders')]" ] ||
	fail "4008004000: $HTTP_BODY"
ok "the demo line 4008004000 runs the flow orders, which asks this server"
stop_server
