/* kpimap: what each router action and host happening is in report
 * events. Read in a row, the names are the table of docs/simulator.md
 * ("Event mapping"); the live host and the simulator both rely on it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "kpimap/kpimap.h"

static const struct acd_dest to_hangup = {.kind = ACD_DEST_HANGUP};

/* Call 7 waited 4 s in "sales" when agent 1001's phone began to ring at
 * 10 s: an offer of a call that entered at 6 s. */
static void an_offer_is_an_offer_event_dated_back_to_the_entry(void **state)
{
	struct acd_action a = {.kind = ACD_ACT_OFFER, .at_ms = 10000,
			       .call_id = 7, .agent_id = 1001, .queue_id = 1,
			       .waited_ms = 4000, .reason = ""};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 9;
	(void)state;

	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.queue = "sales", .agent = "1001"}, ev, &n));
	assert_int_equal(1, n);
	assert_int_equal(REPORT_EV_OFFER, ev[0].type);
	assert_int_equal(10000, ev[0].ts_ms);
	assert_string_equal("sales", ev[0].queue);
	assert_string_equal("1001", ev[0].agent);
	assert_int_equal(6000, ev[0].enter_ms);
}

static void a_ring_that_timed_out_is_a_ring_noanswer(void **state)
{
	struct acd_action a = {.kind = ACD_ACT_CANCEL, .at_ms = 40000,
			       .call_id = 7, .agent_id = 1001,
			       .reason = "timeout"};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;
	(void)state;

	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.queue = "sales", .agent = "1001", .enter_ms = 6000}, ev, &n));
	assert_int_equal(1, n);
	assert_int_equal(REPORT_EV_RING_NOANSWER, ev[0].type);
	assert_int_equal(40000, ev[0].ts_ms);
	assert_string_equal("sales", ev[0].queue);
	assert_string_equal("1001", ev[0].agent);
	assert_int_equal(6000, ev[0].enter_ms);
}

/* Abandoned, answered by another phone (ring-all), or withdrawn for the
 * agent's own state change: the ring ends, nobody missed anything. */
static void other_cancels_are_no_event(void **state)
{
	static const char *const reasons[] = {"abandoned",
		"answered-elsewhere", "not_ready", ""};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	(void)state;

	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		struct acd_action a = {.kind = ACD_ACT_CANCEL, .at_ms = 9000,
				       .call_id = 7, .agent_id = 1001,
				       .reason = reasons[i]};
		size_t n = 9;
		assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
			.queue = "sales", .agent = "1001"}, ev, &n));
		assert_int_equal(0, n);
	}
}

static void an_overflow_leaves_the_queue_with_its_wait(void **state)
{
	struct acd_action a = {.kind = ACD_ACT_OVERFLOW, .at_ms = 70000,
			       .call_id = 7, .queue_id = 1, .waited_ms = 60000,
			       .reason = "max_wait", .dest = &to_hangup};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;
	(void)state;

	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.queue = "sales"}, ev, &n));
	assert_int_equal(1, n);
	assert_int_equal(REPORT_EV_OVERFLOW, ev[0].type);
	assert_string_equal("sales", ev[0].queue);
	assert_null(ev[0].agent);
	assert_int_equal(10000, ev[0].enter_ms);
}

/* The entry into the queue overflowed to is the host's: it knows whether
 * the same router call offered the call at once. */
static void entering_a_queue_is_queued_unless_offered_at_once(void **state)
{
	struct report_event ev = kpimap_enter("support", 70000, true);
	(void)state;

	assert_int_equal(REPORT_EV_ENTER, ev.type);
	assert_string_equal("support", ev.queue);
	assert_int_equal(70000, ev.ts_ms);
	assert_int_equal(70000, ev.enter_ms);
	assert_int_equal(REPORT_EVF_QUEUED, ev.flags);
	ev = kpimap_enter("support", 70000, false);
	assert_int_equal(0, ev.flags);
}

static void a_state_change_books_the_time_in_the_state_left(void **state)
{
	struct acd_action a = {.kind = ACD_ACT_AGENT_STATE, .at_ms = 50000,
			       .agent_id = 1001, .from = ACD_READY,
			       .to = ACD_RINGING, .reason = ""};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;
	(void)state;

	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.agent = "1001", .since_ms = 20000, .wrap_queue = "sales",
		.wrap_enter_ms = 1000, .wrap_at_ms = 5000}, ev, &n));
	assert_int_equal(1, n);     /* not out of wrap-up: no wrapup_end */
	assert_int_equal(REPORT_EV_AGENT_STATE, ev[0].type);
	assert_string_equal("1001", ev[0].agent);
	assert_null(ev[0].queue);
	assert_int_equal(REPORT_AGENT_RINGING, ev[0].state);
	assert_int_equal(REPORT_AGENT_READY, ev[0].prev_state);
	assert_int_equal(30000, ev[0].dur_ms);
}

/* Out of wrap-up after a call of "sales" that entered at 1 s: the
 * wrap-up's time goes to that call's queue. */
static void leaving_wrap_up_also_ends_the_wrap_up(void **state)
{
	struct acd_action a = {.kind = ACD_ACT_AGENT_STATE, .at_ms = 95000,
			       .agent_id = 1001, .from = ACD_WRAP_UP,
			       .to = ACD_READY, .reason = ""};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;
	(void)state;

	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.agent = "1001", .since_ms = 80000, .wrap_at_ms = 80000,
		.wrap_queue = "sales", .wrap_enter_ms = 1000}, ev, &n));
	assert_int_equal(2, n);
	assert_int_equal(REPORT_EV_AGENT_STATE, ev[0].type);
	assert_int_equal(REPORT_AGENT_WRAPUP, ev[0].prev_state);
	assert_int_equal(15000, ev[0].dur_ms);
	assert_int_equal(REPORT_EV_WRAPUP_END, ev[1].type);
	assert_string_equal("sales", ev[1].queue);
	assert_string_equal("1001", ev[1].agent);
	assert_int_equal(1000, ev[1].enter_ms);
	assert_int_equal(95000, ev[1].ts_ms);
	assert_int_equal(15000, ev[1].dur_ms);
}

/* An agent put in wrap-up with no call behind it (restored at start) has
 * no queue to give the wrap-up to. */
static void wrap_up_without_a_call_books_no_wrapup_end(void **state)
{
	struct acd_action a = {.kind = ACD_ACT_AGENT_STATE, .at_ms = 95000,
			       .agent_id = 1001, .from = ACD_WRAP_UP,
			       .to = ACD_READY, .reason = ""};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;
	(void)state;

	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.agent = "1001", .since_ms = 80000, .wrap_queue = ""}, ev, &n));
	assert_int_equal(1, n);
	assert_int_equal(REPORT_EV_AGENT_STATE, ev[0].type);
}

/* Clock steps back (since after at), or a state held for years: never a
 * negative span, never more than the fold accepts. */
static void state_time_is_never_negative_nor_over_a_year(void **state)
{
	struct acd_action a = {.kind = ACD_ACT_AGENT_STATE, .at_ms = 1000,
			       .agent_id = 1001, .from = ACD_NOT_READY,
			       .to = ACD_READY, .reason = ""};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;
	(void)state;

	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.agent = "1001", .since_ms = 5000}, ev, &n));
	assert_int_equal(0, ev[0].dur_ms);
	a.at_ms = 3 * REPORT_MAX_STATE_MS;
	assert_int_equal(0, kpimap_action(&a, &(struct kpimap_ctx){
		.agent = "1001", .since_ms = 0}, ev, &n));
	assert_int_equal(REPORT_MAX_STATE_MS, ev[0].dur_ms);
	assert_int_equal(0, kpimap_checkpoint("1001", REPORT_AGENT_READY, 0,
					      3 * REPORT_MAX_STATE_MS, ev));
	assert_int_equal(REPORT_MAX_STATE_MS, ev[0].dur_ms);
}

/* The host could not find the call or the agent the action names: no
 * event rather than one missing its queue or agent. */
static void unknown_calls_and_agents_make_no_event(void **state)
{
	struct acd_action offer = {.kind = ACD_ACT_OFFER, .at_ms = 1,
				   .reason = ""};
	struct acd_action cancel = {.kind = ACD_ACT_CANCEL, .at_ms = 1,
				    .reason = "timeout"};
	struct acd_action ovf = {.kind = ACD_ACT_OVERFLOW, .at_ms = 1,
				 .reason = "full", .dest = &to_hangup};
	struct acd_action st = {.kind = ACD_ACT_AGENT_STATE, .at_ms = 1,
				.from = ACD_READY, .to = ACD_NOT_READY,
				.reason = "break"};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 9;
	(void)state;

	assert_int_equal(0, kpimap_action(&offer, &(struct kpimap_ctx){
		.agent = "1001"}, ev, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, kpimap_action(&offer, &(struct kpimap_ctx){
		.queue = "sales"}, ev, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, kpimap_action(&cancel, &(struct kpimap_ctx){
		.agent = "1001"}, ev, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, kpimap_action(&ovf, NULL, ev, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, kpimap_action(&st, NULL, ev, &n));
	assert_int_equal(0, n);
}

static void an_unknown_action_kind_is_refused(void **state)
{
	struct acd_action a = {.kind = (enum acd_action_kind)42};
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 9;
	(void)state;

	assert_int_equal(EINVAL, kpimap_action(&a, NULL, ev, &n));
	assert_int_equal(9, n);
}

static void router_states_map_one_to_one(void **state)
{
	(void)state;
	assert_int_equal(REPORT_AGENT_LOGGED_OUT, kpimap_state(ACD_LOGGED_OUT));
	assert_int_equal(REPORT_AGENT_READY, kpimap_state(ACD_READY));
	assert_int_equal(REPORT_AGENT_NOT_READY, kpimap_state(ACD_NOT_READY));
	assert_int_equal(REPORT_AGENT_RINGING, kpimap_state(ACD_RINGING));
	assert_int_equal(REPORT_AGENT_TALKING, kpimap_state(ACD_TALKING));
	assert_int_equal(REPORT_AGENT_WRAPUP, kpimap_state(ACD_WRAP_UP));
	assert_int_equal(REPORT_AGENT_LOGGED_OUT,
			 kpimap_state((enum acd_agent_state)99));
}

/* The phone began to ring at 10 s, the agent answered at 13 s a call that
 * entered at 6 s: a 7 s wait, 3 s of it ringing. */
static void an_answer_carries_the_ring_time(void **state)
{
	struct report_event ev = kpimap_answer("sales", 6000, "1001", 10000,
					       13000);
	(void)state;

	assert_int_equal(REPORT_EV_ANSWER, ev.type);
	assert_int_equal(13000, ev.ts_ms);
	assert_string_equal("sales", ev.queue);
	assert_string_equal("1001", ev.agent);
	assert_int_equal(6000, ev.enter_ms);
	assert_int_equal(3000, ev.ring_ms);
}

static void complete_and_abandon_keep_the_entry(void **state)
{
	struct report_event ev = kpimap_complete("sales", 6000, "1001", 120000,
						 140000);
	(void)state;

	assert_int_equal(REPORT_EV_COMPLETE, ev.type);
	assert_int_equal(140000, ev.ts_ms);
	assert_int_equal(6000, ev.enter_ms);
	assert_int_equal(120000, ev.dur_ms);
	assert_string_equal("1001", ev.agent);
	ev = kpimap_abandon("sales", 6000, 30000);
	assert_int_equal(REPORT_EV_ABANDON, ev.type);
	assert_int_equal(30000, ev.ts_ms);
	assert_int_equal(6000, ev.enter_ms);
	assert_string_equal("sales", ev.queue);
	assert_null(ev.agent);
}

/* A checkpoint books the time so far in the state the agent stays in; a
 * logged-out agent has none to book. */
static void a_checkpoint_books_the_state_kept(void **state)
{
	struct report_event ev;
	(void)state;

	assert_int_equal(0, kpimap_checkpoint("1001", REPORT_AGENT_TALKING,
					      900000, 1800000, &ev));
	assert_int_equal(REPORT_EV_AGENT_STATE, ev.type);
	assert_int_equal(REPORT_AGENT_TALKING, ev.state);
	assert_int_equal(REPORT_AGENT_TALKING, ev.prev_state);
	assert_int_equal(900000, ev.dur_ms);
	assert_int_equal(1800000, ev.ts_ms);
	assert_int_equal(ENOENT, kpimap_checkpoint("1001",
		REPORT_AGENT_LOGGED_OUT, 0, 1800000, &ev));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_offer_is_an_offer_event_dated_back_to_the_entry),
		cmocka_unit_test(a_ring_that_timed_out_is_a_ring_noanswer),
		cmocka_unit_test(other_cancels_are_no_event),
		cmocka_unit_test(an_overflow_leaves_the_queue_with_its_wait),
		cmocka_unit_test(entering_a_queue_is_queued_unless_offered_at_once),
		cmocka_unit_test(a_state_change_books_the_time_in_the_state_left),
		cmocka_unit_test(leaving_wrap_up_also_ends_the_wrap_up),
		cmocka_unit_test(wrap_up_without_a_call_books_no_wrapup_end),
		cmocka_unit_test(state_time_is_never_negative_nor_over_a_year),
		cmocka_unit_test(unknown_calls_and_agents_make_no_event),
		cmocka_unit_test(an_unknown_action_kind_is_refused),
		cmocka_unit_test(router_states_map_one_to_one),
		cmocka_unit_test(an_answer_carries_the_ring_time),
		cmocka_unit_test(complete_and_abandon_keep_the_entry),
		cmocka_unit_test(a_checkpoint_books_the_state_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
