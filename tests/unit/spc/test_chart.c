/* Control charts (spc_chart_make) and their rules (spc_detect). The rule
 * tests chart the series on a centre of 0 and σ of 1, so a value is its
 * own z; each asserts every signal the rule set finds, written
 * "rule:points" and joined by "|", so a rule that fires anywhere else
 * fails the test too. For each rule: a series that fires it and one that
 * just misses it. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "spc/spc.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The signals of set on x charted at centre 0, σ 1. */
static const char *signals(const double *x, size_t n, enum spc_ruleset set)
{
	static char out[1024];
	struct spc_input in = {.kind = SPC_XMR, .x = x, .npoints = n,
			       .has_center = true, .has_sigma = true,
			       .center = 0, .sigma = 1};
	struct spc_chart c;
	struct spc_signals s;
	size_t len = 0;

	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_int_equal(0, spc_detect(&c, set, &s));
	out[0] = '\0';
	for (size_t i = 0; i < s.n; i++) {
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s:",
					i ? "|" : "", s.v[i].rule);
		for (size_t j = 0; j < s.v[i].n; j++)
			len += (size_t)snprintf(out + len, sizeof(out) - len,
						"%s%zu", j ? "," : "",
						s.points[s.v[i].off + j]);
	}
	spc_signals_free(&s);
	spc_chart_free(&c);
	return out;
}

#define DECK(...) ({ static const double x_[] = {__VA_ARGS__}; \
	signals(x_, LEN(x_), SPC_RULES_DECK); })
#define NELSON(...) ({ static const double x_[] = {__VA_ARGS__}; \
	signals(x_, LEN(x_), SPC_RULES_NELSON); })
#define WE(...) ({ static const double x_[] = {__VA_ARGS__}; \
	signals(x_, LEN(x_), SPC_RULES_WE); })

/* "6": 6个连续的点往上或往下. */
static void deck_6_six_in_a_row_rising_or_falling(void **state)
{
	(void)state;
	assert_string_equal("6:1,2,3,4,5,6",
			    DECK(0.5, -0.6, -0.4, -0.2, 0.1, 0.3, 0.7, 0.2));
	assert_string_equal("6:0,1,2,3,4,5",
			    DECK(0.9, 0.6, 0.2, -0.1, -0.3, -0.8));
	/* five rises, then a tie: no trend */
	assert_string_equal("", DECK(-0.6, -0.4, -0.2, 0.1, 0.3, 0.3, 0.7));
	/* rising to a peak, then falling: two trends sharing the peak */
	assert_string_equal("6:0,1,2,3,4,5|6:5,6,7,8,9,10",
			    DECK(-0.5, -0.4, -0.3, -0.2, -0.1, 0.9, 0.5,
				 0.4, 0.3, 0.2, 0.1));
}

/* "8": 8个连续的点出现在均值的一边. */
static void deck_8_eight_in_a_row_on_one_side(void **state)
{
	(void)state;
	assert_string_equal("8:1,2,3,4,5,6,7,8",
			    DECK(-0.5, 0.2, 0.4, 0.3, 0.5, 0.2, 0.4, 0.3, 0.6));
	/* a run of 10 is one signal of 10 points */
	assert_string_equal("8:0,1,2,3,4,5,6,7,8,9",
			    DECK(-0.2, -0.4, -0.3, -0.5, -0.2, -0.4, -0.3,
				 -0.6, -0.1, -0.3));
	/* seven, then a point on the centre line, then one more */
	assert_string_equal("", DECK(0.2, 0.4, 0.3, 0.5, 0.2, 0.4, 0.3, 0, 0.5));
}

/* "1": 1个点落在以均值为中心的3倍标准差之外. */
static void deck_1_one_point_beyond_3_sigma(void **state)
{
	(void)state;
	assert_string_equal("1:1|1:3", DECK(0, 3.2, 0, -3.5, 0.5));
	assert_string_equal("", DECK(0, 3.0, 0, -3.0, 0.5));
}

/* "3": 3个连续的点其中2个点落在2倍标准差之外 (same side). */
static void deck_3_two_of_three_beyond_2_sigma(void **state)
{
	(void)state;
	assert_string_equal("3:1,3", DECK(0, 2.5, 0.5, 2.1, 0));
	assert_string_equal("3:2,3", DECK(0, -0.5, -2.4, -2.2, 0));
	/* four in a row beyond 2σ: overlapping windows are one signal (and
	 * four of five beyond 1σ too) */
	assert_string_equal("3:1,2,3,4|5:1,2,3,4",
			    DECK(0, 2.5, 2.2, 2.3, 2.4, 0));
	/* two beyond 2σ but on opposite sides; or three apart */
	assert_string_equal("", DECK(0, 2.5, 0.5, -2.1, 0));
	assert_string_equal("", DECK(2.5, 0.5, 0.2, 2.1, 0));
}

/* "5": 5个连续的点其中4个落在1倍标准差之外 (same side). */
static void deck_5_four_of_five_beyond_1_sigma(void **state)
{
	(void)state;
	assert_string_equal("5:0,1,3,4", DECK(1.5, 1.2, 0.3, 1.1, 1.4, -0.2));
	assert_string_equal("", DECK(1.5, 1.2, 0.3, 1.1, -1.4, -0.2));
	assert_string_equal("", DECK(1.5, 1.2, 0.3, 1.0, 1.4, -0.2));
}

/* Several rules at once, each at its own points, in the deck's order. */
static void deck_rules_report_in_the_decks_order(void **state)
{
	(void)state;
	assert_string_equal("8:0,1,2,3,4,5,6,7,8|1:9|3:7,8|5:5,6,7,8",
			    DECK(0.1, 0.5, 0.2, 0.4, 0.3, 1.2, 1.3,
				 2.2, 2.6, -3.3));
}

static void western_electric_numbers_its_four_rules(void **state)
{
	(void)state;
	assert_string_equal("1:1", WE(0, 3.2, 0, 0.5));
	assert_string_equal("2:1,3", WE(0, 2.5, 0.5, 2.1, 0));
	assert_string_equal("3:0,1,3,4", WE(1.5, 1.2, 0.3, 1.1, 1.4, -0.2));
	assert_string_equal("4:1,2,3,4,5,6,7,8",
			    WE(-0.5, 0.2, 0.4, 0.3, 0.5, 0.2, 0.4, 0.3, 0.6));
	/* WE has no trend rule */
	assert_string_equal("", WE(0.9, 0.6, 0.2, -0.1, -0.3, -0.8));
}

static void nelson_1_3_5_6_are_the_decks_1_6_3_5(void **state)
{
	(void)state;
	assert_string_equal("1:1", NELSON(0, 3.2, 0, 0.5));
	assert_string_equal("3:0,1,2,3,4,5",
			    NELSON(0.9, 0.6, 0.2, -0.1, -0.3, -0.8));
	assert_string_equal("5:1,3", NELSON(0, 2.5, 0.5, 2.1, 0));
	assert_string_equal("6:0,1,3,4", NELSON(1.5, 1.2, 0.3, 1.1, 1.4, -0.2));
}

/* Nelson 2: nine in a row on one side (eight are not enough). */
static void nelson_2_nine_on_one_side(void **state)
{
	(void)state;
	assert_string_equal("2:0,1,2,3,4,5,6,7,8",
			    NELSON(0.2, 0.4, 0.3, 0.5, 0.2, 0.4, 0.3, 0.6, 0.2,
				   -0.1));
	assert_string_equal("", NELSON(0.2, 0.4, 0.3, 0.5, 0.2, 0.4, 0.3, 0.6,
				       -0.1));
}

/* Nelson 4: fourteen alternating up and down (thirteen are not). */
static void nelson_4_fourteen_alternating(void **state)
{
	(void)state;
	assert_string_equal("4:0,1,2,3,4,5,6,7,8,9,10,11,12,13",
			    NELSON(0.1, -0.1, 0.2, -0.2, 0.1, -0.1, 0.2,
				   -0.2, 0.1, -0.1, 0.2, -0.2, 0.1, -0.1));
	assert_string_equal("", NELSON(0.1, -0.1, 0.2, -0.2, 0.1, -0.1, 0.2,
				       -0.2, 0.1, -0.1, 0.2, -0.2, 0.1, 0.3));
}

/* Nelson 7: fifteen within 1σ (fourteen are not). */
static void nelson_7_fifteen_within_1_sigma(void **state)
{
	(void)state;
	assert_string_equal("7:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14",
			    NELSON(0.1, 0.2, -0.1, -0.2, 0.1, 0.2, -0.1,
				   -0.2, 0.1, 0.2, -0.1, -0.2, 0.1, 0.2, -1.0));
	assert_string_equal("", NELSON(0.1, 0.2, -0.1, -0.2, 0.1, 0.2, -0.1,
				       -0.2, 0.1, 0.2, -0.1, -0.2, 0.1, 0.2,
				       -1.1));
}

/* Nelson 8: eight beyond 1σ, on both sides (all on one side is not). */
static void nelson_8_eight_beyond_1_sigma_both_sides(void **state)
{
	(void)state;
	assert_string_equal("8:0,1,2,3,4,5,6,7",
			    NELSON(1.5, -1.5, 1.4, -1.6, 1.5, -1.5, 1.4, -1.6));
	assert_string_equal("", NELSON(1.5, -1.5, 1.4, -1.6, 0.5, -1.5, 1.4,
				       -1.6));
}

/* XmR: centre = mean, σ = MR̄ / 1.128, MR chart UCL = 3.267·MR̄. */
static void xmr_limits_from_the_average_moving_range(void **state)
{
	static const double x[] = {1, 3, 2, 4, 5, 40};
	struct spc_input in = {.kind = SPC_XMR, .x = x, .npoints = 5};
	struct spc_chart c;
	double s = 1.5 / 1.128;

	(void)state;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(3, c.center, 1e-12);
	assert_float_equal(s, c.sigma, 1e-12);
	assert_float_equal(3 + 3 * s, c.ucl, 1e-12);
	assert_float_equal(3 - 3 * s, c.lcl, 1e-12);
	assert_float_equal(1.5, c.r_center, 1e-12);
	assert_float_equal(3.267 * 1.5, c.r_ucl, 1e-12);
	assert_float_equal(0, c.r_lcl, 1e-12);
	assert_float_equal(1, c.r[4], 1e-12);
	spc_chart_free(&c);
	/* The same limits from a baseline of the first five of six. */
	in.npoints = 6;
	in.base_to = 5;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(3, c.center, 1e-12);
	assert_float_equal(3 + 3 * s, c.ucl_i[5], 1e-12);
	assert_float_equal((40 - 3) / s, c.z[5], 1e-9);
	spc_chart_free(&c);
	/* Given: centre and σ as they are. */
	in.has_center = in.has_sigma = true;
	in.center = 10;
	in.sigma = 2;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(16, c.ucl, 1e-12);
	assert_float_equal(4, c.lcl, 1e-12);
	spc_chart_free(&c);
}

/* p: p̄ = Σd/Σn, limits p̄ ± 3√(p̄(1-p̄)/n_i) per point, LCL floored at 0. */
static void p_limits_follow_each_sample_size(void **state)
{
	static const double d[] = {5, 10, 5}, n[] = {100, 200, 50};
	static const double p[] = {0.05, 0.05, 0.1};
	struct spc_input in = {.kind = SPC_P, .x = d, .n = n, .npoints = 3};
	struct spc_chart c;
	double pb = 20.0 / 350, s0 = sqrt(pb * (1 - pb) / 100);

	(void)state;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(pb, c.center, 1e-12);
	assert_float_equal(pb + 3 * s0, c.ucl_i[0], 1e-12);
	assert_float_equal(0, c.lcl_i[0], 1e-12);
	assert_float_equal(pb + 3 * sqrt(pb * (1 - pb) / 50), c.ucl_i[2], 1e-12);
	assert_float_equal(0.1, c.y[2], 1e-12);
	spc_chart_free(&c);
	/* proportions in place of counts: the same chart */
	in.x = p;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(pb, c.center, 1e-12);
	spc_chart_free(&c);
	/* whole values read as counts unless the caller says proportions */
	static const double whole[] = {0, 1, 1};
	in.x = whole;
	in.proportions = true;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(250.0 / 350, c.center, 1e-12);
	spc_chart_free(&c);
	in.proportions = false;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(2.0 / 350, c.center, 1e-12);
	spc_chart_free(&c);
}

/* X̄-R: X̿ ± A2·R̄; R chart D3·R̄ .. D4·R̄ (n = 3: A2 1.023, D4 2.574). */
static void xbar_r_limits_from_the_constants_table(void **state)
{
	static const double x[] = {1, 2, 3, 2, 3, 4, 3, 4, 5};
	struct spc_input in = {.kind = SPC_XBAR_R, .x = x, .npoints = 3,
			       .size = 3};
	struct spc_chart c;

	(void)state;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(3, c.center, 1e-12);
	assert_float_equal(3 + 3 * 2 / (1.693 * sqrt(3)), c.ucl, 1e-12);
	assert_float_equal(3 + 1.023 * 2, c.ucl, 1e-3);
	assert_float_equal(2.574 * 2, c.r_ucl, 1e-12);
	assert_float_equal(0, c.r_lcl, 1e-12);
	assert_float_equal(4, c.y[2], 1e-12);
	spc_chart_free(&c);
}

/* A worked example, by hand: four subgroups of n = 5 QA scores.
 *   8 9 10 11 12    mean 10  R 4  s √(10/4) = 1.58114
 *   10 10 10 12 13  mean 11  R 3  s √(8/4)  = 1.41421
 *   7 8 9 9 12      mean  9  R 5  s √(14/4) = 1.87083
 *   11 12 12 13 12  mean 12  R 2  s √(2/4)  = 0.70711
 * X̿ = 10.5, R̄ = 3.5, s̄ = 1.39332. X̄-R: UCL = 10.5 + 0.577·3.5 = 12.5195,
 * LCL = 8.4805; R chart 0 .. 2.114·3.5 = 7.399. X̄-S: UCL = 10.5 +
 * 1.427·1.39332 = 12.4883, LCL = 8.5117; S chart 0 .. 2.089·1.39332 =
 * 2.9106. (A2, A3 are printed rounded: 1e-3 of slack on the limits.) */
static const double worked[] = {8, 9, 10, 11, 12, 10, 10, 10, 12, 13,
				7, 8, 9, 9, 12, 11, 12, 12, 13, 12};

static void xbar_r_of_a_worked_example(void **state)
{
	struct spc_input in = {.kind = SPC_XBAR_R, .x = worked, .npoints = 4,
			       .size = 5};
	struct spc_chart c;

	(void)state;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(10.5, c.center, 1e-12);
	assert_float_equal(3.5, c.r_center, 1e-12);
	assert_float_equal(12.5195, c.ucl, 1e-3);
	assert_float_equal(8.4805, c.lcl, 1e-3);
	assert_float_equal(7.399, c.r_ucl, 1e-9);
	assert_float_equal(0, c.r_lcl, 1e-12);
	assert_float_equal(9, c.y[2], 1e-12);
	assert_float_equal(5, c.r[2], 1e-12);
	spc_chart_free(&c);
}

static void xbar_s_of_a_worked_example(void **state)
{
	struct spc_input in = {.kind = SPC_XBAR_S, .x = worked, .npoints = 4,
			       .size = 5};
	struct spc_chart c;

	(void)state;
	assert_int_equal(0, spc_chart_make(&in, &c));
	assert_float_equal(10.5, c.center, 1e-12);
	assert_float_equal(1.39332, c.r_center, 1e-5);
	assert_float_equal(12.4883, c.ucl, 1e-3);
	assert_float_equal(8.5117, c.lcl, 1e-3);
	assert_float_equal(2.9106, c.r_ucl, 1e-4);
	assert_float_equal(0, c.r_lcl, 1e-12);
	assert_float_equal(sqrt(3.5), c.r[2], 1e-12);
	spc_chart_free(&c);
}

/* The printed constants (n = 2..10) against what the code computes: two
 * subgroups {0, .., 0, 1} and {0, .., 0, 3} of n values (R̄ = 2). The
 * half-width of the X̄ limits is A2·R̄ (A3·s̄), the R chart's limits D3·R̄
 * and D4·R̄ (B3·s̄, B4·s̄). */
static void xbar_constants_are_the_printed_ones(void **state)
{
	static const double a2[] = {1.880, 1.023, 0.729, 0.577, 0.483, 0.419,
				    0.373, 0.337, 0.308};
	static const double d3[] = {0, 0, 0, 0, 0, 0.076, 0.136, 0.184, 0.223};
	static const double d4[] = {3.267, 2.574, 2.282, 2.114, 2.004, 1.924,
				    1.864, 1.816, 1.777};
	static const double a3[] = {2.659, 1.954, 1.628, 1.427, 1.287, 1.182,
				    1.099, 1.032, 0.975};
	static const double b3[] = {0, 0, 0, 0, 0.030, 0.118, 0.185, 0.239,
				    0.284};
	static const double b4[] = {3.267, 2.568, 2.266, 2.089, 1.970, 1.882,
				    1.815, 1.761, 1.716};
	double x[20];

	(void)state;
	for (size_t n = 2; n <= 10; n++) {
		struct spc_input in = {.kind = SPC_XBAR_R, .x = x, .npoints = 2,
				       .size = n};
		struct spc_chart c;
		double sbar;

		memset(x, 0, sizeof(x));
		x[n - 1] = 1;
		x[2 * n - 1] = 3;
		assert_int_equal(0, spc_chart_make(&in, &c));
		assert_float_equal(2, c.r_center, 1e-12);
		assert_float_equal(a2[n - 2] * 2, c.ucl - c.center, 2e-3);
		assert_float_equal(d3[n - 2] * 2, c.r_lcl, 1e-12);
		assert_float_equal(d4[n - 2] * 2, c.r_ucl, 1e-12);
		spc_chart_free(&c);
		/* s of {0 × (n−1), v} is v/√n */
		sbar = 2 / sqrt((double)n);
		in.kind = SPC_XBAR_S;
		assert_int_equal(0, spc_chart_make(&in, &c));
		assert_float_equal(sbar, c.r_center, 1e-12);
		assert_float_equal(a3[n - 2] * sbar, c.ucl - c.center, 2e-3);
		assert_float_equal(b3[n - 2] * sbar, c.r_lcl, 1e-12);
		assert_float_equal(b4[n - 2] * sbar, c.r_ucl, 1e-12);
		spc_chart_free(&c);
	}
}

static void too_few_points_or_bad_input_are_refused(void **state)
{
	static const double one[] = {5}, flat[] = {5, 5, 5},
			    bad[] = {1, NAN, 2}, d[] = {5, 20}, n[] = {10, 10};
	struct spc_chart c = {0};
	struct spc_input in = {.kind = SPC_XMR, .x = one, .npoints = 1};
	enum spc_ruleset set;

	(void)state;
	assert_int_equal(EDOM, spc_chart_make(&in, &c));
	in.npoints = 0;
	assert_int_equal(EDOM, spc_chart_make(&in, &c));
	in = (struct spc_input){.kind = SPC_XMR, .x = flat, .npoints = 3};
	assert_int_equal(ERANGE, spc_chart_make(&in, &c));
	in.x = bad;
	assert_int_equal(EINVAL, spc_chart_make(&in, &c));
	in.x = flat;
	in.base_from = 2;
	in.base_to = 5;
	assert_int_equal(EINVAL, spc_chart_make(&in, &c));
	/* a count above its sample size; σ given to a p-chart */
	in = (struct spc_input){.kind = SPC_P, .x = d, .n = n, .npoints = 2};
	assert_int_equal(EINVAL, spc_chart_make(&in, &c));
	in.x = flat;
	in.has_sigma = true;
	in.sigma = 1;
	assert_int_equal(EINVAL, spc_chart_make(&in, &c));
	/* subgroups of 11: not in the table */
	in = (struct spc_input){.kind = SPC_XBAR_R, .x = flat, .npoints = 1,
				.size = 11};
	assert_int_equal(EINVAL, spc_chart_make(&in, &c));
	assert_null(c.y);
	assert_int_equal(EINVAL, spc_ruleset_parse("qcc", &set));
	assert_int_equal(0, spc_ruleset_parse("western-electric", &set));
	assert_int_equal(SPC_RULES_WE, set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deck_6_six_in_a_row_rising_or_falling),
		cmocka_unit_test(deck_8_eight_in_a_row_on_one_side),
		cmocka_unit_test(deck_1_one_point_beyond_3_sigma),
		cmocka_unit_test(deck_3_two_of_three_beyond_2_sigma),
		cmocka_unit_test(deck_5_four_of_five_beyond_1_sigma),
		cmocka_unit_test(deck_rules_report_in_the_decks_order),
		cmocka_unit_test(western_electric_numbers_its_four_rules),
		cmocka_unit_test(nelson_1_3_5_6_are_the_decks_1_6_3_5),
		cmocka_unit_test(nelson_2_nine_on_one_side),
		cmocka_unit_test(nelson_4_fourteen_alternating),
		cmocka_unit_test(nelson_7_fifteen_within_1_sigma),
		cmocka_unit_test(nelson_8_eight_beyond_1_sigma_both_sides),
		cmocka_unit_test(xmr_limits_from_the_average_moving_range),
		cmocka_unit_test(p_limits_follow_each_sample_size),
		cmocka_unit_test(xbar_r_limits_from_the_constants_table),
		cmocka_unit_test(xbar_r_of_a_worked_example),
		cmocka_unit_test(xbar_s_of_a_worked_example),
		cmocka_unit_test(xbar_constants_are_the_printed_ones),
		cmocka_unit_test(too_few_points_or_bad_input_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
