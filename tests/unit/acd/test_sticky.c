/* Sticky agent: a caller goes back to the agent who last served them within
 * the window (30 days here), waited for up to 20 s, else longest idle.
 * Caller "555" was served by 1002 a day before; 1001 has idled longer. */
#include "harness.h"

#define DAY (86400LL * 1000)
#define T0 (40 * DAY)

static void setup_sticky(struct h *h, int64_t served_at)
{
	h_queue(h, 1, "sticky");
	h_agent(h, 1001, 1, 0, 0);
	h_agent(h, 1002, 1, 0, 0);
	h_agent(h, 1003, 1, 0, 0);
	strcpy(h->last[0].caller, "555");
	h->last[0].agent = 1002;
	h->last[0].at = served_at;
	h->nlast = 1;
	h_ready(h, 1001, T0);
	h_ready(h, 1002, T0 + 1000);
}

static void sticky_call(struct h *h, uint64_t id, int64_t at)
{
	assert_int_equal(0, acd_call_enqueue(h->acd, 1, id, 0, "555", at));
}

/* 1002 is busy with call 9 until 10 s after. */
static void keep_1002_busy(struct h *h)
{
	h_call(h, 1, 8, 0, T0 + 1500);          /* takes 1001, idle longest */
	h_call(h, 1, 9, 0, T0 + 1500);          /* takes 1002 */
	assert_int_equal(1002, h_offered(h, 9));
	assert_int_equal(0, acd_offer_answered(h->acd, 9, 1002, T0 + 1600));
	h_talk(h, 8, 1001, T0 + 1600, T0 + 1700);
}

static void the_last_agent_gets_the_call_when_ready(void **state)
{
	struct h *h = *state;

	setup_sticky(h, T0 - DAY);
	h_clear(h);
	sticky_call(h, 1, T0 + 2000);
	assert_int_equal(1002, h_offered(h, 1));
}

static void a_busy_last_agent_is_waited_for(void **state)
{
	struct h *h = *state;
	struct acd_call_info ci;

	setup_sticky(h, T0 - DAY);
	keep_1002_busy(h);
	h_clear(h);
	sticky_call(h, 1, T0 + 2000);
	assert_int_equal(0, h_count(h, ACD_ACT_OFFER));   /* 1001 is ready */
	assert_int_equal(0, acd_call_get(h->acd, 1, &ci));
	assert_int_equal(ACD_WAIT_STICKY, ci.wait);
	assert_int_equal(1002, ci.sticky_agent);
	assert_int_equal(T0 + 22000, ci.hold_until_ms);
	assert_int_equal(0, acd_call_ended(h->acd, 9, T0 + 12000));
	assert_int_equal(1002, h_offered(h, 1));
}

static void after_the_wait_it_falls_back_to_longest_idle(void **state)
{
	struct h *h = *state;

	setup_sticky(h, T0 - DAY);
	keep_1002_busy(h);
	h_ready(h, 1003, T0 + 1800);
	h_clear(h);
	sticky_call(h, 1, T0 + 2000);
	assert_int_equal(T0 + 22000, acd_next_deadline(h->acd));
	assert_int_equal(0, acd_tick(h->acd, T0 + 30000));
	assert_int_equal(1001, h_offered(h, 1));
	assert_int_equal(T0 + 22000, h_nth(h, ACD_ACT_OFFER, 0)->a.at_ms);
}

static void outside_the_window_there_is_no_last_agent(void **state)
{
	struct h *h = *state;

	setup_sticky(h, T0 - 31 * DAY);
	h_clear(h);
	sticky_call(h, 1, T0 + 2000);
	assert_int_equal(1001, h_offered(h, 1));
}

static void a_logged_out_last_agent_is_not_waited_for(void **state)
{
	struct h *h = *state;

	setup_sticky(h, T0 - DAY);
	assert_int_equal(0, acd_agent_logout(h->acd, 1002, T0 + 1500));
	h_clear(h);
	sticky_call(h, 1, T0 + 2000);
	assert_int_equal(1001, h_offered(h, 1));
}

/* Held for 1002, who then logs out: the caller stops waiting at once. */
static void the_hold_ends_when_the_last_agent_logs_out(void **state)
{
	struct h *h = *state;

	setup_sticky(h, T0 - DAY);
	keep_1002_busy(h);
	sticky_call(h, 1, T0 + 2000);
	h_clear(h);
	assert_int_equal(0, acd_agent_logout(h->acd, 1002, T0 + 3000));
	assert_int_equal(1001, h_offered(h, 1));
}

/* The last agent lets the sticky offer ring out: the caller goes to the
 * line, not back to waiting for them. */
static void a_missed_sticky_offer_falls_back(void **state)
{
	struct h *h = *state;
	struct acd_call_info ci;

	setup_sticky(h, T0 - DAY);
	sticky_call(h, 1, T0 + 2000);
	assert_int_equal(1002, h_offered(h, 1));
	h_clear(h);
	assert_int_equal(0, acd_offer_rejected(h->acd, 1, 1002, T0 + 3000));
	assert_int_equal(1001, h_offered(h, 1));
	assert_int_equal(0, acd_call_get(h->acd, 1, &ci));
	assert_true(ci.sticky_done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)
		T(the_last_agent_gets_the_call_when_ready),
		T(a_busy_last_agent_is_waited_for),
		T(after_the_wait_it_falls_back_to_longest_idle),
		T(outside_the_window_there_is_no_last_agent),
		T(a_logged_out_last_agent_is_not_waited_for),
		T(the_hold_ends_when_the_last_agent_logs_out),
		T(a_missed_sticky_offer_falls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
