/* bench/reports_list: issue 17's call-detail figure over a year of calls.
 * Fills a real SQLite file (the server's own migrations and indexes) with
 * --calls calls spread evenly over 365 days (10 queues, 200 agents, 4
 * trunks, 5 provinces, 80 % inbound), then times the very functions GET
 * /api/v1/reports/{id} runs on its worker:
 *
 *   first page   呼入电话明细 (inbound-detail) of 30 days, filtered by queue
 *                and province (?queue=q03&region=广东省): 100 rows
 *   whole        the same report page after page (1000 rows a page, the
 *                API's most), as the console or a client walks it
 *   download     the same report in one read, then as CSV and as XLSX
 *   agent page   the first page filtered by one agent (?agent=1042)
 *   summary      话务量统计 (traffic) of the same 30 days by day, unfiltered
 *
 * and prints each beside the targets (first page < 50 ms, whole
 * < 2 s). Timings are the median and the worst of --samples runs.
 *
 *   build/rel/bench/reports_list [--calls N] [--samples N] [--dir DIR]
 *
 * --dir keeps the database there and fills it only when it has no calls
 * yet; without it a temporary directory is removed at the end. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "api/http.h"
#include "base/log.h"
#include "db/db.h"
#include "rpt/rpt_int.h"

#define DAY 86400000LL
#define T0 1735689600000LL   /* 2025-01-01T00:00:00Z */

static struct {
	uint64_t calls, samples;
	const char *dir;
} opt = {10000000, 20, NULL};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The calls, in one statement: started_at grows with i, so the rows go
 * into calls_started in order, as a live center writes them. */
static int seed(const char *path, uint64_t n)
{
	char sql[3072];
	sqlite3 *s;
	int rc;

	if (sqlite3_open(path, &s) != SQLITE_OK)
		return EIO;
	snprintf(sql, sizeof(sql),
		"PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; BEGIN;"
		"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
		"WHERE i < %llu) INSERT INTO calls (id, direction, caller, callee, "
		"started_at, answered_at, ended_at, duration_s, talk_s, agent, "
		"queue, hangup_by, trunk, province, city, wrapup_code) SELECT "
		"printf('b%%09d', i), CASE WHEN i %% 5 < 4 THEN 'inbound' ELSE "
		"'outbound' END, printf('138%%08d', (i * 2654435761) %% 100000000),"
		" '4008001000', %lld + i * %lld / %llu, "
		"CASE WHEN (i / 11) %% 10 < 9 THEN %lld + i * %lld / %llu + 5000 "
		"END, %lld + i * %lld / %llu + 185000, 185, CASE WHEN "
		"(i / 11) %% 10 < 9 THEN 180 ELSE 0 END, CASE WHEN (i / 11) %% 10 "
		"< 9 THEN printf('%%d', 1001 + (i * 31) %% 200) END, "
		"printf('q%%02d', (i / 3) %% 10), 'caller', printf('t%%d', "
		"(i / 2) %% 4), CASE (i / 7) %% 5 WHEN 0 THEN '广东省' WHEN 1 "
		"THEN '北京市' WHEN 2 THEN '上海市' WHEN 3 THEN '浙江省' ELSE "
		"'四川省' END, CASE (i / 7) %% 5 WHEN 0 THEN '深圳市' WHEN 1 "
		"THEN '北京市' WHEN 2 THEN '上海市' WHEN 3 THEN '杭州市' ELSE "
		"'成都市' END, CASE (i * 7) %% 4 WHEN 0 THEN 'inquiry' WHEN 1 THEN "
		"'complaint' WHEN 2 THEN 'repair' END FROM n; COMMIT; ANALYZE;",
		(unsigned long long)n - 1, T0, 365 * DAY, (unsigned long long)n,
		T0, 365 * DAY, (unsigned long long)n, T0, 365 * DAY,
		(unsigned long long)n);
	rc = sqlite3_exec(s, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "seed: %s\n", sqlite3_errmsg(s));
	sqlite3_close(s);
	return rc == SQLITE_OK ? 0 : EIO;
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static void request(const char *id, const char *const filter[5],
		    const char *group, struct rpt_req *r)
{
	struct rpt_args a = {.group = group};
	char why[300];

	memset(r, 0, sizeof(*r));
	memcpy(a.filter, filter, sizeof(a.filter));
	r->from = T0 + 150 * DAY;
	r->to = r->from + 30 * DAY;
	r->c_ts = INT64_MIN;
	if (rpt_check(rpt_def_find(id), &a, r, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", id, why);
		exit(1);
	}
}

/* The median and worst of opt.samples runs of a first page. */
static void first_page(struct db *db, const struct api_user *u,
		       const char *what, const struct rpt_req *r)
{
	double *t = calloc(opt.samples, sizeof(double));
	char next[API_CURSOR_LEN];
	size_t got = 0;

	for (uint64_t i = 0; i < opt.samples; i++) {
		json_t *rows = NULL;
		double t0 = now_s();

		if (rpt_run_detail(db, r, u, 100, NULL, &rows, next))
			exit(1);
		t[i] = (now_s() - t0) * 1000;
		got = json_array_size(rows);
		json_decref(rows);
	}
	qsort(t, opt.samples, sizeof(double), cmp);
	printf("%-34s %4zu rows   median %7.2f ms   worst %7.2f ms   "
	       "(target < 50 ms)\n", what, got, t[opt.samples / 2],
	       t[opt.samples - 1]);
	free(t);
}

/* The whole filtered report: page after page as a client walks it, then
 * as the download reads it, straight into CSV and into XLSX. */
static void whole(struct db *db, const struct api_user *u, struct rpt_req r)
{
	char next[API_CURSOR_LEN];
	size_t rows = 0, pages = 0;
	double t0 = now_s();

	do {
		json_t *page = NULL;

		if (rpt_run_detail(db, &r, u, RPT_PAGE_MAX, NULL, &page, next))
			exit(1);
		rows += json_array_size(page);
		pages++;
		json_decref(page);
		if (next[0] && api_cursor_decode(next, &r.c_ts, r.c_id))
			exit(1);
	} while (next[0]);
	printf("%-34s %zu rows in %zu pages: %.3f s   (target < 2 s)\n",
	       "whole, page after page", rows, pages, now_s() - t0);

	r.c_ts = INT64_MIN;
	r.c_id[0] = '\0';
	for (int xlsx = 0; xlsx < 2; xlsx++) {
		json_t *cols = rpt_columns(&r), *none = NULL;
		struct rpt_sink *sink;
		char *buf = NULL;
		size_t len = 0;

		t0 = now_s();
		if (rpt_sink_open(&sink, xlsx, cols, "bench") ||
		    rpt_run_detail(db, &r, u, RPT_EXPORT_MAX, sink, &none,
				   next) || rpt_sink_close(sink, &buf, &len))
			exit(1);
		printf("%-34s %zu rows: %.3f s (%zu KiB)\n", xlsx ?
		       "download as XLSX" : "download as CSV", rows,
		       now_s() - t0, len / 1024);
		free(buf);
		json_decref(none);
		json_decref(cols);
	}
}

static void summary(struct db *db, const struct api_user *u)
{
	static const char *const none[5];
	struct rpt_req r;
	json_t *rows = NULL, *total = NULL;
	double t0;

	request("traffic", none, "day", &r);
	t0 = now_s();
	if (rpt_run_summary(db, &r, u, &rows, &total))
		exit(1);
	printf("%-34s %zu days of %lld calls: %.3f s\n", "summary (traffic by day)",
	       json_array_size(rows),
	       (long long)json_integer_value(json_object_get(total, "calls")),
	       now_s() - t0);
	json_decref(rows);
	json_decref(total);
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/hotline-bench-rpt-XXXXXX", path[600], url[640];
	static const char *const f_queue[5] = {"q03", NULL, NULL, NULL,
					       "广东省"};
	static const char *const f_agent[5] = {NULL, "1042"};
	struct api_user u = {.role_bit = API_R_ADMIN, .scope = API_SCOPE_ALL};
	const char *dir = NULL;
	struct db *db;
	struct rpt_req r;
	int64_t have = 0;
	double t0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--calls"))
			opt.calls = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--samples"))
			opt.samples = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--dir"))
			opt.dir = argv[i + 1];
		else {
			fprintf(stderr, "usage: %s [--calls N] [--samples N] "
				"[--dir DIR]\n", argv[0]);
			return 2;
		}
	}
	if (!opt.calls || !opt.samples)
		return 2;
	log_set_level(LOG_WARN);
	dir = opt.dir ? opt.dir : mkdtemp(tmp);
	if (!dir)
		return 1;
	snprintf(path, sizeof(path), "%s/hotline.db", dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	if (db_open(&db, url))
		return 1;
	db_query(db, count_row, &have, "SELECT COUNT(*) FROM calls", "");
	db_close(db);
	if (!have) {
		printf("filling %s with %llu calls over 365 days…\n", path,
		       (unsigned long long)opt.calls);
		t0 = now_s();
		if (seed(path, opt.calls))
			return 1;
		printf("filled in %.1f s\n", now_s() - t0);
	} else {
		printf("%s holds %lld calls\n", path, (long long)have);
	}
	if (db_open(&db, url))
		return 1;

	request("inbound-detail", f_queue, NULL, &r);
	first_page(db, &u, "first page, queue and province", &r);
	whole(db, &u, r);
	request("inbound-detail", f_agent, NULL, &r);
	first_page(db, &u, "first page, one agent", &r);
	summary(db, &u);

	db_close(db);
	if (!opt.dir) {
		unlink(path);
		snprintf(url, sizeof(url), "%s/hotline.db-wal", dir);
		unlink(url);
		snprintf(url, sizeof(url), "%s/hotline.db-shm", dir);
		unlink(url);
		rmdir(dir);
	}
	return 0;
}
