/* The ready order: however agents became ready (one after another, several
 * in the same millisecond, back from a missed ring with their idle clock
 * kept, with more skill levels or call counts than the order has lanes,
 * after others left it from the middle), the next pick is the one the
 * strategy's rule names. */
#include "harness.h"

enum { NA = 20, STEPS = 6000 };

/* Makes a caller arrive at `at` and returns the agent offered, or 0. */
static uint32_t pick(struct h *h, uint64_t call, int64_t at)
{
	const struct h_act *o;

	h_clear(h);
	h_call(h, 1, call, 0, at);
	o = h_nth(h, ACD_ACT_OFFER, 0);
	return o ? o->a.agent_id : 0;
}

static void same_millisecond_goes_by_id(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "longest-idle");
	for (uint32_t a = 5; a >= 1; a--) {
		h_agent(h, a, 1, 0, 0);
		h_ready(h, a, 100);
	}
	h_agent(h, 6, 1, 0, 0);
	h_ready(h, 6, 101);
	for (uint32_t a = 1; a <= 6; a++)
		assert_int_equal(a, pick(h, a, 200 + a));
}

/* Agent 1 misses a ring and comes back still the longest idle, ahead of
 * agents who became ready after them. */
static void a_missed_ring_keeps_the_place(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "longest-idle");
	for (uint32_t a = 1; a <= 3; a++) {
		h_agent(h, a, 1, 0, 0);
		h_ready(h, a, a);
	}
	assert_int_equal(1, pick(h, 1, 10));
	assert_int_equal(0, acd_agent_not_ready(h->acd, 2, "pause", 11));
	assert_int_equal(0, acd_offer_rejected(h->acd, 1, 1, 12));
	assert_int_equal(1, h_offered(h, 1));   /* straight back to 1 */
	assert_int_equal(0, acd_offer_rejected(h->acd, 1, 1, 13));
	h_ready(h, 2, 14);
	h_talk(h, 1, 1, 15, 16);                /* 1 idle again from 16 */
	assert_int_equal(3, pick(h, 2, 17));
	assert_int_equal(2, pick(h, 3, 18));
	assert_int_equal(1, pick(h, 4, 19));
}

static void more_skill_levels_than_lanes(void **state)
{
	struct h *h = *state;
	/* Twelve levels, made ready shuffled, some twice. */
	static const int32_t skill[] = { 3, 11, 0, 7, 3, 9, 1, 5, 10, 2, 8,
					 4, 6, 11, 0 };
	enum { N = sizeof(skill) / sizeof(skill[0]) };
	uint32_t got[N];

	h_queue(h, 1, "skills-based");
	for (uint32_t a = N; a >= 1; a--) {
		h_agent(h, a, 1, skill[a - 1], 0);
		h_ready(h, a, 100 + N - a);   /* higher ids idle longer */
	}
	for (uint32_t i = 0; i < N; i++)
		got[i] = pick(h, i + 1, 200 + i);
	for (uint32_t i = 1; i < N; i++) {
		int32_t x = skill[got[i - 1] - 1], y = skill[got[i] - 1];
		assert_true(x > y || (x == y && got[i - 1] > got[i]));
	}
}

/* Is x ahead of y in strategy s's order? From what the router reports. */
static bool ahead(const char *s, const struct acd_agent_info *x,
		  const struct acd_agent_info *y, const int32_t *skill)
{
	int64_t kx = 0, ky = 0;

	if (!strcmp(s, "skills-based")) {
		kx = -skill[x->id];
		ky = -skill[y->id];
	} else if (!strcmp(s, "fewest-calls")) {
		kx = x->calls_today;
		ky = y->calls_today;
	} else if (!strcmp(s, "least-talk-time")) {
		kx = x->talk_ms_today;
		ky = y->talk_ms_today;
	}
	if (kx != ky)
		return kx < ky;
	if (x->idle_since_ms != y->idle_since_ms)
		return x->idle_since_ms < y->idle_since_ms;
	return x->id < y->id;
}

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A seeded stream of agents becoming ready (often several in one
 * millisecond), leaving, missing rings and talking, each caller arriving
 * to an empty line checked against the rule over every ready agent. */
static void stream(const char *strategy)
{
	struct h *h = h_new(1);
	int32_t skill[NA + 1];
	uint64_t rng = 42, call = 0;
	uint32_t ringing[NA + 1] = {0}, picks = 0, misses = 0;
	uint64_t talking[NA + 1] = {0};
	int64_t now = 1000;
	char why[ACD_WHY_LEN];

	h_queue(h, 1, strategy);
	for (uint32_t a = 1; a <= NA; a++) {
		skill[a] = (int32_t)(next_rand(&rng) % 12);
		h_agent(h, a, 1, skill[a], 0);
		assert_int_equal(0, acd_agent_login(h->acd, a, now));
	}
	for (int step = 0; step < STEPS; step++) {
		uint32_t a = 1 + (uint32_t)(next_rand(&rng) % NA);
		uint64_t r = next_rand(&rng) % 10;
		now += next_rand(&rng) % 3;   /* many events share a ms */
		h_clear(h);
		if (r < 3 && !ringing[a] && !talking[a]) {
			h_ready(h, a, now);
		} else if (r < 4 && !ringing[a] && !talking[a]) {
			assert_int_equal(0, acd_agent_not_ready(h->acd, a,
								"pause", now));
		} else if (r < 6 && ringing[a]) {
			uint64_t c = ringing[a];
			ringing[a] = 0;
			if (r == 4) {
				assert_int_equal(0, acd_offer_rejected(
					h->acd, c, a, now));
				misses++;
			} else {
				assert_int_equal(0, acd_offer_answered(
					h->acd, c, a, now));
				talking[a] = c;
			}
		} else if (r < 7 && talking[a]) {
			assert_int_equal(0, acd_call_ended(h->acd, talking[a],
							   now));
			talking[a] = 0;
		} else if (r >= 7) {
			struct acd_agent_info best = {0}, ai;
			struct acd_queue_info qi;
			assert_int_equal(0, acd_queue_get(h->acd, 1, &qi));
			for (uint32_t b = 1; b <= NA; b++) {
				assert_int_equal(0, acd_agent_get(h->acd, b,
								  &ai));
				if (ai.state == ACD_READY && (!best.id ||
				    ahead(strategy, &ai, &best, skill)))
					best = ai;
			}
			if (qi.waiting > qi.ringing) {
				/* Callers wait: nobody is ready to pick from;
				 * let the line drain instead of growing. */
				if (!ringing[a] && !talking[a])
					h_ready(h, a, now);
			} else {
				h_call(h, 1, ++call, 0, now);
				if (best.id) {
					assert_int_equal(best.id,
							 h_offered(h, call));
					picks++;
				}
			}
		}
		/* Offers from any event: remember who rings for what. */
		for (size_t i = 0; i < h->nacts; i++)
			if (h->acts[i].a.kind == ACD_ACT_OFFER)
				ringing[h->acts[i].a.agent_id] =
					h->acts[i].a.call_id;
		if (acd_check(h->acd, why, sizeof(why)))
			fail_msg("%s, step %d: %s", strategy, step, why);
	}
	print_message("%s: %u picks checked, %u rings missed\n", strategy,
		      picks, misses);
	assert_true(picks > 300 && misses > 100);
	h_free(h);
}

static void streams_pick_by_the_rule(void **state)
{
	static const char *const s[] = { "longest-idle", "sticky",
		"skills-based", "fewest-calls", "least-talk-time" };

	(void)state;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		stream(s[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(same_millisecond_goes_by_id,
						h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(a_missed_ring_keeps_the_place,
						h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(more_skill_levels_than_lanes,
						h_setup, h_teardown),
		cmocka_unit_test(streams_pick_by_the_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
