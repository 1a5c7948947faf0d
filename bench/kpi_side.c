/* bench/kpi_side: what the side figures of GET /api/v1/reports/kpi cost
 * (first-call resolution, the caller's rings, QA scores, turnover: the
 * reads report_side_read makes on an api worker per report). A database in
 * a temporary directory gets a month of inbound calls (default 10,000 a
 * day, a third of the numbers calling again, one in ten with a work order
 * and a task, one in twenty scored by QA) and 1,000 agents' staff dates;
 * then each report the console asks for most is timed, best of 5 (wall
 * clock, and the reading thread's CPU time, which a busy machine does not
 * inflate): a day in 15-minute rows, a month in days, for the center and
 * for one queue.
 *
 *   bench/kpi_side [calls per day, default 10000]
 *   (BENCH_KPI_KEEP=1 keeps the database and prints where it is.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "db/db.h"
#include "report/report.h"

enum { DAYS = 30 };
static const int64_t T0 = 1767225600000;   /* 2026-01-01T00:00Z */
static const int64_t DAY = 86400000;

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* One statement each, rows made by a recursive CTE: the seed is as quick
 * as SQLite inserts. */
static int seed(struct db *db, int64_t per_day)
{
	int64_t n = per_day * DAYS, gap = DAY / per_day;
	int err = db_exec(db, "INSERT INTO calls (id, direction, caller, callee, "
		"started_at, answered_at, agent, queue, wrapup_code) WITH "
		"RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE "
		"i + 1 < ?) SELECT 'c' || i, 'inbound', '138' || (i * 7919 % (? * "
		"2 / 3 + 1)), '4008003000', ? + i * ?, CASE WHEN i % 25 = 0 THEN "
		"NULL ELSE ? + i * ? + 8000 END, CASE WHEN i % 25 = 0 THEN NULL "
		"ELSE CAST(1001 + i % 1000 AS TEXT) END, CASE i % 3 WHEN 0 THEN "
		"'sales' WHEN 1 THEN 'support' ELSE NULL END, CASE i % 7 WHEN 0 "
		"THEN 'complaint' WHEN 1 THEN 'inquiry' ELSE NULL END FROM s",
		"iiiiii", n, n, T0, gap, T0, gap);

	err = err ? err : db_exec(db, "INSERT INTO work_orders (id, no, title, "
		"category, service, priority, type, state, call_id, created_by, "
		"department_id, created_at, updated_at) SELECT 'w' || id, 'WO' || "
		"id, 't', '咨询', '其它', 'medium', 'question', 'pending', id, 'u', "
		"'d', started_at, started_at FROM calls WHERE CAST(substr(id, 2) AS "
		"INTEGER) % 10 = 3", "");
	err = err ? err : db_exec(db, "INSERT INTO tasks (id, title, due_at, "
		"origin, origin_id, created_by, created_at, updated_at) SELECT 't' "
		"|| id, 'cb', started_at, 'manual', id, 'u', started_at, started_at "
		"FROM calls WHERE CAST(substr(id, 2) AS INTEGER) % 10 = 5", "");
	err = err ? err : db_exec(db, "INSERT INTO qa_evaluations (id, call_id, "
		"agent, queue, inspector, scorecard_id, scorecard_version, answers, "
		"score, earned, possible, failed_critical, sections, final_score, "
		"created_at) SELECT 'e' || id, id, agent, queue, 'u', 's', 1, '{}', "
		"80, 0, 0, 0, '[]', 60 + CAST(substr(id, 2) AS INTEGER) % 40, "
		"started_at + 3600000 FROM calls WHERE agent IS NOT NULL AND "
		"CAST(substr(id, 2) AS INTEGER) % 20 = 7", "");
	err = err ? err : db_exec(db, "INSERT INTO users (id, username, role, "
		"password_hash, extension, created_at, hired_on, left_on) WITH "
		"RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE "
		"i + 1 < 1000) SELECT 'u' || i, 'agent' || i, 'agent', 'x', "
		"CAST(1001 + i AS TEXT), 0, date('2024-01-01', '+' || (i % 700) || "
		"' days'), CASE WHEN i % 9 = 0 THEN date('2026-01-01', '+' || (i % "
		"28) || ' days') END FROM s", "");
	return err;
}

static void run(struct db *db, const char *what, const char *queue,
		int64_t from, int64_t to, int64_t step)
{
	struct report_side_q q = {
		.queue = queue, .from = from, .to = to, .origin = from,
		.step = step, .nbins = (size_t)((to - from) / step),
		.fcr_window_ms = 24 * 3600000LL,
		.ring_period_ms = REPORT_RING_PERIOD_MS,
	};
	struct report_side *bins = calloc(q.nbins, sizeof(*bins)), total;
	double best = 1e9, cpu = 1e9;
	int err = bins ? 0 : 1;

	/* The reads run on this thread (db_query), so its CPU time is the
	 * report's, whatever else the machine is doing. */
	for (int r = 0; !err && r < 5; r++) {
		double t = now_s(), c = clock_s(CLOCK_THREAD_CPUTIME_ID);

		err = report_side_read(db, &q, bins, &total);
		if (now_s() - t < best)
			best = now_s() - t;
		if (clock_s(CLOCK_THREAD_CPUTIME_ID) - c < cpu)
			cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c;
	}
	if (err)
		printf("%-38s failed (%d)\n", what, err);
	else
		printf("%-36s %7.1f ms wall %7.1f ms CPU  (fcr %lld/%lld, rung "
		       "%lld, qa %lld)\n", what, best * 1000, cpu * 1000,
		       (long long)total.fcr_resolved,
		       (long long)total.fcr_answered, (long long)total.rung_calls,
		       (long long)total.qa_scored);
	free(bins);
}

int main(int argc, char **argv)
{
	int64_t per_day = argc > 1 ? atoll(argv[1]) : 10000;
	char dir[] = "/tmp/hotline-bench-kpi.XXXXXX", url[128], path[96];
	struct db *db = NULL;
	double t;

	if (per_day < 1 || per_day > 1000000 || !mkdtemp(dir)) {
		fprintf(stderr, "usage: bench/kpi_side [calls per day 1..1000000]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/hotline.db", dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	if (db_open(&db, url)) {
		fprintf(stderr, "cannot open %s\n", url);
		return 1;
	}
	t = now_s();
	if (seed(db, per_day)) {
		fprintf(stderr, "seeding failed\n");
		db_close(db);
		return 1;
	}
	printf("seeded %lld calls over %d days in %.1f s\n",
	       (long long)(per_day * DAYS), DAYS, now_s() - t);
	run(db, "a day, 15-minute rows, center", NULL, T0 + 10 * DAY,
	    T0 + 11 * DAY, 900000);
	run(db, "a day, 15-minute rows, queue sales", "sales", T0 + 10 * DAY,
	    T0 + 11 * DAY, 900000);
	run(db, "a month, daily rows, center", NULL, T0, T0 + DAYS * DAY, DAY);
	run(db, "a month, daily rows, queue sales", "sales", T0,
	    T0 + DAYS * DAY, DAY);
	db_close(db);
	if (getenv("BENCH_KPI_KEEP")) {
		printf("kept %s\n", path);
		return 0;
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/hotline.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/hotline.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}
