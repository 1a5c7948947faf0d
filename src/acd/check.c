/* check.c: acd_check(), every invariant of docs/acd.md verified from
 * scratch, like SQLite's integrity_check. The property test runs it after
 * each of thousands of random events. */
#include <errno.h>
#include <string.h>
#include "acd/acd_int.h"

#define FAIL(...) do { acd_fmt(why, n, __VA_ARGS__); return EPROTO; } while (0)

static bool in_heap(const struct acd_heap *h, const void *e)
{
	uint32_t i = ((const struct acd_hnode *)e)->idx;

	return i < h->n && h->v[i].p == e;
}

static bool same_key(struct acd_hkey x, struct acd_hkey y)
{
	return x.a == y.a && x.b == y.b && x.c == y.c;
}

/* Every key in the heap is still what its element's fields say: a field
 * changed without re-keying would silently mis-order decisions. */
static bool keys_fresh(const struct acd_heap *h,
		       struct acd_hkey (*key)(const void *e))
{
	for (uint32_t i = 0; i < h->n; i++)
		if (!same_key(h->v[i].k, key(h->v[i].p)))
			return false;
	return true;
}

static struct acd_hkey call_key(const void *e)
{
	return acd_call_key(e);
}

static struct acd_hkey mem_key(const void *e)
{
	return acd_mem_key(e);
}

static struct acd_hkey timer_key(const void *e)
{
	const struct acd_timer *t = e;

	return (struct acd_hkey){ acd_u(t->at), t->kind, acd_timer_owner(t) };
}

static int check_agent(const struct acd *acd, const struct acd_agent *a,
		       char *why, size_t n)
{
	const struct acd_call *c = a->call;
	bool armed = acd_timer_armed(&a->tmr);
	static const int8_t timer_of[ACD_AGENT_STATES] = {
		[ACD_LOGGED_OUT] = -1, [ACD_READY] = TK_PAUSE,
		[ACD_NOT_READY] = -1, [ACD_RINGING] = TK_RING,
		[ACD_TALKING] = -1, [ACD_WRAP_UP] = TK_WRAPUP,
	};

	if ((unsigned)a->state >= ACD_AGENT_STATES)
		FAIL("agent %u: state %d", a->id, a->state);
	if (armed && a->tmr.kind != timer_of[a->state])
		FAIL("agent %u: %s with a timer of kind %d", a->id,
		     acd_state_name(a->state), a->tmr.kind);
	if (!armed && (a->state == ACD_RINGING || a->state == ACD_WRAP_UP))
		FAIL("agent %u: %s without its deadline", a->id,
		     acd_state_name(a->state));
	if (a->indexed && (a->state != ACD_READY || armed || a->held.n))
		FAIL("agent %u: in the ready order but not eligible", a->id);
	if (!a->indexed && a->state == ACD_READY && !armed)
		FAIL("agent %u: eligible but in no ready order", a->id);
	for (uint32_t i = 0; i < a->nmem; i++) {
		const struct acd_mem *m = &a->mem[i];
		if (m->h.idx != ACD_NONE ? !a->indexed ||
		    !in_heap(&m->queue->ready.late, m) : a->indexed &&
		    !(m->queue->strat->flags & STRAT_LANES))
			FAIL("agent %u: ready order of queue %u disagrees",
			     a->id, m->queue->cfg.id);
		if (m->queue->members[m->slot] != m)
			FAIL("agent %u: member slot", a->id);
	}
	if (a->state == ACD_RINGING) {
		const struct acd_agent *r = c ? c->ringing : NULL;
		while (r && r != a)
			r = r->ring_next;
		if (!c || c->at != AT_OFFERED || !r)
			FAIL("agent %u: ringing for no offered call", a->id);
	} else if (a->state == ACD_TALKING) {
		if (!c || c->at != AT_CONNECTED || c->agent != a)
			FAIL("agent %u: talking on no connected call", a->id);
		if (a->talk_q != c->q || a->talk_since != c->answered ||
		    acd_map_get(&acd->call_map, c->id) != acd_talk_tag(
			    (struct acd_agent *)a))
			FAIL("agent %u: call %llu not under its agent in the "
			     "call map", a->id, (unsigned long long)c->id);
	} else if (c) {
		FAIL("agent %u: %s yet holds call %llu", a->id,
		     acd_state_name(a->state), (unsigned long long)c->id);
	}
	if (a->pending != ACD_TALKING && a->state != ACD_TALKING)
		FAIL("agent %u: a pending state outside a call", a->id);
	if (!acd_heap_ok(&a->held) || !keys_fresh(&a->held, call_key))
		FAIL("agent %u: held heap", a->id);
	for (uint32_t i = 0; i < a->held.n; i++) {
		const struct acd_call *h = a->held.v[i].p;
		if (h->at != AT_STICKY || h->sticky_agent != a->id ||
		    !acd_timer_armed(&h->hold))
			FAIL("agent %u: holds call %llu wrongly", a->id,
			     (unsigned long long)h->id);
	}
	return 0;
}

static int check_call(const struct acd_queue *q, const struct acd_call *c,
		      char *why, size_t n)
{
	unsigned long long id = c->id;

	if (!c->listed || c->q != q)
		FAIL("call %llu: on queue %u's list but not its", id, q->cfg.id);
	switch (c->at) {
	case AT_QUEUE:
		if (c->h.idx != ACD_NONE && !in_heap(&q->line.late, c))
			FAIL("call %llu: waiting but not in line", id);
		break;
	case AT_RETRY:
	case AT_STICKY:
		if (!acd_timer_armed(&c->hold) ||
		    (c->at == AT_RETRY && c->h.idx != ACD_NONE))
			FAIL("call %llu: held without its timer", id);
		break;
	case AT_OFFERED:
		if (!c->ringing)
			FAIL("call %llu: offered to nobody", id);
		for (const struct acd_agent *a = c->ringing; a; a = a->ring_next)
			if (a->call != c || a->state != ACD_RINGING)
				FAIL("call %llu: agent %u on its ring list "
				     "is not ringing it", id, a->id);
		break;
	default:
		FAIL("call %llu: on the list while %d", id, c->at);
	}
	if (c->overdue && c->at != AT_OFFERED)
		FAIL("call %llu: overdue yet not ringing", id);
	if (q->cfg.max_wait_ms > 0 && !c->overdue &&
	    !acd_timer_armed(&c->maxwait))
		FAIL("call %llu: no max-wait timer", id);
	return 0;
}

static int check_queue(const struct acd *acd, const struct acd_queue *q,
		       char *why, size_t n, uint32_t *live, uint32_t *held)
{
	uint32_t len = 0, ringing = 0, waiting = 0, lined = 0, eligible = 0;
	uint32_t st[ACD_AGENT_STATES] = {0};
	uint64_t seq = 0;
	int err;

	if (!acd_line_ok(q) || !acd_ready_ok(q) ||
	    !keys_fresh(&q->line.late, call_key) ||
	    !keys_fresh(&q->ready.late, mem_key))
		FAIL("queue %u: heap order or stale keys", q->cfg.id);
	for (const struct acd_call *c = q->oldest; c; c = c->newer) {
		if ((err = check_call(q, c, why, n)))
			return err;
		if (acd_map_get(&acd->call_map, c->id) != c)
			FAIL("call %llu: not in the call map",
			     (unsigned long long)c->id);
		if (c->seq <= seq)
			FAIL("queue %u: arrival list out of order", q->cfg.id);
		seq = c->seq;
		len++;
		ringing += c->at == AT_OFFERED;
		waiting += c->at != AT_OFFERED;
		lined += c->at == AT_QUEUE;
		*held += c->at == AT_STICKY;
	}
	if (len != q->len || ringing != q->ringing)
		FAIL("queue %u: counts %u/%u, list %u/%u", q->cfg.id, q->len,
		     q->ringing, len, ringing);
	for (uint32_t i = 0; i < q->nmembers; i++) {
		if ((i > 0 && q->ids[i - 1] >= q->ids[i]) ||
		    !acd_queue_serves(q, q->members[i]->agent->id))
			FAIL("queue %u: member ids", q->cfg.id);
		st[q->members[i]->agent->state]++;
		eligible += q->members[i]->agent->indexed;
	}
	if (eligible != q->ready.n)
		FAIL("queue %u: %u eligible members, %u in its ready order",
		     q->cfg.id, eligible, q->ready.n);
	if (memcmp(st, q->nstate, sizeof(st)))
		FAIL("queue %u: agents by state miscounted", q->cfg.id);
	if (lined != q->line.n)
		FAIL("queue %u: %u callers in line, %u waiting there",
		     q->cfg.id, q->line.n, lined);
	if (q->line.n && q->ready.n)
		FAIL("queue %u: a waiting call and a ready agent unpaired",
		     q->cfg.id);
	if (waiting && acd_queue_is_empty(q, q->cfg.leave_empty))
		FAIL("queue %u: callers waiting in a queue they must leave",
		     q->cfg.id);
	*live += len + q->connected;
	return 0;
}

int acd_check(const struct acd *acd, char *why, size_t n)
{
	uint32_t live = 0, talking = 0, connected = 0, held = 0, holds = 0;
	int err;

	if (!acd_heap_ok(&acd->timers) || !keys_fresh(&acd->timers, timer_key))
		FAIL("timer heap order");
	for (uint32_t i = 0; i < acd->nagents; i++) {
		if ((err = check_agent(acd, acd->agents[i], why, n)))
			return err;
		talking += acd->agents[i]->state == ACD_TALKING;
		holds += acd->agents[i]->held.n;
	}
	for (uint32_t i = 0; i < acd->nqueues; i++) {
		if ((err = check_queue(acd, acd->queues[i], why, n, &live,
				       &held)))
			return err;
		connected += acd->queues[i]->connected;
	}
	if (live != acd->ncalls || acd->ncalls != acd->call_map.n)
		FAIL("%u calls known, %u on queues, %u mapped", acd->ncalls,
		     live, acd->call_map.n);
	if (held != holds)
		FAIL("%u calls held for agents, %u in their holds", held, holds);
	if (talking != connected)
		FAIL("%u agents talking, %u calls connected", talking,
		     connected);
	return 0;
}
