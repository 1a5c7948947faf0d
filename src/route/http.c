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
#include "queue/queue.h"
#include "route/route_int.h"

enum { DESC_MAX = 200, PRIO_MAX = 100 };

/* The route served; see route_int.h. */
static struct route *served;

void route_http_serve(struct route *r)
{
	served = r;
}

void route_http_forget(const struct route *r)
{
	if (served == r)
		served = NULL;
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

void route_h_dids(struct api_req *req)
{
	json_t *items = json_array();

	if (!items || !served || route_did_list(served, list_one, items)) {
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
		found = route_ext_exists(served, d->target);
	else if (req->api->queues) {
		json_t *q = NULL;
		found = !queue_cfg_get(req->api->queues, d->target, &q);
		json_decref(q);
	}
	if (!found) {
		snprintf(why, n, "target: no %s %s", d->kind, d->target);
		return EINVAL;
	}
	return 0;
}

void route_h_did_put(struct api_req *req)
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
	if (!served || route_did_put(served, &d) ||
	    route_did_get(served, did, &stored) || !(out = did_json(&stored))) {
		json_decref(body);
		api_reply_error(req->conn, 500, "cannot store the DID");
		return;
	}
	json_decref(body);
	api_reply_json(req->conn, 200, NULL, out);
}

void route_h_did_delete(struct api_req *req)
{
	const char *did = api_param(&req->params, "did");
	int err;

	if (!served) {
		api_reply_error(req->conn, 500, "cannot read DIDs");
		return;
	}
	err = route_did_delete(served, did);
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
