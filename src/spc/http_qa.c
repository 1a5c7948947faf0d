/* spc/http_qa: GET /api/v1/reports/spc/qa — an X̄-R (or X̄-S) chart of QA
 * scores (监听分值, the final score after any appeal). QA evaluations come
 * in subgroups by nature: the evaluations of a day or a week are a
 * sample of that period's calls. Each subgroup plots the mean of its
 * first n evaluations (in time order); a subgroup with fewer than n is
 * left out of the chart and listed as skipped, because the deck's X̄-R
 * takes subgroups of one size (the constants A2, D3, D4 follow n). n is
 * asked for (2..10) or, by default, the median subgroup size (kept to
 * 2..10), so a steady sampling plan charts every period.
 *
 * Only the evaluations of the user's data scope are read (as the QA
 * lists), filtered by team (a department and those below it), agent and
 * scorecard; an agent outside the scope is 403. On an api worker.
 * Quality inspectors read it as supervisors do (the route's roles);
 * ?format=csv|xlsx answers it as a file (export_tables.c's QA table). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "base/util.h"
#include "db/db.h"
#include "spc/spc_int.h"

enum { QA_ROWS_MAX = 200000 };   /* evaluations a chart may read */

#define DAY_MS 86400000LL
/* 1970-01-01 was a Thursday: weeks start on Monday, 3 days earlier. */
#define WEEK_SHIFT_MS (3 * DAY_MS)

struct fold {
	int64_t period, shift, tz_ms;
	int64_t key;            /* the subgroup being read */
	json_t *groups;         /* [[start_ms, [scores…]]…] in time order */
	json_t *cur;            /* the current subgroup's scores */
	size_t n;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static int row_h(const struct db_row *row, void *arg)
{
	struct fold *f = arg;
	int64_t key = floor_div(db_row_int(row, 1) + f->tz_ms + f->shift,
				f->period);

	if (++f->n > QA_ROWS_MAX)
		return E2BIG;
	if (!f->cur || key != f->key) {
		f->key = key;
		f->cur = json_array();
		if (!f->cur || json_array_append_new(f->groups, json_pack(
			"[I, o]", (json_int_t)(key * f->period - f->shift -
					      f->tz_ms), f->cur)))
			return ENOMEM;
	}
	return json_array_append_new(f->cur, json_real(db_row_double(row, 0)));
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The median subgroup size, kept to SPC_XBAR_N_MIN..MAX. */
static size_t default_n(const json_t *groups)
{
	size_t k = json_array_size(groups), *v = calloc(k ? k : 1,
							 sizeof(size_t)), m;

	if (!v)
		return SPC_XBAR_N_MIN;
	for (size_t i = 0; i < k; i++)
		v[i] = json_array_size(json_array_get(json_array_get(groups, i),
						      1));
	qsort(v, k, sizeof(*v), cmp_size);
	m = k ? v[k / 2] : SPC_XBAR_N_MIN;
	free(v);
	return m < SPC_XBAR_N_MIN ? SPC_XBAR_N_MIN :
	       m > SPC_XBAR_N_MAX ? SPC_XBAR_N_MAX : m;
}

static int read_rows(struct spc_job *s, struct fold *f)
{
	const json_t *in = s->in;
	const char *agent = json_string_value(json_object_get(in, "agent"));
	const char *team = json_string_value(json_object_get(in, "team"));
	const char *card = json_string_value(json_object_get(in, "scorecard"));
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(&s->j.req.user, sc);
	agent = agent ? agent : "";
	team = team ? team : "";
	card = card ? card : "";
	/* The empty strings stand for "any": one statement for all. */
	return db_query(api_house(&s->j.req)->db, row_h, f,
		"SELECT final_score, created_at FROM qa_evaluations WHERE "
		"created_at >= ? AND created_at < ? AND (? = '' OR agent = ?) "
		"AND (? = '' OR scorecard_id = ?) AND (? = '' OR agent IN "
		API_DEPT_EXTENSIONS ") AND " API_SCOPE_SQL("agent", "agent")
		" ORDER BY created_at, id",
		"iitttttt" API_SCOPE_TYPES,
		json_integer_value(json_object_get(in, "from")),
		json_integer_value(json_object_get(in, "to")), agent, agent,
		card, card, team, team, sc[0], sc[1], sc[2], sc[3], sc[4]);
}

/* The subgroups of at least n into x (n each) and starts; the others into
 * skipped. The baseline [bf, bt) of times becomes point indexes. */
static int pick(struct spc_job *s, const json_t *groups, size_t n,
		double *x, struct spc_input *in, json_t *starts,
		json_t *sizes, json_t *skipped)
{
	int64_t bf = json_integer_value(json_object_get(s->in, "base_from"));
	int64_t bt = json_integer_value(json_object_get(s->in, "base_to"));
	size_t i, np = 0, b0 = 0, b1 = 0;
	const json_t *g;

	json_array_foreach(groups, i, g) {
		int64_t at = json_integer_value(json_array_get(g, 0));
		const json_t *v = json_array_get(g, 1);

		if (json_array_size(v) < n) {
			json_array_append_new(skipped, json_pack("{s:I, s:I}",
				"start_ms", (json_int_t)at, "evaluations",
				(json_int_t)json_array_size(v)));
			continue;
		}
		if (np >= SPC_API_MAX / n)
			return spc_fail_code(s, "too_many_subgroups", json_pack(
				"{s:I}", "max", (json_int_t)(SPC_API_MAX / n)),
				"from, to: more than %zu subgroups; narrow the "
				"period", SPC_API_MAX / n);
		for (size_t j = 0; j < n; j++)
			x[np * n + j] = json_real_value(json_array_get(v, j));
		json_array_append_new(starts, json_integer(at));
		json_array_append_new(sizes, json_integer(
			(json_int_t)json_array_size(v)));
		if (bt && at >= bf && at < bt) {
			b0 = b1 ? b0 : np;
			b1 = np + 1;
		}
		np++;
	}
	in->x = x;
	in->npoints = np;
	in->size = n;
	if (bt && !b1)
		return spc_fail_code(s, "empty_baseline", json_pack("{s:I}",
				     "n", (json_int_t)n), "baseline_from, "
				     "baseline_to: no subgroup of %zu "
				     "evaluations in that period", n);
	in->base_from = b0;
	in->base_to = b1;
	return 0;
}

static void qa_work(struct spc_job *s)
{
	const char *chart = json_string_value(json_object_get(s->in, "chart"));
	const char *sub = json_string_value(json_object_get(s->in, "subgroup"));
	struct fold f = {.groups = json_array()};
	struct spc_input in = {.kind = strcmp(chart, "xbar-s") ? SPC_XBAR_R
							       : SPC_XBAR_S};
	struct spc_chart c = {0};
	struct spc_signals sg = {0};
	enum spc_ruleset set = SPC_RULES_DECK;
	json_t *starts = json_array(), *sizes = json_array();
	json_t *skipped = json_array();
	double *x = calloc(SPC_API_MAX, sizeof(double));
	size_t n = (size_t)json_integer_value(json_object_get(s->in, "n"));
	const char *agent;
	json_t *more;
	int err, format;

	spc_ruleset_parse(json_string_value(json_object_get(s->in, "rules")),
			  &set);
	f.period = strcmp(sub, "day") ? 7 * DAY_MS : DAY_MS;
	f.shift = strcmp(sub, "day") ? WEEK_SHIFT_MS : 0;
	f.tz_ms = json_integer_value(json_object_get(s->in, "tz")) * 60000;
	if (!x || !f.groups || !starts || !sizes || !skipped) {
		spc_fail(s, "out of memory");
		s->why[0] = '\0';
		goto out;
	}
	/* An agent outside the scope is refused, not shown as no data. */
	agent = json_string_value(json_object_get(s->in, "agent"));
	err = agent && *agent ? spc_scope_check(api_house(&s->j.req)->db,
				      &s->j.req.user, NULL, agent, s->why,
				      sizeof(s->why)) : 0;
	if (err == EACCES) {
		s->status = 403;
		s->code = spc_scope_code(&s->j.req.user, NULL, agent, &s->more);
		goto out;
	}
	err = err ? err : read_rows(s, &f);
	if (err == E2BIG) {
		spc_fail_code(s, "too_many_values", json_pack("{s:i}", "max",
			      QA_ROWS_MAX), "from, to: more than %d "
			      "evaluations in the period; narrow it or filter",
			      QA_ROWS_MAX);
		goto out;
	} else if (err) {
		s->why[0] = '\0';   /* a 500: not the request's fault */
		goto out;
	}
	n = n ? n : default_n(f.groups);
	if (pick(s, f.groups, n, x, &in, starts, sizes, skipped))
		goto out;
	err = in.npoints ? spc_chart_make(&in, &c) : EDOM;
	more = err == EDOM || err == ERANGE ? json_pack("{s:I, s:I}", "points",
		(json_int_t)in.npoints, "baseline", (json_int_t)(in.base_to ?
		in.base_to - in.base_from : in.npoints)) : NULL;
	if (err == EDOM) {
		spc_fail_code(s, "too_few_points", more, "%zu subgroups of %zu "
			      "evaluations in the period, %zu in the baseline: "
			      "too few points for limits", in.npoints, n,
			      in.base_to ? in.base_to - in.base_from
					 : in.npoints);
		goto out;
	}
	if (err == ERANGE) {
		spc_fail_code(s, "no_variation", more, "no variation in the "
			      "baseline (σ = 0): the limits would have no "
			      "width");
		goto out;
	}
	if (!err)
		err = spc_detect(&c, set, &sg);
	s->out = err ? NULL : spc_chart_json(&c, chart, spc_ruleset_name(set),
					     &sg);
	if (!s->out) {
		s->why[0] = '\0';
		goto out;
	}
	json_object_set_new(s->out, "subgroup", json_string(sub));
	json_object_set_new(s->out, "n", json_integer((json_int_t)n));
	json_object_set(s->out, "start_ms", starts);
	json_object_set(s->out, "evaluations", sizes);
	json_object_set(s->out, "skipped", skipped);
	json_object_set_new(s->out, "checks", spc_checks_json("qa_score"));
	/* ?format=csv|xlsx: the subgroups as a file (export_tables.c). */
	format = spc_format_parse(json_string_value(json_object_get(s->in,
								    "format")));
	if (format > 0) {
		s->table = in.kind == SPC_XBAR_S ? &spc_table_qa_s
						 : &spc_table_qa_r;
		s->xlsx = format == 2;
		snprintf(s->name, sizeof(s->name), "spc-qa-%s", sub);
	}
out:
	spc_signals_free(&sg);
	spc_chart_free(&c);
	json_decref(f.groups);
	json_decref(starts);
	json_decref(sizes);
	json_decref(skipped);
	free(x);
}

/* The query's key into in as text, when given; 0 or 400 answered. */
static int put_text(struct api_req *req, json_t *in, const char *key,
		    const char *dflt)
{
	char v[128];
	int e = api_query_get(req->query, key, v, sizeof(v));

	if (e && e != ENOENT) {
		spc_bad_param(req->conn, key, "bad '%s'", key);
		return e;
	}
	if (!e || dflt)
		json_object_set_new(in, key, json_string(e ? dflt : v));
	return 0;
}

/* The query's key, a whole number lo..hi, into in; dflt when absent. */
static int put_int(struct api_req *req, json_t *in, const char *key,
		   long lo, long hi, long dflt)
{
	char v[32], *end;
	long n = dflt;
	int e = api_query_get(req->query, key, v, sizeof(v));

	if (!e)
		n = strtol(v, &end, 10);
	if ((e && e != ENOENT) || (!e && (end == v || *end || n < lo ||
					  n > hi))) {
		spc_bad_param(req->conn, key, "%s: want a whole number "
			      "%ld..%ld", key, lo, hi);
		return EINVAL;
	}
	json_object_set_new(in, key, json_integer(n));
	return 0;
}

static bool one_of(const json_t *in, const char *key, const char *a,
		   const char *b)
{
	const char *v = json_string_value(json_object_get(in, key));

	return v && (!strcmp(v, a) || !strcmp(v, b));
}

void spc_h_qa_chart(struct api_req *req)
{
	int64_t now = util_now_ms(), from, to, bf, bt;
	json_t *in = json_object();
	const char *rules;
	enum spc_ruleset set;

	if (!in)
		return (void)api_reply_error(req->conn, 500, "out of memory");
	if (put_text(req, in, "subgroup", "week") ||
	    put_text(req, in, "chart", "xbar-r") ||
	    put_text(req, in, "rules", "deck") ||
	    put_text(req, in, "agent", NULL) || put_text(req, in, "team", NULL) ||
	    put_text(req, in, "scorecard", NULL) ||
	    put_text(req, in, "format", NULL) ||
	    put_int(req, in, "n", SPC_XBAR_N_MIN, SPC_XBAR_N_MAX, 0) ||
	    put_int(req, in, "tz", -14 * 60, 14 * 60, 0) ||
	    api_query_time(req, "to", now, &to) ||
	    api_query_time(req, "from", to - (one_of(in, "subgroup", "day",
				"day") ? 30 : 26 * 7) * DAY_MS, &from) ||
	    api_query_time(req, "baseline_from", from, &bf) ||
	    api_query_time(req, "baseline_to", 0, &bt))
		goto out;
	rules = json_string_value(json_object_get(in, "rules"));
	if (!one_of(in, "subgroup", "day", "week"))
		spc_bad_param(req->conn, "subgroup", "subgroup: want day or "
			      "week");
	else if (!one_of(in, "chart", "xbar-r", "xbar-s"))
		spc_bad_param(req->conn, "chart", "chart: want xbar-r or "
			      "xbar-s");
	else if (spc_ruleset_parse(rules, &set))
		spc_bad_param(req->conn, "rules", "rules: want deck, "
			      "western-electric or nelson");
	else if (spc_format_parse(json_string_value(json_object_get(in,
							"format"))) < 0)
		spc_bad_param(req->conn, "format", "format: want json, csv or "
			      "xlsx");
	else if (to <= from || to - from > 366 * DAY_MS)
		spc_refuse(req->conn, 400, "bad_period", NULL, "from, to: want "
			   "from before to, at most a year apart");
	else if (bt && bt <= bf)
		spc_refuse(req->conn, 400, "bad_baseline", NULL, "baseline_from,"
			   " baseline_to: want baseline_from before "
			   "baseline_to");
	else
		goto run;
	goto out;
run:
	if (!bt && bf != from)
		bt = to;   /* a baseline from a time to the end */
	json_object_set_new(in, "from", json_integer(from));
	json_object_set_new(in, "to", json_integer(to));
	json_object_set_new(in, "base_from", json_integer(bf));
	json_object_set_new(in, "base_to", json_integer(bt));
	spc_job_start(req, in, qa_work, SPC_API_MAX);
	return;
out:
	json_decref(in);
}
