/* sched/forecast: GET /api/v1/wfm/forecast — a queue's calls, AHT and
 * agents per 15- or 30-minute interval for the coming weeks. The loop
 * checks the query and the queue (its service-level time is the default
 * sl_time); a worker reads the weeks of stored KPI rows before `from`
 * (queue_kpi_read: what the KPI report reads), folds them into the
 * interval, drops the whole weeks at its start without a call (a queue
 * younger than the history asked for), and runs wfm_plan_make (the fit,
 * the held-out week's MAPE, Erlang C or A per interval). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "queue/queue.h"
#include "report/report.h"
#include "sched/sched_int.h"
#include "wfm/wfm.h"

enum {
	WEEKS_MAX = 8,              /* forecast at most this far ahead */
	HISTORY_MIN = 3,            /* two to start the model, one held out */
	HISTORY_MAX = 26,
	DEFAULT_HISTORY = 8,
};

#define WEEK_MS (INT64_C(7) * 86400000)

struct fc_job {
	struct api_job j;
	char queue[64];
	int64_t from, iv_ms, horizon;
	unsigned weeks, history;
	unsigned used_weeks;        /* of history, from the first with calls */
	struct wfm_plan_in in;      /* the pointers are set on the worker */
	json_t *out;
	char why[256];
};

static const struct { const char *name; enum wfm_kind_choice k; } models[] = {
	{"auto", WFM_KIND_AUTO},
	{"additive", WFM_KIND_ADDITIVE},
	{"multiplicative", WFM_KIND_MULTIPLICATIVE},
};

/* The stored rows of [hist_from, from) into per-interval series. */
static int read_history(struct fc_job *f, double *calls, double *handle,
			double *handled, size_t n)
{
	struct report_set *set = NULL;
	int64_t hist_from = f->from - (int64_t)f->history * WEEK_MS;
	int err = queue_kpi_read(api_house(&f->j.req)->db, f->queue, NULL,
				 hist_from, f->from, f->horizon, &set);

	for (size_t i = 0; !err && i < n; i++) {
		struct report_bucket b;
		int64_t t = hist_from + (int64_t)i * f->iv_ms;

		err = report_sum(set, REPORT_QUEUE, f->queue, t, t + f->iv_ms,
				 &b);
		calls[i] = (double)b.entered;
		handled[i] = (double)b.completed;
		handle[i] = (double)(b.talk_ms + b.hold_ms + b.wrap_ms) / 1000;
	}
	queue_kpi_stored_free(set);
	return err;
}

/* Whole weeks at the start without a call: a queue younger than the
 * history asked for. Smoothing them would start the model at zero. */
static size_t leading_quiet_weeks(const double *calls, size_t n,
				  size_t period)
{
	size_t i = 0;

	while (i < n && !(calls[i] > 0))
		i++;
	return i / period;
}

/* The held-out last week of the history: what came and what the model
 * fitted on the weeks before it said would (what the MAPE scores). */
static json_t *held_out_json(const struct fc_job *f, const struct wfm_plan *p)
{
	json_t *actual = json_array(), *fc = json_array();
	const double *calls = f->in.calls + f->in.n - f->in.period;

	for (size_t k = 0; actual && fc && k < f->in.period; k++) {
		json_array_append_new(actual, json_real(calls[k]));
		json_array_append_new(fc, json_real(p->held_out[k]));
	}
	return json_pack("{s:I, s:o, s:o}", "from_ms",
			 (json_int_t)(f->from - WEEK_MS),
			 "actual", actual ? actual : json_array(),
			 "forecast", fc ? fc : json_array());
}

static json_t *plan_json(const struct fc_job *f, const struct wfm_plan *p)
{
	json_t *rows = json_array(), *o;

	for (size_t k = 0; rows && k < p->nrows; k++) {
		const struct wfm_plan_row *r = &p->rows[k];
		json_array_append_new(rows, json_pack(
			"{s:I, s:f, s:f, s:i, s:i, s:f}",
			"start_ms", (json_int_t)(f->from + (int64_t)k * f->iv_ms),
			"calls", r->calls, "aht_s", r->aht_s,
			"agents", (int)r->agents, "scheduled", (int)r->scheduled,
			"service_level", r->service_level));
	}
	o = json_pack("{s:s, s:I, s:I, s:I, s:i, s:s, s:{s:f, s:f, s:f}, "
		      "s:{s:o, s:i, s:s}, s:o, s:{s:f, s:f, s:f, s:f}, s:o}",
		      "queue", f->queue, "interval_ms", (json_int_t)f->iv_ms,
		      "from_ms", (json_int_t)f->from,
		      "history_from_ms",
		      (json_int_t)(f->from - (int64_t)f->used_weeks * WEEK_MS),
		      "history_weeks", (int)f->used_weeks,
		      "model", p->kind == WFM_HW_ADDITIVE ? "additive"
							  : "multiplicative",
		      "params", "alpha", p->params.alpha, "beta",
		      p->params.beta, "gamma", p->params.gamma,
		      "accuracy", "mape", isnan(p->mape) ? json_null()
							 : json_real(p->mape),
		      "intervals", (int)p->mape_intervals,
		      "note", "the last week of the history held out and "
		      "forecast from the weeks before it; its intervals "
		      "without calls are skipped (no percentage error)",
		      "held_out", held_out_json(f, p),
		      "target", "service_level", f->in.target_sl, "sl_time_s",
		      f->in.sl_time_s, "shrinkage", f->in.shrinkage,
		      "patience_s", f->in.patience_s,
		      "rows", rows ? rows : json_array());
	return o;
}

static void fc_work(struct api_job *j)
{
	struct fc_job *f = (struct fc_job *)j;
	size_t n = (size_t)((int64_t)f->history * WEEK_MS / f->iv_ms);
	double *calls = calloc(n, sizeof(double));
	double *handle = calloc(n, sizeof(double));
	double *handled = calloc(n, sizeof(double));
	struct wfm_plan p = {0};
	int err = ENOMEM;

	if (calls && handle && handled)
		err = read_history(f, calls, handle, handled, n);
	if (!err) {
		size_t period = (size_t)(WEEK_MS / f->iv_ms);
		size_t skip = leading_quiet_weeks(calls, n, period) * period;

		f->used_weeks = (unsigned)((n - skip) / period);
		f->in.calls = calls + skip;
		f->in.handle_s = handle + skip;
		f->in.handled = handled + skip;
		f->in.n = n - skip;
		f->in.period = period;
		f->in.horizon = (size_t)((int64_t)f->weeks * WEEK_MS /
					 f->iv_ms);
		if (f->used_weeks < HISTORY_MIN && f->used_weeks) {
			snprintf(f->why, sizeof(f->why), "queue %s: calls in "
				 "only the last %u weeks before from; a forecast "
				 "needs %d (two to start the model, one held "
				 "out)", f->queue, f->used_weeks, HISTORY_MIN);
			err = EINVAL;
		} else
			err = wfm_plan_make(&f->in, &p);
	}
	if (err == EDOM || (err == EINVAL && !f->used_weeks))
		snprintf(f->why, sizeof(f->why), "queue %s: no handled call in "
			 "the %u weeks before from: nothing to forecast from",
			 f->queue, f->history);
	else if (err == ERANGE)
		snprintf(f->why, sizeof(f->why), "an interval would need more "
			 "than %d agents", WFM_MAX_AGENTS);
	else if (!err && !(f->out = plan_json(f, &p)))
		err = ENOMEM;
	wfm_plan_free(&p);
	free(calls);
	free(handle);
	free(handled);
	j->err = err;
}

static void fc_done(struct api_job *j)
{
	struct fc_job *f = (struct fc_job *)j;

	if (!j->err && f->out) {
		api_reply_json(j->req.conn, 200, NULL, f->out);
		f->out = NULL;
		return;
	}
	api_reply_error(j->req.conn, f->why[0] ? 400 : 500, "%s",
			f->why[0] ? f->why : "cannot make the forecast");
}

static void fc_clean(struct api_job *j)
{
	json_decref(((struct fc_job *)j)->out);
}

/* The queue's service-level time, or 0 with 404 answered. */
static int queue_sl_s(struct api_req *req, const char *queue, double *sl_s)
{
	struct queue_qcfg cfg;
	int e = queue_cfg_get(api_house(req)->queues, queue, &cfg);

	if (e) {
		api_reply_error(req->conn, e == ENOENT ? 404 : 500, "%s",
				e == ENOENT ? "queue: no such queue"
					    : "cannot read the queue");
		return e;
	}
	*sl_s = (double)cfg.sl_ms / 1000;
	return 0;
}

void sched_h_forecast(struct api_req *req)
{
	struct fc_job f = {.in = {.target_sl = 0.8}};
	char iv[16], model[32];
	double weeks, hist, sl_dflt, v;
	struct fc_job *job;
	size_t m;

	if (!api_house(req)->queues) {
		api_reply_error(req->conn, 503, "the ACD is not running");
		return;
	}
	if (sched_query_text(req, "queue", f.queue, sizeof(f.queue)) ||
	    sched_query_text(req, "interval", iv, sizeof(iv)) ||
	    sched_query_text(req, "model", model, sizeof(model)))
		return;
	if (!f.queue[0]) {
		api_reply_error(req->conn, 400, "queue: required");
		return;
	}
	if (!iv[0] || !strcmp(iv, "30m"))
		f.iv_ms = 1800000;
	else if (!strcmp(iv, "15m"))
		f.iv_ms = 900000;
	else {
		api_reply_error(req->conn, 400, "interval: want 15m or 30m");
		return;
	}
	if (sched_query_num(req, "weeks", 0, 1e12, 1, &weeks))
		return;
	if (weeks < 1 || weeks > WEEKS_MAX || weeks != floor(weeks)) {
		api_reply_error(req->conn, 400, "weeks: want a whole number "
				"from 1 to %d (%g weeks would be %.0f intervals "
				"of %s)", WEEKS_MAX, weeks,
				weeks * (double)WEEK_MS / (double)f.iv_ms,
				f.iv_ms == 900000 ? "15 minutes" : "30 minutes");
		return;
	}
	if (sched_query_num(req, "history", HISTORY_MIN, HISTORY_MAX,
			    DEFAULT_HISTORY, &hist))
		return;
	if (hist != floor(hist)) {
		api_reply_error(req->conn, 400, "history: want whole weeks");
		return;
	}
	for (m = 0; m < ARRAY_LEN(models) && model[0] &&
		    strcmp(model, models[m].name); m++)
		;
	if (m == ARRAY_LEN(models)) {
		api_reply_error(req->conn, 400, "model: want auto, additive or "
				"multiplicative");
		return;
	}
	f.in.kind = model[0] ? models[m].k : WFM_KIND_AUTO;
	if (queue_sl_s(req, f.queue, &sl_dflt))
		return;
	if (sched_query_num(req, "sl", 0.01, 0.99, 0.8, &f.in.target_sl) ||
	    sched_query_num(req, "sl_time", 0, 3600, sl_dflt, &f.in.sl_time_s) ||
	    sched_query_num(req, "shrinkage", 0, 0.9, 0.3, &f.in.shrinkage) ||
	    sched_query_num(req, "patience", 0, 3600, 0, &v))
		return;
	f.in.patience_s = v;
	f.in.interval_s = (double)f.iv_ms / 1000;
	f.horizon = queue_kpi_horizon(api_house(req)->queues);
	if (api_query_time(req, "from", f.horizon, &f.from))
		return;
	if (f.from > f.horizon || f.from % f.iv_ms) {
		api_reply_error(req->conn, 400, "from: want the start of an "
				"interval no later than today 00:00 UTC (the "
				"history is the stored days before it)");
		return;
	}
	f.weeks = (unsigned)weeks;
	f.history = (unsigned)hist;
	job = api_job_alloc(req, sizeof(*job), fc_work, fc_done, fc_clean);
	if (!job)
		return;
	memcpy((char *)job + sizeof(job->j), (char *)&f + sizeof(f.j),
	       sizeof(f) - sizeof(f.j));
	api_job_queue(job);
}
