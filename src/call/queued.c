/* call/queued: the "queue" app, calls that reach a queue.
 *
 * A queue DID answers the caller at once (200 with our SDP) and plays music
 * on hold; the queue host (call_queue_ops) then rings agents through
 * call_offer: one after another, or several at once (ring-all). Every
 * offer is a ring of its own (struct ring): a dialog and a media leg on the
 * customer leg's media thread, torn down when that phone refuses or the
 * host cancels it. The first phone to answer wins: its leg becomes the
 * call's agent leg, every other ring is released at that moment (libre
 * sends CANCEL; a 200 OK that crosses the CANCEL is acknowledged and hung
 * up with BYE, since the dialog is already gone for us), the music stops
 * and the call moves to the talk app, as a direct call does.
 *
 * A caller answered already (a transfer to a queue, a redirect that failed)
 * is taken in as a new arrival (take: queue.enter under a new key).
 *
 * Either way a recording consent prompt (the DID's, else the queue's, once
 * per call) may come first: the caller hears it, and only then enters the
 * queue (call_queue_enter; consent.c says why).
 *
 * A queue that gives up on a caller may say goodbye first
 * (call_queue_hangup): the host hears that the call left, the caller hears
 * the prompt once and then BYE, when its prompt-end event comes or the
 * app's timer runs out.
 *
 * The queue host may have an announcement played to a waiting caller
 * (call_announce): it takes the music's place until its prompt-end event,
 * then the music starts again; an answer stops it like the music. The
 * host leaves it to other apps through call_redirect (redirect.c) and
 * call_queue_voicemail (voicemail.c). */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

enum { GOODBYE_SLACK_MS = 2000 };  /* BYE this long after a goodbye prompt
				   * should have ended, if its end is lost */

/* ---- rings: the phones a queued call rings ---- */

static void ring_destroy(void *arg)
{
	struct ring *r = arg;

	list_unlink(&r->le);
	r->leg.sess = mem_deref(r->leg.sess);   /* CANCEL, or BYE */
	media_leg_close(r->leg.media);
}

/* The ring still ringing agent, or NULL. */
static struct ring *ring_find(struct call *c, const char *agent)
{
	for (struct le *le = list_head(&c->rings); le; le = le->next) {
		struct ring *r = le->data;
		if (!r->leg.moved && !strcmp(r->agent, agent))
			return r;
	}
	return NULL;
}

/* The ring whose leg is l, or NULL. */
static struct ring *ring_of(struct call *c, const struct leg *l)
{
	for (struct le *le = list_head(&c->rings); le; le = le->next) {
		struct ring *r = le->data;
		if (&r->leg == l)
			return r;
	}
	return NULL;
}

void call_rings_flush(struct call *c)
{
	list_flush(&c->rings);
}

static void start(struct call *c, const struct sip_msg *msg,
		  const char *queue)
{
	struct call_mgr *m = c->mgr;
	const char *reason = NULL;
	uint16_t code = 0;

	if (!m->qops.enter) {
		call_refuse(c, msg, 480, "Temporarily Unavailable (no queues)");
		return;
	}
	if (call_answer_caller(c, msg, &code, &reason)) {
		if (code == 503 && m->qops.blocked)
			m->qops.blocked(m->qarg, queue, "media");
		if (c->cust.sess) {
			(void)sipx_sess_reject(c->cust.sess, code, reason);
			c->cust.sess = mem_deref(c->cust.sess);
			mem_deref(c);
			return;
		}
		call_refuse(c, msg, code, reason);
		return;
	}
	list_append(&m->calls, &c->le, c);
	util_strlcpy(c->rec.queue, queue, sizeof(c->rec.queue));
	cdr_created(&c->rec);
	if (!call_consent_begin(c))
		call_queue_enter(c);
}

void call_queue_enter(struct call *c)
{
	struct call_mgr *m = c->mgr;
	uint64_t key = c->key;
	int err;

	if (m->o.moh)
		(void)media_leg_play(c->cust.media, m->o.moh, true);
	else
		(void)media_leg_stop(c->cust.media);
	c->queued = true;
	cdr_queued(&c->rec);
	log_info("call.queued", "id=%s from=%s to=%s queue=%s priority=%d",
		 c->rec.id, c->rec.from, c->rec.to, c->rec.queue,
		 (int)(c->priority + c->raise));
	err = m->qops.enter(m->qarg, key, c->rec.queue, c->priority + c->raise,
			    c->rec.id, c->rec.from);
	/* The host may already have dropped or redirected the call
	 * (overflow at entry). */
	if (err && (c = call_find(m, key)) != NULL && c->queued) {
		c->queued = false;
		call_end(c, "system", "queue");
	}
}

/* The caller, answered already, waits in queue with music: a new arrival
 * under a new key, with the priority they first came with. */
static int take(struct call *c, const char *queue)
{
	struct call_mgr *m = c->mgr;

	if (!m->qops.enter)
		return ENODEV;
	call_app_enter(c, &call_app_queue);
	c->key = ++m->next_key;
	c->queued = false;
	c->leaving = false;
	c->announcing = false;
	c->fallback[0] = '\0';
	c->rec.agent[0] = '\0';
	util_strlcpy(c->rec.queue, queue, sizeof(c->rec.queue));
	if (!call_consent_begin(c))
		call_queue_enter(c);
	return 0;
}

static void refused(struct call *c, const char *queue, const char *why)
{
	struct call_mgr *m = c->mgr;

	if (m->qops.blocked)
		m->qops.blocked(m->qarg, queue, why);
}

int call_offer(struct call_mgr *m, uint64_t key, const char *agent)
{
	struct call *c = call_find(m, key);
	struct cdr ringing;
	struct ring *r;
	int err;

	if (!c || !c->queued)
		return ENOENT;
	if (c->app != &call_app_queue || c->leaving || ring_find(c, agent))
		return EBUSY;
	r = mem_zalloc(sizeof(*r), ring_destroy);
	if (!r)
		return ENOMEM;
	r->leg.call = c;
	r->leg.is_agent = true;
	r->leg.sdp_id = rand_u32();
	util_strlcpy(r->agent, agent, sizeof(r->agent));
	list_append(&c->rings, &r->le, r);
	err = media_leg_alloc(&r->leg.media, m->o.media, c->shard, &r->leg);
	err = err ? err : call_ring_leg(c, &r->leg, agent);
	if (err) {
		mem_deref(r);
		return err;
	}
	/* The record names an agent only once one answers; the event names
	 * each phone rung. */
	ringing = c->rec;
	util_strlcpy(ringing.agent, agent, sizeof(ringing.agent));
	cdr_ringing(&ringing);
	log_info("call.offer", "id=%s queue=%s agent=%s rings=%u", c->rec.id,
		 c->rec.queue, agent, list_count(&c->rings));
	return 0;
}

int call_offer_cancel(struct call_mgr *m, uint64_t key, const char *agent)
{
	struct call *c = call_find(m, key);
	struct ring *r = c && c->app == &call_app_queue ?
		ring_find(c, agent) : NULL;

	if (!r)
		return ENOENT;
	mem_deref(r);    /* libre sends the CANCEL */
	return 0;
}

int call_queue_drop(struct call_mgr *m, uint64_t key, const char *cause)
{
	return call_queue_hangup(m, key, cause, NULL, 0);
}

int call_queue_hangup(struct call_mgr *m, uint64_t key, const char *cause,
		      struct media_prompt *prompt, uint32_t prompt_ms)
{
	struct call *c = call_find(m, key);

	if (!c || !c->queued || c->app != &call_app_queue)
		return ENOENT;
	if (!prompt) {
		call_end(c, "system", cause);
		return 0;
	}
	call_rings_flush(c);
	/* The caller has left the queue now, whatever the goodbye takes;
	 * leaving keeps the hook from ending the call under us. */
	if (m->qops.left) {
		c->leaving = true;
		m->qops.left(m->qarg, key, CALL_Q_DROPPED);
		c->leaving = false;
	}
	c->queued = false;
	c->announcing = false;   /* replaced by the goodbye, no end of its own */
	util_strlcpy(c->bye_cause, cause, sizeof(c->bye_cause));
	/* Played once in place of the music on hold. */
	if (media_leg_play(c->cust.media, prompt, false)) {
		call_end(c, "system", cause);
		return 0;
	}
	call_app_timer(c, (uint64_t)prompt_ms + GOODBYE_SLACK_MS);
	log_info("call.goodbye", "id=%s queue=%s cause=%s prompt_ms=%u",
		 c->rec.id, c->rec.queue, cause, prompt_ms);
	return 0;
}

int call_announce(struct call_mgr *m, uint64_t key, struct media_prompt *p)
{
	struct call *c = call_find(m, key);
	int err;

	if (!c || !c->queued || c->app != &call_app_queue || c->leaving)
		return ENOENT;
	if (list_head(&c->rings) || c->announcing)
		return EBUSY;
	err = media_leg_play(c->cust.media, p, false);
	if (err)
		return err;
	c->announcing = true;
	return 0;
}

/* A waiting caller's announcement is over: the music again. A goodbye
 * has been heard: hang up now. */
static void prompt_end(struct call *c, struct leg *l)
{
	if (l->is_agent)
		return;
	if (c->consenting) {
		call_consent_over(c);
		return;
	}
	if (c->announcing) {
		c->announcing = false;
		if (c->mgr->o.moh)
			(void)media_leg_play(c->cust.media, c->mgr->o.moh, true);
		return;
	}
	if (tmr_isrunning(&c->tmr))
		call_app_timer(c, 0);
}

/* The consent prompt is over, or a goodbye (their ends were lost): the
 * queue, or BYE. */
static void timeout(struct call *c)
{
	if (c->consenting)
		call_consent_over(c);
	else
		call_end(c, "system", c->bye_cause);
}

/* The winner's dialog and media move into c->agent_leg; its ring stays
 * as the forwarder, and every other phone stops ringing. */
static void take_winner(struct call *c, struct ring *won)
{
	struct leg *a = &c->agent_leg;
	struct le *le = list_head(&c->rings);

	*a = won->leg;
	a->moved = NULL;
	won->leg.sess = NULL;
	won->leg.media = NULL;
	won->leg.moved = a;
	util_strlcpy(c->rec.agent, won->agent, sizeof(c->rec.agent));
	while (le) {
		struct ring *r = le->data;
		le = le->next;
		if (r != won) {
			log_info("call.offer_lost", "id=%s agent=%s to=%s",
				 c->rec.id, r->agent, won->agent);
			mem_deref(r);
		}
	}
}

static void answered(struct call *c, struct leg *l)
{
	struct call_mgr *m = c->mgr;
	struct ring *won = ring_of(c, l);

	if (!won)
		return;
	take_winner(c, won);
	c->announcing = false;    /* stopped with the music, no end event */
	media_leg_stop(c->cust.media);
	call_connected(c);
	if (m->qops.answered)
		m->qops.answered(m->qarg, c->key, c->rec.agent);
}

/* A rung phone refused or could not be reached. */
static void agent_closed(struct call *c, struct leg *l, int err, uint16_t code)
{
	struct call_mgr *m = c->mgr;
	struct ring *r = ring_of(c, l);
	char agent[sizeof(r->agent)], why[16];
	(void)err;

	if (!r)
		return;
	util_strlcpy(agent, r->agent, sizeof(agent));
	mem_deref(r);
	snprintf(why, sizeof(why), "%u", code);
	log_info("call.offer_missed", "id=%s agent=%s code=%u", c->rec.id,
		 agent, code);
	if (m->qops.missed)
		m->qops.missed(m->qarg, c->key, agent, why);
}

const struct call_app call_app_queue = {
	.name = "queue",
	.start = start,
	.take = take,
	.refused = refused,
	.answered = answered,
	.agent_closed = agent_closed,
	.prompt_end = prompt_end,
	.timeout = timeout,
};
