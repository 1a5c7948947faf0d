/* snapshot.c: the router's state as plain arrays, and back. Configuration
 * is not in it (the host stores that and re-applies it first), so a restart
 * or a reload logs nobody out, resets no counter, loses no wrap-up deadline
 * and drops no waiting caller. Derived things are rebuilt, not stored: the
 * ready orders, the max-wait deadlines (entry + the queue's max wait) and
 * the no-answer pause timers (from pause_until). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"

static int by_agent_id(const void *a, const void *b)
{
	const struct acd_agent_info *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int by_seq(const void *a, const void *b)
{
	const struct acd_call_info *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

void acd_snapshot_clear(struct acd_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->agents);
	free(snap->calls);
	free(snap->rr);
	memset(snap, 0, sizeof(*snap));
}

int acd_snapshot(const struct acd *acd, struct acd_snapshot *snap)
{
	size_t nc = 0;

	if (!acd || !snap)
		return EINVAL;
	memset(snap, 0, sizeof(*snap));
	snap->agents = calloc(acd->nagents + 1, sizeof(*snap->agents));
	snap->calls = calloc(acd->ncalls + 1, sizeof(*snap->calls));
	snap->rr = calloc(acd->nqueues + 1, sizeof(*snap->rr));
	if (!snap->agents || !snap->calls || !snap->rr) {
		acd_snapshot_clear(snap);
		return ENOMEM;
	}
	snap->now_ms = acd->now;
	snap->rng = acd->rng;
	snap->next_seq = acd->seq;
	for (uint32_t i = 0; i < acd->nagents; i++) {
		const struct acd_agent *a = acd->agents[i];
		acd_agent_get(acd, a->id, &snap->agents[i]);
		if (a->state == ACD_TALKING)
			acd_call_get(acd, a->call->id, &snap->calls[nc++]);
	}
	snap->nagents = acd->nagents;
	for (uint32_t i = 0; i < acd->nqueues; i++) {
		const struct acd_queue *q = acd->queues[i];
		for (const struct acd_call *c = q->oldest; c; c = c->newer)
			acd_call_get(acd, c->id, &snap->calls[nc++]);
		snap->rr[i] = (struct acd_rr_snap){ q->cfg.id, q->rr_lap,
			q->rr_pos, q->rr_agent };
	}
	snap->ncalls = nc;
	snap->nrr = acd->nqueues;
	qsort(snap->agents, snap->nagents, sizeof(*snap->agents), by_agent_id);
	qsort(snap->calls, snap->ncalls, sizeof(*snap->calls), by_seq);
	return 0;
}

#define REFUSE(...) do { acd_fmt(why, n, __VA_ARGS__); return EINVAL; } while (0)

static bool terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

static int check_agent(const struct acd *acd, const struct acd_map *calls,
		       const struct acd_agent_info *ai, char *why, size_t n)
{
	const struct acd_call_info *ci = acd_map_get(calls, ai->call_id);
	const struct acd_agent *a = acd_agent_find(acd, ai->id);

	if (!a)
		REFUSE("agent %u is not configured", ai->id);
	if ((unsigned)ai->state >= ACD_AGENT_STATES ||
	    !terminated(ai->reason, sizeof(ai->reason)) ||
	    !terminated(ai->pending_reason, sizeof(ai->pending_reason)))
		REFUSE("agent %u: bad state or reason", ai->id);
	if (ai->state == ACD_RINGING &&
	    (!ci || ci->state != ACD_CALL_OFFERED))
		REFUSE("agent %u rings for no offered call", ai->id);
	if (ai->state == ACD_TALKING && (!ci ||
	    ci->state != ACD_CALL_CONNECTED || ci->agent_id != ai->id))
		REFUSE("agent %u talks on no connected call", ai->id);
	if (ai->state != ACD_RINGING && ai->state != ACD_TALKING &&
	    ai->call_id)
		REFUSE("agent %u holds a call while %s", ai->id,
		       acd_state_name(ai->state));
	if (ai->pending != ACD_TALKING && (ai->state != ACD_TALKING ||
	    (ai->pending != ACD_NOT_READY && ai->pending != ACD_LOGGED_OUT)))
		REFUSE("agent %u: bad pending state", ai->id);
	return 0;
}

static int check_call(const struct acd *acd, const struct acd_snapshot *s,
		      const struct acd_map *agents,
		      const struct acd_call_info *ci, char *why, size_t n)
{
	const struct acd_agent_info *ai;
	const struct acd_queue *q = acd_queue_find(acd, ci->queue_id);
	unsigned long long id = ci->id;

	if (!q)
		REFUSE("call %llu: queue %u is not configured", id,
		       ci->queue_id);
	if (!ci->seq || ci->seq > s->next_seq ||
	    !terminated(ci->caller, sizeof(ci->caller)))
		REFUSE("call %llu: bad arrival number or caller", id);
	switch (ci->state) {
	case ACD_CALL_WAITING:
		if (ci->wait == ACD_WAIT_STICKY) {
			ai = acd_map_get(agents, ci->sticky_agent);
			if (!ai || ai->state == ACD_LOGGED_OUT ||
			    !acd_agent_mem(acd_agent_find(acd, ai->id), q))
				REFUSE("call %llu: held for an agent who "
				       "cannot take it", id);
		} else if (ci->wait != ACD_WAIT_QUEUE &&
			   ci->wait != ACD_WAIT_RETRY) {
			REFUSE("call %llu: waiting nowhere", id);
		}
		break;
	case ACD_CALL_OFFERED:
		/* Its ringing agents point at it: checked from their side;
		 * one at least must. */
		break;
	case ACD_CALL_CONNECTED:
		ai = acd_map_get(agents, ci->agent_id);
		if (!ai || ai->call_id != ci->id)
			REFUSE("call %llu: connected to nobody", id);
		break;
	default:
		REFUSE("call %llu: bad state", id);
	}
	return 0;
}

/* Every check before any change; fills id maps of the snapshot (rung:
 * offered calls some agent rings for). */
static int check(const struct acd *acd, const struct acd_snapshot *s,
		 struct acd_map *agents, struct acd_map *calls,
		 struct acd_map *rung, char *why, size_t n)
{
	int err;

	if (acd->ncalls)
		REFUSE("the router already has live calls");
	for (uint32_t i = 0; i < acd->nagents; i++)
		if (acd->agents[i]->state != ACD_LOGGED_OUT)
			REFUSE("agent %u is already logged in",
			       acd->agents[i]->id);
	for (size_t i = 0; i < s->ncalls; i++) {
		if (acd_map_get(calls, s->calls[i].id))
			REFUSE("call %llu twice",
			       (unsigned long long)s->calls[i].id);
		if (acd_map_put(calls, s->calls[i].id, &s->calls[i]))
			return ENOMEM;
	}
	for (size_t i = 0; i < s->nagents; i++) {
		const struct acd_agent_info *ai = &s->agents[i];
		if (acd_map_get(agents, ai->id))
			REFUSE("agent %u twice", ai->id);
		if (acd_map_put(agents, ai->id, (void *)ai) ||
		    (ai->state == ACD_RINGING &&
		     acd_map_put(rung, ai->call_id, (void *)ai)))
			return ENOMEM;
	}
	for (size_t i = 0; i < s->nagents; i++)
		if ((err = check_agent(acd, calls, &s->agents[i], why, n)))
			return err;
	for (size_t i = 0; i < s->ncalls; i++) {
		const struct acd_call_info *ci = &s->calls[i];
		if ((err = check_call(acd, s, agents, ci, why, n)))
			return err;
		if (ci->state == ACD_CALL_OFFERED && !acd_map_get(rung, ci->id))
			REFUSE("call %llu: offered to nobody",
			       (unsigned long long)ci->id);
	}
	for (size_t i = 0; i < s->nrr; i++)
		if (!acd_queue_find(acd, s->rr[i].queue_id))
			REFUSE("queue %u is not configured", s->rr[i].queue_id);
	return 0;
}

static void put_agent(struct acd *acd, const struct acd_agent_info *ai)
{
	struct acd_agent *a = acd_agent_find(acd, ai->id);

	for (uint32_t i = 0; i < a->nmem; i++) {
		a->mem[i].queue->nstate[a->state]--;
		a->mem[i].queue->nstate[ai->state]++;
	}
	a->state = ai->state;
	/* A reason belongs to not_ready, a pending reason to a pending
	 * state: agent.c only clears them on the way out of those. */
	memset(a->reason, 0, sizeof(a->reason));
	if (ai->state == ACD_NOT_READY)
		memcpy(a->reason, ai->reason, sizeof(a->reason));
	a->since = ai->since_ms;
	a->idle_since = ai->idle_since_ms;
	a->pause_until = ai->pause_until_ms;
	a->misses = ai->misses;
	a->calls_today = ai->calls_today;
	a->talk_today = ai->talk_ms_today;
	a->pending = ai->pending;
	memset(a->pending_reason, 0, sizeof(a->pending_reason));
	if (ai->pending != ACD_TALKING)
		memcpy(a->pending_reason, ai->pending_reason,
		       sizeof(a->pending_reason));
	if (a->state == ACD_RINGING)
		acd_timer_arm(acd, &a->tmr, TK_RING, ai->until_ms);
	else if (a->state == ACD_WRAP_UP)
		acd_timer_arm(acd, &a->tmr, TK_WRAPUP, ai->until_ms);
}

static void put_call(struct acd *acd, struct acd_call *c,
		     const struct acd_call_info *ci)
{
	struct acd_queue *q = acd_queue_find(acd, ci->queue_id);

	c->id = ci->id;
	c->q = q;
	c->at = AT_NOWHERE;
	c->prio = ci->priority;
	c->seq = ci->seq;
	c->enter = ci->enter_ms;
	c->answered = ci->answered_ms;
	c->overdue = ci->overdue;
	c->sticky_done = ci->sticky_done;
	c->sticky_agent = ci->sticky_agent;
	memcpy(c->caller, ci->caller, sizeof(c->caller));
	c->h.idx = c->maxwait.h.idx = c->hold.h.idx = ACD_NONE;
	acd->ncalls++;
	if (ci->state == ACD_CALL_CONNECTED) {
		struct acd_agent *a = acd_agent_find(acd, ci->agent_id);
		c->at = AT_CONNECTED;
		c->agent = a;
		a->call = c;
		a->talk_q = q;
		a->talk_since = c->answered;
		acd_map_put(&acd->call_map, c->id, acd_talk_tag(a));
		q->connected++;
		return;
	}
	acd_map_put(&acd->call_map, c->id, c);
	c->listed = true;
	c->older = q->newest;
	if (q->newest)
		q->newest->newer = c;
	else
		q->oldest = c;
	q->newest = c;
	q->len++;
	if (q->cfg.max_wait_ms > 0 && !c->overdue)
		acd_timer_arm(acd, &c->maxwait, TK_MAXWAIT,
			      c->enter + q->cfg.max_wait_ms);
	if (ci->state == ACD_CALL_OFFERED) {
		c->at = AT_OFFERED;
		q->ringing++;
	} else if (ci->wait == ACD_WAIT_QUEUE) {
		acd_call_eligible(acd, c);
	} else {
		c->at = ci->wait == ACD_WAIT_RETRY ? AT_RETRY : AT_STICKY;
		if (c->at == AT_STICKY)
			acd_heap_push(&acd_agent_find(acd,
				      c->sticky_agent)->held, c, acd_call_key(c));
		acd_timer_arm(acd, &c->hold, TK_HOLD, ci->hold_until_ms);
	}
}

/* Calls in arrival order, so each queue's list comes out in order. */
static int by_seq_ptr(const void *a, const void *b)
{
	return by_seq(*(const void *const *)a, *(const void *const *)b);
}

static void apply(struct acd *acd, const struct acd_snapshot *s,
		  struct acd_call **mem, const struct acd_call_info **order)
{
	if (s->now_ms > acd->now)
		acd->now = s->now_ms;
	acd->rng = s->rng;
	acd->seq = s->next_seq;
	for (size_t i = 0; i < s->nagents; i++)
		put_agent(acd, &s->agents[i]);
	for (size_t i = 0; i < s->ncalls; i++)
		put_call(acd, mem[i], order[i]);
	for (size_t i = 0; i < s->nagents; i++) {
		struct acd_agent *a = acd_agent_find(acd, s->agents[i].id);
		if (a->state == ACD_RINGING) {
			struct acd_call *c = acd_map_get(&acd->call_map,
							 s->agents[i].call_id);
			a->call = c;
			a->ring_prev = NULL;
			a->ring_next = c->ringing;
			if (c->ringing)
				c->ringing->ring_prev = a;
			c->ringing = a;
		}
	}
	for (size_t i = 0; i < s->nrr; i++) {
		struct acd_queue *q = acd_queue_find(acd, s->rr[i].queue_id);
		q->rr_lap = s->rr[i].lap;
		q->rr_pos = s->rr[i].position;
		q->rr_agent = s->rr[i].agent_id;
	}
	for (size_t i = 0; i < s->nagents; i++)
		acd_agent_available(acd, acd_agent_find(acd,
				    s->agents[i].id), acd->now);
	for (uint32_t i = 0; i < acd->nqueues; i++) {
		acd_queue_check_empty(acd, acd->queues[i], acd->now);
		acd_mark(acd, acd->queues[i]);
	}
}

int acd_restore(struct acd *acd, const struct acd_snapshot *snap,
		int64_t now_ms, char *why, size_t n)
{
	struct acd_map agents = {0}, calls = {0}, rung = {0};
	struct acd_call **mem = NULL;
	const struct acd_call_info **order = NULL;
	int err;

	if (!snap || (snap->nagents && !snap->agents) ||
	    (snap->ncalls && !snap->calls) || (snap->nrr && !snap->rr))
		return EINVAL;
	err = acd_begin(acd, &now_ms);
	if (err)
		return err;
	err = check(acd, snap, &agents, &calls, &rung, why, n);
	if (!err) {
		mem = calloc(snap->ncalls + 1, sizeof(*mem));
		order = calloc(snap->ncalls + 1, sizeof(*order));
		err = mem && order ? 0 : ENOMEM;
	}
	for (size_t i = 0; !err && i < snap->ncalls; i++) {
		order[i] = &snap->calls[i];
		mem[i] = acd_call_alloc(&acd->slab);
		err = mem[i] ? 0 : ENOMEM;
	}
	if (!err)
		err = acd_map_reserve(&acd->call_map, (uint32_t)snap->ncalls);
	if (!err) {
		qsort(order, snap->ncalls, sizeof(*order), by_seq_ptr);
		apply(acd, snap, mem, order);
		acd_finish(acd, now_ms > acd->now ? now_ms : acd->now);
	} else {
		for (size_t i = 0; mem && i < snap->ncalls; i++)
			if (mem[i])
				acd_call_release(&acd->slab, mem[i]);
		if (err == ENOMEM)
			acd_fmt(why, n, "out of memory");
	}
	free(mem);
	free(order);
	acd_map_free(&agents);
	acd_map_free(&calls);
	acd_map_free(&rung);
	return err;
}
