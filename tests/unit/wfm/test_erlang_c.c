/* Erlang B and C: published values, the staffing search, and the closed
 * form checked against an independent computation of the M/M/N chain. */
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

/* B(5, 2) = (2^5/5!) / sum_{k<=5} 2^k/k! = 0.26667 / 7.26667. */
static void erlang_b_matches_the_textbook_sum(void **state)
{
	double b;
	(void)state;
	assert_int_equal(0, wfm_erlang_b(5, 2.0, &b));
	assert_near(0.0366972, b, 1e-6);
	assert_int_equal(0, wfm_erlang_b(10, 5.0, &b));
	assert_near(0.0183846, b, 1e-6);
	assert_int_equal(0, wfm_erlang_b(0, 3.0, &b));
	assert_near(1.0, b, 0);
	assert_int_equal(0, wfm_erlang_b(4, 0.0, &b));
	assert_near(0.0, b, 0);
}

/* Thousands of servers: no factorial overflow, and the same value as the
 * plain recursion b = ab / (k + ab) run here in long double. */
static void erlang_b_holds_for_thousands_of_servers(void **state)
{
	static const struct { unsigned n; double a; } cases[] = {
		{1000, 950.0}, {5000, 4900.0}, {3000, 100.0}, {200, 400.0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long double ref = 1;
		double b;
		for (unsigned k = 1; k <= cases[i].n; k++)
			ref = cases[i].a * ref / (k + cases[i].a * ref);
		assert_int_equal(0, wfm_erlang_b(cases[i].n, cases[i].a, &b));
		assert_true(isfinite(b) && b >= 0 && b <= 1);
		assert_true(fabsl(ref - b) <= 1e-12L + 1e-9L * ref);
	}
}

/* The step-by-step example of the widely copied Erlang-C formula page:
 * 360 calls per half hour, 4 minutes each, 55 agents, answer within 15 s.
 * A = 48 erlangs; P(wait) 23.9%, service level 84.6%, ASA 8.2 s,
 * occupancy 87.3% (pinned here to six digits). */
static void erlang_c_reproduces_the_360_calls_example(void **state)
{
	struct wfm_traffic t = {.calls = 360, .interval_s = 1800, .aht_s = 240};
	struct wfm_perf p;
	(void)state;
	assert_int_equal(0, wfm_erlang_c_eval(&t, 55, 15, &p));
	assert_true(p.stable);
	assert_near(48.0, p.erlangs, 1e-12);
	assert_near(0.238701, p.p_wait, 1e-6);
	assert_near(0.845883, p.service_level, 1e-6);
	assert_near(8.18403, p.asa_s, 1e-5);
	assert_near(0.872727, p.occupancy, 1e-6);
	assert_near(0.0, p.p_abandon, 0);
}

/* 600 two-minute calls an hour (20 erlangs): 26 agents keep the delay
 * probability under 15% with about 3 s average delay; 30 agents bring it
 * to 2.5% (a published Erlang C calculator example). */
static void erlang_c_reproduces_the_20_erlang_example(void **state)
{
	struct wfm_traffic t = {.calls = 600, .interval_s = 3600, .aht_s = 120};
	struct wfm_perf p;
	(void)state;
	assert_int_equal(0, wfm_erlang_c_eval(&t, 26, 20, &p));
	assert_near(0.143400, p.p_wait, 1e-6);
	assert_near(2.868, p.asa_s, 1e-3);
	assert_int_equal(0, wfm_erlang_c_eval(&t, 30, 20, &p));
	assert_near(0.024950, p.p_wait, 1e-6);
}

/* 100 calls per 30 minutes at 180 s: 10 erlangs. 13 agents answer 79.6%
 * within 20 s, 14 agents 88.8%: an 80/20 target needs 14. */
static void staffing_finds_the_fewest_agents_for_80_in_20(void **state)
{
	struct wfm_traffic t = {.calls = 100, .interval_s = 1800, .aht_s = 180};
	struct wfm_perf p;
	(void)state;
	assert_int_equal(0, wfm_erlang_c_eval(&t, 13, 20, &p));
	assert_near(0.795595, p.service_level, 1e-6);
	assert_int_equal(0, wfm_erlang_c_eval(&t, 14, 20, &p));
	assert_near(0.888350, p.service_level, 1e-6);
	assert_near(0.174132, p.p_wait, 1e-6);
	assert_near(7.83594, p.asa_s, 1e-5);
	assert_int_equal(0, wfm_staff(&t, 0.80, 20, &p));
	assert_int_equal(14, p.agents);
	assert_int_equal(0, wfm_staff(&t, 0.79, 20, &p));
	assert_int_equal(13, p.agents);
}

/* Whatever the staffing found, one agent fewer misses the target. */
static void staffing_is_minimal_across_loads(void **state)
{
	static const double loads[] = {0.3, 2.5, 10, 48, 230, 1500, 4000};
	(void)state;
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		struct wfm_traffic t = {.calls = loads[i] * 3600 / 300,
					.interval_s = 3600, .aht_s = 300};
		struct wfm_perf p, q;
		assert_int_equal(0, wfm_staff(&t, 0.9, 10, &p));
		assert_true(p.service_level >= 0.9);
		assert_true(p.agents > loads[i]);
		if (p.agents - 1 > loads[i]) {
			assert_int_equal(0, wfm_erlang_c_eval(&t, p.agents - 1, 10, &q));
			assert_true(q.service_level < 0.9);
		}
	}
}

/* Fewer agents than erlangs: every call waits and the wait is unbounded. */
static void erlang_c_reports_an_overloaded_queue_as_unstable(void **state)
{
	struct wfm_traffic t = {.calls = 100, .interval_s = 1800, .aht_s = 180};
	struct wfm_perf p;
	double c;
	(void)state;
	assert_int_equal(0, wfm_erlang_c_eval(&t, 10, 20, &p));
	assert_false(p.stable);
	assert_near(1.0, p.p_wait, 0);
	assert_near(0.0, p.service_level, 0);
	assert_true(isinf(p.asa_s));
	assert_near(1.0, p.occupancy, 0);
	assert_int_equal(0, wfm_erlang_c(8, 10.0, &c));
	assert_near(1.0, c, 0);
}

/* The stationary law of M/M/N computed the long way, state by state in
 * long double up to where the geometric tail vanishes; P(wait) is the
 * mass at or above N and the answered-in-T probability of a call finding
 * j waiting is P(Poisson(N T / AHT) > j). Nothing is shared with wfm. */
static void reference_mmn(unsigned n, double a, double aht, double t,
			  double *p_wait, double *sl, double *asa)
{
	long double w = 1, z = 0, above = 0, in_t = 0, wait = 0;
	long double nmu_t = n * t / aht, pois, cdf;
	unsigned k;

	for (k = 0; k < n; k++) {
		z += w;
		w *= a / (k + 1);
	}
	/* w is now the weight of state n; j callers waiting is n + j. */
	pois = expl(-nmu_t);
	cdf = 0;
	for (unsigned j = 0; w > 1e-30L * (z + above); j++) {
		cdf += pois;
		above += w;
		in_t += w * (1 - cdf);
		wait += w * (j + 1) * aht / n;
		pois *= nmu_t / (j + 1);
		w *= a / n;
	}
	z += above;
	*p_wait = (double)(above / z);
	*sl = (double)((z - above + in_t) / z);
	*asa = (double)(wait / z);
}

static void closed_form_agrees_with_the_chain_state_by_state(void **state)
{
	static const struct { unsigned n; double a, t; } cases[] = {
		{1, 0.5, 10}, {2, 1.9, 30}, {14, 10, 20}, {55, 48, 15},
		{100, 97, 20}, {30, 12, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wfm_traffic tr = {.calls = cases[i].a * 10,
					 .interval_s = 1800, .aht_s = 180};
		struct wfm_perf p;
		double pw, sl, asa;
		reference_mmn(cases[i].n, cases[i].a, 180, cases[i].t, &pw, &sl, &asa);
		assert_int_equal(0, wfm_erlang_c_eval(&tr, cases[i].n, cases[i].t, &p));
		assert_near(pw, p.p_wait, 1e-9);
		assert_near(sl, p.service_level, 1e-9);
		assert_near(asa, p.asa_s, 1e-6 * (1 + asa));
	}
}

static void bad_input_is_refused(void **state)
{
	struct wfm_traffic ok = {.calls = 100, .interval_s = 1800, .aht_s = 180};
	struct wfm_traffic t;
	struct wfm_perf p;
	double c;
	(void)state;
	assert_int_equal(EINVAL, wfm_erlang_c(0, 1.0, &c));
	assert_int_equal(EINVAL, wfm_erlang_c(3, -1.0, &c));
	assert_int_equal(EINVAL, wfm_erlang_c(3, NAN, &c));
	assert_int_equal(EINVAL, wfm_erlang_c_eval(&ok, 0, 20, &p));
	assert_int_equal(EINVAL, wfm_erlang_c_eval(&ok, 14, -1, &p));
	t = ok; t.calls = 0;
	assert_int_equal(EINVAL, wfm_eval(&t, 14, 20, &p));
	t = ok; t.aht_s = -5;
	assert_int_equal(EINVAL, wfm_eval(&t, 14, 20, &p));
	t = ok; t.interval_s = INFINITY;
	assert_int_equal(EINVAL, wfm_eval(&t, 14, 20, &p));
	t = ok; t.patience_s = -1;
	assert_int_equal(EINVAL, wfm_eval(&t, 14, 20, &p));
	assert_int_equal(EINVAL, wfm_staff(&ok, 1.0, 20, &p));
	assert_int_equal(EINVAL, wfm_staff(&ok, 0.0, 20, &p));
	t = ok; t.calls = 1e9;
	assert_int_equal(ERANGE, wfm_staff(&t, 0.8, 20, &p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(erlang_b_matches_the_textbook_sum),
		cmocka_unit_test(erlang_b_holds_for_thousands_of_servers),
		cmocka_unit_test(erlang_c_reproduces_the_360_calls_example),
		cmocka_unit_test(erlang_c_reproduces_the_20_erlang_example),
		cmocka_unit_test(staffing_finds_the_fewest_agents_for_80_in_20),
		cmocka_unit_test(staffing_is_minimal_across_loads),
		cmocka_unit_test(erlang_c_reports_an_overloaded_queue_as_unstable),
		cmocka_unit_test(closed_form_agrees_with_the_chain_state_by_state),
		cmocka_unit_test(bad_input_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
