/* ivr/http: the flow API (语音菜单管理) and the module's row. A flow is
 * read, replaced and exported as the JSON document it was written as;
 * a replacement is compiled whole first and refused with every problem
 * and its path (422), so the flow in use is never touched by a bad one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include "api/http.h"
#include "base/mod.h"
#include <jansson.h>
#include "ivr/ivr.h"
#include "queue/queue.h"
#include "route/route.h"

void ivr_h_report(struct api_req *req);   /* report.c */
void ivr_h_calendars(struct api_req *req);      /* calendar.c */
void ivr_h_calendar_put(struct api_req *req);   /* calendar.c */

static struct ivr_store *store_of(const struct api_req *req)
{
	return api_house(req)->ivr;
}

static int list_one(const struct ivr_store_item *it, void *arg)
{
	json_t *doc = ivr_flow_doc(it->flow);
	json_t *o = json_pack("{s:s, s:I, s:I, s:s, s:I}",
			      "name", ivr_flow_name(it->flow),
			      "version", (json_int_t)ivr_flow_version(it->flow),
			      "updated_at", (json_int_t)it->updated_at,
			      "updated_by", it->by,
			      "nodes", (json_int_t)json_object_size(
				      json_object_get(doc, "nodes")));

	return json_array_append_new(arg, o) ? ENOMEM : 0;
}

static void h_list(struct api_req *req)
{
	json_t *items = json_array();

	if (!items || ivr_store_each(store_of(req), list_one, items)) {
		json_decref(items);
		api_reply_error(req->conn, 500, "cannot list the flows");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

/* The document as written, with the version it is. */
static json_t *flow_json(const struct ivr_flow *f)
{
	json_t *o = json_deep_copy(ivr_flow_doc(f));

	if (o)
		json_object_set_new(o, "version",
				    json_integer(ivr_flow_version(f)));
	return o;
}

static void h_get(struct api_req *req)
{
	struct ivr_flow *f = ivr_store_get(store_of(req),
					   api_param(&req->params, "name"));

	if (!f) {
		api_reply_error(req->conn, 404, "no such flow");
		return;
	}
	api_reply_json(req->conn, 200, NULL, flow_json(f));
}

static json_t *problems_json(const struct ivr_problems *pr)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < pr->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "path",
						   pr->v[i].path, "message",
						   pr->v[i].msg));
	return a;
}

/* 422 with every problem; the first in the error line itself. */
static void reply_problems(struct api_req *req, const struct ivr_problems *pr)
{
	char msg[IVR_PATH_MAX + IVR_MSG_MAX + 64];

	snprintf(msg, sizeof(msg), "the flow has %zu problem%s; the first: "
		 "%s: %s", pr->n + pr->dropped, pr->n + pr->dropped == 1 ? "" :
		 "s", pr->n ? pr->v[0].path : "", pr->n ? pr->v[0].msg : "");
	api_reply_json(req->conn, 422, NULL,
		       json_pack("{s:s, s:o}", "error", msg, "problems",
				 problems_json(pr)));
}

/* The body as a flow named name ("name" absent: filled in; another name:
 * refused). */
static json_t *body_flow(struct api_req *req, const char *name)
{
	json_t *body = NULL, *n;
	char why[256];

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return NULL;
	}
	n = json_object_get(body, "name");
	if (name && n && (!json_is_string(n) ||
			  strcmp(json_string_value(n), name))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "name: the body names another "
				"flow than the URL");
		return NULL;
	}
	if (name && !n)
		json_object_set_new(body, "name", json_string(name));
	json_object_del(body, "version");
	return body;
}

static void h_put(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	struct ivr_problems pr = {0};
	json_t *body = body_flow(req, name);
	uint32_t version;
	int err;

	if (!body)
		return;
	err = ivr_store_put(store_of(req), body, req->user.username, &pr,
			    &version);
	json_decref(body);
	if (err == EINVAL)
		reply_problems(req, &pr);
	else if (err)
		api_reply_error(req->conn, 500, "cannot store the flow");
	else
		api_reply_json(req->conn, 200, NULL,
			       flow_json(ivr_store_get(store_of(req), name)));
	ivr_problems_reset(&pr);
}

/* Compiles without storing: the editor's "check" button. */
static void h_check(struct api_req *req)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	json_t *body = body_flow(req, NULL);
	int err;

	if (!body)
		return;
	err = ivr_flow_compile(&f, body, 0, ivr_store_env(store_of(req)), &pr);
	json_decref(body);
	ivr_flow_unref(f);
	if (err == EINVAL)
		reply_problems(req, &pr);
	else if (err)
		api_reply_error(req->conn, 500, "out of memory");
	else
		api_reply_json(req->conn, 200, NULL,
			       json_pack("{s:b, s:[]}", "ok", 1, "problems"));
	ivr_problems_reset(&pr);
}

static int did_uses(const struct route_did *d, void *arg)
{
	const char *name = arg;

	return !strcmp(d->kind, "ivr") && !strcmp(d->target, name) ? EBUSY : 0;
}

static void h_delete(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	int err = route_did_list(api_house(req)->route, did_uses, (void *)name);

	if (err == EBUSY) {
		api_reply_error(req->conn, 409, "a DID leads to this flow: "
				"change the DID first");
		return;
	}
	err = ivr_store_delete(store_of(req), name);
	if (err == ENOENT)
		api_reply_error(req->conn, 404, "no such flow");
	else if (err)
		api_reply_error(req->conn, 500, "cannot delete the flow");
	else
		api_reply_json(req->conn, 200, NULL, json_pack(
			"{s:s, s:b}", "name", name, "deleted", 1));
}

static void add_kind(const char *kind, const char *doc, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s}", "kind", kind,
					     "doc", doc));
}

static void h_kinds(struct api_req *req)
{
	json_t *items = json_array();

	ivr_kinds_each(add_kind, items);
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

/* The flow API: see api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET",  "/api/v1/ivr-flows",             h_list,   API_SUPERVISORS,
	 0, "every IVR flow: name, current version, when and by whom changed"},
	{"POST", "/api/v1/ivr-flows/check",       h_check,  API_SUPERVISORS,
	 0, "compiles a flow without storing it: 200, or 422 with every problem"},
	{"GET",  "/api/v1/ivr-flows/{name}",      h_get,    API_SUPERVISORS,
	 0, "a flow's current version as its JSON document (export)"},
	{"PUT",  "/api/v1/ivr-flows/{name}",      h_put,    API_R_ADMIN,
	 0, "creates or replaces a flow (a new version): 422 with every problem"},
	{"DELETE", "/api/v1/ivr-flows/{name}",    h_delete, API_R_ADMIN,
	 0, "removes a flow no DID leads to"},
	{"GET",  "/api/v1/ivr-kinds",             h_kinds,  API_SUPERVISORS,
	 0, "the node kinds a flow may use, with one line each"},
	{"GET",  "/api/v1/reports/ivr",           ivr_h_report, API_SUPERVISORS,
	 0, "per node of ?flow=: visits, exits, hang-ups, replays, reached an agent"},
	{"GET",  "/api/v1/calendars",             ivr_h_calendars, API_SUPERVISORS,
	 0, "named business calendars: zone, weekly hours, holidays, make-up workdays"},
	{"PUT",  "/api/v1/calendars/{name}",      ivr_h_calendar_put, API_R_ADMIN,
	 0, "creates or replaces a calendar (the schedule node's shape); 400 names the key"},
};
const struct mod_routes ivr_routes = {rows, ARRAY_LEN(rows)};
