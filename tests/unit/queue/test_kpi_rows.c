/* queue/store: KPI buckets as rows of kpi_buckets. Today's buckets (from
 * the horizon) are stored whole; a change to an older interval is added to
 * its row and leaves memory; a report reads old rows back on demand. Over
 * a real SQLite file with every migration applied. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "db/db.h"
#include "queue/queue_int.h"

enum { DAY = 86400000, Q = REPORT_INTERVAL_MS };
static const int64_t today = INT64_C(1767225600000);  /* 2026-01-01 */

struct fx {
	char dir[64], url[160];
	struct queue_host h;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/hl-kpi-rows.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->url, sizeof(fx->url), "sqlite:%s/t.db", fx->dir);
	if (db_open(&fx->h.o.db, fx->url) ||
	    report_set_alloc(&fx->h.rs, REPORT_INTERVAL_MS))
		return -1;
	fx->h.kpi_horizon = today;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	db_close(fx->h.o.db);
	report_set_free(fx->h.rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd))
		return -1;
	free(fx);
	return 0;
}

/* A queue event: a call of sales that entered at `enter` and was
 * answered 5 s later (judged by the 20 s service level). */
static void answered(struct fx *fx, int64_t enter)
{
	struct report_event ev = {
		.type = REPORT_EV_ANSWER, .ts_ms = enter + 5000,
		.queue = "sales", .agent = "1001", .enter_ms = enter,
	};

	assert_int_equal(0, report_fold(fx->h.rs, &ev));
}

/* The stored sum of sales over [from, to). */
static struct report_bucket stored(struct fx *fx, int64_t from, int64_t to)
{
	struct report_set *rs;
	struct report_bucket b;

	assert_int_equal(0, db_flush(fx->h.o.db));
	assert_int_equal(0, qh_kpi_stored(fx->h.o.db, REPORT_QUEUE, "sales",
					  from, to, &rs));
	assert_int_equal(0, report_sum(rs, REPORT_QUEUE, "sales", from, to,
				       &b));
	report_set_free(rs);
	return b;
}

static void todays_buckets_are_stored_whole_and_stay(void **state)
{
	struct fx *fx = *state;
	struct report_bucket b;

	answered(fx, today + 1000);
	qh_flush_buckets(&fx->h, today + 10000);
	answered(fx, today + 2000);
	qh_flush_buckets(&fx->h, today + 20000);
	b = stored(fx, today, today + Q);
	assert_int_equal(2, b.answered);    /* replaced, not 1 + 2 */
	assert_int_equal(2, b.answered_in_sl);
	assert_int_equal(20000, b.sl_ms);
	assert_int_equal(0, report_sum(fx->h.rs, REPORT_QUEUE, "sales", today,
				       today + Q, &b));
	assert_int_equal(2, b.answered);    /* still in memory */
}

/* A call that entered yesterday is answered today: its change is added
 * to yesterday's row, and memory forgets it once stored, so a second late
 * change adds only itself. */
static void changes_to_older_intervals_add_to_their_rows(void **state)
{
	struct fx *fx = *state;
	struct report_bucket b;

	answered(fx, today - Q);
	qh_flush_buckets(&fx->h, today + 10000);
	answered(fx, today - Q + 1);
	qh_flush_buckets(&fx->h, today + 20000);
	qh_flush_buckets(&fx->h, today + 30000);   /* nothing left to add */
	b = stored(fx, today - DAY, today);
	assert_int_equal(2, b.answered);
	assert_int_equal(2, b.answered_in_sl);
	assert_int_equal(20000, b.sl_ms);
	assert_int_equal(0, report_sum(fx->h.rs, REPORT_QUEUE, "sales",
				       today - DAY, today, &b));
	assert_int_equal(0, b.intervals);   /* none held in memory */
}

/* A row judged by 20 s meets a change judged by 30 s: the sum says -1,
 * as report_bucket_add does. */
static void added_thresholds_merge_as_a_sum_does(void **state)
{
	struct fx *fx = *state;
	struct report_queue_cfg cfg = report_default_cfg;
	struct report_bucket b;

	answered(fx, today - Q);
	qh_flush_buckets(&fx->h, today + 10000);
	cfg.sl_ms = 30000;
	assert_int_equal(0, report_set_queue(fx->h.rs, "sales", &cfg));
	answered(fx, today - Q);
	qh_flush_buckets(&fx->h, today + 20000);
	b = stored(fx, today - DAY, today);
	assert_int_equal(2, b.answered);
	assert_int_equal(-1, b.sl_ms);
}

/* At midnight yesterday's buckets, stored whole one last time, leave
 * memory; a late change to them is then added. */
static void the_horizon_moves_when_the_day_turns(void **state)
{
	struct fx *fx = *state;
	struct report_bucket b;

	answered(fx, today + DAY - Q);
	qh_flush_buckets(&fx->h, today + DAY - 1);
	answered(fx, today + DAY - Q);
	qh_flush_buckets(&fx->h, today + DAY + 5000);
	assert_int_equal(today + DAY, fx->h.kpi_horizon);
	assert_int_equal(0, report_sum(fx->h.rs, REPORT_QUEUE, "sales", today,
				       today + DAY, &b));
	assert_int_equal(0, b.intervals);
	answered(fx, today + DAY - Q);
	qh_flush_buckets(&fx->h, today + DAY + 10000);
	b = stored(fx, today, today + DAY);
	assert_int_equal(3, b.answered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			todays_buckets_are_stored_whole_and_stay, setup, teardown),
		cmocka_unit_test_setup_teardown(
			changes_to_older_intervals_add_to_their_rows, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			added_thresholds_merge_as_a_sum_does, setup, teardown),
		cmocka_unit_test_setup_teardown(
			the_horizon_moves_when_the_day_turns, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
