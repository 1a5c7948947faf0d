/* The data scope and masking (api/scope.c): number masking by its rule,
 * the role defaults, and API_SCOPE_SQL run on a real SQLite file with a
 * department tree — who sees which call, row by row. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "api/http.h"
#include "db/db.h"
#include "../tmpdb.h"

static void test_mask(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"13812348000",  "138****8000"},
		{"4008001000",   "400***1000"},
		{"01012345678",  "010****5678"},
		{"12345678",     "123*5678"},
		{"1234567",      "*****67"},   /* 7 and under: last 2 */
		{"1001",         "**01"},
		{"12",           "12"},
		{"7",            "7"},
		{"",             ""},
	};
	char out[API_MASK_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		api_mask_number(rows[i].in, out, sizeof(out));
		assert_string_equal(out, rows[i].out);
	}
	api_mask_number("13812348000", out, 5);   /* truncated, terminated */
	assert_string_equal(out, "138*");
}

static void test_mask_fields(void **state)
{
	static const char *const f[] = {"from", "to", NULL};
	struct api_user u = {.mask_numbers = false};
	json_t *o = json_pack("{s:s, s:s, s:n, s:s}", "from", "13812348000",
			      "to", "4008001000", "agent", "id", "c1");

	(void)state;
	api_mask_fields(&u, o, f);
	assert_string_equal(json_string_value(json_object_get(o, "from")),
			    "13812348000");
	u.mask_numbers = true;
	api_mask_fields(&u, o, f);
	assert_string_equal(json_string_value(json_object_get(o, "from")),
			    "138****8000");
	assert_string_equal(json_string_value(json_object_get(o, "to")),
			    "400***1000");
	assert_string_equal(json_string_value(json_object_get(o, "id")), "c1");
	assert_true(json_is_null(json_object_get(o, "agent")));
	json_decref(o);
}

static void test_defaults(void **state)
{
	static const struct {
		const char *role;
		const char *scope;
	} rows[] = {
		{"admin", "all"}, {"executive", "all"}, {"qa", "all"},
		{"supervisor", "departments"}, {"backoffice", "own"},
		{"agent", "own"},
	};
	enum api_scope s;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned bit;

		assert_int_equal(api_role_parse(rows[i].role, &bit), 0);
		assert_string_equal(api_scope_name(api_scope_default(bit)),
				    rows[i].scope);
	}
	assert_int_equal(api_scope_default(0), API_SCOPE_OWN);
	assert_int_equal(api_scope_parse("departments", &s), 0);
	assert_int_equal(s, API_SCOPE_DEPTS);
	assert_int_equal(api_scope_parse("everything", &s), EINVAL);
	assert_int_equal(api_scope_parse(NULL, &s), EINVAL);
	assert_null(api_scope_name(API_SCOPE_UNSET));
}

/* The fixture: departments top > team > sub, and side; users with
 * extensions in each; calls handled by each extension. */
struct fx {
	struct tmpdb t;
	struct db *db;           /* t's */
};

static int setup(void **state)
{
	static const char *const sql[] = {
		"INSERT INTO departments VALUES ('top', 'top', NULL, 0), "
		"('team', 'team', 'top', 0), ('sub', 'sub', 'team', 0), "
		"('side', 'side', NULL, 0)",
		"INSERT INTO users (id, username, role, password_hash, "
		"extension, department_id, created_at) VALUES "
		"('u1', '2001', 'agent', 'x', '2001', 'team', 0), "
		"('u2', '2002', 'agent', 'x', '2002', 'sub', 0), "
		"('u3', '2003', 'agent', 'x', '2003', 'side', 0), "
		"('u4', '2004', 'agent', 'x', '2004', NULL, 0), "
		"('u5', 'boss', 'supervisor', 'x', NULL, 'top', 0)",
		"INSERT INTO calls (id, direction, caller, callee, started_at, "
		"agent, transfer_by) VALUES "
		"('c1', 'inbound', '1', '2', 1, '2001', NULL), "
		"('c2', 'inbound', '1', '2', 2, '2002', NULL), "
		"('c3', 'inbound', '1', '2', 3, '2003', NULL), "
		"('c4', 'inbound', '1', '2', 4, '2004', '2001'), "
		"('c5', 'inbound', '1', '2', 5, NULL, NULL), "
		"('c6', 'inbound', '1', '2', 6, '2003', '2002')",
	};
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || tmpdb_open(&f->t, "scope"))
		return -1;
	f->db = f->t.db;
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (db_exec(f->db, sql[i], ""))
			return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int err = tmpdb_close(&f->t);

	free(f);
	return err;
}

static int id_row(const struct db_row *row, void *arg)
{
	char *out = arg;
	size_t l = strlen(out);

	snprintf(out + l, 64 - l, "%s%s", l ? "," : "", db_row_text(row, 0));
	return 0;
}

static void test_sql(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *role, *ext, *dept, *scope;
		const char *sees;
	} rows[] = {
		/* role        ext     dept    scope          calls seen */
		{"admin",      "",     "",     NULL,          "c1,c2,c3,c4,c5,c6"},
		{"qa",         "",     "",     NULL,          "c1,c2,c3,c4,c5,c6"},
		{"agent",      "2001", "team", NULL,          "c1,c4"},
		{"agent",      "2002", "sub",  NULL,          "c2,c6"},
		{"agent",      "",     "",     NULL,          ""},
		{"supervisor", "",     "top",  NULL,          "c1,c2"},
		{"supervisor", "",     "team", "departments", "c1,c2"},
		{"supervisor", "",     "sub",  "departments", "c2"},
		{"supervisor", "",     "side", "departments", "c3,c6"},
		{"supervisor", "",     "",     "departments", ""},
		{"supervisor", "2004", "sub",  "departments", "c2,c4"},
		{"supervisor", "",     "",     "all",         "c1,c2,c3,c4,c5,c6"},
		{"agent",      "2001", "team", "departments", "c1,c2,c4"},
		{"admin",      "2003", "",     "own",         "c3,c6"},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct api_user u = {0};
		const char *a[API_SCOPE_NARGS];
		char got[64] = "";

		assert_int_equal(api_role_parse(rows[i].role, &u.role_bit), 0);
		util_strlcpy(u.ext, rows[i].ext, sizeof(u.ext));
		util_strlcpy(u.dept, rows[i].dept, sizeof(u.dept));
		if (rows[i].scope)
			assert_int_equal(api_scope_parse(rows[i].scope,
							 &u.scope), 0);
		api_scope_args(&u, a);
		assert_int_equal(db_query(f->db, id_row, got,
			"SELECT id FROM calls WHERE "
			API_SCOPE_SQL("agent", "transfer_by") " ORDER BY id",
			API_SCOPE_TYPES, a[0], a[1], a[2], a[3], a[4]), 0);
		if (strcmp(got, rows[i].sees))
			fail_msg("row %zu (%s %s %s): got '%s', want '%s'", i,
				 rows[i].role, rows[i].dept,
				 rows[i].scope ? rows[i].scope : "-", got,
				 rows[i].sees);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mask_fields),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_sql, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
