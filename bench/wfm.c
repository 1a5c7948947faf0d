/* bench/wfm: what a forecast costs. Prints the time of
 * GET /api/v1/wfm/forecast's pure part (wfm_plan_make: two held-out fits,
 * the refit, the forecast and Erlang C per interval) for the largest
 * request the API takes — 26 weeks of 15-minute history (17,472 values),
 * 8 weeks ahead (5,376 intervals) — and for the default one (8 weeks of
 * half hours, one week ahead); median of RUNS runs. Pure CPU, no server:
 * the database read is the KPI report's (bench/reports). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "wfm/wfm.h"

enum { RUNS = 7 };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median ms of RUNS plans of weeks of history at per intervals a day. */
static double time_plan(size_t per_day, size_t weeks, size_t ahead,
			double *mape)
{
	size_t period = 7 * per_day, n = weeks * period;
	double *c = malloc(n * sizeof(double)), *h = malloc(n * sizeof(double));
	double t[RUNS];
	uint64_t s = 42;
	struct wfm_plan_in in = {
		.calls = c, .handle_s = h, .handled = c, .n = n,
		.period = period, .interval_s = 86400.0 / (double)per_day,
		.horizon = ahead * period, .kind = WFM_KIND_AUTO,
		.target_sl = 0.8, .sl_time_s = 20, .shrinkage = 0.3,
	};

	for (size_t i = 0; i < n; i++) {
		double tod = (double)(i % per_day) / (double)per_day;
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		c[i] = (60 + 50 * sin(2 * M_PI * (tod - 0.25))) *
		       (1 + 0.1 * ((double)(s >> 11) / 9007199254740992.0 - 0.5));
		h[i] = c[i] * 180;
	}
	for (int r = 0; r < RUNS; r++) {
		struct wfm_plan p = {0};
		double t0 = now_ms();
		if (wfm_plan_make(&in, &p)) {
			fprintf(stderr, "wfm_plan_make failed\n");
			exit(1);
		}
		t[r] = now_ms() - t0;
		*mape = p.mape;
		wfm_plan_free(&p);
	}
	free(c);
	free(h);
	qsort(t, RUNS, sizeof(double), by_value);
	return t[RUNS / 2];
}

int main(void)
{
	double mape, ms;

	ms = time_plan(48, 8, 1, &mape);
	printf("forecast: 8 weeks of half hours, 1 week ahead: %.1f ms "
	       "(held-out MAPE %.3f)\n", ms, mape);
	ms = time_plan(96, 26, 8, &mape);
	printf("forecast: 26 weeks of quarter hours, 8 weeks ahead: %.1f ms "
	       "(held-out MAPE %.3f)\n", ms, mape);
	return 0;
}
