/* db transactions: fact (5) of db.h. Every statement of a db_tx commits, or
 * none does; it runs after the writes queued before it; a bad add keeps
 * it from running at all. Where another writer must hold the database, a
 * second connection takes the write lock (fx_lock), so no outcome depends
 * on how fast a thread runs. */
#include <errno.h>
#include <pthread.h>
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

static struct db_tx *tx_of_rows(int64_t from, int64_t to)
{
	struct db_tx *tx = NULL;

	assert_int_equal(0, db_tx_new(&tx));
	for (int64_t k = from; k <= to; k++)
		assert_int_equal(0, db_tx_add(tx, "INSERT INTO t (k, v) VALUES "
					      "(?, ?)", "it", k, "row"));
	return tx;
}

static void every_statement_commits_together(void **state)
{
	struct fx *fx = *state;
	struct db_stats before, after;
	struct db_tx *tx = tx_of_rows(1, 1000);
	size_t failed = 77;

	assert_int_equal(1000, db_tx_count(tx));
	db_stats(fx->db, &before);
	assert_int_equal(0, db_tx_run(fx->db, tx, &failed));
	db_stats(fx->db, &after);
	assert_int_equal(77, failed);              /* untouched on success */
	assert_int_equal(1000, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
	assert_int_equal(1000, after.applied - before.applied);
	assert_int_equal(1, after.batches - before.batches);
}

static void one_failing_statement_rolls_back_all_of_them(void **state)
{
	struct fx *fx = *state;
	struct db_tx *tx = tx_of_rows(10, 12);
	size_t failed = 0;
	char *log;

	assert_int_equal(0, db_write(fx->db, "INSERT INTO t (k, v) VALUES (5, "
				     "'before')", NULL));
	/* the fourth statement takes a key that is already there */
	assert_int_equal(0, db_tx_add(tx, "INSERT INTO t (k, v) VALUES (5, "
				      "'again')", NULL));
	assert_int_equal(0, db_tx_add(tx, "INSERT INTO t (k, v) VALUES (13, "
				      "'after')", NULL));
	fx_log_begin(fx);
	assert_int_equal(EIO, db_tx_run(fx->db, tx, &failed));
	log = fx_log_end(fx);
	assert_int_equal(3, failed);
	assert_non_null(strstr(log, "db.tx_failed"));
	assert_non_null(strstr(log, "statement=3"));
	free(log);
	assert_int_equal(1, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
	assert_int_equal(5, fx_int(fx->db, "SELECT k FROM t"));
}

static void it_runs_after_the_writes_queued_before_it(void **state)
{
	struct fx *fx = *state;
	struct db_tx *tx = NULL;

	for (int64_t k = 1; k <= 600; k++)
		assert_int_equal(0, db_write(fx->db, "INSERT INTO t (k, v) "
					     "VALUES (?, 'queued')", "i", k));
	assert_int_equal(0, db_tx_new(&tx));
	assert_int_equal(0, db_tx_add(tx, "UPDATE t SET v = 'tx' WHERE k <= "
				      "600", NULL));
	assert_int_equal(0, db_tx_run(fx->db, tx, NULL));
	assert_int_equal(600, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE "
				     "v = 'tx'"));
}

static void a_bad_add_keeps_the_whole_from_running(void **state)
{
	struct fx *fx = *state;
	struct db_tx *tx = tx_of_rows(1, 3);
	size_t failed = 77;

	/* two '?' and one type letter */
	assert_int_equal(EINVAL, db_tx_add(tx, "INSERT INTO t (k, v) VALUES "
					   "(?, ?)", "i", (int64_t)4));
	assert_int_equal(0, db_tx_add(tx, "INSERT INTO t (k, v) VALUES (5, "
				      "'x')", NULL));
	assert_int_equal(4, db_tx_count(tx));
	assert_int_equal(EINVAL, db_tx_run(fx->db, tx, &failed));
	assert_int_equal(77, failed);
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

static void an_empty_transaction_is_no_error(void **state)
{
	struct fx *fx = *state;
	struct db_tx *tx = NULL;

	assert_int_equal(0, db_tx_new(&tx));
	assert_int_equal(0, db_tx_run(fx->db, tx, NULL));
	db_tx_free(NULL);
}

struct runner {
	struct db *db;
	struct db_tx *tx;
	int rc;
};

static void *run_tx(void *arg)
{
	struct runner *r = arg;

	r->rc = db_tx_run(r->db, r->tx, NULL);
	return NULL;
}

/* Whenever the other writer lets go, before or after the transaction
 * asks for the lock, the transaction waits for it and commits whole. */
static void it_waits_out_another_writer_and_commits(void **state)
{
	struct fx *fx = *state;
	struct runner r = {fx->db, tx_of_rows(1, 50), -1};
	pthread_t th;

	fx_lock(fx);
	assert_int_equal(0, pthread_create(&th, NULL, run_tx, &r));
	fx_unlock(fx);
	assert_int_equal(0, pthread_join(th, NULL));
	assert_int_equal(0, r.rc);
	assert_int_equal(50, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

static void an_unrun_transaction_can_be_freed(void **state)
{
	struct fx *fx = *state;

	db_tx_free(tx_of_rows(1, 10));
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, open_db, fx_teardown)
		T(every_statement_commits_together),
		T(one_failing_statement_rolls_back_all_of_them),
		T(it_runs_after_the_writes_queued_before_it),
		T(a_bad_add_keeps_the_whole_from_running),
		T(an_empty_transaction_is_no_error),
		T(it_waits_out_another_writer_and_commits),
		T(an_unrun_transaction_can_be_freed),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
