/* The report list's request rules (rpt_check) and the catalogue's own
 * consistency: every report's groupings exist, its default is first, a
 * summary column derives from aggregates it has, a detail column has its
 * SQL; and the value rules every format shares (rounding, time text). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "rpt/rpt_int.h"

#define DAY 86400000LL
#define T0 1767225600000LL    /* 2026-01-01T00:00:00Z */

static int check(const char *id, int64_t from, int64_t to,
		 const struct rpt_args *a, struct rpt_req *r, char *why)
{
	const struct rpt_def *d = rpt_def_find(id);

	assert_non_null(d);
	memset(r, 0, sizeof(*r));
	r->from = from;
	r->to = to;
	return rpt_check(d, a, r, why, 300);
}

static void every_report_is_consistent(void **state)
{
	size_t n;
	const struct rpt_def *d = rpt_defs(&n);

	(void)state;
	assert_true(n >= 16);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(&d[i], rpt_def_find(d[i].id));
		assert_true(d[i].ncols <= RPT_COLS_MAX);
		if (d[i].kind == RPT_DETAIL) {
			assert_int_equal(0, d[i].ngroups);
			for (size_t c = 0; c < d[i].ncols; c++)
				assert_non_null(d[i].cols[c].sql);
			continue;
		}
		assert_true(d[i].ngroups > 0);
		assert_true(d[i].nmeasures <= RPT_MEASURES_MAX);
		for (size_t g = 0; g < d[i].ngroups; g++)
			assert_non_null(rpt_group_find(d[i].groups[g]));
		for (size_t c = 0; c < d[i].ncols; c++) {
			const struct rpt_col *col = &d[i].cols[c];

			assert_true((size_t)col->a < d[i].nmeasures);
			if (col->how == RPT_D_DIV)
				assert_true((size_t)col->b < d[i].nmeasures);
		}
	}
}

static void the_default_grouping_is_the_first(void **state)
{
	struct rpt_args a = {0};
	struct rpt_req r;
	char why[300];

	(void)state;
	assert_int_equal(0, check("call-types", T0, T0 + DAY, &a, &r, why));
	assert_string_equal("wrapup", r.group->name);
	assert_int_equal(RPT_JSON, r.format);
	a.group = "day";
	a.format = "xlsx";
	a.tz = "+08:00";
	assert_int_equal(0, check("call-types", T0, T0 + DAY, &a, &r, why));
	assert_string_equal("day", r.group->name);
	assert_int_equal(RPT_XLSX, r.format);
	assert_int_equal(480, r.tz_min);
}

static void an_empty_or_reversed_period_is_refused(void **state)
{
	struct rpt_args a = {0};
	struct rpt_req r;
	char why[300];

	(void)state;
	assert_int_equal(EINVAL, check("traffic", T0, T0, &a, &r, why));
	assert_non_null(strstr(why, "empty"));
	assert_int_equal(EINVAL, check("traffic", T0, T0 - 1, &a, &r, why));
}

static void periods_have_limits(void **state)
{
	struct rpt_args a = {0};
	struct rpt_req r;
	char why[300];

	(void)state;
	assert_int_equal(0, check("traffic", T0, T0 + RPT_SUMMARY_DAYS * DAY,
				  &a, &r, why));
	assert_int_equal(EINVAL, check("traffic", T0, T0 + RPT_SUMMARY_DAYS *
				       DAY + 1, &a, &r, why));
	assert_int_equal(0, check("inbound-detail", T0, T0 + RPT_DETAIL_DAYS *
				  DAY, &a, &r, why));
	assert_int_equal(EINVAL, check("inbound-detail", T0, T0 +
				       (RPT_DETAIL_DAYS + 1) * DAY, &a, &r,
				       why));
	/* by hour: 10 000 groups at most, so 416 days are too many */
	a.group = "hour";
	assert_int_equal(0, check("traffic", T0, T0 + 416 * DAY, &a, &r, why));
	assert_int_equal(EINVAL, check("traffic", T0, T0 + 417 * DAY, &a, &r,
				       why));
	assert_non_null(strstr(why, "group"));
	a.group = "month";
	assert_int_equal(0, check("traffic", T0, T0 + 3650 * DAY, &a, &r, why));
}

static void groupings_and_filters_belong_to_the_report(void **state)
{
	struct rpt_args a = {.group = "planet"};
	struct rpt_req r;
	char why[300];

	(void)state;
	assert_int_equal(EINVAL, check("acd", T0, T0 + DAY, &a, &r, why));
	assert_non_null(strstr(why, "queue, day, hour"));
	a.group = "wrapup";   /* a grouping, but not of this report */
	assert_int_equal(EINVAL, check("acd", T0, T0 + DAY, &a, &r, why));
	a.group = "day";      /* a detail has none */
	assert_int_equal(EINVAL, check("inbound-detail", T0, T0 + DAY, &a, &r,
				       why));
	a.group = NULL;
	a.filter[2] = "t1";   /* trunk: agent events have none */
	assert_int_equal(EINVAL, check("sign-in", T0, T0 + DAY, &a, &r, why));
	assert_non_null(strstr(why, "trunk"));
	assert_int_equal(0, check("trunk-detail", T0, T0 + DAY, &a, &r, why));
	assert_string_equal("t1", r.filter[2]);
}

static void bad_format_and_tz_are_refused(void **state)
{
	struct rpt_args a = {.format = "pdf"};
	struct rpt_req r;
	char why[300];

	(void)state;
	assert_int_equal(EINVAL, check("traffic", T0, T0 + DAY, &a, &r, why));
	a.format = "csv";
	a.tz = "+8";
	assert_int_equal(EINVAL, check("traffic", T0, T0 + DAY, &a, &r, why));
	a.tz = "-05:30";
	assert_int_equal(0, check("traffic", T0, T0 + DAY, &a, &r, why));
	assert_int_equal(-330, r.tz_min);
}

static void values_round_once_to_their_decimals(void **state)
{
	char t[UTIL_TIME_LEN];

	(void)state;
	assert_true(rpt_round(RPT_NUM2, 2.0 / 3 * 100) == 66.67);
	assert_true(rpt_round(RPT_NUM1, 12333.0 / 1000) == 12.3);
	assert_true(rpt_round(RPT_INT, 2.5) == 3);
	rpt_time_text(t, T0 + 8 * 3600000LL, 480);
	assert_string_equal("2026-01-01 16:00:00", t);
	rpt_time_text(t, T0 - 1, 0);
	assert_string_equal("2025-12-31 23:59:59", t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_report_is_consistent),
		cmocka_unit_test(the_default_grouping_is_the_first),
		cmocka_unit_test(an_empty_or_reversed_period_is_refused),
		cmocka_unit_test(periods_have_limits),
		cmocka_unit_test(groupings_and_filters_belong_to_the_report),
		cmocka_unit_test(bad_format_and_tz_are_refused),
		cmocka_unit_test(values_round_once_to_their_decimals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
