/* wfm/plan: from a queue's history to the agents each coming interval
 * needs. Calls are forecast with Holt-Winters (forecast.c); the handle
 * time is a profile, not a forecast: each slot of the week keeps the ratio
 * of its handle seconds to its handled calls over the whole history, since
 * AHT moves slowly and a quiet slot's few calls would make a smoothed AHT
 * jump. The staffing of an interval is Erlang C or A for its calls and
 * AHT (erlang.c), then grossed up for shrinkage. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "wfm/wfm_int.h"

static int check_in(const struct wfm_plan_in *in)
{
	if (!in || !in->calls || !in->handle_s || !in->handled)
		return EINVAL;
	if (in->period < 2 || in->n < 3 * in->period || in->n > WFM_HW_MAX_N)
		return EINVAL;
	if (!in->horizon || in->horizon > WFM_HW_MAX_N)
		return EINVAL;
	if (in->kind != WFM_KIND_AUTO && in->kind != WFM_KIND_ADDITIVE &&
	    in->kind != WFM_KIND_MULTIPLICATIVE)
		return EINVAL;
	if (!(in->interval_s > 0) || !isfinite(in->interval_s) ||
	    !(in->target_sl > 0) || !(in->target_sl < 1) ||
	    !(in->sl_time_s >= 0) || !isfinite(in->sl_time_s) ||
	    !(in->patience_s >= 0) || !isfinite(in->patience_s) ||
	    !(in->shrinkage >= 0) || !(in->shrinkage < 1))
		return EINVAL;
	for (size_t i = 0; i < in->n; i++)
		if (!(in->handle_s[i] >= 0) || !isfinite(in->handle_s[i]) ||
		    !(in->handled[i] >= 0) || !isfinite(in->handled[i]))
			return EINVAL;
	return 0;   /* calls are checked by the smoothing */
}

/* Fits the first n - period values with kind and scores the last period
 * against the forecast: *mape, *used; NAN when the period had no call. */
static int held_out(const struct wfm_plan_in *in, enum wfm_hw_kind kind,
		    double *fc, double *mape, size_t *used)
{
	struct wfm_hw m = {0};
	size_t fit_n = in->n - in->period;
	int err = wfm_hw_fit(in->calls, fit_n, in->period, kind, &m);

	if (!err)
		err = wfm_hw_forecast(&m, in->period, fc);
	wfm_hw_free(&m);
	if (err)
		return err;
	err = wfm_mape(in->calls + fit_n, fc, in->period, mape, used);
	if (err == ENODATA) {
		*mape = NAN;
		*used = 0;
		err = 0;
	}
	return err;
}

/* Which model, its held-out score and forecast (fc, period values).
 * AUTO prefers additive on a tie or when neither can be scored. */
static int choose(const struct wfm_plan_in *in, enum wfm_hw_kind *kind,
		  double *fc, double *mape, size_t *used)
{
	double *fc2 = NULL, m2;
	size_t u2;
	int err;

	*kind = in->kind == WFM_KIND_MULTIPLICATIVE ? WFM_HW_MULTIPLICATIVE
						     : WFM_HW_ADDITIVE;
	err = held_out(in, *kind, fc, mape, used);
	if (err || in->kind != WFM_KIND_AUTO)
		return err;
	fc2 = malloc(in->period * sizeof(*fc2));
	if (!fc2)
		return ENOMEM;
	err = held_out(in, WFM_HW_MULTIPLICATIVE, fc2, &m2, &u2);
	if (!err && m2 < *mape) {
		*kind = WFM_HW_MULTIPLICATIVE;
		*mape = m2;
		*used = u2;
		memcpy(fc, fc2, in->period * sizeof(*fc));
	}
	free(fc2);
	return err;
}

/* Per slot of the week: handle seconds over handled calls; slots without
 * a handled call take the whole history's ratio. EDOM: none at all. */
static int aht_profile(const struct wfm_plan_in *in, double *aht)
{
	double *num = calloc(in->period, sizeof(*num));
	double *den = calloc(in->period, sizeof(*den));
	double tn = 0, td = 0;

	if (!num || !den) {
		free(num);
		free(den);
		return ENOMEM;
	}
	for (size_t t = 0; t < in->n; t++) {
		num[t % in->period] += in->handle_s[t];
		den[t % in->period] += in->handled[t];
		tn += in->handle_s[t];
		td += in->handled[t];
	}
	for (size_t i = 0; i < in->period; i++)
		aht[i] = den[i] > 0 && num[i] > 0 ? num[i] / den[i] : tn / td;
	free(num);
	free(den);
	return td > 0 && tn > 0 ? 0 : EDOM;
}

static int staff_row(const struct wfm_plan_in *in, struct wfm_plan_row *r)
{
	struct wfm_traffic t = {r->calls, in->interval_s, r->aht_s,
				in->patience_s};
	struct wfm_perf p;
	int err;

	/* Below a thousandth of a call nobody needs to wait for it. */
	if (r->calls < 1e-3) {
		r->service_level = 1;
		return 0;
	}
	err = wfm_staff(&t, in->target_sl, in->sl_time_s, &p);
	if (err)
		return err;
	r->agents = p.agents;
	r->service_level = p.service_level;
	r->scheduled = (unsigned)ceil((double)p.agents / (1 - in->shrinkage)
				      - 1e-9);
	return r->scheduled > WFM_MAX_AGENTS ? ERANGE : 0;
}

int wfm_plan_make(const struct wfm_plan_in *in, struct wfm_plan *out)
{
	struct wfm_plan p = {0};
	struct wfm_hw m = {0};
	double *fc = NULL, *aht = NULL;
	int err = check_in(in);

	if (err || !out)
		return err ? err : EINVAL;
	p.held_out = malloc(in->period * sizeof(*p.held_out));
	if (!p.held_out)
		return ENOMEM;
	err = choose(in, &p.kind, p.held_out, &p.mape, &p.mape_intervals);
	if (err)
		goto out;
	fc = malloc(in->horizon * sizeof(*fc));
	aht = malloc(in->period * sizeof(*aht));
	p.rows = calloc(in->horizon, sizeof(*p.rows));
	if (!fc || !aht || !p.rows) {
		err = ENOMEM;
		goto out;
	}
	err = aht_profile(in, aht);
	if (!err)
		err = wfm_hw_fit(in->calls, in->n, in->period, p.kind, &m);
	if (!err)
		err = wfm_hw_forecast(&m, in->horizon, fc);
	if (err)
		goto out;
	p.params = m.p;
	p.nrows = in->horizon;
	for (size_t k = 0; k < in->horizon && !err; k++) {
		p.rows[k].calls = fc[k];
		p.rows[k].aht_s = aht[(in->n + k) % in->period];
		err = staff_row(in, &p.rows[k]);
	}
out:
	wfm_hw_free(&m);
	free(fc);
	free(aht);
	if (err)
		wfm_plan_free(&p);
	else
		*out = p;
	return err;
}

void wfm_plan_free(struct wfm_plan *p)
{
	if (!p)
		return;
	free(p->rows);
	free(p->held_out);
	p->rows = NULL;
	p->held_out = NULL;
	p->nrows = 0;
}
