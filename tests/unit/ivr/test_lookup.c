/* ivr/lookup: the http node with a simulated host: what it asks for, how
 * the answer fills variables, and every way it fails — including a host
 * that never answers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "harness.h"

#define T H_T0

/* acct entered, then GET a balance, say it or say sorry */
static const char *const get_flow =
	"{\"name\":\"q\",\"start\":\"acct\",\"nodes\":{"
	"  \"acct\":{\"kind\":\"collect\",\"prompt\":\"account?\",\"var\":\"acct\","
	"           \"max\":8,\"first_timeout_ms\":5000,\"terminator\":\"\","
	"           \"next\":\"ask\",\"default\":\"bye\"},"
	"  \"ask\":{\"kind\":\"http\","
	"          \"url\":\"http://crm.test/b?acct={acct}&from={caller}&c={city}\","
	"          \"timeout_ms\":1500,"
	"          \"map\":{\"balance\":\"data.balance\",\"name\":\"data.who.0\"},"
	"          \"ok\":\"tell\",\"fail\":\"sorry\"},"
	"  \"tell\":{\"kind\":\"play\",\"prompt\":\"{name}: {balance}\","
	"           \"next\":\"bye\"},"
	"  \"sorry\":{\"kind\":\"play\",\"prompt\":\"sorry\",\"next\":\"bye\"},"
	"  \"bye\":{\"kind\":\"hangup\"}}}";

/* Starts get_flow and enters account "12*#" (no terminator: 4 digits,
 * ended by the inter-digit timeout). */
static void ask(struct h *h)
{
	h_start(h, get_flow);
	h_played(h, T + 1000);
	h_keys(h, T + 2000, "12*#");
	h_fire(h);
	assert_true(h->out.lookup);
}

static void answer(struct h *h, int64_t at, int err, const char *json)
{
	json_t *a = json ? json_loads(json, 0, NULL) : NULL;

	if (json)
		assert_non_null(a);
	h_feed(h, (struct ivr_in){.kind = IVR_IN_LOOKUP, .now_ms = at,
				  .lookup_err = err, .answer = a});
	json_decref(a);
}

static void a_get_asks_for_the_url_with_variables_url_encoded(void **state)
{
	struct h h;
	(void)state;

	ask(&h);
	assert_string_equal("GET", h.out.method);
	assert_string_equal("http://crm.test/b?acct=12%2A%23&from=13800000000"
			    "&c=%E6%B7%B1%E5%9C%B3", h.out.url);
	assert_null(h.out.body);
	assert_int_equal(1500, h.out.lookup_ms);
	h_done(&h);
}

static void the_answer_fills_the_mapped_variables_and_leaves_by_ok(
	void **state)
{
	struct h h;
	(void)state;

	ask(&h);
	answer(&h, h.now + 300, 0,
	       "{\"data\":{\"balance\":12.5,\"who\":[\"Li\"]}}");
	h_plays(&h, "Li: 12.50");
	assert_string_equal("12.50", ivr_run_var(h.r, "balance"));
	assert_int_equal(0, h.timer);
	h_done(&h);
}

static void a_host_error_leaves_by_fail(void **state)
{
	struct h h;
	(void)state;

	ask(&h);
	answer(&h, h.now + 300, ETIMEDOUT, NULL);
	h_plays(&h, "sorry");
	assert_non_null(strstr(h.visits, "ask:fail::0"));
	h_done(&h);
}

static void an_answer_that_is_no_object_leaves_by_fail(void **state)
{
	struct h h;
	(void)state;

	ask(&h);
	answer(&h, h.now + 300, 0, "[1, 2]");
	h_plays(&h, "sorry");
	h_done(&h);
}

static void an_answer_without_a_mapped_field_leaves_by_fail(void **state)
{
	struct h h;
	(void)state;

	ask(&h);
	answer(&h, h.now + 300, 0, "{\"data\":{\"balance\":3}}");
	h_plays(&h, "sorry");
	assert_null(ivr_run_var(h.r, "name"));
	h_done(&h);
}

static void a_host_that_never_answers_leaves_by_fail_on_the_nodes_timer(
	void **state)
{
	struct h h;
	int64_t asked;
	(void)state;

	ask(&h);
	asked = h.now;
	assert_int_equal(asked + 1500 + 2000, h.timer);  /* timeout + margin */
	h_fire(&h);
	h_plays(&h, "sorry");
	answer(&h, h.now + 100, 0, "{\"data\":{\"balance\":1,\"who\":[\"x\"]}}");
	h_plays(&h, NULL);                 /* too late: ignored */
	h_done(&h);
}

static void a_post_sends_its_body_as_json_with_values_escaped(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, "{\"name\":\"p\",\"start\":\"s\",\"nodes\":{"
		"  \"s\":{\"kind\":\"set\",\"vars\":{\"note\":\"say \\\"hi\\\"\"},"
		"        \"next\":\"post\"},"
		"  \"post\":{\"kind\":\"http\",\"method\":\"POST\","
		"           \"url\":\"http://crm.test/log\","
		"           \"body\":{\"caller\":\"{caller}\",\"note\":\"{note}\"},"
		"           \"ok\":\"q\",\"fail\":\"q\"},"
		"  \"q\":{\"kind\":\"queue\",\"queue\":\"support\"}}}");
	assert_true(h.out.lookup);
	assert_string_equal("POST", h.out.method);
	assert_string_equal("http://crm.test/log", h.out.url);
	assert_string_equal("{\"caller\":\"13800000000\","
			    "\"note\":\"say \\\"hi\\\"\"}", h.out.body);
	assert_int_equal(3000, h.out.lookup_ms);         /* the default */
	answer(&h, T + 100, 0, "{}");
	h_ends(&h, IVR_END_QUEUE, "support");
	h_done(&h);
}

static void a_body_on_a_get_is_refused(void **state)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	(void)state;

	assert_int_equal(EINVAL, h_compile(&f,
		"{\"name\":\"p\",\"start\":\"g\",\"nodes\":{"
		"  \"g\":{\"kind\":\"http\",\"url\":\"ftp://x\",\"body\":{\"a\":\"b\"},"
		"        \"ok\":\"q\",\"fail\":\"q\"},"
		"  \"q\":{\"kind\":\"queue\",\"queue\":\"support\"}}}", 1, &pr));
	assert_int_equal(2, pr.n);
	assert_string_equal("nodes.g.url", pr.v[0].path);
	assert_string_equal("nodes.g.body", pr.v[1].path);
	ivr_problems_reset(&pr);
}

/* The client speaks plain HTTP: an https:// service would fail every
 * call, so the flow is refused when it is saved, not when it is called. */
static void an_https_url_is_refused_when_the_flow_is_saved(void **state)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	(void)state;

	assert_int_equal(EINVAL, h_compile(&f,
		"{\"name\":\"p\",\"start\":\"g\",\"nodes\":{"
		"  \"g\":{\"kind\":\"http\",\"url\":\"https://crm.test/x\","
		"        \"ok\":\"q\",\"fail\":\"q\"},"
		"  \"q\":{\"kind\":\"queue\",\"queue\":\"support\"}}}", 1, &pr));
	assert_int_equal(1, pr.n);
	assert_string_equal("nodes.g.url", pr.v[0].path);
	assert_non_null(strstr(pr.v[0].msg, "https:// is not supported"));
	ivr_problems_reset(&pr);
}

/* A look-up, then a menu; 0 is the agent key. */
static const char *const ahead_flow =
	"{\"name\":\"q\",\"start\":\"ask\","
	" \"agent\":{\"key\":\"0\",\"queue\":\"vip\"},\"nodes\":{"
	"  \"ask\":{\"kind\":\"http\",\"url\":\"http://crm.test/v?n={caller}\","
	"          \"timeout_ms\":1500,\"map\":{\"v\":\"vip\"},"
	"          \"ok\":\"m\",\"fail\":\"m\"},"
	"  \"m\":{\"kind\":\"menu\",\"prompt\":\"1 sales 2 support\","
	"        \"timeout_ms\":3000,\"keys\":{\"1\":\"s\",\"2\":\"t\"},"
	"        \"timeout\":\"t\",\"invalid\":\"t\"},"
	"  \"s\":{\"kind\":\"queue\",\"queue\":\"sales\"},"
	"  \"t\":{\"kind\":\"queue\",\"queue\":\"support\"}}}";

static void a_key_during_the_look_up_answers_the_next_menu(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, ahead_flow);
	assert_true(h.out.lookup);
	h_key(&h, T + 100, '1');
	h_waits(&h);
	assert_false(h.out.play);
	answer(&h, T + 400, 0, "{\"vip\":\"no\"}");
	h_ends(&h, IVR_END_QUEUE, "sales");
	assert_string_equal("ask:ok:1:0 m:1:1:0 s:queue::0", h.visits);
	h_done(&h);
}

static void the_agent_key_during_the_look_up_goes_to_the_agent(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, ahead_flow);
	h_key(&h, T + 100, '0');
	h_ends(&h, IVR_END_QUEUE, "vip");
	h_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_get_asks_for_the_url_with_variables_url_encoded),
		cmocka_unit_test(the_answer_fills_the_mapped_variables_and_leaves_by_ok),
		cmocka_unit_test(a_host_error_leaves_by_fail),
		cmocka_unit_test(an_answer_that_is_no_object_leaves_by_fail),
		cmocka_unit_test(an_answer_without_a_mapped_field_leaves_by_fail),
		cmocka_unit_test(a_host_that_never_answers_leaves_by_fail_on_the_nodes_timer),
		cmocka_unit_test(a_post_sends_its_body_as_json_with_values_escaped),
		cmocka_unit_test(a_body_on_a_get_is_refused),
		cmocka_unit_test(an_https_url_is_refused_when_the_flow_is_saved),
		cmocka_unit_test(a_key_during_the_look_up_answers_the_next_menu),
		cmocka_unit_test(the_agent_key_during_the_look_up_goes_to_the_agent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
