/* qa/card: a scorecard's JSON form (docs/api.md) read into the scoring
 * core's card, with every problem of the form listed. */
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "qa/qa.h"

static bool has(const struct qa_problems *p, const char *text)
{
	for (size_t i = 0; i < p->n && i < QA_PROBLEMS_MAX; i++)
		if (strstr(p->msg[i], text))
			return true;
	return false;
}

static json_t *parse(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	assert_non_null(j);
	return j;
}

static void a_weights_card_reads_into_sections_and_items(void **state)
{
	json_t *j = parse("[{\"title\":\"开场\",\"items\":["
		"{\"id\":\"greet\",\"text\":\"问候\",\"weight\":40},"
		"{\"id\":\"notice\",\"text\":\"告知录音\",\"weight\":0,"
		"\"critical\":true}]},"
		"{\"title\":\"处理\",\"items\":[{\"id\":\"solve\",\"text\":"
		"\"解决\",\"weight\":60}]}]");
	struct qa_problems p = {0};
	struct qa_card c;
	(void)state;

	assert_int_equal(0, qa_card_read(j, QA_WEIGHTS, &c, &p));
	assert_int_equal(2, c.nsections);
	assert_int_equal(3, c.nitems);
	assert_string_equal("处理", c.sections[1]);
	assert_string_equal("notice", c.items[1].id);
	assert_true(c.items[1].critical);
	assert_int_equal(1, c.items[2].section);
	assert_true(c.items[2].worth == 60);
	json_decref(j);
}

static void a_points_card_takes_points_not_weights(void **state)
{
	json_t *j = parse("[{\"title\":\"全部\",\"items\":["
		"{\"id\":\"a\",\"text\":\"x\",\"points\":3},"
		"{\"id\":\"b\",\"text\":\"y\",\"weight\":2}]}]");
	struct qa_problems p = {0};
	struct qa_card c;
	enum qa_mode m;
	(void)state;

	assert_int_equal(EINVAL, qa_card_read(j, QA_POINTS, &c, &p));
	assert_true(has(&p, "item b: a points card gives points, not weight"));
	assert_int_equal(1, p.n);
	assert_int_equal(0, qa_mode_parse("points", &m));
	assert_int_equal(QA_POINTS, m);
	assert_int_equal(EINVAL, qa_mode_parse("stars", &m));
	json_decref(j);
}

/* Everything wrong is listed, not just the first. */
static void every_problem_of_the_form_is_listed(void **state)
{
	json_t *j = parse("[{\"items\":["
		"{\"id\":\"a\",\"weight\":50,\"critical\":\"yes\"},"
		"7,"
		"{\"id\":\"c\",\"text\":\"z\"}]},"
		"{\"title\":\"空\",\"items\":{}}]");
	struct qa_problems p = {0};
	struct qa_card c;
	(void)state;

	assert_int_equal(EINVAL, qa_card_read(j, QA_WEIGHTS, &c, &p));
	assert_true(has(&p, "item a: text required"));
	assert_true(has(&p, "item a: critical is true or false"));
	assert_true(has(&p, "item 2: want an object"));
	assert_true(has(&p, "item c: weight required"));
	assert_true(has(&p, "section 2: items must be an array"));
	assert_true(has(&p, "section 1: title required"));
	json_decref(j);
}

static void no_sections_is_one_problem(void **state)
{
	json_t *j = parse("[]");
	struct qa_problems p = {0};
	struct qa_card c;
	(void)state;

	assert_int_equal(EINVAL, qa_card_read(j, QA_WEIGHTS, &c, &p));
	assert_int_equal(1, p.n);
	assert_true(has(&p, "sections: want an array"));
	assert_int_equal(EINVAL, qa_card_read(NULL, QA_WEIGHTS, &c, &p));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_weights_card_reads_into_sections_and_items),
		cmocka_unit_test(a_points_card_takes_points_not_weights),
		cmocka_unit_test(every_problem_of_the_form_is_listed),
		cmocka_unit_test(no_sections_is_one_problem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
