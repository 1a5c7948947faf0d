/* trunk/http: the trunk and dial plan API (中继, 拨号方案). Every change is
 * checked whole (trunk/conf.c names the field that is wrong) and made
 * through the store, so the next call uses it while its row is on its way
 * to the disk. GET shows each trunk's state: health from pings, the
 * registration, channels in use and counters. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include "api/http.h"
#include "base/log.h"
#include "base/mod.h"
#include "sip/sipx.h"
#include "trunk/trunk_int.h"

static struct trunk_host *host_of(const struct api_req *req)
{
	return api_house(req)->trunks;
}

static json_t *trunk_json(const struct trunk *t)
{
	json_t *j = trunk_conf_json(&t->conf, false);
	struct trunk_reg_state rs;

	if (!j)
		return NULL;
	trunk_link_reg_state(t, &rs);
	json_object_set_new(j, "state", json_string(
		!t->conf.outbound || !t->conf.ping_interval_s ? "unmonitored" :
		t->health.down ? "down" : "up"));
	json_object_set_new(j, "registration", json_pack(
		"{s:s, s:I, s:I, s:I}", "state", rs.state,
		"last_status", (json_int_t)rs.last_code,
		"failures", (json_int_t)rs.failures,
		"retry_in_ms", (json_int_t)rs.retry_in_ms));
	json_object_set_new(j, "counters", json_pack(
		"{s:I, s:I, s:I, s:I, s:I}",
		"calls_in", (json_int_t)t->calls_in,
		"calls_out", (json_int_t)t->calls_out,
		"failures", (json_int_t)t->failures,
		"refused", (json_int_t)t->refused,
		"channels_in_use", (json_int_t)t->in_use));
	return j;
}

static void trunk_h_list(struct api_req *req)
{
	const struct trunk_host *th = host_of(req);
	json_t *items = json_array();

	for (struct le *le = list_head(&th->trunks); items && le; le = le->next)
		json_array_append_new(items, trunk_json(le->data));
	if (!items) {
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

static void trunk_h_get(struct api_req *req)
{
	const struct trunk *t = trunk_find(host_of(req),
					   api_param(&req->params, "name"));

	if (!t) {
		api_reply_error(req->conn, 404, "no such trunk");
		return;
	}
	api_reply_json(req->conn, 200, NULL, trunk_json(t));
}

/* Creates (POST, the name in the body) or replaces (PUT, the path's). */
static void trunk_write(struct api_req *req, bool create)
{
	const char *name = api_param(&req->params, "name");
	struct trunk_host *th = host_of(req);
	struct trunk_conf c;
	json_t *body = NULL;
	char why[256] = "";
	int err;

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	if (create) {
		const json_t *v = json_object_get(body, "name");
		name = json_is_string(v) ? json_string_value(v) : "";
	}
	else if (json_is_string(json_object_get(body, "name")) &&
		 strcmp(json_string_value(json_object_get(body, "name")),
			name)) {
		json_decref(body);
		api_reply_error(req->conn, 400, "name: differs from the path's "
				"(a trunk cannot be renamed)");
		return;
	}
	err = trunk_conf_parse(&c, name, body, why, sizeof(why));
	json_decref(body);
	if (err) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	if (c.outbound && !strcmp(c.transport, "tls") &&
	    !sipx_tls_on(th->sx)) {
		api_reply_error(req->conn, 400, "outbound.transport: tls needs "
				"Hotline's TLS listener (serve --sip-tls with "
				"--sip-tls-cert)");
		return;
	}
	err = trunk_put(th, &c, create, why, sizeof(why));
	if (err == EEXIST)
		api_reply_error(req->conn, 409, "trunk %s exists (PUT "
				"/api/v1/trunks/%s changes it)", c.name, c.name);
	else if (err == ENOENT)
		api_reply_error(req->conn, 404, "no such trunk");
	else if (err == EBUSY)
		api_reply_error(req->conn, 409, "%s", why);
	else if (err)
		api_reply_error(req->conn, 500, "cannot store the trunk");
	else
		api_reply_json(req->conn, create ? 201 : 200, NULL,
			       trunk_json(trunk_find(th, c.name)));
}

static void trunk_h_create(struct api_req *req)
{
	trunk_write(req, true);
}

static void trunk_h_put(struct api_req *req)
{
	trunk_write(req, false);
}

static void trunk_h_delete(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	char why[256] = "";
	int err = trunk_delete(host_of(req), name, why, sizeof(why));

	if (err == ENOENT)
		api_reply_error(req->conn, 404, "no such trunk");
	else if (err == EBUSY)
		api_reply_error(req->conn, 409, "%s", why);
	else if (err)
		api_reply_error(req->conn, 500, "cannot delete the trunk");
	else
		api_reply_json(req->conn, 200, NULL, json_pack(
			"{s:s, s:b}", "name", name, "deleted", 1));
}

/* ---- dial plans ---- */

static json_t *plan_json(const struct trunk_plan *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->n; i++)
		json_array_append_new(a, json_string(p->trunks[i]));
	return json_pack("{s:I, s:s, s:o, s:I}", "id", (json_int_t)p->id,
			 "pattern", p->pattern, "trunks", a ? a : json_array(),
			 "position", (json_int_t)p->position);
}

static void plan_h_list(struct api_req *req)
{
	const struct trunk_host *th = host_of(req);
	json_t *items = json_array();

	for (struct le *le = list_head(&th->plans); items && le; le = le->next)
		json_array_append_new(items, plan_json(le->data));
	if (!items) {
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

/* The path's id: 0 when it is no plan id. */
static uint32_t plan_id(const struct api_req *req)
{
	const char *s = api_param(&req->params, "id");
	char *end;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;

	return s && *s && !*end && v <= UINT32_MAX ? (uint32_t)v : 0;
}

static void plan_h_get(struct api_req *req)
{
	const struct trunk_plan *p = trunk_plan_find(host_of(req),
						     plan_id(req));

	if (!p) {
		api_reply_error(req->conn, 404, "no such dial plan");
		return;
	}
	api_reply_json(req->conn, 200, NULL, plan_json(p));
}

static int plan_body(const json_t *body, struct trunk_plan_in *in, char *why,
		     size_t n)
{
	static const char *const keys[] = {"id", "pattern", "trunks",
					   "position"};
	const json_t *pat = json_object_get(body, "pattern");
	const json_t *tr = json_object_get(body, "trunks");
	const json_t *pos = json_object_get(body, "position");
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)body, key, v) {
		bool ok = false;
		for (size_t k = 0; k < ARRAY_LEN(keys); k++)
			ok = ok || !strcmp(keys[k], key);
		if (!ok) {
			snprintf(why, n, "%s: unknown key", key);
			return EINVAL;
		}
	}
	if (!json_is_string(pat)) {
		snprintf(why, n, "pattern: want a POSIX extended regex (text)");
		return EINVAL;
	}
	in->pattern = json_string_value(pat);
	if (!json_is_array(tr) || !json_array_size(tr) ||
	    json_array_size(tr) > TRUNK_PLAN_MAX) {
		snprintf(why, n, "trunks: want a list of 1..%d trunk names",
			 TRUNK_PLAN_MAX);
		return EINVAL;
	}
	json_array_foreach(tr, i, v) {
		if (!json_is_string(v)) {
			snprintf(why, n, "trunks[%zu]: want a trunk's name", i);
			return EINVAL;
		}
		in->trunks[in->n++] = json_string_value(v);
	}
	if (pos && !json_is_null(pos)) {
		if (!json_is_integer(pos)) {
			snprintf(why, n, "position: want a whole number "
				 "(lower is tried first)");
			return EINVAL;
		}
		in->has_position = true;
		in->position = json_integer_value(pos);
	}
	return 0;
}

static void plan_write(struct api_req *req, uint32_t id)
{
	struct trunk_host *th = host_of(req);
	struct trunk_plan_in in = {0};
	json_t *body = NULL;
	char why[256] = "";
	int err;

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    plan_body(body, &in, why, sizeof(why))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	err = trunk_plan_put(th, &in, &id, why, sizeof(why));
	json_decref(body);
	if (err == EINVAL)
		api_reply_error(req->conn, 400, "%s", why);
	else if (err == ENOENT)
		api_reply_error(req->conn, 404, "no such dial plan");
	else if (err)
		api_reply_error(req->conn, 500, "cannot store the dial plan");
	else
		api_reply_json(req->conn, req->route->method[1] == 'O' ? 201 :
			       200, NULL, plan_json(trunk_plan_find(th, id)));
}

static void plan_h_create(struct api_req *req)
{
	plan_write(req, 0);
}

static void plan_h_put(struct api_req *req)
{
	uint32_t id = plan_id(req);

	if (!id) {
		api_reply_error(req->conn, 404, "no such dial plan");
		return;
	}
	plan_write(req, id);
}

static void plan_h_delete(struct api_req *req)
{
	uint32_t id = plan_id(req);
	int err = id ? trunk_plan_delete(host_of(req), id) : ENOENT;

	if (err == ENOENT)
		api_reply_error(req->conn, 404, "no such dial plan");
	else if (err)
		api_reply_error(req->conn, 500, "cannot delete the dial plan");
	else
		api_reply_json(req->conn, 200, NULL, json_pack(
			"{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

/* The trunk API: see api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET",    "/api/v1/trunks",            trunk_h_list,   API_SUPERVISORS,
	 0, "every trunk with its state: health, registration, channels, counters"},
	{"POST",   "/api/v1/trunks",            trunk_h_create, API_R_ADMIN,
	 0, "create a trunk: name, inbound_from, outbound, max_channels, caller_id"},
	{"GET",    "/api/v1/trunks/{name}",     trunk_h_get,    API_SUPERVISORS,
	 0, "one trunk with its state"},
	{"PUT",    "/api/v1/trunks/{name}",     trunk_h_put,    API_R_ADMIN,
	 0, "replace a trunk's configuration (live: no restart)"},
	{"DELETE", "/api/v1/trunks/{name}",     trunk_h_delete, API_R_ADMIN,
	 0, "remove a trunk no dial plan names"},
	{"GET",    "/api/v1/dial-plans",        plan_h_list,    API_SUPERVISORS,
	 0, "the outbound dial plans in the order they are tried"},
	{"POST",   "/api/v1/dial-plans",        plan_h_create,  API_R_ADMIN,
	 0, "add a dial plan: pattern (POSIX ERE, whole number), trunks in order, position"},
	{"GET",    "/api/v1/dial-plans/{id}",   plan_h_get,     API_SUPERVISORS,
	 0, "one dial plan"},
	{"PUT",    "/api/v1/dial-plans/{id}",   plan_h_put,     API_R_ADMIN,
	 0, "replace a dial plan"},
	{"DELETE", "/api/v1/dial-plans/{id}",   plan_h_delete,  API_R_ADMIN,
	 0, "remove a dial plan"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

static bool is_trunk(const struct sa *src, void *arg)
{
	return trunk_is_source(arg, src);
}

static bool trunk_cred(const char *user, char *password, size_t n, void *arg)
{
	return trunk_secret(arg, user, password, n);
}

static int start(struct mod_house *h, char *err, size_t n)
{
	int e = trunk_host_alloc(&h->trunks, h->db, h->sipx);

	if (e) {
		snprintf(err, n, "cannot load the trunks (%s)", strerror(e));
		return e;
	}
	sipx_set_trunk_check(h->sipx, is_trunk, h->trunks);
	sipx_set_trunk_creds(h->sipx, trunk_cred, h->trunks);
	return 0;
}

static void stop(struct mod_house *h)
{
	sipx_set_trunk_check(h->sipx, NULL, NULL);
	sipx_set_trunk_creds(h->sipx, NULL, NULL);
	h->trunks = mem_deref(h->trunks);
}

const struct mod_export trunk_module = {
	.name = "trunk", .start = start, .stop = stop, .routes = &routes,
};
