/* tmr/queue: expiry order, ties in start order, removal anywhere, and a
 * 100,000-timer heap emptied by random cancels and pops in the right order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tmr/tmr_int.h"

/* Pops everything due, asserting (jfs, start order) never goes back. */
static size_t drain(struct tmr_q *q, struct tmr *base)
{
	size_t n = 0;
	uint64_t last_jfs = 0;
	ptrdiff_t last_idx = -1;
	struct tmr *t;
	while ((t = tmr_q_first(q))) {
		assert_true(t->jfs >= last_jfs);
		/* Ties pop in start order; the tests start in index order. */
		if (t->jfs == last_jfs)
			assert_true(t - base > last_idx);
		last_jfs = t->jfs;
		last_idx = t - base;
		tmr_q_remove(q, t);
		n++;
	}
	return n;
}

static void test_expiry_order(void **state)
{
	(void)state;
	struct tmr t[5] = { 0 };
	struct tmr_q q = { 0 };
	const uint64_t jfs[5] = { 30, 10, 20, 5, 40 };
	const int order[5] = { 3, 1, 2, 0, 4 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(tmr_q_push(&q, &t[i], jfs[i]), 0);
	for (int i = 0; i < 5; i++) {
		struct tmr *f = tmr_q_first(&q);
		assert_ptr_equal(f, &t[order[i]]);
		tmr_q_remove(&q, f);
	}
	assert_null(tmr_q_first(&q));
	tmr_q_free(&q);
}

static void test_ties_in_start_order(void **state)
{
	(void)state;
	struct tmr t[64] = { 0 };
	struct tmr_q q = { 0 };
	/* Interleave two expiries so ties are spread across the heap. */
	for (int i = 0; i < 64; i++)
		assert_int_equal(tmr_q_push(&q, &t[i], i % 2 ? 7 : 3), 0);
	for (int i = 0; i < 64; i++) {
		struct tmr *f = tmr_q_first(&q);
		int want = i < 32 ? 2 * i : 2 * (i - 32) + 1;
		assert_ptr_equal(f, &t[want]);
		tmr_q_remove(&q, f);
	}
	tmr_q_free(&q);
}

static void test_remove_and_foreign(void **state)
{
	(void)state;
	struct tmr t[3] = { 0 }, stranger = { 0 };
	struct tmr_q q = { 0 }, other = { 0 };
	for (int i = 0; i < 3; i++)
		assert_int_equal(tmr_q_push(&q, &t[i], 10 + i), 0);
	tmr_q_remove(&q, &t[0]);
	tmr_q_remove(&q, &t[0]);       /* twice: no effect */
	tmr_q_remove(&q, &stranger);   /* never queued: no effect */
	tmr_q_remove(&other, &t[1]);   /* queued elsewhere: no effect */
	assert_int_equal(q.n, 2);
	assert_ptr_equal(tmr_q_first(&q), &t[1]);
	tmr_q_remove(&q, &t[2]);
	assert_ptr_equal(tmr_q_first(&q), &t[1]);
	tmr_q_remove(&q, &t[1]);
	assert_null(tmr_q_first(&q));
	tmr_q_free(&q);
	tmr_q_free(&other);
}

enum { MANY = 100000 };

static void test_many_random_cancel(void **state)
{
	(void)state;
	struct tmr *t = calloc(MANY, sizeof(*t));
	size_t *perm = calloc(MANY, sizeof(*perm));
	assert_non_null(t);
	assert_non_null(perm);
	struct tmr_q q = { 0 };
	srand(18);
	/* Few distinct expiries, so ties abound. */
	for (size_t i = 0; i < MANY; i++) {
		assert_int_equal(tmr_q_push(&q, &t[i], (uint64_t)(rand() % 997)), 0);
		perm[i] = i;
	}
	for (size_t i = MANY - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1), x = perm[i];
		perm[i] = perm[j];
		perm[j] = x;
	}
	for (size_t i = 0; i < MANY / 2; i++)
		tmr_q_remove(&q, &t[perm[i]]);
	assert_int_equal(q.n, MANY - MANY / 2);
	assert_int_equal(drain(&q, t), MANY - MANY / 2);
	/* The storage shrank back once the heap emptied. */
	assert_true(q.cap <= 64);
	tmr_q_free(&q);
	free(perm);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expiry_order),
		cmocka_unit_test(test_ties_in_start_order),
		cmocka_unit_test(test_remove_and_foreign),
		cmocka_unit_test(test_many_random_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
