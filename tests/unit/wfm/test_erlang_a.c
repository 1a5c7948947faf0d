/* Erlang A (callers with exponential patience): limits, monotony, and the
 * chain's answers checked against independent computations. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "wfm/wfm.h"

#define assert_near(want, got, tol) \
	assert_true(fabs((double)(want) - (double)(got)) <= (tol))

/* 100 calls per half hour at 180 s: 10 erlangs. */
static const struct wfm_traffic ten = {
	.calls = 100, .interval_s = 1800, .aht_s = 180,
};

static struct wfm_traffic with_patience(double s)
{
	struct wfm_traffic t = ten;
	t.patience_s = s;
	return t;
}

/* The chain run with patience 0 is Erlang C computed another way. */
static void chain_without_abandonment_is_erlang_c(void **state)
{
	static const unsigned agents[] = {11, 12, 14, 20, 40};
	static const double sl_times[] = {0, 5, 20, 120};
	(void)state;
	for (size_t i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
		for (size_t k = 0; k < sizeof(sl_times) / sizeof(sl_times[0]); k++) {
			struct wfm_perf a, c;
			assert_int_equal(0, wfm_erlang_a_eval(&ten, agents[i], sl_times[k], &a));
			assert_int_equal(0, wfm_erlang_c_eval(&ten, agents[i], sl_times[k], &c));
			assert_near(c.p_wait, a.p_wait, 1e-12);
			assert_near(c.service_level, a.service_level, 1e-12);
			assert_near(c.asa_s, a.asa_s, 1e-9);
			assert_near(c.avg_wait_s, a.avg_wait_s, 1e-9);
			assert_near(c.occupancy, a.occupancy, 1e-12);
			assert_near(0, a.p_abandon, 1e-15);
		}
	}
}

/* Patient enough callers behave like Erlang C's. */
static void erlang_a_tends_to_erlang_c_as_patience_grows(void **state)
{
	struct wfm_traffic t = with_patience(1e9);
	struct wfm_perf a, c;
	(void)state;
	assert_int_equal(0, wfm_eval(&t, 14, 20, &a));
	assert_int_equal(0, wfm_eval(&ten, 14, 20, &c));
	assert_near(c.p_wait, a.p_wait, 1e-6);
	assert_near(c.service_level, a.service_level, 1e-6);
	assert_near(c.asa_s, a.asa_s, 1e-4);
	assert_true(a.p_abandon < 1e-7);
}

/* Less patience: more callers hang up, so fewer wait and waits shorten. */
static void less_patience_means_more_abandonment(void **state)
{
	static const double patience[] = {3600, 600, 180, 60, 10};
	struct wfm_perf prev = {0};
	(void)state;
	for (size_t i = 0; i < sizeof(patience) / sizeof(patience[0]); i++) {
		struct wfm_traffic t = with_patience(patience[i]);
		struct wfm_perf p;
		assert_int_equal(0, wfm_eval(&t, 11, 20, &p));
		assert_true(p.p_abandon > 0 && p.p_abandon < 1);
		if (i) {
			assert_true(p.p_abandon > prev.p_abandon);
			assert_true(p.p_wait < prev.p_wait);
			assert_true(p.asa_s < prev.asa_s);
			assert_true(p.occupancy < prev.occupancy);
		}
		prev = p;
	}
}

/* Reference values from the chain written out plainly in long double:
 * every state's weight, the answered probability of a call finding j
 * waiting as the product over the stages it must pass (not the telescoped
 * form wfm uses), abandonment from rate balance (t E[Q] = l P(abandon)),
 * and busy agents state by state. */
struct ref { double p_wait, answered, abandon, occupancy, mass; };

static struct ref reference_mmnm(unsigned n, double lambda, double aht,
				 double patience)
{
	long double mu = 1 / (long double)aht, th = 1 / (long double)patience;
	long double w = 1, z = 0, waiting = 0, answered = 0, queue = 0, busy = 0;
	long double weights[20000];
	unsigned last = 0;
	struct ref r;

	for (unsigned s = 0; s < 20000; s++) {
		weights[s] = w;
		z += w;
		last = s;
		if (s > n && w < 1e-40L * z)
			break;
		w *= lambda / (mu * (s + 1 < n ? s + 1 : n) +
			       th * (s + 1 > n ? s + 1 - n : 0));
	}
	r.mass = 0;
	for (unsigned s = 0; s <= last; s++) {
		long double pi = weights[s] / z;
		r.mass += (double)pi;
		busy += pi * (s < n ? s : n);
		if (s < n) {
			answered += pi;
			continue;
		}
		long double served = 1;
		for (unsigned k = 0; k <= s - n; k++)
			served *= (n * mu + k * th) / (n * mu + (k + 1) * th);
		waiting += pi;
		answered += pi * served;
		queue += pi * (s - n);
	}
	r.p_wait = (double)waiting;
	r.answered = (double)answered;
	r.abandon = (double)(th * queue / lambda);
	r.occupancy = (double)(busy / n);
	return r;
}

/* Answered plus abandoned is every call, two independent ways. */
static void answered_and_abandoned_sum_to_one(void **state)
{
	static const struct { unsigned n; double patience; } cases[] = {
		{8, 60}, {10, 120}, {11, 30}, {14, 300}, {20, 5},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wfm_traffic t = with_patience(cases[i].patience);
		struct ref r = reference_mmnm(cases[i].n, 100.0 / 1800, 180,
					      cases[i].patience);
		struct wfm_perf p;
		assert_int_equal(0, wfm_eval(&t, cases[i].n, 20, &p));
		assert_near(1.0, r.mass, 1e-12);
		assert_near(1.0, r.answered + r.abandon, 1e-12);
		assert_near(r.p_wait, p.p_wait, 1e-10);
		assert_near(r.abandon, p.p_abandon, 1e-10);
		assert_near(r.occupancy, p.occupancy, 1e-10);
		/* Little: abandonment rate t E[Q] = l P(ab), E[Q] = l E[wait]. */
		assert_near(p.p_abandon, p.avg_wait_s / cases[i].patience, 1e-10);
	}
}

/* P(answered within T) by uniformizing the tagged caller's own chain:
 * stage k (k callers ahead) moves on at rate Nm + kt, ends in abandonment
 * at rate t; f_m(k) = P(answered within m jumps of a Poisson(L) clock).
 * Shares nothing with the negative-binomial closed form in wfm. */
static double reference_sl(unsigned n, double lambda, double aht,
			   double patience, double t_sl)
{
	enum { J = 400, M = 4000 };
	static double f[J + 1], g[J + 1];
	double mu = 1 / aht, th = 1 / patience, big;
	double w[J + 1], z, below = 0, sum = 0, pois, in_t[J + 1] = {0};
	double term = 1;

	big = n * mu + (J + 1) * th;
	for (int k = 0; k <= J; k++)
		f[k] = 0;
	pois = exp(-big * t_sl);
	for (int m = 0; m < M; m++) {
		for (int k = 0; k <= J; k++)
			in_t[k] += pois * f[k];
		for (int k = 0; k <= J; k++) {
			double fwd = (n * mu + k * th) / big;
			double stay = 1 - (n * mu + (k + 1) * th) / big;
			g[k] = fwd * (k ? f[k - 1] : 1) + stay * f[k];
		}
		for (int k = 0; k <= J; k++)
			f[k] = g[k];
		pois *= big * t_sl / (m + 1);
	}
	/* Stationary weights relative to state n. */
	for (unsigned s = n; s-- > 0;) {
		term *= (s + 1) * mu / lambda;
		below += term;
	}
	w[0] = 1;
	z = below + 1;
	for (int j = 1; j <= J; j++) {
		w[j] = w[j - 1] * lambda / (n * mu + j * th);
		z += w[j];
	}
	for (int j = 0; j <= J; j++)
		sum += w[j] * in_t[j];
	return (below + sum) / z;
}

static void service_level_agrees_with_uniformization(void **state)
{
	static const struct { unsigned n; double patience, t; } cases[] = {
		{10, 60, 20}, {11, 120, 20}, {12, 30, 10}, {9, 200, 30},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wfm_traffic t = with_patience(cases[i].patience);
		struct wfm_perf p;
		double ref = reference_sl(cases[i].n, 100.0 / 1800, 180,
					  cases[i].patience, cases[i].t);
		assert_int_equal(0, wfm_eval(&t, cases[i].n, cases[i].t, &p));
		assert_near(ref, p.service_level, 1e-9);
	}
}

/* Abandonment keeps a queue with more erlangs than agents finite: at most
 * N erlangs are carried, so at least 1 - N/A of the callers hang up. */
static void overloaded_queue_is_stable_with_abandonment(void **state)
{
	struct wfm_traffic t = {.calls = 150, .interval_s = 1800, .aht_s = 180,
				.patience_s = 60};
	struct wfm_perf p;
	(void)state;
	assert_int_equal(0, wfm_eval(&t, 10, 20, &p));
	assert_true(p.stable);
	assert_true(p.p_abandon >= 1 - 10.0 / 15);
	assert_true(p.occupancy < 1);
	assert_true(isfinite(p.asa_s) && p.asa_s > 0);
	assert_near(p.occupancy, 15 * (1 - p.p_abandon) / 10, 1e-12);
}

/* Callers who give up relieve the queue: never more agents than Erlang C,
 * and one agent fewer than found misses the target. */
static void staffing_with_patience_is_minimal(void **state)
{
	struct wfm_traffic t = with_patience(120);
	struct wfm_perf a, c, fewer;
	(void)state;
	assert_int_equal(0, wfm_staff(&t, 0.8, 20, &a));
	assert_int_equal(0, wfm_staff(&ten, 0.8, 20, &c));
	assert_true(a.agents <= c.agents);
	assert_true(a.service_level >= 0.8);
	assert_int_equal(0, wfm_eval(&t, a.agents - 1, 20, &fewer));
	assert_true(fewer.service_level < 0.8);
}

/* A large center: 2,000 erlangs, two-minute patience. Erlang C needs
 * 2,021 agents for 90% in 20 s; with abandonment 1,824 do it, in the
 * regime where nearly every caller waits a little and about 9% give up
 * (answered within 20 s counts abandons as misses, so 91% answered and
 * 90% answered in time). */
static void large_centers_are_computed(void **state)
{
	struct wfm_traffic t = {.calls = 2000 * 3600 / 240.0, .interval_s = 3600,
				.aht_s = 240, .patience_s = 120};
	struct wfm_perf p, c;
	(void)state;
	assert_int_equal(0, wfm_staff(&t, 0.9, 20, &p));
	assert_int_equal(1824, p.agents);
	assert_true(p.service_level >= 0.9 && p.service_level < 1);
	assert_true(p.p_wait > 0.99);
	assert_near(0.088, p.p_abandon, 0.001);
	assert_true(1 - p.p_abandon >= p.service_level);
	t.patience_s = 0;
	assert_int_equal(0, wfm_staff(&t, 0.9, 20, &c));
	assert_int_equal(2021, c.agents);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_without_abandonment_is_erlang_c),
		cmocka_unit_test(erlang_a_tends_to_erlang_c_as_patience_grows),
		cmocka_unit_test(less_patience_means_more_abandonment),
		cmocka_unit_test(answered_and_abandoned_sum_to_one),
		cmocka_unit_test(service_level_agrees_with_uniformization),
		cmocka_unit_test(overloaded_queue_is_stable_with_abandonment),
		cmocka_unit_test(staffing_with_patience_is_minimal),
		cmocka_unit_test(large_centers_are_computed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
