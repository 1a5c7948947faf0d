/* The fold: hand-built event sequences with every KPI worked out by hand,
 * short abandons, the three abandon treatments, which interval a call and
 * an agent's time belong to, and refusal of bad events. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "events.h"

#define R REPORT_AGENT_READY
#define NR REPORT_AGENT_NOT_READY
#define RING REPORT_AGENT_RINGING
#define TALK REPORT_AGENT_TALKING
#define WRAP REPORT_AGENT_WRAPUP
#define OUT REPORT_AGENT_LOGGED_OUT

static int setup(void **state)
{
	(void)state;
	return report_set_alloc(&set_, REPORT_INTERVAL_MS);
}

static int teardown(void **state)
{
	(void)state;
	report_set_free(set_);
	set_ = NULL;
	return 0;
}

static double kpi(const char *id, const struct report_bucket *b,
		  const struct report_queue_cfg *cfg)
{
	double v = NAN;
	assert_int_equal(0, report_kpi(report_kpi_find(id), b, cfg, &v));
	return v;
}

static void assert_no_data(const char *id, const struct report_bucket *b)
{
	double v;
	assert_int_equal(ENODATA, report_kpi(report_kpi_find(id), b, NULL, &v));
}

#define assert_kpi(want, id, b, cfg) \
	assert_true(fabs((double)(want) - kpi(id, b, cfg)) < 1e-9)

static struct report_bucket sum(enum report_scope sc, const char *name,
				double from, double to)
{
	struct report_bucket b;
	assert_int_equal(0, report_sum(set_, sc, name, AT(from), AT(to), &b));
	return b;
}

/* A quarter hour of queue "sales" with agents 1001 and 1002 (service level
 * within 20 s, short abandons up to 5 s). Calls, seconds after T0:
 *   A enters 10 (an agent is free), rings 1001 10-14, talks 14-214 with a
 *     30 s hold, so 170 s of talk; wrap-up 214-244
 *   B enters 20, rings 1002 20-35 unanswered (1002 not ready 35-40), rings
 *     1002 again 40-45, talks 45-345, wrap-up 345-405       waited 25 s
 *   C queued 50, hangs up 53: a short abandon
 *   D queued 60, hangs up 75: abandoned within the 20 s
 *   E queued 100, hangs up 160: abandoned after 60 s
 *   F queued 200, rings 1001 244-246, talks 246-300, transferred at 300,
 *     wrap-up 300-310                                         waited 46 s
 *   G blocked at 400
 *   H enters 500, rings 1001 500-501, talks 501-600, no wrap-up
 *   I queued 700, overflows at 760 after 60 s
 * Both agents log in at 0 and are booked up to 900 by a same-state event. */
static void quarter_hour_of_sales(void)
{
	struct report_queue_cfg cfg = report_default_cfg;
	cfg.sl_ms = 20000;
	cfg.short_abandon_ms = 5000;
	assert_int_equal(0, report_set_queue(set_, "sales", &cfg));

	enter("sales", 10, 0);
	offer("sales", "1001", 10, 10);
	state("1001", 0, R, 10, RING);
	answer("sales", "1001", 10, 14, 4);
	state("1001", 10, RING, 14, TALK);
	hold("sales", "1001", 10, 100, 130);
	complete("sales", "1001", 10, 214, 170);
	state("1001", 14, TALK, 214, WRAP);
	wrapup("sales", "1001", 10, 244, 30);
	state("1001", 214, WRAP, 244, R);

	enter("sales", 20, 0);
	offer("sales", "1002", 20, 20);
	state("1002", 0, R, 20, RING);
	noanswer("sales", "1002", 20, 35);
	state("1002", 20, RING, 35, NR);
	state("1002", 35, NR, 40, RING);
	offer("sales", "1002", 20, 40);
	answer("sales", "1002", 20, 45, 5);
	state("1002", 40, RING, 45, TALK);
	complete("sales", "1002", 20, 345, 300);
	state("1002", 45, TALK, 345, WRAP);
	wrapup("sales", "1002", 20, 405, 60);
	state("1002", 345, WRAP, 405, R);

	enter("sales", 50, 1);
	abandon("sales", 50, 53);
	enter("sales", 60, 1);
	abandon("sales", 60, 75);
	enter("sales", 100, 1);
	abandon("sales", 100, 160);

	enter("sales", 200, 1);
	state("1001", 244, R, 244, RING);
	offer("sales", "1001", 200, 244);
	answer("sales", "1001", 200, 246, 2);
	state("1001", 244, RING, 246, TALK);
	transfer("sales", "1001", 200, 300);
	complete("sales", "1001", 200, 300, 54);
	state("1001", 246, TALK, 300, WRAP);
	wrapup("sales", "1001", 200, 310, 10);
	state("1001", 300, WRAP, 310, R);

	blocked("sales", 400);

	enter("sales", 500, 0);
	offer("sales", "1001", 500, 500);
	state("1001", 310, R, 500, RING);
	answer("sales", "1001", 500, 501, 1);
	state("1001", 500, RING, 501, TALK);
	complete("sales", "1001", 500, 600, 99);
	state("1001", 501, TALK, 600, R);

	enter("sales", 700, 1);
	overflow("sales", 700, 760);

	state("1001", 600, R, 900, R);
	state("1002", 405, R, 900, R);
}

static void queue_counts_of_the_quarter_hour(void **st)
{
	struct report_bucket b;
	(void)st;
	quarter_hour_of_sales();
	b = sum(REPORT_QUEUE, "sales", 0, 900);
	assert_int_equal(1, b.intervals);
	assert_int_equal(T0, b.start_ms);
	assert_int_equal(20000, b.sl_ms);
	assert_int_equal(5000, b.short_ms);
	assert_int_equal(8, b.entered);
	assert_int_equal(5, b.queued);
	assert_int_equal(1, b.blocked);
	assert_int_equal(4, b.answered);
	assert_int_equal(2, b.answered_in_sl);
	assert_int_equal(MS(76), b.answer_wait_ms);
	assert_int_equal(MS(12), b.answer_ring_ms);
	assert_int_equal(2, b.abandoned);
	assert_int_equal(1, b.abandoned_in_sl);
	assert_int_equal(MS(75), b.abandon_wait_ms);
	assert_int_equal(1, b.short_abandoned);
	assert_int_equal(1, b.overflowed);
	assert_int_equal(MS(60), b.overflow_wait_ms);
	assert_int_equal(5, b.offers);
	assert_int_equal(1, b.ring_noanswer);
	assert_int_equal(1, b.transferred);
	assert_int_equal(1, b.holds);
	assert_int_equal(MS(30), b.hold_ms);
	assert_int_equal(4, b.completed);
	assert_int_equal(MS(623), b.talk_ms);
	assert_int_equal(MS(100), b.wrap_ms);
	assert_int_equal(0, b.ready_ms);
}

/* Seven calls with a known fate (short abandon C left out): 4 answered,
 * 2 abandoned, 1 overflowed. */
static void queue_kpis_of_the_quarter_hour(void **st)
{
	struct report_bucket b;
	(void)st;
	quarter_hour_of_sales();
	b = sum(REPORT_QUEUE, "sales", 0, 900);
	assert_kpi(2.0 / 7, "service_level", &b, NULL);
	assert_kpi(19, "asa", &b, NULL);
	assert_kpi(2.0 / 7, "abandon_rate", &b, NULL);
	assert_kpi(37.5, "avg_abandon_time", &b, NULL);
	assert_kpi(211.0 / 7, "avg_queue_time", &b, NULL);
	assert_kpi(4.0 / 7, "answered_rate", &b, NULL);
	assert_kpi(9, "total_calls", &b, NULL);
	assert_kpi(1.0 / 9, "blocking_rate", &b, NULL);
	assert_kpi(5.0 / 8, "queue_placement_rate", &b, NULL);
	assert_kpi(155.75, "avg_talk_time", &b, NULL);
	assert_kpi(30, "avg_hold_time", &b, NULL);
	assert_kpi(25, "avg_wrap_time", &b, NULL);
	assert_kpi(188.25, "avg_handle_time", &b, NULL);
	/* The caller's rings are counted from the calls (side figures):
	 * agent phones rung per answer (offers / answered) is not it. */
	assert_int_equal(5, b.offers);
	assert_int_equal(ENOTSUP, report_kpi(report_kpi_find("avg_ring_count"),
					     &b, NULL, &(double){0}));
	assert_kpi(3, "avg_ring_time", &b, NULL);
	assert_kpi(0.25, "transfer_rate", &b, NULL);
	/* A queue has calls, not agent time. */
	assert_no_data("occupancy", &b);
	assert_no_data("utilization", &b);
	assert_no_data("calls_per_agent_hour", &b);
}

/* 1001: ready 500 s, ringing 7, talking 353, wrap-up 40; 1002: ready 515,
 * not ready 5, ringing 20, talking 300, wrap-up 60. */
static void agent_kpis_of_the_quarter_hour(void **st)
{
	struct report_bucket a1, a2, all;
	(void)st;
	quarter_hour_of_sales();
	a1 = sum(REPORT_AGENT, "1001", 0, 900);
	a2 = sum(REPORT_AGENT, "1002", 0, 900);
	all = sum(REPORT_AGENT, NULL, 0, 900);
	assert_int_equal(MS(500), a1.ready_ms);
	assert_int_equal(MS(7), a1.ringing_ms);
	assert_int_equal(MS(353), a1.talking_ms);
	assert_int_equal(MS(40), a1.wrapup_ms);
	assert_int_equal(0, a1.not_ready_ms);
	assert_int_equal(MS(515), a2.ready_ms);
	assert_int_equal(MS(5), a2.not_ready_ms);
	assert_int_equal(MS(20), a2.ringing_ms);
	assert_int_equal(3, a1.answered);
	assert_int_equal(1, a2.answered);
	assert_int_equal(1, a2.ring_noanswer);
	assert_int_equal(1, a1.transferred);
	assert_int_equal(MS(323), a1.talk_ms);
	assert_kpi(400.0 / 900, "occupancy", &a1, NULL);
	/* Without shifts there is no scheduled time to divide by. */
	assert_no_data("utilization", &a1);
	assert_kpi(12, "calls_per_agent_hour", &a1, NULL);
	assert_kpi(780.0 / 1795, "occupancy", &all, NULL);
	assert_kpi(8, "calls_per_agent_hour", &all, NULL);
	assert_kpi(1.0 / 3, "transfer_rate", &a1, NULL);
	/* Agent buckets hold no queue arrivals. */
	assert_no_data("queue_placement_rate", &all);
	assert_no_data("blocking_rate", &a2);
}

/* Threshold 30 s, short abandons up to 10 s. Answered: 6 within 30 s and
 * 2 after; abandoned: 1 within 30 s, 1 after, 1 short. */
static void three_treatments_of_abandoned_calls(void **st)
{
	struct report_queue_cfg cfg = {.sl_ms = 30000, .short_abandon_ms = 10000};
	struct report_bucket b;
	(void)st;
	assert_int_equal(0, report_set_queue(set_, "q", &cfg));
	for (int i = 0; i < 8; i++) {
		double waited = i < 6 ? 5 + i * 5 : 31 + i;  /* 5..30, 37, 38 */
		enter("q", i * 60, 1);
		answer("q", "1001", i * 60, i * 60 + waited, 1);
	}
	enter("q", 600, 1);
	abandon("q", 600, 625);     /* within 30 s, longer than 10 s */
	enter("q", 700, 1);
	abandon("q", 700, 790);     /* after 30 s */
	enter("q", 800, 1);
	abandon("q", 800, 810);     /* short: exactly 10 s */
	b = sum(REPORT_QUEUE, "q", 0, 900);
	report_queue_get(set_, "q", &cfg);
	assert_int_equal(30000, cfg.sl_ms);
	report_queue_get(set_, "never-set", &cfg);
	assert_int_equal(report_default_cfg.short_abandon_ms, cfg.short_abandon_ms);
	cfg = (struct report_queue_cfg){.sl_ms = 30000, .short_abandon_ms = 10000};
	assert_int_equal(6, b.answered_in_sl);
	assert_int_equal(1, b.short_abandoned);

	cfg.abandon_sl = REPORT_ABANDON_MISSED;
	assert_kpi(6.0 / 10, "service_level", &b, &cfg);
	cfg.abandon_sl = REPORT_ABANDON_IGNORED;
	assert_kpi(6.0 / 9, "service_level", &b, &cfg);
	cfg.abandon_sl = REPORT_ABANDON_MET;
	assert_kpi(7.0 / 10, "service_level", &b, &cfg);
	/* Short abandons touch none of the rates. */
	assert_kpi(2.0 / 10, "abandon_rate", &b, &cfg);
	assert_kpi(57.5, "avg_abandon_time", &b, &cfg);
	assert_kpi(11, "total_calls", &b, &cfg);
}

/* Raising the short-abandon limit moves abandons out of every rate. */
static void short_abandon_threshold_is_per_queue(void **st)
{
	struct report_queue_cfg strict = {.sl_ms = 20000, .short_abandon_ms = 0};
	struct report_bucket a, b;
	(void)st;
	assert_int_equal(0, report_set_queue(set_, "strict", &strict));
	for (int i = 0; i < 4; i++) {
		enter("strict", i * 100, 1);
		abandon("strict", i * 100, i * 100 + 3 + 10 * i);  /* 3,13,23,33 */
		enter("lenient", i * 100, 1);
		abandon("lenient", i * 100, i * 100 + 3 + 10 * i);
	}
	enter("strict", 500, 0);
	answer("strict", "1001", 500, 502, 2);
	enter("lenient", 500, 0);
	answer("lenient", "1001", 500, 502, 2);
	a = sum(REPORT_QUEUE, "strict", 0, 900);
	b = sum(REPORT_QUEUE, "lenient", 0, 900);   /* default: 20 s */
	assert_int_equal(4, a.abandoned);
	assert_int_equal(0, a.short_abandoned);
	assert_int_equal(2, b.abandoned);
	assert_int_equal(2, b.short_abandoned);
	assert_kpi(4.0 / 5, "abandon_rate", &a, NULL);
	assert_kpi(2.0 / 3, "abandon_rate", &b, NULL);
	assert_kpi(18, "avg_abandon_time", &a, NULL);
	assert_kpi(28, "avg_abandon_time", &b, NULL);
}

/* A call belongs to the interval it entered the queue in, even when it is
 * answered in the next; the answering agent counts it when it answered. */
static void a_call_counts_where_it_entered_the_queue(void **st)
{
	struct report_bucket q1, q2, a1, a2;
	(void)st;
	enter("q", 890, 1);
	answer("q", "1001", 890, 910, 3);
	complete("q", "1001", 890, 1000, 90);
	q1 = sum(REPORT_QUEUE, "q", 0, 900);
	q2 = sum(REPORT_QUEUE, "q", 900, 1800);
	a1 = sum(REPORT_AGENT, "1001", 0, 900);
	a2 = sum(REPORT_AGENT, "1001", 900, 1800);
	assert_int_equal(1, q1.entered);
	assert_int_equal(1, q1.answered);
	assert_int_equal(1, q1.answered_in_sl);
	assert_int_equal(1, q1.completed);
	assert_int_equal(0, q2.intervals);
	assert_int_equal(0, a1.answered);
	assert_int_equal(1, a2.answered);
	assert_int_equal(MS(90), a2.talk_ms);
}

/* Ready 10:10 to 10:40 (T0 is on a quarter hour): 5, 15 and 10 minutes in
 * three intervals; talking 10:40 to 11:20 across three more. */
static void agent_time_is_split_across_intervals(void **st)
{
	struct report_bucket b;
	(void)st;
	state("1001", 600, R, 2400, TALK);
	state("1001", 2400, TALK, 4800, WRAP);
	b = sum(REPORT_AGENT, "1001", 0, 900);
	assert_int_equal(MS(300), b.ready_ms);
	b = sum(REPORT_AGENT, "1001", 900, 1800);
	assert_int_equal(MS(900), b.ready_ms);
	b = sum(REPORT_AGENT, "1001", 1800, 2700);
	assert_int_equal(MS(600), b.ready_ms);
	assert_int_equal(MS(300), b.talking_ms);
	b = sum(REPORT_AGENT, "1001", 2700, 3600);
	assert_int_equal(MS(900), b.talking_ms);
	b = sum(REPORT_AGENT, "1001", 3600, 4500);
	assert_int_equal(MS(900), b.talking_ms);
	b = sum(REPORT_AGENT, "1001", 4500, 5400);
	assert_int_equal(MS(300), b.talking_ms);
	assert_int_equal(0, b.ready_ms);
	b = sum(REPORT_AGENT, "1001", 0, 5400);
	assert_int_equal(6, b.intervals);
	assert_int_equal(MS(1800), b.ready_ms);
	assert_int_equal(MS(2400), b.talking_ms);
}

/* A span ending exactly on a boundary stays in the interval before it;
 * logged-out time is not kept; a same-state event books time so far. */
static void boundaries_and_checkpoints(void **st)
{
	struct report_bucket b;
	(void)st;
	state("1001", 0, OUT, 100, R);
	state("1001", 100, R, 900, R);
	state("1001", 900, R, 1000, NR);
	b = sum(REPORT_AGENT, "1001", 0, 900);
	assert_int_equal(1, b.intervals);
	assert_int_equal(MS(800), b.ready_ms);
	b = sum(REPORT_AGENT, "1001", 900, 1800);
	assert_int_equal(MS(100), b.ready_ms);
	b = sum(REPORT_AGENT, "1001", 0, 1800);
	assert_int_equal(MS(900), b.ready_ms);
	assert_int_equal(2, b.intervals);
}

/* Anything wrong with an event is refused and changes nothing. */
static int count_dirty(enum report_scope sc, const char *name,
		       const struct report_bucket *b, void *arg)
{
	(void)sc;
	(void)name;
	(void)b;
	(*(int *)arg)++;
	return 0;
}

static void bad_events_change_nothing(void **st)
{
	static const struct report_event bad[] = {
		{.type = REPORT_EV_ENTER, .ts_ms = AT(1)},                  /* no queue */
		{.type = REPORT_EV_ANSWER, .ts_ms = AT(5), .queue = "q",
		 .enter_ms = AT(1)},                                        /* no agent */
		{.type = REPORT_EV_ANSWER, .ts_ms = AT(5), .queue = "q",
		 .agent = "1001", .enter_ms = AT(6)},                       /* entered later */
		{.type = REPORT_EV_ANSWER, .ts_ms = AT(5), .queue = "q",
		 .agent = "1001", .enter_ms = AT(1), .ring_ms = MS(5)},     /* rang longer than it waited */
		{.type = REPORT_EV_ABANDON, .ts_ms = AT(5), .queue = "q",
		 .enter_ms = -1},
		{.type = REPORT_EV_COMPLETE, .ts_ms = AT(5), .agent = "1001",
		 .dur_ms = -1},
		{.type = REPORT_EV_AGENT_STATE, .ts_ms = AT(5), .agent = "1001",
		 .state = REPORT_AGENT_STATE_COUNT},
		{.type = REPORT_EV_AGENT_STATE, .ts_ms = AT(5), .agent = "1001",
		 .prev_state = R, .dur_ms = AT(6)},                          /* began before 1970 */
		{.type = REPORT_EV_AGENT_STATE, .ts_ms = AT(5), .agent = "1001",
		 .prev_state = R, .dur_ms = REPORT_MAX_STATE_MS + 1},
		{.type = REPORT_EV_COUNT, .ts_ms = AT(5), .queue = "q", .agent = "1001"},
		{.type = REPORT_EV_BLOCKED, .ts_ms = -1, .queue = "q"},
	};
	int dirty = 0;
	(void)st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(EINVAL, report_fold(set_, &bad[i]));
	assert_int_equal(EINVAL, report_fold(set_, NULL));
	assert_int_equal(0, report_flush(set_, count_dirty, &dirty));
	assert_int_equal(0, dirty);
}

/* A call that never went through a queue counts for the agent only. */
static void direct_calls_count_for_the_agent_only(void **st)
{
	struct report_bucket q, a;
	(void)st;
	fold((struct report_event){.type = REPORT_EV_COMPLETE, .ts_ms = AT(100),
		.agent = "1001", .dur_ms = MS(60)});
	fold((struct report_event){.type = REPORT_EV_TRANSFER, .ts_ms = AT(100),
		.agent = "1001"});
	q = sum(REPORT_QUEUE, NULL, 0, 900);
	a = sum(REPORT_AGENT, "1001", 0, 900);
	assert_int_equal(0, q.intervals);
	assert_int_equal(1, a.completed);
	assert_int_equal(1, a.transferred);
}

/* Callers hand names by address, and the set remembers which address
 * meant which name; a buffer that holds another name the next time (the
 * live host reuses its memory) books to that name, not the first. */
static void a_reused_buffer_names_its_new_name(void **st)
{
	char buf[16] = "sales";
	(void)st;
	enter(buf, 10, 1);
	enter(buf, 20, 1);
	strcpy(buf, "support");
	enter(buf, 30, 1);
	strcpy(buf, "sales");
	enter(buf, 40, 1);
	assert_int_equal(3, sum(REPORT_QUEUE, "sales", 0, 900).entered);
	assert_int_equal(1, sum(REPORT_QUEUE, "support", 0, 900).entered);
}

/* The event log stores names; they read back as the same values. */
static void event_and_state_names_round_trip(void **st)
{
	(void)st;
	for (unsigned i = 0; i < REPORT_EV_COUNT; i++) {
		enum report_ev_type t;
		assert_int_equal(0, report_ev_parse(report_ev_name(i), &t));
		assert_int_equal(i, t);
	}
	for (unsigned i = 0; i < REPORT_AGENT_STATE_COUNT; i++) {
		enum report_agent_state s;
		assert_int_equal(0, report_state_parse(report_state_name(i), &s));
		assert_int_equal(i, s);
	}
	enum report_ev_type t;
	assert_int_equal(EINVAL, report_ev_parse("answered", &t));
	assert_string_equal("not_ready", report_state_name(NR));
	assert_string_equal("ring_noanswer", report_ev_name(REPORT_EV_RING_NOANSWER));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(queue_counts_of_the_quarter_hour),
		T(a_reused_buffer_names_its_new_name),
		T(queue_kpis_of_the_quarter_hour),
		T(agent_kpis_of_the_quarter_hour),
		T(three_treatments_of_abandoned_calls),
		T(short_abandon_threshold_is_per_queue),
		T(a_call_counts_where_it_entered_the_queue),
		T(agent_time_is_split_across_intervals),
		T(boundaries_and_checkpoints),
		T(bad_events_change_nothing),
		T(direct_calls_count_for_the_agent_only),
		T(event_and_state_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
