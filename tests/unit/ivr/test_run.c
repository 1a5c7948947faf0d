/* ivr/run: the interpreter with simulated keys and a simulated clock: what
 * the caller hears, where the call goes, the visits told, the variables
 * and call data, sub-flows, failures and version pinning. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "harness.h"

#define T H_T0

/* welcome (barge) → menu: 1 sales, 2 data + say, 0 is the agent key. */
static const char *const main_flow =
	"{\"name\":\"main\",\"start\":\"welcome\","
	" \"agent\":{\"key\":\"0\",\"queue\":\"vip\",\"priority\":7},"
	" \"nodes\":{"
	"  \"welcome\":{\"kind\":\"play\",\"prompt\":\"welcome {caller}\","
	"              \"next\":\"menu\"},"
	"  \"notice\":{\"kind\":\"play\",\"prompt\":\"please listen\","
	"             \"barge\":false,\"next\":\"menu\"},"
	"  \"menu\":{\"kind\":\"menu\",\"prompt\":\"press 1 or 2\","
	"           \"timeout_ms\":4000,\"timeout_retries\":1,"
	"           \"invalid_retries\":2,\"invalid_prompt\":\"wrong key\","
	"           \"timeout_prompt\":\"no key\","
	"           \"keys\":{\"1\":\"sales\",\"2\":\"mark\",\"3\":\"notice\"},"
	"           \"timeout\":\"bye\",\"invalid\":\"support\"},"
	"  \"mark\":{\"kind\":\"set\",\"vars\":{\"who\":\"{caller}/{did}\"},"
	"           \"data\":{\"crm\":{\"source\":\"ivr\",\"who\":\"{caller}\"}},"
	"           \"next\":\"tell\"},"
	"  \"tell\":{\"kind\":\"play\",\"prompt\":\"you are {who} via {data.crm.source}\","
	"           \"next\":\"sales\"},"
	"  \"sales\":{\"kind\":\"queue\",\"queue\":\"sales\",\"priority\":3},"
	"  \"support\":{\"kind\":\"queue\",\"queue\":\"support\"},"
	"  \"bye\":{\"kind\":\"hangup\",\"prompt\":\"goodbye\"}}}";

static void the_greeting_plays_on_start_and_no_timer_runs(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_plays(&h, "welcome 13800000000");
	assert_string_equal("zh", h.out.prompt.voice);
	assert_int_equal(0, h.timer);
	h_waits(&h);
	h_played(&h, T + 2000);
	h_plays(&h, "press 1 or 2");
	assert_string_equal("welcome:next::0", h.visits);
	h_done(&h);
}

static void a_menu_key_leads_to_its_node(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_played(&h, T + 2000);
	h_played(&h, T + 4000);
	h_key(&h, T + 5000, '1');
	h_ends(&h, IVR_END_QUEUE, "sales");
	assert_int_equal(3, h.out.priority);
	assert_string_equal("welcome:next::0 menu:1:1:0 sales:queue::0",
			    h.visits);
	h_key(&h, T + 6000, '2');
	assert_int_equal(EALREADY, h.rc);
	h_done(&h);
}

static void a_key_during_a_barge_in_prompt_stops_it_and_is_taken(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_key(&h, T + 500, '1');           /* during "welcome" */
	assert_true(h.out.stop);
	h_ends(&h, IVR_END_QUEUE, "sales");
	assert_string_equal("welcome:next:1:0 menu:1:1:0 sales:queue::0",
			    h.visits);
	h_done(&h);
}

static void a_key_during_a_menu_prompt_stops_it_and_is_taken(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_played(&h, T + 2000);
	h_key(&h, T + 2500, '1');
	assert_true(h.out.stop);
	h_ends(&h, IVR_END_QUEUE, "sales");
	h_done(&h);
}

static void a_key_during_a_prompt_without_barge_in_is_not_taken(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_played(&h, T + 2000);
	h_key(&h, T + 3000, '3');          /* → notice, barge off */
	h_plays(&h, "please listen");
	h_key(&h, T + 3500, '1');
	assert_false(h.out.stop);
	assert_false(h.out.play);
	h_waits(&h);
	h_played(&h, T + 6000);
	h_plays(&h, "press 1 or 2");       /* the 1 was not kept */
	assert_int_equal(0, h.timer);
	h_done(&h);
}

static void the_agent_key_from_a_menu_goes_to_the_agent_queue(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_played(&h, T + 2000);
	h_key(&h, T + 2500, '0');
	h_ends(&h, IVR_END_QUEUE, "vip");
	assert_int_equal(7, h.out.priority);
	assert_true(h.out.stop);           /* the menu prompt was playing */
	assert_string_equal("welcome:next::0 menu:agent:0:0", h.visits);
	h_done(&h);
}

static void the_agent_key_during_the_greeting_goes_to_the_agent(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_key(&h, T + 100, '0');
	h_ends(&h, IVR_END_QUEUE, "vip");
	assert_true(h.out.stop);
	h_done(&h);
}

static void a_menu_that_uses_the_agent_key_itself_takes_it(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, "{\"name\":\"a\",\"start\":\"m\","
		"\"agent\":{\"key\":\"0\",\"queue\":\"vip\"},\"nodes\":{"
		"  \"m\":{\"kind\":\"menu\",\"prompt\":\"0 for sales\","
		"       \"timeout_ms\":5000,\"keys\":{\"0\":\"q\"},\"default\":\"q\"},"
		"  \"q\":{\"kind\":\"queue\",\"queue\":\"sales\"}}}");
	h_key(&h, T + 100, '0');
	h_ends(&h, IVR_END_QUEUE, "sales");
	h_done(&h);
}

static const char *const collect_flow =
	"{\"name\":\"c\",\"start\":\"acct\","
	" \"agent\":{\"key\":\"0\",\"queue\":\"vip\"},"
	" \"nodes\":{"
	"  \"acct\":{\"kind\":\"collect\",\"prompt\":\"account?\",\"var\":\"acct\","
	"           \"min\":3,\"max\":6,\"first_timeout_ms\":5000,"
	"           \"next\":\"q\",\"default\":\"bye\"},"
	"  \"q\":{\"kind\":\"queue\",\"queue\":\"support\"},"
	"  \"bye\":{\"kind\":\"hangup\"}}}";

static void the_agent_key_from_a_collect_before_its_first_digit(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, collect_flow);
	h_played(&h, T + 1000);
	h_key(&h, T + 2000, '0');
	h_ends(&h, IVR_END_QUEUE, "vip");
	h_done(&h);
}

static void after_a_first_digit_the_agent_key_is_a_digit(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, collect_flow);
	h_played(&h, T + 1000);
	h_keys(&h, T + 2000, "10#");
	h_ends(&h, IVR_END_NONE, NULL);     /* 2 digits: too short */
	h_keys(&h, T + 9000, "100#");
	h_ends(&h, IVR_END_QUEUE, "support");
	assert_string_equal("100", ivr_run_var(h.r, "acct"));
	h_done(&h);
}

static void a_wrong_key_replays_with_its_notice_then_leaves_by_invalid(
	void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_played(&h, T + 2000);
	h_played(&h, T + 4000);
	h_key(&h, T + 5000, '7');
	h_plays(&h, "wrong key");
	h_played(&h, T + 6000);
	h_plays(&h, "press 1 or 2");
	h_played(&h, T + 8000);
	h_key(&h, T + 9000, '8');
	h_plays(&h, "wrong key");
	h_played(&h, T + 10000);
	h_played(&h, T + 12000);
	h_key(&h, T + 13000, '9');         /* the third: retries used up */
	h_ends(&h, IVR_END_QUEUE, "support");
	assert_string_equal("welcome:next::0 menu:invalid:789:2 "
			    "support:queue::0", h.visits);
	h_done(&h);
}

static void a_timeout_replays_with_its_notice_then_leaves_by_timeout(
	void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_played(&h, T + 2000);
	h_played(&h, T + 4000);
	assert_int_equal(T + 8000, h.timer);
	h_fire(&h);
	h_plays(&h, "no key");
	assert_int_equal(0, h.timer);
	h_played(&h, T + 9000);
	h_plays(&h, "press 1 or 2");
	h_played(&h, T + 11000);
	h_fire(&h);                        /* the second: used up */
	h_plays(&h, "goodbye");
	h_played(&h, T + 16000);
	h_ends(&h, IVR_END_HANGUP, NULL);
	assert_string_equal("welcome:next::0 menu:timeout::1 bye:hangup::0",
			    h.visits);
	h_done(&h);
}

static int data_list(const char *section, const char *key, const char *value,
		     void *arg)
{
	char *buf = arg;
	size_t l = strlen(buf);

	snprintf(buf + l, 256 - l, "%s.%s=%s;", section, key, value);
	return 0;
}

static void set_fills_variables_and_call_data_through_templates(void **state)
{
	struct h h;
	char data[256] = "";
	(void)state;

	h_start(&h, main_flow);
	h_key(&h, T + 500, '2');
	h_plays(&h, "you are 13800000000/4001 via ivr");
	assert_string_equal("13800000000/4001", ivr_run_var(h.r, "who"));
	assert_int_equal(0, ivr_run_data_each(h.r, data_list, data));
	assert_string_equal("crm.source=ivr;crm.who=13800000000;", data);
	h_done(&h);
}

static void built_in_variables_fill_templates(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, "{\"name\":\"b\",\"start\":\"m\",\"nodes\":{"
		"  \"m\":{\"kind\":\"menu\",\"prompt\":\"{province}{city} {did}\","
		"       \"timeout_ms\":5000,\"keys\":{\"2\":\"p\"},\"default\":\"p\"},"
		"  \"p\":{\"kind\":\"play\",\"prompt\":\"{digits} at {time.hhmm} "
		"on {time.date}, day {time.weekday}, call {call_id}\",\"next\":\"z\"},"
		"  \"z\":{\"kind\":\"hangup\"}}}");
	h_plays(&h, "广东深圳 4001");
	h_key(&h, T + 60000, '2');         /* 1970-01-01 00:17:40 UTC, a Thursday */
	h_plays(&h, "2 at 00:17 on 1970-01-01, day 4, call c1");
	h_done(&h);
}

static const char *const sub_flow =
	"{\"name\":\"sub\",\"start\":\"hello\",\"nodes\":{"
	"  \"hello\":{\"kind\":\"play\",\"prompt\":\"in sub\",\"next\":\"back\"},"
	"  \"back\":{\"kind\":\"return\"}}}";
static const char *const caller_flow =
	"{\"name\":\"main\",\"start\":\"go\",\"nodes\":{"
	"  \"go\":{\"kind\":\"subflow\",\"flow\":\"sub\",\"next\":\"after\"},"
	"  \"after\":{\"kind\":\"play\",\"prompt\":\"back in main\","
	"            \"next\":\"q\"},"
	"  \"q\":{\"kind\":\"queue\",\"queue\":\"support\"}}}";

static void a_sub_flow_runs_then_returns_to_next(void **state)
{
	struct ivr_flow *sub = h_flow(sub_flow, 3);
	struct h h;
	(void)state;

	h_start(&h, caller_flow);
	assert_string_equal("sub", h.out.want_flow);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 10,
				   .flow = sub});
	ivr_flow_unref(sub);               /* the run holds its own */
	h_plays(&h, "in sub");
	h_played(&h, T + 1000);
	h_plays(&h, "back in main");
	assert_string_equal("hello:next::0 back:return::0 go:next::0",
			    h.visits);
	h_played(&h, T + 2000);
	h_ends(&h, IVR_END_QUEUE, "support");
	h_done(&h);
}

static void a_missing_sub_flow_takes_the_error_path(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, caller_flow);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 10});
	h_ends(&h, IVR_END_HANGUP, NULL);  /* no agent, no on_error */
	assert_string_equal("go:error::0", h.visits);
	h_done(&h);
}

/* Keys pressed while the sub-flow is fetched wait for its first menu. */
static void a_key_while_the_sub_flow_is_fetched_answers_its_menu(
	void **state)
{
	struct ivr_flow *sub = h_flow(
		"{\"name\":\"sub\",\"start\":\"m\",\"nodes\":{"
		"  \"m\":{\"kind\":\"menu\",\"prompt\":\"sub menu\","
		"         \"timeout_ms\":3000,\"keys\":{\"2\":\"s\"},"
		"         \"timeout\":\"back\",\"invalid\":\"back\"},"
		"  \"s\":{\"kind\":\"queue\",\"queue\":\"sales\"},"
		"  \"back\":{\"kind\":\"return\"}}}", 4);
	struct h h;
	(void)state;

	h_start(&h, caller_flow);
	h_key(&h, T + 5, '2');
	h_waits(&h);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 10,
				   .flow = sub});
	ivr_flow_unref(sub);
	h_ends(&h, IVR_END_QUEUE, "sales");
	assert_string_equal("m:2:2:0 s:queue::0 go:queue::0", h.visits);
	assert_string_equal("main", h.last_flow);
	h_done(&h);
}

static void a_hang_up_in_a_sub_flow_ends_the_sub_flow_node_too(void **state)
{
	struct ivr_flow *sub = h_flow(sub_flow, 3);
	struct h h;
	(void)state;

	h_start(&h, caller_flow);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 10,
				   .flow = sub});
	ivr_flow_unref(sub);
	h_hangup(&h, T + 500);
	assert_string_equal("hello:hangup::0 go:hangup::0", h.visits);
	assert_string_equal("main", h.last_flow);
	assert_int_equal(T, h.last.entered_ms);
	assert_int_equal(T + 500, h.last.left_ms);
	h_done(&h);
}

static void a_failure_in_a_sub_flow_ends_the_sub_flow_node_too(void **state)
{
	struct ivr_flow *sub = h_flow(
		"{\"name\":\"sub\",\"start\":\"in\",\"nodes\":{"
		"  \"in\":{\"kind\":\"subflow\",\"flow\":\"deep\",\"next\":\"out\"},"
		"  \"out\":{\"kind\":\"return\"}}}", 1);
	struct h h;
	(void)state;

	h_start(&h, caller_flow);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 10,
				   .flow = sub});
	ivr_flow_unref(sub);
	assert_string_equal("deep", h.out.want_flow);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 20});
	h_ends(&h, IVR_END_HANGUP, NULL);
	assert_string_equal("in:error::0 go:error::0", h.visits);
	h_done(&h);
}

static void sub_flows_nested_too_deep_take_the_error_path(void **state)
{
	struct ivr_flow *deep = h_flow(
		"{\"name\":\"deep\",\"start\":\"in\",\"nodes\":{"
		"  \"in\":{\"kind\":\"subflow\",\"flow\":\"deep\",\"next\":\"out\"},"
		"  \"out\":{\"kind\":\"return\"}}}", 1);
	struct h h;
	int pushes = 0;
	(void)state;

	h_start(&h, "{\"name\":\"main\",\"start\":\"in\","
		"\"agent\":{\"queue\":\"support\"},\"nodes\":{"
		"  \"in\":{\"kind\":\"subflow\",\"flow\":\"deep\",\"next\":\"out\"},"
		"  \"out\":{\"kind\":\"hangup\"}}}");
	while (h.out.want_flow) {
		h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW,
					   .now_ms = T + 10, .flow = deep});
		pushes++;
		assert_true(pushes < 20);
	}
	assert_int_equal(8, pushes);       /* 7 frames pushed, the 8th fails */
	h_ends(&h, IVR_END_QUEUE, "support");
	ivr_flow_unref(deep);
	h_done(&h);
}

/* n set nodes in a row, then a prompt; on_error (when given) plays sorry
 * then goes to the agent queue. */
static char *chain(int n, bool on_error)
{
	char *doc = malloc(64 * 1024);
	size_t l = (size_t)sprintf(doc, "{\"name\":\"chain\",\"start\":\"s0\",%s"
				   "\"agent\":{\"queue\":\"support\"},\"nodes\":{",
				   on_error ? "\"on_error\":\"oops\"," : "");

	for (int i = 0; i < n; i++)
		l += (size_t)sprintf(doc + l, "\"s%d\":{\"kind\":\"set\",\"vars\":"
				     "{\"v\":\"%d\"},\"next\":\"%s%d\"},", i, i,
				     i + 1 < n ? "s" : "end", i + 1 < n ? i + 1 : 0);
	sprintf(doc + l, "\"end0\":{\"kind\":\"play\",\"prompt\":\"end\","
		"\"next\":\"bye\"},\"bye\":{\"kind\":\"hangup\"}%s}}",
		on_error ? ",\"oops\":{\"kind\":\"set\",\"vars\":{\"err\":\"1\"},"
		"\"next\":\"sorry\"},\"sorry\":{\"kind\":\"play\",\"prompt\":"
		"\"sorry\",\"next\":\"bye\"}" : "");
	return doc;
}

static void two_hundred_steps_in_one_event_are_allowed(void **state)
{
	char *doc = chain(199, false);
	struct h h;
	(void)state;

	h_start(&h, doc);
	h_plays(&h, "end");
	assert_int_equal(200, ivr_run_steps(h.r));
	h_done(&h);
	free(doc);
}

static void more_steps_without_waiting_go_to_the_agent(void **state)
{
	char *doc = chain(250, false);
	struct h h;
	(void)state;

	h_start(&h, doc);
	h_ends(&h, IVR_END_QUEUE, "support");
	assert_non_null(strstr(h.visits, "s200:error::0"));
	h_done(&h);
	free(doc);
}

static void a_spinning_flow_takes_on_error_and_it_runs_in_full(void **state)
{
	char *doc = chain(250, true);
	struct h h;
	(void)state;

	h_start(&h, doc);
	h_plays(&h, "sorry");
	assert_string_equal("1", ivr_run_var(h.r, "err"));
	h_played(&h, T + 1000);
	h_ends(&h, IVR_END_HANGUP, NULL);
	h_done(&h);
	free(doc);
}

static void a_failure_on_the_error_path_goes_to_the_agent(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, "{\"name\":\"main\",\"start\":\"go\",\"on_error\":\"again\","
		"\"agent\":{\"key\":\"0\",\"queue\":\"support\"},\"nodes\":{"
		"  \"go\":{\"kind\":\"subflow\",\"flow\":\"sub\",\"next\":\"q\"},"
		"  \"again\":{\"kind\":\"subflow\",\"flow\":\"sub\",\"next\":\"q\"},"
		"  \"q\":{\"kind\":\"queue\",\"queue\":\"sales\"}}}");
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 10});
	assert_string_equal("sub", h.out.want_flow);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_FLOW, .now_ms = T + 20});
	h_ends(&h, IVR_END_QUEUE, "support");
	assert_string_equal("go:error::0 again:error::0", h.visits);
	h_done(&h);
}

static void a_run_keeps_the_version_it_started_on(void **state)
{
	struct ivr_flow *v2;
	struct h h;
	(void)state;

	h_run(&h, h_flow(main_flow, 1));
	/* The flow is replaced: the next compile is a new version. */
	v2 = h_flow("{\"name\":\"main\",\"start\":\"q\",\"nodes\":{"
		    "\"q\":{\"kind\":\"queue\",\"queue\":\"support\"}}}", 2);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_START, .now_ms = T});
	h_plays(&h, "welcome");
	ivr_flow_unref(v2);
	h_key(&h, T + 500, '1');
	h_ends(&h, IVR_END_QUEUE, "sales");
	h_done(&h);
}

static void visits_tell_the_flow_its_version_and_times(void **state)
{
	struct h h;
	(void)state;

	h_run(&h, h_flow(main_flow, 42));
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_START, .now_ms = T});
	h_played(&h, T + 2000);
	h_played(&h, T + 3000);
	h_key(&h, T + 4500, '1');
	assert_int_equal(3, h.nvisits);
	assert_string_equal("main", h.last_flow);
	assert_int_equal(42, h.last.version);
	assert_int_equal(T + 4500, h.last.entered_ms);   /* sales */
	assert_int_equal(T + 4500, h.last.left_ms);
	h_done(&h);
}

static void a_hang_up_mid_node_is_told_once_with_exit_hangup(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, main_flow);
	h_played(&h, T + 2000);
	h_played(&h, T + 4000);
	h_key(&h, T + 5000, '5');
	h_hangup(&h, T + 6000);
	assert_int_equal(0, h.rc);
	h_hangup(&h, T + 7000);
	assert_int_equal(EALREADY, h.rc);
	h_key(&h, T + 8000, '1');
	assert_int_equal(EALREADY, h.rc);
	assert_string_equal("welcome:next::0 menu:hangup:5:1", h.visits);
	h_done(&h);
}

static void events_before_start_are_refused(void **state)
{
	struct h h;
	(void)state;

	h_run(&h, h_flow(main_flow, 1));
	h_key(&h, T, '1');
	assert_int_equal(EINVAL, h.rc);
	h_played(&h, T);
	assert_int_equal(EINVAL, h.rc);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_START, .now_ms = T});
	assert_int_equal(0, h.rc);
	h_feed(&h, (struct ivr_in){.kind = IVR_IN_START, .now_ms = T});
	assert_int_equal(EINVAL, h.rc);
	h_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_greeting_plays_on_start_and_no_timer_runs),
		cmocka_unit_test(a_menu_key_leads_to_its_node),
		cmocka_unit_test(a_key_during_a_barge_in_prompt_stops_it_and_is_taken),
		cmocka_unit_test(a_key_during_a_menu_prompt_stops_it_and_is_taken),
		cmocka_unit_test(a_key_during_a_prompt_without_barge_in_is_not_taken),
		cmocka_unit_test(the_agent_key_from_a_menu_goes_to_the_agent_queue),
		cmocka_unit_test(the_agent_key_during_the_greeting_goes_to_the_agent),
		cmocka_unit_test(a_menu_that_uses_the_agent_key_itself_takes_it),
		cmocka_unit_test(the_agent_key_from_a_collect_before_its_first_digit),
		cmocka_unit_test(after_a_first_digit_the_agent_key_is_a_digit),
		cmocka_unit_test(a_wrong_key_replays_with_its_notice_then_leaves_by_invalid),
		cmocka_unit_test(a_timeout_replays_with_its_notice_then_leaves_by_timeout),
		cmocka_unit_test(set_fills_variables_and_call_data_through_templates),
		cmocka_unit_test(built_in_variables_fill_templates),
		cmocka_unit_test(a_sub_flow_runs_then_returns_to_next),
		cmocka_unit_test(a_missing_sub_flow_takes_the_error_path),
		cmocka_unit_test(a_key_while_the_sub_flow_is_fetched_answers_its_menu),
		cmocka_unit_test(a_hang_up_in_a_sub_flow_ends_the_sub_flow_node_too),
		cmocka_unit_test(a_failure_in_a_sub_flow_ends_the_sub_flow_node_too),
		cmocka_unit_test(sub_flows_nested_too_deep_take_the_error_path),
		cmocka_unit_test(two_hundred_steps_in_one_event_are_allowed),
		cmocka_unit_test(more_steps_without_waiting_go_to_the_agent),
		cmocka_unit_test(a_spinning_flow_takes_on_error_and_it_runs_in_full),
		cmocka_unit_test(a_failure_on_the_error_path_goes_to_the_agent),
		cmocka_unit_test(a_run_keeps_the_version_it_started_on),
		cmocka_unit_test(visits_tell_the_flow_its_version_and_times),
		cmocka_unit_test(a_hang_up_mid_node_is_told_once_with_exit_hangup),
		cmocka_unit_test(events_before_start_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
