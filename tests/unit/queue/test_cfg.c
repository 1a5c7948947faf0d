/* queue/cfg and queue/event: the pure parts of the live ACD host. A queue's
 * settings are validated whole (the reason names the field, nothing
 * changes on a refusal); report events survive the trip through a bus
 * event's JSON unchanged, so the event log can rebuild every KPI. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
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
		{"{\"strategy\":\"ring-all\"}", "strategy"},
		{"{\"wrapup_ms\":-1}", "wrapup_ms"},
		{"{\"ring_timeout_ms\":0}", "ring_timeout_ms"},
		{"{\"weight\":0}", "weight"},
		{"{\"retry_ms\":\"soon\"}", "retry_ms"},
		{"{\"overflow\":\"queue:sales\"}", "overflow"},
		{"{\"overflow\":\"voicemail\"}", "overflow"},
		{"{\"colour\":\"blue\"}", "colour"},
		{"{\"max_len\":3,\"sl_ms\":-5}", "sl_ms"},
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

static void json_round_trip(void **state)
{
	struct queue_qcfg q, back;
	char why[160];
	json_t *j;
	(void)state;

	assert_int_equal(apply("{\"noanswer_max\":7,\"short_abandon_ms\":0,"
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

/* Every report event type the host publishes comes back the same. */
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

	assert_int_equal(queue_ev_parse("agent.registered", j, &ev), ENOENT);
	/* agent.state without prev_state cannot be folded */
	assert_int_equal(queue_ev_parse("agent.state", j, &ev), EINVAL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_longest_idle_and_80_20),
		cmocka_unit_test(valid_fields_apply),
		cmocka_unit_test(refusals_name_the_field_and_change_nothing),
		cmocka_unit_test(announcements_are_off_until_set),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(names_and_agent_ids),
		cmocka_unit_test(intervals),
		cmocka_unit_test(overflow_to_router),
		cmocka_unit_test(events_round_trip),
		cmocka_unit_test(not_report_events),
		cmocka_unit_test(states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
