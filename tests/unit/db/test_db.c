/* db: opening, the embedded schema, reads, type strings and values. */
#include <errno.h>
#include <math.h>
#include "base/embed.h"
#include "fixture.h"

static int open_db(void **state)
{
	struct fx *fx;
	if (fx_setup(state))
		return -1;
	fx = *state;
	return db_open(&fx->db, fx->url) ? -1 : 0;
}

static size_t embedded_migrations(void)
{
	size_t n = 0;
	for (const struct embed_file *f = embed_files; f->name; f++)
		n += strstr(f->name, "/migrations/") != NULL;
	return n;
}

struct names {
	char text[512];
};

static int name_row(const struct db_row *row, void *arg)
{
	struct names *n = arg;
	size_t len = strlen(n->text);
	snprintf(n->text + len, sizeof(n->text) - len, "%s%lld:%s",
		 len ? "," : "", (long long)db_row_int(row, 0),
		 db_row_text(row, 1));
	return 0;
}

static void open_applies_every_embedded_migration_and_records_it(void **state)
{
	struct fx *fx = *state;
	struct names n = {""};

	assert_true(embedded_migrations() >= 2);
	assert_int_equal(embedded_migrations(),
			 fx_int(fx->db, "SELECT COUNT(*) FROM schema_migrations"));
	assert_int_equal(0, db_query(fx->db, name_row, &n,
		"SELECT version, name FROM schema_migrations ORDER BY version", NULL));
	assert_non_null(strstr(n.text, "1:001_core,2:002_calls"));
	/* The tables the migrations create are there and empty. */
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM users"));
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM calls"));
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM events"));
}

static void reopening_does_not_apply_migrations_again(void **state)
{
	struct fx *fx = *state;
	int64_t stamp = fx_int(fx->db, "SELECT SUM(applied_at) FROM schema_migrations");

	assert_int_equal(0, db_write(fx->db, "INSERT INTO users (id, username, role,"
		" password_hash, created_at) VALUES ('u1', 'admin', 'admin', 'x', 1)",
		NULL));
	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(0, db_open(&fx->db, fx->url));
	assert_int_equal(embedded_migrations(),
			 fx_int(fx->db, "SELECT COUNT(*) FROM schema_migrations"));
	assert_int_equal(stamp, fx_int(fx->db,
			 "SELECT SUM(applied_at) FROM schema_migrations"));
	/* Data written before survives: no table was re-created. */
	assert_int_equal(1, fx_int(fx->db, "SELECT COUNT(*) FROM users"));
}

static int text_row(const struct db_row *row, void *arg)
{
	snprintf(arg, 32, "%s", db_row_text(row, 0));
	return 0;
}

static void the_file_is_in_wal_mode_with_foreign_keys_enforced(void **state)
{
	struct fx *fx = *state;
	char mode[32] = "";
	struct db_stats st;

	assert_int_equal(0, db_query(fx->db, text_row, mode, "PRAGMA journal_mode", NULL));
	assert_string_equal("wal", mode);
	/* A token for a user who does not exist is refused by the writer. */
	assert_int_equal(0, db_write(fx->db, "INSERT INTO auth_tokens (token_hash,"
		" user_id, created_at, expires_at) VALUES ('h', 'nobody', 1, 2)", NULL));
	assert_int_equal(0, db_flush(fx->db));
	db_stats(fx->db, &st);
	assert_int_equal(1, st.failed);
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM auth_tokens"));
}

static void flush_makes_a_write_visible_to_queries(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)", NULL));
	for (int64_t i = 1; i <= 3; i++)
		assert_int_equal(0, db_write(fx->db, "INSERT INTO t (k, v) VALUES (?, ?)",
					     "it", i, "x"));
	assert_int_equal(0, db_flush(fx->db));
	assert_int_equal(3, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
	/* Nothing queued: flush returns at once. */
	assert_int_equal(0, db_flush(fx->db));
}

struct vals {
	int rows, cols;
	bool null[8];
	int64_t i[8];
	double d[8];
	char text[8][64];
};

static int vals_row(const struct db_row *row, void *arg)
{
	struct vals *v = arg;
	v->rows++;
	v->cols = db_row_count(row);
	for (int c = 0; c < v->cols && c < 8; c++) {
		const char *t = db_row_text(row, c);
		v->null[c] = db_row_isnull(row, c);
		v->i[c] = db_row_int(row, c);
		v->d[c] = db_row_double(row, c);
		snprintf(v->text[c], sizeof(v->text[c]), "%s", t ? t : "(null)");
	}
	return 0;
}

static void values_round_trip_null_int_double_and_utf8_text(void **state)
{
	struct fx *fx = *state;
	struct vals v = {0};
	const char *zh = "您好，欢迎致电客服中心 📞";

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE v (a, b, c, d, e, f, g)", NULL));
	assert_int_equal(0, db_write(fx->db, "INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?)",
		"tnidtdi", (const char *)NULL, INT64_MAX, -2.5, zh, 1e300, INT64_MIN));
	assert_int_equal(0, db_flush(fx->db));
	assert_int_equal(0, db_query(fx->db, vals_row, &v, "SELECT * FROM v", NULL));
	assert_int_equal(1, v.rows);
	assert_int_equal(7, v.cols);
	assert_true(v.null[0]);
	assert_true(v.null[1]);
	assert_string_equal("(null)", v.text[0]);
	assert_int_equal(0, v.i[0]);
	assert_true(v.d[1] == 0.0);
	assert_false(v.null[2]);
	assert_true(v.i[2] == INT64_MAX);
	assert_true(v.d[3] == -2.5);
	assert_string_equal(zh, v.text[4]);
	assert_true(v.d[5] == 1e300);
	assert_true(v.i[6] == INT64_MIN);

	/* The same text binds as a query parameter and matches byte for byte. */
	assert_int_equal(1, fx_int(fx->db, "SELECT COUNT(*) FROM v WHERE e = '您好，欢迎致电客服中心 📞'"));
	memset(&v, 0, sizeof(v));
	assert_int_equal(0, db_query(fx->db, vals_row, &v,
		"SELECT length(e), c FROM v WHERE e = ? AND c = ?", "ti", zh, INT64_MAX));
	assert_int_equal(1, v.rows);
	assert_int_equal(13, v.i[0]);          /* characters, not bytes */
}

static void a_bad_type_string_is_einval_and_queues_nothing(void **state)
{
	struct fx *fx = *state;
	struct db_stats before, after;

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE t (v)", NULL));
	db_stats(fx->db, &before);
	assert_int_equal(EINVAL, db_write(fx->db, "INSERT INTO t VALUES (?)", "x", 1));
	assert_int_equal(EINVAL, db_write(fx->db, "INSERT INTO t VALUES (?)", "tt", "a", "b"));
	assert_int_equal(EINVAL, db_write(fx->db, "INSERT INTO t VALUES (?)", ""));
	assert_int_equal(EINVAL, db_write(fx->db, "INSERT INTO t VALUES (?)", NULL));
	assert_int_equal(EINVAL, db_write(fx->db, NULL, NULL));
	assert_int_equal(EINVAL, db_exec(fx->db, "INSERT INTO t VALUES (?)", "q", 1));
	assert_int_equal(EINVAL, db_query(fx->db, fx_int_row, NULL,
					  "SELECT ? + ?", "i", (int64_t)1));
	assert_int_equal(0, db_flush(fx->db));
	db_stats(fx->db, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

static void question_marks_in_literals_and_comments_are_not_parameters(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE t (v)", NULL));
	assert_int_equal(0, db_write(fx->db,
		"INSERT INTO t /* why? */ VALUES ('what?') -- really?", NULL));
	assert_int_equal(0, db_write(fx->db, "INSERT INTO t VALUES ('it''s ?' || ?)",
				     "t", "!"));
	assert_int_equal(0, db_flush(fx->db));
	assert_int_equal(2, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
	assert_int_equal(1, fx_int(fx->db, "SELECT COUNT(*) FROM t WHERE v = 'it''s ?!'"));
}

struct stop {
	int calls;
};

static int stop_at_third(const struct db_row *row, void *arg)
{
	struct stop *s = arg;
	(void)row;
	return ++s->calls == 3 ? 42 : 0;
}

static void a_query_stops_when_the_callback_returns_non_zero(void **state)
{
	struct fx *fx = *state;
	struct stop s = {0};

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE t (k)", NULL));
	for (int64_t i = 0; i < 10; i++)
		assert_int_equal(0, db_write(fx->db, "INSERT INTO t VALUES (?)", "i", i));
	assert_int_equal(0, db_flush(fx->db));
	assert_int_equal(42, db_query(fx->db, stop_at_third, &s, "SELECT k FROM t", NULL));
	assert_int_equal(3, s.calls);
	/* The cached statement was reset: the same query runs again in full. */
	s.calls = 0;
	assert_int_equal(42, db_query(fx->db, stop_at_third, &s, "SELECT k FROM t", NULL));
	assert_int_equal(10, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

static void a_query_error_is_eio_and_queries_cannot_write(void **state)
{
	struct fx *fx = *state;
	int64_t v;
	char *log;

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE t (k)", NULL));
	fx_log_begin(fx);
	assert_int_equal(EIO, db_query(fx->db, fx_int_row, &v, "SELECT * FROM nosuch", NULL));
	assert_int_equal(EIO, db_query(fx->db, NULL, NULL, "INSERT INTO t VALUES (1)", NULL));
	log = fx_log_end(fx);
	assert_non_null(strstr(log, "db.query_failed"));
	assert_non_null(strstr(log, "no such table: nosuch"));
	free(log);
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
}

static void exec_runs_after_every_write_queued_before_it(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(0, db_exec(fx->db, "CREATE TABLE t (k INTEGER PRIMARY KEY)", NULL));
	for (int64_t i = 1; i <= 100; i++)
		assert_int_equal(0, db_write(fx->db, "INSERT INTO t VALUES (?)", "i", i));
	/* No flush: db_exec itself waits for the 100 inserts. */
	assert_int_equal(0, db_exec(fx->db, "DELETE FROM t WHERE k <= ?", "i", (int64_t)50));
	assert_int_equal(50, fx_int(fx->db, "SELECT COUNT(*) FROM t"));
	assert_int_equal(51, fx_int(fx->db, "SELECT MIN(k) FROM t"));
	/* Its own failure comes back to the caller. */
	assert_int_equal(EIO, db_exec(fx->db, "INSERT INTO t VALUES (?)", "i", (int64_t)51));
}

static void bad_urls_are_refused(void **state)
{
	struct fx *fx = *state;
	struct db *db = NULL;
	char url[200];

	fx_log_begin(fx);
	assert_int_equal(EINVAL, db_open(&db, "mysql://localhost/x"));
	assert_int_equal(EINVAL, db_open(&db, "sqlite:"));
	snprintf(url, sizeof(url), "sqlite:%s/no/such/dir/x.db", fx->dir);
	assert_int_equal(EIO, db_open(&db, url));
	free(fx_log_end(fx));
	assert_null(db);
	db_close(NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, open_db, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_applies_every_embedded_migration_and_records_it),
		T(reopening_does_not_apply_migrations_again),
		T(the_file_is_in_wal_mode_with_foreign_keys_enforced),
		T(flush_makes_a_write_visible_to_queries),
		T(values_round_trip_null_int_double_and_utf8_text),
		T(a_bad_type_string_is_einval_and_queues_nothing),
		T(question_marks_in_literals_and_comments_are_not_parameters),
		T(a_query_stops_when_the_callback_returns_non_zero),
		T(a_query_error_is_eio_and_queries_cannot_write),
		T(exec_runs_after_every_write_queued_before_it),
		T(bad_urls_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
