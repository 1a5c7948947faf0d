/* The demo tenant (app/demo.c, docs/contract.md): its users are created with
 * argon2id strings fixed in the source, so each must verify the password
 * the contract publishes, and a start must leave an existing user alone. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include "api/api.h"
#include "app/app_int.h"
#include "../tmpdb.h"

static int setup(void **state)
{
	static struct tmpdb t;

	if (sodium_init() < 0 || tmpdb_open(&t, "demo") ||
	    app_demo_provision(t.db, "hotline"))
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	return tmpdb_close(*state);
}

struct user {
	char hash[256], role[32];
	int n;
};

static int on_user(const struct db_row *row, void *arg)
{
	struct user *u = arg;

	snprintf(u->hash, sizeof(u->hash), "%s", db_row_text(row, 0));
	snprintf(u->role, sizeof(u->role), "%s", db_row_text(row, 1));
	u->n++;
	return 0;
}

static struct user user(struct tmpdb *t, const char *name)
{
	struct user u = {0};

	assert_int_equal(db_query(t->db, on_user, &u, "SELECT password_hash, "
				  "role FROM users WHERE username = ?", "t",
				  name), 0);
	assert_int_equal(u.n, 1);
	return u;
}

static void verifies(const struct user *u, const char *password)
{
	assert_int_equal(crypto_pwhash_str_verify(u->hash, password,
						  strlen(password)), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(u->hash, "wrong", 5), 0);
}

static void every_agent_logs_in_with_secret_and_the_extension(void **state)
{
	char name[12], pw[24];

	for (int e = 1001; e <= 1010; e++) {
		snprintf(name, sizeof(name), "%d", e);
		snprintf(pw, sizeof(pw), "secret%d", e);
		struct user u = user(*state, name);
		assert_string_equal(u.role, "agent");
		verifies(&u, pw);
	}
}

static void admin_and_sup_have_the_contracts_passwords(void **state)
{
	struct user a = user(*state, "admin"), s = user(*state, "sup");

	assert_string_equal(a.role, "admin");
	verifies(&a, "admin123");
	assert_string_equal(s.role, "supervisor");
	verifies(&s, "sup123");
}

/* A password changed since the first start survives the next one. */
static void a_later_start_keeps_a_changed_password(void **state)
{
	struct tmpdb *t = *state;

	assert_int_equal(api_user_put(t->db, "sup", "changed-pw", "supervisor",
				      NULL), 0);
	assert_int_equal(app_demo_provision(t->db, "hotline"), 0);
	struct user s = user(t, "sup");
	verifies(&s, "changed-pw");
}

static void only_argon2id_strings_are_taken_as_hashes(void **state)
{
	struct tmpdb *t = *state;

	assert_int_equal(api_user_put_hashed(t->db, "x", "plain", "agent",
					     NULL), EINVAL);
	assert_int_equal(api_user_put_hashed(t->db, "x", NULL, "agent", NULL),
			 EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_agent_logs_in_with_secret_and_the_extension),
		cmocka_unit_test(admin_and_sup_have_the_contracts_passwords),
		cmocka_unit_test(a_later_start_keeps_a_changed_password),
		cmocka_unit_test(only_argon2id_strings_are_taken_as_hashes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
