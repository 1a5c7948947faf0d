/* ticket/report: GET /api/v1/reports/work-orders — the orders written in
 * [from, to): how many per category, department and state; time-limit
 * compliance (orders that breached no limit, by the check's flags); the
 * mean wall-clock seconds to first response and to completion; and the
 * reopen rate (orders reopened at least once, from the history). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "ticket/http_int.h"
#include "ticket/ticket_int.h"

struct report_job {
	struct api_job j;
	int64_t from, to;
	json_t *o;
};

static int group_row(const struct db_row *row, void *arg)
{
	const char *k = db_row_text(row, 0);

	json_object_set_new(arg, k ? k : "", json_integer(db_row_int(row, 1)));
	return 0;
}

static int totals_row(const struct db_row *row, void *arg)
{
	json_t *o = arg;
	const int64_t n = db_row_int(row, 0);

	json_object_set_new(o, "total", json_integer(n));
	json_object_set_new(o, "compliance", n ? json_real(
		(double)(n - db_row_int(row, 1)) / (double)n) : json_null());
	json_object_set_new(o, "mean_first_response_s", db_row_isnull(row, 2) ?
		json_null() : json_real(db_row_double(row, 2) / 1000.0));
	json_object_set_new(o, "mean_completion_s", db_row_isnull(row, 3) ?
		json_null() : json_real(db_row_double(row, 3) / 1000.0));
	json_object_set_new(o, "reopen_rate", n ? json_real(
		(double)db_row_int(row, 4) / (double)n) : json_null());
	return 0;
}

#define RANGE "w.created_at >= ? AND w.created_at < ?"

static void report_work(struct api_job *j)
{
	struct report_job *r = (struct report_job *)j;
	struct db *db = api_house(&j->req)->db;
	json_t *cat = json_object(), *dept = json_object(), *st = json_object();
	int err;

	r->o = json_object();
	err = db_query(db, group_row, cat, "SELECT w.category, COUNT(*) FROM "
		       "work_orders w WHERE " RANGE " GROUP BY w.category", "ii",
		       r->from, r->to);
	err = err ? err : db_query(db, group_row, dept, "SELECT COALESCE(d.name, "
		"''), COUNT(*) FROM work_orders w LEFT JOIN departments d ON "
		"d.id = w.department_id WHERE " RANGE " GROUP BY d.name", "ii",
		r->from, r->to);
	err = err ? err : db_query(db, group_row, st, "SELECT w.state, COUNT(*) "
		"FROM work_orders w WHERE " RANGE " GROUP BY w.state", "ii",
		r->from, r->to);
	err = err ? err : db_query(db, totals_row, r->o, "SELECT COUNT(*), "
		"SUM(CASE WHEN (w.sla_flags & 10) <> 0 THEN 1 ELSE 0 END), "
		"AVG(w.first_response_at - w.created_at), "
		"AVG(w.done_at - w.created_at), "
		"SUM(CASE WHEN EXISTS (SELECT 1 FROM work_order_history h WHERE "
		"h.order_id = w.id AND h.to_state = 'reopened') THEN 1 ELSE 0 END) "
		"FROM work_orders w WHERE " RANGE, "ii", r->from, r->to);
	json_object_set_new(r->o, "by_category", cat);
	json_object_set_new(r->o, "by_department", dept);
	json_object_set_new(r->o, "by_state", st);
	j->err = err;
}

static void report_done(struct api_job *j)
{
	struct report_job *r = (struct report_job *)j;

	if (j->err)
		api_reply_error(j->req.conn, 500, "cannot read work orders");
	else
		api_reply_json(j->req.conn, 200, NULL, json_incref(r->o));
}

static void report_clean(struct api_job *j)
{
	json_decref(((struct report_job *)j)->o);
}

void wo_h_report(struct api_req *req)
{
	struct report_job *r;
	int64_t from, to;

	if (api_query_time(req, "from", INT64_MIN, &from) ||
	    api_query_time(req, "to", INT64_MAX, &to))
		return;
	r = api_job_alloc(req, sizeof(*r), report_work, report_done,
			  report_clean);
	if (r) {
		r->from = from;
		r->to = to;
	}
	api_job_queue(r);
}
