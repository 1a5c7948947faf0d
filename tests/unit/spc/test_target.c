/* The KPI targets in force (spc/target.c): a queue's own row over the
 * center's over the reference's default, an open end kept open; the
 * checks a target must pass; and when a value misses one, a ceiling-only
 * KPI's low end never counting. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>
#include "report/report.h"
#include "spc/spc.h"

static const struct spc_target rows[] = {
	{"", "service_level", 0.9, NAN},
	{"sales", "service_level", 0.7, 0.95},
	{"sales", "asa", NAN, NAN},
	{"support", "abandon_rate", 0.01, 0.02},
};

static void the_most_specific_row_wins(void **state)
{
	const struct report_kpi_def *sl = report_kpi_find("service_level");
	const struct report_kpi_def *asa = report_kpi_find("asa");
	enum spc_target_from f;
	double lo, hi;

	(void)state;
	spc_target_effective(sl, rows, 4, "sales", &lo, &hi, &f);
	assert_true(lo == 0.7 && hi == 0.95 && f == SPC_TARGET_QUEUE);
	spc_target_effective(sl, rows, 4, "support", &lo, &hi, &f);
	assert_true(lo == 0.9 && isnan(hi) && f == SPC_TARGET_CENTER);
	spc_target_effective(sl, rows, 4, NULL, &lo, &hi, &f);
	assert_true(lo == 0.9 && f == SPC_TARGET_CENTER);
	/* sales set ASA open on purpose: no ceiling, not the default's. */
	spc_target_effective(asa, rows, 4, "sales", &lo, &hi, &f);
	assert_true(isnan(lo) && isnan(hi) && f == SPC_TARGET_QUEUE);
	spc_target_effective(asa, rows, 4, "support", &lo, &hi, &f);
	assert_true(isnan(lo) && hi == 20 && f == SPC_TARGET_DEFAULT);
	spc_target_effective(sl, NULL, 0, "sales", &lo, &hi, &f);
	assert_true(lo == 0.8 && isnan(hi) && f == SPC_TARGET_DEFAULT);
	assert_string_equal("queue", spc_target_from_name(SPC_TARGET_QUEUE));
}

static void a_target_is_checked_against_its_unit(void **state)
{
	const struct report_kpi_def *sl = report_kpi_find("service_level");
	const struct report_kpi_def *asa = report_kpi_find("asa");
	char why[200];

	(void)state;
	assert_int_equal(0, spc_target_check(sl, 0.8, NAN, NULL, why, 200));
	assert_int_equal(0, spc_target_check(sl, 0, 1, "ratio", why, 200));
	assert_int_equal(0, spc_target_check(sl, NAN, NAN, NULL, why, 200));
	assert_int_equal(EINVAL, spc_target_check(sl, 80, NAN, NULL, why, 200));
	assert_int_equal(EINVAL, spc_target_check(sl, NAN, 1.01, NULL, why,
						  200));
	assert_int_equal(EINVAL, spc_target_check(sl, 0.9, 0.8, NULL, why,
						  200));
	assert_string_equal("target_lo: above target_hi", why);
	assert_int_equal(0, spc_target_check(asa, NAN, 600, "s", why, 200));
	assert_int_equal(EINVAL, spc_target_check(asa, -1, NAN, NULL, why,
						  200));
	assert_int_equal(EINVAL, spc_target_check(asa, NAN, INFINITY, NULL,
						  why, 200));
	assert_int_equal(EINVAL, spc_target_check(asa, NAN, 20, "ratio", why,
						  200));
	assert_string_equal("unit: asa is measured in s, not ratio", why);
}

static void a_miss_is_outside_the_range_that_counts(void **state)
{
	(void)state;
	assert_int_equal(1, spc_target_missed("service_level", 0.8, NAN, 0.79));
	assert_int_equal(0, spc_target_missed("service_level", 0.8, NAN, 0.8));
	assert_int_equal(1, spc_target_missed("asa", NAN, 20, 20.5));
	assert_int_equal(0, spc_target_missed("asa", NAN, 20, 3));
	/* Abandonment's range is a ceiling: fewer abandons are no miss. */
	assert_int_equal(0, spc_target_missed("abandon_rate", 0.03, 0.05, 0));
	assert_int_equal(1, spc_target_missed("abandon_rate", 0.03, 0.05,
					      0.06));
	assert_int_equal(1, spc_target_missed("avg_talk_time", 270, 360, 200));
	assert_int_equal(-1, spc_target_missed("asa", NAN, NAN, 30));
	assert_int_equal(-1, spc_target_missed("abandon_rate", 0.03, NAN,
					       0.5));
	assert_int_equal(-1, spc_target_missed("asa", NAN, 20, NAN));
	assert_true(spc_target_ceiling_only("blocking_rate"));
	assert_false(spc_target_ceiling_only("occupancy"));
	assert_false(spc_target_ceiling_only(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_most_specific_row_wins),
		cmocka_unit_test(a_target_is_checked_against_its_unit),
		cmocka_unit_test(a_miss_is_outside_the_range_that_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
