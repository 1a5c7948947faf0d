/* The registrar's expiry arithmetic (RFC 3261 10.2.1.1 and 10.3 step 8):
 * a contact's expires parameter wins over the Expires header, which wins
 * over the default; 0 removes; under the minimum is refused (423); over
 * the maximum is cut to the maximum. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sip/sipx_int.h"

static struct sipx_conf conf;

static int setup(void **state)
{
	(void)state;
	sipx_conf_default(&conf);        /* 60 .. 3600 s, default 3600 */
	conf.default_expires_s = 1800;
	return 0;
}

static int expiry(const char *param, const char *hdr, uint32_t *granted)
{
	struct pl p = PL_INIT, h = PL_INIT;

	if (param)
		pl_set_str(&p, param);
	if (hdr)
		pl_set_str(&h, hdr);
	return sipx_expiry(&conf, &p, &h, granted);
}

static void the_contact_parameter_wins_over_the_header(void **state)
{
	uint32_t g = 1;

	(void)state;
	assert_int_equal(0, expiry("120", "600", &g));
	assert_int_equal(120, g);
	assert_int_equal(0, expiry("0", "600", &g));
	assert_int_equal(0, g);
	assert_int_equal(0, expiry("600", "0", &g));
	assert_int_equal(600, g);
}

static void the_header_applies_when_the_contact_names_none(void **state)
{
	uint32_t g = 1;

	(void)state;
	assert_int_equal(0, expiry(NULL, "300", &g));
	assert_int_equal(300, g);
	assert_int_equal(0, expiry(NULL, "0", &g));
	assert_int_equal(0, g);
}

static void neither_gives_the_default(void **state)
{
	uint32_t g = 1;

	(void)state;
	assert_int_equal(0, expiry(NULL, NULL, &g));
	assert_int_equal(1800, g);
}

static void the_minimum_is_allowed_and_one_less_is_too_brief(void **state)
{
	uint32_t g = 1;

	(void)state;
	assert_int_equal(0, expiry("60", NULL, &g));
	assert_int_equal(60, g);
	assert_int_equal(ERANGE, expiry("59", NULL, &g));
	assert_int_equal(ERANGE, expiry(NULL, "1", &g));
}

static void longer_than_the_maximum_is_cut_to_it(void **state)
{
	uint32_t g = 1;

	(void)state;
	assert_int_equal(0, expiry("3601", NULL, &g));
	assert_int_equal(3600, g);
	assert_int_equal(0, expiry(NULL, "4294967295", &g));
	assert_int_equal(3600, g);
}

static void a_default_outside_the_bounds_is_brought_inside(void **state)
{
	uint32_t g = 1;

	(void)state;
	conf.default_expires_s = 7200;
	assert_int_equal(0, expiry(NULL, NULL, &g));
	assert_int_equal(3600, g);
	conf.default_expires_s = 10;
	assert_int_equal(0, expiry(NULL, NULL, &g));
	assert_int_equal(60, g);
}

static void what_is_not_a_number_is_refused(void **state)
{
	uint32_t g = 1;

	(void)state;
	assert_int_equal(EINVAL, expiry("soon", NULL, &g));
	assert_int_equal(EINVAL, expiry(NULL, "-5", &g));
	assert_int_equal(EINVAL, expiry(NULL, "60s", &g));
	assert_int_equal(EINVAL, expiry("4294967296", NULL, &g));
	assert_int_equal(EINVAL, expiry("123456789012345678901234567890", NULL, &g));
	assert_int_equal(1, g);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(the_contact_parameter_wins_over_the_header),
		T(the_header_applies_when_the_contact_names_none),
		T(neither_gives_the_default),
		T(the_minimum_is_allowed_and_one_less_is_too_brief),
		T(longer_than_the_maximum_is_cut_to_it),
		T(a_default_outside_the_bounds_is_brought_inside),
		T(what_is_not_a_number_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
