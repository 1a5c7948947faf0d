/* rpt/http: the report list's routes and rpt's row in `hotline serve`.
 * GET /api/v1/reports/list is the catalogue the console builds its page
 * from; GET /api/v1/reports/{id} runs one report on api's workers, as
 * JSON, CSV or XLSX. The row comes last in app/modules.c, so the reports
 * other modules serve under /api/v1/reports/ (kpi, spc, satisfaction,
 * ivr, work-orders) keep their paths: {id} matches only what is left. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "rpt/rpt.h"
#include "rpt/rpt_int.h"

static const char *const filter_keys[5] = {
	"queue", "agent", "trunk", "department", "region",
};

/* ---- the list */

static json_t *def_json(const struct rpt_def *d)
{
	json_t *groups = json_array(), *filters = json_array();
	struct rpt_req r = {.def = d};

	for (size_t i = 0; i < d->ngroups; i++) {
		const struct rpt_group *g = rpt_group_find(d->groups[i]);

		json_array_append_new(groups, json_pack("{s:s, s:s, s:s}",
			"name", g->name, "zh", g->zh, "en", g->en));
	}
	for (size_t i = 0; i < ARRAY_LEN(filter_keys); i++)
		if (d->filters & (1u << i))
			json_array_append_new(filters,
					      json_string(filter_keys[i]));
	r.group = d->ngroups ? rpt_group_find(d->groups[0]) : NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}",
		"id", d->id, "zh", d->zh, "en", d->en, "manual", d->manual,
		"section", d->section, "doc", d->doc, "kind",
		d->kind == RPT_DETAIL ? "detail" : "summary", "groups", groups,
		"filters", filters, "columns", rpt_columns(&r));
}

static void h_list(struct api_req *req)
{
	json_t *items = json_array();
	size_t n;
	const struct rpt_def *d = rpt_defs(&n);

	for (size_t i = 0; i < n; i++)
		if (d[i].roles & req->user.role_bit)
			json_array_append_new(items, def_json(&d[i]));
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o, s:i, s:i}",
		"reports", items, "page_max", RPT_PAGE_MAX, "export_max",
		RPT_EXPORT_MAX));
}

/* ---- one report */

struct run {
	struct api_job j;
	struct rpt_req r;
	json_t *columns, *rows, *total;
	char next[API_CURSOR_LEN];
	char *bytes;
	size_t len;
	bool too_many;
};

static void run_clean(struct api_job *j)
{
	struct run *x = (struct run *)j;

	json_decref(x->columns);
	json_decref(x->rows);
	json_decref(x->total);
	free(x->bytes);
}

/* A summary's rows, then its total, into a file. */
static int summary_file(struct run *x, struct rpt_sink *sink)
{
	const json_t *row;
	size_t i;

	json_array_foreach(x->rows, i, row)
		rpt_sink_row(sink, row);
	return rpt_sink_row(sink, x->total);
}

static void run_work(struct api_job *j)
{
	struct run *x = (struct run *)j;
	struct db *db = api_house(&j->req)->db;
	struct rpt_sink *sink = NULL;
	bool file = x->r.format != RPT_JSON;

	x->columns = rpt_columns(&x->r);
	if (file) {
		j->err = rpt_sink_open(&sink, x->r.format == RPT_XLSX,
				       x->columns, x->r.def->zh);
		if (j->err)
			return;
	}
	if (x->r.def->kind == RPT_SUMMARY) {
		j->err = rpt_run_summary(db, &x->r, &j->req.user, &x->rows,
					 &x->total);
		if (!j->err && sink)
			j->err = summary_file(x, sink);
	} else {
		j->err = rpt_run_detail(db, &x->r, &j->req.user,
					file ? RPT_EXPORT_MAX : x->r.limit,
					sink, &x->rows, x->next);
		x->too_many = file && x->next[0];
	}
	if (!sink)
		return;
	if (j->err || x->too_many)
		rpt_sink_abort(sink);
	else
		j->err = rpt_sink_close(sink, &x->bytes, &x->len);
}

static void run_done(struct api_job *j)
{
	struct run *x = (struct run *)j;
	const struct rpt_req *r = &x->r;
	char f[UTIL_TIME_LEN], t[UTIL_TIME_LEN], hdrs[512];
	bool csv = r->format == RPT_CSV;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read the report");
		return;
	}
	if (x->too_many) {
		api_reply_error(j->req.conn, 400, "from, to: the period holds "
				"more than %d rows, the most one download "
				"carries; narrow it or add a filter",
				RPT_EXPORT_MAX);
		return;
	}
	util_rfc3339(f, r->from);
	util_rfc3339(t, r->to);
	if (r->format != RPT_JSON) {
		snprintf(hdrs, sizeof(hdrs), "Content-Type: %s\r\n"
			 "Content-Disposition: attachment; "
			 "filename=\"%s-%.10s.%s\"\r\nCache-Control: no-store\r\n",
			 csv ? "text/csv; charset=utf-8" :
			 "application/vnd.openxmlformats-officedocument."
			 "spreadsheetml.sheet", r->def->id, f,
			 csv ? "csv" : "xlsx");
		api_reply_bytes(j->req.conn, 200, hdrs, x->bytes, x->len);
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:o*, s:O, s:O, s:O*, s:o}",
		"report", r->def->id, "zh", r->def->zh, "en", r->def->en,
		"kind", r->def->kind == RPT_DETAIL ? "detail" : "summary",
		"from", f, "to", t,
		"group", r->group ? json_string(r->group->name) : NULL,
		"columns", x->columns, "rows", x->rows, "total", x->total,
		"next_cursor", r->def->kind == RPT_DETAIL && x->next[0]
			? json_string(x->next) : json_null()));
}

/* The query's value of key into out; "" when absent. EINVAL (400 sent)
 * when it is too long or badly escaped. */
static int arg(struct api_req *req, const char *key, char *out, size_t n)
{
	int e = api_query_get(req->query, key, out, n);

	if (e == ENOENT) {
		out[0] = '\0';
		return 0;
	}
	if (e)
		api_reply_error(req->conn, 400, "%s: too long or badly escaped",
				key);
	return e;
}

static void h_report(struct api_req *req)
{
	const struct rpt_def *def = rpt_def_find(api_param(&req->params, "id"));
	char words[8][RPT_ARG_LEN], why[300];
	struct rpt_args a = {0};
	struct rpt_req r = {.limit = RPT_PAGE_DEFAULT, .c_ts = INT64_MIN};
	int64_t now = util_now_ms();
	struct run *x;

	if (!def) {
		api_reply_error(req->conn, 400, "report: no report '%s' (GET "
				"/api/v1/reports/list lists them)",
				api_param(&req->params, "id"));
		return;
	}
	if (!(def->roles & req->user.role_bit)) {
		api_reply_error(req->conn, 403, "%s is not for the role %s",
				def->id, req->user.role);
		return;
	}
	if (arg(req, "group", words[0], sizeof(words[0])) ||
	    arg(req, "format", words[1], sizeof(words[1])) ||
	    arg(req, "tz", words[2], sizeof(words[2])))
		return;
	for (size_t i = 0; i < ARRAY_LEN(filter_keys); i++) {
		if (arg(req, filter_keys[i], words[3 + i], sizeof(words[0])))
			return;
		a.filter[i] = words[3 + i];
	}
	a.group = words[0];
	a.format = words[1];
	a.tz = words[2];
	if (api_query_time(req, "to", now, &r.to) ||
	    api_query_time(req, "from", r.to - 7LL * 86400000, &r.from))
		return;
	if (def->kind == RPT_DETAIL &&
	    api_query_page(req, RPT_PAGE_MAX, &r.limit, &r.c_ts, r.c_id))
		return;
	if (rpt_check(def, &a, &r, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	x = api_job_alloc(req, sizeof(*x), run_work, run_done, run_clean);
	if (!x)
		return;
	x->r = r;
	api_job_queue(x);
}

/* See api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET", "/api/v1/reports/list", h_list, RPT_READERS, 0,
	 "the report list (the manual's 业务报表 and 话务报表, traffic analysis): each report's id, names, section, kind (summary|detail), groupings, filters and columns"},
	{"GET", "/api/v1/reports/{id}", h_report, RPT_READERS, 0,
	 "one report of the list: ?from=, ?to= (default the last 7 days), ?group=, ?queue=, ?agent=, ?trunk=, ?department=, ?region= (province or city), ?tz=+08:00, ?format=json|csv|xlsx; a detail pages with ?limit= and ?cursor=; 400 names the parameter"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

/* No start: each report is read on api's workers from the request alone. */
const struct mod_export rpt_module = {
	.name = "rpt", .routes = &routes,
};
