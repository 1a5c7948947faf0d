/* ticket/report: GET /api/v1/reports/work-orders — the orders written in
 * [from, to): how many per category, department and state; time-limit
 * compliance (orders that breached no limit, by the check's flags); the
 * mean wall-clock seconds to first response and to completion; and the
 * reopen rate (orders reopened at least once, from the history).
 *
 * The orders counted are those the user's data scope covers, by the
 * condition of every list of orders (wo_sql.h): a supervisor's report is
 * their departments', a back-office lead's their department's. One
 * department may be asked for (?department=ID, 400 when there is none).
 * format=csv|xlsx gives the same figures as a file (report_file.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "ticket/http_int.h"
#include "ticket/ticket_int.h"
#include "ticket/wo_sql.h"

struct report_job {
	struct api_job j;
	int64_t from, to;
	char dept[UTIL_ID_LEN];          /* "" every department */
	enum wo_report_format format;
	uint16_t status;                 /* an error's, 0 for 500 */
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

/* The orders counted: written in the range, of the department asked for
 * (if any), in the user's scope. Binds: "ii" "tt" WO_SCOPE_TYPES. */
#define WHERE "w.created_at >= ? AND w.created_at < ? AND (? = '' OR " \
	"w.department_id = ?) AND " WO_SCOPE
#define WHERE_TYPES "iitt" WO_SCOPE_TYPES
#define WHERE_ARGS(r, u, scope) (r)->from, (r)->to, (r)->dept, (r)->dept, \
	scope, (u)->id, (u)->id, (u)->dept, (u)->dept, (u)->id, scope, \
	(u)->dept, (u)->dept

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static void report_work(struct api_job *j)
{
	struct report_job *r = (struct report_job *)j;
	struct db *db = api_house(&j->req)->db;
	const struct api_user *u = &j->req.user;
	const char *scope = api_scope_name(api_scope_of(u));
	json_t *cat = json_object(), *dept = json_object(), *st = json_object();
	int64_t known = 0;
	int err = 0;

	r->o = json_object();
	if (r->dept[0]) {
		err = db_query(db, count_row, &known, "SELECT COUNT(*) FROM "
			       "departments WHERE id = ?", "t", r->dept);
		if (!err && !known) {
			r->status = 400;
			err = ENOENT;
		}
	}
	err = err ? err : db_query(db, group_row, cat, "SELECT w.category, "
		"COUNT(*) FROM work_orders w WHERE " WHERE " GROUP BY "
		"w.category", WHERE_TYPES, WHERE_ARGS(r, u, scope));
	err = err ? err : db_query(db, group_row, dept, "SELECT COALESCE(d.name, "
		"''), COUNT(*) FROM work_orders w LEFT JOIN departments d ON "
		"d.id = w.department_id WHERE " WHERE " GROUP BY d.name",
		WHERE_TYPES, WHERE_ARGS(r, u, scope));
	err = err ? err : db_query(db, group_row, st, "SELECT w.state, COUNT(*) "
		"FROM work_orders w WHERE " WHERE " GROUP BY w.state",
		WHERE_TYPES, WHERE_ARGS(r, u, scope));
	err = err ? err : db_query(db, totals_row, r->o, "SELECT COUNT(*), "
		"SUM(CASE WHEN (w.sla_flags & 10) <> 0 THEN 1 ELSE 0 END), "
		"AVG(w.first_response_at - w.created_at), "
		"AVG(w.done_at - w.created_at), "
		"SUM(CASE WHEN EXISTS (SELECT 1 FROM work_order_history h WHERE "
		"h.order_id = w.id AND h.to_state = 'reopened') THEN 1 ELSE 0 END) "
		"FROM work_orders w WHERE " WHERE, WHERE_TYPES,
		WHERE_ARGS(r, u, scope));
	json_object_set_new(r->o, "by_category", cat);
	json_object_set_new(r->o, "by_department", dept);
	json_object_set_new(r->o, "by_state", st);
	j->err = err;
}

static void report_done(struct api_job *j)
{
	struct report_job *r = (struct report_job *)j;

	if (j->err && r->status == 400)
		api_reply_error(j->req.conn, 400, "department: no such "
				"department");
	else if (j->err)
		api_reply_error(j->req.conn, 500, "cannot read work orders");
	else if (r->format != WO_REPORT_JSON)
		wo_report_file(j->req.conn, r->format, r->o);
	else
		api_reply_json(j->req.conn, 200, NULL, json_incref(r->o));
}

static void report_clean(struct api_job *j)
{
	json_decref(((struct report_job *)j)->o);
}

/* The format asked for (?format=json|csv|xlsx, json when absent). */
static int format_of(struct api_req *req, enum wo_report_format *f)
{
	static const char *const names[] = {
		[WO_REPORT_JSON] = "json", [WO_REPORT_CSV] = "csv",
		[WO_REPORT_XLSX] = "xlsx",
	};
	char v[8];
	int err = api_query_get(req->query, "format", v, sizeof(v));

	*f = WO_REPORT_JSON;
	if (err == ENOENT)
		return 0;
	for (size_t i = 0; !err && i < ARRAY_LEN(names); i++)
		if (!strcmp(v, names[i])) {
			*f = (enum wo_report_format)i;
			return 0;
		}
	api_reply_error(req->conn, 400, "format: want json, csv or xlsx");
	return EINVAL;
}

void wo_h_report(struct api_req *req)
{
	struct report_job *r;
	enum wo_report_format f;
	char dept[UTIL_ID_LEN] = "";
	int64_t from, to;
	int err;

	if (api_query_time(req, "from", INT64_MIN, &from) ||
	    api_query_time(req, "to", INT64_MAX, &to) || format_of(req, &f))
		return;
	err = api_query_get(req->query, "department", dept, sizeof(dept));
	if (err && err != ENOENT) {
		api_reply_error(req->conn, 400, "department: not a department "
				"id");
		return;
	}
	r = api_job_alloc(req, sizeof(*r), report_work, report_done,
			  report_clean);
	if (r) {
		r->from = from;
		r->to = to;
		r->format = f;
		util_strlcpy(r->dept, dept, sizeof(r->dept));
	}
	api_job_queue(r);
}
