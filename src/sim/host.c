/* sim/host: the simulator's side of the router. The router's actions are
 * carried out here and turned into the report events the live wiring folds
 * for the same happenings (docs/simulator.md, "Event mapping"):
 *
 *   OFFER        → report `offer`; the agent's answer is scheduled after the
 *                  answer delay (a ring number makes a stale one harmless)
 *   CANCEL       → report `ring_noanswer` when the ring timed out; any
 *                  cancel ends the ring
 *   OVERFLOW     → report `overflow`; into a queue, the call enters it anew
 *                  (report `enter`), else it leaves the simulation
 *   AGENT_STATE  → report `agent_state` with the time spent in the state
 *                  left, and `wrapup_end` when the state left is wrap-up
 *
 * A call's `enter` is folded once the router call that put it in a queue
 * has returned, flagged `queued` unless that same router call offered it:
 * then no ready agent could take it at once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sim/sim_int.h"

static const enum report_agent_state state_map[ACD_AGENT_STATES] = {
	[ACD_LOGGED_OUT] = REPORT_AGENT_LOGGED_OUT,
	[ACD_READY]      = REPORT_AGENT_READY,
	[ACD_NOT_READY]  = REPORT_AGENT_NOT_READY,
	[ACD_RINGING]    = REPORT_AGENT_RINGING,
	[ACD_TALKING]    = REPORT_AGENT_TALKING,
	[ACD_WRAP_UP]    = REPORT_AGENT_WRAPUP,
};

void sim_fold(struct sim *s, const struct report_event *ev)
{
	int err = report_fold(s->set, ev);

	if (err && !s->err)
		s->err = err;
}

void sim_schedule(struct sim *s, int64_t at, uint32_t kind, uint32_t idx,
		  uint64_t tag)
{
	if (sim_heap_push(&s->heap, at, kind, idx, tag) && !s->err)
		s->err = ENOMEM;
}

const char *sim_qname(const struct sim *s, uint32_t queue)
{
	return s->sc->queues[queue].name;
}

void sim_enter(struct sim *s, uint32_t slot, uint32_t queue, int64_t at)
{
	struct sim_call *c = &s->calls[slot];

	if (s->npend == s->cappend) {
		size_t cap = s->cappend ? s->cappend * 2 : 64;
		struct sim_pending *p = realloc(s->pend, cap * sizeof(*p));
		if (!p) {
			s->err = ENOMEM;
			return;
		}
		s->pend = p;
		s->cappend = cap;
	}
	c->queue = queue;
	c->enter_ms = at;
	c->pend = (uint32_t)++s->npend;
	s->pend[s->npend - 1] = (struct sim_pending){
		.slot = slot, .queue = queue, .at = at};
}

void sim_enter_flush(struct sim *s)
{
	for (size_t i = 0; i < s->npend; i++) {
		const struct sim_pending *p = &s->pend[i];
		struct report_event ev = {
			.type = REPORT_EV_ENTER, .ts_ms = p->at,
			.queue = sim_qname(s, p->queue), .enter_ms = p->at,
			.flags = p->offered ? 0 : REPORT_EVF_QUEUED,
		};
		if (s->calls[p->slot].pend == i + 1)
			s->calls[p->slot].pend = 0;
		sim_fold(s, &ev);
	}
	s->npend = 0;
}

void sim_call_free(struct sim *s, uint32_t slot)
{
	struct sim_call *c = &s->calls[slot];

	c->id = 0;
	c->next_free = s->free_head;
	s->free_head = slot;
	s->live--;
}

static void on_offer(struct sim *s, const struct acd_action *a)
{
	uint32_t slot = (uint32_t)a->call_id, idx = a->agent_id - 1;
	struct sim_call *c = &s->calls[slot];
	struct sim_agent *ag = &s->agents[idx];
	int64_t delay = sim_dist_ms(&s->sc->answer, &s->rng);
	struct report_event ev = {
		.type = REPORT_EV_OFFER, .ts_ms = a->at_ms,
		.queue = sim_qname(s, a->queue_id - 1), .agent = ag->name,
		.enter_ms = a->at_ms - a->waited_ms,
	};

	if (c->pend)
		s->pend[c->pend - 1].offered = true;
	c->answer_now = delay <= 0;
	ag->ring++;
	ag->ring_slot = slot;
	ag->ring_at = a->at_ms;
	sim_fold(s, &ev);
	sim_schedule(s, a->at_ms + (delay > 0 ? delay : 0), SIM_EV_ANSWER, idx,
		     ag->ring);
}

static void on_cancel(struct sim *s, const struct acd_action *a)
{
	struct sim_agent *ag = &s->agents[a->agent_id - 1];
	struct report_event ev = {
		.type = REPORT_EV_RING_NOANSWER, .ts_ms = a->at_ms,
		.queue = sim_qname(s, a->queue_id - 1), .agent = ag->name,
		.enter_ms = s->calls[(uint32_t)a->call_id].enter_ms,
	};

	ag->ring_slot = SIM_NONE;
	s->calls[(uint32_t)a->call_id].answer_now = false;
	sim_arm_patience(s, (uint32_t)a->call_id);
	/* Abandoned, answered by another phone (ring-all) or withdrawn for
	 * the agent's own state change: not a ring that went unanswered. */
	if (!strcmp(a->reason, "timeout"))
		sim_fold(s, &ev);
}

static void on_overflow(struct sim *s, const struct acd_action *a)
{
	uint32_t slot = (uint32_t)a->call_id;
	struct report_event ev = {
		.type = REPORT_EV_OVERFLOW, .ts_ms = a->at_ms,
		.queue = sim_qname(s, a->queue_id - 1),
		.enter_ms = a->at_ms - a->waited_ms,
	};

	sim_fold(s, &ev);
	if (a->dest->kind == ACD_DEST_QUEUE)
		sim_enter(s, slot, a->dest->queue_id - 1, a->at_ms);
	else
		sim_call_free(s, slot);
}

static void on_state(struct sim *s, const struct acd_action *a)
{
	struct sim_agent *ag = &s->agents[a->agent_id - 1];
	enum report_agent_state to = state_map[a->to], from = state_map[a->from];
	struct report_event ev = {
		.type = REPORT_EV_AGENT_STATE, .ts_ms = a->at_ms,
		.agent = ag->name, .dur_ms = a->at_ms - ag->since,
		.state = to, .prev_state = from,
	};

	/* Agent time is the period's only (sim.h); after it, none is booked. */
	if (!s->closed)
		sim_fold(s, &ev);
	if (from == REPORT_AGENT_WRAPUP) {
		ev = (struct report_event){
			.type = REPORT_EV_WRAPUP_END, .ts_ms = a->at_ms,
			.queue = sim_qname(s, ag->last_queue), .agent = ag->name,
			.enter_ms = ag->last_enter,
			.dur_ms = a->at_ms - ag->wrap_at,
		};
		sim_fold(s, &ev);
	}
	if (to == REPORT_AGENT_WRAPUP)
		ag->wrap_at = a->at_ms;
	ag->state = to;
	ag->since = a->at_ms;
}

void sim_emit(void *arg, const struct acd_action *a)
{
	struct sim *s = arg;

	switch (a->kind) {
	case ACD_ACT_OFFER:       on_offer(s, a);    break;
	case ACD_ACT_CANCEL:      on_cancel(s, a);   break;
	case ACD_ACT_OVERFLOW:    on_overflow(s, a); break;
	case ACD_ACT_AGENT_STATE: on_state(s, a);    break;
	}
}

/* Books every logged-in agent's time up to now (a checkpoint: an
 * agent_state event whose state is the one it stays in). */
void sim_checkpoint(struct sim *s)
{
	for (uint32_t i = 0; i < s->sc->nagents; i++) {
		struct sim_agent *ag = &s->agents[i];
		struct report_event ev = {
			.type = REPORT_EV_AGENT_STATE, .ts_ms = s->now,
			.agent = ag->name, .dur_ms = s->now - ag->since,
			.state = ag->state, .prev_state = ag->state,
		};
		if (ag->state == REPORT_AGENT_LOGGED_OUT)
			continue;
		sim_fold(s, &ev);
		ag->since = s->now;
	}
}
