/* Holt-Winters: exact on a noiseless seasonal series with trend, within
 * 5 % MAPE on a held-out week of a noisy one with known parameters, a fit
 * at least as good as the true weights, MAPE skipping zero intervals. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "wfm/wfm.h"

#define DAY  96              /* quarter hours */
#define WEEK (7 * DAY)

/* A deterministic uniform number in [-1, 1) (64-bit LCG, Knuth's MMIX). */
static double noise(uint64_t *st)
{
	*st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*st >> 11) / 4503599627370496.0 - 1;
}

/* The week's profile: a day hump (zero mean over the day) scaled by the
 * day of the week (weekend quieter). */
static double season(size_t t)
{
	static const double dow[7] = {1.0, 1.1, 1.0, 0.95, 0.9, 0.5, 0.4};
	double tod = (double)(t % DAY) / DAY;

	return 30 * dow[(t % WEEK) / DAY] * sin(2 * M_PI * (tod - 0.25));
}

/* Trend and season without noise: the initial state is already exact, so
 * every forecast is, whatever the weights (this pins the slot alignment:
 * one slot off and the error is the season's step). */
static void noiseless_series_is_forecast_exactly(void **st)
{
	enum { N = 3 * WEEK };
	double *y = malloc((N + WEEK) * sizeof(*y)), fc[WEEK];
	struct wfm_hw m = {0};
	double sum = 0;
	(void)st;

	assert_non_null(y);
	/* Zero-mean season: subtract the week's mean of season(). */
	for (size_t t = 0; t < WEEK; t++)
		sum += season(t);
	for (size_t t = 0; t < N + WEEK; t++)
		y[t] = 100 + 0.01 * (double)t + season(t) - sum / WEEK;
	assert_int_equal(0, wfm_hw_fit(y, N, WEEK, WFM_HW_ADDITIVE, &m));
	assert_true(m.sse < 1e-12);
	assert_int_equal(0, wfm_hw_forecast(&m, WEEK, fc));
	for (size_t k = 0; k < WEEK; k++)
		assert_true(fabs(fc[k] - y[N + k]) < 1e-6);
	wfm_hw_free(&m);
	free(y);
}

/* Five weeks of level 60 rising 2 a week, the profile above, ±5 % noise;
 * fit on four, forecast the fifth: MAPE under 5 %. */
static void held_out_week_is_within_five_percent(void **st)
{
	enum { N = 5 * WEEK };
	double *y = malloc(N * sizeof(*y)), fc[WEEK], mape;
	uint64_t rng = 42;
	size_t used;
	struct wfm_hw m = {0};
	(void)st;

	assert_non_null(y);
	for (size_t t = 0; t < N; t++) {
		double v = 60 + 2.0 * (double)t / WEEK + season(t);
		y[t] = v * (1 + 0.05 * noise(&rng));
	}
	assert_int_equal(0, wfm_hw_fit(y, N - WEEK, WEEK, WFM_HW_ADDITIVE, &m));
	assert_int_equal(0, wfm_hw_forecast(&m, WEEK, fc));
	assert_int_equal(0, wfm_mape(y + N - WEEK, fc, WEEK, &mape, &used));
	assert_int_equal(WEEK, used);
	print_message("additive MAPE %.4f (alpha %.3f beta %.3f gamma %.3f)\n",
		      mape, m.p.alpha, m.p.beta, m.p.gamma);
	assert_true(mape < 0.05);
	/* The multiplicative model fits the same series nearly as well. */
	assert_int_equal(0, wfm_hw_fit(y, N - WEEK, WEEK,
				       WFM_HW_MULTIPLICATIVE, &m));
	assert_int_equal(0, wfm_hw_forecast(&m, WEEK, fc));
	assert_int_equal(0, wfm_mape(y + N - WEEK, fc, WEEK, &mape, &used));
	print_message("multiplicative MAPE %.4f\n", mape);
	assert_true(mape < 0.05);
	wfm_hw_free(&m);
	free(y);
}

/* A series made by the additive recursion itself with alpha 0.3, beta
 * 0.05, gamma 0.2 and noise: the fitted weights explain it at least as
 * well as the true ones. */
static void fit_is_no_worse_than_the_true_weights(void **st)
{
	enum { N = 4 * WEEK };
	const struct wfm_hw_params truth = {0.3, 0.05, 0.2};
	double *y = malloc(N * sizeof(*y)), s[WEEK], l = 80, b = 0.01;
	uint64_t rng = 7;
	struct wfm_hw fit = {0}, at_truth = {0};
	(void)st;

	assert_non_null(y);
	for (size_t i = 0; i < WEEK; i++)
		s[i] = season(i);
	for (size_t t = 0; t < N; t++) {
		double e = 3 * noise(&rng), nl;
		y[t] = fmax(0, l + b + s[t % WEEK] + e);
		nl = truth.alpha * (y[t] - s[t % WEEK]) +
		     (1 - truth.alpha) * (l + b);
		s[t % WEEK] = truth.gamma * (y[t] - nl) +
			      (1 - truth.gamma) * s[t % WEEK];
		b = truth.beta * (nl - l) + (1 - truth.beta) * b;
		l = nl;
	}
	assert_int_equal(0, wfm_hw_run(y, N, WEEK, WFM_HW_ADDITIVE, &truth,
				       &at_truth));
	assert_int_equal(0, wfm_hw_fit(y, N, WEEK, WFM_HW_ADDITIVE, &fit));
	print_message("sse fit %.1f truth %.1f\n", fit.sse, at_truth.sse);
	assert_true(fit.sse <= at_truth.sse * (1 + 1e-9));
	wfm_hw_free(&fit);
	wfm_hw_free(&at_truth);
	free(y);
}

/* |10-12|/10 = 0.2 and |20-15|/20 = 0.25: MAPE 0.225 over 2 intervals;
 * the interval with no call is skipped, not divided by zero. */
static void mape_skips_intervals_without_calls(void **st)
{
	const double actual[] = {0, 10, 20}, fc[] = {5, 12, 15};
	const double zeros[] = {0, 0};
	double mape = -1;
	size_t used = 9;
	(void)st;

	assert_int_equal(0, wfm_mape(actual, fc, 3, &mape, &used));
	assert_true(fabs(mape - 0.225) < 1e-12);
	assert_int_equal(2, used);
	mape = -1;
	assert_int_equal(ENODATA, wfm_mape(zeros, fc, 2, &mape, &used));
	assert_int_equal(0, used);
	assert_true(mape == -1);
}

static void bad_series_are_refused(void **st)
{
	double y[8] = {1, 2, 3, 4, 1, 2, 3, 4};
	const struct wfm_hw_params over = {1.5, 0, 0};
	struct wfm_hw m = {0};
	(void)st;

	assert_int_equal(EINVAL, wfm_hw_fit(y, 7, 4, WFM_HW_ADDITIVE, &m));
	assert_int_equal(EINVAL, wfm_hw_fit(y, 8, 1, WFM_HW_ADDITIVE, &m));
	assert_int_equal(EINVAL, wfm_hw_run(y, 8, 4, WFM_HW_ADDITIVE, &over,
					    &m));
	y[3] = -1;
	assert_int_equal(EINVAL, wfm_hw_fit(y, 8, 4, WFM_HW_ADDITIVE, &m));
	y[3] = NAN;
	assert_int_equal(EINVAL, wfm_hw_fit(y, 8, 4, WFM_HW_ADDITIVE, &m));
	assert_null(m.season);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(noiseless_series_is_forecast_exactly),
		cmocka_unit_test(held_out_week_is_within_five_percent),
		cmocka_unit_test(fit_is_no_worse_than_the_true_weights),
		cmocka_unit_test(mape_skips_intervals_without_calls),
		cmocka_unit_test(bad_series_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
