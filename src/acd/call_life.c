/* call_life.c: a call's life in the router.
 *
 *   enqueue ─► waiting ──offer──► offered ──answered──► connected ──► ended
 *     │         ▲  │ (queue,        │ all rings missed:                
 *     │         │  │  retry, sticky)│ retry hold, or back in line
 *     │         └──┼────────────────┘
 *     ▼            ▼ max wait / leave-empty          abandon: from waiting
 *   overflow ◄─────┘ (full, join-empty at entry)     or offered
 *
 * A waiting call is in exactly one place: its queue's line (eligible), the
 * retry hold, or its sticky agent's hold. Holds keep the call's arrival
 * number, so it rejoins the line where it was. A call overflowed to another
 * queue enters that queue anew; to anything else it leaves the router. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"
#include "base/util.h"

/* Into the line; or, where leave-empty holds, straight to the overflow
 * (a caller back from a ring or a hold must not wait where nobody can
 * come). */
void acd_call_eligible(struct acd *acd, struct acd_call *c)
{
	if (acd_queue_is_empty(c->q, c->q->cfg.leave_empty)) {
		acd_call_overflow(acd, c, "leave-empty", acd->now);
		return;
	}
	c->at = AT_QUEUE;
	acd_line_push(&c->q->line, c);
	if (c->q->ready.n)
		acd_mark(acd, c->q);
}

void acd_call_unlink_wait(struct acd *acd, struct acd_call *c)
{
	if (c->at == AT_QUEUE) {
		acd_line_remove(&c->q->line, c);
	} else if (c->at == AT_STICKY) {
		struct acd_agent *a = acd_agent_find(acd, c->sticky_agent);
		acd_heap_remove(&a->held, c);
		c->sticky_done = true;
	}
	acd_timer_stop(acd, &c->hold);
	c->at = AT_NOWHERE;
}

static void unlist(struct acd_call *c)
{
	struct acd_queue *q = c->q;

	if (c->older)
		c->older->newer = c->newer;
	else
		q->oldest = c->newer;
	if (c->newer)
		c->newer->older = c->older;
	else
		q->newest = c->older;
	c->older = c->newer = NULL;
	c->listed = false;
	q->len--;
}

/* Out of every waiting structure and off the arrival list; still mapped. */
void acd_call_detach(struct acd *acd, struct acd_call *c)
{
	if (c->listed) {
		acd_call_unlink_wait(acd, c);
		unlist(c);
	}
	acd_timer_stop(acd, &c->maxwait);
	acd_timer_stop(acd, &c->hold);
}

void acd_call_free(struct acd *acd, struct acd_call *c)
{
	acd_call_detach(acd, c);
	acd_map_del(&acd->call_map, c->id);
	acd->ncalls--;
	acd_call_release(&acd->slab, c);
}

/* A call by id wherever it is, or NULL. */
struct acd_call *acd_call_find(const struct acd *acd, uint64_t id)
{
	void *v = acd_map_get(&acd->call_map, id);
	struct acd_agent *a = acd_talk_agent(v);

	return a ? a->call : v;
}

void acd_offer(struct acd *acd, struct acd_call *c, struct acd_mem *m,
	       int64_t now)
{
	struct acd_agent *a = m->agent;
	struct acd_queue *q = c->q;
	int64_t until = now + q->cfg.ring_timeout_ms;
	struct acd_action act = {
		.kind = ACD_ACT_OFFER, .at_ms = now, .call_id = c->id,
		.agent_id = a->id, .queue_id = q->cfg.id, .until_ms = until,
		.waited_ms = now - c->enter, .reason = "",
	};

	if (c->at != AT_OFFERED) {
		/* An answer usually follows, and rewrites the call's slot,
		 * cold by now. */
		acd_map_prefetch(&acd->call_map, c->id);
		acd_call_unlink_wait(acd, c);
		c->at = AT_OFFERED;
		q->ringing++;
	}
	acd_agent_unindex(a);
	a->call = c;
	a->ring_prev = NULL;
	a->ring_next = c->ringing;
	if (c->ringing)
		c->ringing->ring_prev = a;
	c->ringing = a;
	acd_timer_arm(acd, &a->tmr, TK_RING, until);
	acd_emit(acd, &act);
	acd_agent_set_state(acd, a, ACD_RINGING, "", until, now);
}

/* Takes a off the call it rings for; the agent stays ringing for the
 * caller to move on. */
struct acd_call *acd_call_unring_only(struct acd *acd, struct acd_agent *a,
				    const char *cancel_reason, int64_t now)
{
	struct acd_call *c = a->call;

	if (a->ring_prev)
		a->ring_prev->ring_next = a->ring_next;
	else
		c->ringing = a->ring_next;
	if (a->ring_next)
		a->ring_next->ring_prev = a->ring_prev;
	a->ring_prev = a->ring_next = NULL;
	a->call = NULL;
	acd_timer_stop(acd, &a->tmr);
	if (cancel_reason) {
		struct acd_action act = {
			.kind = ACD_ACT_CANCEL, .at_ms = now, .call_id = c->id,
			.agent_id = a->id, .queue_id = c->q->cfg.id,
			.reason = cancel_reason,
		};
		acd_emit(acd, &act);
	}
	return c;
}

/* The offer was withdrawn for the agent's own reasons (not_ready, logout):
 * no miss, and a call left ringing nobody goes straight back in line. */
void acd_call_unring(struct acd *acd, struct acd_agent *a,
		     const char *cancel_reason, int64_t now)
{
	struct acd_call *c = acd_call_unring_only(acd, a, cancel_reason, now);

	if (!c->ringing)
		acd_call_requeue(acd, c, false, now);
}

/* The agent missed the offer. The call moves first, so that if the miss
 * empties the queue (no-answer), leave-empty sees the call as waiting. */
void acd_call_missed(struct acd *acd, struct acd_agent *a,
		     const char *cancel_reason, int64_t now)
{
	struct acd_call *c = acd_call_unring_only(acd, a, cancel_reason, now);
	struct acd_queue *q = c->q;

	if (!c->ringing)
		acd_call_requeue(acd, c, true, now);
	acd_agent_missed(acd, a, q, now);
}

/* A call ringing nobody any more: overflow if its max wait passed while it
 * rang, else the retry hold after a failure, else back in line. */
void acd_call_requeue(struct acd *acd, struct acd_call *c, bool failed,
		      int64_t now)
{
	c->q->ringing--;
	c->at = AT_NOWHERE;
	if (c->overdue) {
		acd_call_overflow(acd, c, "max-wait", now);
	} else if (failed && c->q->cfg.retry_ms > 0) {
		c->at = AT_RETRY;
		acd_timer_arm(acd, &c->hold, TK_HOLD, now + c->q->cfg.retry_ms);
	} else {
		acd_call_eligible(acd, c);
	}
}

void acd_call_overflow(struct acd *acd, struct acd_call *c,
		       const char *reason, int64_t now)
{
	struct acd_queue *q = c->q;
	struct acd_action act = {
		.kind = ACD_ACT_OVERFLOW, .at_ms = now, .call_id = c->id,
		.queue_id = q->cfg.id, .waited_ms = now - c->enter,
		.reason = reason, .dest = &q->cfg.overflow,
	};

	acd_call_unlink_wait(acd, c);
	acd_timer_stop(acd, &c->maxwait);
	unlist(c);
	acd_emit(acd, &act);
	if (q->cfg.overflow.kind == ACD_DEST_QUEUE) {
		acd_call_enter(acd, c, acd_queue_find(acd,
			       q->cfg.overflow.queue_id), now);
	} else {
		acd_call_free(acd, c);
	}
}

/* Sticky: the caller's last agent, if within the window and serving q,
 * gets the call now if eligible, else it waits for them up to the wait. */
static void sticky(struct acd *acd, struct acd_call *c, int64_t now)
{
	struct acd_queue *q = c->q;
	uint32_t id = 0;
	int64_t served = 0;
	struct acd_agent *a;
	struct acd_mem *m;
	int err;

	if (!acd->host.last_agent || !c->caller[0])
		goto line;
	acd->in_emit = true;
	err = acd->host.last_agent(acd->host.arg, c->caller, &id, &served);
	acd->in_emit = false;
	if (err || now - served > q->cfg.sticky_window_ms ||
	    !acd_queue_serves(q, id))
		goto line;
	a = acd_agent_find(acd, id);
	m = a ? acd_agent_mem(a, q) : NULL;
	if (!m || a->state == ACD_LOGGED_OUT || a->pending == ACD_LOGGED_OUT)
		goto line;
	c->sticky_agent = id;
	if (a->indexed) {
		c->sticky_done = true;
		acd_offer(acd, c, m, now);
		return;
	}
	if (q->cfg.sticky_wait_ms > 0) {
		c->at = AT_STICKY;
		acd_heap_push(&a->held, c, acd_call_key(c));
		acd_timer_arm(acd, &c->hold, TK_HOLD, now + q->cfg.sticky_wait_ms);
		return;
	}
line:
	c->sticky_done = true;
	acd_call_eligible(acd, c);
}

/* Puts c into q, or overflows it on from there (join-empty, full) until a
 * queue takes it or it leaves; configuration has no overflow cycles, so
 * this ends. */
int acd_call_enter(struct acd *acd, struct acd_call *c, struct acd_queue *q,
		   int64_t now)
{
	for (;;) {
		const char *why = NULL;
		if (acd_queue_is_empty(q, q->cfg.join_empty))
			why = "join-empty";
		else if (acd_queue_is_empty(q, q->cfg.leave_empty))
			why = "leave-empty";
		else if (q->cfg.max_len && q->len >= q->cfg.max_len)
			why = "full";
		if (!why)
			break;
		struct acd_action act = {
			.kind = ACD_ACT_OVERFLOW, .at_ms = now, .call_id = c->id,
			.queue_id = q->cfg.id, .reason = why,
			.dest = &q->cfg.overflow,
		};
		acd_emit(acd, &act);
		if (q->cfg.overflow.kind != ACD_DEST_QUEUE) {
			acd_call_free(acd, c);
			return 0;
		}
		q = acd_queue_find(acd, q->cfg.overflow.queue_id);
	}
	c->q = q;
	c->at = AT_NOWHERE;
	c->listed = true;
	c->seq = ++acd->seq;
	c->enter = now;
	c->overdue = c->sticky_done = false;
	c->sticky_agent = 0;
	c->h.idx = ACD_NONE;
	c->older = q->newest;
	c->newer = NULL;
	if (q->newest)
		q->newest->newer = c;
	else
		q->oldest = c;
	q->newest = c;
	q->len++;
	if (q->cfg.max_wait_ms > 0)
		acd_timer_arm(acd, &c->maxwait, TK_MAXWAIT,
			      now + q->cfg.max_wait_ms);
	if (q->strat->flags & STRAT_STICKY)
		sticky(acd, c, now);
	else
		acd_call_eligible(acd, c);
	return 0;
}

void acd_call_timer(struct acd *acd, struct acd_timer *t, int64_t now)
{
	struct acd_call *c;

	if (t->kind == TK_MAXWAIT) {
		c = acd_container(t, struct acd_call, maxwait);
		if (c->at == AT_OFFERED)
			c->overdue = true;
		else
			acd_call_overflow(acd, c, "max-wait", now);
		return;
	}
	c = acd_container(t, struct acd_call, hold);
	acd_call_unlink_wait(acd, c);
	acd_call_eligible(acd, c);
}

bool acd_queue_is_empty(const struct acd_queue *q, enum acd_empty rule)
{
	uint32_t gone = q->nstate[ACD_LOGGED_OUT];

	if (rule == ACD_EMPTY_NO_AVAILABLE)
		gone += q->nstate[ACD_NOT_READY];
	return rule != ACD_EMPTY_OFF && gone == q->nmembers;
}

/* Leave-empty: every waiting (not ringing) caller goes to the overflow. */
void acd_queue_check_empty(struct acd *acd, struct acd_queue *q, int64_t now)
{
	struct acd_call *c, *next;

	if (!q->oldest || !acd_queue_is_empty(q, q->cfg.leave_empty))
		return;
	for (c = q->oldest; c; c = next) {
		next = c->newer;
		if (c->at != AT_OFFERED)
			acd_call_overflow(acd, c, "leave-empty", now);
	}
}
