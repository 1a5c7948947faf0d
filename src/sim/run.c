/* sim/run: one simulated run. Time jumps from event to event: the next is
 * the earlier of the heap's top and the router's next deadline (a router
 * timer due at the same millisecond runs first, as every router call would
 * run it first anyway). Each event is one router call at its own time,
 * whose actions host.c carries out.
 *
 * Memory stays flat however long the run: the report set is emptied into
 * the result every few hours of simulated time (buckets add, so where a
 * bucket was cut makes no difference), and call slots are reused. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kpimap/kpimap.h"
#include "sim/sim_int.h"

/* Empty the report set at least this often (simulated ms): 500 agents
 * over 24 quarter hours is 12,000 buckets, about 3 MB. */
enum { ROTATE_MS = 6 * 3600 * 1000 };

static uint32_t call_alloc(struct sim *s)
{
	uint32_t slot = s->free_head;

	if (slot == SIM_NONE) {
		uint32_t n = s->ncalls ? s->ncalls * 2 : 1024;
		struct sim_call *c;
		if (s->ncalls >= UINT32_MAX / 4)
			return SIM_NONE;
		c = realloc(s->calls, n * sizeof(*c));
		if (!c)
			return SIM_NONE;
		for (uint32_t i = s->ncalls; i < n; i++)
			c[i] = (struct sim_call){
				.next_free = i + 1 < n ? i + 1 : SIM_NONE};
		s->calls = c;
		s->free_head = slot = s->ncalls;
		s->ncalls = n;
	}
	s->free_head = s->calls[slot].next_free;
	return slot;
}

/* The stream's next arrival after its last one, in ms: a Poisson process
 * whose rate is constant within each rate interval, so an Exp(1) draw is
 * spent against the rate integrated over time. Whole cycles of the rate
 * list are skipped at once. */
static void next_arrival(struct sim *s, size_t i)
{
	const struct sim_stream_def *st = &s->sc->streams[i];
	double t = s->next_arrival[i], e = sim_rng_exp(&s->rng),
	       w = (double)st->rate_interval_ms, cycle = s->cycle[i];

	if (!(cycle > 0)) {
		s->next_arrival[i] = -1;
		return;
	}
	if (e > cycle) {
		double skip = floor(e / cycle);
		t += skip * w * (double)st->nrates;
		e -= skip * cycle;
	}
	for (;;) {
		int64_t seg = (int64_t)(t / w);
		double end = (double)(seg + 1) * w;
		double r = st->rates_per_ms[seg % (int64_t)st->nrates];
		double avail = r * (end - t);
		if (r > 0 && e <= avail) {
			t += e / r;
			break;
		}
		e -= avail;
		t = end;
		if (t >= (double)s->sc->duration_ms)
			break;
	}
	s->next_arrival[i] = t;
	if (t < (double)s->sc->duration_ms)
		sim_schedule(s, (int64_t)t, SIM_EV_ARRIVAL, (uint32_t)i, 0);
}

static void router_failed(struct sim *s)
{
	if (!s->err)
		s->err = EPROTO;
}

static void on_arrival(struct sim *s, uint32_t i)
{
	const struct sim_stream_def *st = &s->sc->streams[i];
	const struct sim_queue_def *q = &s->sc->queues[st->queue];
	uint32_t slot = call_alloc(s);
	uint64_t id;
	int64_t patience;

	next_arrival(s, i);
	if (slot == SIM_NONE) {
		s->err = ENOMEM;
		return;
	}
	id = (++s->serial << 32) | slot;
	s->calls[slot] = (struct sim_call){.id = id};
	s->live++;
	s->res->stats.arrivals++;
	patience = sim_dist_ms(&q->patience, &s->rng);
	s->calls[slot].give_up_ms = patience >= 0 ? s->now + patience : -1;
	sim_enter(s, slot, st->queue, s->now);
	if (acd_call_enqueue(s->acd, st->queue + 1, id, st->priority, NULL,
			     s->now))
		router_failed(s);
	/* A call offered with its answer due this very millisecond cannot
	 * give up first; any other is armed now (a ring that ends unanswered
	 * arms it then: host.c). */
	if (s->calls[slot].id == id && !s->calls[slot].answer_now)
		sim_arm_patience(s, slot);
}

void sim_arm_patience(struct sim *s, uint32_t slot)
{
	struct sim_call *c = &s->calls[slot];

	if (c->armed || c->give_up_ms < 0 || c->connected)
		return;
	c->armed = true;
	sim_schedule(s, c->give_up_ms > s->now ? c->give_up_ms : s->now,
		     SIM_EV_PATIENCE, slot, c->id);
}

static void on_answer(struct sim *s, uint32_t idx, uint64_t ring)
{
	struct sim_agent *ag = &s->agents[idx];
	struct sim_call *c;
	int64_t handle;

	if (ag->ring != ring || ag->ring_slot == SIM_NONE)
		return;              /* that ring was cancelled */
	c = &s->calls[ag->ring_slot];
	ag->ring_slot = SIM_NONE;
	if (acd_offer_answered(s->acd, c->id, idx + 1, s->now)) {
		router_failed(s);
		return;
	}
	struct report_event ev = kpimap_answer(sim_qname(s, c->queue),
					       c->enter_ms, ag->name,
					       ag->ring_at, s->now);
	sim_fold(s, &ev);
	c->connected = true;
	c->agent = idx + 1;
	c->answer_ms = s->now;
	handle = sim_dist_ms(&s->sc->queues[c->queue].handle, &s->rng);
	sim_schedule(s, s->now + handle, SIM_EV_END, (uint32_t)(c - s->calls),
		     c->id);
}

static void on_end(struct sim *s, uint32_t slot)
{
	struct sim_call *c = &s->calls[slot];
	struct sim_agent *ag = &s->agents[c->agent - 1];
	struct report_event ev = kpimap_complete(sim_qname(s, c->queue),
						 c->enter_ms, ag->name,
						 s->now - c->answer_ms, s->now);

	ag->last_queue = c->queue;
	ag->last_enter = c->enter_ms;
	if (acd_call_ended(s->acd, c->id, s->now))
		router_failed(s);
	sim_fold(s, &ev);
	sim_call_free(s, slot);
}

static void on_patience(struct sim *s, uint32_t slot, uint64_t id)
{
	struct sim_call *c = &s->calls[slot];
	struct report_event ev = kpimap_abandon(sim_qname(s, c->queue),
						c->enter_ms, s->now);

	if (c->id != id || c->connected)
		return;              /* answered, or gone by overflow */
	if (acd_call_abandon(s->acd, id, s->now))
		router_failed(s);
	sim_fold(s, &ev);
	sim_call_free(s, slot);
}

static const struct sim_group_def *group_of(const struct sim *s, uint32_t idx)
{
	const struct sim_group_def *g = s->sc->groups;

	while (idx >= g->count)
		idx -= g++->count;
	return g;
}

static void on_shift_start(struct sim *s, uint32_t idx)
{
	const struct sim_group_def *g = group_of(s, idx);
	struct sim_agent *ag = &s->agents[idx];

	if (acd_agent_ready(s->acd, idx + 1, s->now))
		router_failed(s);
	sim_schedule(s, ag->shift_at + (g->shift_end_ms - g->shift_start_ms),
		     SIM_EV_SHIFT_END, idx, 0);
}

/* A talking agent logs out when the call ends (the router's rule). */
static void on_shift_end(struct sim *s, uint32_t idx)
{
	const struct sim_group_def *g = group_of(s, idx);
	struct sim_agent *ag = &s->agents[idx];

	if (acd_agent_logout(s->acd, idx + 1, s->now))
		router_failed(s);
	if (!g->shift_repeat_ms)
		return;
	ag->shift_at += g->shift_repeat_ms;
	if (ag->shift_at < s->sc->duration_ms)
		sim_schedule(s, ag->shift_at, SIM_EV_SHIFT_START, idx, 0);
}

static int new_set(struct sim *s)
{
	int err = report_set_alloc(&s->set, s->sc->interval_ms);

	for (size_t i = 0; !err && i < s->sc->nqueues; i++) {
		const struct sim_queue_def *q = &s->sc->queues[i];
		struct report_queue_cfg cfg = sim_kpi_cfg;
		cfg.sl_ms = q->sl_ms;
		cfg.short_abandon_ms = q->short_abandon_ms;
		err = report_set_queue(s->set, q->name, &cfg);
	}
	return err;
}

static int rotate(struct sim *s)
{
	int err = sim_collect(s->res, s->set);

	report_set_free(s->set);
	s->set = NULL;
	if (!err)
		err = new_set(s);
	return err;
}

static void dispatch(struct sim *s, const struct sim_ev *ev)
{
	switch (ev->kind) {
	case SIM_EV_ARRIVAL:     on_arrival(s, ev->idx);            break;
	case SIM_EV_ANSWER:      on_answer(s, ev->idx, ev->tag);    break;
	case SIM_EV_END:         on_end(s, ev->idx);                break;
	case SIM_EV_PATIENCE:    on_patience(s, ev->idx, ev->tag);  break;
	case SIM_EV_SHIFT_START: on_shift_start(s, ev->idx);        break;
	case SIM_EV_SHIFT_END:   on_shift_end(s, ev->idx);          break;
	case SIM_EV_CLOSE:
		sim_checkpoint(s);
		s->closed = true;
		break;
	}
}

static int loop(struct sim *s)
{
	struct sim_ev ev;

	while (!s->err && !(s->closed && !s->live)) {
		int64_t dl = acd_next_deadline(s->acd);
		const struct sim_ev *top = sim_heap_peek(&s->heap);
		if (!top && dl == ACD_NEVER)
			break;          /* nothing can happen any more */
		if (dl != ACD_NEVER && (!top || dl <= top->at)) {
			s->now = dl;
			if (acd_tick(s->acd, dl))
				router_failed(s);
		} else {
			sim_heap_pop(&s->heap, &ev);
			s->now = ev.at;
			if (s->now >= s->rotate_at) {
				s->rotate_at += ROTATE_MS;
				s->err = rotate(s);
				if (s->err)
					break;
			}
			dispatch(s, &ev);
		}
		sim_enter_flush(s);
		s->res->stats.events++;
	}
	return s->err;
}

static int setup_queues(struct sim *s)
{
	char why[ACD_WHY_LEN];

	/* Twice: an overflow may name a queue set up after it. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->sc->nqueues; i++) {
			const struct sim_queue_def *q = &s->sc->queues[i];
			struct acd_queue_cfg cfg = {
				.id = (uint32_t)i + 1, .strategy = q->strategy,
				.ring_timeout_ms = q->ring_timeout_ms,
				.retry_ms = q->retry_ms,
				.max_wait_ms = q->max_wait_ms,
				.max_len = q->max_len, .wrapup_ms = q->wrapup_ms,
				.weight = q->weight,
				.overflow.kind = ACD_DEST_HANGUP,
			};
			if (pass && q->overflow >= 0) {
				cfg.overflow.kind = ACD_DEST_QUEUE;
				cfg.overflow.queue_id = (uint32_t)q->overflow + 1;
			}
			if (acd_queue_set(s->acd, &cfg, 0, why, sizeof(why)))
				return EPROTO;
		}
	}
	return 0;
}

/* The earliest occurrence of g's shift that has not ended by time 0. */
static int64_t first_shift(const struct sim_group_def *g)
{
	int64_t at = g->shift_start_ms, len = g->shift_end_ms - at;

	while (g->shift_repeat_ms && at - g->shift_repeat_ms + len > 0)
		at -= g->shift_repeat_ms;
	return at;
}

static int setup_agents(struct sim *s)
{
	struct acd_member m[SIM_MAX_QUEUES];
	char why[ACD_WHY_LEN];
	uint32_t idx = 0;

	s->agents = calloc(s->sc->nagents ? s->sc->nagents : 1,
			   sizeof(*s->agents));
	if (!s->agents)
		return ENOMEM;
	for (size_t gi = 0; gi < s->sc->ngroups; gi++) {
		const struct sim_group_def *g = &s->sc->groups[gi];
		for (size_t k = 0; k < g->nmembers; k++)
			m[k] = (struct acd_member){
				.queue_id = g->members[k].queue + 1,
				.skill = g->members[k].skill};
		for (uint32_t j = 0; j < g->count; j++, idx++) {
			struct sim_agent *ag = &s->agents[idx];
			snprintf(ag->name, sizeof(ag->name), "%u", idx + 1);
			ag->ring_slot = SIM_NONE;
			ag->state = REPORT_AGENT_LOGGED_OUT;
			if (acd_agent_set(s->acd, idx + 1, m, g->nmembers, 0,
					  why, sizeof(why)))
				return EPROTO;
			if (!g->has_shift) {
				if (acd_agent_ready(s->acd, idx + 1, 0))
					return EPROTO;
				continue;
			}
			ag->shift_at = first_shift(g);
			if (ag->shift_at < s->sc->duration_ms)
				sim_schedule(s, ag->shift_at > 0 ? ag->shift_at : 0,
					     SIM_EV_SHIFT_START, idx, 0);
		}
	}
	return s->err;
}

static int setup(struct sim *s, uint64_t seed)
{
	struct acd_host host = {.emit = sim_emit, .arg = s};
	int err;

	sim_rng_seed(&s->rng, seed);
	err = acd_alloc(&s->acd, &host, seed);
	if (!err)
		err = new_set(s);
	if (!err)
		err = setup_queues(s);
	if (err)
		return err;
	sim_schedule(s, s->sc->duration_ms, SIM_EV_CLOSE, 0, 0);
	err = setup_agents(s);
	if (err)
		return err;
	s->next_arrival = calloc(s->sc->nstreams ? s->sc->nstreams : 1,
				 sizeof(double));
	s->cycle = calloc(s->sc->nstreams ? s->sc->nstreams : 1,
			  sizeof(double));
	if (!s->next_arrival || !s->cycle)
		return ENOMEM;
	for (size_t i = 0; i < s->sc->nstreams; i++) {
		const struct sim_stream_def *st = &s->sc->streams[i];
		for (size_t k = 0; k < st->nrates; k++)
			s->cycle[i] += st->rates_per_ms[k] *
				       (double)st->rate_interval_ms;
		next_arrival(s, i);
	}
	sim_enter_flush(s);
	return s->err;
}

int sim_run(const struct sim_scenario *sc, uint64_t seed,
	    struct sim_result **rp)
{
	struct sim s = {.sc = sc, .free_head = SIM_NONE,
			.rotate_at = ROTATE_MS};
	int err;

	if (!sc || !rp)
		return EINVAL;
	err = sim_result_new(&s.res, sc, seed);
	if (err)
		return err;
	err = setup(&s, seed);
	if (!err)
		err = loop(&s);
	if (!err)
		err = sim_collect(s.res, s.set);
	s.res->stats.end_ms = s.now;
	s.res->stats.unfinished = s.live;
	acd_free(s.acd);
	report_set_free(s.set);
	sim_heap_free(&s.heap);
	free(s.calls);
	free(s.agents);
	free(s.pend);
	free(s.next_arrival);
	free(s.cycle);
	if (err) {
		sim_result_free(s.res);
		return err;
	}
	*rp = s.res;
	return 0;
}
