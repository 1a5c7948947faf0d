/* crm: the one form numbers are stored in, the service levels, and the
 * in-memory index of the numbers that matter to calls. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "crm/crm_int.h"

static void numbers_are_stored_in_one_form(void **state)
{
	static const struct { const char *in, *out; } ok[] = {
		{"13800138000", "13800138000"},
		{"138-0013-8000", "13800138000"},
		{" 138 0013 8000", "13800138000"},
		{"+86 138 0013 8000", "13800138000"},
		{"008613800138000", "13800138000"},
		{"(010) 6512.3456", "01065123456"},
		{"+1 (415) 555-0100", "+14155550100"},
		{"0044 20 7946 0000", "+442079460000"},
		{"1001", "1001"},
	};
	static const char *const bad[] = {
		"", "+", "abc", "138a0013", "+86", "0086", "1234567890123456789012345678901234",
		"13800138000;x", "*21",
	};
	char out[CRM_PHONE_MAX];
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
		assert_int_equal(0, crm_phone_norm(ok[i].in, out));
		assert_string_equal(ok[i].out, out);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(EINVAL, crm_phone_norm(bad[i], out));
	assert_int_equal(EINVAL, crm_phone_norm(NULL, out));
}

static void levels_raise_the_queue_priority_in_order(void **state)
{
	int32_t prev = -1, r;
	(void)state;

	for (size_t i = 0; crm_levels[i]; i++) {
		assert_int_equal(0, crm_level_raise(crm_levels[i], &r));
		assert_true(r > prev);
		prev = r;
	}
	assert_int_equal(0, crm_level_raise("normal", &r));
	assert_int_equal(0, r);
	assert_int_equal(EINVAL, crm_level_raise("platinum", &r));
	assert_int_equal(EINVAL, crm_level_raise(NULL, &r));
}

/* Only numbers that change a call are held; a change that makes one
 * ordinary removes it; the table grows past its first size. */
static void the_index_holds_only_what_matters(void **state)
{
	struct crm_index *ix, *other;
	struct crm_caller c = {0}, got;
	char num[CRM_PHONE_MAX];
	(void)state;

	assert_int_equal(0, crm_index_alloc(&ix));
	assert_int_equal(0, crm_index_put(ix, "13800000000", &c));
	assert_int_equal(0, crm_index_count(ix));
	assert_int_equal(ENOENT, crm_index_get(ix, "13800000000", &got));
	c.blacklisted = true;
	assert_int_equal(0, crm_index_put(ix, "13800000000", &c));
	assert_int_equal(0, crm_index_get(ix, "13800000000", &got));
	assert_true(got.blacklisted);
	c = (struct crm_caller){.raise = 20};
	strcpy(c.owner, "1003");
	assert_int_equal(0, crm_index_put(ix, "13800000000", &c));
	assert_int_equal(0, crm_index_get(ix, "13800000000", &got));
	assert_false(got.blacklisted);
	assert_int_equal(20, got.raise);
	assert_string_equal("1003", got.owner);
	assert_int_equal(1, crm_index_count(ix));
	assert_int_equal(0, crm_index_put(ix, "13800000000",
					  &(struct crm_caller){0}));
	assert_int_equal(0, crm_index_count(ix));
	for (int i = 0; i < 5000; i++) {
		snprintf(num, sizeof(num), "1390000%04d", i);
		assert_int_equal(0, crm_index_put(ix, num, &(struct crm_caller){
			.raise = i % 3 + 1}));
	}
	assert_int_equal(5000, crm_index_count(ix));
	assert_int_equal(0, crm_index_get(ix, "13900004999", &got));
	assert_int_equal(4999 % 3 + 1, got.raise);
	crm_index_del(ix, "13900004999");
	assert_int_equal(ENOENT, crm_index_get(ix, "13900004999", &got));
	assert_int_equal(EINVAL, crm_index_put(ix,
		"123456789012345678901234567890123", &c));
	/* merging keeps the destination's newer entries the skip names */
	assert_int_equal(0, crm_index_alloc(&other));
	assert_int_equal(0, crm_index_put(other, "13900000001",
		&(struct crm_caller){.blacklisted = true}));
	assert_int_equal(0, crm_index_put(other, "10086",
		&(struct crm_caller){.raise = 30}));
	crm_index_merge(ix, other, NULL, NULL);
	assert_int_equal(0, crm_index_get(ix, "13900000001", &got));
	assert_true(got.blacklisted);
	assert_int_equal(0, crm_index_get(ix, "10086", &got));
	assert_int_equal(30, got.raise);
	crm_index_free(other);
	crm_index_free(ix);
}

static bool skip_10086(void *arg, const char *number)
{
	(void)arg;
	return !strcmp(number, "10086");
}

static void a_merge_skips_what_changed_meanwhile(void **state)
{
	struct crm_index *live, *loaded;
	struct crm_caller got;
	(void)state;

	assert_int_equal(0, crm_index_alloc(&live));
	assert_int_equal(0, crm_index_alloc(&loaded));
	assert_int_equal(0, crm_index_put(loaded, "10086",
		&(struct crm_caller){.blacklisted = true}));
	assert_int_equal(0, crm_index_put(loaded, "10010",
		&(struct crm_caller){.raise = 10}));
	/* 10086 was made ordinary by the API while the load ran */
	crm_index_merge(live, loaded, skip_10086, NULL);
	assert_int_equal(ENOENT, crm_index_get(live, "10086", &got));
	assert_int_equal(0, crm_index_get(live, "10010", &got));
	crm_index_free(loaded);
	crm_index_free(live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_are_stored_in_one_form),
		cmocka_unit_test(levels_raise_the_queue_priority_in_order),
		cmocka_unit_test(the_index_holds_only_what_matters),
		cmocka_unit_test(a_merge_skips_what_changed_meanwhile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
