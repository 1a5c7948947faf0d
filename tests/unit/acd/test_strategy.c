/* Who gets the call, per strategy, and in which order when keys tie. Queue 1
 * throughout; agents 1001… ; times in ms. */
#include "harness.h"

/* Agents become ready at the given times, then calls arrive one by one and
 * are answered and ended at once (each agent back to ready when done): the
 * order of the offers is the strategy. */
static void serve_in_turn(struct h *h, int ncalls, uint32_t *order,
			  int64_t t0)
{
	for (int i = 0; i < ncalls; i++) {
		int64_t t = t0 + i * 1000;
		h_clear(h);
		h_call(h, 1, 100 + i, 0, t);
		order[i] = h_offered(h, 100 + i);
		assert_int_not_equal(0, order[i]);
		h_talk(h, 100 + i, order[i], t + 10, t + 20);
	}
}

/* Both ready at 0 s, 1001 takes a break and is back at 6 s: a call at 8 s
 * goes to 1002, idle since 0 s, not to 1001, idle since 6 s. A call that
 * finds nobody ready waits, and goes to whoever is free first. */
static void longest_idle_offers_the_agent_idle_longest(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "longest-idle");
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_ready(h, 1002, 0);
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "break", 5000));
	h_ready(h, 1002, 5000);   /* already ready: keeps its 0 s */
	h_ready(h, 1001, 6000);
	h_call(h, 1, 77, 0, 8000);
	assert_int_equal(1002, h_offered(h, 77));
	assert_int_equal(0, acd_offer_answered(h->acd, 77, 1002, 9000));
	h_call(h, 1, 78, 0, 9000);
	assert_int_equal(1001, h_offered(h, 78));
	h_clear(h);
	h_call(h, 1, 79, 0, 10000);
	assert_int_equal(0, h_count(h, ACD_ACT_OFFER));
	assert_int_equal(0, acd_call_ended(h->acd, 77, 12000));
	assert_int_equal(1002, h_offered(h, 79));
	assert_int_equal(2000, h_nth(h, ACD_ACT_OFFER, 0)->a.waited_ms);
}

static void longest_idle_ties_go_to_the_lower_agent_id(void **state)
{
	struct h *h = *state;
	uint32_t order[3];

	h_queue(h, 1, "longest-idle");
	h_agent(h, 1003, 1, 0, 0);
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	h_ready(h, 1003, 0);
	h_ready(h, 1002, 0);
	h_ready(h, 1001, 0);
	serve_in_turn(h, 3, order, 1000);
	/* All idle since 0: 1001; then 1002 (1001 is idle again only since
	 * its call ended); then 1003. */
	assert_int_equal(1001, order[0]);
	assert_int_equal(1002, order[1]);
	assert_int_equal(1003, order[2]);
}

static void ring_all_rings_every_ready_agent_and_the_first_answer_wins(
	void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "ring-all");
	for (uint32_t id = 1001; id <= 1003; id++) {
		h_agent(h, id, 1, 0, 0);
		h_ready(h, id, 0);
	}
	h_clear(h);
	h_call(h, 1, 5, 0, 1000);
	assert_int_equal(3, h_count(h, ACD_ACT_OFFER));
	for (uint32_t id = 1001; id <= 1003; id++)
		assert_int_equal(ACD_RINGING, h_state(h, id));
	h_clear(h);
	assert_int_equal(0, acd_offer_answered(h->acd, 5, 1002, 3000));
	assert_int_equal(2, h_count(h, ACD_ACT_CANCEL));
	assert_string_equal("answered-elsewhere",
			    h_nth(h, ACD_ACT_CANCEL, 0)->reason);
	assert_int_equal(ACD_TALKING, h_state(h, 1002));
	assert_int_equal(ACD_READY, h_state(h, 1001));
	assert_int_equal(ACD_READY, h_state(h, 1003));
}

/* Positions 1, 2, 3: the offers go 1, 2, 3, then wrap to 1; and after 2 is
 * away for a while, it goes on after the last one offered, not from 1. */
static void round_robin_goes_on_after_the_agent_offered_last(void **state)
{
	struct h *h = *state;
	uint32_t order[4];

	h_queue(h, 1, "round-robin");
	h_agent(h, 1003, 1, 0, 3);
	h_agent(h, 1001, 1, 0, 1);
	h_agent(h, 1002, 1, 0, 2);
	for (uint32_t id = 1001; id <= 1003; id++)
		h_ready(h, id, 0);
	serve_in_turn(h, 4, order, 1000);
	assert_int_equal(1001, order[0]);
	assert_int_equal(1002, order[1]);
	assert_int_equal(1003, order[2]);
	assert_int_equal(1001, order[3]);
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1003, "break", 9000));
	serve_in_turn(h, 2, order, 10000);
	assert_int_equal(1002, order[0]);
	assert_int_equal(1001, order[1]);
}

static void sequential_always_starts_from_the_top(void **state)
{
	struct h *h = *state;
	uint32_t order[3];

	h_queue(h, 1, "sequential");
	h_agent(h, 1001, 1, 0, 2);
	h_agent(h, 1002, 1, 0, 1);
	h_agent(h, 1003, 1, 0, 1);
	for (uint32_t id = 1001; id <= 1003; id++)
		h_ready(h, id, 0);
	serve_in_turn(h, 3, order, 1000);
	/* Position 1 first, its tie by agent id, and again from the top. */
	assert_int_equal(1002, order[0]);
	assert_int_equal(1002, order[1]);
	assert_int_equal(1002, order[2]);
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1002, "lunch", 9000));
	serve_in_turn(h, 2, order, 10000);
	assert_int_equal(1003, order[0]);
	assert_int_equal(1003, order[1]);
}

static void least_talk_time_goes_to_who_talked_least_today(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "least-talk-time");
	for (uint32_t id = 1001; id <= 1003; id++) {
		h_agent(h, id, 1, 0, 0);
		h_ready(h, id, 0);
	}
	/* 1001 talks 50 s, 1002 10 s, 1003 not at all but is on a break. */
	h_call(h, 1, 1, 0, 1000);
	assert_int_equal(1001, h_offered(h, 1));
	h_talk(h, 1, 1001, 1000, 51000);
	h_call(h, 1, 2, 0, 52000);
	assert_int_equal(1002, h_offered(h, 2));
	h_talk(h, 2, 1002, 52000, 62000);
	h_call(h, 1, 3, 0, 63000);
	assert_int_equal(1003, h_offered(h, 3));
	assert_int_equal(0, acd_offer_rejected(h->acd, 3, 1003, 63000));
	assert_int_equal(0, acd_call_abandon(h->acd, 3, 63000));
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1003, "break", 63000));
	h_clear(h);
	h_call(h, 1, 4, 0, 64000);
	assert_int_equal(1002, h_offered(h, 4));
}

/* 1001 answers two short calls while 1002 is on one long one: when 1002 is
 * back, it gets the next call though 1001 has idled longer. After the
 * midnight reset 1001 is level again. */
static void fewest_calls_goes_to_who_answered_fewest_today(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "fewest-calls");
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_ready(h, 1002, 0);
	h_call(h, 1, 1, 0, 1000);
	assert_int_equal(1001, h_offered(h, 1));
	h_talk(h, 1, 1001, 1000, 1100);
	h_call(h, 1, 2, 0, 1200);
	assert_int_equal(1002, h_offered(h, 2));
	assert_int_equal(0, acd_offer_answered(h->acd, 2, 1002, 1200));
	h_call(h, 1, 3, 0, 2000);
	h_talk(h, 3, 1001, 2000, 2100);
	assert_int_equal(0, acd_call_ended(h->acd, 2, 50000));
	h_clear(h);
	h_call(h, 1, 4, 0, 60000);
	assert_int_equal(1002, h_offered(h, 4));
	assert_int_equal(0, acd_counters_reset(h->acd, 61000));
	h_talk(h, 4, 1002, 61000, 62000);
	h_call(h, 1, 5, 0, 63000);
	assert_int_equal(1001, h_offered(h, 5));
}

static void random_is_seeded_and_reaches_everyone(void **state)
{
	uint32_t seen[4] = {0}, first[2][20];

	(void)state;
	for (int run = 0; run < 2; run++) {
		struct h *h = h_new(42);
		h_queue(h, 1, "random");
		for (uint32_t id = 1001; id <= 1004; id++) {
			h_agent(h, id, 1, 0, 0);
			h_ready(h, id, 0);
		}
		serve_in_turn(h, 20, first[run], 1000);
		for (int i = 0; i < 20; i++)
			seen[first[run][i] - 1001]++;
		h_free(h);
	}
	assert_memory_equal(first[0], first[1], sizeof(first[0]));
	for (int i = 0; i < 4; i++)
		assert_true(seen[i] > 0);
}

static void skills_based_prefers_skill_then_longest_idle(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "skills-based");
	h_agent(h, 1001, 1, 3, 0);
	h_agent(h, 1002, 1, 5, 0);
	h_agent(h, 1003, 1, 5, 0);
	h_ready(h, 1001, 0);
	h_ready(h, 1003, 1000);
	h_ready(h, 1002, 2000);
	h_call(h, 1, 1, 0, 3000);
	assert_int_equal(1003, h_offered(h, 1));
	h_call(h, 1, 2, 0, 3000);
	assert_int_equal(1002, h_offered(h, 2));
	h_call(h, 1, 3, 0, 3000);
	assert_int_equal(1001, h_offered(h, 3));
}

/* A skill change re-sorts a ready agent at once. */
static void skills_change_applies_to_the_next_decision(void **state)
{
	struct h *h = *state;
	struct acd_member m = { 1, 9, 0 };

	h_queue(h, 1, "skills-based");
	h_agent(h, 1001, 1, 5, 0);
	h_agent(h, 1002, 1, 1, 0);
	h_ready(h, 1001, 0);
	h_ready(h, 1002, 0);
	assert_int_equal(0, acd_agent_set(h->acd, 1002, &m, 1, 500, NULL, 0));
	h_call(h, 1, 1, 0, 1000);
	assert_int_equal(1002, h_offered(h, 1));
}

/* Every row of the strategy table is documented, word for word. */
static void every_strategy_is_in_the_docs(void **state)
{
	FILE *f = fopen("docs/acd.md", "r");
	static char doc[1 << 20];   /* the whole file */
	size_t len;

	(void)state;
	if (!f)
		f = fopen("../../../../docs/acd.md", "r");
	assert_non_null(f);
	len = fread(doc, 1, sizeof(doc) - 1, f);
	doc[len] = '\0';
	fclose(f);
	assert_true(acd_strategy_count() >= 9);
	for (size_t i = 0; i < acd_strategy_count(); i++) {
		const char *name, *text, *cost;
		char row[256];
		assert_int_equal(0, acd_strategy_at(i, &name, &text, &cost));
		snprintf(row, sizeof(row), "| `%s` | %s | %s |", name, text,
			 cost);
		if (!strstr(doc, row))
			fail_msg("docs/acd.md lacks the row: %s", row);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)
		T(longest_idle_offers_the_agent_idle_longest),
		T(longest_idle_ties_go_to_the_lower_agent_id),
		T(ring_all_rings_every_ready_agent_and_the_first_answer_wins),
		T(round_robin_goes_on_after_the_agent_offered_last),
		T(sequential_always_starts_from_the_top),
		T(least_talk_time_goes_to_who_talked_least_today),
		T(fewest_calls_goes_to_who_answered_fewest_today),
		cmocka_unit_test(random_is_seeded_and_reaches_everyone),
		T(skills_based_prefers_skill_then_longest_idle),
		T(skills_change_applies_to_the_next_decision),
		cmocka_unit_test(every_strategy_is_in_the_docs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
