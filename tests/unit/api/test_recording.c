/* Range requests on recordings (RFC 9110 §14) and the calls cursor: which
 * bytes a Range header asks for, when it is ignored (whole file, 200) and
 * when it cannot be served (416); and that a cursor round-trips while
 * anything else is refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"

static void closed_open_and_suffix_ranges(void **state)
{
	uint64_t a = 0, b = 0;
	(void)state;

	assert_int_equal(0, api_range_parse("bytes=0-99", 1000, &a, &b));
	assert_int_equal(0, a);
	assert_int_equal(99, b);
	assert_int_equal(0, api_range_parse("bytes=500-", 1000, &a, &b));
	assert_int_equal(500, a);
	assert_int_equal(999, b);
	assert_int_equal(0, api_range_parse("bytes=-100", 1000, &a, &b));
	assert_int_equal(900, a);
	assert_int_equal(999, b);
}

static void ranges_past_the_end_are_clipped(void **state)
{
	uint64_t a = 0, b = 0;
	(void)state;

	assert_int_equal(0, api_range_parse("bytes=990-5000", 1000, &a, &b));
	assert_int_equal(990, a);
	assert_int_equal(999, b);
	assert_int_equal(0, api_range_parse("bytes=-5000", 1000, &a, &b));
	assert_int_equal(0, a);
	assert_int_equal(999, b);
	assert_int_equal(0, api_range_parse("bytes=999-999", 1000, &a, &b));
	assert_int_equal(999, a);
}

static void unsatisfiable_ranges_are_erange(void **state)
{
	uint64_t a, b;
	(void)state;

	assert_int_equal(ERANGE, api_range_parse("bytes=1000-", 1000, &a, &b));
	assert_int_equal(ERANGE, api_range_parse("bytes=2000-3000", 1000, &a, &b));
	assert_int_equal(ERANGE, api_range_parse("bytes=-0", 1000, &a, &b));
	assert_int_equal(ERANGE, api_range_parse("bytes=0-", 0, &a, &b));
}

static void other_forms_are_ignored(void **state)
{
	uint64_t a, b;
	(void)state;

	assert_int_equal(ENOENT, api_range_parse(NULL, 1000, &a, &b));
	assert_int_equal(ENOENT, api_range_parse("items=0-1", 1000, &a, &b));
	assert_int_equal(ENOENT, api_range_parse("bytes=0-1,5-6", 1000, &a, &b));
	assert_int_equal(ENOENT, api_range_parse("bytes=5-1", 1000, &a, &b));
	assert_int_equal(ENOENT, api_range_parse("bytes=abc", 1000, &a, &b));
	assert_int_equal(ENOENT, api_range_parse("bytes=-", 1000, &a, &b));
	assert_int_equal(ENOENT, api_range_parse("bytes= 1-2", 1000, &a, &b));
}

static void a_cursor_round_trips(void **state)
{
	char cur[API_CURSOR_LEN], id[UTIL_ID_LEN];
	int64_t ts = 0;
	(void)state;

	api_cursor_encode(cur, 1767225600123, "0123456789abcdef0123456789abcdef");
	assert_null(strchr(cur, ':'));        /* opaque, URL-safe */
	assert_null(strchr(cur, '+'));
	assert_null(strchr(cur, '/'));
	assert_int_equal(0, api_cursor_decode(cur, &ts, id));
	assert_int_equal(1767225600123, ts);
	assert_string_equal("0123456789abcdef0123456789abcdef", id);
}

static void anything_else_is_not_a_cursor(void **state)
{
	char cur[API_CURSOR_LEN], id[UTIL_ID_LEN];
	int64_t ts;
	(void)state;

	assert_int_equal(EINVAL, api_cursor_decode("", &ts, id));
	assert_int_equal(EINVAL, api_cursor_decode("!!!", &ts, id));
	assert_int_equal(EINVAL, api_cursor_decode("MTIz", &ts, id)); /* "123" */
	assert_int_equal(EINVAL, api_cursor_decode("eDphYmM", &ts, id)); /* "x:abc" */
	api_cursor_encode(cur, 5, "0123456789abcdef0123456789abcdef0");
	assert_int_equal(EINVAL, api_cursor_decode(cur, &ts, id));  /* id too long */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(closed_open_and_suffix_ranges),
		cmocka_unit_test(ranges_past_the_end_are_clipped),
		cmocka_unit_test(unsatisfiable_ranges_are_erange),
		cmocka_unit_test(other_forms_are_ignored),
		cmocka_unit_test(a_cursor_round_trips),
		cmocka_unit_test(anything_else_is_not_a_cursor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
