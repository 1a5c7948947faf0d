/* The waiting line: whatever way a caller got there (new, back from a
 * missed ring, back from the retry hold, among more priorities than the
 * line has lanes, after callers ahead hung up), the next offer goes to the
 * highest priority, then the earliest arrival. */
#include "harness.h"

/* Agent 1001 on queue 1, not ready, so callers pile up. */
static void line_up(struct h *h, int64_t retry_ms)
{
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.retry_ms = retry_ms;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	assert_int_equal(0, acd_agent_login(h->acd, 1001, 0));
}

/* Makes 1001 ready at `at` and returns the call it is offered, or 0. */
static uint64_t offered(struct h *h, int64_t at)
{
	const struct h_act *o;

	h_clear(h);
	h_ready(h, 1001, at);
	o = h_nth(h, ACD_ACT_OFFER, 0);
	return o ? o->a.call_id : 0;
}

/* Serves the line to its end: each call offered is answered and ended. */
static size_t serve_all(struct h *h, uint64_t *order, size_t max, int64_t at)
{
	size_t n = 0;
	uint64_t c;

	while (n < max && (c = offered(h, at))) {
		order[n++] = c;
		h_talk(h, c, 1001, at, at + 1);
		assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "pause",
							at + 1));
		at += 2;
	}
	return n;
}

static void more_priorities_than_lanes_keep_their_order(void **state)
{
	struct h *h = *state;
	/* Twenty priorities, some negative, arriving shuffled, each twice. */
	static const int32_t prio[] = { 3, -7, 12, 0, 19, -1, 5, 8, 2, 14,
					-20, 7, 1, 11, 4, 6, 9, -3, 13, 10 };
	enum { N = 2 * sizeof(prio) / sizeof(prio[0]) };
	uint64_t order[N + 1];

	line_up(h, 0);
	for (uint64_t i = 0; i < N; i++)
		h_call(h, 1, i + 1, prio[i % (N / 2)], (int64_t)i);
	assert_int_equal(N, serve_all(h, order, N + 1, 1000));
	for (size_t i = 1; i < N; i++) {
		uint64_t x = order[i - 1] - 1, y = order[i] - 1;
		int32_t px = prio[x % (N / 2)], py = prio[y % (N / 2)];
		assert_true(px > py || (px == py && x < y));
	}
}

/* A caller whose ring was missed goes back ahead of those who came after,
 * at once without a retry delay. */
static void a_missed_caller_keeps_their_place(void **state)
{
	struct h *h = *state;
	uint64_t order[4];

	line_up(h, 0);
	h_call(h, 1, 1, 0, 0);
	h_call(h, 1, 2, 0, 1);
	h_call(h, 1, 3, 5, 2);
	assert_int_equal(3, offered(h, 10));
	assert_int_equal(0, acd_offer_rejected(h->acd, 3, 1001, 11));
	assert_int_equal(3, h_nth(h, ACD_ACT_OFFER, 1)->a.call_id);
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "pause", 12));
	h_call(h, 1, 4, 5, 13);
	assert_int_equal(3, offered(h, 20));
	assert_int_equal(0, acd_offer_timeout(h->acd, 3, 1001, 21));
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "pause", 22));
	assert_int_equal(4, serve_all(h, order, 4, 30));
	assert_int_equal(3, order[0]);
	assert_int_equal(4, order[1]);
	assert_int_equal(1, order[2]);
	assert_int_equal(2, order[3]);
}

/* Back from the retry hold, a caller is again ahead of later arrivals of
 * their priority and behind earlier ones. */
static void back_from_the_retry_hold_in_place(void **state)
{
	struct h *h = *state;
	uint64_t order[5];

	line_up(h, 5000);
	for (uint64_t i = 1; i <= 3; i++)
		h_call(h, 1, i, 1, (int64_t)i);
	assert_int_equal(1, offered(h, 10));
	h_clear(h);
	assert_int_equal(0, acd_offer_rejected(h->acd, 1, 1001, 11));
	/* 1 sits out: 2 is next. */
	assert_int_equal(2, h_nth(h, ACD_ACT_OFFER, 0)->a.call_id);
	assert_int_equal(0, acd_offer_rejected(h->acd, 2, 1001, 12));
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "pause", 13));
	h_call(h, 1, 4, 1, 14);
	h_call(h, 1, 5, 0, 15);
	assert_int_equal(0, acd_tick(h->acd, 6000));   /* both holds over */
	assert_int_equal(5, serve_all(h, order, 5, 7000));
	assert_int_equal(1, order[0]);
	assert_int_equal(2, order[1]);
	assert_int_equal(3, order[2]);
	assert_int_equal(4, order[3]);
	assert_int_equal(5, order[4]);
}

/* splitmix64, as the router's own generator: a seeded stream. */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

enum { MODEL_CALLS = 3000 };

/* A seeded stream of arrivals (sixteen priorities), hang-ups anywhere in
 * the line (ringing or not), answers and misses, checked against the rule
 * itself: each
 * offer is the best caller of those waiting. Bounded by MODEL_CALLS. */
static void random_streams_offer_the_best_caller(void **state)
{
	struct h *h = *state;
	static int32_t prio[MODEL_CALLS + 1];
	static bool waiting[MODEL_CALLS + 1];
	uint64_t rng = 42, n = 0, ringing = 0, offers = 0, misses = 0;
	int64_t now = 0;

	line_up(h, 0);
	while (n < MODEL_CALLS) {
		uint64_t r = next_rand(&rng) % 10;
		now++;
		h_clear(h);
		if (r < 4) {
			prio[++n] = (int32_t)(next_rand(&rng) % 16) - 4;
			waiting[n] = true;
			h_call(h, 1, n, prio[n], now);
		} else if (r < 5 && n) {
			uint64_t c = 1 + next_rand(&rng) % n;
			if (waiting[c]) {
				assert_int_equal(0, acd_call_abandon(h->acd, c,
								     now));
				waiting[c] = false;
				ringing = c == ringing ? 0 : ringing;
			}
		} else if (r < 8 && ringing) {
			h_talk(h, ringing, 1001, now, now);
			waiting[ringing] = false;
			ringing = 0;
		} else if (ringing) {
			assert_int_equal(0, acd_offer_rejected(h->acd, ringing,
							       1001, now));
			ringing = 0;
			misses++;
		} else {
			h_ready(h, 1001, now);
		}
		if (h_nth(h, ACD_ACT_OFFER, 0)) {
			uint64_t got = h_nth(h, ACD_ACT_OFFER, 0)->a.call_id;
			uint64_t best = 0;
			for (uint64_t c = 1; c <= n; c++)
				if (waiting[c] && (!best || prio[c] > prio[best]))
					best = c;
			assert_int_equal(best, got);
			ringing = got;
			offers++;
		}
	}
	assert_true(offers > 500 && misses > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			more_priorities_than_lanes_keep_their_order,
			h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(
			a_missed_caller_keeps_their_place, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(
			back_from_the_retry_hold_in_place, h_setup,
			h_teardown),
		cmocka_unit_test_setup_teardown(
			random_streams_offer_the_best_caller, h_setup,
			h_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
