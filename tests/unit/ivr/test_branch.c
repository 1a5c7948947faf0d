/* ivr branch node: a flow that picks a queue from the caller's number,
 * region, a variable, call data and the time; its else exit; a condition
 * that cannot be decided takes the error path; and what the compiler
 * refuses. The number dialled sets the variable "tier" and the call id
 * the call data order.status, so each call below can differ. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <jansson.h>
#include "ivr/ivr.h"

static const char *const flow_text =
	"{\"name\": \"pick\", \"start\": \"note\", \"on_error\": \"sorry\","
	" \"nodes\": {"
	"  \"note\": {\"kind\": \"set\", \"vars\": {\"tier\": \"{did}\"},"
	"            \"data\": {\"order\": {\"status\": \"{call_id}\"}},"
	"            \"next\": \"pick\"},"
	"  \"pick\": {\"kind\": \"branch\", \"cases\": ["
	"    {\"if\": \"startswith(caller, '400')\", \"next\": \"vip\"},"
	"    {\"if\": \"province in ['广东', '广西'] && city != '深圳'\","
	"     \"next\": \"south\"},"
	"    {\"if\": \"tier >= 3\", \"next\": \"gold\"},"
	"    {\"if\": \"data.order.status == 'shipped'\", \"next\": \"shipped\"},"
	"    {\"if\": \"time.hour >= 18\", \"next\": \"night\"}],"
	"   \"else\": \"general\"},"
	"  \"vip\": {\"kind\": \"queue\", \"queue\": \"vip\"},"
	"  \"south\": {\"kind\": \"queue\", \"queue\": \"south\"},"
	"  \"gold\": {\"kind\": \"queue\", \"queue\": \"gold\"},"
	"  \"shipped\": {\"kind\": \"queue\", \"queue\": \"shipped\"},"
	"  \"night\": {\"kind\": \"queue\", \"queue\": \"night\"},"
	"  \"general\": {\"kind\": \"queue\", \"queue\": \"general\"},"
	"  \"sorry\": {\"kind\": \"queue\", \"queue\": \"errors\"}}}";

static struct ivr_flow *compile(const char *text, struct ivr_problems *pr)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	struct ivr_flow *f = NULL;

	if (!doc)
		fail_msg("bad test JSON: %s", jerr.text);
	(void)ivr_flow_compile(&f, doc, 1, NULL, pr);
	json_decref(doc);
	return f;
}

static int setup(void **state)
{
	struct ivr_problems pr = {0};

	*state = compile(flow_text, &pr);
	if (!*state)
		fail_msg("refused: %s: %s", pr.n ? pr.v[0].path : "?",
			 pr.n ? pr.v[0].msg : "?");
	ivr_problems_reset(&pr);
	return 0;
}

static int teardown(void **state)
{
	ivr_flow_unref(*state);
	return 0;
}

/* 2026-12-05 (UTC) at hour h. */
static int64_t at_hour(int h)
{
	struct tm tm = {.tm_year = 126, .tm_mon = 11, .tm_mday = 5,
		.tm_hour = h};

	return (int64_t)timegm(&tm) * 1000;
}

/* The queue a call ends in, started at hour h. */
static const char *taken(struct ivr_flow *f, const struct ivr_caller *who,
			 int h)
{
	static char target[64];
	struct ivr_run *r = NULL;
	struct ivr_in in = {.kind = IVR_IN_START, .now_ms = at_hour(h)};
	struct ivr_out out;

	assert_int_equal(0, ivr_run_alloc(&r, f, who, NULL, NULL));
	assert_int_equal(0, ivr_run_feed(r, &in, &out));
	assert_int_equal(IVR_END_QUEUE, out.end);
	snprintf(target, sizeof(target), "%s", out.target);
	ivr_run_free(r);
	return target;
}

static void the_first_case_that_holds_is_taken(void **state)
{
	static const struct {
		struct ivr_caller who;
		int hour;
		const char *queue;
	} t[] = {
		{{.caller = "4001234567", .province = "广东", .city = "广州"},
		 20, "vip"},
		{{.caller = "13812345678", .province = "广东", .city = "广州"},
		 20, "south"},
		{{.caller = "13812345678", .province = "广西", .city = "南宁"},
		 9, "south"},
		{{.caller = "13812345678", .province = "广东", .city = "深圳",
		  .did = "3"}, 9, "gold"},
		{{.caller = "13812345678", .province = "湖南", .did = "2",
		  .call_id = "shipped"}, 20, "shipped"},
		{{.caller = "13812345678", .did = "2.5", .call_id = "new"}, 18,
		 "night"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		const char *q = taken(*state, &t[i].who, t[i].hour);

		if (strcmp(q, t[i].queue))
			fail_msg("row %zu: went to %s, want %s", i, q,
				 t[i].queue);
	}
}

static void no_case_holding_takes_else(void **state)
{
	const struct ivr_caller who = {.caller = "13812345678",
		.province = "湖南", .city = "长沙", .did = "1",
		.call_id = "new"};

	assert_string_equal("general", taken(*state, &who, 17));
}

/* "tier >= 3" with tier "abc" cannot be decided. */
static void a_condition_that_cannot_be_decided_takes_the_error_path(
	void **state)
{
	const struct ivr_caller who = {.caller = "13812345678",
		.did = "abc"};

	assert_string_equal("errors", taken(*state, &who, 9));
}

static bool has_problem(const struct ivr_problems *pr, const char *path,
			const char *msg)
{
	for (size_t i = 0; i < pr->n; i++) {
		if (!strcmp(pr->v[i].path, path) && !strcmp(pr->v[i].msg, msg))
			return true;
	}
	return false;
}

static void the_compiler_names_a_bad_condition_and_a_variable_never_set(
	void **state)
{
	struct ivr_problems pr = {0};
	(void)state;

	assert_null(compile("{\"name\": \"bad\", \"start\": \"pick\","
		" \"nodes\": {"
		"  \"pick\": {\"kind\": \"branch\", \"cases\": ["
		"    {\"if\": \"vip &&\", \"next\": \"a\"},"
		"    {\"if\": \"tier == 'gold'\", \"next\": \"a\"},"
		"    {\"if\": \"tier\"}],"
		"   \"else\": \"a\"},"
		"  \"a\": {\"kind\": \"hangup\"}}}", &pr));
	if (!has_problem(&pr, "nodes.pick.cases[0].if",
			 "col 7: expected an operand after '&&'") ||
	    !has_problem(&pr, "nodes.pick.cases[2]",
			 "expected {\"if\": condition, \"next\": node}") ||
	    !has_problem(&pr, "nodes.pick",
			 "reads \"tier\", which not every path to it sets"))
		fail_msg("%zu problems, first %s: %s", pr.n,
			 pr.n ? pr.v[0].path : "-", pr.n ? pr.v[0].msg : "-");
	ivr_problems_reset(&pr);
	assert_null(compile("{\"name\": \"bad\", \"start\": \"pick\","
		" \"nodes\": {\"pick\": {\"kind\": \"branch\", \"cases\": [],"
		" \"else\": \"a\"}, \"a\": {\"kind\": \"hangup\"}}}", &pr));
	assert_true(has_problem(&pr, "nodes.pick.cases",
				"required: 1-16 of {\"if\", \"next\"}"));
	ivr_problems_reset(&pr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			the_first_case_that_holds_is_taken, setup, teardown),
		cmocka_unit_test_setup_teardown(no_case_holding_takes_else,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_condition_that_cannot_be_decided_takes_the_error_path,
			setup, teardown),
		cmocka_unit_test(
			the_compiler_names_a_bad_condition_and_a_variable_never_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
