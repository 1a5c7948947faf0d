/* The plan: a flat history staffed as wfm_staff staffs it, shrinkage
 * grossing up, the AHT profile, bad input; then a forecast day run through
 * the simulator (the same router and KPI fold as the live server) with
 * the planned agents on shifts: the day meets the service-level target. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "report/report.h"
#include "sim/sim.h"
#include "wfm/wfm.h"

#define DAY  48              /* half hours */
#define WEEK (7 * DAY)
#define HIST (4 * WEEK)

static double calls[HIST], handle[HIST], handled[HIST];

static struct wfm_plan_in flat_in(void)
{
	for (size_t t = 0; t < HIST; t++) {
		calls[t] = 100;
		handled[t] = 100;
		handle[t] = 100 * 240.0;
	}
	return (struct wfm_plan_in){
		.calls = calls, .handle_s = handle, .handled = handled,
		.n = HIST, .period = WEEK, .interval_s = 1800, .horizon = DAY,
		.kind = WFM_KIND_AUTO, .target_sl = 0.8, .sl_time_s = 20,
		.shrinkage = 0.3,
	};
}

/* 100 calls a half hour of 240 s each, for four weeks: the forecast is
 * 100 with no error, and each interval needs what wfm_staff says for
 * 100 calls of 240 s; with 30 % shrinkage ceil(agents / 0.7) are
 * scheduled. */
static void flat_history_is_staffed_as_erlang_c_says(void **st)
{
	struct wfm_plan_in in = flat_in();
	struct wfm_traffic t = {100, 1800, 240, 0};
	struct wfm_perf want;
	struct wfm_plan p = {0};
	(void)st;

	assert_int_equal(0, wfm_staff(&t, 0.8, 20, &want));
	assert_int_equal(0, wfm_plan_make(&in, &p));
	assert_int_equal(DAY, p.nrows);
	assert_true(p.mape < 1e-9);
	assert_int_equal(WEEK, p.mape_intervals);
	for (size_t k = 0; k < p.nrows; k++) {
		assert_true(fabs(p.rows[k].calls - 100) < 1e-6);
		assert_true(fabs(p.rows[k].aht_s - 240) < 1e-9);
		assert_int_equal(want.agents, p.rows[k].agents);
		assert_int_equal((unsigned)ceil(want.agents / 0.7),
				 p.rows[k].scheduled);
		assert_true(p.rows[k].service_level >= 0.8);
	}
	wfm_plan_free(&p);
}

/* Handle time per slot of the week: slot 0 of every day took 300 s a call,
 * the rest 240 s; a slot that never handled a call takes the history's
 * mean. No call expected: no agent. */
static void aht_is_the_slot_profile(void **st)
{
	struct wfm_plan_in in = flat_in();
	struct wfm_plan p = {0};
	double sum_h = 0, sum_n = 0;
	(void)st;

	for (size_t t = 0; t < HIST; t++) {
		if (t % DAY == 0)
			handle[t] = 100 * 300.0;
		if (t % WEEK == 5) {
			handled[t] = 0;
			handle[t] = 0;
		}
		if (t % WEEK == 7)
			calls[t] = 0;
	}
	for (size_t t = 0; t < HIST; t++) {
		sum_h += handle[t];
		sum_n += handled[t];
	}
	assert_int_equal(0, wfm_plan_make(&in, &p));
	/* Row k is slot (HIST + k) % WEEK = k: the forecast day is a Monday. */
	assert_true(fabs(p.rows[0].aht_s - 300) < 1e-9);
	assert_true(fabs(p.rows[1].aht_s - 240) < 1e-9);
	assert_true(fabs(p.rows[5].aht_s - sum_h / sum_n) < 1e-9);
	assert_true(p.rows[7].calls < 1e-6);
	assert_int_equal(0, p.rows[7].agents);
	assert_int_equal(0, p.rows[7].scheduled);
	wfm_plan_free(&p);
}

static void bad_plans_are_refused(void **st)
{
	struct wfm_plan_in in = flat_in();
	struct wfm_plan p = {0};
	(void)st;

	in.n = 3 * WEEK - 1;            /* under three weeks: no held-out week */
	assert_int_equal(EINVAL, wfm_plan_make(&in, &p));
	in = flat_in();
	in.shrinkage = 1;
	assert_int_equal(EINVAL, wfm_plan_make(&in, &p));
	in = flat_in();
	in.target_sl = 1;
	assert_int_equal(EINVAL, wfm_plan_make(&in, &p));
	in = flat_in();
	in.horizon = 0;
	assert_int_equal(EINVAL, wfm_plan_make(&in, &p));
	in = flat_in();
	for (size_t t = 0; t < HIST; t++)
		handled[t] = 0;
	assert_int_equal(EDOM, wfm_plan_make(&in, &p));
	assert_null(p.rows);
}

/* ---- through the simulator ---- */

/* A day's profile: quiet at night, two humps in the day, up to 160 calls
 * a half hour; handle time 180 s. */
static double day_calls(size_t slot)
{
	double h = (double)slot / 2;

	if (h < 7 || h >= 22)
		return 4;
	return 20 + 140 * exp(-(h - 10.5) * (h - 10.5) / 4) +
	       100 * exp(-(h - 15) * (h - 15) / 5);
}

/* Appends to buf an agent group of `count` on shift [from, to) s. */
static void add_group(char *buf, size_t n, size_t *len, bool *first,
		      unsigned count, long from, long to)
{
	*len += (size_t)snprintf(buf + *len, n - *len,
		"%s{\"count\": %u, \"queues\": [\"q\"], \"shift\": "
		"{\"start_s\": %ld, \"end_s\": %ld}}", *first ? "" : ", ",
		count, from, to);
	*first = false;
}

/* The scenario of one day: the forecast's rates per half hour, and the
 * planned agents as layers — agent k of the layer works in every run of
 * intervals needing at least k (one group per run). */
static char *scenario_of(const struct wfm_plan *p)
{
	size_t n = 1 << 20, len = 0;
	char *buf = malloc(n);
	unsigned top = 0;
	bool first = true;

	assert_non_null(buf);
	for (size_t k = 0; k < p->nrows; k++)
		top = p->rows[k].agents > top ? p->rows[k].agents : top;
	len += (size_t)snprintf(buf + len, n - len,
		"{\"duration_s\": 86400, \"interval_s\": 1800, "
		"\"queues\": [{\"name\": \"q\", \"strategy\": \"longest-idle\", "
		"\"sl_seconds\": 20}], "
		"\"handle_time\": {\"dist\": \"exponential\", \"mean_s\": 180}, "
		"\"patience\": {\"dist\": \"none\"}, "
		"\"arrivals\": [{\"queue\": \"q\", \"rate_interval_s\": 1800, "
		"\"rates_per_hour\": [");
	for (size_t k = 0; k < p->nrows; k++)
		len += (size_t)snprintf(buf + len, n - len, "%s%.6f",
					k ? ", " : "", p->rows[k].calls * 2);
	len += (size_t)snprintf(buf + len, n - len, "]}], \"agents\": [");
	for (unsigned layer = 1; layer <= top; layer++) {
		size_t k = 0;
		while (k < p->nrows) {
			size_t e;
			if (p->rows[k].agents < layer) {
				k++;
				continue;
			}
			for (e = k; e < p->nrows && p->rows[e].agents >= layer;)
				e++;
			add_group(buf, n, &len, &first, 1, (long)k * 1800,
				  (long)e * 1800);
			k = e;
		}
	}
	snprintf(buf + len, n - len, "]}");
	assert_true(len < n - 8);
	return buf;
}

/* Four weeks of the profile (±5 % noise), a one-day plan for 80 % in
 * 20 s with Erlang C, then that day simulated on five seeds: the day's
 * service level is within 5 points of the target (Erlang C's intervals
 * start empty in the model, not in the simulation), and with the plan's
 * staffing one agent short in every busy interval it is lower. */
/* The plan's held-out forecast is the one its MAPE scores against the last
 * week of the history, and a forecast: not the actual copied. */
static bool held_out_is_what_mape_scores(const struct wfm_plan_in *in,
					 const struct wfm_plan *p)
{
	const double *actual = in->calls + in->n - in->period;
	double mape, diff = 0;
	size_t used;

	if (!p->held_out || wfm_mape(actual, p->held_out, in->period, &mape,
				     &used))
		return false;
	for (size_t k = 0; k < in->period; k++)
		diff += fabs(actual[k] - p->held_out[k]);
	return fabs(mape - p->mape) < 1e-12 && used == p->mape_intervals &&
	       diff > 0;
}

static void simulated_forecast_day_meets_the_target(void **st)
{
	struct wfm_plan_in in = flat_in();
	struct wfm_plan p = {0};
	uint64_t rng = 3;
	double sl_sum = 0, sl_short = 0;
	(void)st;

	for (size_t t = 0; t < HIST; t++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		calls[t] = day_calls(t % DAY) *
			   (1 + 0.05 * ((double)(rng >> 11) / 4503599627370496.0
					* 2 - 1));
		handled[t] = calls[t];
		handle[t] = calls[t] * 180;
	}
	in.shrinkage = 0;
	assert_int_equal(0, wfm_plan_make(&in, &p));
	print_message("held-out MAPE %.4f over %zu intervals (%s)\n", p.mape,
		      p.mape_intervals, p.kind == WFM_HW_ADDITIVE ? "additive" :
		      "multiplicative");
	/* The night's 4 calls an interval make a call's error 25 %: looser
	 * than test_forecast's bound, which is the forecast's own test. */
	assert_true(p.mape < 0.10);
	assert_true(held_out_is_what_mape_scores(&in, &p));
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t seed = 1; seed <= 5; seed++) {
			struct sim_scenario *sc = NULL;
			struct sim_result *r = NULL;
			struct report_bucket q;
			char why[SIM_WHY_LEN] = "", *text = scenario_of(&p);
			double sl;

			if (sim_scenario_parse(&sc, text, why, sizeof(why)))
				fail_msg("scenario: %s", why);
			assert_int_equal(0, sim_run(sc, seed, &r));
			assert_int_equal(0, sim_result_total(r, "q", &q, NULL));
			assert_int_equal(0, report_kpi(report_kpi_find(
				"service_level"), &q, &sim_kpi_cfg, &sl));
			if (pass == 0)
				sl_sum += sl;
			else
				sl_short += sl;
			sim_result_free(r);
			sim_scenario_free(sc);
			free(text);
		}
		/* The second pass: one agent fewer wherever more than 3. */
		for (size_t k = 0; k < p.nrows; k++)
			if (p.rows[k].agents > 3)
				p.rows[k].agents--;
	}
	print_message("simulated service level %.4f (planned), %.4f (one "
		      "short)\n", sl_sum / 5, sl_short / 5);
	assert_true(sl_sum / 5 >= 0.80 - 0.05);
	assert_true(sl_short < sl_sum);
	wfm_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flat_history_is_staffed_as_erlang_c_says),
		cmocka_unit_test(aht_is_the_slot_profile),
		cmocka_unit_test(bad_plans_are_refused),
		cmocka_unit_test(simulated_forecast_day_meets_the_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
