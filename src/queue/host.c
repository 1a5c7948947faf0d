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
#include "media/media.h"
#include "queue/queue_int.h"

enum { DAY_MS = 86400000 };

struct qh_queue *qh_queue_by_name(struct queue_host *h, const char *name)
{
	for (size_t i = 0; name && i < h->nqueues; i++)
		if (!strcmp(h->queues[i].cfg.name, name))
			return &h->queues[i];
	return NULL;
}

struct qh_queue *qh_queue_by_id(struct queue_host *h, uint32_t id)
{
	for (size_t i = 0; i < h->nqueues; i++)
		if (h->queues[i].id == id)
			return &h->queues[i];
	return NULL;
}

struct qh_agent *qh_agent_by_id(struct queue_host *h, uint32_t id)
{
	for (size_t i = 0; i < h->nagents; i++)
		if (h->agents[i].id == id)
			return &h->agents[i];
	return NULL;
}

struct qh_agent *qh_agent_by_ext(struct queue_host *h, const char *ext)
{
	uint32_t id;

	return queue_agent_id(ext, &id) ? NULL : qh_agent_by_id(h, id);
}

struct qh_call *qh_call_find(struct queue_host *h, uint64_t key)
{
	for (size_t i = 0; i < h->ncalls; i++)
		if (h->calls[i].key == key)
			return &h->calls[i];
	return NULL;
}

static void call_forget(struct queue_host *h, uint64_t key)
{
	struct qh_call *c = qh_call_find(h, key);

	if (c)
		*c = h->calls[--h->ncalls];
}

void qh_publish(struct queue_host *h, const struct report_event *ev,
		const char *call_id, const char *reason)
{
	const char *subject = ev->type == REPORT_EV_AGENT_STATE ? ev->agent :
		call_id && *call_id ? call_id : ev->queue ? ev->queue : "";

	bus_publish(h->o.bus, queue_ev_type(ev->type), subject, ev->ts_ms,
		    queue_ev_json(ev, call_id, reason));
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

static void do_offer(struct queue_host *h, const struct acd_action *a)
{
	struct qh_call *c = qh_call_find(h, a->call_id);
	struct qh_agent *ag = qh_agent_by_id(h, a->agent_id);
	struct report_event ev = {
		.type = REPORT_EV_OFFER, .ts_ms = a->at_ms,
		.queue = c ? c->queue : "", .agent = ag ? ag->ext : "",
		.enter_ms = a->at_ms - a->waited_ms,
	};
	int err;

	if (!c || !ag)
		return;
	ag->ring_at = a->at_ms;
	qh_publish(h, &ev, c->id, NULL);
	err = call_offer(h->o.calls, a->call_id, ag->ext);
	if (!err)
		return;
	log_info("queue.offer_failed", "call=%s agent=%s err=%s", c->id,
		 ag->ext, strerror(err));
	ev.type = REPORT_EV_RING_NOANSWER;
	qh_publish(h, &ev, c->id, err == ENODEV ? "not-registered" :
		   "unreachable");
	(void)acd_offer_rejected(h->acd, a->call_id, a->agent_id,
				 util_now_ms());
}

static void do_cancel(struct queue_host *h, const struct qh_pending *p)
{
	const struct acd_action *a = &p->a;
	struct qh_call *c = qh_call_find(h, a->call_id);
	struct qh_agent *ag = qh_agent_by_id(h, a->agent_id);
	struct report_event ev = {
		.type = REPORT_EV_RING_NOANSWER, .ts_ms = a->at_ms,
		.queue = c ? c->queue : "", .agent = ag ? ag->ext : "",
		.enter_ms = c ? c->enter_ms : 0,
	};

	if (!ag)
		return;
	(void)call_offer_cancel(h->o.calls, a->call_id, ag->ext);
	/* Abandoned or withdrawn for the agent's own state change: not a
	 * ring that went unanswered. */
	if (c && !strcmp(p->reason, "timeout"))
		qh_publish(h, &ev, c->id, p->reason);
}

static void do_overflow(struct queue_host *h, const struct qh_pending *p)
{
	const struct acd_action *a = &p->a;
	struct qh_call *c = qh_call_find(h, a->call_id);
	struct qh_queue *to = p->dest.kind == ACD_DEST_QUEUE ?
		qh_queue_by_id(h, p->dest.queue_id) : NULL;
	struct report_event ev = {
		.type = REPORT_EV_OVERFLOW, .ts_ms = a->at_ms,
		.enter_ms = a->at_ms - a->waited_ms,
	};
	struct qh_queue *from;

	if (!c)
		return;
	from = qh_queue_by_name(h, c->queue);
	ev.queue = c->queue;
	qh_publish(h, &ev, c->id, p->reason);
	if (to) {
		util_strlcpy(c->queue, to->cfg.name, sizeof(c->queue));
		c->enter_ms = a->at_ms;
		ev = (struct report_event){
			.type = REPORT_EV_ENTER, .ts_ms = a->at_ms,
			.queue = c->queue, .enter_ms = a->at_ms,
			.flags = REPORT_EVF_QUEUED,
		};
		qh_publish(h, &ev, c->id, p->reason);
		return;
	}
	if (p->dest.kind == ACD_DEST_EXTENSION) {
		qh_overflow_extension(h, a->call_id, p->dest.target);
		return;
	}
	if (p->dest.kind == ACD_DEST_VOICEMAIL) {
		int err = call_queue_voicemail(h->o.calls, a->call_id,
					       p->dest.target);
		if (!err) {
			call_forget(h, a->call_id);
			return;
		}
		log_warn("queue.voicemail", "call=%s box=%s err=%s", c->id,
			 p->dest.target, strerror(err));
	}
	/* The queue's goodbye prompt, if it has one, then BYE. */
	(void)call_queue_hangup(h->o.calls, a->call_id, "overflow",
				from ? from->goodbye : NULL,
				from ? from->goodbye_ms : 0);
}

static void do_state(struct queue_host *h, const struct qh_pending *p)
{
	const struct acd_action *a = &p->a;
	struct qh_agent *ag = qh_agent_by_id(h, a->agent_id);
	struct report_event ev = {
		.type = REPORT_EV_AGENT_STATE, .ts_ms = a->at_ms,
		.state = queue_report_state(a->to),
		.prev_state = queue_report_state(a->from),
	};

	if (!ag)
		return;
	ev.agent = ag->ext;
	ev.dur_ms = a->at_ms > ag->since ? a->at_ms - ag->since : 0;
	if (ev.dur_ms > REPORT_MAX_STATE_MS)
		ev.dur_ms = REPORT_MAX_STATE_MS;
	qh_publish(h, &ev, NULL, p->reason);
	if (ev.prev_state == REPORT_AGENT_WRAPUP && ag->last_queue[0]) {
		ev = (struct report_event){
			.type = REPORT_EV_WRAPUP_END, .ts_ms = a->at_ms,
			.queue = ag->last_queue, .agent = ag->ext,
			.enter_ms = ag->last_enter,
			.dur_ms = a->at_ms - ag->wrap_at,
		};
		qh_publish(h, &ev, NULL, NULL);
	}
	if (queue_report_state(a->to) == REPORT_AGENT_WRAPUP)
		ag->wrap_at = a->at_ms;
	ag->rstate = queue_report_state(a->to);
	ag->since = a->at_ms;
	qh_save_agent(h, ag->id);
	log_info("agent.state", "agent=%s from=%s to=%s reason=%s", ag->ext,
		 acd_state_name(a->from), acd_state_name(a->to), p->reason);
}

static void on_tick(void *arg);

static void rearm(struct queue_host *h)
{
	int64_t at = acd_next_deadline(h->acd), now = util_now_ms();

	if (at == ACD_NEVER) {
		tmr_cancel(h->tick);
		return;
	}
	tmr_start(h->tick, at > now ? (uint64_t)(at - now) : 0, on_tick, h);
}

void qh_drain(struct queue_host *h)
{
	if (h->draining)
		return;
	h->draining = true;
	for (size_t i = 0; i < h->npend; i++) {
		struct qh_pending p = h->pend[i];   /* the array may grow */

		switch (p.a.kind) {
		case ACD_ACT_OFFER:       do_offer(h, &p.a);   break;
		case ACD_ACT_CANCEL:      do_cancel(h, &p);    break;
		case ACD_ACT_OVERFLOW:    do_overflow(h, &p);  break;
		case ACD_ACT_AGENT_STATE: do_state(h, &p);     break;
		}
	}
	h->npend = 0;
	h->draining = false;
	rearm(h);
}

static void on_tick(void *arg)
{
	struct queue_host *h = arg;

	(void)acd_tick(h->acd, util_now_ms());
	qh_drain(h);
}

void qh_checkpoint(struct queue_host *h, int64_t now)
{
	for (size_t i = 0; i < h->nagents; i++) {
		struct qh_agent *ag = &h->agents[i];
		struct report_event ev = {
			.type = REPORT_EV_AGENT_STATE, .ts_ms = now,
			.agent = ag->ext, .state = ag->rstate,
			.prev_state = ag->rstate,
			.dur_ms = now > ag->since ? now - ag->since : 0,
		};
		if (ag->rstate == REPORT_AGENT_LOGGED_OUT)
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
		qh_drain(h);
		for (size_t i = 0; i < h->nagents; i++)
			qh_save_agent(h, h->agents[i].id);
	}
	qh_flush_buckets(h);
	tmr_start(h->flush, h->o.flush_ms, on_flush, h);
}

/* The KPI fold reads the same bus events the event log stores. */
static void on_report_bus(const struct bus_event *ev, void *arg)
{
	struct queue_host *h = arg;
	struct report_event rev;

	if (queue_ev_parse(ev->type, ev->data, &rev))
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
	struct report_event ev = {
		.type = REPORT_EV_ENTER, .ts_ms = now, .enter_ms = now,
	};
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
	util_strlcpy(c->id, call_id, sizeof(c->id));
	util_strlcpy(c->caller, caller ? caller : "", sizeof(c->caller));
	util_strlcpy(c->queue, queue, sizeof(c->queue));
	err = acd_call_enqueue(h->acd, q->id, key, priority, caller, now);
	if (err) {
		call_forget(h, key);
		qh_drain(h);
		return err;
	}
	ev.queue = q->cfg.name;
	ev.flags = offered_now(h, key) ? 0 : REPORT_EVF_QUEUED;
	qh_publish(h, &ev, call_id, NULL);
	qh_drain(h);
	return 0;
}

static void on_answered(void *arg, uint64_t key, const char *agent)
{
	struct queue_host *h = arg;
	struct qh_call *c = qh_call_find(h, key);
	struct qh_agent *ag = qh_agent_by_ext(h, agent);
	int64_t now = util_now_ms();
	struct report_event ev = {.type = REPORT_EV_ANSWER, .ts_ms = now};

	if (!c || !ag)
		return;
	c->answer_ms = now;
	c->agent = ag->id;
	if (c->caller[0])
		(void)queue_sticky_put(h->sticky, c->caller, ag->id, now);
	ev.queue = c->queue;
	ev.agent = ag->ext;
	ev.enter_ms = c->enter_ms;
	ev.ring_ms = now - ag->ring_at;
	if (acd_offer_answered(h->acd, key, ag->id, now))
		log_warn("queue.answer", "call=%s agent=%s: router refused",
			 c->id, agent);
	qh_publish(h, &ev, c->id, NULL);
	qh_drain(h);
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
	qh_drain(h);
}

static void on_left(void *arg, uint64_t key, enum call_q_end how)
{
	struct queue_host *h = arg;
	struct qh_call *c = qh_call_find(h, key);
	struct qh_agent *ag;
	int64_t now = util_now_ms();
	struct report_event ev = {.ts_ms = now};

	if (!c)
		return;
	ev.queue = c->queue;
	ev.enter_ms = c->enter_ms;
	if (how == CALL_Q_COMPLETED && (ag = qh_agent_by_id(h, c->agent))) {
		ev.type = REPORT_EV_COMPLETE;
		ev.agent = ag->ext;
		ev.dur_ms = now - c->answer_ms - qh_hold_close(h, c, now);
		util_strlcpy(ag->last_queue, c->queue, sizeof(ag->last_queue));
		ag->last_enter = c->enter_ms;
		(void)acd_call_ended(h->acd, key, now);
		qh_publish(h, &ev, c->id, NULL);
	} else if (!acd_call_abandon(h->acd, key, now) &&
		   how == CALL_Q_ABANDONED) {
		ev.type = REPORT_EV_ABANDON;
		qh_publish(h, &ev, c->id, NULL);
	}
	call_forget(h, key);
	qh_drain(h);
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

/* The router's question for sticky queues: who served caller last. */
static int last_agent(void *arg, const char *caller, uint32_t *agent_id,
		      int64_t *served_ms)
{
	struct queue_host *h = arg;

	return queue_sticky_get(h->sticky, caller, agent_id, served_ms);
}

static const struct call_queue_ops ops = {
	.enter = on_enter, .answered = on_answered, .missed = on_missed,
	.left = on_left, .blocked = on_blocked, .feature = qh_feature,
	.hold = qh_on_hold, .transferred = qh_on_transferred,
	.has_queue = qh_has_queue,
};

/* ---- lifetime ---- */

void queue_host_stop(struct queue_host *h)
{
	if (!h)
		return;
	qh_ann_stop(h);
	if (h->o.calls)
		call_mgr_set_queue(h->o.calls, &(struct call_queue_ops){0},
				   NULL);
	if (h->acd) {
		qh_checkpoint(h, util_now_ms());
		for (size_t i = 0; i < h->nagents; i++)
			qh_save_agent(h, h->agents[i].id);
	}
	if (h->rs)
		qh_flush_buckets(h);
	bus_unsubscribe(h->o.bus, on_report_bus, h);
	bus_unsubscribe(h->o.bus, qh_on_agent_bus, h);
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
	free(h->queues);
	free(h->agents);
	free(h->calls);
	free(h->pend);
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
	err = err ? err : bus_subscribe(h->o.bus, "queue.", on_report_bus, h);
	err = err ? err : bus_subscribe(h->o.bus, "agent.state", on_report_bus,
					h);
	err = err ? err : bus_subscribe(h->o.bus, "agent.", qh_on_agent_bus, h);
	err = err ? err : qh_ann_start(h);
	if (err) {
		if (!*why)
			snprintf(why, n, "%s", strerror(err));
		goto out;
	}
	if (h->o.phone_login)
		qh_login_registered(h);
	qh_drain(h);
	call_mgr_set_queue(h->o.calls, &ops, h);
	tmr_start(h->flush, h->o.flush_ms, on_flush, h);
	*hp = h;
	return 0;
 out:
	h->o.calls = NULL;
	queue_host_stop(h);
	return err;
}
