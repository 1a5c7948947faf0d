/* qa/score: how a call is scored on a scorecard. The card below is the
 * one every test starts from: weights adding up to 100 in two sections,
 * one critical compliance item worth 0 (the recording notice). */
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "qa/score.h"

static struct qa_card card(void)
{
	struct qa_card c = {
		.mode = QA_WEIGHTS, .nsections = 2,
		.sections = {"开场", "处理"}, .nitems = 5,
		.items = {
			{"greet",   "标准问候语",     20, false, 0},
			{"notice",  "告知通话录音",    0, true,  0},
			{"listen",  "耐心倾听",       30, false, 1},
			{"solve",   "解决问题",       40, false, 1},
			{"close",   "结束语",         10, false, 1},
		},
	};
	return c;
}

#define R(id, a) {id, QA_A_##a}

static bool has(const struct qa_problems *p, const char *text)
{
	for (size_t i = 0; i < p->n && i < QA_PROBLEMS_MAX; i++)
		if (strstr(p->msg[i], text))
			return true;
	return false;
}

static void all_yes_is_100(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", YES), R("notice", YES),
			       R("listen", YES), R("solve", YES),
			       R("close", YES)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(0, qa_card_check(&c, &p));
	assert_int_equal(0, qa_score(&c, r, 5, &res, &p));
	assert_true(res.score == 100);
	assert_false(res.failed_critical);
	assert_true(res.section_score[0] == 100 && res.section_score[1] == 100);
}

/* greet no (0 of 20), solve partial (20 of 40): 60 of 100. */
static void partial_earns_half_and_no_earns_nothing(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", NO), R("notice", YES),
			       R("listen", YES), R("solve", PARTIAL),
			       R("close", YES)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(0, qa_score(&c, r, 5, &res, &p));
	assert_true(res.score == 60);
	assert_true(res.earned == 60 && res.possible == 100);
	assert_true(res.section_score[0] == 0);
	assert_true(res.section_score[1] == 75);   /* 60 of 80 */
}

/* solve (40) is N.A.: listen no leaves 30 of 60 earned → 50, not 30. */
static void na_items_drop_out_and_the_rest_renormalise(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", YES), R("notice", YES),
			       R("listen", NO), R("solve", NA),
			       R("close", YES)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(0, qa_score(&c, r, 5, &res, &p));
	assert_true(res.possible == 60);
	assert_true(res.score == 50);
	assert_true(res.section_score[1] == 25);   /* 10 of 40 */
}

static void a_section_all_na_has_no_score_of_its_own(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", NA), R("notice", NA),
			       R("listen", YES), R("solve", YES),
			       R("close", NO)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(0, qa_score(&c, r, 5, &res, &p));
	assert_true(res.section_score[0] == -1);
	assert_true(res.score == 87.5);            /* 70 of 80 */
}

/* Everything else perfect, the recording notice missing: the call fails. */
static void a_failed_critical_item_fails_the_whole_call(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", YES), R("notice", NO),
			       R("listen", YES), R("solve", YES),
			       R("close", YES)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(0, qa_score(&c, r, 5, &res, &p));
	assert_true(res.failed_critical);
	assert_true(res.score == 0);
	assert_true(res.earned == 100);   /* what was earned is still shown */
}

static void a_critical_item_na_does_not_fail_the_call(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", YES), R("notice", NA),
			       R("listen", YES), R("solve", YES),
			       R("close", YES)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(0, qa_score(&c, r, 5, &res, &p));
	assert_false(res.failed_critical);
	assert_true(res.score == 100);
}

/* Two problems and both are reported, nothing scored. */
static void weights_must_add_up_to_100_and_every_problem_is_listed(void **state)
{
	struct qa_card c = card();
	struct qa_problems p = {0};
	(void)state;

	c.items[4].worth = 15;                    /* 105 */
	c.items[3].id = "listen";                 /* a twin */
	assert_int_equal(EINVAL, qa_card_check(&c, &p));
	assert_int_equal(2, p.n);
	assert_true(has(&p, "weights add up to 105, not 100"));
	assert_true(has(&p, "item listen: id used twice"));
}

static void an_empty_section_and_a_weightless_item_are_refused(void **state)
{
	struct qa_card c = card();
	struct qa_problems p = {0};
	(void)state;

	c.nsections = 3;
	c.sections[2] = "收尾";
	c.items[0].worth = 0;                     /* not critical */
	c.items[1].worth = 20;                    /* sum stays 100 */
	assert_int_equal(EINVAL, qa_card_check(&c, &p));
	assert_true(has(&p, "section 收尾: no items"));
	assert_true(has(&p, "item greet: weight must be above 0"));
	assert_int_equal(2, p.n);
}

/* Points cards have no sum to reach: 3 of 4 points is 75. */
static void a_points_card_scores_earned_over_possible(void **state)
{
	struct qa_card c = {
		.mode = QA_POINTS, .nsections = 1, .sections = {"全部"},
		.nitems = 2, .items = {{"a", "", 3, false, 0},
				       {"b", "", 1, false, 0}},
	};
	struct qa_reply r[] = {R("a", YES), R("b", NO)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(0, qa_card_check(&c, &p));
	assert_int_equal(0, qa_score(&c, r, 2, &res, &p));
	assert_true(res.score == 75 && res.earned == 3 && res.possible == 4);
}

static void every_item_needs_exactly_one_known_answer(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", YES), R("greet", NO),
			       R("notice", PARTIAL), R("solve", YES),
			       R("smile", YES), {"close", (enum qa_answer)9}};
	struct qa_problems p = {0};
	struct qa_result res = {.score = -5};
	(void)state;

	assert_int_equal(EINVAL, qa_score(&c, r, 6, &res, &p));
	assert_true(has(&p, "item greet: answered twice"));
	assert_true(has(&p, "item notice: a critical item is yes, no or na"));
	assert_true(has(&p, "item smile: not on this scorecard"));
	assert_true(has(&p, "item close: want yes, no, partial or na"));
	assert_true(has(&p, "item listen: no answer"));
	assert_true(has(&p, "item close: no answer"));
	assert_int_equal(6, p.n);
	assert_true(res.score == -5);             /* untouched */
}

static void nothing_to_score_when_every_item_is_na(void **state)
{
	struct qa_card c = card();
	struct qa_reply r[] = {R("greet", NA), R("notice", NA), R("listen", NA),
			       R("solve", NA), R("close", NA)};
	struct qa_problems p = {0};
	struct qa_result res;
	(void)state;

	assert_int_equal(EINVAL, qa_score(&c, r, 5, &res, &p));
	assert_true(has(&p, "every item is na"));
}

/* A scorecard's new version is a new card: the same answers scored on
 * version 1 keep version 1's result (the module stores which version an
 * evaluation used and scores on it). */
static void a_new_version_does_not_change_a_score_made_on_the_old(void **state)
{
	struct qa_card v1 = card(), v2 = card();
	struct qa_reply r[] = {R("greet", NO), R("notice", YES),
			       R("listen", YES), R("solve", YES),
			       R("close", YES)};
	struct qa_problems p = {0};
	struct qa_result a, b;
	(void)state;

	v2.items[0].worth = 10;                   /* greet matters less */
	v2.items[4].worth = 20;
	assert_int_equal(0, qa_card_check(&v2, &p));
	assert_int_equal(0, qa_score(&v1, r, 5, &a, &p));
	assert_int_equal(0, qa_score(&v2, r, 5, &b, &p));
	assert_true(a.score == 80);
	assert_true(b.score == 90);
}

static void answer_names_round_trip(void **state)
{
	enum qa_answer a;
	(void)state;

	for (int i = QA_A_YES; i <= QA_A_NA; i++) {
		assert_int_equal(0, qa_answer_parse(qa_answer_name(
			(enum qa_answer)i), &a));
		assert_int_equal(i, a);
	}
	assert_int_equal(EINVAL, qa_answer_parse("maybe", &a));
	assert_int_equal(EINVAL, qa_answer_parse(NULL, &a));
	assert_null(qa_answer_name(QA_A_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_yes_is_100),
		cmocka_unit_test(partial_earns_half_and_no_earns_nothing),
		cmocka_unit_test(na_items_drop_out_and_the_rest_renormalise),
		cmocka_unit_test(a_section_all_na_has_no_score_of_its_own),
		cmocka_unit_test(a_failed_critical_item_fails_the_whole_call),
		cmocka_unit_test(a_critical_item_na_does_not_fail_the_call),
		cmocka_unit_test(weights_must_add_up_to_100_and_every_problem_is_listed),
		cmocka_unit_test(an_empty_section_and_a_weightless_item_are_refused),
		cmocka_unit_test(a_points_card_scores_earned_over_possible),
		cmocka_unit_test(every_item_needs_exactly_one_known_answer),
		cmocka_unit_test(nothing_to_score_when_every_item_is_na),
		cmocka_unit_test(a_new_version_does_not_change_a_score_made_on_the_old),
		cmocka_unit_test(answer_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
