/* queue/index: the hash index from keys to array slots behind the live
 * host's look-ups of queues, agents and calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "queue/queue_int.h"

static void a_key_finds_its_slot_and_nothing_else(void **state)
{
	struct qh_index ix = {0};
	(void)state;

	assert_int_equal(QH_INDEX_NONE, qh_index_find(&ix, 7, NULL, NULL));
	assert_int_equal(0, qh_index_put(&ix, 7, 0));
	assert_int_equal(0, qh_index_put(&ix, 1001, 1));
	assert_int_equal(0, qh_index_find(&ix, 7, NULL, NULL));
	assert_int_equal(1, qh_index_find(&ix, 1001, NULL, NULL));
	assert_int_equal(QH_INDEX_NONE, qh_index_find(&ix, 8, NULL, NULL));
	qh_index_free(&ix);
}

static bool is_slot_two(void *arg, uint32_t slot)
{
	(void)arg;
	return slot == 2;
}

/* Two names whose hashes collide share a key: the caller's check of the
 * element picks the right slot. */
static void one_key_may_name_several_slots(void **state)
{
	struct qh_index ix = {0};
	(void)state;

	assert_int_equal(0, qh_index_put(&ix, 42, 1));
	assert_int_equal(0, qh_index_put(&ix, 42, 2));
	assert_int_equal(2, qh_index_find(&ix, 42, is_slot_two, NULL));
	assert_true(qh_index_del(&ix, 42, 1));
	assert_false(qh_index_del(&ix, 42, 1));
	assert_int_equal(2, qh_index_find(&ix, 42, NULL, NULL));
	qh_index_free(&ix);
}

/* A swap-remove as the host does it: slot i leaves, the last element
 * moves into it and its entry follows. */
static void a_swap_remove_repoints_the_moved_element(void **state)
{
	struct qh_index ix = {0};
	(void)state;

	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(0, qh_index_put(&ix, 100 + i, i));
	assert_true(qh_index_del(&ix, 101, 1));
	assert_true(qh_index_move(&ix, 104, 4, 1));
	assert_int_equal(QH_INDEX_NONE, qh_index_find(&ix, 101, NULL, NULL));
	assert_int_equal(1, qh_index_find(&ix, 104, NULL, NULL));
	assert_int_equal(4, ix.n);
	qh_index_free(&ix);
}

/* Random puts and deletes against a plain array: after every step each
 * live key is found at its slot and each removed one is not (the
 * backward-shift delete keeps every probe run whole). */
static void random_churn_agrees_with_a_plain_array(void **state)
{
	enum { N = 3000 };
	struct qh_index ix = {0};
	uint64_t keys[N];
	size_t n = 0;
	uint64_t r = 88172645463325252ull;
	(void)state;

	for (int step = 0; step < 40000; step++) {
		r ^= r << 13; r ^= r >> 7; r ^= r << 17;
		if (n < N && (n == 0 || r % 3)) {
			/* small keys: many share a home entry */
			keys[n] = (r >> 8) % 5000 + (uint64_t)step * 5000;
			assert_int_equal(0, qh_index_put(&ix, keys[n],
							 (uint32_t)n));
			n++;
		} else {
			size_t i = (r >> 16) % n;
			assert_true(qh_index_del(&ix, keys[i], (uint32_t)i));
			if (i != n - 1) {
				assert_true(qh_index_move(&ix, keys[n - 1],
					    (uint32_t)(n - 1), (uint32_t)i));
				keys[i] = keys[n - 1];
			}
			n--;
		}
		assert_int_equal(n, ix.n);
		if (step % 997)
			continue;
		for (size_t i = 0; i < n; i++)
			assert_int_equal(i, qh_index_find(&ix, keys[i], NULL,
							  NULL));
	}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(i, qh_index_find(&ix, keys[i], NULL, NULL));
	qh_index_clear(&ix);
	assert_int_equal(0, ix.n);
	assert_int_equal(QH_INDEX_NONE, qh_index_find(&ix, keys[0], NULL,
						      NULL));
	qh_index_free(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_key_finds_its_slot_and_nothing_else),
		cmocka_unit_test(one_key_may_name_several_slots),
		cmocka_unit_test(a_swap_remove_repoints_the_moved_element),
		cmocka_unit_test(random_churn_agrees_with_a_plain_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
