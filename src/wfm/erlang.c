/* wfm/erlang: Erlang B and C, the closed-form Erlang C evaluation and the
 * staffing search.
 *
 * Factorials never appear: B(n, a) comes from B(k) = aB(k-1)/(k + aB(k-1)),
 * whose inverse I(k) = 1 + (k/a)I(k-1) is kept as ln I(k). I(k) overflows a
 * double near k = 170 for a = 1, ln I(k) never does, and B = exp(-ln I)
 * underflows gracefully to 0 where it is negligible anyway. */
#include <errno.h>
#include <math.h>
#include "wfm/wfm_int.h"

/* ln(1 + e^u) without overflow for large u or loss for very negative u. */
static double softplus(double u)
{
	return u > 0 ? u + log1p(exp(-u)) : log1p(exp(u));
}

double wfm_log_inv_b(unsigned n, double a)
{
	double l = 0;   /* ln I(0) = ln 1 */

	for (unsigned k = 1; k <= n; k++)
		l = softplus(log((double)k / a) + l);
	return l;
}

int wfm_erlang_b(unsigned n, double a, double *b)
{
	if (!(a >= 0) || !isfinite(a))
		return EINVAL;
	if (a == 0) {
		*b = n ? 0 : 1;
		return 0;
	}
	*b = exp(-wfm_log_inv_b(n, a));
	return 0;
}

int wfm_erlang_c(unsigned n, double a, double *c)
{
	double b, rho;

	if (!n || !(a >= 0) || !isfinite(a))
		return EINVAL;
	if (a >= n) {
		*c = 1;
		return 0;
	}
	wfm_erlang_b(n, a, &b);
	rho = a / n;
	*c = b / (1 - rho * (1 - b));
	return 0;
}

int wfm_check(const struct wfm_traffic *t, unsigned agents, double sl_time_s)
{
	if (!t || !agents || agents > WFM_MAX_AGENTS)
		return EINVAL;
	if (!(t->calls > 0) || !(t->interval_s > 0) || !(t->aht_s > 0) ||
	    !(t->patience_s >= 0) || !(sl_time_s >= 0))
		return EINVAL;
	if (!isfinite(t->calls) || !isfinite(t->interval_s) ||
	    !isfinite(t->aht_s) || !isfinite(t->patience_s) ||
	    !isfinite(sl_time_s))
		return EINVAL;
	return 0;
}

int wfm_erlang_c_eval(const struct wfm_traffic *t, unsigned agents,
		      double sl_time_s, struct wfm_perf *out)
{
	struct wfm_perf p = {.agents = agents};
	double c, spare;
	int err = wfm_check(t, agents, sl_time_s);

	if (err)
		return err;
	p.erlangs = t->calls * t->aht_s / t->interval_s;
	if (p.erlangs >= agents) {
		p.p_wait = 1;
		p.asa_s = p.avg_wait_s = INFINITY;
		p.occupancy = 1;
		*out = p;
		return 0;
	}
	wfm_erlang_c(agents, p.erlangs, &c);
	spare = agents - p.erlangs;
	p.stable = true;
	p.p_wait = c;
	/* A waiting call's wait is exponential with rate (N - A)/AHT. */
	p.service_level = 1 - c * exp(-spare * sl_time_s / t->aht_s);
	p.asa_s = p.avg_wait_s = c * t->aht_s / spare;
	p.occupancy = p.erlangs / agents;
	*out = p;
	return 0;
}

int wfm_eval(const struct wfm_traffic *t, unsigned agents, double sl_time_s,
	     struct wfm_perf *out)
{
	if (t && t->patience_s == 0)
		return wfm_erlang_c_eval(t, agents, sl_time_s, out);
	return wfm_erlang_a_eval(t, agents, sl_time_s, out);
}

/* Service level grows with every agent added, so the fewest agents meeting
 * the target is found by doubling and then bisecting: O(log N) evaluations
 * instead of one per candidate. */
int wfm_staff(const struct wfm_traffic *t, double target_sl, double sl_time_s,
	      struct wfm_perf *out)
{
	struct wfm_perf p;
	unsigned lo, hi;   /* lo - 1 fails the target (or is 0); hi meets it */
	int err = wfm_check(t, 1, sl_time_s);

	if (err)
		return err;
	if (!(target_sl > 0) || !(target_sl < 1))
		return EINVAL;
	lo = 1;
	if (t->patience_s == 0) {
		/* Erlang C needs A < N before any service level exists. */
		double a = t->calls * t->aht_s / t->interval_s;
		if (a >= WFM_MAX_AGENTS)
			return ERANGE;
		lo = (unsigned)floor(a) + 1;
	}
	hi = lo;
	for (;;) {
		err = wfm_eval(t, hi, sl_time_s, &p);
		if (err)
			return err;
		if (p.service_level >= target_sl)
			break;
		if (hi >= WFM_MAX_AGENTS)
			return ERANGE;
		lo = hi + 1;
		hi = hi > WFM_MAX_AGENTS / 2 ? WFM_MAX_AGENTS : hi * 2;
	}
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		err = wfm_eval(t, mid, sl_time_s, &p);
		if (err)
			return err;
		if (p.service_level >= target_sl)
			hi = mid;
		else
			lo = mid + 1;
	}
	return wfm_eval(t, hi, sl_time_s, out);
}
