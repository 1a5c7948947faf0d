/* qa/sample: which calls a sampling plan picks and who inspects them.
 * The center below: agents 1001..1004 with 10 calls each in queue sales
 * (1001, 1002) or service (1003, 1004); inspectors q1 (no extension),
 * q2 (extension 1001, an agent who also inspects) and q3. */
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "qa/sample.h"

enum { NC = 40 };

struct center {
	char ids[NC][16], agents[NC][16];
	struct qa_cand c[NC];
	struct qa_inspector insp[3];
	struct qa_pick picks[NC];
	size_t n;
};

static struct center *center(void)
{
	static struct center w;

	memset(&w, 0, sizeof(w));
	for (int i = 0; i < NC; i++) {
		snprintf(w.ids[i], sizeof(w.ids[i]), "c%02d", i);
		snprintf(w.agents[i], sizeof(w.agents[i]), "%d", 1001 + i / 10);
		w.c[i] = (struct qa_cand){w.ids[i], w.agents[i],
					  i < 20 ? "sales" : "service", i};
	}
	w.insp[0] = (struct qa_inspector){"", 0, NULL};
	w.insp[1] = (struct qa_inspector){"1001", 0, NULL};
	w.insp[2] = (struct qa_inspector){"", 0, NULL};
	return &w;
}

static size_t count_agent(const struct center *w, const char *agent)
{
	size_t k = 0;

	for (size_t i = 0; i < w->n; i++)
		k += !strcmp(w->c[w->picks[i].cand].agent, agent);
	return k;
}

static void per_agent_picks_n_calls_of_every_agent(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_PER_AGENT, .n = 4, .seed = 7};
	(void)state;

	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	assert_int_equal(16, w->n);
	for (int a = 1001; a <= 1004; a++) {
		char ext[16];

		snprintf(ext, sizeof(ext), "%d", a);
		assert_int_equal(4, count_agent(w, ext));
	}
}

/* An agent with fewer calls than n gives all of them. */
static void per_agent_takes_all_of_an_agent_with_fewer_calls(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_PER_AGENT, .n = 5, .seed = 7};
	(void)state;

	assert_int_equal(0, qa_sample(&p, w->c + 8, 4, w->insp, 3, w->picks,
				      &w->n));
	assert_int_equal(2 + 2, w->n);   /* c08, c09 of 1001; c10, c11 */
}

/* 25 % of 20 calls per queue is 5 each; 12 % of 20 is 2.4, rounded up. */
static void percent_picks_a_share_of_each_queue_rounded_up(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_PERCENT, .pct = 25, .seed = 1};
	size_t sales = 0;
	(void)state;

	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	assert_int_equal(10, w->n);
	for (size_t i = 0; i < w->n; i++)
		sales += !strcmp(w->c[w->picks[i].cand].queue, "sales");
	assert_int_equal(5, sales);
	p.pct = 12;
	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	assert_int_equal(6, w->n);
}

static void all_takes_every_candidate_in_id_order(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_ALL};
	(void)state;

	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	assert_int_equal(NC, w->n);
	for (size_t i = 1; i < w->n; i++)
		assert_true(strcmp(w->c[w->picks[i - 1].cand].id,
				   w->c[w->picks[i].cand].id) < 0);
}

static void no_inspector_gets_a_call_of_their_own(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_ALL};
	(void)state;

	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	for (size_t i = 0; i < w->n; i++) {
		assert_true(w->picks[i].inspector >= 0);
		if (w->picks[i].inspector == 1)
			assert_string_not_equal("1001",
						w->c[w->picks[i].cand].agent);
	}
}

/* 40 calls over three inspectors: 14, 13, 13, although q2 may not take
 * 1001's ten. */
static void calls_go_to_the_least_loaded_so_loads_end_even(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_ALL};
	size_t got[3] = {0};
	(void)state;

	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	for (size_t i = 0; i < w->n; i++)
		got[w->picks[i].inspector]++;
	assert_int_equal(14, got[0]);
	assert_int_equal(13, got[1]);
	assert_int_equal(13, got[2]);
	assert_int_equal(14, w->insp[0].load);
}

/* q1 already has 10 waiting: the 16 new calls go to q2 and q3, 8 each
 * (q3 takes 1001's four, q2 catches up on the others). */
static void open_load_counts_towards_the_balance(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_PER_AGENT, .n = 4, .seed = 3};
	(void)state;

	w->insp[0].load = 10;
	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	assert_int_equal(16, w->n);
	assert_int_equal(10, w->insp[0].load);
	assert_int_equal(8, w->insp[1].load);
	assert_int_equal(8, w->insp[2].load);
}

static void a_call_only_its_own_agent_could_inspect_stays_unassigned(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_ALL};
	(void)state;

	assert_int_equal(0, qa_sample(&p, w->c, 3, w->insp + 1, 1, w->picks,
				      &w->n));
	assert_int_equal(3, w->n);
	for (size_t i = 0; i < w->n; i++)
		assert_int_equal(-1, w->picks[i].inspector);
}

/* q3 may see 1003's and 1004's calls only (a team's inspector): it gets
 * half of those 20, and none of 1001's or 1002's. */
static void an_inspector_gets_only_calls_in_their_data_scope(void **state)
{
	static const char *const team2[] = {"1003", "1004", NULL};
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_ALL};
	(void)state;

	w->insp[2].agents = team2;
	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	for (size_t i = 0; i < w->n; i++)
		if (w->picks[i].inspector == 2)
			assert_true(!strcmp(w->c[w->picks[i].cand].agent, "1003") ||
				    !strcmp(w->c[w->picks[i].cand].agent, "1004"));
	assert_int_equal(13, w->insp[2].load);
	assert_int_equal(14, w->insp[0].load);
	assert_int_equal(13, w->insp[1].load);
}

/* The candidates reversed: the same calls are picked, to the same
 * inspectors; another seed picks other calls. */
static void the_same_seed_draws_the_same_sample_in_any_order(void **state)
{
	struct center *w = center();
	struct qa_plan p = {.kind = QA_PLAN_PER_AGENT, .n = 3, .seed = 42};
	struct qa_cand rev[NC];
	struct qa_inspector insp2[3];
	char a[NC * 8] = "", b[NC * 8] = "", c[NC * 8] = "";
	(void)state;

	for (int i = 0; i < NC; i++)
		rev[i] = w->c[NC - 1 - i];
	memcpy(insp2, w->insp, sizeof(insp2));
	assert_int_equal(0, qa_sample(&p, w->c, NC, w->insp, 3, w->picks,
				      &w->n));
	for (size_t i = 0; i < w->n; i++)
		snprintf(a + strlen(a), sizeof(a) - strlen(a), "%s:%d ",
			 w->c[w->picks[i].cand].id, w->picks[i].inspector);
	assert_int_equal(0, qa_sample(&p, rev, NC, insp2, 3, w->picks, &w->n));
	for (size_t i = 0; i < w->n; i++)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s:%d ",
			 rev[w->picks[i].cand].id, w->picks[i].inspector);
	assert_string_equal(a, b);
	p.seed = 43;
	memcpy(insp2, w->insp, sizeof(insp2));
	assert_int_equal(0, qa_sample(&p, w->c, NC, insp2, 3, w->picks, &w->n));
	for (size_t i = 0; i < w->n; i++)
		snprintf(c + strlen(c), sizeof(c) - strlen(c), "%s:%d ",
			 w->c[w->picks[i].cand].id, w->picks[i].inspector);
	assert_string_not_equal(a, c);
}

static void plans_out_of_range_are_refused(void **state)
{
	struct center *w = center();
	struct qa_plan bad[] = {
		{.kind = QA_PLAN_PER_AGENT, .n = 0},
		{.kind = QA_PLAN_PERCENT, .pct = 0},
		{.kind = QA_PLAN_PERCENT, .pct = 100.5},
		{.kind = (enum qa_plan_kind)9},
	};
	enum qa_plan_kind k;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(EINVAL, qa_sample(&bad[i], w->c, NC, w->insp,
						   3, w->picks, &w->n));
	assert_int_equal(0, qa_plan_parse("percent", &k));
	assert_int_equal(QA_PLAN_PERCENT, k);
	assert_int_equal(EINVAL, qa_plan_parse("some", &k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(per_agent_picks_n_calls_of_every_agent),
		cmocka_unit_test(per_agent_takes_all_of_an_agent_with_fewer_calls),
		cmocka_unit_test(percent_picks_a_share_of_each_queue_rounded_up),
		cmocka_unit_test(all_takes_every_candidate_in_id_order),
		cmocka_unit_test(no_inspector_gets_a_call_of_their_own),
		cmocka_unit_test(calls_go_to_the_least_loaded_so_loads_end_even),
		cmocka_unit_test(open_load_counts_towards_the_balance),
		cmocka_unit_test(a_call_only_its_own_agent_could_inspect_stays_unassigned),
		cmocka_unit_test(an_inspector_gets_only_calls_in_their_data_scope),
		cmocka_unit_test(the_same_seed_draws_the_same_sample_in_any_order),
		cmocka_unit_test(plans_out_of_range_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
