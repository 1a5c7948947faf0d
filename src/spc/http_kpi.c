/* spc/http_kpi: GET /api/v1/reports/spc — a KPI's series, one point per
 * interval, charted. The series is GET /api/v1/reports/kpi's own rows
 * (queue_kpi_read on an api worker for the stored days, queue_kpi_report
 * on the loop for the sum with today's memory), so a point is exactly the
 * number the KPI report shows; intervals where the KPI has no value
 * (nothing to divide by) are left out.
 *
 * The chart: p for the rates of offered calls (each point's n is that
 * interval's offered calls) and first-call resolution (n: the answered
 * calls it judged), else XmR; ?chart= may ask for XmR on a rate. The KPIs
 * read from side figures (fcr, avg_ring_count, qa_score) have them read
 * per interval as the KPI report does.
 * The limits come from the points of the baseline period when one is
 * given (a stretch judged stable), else from every point.
 * The user's data scope applies (spc/scope.c): a supervisor limited to
 * departments charts only the queues and agents of their departments. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "queue/queue.h"
#include "report/report.h"
#include "spc/spc_int.h"

/* The rates that are binomial proportions, so a p-chart fits them, and
 * the count each point's n is: the offered calls (docs/kpi.md 4.1, 4.3,
 * and 已复电话百分比), the answered calls first-call resolution judges
 * (4.21). */
static const struct {
	const char *kpi, *n;
} rates[] = {
	{"service_level", "offered"}, {"abandon_rate", "offered"},
	{"answered_rate", "offered"}, {"fcr", "fcr_answered"},
};

struct kpi_chart {
	struct api_job j;
	int64_t from, to, ms, horizon;
	int64_t base_from, base_to;   /* the baseline period; 0, 0: all */
	char queue[64], agent[64], kpi[64];
	enum spc_chart_kind kind;
	enum spc_ruleset set;
	char format[8];          /* "", "json", "csv" or "xlsx" */
	struct report_set *stored;
	struct report_side_q q;  /* the side figures' period and settings */
	struct report_side *side, total;   /* side: one per interval */
	bool again;              /* read once more: the horizon moved */
	char why[200];           /* outside the user's data scope: why */
};

/* The count that is a rate's n, or NULL when kpi is no proportion. */
static const char *rate_n(const char *kpi)
{
	for (size_t i = 0; i < ARRAY_LEN(rates); i++)
		if (!strcmp(kpi, rates[i].kpi))
			return rates[i].n;
	return NULL;
}

static void kc_clean(struct api_job *j)
{
	struct kpi_chart *k = (struct kpi_chart *)j;

	queue_kpi_stored_free(k->stored);
	free(k->side);
}

/* The stored buckets and, for a KPI read from side figures (report.h),
 * those figures per interval, as GET /api/v1/reports/kpi reads them. */
static void kc_work(struct api_job *j)
{
	struct kpi_chart *k = (struct kpi_chart *)j;
	struct report_side_q q = k->q;

	q.queue = k->queue[0] ? k->queue : NULL;
	q.agent = k->agent[0] ? k->agent : NULL;
	q.now_ms = util_now_ms();   /* by day, as GET /reports/kpi reads */
	/* A queue or agent outside the user's data scope is refused before
	 * anything is read (spc/scope.c), as the other reports do. */
	j->err = spc_scope_check(api_house(&j->req)->db, &j->req.user,
				 q.queue, q.agent, k->why, sizeof(k->why));
	if (j->err)
		return;
	j->err = queue_kpi_read(api_house(&j->req)->db, q.queue, q.agent,
				k->from, k->to, k->horizon, &k->stored);
	if (j->err || !report_kpi_find(k->kpi)->side)
		return;
	if (!k->side && !(k->side = calloc(q.nbins, sizeof(*k->side)))) {
		j->err = ENOMEM;
		return;
	}
	j->err = report_side_read(api_house(&j->req)->db, &q, k->side,
				  &k->total);
}

/* The reference's 监控措施 for kpi: {"name_zh", "items"}, or null. */
json_t *spc_checks_json(const char *kpi)
{
	const struct spc_checks *c = spc_checks_find(kpi);
	json_t *items = json_array();

	if (!c || !items) {
		json_decref(items);
		return json_null();
	}
	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(items, json_string(c->items[i]));
	return json_pack("{s:s, s:o}", "name_zh", c->name_zh, "items", items);
}

/* A chart that cannot have limits: 400 with the reason and a stable code
 * the console puts in its own language (docs/api.md), with the counts its
 * words need. */
static void refuse(struct kpi_chart *k, int err, size_t np, size_t nb)
{
	char why[200];

	if (err == EDOM)
		snprintf(why, sizeof(why), "%s: %zu intervals with a value in "
			 "the period, %zu in the baseline: too few points for "
			 "limits", k->kpi, np, nb);
	else
		snprintf(why, sizeof(why), "%s: no variation in the period "
			 "(σ = 0): the limits would have no width", k->kpi);
	spc_refuse(k->j.req.conn, 400, err == EDOM ? "too_few_points" :
		   "no_variation", json_pack("{s:I, s:I}", "points",
		   (json_int_t)np, "baseline", (json_int_t)nb), "%s", why);
}

/* The count that is the n of a p-chart's point: the row's offered calls,
 * or for first-call resolution the answered calls it judged. */
static double rate_size(const char *kpi, const struct queue_kpi_row *r)
{
	const char *nf = rate_n(kpi);

	return (double)(nf && !strcmp(nf, "fcr_answered") ? r->side.fcr_answered
			: r->offered);
}

/* Charts the KPI's values in report (GET /api/v1/reports/kpi's rows). */
static void reply_chart(struct kpi_chart *k,
			const struct queue_kpi_result *report)
{
	size_t n = report->nrows, np = 0;
	int ki = queue_kpi_index(k->kpi);
	double *x = calloc(n ? n : 1, sizeof(double));
	double *sz = calloc(n ? n : 1, sizeof(double));
	json_t *starts = json_array(), *out = NULL;
	struct spc_input in = {.kind = k->kind};
	struct spc_chart c = {0};
	struct spc_signals sg = {0};
	int err = ENOMEM;

	if (!x || !sz || !starts || ki < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct queue_kpi_row *r = &report->rows[i];
		double v = r->kpis[ki];
		int64_t at = r->start_ms;

		if (isnan(v))
			continue;

		/* Rows come in time order: the baseline's are one run. */
		if (k->base_to && at >= k->base_from && at < k->base_to) {
			in.base_from = in.base_to ? in.base_from : np;
			in.base_to = np + 1;
		}
		x[np] = v;
		sz[np] = rate_size(k->kpi, r);
		json_array_append_new(starts, json_integer(at));
		np++;
	}
	if (k->base_to && !in.base_to) {
		spc_refuse(k->j.req.conn, 400, "empty_baseline", NULL,
			   "baseline_from, baseline_to: no point of %s in "
			   "that period", k->kpi);
		goto clean;
	}
	in.x = x;
	in.n = k->kind == SPC_P ? sz : NULL;
	in.npoints = np;
	in.proportions = true;   /* the rows hold rates, even all 0 or 1 */
	err = spc_chart_make(&in, &c);
	if (!err)
		err = spc_detect(&c, k->set, &sg);
	if (!err)
		out = spc_chart_json(&c, k->kind == SPC_P ? "p" : "xmr",
				     spc_ruleset_name(k->set), &sg);
	if (out) {
		json_object_set_new(out, "start_ms", starts);   /* taken */
		starts = NULL;
		json_object_set_new(out, "kpi", json_string(k->kpi));
		json_object_set_new(out, "checks", spc_checks_json(k->kpi));
		json_object_set_new(out, "interval_ms", json_integer(k->ms));
	}
out:
	if (err == EDOM || err == ERANGE)
		refuse(k, err, np, in.base_to ? in.base_to - in.base_from : np);
	else if (err || !out)
		api_reply_error(k->j.req.conn, 500, "cannot chart %s", k->kpi);
	else if (!strcmp(k->format, "csv") || !strcmp(k->format, "xlsx"))
		spc_export(&k->j.req, out, &spc_table_chart, k->format[0] == 'x',
			   k->kpi);
	else
		api_reply_json(k->j.req.conn, 200, NULL, out);
clean:
	spc_signals_free(&sg);
	spc_chart_free(&c);
	json_decref(starts);
	free(x);
	free(sz);
}

static void kc_read(const struct api_req *req, const struct kpi_chart *proto);

static void kc_done(struct api_job *j)
{
	struct kpi_chart *k = (struct kpi_chart *)j;
	char why[256] = "";
	struct queue_kpi_result report = {0};
	int e = j->err;

	if (!e)
		e = queue_kpi_report(api_house(&j->req)->queues, k->from, k->to,
				     k->queue[0] ? k->queue : NULL,
				     k->agent[0] ? k->agent : NULL, k->ms,
				     k->stored, k->horizon, k->side,
				     k->side ? &k->total : NULL, &report, why,
				     sizeof(why));
	if (e == EAGAIN && !k->again) {
		kc_read(&j->req, k);
		return;
	}
	if (e == EACCES)
		spc_scope_refuse(j->req.conn, &j->req.user, k->queue, k->agent,
				 k->why);
	else if (e)
		api_reply_error(j->req.conn, e == EINVAL ? 400 : 500, "%s",
				why[0] ? why : "cannot read the KPI rows");
	else
		reply_chart(k, &report);
	queue_kpi_result_free(&report);
}

/* Queues the stored half at the host's horizon now (as the KPI report). */
static void kc_read(const struct api_req *req, const struct kpi_chart *proto)
{
	struct kpi_chart *k = api_job_alloc(req, sizeof(*k), kc_work, kc_done,
					    kc_clean);

	if (!k)
		return;
	memcpy((char *)k + sizeof(k->j), (const char *)proto + sizeof(k->j),
	       sizeof(*k) - sizeof(k->j));
	k->stored = NULL;
	k->side = NULL;   /* the proto's, freed with it; read afresh */
	k->again = proto->horizon != 0;
	k->horizon = queue_kpi_horizon(api_house(req)->queues);
	api_job_queue(k);
}

/* The query's text parameter into out; "" when absent. 0, or EINVAL with
 * 400 answered. */
static int query_text(struct api_req *req, const char *key, char *out,
		      size_t n)
{
	int e = api_query_get(req->query, key, out, n);

	if (e == ENOENT)
		out[0] = '\0';
	else if (e)
		spc_bad_param(req->conn, key, "bad '%s'", key);
	return e == ENOENT ? 0 : e;
}

/* The chart's intervals: the KPI report's, and weeks, which it can sum
 * as well (any length; rows start at multiples of it since 1970-01-01, a
 * Thursday, UTC — the report's rule for every interval). */
static int interval_parse(const char *s, int64_t *ms)
{
	if (!strcmp(s, "1w")) {
		*ms = 7 * 86400000LL;
		return 0;
	}
	return queue_interval_parse(s, ms);
}

void spc_h_kpi_chart(struct api_req *req)
{
	char iv[16], chart[16], rules[32];
	int64_t now = util_now_ms(), day = now - now % 86400000;
	struct kpi_chart k = {.set = SPC_RULES_DECK};
	const struct report_kpi_def *def;

	if (!api_house(req)->queues) {
		api_reply_error(req->conn, 503, "the ACD is not running");
		return;
	}
	if (query_text(req, "kpi", k.kpi, sizeof(k.kpi)) ||
	    query_text(req, "queue", k.queue, sizeof(k.queue)) ||
	    query_text(req, "agent", k.agent, sizeof(k.agent)) ||
	    query_text(req, "interval", iv, sizeof(iv)) ||
	    query_text(req, "chart", chart, sizeof(chart)) ||
	    query_text(req, "rules", rules, sizeof(rules)) ||
	    query_text(req, "format", k.format, sizeof(k.format)) ||
	    api_query_time(req, "to", day, &k.to) ||
	    api_query_time(req, "from", k.to - 30LL * 86400000, &k.from) ||
	    api_query_time(req, "baseline_from", k.from, &k.base_from) ||
	    api_query_time(req, "baseline_to", 0, &k.base_to))
		return;
	if (!k.base_to && k.base_from != k.from)
		k.base_to = k.to;   /* a baseline from a time to the end */
	if (k.base_to && k.base_to <= k.base_from) {
		spc_refuse(req->conn, 400, "bad_baseline", NULL, "baseline_from,"
			   " baseline_to: want baseline_from before "
			   "baseline_to");
		return;
	}
	def = report_kpi_find(k.kpi);
	if (!def || def->needs) {
		spc_bad_param(req->conn, "kpi", "kpi: want the id of a KPI of "
			      "GET /api/v1/reports/kpi (asa, service_level, …)");
		return;
	}
	if (interval_parse(iv[0] ? iv : "1d", &k.ms)) {
		spc_bad_param(req->conn, "interval", "interval: want 15m, 1h, "
			      "1d or 1w");
		return;
	}
	if (k.format[0] && strcmp(k.format, "json") &&
	    strcmp(k.format, "csv") && strcmp(k.format, "xlsx")) {
		spc_bad_param(req->conn, "format", "format: want json, csv or "
			      "xlsx");
		return;
	}
	if (k.to <= k.from || (k.to - k.from) / k.ms > SPC_API_MAX) {
		spc_refuse(req->conn, 400, "too_many_intervals", json_pack(
			   "{s:i}", "max", SPC_API_MAX), "from, to: want from "
			   "before to, at most %d intervals apart",
			   SPC_API_MAX);
		return;
	}
	if (rules[0] && spc_ruleset_parse(rules, &k.set)) {
		spc_bad_param(req->conn, "rules", "rules: want deck, "
			      "western-electric or nelson");
		return;
	}
	k.kind = rate_n(k.kpi) && strcmp(chart, "xmr") ? SPC_P : SPC_XMR;
	k.q.from = k.from;
	k.q.to = k.to;
	k.q.origin = k.from - k.from % k.ms;
	k.q.step = k.ms;
	k.q.nbins = (size_t)((k.to - k.q.origin - 1) / k.ms + 1);
	report_side_settings(api_house(req)->report, &k.q);
	if (chart[0] && strcmp(chart, "xmr") && strcmp(chart, "p")) {
		spc_bad_param(req->conn, "chart", "chart: want xmr or p");
		return;
	}
	if (!strcmp(chart, "p") && k.kind != SPC_P) {
		spc_refuse(req->conn, 400, "p_needs_rate", NULL, "chart: a "
			   "p-chart takes a rate of offered calls (service_level,"
			   " abandon_rate, answered_rate) or of answered calls "
			   "(fcr)");
		return;
	}
	kc_read(req, &k);
}
