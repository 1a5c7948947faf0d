/* agent.c: the agent state machine.
 *
 *   logged_out ──login──► not_ready ◄──────────── any state (not_ready)
 *        ▲                  │  ▲ N misses in a row: "no-answer"
 *     logout              ready│
 *        │                  ▼  │
 *        └──────────────── ready ──offer──► ringing ──answered──► talking
 *                            ▲  ▲  miss: pause, then       │
 *                            │  └──────── back ◄───────────┘ (no answer)
 *                            └── wrap_up ◄──── call ended ──┘
 *
 * An agent is *eligible* when ready and past their no-answer pause; only
 * then are they in the ready order of every queue they serve, and only then
 * can they be offered a call. A not_ready or logout asked for while talking
 * is kept as pending and applied when the call ends, in place of wrap-up. */
#include <errno.h>
#include <string.h>
#include "acd/acd_int.h"
#include "base/util.h"

static const char *const state_names[ACD_AGENT_STATES] = {
	[ACD_LOGGED_OUT] = "logged_out", [ACD_READY] = "ready",
	[ACD_NOT_READY] = "not_ready",   [ACD_RINGING] = "ringing",
	[ACD_TALKING] = "talking",       [ACD_WRAP_UP] = "wrap_up",
};

const char *acd_state_name(enum acd_agent_state s)
{
	return (unsigned)s < ACD_AGENT_STATES ? state_names[s] : "?";
}

struct acd_mem *acd_agent_mem(const struct acd_agent *a,
			      const struct acd_queue *q)
{
	for (uint32_t i = 0; i < a->nmem; i++) {
		if (a->mem[i].queue == q)
			return &a->mem[i];
	}
	return NULL;
}

void acd_agent_set_state(struct acd *acd, struct acd_agent *a,
			 enum acd_agent_state to, const char *reason,
			 int64_t until, int64_t now)
{
	enum acd_agent_state from = a->state;
	struct acd_action act = {
		.kind = ACD_ACT_AGENT_STATE, .at_ms = now, .agent_id = a->id,
		.from = from, .to = to, .reason = reason ? reason : "",
		.until_ms = until,
	};

	for (uint32_t i = 0; i < a->nmem; i++) {
		a->mem[i].queue->nstate[from]--;
		a->mem[i].queue->nstate[to]++;
	}
	/* Coming back from an unanswered or cancelled ring keeps one's place
	 * in the longest-idle line; anything else starts the idle clock. */
	if (to == ACD_READY && from != ACD_RINGING)
		a->idle_since = now;
	a->state = to;
	a->since = now;
	if (to == ACD_NOT_READY || from == ACD_NOT_READY)
		util_strlcpy(a->reason, to == ACD_NOT_READY ? act.reason : "",
			     sizeof(a->reason));
	acd_emit(acd, &act);
	if (to == ACD_LOGGED_OUT || to == ACD_NOT_READY) {
		for (uint32_t i = 0; i < a->nmem; i++)
			acd_queue_check_empty(acd, a->mem[i].queue, now);
	}
}

void acd_agent_unindex(struct acd_agent *a)
{
	if (!a->indexed)
		return;
	for (uint32_t i = 0; i < a->nmem; i++)
		acd_ready_remove(a->mem[i].queue, &a->mem[i]);
	a->indexed = false;
}

/* A ready agent becomes eligible: first a caller held for them (sticky),
 * else they join the ready order of each queue and those queues with
 * waiting callers are marked for settling. */
void acd_agent_available(struct acd *acd, struct acd_agent *a, int64_t now)
{
	if (a->state != ACD_READY || a->indexed)
		return;
	if (a->pause_until > now) {
		acd_timer_arm(acd, &a->tmr, TK_PAUSE, a->pause_until);
		return;
	}
	acd_timer_stop(acd, &a->tmr);
	if (a->held.n) {
		struct acd_call *c = acd_heap_top(&a->held);
		acd_offer(acd, c, acd_agent_mem(a, c->q), now);
		return;
	}
	for (uint32_t i = 0; i < a->nmem; i++) {
		struct acd_mem *m = &a->mem[i];
		if (m->queue->strat->enter)
			m->queue->strat->enter(m);
		acd_ready_push(m->queue, m);
		if (m->queue->line.n)
			acd_mark(acd, m->queue);
	}
	a->indexed = true;
}

/* Back to ready after a ring that was not theirs to lose (cancelled). */
void acd_agent_back(struct acd *acd, struct acd_agent *a, int64_t now)
{
	acd_agent_set_state(acd, a, ACD_READY, "", 0, now);
	acd_agent_available(acd, a, now);
}

/* An offer from q rang out or was declined. */
void acd_agent_missed(struct acd *acd, struct acd_agent *a,
		      const struct acd_queue *q, int64_t now)
{
	a->misses++;
	if (q->cfg.noanswer_max && a->misses >= q->cfg.noanswer_max) {
		acd_agent_set_state(acd, a, ACD_NOT_READY, "no-answer", 0, now);
		return;
	}
	if (now + q->cfg.noanswer_pause_ms > a->pause_until)
		a->pause_until = now + q->cfg.noanswer_pause_ms;
	acd_agent_back(acd, a, now);
}

/* The call a talked on (from q) ended: pending request, else wrap-up. */
void acd_agent_after_call(struct acd *acd, struct acd_agent *a,
			  const struct acd_queue *q, int64_t now)
{
	enum acd_agent_state p = a->pending;

	a->pending = ACD_TALKING;
	a->call = NULL;
	if (p == ACD_LOGGED_OUT || p == ACD_NOT_READY) {
		acd_agent_set_state(acd, a, p, a->pending_reason, 0, now);
		a->pending_reason[0] = '\0';
		if (p == ACD_LOGGED_OUT)
			acd_agent_release_held(acd, a, now);
	} else if (q->cfg.wrapup_ms > 0) {
		acd_timer_arm(acd, &a->tmr, TK_WRAPUP, now + q->cfg.wrapup_ms);
		acd_agent_set_state(acd, a, ACD_WRAP_UP, "", a->tmr.at, now);
	} else {
		acd_agent_back(acd, a, now);
	}
}

void acd_agent_timer(struct acd *acd, struct acd_agent *a, int64_t now)
{
	switch (a->tmr.kind) {
	case TK_RING:
		acd_call_missed(acd, a, "timeout", now);
		break;
	case TK_WRAPUP:
		acd_agent_back(acd, a, now);
		break;
	default:   /* TK_PAUSE */
		acd_agent_available(acd, a, now);
		break;
	}
}

/* Callers held for a (sticky) stop waiting for them and rejoin their
 * queues in their old places. */
void acd_agent_release_held(struct acd *acd, struct acd_agent *a,
			    int64_t now)
{
	struct acd_call *c;

	(void)now;
	while ((c = acd_heap_top(&a->held))) {
		acd_call_unlink_wait(acd, c);
		c->sticky_done = true;
		acd_call_eligible(acd, c);
	}
}

static int find(struct acd *acd, uint32_t id, int64_t *now,
		struct acd_agent **ap)
{
	int err = acd_begin(acd, now);

	if (err)
		return err;
	*ap = acd_agent_find(acd, id);
	return *ap ? 0 : ENOENT;
}

int acd_agent_login(struct acd *acd, uint32_t agent_id, int64_t now_ms)
{
	struct acd_agent *a;
	int err = find(acd, agent_id, &now_ms, &a);

	if (err)
		return err;
	if (a->state == ACD_LOGGED_OUT)
		acd_agent_set_state(acd, a, ACD_NOT_READY, "login", 0, now_ms);
	return 0;
}

int acd_agent_ready(struct acd *acd, uint32_t agent_id, int64_t now_ms)
{
	struct acd_agent *a;
	int err = find(acd, agent_id, &now_ms, &a);

	if (err)
		return err;
	switch (a->state) {
	case ACD_LOGGED_OUT:
	case ACD_NOT_READY:
		a->misses = 0;
		/* fall through */
	case ACD_WRAP_UP:
		acd_timer_stop(acd, &a->tmr);
		acd_agent_set_state(acd, a, ACD_READY, "", 0, now_ms);
		acd_agent_available(acd, a, now_ms);
		break;
	case ACD_TALKING:
		a->pending = ACD_TALKING;
		a->pending_reason[0] = '\0';
		break;
	default:   /* ready or ringing already */
		break;
	}
	acd_settle(acd, now_ms);
	return 0;
}

/* Leaves ready/wrap_up/ringing for not_ready or logged_out. */
static void leave(struct acd *acd, struct acd_agent *a,
		  enum acd_agent_state to, const char *reason, int64_t now)
{
	if (a->state == ACD_RINGING)
		acd_call_unring(acd, a, "agent-state", now);
	else
		acd_timer_stop(acd, &a->tmr);
	acd_agent_unindex(a);
	acd_agent_set_state(acd, a, to, reason, 0, now);
}

int acd_agent_not_ready(struct acd *acd, uint32_t agent_id,
			const char *reason, int64_t now_ms)
{
	struct acd_agent *a;
	int err;

	if (!reason || !reason[0] || strlen(reason) >= ACD_REASON_LEN)
		return EINVAL;
	err = find(acd, agent_id, &now_ms, &a);
	if (err)
		return err;
	if (a->state == ACD_TALKING) {
		a->pending = ACD_NOT_READY;
		util_strlcpy(a->pending_reason, reason,
			     sizeof(a->pending_reason));
	} else if (a->state != ACD_NOT_READY || strcmp(a->reason, reason)) {
		leave(acd, a, ACD_NOT_READY, reason, now_ms);
	}
	acd_settle(acd, now_ms);
	return 0;
}

int acd_agent_logout(struct acd *acd, uint32_t agent_id, int64_t now_ms)
{
	struct acd_agent *a;
	int err = find(acd, agent_id, &now_ms, &a);

	if (err)
		return err;
	if (a->state == ACD_TALKING) {
		a->pending = ACD_LOGGED_OUT;
		a->pending_reason[0] = '\0';
	} else if (a->state != ACD_LOGGED_OUT) {
		leave(acd, a, ACD_LOGGED_OUT, "", now_ms);
	}
	/* Nobody should wait for an agent who is on their way out. */
	acd_agent_release_held(acd, a, now_ms);
	acd_settle(acd, now_ms);
	return 0;
}

int acd_counters_reset(struct acd *acd, int64_t now_ms)
{
	int err = acd_begin(acd, &now_ms);

	if (err)
		return err;
	for (uint32_t i = 0; i < acd->nagents; i++) {
		acd->agents[i]->calls_today = 0;
		acd->agents[i]->talk_today = 0;
	}
	/* Two strategies order by these counters: re-sort their agents. */
	for (uint32_t i = 0; i < acd->nqueues; i++)
		acd_index_rebuild(acd->queues[i]);
	return 0;
}

int acd_agent_get(const struct acd *acd, uint32_t agent_id,
		  struct acd_agent_info *out)
{
	const struct acd_agent *a = acd ? acd_agent_find(acd, agent_id) : NULL;

	if (!a || !out)
		return ENOENT;
	memset(out, 0, sizeof(*out));
	out->id = a->id;
	out->state = a->state;
	util_strlcpy(out->reason, a->reason, sizeof(out->reason));
	out->since_ms = a->since;
	out->idle_since_ms = a->idle_since;
	if (acd_timer_armed(&a->tmr) && a->tmr.kind != TK_PAUSE)
		out->until_ms = a->tmr.at;
	out->pause_until_ms = a->pause_until;
	out->misses = a->misses;
	out->calls_today = a->calls_today;
	out->talk_ms_today = a->talk_today;
	out->pending = a->pending;
	util_strlcpy(out->pending_reason, a->pending_reason,
		     sizeof(out->pending_reason));
	out->call_id = a->call ? a->call->id : 0;
	return 0;
}
