/* wfm/forecast: Holt-Winters exponential smoothing with trend and one
 * season (a week of intervals: day of week × time of day), its parameters
 * fitted to the history, and the accuracy measure of a held-out stretch.
 *
 * Time t = 0..n-1, slot(t) = t mod period. With the level l and trend b
 * of t-1 and the slot's seasonal s, the one-step prediction and the
 * updates are (Hyndman & Athanasopoulos, "Forecasting: Principles and
 * Practice", 8.3, component form):
 *   additive        ŷ = l + b + s
 *                   l' = α(y - s) + (1-α)(l + b)
 *                   s' = γ(y - l') + (1-γ)s
 *   multiplicative  ŷ = (l + b)s
 *                   l' = α y/s + (1-α)(l + b)
 *                   s' = γ y/l' + (1-γ)s
 *   both            b' = β(l' - l) + (1-β)b
 * and the forecast h steps after the last observation is l + hb plus (or
 * times) the slot's latest s. The state starts from the first two seasons:
 * l and b from their means, s from the first season with that trend taken
 * out; the fit's error is summed from the second season on, where every
 * prediction is out of sample.
 *
 * The fit minimises the sum of squared one-step errors over (α, β, γ) in
 * [0, 1]^3: the best of a 4 × 3 × 4 grid starts a Nelder-Mead simplex whose
 * points are clamped into the cube. Everything is a fixed number of passes
 * over the series: no clock, no randomness, the same answer every run. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "wfm/wfm_int.h"

/* Below this a multiplicative index or level is treated as this: a quiet
 * night slot (no calls) must not divide by zero. */
#define TINY 1e-6

enum { NM_ITER_MAX = 400 };

/* The state after the first two seasons' initialisation. */
static void init_state(const double *y, size_t p, enum wfm_hw_kind kind,
		       double *l, double *b, double *s)
{
	double m1 = 0, m2 = 0;

	for (size_t i = 0; i < p; i++) {
		m1 += y[i];
		m2 += y[p + i];
	}
	m1 /= (double)p;
	m2 /= (double)p;
	*b = (m2 - m1) / (double)p;
	/* m1 is the level at the middle of the first season. */
	for (size_t i = 0; i < p; i++) {
		double lvl = m1 + *b * ((double)i - (double)(p - 1) / 2);

		if (kind == WFM_HW_ADDITIVE)
			s[i] = y[i] - lvl;
		else
			s[i] = lvl > TINY ? y[i] / lvl : 1;
	}
	/* The level at t = p - 1, from which smoothing runs at t = p. */
	*l = m1 + *b * (double)(p - 1) / 2;
}

/* Smooths y[p..n) from the initial state; returns the sum of squared
 * one-step errors and leaves the final state in l, b, s. */
static double smooth(const double *y, size_t n, size_t p,
		     enum wfm_hw_kind kind, const struct wfm_hw_params *hp,
		     double *l, double *b, double *s)
{
	double a = hp->alpha, be = hp->beta, g = hp->gamma, sse = 0;

	init_state(y, p, kind, l, b, s);
	for (size_t t = p; t < n; t++) {
		double *si = &s[t % p], lv = *l, tr = *b, pred, nl;

		if (kind == WFM_HW_ADDITIVE) {
			pred = lv + tr + *si;
			nl = a * (y[t] - *si) + (1 - a) * (lv + tr);
			*si = g * (y[t] - nl) + (1 - g) * *si;
		} else {
			double sd = fmax(*si, TINY);
			pred = (lv + tr) * *si;
			nl = a * y[t] / sd + (1 - a) * (lv + tr);
			*si = g * y[t] / fmax(nl, TINY) + (1 - g) * *si;
		}
		*b = be * (nl - lv) + (1 - be) * tr;
		*l = nl;
		sse += (y[t] - pred) * (y[t] - pred);
	}
	return sse;
}

static int check_series(const double *y, size_t n, size_t period,
			enum wfm_hw_kind kind)
{
	if (!y || period < 2 || n < 2 * period || n > WFM_HW_MAX_N)
		return EINVAL;
	if (kind != WFM_HW_ADDITIVE && kind != WFM_HW_MULTIPLICATIVE)
		return EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(y[i]) || y[i] < 0)
			return EINVAL;
	return 0;
}

static bool params_ok(const struct wfm_hw_params *p)
{
	return p && p->alpha >= 0 && p->alpha <= 1 && p->beta >= 0 &&
	       p->beta <= 1 && p->gamma >= 0 && p->gamma <= 1;
}

int wfm_hw_run(const double *y, size_t n, size_t period,
	       enum wfm_hw_kind kind, const struct wfm_hw_params *hp,
	       struct wfm_hw *m)
{
	double *s;
	int err = check_series(y, n, period, kind);

	if (err)
		return err;
	if (!m || !params_ok(hp))
		return EINVAL;
	s = malloc(period * sizeof(*s));
	if (!s)
		return ENOMEM;
	wfm_hw_free(m);
	m->kind = kind;
	m->p = *hp;
	m->period = period;
	m->n = n;
	m->season = s;
	m->sse = smooth(y, n, period, kind, hp, &m->level, &m->trend, s);
	return 0;
}

/* ---- the fit ---- */

struct objective {
	const double *y;
	size_t n, p;
	enum wfm_hw_kind kind;
	double *l, *b, *s;     /* scratch state */
};

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

static double f_of(struct objective *o, const double x[3])
{
	struct wfm_hw_params hp = {clamp01(x[0]), clamp01(x[1]),
				   clamp01(x[2])};
	double v = smooth(o->y, o->n, o->p, o->kind, &hp, o->l, o->b, o->s);

	return isfinite(v) ? v : HUGE_VAL;
}

/* Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2)
 * from x, with an initial step of 0.1 along each axis. */
static void nelder_mead(struct objective *o, double x[3], double *fx)
{
	double pt[4][3], f[4];

	for (int i = 0; i < 4; i++) {
		memcpy(pt[i], x, sizeof(pt[i]));
		if (i)
			pt[i][i - 1] += x[i - 1] > 0.5 ? -0.1 : 0.1;
		f[i] = i ? f_of(o, pt[i]) : *fx;
	}
	for (int it = 0; it < NM_ITER_MAX; it++) {
		int hi = 0, lo = 0, nh;
		double c[3] = {0}, r[3], fr;

		for (int i = 1; i < 4; i++) {
			if (f[i] > f[hi])
				hi = i;
			if (f[i] < f[lo])
				lo = i;
		}
		nh = hi == 0 ? 1 : 0;
		for (int i = 0; i < 4; i++)
			if (i != hi && f[i] > f[nh])
				nh = i;
		if (f[hi] - f[lo] <= 1e-10 * (fabs(f[lo]) + 1e-12))
			break;
		for (int i = 0; i < 4; i++)
			for (int k = 0; i != hi && k < 3; k++)
				c[k] += pt[i][k] / 3;
		for (int k = 0; k < 3; k++)
			r[k] = clamp01(c[k] + (c[k] - pt[hi][k]));
		fr = f_of(o, r);
		if (fr < f[lo]) {
			double e[3], fe;
			for (int k = 0; k < 3; k++)
				e[k] = clamp01(c[k] + 2 * (c[k] - pt[hi][k]));
			fe = f_of(o, e);
			memcpy(pt[hi], fe < fr ? e : r, sizeof(pt[hi]));
			f[hi] = fe < fr ? fe : fr;
		} else if (fr < f[nh]) {
			memcpy(pt[hi], r, sizeof(pt[hi]));
			f[hi] = fr;
		} else {
			double k2[3], fk;
			for (int k = 0; k < 3; k++)
				k2[k] = c[k] + 0.5 * (pt[hi][k] - c[k]);
			fk = f_of(o, k2);
			if (fk < f[hi]) {
				memcpy(pt[hi], k2, sizeof(pt[hi]));
				f[hi] = fk;
			} else {
				for (int i = 0; i < 4; i++) {
					if (i == lo)
						continue;
					for (int k = 0; k < 3; k++)
						pt[i][k] = pt[lo][k] + 0.5 *
							(pt[i][k] - pt[lo][k]);
					f[i] = f_of(o, pt[i]);
				}
			}
		}
	}
	for (int i = 0; i < 4; i++) {
		if (f[i] < *fx) {
			*fx = f[i];
			memcpy(x, pt[i], sizeof(pt[i]));
		}
	}
}

int wfm_hw_fit(const double *y, size_t n, size_t period,
	       enum wfm_hw_kind kind, struct wfm_hw *m)
{
	static const double ga[] = {0.05, 0.2, 0.5, 0.8};
	static const double gb[] = {0.0, 0.05, 0.2};
	double *scratch, lv, tr, best[3] = {0}, fbest = HUGE_VAL;
	struct objective o = {y, n, period, kind, &lv, &tr, NULL};
	struct wfm_hw_params hp;
	int err = check_series(y, n, period, kind);

	if (err)
		return err;
	if (!m)
		return EINVAL;
	scratch = malloc(period * sizeof(*scratch));
	if (!scratch)
		return ENOMEM;
	o.s = scratch;
	for (size_t i = 0; i < ARRAY_LEN(ga); i++)
		for (size_t j = 0; j < ARRAY_LEN(gb); j++)
			for (size_t k = 0; k < ARRAY_LEN(ga); k++) {
				double x[3] = {ga[i], gb[j], ga[k]};
				double f = f_of(&o, x);
				if (f < fbest) {
					fbest = f;
					memcpy(best, x, sizeof(best));
				}
			}
	nelder_mead(&o, best, &fbest);
	free(scratch);
	hp = (struct wfm_hw_params){clamp01(best[0]), clamp01(best[1]),
				    clamp01(best[2])};
	return wfm_hw_run(y, n, period, kind, &hp, m);
}

int wfm_hw_forecast(const struct wfm_hw *m, size_t h, double *out)
{
	if (!m || !m->season || !out)
		return EINVAL;
	for (size_t k = 1; k <= h; k++) {
		double s = m->season[(m->n - 1 + k) % m->period];
		double base = m->level + (double)k * m->trend, v;

		v = m->kind == WFM_HW_ADDITIVE ? base + s : base * s;
		/* Calls and seconds are never negative. */
		out[k - 1] = v > 0 ? v : 0;
	}
	return 0;
}

void wfm_hw_free(struct wfm_hw *m)
{
	if (!m)
		return;
	free(m->season);
	m->season = NULL;
}

int wfm_mape(const double *actual, const double *fc, size_t n, double *mape,
	     size_t *used)
{
	double sum = 0;
	size_t k = 0;

	if (!actual || !fc || !mape)
		return EINVAL;
	for (size_t i = 0; i < n; i++) {
		/* An interval without calls has no percentage error. */
		if (!(actual[i] > 0))
			continue;
		sum += fabs(actual[i] - fc[i]) / actual[i];
		k++;
	}
	if (used)
		*used = k;
	if (!k)
		return ENODATA;
	*mape = sum / (double)k;
	return 0;
}
