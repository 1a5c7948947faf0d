/* db writer thread: facts (1)-(4) of db.h. Where a test needs writes to pile
 * up in the queue, it holds the database's write lock from a second
 * connection (fx_lock) so the writer waits in BEGIN: the outcome never
 * depends on how fast either thread runs. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include "fixture.h"

static int open_db(void **state)
{
	struct fx *fx;
	if (fx_setup(state))
		return -1;
	fx = *state;
	if (db_open(&fx->db, fx->url))
		return -1;
	return db_exec(fx->db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)",
		       NULL) ? -1 : 0;
}

static int insert(struct db *db, int64_t k, const char *v)
{
	return db_write(db, "INSERT INTO t (k, v) VALUES (?, ?)", "it", k, v);
}

static void reopen(struct fx *fx)
{
	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(0, db_open(&fx->db, fx->url));
}

static int text_row(const struct db_row *row, void *arg)
{
	snprintf(arg, 64, "%s", db_row_text(row, 0));
	return 0;
}

static void writes_are_applied_in_the_order_they_were_queued(void **state)
{
	struct fx *fx = *state;
	char v[64] = "";

	assert_int_equal(0, insert(fx->db, 1, "start"));
	for (int i = 0; i < 300; i++) {
		char s[16];
		snprintf(s, sizeof(s), "v%d", i);
		assert_int_equal(0, db_write(fx->db, "UPDATE t SET v = ? WHERE k = 1", "t", s));
	}
	assert_int_equal(0, db_write(fx->db, "DELETE FROM t WHERE v = 'v298'", NULL));
	assert_int_equal(0, db_flush(fx->db));
	assert_int_equal(0, db_query(fx->db, text_row, v, "SELECT v FROM t WHERE k = 1", NULL));
	assert_string_equal("v299", v);
}

static void a_burst_is_committed_in_batches_of_at_most_512(void **state)
{
	struct fx *fx = *state;
	struct db_stats before, after;

	db_stats(fx->db, &before);
	fx_lock(fx);
	for (int64_t k = 1; k <= 1000; k++)
		assert_int_equal(0, insert(fx->db, k, "x"));
	fx_unlock(fx);
	assert_int_equal(0, db_flush(fx->db));
	db_stats(fx->db, &after);

	assert_int_equal(1000, after.applied - before.applied);
	assert_int_equal(0, after.failed - before.failed);
	/* The writer took at most one item before it blocked; the other 999+
	 * waited in the queue and went in at most 512 per transaction. */
	assert_in_range(after.batches - before.batches, 2, 3);
	assert_int_equal(1000, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

static void a_failing_statement_is_logged_and_rolled_back_alone(void **state)
{
	struct fx *fx = *state;
	struct db_stats before, after;
	char *log;

	db_stats(fx->db, &before);
	fx_log_begin(fx);
	fx_lock(fx);
	for (int64_t k = 1; k <= 10; k++) {
		if (k == 4)       /* duplicate key */
			assert_int_equal(0, insert(fx->db, 3, "dup"));
		else if (k == 7)  /* fails when prepared */
			assert_int_equal(0, db_write(fx->db, "INSERT INTO nosuch VALUES (?)", "i", k));
		else if (k == 9)  /* changes rows, then collides: all undone,
				   though OR FAIL tells SQLite to keep them */
			assert_int_equal(0, db_write(fx->db, "UPDATE OR FAIL t SET v = 'changed',"
				" k = CASE WHEN k = ? THEN 1 ELSE k END", "i", (int64_t)8));
		else
			assert_int_equal(0, insert(fx->db, k, "ok"));
	}
	fx_unlock(fx);
	assert_int_equal(0, db_flush(fx->db));
	log = fx_log_end(fx);
	db_stats(fx->db, &after);

	assert_int_equal(3, after.failed - before.failed);
	assert_int_equal(7, after.applied - before.applied);
	assert_int_equal(7, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
	assert_int_equal(7, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE v = 'ok'"));
	assert_non_null(strstr(log, "db.write_failed error=\"UNIQUE constraint failed: t.k\" "
				    "sql=\"INSERT INTO t (k, v) VALUES (?, ?)\""));
	assert_non_null(strstr(log, "no such table: nosuch"));
	assert_non_null(strstr(log, "sql=\"INSERT INTO nosuch VALUES (?)\""));
	free(log);
}

/* OR ROLLBACK makes SQLite end the whole transaction on a conflict: the
 * statements before it in the batch are applied again without it. */
static void a_failure_that_ends_the_transaction_costs_only_itself(void **state)
{
	struct fx *fx = *state;
	struct db_stats before, after;

	assert_int_equal(0, insert(fx->db, 1, "committed"));
	assert_int_equal(0, db_flush(fx->db));
	db_stats(fx->db, &before);
	fx_log_begin(fx);
	fx_lock(fx);
	for (int64_t k = 2; k <= 20; k++) {
		if (k == 5 || k == 15)
			assert_int_equal(0, db_write(fx->db,
				"INSERT OR ROLLBACK INTO t (k, v) VALUES (1, 'dup')", NULL));
		else
			assert_int_equal(0, insert(fx->db, k, "ok"));
	}
	fx_unlock(fx);
	assert_int_equal(0, db_flush(fx->db));
	free(fx_log_end(fx));
	db_stats(fx->db, &after);

	assert_int_equal(2, after.failed - before.failed);
	assert_int_equal(17, after.applied - before.applied);
	assert_int_equal(17, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE v = 'ok'"));
	assert_int_equal(1, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE v = 'committed'"));
}

static void close_applies_every_pending_write(void **state)
{
	struct fx *fx = *state;

	for (int64_t k = 1; k <= 2000; k++)
		assert_int_equal(0, insert(fx->db, k, "pending"));
	reopen(fx);
	assert_int_equal(2000, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
	assert_int_equal(2000 * 2001 / 2, fx_int(fx->db, "SELECT SUM(k) FROM t"));
}

static void *close_thread(void *arg)
{
	db_close(arg);
	return NULL;
}

/* db_close() on another thread cannot finish while a write is queued and the
 * writer is held back by the lock; meanwhile this thread keeps writing until
 * it is refused. The database stays valid until db_close returns, so every
 * call here is safe. (Without the held write, close could find the queue
 * empty and free the db under this thread's feet.) */
static void a_write_after_close_started_is_eshutdown(void **state)
{
	struct fx *fx = *state;
	pthread_t t;
	int64_t accepted = 0;
	int rc = 0;

	assert_int_equal(0, insert(fx->db, 0, "before"));
	fx_lock(fx);
	assert_int_equal(0, insert(fx->db, -1, "held"));
	assert_int_equal(0, pthread_create(&t, NULL, close_thread, fx->db));
	for (int64_t k = 1; k <= 1000000; k++) {
		rc = insert(fx->db, k, "racing");
		if (rc)
			break;
		accepted++;
		sched_yield();
	}
	assert_int_equal(ESHUTDOWN, rc);
	assert_int_equal(ESHUTDOWN, db_exec(fx->db, "DELETE FROM t", NULL));
	fx_unlock(fx);
	assert_int_equal(0, pthread_join(t, NULL));
	fx->db = NULL;

	/* Everything accepted before the refusal was written (fact 3). */
	assert_int_equal(0, db_open(&fx->db, fx->url));
	assert_int_equal(accepted + 2, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

enum { THREADS = 4, PER_THREAD = 1500 };

struct producer {
	struct db *db;
	int64_t id;
	int errors;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	for (int64_t i = 0; i < PER_THREAD; i++) {
		if (db_write(p->db, "INSERT INTO w (thread, i) VALUES (?, ?)", "ii", p->id, i))
			p->errors++;
	}
	return NULL;
}

struct order {
	int64_t last[THREADS];
	int out_of_order;
};

static int order_row(const struct db_row *row, void *arg)
{
	struct order *o = arg;
	int64_t t = db_row_int(row, 0), i = db_row_int(row, 1);
	if (i != o->last[t] + 1)
		o->out_of_order++;
	o->last[t] = i;
	return 0;
}

static void concurrent_writers_lose_nothing_and_keep_their_own_order(void **state)
{
	struct fx *fx = *state;
	struct producer p[THREADS];
	pthread_t t[THREADS];
	struct order o;

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE w (seq INTEGER PRIMARY KEY,"
				    " thread INTEGER, i INTEGER)", NULL));
	for (int i = 0; i < THREADS; i++) {
		p[i] = (struct producer){fx->db, i, 0};
		assert_int_equal(0, pthread_create(&t[i], NULL, produce, &p[i]));
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(0, pthread_join(t[i], NULL));
		assert_int_equal(0, p[i].errors);
	}
	assert_int_equal(0, db_flush(fx->db));
	assert_int_equal(THREADS * PER_THREAD, fx_int(fx->db, "SELECT COUNT(*) FROM w"));

	for (int i = 0; i < THREADS; i++)
		o.last[i] = -1;
	o.out_of_order = 0;
	assert_int_equal(0, db_query(fx->db, order_row, &o,
				     "SELECT thread, i FROM w ORDER BY seq", NULL));
	assert_int_equal(0, o.out_of_order);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(PER_THREAD - 1, o.last[i]);
}

static int integrity_row(const struct db_row *row, void *arg)
{
	snprintf(arg, 64, "%s", db_row_text(row, 0));
	return 0;
}

/* SQLite's way: for each position k in a batch of ten, make the k-th write
 * fail; then check the file and that everything committed before is intact. */
static void failures_at_every_position_leave_committed_rows_intact(void **state)
{
	struct fx *fx = *state;
	char ok[64] = "";

	for (int64_t k = 1; k <= 200; k++)
		assert_int_equal(0, insert(fx->db, k, "committed"));
	assert_int_equal(0, db_flush(fx->db));

	fx_log_begin(fx);
	for (int64_t fail = 0; fail < 10; fail++) {
		fx_lock(fx);
		for (int64_t j = 0; j < 10; j++) {
			int64_t k = 1000 + fail * 10 + j;
			/* The failing one collides with a committed row. */
			assert_int_equal(0, insert(fx->db, j == fail ? 1 + fail : k, "new"));
		}
		fx_unlock(fx);
	}
	/* Writes still queued when the database closes are not lost either. */
	for (int64_t k = 5000; k < 5010; k++)
		assert_int_equal(0, insert(fx->db, k, "late"));
	assert_int_equal(0, insert(fx->db, 1, "late duplicate"));
	reopen(fx);
	free(fx_log_end(fx));

	assert_int_equal(0, db_query(fx->db, integrity_row, ok, "PRAGMA integrity_check", NULL));
	assert_string_equal("ok", ok);
	assert_int_equal(200, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE v = 'committed'"));
	assert_int_equal(200 * 201 / 2, fx_int(fx->db, "SELECT SUM(k) FROM t WHERE k <= 200"));
	assert_int_equal(90, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE v = 'new'"));
	for (int64_t fail = 0; fail < 10; fail++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM t WHERE k = %lld",
			 (long long)(1000 + fail * 10 + fail));
		assert_int_equal(0, fx_int(fx->db, sql));
	}
	assert_int_equal(10, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE v = 'late'"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, open_db, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(writes_are_applied_in_the_order_they_were_queued),
		T(a_burst_is_committed_in_batches_of_at_most_512),
		T(a_failing_statement_is_logged_and_rolled_back_alone),
		T(a_failure_that_ends_the_transaction_costs_only_itself),
		T(close_applies_every_pending_write),
		T(a_write_after_close_started_is_eshutdown),
		T(concurrent_writers_lose_nothing_and_keep_their_own_order),
		T(failures_at_every_position_leave_committed_rows_intact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
