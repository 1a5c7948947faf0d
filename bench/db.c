/* bench/db: what group commit buys. Writes the same rows through the writer
 * thread (db_write, batched) and one transaction per row (db_exec), on a
 * real SQLite file in a temporary directory, and prints rows/s for each,
 * their ratio, and how long db_flush takes for one pending write.
 *
 *   build/rel/bench/db [ROWS]      (default 20000; the per-row run uses a
 *                                   tenth of them, it is that much slower) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char insert_sql[] =
	"INSERT INTO events (boot, seq, ts, type, subject, data)"
	" VALUES (?, ?, ?, ?, ?, ?)";

static int put(struct db *db, int (*fn)(struct db *, const char *, const char *, ...),
	       const char *boot, int64_t seq)
{
	return fn(db, insert_sql, "tiittt", boot, seq, util_now_ms(),
		  "call.answered", "c0ffee", "{\"agent\":\"1001\",\"queue\":\"sales\"}");
}

static int die(const char *what, int rc)
{
	fprintf(stderr, "bench/db: %s: %s\n", what, strerror(rc));
	return 1;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/hl-bench-db.XXXXXX", path[128], url[140];
	char boot[UTIL_ID_LEN];
	uint64_t rows = 20000;
	struct db_stats st0, st1;
	struct db *db;
	double t0, group, single, flush_total = 0;
	const int flushes = 200;
	int rc;

	if (argc > 1 && util_parse_u64(argv[1], 100, 10000000, &rows)) {
		fprintf(stderr, "usage: %s [ROWS (100..10000000)]\n", argv[0]);
		return 2;
	}
	log_set_level(LOG_WARN);
	if (!mkdtemp(dir))
		return die("mkdtemp", errno);
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	if ((rc = db_open(&db, url)))
		return die("db_open", rc);
	util_random_id(boot);

	/* Group commit: queue everything, then wait for the last commit. */
	db_stats(db, &st0);
	t0 = now_s();
	for (uint64_t i = 0; i < rows; i++) {
		if ((rc = put(db, db_write, boot, (int64_t)i)))
			return die("db_write", rc);
	}
	db_flush(db);
	group = now_s() - t0;
	db_stats(db, &st1);

	/* One transaction per row: each db_exec commits before the next. */
	const uint64_t single_rows = rows / 10;
	t0 = now_s();
	for (uint64_t i = 0; i < single_rows; i++) {
		if ((rc = put(db, db_exec, boot, (int64_t)(rows + i))))
			return die("db_exec", rc);
	}
	single = now_s() - t0;

	/* Flush latency: one write pending, how long until it is committed. */
	for (int i = 0; i < flushes; i++) {
		if ((rc = put(db, db_write, boot, (int64_t)(rows + single_rows + (uint64_t)i))))
			return die("db_write", rc);
		t0 = now_s();
		db_flush(db);
		flush_total += now_s() - t0;
	}

	printf("db group commit:   %8llu rows  %10.0f rows/s  (%llu transactions)\n",
	       (unsigned long long)rows, (double)rows / group,
	       (unsigned long long)(st1.batches - st0.batches));
	printf("db tx per row:     %8llu rows  %10.0f rows/s\n",
	       (unsigned long long)single_rows, (double)single_rows / single);
	printf("db group/per-row:  %.1fx\n",
	       ((double)rows / group) / ((double)single_rows / single));
	printf("db flush latency:  %.3f ms mean over %d single writes\n",
	       flush_total / flushes * 1e3, flushes);

	db_close(db);
	unlink(path);
	strcat(path, "-wal");
	unlink(path);
	path[strlen(path) - 4] = '\0';
	strcat(path, "-shm");
	unlink(path);
	rmdir(dir);
	return 0;
}
