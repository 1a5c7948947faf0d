/* report/read: the side figures of a period (report.h, struct
 * report_side) read from the records other modules keep — calls and
 * their wrap-up codes, work orders, callback tasks, QA evaluations and
 * staff records — on a worker thread, never on the loop. Each reading is
 * one query whose rows the pure folds of this folder (fcr.c, side.c,
 * staff.c) turn into figures per interval; the SQL says which rows count
 * and docs/kpi.md says why. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "db/db.h"
#include "report/report.h"
#include "report/report_int.h"

enum { DAY_MS = 86400000 };

/* The bin of t, or -1 when t is outside [from, to). */
static long bin_of(const struct report_side_q *q, int64_t t)
{
	if (t < q->from || t >= q->to)
		return -1;
	return (long)((t - q->origin) / q->step);
}

/* ---- first-contact resolution (the calls: fcr_read.c) ---- */

static int read_fcr(struct db *db, const struct report_side_q *q,
		    struct report_side *bins)
{
	struct report_contacts cs = {0};
	struct report_fcr *f = calloc(q->nbins, sizeof(*f));
	int err = f ? 0 : ENOMEM;

	err = err ? err : report_contacts_read(db, q, &cs);
	err = err ? err : report_fcr_bins(cs.v, cs.n, q->from, q->to,
					  q->origin, q->step, q->nbins,
					  q->fcr_window_ms, f);
	for (size_t k = 0; !err && k < q->nbins; k++) {
		bins[k].fcr_answered += (int64_t)f[k].answered;
		bins[k].fcr_resolved += (int64_t)f[k].resolved;
		bins[k].fcr_repeated += (int64_t)f[k].repeated;
		bins[k].fcr_followed_up += (int64_t)f[k].followed_up;
		bins[k].fcr_unresolved += (int64_t)f[k].unresolved;
	}
	report_contacts_free(&cs);
	free(f);
	return err;
}

/* ---- the caller's rings ---- */

/* Inbound calls someone answered, and how long their callers rang first.
 * An IVR or queue number answers the caller on arrival (call/ivr.c,
 * call/queued.c: 180 and 200 at once), so a call that met the IVR or
 * entered a queue rang for nothing; a call to an extension rang until
 * the agent answered (call/extension.c). */
static const char ring_sql[] =
	"SELECT c.started_at, CASE WHEN c.queue IS NOT NULL OR EXISTS (SELECT 1 "
	"FROM ivr_visits v WHERE v.call_id = c.id) THEN 0 ELSE c.answered_at - "
	"c.started_at END FROM calls c WHERE c.direction = 'inbound' AND "
	"c.started_at >= ? AND c.started_at < ? AND (? IS NULL OR c.queue = "
	"?) AND (? IS NULL OR c.agent = ?) AND (c.queue IS NOT NULL OR "
	"c.answered_at IS NOT NULL OR EXISTS (SELECT 1 FROM ivr_visits v WHERE "
	"v.call_id = c.id))";

struct fill {
	const struct report_side_q *q;
	struct report_side *bins;
};

static int ring_row(const struct db_row *row, void *arg)
{
	struct fill *f = arg;
	long k = bin_of(f->q, db_row_int(row, 0));

	if (k >= 0) {
		f->bins[k].rung_calls++;
		f->bins[k].rings += report_rings(db_row_int(row, 1),
						 f->q->ring_period_ms);
	}
	return 0;
}

/* ---- QA scores ---- */

/* Evaluations count in the period they were made; final_score is what
 * stands after an appeal's decision (qa/, migration 033). */
static const char qa_sql[] =
	"SELECT created_at, final_score FROM qa_evaluations WHERE created_at "
	">= ? AND created_at < ? AND (? IS NULL OR queue = ?) AND (? IS "
	"NULL OR agent = ?)";

static int qa_row(const struct db_row *row, void *arg)
{
	struct fill *f = arg;
	long k = bin_of(f->q, db_row_int(row, 0));

	if (k >= 0) {
		f->bins[k].qa_scored++;
		f->bins[k].qa_score_sum += db_row_double(row, 1);
	}
	return 0;
}

/* ---- staff ---- */

struct staff {
	struct report_staff *v;
	size_t n, cap;
};

/* A record whose dates do not parse (never written by the users API) is
 * left out rather than guessed. */
static int staff_row(const struct db_row *row, void *arg)
{
	struct staff *s = arg;
	struct report_staff r = {.left = -1};

	if (report_date_parse(db_row_text(row, 0), &r.hired) ||
	    (!db_row_isnull(row, 1) &&
	     report_date_parse(db_row_text(row, 1), &r.left)) ||
	    (r.left >= 0 && r.left < r.hired))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct report_staff *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = r;
	return 0;
}

int report_staff_list(struct db *db, const char *dept,
		      struct report_staff **v, size_t *n)
{
	struct staff s = {0};
	int err = db_query(db, staff_row, &s, "SELECT hired_on, left_on FROM "
			   "users WHERE role = 'agent' AND hired_on IS NOT NULL "
			   "AND (? IS NULL OR department_id IN (WITH RECURSIVE "
			   "sub(id) AS (SELECT ? UNION SELECT d.id FROM "
			   "departments d JOIN sub ON d.parent_id = sub.id) "
			   "SELECT id FROM sub))", "tt", dept, dept);

	if (err) {
		free(s.v);
		return err;
	}
	*v = s.v;
	*n = s.n;
	return 0;
}

int report_staff_read(struct db *db, int32_t d0, int32_t d1,
		      struct report_turnover *out)
{
	struct report_staff *v = NULL;
	size_t n = 0;
	int err = report_staff_list(db, NULL, &v, &n);

	err = err ? err : report_turnover(v, n, d0, d1, out);
	free(v);
	return err;
}

/* FCR and rings of [from, to) of q, read from the calls. */
static int read_calls(struct db *db, const struct report_side_q *q,
		      int64_t from, int64_t to, struct report_side *bins)
{
	struct report_side_q part = *q;
	struct fill f = {&part, bins};
	int err;

	if (from >= to)
		return 0;
	part.from = from;
	part.to = to;
	err = read_fcr(db, &part, bins);
	return err ? err : db_query(db, ring_row, &f, ring_sql, "iitttt", from,
				    to, q->queue, q->queue, q->agent, q->agent);
}

/* With bins of whole days and now known, the whole days settled by now
 * are [*d0, *d1) (empty when none): the days whose window has passed. */
static void settled(const struct report_side_q *q, int64_t *d0, int64_t *d1)
{
	int64_t last = q->now_ms - q->fcr_window_ms;

	*d0 = *d1 = q->to;
	if (q->now_ms <= 0 || q->step % DAY_MS || last <= 0)
		return;
	*d0 = q->from <= 0 ? 0 : (q->from - 1) / DAY_MS * DAY_MS + DAY_MS;
	*d1 = (q->to < last ? q->to : last) / DAY_MS * DAY_MS;
	if (*d0 >= *d1)
		*d0 = *d1 = q->to;
}

int report_side_read(struct db *db, const struct report_side_q *q,
		     struct report_side *bins, struct report_side *total)
{
	struct fill f = {q, bins};
	struct report_turnover t;
	int64_t d0, d1;
	int err;

	if (q->step <= 0 || !q->nbins || q->origin > q->from || q->from >= q->to ||
	    (q->to - q->origin - 1) / q->step >= (int64_t)q->nbins ||
	    q->fcr_window_ms < 0)
		return EINVAL;
	memset(bins, 0, q->nbins * sizeof(*bins));
	*total = (struct report_side){0};
	/* A day of a report by days is judged over that day: its work left
	 * behind counts when made before the window after the day, so a day
	 * read from the calls and a stored one agree (docs/kpi.md 4.24). */
	settled(q, &d0, &d1);
	err = read_calls(db, q, q->from, d0, bins);
	err = err ? err : d0 < d1 ? report_side_days(db, q, d0, d1, bins) : 0;
	err = err ? err : read_calls(db, q, d1, q->to, bins);
	err = err ? err : db_query(db, qa_row, &f, qa_sql, "iitttt", q->from,
				   q->to, q->queue, q->queue, q->agent, q->agent);
	for (size_t k = 0; !err && k < q->nbins; k++)
		report_side_add(total, &bins[k]);
	/* Headcount is the center's (or nobody's): staff records name no
	 * queue, and one agent's turnover is not a rate. */
	if (!err && !q->queue && !q->agent) {
		int32_t d0 = (int32_t)(q->from / DAY_MS);
		int32_t d1 = (int32_t)((q->to - 1) / DAY_MS + 1);

		err = report_staff_read(db, d0, d1, &t);
		if (!err) {
			total->staff = true;
			total->staff_start = t.start;
			total->staff_end = t.end;
			total->leavers = t.leavers;
		}
	}
	return err == ENOMEM ? ENOMEM : err ? EIO : 0;
}

void report_side_settings(const struct report_values *v,
			  struct report_side_q *q)
{
	q->fcr_window_ms = (int64_t)v->fcr_window_h * 3600000;
	q->ring_period_ms = v->ring_period_ms;
}
