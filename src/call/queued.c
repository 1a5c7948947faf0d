/* call/queued: calls that reach a queue, and feature codes.
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
 * and the legs are bridged and recorded, as for a direct call.
 *
 * A queue that gives up on a caller may say goodbye first
 * (call_queue_hangup): the host hears that the call left, the caller hears
 * the prompt once and then BYE, through the same hangup timer and
 * prompt-end event as a feature code's confirmation.
 *
 * The queue host may have an announcement played to a waiting caller
 * (call_announce): it takes the music's place until its prompt-end event,
 * then the music starts again; an answer stops it like the music.
 *
 * Feature codes (*21 ready, *22 not ready, *23 log out) are INVITEs from an
 * authenticated extension to the code. Like Asterisk's and FreeSWITCH's
 * agent codes, an applied code is answered, a short confirmation is played
 * and Hotline hangs up; an unknown code gets 404 and one the host refuses
 * 403, with no answer. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

enum { FEATURE_MAX_MS = 5000 };   /* BYE even if the prompt end is lost */
enum { GOODBYE_SLACK_MS = 2000 };  /* BYE this long after a goodbye prompt
				   * should have ended, if its end is lost */

struct call *call_find(struct call_mgr *m, uint64_t key)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *c = le->data;
		if (c->key == key)
			return c;
	}
	return NULL;
}

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

static void refuse(struct call *c, const struct sip_msg *msg, uint16_t code,
		   const char *reason)
{
	call_reply(c->mgr, msg, code, reason);
	mem_deref(c);
}

/* The customer leg answered with our SDP (an answer to the caller's offer). */
static int answer_caller(struct call *c, const struct sip_msg *msg,
			 uint16_t *code, const char **reason)
{
	int err = call_prepare_customer(c, msg, code, reason);

	if (err)
		return err;
	err = call_answer_now(c, msg);
	if (err) {
		*code = 500;
		*reason = "Server Error";
	}
	return err;
}

void call_queued_start(struct call *c, const struct sip_msg *msg,
		       const char *queue, int32_t priority)
{
	struct call_mgr *m = c->mgr;
	const char *reason = NULL;
	uint64_t key = c->key;
	uint16_t code = 0;
	int err;

	if (!m->qops.enter) {
		refuse(c, msg, 480, "Temporarily Unavailable (no queues)");
		return;
	}
	if (answer_caller(c, msg, &code, &reason)) {
		if (code == 503 && m->qops.blocked)
			m->qops.blocked(m->qarg, queue, "media");
		if (c->cust.sess) {
			(void)sipsess_reject(c->cust.sess, code, reason, NULL);
			c->cust.sess = mem_deref(c->cust.sess);
			mem_deref(c);
			return;
		}
		refuse(c, msg, code, reason);
		return;
	}
	if (m->o.moh)
		(void)media_leg_play(c->cust.media, m->o.moh, true);
	list_append(&m->calls, &c->le, c);
	c->state = CALL_QUEUED;
	c->queued = true;
	c->priority = priority;
	util_strlcpy(c->rec.queue, queue, sizeof(c->rec.queue));
	cdr_created(&c->rec);
	cdr_queued(&c->rec);
	log_info("call.queued", "id=%s from=%s to=%s queue=%s priority=%d",
		 c->rec.id, c->rec.from, c->rec.to, queue, (int)priority);
	err = m->qops.enter(m->qarg, key, queue, priority, c->rec.id,
			    c->rec.from);
	/* The host may already have dropped the call (overflow at entry). */
	if (err && (c = call_find(m, key)) != NULL) {
		c->queued = false;
		call_end(c, "system", "queue");
	}
}

int call_offer(struct call_mgr *m, uint64_t key, const char *agent)
{
	struct call *c = call_find(m, key);
	struct cdr ringing;
	struct ring *r;
	int err;

	if (!c || !c->queued)
		return ENOENT;
	if (c->state != CALL_QUEUED || c->leaving || ring_find(c, agent))
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
	struct ring *r = c && c->state == CALL_QUEUED ? ring_find(c, agent) :
		NULL;

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

	if (!c || !c->queued || c->state != CALL_QUEUED)
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
	tmr_start(&c->hangup, (uint64_t)prompt_ms + GOODBYE_SLACK_MS,
		  call_feature_hangup, c);
	log_info("call.goodbye", "id=%s queue=%s cause=%s prompt_ms=%u",
		 c->rec.id, c->rec.queue, cause, prompt_ms);
	return 0;
}

int call_announce(struct call_mgr *m, uint64_t key, struct media_prompt *p)
{
	struct call *c = call_find(m, key);
	int err;

	if (!c || !c->queued || c->state != CALL_QUEUED || c->leaving)
		return ENOENT;
	if (list_head(&c->rings) || c->announcing)
		return EBUSY;
	err = media_leg_play(c->cust.media, p, false);
	if (err)
		return err;
	c->announcing = true;
	return 0;
}

bool call_queued_prompt_end(struct leg *l)
{
	struct call *c = l->call;

	if (l->is_agent || !c->announcing)
		return false;
	c->announcing = false;
	if (c->state == CALL_QUEUED && c->mgr->o.moh)
		(void)media_leg_play(c->cust.media, c->mgr->o.moh, true);
	return true;
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

void call_queued_answered(struct leg *l)
{
	struct call *c = l->call;
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

void call_queued_missed(struct leg *l, uint16_t code)
{
	struct call *c = l->call;
	struct call_mgr *m = c->mgr;
	struct ring *r = ring_of(c, l);
	char agent[sizeof(r->agent)], why[16];

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

/* ---- feature codes ---- */

void call_feature_hangup(void *arg)
{
	struct call *c = arg;

	call_end(c, "system", c->feature ? "feature" : c->bye_cause);
}

void call_feature(struct call *c, const struct sip_msg *msg, const char *ext)
{
	struct call_mgr *m = c->mgr;
	const char *reason = NULL;
	uint16_t code = 0;
	int err = m->qops.feature ? m->qops.feature(m->qarg, ext, c->rec.to)
		: ENOENT;

	log_info("call.feature", "ext=%s code=%s err=%d", ext, c->rec.to, err);
	if (err == ENOENT) {
		refuse(c, msg, 404, "Not Found (no such feature code)");
		return;
	}
	if (err) {
		refuse(c, msg, 403, "Forbidden (feature code refused)");
		return;
	}
	c->feature = true;
	if (answer_caller(c, msg, &code, &reason)) {
		/* Applied all the same; only the confirmation is lost. */
		if (c->cust.sess) {
			(void)sipsess_reject(c->cust.sess, code, reason, NULL);
			mem_deref(c);
			return;
		}
		refuse(c, msg, code, reason);
		return;
	}
	list_append(&m->calls, &c->le, c);
	c->state = CALL_TALKING;
	if (m->o.confirm)
		(void)media_leg_play(c->cust.media, m->o.confirm, false);
	tmr_start(&c->hangup, m->o.confirm ? FEATURE_MAX_MS : 0,
		  call_feature_hangup, c);
}
