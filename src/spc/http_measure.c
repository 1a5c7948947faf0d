/* spc/http_measure: GET /api/v1/reports/histogram — the histogram of a
 * measure Hotline stores, one value per call, evaluation or work order of
 * the period, read on an api worker and then binned and classified as
 * POST /api/v1/reports/histogram does (the same work, spc_hist_work, on a
 * request made of the rows). ?by= labels each value with its queue, agent
 * or hour of day, the strata of the deck's advice for a bimodal one. Only
 * the rows the user may see are read (their data scope, as the lists).
 *
 * What each measure is, from the tables as their modules write them: */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "base/mod.h"
#include "db/db.h"
#include "spc/spc_int.h"

/* The values a histogram of a stored measure may take: a month of a busy
 * center's calls. More is refused (narrow the period or filter) rather
 * than sampled, so the picture is always of every value. */
enum { MEASURE_MAX = 200000 };

/* name, unit, value, time, queue, agent, table and the rows it takes
 * (SQL), then the two extension columns the user's data scope reads
 * (API_SCOPE_SQL: who handled it, who passed it on). Times are Unix ms. */
static const struct measure {
	const char *name, *unit, *value, *at, *queue, *agent, *from;
	const char *scope_agent, *scope_by;
} measures[] = {
	/* 平均通话时间 per call: talk (hold within it) plus the wrap-up
	 * until the agent filed it */
	{"aht", "s", "talk_s + CASE WHEN wrapup_at >= ended_at THEN "
	 "(wrapup_at - ended_at) / 1000.0 ELSE 0 END", "started_at", "queue",
	 "agent", "calls WHERE answered_at IS NOT NULL AND agent IS NOT NULL "
	 "AND ended_at IS NOT NULL", "agent", "transfer_by"},
	/* from arrival to answer (IVR and queue) of queue calls answered */
	{"wait", "s", "(answered_at - started_at) / 1000.0", "started_at",
	 "queue", "agent", "calls WHERE answered_at IS NOT NULL AND queue IS "
	 "NOT NULL AND queue <> ''", "agent", "transfer_by"},
	{"talk", "s", "talk_s", "started_at", "queue", "agent",
	 "calls WHERE answered_at IS NOT NULL AND agent IS NOT NULL AND "
	 "talk_s IS NOT NULL", "agent", "transfer_by"},
	/* 监听分值: the score that stands after any appeal */
	{"qa_score", "points", "final_score", "created_at", "queue", "agent",
	 "qa_evaluations WHERE 1 = 1", "agent", "agent"},
	/* a work order from written to done (or closed), in hours; its
	 * "queue" is the handling department, its "agent" the handler */
	{"wo_handle", "h", "(COALESCE(w.done_at, w.closed_at) - w.created_at) "
	 "/ 3600000.0", "w.created_at", "d.name", "u.username",
	 "work_orders w LEFT JOIN departments d ON d.id = w.department_id "
	 "LEFT JOIN users u ON u.id = w.assignee WHERE COALESCE(w.done_at, "
	 "w.closed_at) IS NOT NULL", "u.extension", "u.extension"},
};

static const char *const bys[] = {"queue", "agent", "hour"};

struct rows {
	json_t *values, *groups;   /* groups NULL without ?by= */
	int by;                    /* index into bys, -1: none */
	int64_t tz_ms;
	size_t n;
};

static int row_h(const struct db_row *row, void *arg)
{
	struct rows *r = arg;
	char label[16];
	const char *g;

	if (db_row_isnull(row, 0))
		return 0;
	if (++r->n > MEASURE_MAX)
		return E2BIG;
	json_array_append_new(r->values, json_real(db_row_double(row, 0)));
	if (r->by < 0)
		return 0;
	if (r->by == 2) {
		int64_t t = db_row_int(row, 1) + r->tz_ms;

		snprintf(label, sizeof(label), "%02d",
			 (int)(((t / 3600000) % 24 + 24) % 24));
		g = label;
	} else {
		g = db_row_text(row, r->by == 0 ? 2 : 3);
	}
	json_array_append_new(r->groups, json_string(g && *g ? g : "—"));
	return 0;
}

static void measure_work(struct spc_job *s)
{
	const char *name = json_string_value(json_object_get(s->in,
							     "measure"));
	const char *q = json_string_value(json_object_get(s->in, "queue"));
	const char *a = json_string_value(json_object_get(s->in, "agent"));
	const char *by = json_string_value(json_object_get(s->in, "by"));
	const struct measure *m = NULL;
	struct rows r = {.by = -1};
	const char *sc[API_SCOPE_NARGS];
	char sql[1536];
	int err;

	for (size_t i = 0; i < ARRAY_LEN(measures); i++)
		if (!strcmp(name, measures[i].name))
			m = &measures[i];
	for (size_t i = 0; by && i < ARRAY_LEN(bys); i++)
		if (!strcmp(by, bys[i]))
			r.by = (int)i;
	r.tz_ms = json_integer_value(json_object_get(s->in, "tz")) * 60000;
	r.values = json_array();
	r.groups = r.by >= 0 ? json_array() : NULL;
	/* The empty strings stand for "any": one statement for every
	 * combination of filters. */
	snprintf(sql, sizeof(sql), "SELECT %s, %s, %s, %s FROM %s AND %s >= ? "
		 "AND %s < ? AND (? = '' OR %s = ?) AND (? = '' OR %s = ?) "
		 "AND " API_SCOPE_SQL("%s", "%s"), m->value, m->at, m->queue,
		 m->agent, m->from, m->at, m->at, m->queue, m->agent,
		 m->scope_agent, m->scope_by, m->scope_agent);
	api_scope_args(&s->j.req.user, sc);
	err = !r.values || (r.by >= 0 && !r.groups) ? ENOMEM :
		db_query(api_house(&s->j.req)->db, row_h, &r, sql,
			 "iitttt" API_SCOPE_TYPES,
			 json_integer_value(json_object_get(s->in, "from")),
			 json_integer_value(json_object_get(s->in, "to")),
			 q ? q : "", q ? q : "", a ? a : "", a ? a : "",
			 sc[0], sc[1], sc[2], sc[3], sc[4]);
	if (err == E2BIG) {
		spc_fail_code(s, "too_many_values", json_pack("{s:i}", "max",
			      MEASURE_MAX), "from, to: more than %d values in "
			      "the period; narrow it or filter by queue or "
			      "agent", MEASURE_MAX);
	} else if (err) {
		spc_fail(s, "cannot read the %s values", name);
		s->why[0] = '\0';   /* a 500: not the request's fault */
	} else if (r.n < SPC_HIST_MIN_POINTS) {
		spc_fail_code(s, "too_few_values", json_pack("{s:I, s:i}",
			      "count", (json_int_t)r.n, "min",
			      SPC_HIST_MIN_POINTS), "%s: %zu values in the "
			      "period; a histogram needs at least %d", name,
			      r.n, SPC_HIST_MIN_POINTS);
	} else {
		json_object_set(s->in, "values", r.values);
		if (r.groups)
			json_object_set(s->in, "groups", r.groups);
		spc_hist_work(s);
	}
	if (s->out) {
		json_t *more = json_pack("{s:s, s:s, s:I}", "measure", name,
					 "unit", m->unit, "count",
					 (json_int_t)r.n);
		int f = spc_format_parse(json_string_value(
			json_object_get(s->in, "format")));

		json_object_update(s->out, more);
		json_decref(more);
		/* ?format=csv|xlsx: the bins as a file (export_tables.c). */
		if (f > 0) {
			s->table = &spc_table_hist;
			s->xlsx = f == 2;
			snprintf(s->name, sizeof(s->name), "histogram-%s",
				 name);
		}
	}
	json_decref(r.values);
	json_decref(r.groups);
}

/* Copies the query's key into in as a string when given. */
static int put_text(struct api_req *req, json_t *in, const char *key)
{
	char v[128];
	int e = api_query_get(req->query, key, v, sizeof(v));

	if (e == ENOENT)
		return 0;
	if (e) {
		spc_bad_param(req->conn, key, "bad '%s'", key);
		return e;
	}
	json_object_set_new(in, key, json_string(v));
	return 0;
}

/* The query's key as a number into in, when given; whole when whole. */
static int put_number(struct api_req *req, json_t *in, const char *key,
		      bool whole)
{
	char v[64], *end;
	double d;
	int e = api_query_get(req->query, key, v, sizeof(v));

	if (e == ENOENT)
		return 0;
	d = e ? 0 : strtod(v, &end);
	/* 1e15: a whole number a double and json_int_t both hold exactly */
	if (e || end == v || *end || !isfinite(d) ||
	    (whole && (fabs(d) > 1e15 || d != floor(d)))) {
		spc_bad_param(req->conn, key, "%s: want a%s number", key,
			      whole ? " whole" : "");
		return EINVAL;
	}
	json_object_set_new(in, key, whole ? json_integer((json_int_t)d)
					   : json_real(d));
	return 0;
}

void spc_h_measure(struct api_req *req)
{
	int64_t now = util_now_ms(), from, to;
	json_t *in = json_object();
	const char *name, *by;
	size_t i;

	if (!in)
		return (void)api_reply_error(req->conn, 500, "out of memory");
	if (put_text(req, in, "measure") || put_text(req, in, "queue") ||
	    put_text(req, in, "agent") || put_text(req, in, "by") ||
	    put_number(req, in, "bins", true) ||
	    put_number(req, in, "lsl", false) ||
	    put_number(req, in, "usl", false) ||
	    put_number(req, in, "tz", true) || put_text(req, in, "format") ||
	    api_query_time(req, "to", now, &to) ||
	    api_query_time(req, "from", to - 30LL * 86400000, &from))
		goto out;
	name = json_string_value(json_object_get(in, "measure"));
	for (i = 0; name && i < ARRAY_LEN(measures); i++)
		if (!strcmp(name, measures[i].name))
			break;
	if (!name || i == ARRAY_LEN(measures)) {
		spc_bad_param(req->conn, "measure", "measure: want aht, wait, "
			      "talk, qa_score or wo_handle");
		goto out;
	}
	if (spc_format_parse(json_string_value(json_object_get(in, "format")))
	    < 0) {
		spc_bad_param(req->conn, "format", "format: want json, csv or "
			      "xlsx");
		goto out;
	}
	by = json_string_value(json_object_get(in, "by"));
	for (i = 0; by && i < ARRAY_LEN(bys); i++)
		if (!strcmp(by, bys[i]))
			break;
	if (by && i == ARRAY_LEN(bys)) {
		spc_bad_param(req->conn, "by", "by: want queue, agent or hour");
		goto out;
	}
	if (to <= from || to - from > 366LL * 86400000) {
		spc_refuse(req->conn, 400, "bad_period", NULL, "from, to: want "
			   "from before to, at most a year apart");
		goto out;
	}
	if (labs((long)json_integer_value(json_object_get(in, "tz"))) > 14 * 60) {
		spc_bad_param(req->conn, "tz", "tz: want minutes east of UTC, "
			      "-840..840");
		goto out;
	}
	json_object_set_new(in, "from", json_integer(from));
	json_object_set_new(in, "to", json_integer(to));
	spc_job_start(req, in, measure_work, MEASURE_MAX);
	return;
out:
	json_decref(in);
}
