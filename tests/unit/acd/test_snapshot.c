/* Snapshot and restore: a restart or reload logs nobody out, resets no
 * counter, loses no wrap-up deadline and drops no waiting caller; and the
 * restored router goes on deciding as the old one would have. */
#include "harness.h"

/* Queue 1 (round-robin, wrap-up 30 s, retry 5 s) with five agents in five
 * situations and callers waiting, ringing, talking and held for a retry. */
static void busy_center(struct h *h)
{
	struct acd_queue_cfg c = h_cfg(1, "round-robin");

	c.wrapup_ms = 30000;
	c.retry_ms = 5000;
	c.max_wait_ms = 600000;
	h_queue_cfg(h, &c);
	for (uint32_t id = 1001; id <= 1005; id++)
		h_agent(h, id, 1, 0, (int32_t)id);
	for (uint32_t id = 1001; id <= 1004; id++)
		h_ready(h, id, 0);
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1005, "training", 0));
	h_call(h, 1, 1, 0, 1000);                 /* 1001: talks, wraps up */
	h_talk(h, 1, 1001, 2000, 62000);
	h_call(h, 1, 2, 0, 63000);                /* 1002: talking */
	assert_int_equal(0, acd_offer_answered(h->acd, 2, 1002, 64000));
	h_call(h, 1, 3, 0, 65000);                /* 1003 misses it: retry */
	assert_int_equal(0, acd_offer_rejected(h->acd, 3, 1003, 66000));
	h_call(h, 1, 4, 2, 67000);                /* 1004: ringing */
	h_call(h, 1, 5, 1, 68000);                /* 1003 rings again */
	h_call(h, 1, 6, 0, 69000);                /* nobody left: waits */
}

static void same_actions(const struct h *x, const struct h *y)
{
	assert_int_equal(x->nacts, y->nacts);
	for (size_t i = 0; i < x->nacts; i++) {
		const struct acd_action *a = &x->acts[i].a, *b = &y->acts[i].a;
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->at_ms, b->at_ms);
		assert_int_equal(a->call_id, b->call_id);
		assert_int_equal(a->agent_id, b->agent_id);
		assert_int_equal(a->until_ms, b->until_ms);
		assert_int_equal(a->to, b->to);
		assert_string_equal(x->acts[i].reason, y->acts[i].reason);
	}
}

static void a_restart_logs_nobody_out_and_resets_no_counter(void **state)
{
	struct h *h = *state, *h2 = h_new(1);
	struct acd_snapshot s, s2;
	struct acd_agent_info ai;
	struct acd_call_info ci;
	struct acd_queue_cfg c = h_cfg(1, "round-robin");

	busy_center(h);
	assert_int_equal(0, acd_snapshot(h->acd, &s));
	assert_int_equal(5, s.nagents);
	assert_int_equal(5, s.ncalls);          /* 2..6; 1 has ended */

	/* The restarted host applies its configuration, then the state. */
	c.wrapup_ms = 30000;
	c.retry_ms = 5000;
	c.max_wait_ms = 600000;
	h_queue_cfg(h2, &c);
	for (uint32_t id = 1001; id <= 1005; id++)
		h_agent(h2, id, 1, 0, (int32_t)id);
	h_clear(h2);
	assert_int_equal(0, acd_restore(h2->acd, &s, 69000, NULL, 0));
	assert_int_equal(0, h2->nacts);
	assert_int_equal(0, acd_snapshot(h2->acd, &s2));
	assert_memory_equal(s.agents, s2.agents, s.nagents * sizeof(*s.agents));
	assert_memory_equal(s.calls, s2.calls, s.ncalls * sizeof(*s.calls));
	assert_memory_equal(s.rr, s2.rr, s.nrr * sizeof(*s.rr));

	assert_int_equal(0, acd_agent_get(h2->acd, 1001, &ai));
	assert_int_equal(ACD_WRAP_UP, ai.state);
	assert_int_equal(92000, ai.until_ms);
	assert_int_equal(1, ai.calls_today);
	assert_int_equal(60000, ai.talk_ms_today);
	assert_int_equal(0, acd_agent_get(h2->acd, 1005, &ai));
	assert_string_equal("training", ai.reason);
	assert_int_equal(0, acd_call_get(h2->acd, 3, &ci));
	assert_int_equal(ACD_WAIT_RETRY, ci.wait);
	assert_int_equal(71000, ci.hold_until_ms);

	/* Both routers now see the same afternoon and decide the same. */
	h_clear(h);
	for (struct h *x = h; x; x = x == h ? h2 : NULL) {
		assert_int_equal(0, acd_offer_answered(x->acd, 4, 1004, 69500));
		assert_int_equal(0, acd_call_ended(x->acd, 2, 70000));
		assert_int_equal(0, acd_agent_ready(x->acd, 1005, 70500));
		assert_int_equal(0, acd_call_enqueue(x->acd, 1, 7, 0, NULL,
						     71000));
		assert_int_equal(0, acd_tick(x->acd, 400000));
	}
	same_actions(h, h2);
	assert_true(h->nacts > 10);
	acd_snapshot_clear(&s);
	acd_snapshot_clear(&s2);
	h_free(h2);
}

static void a_snapshot_that_does_not_fit_is_refused_whole(void **state)
{
	struct h *h = *state, *h2 = h_new(1);
	struct acd_snapshot s, empty;
	char why[ACD_WHY_LEN] = "";

	busy_center(h);
	assert_int_equal(0, acd_snapshot(h->acd, &s));
	h_queue(h2, 1, "round-robin");
	for (uint32_t id = 1001; id <= 1004; id++)   /* 1005 is missing */
		h_agent(h2, id, 1, 0, (int32_t)id);
	assert_int_equal(EINVAL, acd_restore(h2->acd, &s, 69000, why,
					     sizeof(why)));
	assert_string_equal("agent 1005 is not configured", why);
	assert_int_equal(0, acd_snapshot(h2->acd, &empty));
	assert_int_equal(0, empty.ncalls);
	for (size_t i = 0; i < empty.nagents; i++)
		assert_int_equal(ACD_LOGGED_OUT, empty.agents[i].state);
	acd_snapshot_clear(&empty);

	/* A call that claims to ring an agent who is not ringing it. */
	h_agent(h2, 1005, 1, 0, 1005);
	s.agents[3].state = ACD_READY;       /* 1004, ringing for call 4 */
	s.agents[3].call_id = 0;
	s.agents[2].state = ACD_READY;       /* 1003, ringing for call 5 */
	s.agents[2].call_id = 0;
	assert_int_equal(EINVAL, acd_restore(h2->acd, &s, 69000, why,
					     sizeof(why)));
	assert_string_equal("call 4: offered to nobody", why);

	/* Into a router that is already running. */
	assert_int_equal(EINVAL, acd_restore(h->acd, &s, 69000, why,
					     sizeof(why)));
	assert_string_equal("the router already has live calls", why);
	acd_snapshot_clear(&s);
	h_free(h2);
}

/* Restored under a configuration where nobody may wait (leave-empty now
 * counts not_ready agents as gone), the waiting callers are sent on. */
static void callers_restored_where_none_may_wait_overflow(void **state)
{
	struct h *h = *state, *h2 = h_new(1);
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	struct acd_snapshot s;
	struct acd_call_info ci;

	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "meeting", 0));
	h_call(h, 1, 1, 0, 1000);
	h_call(h, 1, 2, 3, 2000);
	assert_int_equal(0, acd_snapshot(h->acd, &s));

	c.leave_empty = ACD_EMPTY_NO_AVAILABLE;
	h_queue_cfg(h2, &c);
	h_agent(h2, 1001, 1, 0, 0);
	h_clear(h2);
	assert_int_equal(0, acd_restore(h2->acd, &s, 3000, NULL, 0));
	assert_int_equal(2, h_count(h2, ACD_ACT_OVERFLOW));
	assert_string_equal("leave-empty", h_nth(h2, ACD_ACT_OVERFLOW, 0)->reason);
	assert_int_equal(ENOENT, acd_call_get(h2->acd, 1, &ci));
	assert_int_equal(ENOENT, acd_call_get(h2->acd, 2, &ci));
	acd_snapshot_clear(&s);
	h_free(h2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)
		T(a_restart_logs_nobody_out_and_resets_no_counter),
		T(a_snapshot_that_does_not_fit_is_refused_whole),
		T(callers_restored_where_none_may_wait_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
