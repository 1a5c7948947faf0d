/* qa/calibrate: three inspectors score the same call blind on the same
 * card; calibration shows, item by item, how they answered, what most
 * said, how many agreed and how far apart their credit was, and, per
 * inspector, how far their score is from the mean and how many items they
 * read differently from the others. */
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "qa/calibrate.h"

static const struct qa_card card = {
	.mode = QA_WEIGHTS, .nsections = 1, .sections = {"服务"}, .nitems = 4,
	.items = {
		{"greet",  "标准问候语", 20, false, 0},
		{"listen", "耐心倾听",   30, false, 0},
		{"solve",  "解决问题",   40, false, 0},
		{"close",  "结束语",     10, false, 0},
	},
};

#define Y QA_A_YES
#define N QA_A_NO
#define P QA_A_PARTIAL
#define X QA_A_NA

/* qa1 and qa2 read the card alike; qa3 is harsh on listening and solving. */
static const struct qa_cal_eval three[] = {
	{"qa1", 85, {Y, P, Y, Y}},
	{"qa2", 85, {Y, P, Y, Y}},
	{"qa3", 45, {Y, N, P, X}},
};

static void the_scores_mean_spread_and_range(void **state)
{
	struct qa_calibration c;
	(void)state;

	assert_int_equal(0, qa_calibrate(&card, three, 3, &c));
	assert_int_equal(3, c.n);
	assert_true(fabs(c.mean - 71.6667) < 1e-3);
	assert_true(fabs(c.sd - sqrt((2 * 13.3333 * 13.3333 +
				      26.6667 * 26.6667) / 3)) < 1e-3);
	assert_true(c.min == 45 && c.max == 85);
}

static void each_item_counts_its_answers_and_names_the_consensus(void **state)
{
	struct qa_calibration c;
	(void)state;

	assert_int_equal(0, qa_calibrate(&card, three, 3, &c));
	/* greet: all yes, no spread */
	assert_int_equal(3, c.item[0].count[QA_A_YES]);
	assert_int_equal(QA_A_YES, c.item[0].consensus);
	assert_true(c.item[0].agreement == 1.0 && c.item[0].spread == 0.0);
	/* listen: partial, partial, no: two of three, half a point apart */
	assert_int_equal(QA_A_PARTIAL, c.item[1].consensus);
	assert_true(fabs(c.item[1].agreement - 2.0 / 3) < 1e-9);
	assert_true(c.item[1].spread == 0.5);
	/* close: N.A. is counted but has no credit: spread over the two
	 * who found it applicable */
	assert_int_equal(1, c.item[3].count[QA_A_NA]);
	assert_true(c.item[3].spread == 0.0);
}

/* yes against no is the widest spread; a tie goes to yes before no. */
static void yes_against_no_is_the_widest_and_a_tie_goes_to_yes(void **state)
{
	const struct qa_cal_eval two[] = {
		{"qa1", 100, {Y, Y, Y, Y}},
		{"qa2", 80, {N, Y, Y, Y}},
	};
	struct qa_calibration c;
	(void)state;

	assert_int_equal(0, qa_calibrate(&card, two, 2, &c));
	assert_true(c.item[0].spread == 1.0);
	assert_int_equal(QA_A_YES, c.item[0].consensus);
	assert_true(c.item[0].agreement == 0.5);
	assert_int_equal(0, c.insp[0].differences);
	assert_int_equal(1, c.insp[1].differences);
}

static void each_inspector_deviates_from_the_mean(void **state)
{
	struct qa_calibration c;
	(void)state;

	assert_int_equal(0, qa_calibrate(&card, three, 3, &c));
	assert_true(fabs(c.insp[0].deviation - 13.3333) < 1e-3);
	assert_true(fabs(c.insp[2].deviation + 26.6667) < 1e-3);
	assert_int_equal(0, c.insp[0].differences);
	assert_int_equal(3, c.insp[2].differences);   /* listen, solve, close */
}

static void one_evaluation_is_not_a_calibration(void **state)
{
	struct qa_calibration c;
	(void)state;

	assert_int_equal(EINVAL, qa_calibrate(&card, three, 1, &c));
	assert_int_equal(EINVAL, qa_calibrate(&card, three, QA_CAL_MAX + 1,
					      &c));
	assert_int_equal(EINVAL, qa_calibrate(NULL, three, 3, &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_scores_mean_spread_and_range),
		cmocka_unit_test(each_item_counts_its_answers_and_names_the_consensus),
		cmocka_unit_test(yes_against_no_is_the_widest_and_a_tie_goes_to_yes),
		cmocka_unit_test(each_inspector_deviates_from_the_mean),
		cmocka_unit_test(one_evaluation_is_not_a_calibration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
