/* db: the public API over an engine, a writer thread and a read connection.
 *
 * Open order matters: the writer's connection is opened first (it creates
 * the file and turns WAL on), migrations run on it before the thread exists,
 * then the read connection opens on the migrated file, and only then does
 * the writer thread take its connection over. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "db/db_int.h"

enum { ERR_LEN = 512 };

/* One row per engine; the URL's scheme picks it. PostgreSQL joins here. */
static const struct db_engine *const engines[] = {
	&db_sqlite_engine,
};

struct db {
	const struct db_engine *eng;
	struct db_writer *writer;
	pthread_mutex_t rlock;      /* one db_query at a time on rconn */
	struct db_conn *rconn;
};

int db_conn_sql(const struct db_engine *eng, struct db_conn *c,
		const char *sql, char *err, size_t n)
{
	struct db_stmt st = {.sql = sql};
	return eng->run(c, &st, NULL, NULL, err, n);
}

int db_open_files(struct db **dbp, const char *url,
		  const struct embed_file *files)
{
	const struct db_engine *eng = NULL;
	struct db_conn *wconn = NULL;
	char err[ERR_LEN] = "";
	struct db *db;
	int rc;

	if (!dbp || !url)
		return EINVAL;
	for (size_t i = 0; i < sizeof(engines) / sizeof(*engines); i++) {
		if (!strncmp(url, engines[i]->scheme, strlen(engines[i]->scheme)))
			eng = engines[i];
	}
	if (!eng) {
		log_error("db.open_failed", "url=%s error=\"unsupported scheme\"", url);
		return EINVAL;
	}
	url += strlen(eng->scheme);

	db = calloc(1, sizeof(*db));
	if (!db)
		return ENOMEM;
	db->eng = eng;
	pthread_mutex_init(&db->rlock, NULL);

	rc = eng->open(&wconn, url, DB_CONN_WRITER, err, sizeof(err));
	if (rc)
		goto fail;
	rc = db_migrate(eng, wconn, files);
	if (rc) {
		snprintf(err, sizeof(err), "migration failed");
		goto fail;
	}
	rc = eng->open(&db->rconn, url, DB_CONN_READER, err, sizeof(err));
	if (rc)
		goto fail;
	rc = db_writer_start(&db->writer, eng, wconn);
	if (rc) {
		snprintf(err, sizeof(err), "cannot start the writer thread");
		goto fail;
	}
	log_info("db.open", "engine=%.*s path=%s", (int)strlen(eng->scheme) - 1,
		 eng->scheme, url);
	*dbp = db;
	return 0;
fail:
	log_error("db.open_failed", "path=%s error=\"%s\"", url, err);
	eng->close(wconn);
	eng->close(db->rconn);
	pthread_mutex_destroy(&db->rlock);
	free(db);
	return rc;
}

int db_open(struct db **dbp, const char *url)
{
	return db_open_files(dbp, url, embed_files);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	db_writer_stop(db->writer);
	db->eng->close(db->rconn);
	pthread_mutex_destroy(&db->rlock);
	free(db);
}

int db_write(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = db_stmt_make(&st, sql, types, ap);
	va_end(ap);
	return rc ? rc : db_writer_push(db->writer, st);
}

int db_exec(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = db_stmt_make(&st, sql, types, ap);
	va_end(ap);
	return rc ? rc : db_writer_exec(db->writer, st);
}

int db_flush(struct db *db)
{
	db_writer_flush(db->writer);
	return 0;
}

int db_query(struct db *db, db_row_h *rowh, void *arg,
	     const char *sql, const char *types, ...)
{
	char err[ERR_LEN];
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = db_stmt_make(&st, sql, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	err[0] = '\0';
	pthread_mutex_lock(&db->rlock);
	rc = db->eng->run(db->rconn, st, rowh, arg, err, sizeof(err));
	pthread_mutex_unlock(&db->rlock);
	/* rowh's own non-zero value passes through untouched; the engine
	 * always says why it failed, so err tells the two apart. */
	if (rc && err[0]) {
		log_error("db.query_failed", "error=\"%s\" sql=\"%s\"", err, sql);
		rc = EIO;
	}
	free(st);
	return rc;
}

struct db_writer *db_writer_of(struct db *db)
{
	return db->writer;
}

void db_stats(struct db *db, struct db_stats *st)
{
	db_writer_stats(db->writer, st);
}

int db_row_count(const struct db_row *row)
{
	return row->eng->col_count(row->impl);
}

const char *db_row_text(const struct db_row *row, int i)
{
	return row->eng->col_text(row->impl, i);
}

int64_t db_row_int(const struct db_row *row, int i)
{
	return row->eng->col_int(row->impl, i);
}

double db_row_double(const struct db_row *row, int i)
{
	return row->eng->col_double(row->impl, i);
}

bool db_row_isnull(const struct db_row *row, int i)
{
	return row->eng->col_isnull(row->impl, i);
}
