/* Shared by the db tests: a temporary directory per test, a real SQLite file
 * in it, a second connection that can hold the write lock (so the writer
 * thread is held back deterministically, never by timing), and a way to read
 * what the module logged. */
#ifndef HL_TEST_DB_FIXTURE_H
#define HL_TEST_DB_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "db/db.h"

struct fx {
	char dir[64];
	char path[128];          /* the database file */
	char url[160];           /* "sqlite:" path */
	char logpath[128];       /* captured standard error */
	int saved_stderr;
	struct db *db;
	sqlite3 *locker;         /* holds the write lock while set */
};

static inline int fx_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/hl-db-test.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/t.db", fx->dir);
	snprintf(fx->url, sizeof(fx->url), "sqlite:%s", fx->path);
	snprintf(fx->logpath, sizeof(fx->logpath), "%s/stderr.log", fx->dir);
	fx->saved_stderr = -1;
	*state = fx;
	return 0;
}

static inline void fx_rm(const struct fx *fx, const char *name)
{
	char p[200];
	snprintf(p, sizeof(p), "%s/%s", fx->dir, name);
	unlink(p);
}

static inline int fx_teardown(void **state)
{
	struct fx *fx = *state;

	if (fx->saved_stderr >= 0) {
		dup2(fx->saved_stderr, 2);
		close(fx->saved_stderr);
	}
	if (fx->locker) {
		sqlite3_exec(fx->locker, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(fx->locker);
	}
	db_close(fx->db);
	fx_rm(fx, "t.db");
	fx_rm(fx, "t.db-wal");
	fx_rm(fx, "t.db-shm");
	fx_rm(fx, "stderr.log");
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Takes the database's write lock from a second connection: the writer
 * thread's next BEGIN waits until fx_unlock(). */
static inline void fx_lock(struct fx *fx)
{
	assert_int_equal(SQLITE_OK, sqlite3_open(fx->path, &fx->locker));
	sqlite3_busy_timeout(fx->locker, 5000);
	assert_int_equal(SQLITE_OK, sqlite3_exec(fx->locker, "BEGIN IMMEDIATE",
						 NULL, NULL, NULL));
}

static inline void fx_unlock(struct fx *fx)
{
	assert_int_equal(SQLITE_OK, sqlite3_exec(fx->locker, "COMMIT",
						 NULL, NULL, NULL));
	sqlite3_close(fx->locker);
	fx->locker = NULL;
}

/* Runs SQL on the file directly, outside the module (setting up a past). */
static inline void fx_raw(const struct fx *fx, const char *sql)
{
	sqlite3 *s;
	assert_int_equal(SQLITE_OK, sqlite3_open(fx->path, &s));
	assert_int_equal(SQLITE_OK, sqlite3_exec(s, sql, NULL, NULL, NULL));
	sqlite3_close(s);
}

/* Standard error goes to a file between these two calls; fx_log_end()
 * returns what was written (caller frees). */
static inline void fx_log_begin(struct fx *fx)
{
	int fd = open(fx->logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	fflush(stderr);
	fx->saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static inline char *fx_log_end(struct fx *fx)
{
	static const size_t cap = 1 << 16;
	char *buf = calloc(1, cap);
	FILE *f;

	fflush(stderr);
	dup2(fx->saved_stderr, 2);
	close(fx->saved_stderr);
	fx->saved_stderr = -1;
	assert_non_null(buf);
	f = fopen(fx->logpath, "r");
	assert_non_null(f);
	buf[fread(buf, 1, cap - 1, f)] = '\0';
	fclose(f);
	return buf;
}

static inline int fx_int_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* The first column of the first row of sql, as an integer. */
static inline int64_t fx_int(struct db *db, const char *sql)
{
	int64_t v = -1;
	assert_int_equal(0, db_query(db, fx_int_row, &v, sql, NULL));
	return v;
}

#endif
