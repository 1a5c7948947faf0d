/* spc/http_targets: the KPI targets a center sets (/api/v1/kpi-targets):
 * read by admins and supervisors, set and removed by admins. A PUT's
 * items are all checked on the loop (KPI, queue, unit, bounds) before
 * anything is written, then written in one transaction on an api worker:
 * every item or none. Each answer is the whole table as GET gives it, the
 * queues outside the user's data scope left out. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "queue/queue.h"
#include "report/report.h"
#include "spc/spc_int.h"

enum { PUT_MAX = 500 };   /* more than every KPI for twenty queues */

struct tgt_job {
	struct api_job j;
	struct db_tx *tx;        /* the writes, NULL for a read */
	struct spc_target_set s;
	json_t *out;
};

/* Keeps the center's rows and those of the queues in u's data scope. */
static int scope_filter(struct db *db, const struct api_user *u,
			struct spc_target_set *s)
{
	char why[200];
	size_t keep = 0;

	for (size_t i = 0; i < s->n; i++) {
		int e = s->v[i].queue[0] ? spc_scope_check(db, u, s->v[i].queue,
							   NULL, why,
							   sizeof(why)) : 0;

		if (e && e != EACCES)
			return e;
		if (!e)
			s->v[keep++] = s->v[i];
	}
	s->n = keep;
	return 0;
}

static void tj_work(struct api_job *j)
{
	struct tgt_job *t = (struct tgt_job *)j;
	struct db *db = api_house(&j->req)->db;

	if (t->tx) {
		j->err = db_tx_run(db, t->tx, NULL);
		t->tx = NULL;
	}
	j->err = j->err ? j->err : spc_targets_read(db, &t->s);
	if (!j->err && !spc_scope_all(&j->req.user))
		j->err = scope_filter(db, &j->req.user, &t->s);
	if (!j->err && !(t->out = spc_targets_json(&t->s)))
		j->err = ENOMEM;
}

static void tj_done(struct api_job *j)
{
	struct tgt_job *t = (struct tgt_job *)j;

	if (j->err)
		api_reply_error(j->req.conn, 500, "cannot %s the KPI targets",
				!strcmp(j->req.route->method, "GET") ? "read" :
				"store");
	else
		api_reply_json(j->req.conn, 200, NULL, json_incref(t->out));
}

static void tj_clean(struct api_job *j)
{
	struct tgt_job *t = (struct tgt_job *)j;

	db_tx_free(t->tx);
	spc_targets_free(&t->s);
	json_decref(t->out);
}

static void start(struct api_req *req, struct db_tx *tx)
{
	struct tgt_job *t = api_job_alloc(req, sizeof(*t), tj_work, tj_done,
					  tj_clean);

	if (!t) {
		db_tx_free(tx);
		return;
	}
	t->tx = tx;
	api_job_queue(t);
}

void spc_h_targets_get(struct api_req *req)
{
	start(req, NULL);
}

/* o[field]: absent or null → NAN (open), a number → it. */
static int bound_of(const json_t *o, const char *field, double *v,
		    char *why, size_t n)
{
	const json_t *x = json_object_get(o, field);

	*v = NAN;
	if (!x || json_is_null(x))
		return 0;
	if (!json_is_number(x)) {
		snprintf(why, n, "%s: want a number or null", field);
		return EINVAL;
	}
	*v = json_number_value(x);
	return 0;
}

/* The queue named in o ("" the center): it must be one configured. */
static int queue_of(struct api_req *req, const json_t *o, const char **q,
		    char *why, size_t n)
{
	const json_t *x = json_object_get(o, "queue");
	struct queue_qcfg cfg;

	*q = "";
	if (!x || json_is_null(x))
		return 0;
	if (!json_is_string(x) || json_string_length(x) >= SPC_TARGET_NAME) {
		snprintf(why, n, "queue: want a queue's name, \"\" for the "
			 "whole center");
		return EINVAL;
	}
	*q = json_string_value(x);
	if (!**q || !queue_cfg_get(api_house(req)->queues, *q, &cfg))
		return 0;
	snprintf(why, n, "queue: no queue %s", *q);
	return EINVAL;
}

/* One item checked and its upsert added to tx. */
static int item_add(struct api_req *req, const json_t *o, struct db_tx *tx,
		    char *why, size_t n)
{
	const struct report_kpi_def *def;
	const char *kpi, *q, *unit = NULL;
	const json_t *u = json_object_get(o, "unit");
	double lo, hi;

	if (!json_is_object(o)) {
		snprintf(why, n, "want an object {kpi, queue, target_lo, "
			 "target_hi}");
		return EINVAL;
	}
	if (api_json_str(o, "kpi", SPC_TARGET_NAME - 1, &kpi, why, n))
		return EINVAL;
	if (!(def = report_kpi_find(kpi))) {
		snprintf(why, n, "kpi: no KPI %s", kpi);
		return EINVAL;
	}
	if (u && !(unit = json_string_value(u))) {
		snprintf(why, n, "unit: want a string");
		return EINVAL;
	}
	if (queue_of(req, o, &q, why, n) ||
	    bound_of(o, "target_lo", &lo, why, n) ||
	    bound_of(o, "target_hi", &hi, why, n) ||
	    spc_target_check(def, lo, hi, unit, why, n))
		return EINVAL;
	/* An open end is NULL; a NAN is not bound (the flag says which). */
	return db_tx_add(tx, "INSERT INTO kpi_targets (queue, kpi, target_lo, "
			 "target_hi, updated_at, updated_by) VALUES (?, ?, "
			 "CASE WHEN ? = 1 THEN NULL ELSE ? END, "
			 "CASE WHEN ? = 1 THEN NULL ELSE ? END, ?, ?) "
			 "ON CONFLICT (queue, kpi) DO UPDATE SET "
			 "target_lo = excluded.target_lo, target_hi = "
			 "excluded.target_hi, updated_at = excluded.updated_at, "
			 "updated_by = excluded.updated_by", "ttididit", q, kpi,
			 (int64_t)isnan(lo), isnan(lo) ? 0.0 : lo,
			 (int64_t)isnan(hi), isnan(hi) ? 0.0 : hi,
			 util_now_ms(), req->user.username);
}

/* {"items": [item…]} or one item: every item checked before any is
 * written. */
void spc_h_targets_put(struct api_req *req)
{
	json_t *body = NULL;
	const json_t *items, *it;
	struct db_tx *tx = NULL;
	char why[200], at[240];
	size_t i;

	if (api_req_body(req, &body, why, sizeof(why)))
		return (void)api_reply_error(req->conn, 400, "%s", why);
	items = json_object_get(body, "items");
	if (items && (!json_is_array(items) || !json_array_size(items) ||
		      json_array_size(items) > PUT_MAX)) {
		json_decref(body);
		return (void)api_reply_error(req->conn, 400, "items: want 1 to "
					     "%d targets", PUT_MAX);
	}
	if (db_tx_new(&tx)) {
		json_decref(body);
		return (void)api_reply_error(req->conn, 500, "out of memory");
	}
	if (!items) {
		if (item_add(req, body, tx, why, sizeof(why)))
			goto bad;
	} else {
		json_array_foreach(items, i, it) {
			if (item_add(req, it, tx, why, sizeof(why))) {
				snprintf(at, sizeof(at), "items[%zu]: %s", i,
					 why);
				util_strlcpy(why, at, sizeof(why));
				goto bad;
			}
		}
	}
	json_decref(body);
	start(req, tx);
	return;
bad:
	json_decref(body);
	db_tx_free(tx);
	api_reply_error(req->conn, 400, "%s", why);
}

/* ?kpi=&queue= (none: the center's): the row goes, and what lies under it
 * (the center's, the default) is in force again. */
void spc_h_targets_delete(struct api_req *req)
{
	char kpi[SPC_TARGET_NAME], q[SPC_TARGET_NAME] = "";
	struct db_tx *tx = NULL;
	int e;

	if (api_query_get(req->query, "kpi", kpi, sizeof(kpi)) ||
	    !report_kpi_find(kpi))
		return (void)api_reply_error(req->conn, 400, "kpi: want a "
					     "KPI's id");
	e = api_query_get(req->query, "queue", q, sizeof(q));
	if (e && e != ENOENT)
		return (void)api_reply_error(req->conn, 400, "bad 'queue'");
	if (db_tx_new(&tx) || db_tx_add(tx, "DELETE FROM kpi_targets WHERE "
					"queue = ? AND kpi = ?", "tt", q, kpi)) {
		db_tx_free(tx);
		return (void)api_reply_error(req->conn, 500, "out of memory");
	}
	start(req, tx);
}
