/* spc/http: POST /api/v1/reports/spc (the chart; the histogram's work is
 * http_hist.c's), the job both POSTs run, and the module's row in
 * `hotline serve` (routes only). The handler takes the body on the loop;
 * reading it into numbers, the chart and the JSON answer are made on an
 * api worker, like every report (no report runs on the signalling loop),
 * and a bad field gets 400 naming it. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "spc/spc_int.h"

int spc_fail(struct spc_job *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	return EINVAL;
}

int spc_fail_code(struct spc_job *s, const char *code, json_t *more,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	s->code = code;
	json_decref(s->more);
	s->more = more;
	return EINVAL;
}

static void vrefuse(struct api_conn *conn, int status, const char *code,
		    json_t *more, const char *fmt, va_list ap)
{
	char why[256];
	json_t *o;

	vsnprintf(why, sizeof(why), fmt, ap);
	o = json_pack("{s:s, s:s}", "error", why, "code", code);
	if (o && more)
		json_object_update(o, more);
	json_decref(more);
	if (o)
		api_reply_json(conn, (uint16_t)status, NULL, o);
	else
		api_reply_error(conn, (uint16_t)status, "%s", why);
}

void spc_refuse(struct api_conn *conn, int status, const char *code,
		json_t *more, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrefuse(conn, status, code, more, fmt, ap);
	va_end(ap);
}

void spc_bad_param(struct api_conn *conn, const char *param,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrefuse(conn, 400, "bad_param", json_pack("{s:s}", "param", param),
		fmt, ap);
	va_end(ap);
}

/* in[field] as a number, if there: *has says whether it was. */
int spc_opt_number(struct spc_job *s, const char *field, bool *has,
		   double *v)
{
	const json_t *j = json_object_get(s->in, field);

	*has = j && !json_is_null(j);
	if (!*has)
		return 0;
	if (!json_is_number(j) || !isfinite(json_number_value(j)))
		return spc_fail(s, "%s: want a number", field);
	*v = json_number_value(j);
	return 0;
}

/* Array a of numbers into out[0..n), at most max of them (or exactly want
 * when want > 0); name says where, for the reason. */
int spc_read_numbers(struct spc_job *s, const json_t *a, const char *name,
		     size_t max, size_t want, double *out, size_t *n)
{
	size_t i;
	const json_t *v;

	if (!json_is_array(a))
		return spc_fail(s, "%s: want an array of numbers", name);
	if (want && json_array_size(a) != want)
		return spc_fail(s, "%s: want %zu numbers, got %zu", name, want,
			        json_array_size(a));
	if (json_array_size(a) > max)
		return spc_fail(s, "%s: at most %zu numbers", name, max);
	json_array_foreach(a, i, v) {
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return spc_fail(s, "%s[%zu]: not a number", name, i);
		out[i] = json_number_value(v);
	}
	*n = json_array_size(a);
	return 0;
}

static const struct {
	const char *name;
	enum spc_chart_kind kind;
} kinds[] = {
	{"xmr", SPC_XMR}, {"p", SPC_P}, {"xbar-r", SPC_XBAR_R},
	{"xbar-s", SPC_XBAR_S},
};

/* X̄-R's and X̄-S's values: subgroups, each an array of the same 2..10 numbers. */
static int read_subgroups(struct spc_job *s, const json_t *a, double *x,
			  size_t *groups, size_t *size)
{
	size_t i, m = 0, got;
	const json_t *g;
	char name[32];

	json_array_foreach(a, i, g) {
		if (!json_is_array(g))
			return spc_fail(s, "values[%zu]: want a subgroup (an array "
				        "of %d..%d numbers)", i, SPC_XBAR_N_MIN,
				        SPC_XBAR_N_MAX);
		if (!i)
			m = json_array_size(g);
		if (m < SPC_XBAR_N_MIN || m > SPC_XBAR_N_MAX)
			return spc_fail(s, "values[0]: a subgroup holds %d..%d "
				        "numbers", SPC_XBAR_N_MIN, SPC_XBAR_N_MAX);
		if (i * m + m > SPC_API_MAX)
			return spc_fail(s, "values: at most %d numbers in all",
				        SPC_API_MAX);
		snprintf(name, sizeof(name), "values[%zu]", i);
		if (spc_read_numbers(s, g, name, m, m, x + i * m, &got))
			return EINVAL;
	}
	*groups = json_array_size(a);
	*size = m;
	return 0;
}

static int read_baseline(struct spc_job *s, struct spc_input *in)
{
	const json_t *b = json_object_get(s->in, "baseline");
	const json_t *f = json_array_get(b, 0), *t = json_array_get(b, 1);

	if (!b || json_is_null(b))
		return 0;
	if (!json_is_array(b) || json_array_size(b) != 2 ||
	    !json_is_integer(f) || !json_is_integer(t) ||
	    json_integer_value(f) < 0 ||
	    json_integer_value(t) <= json_integer_value(f) ||
	    (size_t)json_integer_value(t) > in->npoints)
		return spc_fail(s, "baseline: want [from, to], point indexes "
			        "with 0 <= from < to <= %zu", in->npoints);
	in->base_from = (size_t)json_integer_value(f);
	in->base_to = (size_t)json_integer_value(t);
	return 0;
}

/* Everything about the request the core does not check itself. */
static int read_chart(struct spc_job *s, struct spc_input *in, double *x,
		      double *n, enum spc_ruleset *set)
{
	const char *chart = json_string_value(json_object_get(s->in, "chart"));
	const json_t *rules = json_object_get(s->in, "rules");
	const json_t *values = json_object_get(s->in, "values");
	const json_t *jn = json_object_get(s->in, "n");
	size_t i, got;

	for (i = 0; chart && i < ARRAY_LEN(kinds); i++)
		if (!strcmp(chart, kinds[i].name))
			break;
	if (!chart || i == ARRAY_LEN(kinds))
		return spc_fail(s, "chart: want \"xmr\", \"p\", \"xbar-r\" or "
			        "\"xbar-s\"");
	in->kind = kinds[i].kind;
	*set = SPC_RULES_DECK;
	if (rules && (!json_is_string(rules) ||
		      spc_ruleset_parse(json_string_value(rules), set)))
		return spc_fail(s, "rules: want \"deck\", \"western-electric\" "
			        "or \"nelson\"");
	if (!json_is_array(values) || !json_array_size(values))
		return spc_fail(s, "values: want a non-empty array");
	if (in->kind == SPC_XBAR_R || in->kind == SPC_XBAR_S) {
		if (read_subgroups(s, values, x, &in->npoints, &in->size))
			return EINVAL;
	} else if (spc_read_numbers(s, values, "values", SPC_API_MAX, 0, x,
				    &in->npoints)) {
		return EINVAL;
	}
	if (in->kind == SPC_P) {
		if (!jn)
			return spc_fail(s, "n: a p-chart needs the sample sizes");
		if (spc_read_numbers(s, jn, "n", SPC_API_MAX, in->npoints, n, &got))
			return EINVAL;
		for (i = 0; i < in->npoints; i++)
			if (n[i] < 1 || n[i] != floor(n[i]))
				return spc_fail(s, "n[%zu]: want a whole number "
					        ">= 1", i);
			else if (x[i] < 0 || x[i] > n[i])
				return spc_fail(s, "values[%zu]: want a count 0..n "
					        "or a proportion 0..1", i);
	} else if (jn) {
		return spc_fail(s, "n: only a p-chart takes sample sizes");
	}
	if (spc_opt_number(s, "center", &in->has_center, &in->center) ||
	    spc_opt_number(s, "sigma", &in->has_sigma, &in->sigma))
		return EINVAL;
	if (in->kind == SPC_P && in->has_sigma)
		return spc_fail(s, "sigma: a p-chart's σ follows p̄ and each n; "
			        "give center only");
	if (in->has_sigma && in->sigma <= 0)
		return spc_fail(s, "sigma: want a number above 0");
	if (in->kind == SPC_P && in->has_center &&
	    !(in->center > 0 && in->center < 1))
		return spc_fail(s, "center: a proportion strictly between 0 and 1");
	in->n = in->kind == SPC_P ? n : NULL;
	in->x = x;
	return read_baseline(s, in);
}

static json_t *num_array(const double *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_real(v[i]));
	return a;
}

static json_t *signals_json(const struct spc_signals *sg)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < sg->n; i++) {
		json_t *pts = json_array();

		for (size_t j = 0; pts && j < sg->v[i].n; j++)
			json_array_append_new(pts, json_integer(
				(json_int_t)sg->points[sg->v[i].off + j]));
		json_array_append_new(a, json_pack("{s:s, s:s, s:o*}",
			"rule", sg->v[i].rule, "text", sg->v[i].text,
			"points", pts));
	}
	return a;
}

json_t *spc_chart_json(const struct spc_chart *c, const char *chart,
		       const char *rules, const struct spc_signals *sg)
{
	json_t *o = json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:o*, s:o*}",
		"chart", chart, "rules", rules, "center", c->center,
		"sigma", c->sigma, "ucl", c->ucl, "lcl", c->lcl,
		"points", num_array(c->y, c->npoints),
		"signals", signals_json(sg));

	if (o && c->kind == SPC_P)
		json_object_set_new(o, "limits", json_pack("{s:o*, s:o*}",
			"ucl", num_array(c->ucl_i, c->npoints),
			"lcl", num_array(c->lcl_i, c->npoints)));
	else if (o)
		json_object_set_new(o, c->kind == SPC_XMR ? "mr" :
				    c->kind == SPC_XBAR_S ? "s" : "r",
			json_pack("{s:f, s:f, s:f, s:o*}", "center",
				  c->r_center, "ucl", c->r_ucl,
				  "lcl", c->r_lcl,
				  "points", num_array(c->r, c->npoints)));
	return o;
}

static void chart_work(struct spc_job *s)
{
	struct spc_input in = {0};
	struct spc_chart c = {0};
	struct spc_signals sg = {0};
	enum spc_ruleset set;
	double *x = calloc(SPC_API_MAX, sizeof(double));
	double *n = calloc(SPC_API_MAX, sizeof(double));
	json_t *more = NULL;
	int err;

	if (!x || !n) {
		err = spc_fail(s, "out of memory");
		goto out;
	}
	err = read_chart(s, &in, x, n, &set);
	if (!err)
		err = spc_chart_make(&in, &c);
	if (err == EDOM || err == ERANGE)
		more = json_pack("{s:I, s:I}", "points", (json_int_t)in.npoints,
				 "baseline", (json_int_t)(in.base_to ?
				 in.base_to - in.base_from : in.npoints));
	if (err == EDOM)
		spc_fail_code(s, "too_few_points", more, "values: too few "
			      "points for limits: computing them takes %d in "
			      "the baseline (1 when sigma, or a p-chart's "
			      "center, is given)", SPC_MIN_POINTS);
	else if (err == ERANGE)
		spc_fail_code(s, "no_variation", more, "values: no variation "
			      "in the baseline (σ = 0): the limits would have "
			      "no width");
	else if (err && !s->why[0])
		spc_fail(s, "values: cannot chart these values (a p-chart "
		         "takes counts 0..n or proportions 0..1)");
	if (!err)
		err = spc_detect(&c, set, &sg);
	if (!err)
		s->out = spc_chart_json(&c, json_string_value(
			json_object_get(s->in, "chart")),
			spc_ruleset_name(set), &sg);
out:
	spc_signals_free(&sg);
	spc_chart_free(&c);
	free(x);
	free(n);
}


static void job_work(struct api_job *j)
{
	struct spc_job *s = (struct spc_job *)j;

	s->work(s);
}

static void job_done(struct api_job *j)
{
	struct spc_job *s = (struct spc_job *)j;

	if (s->out && s->table) {
		spc_export(&j->req, s->out, s->table, s->xlsx, s->name);
		s->out = NULL;
		return;
	}
	if (s->out) {
		api_reply_json(j->req.conn, 200, NULL, s->out);
		s->out = NULL;
		return;
	}
	if (s->why[0] && s->code) {
		spc_refuse(j->req.conn, s->status ? s->status : 400, s->code,
			   s->more, "%s", s->why);
		s->more = NULL;
		return;
	}
	api_reply_error(j->req.conn, !s->why[0] ? 500 : s->status ?
			s->status : 400, "%s",
			s->why[0] ? s->why : "cannot make the report");
}

static void job_clean(struct api_job *j)
{
	struct spc_job *s = (struct spc_job *)j;

	json_decref(s->in);
	json_decref(s->out);
	json_decref(s->more);
}

void spc_job_start(const struct api_req *req, json_t *in,
		   void (*work)(struct spc_job *s), size_t max)
{
	struct spc_job *s = api_job_alloc(req, sizeof(*s), job_work, job_done,
					  job_clean);

	if (!s) {
		json_decref(in);
		return;
	}
	s->in = in;
	s->work = work;
	s->max = max;
	api_job_queue(s);
}

static void run(struct api_req *req, void (*work)(struct spc_job *s))
{
	json_t *body = NULL;
	char why[200];

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	spc_job_start(req, body, work, SPC_API_MAX);
}

static void h_chart(struct api_req *req)
{
	run(req, chart_work);
}

static void h_hist(struct api_req *req)
{
	run(req, spc_hist_work);
}

/* See api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"POST", "/api/v1/reports/spc", h_chart, API_SUPERVISORS, 0,
	 "a control chart: chart xmr|p|xbar-r|xbar-s, values (subgroups for xbar-r, xbar-s), n (p), rules deck|western-electric|nelson, optional center, sigma, baseline; limits and signals"},
	{"GET", "/api/v1/reports/spc", spc_h_kpi_chart, API_SUPERVISORS, 0,
	 "a KPI's stored series charted: ?kpi=, ?queue= or ?agent=, ?from=, ?to=, ?interval=1d|1h|15m|1w, ?chart=xmr|p, ?rules=, ?baseline_from=, ?baseline_to= (the limits' period), ?format=json|csv|xlsx; as POST, plus each point's start_ms and the KPI's 监控措施"},
	{"GET", "/api/v1/reports/spc/qa", spc_h_qa_chart,
	 API_SUPERVISORS | API_R_QA, 0,
	 "QA scores (监听分值) as an X̄-R or X̄-S chart: ?subgroup=day|week, ?n= (2..10; default the median subgroup size), ?chart=xbar-r|xbar-s, ?team= (a department, with those below), ?agent=, ?scorecard=, ?from=, ?to=, ?tz= (minutes east of UTC), ?rules=, ?baseline_from=, ?baseline_to=, ?format=json|csv|xlsx (a row per subgroup, those skipped among them); as POST, plus each subgroup's start_ms and evaluations, the subgroups skipped (fewer than n) and the 监控措施"},
	{"GET", "/api/v1/reports/histogram", spc_h_measure, API_SUPERVISORS, 0,
	 "a histogram of a stored measure: ?measure=aht|wait|talk|qa_score|wo_handle, ?from=, ?to=, ?queue=, ?agent=, ?by=queue|agent|hour (strata), ?bins=, ?lsl=, ?usl=, ?tz= (minutes east of UTC, for hours), ?format=json|csv|xlsx (a row per bin, then per stratum); as POST, plus the measure, its unit and how many values"},
	{"GET", "/api/v1/reports/kpi-targets", spc_h_kpi_targets,
	 API_SUPERVISORS | API_R_EXECUTIVE | API_R_QA, 0,
	 "every KPI with its names, unit, the target in force (target_lo, target_hi: ?queue='s own, else the center's, else the reference's; source says which), the reference's (target, default_lo, default_hi) and its 监控措施"},
	{"GET", "/api/v1/kpi-targets", spc_h_targets_get, API_SUPERVISORS, 0,
	 "the KPI targets: each KPI's default from the reference, the center's own and each queue's own"},
	{"PUT", "/api/v1/kpi-targets", spc_h_targets_put, API_R_ADMIN, 0,
	 "set KPI targets: {kpi, queue (\"\": the center), target_lo, target_hi (null: open), unit} or {items: [...]}; every item or none"},
	{"DELETE", "/api/v1/kpi-targets", spc_h_targets_delete, API_R_ADMIN, 0,
	 "remove a set target (?kpi=, ?queue=): what lies under it is in force again"},
	{"GET", "/api/v1/reports/calls-by-region", spc_h_region, API_SUPERVISORS, 0,
	 "calls by the caller's province and city (归属地): ?from=, ?to=, ?queue=, ?direction=, ?format=json|csv|xlsx; calls and answered per province, its cities, and the calls of no known region"},
	{"POST", "/api/v1/reports/histogram", h_hist, API_SUPERVISORS, 0,
	 "a histogram: values, optional bins, lsl, usl, groups; bins, mean, sd, the deck's shape with its advice, counts outside the spec with Cp, Cpk, and each group's shape"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

/* No start: the charts are made from the request alone, on api's
 * workers, so the module holds no state between requests. */
const struct mod_export spc_module = {
	.name = "spc", .routes = &routes,
};
