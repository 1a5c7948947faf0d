/* Queues: priority and first come first served, overflow on max wait and
 * max length, join/leave-empty, retry, fairness across queues, and how
 * configuration changes are refused or applied. */
#include "harness.h"

/* Agent 1001 on queue 1, busy on call 900 so callers pile up. */
static void one_busy_agent(struct h *h)
{
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 900, 0, 0);
	assert_int_equal(0, acd_offer_answered(h->acd, 900, 1001, 0));
}

/* Frees 1001 at `at` (ending its call) and returns who it is offered. */
static uint64_t next_served(struct h *h, int64_t at)
{
	struct acd_agent_info ai;
	uint64_t call;

	assert_int_equal(0, acd_agent_get(h->acd, 1001, &ai));
	h_clear(h);
	assert_int_equal(0, acd_call_ended(h->acd, ai.call_id, at));
	call = h_nth(h, ACD_ACT_OFFER, 0) ? h_nth(h, ACD_ACT_OFFER, 0)->a.call_id
		: 0;
	if (call)
		assert_int_equal(0, acd_offer_answered(h->acd, call, 1001, at));
	return call;
}

static void higher_priority_first_then_first_come(void **state)
{
	struct h *h = *state;

	h_queue(h, 1, "longest-idle");
	one_busy_agent(h);
	h_call(h, 1, 1, 0, 1000);
	h_call(h, 1, 2, 5, 2000);
	h_call(h, 1, 3, 0, 3000);
	h_call(h, 1, 4, 5, 4000);
	assert_int_equal(2, next_served(h, 10000));
	assert_int_equal(4, next_served(h, 11000));
	assert_int_equal(1, next_served(h, 12000));
	assert_int_equal(3, next_served(h, 13000));
	assert_int_equal(0, next_served(h, 14000));
}

static void max_wait_overflows_to_the_next_queue(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	struct acd_call_info ci;
	const struct h_act *o;

	h_queue(h, 2, "longest-idle");
	c.max_wait_ms = 30000;
	c.overflow.kind = ACD_DEST_QUEUE;
	c.overflow.queue_id = 2;
	h_queue_cfg(h, &c);
	one_busy_agent(h);
	h_call(h, 1, 1, 0, 1000);
	assert_int_equal(31000, acd_next_deadline(h->acd));
	h_clear(h);
	assert_int_equal(0, acd_tick(h->acd, 30999));
	assert_int_equal(0, h->nacts);
	assert_int_equal(0, acd_tick(h->acd, 40000));
	o = h_nth(h, ACD_ACT_OVERFLOW, 0);
	assert_non_null(o);
	assert_int_equal(31000, o->a.at_ms);
	assert_int_equal(30000, o->a.waited_ms);
	assert_string_equal("max-wait", o->reason);
	assert_int_equal(ACD_DEST_QUEUE, o->dest.kind);
	assert_int_equal(0, acd_call_get(h->acd, 1, &ci));
	assert_int_equal(2, ci.queue_id);
	assert_int_equal(31000, ci.enter_ms);
}

static void max_wait_to_an_extension_leaves_the_router(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	struct acd_call_info ci;

	c.max_wait_ms = 5000;
	c.overflow.kind = ACD_DEST_EXTENSION;
	strcpy(c.overflow.target, "2000");
	h_queue_cfg(h, &c);
	one_busy_agent(h);
	h_call(h, 1, 1, 0, 1000);
	h_clear(h);
	assert_int_equal(0, acd_tick(h->acd, 6000));
	assert_string_equal("2000", h_nth(h, ACD_ACT_OVERFLOW, 0)->dest.target);
	assert_int_equal(ENOENT, acd_call_get(h->acd, 1, &ci));
}

/* The limit passes while the call rings: it overflows only if that ring
 * fails, never by tearing down a ring that may be answered. */
static void max_wait_waits_for_a_ringing_offer(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.max_wait_ms = 5000;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 1000);
	h_clear(h);
	assert_int_equal(0, acd_tick(h->acd, 7000));
	assert_int_equal(0, h_count(h, ACD_ACT_OVERFLOW));
	assert_int_equal(0, acd_offer_rejected(h->acd, 1, 1001, 8000));
	assert_string_equal("max-wait", h_nth(h, ACD_ACT_OVERFLOW, 0)->reason);
}

static void max_length_turns_the_next_caller_away(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	const struct h_act *o;

	c.max_len = 2;
	c.overflow.kind = ACD_DEST_VOICEMAIL;
	strcpy(c.overflow.target, "box-1");
	h_queue_cfg(h, &c);
	one_busy_agent(h);
	h_call(h, 1, 1, 0, 1000);
	h_call(h, 1, 2, 0, 1000);
	h_clear(h);
	h_call(h, 1, 3, 0, 1000);
	o = h_nth(h, ACD_ACT_OVERFLOW, 0);
	assert_non_null(o);
	assert_int_equal(3, o->a.call_id);
	assert_string_equal("full", o->reason);
	assert_int_equal(ACD_DEST_VOICEMAIL, o->dest.kind);
}

static void join_empty_refuses_callers_nobody_can_answer(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.join_empty = ACD_EMPTY_NO_AVAILABLE;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	assert_int_equal(0, acd_agent_login(h->acd, 1001, 0));
	h_clear(h);
	h_call(h, 1, 1, 0, 1000);
	assert_string_equal("join-empty", h_nth(h, ACD_ACT_OVERFLOW, 0)->reason);
	h_ready(h, 1001, 2000);
	h_call(h, 1, 2, 0, 3000);
	assert_int_equal(1001, h_offered(h, 2));
}

static void leave_empty_sends_waiting_callers_away(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.leave_empty = ACD_EMPTY_NO_AGENTS;
	h_queue_cfg(h, &c);
	one_busy_agent(h);
	h_call(h, 1, 1, 0, 1000);
	h_call(h, 1, 2, 0, 1000);
	h_clear(h);
	assert_int_equal(0, acd_agent_logout(h->acd, 1001, 2000));
	assert_int_equal(0, h_count(h, ACD_ACT_OVERFLOW));   /* still talking */
	assert_int_equal(0, acd_call_ended(h->acd, 900, 3000));
	assert_int_equal(ACD_LOGGED_OUT, h_state(h, 1001));
	assert_int_equal(2, h_count(h, ACD_ACT_OVERFLOW));
	assert_string_equal("leave-empty",
			    h_nth(h, ACD_ACT_OVERFLOW, 1)->reason);
}

static void retry_delay_holds_the_call_after_a_miss(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	struct acd_call_info ci;

	c.retry_ms = 4000;
	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	h_ready(h, 1001, 0);
	h_call(h, 1, 1, 0, 1000);
	assert_int_equal(0, acd_offer_rejected(h->acd, 1, 1001, 2000));
	h_clear(h);
	h_ready(h, 1002, 3000);
	assert_int_equal(0, h_count(h, ACD_ACT_OFFER));
	assert_int_equal(0, acd_call_get(h->acd, 1, &ci));
	assert_int_equal(ACD_WAIT_RETRY, ci.wait);
	assert_int_equal(6000, acd_next_deadline(h->acd));
	assert_int_equal(0, acd_tick(h->acd, 6000));
	/* 1002 has idled since 3 s, 1001 since 0 s (a miss keeps its place). */
	assert_int_equal(1001, h_offered(h, 1));
}

/* 1001 serves queues 1 and 2. Queue 2's caller has waited longer: it gets
 * 1001 when 1001 is free, though queue 1 was set up first. */
static void several_queues_longest_wait_goes_first(void **state)
{
	struct h *h = *state;
	struct acd_member m[2] = { {1, 0, 0}, {2, 0, 0} };

	h_queue(h, 1, "longest-idle");
	h_queue(h, 2, "longest-idle");
	assert_int_equal(0, acd_agent_set(h->acd, 1001, m, 2, 0, NULL, 0));
	h_call(h, 2, 20, 0, 1000);
	h_call(h, 1, 10, 0, 2000);
	h_clear(h);
	h_ready(h, 1001, 5000);
	assert_int_equal(1001, h_offered(h, 20));
	assert_int_equal(0, h_offered(h, 10));
}

static void several_queues_priority_beats_wait(void **state)
{
	struct h *h = *state;
	struct acd_member m[2] = { {1, 0, 0}, {2, 0, 0} };

	h_queue(h, 1, "longest-idle");
	h_queue(h, 2, "longest-idle");
	assert_int_equal(0, acd_agent_set(h->acd, 1001, m, 2, 0, NULL, 0));
	h_call(h, 2, 20, 0, 1000);
	h_call(h, 1, 10, 3, 2000);
	h_ready(h, 1001, 5000);
	assert_int_equal(1001, h_offered(h, 10));
}

/* Weight 3 on queue 1: its caller of 2 s counts as 6 s against queue 2's
 * 4 s. */
static void several_queues_weight_scales_the_wait(void **state)
{
	struct h *h = *state;
	struct acd_member m[2] = { {1, 0, 0}, {2, 0, 0} };
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");

	c.weight = 3;
	h_queue_cfg(h, &c);
	h_queue(h, 2, "longest-idle");
	assert_int_equal(0, acd_agent_set(h->acd, 1001, m, 2, 0, NULL, 0));
	h_call(h, 2, 20, 0, 1000);
	h_call(h, 1, 10, 0, 3000);
	h_ready(h, 1001, 5000);
	assert_int_equal(1001, h_offered(h, 10));
}

/* Each refused change leaves the queue exactly as it was: still
 * sequential, still overflowing nowhere, the caller still waiting. */
static void invalid_configuration_is_refused_and_changes_nothing(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c;
	struct acd_snapshot before, after;
	char why[ACD_WHY_LEN];
	static const struct { const char *field; const char *why; } cases[] = {
		{"strategy", "unknown strategy \"fastest\""},
		{"retry", "retry_ms must be a time >= 0, not -1"},
		{"ring", "ring_timeout_ms must be > 0"},
		{"self", "queue 1 overflows into itself"},
		{"cycle", "queue 1 overflows into itself through a cycle"},
		{"unknown", "overflow queue 9 does not exist"},
		{"weight", "weight must be 1..1000, not 0"},
	};

	h_queue(h, 1, "sequential");
	c = h_cfg(2, "longest-idle");
	c.overflow.kind = ACD_DEST_QUEUE;
	c.overflow.queue_id = 1;
	h_queue_cfg(h, &c);
	one_busy_agent(h);
	h_call(h, 1, 1, 0, 1000);
	assert_int_equal(0, acd_snapshot(h->acd, &before));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = h_cfg(1, "longest-idle");
		if (!strcmp(cases[i].field, "strategy"))
			c.strategy = "fastest";
		else if (!strcmp(cases[i].field, "retry"))
			c.retry_ms = -1;
		else if (!strcmp(cases[i].field, "ring"))
			c.ring_timeout_ms = 0;
		else if (!strcmp(cases[i].field, "weight"))
			c.weight = 0;
		if (!strcmp(cases[i].field, "self") ||
		    !strcmp(cases[i].field, "cycle") ||
		    !strcmp(cases[i].field, "unknown")) {
			c.overflow.kind = ACD_DEST_QUEUE;
			c.overflow.queue_id = cases[i].field[0] == 's' ? 1
				: cases[i].field[0] == 'c' ? 2 : 9;
		}
		why[0] = '\0';
		assert_int_equal(EINVAL, acd_queue_set(h->acd, &c, 2000, why,
						       sizeof(why)));
		assert_string_equal(cases[i].why, why);
	}
	assert_int_equal(EINVAL, acd_agent_set(h->acd, 1001,
		&(struct acd_member){ 7, 0, 0 }, 1, 2000, why, sizeof(why)));
	assert_string_equal("no queue 7", why);
	assert_int_equal(0, acd_snapshot(h->acd, &after));
	assert_int_equal(before.ncalls, after.ncalls);
	assert_memory_equal(before.calls, after.calls,
			    before.ncalls * sizeof(*before.calls));
	assert_memory_equal(before.agents, after.agents,
			    before.nagents * sizeof(*before.agents));
	acd_snapshot_clear(&before);
	acd_snapshot_clear(&after);
	assert_int_equal(EBUSY, acd_queue_remove(h->acd, 1, why, sizeof(why)));
}

/* A strategy change re-sorts the ready agents at once; a shorter max wait
 * applies to callers already waiting, counted from their entry. */
static void configuration_changes_apply_without_dropping_callers(void **state)
{
	struct h *h = *state;
	struct acd_queue_cfg c = h_cfg(1, "longest-idle");
	struct acd_call_info ci;

	h_queue_cfg(h, &c);
	h_agent(h, 1001, 1, 0, 2);
	h_agent(h, 1002, 1, 0, 1);
	h_ready(h, 1001, 0);
	h_ready(h, 1002, 1000);
	c.strategy = "sequential";
	assert_int_equal(0, acd_queue_set(h->acd, &c, 2000, NULL, 0));
	h_call(h, 1, 1, 0, 3000);
	assert_int_equal(1002, h_offered(h, 1));
	h_call(h, 1, 2, 0, 3000);
	h_call(h, 1, 3, 0, 9000);
	assert_int_equal(0, acd_offer_answered(h->acd, 2, 1001, 9000));
	assert_int_equal(0, acd_call_get(h->acd, 3, &ci));
	assert_int_equal(ACD_CALL_WAITING, ci.state);
	c.max_wait_ms = 2000;
	h_clear(h);
	assert_int_equal(0, acd_queue_set(h->acd, &c, 12000, NULL, 0));
	assert_int_equal(1, h_count(h, ACD_ACT_OVERFLOW));
	assert_int_equal(3, h_nth(h, ACD_ACT_OVERFLOW, 0)->a.call_id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)
		T(higher_priority_first_then_first_come),
		T(max_wait_overflows_to_the_next_queue),
		T(max_wait_to_an_extension_leaves_the_router),
		T(max_wait_waits_for_a_ringing_offer),
		T(max_length_turns_the_next_caller_away),
		T(join_empty_refuses_callers_nobody_can_answer),
		T(leave_empty_sends_waiting_callers_away),
		T(retry_delay_holds_the_call_after_a_miss),
		T(several_queues_longest_wait_goes_first),
		T(several_queues_priority_beats_wait),
		T(several_queues_weight_scales_the_wait),
		T(invalid_configuration_is_refused_and_changes_nothing),
		T(configuration_changes_apply_without_dropping_callers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
