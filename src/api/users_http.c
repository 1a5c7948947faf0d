/* api/users_http: the users API (administrators only): list, create,
 * change and delete web users. The checks that need the running server
 * (an extension the registrar knows) run on the loop; the rest, hashing
 * included, in user.c on the worker pool, whose reply comes back to the
 * loop. A user whose role or password changed, or who was deleted, is
 * signed out at once: their stored sessions go in user.c, the cached ones
 * here, on the loop that owns the cache. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/api.h"
#include "api/api_int.h"
#include <re_uri.h>
#include <re_sip.h>
#include "base/log.h"
#include "base/mod.h"
#include "sip/sipx.h"

/* The body's keys, each a string into struct api_user_in (username only
 * in a POST: a PUT names the user in its path). */
static const struct {
	const char *key;
	size_t off;
	bool clearable;      /* null or "" clears it in a PUT */
} keys[] = {
	{"password",     offsetof(struct api_user_in, password),     false},
	{"role",         offsetof(struct api_user_in, role),         false},
	{"display_name", offsetof(struct api_user_in, display_name), false},
	{"extension",    offsetof(struct api_user_in, extension),    true},
	{"department",   offsetof(struct api_user_in, department),   true},
	{"scope",        offsetof(struct api_user_in, scope),        true},
	{"hired_on",     offsetof(struct api_user_in, hired_on),     true},
	{"left_on",      offsetof(struct api_user_in, left_on),      true},
};

struct user_job {
	struct api_job j;
	json_t *body;               /* ref: in's strings point into it */
	char username[API_NAME_MAX + 1];
	struct api_user_in in;
	enum { ADD, UPDATE, DELETE } op;
	char id[UTIL_ID_LEN];
	char why[256];
	json_t *out;
};

static void job_clean(struct api_job *j)
{
	struct user_job *u = (struct user_job *)j;

	json_decref(u->body);
	json_decref(u->out);
}

/* Fills in from body: 0, or EINVAL with why naming the key. */
static int parse(json_t *body, struct api_user_in *in, char *why, size_t n)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		size_t i;

		if (!strcmp(key, "username"))
			continue;
		if (!strcmp(key, "mask_numbers")) {
			if (!json_is_boolean(v)) {
				snprintf(why, n, "mask_numbers: want true or false");
				return EINVAL;
			}
			in->mask_set = true;
			in->mask_numbers = json_is_true(v);
			continue;
		}
		for (i = 0; i < ARRAY_LEN(keys) && strcmp(keys[i].key, key); i++)
			;
		if (i == ARRAY_LEN(keys)) {
			snprintf(why, n, "%.40s: unknown field", key);
			return EINVAL;
		}
		if (json_is_null(v) && keys[i].clearable) {
			*(const char **)((char *)in + keys[i].off) = "";
			continue;
		}
		if (!json_is_string(v)) {
			snprintf(why, n, "%s: want a string", key);
			return EINVAL;
		}
		*(const char **)((char *)in + keys[i].off) = json_string_value(v);
	}
	return 0;
}

static void work(struct api_job *j)
{
	struct user_job *u = (struct user_job *)j;
	struct db *db = j->req.api->db;

	switch (u->op) {
	case ADD:
		j->err = api_user_add(db, u->username, &u->in, u->why,
				      sizeof(u->why));
		break;
	case UPDATE:
		j->err = api_user_update(db, u->username, &u->in, u->id,
					 u->why, sizeof(u->why));
		break;
	case DELETE:
		j->err = api_user_delete(db, u->username, u->id, u->why,
					 sizeof(u->why));
		return;
	}
	if (!j->err && api_user_get(db, u->username, &u->out))
		j->err = EIO;
}

static uint16_t status_of(int err)
{
	return err == EINVAL ? 400 : err == ENOENT ? 404 :
		err == EEXIST || err == EBUSY ? 409 : 500;
}

static void done(struct api_job *j)
{
	struct user_job *u = (struct user_job *)j;
	static const char *const verbs[] = {"created", "changed", "deleted"};

	if (j->err) {
		api_reply_error(j->req.conn, status_of(j->err), "%s",
				u->why[0] ? u->why : "cannot store the user");
		return;
	}
	if (u->op == DELETE || u->in.role || u->in.password || u->in.scope ||
	    u->in.mask_set || u->in.department)
		api_tcache_forget_user(j->req.api->tokens, u->id);
	log_info("auth.user", "user=%s action=%s by=%s", u->username,
		 verbs[u->op], j->req.user.username);
	if (u->op == DELETE)
		api_reply_json(j->req.conn, 200, NULL, json_pack("{s:s, s:b}",
			       "username", u->username, "deleted", 1));
	else
		api_reply_json(j->req.conn, u->op == ADD ? 201 : 200, NULL,
			       json_incref(u->out));
}

/* The extension, when one is named, must be the registrar's. */
static bool ext_known(struct api_req *req, const char *ext)
{
	const struct sipx *sx = api_house(req)->sipx;

	return !ext || !*ext || (sx && sipx_ext_exists(sx, ext));
}

static void start(struct api_req *req, int op, const char *username)
{
	struct user_job *u;
	json_t *body = NULL;
	char why[256];

	if (op != DELETE && (api_req_body(req, &body, why, sizeof(why)) ||
			     (op == ADD && api_json_str(body, "username",
				API_NAME_MAX, &username, why, sizeof(why))))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	u = api_job_alloc(req, sizeof(*u), work, done, job_clean);
	if (!u) {
		json_decref(body);
		return;
	}
	u->body = body;
	u->op = op;
	util_strlcpy(u->username, username, sizeof(u->username));
	if (body && parse(body, &u->in, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		mem_deref(u);
		return;
	}
	if (!ext_known(req, u->in.extension)) {
		api_reply_error(req->conn, 400, "extension: no extension "
				"'%.40s' (create it first)", u->in.extension);
		mem_deref(u);
		return;
	}
	api_job_queue(u);
}

void api_h_user_post(struct api_req *req)
{
	start(req, ADD, NULL);
}

void api_h_user_put(struct api_req *req)
{
	start(req, UPDATE, api_param(&req->params, "username"));
}

void api_h_user_delete(struct api_req *req)
{
	start(req, DELETE, api_param(&req->params, "username"));
}

struct users {
	struct api_job j;
	json_t *items;
};

static void users_clean(struct api_job *j)
{
	json_decref(((struct users *)j)->items);
}

static void users_work(struct api_job *j)
{
	j->err = api_user_list(j->req.api->db, &((struct users *)j)->items);
}

static void users_done(struct api_job *j)
{
	struct users *u = (struct users *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read users");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL,
		       json_pack("{s:O}", "items", u->items));
}

void api_h_users(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct users), users_work,
				    users_done, users_clean));
}
