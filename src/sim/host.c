/* sim/host: the simulator's side of the router. The router's actions are
 * turned into report events by the mapping the live host uses too
 * (kpimap/, docs/simulator.md "Event mapping"), folded, and carried out:
 *
 *   OFFER        → the agent's answer is scheduled after the answer delay
 *                  (a ring number makes a stale one harmless)
 *   CANCEL       → any cancel ends the ring
 *   OVERFLOW     → into a queue, the call enters it anew, else it leaves
 *                  the simulation
 *   AGENT_STATE  → the agent's state, since and wrap-up start follow; once
 *                  the period is closed its state time is not booked
 *
 * A call's `enter` is folded once the router call that put it in a queue
 * has returned, flagged `queued` unless that same router call offered it:
 * then no ready agent could take it at once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kpimap/kpimap.h"
#include "sim/sim_int.h"

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
		struct report_event ev = kpimap_enter(sim_qname(s, p->queue),
						      p->at, !p->offered);
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

/* Maps a and folds its events (after the period, no agent time). */
static void fold_action(struct sim *s, const struct acd_action *a,
			const struct kpimap_ctx *x)
{
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;

	if (kpimap_action(a, x, ev, &n) && !s->err)
		s->err = EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!(s->closed && ev[i].type == REPORT_EV_AGENT_STATE))
			sim_fold(s, &ev[i]);
}

static void on_offer(struct sim *s, const struct acd_action *a)
{
	uint32_t slot = (uint32_t)a->call_id, idx = a->agent_id - 1;
	struct sim_call *c = &s->calls[slot];
	struct sim_agent *ag = &s->agents[idx];
	int64_t delay = sim_dist_ms(&s->sc->answer, &s->rng);

	if (c->pend)
		s->pend[c->pend - 1].offered = true;
	c->answer_now = delay <= 0;
	ag->ring++;
	ag->ring_slot = slot;
	ag->ring_at = a->at_ms;
	fold_action(s, a, &(struct kpimap_ctx){
		.queue = sim_qname(s, a->queue_id - 1), .agent = ag->name});
	sim_schedule(s, a->at_ms + (delay > 0 ? delay : 0), SIM_EV_ANSWER, idx,
		     ag->ring);
}

static void on_cancel(struct sim *s, const struct acd_action *a)
{
	struct sim_agent *ag = &s->agents[a->agent_id - 1];
	uint32_t slot = (uint32_t)a->call_id;

	ag->ring_slot = SIM_NONE;
	s->calls[slot].answer_now = false;
	sim_arm_patience(s, slot);
	fold_action(s, a, &(struct kpimap_ctx){
		.queue = sim_qname(s, a->queue_id - 1), .agent = ag->name,
		.enter_ms = s->calls[slot].enter_ms});
}

static void on_overflow(struct sim *s, const struct acd_action *a)
{
	uint32_t slot = (uint32_t)a->call_id;

	fold_action(s, a, &(struct kpimap_ctx){
		.queue = sim_qname(s, a->queue_id - 1)});
	if (a->dest->kind == ACD_DEST_QUEUE)
		sim_enter(s, slot, a->dest->queue_id - 1, a->at_ms);
	else
		sim_call_free(s, slot);
}

static void on_state(struct sim *s, const struct acd_action *a)
{
	struct sim_agent *ag = &s->agents[a->agent_id - 1];
	enum report_agent_state to = kpimap_state(a->to);

	fold_action(s, a, &(struct kpimap_ctx){
		.agent = ag->name, .since_ms = ag->since,
		.wrap_at_ms = ag->wrap_at,
		.wrap_queue = sim_qname(s, ag->last_queue),
		.wrap_enter_ms = ag->last_enter});
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
		struct report_event ev;
		if (kpimap_checkpoint(ag->name, ag->state, ag->since, s->now,
				      &ev))
			continue;
		sim_fold(s, &ev);
		ag->since = s->now;
	}
}
