/* region: the province and city of a Chinese number, as libphonenumber's
 * geocoding data (Debian 12) gives them, split by region.cc's table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <cmocka.h>
#include "region/region.h"

/* Looks number up and checks both names. */
static void expect(const char *number, const char *province, const char *city)
{
	struct region r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(0, region_lookup(number, &r));
	assert_string_equal(province, r.province);
	assert_string_equal(city, r.city);
}

/* Looks number up, expects err, and that *out was left as it was. */
static void expect_err(int err, const char *number)
{
	struct region r, before;

	memset(&r, 'x', sizeof(r));
	before = r;
	assert_int_equal(err, region_lookup(number, &r));
	assert_memory_equal(&before, &r, sizeof(r));
}

static void init_can_be_called_again(void **state)
{
	(void)state;
	assert_int_equal(0, region_init());
	assert_int_equal(0, region_init());
}

static void a_mobile_number_gives_its_prefix_province_and_city(void **state)
{
	(void)state;
	expect("13912345678", "江苏省", "常州市");
	expect("15012345678", "云南省", "昭通市");
}

static void a_municipality_is_its_own_city(void **state)
{
	(void)state;
	expect("13800138000", "北京市", "北京市");
	expect("02312345678", "重庆市", "重庆市");
}

static void a_fixed_line_gives_its_area_code_province_and_city(void **state)
{
	(void)state;
	expect("01012345678", "北京市", "北京市");
	expect("02087654321", "广东省", "广州市");
	expect("075512345678", "广东省", "深圳市");
	expect("0755-1234-5678", "广东省", "深圳市");
	expect("057112345678", "浙江省", "杭州市");
}

/* The data writes "新疆…", "内蒙古…" and a bare "天津"; the province is
 * always the full name. */
static void short_province_names_in_the_data_become_full_names(void **state)
{
	(void)state;
	expect("09911234567", "新疆维吾尔自治区", "乌鲁木齐市");
	expect("04711234567", "内蒙古自治区", "呼和浩特市");
	expect("04791234567", "内蒙古自治区", "锡林郭勒盟");
	expect("17726001234", "天津市", "天津市");
}

static void a_prefix_shared_by_several_cities_lists_them(void **state)
{
	(void)state;
	expect("085112345678", "贵州省", "贵阳市、遵义市、安顺市");
}

static void plus_86_and_0086_forms_give_the_national_answer(void **state)
{
	(void)state;
	expect("+8613800138000", "北京市", "北京市");
	expect("008613800138000", "北京市", "北京市");
	expect("+86 138 0013 8000", "北京市", "北京市");
	expect("+86755 1234 5678", "广东省", "深圳市");
	expect("0086-20-87654321", "广东省", "广州市");
}

/* Known only as "China": virtual operators' 170, 400 numbers. */
static void a_number_placed_only_in_china_is_unknown(void **state)
{
	(void)state;
	expect_err(ENOENT, "17012345678");
	expect_err(ENOENT, "4008001000");
}

static void other_countries_are_unknown(void **state)
{
	(void)state;
	expect_err(ENOENT, "+12025550123");
	expect_err(ENOENT, "+85221234567");
	expect_err(ENOENT, "+886912345678");
	expect_err(ENOENT, "001 202 555 0123");
}

static void what_is_not_a_valid_number_is_unknown(void **state)
{
	(void)state;
	expect_err(ENOENT, "anonymous");
	expect_err(ENOENT, "1001");
	expect_err(ENOENT, "10086");
	expect_err(ENOENT, "1380013");
	expect_err(ENOENT, "*21");
	expect_err(ENOENT, "+86");
	expect_err(ENOENT, "0086");
	expect_err(ENOENT, "\xff\xfe\x80 138");
}

static void an_empty_number_is_unknown(void **state)
{
	(void)state;
	expect_err(ENOENT, "");
}

/* A valid number followed by filler past REGION_NUMBER_MAX, and a very
 * long run of digits: refused before the parser sees them. */
static void a_very_long_input_is_unknown(void **state)
{
	char s[4096];
	(void)state;

	memset(s, ' ', REGION_NUMBER_MAX + 1);
	memcpy(s, "13800138000", 11);
	s[REGION_NUMBER_MAX + 1] = '\0';
	expect_err(ENOENT, s);
	s[REGION_NUMBER_MAX] = '\0';            /* exactly the limit: read */
	expect(s, "北京市", "北京市");
	memset(s, '9', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	expect_err(ENOENT, s);
}

static void null_arguments_are_einval(void **state)
{
	struct region r;
	(void)state;

	assert_int_equal(EINVAL, region_lookup(NULL, &r));
	assert_int_equal(EINVAL, region_lookup("13800138000", NULL));
}

/* Lookups from several threads at once all get the same answers. */
static void *lookups(void *arg)
{
	static const char *const numbers[] = {"13800138000", "02087654321",
					      "+8613912345678", "anonymous"};
	static const char *const cities[] = {"北京市", "广州市", "常州市", NULL};
	struct region r;

	for (unsigned i = 0; i < 400; i++) {
		unsigned k = i % 4;
		int err = region_lookup(numbers[k], &r);

		if (cities[k] ? err || strcmp(r.city, cities[k]) : err != ENOENT)
			return arg;
	}
	return NULL;
}

static void lookups_from_several_threads_agree(void **state)
{
	pthread_t t[4];
	void *bad;
	(void)state;

	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(0, pthread_create(&t[i], NULL, lookups, t));
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(0, pthread_join(t[i], &bad));
		assert_null(bad);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_can_be_called_again),
		cmocka_unit_test(a_mobile_number_gives_its_prefix_province_and_city),
		cmocka_unit_test(a_municipality_is_its_own_city),
		cmocka_unit_test(a_fixed_line_gives_its_area_code_province_and_city),
		cmocka_unit_test(short_province_names_in_the_data_become_full_names),
		cmocka_unit_test(a_prefix_shared_by_several_cities_lists_them),
		cmocka_unit_test(plus_86_and_0086_forms_give_the_national_answer),
		cmocka_unit_test(a_number_placed_only_in_china_is_unknown),
		cmocka_unit_test(other_countries_are_unknown),
		cmocka_unit_test(what_is_not_a_valid_number_is_unknown),
		cmocka_unit_test(an_empty_number_is_unknown),
		cmocka_unit_test(a_very_long_input_is_unknown),
		cmocka_unit_test(null_arguments_are_einval),
		cmocka_unit_test(lookups_from_several_threads_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
