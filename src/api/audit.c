/* api/audit: the audit log (who did what, when, from where, allowed or
 * not), written by the router for every request, never by handlers: each
 * routed request arms its connection's audit note (server.c), the handler
 * may name the user (sign-in), and the reply decides (api_audit_reply):
 *
 *   403, or 401 to a request that carried a token   refused
 *   a route flagged API_F_AUDIT (sign-in, sign-out,
 *   password change, recordings played or fetched)  ok or failed
 *   any other method than GET on a route agents
 *   may not use (users, departments, queues,
 *   trunks, DIDs, IVR flows, settings, prompts …)   ok, when it succeeded
 *
 * A recording's Range requests after its first bytes are not entries of
 * their own: a player seeking would fill the log. Rows go through the db
 * writer (db_write), so the loop never waits. Administrators read the log
 * (GET /api/v1/audit, keyset paged like /calls) or export it as CSV. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api_int.h"
#include "base/log.h"
#include "db/db.h"

enum { LIMIT_DEFAULT = 100, LIMIT_MAX = 1000, CSV_MAX = 100000 };

static const char *outcome_of(const struct api_audit_note *a,
			      uint16_t status)
{
	if (status == 403 || (status == 401 && a->token))
		return "refused";
	if (a->flags & API_F_AUDIT)
		return a->quiet && status < 400 ? NULL :
			status < 400 ? "ok" : "failed";
	if (status < 400 && strcmp(a->method, "GET") &&
	    strcmp(a->method, "HEAD") && a->roles != API_PUBLIC &&
	    !(a->roles & API_R_AGENT))
		return "ok";
	return NULL;
}

void api_audit_reply(struct api *api, struct api_audit_note *a,
		     uint16_t status, const void *body, size_t len)
{
	const char *outcome;
	char action[API_PATH_MAX + 16], detail[256], id[UTIL_ID_LEN];

	if (!a->armed)
		return;
	a->armed = false;
	outcome = outcome_of(a, status);
	if (!outcome || !api->db)
		return;
	snprintf(action, sizeof(action), "%s %s", a->method, a->pattern);
	if (status >= 400 && body)
		snprintf(detail, sizeof(detail), "%u %.*s", status,
			 (int)(len < 200 ? len : 200), (const char *)body);
	else
		snprintf(detail, sizeof(detail), "%u", status);
	util_random_id(id);
	if (db_write(api->db, "INSERT INTO audit_log (id, at, username, role, "
		     "action, target, detail, ip, outcome) VALUES "
		     "(?, ?, ?, ?, ?, ?, ?, ?, ?)", "tittttttt", id,
		     util_now_ms(), a->username, a->role, action, a->target,
		     detail, a->ip, outcome))
		log_warn("api.audit", "cannot queue: action=%s user=%s", action,
			 a->username);
}

/* ---- reading it */
struct filt {
	int64_t from, to, c_at;
	char c_id[UTIL_ID_LEN];
	char username[API_NAME_MAX + 1];
	char action[128];
	size_t limit;
};

struct audit_job {
	struct api_job j;
	struct filt f;
	bool csv;
	size_t n;
	int64_t last_at;
	char last_id[UTIL_ID_LEN];
	json_t *items;
	char *buf;                  /* CSV: the body */
	size_t len, cap;
};

static void audit_clean(struct api_job *j)
{
	struct audit_job *a = (struct audit_job *)j;

	json_decref(a->items);
	free(a->buf);
}

static const char *const fields[] = {"id", "at", "username", "role",
	"action", "target", "detail", "ip", "outcome"};

static int json_row(struct audit_job *a, const struct db_row *row)
{
	char at[UTIL_TIME_LEN];
	json_t *o = json_object();

	for (size_t i = 0; o && i < ARRAY_LEN(fields); i++) {
		const char *v = db_row_text(row, (int)i);

		if (i == 1) {
			util_rfc3339_ms(at, db_row_int(row, 1));
			v = at;
		}
		json_object_set_new(o, fields[i], json_string(v ? v : ""));
	}
	return json_array_append_new(a->items, o) ? ENOMEM : 0;
}

static int put(struct audit_job *a, const char *s, size_t n)
{
	if (a->len + n + 1 > a->cap) {
		size_t cap = (a->cap ? a->cap * 2 : 4096) + n;
		char *b = realloc(a->buf, cap);

		if (!b)
			return ENOMEM;
		a->buf = b;
		a->cap = cap;
	}
	memcpy(a->buf + a->len, s, n);
	a->len += n;
	return 0;
}

/* One CSV field (RFC 4180): quoted, inner quotes doubled. */
static int put_field(struct audit_job *a, const char *v, bool last)
{
	int err = put(a, "\"", 1);

	for (const char *p = v; !err && *p; p++)
		err = *p == '"' ? put(a, "\"\"", 2) : put(a, p, 1);
	return err ? err : put(a, last ? "\"\r\n" : "\",", 2);
}

static int csv_row(struct audit_job *a, const struct db_row *row)
{
	char at[UTIL_TIME_LEN];
	int err = 0;

	for (size_t i = 1; !err && i < ARRAY_LEN(fields); i++) {
		const char *v = db_row_text(row, (int)i);

		if (i == 1) {
			util_rfc3339_ms(at, db_row_int(row, 1));
			v = at;
		}
		err = put_field(a, v ? v : "", i + 1 == ARRAY_LEN(fields));
	}
	return err;
}

static int audit_row(const struct db_row *row, void *arg)
{
	struct audit_job *a = arg;

	if (++a->n > a->f.limit)    /* the extra row says "there is more" */
		return 0;
	a->last_at = db_row_int(row, 1);
	util_strlcpy(a->last_id, db_row_text(row, 0), sizeof(a->last_id));
	return a->csv ? csv_row(a, row) : json_row(a, row);
}

static void audit_work(struct api_job *j)
{
	struct audit_job *a = (struct audit_job *)j;
	static const char bom_head[] = "\xEF\xBB\xBF" "at,username,role,action,"
		"target,detail,ip,outcome\r\n";

	if (a->csv)
		j->err = put(a, bom_head, sizeof(bom_head) - 1);
	else
		j->err = (a->items = json_array()) ? 0 : ENOMEM;
	if (j->err)
		return;
	j->err = db_query(j->req.api->db, audit_row, a,
		"SELECT id, at, username, role, action, target, detail, ip, "
		"outcome FROM audit_log WHERE at >= ? AND at < ? "
		"AND (? = '' OR username = ?) "
		"AND (? = '' OR action LIKE '%' || ? || '%') "
		"AND (at < ? OR (at = ? AND id < ?)) "
		"ORDER BY at DESC, id DESC LIMIT ?", "iittttiiti",
		a->f.from, a->f.to, a->f.username, a->f.username, a->f.action,
		a->f.action, a->f.c_at, a->f.c_at, a->f.c_id,
		(int64_t)a->f.limit + 1);
}

static void audit_done(struct api_job *j)
{
	struct audit_job *a = (struct audit_job *)j;
	char next[API_CURSOR_LEN];

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read the audit log");
		return;
	}
	if (a->csv) {
		api_reply_bytes(j->req.conn, 200, "Content-Type: text/csv; "
				"charset=utf-8\r\nContent-Disposition: attachment;"
				" filename=\"audit.csv\"\r\n"
				"Cache-Control: no-store\r\n", a->buf, a->len);
		return;
	}
	if (a->n > a->f.limit)
		api_cursor_encode(next, a->last_at, a->last_id);
	api_reply_json(j->req.conn, 200, NULL, json_pack("{s:O, s:s?}",
		       "items", a->items, "next_cursor",
		       a->n > a->f.limit ? next : NULL));
}

/* The filters of the query: 0, or EINVAL with 400 answered. */
static int filters(struct api_req *req, struct filt *f, size_t max)
{
	int err;

	f->c_at = INT64_MAX;
	f->limit = max == CSV_MAX ? CSV_MAX : LIMIT_DEFAULT;
	if (api_query_time(req, "from", INT64_MIN, &f->from) ||
	    api_query_time(req, "to", INT64_MAX, &f->to))
		return EINVAL;
	err = api_query_get(req->query, "username", f->username,
			    sizeof(f->username));
	if (err && err != ENOENT) {
		api_reply_error(req->conn, 400, "bad 'username' (at most %d "
				"bytes)", API_NAME_MAX);
		return EINVAL;
	}
	err = api_query_get(req->query, "action", f->action, sizeof(f->action));
	if (err && err != ENOENT) {
		api_reply_error(req->conn, 400, "bad 'action' (at most %zu "
				"bytes)", sizeof(f->action) - 1);
		return EINVAL;
	}
	if (api_query_page(req, max, &f->limit, &f->c_at, f->c_id))
		return EINVAL;
	return 0;
}

static void start(struct api_req *req, bool csv)
{
	struct filt f = {0};
	struct audit_job *a;

	if (filters(req, &f, csv ? CSV_MAX : LIMIT_MAX))
		return;
	a = api_job_alloc(req, sizeof(*a), audit_work, audit_done, audit_clean);
	if (a) {
		a->f = f;
		a->csv = csv;
	}
	api_job_queue(a);
}

void api_h_audit(struct api_req *req)
{
	start(req, false);
}

void api_h_audit_csv(struct api_req *req)
{
	start(req, true);
}

/* ---- retention: the log keeps audit_keep_days (audit.keep_days) */

enum { KEEP_SWEEP_MS = 3600 * 1000 };
static const int64_t DAY_MS = 86400 * 1000;

static void keep_sweep(void *arg)
{
	struct api *api = arg;
	int64_t cutoff = util_now_ms() -
			 (int64_t)api->audit_keep_days * DAY_MS;

	if (db_write(api->db, "DELETE FROM audit_log WHERE at < ?", "i",
		     cutoff))
		log_warn("api.audit", "retention sweep not queued");
	tmr_start(&api->keep_tmr, KEEP_SWEEP_MS, keep_sweep, api);
}

void api_audit_keep_start(struct api *api)
{
	if (api->audit_keep_days)
		keep_sweep(api);
}

void api_audit_keep_stop(struct api *api)
{
	tmr_cancel(&api->keep_tmr);
}
