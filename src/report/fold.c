/* report/fold: one event into its buckets. Each event type is one row:
 * which names it must carry, which buckets it feeds, and the counts and
 * sums it adds (a delta bucket). A queue bucket is the one of the interval
 * the call entered the queue; an agent bucket the one of the event's time;
 * agent state time is the exception, spread over every interval it spans.
 *
 * A bad event changes nothing: every check runs before the first write,
 * and room for every bucket it touches is reserved before any is filled. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "report/report_int.h"

enum {
	NEED_QUEUE = 1u << 0,  /* queue must not be NULL */
	NEED_AGENT = 1u << 1,  /* agent must not be NULL */
	TO_QUEUE   = 1u << 2,  /* feeds the queue bucket when queue is set */
	TO_AGENT   = 1u << 3,  /* feeds the agent bucket when agent is set */
	AT_TS      = 1u << 4,  /* the queue bucket is ts_ms's, not enter_ms's */
	USES_DUR   = 1u << 5,  /* dur_ms must be in [0, ts_ms] */
};

typedef void (delta_h)(const struct report_event *ev,
		       const struct report_queue_cfg *cfg,
		       struct report_bucket *d);

static void d_enter(const struct report_event *ev,
		    const struct report_queue_cfg *cfg, struct report_bucket *d)
{
	(void)cfg;
	d->entered = 1;
	d->queued = (ev->flags & REPORT_EVF_QUEUED) != 0;
}

static void d_offer(const struct report_event *ev,
		    const struct report_queue_cfg *cfg, struct report_bucket *d)
{
	(void)ev;
	(void)cfg;
	d->offers = 1;
}

static void d_noanswer(const struct report_event *ev,
		       const struct report_queue_cfg *cfg,
		       struct report_bucket *d)
{
	(void)ev;
	(void)cfg;
	d->ring_noanswer = 1;
}

/* The thresholds a call was judged by travel with its counts. */
static void judged_by(const struct report_queue_cfg *cfg,
		      struct report_bucket *d)
{
	d->sl_ms = cfg->sl_ms;
	d->short_ms = cfg->short_abandon_ms;
}

static void d_answer(const struct report_event *ev,
		     const struct report_queue_cfg *cfg, struct report_bucket *d)
{
	int64_t wait = ev->ts_ms - ev->enter_ms;

	judged_by(cfg, d);
	d->answered = 1;
	d->answered_in_sl = wait <= cfg->sl_ms;
	d->answer_wait_ms = wait;
	d->answer_ring_ms = ev->ring_ms;
}

/* Short abandons (misdials, instant hang-ups) are counted apart and left
 * out of every rate, as the reference document asks. */
static void d_abandon(const struct report_event *ev,
		      const struct report_queue_cfg *cfg,
		      struct report_bucket *d)
{
	int64_t wait = ev->ts_ms - ev->enter_ms;

	judged_by(cfg, d);
	if (wait <= cfg->short_abandon_ms) {
		d->short_abandoned = 1;
		return;
	}
	d->abandoned = 1;
	d->abandoned_in_sl = wait <= cfg->sl_ms;
	d->abandon_wait_ms = wait;
}

static void d_overflow(const struct report_event *ev,
		       const struct report_queue_cfg *cfg,
		       struct report_bucket *d)
{
	(void)cfg;
	d->overflowed = 1;
	d->overflow_wait_ms = ev->ts_ms - ev->enter_ms;
}

static void d_transfer(const struct report_event *ev,
		       const struct report_queue_cfg *cfg,
		       struct report_bucket *d)
{
	(void)ev;
	(void)cfg;
	d->transferred = 1;
}

static void d_hold_start(const struct report_event *ev,
			 const struct report_queue_cfg *cfg,
			 struct report_bucket *d)
{
	(void)ev;
	(void)cfg;
	d->holds = 1;
}

static void d_hold_stop(const struct report_event *ev,
			const struct report_queue_cfg *cfg,
			struct report_bucket *d)
{
	(void)cfg;
	d->hold_ms = ev->dur_ms;
}

static void d_complete(const struct report_event *ev,
		       const struct report_queue_cfg *cfg,
		       struct report_bucket *d)
{
	(void)cfg;
	d->completed = 1;
	d->talk_ms = ev->dur_ms;
}

static void d_wrapup(const struct report_event *ev,
		     const struct report_queue_cfg *cfg, struct report_bucket *d)
{
	(void)cfg;
	d->wrap_ms = ev->dur_ms;
}

static void d_blocked(const struct report_event *ev,
		      const struct report_queue_cfg *cfg,
		      struct report_bucket *d)
{
	(void)ev;
	(void)cfg;
	d->blocked = 1;
}

struct rule {
	const char *name;   /* as stored in the event log */
	unsigned how;
	delta_h *delta;     /* NULL: agent state, split by time instead */
};

static const struct rule rules[REPORT_EV_COUNT] = {
	[REPORT_EV_ENTER]         = {"enter",
		NEED_QUEUE | TO_QUEUE | AT_TS, d_enter},
	[REPORT_EV_OFFER]         = {"offer",
		NEED_AGENT | TO_QUEUE | TO_AGENT, d_offer},
	[REPORT_EV_RING_NOANSWER] = {"ring_noanswer",
		NEED_AGENT | TO_QUEUE | TO_AGENT, d_noanswer},
	[REPORT_EV_ANSWER]        = {"answer",
		NEED_QUEUE | NEED_AGENT | TO_QUEUE | TO_AGENT, d_answer},
	[REPORT_EV_ABANDON]       = {"abandon",
		NEED_QUEUE | TO_QUEUE, d_abandon},
	[REPORT_EV_OVERFLOW]      = {"overflow",
		NEED_QUEUE | TO_QUEUE, d_overflow},
	[REPORT_EV_TRANSFER]      = {"transfer",
		NEED_AGENT | TO_QUEUE | TO_AGENT, d_transfer},
	[REPORT_EV_HOLD_START]    = {"hold_start",
		NEED_AGENT | TO_QUEUE | TO_AGENT, d_hold_start},
	[REPORT_EV_HOLD_STOP]     = {"hold_stop",
		NEED_AGENT | TO_QUEUE | TO_AGENT | USES_DUR, d_hold_stop},
	[REPORT_EV_COMPLETE]      = {"complete",
		NEED_AGENT | TO_QUEUE | TO_AGENT | USES_DUR, d_complete},
	[REPORT_EV_WRAPUP_END]    = {"wrapup_end",
		NEED_AGENT | TO_QUEUE | TO_AGENT | USES_DUR, d_wrapup},
	[REPORT_EV_AGENT_STATE]   = {"agent_state",
		NEED_AGENT | USES_DUR, NULL},
	[REPORT_EV_BLOCKED]       = {"blocked",
		NEED_QUEUE | TO_QUEUE | AT_TS, d_blocked},
};

static const char *const state_names[REPORT_AGENT_STATE_COUNT] = {
	[REPORT_AGENT_LOGGED_OUT] = "logged_out",
	[REPORT_AGENT_READY]      = "ready",
	[REPORT_AGENT_NOT_READY]  = "not_ready",
	[REPORT_AGENT_RINGING]    = "ringing",
	[REPORT_AGENT_TALKING]    = "talking",
	[REPORT_AGENT_WRAPUP]     = "wrapup",
};

/* Where time in each state is booked; logged-out time is not kept. */
static const size_t state_field[REPORT_AGENT_STATE_COUNT] = {
	[REPORT_AGENT_LOGGED_OUT] = 0,
	[REPORT_AGENT_READY]      = offsetof(struct report_bucket, ready_ms),
	[REPORT_AGENT_NOT_READY]  = offsetof(struct report_bucket, not_ready_ms),
	[REPORT_AGENT_RINGING]    = offsetof(struct report_bucket, ringing_ms),
	[REPORT_AGENT_TALKING]    = offsetof(struct report_bucket, talking_ms),
	[REPORT_AGENT_WRAPUP]     = offsetof(struct report_bucket, wrapup_ms),
};

const char *report_ev_name(enum report_ev_type t)
{
	return (unsigned)t < REPORT_EV_COUNT ? rules[t].name : "?";
}

int report_ev_parse(const char *name, enum report_ev_type *t)
{
	for (unsigned i = 0; name && i < REPORT_EV_COUNT; i++) {
		if (!strcmp(rules[i].name, name)) {
			*t = (enum report_ev_type)i;
			return 0;
		}
	}
	return EINVAL;
}

const char *report_state_name(enum report_agent_state st)
{
	return (unsigned)st < REPORT_AGENT_STATE_COUNT ? state_names[st] : "?";
}

int report_state_parse(const char *name, enum report_agent_state *st)
{
	for (unsigned i = 0; name && i < REPORT_AGENT_STATE_COUNT; i++) {
		if (!strcmp(state_names[i], name)) {
			*st = (enum report_agent_state)i;
			return 0;
		}
	}
	return EINVAL;
}

static int check(const struct report_event *ev)
{
	const struct rule *r;

	if (!ev || (unsigned)ev->type >= REPORT_EV_COUNT || ev->ts_ms < 0 ||
	    ev->ts_ms > REPORT_MAX_TS_MS)
		return EINVAL;
	r = &rules[ev->type];
	if (((r->how & NEED_QUEUE) && !ev->queue) ||
	    ((r->how & NEED_AGENT) && !ev->agent))
		return EINVAL;
	if ((r->how & TO_QUEUE) && !(r->how & AT_TS) && ev->queue &&
	    (ev->enter_ms < 0 || ev->enter_ms > ev->ts_ms))
		return EINVAL;
	if ((r->how & USES_DUR) && (ev->dur_ms < 0 || ev->dur_ms > ev->ts_ms))
		return EINVAL;
	if (ev->type == REPORT_EV_ANSWER &&
	    (ev->ring_ms < 0 || ev->ring_ms > ev->ts_ms - ev->enter_ms))
		return EINVAL;
	if (ev->type == REPORT_EV_AGENT_STATE &&
	    ((unsigned)ev->state >= REPORT_AGENT_STATE_COUNT ||
	     (unsigned)ev->prev_state >= REPORT_AGENT_STATE_COUNT ||
	     ev->dur_ms > REPORT_MAX_STATE_MS))
		return EINVAL;
	return 0;
}

/* Books [ts - dur, ts) of prev_state into every interval it overlaps. */
static int fold_state(struct report_set *s, const struct report_event *ev)
{
	size_t field = state_field[ev->prev_state];
	int64_t from = ev->ts_ms - ev->dur_ms, iv = report_interval(s);
	int64_t first, last;
	uint32_t id;
	int err;

	if (!field || !ev->dur_ms)
		return 0;
	first = report_align(s, from);
	last = report_align(s, ev->ts_ms - 1);
	err = report_name_id(s, ev->agent, &id);
	if (!err)
		err = report_reserve(s, (size_t)((last - first) / iv) + 1);
	if (err)
		return err;
	for (int64_t t = first; t <= last; t += iv) {
		int64_t lo = t > from ? t : from;
		int64_t hi = ev->ts_ms - t < iv ? ev->ts_ms : t + iv;
		char *b = (char *)report_bucket_at(s, REPORT_AGENT, id, t, true);

		*(int64_t *)(b + field) += hi - lo;
	}
	return 0;
}

int report_fold(struct report_set *s, const struct report_event *ev)
{
	const struct rule *r;
	struct report_bucket d = {0};
	struct report_queue_cfg cfg = report_default_cfg;
	uint32_t qid = 0, aid = 0;
	bool to_queue, to_agent;
	int err = check(ev);

	if (err)
		return err;
	r = &rules[ev->type];
	if (!r->delta)
		return fold_state(s, ev);
	to_queue = (r->how & TO_QUEUE) && ev->queue;
	to_agent = (r->how & TO_AGENT) && ev->agent;
	if (to_queue && !(err = report_name_id(s, ev->queue, &qid)))
		cfg = *report_cfg_of(s, qid);
	if (!err && to_agent)
		err = report_name_id(s, ev->agent, &aid);
	if (!err)
		err = report_reserve(s, 2);
	if (err)
		return err;
	r->delta(ev, &cfg, &d);
	if (to_queue) {
		int64_t at = r->how & AT_TS ? ev->ts_ms : ev->enter_ms;
		report_bucket_add(report_bucket_at(s, REPORT_QUEUE, qid,
						   report_align(s, at), true), &d);
	}
	if (to_agent)
		report_bucket_add(report_bucket_at(s, REPORT_AGENT, aid,
						   report_align(s, ev->ts_ms), true), &d);
	return 0;
}
