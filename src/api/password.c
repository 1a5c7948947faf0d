/* api/password: a signed-in user changes their own password (the manual's
 * 个人资料及密码修改), proving the current one first. Three steps, none on
 * the loop's time: the stored hash is read on the worker pool, the current
 * password checked on the password lane, the new one hashed and stored on
 * the pool again. Every session of the user ends with it, this one too:
 * whoever held a token signs in again with the new password. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "api/api.h"
#include "api/api_int.h"
#include "base/log.h"
#include "db/db.h"

struct pw_change {
	struct api_job j;
	char *current, *next;       /* zeroed and freed with the job */
	char hash[crypto_pwhash_STRBYTES];
	bool known;
	char id[UTIL_ID_LEN];
	char why[128];
};

static void pw_clean(struct api_job *j)
{
	struct pw_change *p = (struct pw_change *)j;

	if (p->current)
		sodium_memzero(p->current, strlen(p->current));
	if (p->next)
		sodium_memzero(p->next, strlen(p->next));
	free(p->current);
	free(p->next);
	sodium_memzero(p->hash, sizeof(p->hash));
}

static int hash_row(const struct db_row *row, void *arg)
{
	struct pw_change *p = arg;
	const char *h = db_row_text(row, 0);

	p->known = h && !util_strlcpy(p->hash, h, sizeof(p->hash));
	return 0;
}

static void read_work(struct api_job *j)
{
	j->err = db_query(j->req.api->db, hash_row, j,
			  "SELECT password_hash FROM users WHERE id = ?", "t",
			  j->req.user.id);
}

static void store_work(struct api_job *j)
{
	struct pw_change *p = (struct pw_change *)j;
	const struct api_user_in in = {.password = p->next};

	j->err = api_user_update(j->req.api->db, j->req.user.username, &in,
				 p->id, p->why, sizeof(p->why));
}

static void store_done(struct api_job *j)
{
	struct pw_change *p = (struct pw_change *)j;

	if (j->err) {
		api_reply_error(j->req.conn, j->err == EINVAL ? 400 : 500, "%s",
				p->why[0] ? p->why : "cannot store the password");
		return;
	}
	api_tcache_forget_user(j->req.api->tokens, p->id);
	log_info("auth.password_changed", "user=%s", j->req.user.username);
	api_reply_json(j->req.conn, 200, NULL, json_pack("{s:s, s:b}",
		       "username", j->req.user.username, "signed_out", 1));
}

static void verified(bool ok, void *arg)
{
	struct pw_change *p = arg;

	if (!ok || !p->known) {
		log_info("auth.password_refused", "user=%s",
			 p->j.req.user.username);
		api_reply_error(p->j.req.conn, 400,
				"current: not the current password");
		return;
	}
	/* The same job goes back to the pool for the slow hash. */
	p->j.work = store_work;
	p->j.done = store_done;
	api_job_queue(mem_ref(p));
}

static void read_done(struct api_job *j)
{
	struct pw_change *p = (struct pw_change *)j;
	int err;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read the user");
		return;
	}
	err = api_pwq_verify(j->req.api->pwq, p->known ? p->hash : NULL,
			     p->current, verified, p);
	if (err)
		api_pwq_refused(j->req.conn, err);
}

void api_h_password(struct api_req *req)
{
	const char *current, *next;
	struct pw_change *p;
	char why[256];
	json_t *body = NULL;

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "current", API_PW_MAX, &current, why,
			 sizeof(why)) ||
	    api_json_str(body, "new", API_PW_MAX, &next, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	if (strlen(next) < API_PW_MIN || !strcmp(next, current)) {
		if (strlen(next) < API_PW_MIN)
			api_reply_error(req->conn, 400, "new: want %d..%d "
					"characters", API_PW_MIN, API_PW_MAX);
		else
			api_reply_error(req->conn, 400, "new: the same as the "
					"current one");
		json_decref(body);
		return;
	}
	p = api_job_alloc(req, sizeof(*p), read_work, read_done, pw_clean);
	if (p) {
		p->current = strdup(current);
		p->next = strdup(next);
		if (!p->current || !p->next) {
			api_reply_error(req->conn, 500, "out of memory");
			p = mem_deref(p);
		}
	}
	json_decref(body);
	api_job_queue(p);
}
