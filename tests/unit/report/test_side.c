/* The caller's rings (平均振铃次数) at China's cadence, agent turnover
 * (话务员流动率) over days, and the calendar under both: each against
 * figures worked out by hand. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "report/report.h"

/* 1 s on, 4 s off: rings begin at 0, 5, 10 s … An answer on arrival
 * hears none; any time up to 5 s hears the first; 5.001 s the second. */
static void rings_begin_every_five_seconds(void **st)
{
	static const struct { int64_t ms, rings; } cases[] = {
		{0, 0}, {-5, 0}, {1, 1}, {999, 1}, {1000, 1}, {4999, 1},
		{5000, 1}, {5001, 2}, {10000, 2}, {10001, 3}, {14000, 3},
		{20000, 4}, {20001, 5},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = report_rings(cases[i].ms, REPORT_RING_PERIOD_MS);
		if (got != cases[i].rings)
			fail_msg("%lld ms: %lld rings, want %lld",
				 (long long)cases[i].ms, (long long)got,
				 (long long)cases[i].rings);
	}
	/* Another cadence (a ring every 6 s: 2 s on, 4 s off). */
	assert_int_equal(2, report_rings(12000, 6000));
	assert_int_equal(3, report_rings(12001, 6000));
	assert_int_equal(0, report_rings(12000, 0));
}

/* Dates: the epoch, a leap day, the day after, a century that is not
 * leap, and what is not a date. */
static void dates_round_trip(void **st)
{
	int32_t d;
	char buf[11];
	int y, m, dd;

	(void)st;
	assert_int_equal(0, report_days(1970, 1, 1));
	assert_int_equal(19782, report_days(2024, 2, 29));  /* 54 y + 13 leap */
	assert_int_equal(0, report_date_parse("2024-03-01", &d));
	assert_int_equal(19783, d);
	report_civil(19782, &y, &m, &dd);
	assert_int_equal(2024, y);
	assert_int_equal(2, m);
	assert_int_equal(29, dd);
	report_date_print(report_days(1999, 12, 31), buf);
	assert_string_equal("1999-12-31", buf);
	static const char *const bad[] = {"2023-02-29", "2100-02-29", "2024-13-01",
		"2024-00-10", "2024-04-31", "24-01-01", "2024-1-01", "2024/01/01",
		"2024-01-01x", "", "1899-12-31", "abcd-ef-gh", "+024-01-01"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = 77;
		if (report_date_parse(bad[i], &d) != EINVAL || d != 77)
			fail_msg("'%s' accepted", bad[i]);
	}
	assert_int_equal(0, report_date_parse("2000-02-29", &d));
	assert_int_equal(EINVAL, report_date_parse(NULL, &d));
}

#define D(y, m, d) report_days(y, m, d)

/* March 2025 (31 days: d0 = 03-01, d1 = 04-01). Five records:
 *   a  hired 2020-01-01, still there        start yes, end yes
 *   b  hired 2024-06-01, last day 03-01     start yes, end no, leaver
 *   c  hired 2025-03-10, still there        start no,  end yes
 *   d  hired 2023-01-01, last day 03-31     start yes, end no, leaver
 *   e  hired 2022-01-01, last day 04-01     start yes, end yes (left after)
 *   f  hired 2021-01-01, last day 02-28     neither (left before)
 * start 4, end 3, leavers 2: turnover 2 / 3.5. */
static void turnover_of_a_month(void **st)
{
	const struct report_staff s[] = {
		{D(2020, 1, 1), -1}, {D(2024, 6, 1), D(2025, 3, 1)},
		{D(2025, 3, 10), -1}, {D(2023, 1, 1), D(2025, 3, 31)},
		{D(2022, 1, 1), D(2025, 4, 1)}, {D(2021, 1, 1), D(2025, 2, 28)},
	};
	struct report_turnover t;
	struct report_side side = {.staff = true};
	double v;

	(void)st;
	assert_int_equal(0, report_turnover(s, 6, D(2025, 3, 1), D(2025, 4, 1),
					    &t));
	assert_int_equal(4, t.start);
	assert_int_equal(3, t.end);
	assert_int_equal(2, t.leavers);
	side.staff_start = t.start;
	side.staff_end = t.end;
	side.leavers = t.leavers;
	assert_int_equal(0, report_kpi_side(report_kpi_find("turnover"), &side,
					    &v));
	assert_true(v == 2 / 3.5);
	/* The first quarter: b, d and f left in it; on 01-01 a, b, d, e, f
	 * (5); on 04-01 a, c, e (3). 3 / 4. */
	assert_int_equal(0, report_turnover(s, 6, D(2025, 1, 1), D(2025, 4, 1),
					    &t));
	assert_int_equal(5, t.start);
	assert_int_equal(3, t.end);
	assert_int_equal(3, t.leavers);
}

static void turnover_refuses_bad_input(void **st)
{
	const struct report_staff backwards[] = {{D(2025, 3, 2), D(2025, 3, 1)}};
	struct report_turnover t = {.start = 9};

	(void)st;
	assert_int_equal(EINVAL, report_turnover(backwards, 1, 0, 1 << 20, &t));
	assert_int_equal(EINVAL, report_turnover(NULL, 0, 5, 5, &t));
	assert_int_equal(9, t.start);
	assert_int_equal(0, report_turnover(NULL, 0, 5, 6, &t));
	assert_int_equal(0, t.start);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rings_begin_every_five_seconds),
		cmocka_unit_test(dates_round_trip),
		cmocka_unit_test(turnover_of_a_month),
		cmocka_unit_test(turnover_refuses_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
