/* wfm/chain: Erlang A (M/M/N+M) from its birth-death chain.
 *
 * State n = calls in the system. Calls arrive at rate l = calls/interval;
 * the state falls at rate min(n, N)m (m = 1/AHT, answered calls finishing)
 * plus max(n - N, 0)t (t = 1/patience, each waiting caller hanging up).
 * With w(N) = 1 the stationary weights are
 *   below N:  sum_{n<N} w(n) = 1/B(N, A) - 1        (Erlang B, A = l/m)
 *   above N:  q(j) = w(N + j) = prod_{i=1..j} l / (Nm + it)
 * An arriving call sees state n with probability pi(n) (Poisson arrivals
 * see time averages), so P(wait) = sum_j pi(N + j).
 *
 * A call arriving with j callers already waiting, served first-come
 * first-served: while k callers are ahead of it, the next thing to happen
 * is one of: an agent frees up (rate Nm), one of the k ahead hangs up (kt),
 * or it hangs up itself (t). Stage k therefore lasts Exp(r(k)) with
 * r(k) = Nm + (k+1)t and is left forward with probability (Nm + kt)/r(k).
 * Passing stages j..0 means being answered:
 *   P(answered | j) = prod_{k=0..j} (Nm + kt)/(Nm + (k+1)t) = Nm/(Nm + (j+1)t)
 * and, since how long a race of exponentials lasts is independent of who
 * wins it, the wait of an answered call is the sum of Exp(r(k)), k = 0..j:
 *   E[wait | answered, j] = sum_{k=0..j} 1/r(k).
 * With c = Nm/t the rates are t(c+1) .. t(c+j+1), and such a sum is
 * -ln(U)/t with U ~ Beta(c+1, j+1); so P(wait <= T | answered, j) equals
 * P(X >= j+1) for X negative binomial with b = c+1 and p = 1 - e^{-tT}:
 *   s(0) = e^{-(Nm+t)T},  s(i+1) = s(i) (p + p c/(i+1))
 * As t -> 0, p c -> NmT and X becomes Poisson(NmT): the Erlang C wait of a
 * call with j ahead (a sum of j+1 Exp(Nm)). The same recursion covers both.
 * The abandonment probability follows from P(answered | j); the mean time
 * in queue of every caller is E[queue length]/l (Little). Everything is
 * summed in one pass after a first pass finds where to truncate and the
 * largest weight, by which all weights are scaled to stay finite. */
#include <errno.h>
#include <math.h>
#include "wfm/wfm_int.h"

enum { CHAIN_MAX_STATES = 10000000 };

/* Weights below e^-41 (about 1.6e-18) of the largest are dropped. */
#define CHAIN_EPS_LOG (-41.0)

struct chain {
	double lambda, nmu, theta;
	double log_below;   /* ln sum_{n<N} w(n), w(N) = 1 */
	double log_max;     /* the largest ln weight */
	unsigned long last; /* q(0) .. q(last) are summed */
};

/* Pass one: where the tail stops mattering, and the largest weight. */
static int chain_extent(struct chain *c)
{
	double logq = 0, log_max = fmax(0, c->log_below);
	unsigned long j = 0;

	for (;; j++) {
		double r = c->lambda / (c->nmu + (double)(j + 1) * c->theta);

		if (logq > log_max)
			log_max = logq;
		/* Ratios never grow, so q(j) r/(1-r) bounds all of q(j+1..). */
		if (r < 1 && logq + log(r / (1 - r)) < log_max + CHAIN_EPS_LOG)
			break;
		if (j >= CHAIN_MAX_STATES)
			return ERANGE;
		logq += log(r);
	}
	c->log_max = log_max;
	c->last = j;
	return 0;
}

int wfm_erlang_a_eval(const struct wfm_traffic *t, unsigned agents,
		      double sl_time_s, struct wfm_perf *out)
{
	struct wfm_perf p = {.agents = agents};
	struct chain c;
	double logq = 0, z, wait = 0, answered_waiting = 0, answered_in_t = 0;
	double wait_sum = 0, queue_len = 0;
	double p_nb, pc, log_s, cdf = 0, mean_wait = 0;
	int err = wfm_check(t, agents, sl_time_s);

	if (err)
		return err;
	c.lambda = t->calls / t->interval_s;
	c.nmu = agents / t->aht_s;
	c.theta = t->patience_s > 0 ? 1 / t->patience_s : 0;
	p.erlangs = t->calls * t->aht_s / t->interval_s;
	if (c.theta == 0 && p.erlangs >= agents) {
		p.p_wait = 1;
		p.asa_s = p.avg_wait_s = INFINITY;
		p.occupancy = 1;
		*out = p;
		return 0;
	}
	{
		double l = wfm_log_inv_b(agents, p.erlangs);  /* > 0: N >= 1 */
		c.log_below = l + log1p(-exp(-l));
	}
	err = chain_extent(&c);
	if (err)
		return err;

	z = exp(c.log_below - c.log_max);
	for (unsigned long j = 0; j <= c.last; j++) {
		z += exp(logq - c.log_max);
		if (j < c.last)
			logq += log(c.lambda / (c.nmu + (double)(j + 1) * c.theta));
	}

	/* Negative binomial of the header: p_nb and p_nb * c (limit NmT). */
	p_nb = -expm1(-c.theta * sl_time_s);
	pc = c.theta > 0 ? p_nb * c.nmu / c.theta : c.nmu * sl_time_s;
	log_s = -(c.nmu + c.theta) * sl_time_s;

	logq = 0;
	for (unsigned long j = 0; j <= c.last; j++) {
		double pj = exp(logq - c.log_max) / z;
		double served = c.nmu / (c.nmu + (double)(j + 1) * c.theta);

		cdf += exp(log_s);                 /* P(X <= j) */
		mean_wait += 1 / (c.nmu + (double)(j + 1) * c.theta);
		wait += pj;
		answered_waiting += pj * served;
		answered_in_t += pj * served * fmax(0, 1 - cdf);
		wait_sum += pj * served * mean_wait;
		queue_len += pj * (double)j;

		log_s += log(p_nb + pc / (double)(j + 1));
		if (j < c.last)
			logq += log(c.lambda / (c.nmu + (double)(j + 1) * c.theta));
	}

	p.stable = true;
	p.p_wait = fmin(1, wait);
	p.p_abandon = fmax(0, wait - answered_waiting);
	p.service_level = fmin(1, (1 - p.p_wait) + answered_in_t);
	p.asa_s = wait_sum / (1 - p.p_abandon);
	p.avg_wait_s = queue_len / c.lambda;
	p.occupancy = fmin(1, p.erlangs * (1 - p.p_abandon) / agents);
	*out = p;
	return 0;
}
