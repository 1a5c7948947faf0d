/* db: one API over the storage engine (SQLite now, PostgreSQL later).
 *
 * Writes go through one writer thread: db_write() queues a statement and
 * returns at once; the writer applies queued statements in batches, one
 * transaction per batch (group commit), so the event loop never waits on the
 * disk. Reads (db_query) run on the caller's thread over their own
 * connection; with WAL they never wait for the writer.
 *
 * SQL is written once, portably: '?' placeholders (turned into $1, $2 … for
 * PostgreSQL), TEXT ids made by the application (util_random_id), times as
 * INTEGER Unix milliseconds, no engine-specific functions.
 *
 * Parameters are described by a type string, one letter per '?' (a '?'
 * inside quotes or a comment is not a placeholder):
 *   't' const char * (NULL binds SQL NULL)   'i' int64_t
 *   'd' double                                 'n' SQL NULL (no argument)
 * An 'i' argument must really be an int64_t: cast literals, (int64_t)5.
 * db_write copies the SQL and every text, so the caller's strings may be
 * freed as soon as it returns.
 *
 * Facts that always hold:
 *  (1) Queued writes are applied in the order db_write() was called.
 *  (2) db_flush() returns after every write queued before it is committed.
 *  (3) db_close() flushes, then stops the writer: nothing queued is lost.
 *  (4) A failing statement is logged with its SQL and error and rolled back
 *      alone (savepoint); the rest of its batch still commits.
 *  (5) A transaction (db_tx_run) commits every one of its statements or
 *      none; nothing else is written between its first and its last.
 */
#ifndef HL_DB_H
#define HL_DB_H

#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_row;

/* Called once per result row; return non-zero to stop early (that value is
 * returned by db_query). The row is valid only during the call, which must
 * not call db_query on the same db (the read connection is busy). */
typedef int (db_row_h)(const struct db_row *row, void *arg);

/* Opens the database named by url ("sqlite:/path/to/file.db"), applies the
 * migrations not yet applied, in number order, and starts the writer thread.
 * *dbp is the caller's (db_close). EINVAL for an unknown scheme, EIO when
 * the file cannot be opened or a migration fails (logged, naming it; the
 * database is left as it was before that migration). */
int  db_open(struct db **dbp, const char *url);

/* Flushes every queued write, stops the writer, closes; NULL is fine. Other
 * threads' db_write/db_exec calls made while it runs get ESHUTDOWN. */
void db_close(struct db *db);

/* Queues one statement for the writer thread. Thread-safe. Returns EINVAL
 * for a bad type string, ENOMEM, or ESHUTDOWN after db_close started. */
int  db_write(struct db *db, const char *sql, const char *types, ...);

/* Blocks until every write queued so far is committed, or failed and
 * logged (tests, shutdown, and the rare read that must see its own write).
 * Returns 0. */
int  db_flush(struct db *db);

/* Runs a read-only statement and calls rowh for each row. Thread-safe (one
 * read connection per db, serialized). Returns 0, the engine's error as EIO
 * (logged), or rowh's non-zero value. */
int  db_query(struct db *db, db_row_h *rowh, void *arg,
	      const char *sql, const char *types, ...);

/* Runs one statement synchronously on the writer's connection, after every
 * queued write (setup, migrations, provisioning). Returns 0, EIO (logged),
 * EINVAL for a bad type string or ESHUTDOWN. Not for the event loop's hot
 * paths. */
int  db_exec(struct db *db, const char *sql, const char *types, ...);

/* ---- transactions: statements that commit together or not at all
 * (an import's rows, a merge). Built on the caller's thread, run on the
 * writer's connection as one BEGIN IMMEDIATE … COMMIT. */
struct db_tx;

/* An empty transaction; *txp is the caller's until db_tx_run takes it
 * (or db_tx_free). ENOMEM. */
int  db_tx_new(struct db_tx **txp);

/* Appends one statement, parameters as db_write's (copied). EINVAL for a
 * bad type string, ENOMEM. A failed add is also kept: db_tx_run then
 * returns it and runs nothing, so a caller may add many and check once. */
int  db_tx_add(struct db_tx *tx, const char *sql, const char *types, ...);

/* Statements added so far. */
size_t db_tx_count(const struct db_tx *tx);

/* Runs tx's statements in order after every write queued before it, in
 * one transaction on the writer thread: all committed, or, when one fails,
 * all rolled back (logged with its SQL). Blocks until then, so it is a
 * worker's call: code on the loop queues it on the worker pool and takes
 * the result in the job's done handler. Takes tx (freed, whatever
 * happens). 0 (an empty tx too); EIO with *failed (may be NULL) the index
 * of the statement that failed, or db_tx_count when BEGIN or COMMIT did;
 * an add's error; ESHUTDOWN once db_close started. */
int  db_tx_run(struct db *db, struct db_tx *tx, size_t *failed);

/* Frees a transaction that will not run; NULL is fine. */
void db_tx_free(struct db_tx *tx);

/* Number of result columns in row. */
int         db_row_count(const struct db_row *row);
/* Column i as text, or NULL for SQL NULL. Owned by the row. */
const char *db_row_text(const struct db_row *row, int i);
/* Column i as an integer (0 for NULL). */
int64_t     db_row_int(const struct db_row *row, int i);
/* Column i as a double (0.0 for NULL). */
double      db_row_double(const struct db_row *row, int i);
/* True when column i is SQL NULL. */
bool        db_row_isnull(const struct db_row *row, int i);

/* Counters for benchmarks and tests: statements applied (db_exec's too),
 * batches committed, statements that failed. */
struct db_stats {
	uint64_t applied;
	uint64_t batches;
	uint64_t failed;
};
void db_stats(struct db *db, struct db_stats *st);

#endif
