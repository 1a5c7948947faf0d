/* Histograms and the deck's six shapes (spc_hist_make): each shape drawn
 * from a generator with a fixed seed is diagnosed as the deck would, and
 * bad input is refused. The generator is splitmix64 with Box–Muller, so
 * every run sees the same samples. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "spc/spc.h"

enum { N = 600 };

static uint64_t seed_;

static double uniform(void)
{
	uint64_t z = (seed_ += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(double mean, double sd)
{
	double u = uniform(), v = uniform();

	return mean + sd * sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static enum spc_shape shape_of(const double *x, size_t n, size_t bins)
{
	struct spc_hist h;
	enum spc_shape s;

	assert_int_equal(0, spc_hist_make(x, n, bins, &h));
	s = h.shape;
	spc_hist_free(&h);
	return s;
}

/* Handle times around 300 s, sd 30 s: 正常型. */
static void normal_sample_is_normal(void **state)
{
	double x[N];

	(void)state;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		seed_ = seed;
		for (size_t i = 0; i < N; i++)
			x[i] = gauss(300, 30);
		assert_int_equal(SPC_SHAPE_NORMAL, shape_of(x, N, 0));
	}
}

/* Scores recorded only as even numbers, binned one unit wide: every other
 * bar is empty, 凹凸不平型 — exactly the deck's "组距选择存在问题". */
static void even_values_in_unit_bins_are_a_comb(void **state)
{
	double x[N], lo = 1e9, hi = -1e9;

	(void)state;
	seed_ = 7;
	for (size_t i = 0; i < N; i++) {
		x[i] = 2 * round(gauss(80, 6) / 2);
		lo = fmin(lo, x[i]);
		hi = fmax(hi, x[i]);
	}
	assert_int_equal(SPC_SHAPE_COMB, shape_of(x, N, (size_t)(hi - lo)));
	/* The automatic bins are whole and at least the data's step: no comb. */
	assert_int_equal(SPC_SHAPE_NORMAL, shape_of(x, N, 0));
}

/* Only the calls answered under 320 s were kept (a filtered export): the
 * top is cut off next to the peak, 切边型. */
static void filtered_sample_is_a_cliff(void **state)
{
	double x[N];
	size_t n = 0;

	(void)state;
	seed_ = 11;
	for (size_t guard = 0; n < N && guard < 100 * N; guard++) {
		double v = gauss(300, 30);

		if (v < 310)
			x[n++] = v;
	}
	assert_int_equal(N, n);
	assert_int_equal(SPC_SHAPE_CLIFF, shape_of(x, n, 0));
}

/* Forty-five talk times of one queue, peaked in the middle, in five
 * bins whose last holds more than half the peak: a shoulder, no cut end
 * (the cut is where the data are thickest). */
static void a_shoulder_in_an_end_bin_is_no_cliff(void **state)
{
	static const double x[45] = {
		400, 396, 408, 392, 404, 390, 376, 380, 388, 372, 386, 404, 394,
		402, 390, 380, 400, 396, 408, 392, 404, 390, 376, 380, 388, 372,
		386, 404, 394, 402, 390, 380, 400, 396, 408, 392, 404, 390, 376,
		380, 388, 372, 386, 404, 394,
	};
	struct spc_hist h;

	(void)state;
	assert_int_equal(0, spc_hist_make(x, 45, 0, &h));
	assert_int_equal(5, h.nbins);
	assert_int_equal(14, h.bins[2].count);
	assert_int_equal(9, h.bins[4].count);
	assert_int_not_equal(SPC_SHAPE_CLIFF, h.shape);
	spc_hist_free(&h);
}

/* 94 % ordinary calls, 6 % stuck near 600 s: 离岛型. */
static void far_group_is_an_island(void **state)
{
	double x[N];

	(void)state;
	seed_ = 13;
	for (size_t i = 0; i < N; i++)
		x[i] = i < N * 94 / 100 ? gauss(300, 30) : gauss(600, 8);
	assert_int_equal(SPC_SHAPE_ISLAND, shape_of(x, N, 0));
}

/* Two queues mixed: sales around 200 s, support around 400 s: 双峰型. */
static void two_populations_are_bimodal(void **state)
{
	double x[N];

	(void)state;
	seed_ = 17;
	for (size_t i = 0; i < N; i++)
		x[i] = i % 2 ? gauss(200, 30) : gauss(400, 30);
	assert_int_equal(SPC_SHAPE_BIMODAL, shape_of(x, N, 0));
}

/* Two queues far apart, each tight (sales around 110 s, support around
 * 390 s): a peak sits in an end bin — two populations, 双峰型, not a cut
 * end. */
static void two_far_groups_at_both_ends_are_bimodal(void **state)
{
	double x[N];

	(void)state;
	seed_ = 23;
	for (size_t i = 0; i < N; i++)
		x[i] = i % 2 ? gauss(110, 10) : gauss(390, 10);
	assert_int_equal(SPC_SHAPE_BIMODAL, shape_of(x, N, 0));
	assert_int_equal(SPC_SHAPE_BIMODAL, shape_of(x, N, 10));
}

/* Talk times: log-normal, a long right tail: 偏态型. */
static void long_tail_is_skewed(void **state)
{
	double x[N];

	(void)state;
	seed_ = 19;
	for (size_t i = 0; i < N; i++)
		x[i] = 180 * exp(gauss(0, 0.5));
	assert_int_equal(SPC_SHAPE_SKEWED, shape_of(x, N, 0));
}

/* Mean, sd and the bins: counts add up, bins tile [min, max]. */
static void bins_tile_the_range_and_counts_add_up(void **state)
{
	double x[40];
	struct spc_hist h;
	size_t sum = 0;

	(void)state;
	for (size_t i = 0; i < 40; i++)
		x[i] = (double)(i % 10);   /* 0..9, four times each */
	assert_int_equal(0, spc_hist_make(x, 40, 5, &h));
	assert_int_equal(5, h.nbins);
	assert_string_equal("given", h.rule);
	assert_float_equal(4.5, h.mean, 1e-12);
	assert_float_equal(sqrt(330.0 / 39), h.sd, 1e-12);
	assert_float_equal(0, h.bins[0].lo, 1e-12);
	assert_float_equal(9, h.bins[4].hi, 1e-12);
	for (size_t b = 0; b < h.nbins; b++) {
		assert_int_equal(8, h.bins[b].count);
		sum += h.bins[b].count;
	}
	assert_int_equal(40, sum);
	spc_hist_free(&h);
	/* Whole numbers, automatic: whole widths, the maximum inside. */
	assert_int_equal(0, spc_hist_make(x, 40, 0, &h));
	assert_float_equal(h.bins[1].hi - h.bins[1].lo,
			   round(h.bins[1].hi - h.bins[1].lo), 1e-12);
	assert_true(h.bins[h.nbins - 1].hi > 9);
	spc_hist_free(&h);
}

/* Specification limits: values outside counted, Cp and Cpk from the sd. */
static void spec_limits_count_outside_and_give_cp_cpk(void **state)
{
	double x[40];
	struct spc_hist h;
	struct spc_spec sp = {.has_lsl = true, .lsl = 1, .has_usl = true,
			      .usl = 7};
	double sd = sqrt(330.0 / 39);

	(void)state;
	for (size_t i = 0; i < 40; i++)
		x[i] = (double)(i % 10);
	assert_int_equal(0, spc_hist_make(x, 40, 0, &h));
	assert_int_equal(0, spc_spec_check(x, 40, &h, &sp));
	assert_int_equal(4, sp.below);      /* the 0s */
	assert_int_equal(8, sp.above);      /* the 8s and 9s */
	assert_true(sp.has_cp);
	assert_float_equal(6 / (6 * sd), sp.cp, 1e-12);
	assert_float_equal(2.5 / (3 * sd), sp.cpk, 1e-12);
	/* one limit: no Cp, Cpk from that side */
	sp = (struct spc_spec){.has_lsl = true, .lsl = 1};
	assert_int_equal(0, spc_spec_check(x, 40, &h, &sp));
	assert_false(sp.has_cp);
	assert_float_equal(3.5 / (3 * sd), sp.cpk, 1e-12);
	sp = (struct spc_spec){.has_lsl = true, .lsl = 7, .has_usl = true,
			       .usl = 7};
	assert_int_equal(EINVAL, spc_spec_check(x, 40, &h, &sp));
	sp = (struct spc_spec){0};
	assert_int_equal(EINVAL, spc_spec_check(x, 40, &h, &sp));
	spc_hist_free(&h);
}

static void every_shape_has_the_decks_advice(void **state)
{
	(void)state;
	assert_string_equal("双峰型", spc_shape_text(SPC_SHAPE_BIMODAL)->name_zh);
	assert_string_equal("分类统计后再制作直方图。",
			    spc_shape_text(SPC_SHAPE_BIMODAL)->advice_zh);
	assert_string_equal("采用全面或未筛选过的数据。",
			    spc_shape_text(SPC_SHAPE_CLIFF)->advice_zh);
	for (int s = SPC_SHAPE_NORMAL; s <= SPC_SHAPE_SKEWED; s++)
		assert_non_null(spc_shape_text((enum spc_shape)s)->advice_en);
	assert_null(spc_shape_text((enum spc_shape)99));
}

static void bad_input_is_refused(void **state)
{
	double x[30], bad[30];
	struct spc_hist h = {0};

	(void)state;
	for (size_t i = 0; i < 30; i++)
		x[i] = bad[i] = (double)i;
	bad[3] = NAN;
	assert_int_equal(EDOM, spc_hist_make(x, SPC_HIST_MIN_POINTS - 1, 0, &h));
	assert_int_equal(EINVAL, spc_hist_make(bad, 30, 0, &h));
	assert_int_equal(EINVAL, spc_hist_make(x, 30, SPC_HIST_BINS_MIN - 1, &h));
	assert_int_equal(EINVAL, spc_hist_make(x, 30, SPC_HIST_BINS_MAX + 1, &h));
	for (size_t i = 0; i < 30; i++)
		x[i] = 5;
	assert_int_equal(ERANGE, spc_hist_make(x, 30, 0, &h));
	assert_null(h.bins);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normal_sample_is_normal),
		cmocka_unit_test(even_values_in_unit_bins_are_a_comb),
		cmocka_unit_test(filtered_sample_is_a_cliff),
		cmocka_unit_test(a_shoulder_in_an_end_bin_is_no_cliff),
		cmocka_unit_test(far_group_is_an_island),
		cmocka_unit_test(two_populations_are_bimodal),
		cmocka_unit_test(two_far_groups_at_both_ends_are_bimodal),
		cmocka_unit_test(long_tail_is_skewed),
		cmocka_unit_test(bins_tile_the_range_and_counts_add_up),
		cmocka_unit_test(spec_limits_count_outside_and_give_cp_cpk),
		cmocka_unit_test(every_shape_has_the_decks_advice),
		cmocka_unit_test(bad_input_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
