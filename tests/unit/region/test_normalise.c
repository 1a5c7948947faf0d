/* region_normalise: numbers as dial plans match them. Chinese numbers in
 * their national form whatever way they were dialled; others as 00, the
 * country code and the number; short codes as their digits. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "region/region.h"

static void expect(const char *in, const char *want)
{
	char out[REGION_NUMBER_MAX + 1] = "";
	int err = region_normalise(in, out, sizeof(out));

	if (err || strcmp(out, want))
		fail_msg("%s: got '%s' (err %d), want '%s'", in, out, err, want);
}

static void a_mobile_is_its_eleven_digits_however_dialled(void **state)
{
	(void)state;
	expect("13800138000", "13800138000");
	expect("+8613800138000", "13800138000");
	expect("008613800138000", "13800138000");
	expect("+86 138-0013-8000", "13800138000");
	expect("138 0013 8000", "13800138000");
}

/* Eleven digits from 130 to 199, dialled nationally, normalise as the same
 * number dialled with +86 does — a form only libphonenumber reads — over
 * every three-digit prefix and a spread of subscriber numbers. So a short
 * cut for the national form can never disagree with the library. */
static void every_1x_prefix_normalises_as_its_plus86_form(void **state)
{
	static const char *const tails[] = {"00000000", "00138000",
		"12345678", "55555555", "87654321", "99999999"};
	char national[16], intl[20], a[REGION_NUMBER_MAX + 1],
	     b[REGION_NUMBER_MAX + 1];
	(void)state;

	for (int p = 130; p <= 199; p++) {
		for (size_t t = 0; t < sizeof(tails) / sizeof(*tails); t++) {
			snprintf(national, sizeof(national), "%d%s", p, tails[t]);
			snprintf(intl, sizeof(intl), "+86%s", national);
			assert_int_equal(0, region_normalise(national, a, sizeof(a)));
			assert_int_equal(0, region_normalise(intl, b, sizeof(b)));
			if (strcmp(a, b))
				fail_msg("%s: '%s', but %s: '%s'", national, a,
					 intl, b);
			if (strcmp(a, national))
				fail_msg("%s became '%s'", national, a);
		}
	}
}

static void a_fixed_line_keeps_its_area_code_with_the_zero(void **state)
{
	(void)state;
	expect("0755-12345678", "075512345678");
	expect("+86 755 1234 5678", "075512345678");
	expect("(010) 6552 9988", "01065529988");
	expect("00861065529988", "01065529988");
}

static void service_numbers_400_and_800_stay_national(void **state)
{
	(void)state;
	expect("400-800-1000", "4008001000");
	expect("+86 400 800 1000", "4008001000");
	expect("8008101234", "8008101234");
}

static void other_countries_are_dialled_with_00(void **state)
{
	(void)state;
	expect("+44 20 7946 0958", "00442079460958");
	expect("0044 20 7946 0958", "00442079460958");
	expect("+1 650 253 0000", "0016502530000");
}

static void short_codes_pass_as_their_digits(void **state)
{
	(void)state;
	expect("10086", "10086");
	expect("95588", "95588");
}

static void what_is_no_number_is_refused(void **state)
{
	char out[8];
	(void)state;

	assert_int_equal(EINVAL, region_normalise("", out, sizeof(out)));
	assert_int_equal(EINVAL, region_normalise("sip:1001", out, sizeof(out)));
	assert_int_equal(EINVAL, region_normalise("1+2", out, sizeof(out)));
	assert_int_equal(EINVAL, region_normalise("+", out, sizeof(out)));
	assert_int_equal(ENOSPC, region_normalise("13800138000", out,
						  sizeof(out)));
	assert_int_equal(EINVAL, region_normalise(NULL, out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_mobile_is_its_eleven_digits_however_dialled),
		cmocka_unit_test(every_1x_prefix_normalises_as_its_plus86_form),
		cmocka_unit_test(a_fixed_line_keeps_its_area_code_with_the_zero),
		cmocka_unit_test(service_numbers_400_and_800_stay_national),
		cmocka_unit_test(other_countries_are_dialled_with_00),
		cmocka_unit_test(short_codes_pass_as_their_digits),
		cmocka_unit_test(what_is_no_number_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
