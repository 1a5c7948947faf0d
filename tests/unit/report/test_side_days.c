/* report/side_days: FCR and rings of settled days as stored day rows
 * (kpi_side_days, migration 049). Over a real SQLite file with every
 * migration: a report by day reads what the calls give, whether the days
 * are read from the calls, computed and stored, or read back stored; and a
 * change to a record of a stored day (a task cancelled, a code's flag, a
 * late call) deletes the rows it can move, so the figures follow it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "db/db.h"
#include "report/report.h"

enum { NDAYS = 4 };
#define DAY INT64_C(86400000)
#define MIN INT64_C(60000)
static const int64_t T0 = INT64_C(1767225600000);    /* 2026-01-01 */
static const int64_t NOW = INT64_C(1767225600000) + 10 * DAY;

struct fx {
	char dir[64], url[160];
	struct db *db;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/hl-side-days.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->url, sizeof(fx->url), "sqlite:%s/t.db", fx->dir);
	if (db_open(&fx->db, fx->url))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	db_close(fx->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd))
		return -1;
	free(fx);
	return 0;
}

/* An inbound call of day d at minute m from caller, answered after
 * `after` ms (0: not answered) by agent in queue (either may be NULL). */
static void call(struct fx *fx, const char *id, const char *caller, int d,
		 int m, int64_t after, const char *agent, const char *queue,
		 const char *code)
{
	int64_t at = T0 + d * DAY + m * MIN;

	assert_int_equal(0, db_exec(fx->db, "INSERT INTO calls (id, direction, "
		"caller, callee, started_at, answered_at, agent, queue, "
		"wrapup_code) VALUES (?, 'inbound', ?, '4008003000', ?, ?, ?, ?, "
		"?)", "ttiittt", id, caller, at, after ? at + after : 0, agent,
		queue, code));
	if (!after)
		assert_int_equal(0, db_exec(fx->db, "UPDATE calls SET answered_at "
					    "= NULL WHERE id = ?", "t", id));
}

/* Four days: repeats inside and across days, a call coded complaint, one
 * with a callback task, direct calls to an agent that rang, one with a
 * repeat a day and a half later (outside the 24 h window). */
static void seed(struct fx *fx)
{
	call(fx, "a1", "138001", 0, 60, 9000, "1001", "sales", NULL);
	call(fx, "a2", "138001", 0, 200, 9000, "1002", "sales", NULL);
	call(fx, "a3", "138002", 0, 1430, 9000, "1001", "sales", NULL);
	call(fx, "b1", "138002", 1, 20, 9000, "1002", "support", NULL);
	call(fx, "b2", "138003", 1, 300, 9000, "1001", "sales", "complaint");
	call(fx, "b3", "138004", 1, 400, 9000, "1002", "support", NULL);
	call(fx, "b4", "139001", 1, 500, 12000, "1001", NULL, NULL);
	call(fx, "c1", "138005", 2, 100, 9000, "1001", "sales", NULL);
	call(fx, "c2", "138006", 2, 110, 0, NULL, "sales", NULL);
	call(fx, "c3", "139002", 2, 120, 5000, "1002", NULL, NULL);
	call(fx, "d1", "138005", 3, 1000, 9000, "1002", "support", NULL);
	assert_int_equal(0, db_exec(fx->db, "UPDATE wrapup_codes SET resolved "
				    "= 0 WHERE code = 'complaint'", ""));
	assert_int_equal(0, db_exec(fx->db, "INSERT INTO tasks (id, title, "
		"due_at, origin, origin_id, state, created_by, created_at, "
		"updated_at) VALUES ('t1', 'call back', ?, 'manual', 'b3', 'open',"
		" 'u1', ?, ?)", "iii", T0 + DAY, T0 + DAY + 420 * MIN,
		T0 + DAY + 420 * MIN));
}

static int first_int(const struct db_row *r, void *arg)
{
	*(int64_t *)arg = db_row_int(r, 0);
	return 0;
}

static int64_t count(struct fx *fx, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(0, db_flush(fx->db));
	assert_int_equal(0, db_query(fx->db, first_int, &n, sql, ""));
	return n;
}

/* The side figures of [T0, T0 + NDAYS days) by day for queue or agent
 * (both NULL: the center), read with now (0: from the calls alone). */
static void by_day(struct fx *fx, const char *queue, const char *agent,
		   int64_t now, struct report_side *bins)
{
	struct report_side total;
	struct report_side_q q = {
		.queue = queue, .agent = agent, .from = T0, .to = T0 + NDAYS * DAY,
		.origin = T0, .step = DAY, .nbins = NDAYS,
		.fcr_window_ms = 24 * 3600000LL,
		.ring_period_ms = REPORT_RING_PERIOD_MS, .now_ms = now,
	};

	assert_int_equal(0, report_side_read(fx->db, &q, bins, &total));
	assert_int_equal(0, db_flush(fx->db));
}

static void assert_same_days(const struct report_side *a,
			     const struct report_side *b)
{
	for (int d = 0; d < NDAYS; d++) {
		assert_int_equal(a[d].fcr_answered, b[d].fcr_answered);
		assert_int_equal(a[d].fcr_resolved, b[d].fcr_resolved);
		assert_int_equal(a[d].fcr_repeated, b[d].fcr_repeated);
		assert_int_equal(a[d].fcr_followed_up, b[d].fcr_followed_up);
		assert_int_equal(a[d].fcr_unresolved, b[d].fcr_unresolved);
		assert_int_equal(a[d].rung_calls, b[d].rung_calls);
		assert_int_equal(a[d].rings, b[d].rings);
	}
}

static const struct {
	const char *queue, *agent;
} names[] = {
	{NULL, NULL}, {"sales", NULL}, {"support", NULL}, {NULL, "1001"},
	{NULL, "1002"},
};

/* Every name's days agree: from the calls, computed then stored, and
 * read back stored. */
static void days_agree(struct fx *fx)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct report_side calls[NDAYS], first[NDAYS], again[NDAYS];

		by_day(fx, names[i].queue, names[i].agent, 0, calls);
		by_day(fx, names[i].queue, names[i].agent, NOW, first);
		by_day(fx, names[i].queue, names[i].agent, NOW, again);
		assert_same_days(calls, first);
		assert_same_days(calls, again);
	}
}

/* The center, day by day, worked out by hand: day 0 a1 repeated (a2
 * within 24 h), a2 and a3 resolved (a3's number calls again on day 1, 9
 * h 50 min later: repeated); day 1 b1 resolved, b2 coded complaint, b3
 * left a task, b4 resolved (rang 12 s: 3 rings); day 2 c1 repeated (d1
 * 1 day 15 h later is outside the window: resolved), c3 resolved (5 s: 1
 * ring), c2 not answered; day 3 d1 resolved. Every call met a queue or
 * an agent, so every one rang (queue calls for nothing). */
static void stored_days_are_what_the_calls_give(void **state)
{
	struct fx *fx = *state;
	struct report_side d[NDAYS];

	seed(fx);
	by_day(fx, NULL, NULL, NOW, d);
	assert_int_equal(3, d[0].fcr_answered);
	assert_int_equal(1, d[0].fcr_resolved);
	assert_int_equal(2, d[0].fcr_repeated);
	assert_int_equal(4, d[1].fcr_answered);
	assert_int_equal(2, d[1].fcr_resolved);
	assert_int_equal(1, d[1].fcr_unresolved);
	assert_int_equal(1, d[1].fcr_followed_up);
	assert_int_equal(4, d[1].rung_calls);
	assert_int_equal(3, d[1].rings);
	assert_int_equal(2, d[2].fcr_answered);
	assert_int_equal(2, d[2].fcr_resolved);
	assert_int_equal(3, d[2].rung_calls);
	assert_int_equal(1, d[2].rings);
	assert_int_equal(1, d[3].fcr_answered);
	/* every day has its center's row, each name its days with calls */
	assert_int_equal(NDAYS, count(fx, "SELECT COUNT(*) FROM kpi_side_days "
				      "WHERE name = '*'"));
	days_agree(fx);
	assert_int_equal(3, count(fx, "SELECT COUNT(*) FROM kpi_side_days WHERE "
				  "name = 'sales'"));
}

/* A day not settled yet (its window still open at now) is read from the
 * calls and not stored. */
static void open_days_are_not_stored(void **state)
{
	struct fx *fx = *state;
	struct report_side d[NDAYS], calls[NDAYS];

	seed(fx);
	by_day(fx, NULL, NULL, T0 + 3 * DAY + 12 * 3600000, d);
	by_day(fx, NULL, NULL, 0, calls);
	assert_same_days(calls, d);
	assert_int_equal(2, count(fx, "SELECT COUNT(*) FROM kpi_side_days WHERE "
				  "name = '*'"));
	assert_int_equal(0, count(fx, "SELECT COUNT(*) FROM kpi_side_days WHERE "
				  "start_ms >= 1767398400000"));
}

/* Records that change after their day was stored: the task cancelled,
 * a call of day 0's number on day 1 rewritten to another number, the
 * complaint code made a resolving one, a late call. Each deletes the
 * stored days it can move, and every name's days agree again. */
static void changed_records_move_stored_days(void **state)
{
	struct fx *fx = *state;
	struct report_side d[NDAYS];

	seed(fx);
	days_agree(fx);
	assert_int_equal(0, db_exec(fx->db, "UPDATE tasks SET state = "
				    "'cancelled' WHERE id = 't1'", ""));
	/* made on day 1: inside day 0's window too */
	assert_int_equal(NDAYS - 2, count(fx, "SELECT COUNT(*) FROM "
					  "kpi_side_days WHERE name = '*'"));
	days_agree(fx);
	by_day(fx, NULL, NULL, NOW, d);
	assert_int_equal(3, d[1].fcr_resolved);
	assert_int_equal(0, db_exec(fx->db, "UPDATE calls SET caller = '137000' "
				    "WHERE id = 'b1'", ""));
	days_agree(fx);
	by_day(fx, NULL, NULL, NOW, d);
	assert_int_equal(2, d[0].fcr_resolved);    /* a3 no longer repeated */
	assert_int_equal(0, db_exec(fx->db, "UPDATE wrapup_codes SET resolved "
				    "= 1 WHERE code = 'complaint'", ""));
	assert_int_equal(0, count(fx, "SELECT COUNT(*) FROM kpi_side_days"));
	days_agree(fx);
	call(fx, "x1", "138005", 2, 200, 9000, "1001", "sales", NULL);
	days_agree(fx);
	/* A call of a day still open (after the last computation's now)
	 * moves no stored day and counts no change. */
	int64_t gen = count(fx, "SELECT n FROM kpi_side_gen");

	call(fx, "y1", "138009", 10, 60, 9000, "1001", "sales", NULL);
	assert_int_equal(gen, count(fx, "SELECT n FROM kpi_side_gen"));
	assert_int_equal(NDAYS, count(fx, "SELECT COUNT(*) FROM kpi_side_days "
				      "WHERE name = '*'"));
	by_day(fx, NULL, NULL, NOW, d);
	assert_int_equal(3, d[2].fcr_answered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			stored_days_are_what_the_calls_give, setup, teardown),
		cmocka_unit_test_setup_teardown(open_days_are_not_stored,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			changed_records_move_stored_days, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
