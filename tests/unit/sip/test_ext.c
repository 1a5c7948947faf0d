/* Extensions made, changed, removed and listed while the endpoint runs
 * (sip/ext.c), and the realm each HA1 keeps: an endpoint restarted with
 * another realm challenges an old extension with the realm its HA1 was
 * made for, until its password is set again. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "sip/sipx_int.h"
#include <re_main.h>
#include "db/db.h"

struct fx {
	char dir[64];
	char url[128];
	struct db *db;
	struct sipx *sx;
};

static int start(struct fx *f, const char *realm)
{
	struct sipx_conf c;
	char err[256];

	sipx_conf_default(&c);
	c.listen = "127.0.0.1:0";
	c.realm = realm;
	return sipx_alloc(&f->sx, &c, err, sizeof(err)) ||
	       sipx_start(f->sx, f->db, NULL);
}

/* The endpoint stopped and started again on the same database. */
static int restart(struct fx *f, const char *realm)
{
	f->sx = mem_deref(f->sx);
	db_flush(f->db);
	return start(f, realm);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || libre_init())
		return -1;
	strcpy(f->dir, "/tmp/hotline-ext.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->dir);
	if (db_open(&f->db, f->url) || start(f, "hotline"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	mem_deref(f->sx);
	db_close(f->db);
	libre_close();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static int64_t rows(struct fx *f, const char *sql)
{
	int64_t n = -1;

	db_flush(f->db);
	assert_int_equal(0, db_query(f->db, count_row, &n, sql, ""));
	return n;
}

static void ha1_is(struct fx *f, const char *ext, const char *realm,
		   const char *pw)
{
	char want[SIPX_HA1_SZ];

	assert_int_equal(0, sipx_ha1(ext, realm, pw, want));
	assert_string_equal(want, sipx_store_ext(f->sx, ext)->ha1);
}

static void names_are_two_to_sixteen_digits(void **state)
{
	(void)state;
	assert_true(sipx_ext_name_ok("10"));
	assert_true(sipx_ext_name_ok("1001"));
	assert_true(sipx_ext_name_ok("1234567890123456"));
	assert_false(sipx_ext_name_ok("1"));
	assert_false(sipx_ext_name_ok("12345678901234567"));
	assert_false(sipx_ext_name_ok("10a1"));
	assert_false(sipx_ext_name_ok("+1001"));
	assert_false(sipx_ext_name_ok(""));
	assert_false(sipx_ext_name_ok(NULL));
}

static void an_old_extension_keeps_its_realm_after_the_realm_changes(void **state)
{
	struct fx *f = *state;
	struct sipx_ext_info info;

	assert_int_equal(0, sipx_ext_set(f->sx, "1001", "Li", "pw-1001-old", true));
	assert_int_equal(0, restart(f, "acme"));
	assert_int_equal(0, sipx_ext_get(f->sx, "1001", &info));
	assert_string_equal("hotline", info.realm);
	ha1_is(f, "1001", "hotline", "pw-1001-old");
	assert_string_equal("Li", info.display_name);
}

static void a_new_password_moves_the_extension_to_the_configured_realm(void **state)
{
	struct fx *f = *state;
	struct sipx_ext_info info;

	assert_int_equal(0, sipx_ext_set(f->sx, "1001", "Li", "pw-1001-old", true));
	assert_int_equal(0, restart(f, "acme"));
	assert_int_equal(0, sipx_ext_update(f->sx, "1001", NULL, "pw-1001-new",
					    true));
	assert_int_equal(0, sipx_ext_get(f->sx, "1001", &info));
	assert_string_equal("acme", info.realm);
	ha1_is(f, "1001", "acme", "pw-1001-new");
	/* and the row says so after another start */
	assert_int_equal(0, restart(f, "acme"));
	assert_int_equal(0, sipx_ext_get(f->sx, "1001", &info));
	assert_string_equal("acme", info.realm);
}

static void a_change_without_password_keeps_the_ha1(void **state)
{
	struct fx *f = *state;
	struct sipx_ext_info info;

	assert_int_equal(0, sipx_ext_set(f->sx, "1001", "Li", "pw-1001", true));
	assert_int_equal(0, sipx_ext_update(f->sx, "1001", "Li Na", NULL, false));
	assert_int_equal(0, sipx_ext_get(f->sx, "1001", &info));
	assert_string_equal("Li Na", info.display_name);
	assert_false(info.enabled);
	ha1_is(f, "1001", "hotline", "pw-1001");
	assert_int_equal(ENOENT, sipx_ext_update(f->sx, "1999", NULL, NULL, true));
}

static void rows_older_than_realms_take_the_configured_one(void **state)
{
	struct fx *f = *state;
	struct sipx_ext_info info;
	char ha1[SIPX_HA1_SZ];

	assert_int_equal(0, sipx_ha1("1002", "hotline", "pw-1002", ha1));
	assert_int_equal(0, db_exec(f->db, "INSERT INTO extensions (ext, ha1, "
				    "created_at) VALUES ('1002', ?, 0)", "t", ha1));
	assert_int_equal(0, restart(f, "hotline"));
	assert_int_equal(0, sipx_ext_get(f->sx, "1002", &info));
	assert_string_equal("hotline", info.realm);
	assert_int_equal(0, rows(f, "SELECT COUNT(*) FROM extensions "
				 "WHERE realm = ''"));
}

static void a_deleted_extension_is_gone_from_memory_and_rows(void **state)
{
	struct fx *f = *state;
	struct sipx_ext_info info;

	assert_int_equal(0, sipx_ext_set(f->sx, "1001", "", "pw-1001", true));
	assert_int_equal(0, sipx_ext_delete(f->sx, "1001"));
	assert_int_equal(ENOENT, sipx_ext_get(f->sx, "1001", &info));
	assert_false(sipx_ext_exists(f->sx, "1001"));
	assert_int_equal(0, rows(f, "SELECT COUNT(*) FROM extensions"));
	assert_int_equal(ENOENT, sipx_ext_delete(f->sx, "1001"));
}

static int collect(const struct sipx_ext_info *e, void *arg)
{
	strcat(arg, e->ext);
	strcat(arg, " ");
	return 0;
}

static void the_list_is_in_name_order(void **state)
{
	struct fx *f = *state;
	char seen[64] = "";

	assert_int_equal(0, sipx_ext_set(f->sx, "2001", "", "pw-2001", true));
	assert_int_equal(0, sipx_ext_set(f->sx, "1001", "", "pw-1001", true));
	assert_int_equal(0, sipx_ext_set(f->sx, "1500", "", "pw-1500", false));
	assert_int_equal(0, sipx_ext_list(f->sx, collect, seen));
	assert_string_equal("1001 1500 2001 ", seen);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_are_two_to_sixteen_digits),
		T(an_old_extension_keeps_its_realm_after_the_realm_changes),
		T(a_new_password_moves_the_extension_to_the_configured_realm),
		T(a_change_without_password_keeps_the_ha1),
		T(rows_older_than_realms_take_the_configured_one),
		T(a_deleted_extension_is_gone_from_memory_and_rows),
		T(the_list_is_in_name_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
