/* route/http: the DID API (路由): the numbers callers dial and where each
 * leads, an extension or a queue, with the priority a queue's callers get
 * from it (a VIP line is answered before the others). Changes are checked
 * whole — the number's form, the kind, that the extension or queue exists,
 * the priority's range — and made through route_did_put, so the next
 * INVITE routes by them while the row is still on its way to the disk. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include "api/http.h"
#include "base/field.h"
#include "base/mod.h"
#include "ivr/ivr.h"
#include "prompt/prompt.h"
#include "queue/queue.h"
#include "route/route_int.h"

enum { DESC_MAX = 200, PRIO_MAX = 100 };

/* The dial plan this server runs (the route module starts before the
 * API serves anything). */
static struct route *route_of(const struct api_req *req)
{
	return api_house(req)->route;
}

static json_t *did_json(const struct route_did *d)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "did", d->did,
			 "target_kind", d->kind, "target", d->target,
			 "description", d->description,
			 "priority", (json_int_t)d->priority,
			 "consent_text", d->consent_text,
			 "consent_file", d->consent_file);
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

/* A DID as the API takes it: one field row per key (base/field.h), the
 * same shape as every other setting, so its errors name the field and what
 * it accepts. */
struct did_body {
	char kind[16];
	char target[ROUTE_TARGET_MAX + 1];
	char description[DESC_MAX + 1];
	int64_t priority;
	char consent_text[ROUTE_CONSENT_MAX + 1];
	char consent_file[ROUTE_PROMPT_MAX + 1];
};

static const char *const kinds[] = {"extension", "queue", "ivr", NULL};

static const struct field did_fields[] = {
	{.name = "target_kind", .kind = FIELD_ENUM, .words = kinds,
	 FIELD_AT(struct did_body, kind), .required = true,
	 .help = "what the number leads to"},
	{.name = "target", .kind = FIELD_STR,
	 FIELD_AT(struct did_body, target), .required = true,
	 .help = "the extension or the queue"},
	{.name = "description", .kind = FIELD_STR, .def = "",
	 FIELD_AT(struct did_body, description),
	 .help = "what the number is for"},
	{.name = "priority", .kind = FIELD_INT, .lo = 0, .hi = PRIO_MAX,
	 .def = "0", FIELD_AT(struct did_body, priority),
	 .help = "a queue's callers from this number wait with it"},
	{.name = "consent_text", .kind = FIELD_STR, .def = "",
	 FIELD_AT(struct did_body, consent_text),
	 .help = "spoken to callers before they wait in a queue (本次通话可能会被录音)"},
	{.name = "consent_file", .kind = FIELD_STR, .def = "",
	 FIELD_AT(struct did_body, consent_file),
	 .help = "an uploaded prompt played instead of consent_text"},
};

/* Checks body whole into *b and *d (whose strings point into *b); 0, or
 * EINVAL with why naming the field. */
static int check(struct api_req *req, json_t *body, struct did_body *b,
		 struct route_did *d, char *why, size_t n)
{
	static const char *const skip[] = {"did", NULL};   /* the path's */
	bool found = false;

	*b = (struct did_body){0};
	if (field_defaults(did_fields, ARRAY_LEN(did_fields), b) ||
	    field_apply_json(did_fields, ARRAY_LEN(did_fields), "", body, skip,
			     b, NULL, why, n))
		return EINVAL;
	if (!b->target[0]) {
		snprintf(why, n, "target: want the extension or queue");
		return EINVAL;
	}
	d->kind = b->kind;
	d->target = b->target;
	d->description = b->description;
	d->priority = b->priority;
	d->consent_text = b->consent_text;
	d->consent_file = b->consent_file;
	if (b->consent_file[0] && !(prompt_name_ok(b->consent_file) &&
				    api_house(req)->prompts &&
				    prompt_exists(api_house(req)->prompts,
						  b->consent_file))) {
		snprintf(why, n, "consent_file: no prompt '%s' (upload it "
			 "first)", b->consent_file);
		return EINVAL;
	}
	/* Each target is asked of its owner: extensions of the registrar,
	 * queues of the queue host. */
	if (!strcmp(d->kind, "extension"))
		found = route_ext_exists(route_of(req), d->target);
	else if (!strcmp(d->kind, "ivr"))
		found = ivr_store_get(api_house(req)->ivr, d->target) != NULL;
	else if (api_house(req)->queues) {
		struct queue_qcfg q;
		found = !queue_cfg_get(api_house(req)->queues, d->target, &q);
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
	struct did_body b;
	json_t *body = NULL, *out = NULL;
	char why[256];

	if (!did_ok(did)) {
		api_reply_error(req->conn, 400, "did: want 1..%d digits, "
				"optionally after a +", ROUTE_DID_MAX);
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    check(req, body, &b, &d, why, sizeof(why))) {
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

/* The DID API: see api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET",  "/api/v1/dids",                    route_h_dids,    API_SUPERVISORS,
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
