/* The data scope of the live lists (api/scope_list.c): GET /api/v1/agents
 * and /api/v1/queues keep what the CTI snapshot keeps. One live view —
 * four agents serving queues q1…q3, a fourth queue nobody serves — is
 * kept for users of every (role, scope) over a real SQLite file with a
 * department tree, row by row: which agents and queues each is shown,
 * whether its view needed the database and whether it keeps all. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "api/http.h"
#include "db/db.h"
#include "../tmpdb.h"

/* Departments top > team, and side; 2001 in team, 2002 in side, 2003 in
 * top, 2004 in none. */
static int setup(void **state)
{
	static const char *const sql[] = {
		"INSERT INTO departments VALUES ('top', 'top', NULL, 0), "
		"('team', 'team', 'top', 0), ('side', 'side', NULL, 0)",
		"INSERT INTO users (id, username, role, password_hash, "
		"extension, department_id, created_at) VALUES "
		"('u1', '2001', 'agent', 'x', '2001', 'team', 0), "
		"('u2', '2002', 'agent', 'x', '2002', 'side', 0), "
		"('u3', '2003', 'agent', 'x', '2003', 'top', 0), "
		"('u4', '2004', 'agent', 'x', '2004', NULL, 0)",
	};
	struct tmpdb *t = calloc(1, sizeof(*t));

	if (!t || tmpdb_open(t, "scope-list"))
		return -1;
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (db_exec(t->db, sql[i], ""))
			return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tmpdb *t = *state;
	int err = tmpdb_close(t);

	free(t);
	return err;
}

static const char live_text[] =
	"{\"agents\": ["
	"{\"ext\": \"2001\", \"state\": \"ready\", \"queues\": [{\"queue\": \"q1\"}]},"
	"{\"ext\": \"2002\", \"state\": \"ready\", \"queues\": [{\"queue\": \"q2\"}]},"
	"{\"ext\": \"2003\", \"state\": \"ready\", \"queues\": [{\"queue\": \"q1\"},"
	" {\"queue\": \"q3\"}]},"
	"{\"ext\": \"2004\", \"state\": \"ready\", \"queues\": []}],"
	" \"queues\": [{\"name\": \"q1\"}, {\"name\": \"q2\"}, {\"name\": \"q3\"},"
	" {\"name\": \"q4\"}]}";

/* The part's items' key fields, comma-separated, in order. */
static void names(const json_t *kept, const char *part, const char *key,
		  char *out, size_t n)
{
	size_t i, l = 0;
	json_t *v;

	out[0] = '\0';
	json_array_foreach(json_object_get(kept, part), i, v)
		l += (size_t)snprintf(out + l, n - l, "%s%s", l ? "," : "",
			json_string_value(json_object_get(v, key)));
}

static void each_scope_keeps_what_its_snapshot_would(void **state)
{
	struct tmpdb *t = *state;
	static const struct {
		const char *role, *scope, *ext, *dept;
		const char *agents, *queues;
	} rows[] = {
		/* role        scope          ext     dept    agents / queues */
		{"admin",      "all",         "",     "",     "2001,2002,2003,2004",
		 "q1,q2,q3,q4"},
		{"executive",  "all",         "",     "",     "2001,2002,2003,2004",
		 "q1,q2,q3,q4"},
		{"supervisor", "all",         "",     "",     "2001,2002,2003,2004",
		 "q1,q2,q3,q4"},
		/* the tree below: team's agent, q1 it serves */
		{"supervisor", "departments", "",     "team", "2001", "q1"},
		{"supervisor", "departments", "",     "top",  "2001,2003",
		 "q1,q3"},
		/* its own extension besides its department's */
		{"supervisor", "departments", "2004", "side", "2002,2004", "q2"},
		{"supervisor", "departments", "",     "",     "", ""},
		/* itself, and every queue (the agent desk's view) */
		{"agent",      "own",         "2002", "side", "2002",
		 "q1,q2,q3,q4"},
		{"agent",      "own",         "",     "",     "", "q1,q2,q3,q4"},
		{"backoffice", "own",         "",     "",     "", ""},
	};
	json_t *live = json_loads(live_text, 0, NULL);

	assert_non_null(live);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct api_scope_list *l = NULL;
		struct api_user u = {0};
		json_t *kept = NULL;
		char a[128], q[64];

		util_strlcpy(u.role, rows[i].role, sizeof(u.role));
		assert_int_equal(api_role_parse(u.role, &u.role_bit), 0);
		assert_int_equal(api_scope_parse(rows[i].scope, &u.scope), 0);
		util_strlcpy(u.ext, rows[i].ext, sizeof(u.ext));
		util_strlcpy(u.dept, rows[i].dept, sizeof(u.dept));
		/* Only a lead of a department reads: any other view loads
		 * without a database (on the loop). */
		assert_int_equal(api_scope_list_reads(&u),
				 !strcmp(rows[i].scope, "departments") &&
				 *rows[i].dept);
		assert_int_equal(api_scope_list_load(&l, api_scope_list_reads(
				 &u) ? t->db : NULL, &u), 0);
		/* Scope all keeps everything: the lists skip keeping. */
		assert_int_equal(api_scope_list_all(l),
				 !strcmp(rows[i].scope, "all"));
		assert_int_equal(api_scope_list_keep(l, live, &kept), 0);
		names(kept, "agents", "ext", a, sizeof(a));
		names(kept, "queues", "name", q, sizeof(q));
		if (strcmp(a, rows[i].agents) || strcmp(q, rows[i].queues))
			fail_msg("row %zu (%s %s %s): agents '%s' queues '%s', "
				 "want '%s' and '%s'", i, rows[i].role,
				 rows[i].scope, rows[i].dept, a, q,
				 rows[i].agents, rows[i].queues);
		json_decref(kept);
		api_scope_list_free(l);
	}
	json_decref(live);
}

/* The queues a lead sees are those its agents serve: a list of queues
 * given without the agents shows a lead none (queue/http.c gives both),
 * and scope all every one all the same. */
static void queues_without_agents_show_a_lead_none(void **state)
{
	struct tmpdb *t = *state;
	json_t *live = json_loads("{\"queues\": [{\"name\": \"q1\"}]}", 0, NULL);
	struct api_user lead = {.role = "supervisor", .dept = "team",
				.scope = API_SCOPE_DEPTS};
	struct api_user admin = {.role = "admin", .scope = API_SCOPE_ALL};
	struct api_scope_list *l;
	json_t *kept;

	assert_int_equal(api_role_parse(lead.role, &lead.role_bit), 0);
	assert_int_equal(api_role_parse(admin.role, &admin.role_bit), 0);
	assert_int_equal(api_scope_list_load(&l, t->db, &lead), 0);
	assert_int_equal(api_scope_list_keep(l, live, &kept), 0);
	assert_int_equal(json_array_size(json_object_get(kept, "queues")), 0);
	assert_null(json_object_get(kept, "agents"));
	json_decref(kept);
	api_scope_list_free(l);
	assert_int_equal(api_scope_list_load(&l, t->db, &admin), 0);
	assert_int_equal(api_scope_list_keep(l, live, &kept), 0);
	assert_int_equal(json_array_size(json_object_get(kept, "queues")), 1);
	json_decref(kept);
	api_scope_list_free(l);
	api_scope_list_free(NULL);
	json_decref(live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			each_scope_keeps_what_its_snapshot_would, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			queues_without_agents_show_a_lead_none, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
