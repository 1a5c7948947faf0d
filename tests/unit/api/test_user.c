/* Web users in a real SQLite file (api/user.c), the store behind both
 * `hotline user` and the users API: what is refused and why, nothing
 * written by a refusal, the last administrator kept, sessions ended by a
 * new password. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include "api/api.h"
#include "api/http.h"
#include "db/db.h"
#include "../tmpdb.h"

struct fx {
	struct tmpdb t;
	struct db *db;           /* t's */
	char why[256];
	char id[UTIL_ID_LEN];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || tmpdb_open(&f->t, "user"))
		return -1;
	f->db = f->t.db;
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

static int add(struct fx *f, const char *name, const char *role,
	       const char *pw, const char *dept)
{
	struct api_user_in in = {.password = pw, .role = role,
				 .department = dept};

	f->why[0] = '\0';
	return api_user_add(f->db, name, &in, f->why, sizeof(f->why));
}

static size_t count(struct fx *f)
{
	json_t *items = NULL;
	size_t n;

	assert_int_equal(0, api_user_list(f->db, &items));
	n = json_array_size(items);
	json_decref(items);
	return n;
}

static int n_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static int hash_row(const struct db_row *row, void *arg)
{
	snprintf(arg, API_PWHASH_LEN, "%s", db_row_text(row, 0));
	return 0;
}

static void the_role_words_name_every_role(void **state)
{
	static const char *const roles[] = {"admin", "executive", "supervisor",
					    "qa", "backoffice", "agent"};
	unsigned bit, all = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		assert_int_equal(0, api_role_parse(roles[i], &bit));
		assert_non_null(strstr(api_role_words(), roles[i]));
		all |= bit;
	}
	assert_int_equal(API_ANYONE, all);
}

static void a_user_is_made_with_a_verifiable_hash(void **state)
{
	struct fx *f = *state;
	char hash[API_PWHASH_LEN] = "";
	json_t *u = NULL;

	assert_int_equal(0, add(f, "carol", "admin", "carol-pass-1", NULL));
	assert_int_equal(0, db_query(f->db, hash_row, hash, "SELECT "
				     "password_hash FROM users", ""));
	assert_int_equal(0, crypto_pwhash_str_verify(hash, "carol-pass-1", 12));
	assert_int_not_equal(0, crypto_pwhash_str_verify(hash, "carol-pass-2",
							 12));
	assert_int_equal(0, api_user_get(f->db, "carol", &u));
	assert_string_equal("admin", json_string_value(json_object_get(u, "role")));
	assert_true(json_is_null(json_object_get(u, "department")));
	json_decref(u);
	assert_int_equal(ENOENT, api_user_get(f->db, "nobody", &u));
}

static void refusals_name_the_field_and_write_nothing(void **state)
{
	struct fx *f = *state;

	assert_int_equal(EINVAL, add(f, "dave", "boss", "dave-pass-1", NULL));
	assert_non_null(strstr(f->why, "role: want admin"));
	assert_int_equal(EINVAL, add(f, "dave", "agent", "short", NULL));
	assert_non_null(strstr(f->why, "password"));
	assert_int_equal(EINVAL, add(f, "dave", "agent", "dave-pass-1", "nope"));
	assert_non_null(strstr(f->why, "department"));
	assert_int_equal(EINVAL, add(f, "da ve", "agent", "dave-pass-1", NULL));
	assert_non_null(strstr(f->why, "username"));
	assert_int_equal(0, count(f));
	assert_int_equal(0, add(f, "dave", "agent", "dave-pass-1", NULL));
	assert_int_equal(EEXIST, add(f, "dave", "admin", "other-pass-1", NULL));
	assert_non_null(strstr(f->why, "exists"));
	assert_int_equal(1, count(f));
}

static void a_known_department_is_accepted(void **state)
{
	struct fx *f = *state;

	assert_int_equal(0, db_exec(f->db, "INSERT INTO departments (id, name, "
				    "created_at) VALUES ('d1', 'Sales', 0)", ""));
	assert_int_equal(0, add(f, "erin", "agent", "erin-pass-1", "d1"));
}

static void the_last_admin_is_neither_deleted_nor_demoted(void **state)
{
	struct fx *f = *state;
	struct api_user_in demote = {.role = "agent"};
	int64_t n = -1;

	assert_int_equal(0, add(f, "carol", "admin", "carol-pass-1", NULL));
	assert_int_equal(0, db_exec(f->db, "INSERT INTO auth_tokens (token_hash, "
		"user_id, created_at, expires_at) SELECT 'h', id, 0, 9 FROM users",
		""));
	assert_int_equal(EBUSY, api_user_delete(f->db, "carol", f->id, f->why,
						sizeof(f->why)));
	assert_non_null(strstr(f->why, "last administrator"));
	assert_int_equal(EBUSY, api_user_update(f->db, "carol", &demote, f->id,
						f->why, sizeof(f->why)));
	assert_int_equal(1, count(f));
	/* and stays signed in */
	assert_int_equal(0, db_query(f->db, n_row, &n,
				     "SELECT COUNT(*) FROM auth_tokens", ""));
	assert_int_equal(1, n);
	/* With a second one, either may go. */
	assert_int_equal(0, add(f, "frank", "admin", "frank-pass-1", NULL));
	assert_int_equal(0, api_user_update(f->db, "carol", &demote, f->id,
					    f->why, sizeof(f->why)));
	assert_int_equal(EBUSY, api_user_delete(f->db, "frank", f->id, f->why,
						sizeof(f->why)));
	assert_int_equal(0, api_user_delete(f->db, "carol", f->id, f->why,
					    sizeof(f->why)));
	assert_int_equal(ENOENT, api_user_delete(f->db, "carol", f->id, f->why,
						 sizeof(f->why)));
}

static void a_new_password_ends_the_users_sessions(void **state)
{
	struct fx *f = *state;
	struct api_user_in in = {.password = "dave-pass-2"};
	int64_t n = -1;

	assert_int_equal(0, add(f, "dave", "agent", "dave-pass-1", NULL));
	assert_int_equal(0, db_exec(f->db, "INSERT INTO auth_tokens (token_hash, "
		"user_id, created_at, expires_at) SELECT 'h', id, 0, 9 FROM users "
		"WHERE username = 'dave'", ""));
	assert_int_equal(0, api_user_update(f->db, "dave", &in, f->id, f->why,
					    sizeof(f->why)));
	assert_int_equal(0, db_query(f->db, n_row, &n,
				     "SELECT COUNT(*) FROM auth_tokens", ""));
	assert_int_equal(0, n);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_role_words_name_every_role),
		T(a_user_is_made_with_a_verifiable_hash),
		T(refusals_name_the_field_and_write_nothing),
		T(a_known_department_is_accepted),
		T(the_last_admin_is_neither_deleted_nor_demoted),
		T(a_new_password_ends_the_users_sessions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
