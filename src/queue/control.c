/* queue/control: what call control does to a queue's connected calls, as
 * the report events docs/kpi.md section 2 folds:
 *
 *   agent holds      → queue.hold_start; resumes → queue.hold_stop (dur_ms)
 *   agent transfers  → queue.transfer (to: the target), then
 *                      queue.complete for the agent's part (talk without
 *                      hold); the agent goes to wrap-up as after any call
 *   overflow to an extension → the call leaves the host and rings it
 *
 * A hold still open when the call completes or is transferred is closed
 * then, so every hold_start has its hold_stop and the talk time of
 * queue.complete never counts hold twice. The call's own hold is the
 * agent's: a caller who holds is nobody's hold time (see call/hold.c). */
#include <errno.h>
#include <string.h>
#include "base/log.h"
#include "call/call.h"
#include "queue/queue_int.h"

static struct report_event call_event(enum report_ev_type type, int64_t now,
				      const struct qh_call *c,
				      const struct qh_agent *ag)
{
	return (struct report_event){
		.type = type, .ts_ms = now, .queue = c->queue,
		.agent = ag->ext, .enter_ms = c->enter_ms,
	};
}

/* The call and its connected agent, or false. */
static bool connected(struct queue_host *h, uint64_t key, struct qh_call **c,
		      struct qh_agent **ag)
{
	*c = qh_call_find(h, key);
	*ag = *c && (*c)->agent ? qh_agent_by_id(h, (*c)->agent) : NULL;
	return *ag != NULL;
}

int64_t qh_hold_close(struct queue_host *h, struct qh_call *c, int64_t now)
{
	struct qh_agent *ag = qh_agent_by_id(h, c->agent);
	struct report_event ev;

	if (!c->hold_at || !ag)
		return c->hold_ms;
	ev = call_event(REPORT_EV_HOLD_STOP, now, c, ag);
	ev.dur_ms = now > c->hold_at ? now - c->hold_at : 0;
	c->hold_ms += ev.dur_ms;
	c->hold_at = 0;
	qh_publish(h, &ev, c->id, NULL);
	return c->hold_ms;
}

void qh_on_hold(void *arg, uint64_t key, bool on, int64_t at_ms)
{
	struct queue_host *h = arg;
	struct qh_agent *ag;
	struct qh_call *c;
	struct report_event ev;

	if (!connected(h, key, &c, &ag))
		return;
	if (!on) {
		(void)qh_hold_close(h, c, at_ms);
		return;
	}
	if (c->hold_at)
		return;
	c->hold_at = at_ms;
	ev = call_event(REPORT_EV_HOLD_START, at_ms, c, ag);
	qh_publish(h, &ev, c->id, NULL);
}

void qh_on_transferred(void *arg, uint64_t key, const char *target)
{
	struct queue_host *h = arg;
	struct qh_agent *ag;
	struct qh_call *c;
	int64_t now = util_now_ms(), talk;
	struct report_event ev;
	json_t *d;

	if (!connected(h, key, &c, &ag)) {
		if ((c = qh_call_find(h, key)) != NULL)
			qh_call_drop(h, c);
		return;
	}
	talk = now - c->answer_ms - qh_hold_close(h, c, now);
	ev = call_event(REPORT_EV_TRANSFER, now, c, ag);
	d = queue_ev_json(&ev, c->id, NULL);
	if (d)
		json_object_set_new(d, "to", json_string(target));
	bus_publish(h->o.bus, queue_ev_type(ev.type), c->id, now, d);
	ev = call_event(REPORT_EV_COMPLETE, now, c, ag);
	ev.dur_ms = talk > 0 ? talk : 0;
	qh_publish(h, &ev, c->id, "transfer");
	util_strlcpy(ag->last_queue, c->queue, sizeof(ag->last_queue));
	util_strlcpy(ag->wrap_call, c->id, sizeof(ag->wrap_call));
	ag->last_enter = c->enter_ms;
	(void)acd_call_ended(h->acd, key, now);
	log_info("queue.transfer", "call=%s queue=%s agent=%s to=%s", c->id,
		 c->queue, ag->ext, target);
	qh_call_drop(h, c);
	qh_drain(h);
}

bool qh_has_queue(void *arg, const char *name)
{
	return qh_queue_by_name(arg, name) != NULL;
}

const char *qh_supervisors(void *arg, const char *name)
{
	const struct qh_queue *q = qh_queue_by_name(arg, name);

	return q && q->cfg.supervisors[0] ? q->cfg.supervisors : NULL;
}

const char *qh_survey(void *arg, const char *name)
{
	const struct qh_queue *q = qh_queue_by_name(arg, name);

	return q && q->cfg.survey[0] ? q->cfg.survey : NULL;
}

bool qh_consent(void *arg, const char *name, const char **text,
		const char **file)
{
	const struct qh_queue *q = qh_queue_by_name(arg, name);

	if (!q || (!q->cfg.consent_text[0] && !q->cfg.consent_file[0]))
		return false;
	*text = q->cfg.consent_text;
	*file = q->cfg.consent_file;
	return true;
}

void qh_overflow_extension(struct queue_host *h, uint64_t key,
			   const char *ext)
{
	struct qh_call *c = qh_call_find(h, key);
	char id[UTIL_ID_LEN] = "";
	int err;

	if (c) {
		util_strlcpy(id, c->id, sizeof(id));
		qh_call_drop(h, c);
	}
	err = call_redirect(h->o.calls, key, ext);
	if (!err)
		return;
	log_info("queue.overflow_failed", "call=%s ext=%s err=%s", id, ext,
		 strerror(err));
	(void)call_queue_drop(h->o.calls, key, "overflow");
}
