/* db migrations: facts (1)-(3) of migrate.c, over migration lists made here
 * (db_open_files) and over the embedded ones (db_open). */
#include <errno.h>
#include "db/db_int.h"
#include "fixture.h"

#define M(name, sql) {"src/db/migrations/" name, sql, sizeof(sql) - 1}
#define END {NULL, NULL, 0}

/* Listed out of order on purpose, with a file that is not a migration. */
static const struct embed_file v1[] = {
	M("010_ten.sql", "INSERT INTO steps (name) VALUES ('ten');"),
	{"web/index.html", "<html>", 6},
	M("001_one.sql", "CREATE TABLE steps (id INTEGER PRIMARY KEY, name TEXT);\n"
			 "INSERT INTO steps (name) VALUES ('one');"),
	M("002_two.sql", "INSERT INTO steps (name) VALUES ('two');"),
	END,
};

static const struct embed_file v2[] = {
	M("001_one.sql", "CREATE TABLE steps (id INTEGER PRIMARY KEY, name TEXT);\n"
			 "INSERT INTO steps (name) VALUES ('one');"),
	M("002_two.sql", "INSERT INTO steps (name) VALUES ('two');"),
	M("010_ten.sql", "INSERT INTO steps (name) VALUES ('ten');"),
	M("011_eleven.sql", "INSERT INTO steps (name) VALUES ('eleven');"),
	END,
};

/* 011 creates a table and writes, then fails half-way. */
static const struct embed_file v2_broken[] = {
	M("001_one.sql", "CREATE TABLE steps (id INTEGER PRIMARY KEY, name TEXT);\n"
			 "INSERT INTO steps (name) VALUES ('one');"),
	M("002_two.sql", "INSERT INTO steps (name) VALUES ('two');"),
	M("010_ten.sql", "INSERT INTO steps (name) VALUES ('ten');"),
	M("011_eleven.sql", "CREATE TABLE extra (x);\n"
			    "INSERT INTO steps (name) VALUES ('eleven');\n"
			    "INSERT INTO nosuch VALUES (1);"),
	END,
};

static const struct embed_file misnamed[] = {
	M("001_one.sql", "CREATE TABLE steps (id INTEGER PRIMARY KEY, name TEXT);"),
	M("two.sql", "SELECT 1;"),
	END,
};

static const struct embed_file duplicate[] = {
	M("001_one.sql", "CREATE TABLE steps (id INTEGER PRIMARY KEY, name TEXT);"),
	M("001_also_one.sql", "SELECT 1;"),
	END,
};

struct list {
	char text[256];
};

static int list_row(const struct db_row *row, void *arg)
{
	struct list *l = arg;
	size_t len = strlen(l->text);
	snprintf(l->text + len, sizeof(l->text) - len, "%s%s",
		 len ? "," : "", db_row_text(row, 0));
	return 0;
}

static const char *list(struct db *db, struct list *l, const char *sql)
{
	l->text[0] = '\0';
	assert_int_equal(0, db_query(db, list_row, l, sql, NULL));
	return l->text;
}

static const char steps_sql[] = "SELECT name FROM steps ORDER BY id";
static const char applied_sql[] =
	"SELECT version || ':' || name FROM schema_migrations ORDER BY version";

static void migrations_run_in_number_order_whatever_the_list_order(void **state)
{
	struct fx *fx = *state;
	struct list l;

	assert_int_equal(0, db_open_files(&fx->db, fx->url, v1));
	assert_string_equal("one,two,ten", list(fx->db, &l, steps_sql));
	assert_string_equal("1:001_one,2:002_two,10:010_ten",
			    list(fx->db, &l, applied_sql));
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM schema_migrations"
				   " WHERE applied_at <= 0"));
}

static void a_later_start_applies_only_the_new_migrations(void **state)
{
	struct fx *fx = *state;
	struct list l;

	assert_int_equal(0, db_open_files(&fx->db, fx->url, v1));
	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(0, db_open_files(&fx->db, fx->url, v2));
	assert_string_equal("one,two,ten,eleven", list(fx->db, &l, steps_sql));
	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(0, db_open_files(&fx->db, fx->url, v2));
	assert_string_equal("one,two,ten,eleven", list(fx->db, &l, steps_sql));
}

static void a_failing_migration_stops_open_and_leaves_no_trace(void **state)
{
	struct fx *fx = *state;
	struct db *db = NULL;
	struct list l;
	char *log;

	assert_int_equal(0, db_open_files(&fx->db, fx->url, v1));
	db_close(fx->db);
	fx->db = NULL;

	fx_log_begin(fx);
	assert_int_equal(EIO, db_open_files(&db, fx->url, v2_broken));
	log = fx_log_end(fx);
	assert_null(db);
	assert_non_null(strstr(log, "migration=src/db/migrations/011_eleven.sql"));
	assert_non_null(strstr(log, "no such table: nosuch"));
	free(log);

	/* The database is as it was before 011: no table, row or record. */
	assert_int_equal(0, db_open_files(&fx->db, fx->url, v1));
	assert_string_equal("one,two,ten", list(fx->db, &l, steps_sql));
	assert_string_equal("1:001_one,2:002_two,10:010_ten",
			    list(fx->db, &l, applied_sql));
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM sqlite_master"
				   " WHERE name = 'extra'"));
	db_close(fx->db);
	fx->db = NULL;

	/* Once fixed, it applies. */
	assert_int_equal(0, db_open_files(&fx->db, fx->url, v2));
	assert_string_equal("one,two,ten,eleven", list(fx->db, &l, steps_sql));
}

static void a_misnamed_or_duplicate_migration_is_einval(void **state)
{
	struct fx *fx = *state;
	struct db *db = NULL;
	char *log;

	fx_log_begin(fx);
	assert_int_equal(EINVAL, db_open_files(&db, fx->url, misnamed));
	assert_int_equal(EINVAL, db_open_files(&db, fx->url, duplicate));
	log = fx_log_end(fx);
	assert_null(db);
	assert_non_null(strstr(log, "file=src/db/migrations/two.sql"));
	assert_non_null(strstr(log, "001_also_one.sql"));
	free(log);
}

/* The shipped schema, against a database where 002's second table already
 * exists: 001 is applied, 002 fails and its first table is rolled back. */
static void a_shipped_migration_that_fails_names_itself(void **state)
{
	struct fx *fx = *state;
	struct db *db = NULL;
	struct list l;
	char *log;

	fx_raw(fx, "CREATE TABLE events (unrelated TEXT)");
	fx_log_begin(fx);
	assert_int_equal(EIO, db_open(&db, fx->url));
	log = fx_log_end(fx);
	assert_non_null(strstr(log, "migration=src/call/migrations/002_calls.sql"));
	assert_non_null(strstr(log, "table events already exists"));
	free(log);

	fx_raw(fx, "DROP TABLE events");
	assert_int_equal(0, db_open_files(&fx->db, fx->url, (const struct embed_file[]){END}));
	assert_string_equal("1:001_core", list(fx->db, &l, applied_sql));
	assert_int_equal(0, fx_int(fx->db, "SELECT COUNT(*) FROM sqlite_master"
				   " WHERE name = 'calls'"));
	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(0, db_open(&fx->db, fx->url));
	/* Later shipped migrations (003_sip, …) apply too; 002 is the point. */
	assert_int_equal(0, strncmp("1:001_core,2:002_calls",
				    list(fx->db, &l, applied_sql), 22));
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(migrations_run_in_number_order_whatever_the_list_order),
		T(a_later_start_applies_only_the_new_migrations),
		T(a_failing_migration_stops_open_and_leaves_no_trace),
		T(a_misnamed_or_duplicate_migration_is_einval),
		T(a_shipped_migration_that_fails_names_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
