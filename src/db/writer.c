/* db/writer: the one thread that writes.
 *
 * Producers append statements to a FIFO under `lock`; the thread takes up to
 * BATCH_MAX of them at a time and applies them in one transaction, in order
 * (fact (1) of db.h); a failing statement is undone alone (fact (4), see
 * apply_batch). Every queued item gets a number when queued (`queued`);
 * `done` is the number of the last one whose transaction has ended. Because the FIFO is processed in order,
 * done >= n means everything queued up to n is committed (or failed and was
 * logged): that is all db_flush() waits for (fact (2)).
 *
 * A db_exec() item is a barrier: it is never part of a batch. The batch
 * before it commits first, then it runs alone, in autocommit, and its caller
 * gets the result. A db_tx_run() item is a barrier too, standing for its
 * statements: they run in a transaction of their own, with no savepoints,
 * and the first failure rolls all of them back (fact (5)).
 *
 * States: running → stopping (no new work; queue drains) → joined. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "base/log.h"
#include "db/db_int.h"

enum {
	BATCH_MAX = 512, ERR_LEN = 512,
	/* Written-to, then this long without work (or this long since the
	 * last time, under steady work): the connection's cache is given
	 * back (engine release), so a day's load does not stay resident
	 * (issue 18). Pages read again come from the OS's page cache. */
	RELEASE_MS = 5000,
};

/* A db_exec() or db_tx_run() caller waiting on its own stack. */
struct db_sync {
	bool done;
	int rc;
	size_t failed;      /* a transaction's failing statement */
};

struct db_writer {
	const struct db_engine *eng;
	struct db_conn *conn;       /* used by the thread only */
	pthread_t thread;

	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t work;        /* queue gained an item, or stop */
	pthread_cond_t progress;    /* `done` advanced */
	struct db_stmt *head, *tail;
	uint64_t queued, done;
	bool dirty;                 /* work done since the last release */
	struct timespec released;   /* when (CLOCK_MONOTONIC) */
	bool closing;               /* db_write/db_exec refused */
	bool stop;                  /* thread exits once the queue is empty */
	struct db_stats stats;
};

static int sql(struct db_writer *w, const char *text, char *err)
{
	return db_conn_sql(w->eng, w->conn, text, err, ERR_LEN);
}

/* Opens the batch's transaction. Another process holding the write lock is
 * waited out, however long: dropping the batch would lose writes. */
static bool begin(struct db_writer *w)
{
	char err[ERR_LEN];
	int rc;

	while ((rc = sql(w, w->eng->begin_sql, err)) == EBUSY)
		log_warn("db.busy", "error=\"%s\" action=retry", err);
	if (rc)
		log_error("db.begin_failed", "error=\"%s\" action=autocommit", err);
	return rc == 0;
}

enum outcome { APPLIED, FAILED, RESTART };

/* Runs st in the open transaction (or alone when tx is false) and logs it
 * if it fails. Careful mode wraps it in a savepoint so that a failure costs
 * only st; otherwise a failure means the batch must start over. */
static enum outcome apply_one(struct db_writer *w, struct db_stmt *st, bool tx,
			      bool careful)
{
	char err[ERR_LEN], err2[ERR_LEN];
	int rc = tx && careful ? sql(w, "SAVEPOINT w", err) : 0;

	if (!rc)
		rc = w->eng->run(w->conn, st, NULL, NULL, err, sizeof(err));
	if (!rc) {
		if (tx && careful)
			sql(w, "RELEASE SAVEPOINT w", err2);
		return APPLIED;
	}
	log_error("db.write_failed", "error=\"%s\" sql=\"%s\"", err, st->sql);
	if (!tx)
		return FAILED;
	if (!careful)
		return RESTART;
	if (sql(w, "ROLLBACK TO SAVEPOINT w", err2)) {
		/* Some failures end the whole transaction (SQLite's OR ROLLBACK,
		 * disk full): the savepoint is gone with it. */
		log_warn("db.batch_replay", "error=\"%s\"", err2);
		return RESTART;
	}
	sql(w, "RELEASE SAVEPOINT w", err2);
	return FAILED;
}

/* Applies items in one transaction. The first pass runs them bare, which is
 * fast; when one fails it is marked, the transaction is rolled back and the
 * batch runs again without it, a savepoint around each statement (a failed
 * statement may have left changes, e.g. SQLite's OR FAIL, and PostgreSQL
 * refuses all further work in a failed transaction). A failure that ends
 * even a careful transaction restarts it too; each restart marks one more
 * statement, so this ends, and the others still commit (fact 4). When BEGIN
 * fails for good, each statement runs alone. */
static void apply_batch(struct db_writer *w, struct db_stmt *items, size_t n)
{
	char err[ERR_LEN];
	uint64_t ok, failed = 0;
	bool tx, careful = false;

restart:
	ok = 0;
	tx = begin(w);
	for (struct db_stmt *st = items; st; st = st->next) {
		if (st->failed)
			continue;
		switch (apply_one(w, st, tx, careful)) {
		case APPLIED:
			ok++;
			break;
		case FAILED:
			st->failed = true;
			failed++;
			break;
		case RESTART:
			st->failed = true;
			failed++;
			careful = true;
			sql(w, "ROLLBACK", err);
			goto restart;
		}
	}
	if (tx && sql(w, "COMMIT", err)) {
		log_error("db.commit_failed", "error=\"%s\" statements=%llu",
			  err, (unsigned long long)n);
		sql(w, "ROLLBACK", err);
		failed += ok;
		ok = 0;
		tx = false;
	}
	pthread_mutex_lock(&w->lock);
	w->stats.applied += ok;
	w->stats.failed += failed;
	w->stats.batches += tx;
	pthread_mutex_unlock(&w->lock);
}

static void run_exec(struct db_writer *w, struct db_stmt *st)
{
	char err[ERR_LEN];
	int rc = w->eng->run(w->conn, st, NULL, NULL, err, sizeof(err));

	if (rc)
		log_error("db.exec_failed", "error=\"%s\" sql=\"%s\"", err, st->sql);
	pthread_mutex_lock(&w->lock);
	w->stats.applied += rc == 0;
	w->stats.failed += rc != 0;
	st->sync->rc = rc ? EIO : 0;
	st->sync->done = true;
	pthread_mutex_unlock(&w->lock);
}

/* A transaction: marker->tx, all or nothing. */
static void run_tx(struct db_writer *w, struct db_stmt *marker)
{
	char err[ERR_LEN], err2[ERR_LEN];
	size_t i = 0, n = 0;
	int rc = begin(w) ? 0 : EIO;

	for (struct db_stmt *st = marker->tx; st; st = st->next)
		n++;
	for (struct db_stmt *st = marker->tx; !rc && st; st = st->next, i++) {
		rc = w->eng->run(w->conn, st, NULL, NULL, err, sizeof(err));
		if (rc) {
			log_error("db.tx_failed", "error=\"%s\" statement=%zu "
				  "of=%zu sql=\"%s\"", err, i, n, st->sql);
			break;
		}
	}
	if (!rc && sql(w, "COMMIT", err)) {
		log_error("db.commit_failed", "error=\"%s\" statements=%zu",
			  err, n);
		rc = EIO;
	}
	if (rc)
		sql(w, "ROLLBACK", err2);
	pthread_mutex_lock(&w->lock);
	w->stats.applied += rc ? 0 : n;
	w->stats.failed += rc != 0;
	w->stats.batches += rc == 0;
	marker->sync->rc = rc ? EIO : 0;
	marker->sync->failed = rc ? (i < n ? i : n) : 0;
	marker->sync->done = true;
	pthread_mutex_unlock(&w->lock);
}

/* Detaches the next unit of work: a lone db_exec item, or up to BATCH_MAX
 * writes that stop before the next db_exec item. Called under lock. */
static struct db_stmt *take(struct db_writer *w, size_t *np)
{
	struct db_stmt *first = w->head, *last = first;
	size_t n = 1;

	if (!first->sync) {
		while (n < BATCH_MAX && last->next && !last->next->sync) {
			last = last->next;
			n++;
		}
	}
	w->head = last->next;
	if (!w->head)
		w->tail = NULL;
	last->next = NULL;
	*np = n;
	return first;
}

static struct timespec after_ms(struct timespec t, long ms)
{
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Releases the cache; under lock, which it lets go meanwhile. */
static void release(struct db_writer *w)
{
	w->dirty = false;
	clock_gettime(CLOCK_MONOTONIC, &w->released);
	pthread_mutex_unlock(&w->lock);
	w->eng->release(w->conn);
	pthread_mutex_lock(&w->lock);
}

/* Waits for work; once written-to, at most RELEASE_MS past the last
 * release before the cache goes back. Under lock. */
static void wait_work(struct db_writer *w)
{
	while (!w->head && !w->stop) {
		struct timespec until = after_ms(w->released, RELEASE_MS);

		if (!w->dirty)
			pthread_cond_wait(&w->work, &w->lock);
		else if (pthread_cond_timedwait(&w->work, &w->lock, &until) ==
			 ETIMEDOUT)
			release(w);
	}
}

static void *writer_main(void *arg)
{
	struct db_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	clock_gettime(CLOCK_MONOTONIC, &w->released);
	for (;;) {
		struct db_stmt *items;
		size_t n;

		wait_work(w);
		if (!w->head)
			break;
		items = take(w, &n);
		pthread_mutex_unlock(&w->lock);

		if (items->tx)
			run_tx(w, items);
		else if (items->sync)
			run_exec(w, items);
		else
			apply_batch(w, items, n);
		while (items) {
			struct db_stmt *next = items->next;
			free(items);
			items = next;
		}

		pthread_mutex_lock(&w->lock);
		w->done += n;
		w->dirty = true;
		pthread_cond_broadcast(&w->progress);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int db_writer_start(struct db_writer **wp, const struct db_engine *eng,
		    struct db_conn *conn)
{
	struct db_writer *w = calloc(1, sizeof(*w));
	pthread_condattr_t ca;
	int rc;

	if (!w)
		return ENOMEM;
	w->eng = eng;
	w->conn = conn;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->work, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&w->progress, NULL);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	if (rc) {
		pthread_cond_destroy(&w->progress);
		pthread_cond_destroy(&w->work);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return rc;
	}
	*wp = w;
	return 0;
}

/* Appends st; the caller holds lock. Returns st's number. */
static uint64_t enqueue(struct db_writer *w, struct db_stmt *st)
{
	st->next = NULL;
	if (w->tail)
		w->tail->next = st;
	else
		w->head = st;
	w->tail = st;
	pthread_cond_signal(&w->work);
	return ++w->queued;
}

int db_writer_push(struct db_writer *w, struct db_stmt *st)
{
	pthread_mutex_lock(&w->lock);
	if (w->closing) {
		pthread_mutex_unlock(&w->lock);
		free(st);
		return ESHUTDOWN;
	}
	enqueue(w, st);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

int db_writer_exec(struct db_writer *w, struct db_stmt *st)
{
	struct db_sync sync = {false, 0, 0};

	pthread_mutex_lock(&w->lock);
	if (w->closing) {
		pthread_mutex_unlock(&w->lock);
		free(st);
		return ESHUTDOWN;
	}
	st->sync = &sync;
	enqueue(w, st);
	while (!sync.done)
		pthread_cond_wait(&w->progress, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return sync.rc;
}

int db_writer_tx(struct db_writer *w, struct db_stmt *list, size_t n,
		 size_t *failed)
{
	struct db_sync sync = {false, 0, 0};
	struct db_stmt *marker = calloc(1, sizeof(*marker));

	if (!marker)
		return ENOMEM;
	marker->sql = "(transaction)";
	marker->tx = list;
	marker->sync = &sync;
	pthread_mutex_lock(&w->lock);
	if (w->closing) {
		pthread_mutex_unlock(&w->lock);
		free(marker);
		return ESHUTDOWN;
	}
	enqueue(w, marker);
	while (!sync.done)
		pthread_cond_wait(&w->progress, &w->lock);
	pthread_mutex_unlock(&w->lock);
	if (sync.rc)
		*failed = sync.failed < n ? sync.failed : n;
	return sync.rc;
}

void db_writer_flush(struct db_writer *w)
{
	pthread_mutex_lock(&w->lock);
	const uint64_t target = w->queued;
	while (w->done < target)
		pthread_cond_wait(&w->progress, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void db_writer_stats(struct db_writer *w, struct db_stats *st)
{
	pthread_mutex_lock(&w->lock);
	*st = w->stats;
	pthread_mutex_unlock(&w->lock);
}

void db_writer_stop(struct db_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->closing = true;
	pthread_mutex_unlock(&w->lock);
	db_writer_flush(w);

	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);

	w->eng->close(w->conn);
	pthread_cond_destroy(&w->progress);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
