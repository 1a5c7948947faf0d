/* db internals shared by the files of src/db/ only.
 *
 *   db.c       the public API: URL → engine, open/close, row accessors
 *   stmt.c     type strings → a self-contained statement (struct db_stmt)
 *   writer.c   the writer thread: queue, group commit, savepoints, flush
 *   tx.c       transactions: statements committed together (db_tx_*)
 *   migrate.c  embedded migrations, applied once each, in number order
 *   sqlite.c   the SQLite engine
 *   fts_cjk.c  the SQLite engine's tokenizer for Chinese full-text search
 *
 * A second engine (PostgreSQL) is a second file filling a struct db_engine;
 * nothing above the engine knows which one it talks to. */
#ifndef HL_DB_INT_H
#define HL_DB_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/embed.h"
#include "db/db.h"

/* One bound value; 't' text points into its statement's own block. */
struct db_param {
	char type;               /* 't', 'i', 'd' or 'n', as in db.h */
	union {
		const char *t;   /* NULL binds SQL NULL */
		int64_t i;
		double d;
	} v;
};

/* A statement with its parameters, in one allocation that owns copies of the
 * SQL and of every text, so it can cross to the writer thread and outlive
 * the caller's strings. free() releases it. */
struct db_stmt {
	struct db_stmt *next;    /* writer queue link */
	struct db_sync *sync;    /* set for db_exec: who waits for the result */
	struct db_stmt *tx;      /* db_tx_run: this item stands for those */
	bool failed;             /* the writer gave up on it (logged) */
	const char *sql;
	size_t n;                /* number of params */
	struct db_param *p;
};

/* Builds *stp from sql and a type string; EINVAL when types has a letter
 * outside "tidn" or its length differs from the number of '?' in sql. */
int  db_stmt_make(struct db_stmt **stp, const char *sql, const char *types,
		  va_list ap);

/* The number of '?' placeholders in sql, outside quotes and comments. */
size_t db_sql_params(const char *sql);

struct db_conn;              /* an engine's connection; layout in its file */

enum db_conn_role { DB_CONN_WRITER, DB_CONN_READER };

/* What an engine provides. Every function returning int returns 0, EBUSY
 * when the database is locked by someone else, EIO for any other engine
 * error (message in err), or rowh's non-zero value. */
struct db_engine {
	const char *scheme;      /* URL prefix, "sqlite:" */
	/* SQL that opens a write transaction at once (SQLite must take the
	 * write lock at BEGIN, or a batch could fail half-way on busy). */
	const char *begin_sql;
	int  (*open)(struct db_conn **cp, const char *target,
		     enum db_conn_role role, char *err, size_t n);
	void (*close)(struct db_conn *c);
	/* One statement with parameters; rowh may be NULL. Prepared
	 * statements are cached per connection, keyed by SQL text. */
	int  (*run)(struct db_conn *c, const struct db_stmt *st,
		    db_row_h *rowh, void *arg, char *err, size_t n);
	/* Gives back the memory the connection caches and does not need
	 * now (SQLite: unused pages of its page cache); the connection's
	 * thread, between statements. */
	void (*release)(struct db_conn *c);
	/* Several statements without parameters (a migration file). */
	int  (*script)(struct db_conn *c, const char *sql, char *err, size_t n);
	/* Row accessors over the engine's cursor (struct db_row.impl). */
	int         (*col_count)(void *impl);
	const char *(*col_text)(void *impl, int i);
	int64_t     (*col_int)(void *impl, int i);
	double      (*col_double)(void *impl, int i);
	bool        (*col_isnull)(void *impl, int i);
};

/* What db_row_h receives: the engine's cursor positioned on a row. */
struct db_row {
	const struct db_engine *eng;
	void *impl;
};

extern const struct db_engine db_sqlite_engine;

/* Runs a parameterless statement (BEGIN, COMMIT, SAVEPOINT …). */
int  db_conn_sql(const struct db_engine *eng, struct db_conn *c,
		 const char *sql, char *err, size_t n);

/* Applies the migrations among files ("src/<module>/migrations/NNN_name.sql")
 * that schema_migrations does not list, in number order, each in its own
 * transaction. Stops at the first failure, logged with the file's name:
 * EIO, that migration rolled back, the earlier ones kept. EINVAL for a
 * misnamed file or a number used twice. */
int  db_migrate(const struct db_engine *eng, struct db_conn *c,
		const struct embed_file *files);

/* The writer thread; it owns conn from db_writer_start on, and closes it. */
struct db_writer;
int  db_writer_start(struct db_writer **wp, const struct db_engine *eng,
		     struct db_conn *conn);
/* Queues st (taken, even on error); ESHUTDOWN once stopping. */
int  db_writer_push(struct db_writer *w, struct db_stmt *st);
/* Runs st (taken) after everything queued before it; its result. */
int  db_writer_exec(struct db_writer *w, struct db_stmt *st);
/* Runs the n statements of list (borrowed) after everything queued
 * before them, in one transaction: 0, or EIO with *failed (the failing
 * statement's index, n for BEGIN or COMMIT), or ESHUTDOWN. */
int  db_writer_tx(struct db_writer *w, struct db_stmt *list, size_t n,
		  size_t *failed);
/* The writer of db (tx.c). */
struct db_writer *db_writer_of(struct db *db);
void db_writer_flush(struct db_writer *w);
void db_writer_stats(struct db_writer *w, struct db_stats *st);
/* Refuses new work, flushes, joins the thread, closes conn, frees w. */
void db_writer_stop(struct db_writer *w);

/* ---- fts_cjk.c: the "hotline_cjk" FTS5 tokenizer (fts_cjk.c says how) */
#define DB_CJK_TOKENIZER "hotline_cjk"

/* One token: bytes tok[0..n) (lowercased words, or CJK text as written),
 * from byte start to end of the text; colocated: at the previous token's
 * position. Non-zero stops the tokenizer and is returned. */
typedef int (db_cjk_token_h)(void *arg, bool colocated, const char *tok,
			     int n, int start, int end);
/* Splits text[0..len) as a document (query false) or as a query. */
int  db_cjk_tokenize(const char *text, int len, bool query,
		     db_cjk_token_h *h, void *arg);
struct sqlite3;
/* Registers the tokenizer on one connection: an SQLite result code. */
int  db_sqlite_cjk_register(struct sqlite3 *db);

/* db_open with an explicit migration list: tests use their own. */
int  db_open_files(struct db **dbp, const char *url,
		   const struct embed_file *files);

#endif
