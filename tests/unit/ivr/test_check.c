/* ivr/check: every refusal of the validator, each with the path to what is
 * wrong, and every problem of a document listed at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "harness.h"

/* Compiles text, which must be refused, into pr. */
static void refuse(const char *text, struct ivr_problems *pr)
{
	struct ivr_flow *f = NULL;

	assert_int_equal(EINVAL, h_compile(&f, text, 1, pr));
	assert_null(f);
	assert_true(pr->n > 0);
}

/* pr has a problem at path whose message contains part. */
static void has(const struct ivr_problems *pr, const char *path,
		const char *part)
{
	for (size_t i = 0; i < pr->n; i++) {
		if (!strcmp(pr->v[i].path, path) &&
		    strstr(pr->v[i].msg, part))
			return;
	}
	for (size_t i = 0; i < pr->n; i++)
		print_error("%s: %s\n", pr->v[i].path, pr->v[i].msg);
	fail_msg("no problem at %s saying \"%s\"", path, part);
}

/* Refused with exactly one problem, at path, saying part. */
static void only(const char *text, const char *path, const char *part)
{
	struct ivr_problems pr = {0};

	refuse(text, &pr);
	has(&pr, path, part);
	if (pr.n != 1) {
		for (size_t i = 0; i < pr.n; i++)
			print_error("%s: %s\n", pr.v[i].path, pr.v[i].msg);
		fail_msg("%zu problems, want 1", pr.n);
	}
	ivr_problems_reset(&pr);
}

#define FLOW(nodes) "{\"name\":\"t\",\"start\":\"a\",\"nodes\":{" nodes "}}"
#define BYE "\"z\":{\"kind\":\"hangup\"}"
#define MENU_OK "\"prompt\":\"p\",\"timeout_ms\":5000,\"keys\":{\"1\":\"z\"}," \
	"\"default\":\"z\""

static void a_good_flow_compiles_with_no_problem(void **state)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	(void)state;

	assert_int_equal(0, h_compile(&f, FLOW(
		"\"a\":{\"kind\":\"play\",\"prompt\":\"hi {caller}\",\"next\":\"m\"},"
		"\"m\":{\"kind\":\"menu\",\"prompt\":\"p\",\"timeout_ms\":5000,"
		"\"keys\":{\"1\":\"c\"},\"default\":\"z\"},"
		"\"c\":{\"kind\":\"collect\",\"prompt\":\"p\",\"var\":\"acct\","
		"\"max\":4,\"first_timeout_ms\":5000,\"next\":\"s\",\"default\":\"z\"},"
		"\"s\":{\"kind\":\"say\",\"value\":\"{acct}\",\"as\":\"digits\",\"next\":\"q\"},"
		"\"q\":{\"kind\":\"queue\",\"queue\":\"support\"}," BYE), 7, &pr));
	assert_int_equal(0, pr.n);
	assert_string_equal("t", ivr_flow_name(f));
	assert_int_equal(7, ivr_flow_version(f));
	ivr_flow_unref(f);
}

static void an_unknown_kind_is_refused_at_its_kind(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"dance\"}"), "nodes.a.kind",
	     "unknown kind \"dance\"");
}

static void an_unknown_key_in_a_node_is_refused_at_the_key(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"hangup\",\"colour\":\"red\"}"),
	     "nodes.a.colour", "unknown key");
}

static void an_exit_to_no_node_is_refused_at_the_exit(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"play\",\"prompt\":\"p\",\"next\":\"nowhere\"}"),
	     "nodes.a.next", "no node \"nowhere\"");
}

static void a_missing_required_exit_is_refused(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"play\",\"prompt\":\"p\"}"),
	     "nodes.a.next", "required");
}

static void a_node_no_path_reaches_is_refused(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"hangup\"}," BYE), "nodes.z",
	     "unreachable");
}

static void a_menu_without_timeout_is_refused(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"menu\",\"prompt\":\"p\",\"keys\":{\"1\":\"z\"},"
		  "\"default\":\"z\"}," BYE), "nodes.a.timeout_ms", "required");
}

static void a_menu_without_timeout_and_invalid_exits_is_refused_at_both(
	void **state)
{
	struct ivr_problems pr = {0};
	(void)state;

	refuse(FLOW("\"a\":{\"kind\":\"menu\",\"prompt\":\"p\",\"timeout_ms\":5000,"
		    "\"keys\":{\"1\":\"z\"}}," BYE), &pr);
	has(&pr, "nodes.a.timeout", "required (or \"default\")");
	has(&pr, "nodes.a.invalid", "required (or \"default\")");
	assert_int_equal(2, pr.n);
	ivr_problems_reset(&pr);
}

static void a_menu_key_that_is_no_key_is_refused(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"menu\"," MENU_OK ",\"keys\":{\"x\":\"z\"}}," BYE),
	     "nodes.a.keys.x", "0-9, * or #");
}

static void a_collect_without_timeout_or_exits_is_refused(void **state)
{
	struct ivr_problems pr = {0};
	(void)state;

	refuse(FLOW("\"a\":{\"kind\":\"collect\",\"prompt\":\"p\",\"var\":\"v\","
		    "\"max\":4,\"next\":\"z\"}," BYE), &pr);
	has(&pr, "nodes.a.first_timeout_ms", "required");
	has(&pr, "nodes.a.timeout", "required");
	has(&pr, "nodes.a.invalid", "required");
	assert_int_equal(3, pr.n);
	ivr_problems_reset(&pr);
}

static void a_loop_that_never_waits_for_the_caller_is_refused(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"play\",\"prompt\":\"p\",\"next\":\"b\"},"
		  "\"b\":{\"kind\":\"set\",\"vars\":{\"x\":\"1\"},\"next\":\"a\"}"),
	     "nodes.a", "a loop that never waits for the caller: a → b → a");
}

static void a_loop_through_a_menu_is_fine(void **state)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	(void)state;

	assert_int_equal(0, h_compile(&f, FLOW(
		"\"a\":{\"kind\":\"play\",\"prompt\":\"p\",\"next\":\"m\"},"
		"\"m\":{\"kind\":\"menu\",\"prompt\":\"p\",\"timeout_ms\":5000,"
		"\"keys\":{\"9\":\"a\",\"1\":\"z\"},\"default\":\"z\"}," BYE),
		1, &pr));
	ivr_flow_unref(f);
}

static void a_variable_read_before_any_node_sets_it_is_refused(void **state)
{
	(void)state;
	/* key 1 sets the balance before it is said, key 2 does not */
	only(FLOW("\"a\":{\"kind\":\"menu\",\"prompt\":\"p\",\"timeout_ms\":5000,"
		  "\"keys\":{\"1\":\"s\",\"2\":\"p\"},\"default\":\"z\"},"
		  "\"s\":{\"kind\":\"set\",\"vars\":{\"balance\":\"1\"},\"next\":\"p\"},"
		  "\"p\":{\"kind\":\"play\",\"prompt\":\"you have {balance}\","
		  "\"next\":\"z\"}," BYE),
	     "nodes.p", "reads \"balance\", which not every path to it sets");
}

static void a_variable_set_on_every_path_is_fine(void **state)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	(void)state;

	assert_int_equal(0, h_compile(&f, FLOW(
		"\"a\":{\"kind\":\"menu\",\"prompt\":\"p\",\"timeout_ms\":5000,"
		"\"keys\":{\"1\":\"s\",\"2\":\"t\"},\"default\":\"z\"},"
		"\"s\":{\"kind\":\"set\",\"vars\":{\"balance\":\"1\"},\"next\":\"p\"},"
		"\"t\":{\"kind\":\"set\",\"vars\":{\"balance\":\"2\"},\"next\":\"p\"},"
		"\"p\":{\"kind\":\"play\",\"prompt\":\"you have {balance}\","
		"\"next\":\"z\"}," BYE), 1, &pr));
	ivr_flow_unref(f);
}

static void a_set_node_may_read_what_it_set_just_before(void **state)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	(void)state;

	assert_int_equal(0, h_compile(&f, FLOW(
		"\"a\":{\"kind\":\"set\",\"vars\":{\"who\":\"{caller}\"},"
		"\"data\":{\"crm\":{\"who\":\"{who}\"}},\"next\":\"m\"},"
		"\"m\":{\"kind\":\"menu\"," MENU_OK "}," BYE), 1, &pr));
	ivr_flow_unref(f);
}

static void a_set_node_may_not_read_what_it_sets_after(void **state)
{
	(void)state;
	only(FLOW("\"a\":{\"kind\":\"set\",\"vars\":{\"x\":\"{y}\",\"y\":\"1\"},"
		  "\"next\":\"m\"},"
		  "\"m\":{\"kind\":\"menu\"," MENU_OK "}," BYE),
	     "nodes.a", "reads \"y\"");
}

static void an_unknown_queue_extension_or_flow_is_refused(void **state)
{
	struct ivr_problems pr = {0};
	(void)state;

	refuse(FLOW("\"a\":{\"kind\":\"menu\",\"prompt\":\"p\",\"timeout_ms\":5000,"
		    "\"keys\":{\"1\":\"q\",\"2\":\"x\",\"3\":\"f\"},\"default\":\"z\"},"
		    "\"q\":{\"kind\":\"queue\",\"queue\":\"nobody\"},"
		    "\"x\":{\"kind\":\"transfer\",\"extension\":\"9999\"},"
		    "\"f\":{\"kind\":\"subflow\",\"flow\":\"ghost\",\"next\":\"z\"},"
		    BYE), &pr);
	has(&pr, "nodes.q.queue", "no queue \"nobody\"");
	has(&pr, "nodes.x.extension", "no extension \"9999\"");
	has(&pr, "nodes.f.flow", "no flow \"ghost\"");
	assert_int_equal(3, pr.n);
	ivr_problems_reset(&pr);
}

static void the_agent_queue_must_exist(void **state)
{
	(void)state;
	only("{\"name\":\"t\",\"start\":\"z\",\"agent\":{\"key\":\"0\","
	     "\"queue\":\"nobody\"},\"nodes\":{" BYE "}}",
	     "agent.queue", "no queue \"nobody\"");
}

static void a_bad_schedule_is_refused_at_its_hours(void **state)
{
	struct ivr_problems pr = {0};
	(void)state;

	refuse(FLOW("\"a\":{\"kind\":\"schedule\",\"hours\":{\"weekly\":"
		    "[{\"days\":[\"someday\"],\"from\":\"09:00\",\"to\":\"18:00\"}]},"
		    "\"open\":\"z\",\"closed\":\"z\"}," BYE), &pr);
	assert_int_equal(1, pr.n);
	assert_string_equal("nodes.a.hours", pr.v[0].path);
	ivr_problems_reset(&pr);
}

static void every_problem_is_listed_at_once(void **state)
{
	struct ivr_problems pr = {0};
	(void)state;

	refuse("{\"name\":\"t\",\"start\":\"a\",\"colour\":1,\"nodes\":{"
	       "\"a\":{\"kind\":\"play\",\"prompt\":\"p\",\"next\":\"b\"},"
	       "\"b\":{\"kind\":\"menu\",\"prompt\":\"{nope}\",\"keys\":{\"1\":\"gone\"},"
	       "\"default\":\"z\"},"
	       "\"c\":{\"kind\":\"dance\"},"
	       "\"q\":{\"kind\":\"queue\",\"queue\":\"nobody\",\"colour\":2},"
	       BYE "}}", &pr);
	has(&pr, "colour", "unknown key");
	has(&pr, "nodes.b.timeout_ms", "required");
	has(&pr, "nodes.b.keys.1", "no node \"gone\"");
	has(&pr, "nodes.b", "reads \"nope\"");
	has(&pr, "nodes.c.kind", "unknown kind");
	has(&pr, "nodes.c", "unreachable");
	has(&pr, "nodes.q.queue", "no queue");
	has(&pr, "nodes.q.colour", "unknown key");
	has(&pr, "nodes.q", "unreachable");
	assert_int_equal(9, pr.n);
	ivr_problems_reset(&pr);
}

static void problems_past_200_are_counted_not_kept(void **state)
{
	struct ivr_problems pr = {0};
	char *doc = malloc(64 * 1024);
	size_t l;
	(void)state;

	/* 250 nodes of an unknown kind, 249 of them unreachable: 499. */
	l = (size_t)sprintf(doc, "{\"name\":\"t\",\"start\":\"n0\",\"nodes\":{");
	for (int i = 0; i < 250; i++)
		l += (size_t)sprintf(doc + l, "%s\"n%d\":{\"kind\":\"x\"}",
				     i ? "," : "", i);
	strcpy(doc + l, "}}");
	refuse(doc, &pr);
	assert_int_equal(200, pr.n);
	assert_int_equal(299, pr.dropped);
	assert_string_equal("nodes.n0.kind", pr.v[0].path);
	ivr_problems_reset(&pr);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_good_flow_compiles_with_no_problem),
		cmocka_unit_test(an_unknown_kind_is_refused_at_its_kind),
		cmocka_unit_test(an_unknown_key_in_a_node_is_refused_at_the_key),
		cmocka_unit_test(an_exit_to_no_node_is_refused_at_the_exit),
		cmocka_unit_test(a_missing_required_exit_is_refused),
		cmocka_unit_test(a_node_no_path_reaches_is_refused),
		cmocka_unit_test(a_menu_without_timeout_is_refused),
		cmocka_unit_test(a_menu_without_timeout_and_invalid_exits_is_refused_at_both),
		cmocka_unit_test(a_menu_key_that_is_no_key_is_refused),
		cmocka_unit_test(a_collect_without_timeout_or_exits_is_refused),
		cmocka_unit_test(a_loop_that_never_waits_for_the_caller_is_refused),
		cmocka_unit_test(a_loop_through_a_menu_is_fine),
		cmocka_unit_test(a_variable_read_before_any_node_sets_it_is_refused),
		cmocka_unit_test(a_variable_set_on_every_path_is_fine),
		cmocka_unit_test(a_set_node_may_read_what_it_set_just_before),
		cmocka_unit_test(a_set_node_may_not_read_what_it_sets_after),
		cmocka_unit_test(an_unknown_queue_extension_or_flow_is_refused),
		cmocka_unit_test(the_agent_queue_must_exist),
		cmocka_unit_test(a_bad_schedule_is_refused_at_its_hours),
		cmocka_unit_test(every_problem_is_listed_at_once),
		cmocka_unit_test(problems_past_200_are_counted_not_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
