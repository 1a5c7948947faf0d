/* route/http: the DID API (路由): the numbers callers dial and where each
 * leads, an extension or a queue, with the priority a queue's callers get
 * from it (a VIP line is answered before the others). Changes are checked
 * whole — the number's form, the kind, that the extension or queue exists,
 * the priority's range — and made through route_did_put, so the next
 * INVITE routes by them while the row is still on its way to the disk. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/api_int.h"
#include "base/mod.h"
#include "queue/queue.h"
#include "route/route_int.h"

enum { DESC_MAX = 200, PRIO_MAX = 100 };

/* The dial plan this server runs (the route module starts before the
 * API serves anything). */
static struct route *route_of(const struct api_req *req)
{
	return req->api->house->route;
}

static json_t *did_json(const struct route_did *d)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I}", "did", d->did,
			 "target_kind", d->kind, "target", d->target,
			 "description", d->description,
			 "priority", (json_int_t)d->priority);
}

static int list_one(const struct route_did *d, void *arg)
{
	return json_array_append_new(arg, did_json(d)) ? ENOMEM : 0;
}

static void route_h_dids(struct api_req *req)
{
	json_t *items = json_array();

	if (!items || route_did_list(route_of(req), list_one, items)) {
		json_decref(items);
		api_reply_error(req->conn, 500, "cannot read DIDs");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

static bool did_ok(const char *did)
{
	size_t len = strlen(did);
	const char *digits = did[0] == '+' ? did + 1 : did;

	return len > 0 && len <= ROUTE_DID_MAX && *digits &&
		strspn(digits, "0123456789") == strlen(digits);
}

/* Checks body whole into *d; 0, or EINVAL with why naming the field. */
static int check(struct api_req *req, const json_t *body, struct route_did *d,
		 char *why, size_t n)
{
	const json_t *desc = json_object_get(body, "description");
	const json_t *p = json_object_get(body, "priority");
	const char *key;
	json_t *v;
	bool found = false;

	json_object_foreach((json_t *)body, key, v) {
		if (strcmp(key, "target_kind") && strcmp(key, "target") &&
		    strcmp(key, "description") && strcmp(key, "priority") &&
		    strcmp(key, "did")) {
			snprintf(why, n, "%s: unknown field", key);
			return EINVAL;
		}
	}
	if (api_json_str(body, "target_kind", 16, &d->kind, why, n) ||
	    api_json_str(body, "target", ROUTE_TARGET_MAX, &d->target, why, n))
		return EINVAL;
	if (strcmp(d->kind, "extension") && strcmp(d->kind, "queue")) {
		snprintf(why, n, "target_kind: want \"extension\" or \"queue\"");
		return EINVAL;
	}
	d->description = "";
	if (desc && (!json_is_string(desc) ||
		     json_string_length(desc) > DESC_MAX)) {
		snprintf(why, n, "description: want a string of at most %d "
			 "bytes", DESC_MAX);
		return EINVAL;
	}
	if (desc)
		d->description = json_string_value(desc);
	d->priority = 0;
	if (p && (!json_is_integer(p) || json_integer_value(p) < 0 ||
		  json_integer_value(p) > PRIO_MAX)) {
		snprintf(why, n, "priority: want an integer 0..%d", PRIO_MAX);
		return EINVAL;
	}
	if (p)
		d->priority = json_integer_value(p);
	/* Each target is asked of its owner: extensions of the registrar,
	 * queues of the queue host. */
	if (!strcmp(d->kind, "extension"))
		found = route_ext_exists(route_of(req), d->target);
	else if (req->api->house->queues) {
		json_t *q = NULL;
		found = !queue_cfg_get(req->api->house->queues, d->target, &q);
		json_decref(q);
	}
	if (!found) {
		snprintf(why, n, "target: no %s %s", d->kind, d->target);
		return EINVAL;
	}
	return 0;
}

static void route_h_did_put(struct api_req *req)
{
	const char *did = api_param(&req->params, "did");
	struct route_did d = {.did = did}, stored;
	json_t *body = NULL, *out = NULL;
	char why[256];

	if (!did_ok(did)) {
		api_reply_error(req->conn, 400, "did: want 1..%d digits, "
				"optionally after a +", ROUTE_DID_MAX);
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    check(req, body, &d, why, sizeof(why))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	if (route_did_put(route_of(req), &d) ||
	    route_did_get(route_of(req), did, &stored) ||
	    !(out = did_json(&stored))) {
		json_decref(body);
		api_reply_error(req->conn, 500, "cannot store the DID");
		return;
	}
	json_decref(body);
	api_reply_json(req->conn, 200, NULL, out);
}

static void route_h_did_delete(struct api_req *req)
{
	const char *did = api_param(&req->params, "did");
	int err;

	err = route_did_delete(route_of(req), did);
	if (err == ENOENT) {
		api_reply_error(req->conn, 404, "no such DID");
		return;
	}
	if (err) {
		api_reply_error(req->conn, 500, "cannot delete the DID");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:s, s:b}", "did", did,
						       "deleted", 1));
}

#define SUPERVISORS (API_R_ADMIN | API_R_SUPERVISOR)

/* The DID API: see api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET",  "/api/v1/dids",                    route_h_dids,    SUPERVISORS,
	 0, "every dialled number and where it leads (extension or queue)"},
	{"PUT",  "/api/v1/dids/{did}",              route_h_did_put, API_R_ADMIN,
	 0, "create or change a DID: target_kind, target, description, priority"},
	{"DELETE", "/api/v1/dids/{did}",            route_h_did_delete, API_R_ADMIN,
	 0, "remove a DID"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

static int start(struct mod_house *h, char *err, size_t n)
{
	int e = route_start(&h->route, h->db, h->sipx);

	if (e)
		snprintf(err, n, "cannot load the dial plan (%s)", strerror(e));
	return e;
}

static void stop(struct mod_house *h)
{
	h->route = mem_deref(h->route);
}

const struct mod_export route_module = {
	.name = "route", .start = start, .stop = stop, .routes = &routes,
};
