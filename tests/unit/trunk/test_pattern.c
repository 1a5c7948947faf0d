/* trunk/pattern: a dial plan's pattern must compile and be able to match
 * some number; one that can never match is refused when configured. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

static int check(const char *pattern)
{
	char why[256] = "";

	return trunk_pattern_check(pattern, why, sizeof(why));
}

static void the_patterns_of_chinese_numbers_are_taken(void **state)
{
	static const char *const good[] = {
		"^1[3-9][0-9]{9}$",              /* mobiles */
		"^0[1-9][0-9]{9,10}$",           /* fixed lines with area code */
		"^(400|800)[0-9]{7}$",           /* 400/800 */
		"^00[1-9][0-9]+$",               /* international */
		"^[[:digit:]]+$", "^.*$", "[0-9]", "^(10086|95588)$",
		"^9?[0-9]{3,}$", "^(0|1)*5$", "^[^a-z]{5}$",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (check(good[i]))
			fail_msg("refused: %s", good[i]);
	}
}

static void a_pattern_that_does_not_compile_is_refused_with_why(void **state)
{
	char why[256] = "";
	(void)state;

	assert_int_equal(EINVAL, trunk_pattern_check("^(1[3-9]$", why,
						     sizeof(why)));
	assert_non_null(strstr(why, "does not compile"));
	assert_int_equal(EINVAL, check("^[0-9$"));
	assert_int_equal(EINVAL, check(""));
}

static void a_pattern_no_digit_string_fits_is_refused(void **state)
{
	static const char *const never[] = {
		"^abc$", "^[a-z]+$", "^1$2", "1^2", "^$", "^[[:alpha:]]+$",
		"^(a|b)[0-9]$", "^[^0-9]+$", "^1$[0-9]", "^(x)*$", "()",
	};
	char why[256] = "";
	(void)state;

	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		if (check(never[i]) != EINVAL)
			fail_msg("taken: %s", never[i]);
	}
	assert_int_equal(EINVAL, trunk_pattern_check("^abc$", why, sizeof(why)));
	assert_non_null(strstr(why, "never match"));
}

static void alternation_keeps_the_branch_that_can_match(void **state)
{
	(void)state;
	assert_int_equal(0, check("^abc$|^1[0-9]{10}$"));
	assert_int_equal(0, check("^(a|1)$"));
	assert_int_equal(0, check("^x?1$"));
	assert_int_equal(0, check("^(x)*1$"));
}

static void a_match_must_cover_the_whole_number(void **state)
{
	regex_t re;
	(void)state;

	assert_int_equal(0, regcomp(&re, "1[3-9][0-9]{9}", REG_EXTENDED));
	assert_true(trunk_pattern_match(&re, "13800138000"));
	assert_false(trunk_pattern_match(&re, "013800138000"));
	assert_false(trunk_pattern_match(&re, "138001380001"));
	regfree(&re);
	assert_int_equal(0, regcomp(&re, "^(400|4008)[0-9]{6}$", REG_EXTENDED));
	assert_true(trunk_pattern_match(&re, "4008001000"));
	regfree(&re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_patterns_of_chinese_numbers_are_taken),
		cmocka_unit_test(a_pattern_that_does_not_compile_is_refused_with_why),
		cmocka_unit_test(a_pattern_no_digit_string_fits_is_refused),
		cmocka_unit_test(alternation_keeps_the_branch_that_can_match),
		cmocka_unit_test(a_match_must_cover_the_whole_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
