/* The ban list: a source failing authentication 10 times within a minute
 * is refused for 5 minutes; the port does not matter, other sources are
 * not affected, and the ban ends on time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "sip/sipx_int.h"

static const struct sipx_ban_conf conf = {
	.max_failures = 10, .window_ms = 60000, .ban_ms = 300000,
	.max_sources = 4,
};

static int setup(void **state)
{
	struct sipx_ban *b = NULL;

	if (sipx_ban_alloc(&b, &conf))
		return -1;
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	mem_deref(*state);
	return 0;
}

static struct sa addr(const char *ip, uint16_t port)
{
	struct sa sa;

	assert_int_equal(0, sa_set_str(&sa, ip, port));
	return sa;
}

static void ten_failures_in_a_minute_ban_the_source(void **state)
{
	struct sipx_ban *b = *state;
	struct sa a = addr("192.0.2.7", 5060);

	for (int i = 0; i < 9; i++) {
		assert_false(sipx_ban_fail(b, &a, NULL, 1000 + i * 6000));
		assert_false(sipx_ban_check(b, &a, NULL, 1000 + i * 6000));
	}
	/* The 10th, 54 s after the first: banned, and told exactly once. */
	assert_true(sipx_ban_fail(b, &a, NULL, 55000));
	assert_true(sipx_ban_check(b, &a, NULL, 55000));
	assert_false(sipx_ban_fail(b, &a, NULL, 55001));
}

static void ten_failures_spread_over_more_than_a_minute_do_not(void **state)
{
	struct sipx_ban *b = *state;
	struct sa a = addr("192.0.2.7", 5060);

	/* One every 7 s: any 10 in a row span 63 s. */
	for (int i = 0; i < 30; i++)
		assert_false(sipx_ban_fail(b, &a, NULL, i * 7000));
	assert_false(sipx_ban_check(b, &a, NULL, 30 * 7000));
}

static void the_port_does_not_matter_but_the_address_does(void **state)
{
	struct sipx_ban *b = *state;
	struct sa other = addr("192.0.2.8", 5060);
	bool banned = false;

	for (int i = 0; i < 10; i++) {
		struct sa a = addr("192.0.2.7", (uint16_t)(40000 + i));
		banned = sipx_ban_fail(b, &a, NULL, 1000 + i);
	}
	assert_true(banned);
	struct sa again = addr("192.0.2.7", 5060);
	assert_true(sipx_ban_check(b, &again, NULL, 2000));
	assert_false(sipx_ban_check(b, &other, NULL, 2000));
}

static void the_ban_ends_after_five_minutes(void **state)
{
	struct sipx_ban *b = *state;
	struct sa a = addr("2001:db8::1", 5060);

	for (int i = 0; i < 10; i++)
		sipx_ban_fail(b, &a, NULL, 1000);
	assert_true(sipx_ban_check(b, &a, NULL, 1000 + 300000 - 1));
	assert_false(sipx_ban_check(b, &a, NULL, 1000 + 300000));
	/* Afterwards it starts from zero: one failure is not a ban. */
	assert_false(sipx_ban_fail(b, &a, NULL, 1000 + 300000));
	assert_false(sipx_ban_check(b, &a, NULL, 1000 + 300001));
}

static void failures_while_banned_do_not_extend_the_ban(void **state)
{
	struct sipx_ban *b = *state;
	struct sa a = addr("192.0.2.7", 5060);

	for (int i = 0; i < 10; i++)
		sipx_ban_fail(b, &a, NULL, 0);
	for (int i = 0; i < 100; i++)
		assert_false(sipx_ban_fail(b, &a, NULL, 299000));
	assert_false(sipx_ban_check(b, &a, NULL, 300000));
}

static void sweep_forgets_quiet_sources_and_keeps_banned_ones(void **state)
{
	struct sipx_ban *b = *state;
	struct sa quiet = addr("192.0.2.1", 5060), bad = addr("192.0.2.2", 5060);

	sipx_ban_fail(b, &quiet, NULL, 0);
	for (int i = 0; i < 10; i++)
		sipx_ban_fail(b, &bad, NULL, 0);
	assert_int_equal(2, sipx_ban_count(b));
	sipx_ban_sweep(b, 59999);
	assert_int_equal(2, sipx_ban_count(b));
	sipx_ban_sweep(b, 60000);
	assert_int_equal(1, sipx_ban_count(b));
	assert_true(sipx_ban_check(b, &bad, NULL, 60000));
	sipx_ban_sweep(b, 300000);
	assert_int_equal(0, sipx_ban_count(b));
}

static void tracked_sources_are_bounded(void **state)
{
	struct sipx_ban *b = *state;
	char ip[32];

	for (int i = 0; i < 10; i++) {
		snprintf(ip, sizeof(ip), "198.51.100.%d", i);
		struct sa a = addr(ip, 5060);
		sipx_ban_fail(b, &a, NULL, 0);
	}
	assert_int_equal(conf.max_sources, sipx_ban_count(b));
}

static void failures_counted_per_user_ban_that_user_at_that_address_only(void **state)
{
	struct sipx_ban *b = *state;
	struct sa a = addr("127.0.0.1", 5060);
	struct sa other = addr("127.0.0.2", 5060);

	for (int i = 0; i < 9; i++)
		assert_false(sipx_ban_fail(b, &a, "1001", 1000 + i));
	assert_true(sipx_ban_fail(b, &a, "1001", 1010));
	assert_true(sipx_ban_check(b, &a, "1001", 1010));
	assert_false(sipx_ban_check(b, &a, "13800000000", 1010));
	assert_false(sipx_ban_check(b, &a, NULL, 1010));
	assert_false(sipx_ban_check(b, &other, "1001", 1010));
}

static void an_address_banned_as_a_whole_refuses_every_user(void **state)
{
	struct sipx_ban *b = *state;
	struct sa a = addr("198.51.100.7", 5060);

	for (int i = 0; i < 10; i++)
		sipx_ban_fail(b, &a, NULL, 1000 + i);
	assert_true(sipx_ban_check(b, &a, "1001", 1010));
	assert_true(sipx_ban_check(b, &a, "", 1010));
	assert_true(sipx_ban_check(b, &a, NULL, 1010));
}

static void failures_of_different_users_do_not_add_up(void **state)
{
	struct sipx_ban *b = *state;
	struct sa a = addr("127.0.0.1", 5060);

	for (int i = 0; i < 10; i++) {
		char user[16];

		snprintf(user, sizeof(user), "10%02d", i);
		assert_false(sipx_ban_fail(b, &a, user, 1000 + i));
	}
	assert_false(sipx_ban_check(b, &a, "1000", 1010));
	assert_false(sipx_ban_check(b, &a, NULL, 1010));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(ten_failures_in_a_minute_ban_the_source),
		T(ten_failures_spread_over_more_than_a_minute_do_not),
		T(the_port_does_not_matter_but_the_address_does),
		T(the_ban_ends_after_five_minutes),
		T(failures_while_banned_do_not_extend_the_ban),
		T(sweep_forgets_quiet_sources_and_keeps_banned_ones),
		T(tracked_sources_are_bounded),
		T(failures_counted_per_user_ban_that_user_at_that_address_only),
		T(an_address_banned_as_a_whole_refuses_every_user),
		T(failures_of_different_users_do_not_add_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
