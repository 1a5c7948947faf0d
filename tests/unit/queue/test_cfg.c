/* queue/cfg and queue/event: the pure parts of the live ACD host. A queue's
 * settings are validated whole (the reason names the field, nothing
 * changes on a refusal); report events survive the trip through a bus
 * event's JSON unchanged, so the event log can rebuild every KPI. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "queue/queue_int.h"

static json_t *obj(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	return j;
}

/* Applies text to a default queue "sales"; returns the error, *q the result. */
static int apply(const char *text, struct queue_qcfg *q, char *why, size_t n)
{
	json_t *j = obj(text);
	int err;

	queue_qcfg_default(q, "sales");
	err = queue_qcfg_apply(q, j, why, n);
	json_decref(j);
	return err;
}

static void defaults_are_longest_idle_and_80_20(void **state)
{
	struct queue_qcfg q;
	(void)state;

	queue_qcfg_default(&q, "sales");
	assert_string_equal(q.strategy, "longest-idle");
	assert_string_equal(q.overflow, "hangup");
	assert_int_equal(q.sl_ms, 20000);
	assert_true(q.ring_timeout_ms > 0);
}

static void valid_fields_apply(void **state)
{
	struct queue_qcfg q;
	char why[160] = "";
	(void)state;

	assert_int_equal(apply("{\"strategy\":\"round-robin\",\"wrapup_ms\":0,"
			       "\"max_len\":5,\"overflow\":\"queue:support\"}",
			       &q, why, sizeof(why)), 0);
	assert_string_equal(q.strategy, "round-robin");
	assert_int_equal(q.wrapup_ms, 0);
	assert_int_equal(q.max_len, 5);
	assert_string_equal(q.overflow, "queue:support");
}

static void refusals_name_the_field_and_change_nothing(void **state)
{
	static const struct { const char *body, *field; } bad[] = {
		{"{\"strategy\":\"fastest\"}", "strategy"},
		{"{\"wrapup_ms\":-1}", "wrapup_ms"},
		{"{\"ring_timeout_ms\":0}", "ring_timeout_ms"},
		{"{\"weight\":0}", "weight"},
		{"{\"retry_ms\":\"soon\"}", "retry_ms"},
		{"{\"overflow\":\"queue:sales\"}", "overflow"},
		{"{\"overflow\":\"voicemail\"}", "overflow"},
		{"{\"overflow\":\"voicemail:\"}", "overflow"},
		{"{\"overflow\":\"voicemail:10a1\"}", "overflow"},
		{"{\"overflow\":\"voicemail:1234567890123456\"}", "overflow"},
		{"{\"colour\":\"blue\"}", "colour"},
		{"{\"join_empty\":\"sometimes\"}", "join_empty"},
		{"{\"leave_empty\":3}", "leave_empty"},
		{"{\"sticky_window_ms\":-1}", "sticky_window_ms"},
		{"{\"sticky_wait_ms\":600001}", "sticky_wait_ms"},
		{"{\"max_len\":3,\"sl_ms\":-5}", "sl_ms"},
		{"{\"overflow_prompt\":\"sounds/bye.wav\"}", "overflow_prompt"},
		{"{\"overflow_prompt\":7}", "overflow_prompt"},
		{"{\"overflow_prompt\":null}", "overflow_prompt"},
		{"{\"announce_s\":-1}", "announce_s"},
		{"{\"announce_s\":3601}", "announce_s"},
		{"{\"announce_lang\":\"fr\"}", "announce_lang"},
		{"{\"announce_lang\":7}", "announce_lang"},
		{"{\"announce_position\":1}", "announce_position"},
		{"{\"announce_s\":30,\"announce_wait\":\"yes\"}", "announce_wait"},
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct queue_qcfg q, ref;
		char why[160] = "";

		queue_qcfg_default(&ref, "sales");
		assert_int_equal(apply(bad[i].body, &q, why, sizeof(why)), EINVAL);
		assert_non_null(strstr(why, bad[i].field));
		assert_memory_equal(&q, &ref, sizeof(q));
	}
}

/* A queue announces nothing until told to; then position and wait in
 * Chinese unless it says otherwise. */
static void announcements_are_off_until_set(void **state)
{
	struct queue_qcfg q;
	char why[160] = "";
	(void)state;

	queue_qcfg_default(&q, "sales");
	assert_int_equal(q.announce_s, 0);
	assert_true(q.announce_position);
	assert_true(q.announce_wait);
	assert_string_equal(q.announce_lang, "zh");
	assert_int_equal(apply("{\"announce_s\":30,\"announce_position\":false,"
			       "\"announce_lang\":\"en\"}", &q, why,
			       sizeof(why)), 0);
	assert_int_equal(q.announce_s, 30);
	assert_false(q.announce_position);
	assert_true(q.announce_wait);
	assert_string_equal(q.announce_lang, "en");
}

/* Live queues ring every ready agent at once: the B2BUA forks. */
static void ring_all_is_a_live_strategy(void **state)
{
	struct queue_qcfg q;
	char why[160] = "";
	(void)state;

	assert_int_equal(apply("{\"strategy\":\"ring-all\"}", &q, why,
			       sizeof(why)), 0);
	assert_string_equal(q.strategy, "ring-all");
}

/* Whether the file loads is checked by the host (test_goodbye.c); here,
 * the form: an absolute path, or "" for none, and not longer than the
 * field holds. */
static void overflow_prompt_is_an_absolute_path_or_empty(void **state)
{
	struct queue_qcfg q, ref;
	char why[160] = "", body[600];
	(void)state;

	queue_qcfg_default(&ref, "sales");
	assert_string_equal(ref.overflow_prompt, "");
	assert_int_equal(apply("{\"overflow_prompt\":\"/srv/sounds/bye.wav\"}",
			       &q, why, sizeof(why)), 0);
	assert_string_equal(q.overflow_prompt, "/srv/sounds/bye.wav");
	assert_int_equal(apply("{\"overflow_prompt\":\"\"}", &q, why,
			       sizeof(why)), 0);
	assert_string_equal(q.overflow_prompt, "");

	snprintf(body, sizeof(body), "{\"overflow_prompt\":\"/%0300d\"}", 0);
	assert_int_equal(apply(body, &q, why, sizeof(why)), EINVAL);
	assert_non_null(strstr(why, "overflow_prompt"));
	assert_memory_equal(&q, &ref, sizeof(q));
}

/* The consent prompt: text, or an uploaded prompt's name — never a path,
 * which would reach outside the prompt store. */
static void consent_is_text_or_a_prompt_name(void **state)
{
	struct queue_qcfg q, ref;
	char why[160] = "";
	(void)state;

	queue_qcfg_default(&ref, "sales");
	assert_string_equal(ref.consent_text, "");
	assert_string_equal(ref.consent_file, "");
	assert_int_equal(apply("{\"consent_text\":\"本次通话可能会被录音\","
			       "\"consent_file\":\"consent-2.wav\"}", &q, why,
			       sizeof(why)), 0);
	assert_string_equal(q.consent_text, "本次通话可能会被录音");
	assert_string_equal(q.consent_file, "consent-2.wav");
	assert_int_equal(apply("{\"consent_file\":\"../etc/passwd\"}", &q,
			       why, sizeof(why)), EINVAL);
	assert_non_null(strstr(why, "consent_file"));
	assert_memory_equal(&q, &ref, sizeof(q));
	assert_int_equal(apply("{\"consent_file\":\".hidden\"}", &q, why,
			       sizeof(why)), EINVAL);
}

/* Who may monitor the queue's calls: user names and dept:ID, nothing
 * else (no empty entry, no other prefix, no spaces). */
static void supervisors_are_names_and_departments(void **state)
{
	static const char *const bad[] = {
		",lead", "lead,", "lead,,ann", "dept:", "dept:a b", "team:x",
		"lead ann", "lead;ann",
	};
	struct queue_qcfg q, ref;
	char why[160] = "", body[96];
	(void)state;

	queue_qcfg_default(&ref, "sales");
	assert_string_equal(ref.supervisors, "");
	assert_int_equal(apply("{\"supervisors\":\"lead,dept:5f3a,ann.li@x\"}",
			       &q, why, sizeof(why)), 0);
	assert_string_equal(q.supervisors, "lead,dept:5f3a,ann.li@x");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "{\"supervisors\":\"%s\"}", bad[i]);
		assert_int_equal(apply(body, &q, why, sizeof(why)), EINVAL);
		assert_non_null(strstr(why, "supervisors"));
		assert_memory_equal(&q, &ref, sizeof(q));
	}
}

static void json_round_trip(void **state)
{
	struct queue_qcfg q, back;
	char why[160];
	json_t *j;
	(void)state;

	assert_int_equal(apply("{\"noanswer_max\":7,\"short_abandon_ms\":0,"
			       "\"overflow_prompt\":\"/a/b.wav\","
			       "\"announce_s\":45,\"announce_wait\":false,"
			       "\"announce_lang\":\"en\"}", &q, why,
			       sizeof(why)), 0);
	j = queue_qcfg_json(&q);
	queue_qcfg_default(&back, "sales");
	assert_int_equal(queue_qcfg_apply(&back, j, why, sizeof(why)), 0);
	assert_memory_equal(&q, &back, sizeof(q));
	json_decref(j);
}

static void names_and_agent_ids(void **state)
{
	uint32_t id;
	(void)state;

	assert_true(queue_name_ok("sales-2_b"));
	assert_false(queue_name_ok(""));
	assert_false(queue_name_ok("a b"));
	assert_false(queue_name_ok("0123456789012345678901234567890123"));
	assert_int_equal(queue_agent_id("1001", &id), 0);
	assert_int_equal(id, 1001);
	assert_int_equal(queue_agent_id("0101", &id), EINVAL);
	assert_int_equal(queue_agent_id("10a1", &id), EINVAL);
	assert_int_equal(queue_agent_id("0", &id), EINVAL);
	assert_int_equal(queue_agent_id("4294967296", &id), EINVAL);
}

static void intervals(void **state)
{
	int64_t ms;
	(void)state;

	assert_int_equal(queue_interval_parse("15m", &ms), 0);
	assert_int_equal(ms, 900000);
	assert_int_equal(queue_interval_parse("1h", &ms), 0);
	assert_int_equal(ms, 3600000);
	assert_int_equal(queue_interval_parse("1d", &ms), 0);
	assert_int_equal(ms, 86400000);
	assert_int_equal(queue_interval_parse("5m", &ms), EINVAL);
}

static uint32_t none(void *arg, const char *name)
{
	(void)arg;
	(void)name;
	return 0;
}

static void overflow_to_router(void **state)
{
	struct queue_qcfg q;
	struct acd_queue_cfg ac;
	char why[160] = "";
	(void)state;

	queue_qcfg_default(&q, "sales");
	util_strlcpy(q.overflow, "queue:nowhere", sizeof(q.overflow));
	assert_int_equal(queue_qcfg_acd(&q, 1, none, NULL, &ac, why,
					sizeof(why)), EINVAL);
	assert_non_null(strstr(why, "nowhere"));
}

static void empty_rules_and_sticky_to_router(void **state)
{
	struct queue_qcfg q;
	struct acd_queue_cfg ac;
	char why[160] = "";
	(void)state;

	queue_qcfg_default(&q, "sales");
	assert_int_equal(queue_qcfg_acd(&q, 1, none, NULL, &ac, why,
					sizeof(why)), 0);
	assert_int_equal(ac.join_empty, ACD_EMPTY_OFF);
	assert_int_equal(ac.leave_empty, ACD_EMPTY_OFF);
	assert_int_equal(ac.sticky_window_ms, 0);
	assert_int_equal(apply("{\"join_empty\":\"no_agents\","
			       "\"leave_empty\":\"no_available\","
			       "\"sticky_window_ms\":604800000,"
			       "\"sticky_wait_ms\":10000}", &q, why,
			       sizeof(why)), 0);
	assert_int_equal(queue_qcfg_acd(&q, 1, none, NULL, &ac, why,
					sizeof(why)), 0);
	assert_int_equal(ac.join_empty, ACD_EMPTY_NO_AGENTS);
	assert_int_equal(ac.leave_empty, ACD_EMPTY_NO_AVAILABLE);
	assert_int_equal(ac.sticky_window_ms, 604800000);
	assert_int_equal(ac.sticky_wait_ms, 10000);
}

static void overflow_to_a_mailbox(void **state)
{
	struct queue_qcfg q;
	struct acd_queue_cfg ac;
	char why[160] = "";
	(void)state;

	assert_int_equal(apply("{\"overflow\":\"voicemail:1001\"}", &q, why,
			       sizeof(why)), 0);
	assert_int_equal(queue_qcfg_acd(&q, 1, none, NULL, &ac, why,
					sizeof(why)), 0);
	assert_int_equal(ac.overflow.kind, ACD_DEST_VOICEMAIL);
	assert_string_equal(ac.overflow.target, "1001");
	/* the refusal lists every kind of destination */
	assert_int_equal(apply("{\"overflow\":\"pager:1\"}", &q, why,
			       sizeof(why)), EINVAL);
	assert_non_null(strstr(why, "voicemail:MAILBOX"));
	assert_non_null(strstr(why, "queue:NAME"));
}

/* Every report event type the host publishes comes back the same. */
/* "extension:EXT" reaches the router as an extension destination; EXT
 * must be digits (an extension's number), else the field is refused. */
static void overflow_to_an_extension(void **state)
{
	static const char *const bad[] = {
		"{\"overflow\":\"extension:\"}",
		"{\"overflow\":\"extension:10a3\"}",
		"{\"overflow\":\"extension:1003 \"}",
		"{\"overflow\":\"extension:1234567890123456\"}",
		"{\"overflow\":\"extension\"}",
	};
	struct queue_qcfg q;
	struct acd_queue_cfg ac;
	char why[160] = "";
	(void)state;

	assert_int_equal(apply("{\"overflow\":\"extension:1003\"}", &q, why,
			       sizeof(why)), 0);
	assert_string_equal(q.overflow, "extension:1003");
	assert_int_equal(queue_qcfg_acd(&q, 1, none, NULL, &ac, why,
					sizeof(why)), 0);
	assert_int_equal(ac.overflow.kind, ACD_DEST_EXTENSION);
	assert_string_equal(ac.overflow.target, "1003");
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		why[0] = '\0';
		assert_int_equal(apply(bad[i], &q, why, sizeof(why)), EINVAL);
		assert_non_null(strstr(why, "overflow"));
		assert_string_equal(q.overflow, "hangup");
	}
	assert_true(queue_box_ok("123456789012345"));
	assert_false(queue_box_ok("1234567890123456"));
}

static void events_round_trip(void **state)
{
	const struct report_event evs[] = {
		{.type = REPORT_EV_ENTER, .ts_ms = 1000, .queue = "sales",
		 .enter_ms = 1000, .flags = REPORT_EVF_QUEUED},
		{.type = REPORT_EV_OFFER, .ts_ms = 1500, .queue = "sales",
		 .agent = "1001", .enter_ms = 1000},
		{.type = REPORT_EV_ANSWER, .ts_ms = 4000, .queue = "sales",
		 .agent = "1001", .enter_ms = 1000, .ring_ms = 2500},
		{.type = REPORT_EV_ABANDON, .ts_ms = 5000, .queue = "sales",
		 .enter_ms = 1000},
		{.type = REPORT_EV_COMPLETE, .ts_ms = 9000, .queue = "sales",
		 .agent = "1001", .enter_ms = 1000, .dur_ms = 5000},
		{.type = REPORT_EV_AGENT_STATE, .ts_ms = 9000, .agent = "1001",
		 .state = REPORT_AGENT_WRAPUP, .prev_state = REPORT_AGENT_TALKING,
		 .dur_ms = 5000},
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(evs); i++) {
		struct report_event back;
		json_t *j = queue_ev_json(&evs[i], "c1", "why");

		assert_int_equal(queue_ev_parse(queue_ev_type(evs[i].type), j,
						&back), 0);
		back.ts_ms = evs[i].ts_ms;   /* the bus event carries the time */
		assert_int_equal(back.type, evs[i].type);
		assert_int_equal(back.enter_ms, evs[i].enter_ms);
		assert_int_equal(back.dur_ms, evs[i].dur_ms);
		assert_int_equal(back.ring_ms, evs[i].ring_ms);
		assert_int_equal(back.flags, evs[i].flags);
		assert_int_equal(back.state, evs[i].state);
		assert_int_equal(back.prev_state, evs[i].prev_state);
		if (evs[i].queue)
			assert_string_equal(back.queue, evs[i].queue);
		else
			assert_null(back.queue);
		if (evs[i].agent)
			assert_string_equal(back.agent, evs[i].agent);
		json_decref(j);
	}
}

static void not_report_events(void **state)
{
	struct report_event ev;
	json_t *j = obj("{\"state\":\"ready\"}");
	(void)state;

	assert_int_equal(queue_ev_parse(BUS_AGENT_REGISTERED, j, &ev), ENOENT);
	/* agent.state without prev_state cannot be folded */
	assert_int_equal(queue_ev_parse(BUS_AGENT_STATE, j, &ev), EINVAL);
	json_decref(j);
}

static void states(void **state)
{
	enum acd_agent_state s;
	(void)state;

	assert_int_equal(queue_state_parse("not_ready", &s), 0);
	assert_int_equal(s, ACD_NOT_READY);
	assert_int_equal(queue_state_parse("asleep", &s), EINVAL);
	assert_int_equal(queue_report_state(ACD_WRAP_UP), REPORT_AGENT_WRAPUP);
}

/* The table is sound (ranges fit their members, defaults parse) and every
 * row's value goes out and back in through its text form, the form the
 * queues table stores. */
static void the_field_table_round_trips_through_text(void **state)
{
	size_t nf;
	const struct field *fs = queue_qcfg_fields(&nf);
	struct queue_qcfg q, back;
	char t[300], why[256] = "";

	(void)state;
	assert_int_equal(0, field_table_check(fs, nf, why, sizeof(why)));
	assert_int_equal(0, apply("{\"strategy\":\"sticky\",\"max_len\":100000,"
				  "\"sticky_window_ms\":7776000000,"
				  "\"join_empty\":\"no_agents\","
				  "\"overflow\":\"queue:support\"}", &q, why,
				  sizeof(why)));
	queue_qcfg_default(&back, "sales");
	for (size_t i = 0; i < nf; i++) {
		assert_int_equal(0, field_format(&fs[i], &q, t, sizeof(t)));
		assert_int_equal(0, field_parse_text(&fs[i], t, &back, why,
						     sizeof(why)));
	}
	assert_memory_equal(&q, &back, sizeof(q));
}

/* A skill or position is a 32-bit integer: 2147483648 is refused naming
 * the field and its range, never stored as -2147483648. */
static void member_skill_and_position_are_32_bit(void **state)
{
	struct queue_member_in m;
	char why[256] = "";
	json_t *e = obj("{\"queue\":\"sales\",\"skill\":2147483647,"
			"\"position\":-2147483648}");

	(void)state;
	assert_int_equal(0, queue_member_parse(e, 0, &m, why, sizeof(why)));
	assert_string_equal("sales", m.queue);
	assert_int_equal(INT32_MAX, m.skill);
	assert_int_equal(INT32_MIN, m.position);
	json_object_set_new(e, "skill", json_integer(2147483648LL));
	assert_int_equal(EINVAL, queue_member_parse(e, 3, &m, why, sizeof(why)));
	assert_string_equal("queues[3].skill: want an integer "
			    "-2147483648..2147483647", why);
	json_object_set_new(e, "skill", json_integer(5));
	json_object_set_new(e, "position", json_integer(-2147483649LL));
	assert_int_equal(EINVAL, queue_member_parse(e, 0, &m, why, sizeof(why)));
	assert_string_equal("queues[0].position: want an integer "
			    "-2147483648..2147483647", why);
	json_object_set_new(e, "position", json_string("1"));
	assert_int_equal(EINVAL, queue_member_parse(e, 0, &m, why, sizeof(why)));
	json_decref(e);
	e = obj("{\"queue\":\"sales\"}");
	assert_int_equal(0, queue_member_parse(e, 0, &m, why, sizeof(why)));
	assert_int_equal(0, m.skill);
	assert_int_equal(0, m.position);
	json_decref(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_longest_idle_and_80_20),
		cmocka_unit_test(valid_fields_apply),
		cmocka_unit_test(refusals_name_the_field_and_change_nothing),
		cmocka_unit_test(ring_all_is_a_live_strategy),
		cmocka_unit_test(overflow_prompt_is_an_absolute_path_or_empty),
		cmocka_unit_test(consent_is_text_or_a_prompt_name),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(names_and_agent_ids),
		cmocka_unit_test(intervals),
		cmocka_unit_test(overflow_to_router),
		cmocka_unit_test(announcements_are_off_until_set),
		cmocka_unit_test(overflow_to_a_mailbox),
		cmocka_unit_test(empty_rules_and_sticky_to_router),
		cmocka_unit_test(overflow_to_an_extension),
		cmocka_unit_test(events_round_trip),
		cmocka_unit_test(not_report_events),
		cmocka_unit_test(states),
		cmocka_unit_test(the_field_table_round_trips_through_text),
		cmocka_unit_test(supervisors_are_names_and_departments),
		cmocka_unit_test(member_skill_and_position_are_32_bit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
