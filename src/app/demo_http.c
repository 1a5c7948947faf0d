/* app/demo_http: the demo's self-service web service, the endpoint the
 * demo flow "orders" looks order numbers up at (its "http" node).
 *
 * Served only with --demo (404 otherwise), to anyone and without a token:
 * the IVR calls it over loopback like any outside service, and its orders
 * are made up, so there is nothing to protect. */
#include <string.h>
#include "api/http.h"
#include "app/app_int.h"
#include "base/mod.h"

/* The demo's orders: number, status as spoken, amount in yuan. Each
 * number's digits rise, so a test can key them from sipp's RFC 4733
 * captures (one stream: a lower key after a higher one looks old). */
static const struct {
	const char *number, *status, *amount;
} orders[] = {
	{"12345", "已发货", "123.45"},
	{"13579", "配送中", "88.00"},
	{"24689", "已签收", "1024.50"},
};

static void h_order(struct api_req *req)
{
	const char *number = api_param(&req->params, "number");

	if (!api_house(req)->demo) {
		api_reply_error(req->conn, 404, "not found");
		return;
	}
	for (size_t i = 0; number && i < ARRAY_LEN(orders); i++) {
		if (strcmp(number, orders[i].number))
			continue;
		api_reply_json(req->conn, 200, NULL, json_pack(
			"{s:s, s:s, s:s}", "number", orders[i].number,
			"status", orders[i].status, "amount", orders[i].amount));
		return;
	}
	api_reply_error(req->conn, 404, "no such order");
}

static const struct api_route rows[] = {
	{"GET", "/api/v1/demo/orders/{number}", h_order, API_PUBLIC, 0,
	 "a demo order's status and amount (--demo only; the IVR flow "
	 "\"orders\" asks it)"},
};
const struct mod_routes app_demo_routes = {rows, ARRAY_LEN(rows)};
