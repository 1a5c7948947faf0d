/* Event builders shared by the report tests: each folds one event into the
 * set under test and fails the test if it is refused. Times are seconds
 * after T0, a quarter-hour boundary (2023-11-14T22:00:00Z). */
#ifndef TEST_REPORT_EVENTS_H
#define TEST_REPORT_EVENTS_H

#include "report/report.h"

#define T0 INT64_C(1699999200000)
#define AT(s) (T0 + (int64_t)((s) * 1000))
#define MS(s) ((int64_t)((s) * 1000))

static struct report_set *set_;   /* where the builders fold */

static inline void fold(struct report_event e)
{
	assert_int_equal(0, report_fold(set_, &e));
}

static inline void enter(const char *q, double at, int queued)
{
	fold((struct report_event){.type = REPORT_EV_ENTER, .ts_ms = AT(at),
		.queue = q, .flags = queued ? REPORT_EVF_QUEUED : 0});
}

static inline void offer(const char *q, const char *a, double entered, double at)
{
	fold((struct report_event){.type = REPORT_EV_OFFER, .ts_ms = AT(at),
		.queue = q, .agent = a, .enter_ms = AT(entered)});
}

static inline void noanswer(const char *q, const char *a, double entered, double at)
{
	fold((struct report_event){.type = REPORT_EV_RING_NOANSWER,
		.ts_ms = AT(at), .queue = q, .agent = a,
		.enter_ms = AT(entered)});
}

static inline void answer(const char *q, const char *a, double entered, double at,
		   double ring)
{
	fold((struct report_event){.type = REPORT_EV_ANSWER, .ts_ms = AT(at),
		.queue = q, .agent = a, .enter_ms = AT(entered),
		.ring_ms = MS(ring)});
}

static inline void abandon(const char *q, double entered, double at)
{
	fold((struct report_event){.type = REPORT_EV_ABANDON, .ts_ms = AT(at),
		.queue = q, .enter_ms = AT(entered)});
}

static inline void overflow(const char *q, double entered, double at)
{
	fold((struct report_event){.type = REPORT_EV_OVERFLOW, .ts_ms = AT(at),
		.queue = q, .enter_ms = AT(entered)});
}

static inline void transfer(const char *q, const char *a, double entered, double at)
{
	fold((struct report_event){.type = REPORT_EV_TRANSFER, .ts_ms = AT(at),
		.queue = q, .agent = a, .enter_ms = AT(entered)});
}

static inline void hold(const char *q, const char *a, double entered, double from,
		 double to)
{
	fold((struct report_event){.type = REPORT_EV_HOLD_START,
		.ts_ms = AT(from), .queue = q, .agent = a,
		.enter_ms = AT(entered)});
	fold((struct report_event){.type = REPORT_EV_HOLD_STOP, .ts_ms = AT(to),
		.queue = q, .agent = a, .enter_ms = AT(entered),
		.dur_ms = MS(to - from)});
}

static inline void complete(const char *q, const char *a, double entered, double at,
		     double talk)
{
	fold((struct report_event){.type = REPORT_EV_COMPLETE, .ts_ms = AT(at),
		.queue = q, .agent = a, .enter_ms = AT(entered),
		.dur_ms = MS(talk)});
}

static inline void wrapup(const char *q, const char *a, double entered, double at,
		   double dur)
{
	fold((struct report_event){.type = REPORT_EV_WRAPUP_END,
		.ts_ms = AT(at), .queue = q, .agent = a,
		.enter_ms = AT(entered), .dur_ms = MS(dur)});
}

/* Agent a went from `prev` (held since `since`) to `next` at `at`. */
static inline void state(const char *a, double since, enum report_agent_state prev,
		  double at, enum report_agent_state next)
{
	fold((struct report_event){.type = REPORT_EV_AGENT_STATE,
		.ts_ms = AT(at), .agent = a, .state = next, .prev_state = prev,
		.dur_ms = MS(at - since)});
}

static inline void blocked(const char *q, double at)
{
	fold((struct report_event){.type = REPORT_EV_BLOCKED, .ts_ms = AT(at),
		.queue = q});
}

#endif
