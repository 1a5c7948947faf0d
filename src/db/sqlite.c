/* db/sqlite: the SQLite engine.
 *
 * Each connection is used by one thread at a time (the writer's by the writer
 * thread, the reader's under db.c's mutex), so it is opened without SQLite's
 * own mutex. Prepared statements are cached per connection by SQL text: the
 * writer runs the same few INSERTs over and over. A cached statement is
 * always reset after use, so it never holds a read snapshot open (which
 * would stop WAL checkpoints). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "base/log.h"
#include "db/db_int.h"

enum {
	CACHE_BUCKETS = 256,
	/* Past this many distinct statements the cache starts over: SQL
	 * built at run time must not grow it without bound. */
	CACHE_MAX = 512,
	BUSY_TIMEOUT_MS = 5000,
};

struct cached {
	struct cached *next;
	char *sql;
	sqlite3_stmt *stmt;
};

struct db_conn {
	sqlite3 *db;
	struct cached *buckets[CACHE_BUCKETS];
	size_t cached;
};

/* Pragmas per role; the writer's come first because WAL is a property of the
 * file, set once by whoever opens it for writing. */
static const char *const writer_pragmas[] = {
	"PRAGMA journal_mode=WAL",
	"PRAGMA synchronous=NORMAL",
	"PRAGMA foreign_keys=ON",
	/* 64 MiB instead of 2: a large transaction (an import of 100,000
	 * customers, db_tx) otherwise spills its dirty pages to the WAL
	 * half-way and reads them back from there, a third of its time
	 * (bench/records, perf) */
	"PRAGMA cache_size=-65536",
	NULL,
};
static const char *const reader_pragmas[] = {
	"PRAGMA query_only=ON",
	NULL,
};

static int fail(sqlite3 *db, int src, char *err, size_t n)
{
	snprintf(err, n, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
	return (src & 0xff) == SQLITE_BUSY || (src & 0xff) == SQLITE_LOCKED ?
	       EBUSY : EIO;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;          /* FNV-1a */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void cache_clear(struct db_conn *c)
{
	for (size_t i = 0; i < CACHE_BUCKETS; i++) {
		while (c->buckets[i]) {
			struct cached *e = c->buckets[i];
			c->buckets[i] = e->next;
			sqlite3_finalize(e->stmt);
			free(e->sql);
			free(e);
		}
	}
	c->cached = 0;
}

static int prepare(struct db_conn *c, const char *sql, sqlite3_stmt **out,
		   char *err, size_t n)
{
	struct cached **slot = &c->buckets[hash(sql) % CACHE_BUCKETS], *e;
	const char *tail;
	int rc, ret = 0;

	for (e = *slot; e; e = e->next) {
		if (!strcmp(e->sql, sql)) {
			*out = e->stmt;
			return 0;
		}
	}
	if (c->cached >= CACHE_MAX)
		cache_clear(c);
	e = calloc(1, sizeof(*e));
	if (!e || !(e->sql = strdup(sql))) {
		free(e);
		snprintf(err, n, "out of memory");
		return ENOMEM;
	}
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				&e->stmt, &tail);
	if (rc != SQLITE_OK) {
		ret = fail(c->db, rc, err, n);
	}
	else if (!e->stmt) {
		snprintf(err, n, "empty statement");
		ret = EIO;
	}
	else if (tail[strspn(tail, " \t\r\n;")]) {
		/* A second statement would silently never run. */
		snprintf(err, n, "more than one statement");
		ret = EIO;
	}
	if (ret) {
		sqlite3_finalize(e->stmt);
		free(e->sql);
		free(e);
		return ret;
	}
	e->next = *slot;
	*slot = e;
	c->cached++;
	*out = e->stmt;
	return 0;
}

static int bind(sqlite3_stmt *s, const struct db_stmt *st, char *err, size_t n)
{
	int rc = SQLITE_OK;

	if ((size_t)sqlite3_bind_parameter_count(s) != st->n) {
		snprintf(err, n, "statement has %d parameters, %zu given",
			 sqlite3_bind_parameter_count(s), st->n);
		return EIO;
	}
	for (size_t i = 0; i < st->n && rc == SQLITE_OK; i++) {
		const struct db_param *p = &st->p[i];
		int col = (int)i + 1;
		switch (p->type) {
		case 't':
			/* STATIC: st outlives the step; bindings are cleared
			 * before st is freed. */
			rc = sqlite3_bind_text(s, col, p->v.t, -1, SQLITE_STATIC);
			break;
		case 'i': rc = sqlite3_bind_int64(s, col, p->v.i);  break;
		case 'd': rc = sqlite3_bind_double(s, col, p->v.d); break;
		default:  rc = sqlite3_bind_null(s, col);           break;
		}
	}
	return rc == SQLITE_OK ? 0 : fail(sqlite3_db_handle(s), rc, err, n);
}

static int sq_run(struct db_conn *c, const struct db_stmt *st,
		  db_row_h *rowh, void *arg, char *err, size_t n)
{
	struct db_row row = {&db_sqlite_engine, NULL};
	sqlite3_stmt *s;
	int rc, ret;

	ret = prepare(c, st->sql, &s, err, n);
	if (ret)
		return ret;
	row.impl = s;
	ret = bind(s, st, err, n);
	while (!ret) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			ret = fail(c->db, rc, err, n);
			break;
		}
		if (rowh)
			ret = rowh(&row, arg);
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return ret;
}

static int sq_script(struct db_conn *c, const char *sql, char *err, size_t n)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return 0;
	snprintf(err, n, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return (rc & 0xff) == SQLITE_BUSY ? EBUSY : EIO;
}

static void sq_close(struct db_conn *c)
{
	if (!c)
		return;
	cache_clear(c);
	if (sqlite3_close(c->db) != SQLITE_OK)
		log_error("db.close_failed", "error=\"%s\"", sqlite3_errmsg(c->db));
	free(c);
}

static int sq_open(struct db_conn **cp, const char *target,
		   enum db_conn_role role, char *err, size_t n)
{
	const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
			  (role == DB_CONN_WRITER ? SQLITE_OPEN_CREATE : 0);
	const char *const *pragmas = role == DB_CONN_WRITER ? writer_pragmas
							    : reader_pragmas;
	struct db_conn *c;
	int rc;

	if (!*target) {
		snprintf(err, n, "empty path");
		return EINVAL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, n, "out of memory");
		return ENOMEM;
	}
	rc = sqlite3_open_v2(target, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		fail(c->db, rc, err, n);
		sq_close(c);
		return EIO;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* Every connection, the reader's too: an FTS5 table cannot even be
	 * read without its tokenizer. */
	rc = db_sqlite_cjk_register(c->db);
	if (rc != SQLITE_OK) {
		fail(c->db, rc, err, n);
		sq_close(c);
		return EIO;
	}
	for (size_t i = 0; pragmas[i]; i++) {
		rc = sq_script(c, pragmas[i], err, n);
		if (rc) {
			sq_close(c);
			return rc;
		}
	}
	*cp = c;
	return 0;
}

/* The writer's cache may hold 64 MiB of pages (writer_pragmas); idle,
 * none of them is pinned and all go back to the heap. */
static void sq_release(struct db_conn *c)
{
	sqlite3_db_release_memory(c->db);
}

static int col_count(void *impl)
{
	return sqlite3_column_count(impl);
}

static const char *col_text(void *impl, int i)
{
	return (const char *)sqlite3_column_text(impl, i);
}

static int64_t col_int(void *impl, int i)
{
	return sqlite3_column_int64(impl, i);
}

static double col_double(void *impl, int i)
{
	return sqlite3_column_double(impl, i);
}

static bool col_isnull(void *impl, int i)
{
	return sqlite3_column_type(impl, i) == SQLITE_NULL;
}

const struct db_engine db_sqlite_engine = {
	.scheme     = "sqlite:",
	.begin_sql  = "BEGIN IMMEDIATE",
	.open       = sq_open,
	.close      = sq_close,
	.run        = sq_run,
	.script     = sq_script,
	.release    = sq_release,
	.col_count  = col_count,
	.col_text   = col_text,
	.col_int    = col_int,
	.col_double = col_double,
	.col_isnull = col_isnull,
};
