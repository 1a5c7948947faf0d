/* report/fcr_read: the calls first-contact resolution judges, read on a
 * worker thread: every inbound call of the period and of the window after
 * it, sorted by number and time as report_fcr_bins wants them, each with
 * whether it was counted, left work behind or was coded not resolved; and
 * the list of the calls that were not resolved, for GET
 * /api/v1/reports/fcr. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "db/db.h"
#include "report/report.h"
#include "report/report_int.h"

static int grow(struct report_contacts *cs)
{
	size_t cap = cs->cap ? cs->cap * 2 : 256;
	struct report_contact *v = realloc(cs->v, cap * sizeof(*v));
	struct report_fcr_call *d;

	if (!v)
		return ENOMEM;
	cs->v = v;
	if (cs->detail) {
		d = realloc(cs->d, cap * sizeof(*d));
		if (!d)
			return ENOMEM;
		cs->d = d;
	}
	cs->cap = cap;
	return 0;
}

static void text(char *dst, size_t n, const struct db_row *row, int i)
{
	util_strlcpy(dst, db_row_text(row, i) ? db_row_text(row, i) : "", n);
}

static int contact_row(const struct db_row *row, void *arg)
{
	struct report_contacts *cs = arg;
	struct report_contact *c;
	const char *num = db_row_text(row, 0);

	if (cs->n == cs->cap && grow(cs))
		return ENOMEM;
	c = &cs->v[cs->n];
	*c = (struct report_contact){
		.number = strdup(num ? num : ""),
		.at_ms = db_row_int(row, 1),
		.answered = db_row_int(row, 2) != 0,
		.followed_up = db_row_int(row, 3) != 0,
		.unresolved = db_row_int(row, 4) != 0,
	};
	if (!c->number)
		return ENOMEM;
	if (cs->detail) {
		struct report_fcr_call *d = &cs->d[cs->n];

		text(d->id, sizeof(d->id), row, 5);
		text(d->caller, sizeof(d->caller), row, 6);
		text(d->agent, sizeof(d->agent), row, 7);
		text(d->queue, sizeof(d->queue), row, 8);
		d->at_ms = c->at_ms;
		d->why = 0;
	}
	cs->n++;
	return 0;
}

void report_contacts_free(struct report_contacts *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free((char *)cs->v[i].number);
	free(cs->v);
	free(cs->d);
	*cs = (struct report_contacts){0};
}

/* Every inbound call from the period's start to the window after its end,
 * of the numbers that matter: for one queue or agent, those that had a call
 * of it answered in the period (SQLite then seeks number by number, by
 * calls_caller); for the center, every number (a call of a number with no
 * answered call in the period is a repeat of nothing and costs only its
 * row, where seeking each of a month's numbers took twice the scan). A
 * number left empty stands for nobody: each such call is a number of its
 * own. Counted: answered by an agent in the period, of the queue or agent
 * asked about. Work left behind: a callback task made from the call or
 * from one of its work orders, not cancelled; a work order written on the
 * call and handed on (to a department, or to someone other than its
 * writer). Both count when made from the call's start to the window's
 * end after the period, the time a repeat call counts in too; each list
 * is built once (a non-correlated IN, by the tables' created_at indexes),
 * not looked up per call. Parameters: to, queue ×2, agent ×2, then (from,
 * to + window) ×3, from, to + window, then (fcr_some) from, to, queue ×2,
 * agent ×2. */
#define FCR_SELECT \
	"SELECT CASE WHEN c.caller = '' THEN 'call:' || c.id ELSE c.caller " \
	"END AS num, c.started_at, " \
	"c.answered_at IS NOT NULL AND c.agent IS NOT NULL AND c.agent <> '' " \
	"AND c.started_at < ? AND (? IS NULL OR c.queue = ?) AND " \
	"(? IS NULL OR c.agent = ?), " \
	"c.id IN (SELECT origin_id FROM tasks WHERE created_at >= ? AND " \
	"created_at < ? AND state <> 'cancelled') OR c.id IN (SELECT " \
	"w.call_id FROM work_orders w WHERE w.created_at >= ? AND " \
	"w.created_at < ? AND (w.department_id IS NOT NULL OR (w.assignee IS " \
	"NOT NULL AND w.assignee <> w.created_by) OR w.id IN (SELECT " \
	"origin_id FROM tasks WHERE created_at >= ? AND created_at < ? AND " \
	"state <> 'cancelled'))), " \
	"c.wrapup_code IN (SELECT code FROM wrapup_codes WHERE resolved = 0), " \
	"c.id, c.caller, c.agent, c.queue " \
	"FROM calls c WHERE c.direction = 'inbound' AND c.started_at >= ? AND " \
	"c.started_at < ? "
#define FCR_ORDER "ORDER BY num, c.started_at"

static const char fcr_all[] = FCR_SELECT FCR_ORDER;
static const char fcr_some[] = FCR_SELECT
	"AND c.caller IN (SELECT caller FROM calls WHERE direction = "
	"'inbound' AND started_at >= ? AND started_at < ? AND answered_at IS "
	"NOT NULL AND (? IS NULL OR queue = ?) AND (? IS NULL OR agent = ?)) "
	FCR_ORDER;

int report_contacts_read(struct db *db, const struct report_side_q *q,
			 struct report_contacts *cs)
{
	int64_t end = q->to + q->fcr_window_ms;

	if (!q->queue && !q->agent)
		return db_query(db, contact_row, cs, fcr_all, "ittttiiiiiiii",
				q->to, q->queue, q->queue, q->agent, q->agent,
				q->from, end, q->from, end, q->from, end,
				q->from, end);
	return db_query(db, contact_row, cs, fcr_some, "ittttiiiiiiiiiitttt",
			q->to, q->queue, q->queue, q->agent, q->agent, q->from,
			end, q->from, end, q->from, end, q->from, end, q->from,
			q->to, q->queue, q->queue, q->agent, q->agent);
}

static int by_time(const void *a, const void *b)
{
	const struct report_fcr_call *x = a, *y = b;

	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	return strcmp(x->id, y->id);
}

int report_fcr_calls(struct db *db, const struct report_side_q *q,
		     struct report_fcr_call **v, size_t *n,
		     struct report_fcr *total)
{
	struct report_contacts cs = {.detail = true};
	int *why = NULL;
	size_t k = 0;
	int err = q->from < q->to && q->fcr_window_ms >= 0 ? 0 : EINVAL;

	err = err ? err : report_contacts_read(db, q, &cs);
	if (!err && cs.n && !(why = calloc(cs.n, sizeof(*why))))
		err = ENOMEM;
	err = err ? err : report_fcr_fold(cs.v, cs.n, q->from, q->to,
					  q->fcr_window_ms, total);
	err = err ? err : report_fcr_marks(cs.v, cs.n, q->from, q->to,
					   q->fcr_window_ms, why);
	/* Keep the calls not resolved, in place, then in time order. */
	for (size_t i = 0; !err && i < cs.n; i++)
		if (why[i] > 0) {
			cs.d[k] = cs.d[i];
			cs.d[k++].why = (unsigned)why[i];
		}
	free(why);
	if (err) {
		report_contacts_free(&cs);
		return err;
	}
	if (k)
		qsort(cs.d, k, sizeof(*cs.d), by_time);
	*v = k ? cs.d : NULL;
	*n = k;
	if (!k)
		free(cs.d);
	cs.d = NULL;
	report_contacts_free(&cs);
	return 0;
}
