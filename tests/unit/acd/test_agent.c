/* Agents: the state machine, no-answer handling, wrap-up, requests made in
 * the middle of a call, and what the router refuses. */
#include "harness.h"

static struct acd_agent_info info(struct h *h, uint32_t id)
{
	struct acd_agent_info ai;

	assert_int_equal(0, acd_agent_get(h->acd, id, &ai));
	return ai;
}

static void login_is_not_ready_until_the_agent_says_ready(void **state)
{
	struct h *h = *state;
	const struct h_act *s;

	h_queue(h, 1, "longest-idle");
	h_agent(h, 1001, 1, 0, 0);
	assert_int_equal(ACD_LOGGED_OUT, h_state(h, 1001));
	h_call(h, 1, 1, 0, 0);
	h_clear(h);
	assert_int_equal(0, acd_agent_login(h->acd, 1001, 1000));
	s = h_nth(h, ACD_ACT_AGENT_STATE, 0);
	assert_int_equal(ACD_LOGGED_OUT, s->a.from);
	assert_int_equal(ACD_NOT_READY, s->a.to);
	assert_string_equal("login", s->reason);
	assert_int_equal(0, h_count(h, ACD_ACT_OFFER));
	h_ready(h, 1001, 2000);
	assert_int_equal(1001, h_offered(h, 1));
	assert_int_equal(2000, info(h, 1001).since_ms);
}

/* Ring timeout 10 s, pause 30 s: the ring is cancelled at 10 s, the call
 * goes to 1002, and 1001 is offered nothing until 40 s. */
static void missed_offer_pauses_the_agent(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	const struct h_act *x;

	c.ring_timeout_ms = 10000;
	c.noanswer_pause_ms = 30000;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 0);
	assert_int_equal(1001, h_offered(h, 1));
	h_ready(h, 1002, 1000);
	assert_int_equal(10000, acd_next_deadline(h->acd));
	h_clear(h);
	assert_int_equal(0, acd_tick(h->acd, 10000));
	x = h_nth(h, ACD_ACT_CANCEL, 0);
	assert_int_equal(1001, x->a.agent_id);
	assert_string_equal("timeout", x->reason);
	assert_int_equal(1002, h_offered(h, 1));
	assert_int_equal(ACD_READY, h_state(h, 1001));
	assert_int_equal(40000, info(h, 1001).pause_until_ms);
	assert_int_equal(1, info(h, 1001).misses);
	assert_int_equal(0, acd_offer_answered(h->acd, 1, 1002, 11000));
	h_clear(h);
	h_call(h, 1, 2, 0, 20000);
	assert_int_equal(0, h_count(h, ACD_ACT_OFFER));
	assert_int_equal(0, acd_tick(h->acd, 40000));
	assert_int_equal(1001, h_offered(h, 2));
}

static void n_misses_in_a_row_set_not_ready_no_answer(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.noanswer_max = 3;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 0);
	/* An answer in between resets the count. */
	h_call(h, 1, 1, 0, 1000);
	assert_int_equal(0, acd_offer_timeout(h->acd, 1, 1001, 2000));
	assert_int_equal(0, acd_offer_rejected(h->acd, 1, 1001, 3000));
	h_talk(h, 1, 1001, 4000, 5000);
	assert_int_equal(0, info(h, 1001).misses);
	h_call(h, 1, 2, 0, 6000);
	for (int i = 0; i < 3; i++)
		assert_int_equal(0, acd_offer_timeout(h->acd, 2, 1001,
						      7000 + i));
	assert_int_equal(ACD_NOT_READY, h_state(h, 1001));
	assert_string_equal("no-answer", info(h, 1001).reason);
	h_ready(h, 1001, 9000);
	assert_int_equal(0, info(h, 1001).misses);
	assert_int_equal(ACD_RINGING, h_state(h, 1001));
}

static void wrap_up_lasts_the_queue_time_then_ready(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	const struct h_act *s;

	c.wrapup_ms = 20000;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 1000);
	h_clear(h);
	h_talk(h, 1, 1001, 2000, 62000);
	s = h_nth(h, ACD_ACT_AGENT_STATE, 1);
	assert_int_equal(ACD_WRAP_UP, s->a.to);
	assert_int_equal(82000, s->a.until_ms);
	assert_int_equal(82000, info(h, 1001).until_ms);
	assert_int_equal(1, info(h, 1001).calls_today);
	assert_int_equal(60000, info(h, 1001).talk_ms_today);
	h_call(h, 1, 2, 0, 70000);
	assert_int_equal(0, h_offered(h, 2));
	assert_int_equal(82000, acd_next_deadline(h->acd));
	assert_int_equal(0, acd_tick(h->acd, 90000));
	assert_int_equal(1001, h_offered(h, 2));
	assert_int_equal(82000, h_nth(h, ACD_ACT_OFFER, 0)->a.at_ms);
}

static void ready_during_wrap_up_ends_it_early(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.wrapup_ms = 20000;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 0);
	h_talk(h, 1, 1001, 0, 1000);
	h_ready(h, 1001, 5000);
	assert_int_equal(ACD_READY, h_state(h, 1001));
	assert_int_equal(ACD_NEVER, acd_next_deadline(h->acd));
}

/* Not ready while talking takes effect when the call ends (no wrap-up);
 * ready again before the end cancels it. */
static void not_ready_while_talking_waits_for_the_call_end(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.wrapup_ms = 20000;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 0);
	assert_int_equal(0, acd_offer_answered(h->acd, 1, 1001, 0));
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "lunch", 1000));
	assert_int_equal(ACD_TALKING, h_state(h, 1001));
	assert_int_equal(ACD_NOT_READY, info(h, 1001).pending);
	assert_int_equal(0, acd_call_ended(h->acd, 1, 2000));
	assert_int_equal(ACD_NOT_READY, h_state(h, 1001));
	assert_string_equal("lunch", info(h, 1001).reason);

	h_ready(h, 1001, 3000);
	h_call(h, 1, 2, 0, 3000);
	assert_int_equal(0, acd_offer_answered(h->acd, 2, 1001, 3000));
	assert_int_equal(0, acd_agent_logout(h->acd, 1001, 3500));
	h_ready(h, 1001, 3600);
	assert_int_equal(0, acd_call_ended(h->acd, 2, 4000));
	assert_int_equal(ACD_WRAP_UP, h_state(h, 1001));
}

/* Going not ready or logging out while the phone rings withdraws the
 * offer (not a miss) and the caller goes to the next agent at once. */
static void leaving_while_ringing_withdraws_the_offer(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "longest-idle");
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 0);
	h_ready(h, 1002, 500);
	h_clear(h);
	assert_int_equal(0, acd_agent_logout(h->acd, 1001, 1000));
	assert_string_equal("agent-state", h_nth(h, ACD_ACT_CANCEL, 0)->reason);
	assert_int_equal(1002, h_offered(h, 1));
	assert_int_equal(0, info(h, 1001).misses);
	assert_int_equal(ACD_LOGGED_OUT, h_state(h, 1001));
}

static void abandoned_while_ringing_frees_the_agent(void **state)
{
	struct h *h = *state;
	struct acd_call_info ci;

	h_queue(h, 1, "longest-idle");
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 0);
	h_clear(h);
	assert_int_equal(0, acd_call_abandon(h->acd, 1, 3000));
	assert_string_equal("abandoned", h_nth(h, ACD_ACT_CANCEL, 0)->reason);
	assert_int_equal(ACD_READY, h_state(h, 1001));
	assert_int_equal(0, info(h, 1001).misses);
	assert_int_equal(ENOENT, acd_call_get(h->acd, 1, &ci));
}

static void wrong_events_are_refused(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "longest-idle");
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	assert_int_equal(ENOENT, acd_agent_ready(h->acd, 999, 0));
	assert_int_equal(ENOENT, acd_call_enqueue(h->acd, 9, 1, 0, NULL, 0));
	assert_int_equal(EINVAL, acd_agent_not_ready(h->acd, 1001, "", 0));
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 0);
	assert_int_equal(EEXIST, acd_call_enqueue(h->acd, 1, 1, 0, NULL, 0));
	assert_int_equal(EINVAL, acd_offer_answered(h->acd, 1, 1002, 0));
	assert_int_equal(EINVAL, acd_call_ended(h->acd, 1, 0));
	assert_int_equal(0, acd_offer_answered(h->acd, 1, 1001, 0));
	assert_int_equal(EINVAL, acd_call_abandon(h->acd, 1, 0));
	assert_int_equal(EINVAL, acd_offer_answered(h->acd, 1, 1001, 0));
	assert_int_equal(ENOENT, acd_call_ended(h->acd, 2, 0));
	char why[ACD_WHY_LEN];
	assert_int_equal(EBUSY, acd_agent_remove(h->acd, 1001, why,
						 sizeof(why)));
	assert_int_equal(0, acd_agent_remove(h->acd, 1002, why, sizeof(why)));
}

/* Time never runs backwards: an older now counts as the latest seen. */
static void time_never_runs_backwards(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "longest-idle");
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 5000);
	assert_int_equal(0, acd_agent_not_ready(h->acd, 1001, "x", 1000));
	assert_int_equal(5000, info(h, 1001).since_ms);
}

static struct h *reentrant;
static int reentry_result = -1;

static void emit_calls_back(void *arg, const struct acd_action *a)
{
	(void)arg;
	(void)a;
	reentry_result = acd_tick(reentrant->acd, 0);
}

static void the_callback_cannot_call_back_in(void **state)
{
	struct h *h = *state;
	struct acd *acd;
	struct acd_host host = { emit_calls_back, NULL, NULL };
	struct acd_member m = { 1, 0, 0 };
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	assert_int_equal(0, acd_alloc(&acd, &host, 0));
	reentrant = &(struct h){ .acd = acd };
	assert_int_equal(0, acd_queue_set(acd, &c, 0, NULL, 0));
	assert_int_equal(0, acd_agent_set(acd, 7, &m, 1, 0, NULL, 0));
	assert_int_equal(0, acd_agent_ready(acd, 7, 0));
	assert_int_equal(EBUSY, reentry_result);
	acd_free(acd);
	(void)h;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)
		T(login_is_not_ready_until_the_agent_says_ready),
		T(missed_offer_pauses_the_agent),
		T(n_misses_in_a_row_set_not_ready_no_answer),
		T(wrap_up_lasts_the_queue_time_then_ready),
		T(ready_during_wrap_up_ends_it_early),
		T(not_ready_while_talking_waits_for_the_call_end),
		T(leaving_while_ringing_withdraws_the_offer),
		T(abandoned_while_ringing_frees_the_agent),
		T(wrong_events_are_refused),
		T(time_never_runs_backwards),
		T(the_callback_cannot_call_back_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
