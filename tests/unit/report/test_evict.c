/* report_evict: a long-running set keeps only the buckets that can still
 * change. Clean buckets before the horizon go; dirty ones (not yet stored)
 * and later ones stay; a later event for a dropped interval starts afresh. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "report/report.h"

enum { Q = REPORT_INTERVAL_MS };

static void enter(struct report_set *s, const char *queue, int64_t at)
{
	struct report_event ev = {.type = REPORT_EV_ENTER, .ts_ms = at,
				  .queue = queue, .enter_ms = at};

	assert_int_equal(0, report_fold(s, &ev));
}

static int64_t entered(const struct report_set *s, const char *queue,
		       int64_t from, int64_t to)
{
	struct report_bucket b;

	assert_int_equal(0, report_sum(s, REPORT_QUEUE, queue, from, to, &b));
	return b.entered;
}

static int keep(enum report_scope scope, const char *name,
		const struct report_bucket *b, void *arg)
{
	(void)scope; (void)name; (void)b; (void)arg;
	return 0;
}

static void only_clean_buckets_before_the_horizon_go(void **state)
{
	struct report_set *s;
	size_t n = 99;
	(void)state;

	assert_int_equal(0, report_set_alloc(&s, Q));
	for (int i = 0; i < 200; i++)       /* enough to grow the table */
		enter(s, i % 2 ? "sales" : "support", (int64_t)i * Q);
	assert_int_equal(0, report_evict(s, 100 * (int64_t)Q, &n));
	assert_int_equal(0, n);             /* all dirty: none stored yet */
	assert_int_equal(0, report_flush(s, keep, NULL));
	enter(s, "sales", 11 * (int64_t)Q + 1);   /* dirty again */
	assert_int_equal(0, report_evict(s, 100 * (int64_t)Q, &n));
	assert_int_equal(99, n);
	assert_int_equal(2, entered(s, "sales", 0, 100 * (int64_t)Q));
	assert_int_equal(0, entered(s, "support", 0, 100 * (int64_t)Q));
	assert_int_equal(100, entered(s, NULL, 100 * (int64_t)Q,
				      200 * (int64_t)Q));
	/* every kept bucket is still found one by one */
	for (int i = 100; i < 200; i++)
		assert_int_equal(1, entered(s, i % 2 ? "sales" : "support",
					    (int64_t)i * Q,
					    (int64_t)(i + 1) * Q));
	report_set_free(s);
}

static void a_dropped_interval_starts_afresh(void **state)
{
	struct report_set *s;
	size_t n;
	(void)state;

	assert_int_equal(0, report_set_alloc(&s, Q));
	enter(s, "sales", 0);
	enter(s, "sales", 1);
	assert_int_equal(0, report_flush(s, keep, NULL));
	assert_int_equal(0, report_evict(s, Q, &n));
	assert_int_equal(1, n);
	enter(s, "sales", 2);
	assert_int_equal(1, entered(s, "sales", 0, Q));   /* the change only */
	assert_int_equal(0, report_evict(s, Q, NULL));    /* dirty: stays */
	assert_int_equal(1, entered(s, "sales", 0, Q));
	report_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_clean_buckets_before_the_horizon_go),
		cmocka_unit_test(a_dropped_interval_starts_afresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
