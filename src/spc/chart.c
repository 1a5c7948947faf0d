/* spc/chart: the limits of XmR, p and X̄-R charts (docs/spc.md). The
 * limits come from the baseline points, or from the centre and sigma the
 * caller gives; the rules (rules.c) read the z scale computed here. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "spc/spc.h"

/* Shewhart's constants for subgroups of n = 2..10 (ASTM STP 15D):
 * d2 turns an average range into σ; A2 = 3 / (d2·√n); D3, D4 bound R.
 * c4 turns an average standard deviation into σ; A3 = 3 / (c4·√n); B3,
 * B4 bound s. The limits use d2 and c4 (A2 and A3 are those rounded); the
 * tables are kept whole so a test can hold the code to the printed
 * constants. */
static const struct {
	double d2, a2, d3, d4;
	double c4, a3, b3, b4;
} xbar_k[] = {
	[2]  = {1.128, 1.880, 0.000, 3.267, 0.7979, 2.659, 0.000, 3.267},
	[3]  = {1.693, 1.023, 0.000, 2.574, 0.8862, 1.954, 0.000, 2.568},
	[4]  = {2.059, 0.729, 0.000, 2.282, 0.9213, 1.628, 0.000, 2.266},
	[5]  = {2.326, 0.577, 0.000, 2.114, 0.9400, 1.427, 0.000, 2.089},
	[6]  = {2.534, 0.483, 0.000, 2.004, 0.9515, 1.287, 0.030, 1.970},
	[7]  = {2.704, 0.419, 0.076, 1.924, 0.9594, 1.182, 0.118, 1.882},
	[8]  = {2.847, 0.373, 0.136, 1.864, 0.9650, 1.099, 0.185, 1.815},
	[9]  = {2.970, 0.337, 0.184, 1.816, 0.9693, 1.032, 0.239, 1.761},
	[10] = {3.078, 0.308, 0.223, 1.777, 0.9727, 0.975, 0.284, 1.716},
};

static bool subgroups(enum spc_chart_kind k)
{
	return k == SPC_XBAR_R || k == SPC_XBAR_S;
}

void spc_chart_free(struct spc_chart *c)
{
	if (!c)
		return;
	free(c->y);
	free(c->z);
	free(c->ucl_i);
	free(c->lcl_i);
	free(c->r);
	memset(c, 0, sizeof(*c));
}

static int check_input(const struct spc_input *in, size_t *from, size_t *to)
{
	size_t nx = subgroups(in->kind) ? in->npoints * in->size
					: in->npoints;

	if (!in->x || !in->npoints)
		return EDOM;
	if (subgroups(in->kind) &&
	    (in->size < SPC_XBAR_N_MIN || in->size > SPC_XBAR_N_MAX))
		return EINVAL;
	if (in->kind == SPC_P && !in->n)
		return EINVAL;
	if (in->kind == SPC_P && in->has_sigma)
		return EINVAL;   /* σ follows p̄ and each n */
	if (in->has_sigma && !(isfinite(in->sigma) && in->sigma > 0))
		return in->sigma == 0 ? ERANGE : EINVAL;
	if (in->has_center && !isfinite(in->center))
		return EINVAL;
	for (size_t i = 0; i < nx; i++)
		if (!isfinite(in->x[i]))
			return EINVAL;
	*from = in->base_from;
	*to = in->base_to ? in->base_to : in->npoints;
	if (*from >= *to || *to > in->npoints)
		return EINVAL;
	/* A computed σ (or p̄) needs two baseline points at least; a given
	 * one leaves one to place the centre. */
	if (*to - *from < (in->kind == SPC_P ? (in->has_center ? 1 : 2)
					       : (in->has_sigma ? 1 : 2)))
		return EDOM;
	return 0;
}

/* XmR: centre = mean, σ = MR̄ / 1.128, MR chart UCL = 3.267·MR̄. */
static int make_xmr(const struct spc_input *in, size_t from, size_t to,
		    struct spc_chart *c)
{
	double sum = 0, mr = 0;

	for (size_t i = 0; i < in->npoints; i++) {
		c->y[i] = in->x[i];
		c->r[i] = i ? fabs(in->x[i] - in->x[i - 1]) : 0;
	}
	for (size_t i = from; i < to; i++)
		sum += in->x[i];
	for (size_t i = from + 1; i < to; i++)
		mr += c->r[i];
	c->center = in->has_center ? in->center : sum / (double)(to - from);
	c->r_center = to - from > 1 ? mr / (double)(to - from - 1) : 0;
	c->sigma = in->has_sigma ? in->sigma : c->r_center / xbar_k[2].d2;
	if (in->has_sigma)
		c->r_center = in->sigma * xbar_k[2].d2;
	c->r_ucl = xbar_k[2].d4 * c->r_center;
	c->r_lcl = 0;
	return 0;
}

/* p: p̄ = Σd / Σn over the baseline; σ_i = √(p̄(1-p̄)/n_i). */
static int make_p(const struct spc_input *in, size_t from, size_t to,
		  struct spc_chart *c)
{
	bool frac = in->proportions;
	double d = 0, nn = 0, nall = 0;

	for (size_t i = 0; i < in->npoints; i++) {
		if (!isfinite(in->n[i]) || in->n[i] < 1 ||
		    in->n[i] != floor(in->n[i]) || in->x[i] < 0)
			return EINVAL;
		if (in->x[i] != floor(in->x[i]))
			frac = true;
	}
	for (size_t i = 0; i < in->npoints; i++) {
		double p = frac ? in->x[i] : in->x[i] / in->n[i];

		if (p > 1)
			return EINVAL;
		c->y[i] = p;
		nall += in->n[i];
		if (i >= from && i < to) {
			d += p * in->n[i];
			nn += in->n[i];
		}
	}
	c->center = in->has_center ? in->center : d / nn;
	if (c->center <= 0 || c->center >= 1)
		return in->has_center && (c->center < 0 || c->center > 1)
			? EINVAL : ERANGE;
	c->sigma = sqrt(c->center * (1 - c->center) / (nall / in->npoints));
	for (size_t i = 0; i < in->npoints; i++) {
		double s = sqrt(c->center * (1 - c->center) / in->n[i]);

		c->ucl_i[i] = fmin(1, c->center + 3 * s);
		c->lcl_i[i] = fmax(0, c->center - 3 * s);
		c->z[i] = (c->y[i] - c->center) / s;
	}
	c->ucl = fmin(1, c->center + 3 * c->sigma);
	c->lcl = fmax(0, c->center - 3 * c->sigma);
	return 0;
}

/* A subgroup's spread: its range (X̄-R) or its standard deviation with
 * n − 1 (X̄-S), around its mean. */
static double spread(enum spc_chart_kind k, const double *g, size_t m,
		     double mean)
{
	double lo = g[0], hi = g[0], ss = 0;

	for (size_t j = 0; j < m; j++) {
		lo = fmin(lo, g[j]);
		hi = fmax(hi, g[j]);
		ss += (g[j] - mean) * (g[j] - mean);
	}
	return k == SPC_XBAR_R ? hi - lo : sqrt(ss / (double)(m - 1));
}

/* X̄-R: X̿ ± A2·R̄ (σ_x̄ = R̄ / (d2·√n)); R chart D3·R̄ .. D4·R̄.
 * X̄-S: X̿ ± A3·s̄ (σ_x̄ = s̄ / (c4·√n)); S chart B3·s̄ .. B4·s̄. */
static int make_xbar(const struct spc_input *in, size_t from, size_t to,
		     struct spc_chart *c)
{
	size_t m = in->size;
	bool r = in->kind == SPC_XBAR_R;
	double k = r ? xbar_k[m].d2 : xbar_k[m].c4, sum = 0, rsum = 0;

	for (size_t i = 0; i < in->npoints; i++) {
		const double *g = in->x + i * m;
		double s = 0;

		for (size_t j = 0; j < m; j++)
			s += g[j];
		c->y[i] = s / (double)m;
		c->r[i] = spread(in->kind, g, m, c->y[i]);
		if (i >= from && i < to) {
			sum += c->y[i];
			rsum += c->r[i];
		}
	}
	c->center = in->has_center ? in->center : sum / (double)(to - from);
	c->r_center = rsum / (double)(to - from);
	if (in->has_sigma) {
		c->sigma = in->sigma;
		c->r_center = in->sigma * sqrt((double)m) * k;
	} else {
		c->sigma = c->r_center / (k * sqrt((double)m));
	}
	c->r_ucl = (r ? xbar_k[m].d4 : xbar_k[m].b4) * c->r_center;
	c->r_lcl = (r ? xbar_k[m].d3 : xbar_k[m].b3) * c->r_center;
	return 0;
}

int spc_chart_make(const struct spc_input *in, struct spc_chart *out)
{
	struct spc_chart c = {.kind = in ? in->kind : SPC_XMR};
	size_t from, to, n;
	int err;

	if (!in || !out)
		return EINVAL;
	err = check_input(in, &from, &to);
	if (err)
		return err;
	n = c.npoints = in->npoints;
	c.y = calloc(n, sizeof(double));
	c.z = calloc(n, sizeof(double));
	c.ucl_i = calloc(n, sizeof(double));
	c.lcl_i = calloc(n, sizeof(double));
	c.r = calloc(n, sizeof(double));
	if (!c.y || !c.z || !c.ucl_i || !c.lcl_i || !c.r) {
		spc_chart_free(&c);
		return ENOMEM;
	}
	err = in->kind == SPC_XMR ? make_xmr(in, from, to, &c)
	    : in->kind == SPC_P   ? make_p(in, from, to, &c)
	    : subgroups(in->kind) ? make_xbar(in, from, to, &c) : EINVAL;
	if (!err && !(c.sigma > 0 && isfinite(c.sigma)))
		err = ERANGE;
	if (err) {
		spc_chart_free(&c);
		return err;
	}
	if (in->kind != SPC_P) {
		c.ucl = c.center + 3 * c.sigma;
		c.lcl = c.center - 3 * c.sigma;
		for (size_t i = 0; i < n; i++) {
			c.ucl_i[i] = c.ucl;
			c.lcl_i[i] = c.lcl;
			c.z[i] = (c.y[i] - c.center) / c.sigma;
		}
	}
	*out = c;
	return 0;
}
