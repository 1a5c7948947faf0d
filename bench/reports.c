/* bench/reports: issue 17's three report figures against their targets.
 *
 *   KPIs     GET /api/v1/reports/kpi over a year of stored 15-minute
 *            buckets of --queues (100) queues and --agents (1,000) agents
 *            (agents on five 8-hour shifts a week), as its worker and the
 *            loop run it: queue_kpi_read_by, then queue_kpi_report_text
 *            (the rows summed and the reply's text written) over a host
 *            holding nothing in memory (the whole year is stored);
 *            median of --samples runs, wall and thread CPU. The
 *            center by day is the figure held against < 100 ms; the same
 *            year at 15-minute rows, one queue, one agent and the side
 *            figures (report_side_read over the calls of the same file)
 *            are printed beside it.
 *   detail   bench/reports_list (the call-detail report over --calls
 *            calls, 10 million: whole < 2 s, first page < 50 ms), run on
 *            the same file, its figures taken from its output.
 *   chart    bench/spc (XmR of a year of intervals, the deck's rules:
 *            < 20 ms), likewise.
 *
 *   build/rel/bench/reports [--dir DIR] [--calls N] [--queues N]
 *                           [--agents N] [--samples N]
 *
 * --dir keeps the database there (reports_list fills the calls once, this
 * program the buckets once); without it a temporary one is removed. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/log.h"
#include "db/db.h"
#include "queue/queue_int.h"
#include "report/report.h"

#define DAY 86400000LL
#define T0 1735689600000LL   /* 2025-01-01T00:00:00Z, reports_list's year */
#define YEAR (365 * DAY)

static struct {
	unsigned long long calls, queues, agents, samples;
	const char *dir;
} opt = {10000000, 100, 1000, 9, NULL};

/* What the summary table shows, < 0 when not measured; the KPI figures
 * wall clock and this thread's CPU time (a loaded machine inflates the
 * first, hardly the second). */
static struct {
	double kpi_day, kpi_day_cpu, kpi_15m, kpi_15m_cpu, side, side_cpu,
	       first_page, whole, chart;
} fig = {-1, -1, -1, -1, -1, -1, -1, -1, -1};

/* The side figures' now: the bench's year (2025) has settled, so its
 * days are read as stored day rows (kpi_side_days), computed and stored
 * by the first report that needs them; 0 reads them from the calls. */
static int64_t side_now;

static double clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* The triggers on kpi_buckets (migration 048's), their SQL as stored. */
struct triggers {
	char *sql[16];
	size_t n;
};

static int trigger_row(const struct db_row *row, void *arg)
{
	struct triggers *t = arg;

	if (t->n == 16 || !(t->sql[t->n] = strdup(db_row_text(row, 1))))
		return ENOMEM;
	return db_row_text(row, 0) ? (t->n++, 0) : EINVAL;
}

/* A threshold of rows summed in SQL as report_bucket_add sums them. */
#define JUDGED_ROW "answered + abandoned + short_abandoned > 0"
#define THR(col) "CASE WHEN MIN(CASE WHEN " JUDGED_ROW " THEN " col " END) " \
	"IS NULL THEN 0 WHEN MIN(CASE WHEN " JUDGED_ROW " THEN " col " END) = " \
	"MAX(CASE WHEN " JUDGED_ROW " THEN " col " END) THEN MIN(CASE WHEN " \
	JUDGED_ROW " THEN " col " END) ELSE -1 END"

/* INSERT INTO into (…) SELECT key, [COUNT(*),] thresholds, sums FROM
 * kpi_buckets WHERE where GROUP BY group: the sums migration 048 makes
 * when it is applied. */
static int sum_rows(struct db *db, const char *into, const char *key,
		    bool rows, const char *where, const char *group)
{
	size_t nf, len;
	const struct report_field *f = report_fields(&nf);
	char cols[1024] = "", sums[2048] = "", sql[4096];

	for (size_t i = 0, c = 0, s = 0; i < nf; i++) {
		c += (size_t)snprintf(cols + c, sizeof(cols) - c, ", %s",
				      f[i].name);
		s += (size_t)snprintf(sums + s, sizeof(sums) - s, ", SUM(%s)",
				      f[i].name);
	}
	len = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (scope, name, "
			       "start_ms%s, sl_ms, short_ms%s) SELECT %s%s, "
			       THR("sl_ms") ", " THR("short_ms") "%s FROM "
			       "kpi_buckets WHERE %s GROUP BY %s", into,
			       rows ? ", rows" : "", cols, key,
			       rows ? ", COUNT(*)" : "", sums, where, group);
	return len < sizeof(sql) ? db_exec(db, sql, "") : ENOSPC;
}

/* Drops the triggers while the rows go in (each row would otherwise be
 * added to its day and its '*' row: that is the writer's cost, measured
 * apart), then sums the days and the center's rows in one statement each,
 * as migration 048 does, and puts the triggers back. */
static int seed_rows(struct db *db, int (*fill)(struct db *db))
{
	struct triggers t = {0};
	char drop[128];
	int err = db_query(db, trigger_row, &t, "SELECT name, sql FROM "
			   "sqlite_master WHERE type = 'trigger' AND tbl_name = "
			   "'kpi_buckets' ORDER BY name", "");

	for (size_t i = 0; !err && i < t.n; i++) {
		char name[64];

		if (sscanf(t.sql[i], "CREATE TRIGGER %63s", name) != 1)
			err = EINVAL;
		snprintf(drop, sizeof(drop), "DROP TRIGGER %s", name);
		err = err ? err : db_exec(db, drop, "");
	}
	err = err ? err : fill(db);
	err = err ? err : db_exec(db, "DELETE FROM kpi_days", "");
	err = err ? err : sum_rows(db, "kpi_buckets", "'queue', '*', start_ms",
				   false, "scope = 'queue' AND name != '*'",
				   "start_ms");
	err = err ? err : sum_rows(db, "kpi_days", "scope, name, start_ms - "
				   "start_ms % 86400000", true, "1",
				   "scope, name, start_ms - start_ms % 86400000");
	for (size_t i = 0; i < t.n; i++) {
		int e = db_exec(db, t.sql[i], "");

		err = err ? err : e;
		free(t.sql[i]);
	}
	return err;
}

/* A year of queue rows: calls in the day's working hours (8:00-20:00),
 * a few at night; one in five intervals with an abandon; queue 7 judged
 * by a 30 s service level from interval 20,000 on (its sums mix two
 * thresholds). Agents: five days of seven, 32 intervals from 6:00, 8:00
 * or 10:00. */
static int seed(struct db *db)
{
	int err = db_exec(db, "INSERT INTO kpi_buckets (scope, name, start_ms, "
		"sl_ms, short_ms, entered, queued, answered, answered_in_sl, "
		"answer_wait_ms, answer_ring_ms, abandoned, abandon_wait_ms, "
		"offers, ring_noanswer, holds, hold_ms, completed, talk_ms, "
		"wrap_ms) WITH RECURSIVE t(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
		"FROM t WHERE i + 1 < 35040), q(j) AS (SELECT 0 UNION ALL SELECT "
		"j + 1 FROM q WHERE j + 1 < ?), r AS (SELECT j, i, CASE WHEN i % "
		"96 BETWEEN 32 AND 79 THEN 2 + (i * 7 + j * 3) % 9 ELSE (i + j) % "
		"2 END AS e FROM q, t), s AS (SELECT j, i, e, CASE WHEN e > 0 AND "
		"(i + j) % 5 = 0 THEN 1 ELSE 0 END AS ab FROM r) SELECT 'queue', "
		"printf('q%02d', j), ? + i * 900000, CASE WHEN j = 7 AND i >= "
		"20000 THEN 30000 ELSE 20000 END, 20000, e, e / 2, e - ab, e - ab "
		"- (i % 3 = 0 AND e > ab), (e - ab) * (4000 + i % 7 * 1000), (e - "
		"ab) * 6000, ab, ab * 45000, e - ab + (i % 11 = 0), (i % 11 = 0), "
		"(i % 4 = 0), (i % 4 = 0) * 30000, e - ab, (e - ab) * (150000 + j "
		"* 1000), (e - ab) * 30000 FROM s ORDER BY j, i", "ii",
		(int64_t)opt.queues, T0);

	err = err ? err : db_exec(db, "INSERT INTO kpi_buckets (scope, name, "
		"start_ms, answered, completed, talk_ms, wrap_ms, ready_ms, "
		"not_ready_ms, talking_ms, wrapup_ms) WITH RECURSIVE d(k) AS "
		"(SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k + 1 < 365), a(x) "
		"AS (SELECT 0 UNION ALL SELECT x + 1 FROM a WHERE x + 1 < ?), h(y) "
		"AS (SELECT 0 UNION ALL SELECT y + 1 FROM h WHERE y + 1 < 32) "
		"SELECT 'agent', CAST(1001 + x AS TEXT), ? + k * 86400000 + (24 + "
		"x % 3 * 8 + y) * 900000, 1 + (x + y) % 3, 1 + (x + y) % 3, (1 + "
		"(x + y) % 3) * 180000, (1 + (x + y) % 3) * 30000, 200000 - (x + "
		"y) % 3 * 90000, 60000, (1 + (x + y) % 3) * 180000, 900000 - "
		"260000 - (1 + (x + y) % 3) * 180000 FROM a, d, h WHERE (k + x) % "
		"7 < 5 ORDER BY x, k, y", "ii", (int64_t)opt.agents, T0);
	return err;
}

/* A host as the loop holds it at the start of the next year: no bucket
 * in memory, the horizon after the last stored day. */
static void host_init(struct queue_host *h, struct db *db)
{
	static struct qh_queue q;
	static struct qh_agent ag = {.id = 1042, .ext = "1042"};

	memset(h, 0, sizeof(*h));
	h->o.db = db;
	if (report_set_alloc(&h->rs, REPORT_INTERVAL_MS))
		exit(1);
	h->kpi_horizon = T0 + YEAR;
	queue_qcfg_default(&q.cfg, "q03");
	q.id = 4;
	h->queues = &q;
	h->nqueues = 1;
	h->agents = &ag;
	h->nagents = 1;
}

/* One report as the endpoint makes it: the stored half (and with side,
 * the side figures) as the worker reads them, the rows as the loop sums
 * them and writes the reply's text (queue_kpi_report_text), all on
 * this thread. Returns wall ms, *cpu the thread's CPU ms; *rows, *bytes
 * of the reply. */
static double report_once(struct queue_host *h, const char *queue,
			  const char *agent, int64_t iv, int64_t read_iv,
			  bool side, double *cpu, size_t *rows, size_t *bytes)
{
	struct report_side_q q = {
		.queue = queue, .agent = agent, .from = T0, .to = T0 + YEAR,
		.origin = T0, .step = iv, .nbins = (size_t)(YEAR / iv),
		.fcr_window_ms = 24 * 3600000LL,
		.ring_period_ms = REPORT_RING_PERIOD_MS,
		.now_ms = side_now,
	};
	struct report_side *bins = NULL, total;
	struct report_set *stored = NULL;
	char why[256], *text = NULL;
	double t0 = now_ms(), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
	int err = queue_kpi_read_by(h->o.db, queue, agent, q.from, q.to,
				    h->kpi_horizon, read_iv, &stored);

	if (!err && side) {
		bins = calloc(q.nbins, sizeof(*bins));
		err = bins ? report_side_read(h->o.db, &q, bins, &total) : ENOMEM;
	}
	err = err ? err : queue_kpi_report_text(h, q.from, q.to, queue, agent,
						iv, stored, h->kpi_horizon, bins,
						bins ? &total : NULL, &text,
						bytes, why, sizeof(why));
	if (err) {
		fprintf(stderr, "kpi report failed (%s): %s\n", strerror(err), why);
		exit(1);
	}
	t0 = now_ms() - t0;
	*cpu = clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
	*rows = 0;
	for (const char *p = text; (p = strstr(p, "\"start_ms\":")); p++)
		(*rows)++;
	free(text);
	queue_kpi_stored_free(stored);
	free(bins);
	return t0;
}

/* The median of opt.samples runs; printed, and returned (wall; *cpu_med
 * the CPU median). The
 * stored half is read as for rows read_iv long: iv, or REPORT_INTERVAL_MS
 * to read 15-minute rows only (as before migration 047's day rows). */
static double kpi(struct queue_host *h, const char *what, const char *queue,
		  const char *agent, int64_t iv, int64_t read_iv, bool side,
		  double *cpu_med)
{
	size_t n = opt.samples, rows = 0, bytes = 0;
	double t[64], c[64], med;

	for (size_t i = 0; i < n && i < 64; i++)
		t[i] = report_once(h, queue, agent, iv, read_iv, side, &c[i],
				   &rows, &bytes);
	qsort(t, n, sizeof(double), cmp);
	qsort(c, n, sizeof(double), cmp);
	med = t[n / 2];
	printf("%-40s %6zu rows %6zu KiB  median %8.1f ms (CPU %8.1f)  "
	       "worst %8.1f ms\n", what, rows, bytes / 1024, med, c[n / 2],
	       t[n - 1]);
	if (cpu_med)
		*cpu_med = c[n / 2];
	return med;
}

static void kpi_figures(const char *dir)
{
	char url[640];
	struct db *db;
	struct queue_host h;
	int64_t have = 0;
	unsigned long long samples = opt.samples;
	double t0, c0;

	snprintf(url, sizeof(url), "sqlite:%s/hotline.db", dir);
	if (db_open(&db, url))
		exit(1);
	db_query(db, count_row, &have, "SELECT COUNT(*) FROM kpi_buckets", "");
	if (!have) {
		printf("filling kpi_buckets: a year of %llu queues and %llu "
		       "agents…\n", opt.queues, opt.agents);
		t0 = now_ms();
		if (seed_rows(db, seed)) {
			fprintf(stderr, "seeding kpi_buckets failed\n");
			exit(1);
		}
		db_query(db, count_row, &have, "SELECT COUNT(*) FROM kpi_buckets",
			 "");
		printf("filled %lld rows in %.1f s\n", (long long)have,
		       (now_ms() - t0) / 1000);
	} else {
		printf("kpi_buckets holds %lld rows\n", (long long)have);
	}
	/* What the roll-ups cost the writer: every row of the year's last day
	 * grown by a change (a call's talk and wrap-up), as a flush's upsert
	 * grows an older row, each adding itself to its day and its '*'. The
	 * statement runs on the writer thread: the process's CPU time. */
	have = 0;
	db_query(db, count_row, &have, "SELECT COUNT(*) FROM kpi_buckets WHERE "
		 "start_ms >= ? AND name != '*'", "i", T0 + YEAR - DAY);
	t0 = now_ms();
	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	if (db_exec(db, "UPDATE kpi_buckets SET completed = completed + 1, "
		    "talk_ms = talk_ms + 180000, wrap_ms = wrap_ms + 30000 "
		    "WHERE start_ms >= ? AND name != '*'", "i", T0 + YEAR - DAY))
		exit(1);
	t0 = now_ms() - t0;
	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("writer: a day's %lld rows grown through the roll-up triggers: "
	       "%.0f ms, CPU %.0f ms (%.1f us a row, CPU %.1f)\n",
	       (long long)have, t0, c0, have ? t0 * 1000 / (double)have : 0,
	       have ? c0 * 1000 / (double)have : 0);
	host_init(&h, db);
	fig.kpi_day = kpi(&h, "KPIs, a year by day, center", NULL, NULL, DAY,
			  DAY, false, &fig.kpi_day_cpu);
	(void)kpi(&h, "KPIs, a year by day, queue q03", "q03", NULL, DAY, DAY,
		  false, NULL);
	(void)kpi(&h, "KPIs, a year by day, agent 1042", NULL, "1042", DAY,
		  DAY, false, NULL);
	(void)kpi(&h, "  the same from 15-min rows, center", NULL, NULL, DAY,
		  REPORT_INTERVAL_MS, false, NULL);
	(void)kpi(&h, "  the same from 15-min rows, queue q03", "q03", NULL,
		  DAY, REPORT_INTERVAL_MS, false, NULL);
	fig.kpi_15m = kpi(&h, "KPIs, a year at 15 min, center", NULL, NULL,
			  REPORT_INTERVAL_MS, REPORT_INTERVAL_MS, false,
			  &fig.kpi_15m_cpu);
	/* Side figures: as before, every figure read from the calls; then
	 * the day rows' first read (each day computed for every name and
	 * stored), then the reads that find them stored. */
	opt.samples = opt.samples < 3 ? opt.samples : 3;
	(void)kpi(&h, "KPIs + side figures from the calls", NULL, NULL, DAY,
		  DAY, true, NULL);
	side_now = T0 + YEAR + 400 * DAY;
	db_exec(db, "DELETE FROM kpi_side_days", "");
	opt.samples = 1;
	(void)kpi(&h, "KPIs + side figures, first read", NULL, NULL, DAY, DAY,
		  true, NULL);
	db_flush(db);
	opt.samples = samples;
	fig.side = kpi(&h, "KPIs + side figures, a year by day", NULL, NULL,
		       DAY, DAY, true, &fig.side_cpu);
	(void)kpi(&h, "KPIs + side figures, queue q03", "q03", NULL, DAY, DAY,
		  true, NULL);
	(void)kpi(&h, "KPIs + side figures, agent 1042", NULL, "1042", DAY,
		  DAY, true, NULL);
	report_set_free(h.rs);
	db_close(db);
}

/* Runs a sibling program (same folder as this one), echoes its output,
 * and hands each line to take. */
static void sibling(const char *self, const char *args,
		    void (*take)(const char *line))
{
	char *copy = strdup(self), cmd[1024], line[512];
	FILE *f;

	if (!copy)
		exit(1);
	snprintf(cmd, sizeof(cmd), "'%s'/%s", dirname(copy), args);
	free(copy);
	if (!(f = popen(cmd, "r"))) {
		fprintf(stderr, "cannot run %s\n", cmd);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		fputs(line, stdout);
		take(line);
	}
	if (pclose(f))
		fprintf(stderr, "(%s failed)\n", cmd);
}

static void take_list(const char *line)
{
	const char *m = strstr(line, "median ");
	const char *c = strstr(line, "pages: ");

	if (!strncmp(line, "first page, queue and province", 30) && m)
		fig.first_page = strtod(m + 7, NULL);
	if (!strncmp(line, "whole, page after page", 22) && c)
		fig.whole = strtod(c + 7, NULL);
}

static void take_spc(const char *line)
{
	const char *r = strstr(line, "rules deck ");

	if (!strncmp(line, "XmR,", 4) && r)
		fig.chart = strtod(r + 11, NULL);
}

static void row(const char *what, double v, const char *unit, double target)
{
	if (v < 0)
		printf("%-44s %10s   target < %g %s\n", what, "-", target, unit);
	else
		printf("%-44s %8.3g %s   target < %g %s   %s\n", what, v, unit,
		       target, unit, v < target ? "met" : "MISSED");
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/hotline-bench-reports-XXXXXX", args[900];
	const char *dir;

	for (int i = 1; i + 1 < argc; i += 2) {
		unsigned long long *v = !strcmp(argv[i], "--calls") ? &opt.calls :
			!strcmp(argv[i], "--queues") ? &opt.queues :
			!strcmp(argv[i], "--agents") ? &opt.agents :
			!strcmp(argv[i], "--samples") ? &opt.samples : NULL;

		if (v)
			*v = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--dir"))
			opt.dir = argv[i + 1];
		else
			argc = -1;
	}
	if (argc < 0 || (argc > 1 && argc % 2 == 0) || !opt.calls ||
	    !opt.queues || opt.queues > 100 || opt.agents > 100000 ||
	    !opt.samples || opt.samples > 64) {
		fprintf(stderr, "usage: %s [--dir DIR] [--calls N] [--queues "
			"1..100] [--agents N] [--samples 1..64]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);   /* lines show as they come */
	log_set_level(LOG_WARN);
	dir = opt.dir ? opt.dir : mkdtemp(tmp);
	if (!dir)
		return 1;
	printf("-- call detail (bench/reports_list)\n");
	fflush(stdout);
	snprintf(args, sizeof(args), "reports_list --calls %llu --dir '%s'",
		 opt.calls, dir);
	sibling(argv[0], args, take_list);
	printf("-- KPI report\n");
	kpi_figures(dir);
	printf("-- control chart (bench/spc)\n");
	fflush(stdout);
	sibling(argv[0], "spc", take_spc);

	printf("\n== issue 17's report figures ==\n");
	row("KPIs, a year of 15-min buckets, by day", fig.kpi_day, "ms", 100);
	row("  (its CPU time)", fig.kpi_day_cpu, "ms", 100);
	row("KPIs, the same year in 15-min rows", fig.kpi_15m, "ms", 100);
	row("  (its CPU time)", fig.kpi_15m_cpu, "ms", 100);
	row("KPIs with side figures, a year by day", fig.side, "ms", 100);
	row("  (its CPU time)", fig.side_cpu, "ms", 100);
	snprintf(args, sizeof(args), "call detail, %llu calls, first page",
		 opt.calls);
	row(args, fig.first_page, "ms", 50);
	row("call detail, filtered, whole", fig.whole, "s", 2);
	row("control chart, a year of intervals", fig.chart, "ms", 20);
	if (!opt.dir) {
		snprintf(args, sizeof(args), "rm -rf '%s'", dir);
		if (system(args))
			return 1;
	}
	return 0;
}
