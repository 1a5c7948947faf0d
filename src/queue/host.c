/* queue/host: the router's host on the signalling loop. The router's
 * actions are copied out of its callback and carried out once it has
 * returned (it must not be re-entered):
 *
 *   OFFER        → ring the agent's phone (call_offer; ring-all sends one
 *                  per ready agent, all ringing at once); a phone that
 *                  cannot be rung is a rejected offer, and the router
 *                  moves on
 *   CANCEL       → stop the ring (call_offer_cancel); only "timeout" is a
 *                  ring that went unanswered (queue.ring_noanswer), not
 *                  "answered-elsewhere" (ring-all), "abandoned" or the
 *                  agent's own state change
 *   OVERFLOW     → into a queue: the call enters it anew; to an extension:
 *                  the call leaves the host and rings it (control.c); to a
 *                  mailbox: the caller leaves a message; else hang up,
 *                  after the queue's overflow_prompt if it has one
 *   AGENT_STATE  → agent.state with the time spent in the state left, the
 *                  row in agent_state, and queue.wrapup_end after wrap-up
 *
 * The report events of each action come from kpimap/, the mapping the
 * simulator uses too. The clock is read once per event that reaches the
 * host (a call or agent happening, a timer); everything done for it,
 * draining the router's actions included, uses that one `now`.
 *
 * One libre timer sleeps until acd_next_deadline(); a second one stores
 * the KPI buckets every flush_ms and books agents' time at each interval
 * boundary (a checkpoint). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_tmr.h>
#include "base/log.h"
#include "call/call.h"
#include "db/db.h"
#include "kpimap/kpimap.h"
#include "media/media.h"
#include "queue/queue_int.h"

enum { DAY_MS = 86400000 };

/* ---- look-ups: hash indexes over the arrays (index.c) ---- */

struct probe {
	struct queue_host *h;
	const char *name;
	uint64_t id;
};

static bool queue_named(void *arg, uint32_t i)
{
	const struct probe *p = arg;

	return i < p->h->nqueues && !strcmp(p->h->queues[i].cfg.name, p->name);
}

static bool queue_numbered(void *arg, uint32_t i)
{
	const struct probe *p = arg;

	return i < p->h->nqueues && p->h->queues[i].id == p->id;
}

static bool agent_numbered(void *arg, uint32_t i)
{
	const struct probe *p = arg;

	return i < p->h->nagents && p->h->agents[i].id == p->id;
}

static bool call_keyed(void *arg, uint32_t i)
{
	const struct probe *p = arg;

	return i < p->h->ncalls && p->h->calls[i].key == p->id;
}

/* Rebuilds ix from n keys; on ENOMEM it stays short of n, and look-ups
 * scan instead. */
static void reindex(struct qh_index *ix, size_t n,
		    uint64_t (*key_of)(const struct queue_host *h, size_t i),
		    const struct queue_host *h)
{
	qh_index_clear(ix);
	for (size_t i = 0; i < n && i < QH_INDEX_NONE; i++)
		if (qh_index_put(ix, key_of(h, i), (uint32_t)i))
			return;
}

static uint64_t qname_key(const struct queue_host *h, size_t i)
{
	return qh_index_str(h->queues[i].cfg.name);
}

static uint64_t qid_key(const struct queue_host *h, size_t i)
{
	return h->queues[i].id;
}

static uint64_t agent_key(const struct queue_host *h, size_t i)
{
	return h->agents[i].id;
}

static uint64_t call_key(const struct queue_host *h, size_t i)
{
	return h->calls[i].key;
}

/* The slot of n elements that match accepts, through ix when it is in
 * step with its array (rebuilt first when its count says it is not),
 * else by a scan. */
static uint32_t look(struct qh_index *ix, size_t n, uint64_t key,
		     uint64_t (*key_of)(const struct queue_host *h, size_t i),
		     bool (*match)(void *arg, uint32_t slot), struct probe *p)
{
	if (ix->n != n)
		reindex(ix, n, key_of, p->h);
	if (ix->n == n)
		return qh_index_find(ix, key, match, p);
	for (uint32_t i = 0; i < n; i++)
		if (match(p, i))
			return i;
	return QH_INDEX_NONE;
}

struct qh_queue *qh_queue_by_name(struct queue_host *h, const char *name)
{
	struct probe p = {.h = h, .name = name};
	uint32_t i;

	if (!name)
		return NULL;
	i = look(&h->ix_qname, h->nqueues, qh_index_str(name), qname_key,
		 queue_named, &p);
	return i == QH_INDEX_NONE ? NULL : &h->queues[i];
}

struct qh_queue *qh_queue_by_id(struct queue_host *h, uint32_t id)
{
	struct probe p = {.h = h, .id = id};
	uint32_t i = look(&h->ix_qid, h->nqueues, id, qid_key, queue_numbered,
			  &p);

	return i == QH_INDEX_NONE ? NULL : &h->queues[i];
}

struct qh_agent *qh_agent_by_id(struct queue_host *h, uint32_t id)
{
	struct probe p = {.h = h, .id = id};
	uint32_t i = look(&h->ix_agent, h->nagents, id, agent_key,
			  agent_numbered, &p);

	return i == QH_INDEX_NONE ? NULL : &h->agents[i];
}

struct qh_agent *qh_agent_by_ext(struct queue_host *h, const char *ext)
{
	uint32_t id;

	return queue_agent_id(ext, &id) ? NULL : qh_agent_by_id(h, id);
}

struct qh_call *qh_call_find(struct queue_host *h, uint64_t key)
{
	struct probe p = {.h = h, .id = key};
	uint32_t i = look(&h->ix_call, h->ncalls, key, call_key, call_keyed,
			  &p);

	return i == QH_INDEX_NONE ? NULL : &h->calls[i];
}

void qh_call_drop(struct queue_host *h, struct qh_call *c)
{
	uint32_t i = (uint32_t)(c - h->calls), last = (uint32_t)h->ncalls - 1;

	/* Out of step (out of memory): the next look-up rebuilds it. */
	if (h->ix_call.n == h->ncalls &&
	    qh_index_del(&h->ix_call, c->key, i) && i != last)
		(void)qh_index_move(&h->ix_call, h->calls[last].key, last, i);
	*c = h->calls[last];
	h->ncalls--;
}

static void call_forget(struct queue_host *h, uint64_t key)
{
	struct qh_call *c = qh_call_find(h, key);

	if (c)
		qh_call_drop(h, c);
}

void qh_publish(struct queue_host *h, const struct report_event *ev,
		const char *call_id, const char *reason)
{
	const char *subject = ev->type == REPORT_EV_AGENT_STATE ? ev->agent :
		call_id && *call_id ? call_id : ev->queue ? ev->queue : "";

	bus_publish(h->o.bus, queue_ev_type(ev->type), subject, ev->ts_ms,
		    queue_ev_json(ev, call_id, reason));
}

/* Maps action a with ctx and publishes its events with the call's id. */
static void publish_action(struct queue_host *h, const struct acd_action *a,
			   const struct kpimap_ctx *ctx, const char *call_id,
			   const char *reason)
{
	struct report_event ev[KPIMAP_MAX_EVENTS];
	size_t n = 0;

	(void)kpimap_action(a, ctx, ev, &n);
	for (size_t i = 0; i < n; i++)
		qh_publish(h, &ev[i], call_id, ev[i].type ==
			   REPORT_EV_WRAPUP_END ? NULL : reason);
}

/* The router's callback: copy, do later. */
static void emit(void *arg, const struct acd_action *a)
{
	struct queue_host *h = arg;
	struct qh_pending *p;

	if (h->npend == h->cappend) {
		size_t cap = h->cappend ? h->cappend * 2 : 16;
		p = realloc(h->pend, cap * sizeof(*p));
		if (!p) {
			/* The router cannot be told; losing an action would
			 * strand a call or an agent. */
			log_error("queue.oom", "action=%d", (int)a->kind);
			abort();
		}
		h->pend = p;
		h->cappend = cap;
	}
	p = &h->pend[h->npend++];
	p->a = *a;
	util_strlcpy(p->reason, a->reason ? a->reason : "", sizeof(p->reason));
	if (a->dest)
		p->dest = *a->dest;
	p->a.reason = NULL;
	p->a.dest = NULL;
}

static void do_offer(struct queue_host *h, const struct acd_action *a,
		     int64_t now)
{
	struct qh_call *c = qh_call_find(h, a->call_id);
	struct qh_agent *ag = qh_agent_by_id(h, a->agent_id);
	struct report_event ev;
	int err;

	if (!c || !ag)
		return;
	ag->ring_at = a->at_ms;
	publish_action(h, a, &(struct kpimap_ctx){
		.queue = c->queue, .agent = ag->ext}, c->id, NULL);
	err = call_offer(h->o.calls, a->call_id, ag->ext);
	if (!err)
		return;
	log_info("queue.offer_failed", "call=%s agent=%s err=%s", c->id,
		 ag->ext, strerror(err));
	/* A phone that cannot be rung is a ring that went unanswered. */
	ev = (struct report_event){
		.type = REPORT_EV_RING_NOANSWER, .ts_ms = a->at_ms,
		.queue = c->queue, .agent = ag->ext,
		.enter_ms = a->at_ms - a->waited_ms,
	};
	qh_publish(h, &ev, c->id, err == ENODEV ? "not-registered" :
		   "unreachable");
	(void)acd_offer_rejected(h->acd, a->call_id, a->agent_id, now);
}

static void do_cancel(struct queue_host *h, const struct qh_pending *p)
{
	struct acd_action a = p->a;
	struct qh_call *c = qh_call_find(h, a.call_id);
	struct qh_agent *ag = qh_agent_by_id(h, a.agent_id);

	if (!ag)
		return;
	(void)call_offer_cancel(h->o.calls, a.call_id, ag->ext);
	a.reason = p->reason;
	publish_action(h, &a, &(struct kpimap_ctx){
		.queue = c ? c->queue : NULL, .agent = ag->ext,
		.enter_ms = c ? c->enter_ms : 0}, c ? c->id : NULL, p->reason);
}

static void do_overflow(struct queue_host *h, const struct qh_pending *p)
{
	struct acd_action a = p->a;
	struct qh_call *c = qh_call_find(h, a.call_id);
	struct qh_queue *to = p->dest.kind == ACD_DEST_QUEUE ?
		qh_queue_by_id(h, p->dest.queue_id) : NULL;
	struct report_event ev;
	struct qh_queue *from;

	if (!c)
		return;
	from = qh_queue_by_name(h, c->queue);
	a.reason = p->reason;
	publish_action(h, &a, &(struct kpimap_ctx){.queue = c->queue}, c->id,
		       p->reason);
	if (to) {
		util_strlcpy(c->queue, to->cfg.name, sizeof(c->queue));
		c->enter_ms = a.at_ms;
		ev = kpimap_enter(c->queue, a.at_ms, true);
		qh_publish(h, &ev, c->id, p->reason);
		return;
	}
	if (p->dest.kind == ACD_DEST_EXTENSION) {
		qh_overflow_extension(h, a.call_id, p->dest.target);
		return;
	}
	if (p->dest.kind == ACD_DEST_VOICEMAIL) {
		int err = call_queue_voicemail(h->o.calls, a.call_id,
					       p->dest.target);
		if (!err) {
			call_forget(h, a.call_id);
			return;
		}
		log_warn("queue.voicemail", "call=%s box=%s err=%s", c->id,
			 p->dest.target, strerror(err));
	}
	/* The queue's goodbye prompt, if it has one, then BYE. */
	(void)call_queue_hangup(h->o.calls, a.call_id, "overflow",
				from ? from->goodbye : NULL,
				from ? from->goodbye_ms : 0);
}

static void do_state(struct queue_host *h, const struct qh_pending *p,
		     int64_t now)
{
	struct acd_action a = p->a;
	struct qh_agent *ag = qh_agent_by_id(h, a.agent_id);
	enum report_agent_state to = kpimap_state(a.to);

	if (!ag)
		return;
	a.reason = p->reason;
	publish_action(h, &a, &(struct kpimap_ctx){
		.agent = ag->ext, .since_ms = ag->since,
		.wrap_at_ms = ag->wrap_at, .wrap_queue = ag->last_queue,
		.wrap_enter_ms = ag->last_enter}, NULL, p->reason);
	if (to == REPORT_AGENT_WRAPUP)
		ag->wrap_at = a.at_ms;
	ag->rstate = to;
	ag->since = a.at_ms;
	qh_save_agent(h, ag->id, now);
	log_info("agent.state", "agent=%s from=%s to=%s reason=%s", ag->ext,
		 acd_state_name(a.from), acd_state_name(a.to), p->reason);
}

static void on_tick(void *arg);

static void rearm(struct queue_host *h, int64_t now)
{
	int64_t at = acd_next_deadline(h->acd);

	if (at == ACD_NEVER) {
		tmr_cancel(h->tick);
		return;
	}
	tmr_start(h->tick, at > now ? (uint64_t)(at - now) : 0, on_tick, h);
}

void qh_drain(struct queue_host *h)
{
	qh_drain_at(h, util_now_ms());
}

void qh_drain_at(struct queue_host *h, int64_t now)
{
	if (h->draining)
		return;
	h->draining = true;
	for (size_t i = 0; i < h->npend; i++) {
		struct qh_pending p = h->pend[i];   /* the array may grow */

		switch (p.a.kind) {
		case ACD_ACT_OFFER:       do_offer(h, &p.a, now); break;
		case ACD_ACT_CANCEL:      do_cancel(h, &p);       break;
		case ACD_ACT_OVERFLOW:    do_overflow(h, &p);     break;
		case ACD_ACT_AGENT_STATE: do_state(h, &p, now);   break;
		}
	}
	h->npend = 0;
	h->draining = false;
	rearm(h, now);
}

static void on_tick(void *arg)
{
	struct queue_host *h = arg;
	int64_t now = util_now_ms();

	(void)acd_tick(h->acd, now);
	qh_drain_at(h, now);
}

void qh_checkpoint(struct queue_host *h, int64_t now)
{
	for (size_t i = 0; i < h->nagents; i++) {
		struct qh_agent *ag = &h->agents[i];
		struct report_event ev;

		if (kpimap_checkpoint(ag->ext, ag->rstate, ag->since, now, &ev))
			continue;
		qh_publish(h, &ev, NULL, "checkpoint");
		ag->since = now;
	}
}

static void on_flush(void *arg)
{
	struct queue_host *h = arg;
	int64_t now = util_now_ms();
	int64_t interval = now - now % REPORT_INTERVAL_MS;

	if (interval != h->checkpoint_at) {
		qh_checkpoint(h, now);
		h->checkpoint_at = interval;
	}
	if (now / DAY_MS != h->day) {
		h->day = now / DAY_MS;
		(void)acd_counters_reset(h->acd, now);
		qh_drain_at(h, now);
		for (size_t i = 0; i < h->nagents; i++)
			qh_save_agent(h, h->agents[i].id, now);
	}
	qh_flush_buckets(h, now);
	tmr_start(h->flush, h->o.flush_ms, on_flush, h);
}

/* The KPI fold reads the same bus events the event log stores. */
static void on_report_bus(const struct bus_event *ev, void *arg)
{
	struct queue_host *h = arg;
	struct report_event rev;

	if (queue_ev_parse(ev->id, ev->data, &rev))
		return;
	rev.ts_ms = ev->ts_ms;
	if (report_fold(h->rs, &rev))
		log_warn("queue.fold", "type=%s subject=%s refused", ev->type,
			 ev->subject);
}

/* ---- the call manager's hooks ---- */

static bool offered_now(const struct queue_host *h, uint64_t key)
{
	for (size_t i = 0; i < h->npend; i++)
		if (h->pend[i].a.kind == ACD_ACT_OFFER &&
		    h->pend[i].a.call_id == key)
			return true;
	return false;
}

static int on_enter(void *arg, uint64_t key, const char *queue,
		    int32_t priority, const char *call_id, const char *caller)
{
	struct queue_host *h = arg;
	struct qh_queue *q = qh_queue_by_name(h, queue);
	int64_t now = util_now_ms();
	struct report_event ev;
	struct qh_call *c;
	int err;

	if (!q)
		return ENOENT;
	if (h->ncalls == h->capcalls) {
		size_t cap = h->capcalls ? h->capcalls * 2 : 16;
		c = realloc(h->calls, cap * sizeof(*c));
		if (!c)
			return ENOMEM;
		h->calls = c;
		h->capcalls = cap;
	}
	c = &h->calls[h->ncalls++];
	*c = (struct qh_call){.key = key, .enter_ms = now};
	if (h->ix_call.n + 1 == h->ncalls)
		(void)qh_index_put(&h->ix_call, key, (uint32_t)(h->ncalls - 1));
	util_strlcpy(c->id, call_id, sizeof(c->id));
	util_strlcpy(c->caller, caller ? caller : "", sizeof(c->caller));
	util_strlcpy(c->queue, queue, sizeof(c->queue));
	err = acd_call_enqueue(h->acd, q->id, key, priority, caller, now);
	if (err) {
		qh_call_drop(h, &h->calls[h->ncalls - 1]);
		qh_drain_at(h, now);
		return err;
	}
	ev = kpimap_enter(q->cfg.name, now, !offered_now(h, key));
	qh_publish(h, &ev, call_id, NULL);
	qh_drain_at(h, now);
	return 0;
}

static void on_answered(void *arg, uint64_t key, const char *agent)
{
	struct queue_host *h = arg;
	struct qh_call *c = qh_call_find(h, key);
	struct qh_agent *ag = qh_agent_by_ext(h, agent);
	int64_t now = util_now_ms();
	struct report_event ev;

	if (!c || !ag)
		return;
	c->answer_ms = now;
	c->agent = ag->id;
	if (c->caller[0])
		(void)queue_sticky_put(h->sticky, c->caller, ag->id, now);
	ev = kpimap_answer(c->queue, c->enter_ms, ag->ext, ag->ring_at, now);
	if (acd_offer_answered(h->acd, key, ag->id, now))
		log_warn("queue.answer", "call=%s agent=%s: router refused",
			 c->id, agent);
	qh_publish(h, &ev, c->id, NULL);
	qh_drain_at(h, now);
}

static void on_missed(void *arg, uint64_t key, const char *agent,
		      const char *why)
{
	struct queue_host *h = arg;
	struct qh_call *c = qh_call_find(h, key);
	struct qh_agent *ag = qh_agent_by_ext(h, agent);
	int64_t now = util_now_ms();
	struct report_event ev = {
		.type = REPORT_EV_RING_NOANSWER, .ts_ms = now,
	};

	if (!c || !ag)
		return;
	ev.queue = c->queue;
	ev.agent = ag->ext;
	ev.enter_ms = c->enter_ms;
	qh_publish(h, &ev, c->id, why);
	(void)acd_offer_rejected(h->acd, key, ag->id, now);
	qh_drain_at(h, now);
}

static void on_left(void *arg, uint64_t key, enum call_q_end how)
{
	struct queue_host *h = arg;
	struct qh_call *c = qh_call_find(h, key);
	struct qh_agent *ag;
	int64_t now = util_now_ms();
	struct report_event ev;

	if (!c)
		return;
	if (how == CALL_Q_COMPLETED && (ag = qh_agent_by_id(h, c->agent))) {
		ev = kpimap_complete(c->queue, c->enter_ms, ag->ext, now -
				     c->answer_ms - qh_hold_close(h, c, now),
				     now);
		util_strlcpy(ag->last_queue, c->queue, sizeof(ag->last_queue));
		util_strlcpy(ag->wrap_call, c->id, sizeof(ag->wrap_call));
		ag->last_enter = c->enter_ms;
		(void)acd_call_ended(h->acd, key, now);
		qh_publish(h, &ev, c->id, NULL);
	} else if (!acd_call_abandon(h->acd, key, now) &&
		   how == CALL_Q_ABANDONED) {
		ev = kpimap_abandon(c->queue, c->enter_ms, now);
		qh_publish(h, &ev, c->id, NULL);
	}
	call_forget(h, key);
	qh_drain_at(h, now);
}

static void on_blocked(void *arg, const char *queue, const char *why)
{
	struct queue_host *h = arg;
	struct qh_queue *q = qh_queue_by_name(h, queue);
	int64_t now = util_now_ms();
	struct report_event ev = {
		.type = REPORT_EV_BLOCKED, .ts_ms = now, .enter_ms = now,
	};

	if (!q)
		return;
	ev.queue = q->cfg.name;
	qh_publish(h, &ev, NULL, why);
}

/* The router's question for sticky queues: the caller's owner (as if
 * they had served them just now, so any window holds), else who served
 * caller last. */
static int last_agent(void *arg, const char *caller, uint32_t *agent_id,
		      int64_t *served_ms)
{
	struct queue_host *h = arg;
	struct qh_agent *ag;
	char ext[64];

	if (h->owner && !h->owner(h->owner_arg, caller, ext, sizeof(ext)) &&
	    (ag = qh_agent_by_ext(h, ext)) != NULL) {
		*agent_id = ag->id;
		*served_ms = util_now_ms();
		return 0;
	}
	return queue_sticky_get(h->sticky, caller, agent_id, served_ms);
}

void queue_host_set_owner(struct queue_host *h, queue_owner_h *fn, void *arg)
{
	h->owner = fn;
	h->owner_arg = arg;
}

static const struct call_queue_ops ops = {
	.enter = on_enter, .answered = on_answered, .missed = on_missed,
	.left = on_left, .blocked = on_blocked, .feature = qh_feature,
	.hold = qh_on_hold, .transferred = qh_on_transferred,
	.has_queue = qh_has_queue, .survey = qh_survey,
	.supervisors = qh_supervisors,
	.consent = qh_consent,
};

/* ---- lifetime ---- */

void queue_host_stop(struct queue_host *h)
{
	int64_t now = util_now_ms();

	if (!h)
		return;
	qh_ann_stop(h);
	if (h->o.calls)
		call_mgr_set_queue(h->o.calls, &(struct call_queue_ops){0},
				   NULL);
	if (h->acd) {
		qh_checkpoint(h, now);
		for (size_t i = 0; i < h->nagents; i++)
			qh_save_agent(h, h->agents[i].id, now);
	}
	if (h->rs)
		qh_flush_buckets(h, now);
	bus_unsubscribe(h->o.bus, on_report_bus, h);
	bus_unsubscribe(h->o.bus, qh_on_agent_bus, h);
	bus_unsubscribe(h->o.bus, qh_on_wrapup_bus, h);
	if (h->tick)
		tmr_cancel(h->tick);
	if (h->flush)
		tmr_cancel(h->flush);
	free(h->tick);
	free(h->flush);
	for (size_t i = 0; i < h->nqueues; i++)
		media_prompt_unref(h->queues[i].goodbye);
	acd_free(h->acd);
	report_set_free(h->rs);
	queue_sticky_free(h->sticky);
	queue_codes_free(&h->reasons);
	queue_codes_free(&h->wcodes);
	json_decref(h->members);
	free(h->queues);
	free(h->agents);
	free(h->calls);
	free(h->pend);
	qh_index_free(&h->ix_qname);
	qh_index_free(&h->ix_qid);
	qh_index_free(&h->ix_agent);
	qh_index_free(&h->ix_call);
	free(h);
}

int queue_host_start(struct queue_host **hp, const struct queue_opts *o,
		     char *why, size_t n)
{
	struct queue_host *h = calloc(1, sizeof(*h));
	struct acd_host ah = {.emit = emit, .last_agent = last_agent};
	int64_t now = util_now_ms();
	int err;

	if (!h)
		return ENOMEM;
	h->o = *o;
	if (!h->o.flush_ms)
		h->o.flush_ms = 5000;
	ah.arg = h;
	h->tick = calloc(1, sizeof(struct tmr));
	h->flush = calloc(1, sizeof(struct tmr));
	err = !h->tick || !h->flush ? ENOMEM :
		acd_alloc(&h->acd, &ah, (uint64_t)now);
	if (!err)
		err = report_set_alloc(&h->rs, REPORT_INTERVAL_MS);
	if (!err)
		err = queue_sticky_alloc(&h->sticky, QUEUE_STICKY_MAX);
	if (err) {
		snprintf(why, n, "out of memory");
		goto out;
	}
	tmr_init(h->tick);
	tmr_init(h->flush);
	h->day = now / DAY_MS;
	h->checkpoint_at = now - now % REPORT_INTERVAL_MS;
	err = qh_load_queues(h, why, n);
	err = err ? err : qh_goodbye_load_all(h);
	err = err ? err : qh_ann_load(h);
	err = err ? err : qh_load_agents(h, why, n);
	err = err ? err : qh_apply_members(h, why, n);
	err = err ? err : qh_restore_states(h, why, n);
	err = err ? err : qh_load_buckets(h);
	err = err ? err : qh_load_sticky(h);
	err = err ? err : qh_codes_load(h);
	err = err ? err : bus_subscribe(h->o.bus, "queue.", on_report_bus, h);
	err = err ? err : bus_subscribe(h->o.bus, bus_ev_name(BUS_AGENT_STATE),
					on_report_bus, h);
	err = err ? err : bus_subscribe(h->o.bus, "agent.", qh_on_agent_bus, h);
	err = err ? err : bus_subscribe(h->o.bus, bus_ev_name(BUS_CALL_WRAPUP),
					qh_on_wrapup_bus, h);
	err = err ? err : qh_ann_start(h);
	if (err) {
		if (!*why)
			snprintf(why, n, "%s", strerror(err));
		goto out;
	}
	if (h->o.phone_login)
		qh_login_registered(h);
	qh_drain_at(h, util_now_ms());
	call_mgr_set_queue(h->o.calls, &ops, h);
	tmr_start(h->flush, h->o.flush_ms, on_flush, h);
	*hp = h;
	return 0;
 out:
	h->o.calls = NULL;
	queue_host_stop(h);
	return err;
}
