/* queue/codes: a not-ready reason or wrap-up code from JSON, field by
 * field, and the list kept in the console's order. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "queue/queue_int.h"

static int apply(enum queue_code_kind k, struct queue_code *c, bool create,
		 const char *text, char *why)
{
	json_t *o = json_loads(text, 0, NULL);
	int err;

	assert_non_null(o);
	err = queue_code_apply(k, c, o, create, why, 160);
	json_decref(o);
	return err;
}

static void test_create(void **state)
{
	struct queue_code c;
	char why[160] = "";

	(void)state;
	memset(&c, 0x55, sizeof(c));
	assert_int_equal(apply(QUEUE_WRAPUP_CODES, &c, true, "{\"code\":\"sale\","
			       "\"label_zh\":\"销售\",\"label_en\":\"Sale\","
			       "\"queue\":\"sales\",\"sort\":-3}", why), 0);
	assert_string_equal(c.code, "sale");
	assert_string_equal(c.label_zh, "销售");
	assert_string_equal(c.queue, "sales");
	assert_int_equal(c.sort, -3);
	assert_true(c.active);
	/* null or "" is every queue */
	assert_int_equal(apply(QUEUE_WRAPUP_CODES, &c, false,
			       "{\"queue\":null}", why), 0);
	assert_string_equal(c.queue, "");
}

/* Each refusal names its field and leaves the row as it was. */
static void test_refusals(void **state)
{
	static const struct {
		enum queue_code_kind k;
		bool create;
		const char *body, *why;
	} cases[] = {
		{QUEUE_REASONS, true, "{\"label_zh\":\"x\",\"label_en\":\"x\"}",
		 "code:"},
		{QUEUE_REASONS, true, "{\"code\":\"a b\",\"label_zh\":\"x\","
		 "\"label_en\":\"x\"}", "code:"},
		{QUEUE_REASONS, true, "{\"code\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
		 "\"label_zh\":\"x\",\"label_en\":\"x\"}", "code:"},
		{QUEUE_REASONS, true, "{\"code\":\"a\",\"label_en\":\"x\"}",
		 "label_zh: required"},
		{QUEUE_REASONS, true, "{\"code\":\"a\",\"label_zh\":\"\","
		 "\"label_en\":\"x\"}", "label_zh:"},
		{QUEUE_REASONS, false, "{\"queue\":\"sales\"}", "queue: unknown"},
		{QUEUE_REASONS, false, "{\"colour\":1}", "colour: unknown"},
		{QUEUE_REASONS, false, "{\"code\":\"other\"}", "code: cannot"},
		{QUEUE_REASONS, false, "{\"sort\":1.5}", "sort:"},
		{QUEUE_REASONS, false, "{\"sort\":2000000}", "sort:"},
		{QUEUE_REASONS, false, "{\"active\":1}", "active:"},
		{QUEUE_WRAPUP_CODES, false, "{\"queue\":\"no such\"}", "queue:"},
		{QUEUE_WRAPUP_CODES, false, "{\"queue\":5}", "queue:"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct queue_code c = {.code = "break", .label_zh = "休息",
				       .label_en = "Break", .sort = 7,
				       .active = true}, before = c;
		char why[160] = "";

		assert_int_equal(apply(cases[i].k, &c, cases[i].create,
				       cases[i].body, why), EINVAL);
		if (strncmp(why, cases[i].why, strlen(cases[i].why)))
			fail_msg("case %zu: %s", i, why);
		assert_memory_equal(&c, &before, sizeof(c));
	}
}

static void test_list_order(void **state)
{
	struct queue_codes s = {0};
	struct queue_code a = {.code = "b", .sort = 2}, b = {.code = "a",
		.sort = 2}, c = {.code = "z", .sort = 1};
	json_t *j;

	(void)state;
	assert_int_equal(queue_codes_put(&s, &a), 0);
	assert_int_equal(queue_codes_put(&s, &b), 0);
	assert_int_equal(queue_codes_put(&s, &c), 0);
	assert_string_equal(s.v[0].code, "z");
	assert_string_equal(s.v[1].code, "a");
	assert_string_equal(s.v[2].code, "b");
	c.sort = 3;                       /* replaces, re-sorts */
	assert_int_equal(queue_codes_put(&s, &c), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[2].code, "z");
	assert_non_null(queue_code_find(&s, "a"));
	assert_true(queue_codes_del(&s, "a"));
	assert_false(queue_codes_del(&s, "a"));
	assert_null(queue_code_find(&s, "a"));
	j = queue_codes_json(QUEUE_WRAPUP_CODES, &s);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	assert_true(json_is_null(json_object_get(json_array_get(
		json_object_get(j, "items"), 0), "queue")));
	json_decref(j);
	j = queue_code_json(QUEUE_REASONS, &s.v[0]);
	assert_null(json_object_get(j, "queue"));
	json_decref(j);
	queue_codes_free(&s);
	assert_int_equal(s.n, 0);
}

static void test_wrapup_required_holds(void **state)
{
	struct queue_qcfg q;
	struct acd_queue_cfg ac;
	char why[160] = "";
	json_t *o = json_loads("{\"wrapup_ms\":5000,\"wrapup_required\":true}",
			       0, NULL);

	(void)state;
	queue_qcfg_default(&q, "q");
	assert_false(q.wrapup_required);
	assert_int_equal(queue_qcfg_apply(&q, o, why, sizeof(why)), 0);
	assert_true(q.wrapup_required);
	assert_int_equal(queue_qcfg_acd(&q, 1, NULL, NULL, &ac, why,
					sizeof(why)), 0);
	assert_int_equal(ac.wrapup_ms, QUEUE_WRAPUP_HOLD_MS);
	q.wrapup_required = false;
	assert_int_equal(queue_qcfg_acd(&q, 1, NULL, NULL, &ac, why,
					sizeof(why)), 0);
	assert_int_equal(ac.wrapup_ms, 5000);
	json_decref(o);
	o = json_loads("{\"wrapup_required\":\"yes\"}", 0, NULL);
	assert_int_equal(queue_qcfg_apply(&q, o, why, sizeof(why)), EINVAL);
	assert_non_null(strstr(why, "wrapup_required"));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_list_order),
		cmocka_unit_test(test_wrapup_required_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
