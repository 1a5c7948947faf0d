/* call_events.c: what the host tells the router about calls and offers, and
 * what it can read back about one call. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"
#include "base/util.h"

int acd_call_enqueue(struct acd *acd, uint32_t queue_id, uint64_t call_id,
		     int32_t priority, const char *caller, int64_t now_ms)
{
	struct acd_queue *q;
	struct acd_call *c;
	int err;

	if (caller && strlen(caller) >= ACD_CALLER_LEN)
		return EINVAL;
	err = acd_begin(acd, &now_ms);
	if (err)
		return err;
	q = acd_queue_find(acd, queue_id);
	if (!q)
		return ENOENT;
	c = acd_call_alloc(&acd->slab);
	if (!c)
		return ENOMEM;
	err = acd_map_add(&acd->call_map, call_id, c);
	if (err) {
		acd_call_release(&acd->slab, c);
		return err;
	}
	c->id = call_id;
	c->prio = priority;
	c->h.idx = c->maxwait.h.idx = c->hold.h.idx = ACD_NONE;
	c->at = AT_NOWHERE;
	util_strlcpy(c->caller, caller ? caller : "", sizeof(c->caller));
	acd->ncalls++;
	acd_call_enter(acd, c, q, now_ms);
	acd_settle(acd, now_ms);
	return 0;
}

static int find(struct acd *acd, uint64_t call_id, int64_t *now,
		struct acd_call **cp)
{
	int err = acd_begin(acd, now);

	if (err)
		return err;
	*cp = acd_call_find(acd, call_id);
	return *cp ? 0 : ENOENT;
}

/* Rings still going for c stop; those agents did nothing wrong. */
static void cancel_rings(struct acd *acd, struct acd_call *c,
			 const char *reason, int64_t now)
{
	struct acd_agent *a;

	while ((a = c->ringing)) {
		acd_call_unring_only(acd, a, reason, now);
		acd_agent_back(acd, a, now);
	}
}

int acd_call_abandon(struct acd *acd, uint64_t call_id, int64_t now_ms)
{
	struct acd_call *c;
	int err = find(acd, call_id, &now_ms, &c);

	if (err)
		return err;
	if (c->at == AT_CONNECTED)
		return EINVAL;
	if (c->at == AT_OFFERED) {
		cancel_rings(acd, c, "abandoned", now_ms);
		c->q->ringing--;
	}
	acd_call_free(acd, c);
	acd_settle(acd, now_ms);
	return 0;
}

/* The call and the agent ringing for it, or ENOENT/EINVAL. The agent
 * names the call it rings for, so the call's id is only looked up (a
 * cache miss in a big router) when the pair does not match. */
static int find_offer(struct acd *acd, uint64_t call_id, uint32_t agent_id,
		      int64_t *now, struct acd_call **cp,
		      struct acd_agent **ap)
{
	int err = acd_begin(acd, now);
	struct acd_agent *a;

	if (err)
		return err;
	a = acd_agent_find(acd, agent_id);
	if (a && a->state == ACD_RINGING && a->call->id == call_id) {
		*ap = a;
		*cp = a->call;
		return 0;
	}
	if (!acd_call_find(acd, call_id) || !a)
		return ENOENT;
	return EINVAL;
}

int acd_offer_answered(struct acd *acd, uint64_t call_id, uint32_t agent_id,
		       int64_t now_ms)
{
	struct acd_call *c;
	struct acd_agent *a;
	int err = find_offer(acd, call_id, agent_id, &now_ms, &c, &a);

	if (err)
		return err;
	acd_call_unring_only(acd, a, NULL, now_ms);
	cancel_rings(acd, c, "answered-elsewhere", now_ms);
	c->q->ringing--;
	c->q->connected++;
	acd_call_detach(acd, c);
	acd_map_set(&acd->call_map, c->id, acd_talk_tag(a));
	c->at = AT_CONNECTED;
	c->agent = a;
	c->answered = now_ms;
	a->call = c;
	a->talk_q = c->q;
	a->talk_since = now_ms;
	a->misses = 0;
	a->calls_today++;
	acd_agent_set_state(acd, a, ACD_TALKING, "", 0, now_ms);
	acd_settle(acd, now_ms);
	return 0;
}

static int missed(struct acd *acd, uint64_t call_id, uint32_t agent_id,
		  int64_t now_ms)
{
	struct acd_call *c;
	struct acd_agent *a;
	int err = find_offer(acd, call_id, agent_id, &now_ms, &c, &a);

	if (err)
		return err;
	acd_call_missed(acd, a, NULL, now_ms);
	acd_settle(acd, now_ms);
	return 0;
}

int acd_offer_rejected(struct acd *acd, uint64_t call_id, uint32_t agent_id,
		       int64_t now_ms)
{
	return missed(acd, call_id, agent_id, now_ms);
}

int acd_offer_timeout(struct acd *acd, uint64_t call_id, uint32_t agent_id,
		      int64_t now_ms)
{
	return missed(acd, call_id, agent_id, now_ms);
}

/* Found by its agent, whom the call map names: the call itself is only
 * released, never waited for. */
int acd_call_ended(struct acd *acd, uint64_t call_id, int64_t now_ms)
{
	struct acd_agent *a;
	struct acd_queue *q;
	void *v;
	int err = acd_begin(acd, &now_ms);

	if (err)
		return err;
	v = acd_map_get(&acd->call_map, call_id);
	a = acd_talk_agent(v);
	if (!a)
		return v ? EINVAL : ENOENT;
	/* The agent is cold; the state change reads its queues (third and
	 * fourth lines) long after these first two: ask for all at once. */
	__builtin_prefetch((const char *)a + 128);
	__builtin_prefetch((const char *)a + 192);
	q = a->talk_q;
	a->talk_today += now_ms - a->talk_since;
	q->connected--;
	acd_map_del(&acd->call_map, call_id);
	acd->ncalls--;
	acd_call_release(&acd->slab, a->call);
	acd_agent_after_call(acd, a, q, now_ms);
	acd_settle(acd, now_ms);
	return 0;
}

int acd_call_get(const struct acd *acd, uint64_t call_id,
		 struct acd_call_info *out)
{
	const struct acd_call *c = acd ? acd_call_find(acd, call_id) : NULL;
	static const enum acd_wait waits[] = {
		[AT_QUEUE] = ACD_WAIT_QUEUE, [AT_RETRY] = ACD_WAIT_RETRY,
		[AT_STICKY] = ACD_WAIT_STICKY, [AT_OFFERED] = ACD_WAIT_NONE,
		[AT_CONNECTED] = ACD_WAIT_NONE, [AT_NOWHERE] = ACD_WAIT_NONE,
	};

	if (!c || !out)
		return ENOENT;
	memset(out, 0, sizeof(*out));
	out->id = c->id;
	out->queue_id = c->q->cfg.id;
	out->priority = c->prio;
	util_strlcpy(out->caller, c->caller, sizeof(out->caller));
	out->state = c->at == AT_CONNECTED ? ACD_CALL_CONNECTED
		: c->at == AT_OFFERED ? ACD_CALL_OFFERED : ACD_CALL_WAITING;
	out->wait = waits[c->at];
	out->seq = c->seq;
	out->enter_ms = c->enter;
	out->hold_until_ms = acd_timer_armed(&c->hold) ? c->hold.at : 0;
	out->overdue = c->overdue;
	out->sticky_done = c->sticky_done;
	out->sticky_agent = c->sticky_agent;
	out->agent_id = c->at == AT_CONNECTED ? c->agent->id : 0;
	out->answered_ms = c->answered;
	return 0;
}
