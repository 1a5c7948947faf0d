/* sip/http: the extensions API (分机): SIP credentials phones register
 * with. Every change goes through ext.c, memory and row together, so a
 * phone registers with a new extension, or stops being able to, at once;
 * nothing here waits on the disk (the row is queued for the writer).
 * HA1s and passwords never leave: a reply shows the realm an extension is
 * challenged with and how many contacts it has bound. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/http.h"
#include "base/log.h"
#include "base/mod.h"
#include "sip/sipx_int.h"

static struct sipx *sipx_of(const struct api_req *req)
{
	return api_house(req)->sipx;
}

static json_t *ext_json(const struct sipx_ext_info *e)
{
	return json_pack("{s:s, s:s, s:b, s:s, s:I}", "ext", e->ext,
			 "display_name", e->display_name, "enabled", e->enabled,
			 "realm", e->realm, "contacts", (json_int_t)e->contacts);
}

static int list_one(const struct sipx_ext_info *e, void *arg)
{
	return json_array_append_new(arg, ext_json(e)) ? ENOMEM : 0;
}

static void h_list(struct api_req *req)
{
	json_t *items = json_array();

	if (!items || sipx_ext_list(sipx_of(req), list_one, items)) {
		json_decref(items);
		api_reply_error(req->conn, 500, "cannot list extensions");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

/* Replies with ext as it now is (status 200 or 201). */
static void reply_ext(struct api_req *req, uint16_t status, const char *ext)
{
	struct sipx_ext_info info;

	if (sipx_ext_get(sipx_of(req), ext, &info)) {
		api_reply_error(req->conn, 404, "no extension %s", ext);
		return;
	}
	api_reply_json(req->conn, status, NULL, ext_json(&info));
}

static void h_get(struct api_req *req)
{
	reply_ext(req, 200, api_param(&req->params, "ext"));
}

/* What a body may change; NULL / -1: not named. */
struct ext_body {
	const char *password;
	const char *display_name;
	int enabled;
};

static int parse(json_t *body, struct ext_body *b, char *why, size_t n)
{
	const char *key;
	json_t *v;

	*b = (struct ext_body){.enabled = -1};
	json_object_foreach(body, key, v) {
		if (!strcmp(key, "ext"))
			continue;       /* POST's; checked there */
		if (!strcmp(key, "enabled")) {
			if (!json_is_boolean(v)) {
				snprintf(why, n, "enabled: want true or false");
				return EINVAL;
			}
			b->enabled = json_is_true(v);
		} else if (!strcmp(key, "password")) {
			b->password = json_string_value(v);
			if (!b->password || strlen(b->password) < SIPX_PW_MIN ||
			    strlen(b->password) > SIPX_PW_MAX) {
				snprintf(why, n, "password: want %d..%d "
					 "characters", SIPX_PW_MIN, SIPX_PW_MAX);
				return EINVAL;
			}
		} else if (!strcmp(key, "display_name")) {
			b->display_name = json_string_value(v);
			if (!b->display_name ||
			    strlen(b->display_name) >= SIPX_NAME_SZ) {
				snprintf(why, n, "display_name: want a string "
					 "of at most %d bytes", SIPX_NAME_SZ - 1);
				return EINVAL;
			}
		} else {
			snprintf(why, n, "%.40s: unknown field", key);
			return EINVAL;
		}
	}
	return 0;
}

static json_t *body_of(struct api_req *req, struct ext_body *b)
{
	json_t *body = NULL;
	char why[200];

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    parse(body, b, why, sizeof(why))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return NULL;
	}
	return body;
}

static void h_post(struct api_req *req)
{
	struct sipx *sx = sipx_of(req);
	const char *ext;
	struct ext_body b;
	json_t *body = body_of(req, &b);
	int err;

	if (!body)
		return;
	ext = json_string_value(json_object_get(body, "ext"));
	if (!sipx_ext_name_ok(ext))
		api_reply_error(req->conn, 400, "ext: want 2..16 digits");
	else if (!b.password)
		api_reply_error(req->conn, 400, "password: missing (want "
				"%d..%d characters)", SIPX_PW_MIN, SIPX_PW_MAX);
	else if (sipx_ext_exists(sx, ext))
		api_reply_error(req->conn, 409, "extension %s exists", ext);
	else if ((err = sipx_ext_set(sx, ext, b.display_name, b.password,
				     b.enabled != 0)))
		api_reply_error(req->conn, 500, "cannot store the extension "
				"(%s)", strerror(err));
	else {
		log_info("sip.ext", "ext=%s action=created by=%s", ext,
			 req->user.username);
		reply_ext(req, 201, ext);
	}
	json_decref(body);
}

static void h_put(struct api_req *req)
{
	struct sipx *sx = sipx_of(req);
	const char *ext = api_param(&req->params, "ext");
	struct sipx_ext_info info;
	struct ext_body b;
	json_t *body;
	int err;

	if (sipx_ext_get(sx, ext, &info)) {
		api_reply_error(req->conn, 404, "no extension %s", ext);
		return;
	}
	body = body_of(req, &b);
	if (!body)
		return;
	err = sipx_ext_update(sx, ext, b.display_name, b.password,
			      b.enabled < 0 ? info.enabled : b.enabled != 0);
	json_decref(body);
	if (err) {
		api_reply_error(req->conn, 500, "cannot store the extension (%s)",
				strerror(err));
		return;
	}
	log_info("sip.ext", "ext=%s action=changed password=%s by=%s", ext,
		 b.password ? "new" : "kept", req->user.username);
	reply_ext(req, 200, ext);
}

static void h_delete(struct api_req *req)
{
	const char *ext = api_param(&req->params, "ext");
	int err = sipx_ext_delete(sipx_of(req), ext);

	if (err == ENOENT) {
		api_reply_error(req->conn, 404, "no extension %s", ext);
		return;
	}
	if (err) {
		api_reply_error(req->conn, 500, "cannot delete the extension");
		return;
	}
	log_info("sip.ext", "ext=%s action=deleted by=%s", ext,
		 req->user.username);
	api_reply_json(req->conn, 200, NULL, json_pack("{s:s, s:b}", "ext", ext,
						       "deleted", 1));
}

/* The extensions API: see api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET",  "/api/v1/extensions",              h_list,   API_SUPERVISORS,
	 0, "every extension: display_name, enabled, realm, contacts bound (never its HA1)"},
	{"POST", "/api/v1/extensions",              h_post,   API_R_ADMIN,
	 0, "create an extension: ext (2..16 digits), password (8+), display_name, enabled"},
	{"GET",  "/api/v1/extensions/{ext}",        h_get,    API_SUPERVISORS,
	 0, "one extension"},
	{"PUT",  "/api/v1/extensions/{ext}",        h_put,    API_R_ADMIN,
	 0, "change an extension's display_name, enabled or password"},
	{"DELETE", "/api/v1/extensions/{ext}",      h_delete, API_R_ADMIN,
	 0, "delete an extension; its phones' bindings are dropped"},
};
const struct mod_routes sipx_routes = {rows, ARRAY_LEN(rows)};
