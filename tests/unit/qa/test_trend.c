/* qa/trend: an evaluation's week starts on the Monday and its month on the
 * first, in the center's local time: a score given late on Sunday evening
 * in Beijing belongs to that week, not to the next one the UTC date would
 * put it in; years, leap days and times before 1970 are no exception. */
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "qa/trend.h"

enum { H = 3600, BEIJING = 8 * H };

/* 2026-12-07 is a Monday; 00:00 UTC that day in ms. */
static const int64_t MON = 1796601600000LL;

static void week_of(int64_t ms, int32_t off, const char *want)
{
	char out[QA_PERIOD_LEN];

	qa_period_name(ms, off, QA_PERIOD_WEEK, out);
	assert_string_equal(want, out);
}

static void month_of(int64_t ms, int32_t off, const char *want)
{
	char out[QA_PERIOD_LEN];

	qa_period_name(ms, off, QA_PERIOD_MONTH, out);
	assert_string_equal(want, out);
}

static void a_week_runs_monday_to_sunday(void **state)
{
	(void)state;
	week_of(MON, 0, "2026-12-07");
	week_of(MON + 6 * 86400000LL + 86399999, 0, "2026-12-07");  /* Sun */
	week_of(MON + 7 * 86400000LL, 0, "2026-12-14");
	week_of(MON - 1, 0, "2026-11-30");
}

static void the_week_is_the_local_one(void **state)
{
	(void)state;
	/* Sunday 2026-12-06 23:30 in Beijing is 15:30 UTC: that week. */
	week_of(MON - 8 * 3600000LL - 30 * 60000, BEIJING, "2026-11-30");
	/* Monday 00:30 in Beijing is still Sunday in UTC: the new week. */
	week_of(MON - 8 * 3600000LL + 30 * 60000, BEIJING, "2026-12-07");
	week_of(MON - 8 * 3600000LL + 30 * 60000, 0, "2026-11-30");
}

static void a_month_starts_on_the_first(void **state)
{
	(void)state;
	month_of(MON, 0, "2026-12-01");
	/* 2026-12-01 00:30 in Beijing is 2026-11-30 16:30 UTC */
	month_of(MON - 6 * 86400000LL - 8 * 3600000LL + 30 * 60000, BEIJING,
		 "2026-12-01");
	month_of(MON - 6 * 86400000LL - 8 * 3600000LL + 30 * 60000, 0,
		 "2026-11-01");
	month_of(951782400000LL, 0, "2000-02-01");   /* 2000-02-29, leap */
	week_of(951782400000LL, 0, "2000-02-28");    /* a Monday */
	week_of(-86400000LL, 0, "1969-12-29");       /* 1969-12-31 */
	month_of(0, 0, "1970-01-01");
}

static void periods_are_named_week_and_month(void **state)
{
	enum qa_period p;

	(void)state;
	assert_int_equal(0, qa_period_parse("week", &p));
	assert_int_equal(QA_PERIOD_WEEK, p);
	assert_int_equal(0, qa_period_parse("month", &p));
	assert_int_equal(QA_PERIOD_MONTH, p);
	assert_int_equal(EINVAL, qa_period_parse("day", &p));
	assert_int_equal(EINVAL, qa_period_parse(NULL, &p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_week_runs_monday_to_sunday),
		cmocka_unit_test(the_week_is_the_local_one),
		cmocka_unit_test(a_month_starts_on_the_first),
		cmocka_unit_test(periods_are_named_week_and_month),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
