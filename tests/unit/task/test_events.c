/* task/events: the tasks events make, against a real SQLite file and a
 * real bus, with libre's loop on the test's thread (the worker answers
 * through it): ticket.reply_due makes a reply task for the agent; a
 * voicemail makes one for the mailbox's owner, or the queue's pool when
 * the mailbox is nobody's extension; queue.abandon then call.ended make a
 * pool callback, a call.ended alone none; an answered outbound call from
 * the assignee's extension to the task's number ends it (called, the call
 * linked) and publishes task.done with the origin; answered calls that
 * come together go to the worker together, each ending its own number's
 * task, and none ends a task made after it was answered. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_main.h>
#include <re_tmr.h>
#include "base/bus.h"
#include "base/mod.h"
#include "base/pool.h"
#include "base/util.h"
#include "db/db.h"
#include "task/task_int.h"

struct fx {
	char dir[64];
	struct mod_house h;
	size_t want;             /* re_cancel after this many task.* events */
	json_t *seen;            /* [[type, data]…] */
	struct tmr guard;
};

static void on_task(const struct bus_event *ev, void *arg)
{
	struct fx *f = arg;

	json_array_append_new(f->seen, json_pack("[s, O]", ev->type, ev->data));
	if (json_array_size(f->seen) >= f->want)
		re_cancel();
}

static void too_long(void *arg)
{
	(void)arg;
	re_cancel();
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char url[128];

	if (!f || libre_init())
		return -1;
	strcpy(f->dir, "/tmp/hotline-task.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", f->dir);
	if (db_open(&f->h.db, url) || bus_alloc(&f->h.bus) ||
	    pool_alloc(&f->h.pool, 2))
		return -1;
	/* 1001 is u1's extension; nobody has 9999. */
	if (db_exec(f->h.db, "INSERT INTO users (id, username, role, "
		    "password_hash, extension, created_at) VALUES ('u1', '1001',"
		    " 'agent', 'x', '1001', 1)", ""))
		return -1;
	f->seen = json_array();
	tmr_init(&f->guard);
	if (bus_subscribe(f->h.bus, "task.", on_task, f) ||
	    task_events_start(&f->h))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	task_events_stop();
	f->h.pool = mem_deref(f->h.pool);
	tmr_cancel(&f->guard);
	bus_free(f->h.bus);
	db_close(f->h.db);
	json_decref(f->seen);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	libre_close();
	free(f);
	return system(cmd) ? -1 : 0;
}

/* Publishes id with data (JSON text), then runs the loop until n task.*
 * events in all were heard (or 5 s passed). */
static void publish(struct fx *f, enum bus_ev id, const char *subject,
		    const char *data, size_t n)
{
	json_t *d = json_loads(data, 0, NULL);

	assert_non_null(d);
	f->want = n;
	assert_int_equal(0, bus_publish(f->h.bus, id, subject, 1000, d));
	if (json_array_size(f->seen) < n) {
		tmr_start(&f->guard, 5000, too_long, f);
		re_main(NULL);
		tmr_cancel(&f->guard);
	}
	assert_int_equal(n, json_array_size(f->seen));
}

static int text_row(const struct db_row *row, void *arg)
{
	char *out = arg;
	size_t len = strlen(out);

	snprintf(out + len, 512 - len, "%s%s", len ? "|" : "",
		 db_row_text(row, 0) ? db_row_text(row, 0) : "NULL");
	return 0;
}

/* The rows of sql, one text column each, joined by '|'. */
static const char *rows(struct fx *f, const char *sql)
{
	static char out[512];

	out[0] = '\0';
	assert_int_equal(0, db_query(f->h.db, text_row, out, sql, ""));
	return out;
}

static const char *seen(struct fx *f, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(
		json_array_get(f->seen, i), 1), key));
}

static void a_work_order_reply_is_a_task_for_its_agent(void **state)
{
	struct fx *f = *state;

	publish(f, BUS_TICKET_REPLY_DUE, "W1", "{\"ticket_id\":\"W1\","
		"\"customer_phone\":\"13800000001\",\"agent\":\"u1\","
		"\"title\":\"答复：退款进度\"}", 1);
	assert_string_equal("ticket|W1|u1|答复：退款进度|13800000001|open",
		rows(f, "SELECT origin || '|' || origin_id || '|' || assignee || "
		     "'|' || title || '|' || phone || '|' || state FROM tasks"));
	assert_string_equal("task.created", json_string_value(json_array_get(
		json_array_get(f->seen, 0), 0)));
	assert_string_equal("1001", seen(f, 0, "assignee"));
	/* An agent that is no user makes nothing (logged), and nothing else
	 * is published. */
	publish(f, BUS_TICKET_REPLY_DUE, "W2", "{\"ticket_id\":\"W2\","
		"\"customer_phone\":\"\",\"agent\":\"nobody\",\"title\":\"x\"}", 1);
	usleep(200000);
	assert_string_equal("1", rows(f, "SELECT COUNT(*) FROM tasks"));
}

static void a_voicemail_goes_to_its_owner_or_the_queues_pool(void **state)
{
	struct fx *f = *state;

	publish(f, BUS_VOICEMAIL_NEW, "C1", "{\"id\":\"V1\",\"mailbox\":\"1001\","
		"\"call_id\":\"C1\",\"caller\":\"13800000002\",\"queue\":\"sales\"}",
		1);
	publish(f, BUS_VOICEMAIL_NEW, "C2", "{\"id\":\"V2\",\"mailbox\":\"9999\","
		"\"call_id\":\"C2\",\"caller\":\"13800000003\",\"queue\":"
		"\"support\"}", 2);
	assert_string_equal("V1 u1 -|V2 - support", rows(f,
		"SELECT origin_id || ' ' || COALESCE(assignee, '-') || ' ' || "
		"COALESCE(pool, '-') FROM tasks WHERE origin = 'voicemail' ORDER BY "
		"origin_id"));
}

static void an_abandon_is_a_callback_at_the_calls_end(void **state)
{
	struct fx *f = *state;

	/* A call that ends without an abandon before it makes nothing. */
	publish(f, BUS_CALL_ENDED, "C0", "{\"from\":\"13800000009\"}", 0);
	publish(f, BUS_QUEUE_ABANDON, "C3", "{\"queue\":\"sales\"}", 0);
	publish(f, BUS_CALL_ENDED, "C3", "{\"from\":\"13800000004\"}", 1);
	usleep(200000);
	assert_string_equal("abandoned sales 13800000004 C3", rows(f,
		"SELECT origin || ' ' || pool || ' ' || phone || ' ' || origin_id "
		"FROM tasks"));
}

static void the_assignees_answered_call_ends_the_task(void **state)
{
	struct fx *f = *state;

	publish(f, BUS_VOICEMAIL_NEW, "C1", "{\"id\":\"V1\",\"mailbox\":\"1001\","
		"\"call_id\":\"C1\",\"caller\":\"13800000002\",\"queue\":\"sales\"}",
		1);
	/* Another number, and an inbound call, end nothing. */
	publish(f, BUS_CALL_ANSWERED, "O0", "{\"direction\":\"outbound\","
		"\"from\":\"1001\",\"to\":\"13800000099\"}", 1);
	publish(f, BUS_CALL_ANSWERED, "I0", "{\"direction\":\"inbound\","
		"\"from\":\"13800000002\",\"to\":\"1001\"}", 1);
	publish(f, BUS_CALL_ANSWERED, "O1", "{\"direction\":\"outbound\","
		"\"from\":\"1001\",\"to\":\"13800000002\"}", 2);
	assert_string_equal("done called O1 1", rows(f, "SELECT state || ' ' || "
		"outcome || ' ' || call_id || ' ' || attempts FROM tasks"));
	assert_string_equal("task.done", json_string_value(json_array_get(
		json_array_get(f->seen, 1), 0)));
	assert_string_equal("voicemail", seen(f, 1, "origin"));
	assert_string_equal("V1", seen(f, 1, "origin_id"));
	assert_string_equal("called", seen(f, 1, "outcome"));
}

/* Publishes without running the loop: the handlers hold the calls. */
static void publish_only(struct fx *f, enum bus_ev id, const char *subject,
			 const char *data)
{
	assert_int_equal(0, bus_publish(f->h.bus, id, subject, 1000,
					json_loads(data, 0, NULL)));
}

static void answered_calls_are_taken_together(void **state)
{
	struct fx *f = *state;
	int64_t later = util_now_ms() + 3600000;

	publish(f, BUS_VOICEMAIL_NEW, "C1", "{\"id\":\"V1\",\"mailbox\":\"1001\","
		"\"call_id\":\"C1\",\"caller\":\"13800000002\"}", 1);
	publish(f, BUS_VOICEMAIL_NEW, "C2", "{\"id\":\"V2\",\"mailbox\":\"1001\","
		"\"call_id\":\"C2\",\"caller\":\"13800000003\"}", 2);
	publish_only(f, BUS_CALL_ANSWERED, "O1", "{\"direction\":\"outbound\","
		"\"from\":\"1001\",\"to\":\"13800000002\"}");
	publish_only(f, BUS_CALL_ANSWERED, "O2", "{\"direction\":\"outbound\","
		"\"from\":\"1001\",\"to\":\"13800000004\"}");
	publish_only(f, BUS_CALL_ANSWERED, "O3", "{\"direction\":\"outbound\","
		"\"from\":\"1001\",\"to\":\"13800000003\"}");
	/* Made after O2 was answered, before its batch runs: O2 ends nothing. */
	assert_int_equal(0, db_exec(f->h.db, "INSERT INTO tasks (id, title, "
		"phone, due_at, assignee, origin, created_by, created_at, "
		"updated_at) VALUES ('T9', 'later', '13800000004', ?, 'u1', "
		"'manual', 'u1', ?, ?)", "iii", later, later, later));
	publish(f, BUS_CALL_ANSWERED, "O4", "{\"direction\":\"outbound\","
		"\"from\":\"1001\",\"to\":\"13800000099\"}", 4);
	assert_string_equal("13800000002 done O1|13800000003 done O3|"
		"13800000004 open -", rows(f, "SELECT phone || ' ' || state || "
		"' ' || coalesce(call_id, '-') FROM tasks ORDER BY phone"));
	assert_string_equal("O1", seen(f, 2, "call_id"));
	assert_string_equal("O3", seen(f, 3, "call_id"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			a_work_order_reply_is_a_task_for_its_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_voicemail_goes_to_its_owner_or_the_queues_pool, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			an_abandon_is_a_callback_at_the_calls_end, setup, teardown),
		cmocka_unit_test_setup_teardown(
			the_assignees_answered_call_ends_the_task, setup, teardown),
		cmocka_unit_test_setup_teardown(
			answered_calls_are_taken_together, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
