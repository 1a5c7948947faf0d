/* call/redirect: the "redirect" app, an answered caller taken to an
 * extension: after a blind transfer (transfer.c) or when a queue
 * overflows to an extension (call_redirect). A fresh agent leg rings the
 * target on the caller's media thread, as call_offer does for queued
 * calls, while the caller hears ringback (or music).
 *
 * When the target does not answer in ring_timeout_ms or refuses, a call
 * that came through a queue goes back into that queue (the caller is not
 * dropped because one phone was busy); any other call ends (hangup_by
 * system, cause no-answer or the phone's SIP status). An overflow to an
 * extension has no queue to go back to (that queue just gave up on it) and
 * ends the same way. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

/* Rings ext for the answered caller, who hears ringback or music. */
static int take(struct call *c, const char *ext)
{
	struct call_mgr *m = c->mgr;
	struct media_prompt *p = m->o.ringback ? m->o.ringback : m->o.moh;
	int err = media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
				  &c->agent_leg);

	if (err)
		return err;
	util_strlcpy(c->rec.agent, ext, sizeof(c->rec.agent));
	err = call_ring_agent(c, ext);
	if (err) {
		call_agent_release(c);
		c->rec.agent[0] = '\0';
		return err;
	}
	call_app_enter(c, &call_app_redirect);
	c->announcing = false;   /* the ringback takes its place, no end */
	if (p)
		(void)media_leg_play(c->cust.media, p, true);
	cdr_ringing(&c->rec);
	if (m->o.ring_timeout_ms)
		call_app_timer(c, m->o.ring_timeout_ms);
	log_info("call.redirect", "id=%s ext=%s fallback=%s", c->rec.id, ext,
		 c->fallback[0] ? c->fallback : "-");
	return 0;
}

static void answered(struct call *c, struct leg *l)
{
	(void)l;
	media_leg_stop(c->cust.media);
	c->fallback[0] = '\0';
	call_connected(c);
}

void call_redirect_failed(struct call *c, const char *cause)
{
	char queue[sizeof(c->fallback)];

	tmr_cancel(&c->tmr);
	log_info("call.redirect_failed", "id=%s ext=%s cause=%s", c->rec.id,
		 c->rec.agent, cause);
	call_agent_release(c);
	util_strlcpy(queue, c->fallback, sizeof(queue));
	if (queue[0] && !call_app_queue.take(c, queue))
		return;
	call_end(c, "system", cause);
}

static void agent_closed(struct call *c, struct leg *l, int err, uint16_t code)
{
	char cause[16];
	(void)l;
	(void)err;

	snprintf(cause, sizeof(cause), "%u", code);
	call_redirect_failed(c, cause);
}

static void timeout(struct call *c)
{
	call_redirect_failed(c, "no-answer");
}

const struct call_app call_app_redirect = {
	.name = "redirect",
	.take = take,
	.answered = answered,
	.agent_closed = agent_closed,
	.timeout = timeout,
};

int call_redirect(struct call_mgr *m, uint64_t key, const char *ext)
{
	struct call *c = NULL;
	int err;

	for (struct le *le = list_head(&m->calls); le && !c; le = le->next) {
		struct call *x = le->data;
		if (x->key == key && x->queued)
			c = x;
	}
	if (!c)
		return ENOENT;
	if (c->app != &call_app_queue || c->leaving || c->agent_leg.sess)
		return EBUSY;
	c->queued = false;
	c->fallback[0] = '\0';
	err = call_app_redirect.take(c, ext);
	if (err)
		c->queued = true;
	return err;
}
