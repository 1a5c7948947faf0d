/* qa/eval_read: evaluations as the API shows them — one whole (with its
 * appeal and every step of its history) and the list, newest first, both
 * through the caller's data scope over the evaluated agent: an agent sees
 * their own evaluations, a lead their departments', QA and admins all —
 * but never, while a calibration session of the call is open, an invited
 * inspector the others' evaluations before saving their own
 * (QA_BLIND_SQL). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/qa_int.h"

enum { LIMIT_DEFAULT = 50, LIMIT_MAX = 500, DAY_MS = 86400000 };

json_t *qa_eval_json(const struct db_row *row, int appeal_days)
{
	int64_t created = db_row_int(row, 16);
	char t[UTIL_TIME_LEN];
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
		"id", qa_col_str(row, 0), "call_id", qa_col_str(row, 1),
		"agent", qa_col_str(row, 2), "queue", qa_col_str(row, 3),
		"inspector", qa_col_str(row, 4),
		"inspector_id", qa_col_str(row, 18),
		"scorecard_id", qa_col_str(row, 5),
		"scorecard_version", (json_int_t)db_row_int(row, 6));

	if (!o)
		return NULL;
	json_object_set_new(o, "score", json_real(db_row_double(row, 10)));
	json_object_set_new(o, "final_score",
			    json_real(db_row_double(row, 14)));
	json_object_set_new(o, "earned", json_real(db_row_double(row, 11)));
	json_object_set_new(o, "possible", json_real(db_row_double(row, 12)));
	json_object_set_new(o, "failed_critical",
			    json_boolean(db_row_int(row, 13)));
	json_object_set_new(o, "state", qa_col_str(row, 15));
	json_object_set_new(o, "sections", qa_col_json(row, 17));
	json_object_set_new(o, "answers", qa_col_json(row, 7));
	json_object_set_new(o, "pins", qa_col_json(row, 8));
	json_object_set_new(o, "comment", qa_col_str(row, 9));
	json_object_set_new(o, "created_at", qa_col_time(row, 16));
	json_object_set_new(o, "calibration_id", qa_col_str(row, 19));
	util_rfc3339(t, created + (int64_t)appeal_days * DAY_MS);
	json_object_set_new(o, "appeal_deadline", appeal_days ?
			    json_string(t) : json_null());
	return o;
}

struct one {
	int days;
	bool in_scope, seen;
	json_t *out;
};

static int one_row(const struct db_row *row, void *arg)
{
	struct one *o = arg;

	json_decref(o->out);
	o->out = qa_eval_json(row, o->days);
	o->in_scope = db_row_int(row, 20);
	o->seen = db_row_int(row, 21);
	return 0;
}

static int appeal_row(const struct db_row *row, void *arg)
{
	json_t *e = arg;

	json_object_set_new(e, "appeal", json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o}",
		"reason", qa_col_str(row, 0), "appealed_by", qa_col_str(row, 1),
		"appealed_at", qa_col_time(row, 2),
		"outcome", qa_col_str(row, 3), "decided_by", qa_col_str(row, 4),
		"decided_at", qa_col_time(row, 5),
		"decision", qa_col_str(row, 6),
		"old_score", db_row_double(row, 7),
		"new_score", db_row_isnull(row, 8) ? json_null()
			: json_real(db_row_double(row, 8))));
	return 0;
}

static int history_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:I, s:o, s:o, s:o, s:o}",
		"step", (json_int_t)db_row_int(row, 0),
		"action", qa_col_str(row, 1), "by", qa_col_str(row, 2),
		"at", qa_col_time(row, 3), "detail", qa_col_json(row, 4)))
		? ENOMEM : 0;
}

/* The appeal (null when none) and the history, added to e. */
static int add_full(struct db *db, const char *id, json_t *e)
{
	json_t *hist = json_array();

	json_object_set_new(e, "appeal", json_null());
	json_object_set_new(e, "history", hist);
	if (db_query(db, appeal_row, e, "SELECT a.reason, u.username, "
		     "a.appealed_at, a.outcome, d.username, a.decided_at, "
		     "a.decision, a.old_score, a.new_score FROM qa_appeals a "
		     "LEFT JOIN users u ON u.id = a.appealed_by LEFT JOIN users "
		     "d ON d.id = a.decided_by WHERE a.evaluation_id = ?", "t",
		     id) ||
	    db_query(db, history_row, hist, "SELECT h.step, h.action, "
		     "u.username, h.at, h.detail FROM qa_history h LEFT JOIN "
		     "users u ON u.id = h.by_user WHERE h.evaluation_id = ? "
		     "ORDER BY h.step", "t", id))
		return EIO;
	return 0;
}

int qa_eval_read(struct db *db, const char *id, const struct api_user *u,
		 int appeal_days, bool full, json_t **out)
{
	const char *sc[API_SCOPE_NARGS];
	struct one o = {.days = appeal_days};

	api_scope_args(u, sc);
	if (db_query(db, one_row, &o, "SELECT " QA_EVAL_COLS ", "
		     API_SCOPE_SQL("e.agent", "e.agent") ", " QA_BLIND_SQL("e")
		     " " QA_EVAL_FROM " WHERE e.id = ? AND "
		     QA_NOT_PRACTICE_SQL("e"), API_SCOPE_TYPES "ttt", sc[0],
		     sc[1], sc[2], sc[3], sc[4], u->id, id, u->role)) {
		json_decref(o.out);
		return EIO;
	}
	if (!o.out)
		return ENOENT;
	if (!o.in_scope || !o.seen) {
		json_decref(o.out);
		return o.in_scope ? EPERM : EACCES;
	}
	if (full && add_full(db, id, o.out)) {
		json_decref(o.out);
		return EIO;
	}
	*out = o.out;
	return 0;
}

int qa_history_add(struct db *db, const char *id, const char *action,
		   const char *by, int64_t at, json_t *detail)
{
	char *d = json_dumps(detail, JSON_COMPACT);
	int err = d ? db_exec(db, "INSERT INTO qa_history (evaluation_id, "
		"step, action, by_user, at, detail) VALUES (?, (SELECT "
		"COALESCE(MAX(step), 0) + 1 FROM qa_history WHERE "
		"evaluation_id = ?), ?, ?, ?, ?)", "ttttit", id, id, action, by,
		at, d) : ENOMEM;

	free(d);
	json_decref(detail);
	return err;
}

static void get_work(struct qa_job *q, struct db *db)
{
	json_t *out;
	int err = qa_eval_read(db, q->id, &q->j.req.user, q->appeal_days, true,
			       &out);

	if (err == ENOENT)
		qa_fail(q, 404, "no such evaluation");
	else if (err == EACCES)
		qa_fail(q, 403, "outside your data scope");
	else if (err == EPERM)
		qa_fail(q, 403, "calibration is blind: save your own evaluation "
			"of this call first, or wait for the lead to close the "
			"session");
	else if (err)
		qa_fail(q, 500, "cannot read the evaluation");
	else
		qa_ok(q, 200, out);
}

void qa_h_eval_get(struct api_req *req)
{
	qa_job_run(req, get_work, false);
}

/* ---- the list */

struct page {
	int days;
	size_t n, limit;
	int64_t last_ts;
	char last_id[UTIL_ID_LEN];
	json_t *items;
};

static int page_row(const struct db_row *row, void *arg)
{
	struct page *pg = arg;

	if (++pg->n > pg->limit)
		return 0;
	pg->last_ts = db_row_int(row, 16);
	util_strlcpy(pg->last_id, db_row_text(row, 0), sizeof(pg->last_id));
	return json_array_append_new(pg->items, qa_eval_json(row, pg->days))
		? ENOMEM : 0;
}

static const char *const states[] = {"", "scored", "appealed", "upheld",
				     "changed", NULL};

struct filters {
	char agent[API_EXT_MAX + 1], inspector[API_NAME_MAX + 1];
	char state[16], card[UTIL_ID_LEN], call[UTIL_ID_LEN + 64], queue[65];
	int64_t from, to, c_ts;
	char c_id[UTIL_ID_LEN];
	size_t limit;
};

static int read_filters(struct qa_job *q, struct filters *f)
{
	char why[96];
	bool ok = false;

	memset(f, 0, sizeof(*f));
	f->limit = LIMIT_DEFAULT;
	f->c_ts = INT64_MAX;
	if (qa_query_word(q, "agent", f->agent, sizeof(f->agent)) ||
	    qa_query_word(q, "inspector", f->inspector, sizeof(f->inspector)) ||
	    qa_query_word(q, "state", f->state, sizeof(f->state)) ||
	    qa_query_word(q, "scorecard_id", f->card, sizeof(f->card)) ||
	    qa_query_word(q, "call_id", f->call, sizeof(f->call)) ||
	    qa_query_word(q, "queue", f->queue, sizeof(f->queue)) ||
	    qa_query_time(q, "from", INT64_MIN, &f->from) ||
	    qa_query_time(q, "to", INT64_MAX, &f->to))
		return EINVAL;
	for (const char *const *s = states; *s; s++)
		ok = ok || !strcmp(*s, f->state);
	if (!ok) {
		qa_fail(q, 400, "state: want scored, appealed, upheld or "
			"changed");
		return EINVAL;
	}
	if (api_query_page_why(&q->j.req, LIMIT_MAX, &f->limit, &f->c_ts,
			       f->c_id, why, sizeof(why))) {
		qa_fail(q, 400, "%s", why);
		return EINVAL;
	}
	return 0;
}

static void list_work(struct qa_job *q, struct db *db)
{
	const char *sc[API_SCOPE_NARGS];
	struct page pg = {.days = q->appeal_days};
	char sql[4096], next[API_CURSOR_LEN];
	struct filters f;

	if (read_filters(q, &f))
		return;
	pg.limit = f.limit;
	api_scope_args(&q->j.req.user, sc);
	/* Every filter is bound, empty meaning any: one statement shape.
	 * Pages are keyed on (created_at, id), newest first. */
	snprintf(sql, sizeof(sql), "SELECT " QA_EVAL_COLS " " QA_EVAL_FROM
		 " WHERE " API_SCOPE_SQL("e.agent", "e.agent")
		 " AND " QA_BLIND_SQL("e") " AND " QA_NOT_PRACTICE_SQL("e")
		 " AND (? = '' OR e.agent = ?) AND (? = '' OR u.username = ?)"
		 " AND (? = '' OR e.state = ?) AND (? = '' OR e.scorecard_id = ?)"
		 " AND (? = '' OR e.call_id = ?) AND (? = '' OR e.queue = ?)"
		 " AND e.created_at >= ? AND e.created_at < ?"
		 " AND (e.created_at < ? OR (e.created_at = ? AND e.id < ?))"
		 " ORDER BY e.created_at DESC, e.id DESC LIMIT %zu",
		 f.limit + 1);
	pg.items = json_array();
	if (!pg.items || db_query(db, page_row, &pg, sql, API_SCOPE_TYPES
			"tt" "tttttttttttt" "ii" "iit", sc[0], sc[1], sc[2],
			sc[3], sc[4], q->j.req.user.id, q->j.req.user.role,
			f.agent, f.agent, f.inspector, f.inspector,
			f.state, f.state, f.card, f.card, f.call, f.call,
			f.queue, f.queue, f.from, f.to, f.c_ts, f.c_ts,
			f.c_id[0] ? f.c_id : "\x7f")) {
		json_decref(pg.items);
		qa_fail(q, 500, "cannot read evaluations");
		return;
	}
	if (pg.n > pg.limit)
		api_cursor_encode(next, pg.last_ts, pg.last_id);
	qa_ok(q, 200, json_pack("{s:o, s:s?}", "items", pg.items,
				"next_cursor", pg.n > pg.limit ? next : NULL));
}

void qa_h_eval_list(struct api_req *req)
{
	qa_job_run(req, list_work, false);
}
