/* crm/import on a real database: the rows that pass are stored in one
 * transaction, so an import either stores every one of them or none, even
 * when storing fails after every row was checked. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "api/http.h"
#include "crm/crm_int.h"
#include "../tmpdb.h"

static const struct api_user admin = {
	.id = "u-admin", .username = "admin", .role = "admin",
	.role_bit = API_R_ADMIN,
};

static int setup(void **state)
{
	static struct tmpdb t;

	*state = &t;
	return tmpdb_open(&t, "crm-import");
}

static int teardown(void **state)
{
	return tmpdb_close(*state);
}

static int int_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(0, db_query(db, int_row, &n, sql, ""));
	return n;
}

static void import(struct db *db, const char *csv, enum crm_import_mode mode,
		   int want_status, int64_t want_imported)
{
	struct crm_import_res res;

	assert_int_equal(0, crm_import(db, NULL, &admin, csv, strlen(csv), mode,
				       &res));
	assert_int_equal(want_status, res.status);
	assert_int_equal(want_imported, json_integer_value(json_object_get(
				res.report, "imported")));
	json_decref(res.report);
	json_decref(res.stored);
}

static void valid_rows_are_stored_with_their_numbers_tags_and_notes(void **state)
{
	struct db *db = ((struct tmpdb *)*state)->db;

	import(db, "姓名,电话,标签,备注\n"
	       "张三,138 0000 0001;010-6512-3456,老客户;展会,要发票\n"
	       "李四,13800000002,,\n", CRM_IMPORT_ALL, 200, 2);
	assert_int_equal(2, count(db, "SELECT COUNT(*) FROM customers WHERE "
				  "source = 'import' AND deleted_at IS NULL"));
	assert_int_equal(3, count(db, "SELECT COUNT(*) FROM customer_phones "
				  "WHERE live = 1"));
	assert_int_equal(2, count(db, "SELECT COUNT(*) FROM customer_tags"));
	assert_int_equal(1, count(db, "SELECT COUNT(*) FROM customer_notes "
				  "WHERE by_user = 'admin' AND body = '要发票'"));
}

static void all_stores_nothing_when_a_row_is_bad(void **state)
{
	struct db *db = ((struct tmpdb *)*state)->db;

	import(db, "name,phone\n王五,13800000003\n,13800000004\n",
	       CRM_IMPORT_ALL, 422, 0);
	assert_int_equal(0, count(db, "SELECT COUNT(*) FROM customers"));
	import(db, "name,phone\n王五,13800000003\n,13800000004\n",
	       CRM_IMPORT_VALID, 200, 1);
	assert_int_equal(1, count(db, "SELECT COUNT(*) FROM customers"));
}

/* A number taken after the rows were checked (here: between the check
 * and the store, by calling the store with it) fails the unique index of
 * live numbers half-way through: the rows before it are not kept. */
static void a_store_that_fails_half_way_keeps_nothing(void **state)
{
	struct db *db = ((struct tmpdb *)*state)->db;
	json_t *rows = json_pack("[{s:s, s:[{s:s, s:s}]}, {s:s, s:[{s:s, s:s}]}, "
				 "{s:s, s:[{s:s, s:s}]}]",
				 "name", "甲", "phones", "number", "13800000011",
				 "label", "", "name", "乙", "phones", "number",
				 "13800000012", "label", "", "name", "丙",
				 "phones", "number", "13800000013", "label", "");

	assert_non_null(rows);
	assert_int_equal(0, db_exec(db, "INSERT INTO customers (id, name, "
				    "created_at, updated_at) VALUES ('c-old', "
				    "'旧', 1, 1)", ""));
	assert_int_equal(0, db_exec(db, "INSERT INTO customer_phones "
				    "(customer_id, number) VALUES ('c-old', "
				    "'13800000013')", ""));
	assert_int_equal(EIO, crm_import_store(db, rows, "admin"));
	json_decref(rows);
	assert_int_equal(1, count(db, "SELECT COUNT(*) FROM customers"));
	assert_int_equal(1, count(db, "SELECT COUNT(*) FROM customer_phones"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			valid_rows_are_stored_with_their_numbers_tags_and_notes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			all_stores_nothing_when_a_row_is_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_store_that_fails_half_way_keeps_nothing, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
