/* report/http: the report module's own routes and its row in `hotline
 * serve` (routes, and its settings' values in the house): agent turnover
 * (话务员流动率) per month, quarter or year, and first-contact
 * resolution's calls (http_fcr.c). The staff records are read and the
 * rows made on an api worker, as every report is; the loop only parses
 * the query and sends the reply.
 * (GET /api/v1/reports/kpi is the queue host's, queue/http.c: it sums the
 * host's buckets in memory with the stored ones.) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "report/report.h"
#include "report/report_int.h"

enum { MAX_ROWS = 1200 };    /* a century of months */

/* ?by=: the months one row spans. */
static const struct {
	const char *name;
	int months;
} periods[] = {
	{"month", 1}, {"quarter", 3}, {"year", 12},
};

struct turnover_job {
	struct api_job j;
	int32_t d0, d1;           /* [d0, d1): whole periods */
	int by;                   /* index in periods[] */
	char dept[API_PARAM_LEN]; /* "" every department */
	json_t *out;
};

/* The first day of the period of `months` that holds day. */
static int32_t period_start(int32_t day, int months)
{
	int y, m, d;

	report_civil(day, &y, &m, &d);
	return report_days(y, (m - 1) / months * months + 1, 1);
}

static int32_t add_months(int32_t day, int months)
{
	int y, m, d, n;

	report_civil(day, &y, &m, &d);
	n = y * 12 + (m - 1) + months;
	return report_days(n / 12, n % 12 + 1, d);
}

static int months_between(int32_t a, int32_t b)
{
	int ya, ma, yb, mb, d;

	report_civil(a, &ya, &ma, &d);
	report_civil(b, &yb, &mb, &d);
	return (yb * 12 + mb) - (ya * 12 + ma);
}

/* One row: the period's figures and the rate, null with no one on staff. */
static json_t *row_json(const struct report_staff *v, size_t n, int32_t d0,
			int32_t d1)
{
	struct report_turnover t;
	struct report_side s = {.staff = true};
	char a[11], b[11];
	double rate;

	if (report_turnover(v, n, d0, d1, &t))
		return NULL;
	s.staff_start = t.start;
	s.staff_end = t.end;
	s.leavers = t.leavers;
	report_date_print(d0, a);
	report_date_print(d1, b);
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:o}", "from", a, "to", b,
			 "staff_start", (json_int_t)t.start, "staff_end",
			 (json_int_t)t.end, "leavers", (json_int_t)t.leavers,
			 "turnover", report_kpi_side(report_kpi_find("turnover"),
						     &s, &rate) ? json_null() :
			 json_real(rate));
}

static void turnover_work(struct api_job *j)
{
	struct turnover_job *t = (struct turnover_job *)j;
	struct report_staff *v = NULL;
	json_t *rows = json_array(), *total;
	char a[11], b[11];
	size_t n = 0;

	j->err = report_staff_list(api_house(&j->req)->db,
				   t->dept[0] ? t->dept : NULL, &v, &n);
	for (int32_t d = t->d0; !j->err && rows && d < t->d1;) {
		int32_t next = add_months(d, periods[t->by].months);

		json_array_append_new(rows, row_json(v, n, d, next));
		d = next;
	}
	total = j->err ? NULL : row_json(v, n, t->d0, t->d1);
	report_date_print(t->d0, a);
	report_date_print(t->d1, b);
	if (!j->err)
		t->out = json_pack("{s:s, s:s?, s:s, s:s, s:O, s:o}", "by",
				   periods[t->by].name, "department",
				   t->dept[0] ? t->dept : NULL, "from", a, "to",
				   b, "rows", rows, "total", total);
	if (!j->err && !t->out)
		j->err = ENOMEM;
	json_decref(rows);
	free(v);
}

static void turnover_done(struct api_job *j)
{
	struct turnover_job *t = (struct turnover_job *)j;

	if (j->err)
		api_reply_error(j->req.conn, 500, "reading the staff records "
				"failed");
	else
		api_reply_json(j->req.conn, 200, NULL, json_incref(t->out));
}

static void turnover_clean(struct api_job *j)
{
	json_decref(((struct turnover_job *)j)->out);
}

/* A date of the query: 0, *day set (dflt when absent); else 400 sent. */
static int query_day(struct api_req *req, const char *key, int32_t dflt,
		     int32_t *day)
{
	char s[16];
	int e = api_query_get(req->query, key, s, sizeof(s));

	if (e == ENOENT) {
		*day = dflt;
		return 0;
	}
	if (e || report_date_parse(s, day)) {
		api_reply_error(req->conn, 400, "%s: want a date YYYY-MM-DD", key);
		return EINVAL;
	}
	return 0;
}

static void h_turnover(struct api_req *req)
{
	int32_t today = (int32_t)(util_now_ms() / 86400000), from, to;
	struct turnover_job *t;
	char by[16] = "month", dept[API_PARAM_LEN] = "";
	size_t i = 0;
	int y, m, d, e;

	report_civil(today, &y, &m, &d);
	e = api_query_get(req->query, "by", by, sizeof(by));
	while (i < ARRAY_LEN(periods) && strcmp(periods[i].name, by))
		i++;
	if ((e && e != ENOENT) || i == ARRAY_LEN(periods)) {
		api_reply_error(req->conn, 400, "by: want month, quarter or year");
		return;
	}
	/* This year so far, to the end of the current period. */
	if (query_day(req, "from", report_days(y, 1, 1), &from) ||
	    query_day(req, "to", add_months(period_start(today,
			periods[i].months), periods[i].months), &to))
		return;
	from = period_start(from, periods[i].months);
	if (to <= from) {
		api_reply_error(req->conn, 400, "to: want a day after from");
		return;
	}
	e = api_query_get(req->query, "department", dept, sizeof(dept));
	if (e && e != ENOENT) {
		api_reply_error(req->conn, 400, "department: want a "
				"department's id");
		return;
	}
	if (e)
		dept[0] = '\0';
	/* Whole periods: to moves up to the end of the one it falls in. */
	to = add_months(period_start(to - 1, periods[i].months),
			periods[i].months);
	if (months_between(from, to) / periods[i].months > MAX_ROWS) {
		api_reply_error(req->conn, 400, "from, to: at most %d rows",
				MAX_ROWS);
		return;
	}
	t = api_job_alloc(req, sizeof(*t), turnover_work, turnover_done,
			  turnover_clean);
	if (!t)
		return;
	t->d0 = from;
	t->d1 = to;
	t->by = (int)i;
	util_strlcpy(t->dept, dept, sizeof(t->dept));
	api_job_queue(t);
}

static const struct api_route rows[] = {
	{"GET", "/api/v1/reports/fcr", report_h_fcr,
	 API_SUPERVISORS | API_R_QA | API_R_EXECUTIVE, 0,
	 "first-call resolution (一次性解决问题的呼叫率) of a period: ?from=, ?to=, ?queue= or ?agent=, ?limit=; its counts and the calls not resolved with why (repeated, followed_up, unresolved), those the caller's scope shows"},
	{"GET", "/api/v1/reports/turnover", h_turnover,
	 API_SUPERVISORS | API_R_EXECUTIVE, 0,
	 "agent turnover (话务员流动率) per month, quarter or year: ?from=, ?to= (YYYY-MM-DD), ?by=month|quarter|year, ?department=; each period's staff at its start and end, leavers, rate"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

/* The settings, read once into the house: queue/'s and spc/'s KPI
 * requests read them too, so they are the house's, not a service's. */
static int settings_open(struct mod_house *h, char *err, size_t n)
{
	return mod_settings_load(h, &report_settings, (void **)&h->report, err,
				 n);
}

static void settings_stop(struct mod_house *h)
{
	free(h->report);
	h->report = NULL;
}

/* No start: every request reads what it needs on api's workers. */
const struct mod_export report_module = {
	.name = "report", .open = settings_open, .stop = settings_stop,
	.routes = &routes, .settings = &report_settings,
};
