/* ticket/store, flow and sla over a real SQLite file: the task module's
 * task.done moves a done order to replied and closed (and nothing else),
 * and the time-limit check publishes each warning and breach once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "db/db.h"
#include "ticket/flow.h"
#include "ticket/sla.h"

struct fx {
	char dir[64];
	struct db *db;
};

enum { T0 = 1000000 };   /* ms: the orders' creation time */

static int setup(void **state)
{
	static const char *const sql[] = {
		"INSERT INTO departments VALUES ('as', '售后部', NULL, 0)",
		"INSERT INTO users (id, username, role, password_hash, "
		"department_id, created_at) VALUES ('u1', 'bo1', 'backoffice', "
		"'x', 'as', 0), ('lead', 'aslead', 'supervisor', 'x', 'as', 0)",
		"INSERT INTO work_orders (id, no, title, category, service, "
		"priority, type, state, created_by, department_id, assignee, "
		"reply_needed, created_at, updated_at) VALUES "
		"('w-done', 'WO1', 't', '投诉', '机票', 'high', 'question', 'done', "
		"'u1', 'as', 'u1', 1, 1000000, 1000000), "
		"('w-open', 'WO2', 't', '投诉', '机票', 'high', 'question', "
		"'in_progress', 'u1', 'as', 'u1', 1, 1000000, 1000000)",
		"DELETE FROM wo_limits",
		"INSERT INTO wo_limits VALUES ('*', '*', 10, 100, 20, 50, 0)",
	};
	struct fx *f = calloc(1, sizeof(*f));
	char url[128];

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/hotline-ticket.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", f->dir);
	if (db_open(&f->db, url))
		return -1;
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (db_exec(f->db, sql[i], ""))
			return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	db_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static int text_row(const struct db_row *row, void *arg)
{
	snprintf(arg, 256, "%s", db_row_text(row, 0) ? db_row_text(row, 0) : "");
	return 0;
}

static void one(struct db *db, char out[256], const char *sql, const char *id)
{
	out[0] = '\0';
	assert_int_equal(0, db_query(db, text_row, out, sql, "t", id));
}

static void task_done_answers_and_closes_a_done_order(void **state)
{
	struct fx *f = *state;
	json_t *evs = json_array();
	char s[256];

	assert_int_equal(0, wo_task_done(f->db, "w-done", "客户已知晓", T0 + 5000,
					 evs));
	one(f->db, s, "SELECT state FROM work_orders WHERE id = ?", "w-done");
	assert_string_equal("closed", s);
	one(f->db, s, "SELECT group_concat(to_state || ':' || reason, ' ') FROM "
	    "(SELECT to_state, reason FROM work_order_history WHERE order_id = ? "
	    "ORDER BY seq)", "w-done");
	assert_string_equal("replied:客户已知晓 closed:客户已知晓", s);
	assert_int_equal(2, json_array_size(evs));
	json_decref(evs);
}

static void task_done_leaves_an_order_still_in_work(void **state)
{
	struct fx *f = *state;
	json_t *evs = json_array();
	char s[256];

	assert_int_equal(0, wo_task_done(f->db, "w-open", "x", T0 + 5000, evs));
	one(f->db, s, "SELECT state FROM work_orders WHERE id = ?", "w-open");
	assert_string_equal("in_progress", s);
	assert_int_equal(0, json_array_size(evs));
	assert_int_equal(ENOENT, wo_task_done(f->db, "nope", "x", T0, evs));
	json_decref(evs);
}

static size_t count(json_t *evs, enum bus_ev ev)
{
	size_t n = 0, i;
	json_t *e;

	json_array_foreach(evs, i, e)
		n += json_integer_value(json_object_get(e, "ev")) == ev;
	return n;
}

/* Limits: first response 10 s, completion 20 s, warnings at half. The
 * open order has no first response yet: nothing at 4 s; at 12 s the
 * response clock warns and breaches in one round (the check came late)
 * and completion warns; at 25 s completion breaches, escalated to the
 * department's supervisor; nothing is ever published twice. */
static void the_check_publishes_each_step_once(void **state)
{
	struct fx *f = *state;
	json_t *evs = json_array();

	assert_int_equal(0, wo_sla_check(f->db, T0 + 4000, evs));
	assert_int_equal(0, json_array_size(evs));
	assert_int_equal(0, wo_sla_check(f->db, T0 + 12000, evs));
	assert_int_equal(2, count(evs, BUS_TICKET_WARNING));   /* both clocks */
	assert_int_equal(1, count(evs, BUS_TICKET_BREACHED));  /* response */
	assert_int_equal(0, wo_sla_check(f->db, T0 + 25000, evs));
	assert_int_equal(2, count(evs, BUS_TICKET_BREACHED));
	assert_int_equal(0, wo_sla_check(f->db, T0 + 90000, evs));
	assert_int_equal(4, json_array_size(evs));
	json_t *last = json_object_get(json_array_get(evs, 3), "data");
	assert_string_equal("completion", json_string_value(json_object_get(last,
								      "clock")));
	assert_string_equal("lead", json_string_value(json_array_get(
		json_object_get(last, "escalated_to"), 0)));
	json_decref(evs);
}

/* The customer module's lookup: 13800138000 is customer c-42. */
static int lookup(const char *phone, char *id, size_t n, void *arg)
{
	(*(int *)arg)++;
	if (strcmp(phone, "13800138000"))
		return ENOENT;
	snprintf(id, n, "c-42");
	return 0;
}

static void created(struct db *db, const char *body, char id[UTIL_ID_LEN])
{
	struct wo_job m;

	memset(&m, 0, sizeof(m));
	strcpy(m.j.req.user.id, "u1");
	strcpy(m.j.req.user.username, "bo1");
	m.body = json_loads(body, 0, NULL);
	m.evs = json_array();
	assert_non_null(m.body);
	wo_create(&m, db, T0);
	assert_int_equal(0, m.status);
	strcpy(id, m.created);
	json_decref(m.body);
	json_decref(m.evs);
}

static void a_known_number_gets_its_customer(void **state)
{
	struct fx *f = *state;
	char id[UTIL_ID_LEN], s[256];
	int calls = 0;

	ticket_set_customer_lookup(lookup, &calls);
	created(f->db, "{\"title\":\"t\",\"category\":\"投诉\",\"service\":"
		"\"机票\",\"priority\":\"高\",\"customer_phone\":\"13800138000\"}",
		id);
	one(f->db, s, "SELECT customer_id FROM work_orders WHERE id = ?", id);
	assert_string_equal("c-42", s);
	created(f->db, "{\"title\":\"t\",\"category\":\"投诉\",\"service\":"
		"\"机票\",\"priority\":\"高\",\"customer_phone\":\"13900000000\"}",
		id);
	one(f->db, s, "SELECT customer_id FROM work_orders WHERE id = ?", id);
	assert_string_equal("", s);
	created(f->db, "{\"title\":\"t\",\"category\":\"投诉\",\"service\":"
		"\"机票\",\"priority\":\"高\"}", id);
	assert_int_equal(2, calls);   /* no number, no lookup */
	ticket_set_customer_lookup(NULL, NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(task_done_answers_and_closes_a_done_order),
		T(task_done_leaves_an_order_still_in_work),
		T(the_check_publishes_each_step_once),
		T(a_known_number_gets_its_customer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
