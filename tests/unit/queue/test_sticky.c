/* queue/sticky: the memory of who last served each caller. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "queue/queue_int.h"

static void the_latest_answer_wins(void **state)
{
	struct queue_sticky *s;
	uint32_t agent;
	int64_t ms;
	(void)state;

	assert_int_equal(0, queue_sticky_alloc(&s, 100));
	assert_int_equal(ENOENT, queue_sticky_get(s, "13800138000", &agent, &ms));
	assert_int_equal(0, queue_sticky_put(s, "13800138000", 1001, 5000));
	assert_int_equal(0, queue_sticky_put(s, "13800138000", 1002, 9000));
	/* a record older than what is remembered (loading out of order) */
	assert_int_equal(0, queue_sticky_put(s, "13800138000", 1003, 7000));
	assert_int_equal(0, queue_sticky_get(s, "13800138000", &agent, &ms));
	assert_int_equal(1002, agent);
	assert_int_equal(9000, ms);
	assert_int_equal(1, queue_sticky_count(s));
	queue_sticky_free(s);
}

static void bad_callers_and_agents_are_refused(void **state)
{
	struct queue_sticky *s;
	uint32_t agent;
	int64_t ms;
	char longer[ACD_CALLER_LEN + 1];
	(void)state;

	memset(longer, '1', ACD_CALLER_LEN);
	longer[ACD_CALLER_LEN] = '\0';
	assert_int_equal(0, queue_sticky_alloc(&s, 10));
	assert_int_equal(EINVAL, queue_sticky_put(s, "", 1001, 1));
	assert_int_equal(EINVAL, queue_sticky_put(s, NULL, 1001, 1));
	assert_int_equal(EINVAL, queue_sticky_put(s, "1380", 0, 1));
	assert_int_equal(EINVAL, queue_sticky_put(s, longer, 1001, 1));
	assert_int_equal(ENOENT, queue_sticky_get(s, longer, &agent, &ms));
	assert_int_equal(0, queue_sticky_count(s));
	queue_sticky_free(s);
}

/* Many callers: the table grows and every one is found; past max the
 * older half is forgotten and the newest kept. */
static void memory_grows_then_forgets_the_oldest(void **state)
{
	struct queue_sticky *s;
	char caller[32];
	uint32_t agent;
	int64_t ms;
	(void)state;

	assert_int_equal(0, queue_sticky_alloc(&s, 10000));
	for (int i = 0; i < 10000; i++) {
		snprintf(caller, sizeof(caller), "139%08d", i);
		assert_int_equal(0, queue_sticky_put(s, caller,
						     (uint32_t)(1000 + i % 7),
						     1000 + i));
	}
	for (int i = 0; i < 10000; i++) {
		snprintf(caller, sizeof(caller), "139%08d", i);
		assert_int_equal(0, queue_sticky_get(s, caller, &agent, &ms));
		assert_int_equal(1000 + i % 7, agent);
		assert_int_equal(1000 + i, ms);
	}
	assert_int_equal(0, queue_sticky_put(s, "newcomer", 1001, 50000));
	assert_true(queue_sticky_count(s) <= 5001);
	assert_int_equal(ENOENT, queue_sticky_get(s, "13900000000", &agent, &ms));
	assert_int_equal(0, queue_sticky_get(s, "13900009999", &agent, &ms));
	assert_int_equal(0, queue_sticky_get(s, "newcomer", &agent, &ms));
	assert_int_equal(1001, agent);
	queue_sticky_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_latest_answer_wins),
		cmocka_unit_test(bad_callers_and_agents_are_refused),
		cmocka_unit_test(memory_grows_then_forgets_the_oldest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
