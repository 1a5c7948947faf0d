/* api/auth: sign-in, sign-out, "who am I", the token lookup behind every
 * authenticated request (users themselves: user.c, users_http.c).
 *
 * Login: the user row is read on the worker pool, the password is checked
 * on the pool's password lane (pwhash.c), the reply goes out when the
 * result comes back. Unknown users and wrong passwords take the same path
 * and get the same answer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "api/api.h"
#include "api/api_int.h"
#include "base/bus.h"
#include "base/log.h"
#include "db/db.h"

struct login {
	struct api_job j;           /* holds conn: the client may go meanwhile */
	struct api_user user;
	bool known;
	char hash[crypto_pwhash_STRBYTES];
	char *password;             /* until handed to the password lane */
};

static void login_clean(struct api_job *j)
{
	struct login *l = (struct login *)j;

	if (l->password) {
		sodium_memzero(l->password, strlen(l->password));
		free(l->password);
	}
}

static void user_fill(struct api_user *u, const struct db_row *row, int i)
{
	const char *ext = db_row_text(row, i + 3);

	memset(u, 0, sizeof(*u));
	util_strlcpy(u->id, db_row_text(row, i) ? db_row_text(row, i) : "",
		     sizeof(u->id));
	util_strlcpy(u->username, db_row_text(row, i + 1) ?
		     db_row_text(row, i + 1) : "", sizeof(u->username));
	util_strlcpy(u->role, db_row_text(row, i + 2) ?
		     db_row_text(row, i + 2) : "", sizeof(u->role));
	if (api_role_parse(u->role, &u->role_bit))
		u->role_bit = 0;   /* a role we do not know grants nothing */
	util_strlcpy(u->ext, ext ? ext : "", sizeof(u->ext));
	util_strlcpy(u->dept, db_row_text(row, i + 4) ?
		     db_row_text(row, i + 4) : "", sizeof(u->dept));
	if (api_scope_parse(db_row_text(row, i + 5), &u->scope))
		u->scope = api_scope_default(u->role_bit);
	u->mask_numbers = db_row_int(row, i + 6) != 0;
}

/* The columns user_fill reads, in its order. */
#define USER_COLS "u.id, u.username, u.role, u.extension, u.department_id, " \
	"u.scope, u.mask_numbers"

static json_t *user_json(const struct api_user *u)
{
	return json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:b}", "username",
			 u->username, "role", u->role, "extension",
			 u->ext[0] ? u->ext : NULL, "department",
			 u->dept[0] ? u->dept : NULL, "scope",
			 api_scope_name(api_scope_of(u)), "mask_numbers",
			 u->mask_numbers);
}

static int login_row(const struct db_row *row, void *arg)
{
	struct login *l = arg;
	const char *hash = db_row_text(row, 7);

	user_fill(&l->user, row, 0);
	l->known = hash && !util_strlcpy(l->hash, hash, sizeof(l->hash));
	return 0;
}

static void login_done(bool ok, void *arg)
{
	struct login *l = arg;
	struct api *api = l->j.req.api;
	struct api_conn *conn = l->j.req.conn;
	char tok[API_TOKEN_HEX + 1], hash[API_TOKEN_HEX + 1], exp[UTIL_TIME_LEN];
	int64_t now = util_now_ms(), expires = now + api->token_ttl_ms;
	int err;

	util_strlcpy(api_conn_audit(conn)->role, ok && l->known ?
		     l->user.role : "", sizeof(api_conn_audit(conn)->role));
	if (!ok || !l->known) {
		log_info("auth.login_failed", "user=%s", l->user.username);
		api_reply_error(conn, 401, "wrong username or password");
		return;
	}
	api_token_new(tok);
	api_token_hash(tok, hash);
	/* Cached before the writer commits it, so the client's next request
	 * succeeds however busy the writer is. */
	err = db_write(api->db, "INSERT INTO auth_tokens (token_hash, user_id, "
		       "created_at, expires_at) VALUES (?, ?, ?, ?)", "ttii",
		       hash, l->user.id, now, expires);
	err = err ? err : api_tcache_put(api->tokens, hash, &l->user,
					 now + API_TOKEN_RECHECK_MS < expires ?
					 now + API_TOKEN_RECHECK_MS : expires);
	if (err) {
		sodium_memzero(tok, sizeof(tok));
		api_reply_error(conn, 500, "cannot store the session");
		return;
	}
	(void)db_write(api->db, "DELETE FROM auth_tokens WHERE expires_at <= ?",
		       "i", now);
	util_rfc3339(exp, expires);
	api_reply_json(conn, 200, NULL,
		       json_pack("{s:s, s:s, s:o}", "token", tok, "expires_at",
				 exp, "user", user_json(&l->user)));
	sodium_memzero(tok, sizeof(tok));
	log_info("auth.login", "user=%s role=%s", l->user.username, l->user.role);
	bus_publish(api->bus, BUS_AUTH_LOGIN, l->user.username, now,
		    json_pack("{s:s, s:s}", "username", l->user.username,
			      "role", l->user.role));
}

static void login_work(struct api_job *j)
{
	struct login *l = (struct login *)j;

	j->err = db_query(j->req.api->db, login_row, l,
			  "SELECT " USER_COLS ", u.password_hash "
			  "FROM users u WHERE u.username = ?", "t", l->user.username);
}

static void login_read(struct api_job *j)
{
	struct login *l = (struct login *)j;
	int err;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read users");
		return;
	}
	err = api_pwq_verify(j->req.api->pwq, l->known ? l->hash : NULL,
			     l->password, login_done, l);
	if (err)
		api_pwq_refused(j->req.conn, err);
}

void api_h_login(struct api_req *req)
{
	const char *username, *password;
	struct login *l;
	char why[256];
	json_t *body = NULL;

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "username", API_NAME_MAX, &username, why, sizeof(why)) ||
	    api_json_str(body, "password", 1024, &password, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	/* The audit entry names who tried, signed in or not. */
	util_strlcpy(api_conn_audit(req->conn)->username, username,
		     sizeof(api_conn_audit(req->conn)->username));
	l = api_job_alloc(req, sizeof(*l), login_work, login_read, login_clean);
	if (l) {
		util_strlcpy(l->user.username, username,
			     sizeof(l->user.username));
		l->password = strdup(password);
		if (!l->password) {
			api_reply_error(req->conn, 500, "out of memory");
			l = mem_deref(l);
		}
	}
	json_decref(body);
	api_job_queue(l);
}

void api_h_logout(struct api_req *req)
{
	struct api *api = req->api;

	api_tcache_del(api->tokens, req->token_hash);
	if (db_write(api->db, "DELETE FROM auth_tokens WHERE token_hash = ?",
		     "t", req->token_hash)) {
		api_reply_error(req->conn, 500, "cannot end the session");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:s}", "status", "ok"));
	log_info("auth.logout", "user=%s", req->user.username);
	bus_publish(api->bus, BUS_AUTH_LOGOUT, req->user.username, util_now_ms(),
		    json_pack("{s:s}", "username", req->user.username));
}

void api_h_me(struct api_req *req)
{
	api_reply_json(req->conn, 200, NULL, user_json(&req->user));
}

struct lookup {
	struct api_user *u;
	int64_t expires;
	bool found;
};

static int lookup_row(const struct db_row *row, void *arg)
{
	struct lookup *lk = arg;

	user_fill(lk->u, row, 0);
	lk->expires = db_row_int(row, 7);
	lk->found = true;
	return 0;
}

int api_auth_read(struct db *db, const char *hash, int64_t now_ms,
		  struct api_user *u, int64_t *expires_ms)
{
	struct api_user found;
	struct lookup lk = {.u = &found};
	int err = db_query(db, lookup_row, &lk,
		"SELECT " USER_COLS ", t.expires_at "
		"FROM auth_tokens t JOIN users u ON u.id = t.user_id "
		"WHERE t.token_hash = ? AND t.expires_at > ?", "ti", hash, now_ms);

	if (err)
		return EIO;
	if (!lk.found)
		return ENOENT;
	*u = found;
	*expires_ms = lk.expires;
	return 0;
}
