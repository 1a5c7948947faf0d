/* call/queued: calls that reach a queue, and feature codes.
 *
 * A queue DID answers the caller at once (200 with our SDP) and plays music
 * on hold; the queue host (call_queue_ops) then rings one agent at a time
 * through call_offer. The agent leg is made fresh for every offer, on the
 * customer leg's media thread, and torn down when the offer fails or is
 * cancelled, so a call can be offered to any number of agents in turn. When
 * the offered agent answers, the music stops and the legs are bridged and
 * recorded, as for a direct call. The queue host may have an announcement
 * played to a waiting caller (call_announce): it takes the music's place
 * until its prompt-end event, then the music starts again; an answer stops
 * it like the music.
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

static struct call *find(struct call_mgr *m, uint64_t key)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *c = le->data;
		if (c->key == key)
			return c;
	}
	return NULL;
}

/* Back to "nobody rings": the agent's dialog and media are released. */
static void agent_leg_reset(struct call *c)
{
	struct leg *l = &c->agent_leg;

	l->sess = mem_deref(l->sess);
	media_leg_close(l->media);
	l->media = NULL;
	l->estab = false;
	c->rec.agent[0] = '\0';
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
		       const char *queue)
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
	util_strlcpy(c->rec.queue, queue, sizeof(c->rec.queue));
	cdr_created(&c->rec);
	cdr_queued(&c->rec);
	log_info("call.queued", "id=%s from=%s to=%s queue=%s", c->rec.id,
		 c->rec.from, c->rec.to, queue);
	err = m->qops.enter(m->qarg, key, queue, c->rec.id, c->rec.from);
	/* The host may already have dropped the call (overflow at entry). */
	if (err && (c = find(m, key)) != NULL) {
		c->queued = false;
		call_end(c, "system", "queue");
	}
}

int call_offer(struct call_mgr *m, uint64_t key, const char *agent)
{
	struct call *c = find(m, key);
	int err;

	if (!c || !c->queued)
		return ENOENT;
	if (c->state != CALL_QUEUED || c->leaving || c->agent_leg.sess)
		return EBUSY;
	err = media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
			      &c->agent_leg);
	if (err)
		return err;
	util_strlcpy(c->rec.agent, agent, sizeof(c->rec.agent));
	err = call_ring_agent(c, agent);
	if (err) {
		agent_leg_reset(c);
		return err;
	}
	cdr_ringing(&c->rec);
	log_info("call.offer", "id=%s queue=%s agent=%s", c->rec.id,
		 c->rec.queue, agent);
	return 0;
}

int call_offer_cancel(struct call_mgr *m, uint64_t key, const char *agent)
{
	struct call *c = find(m, key);

	if (!c || c->state != CALL_QUEUED || !c->agent_leg.sess ||
	    strcmp(c->rec.agent, agent))
		return ENOENT;
	agent_leg_reset(c);    /* libre sends the CANCEL */
	return 0;
}

int call_queue_drop(struct call_mgr *m, uint64_t key, const char *cause)
{
	struct call *c = find(m, key);

	if (!c || c->state != CALL_QUEUED)
		return ENOENT;
	call_end(c, "system", cause);
	return 0;
}

int call_announce(struct call_mgr *m, uint64_t key, struct media_prompt *p)
{
	struct call *c = find(m, key);
	int err;

	if (!c || !c->queued || c->state != CALL_QUEUED || c->leaving)
		return ENOENT;
	if (c->agent_leg.sess || c->announcing)
		return EBUSY;
	err = media_leg_play(c->cust.media, p, false);
	if (err)
		return err;
	c->announcing = true;
	return 0;
}

bool call_queued_prompt_end(struct call_mgr *m, const void *owner)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *c = le->data;

		if (&c->agent_leg == owner)
			return false;
		if (&c->cust != owner)
			continue;
		if (!c->announcing)
			return false;
		c->announcing = false;
		if (c->state == CALL_QUEUED && m->o.moh)
			(void)media_leg_play(c->cust.media, m->o.moh, true);
		return true;
	}
	/* No live call has this leg: it ended while the event was on its
	 * way (a caller hanging up as an announcement ends). */
	return true;
}

void call_queued_answered(struct call *c)
{
	struct call_mgr *m = c->mgr;

	c->announcing = false;    /* stopped with the music, no end event */
	media_leg_stop(c->cust.media);
	c->state = CALL_TALKING;
	c->rec.answered_ms = util_now_ms();
	c->rec.codec_customer = c->cust.neg.codec.name;
	c->rec.codec_agent = c->agent_leg.neg.codec.name;
	media_bridge(c->cust.media, c->agent_leg.media);
	call_start_recording(c);
	cdr_answered(&c->rec);
	if (m->qops.answered)
		m->qops.answered(m->qarg, c->key, c->rec.agent);
}

void call_queued_missed(struct call *c, uint16_t code)
{
	struct call_mgr *m = c->mgr;
	char agent[sizeof(c->rec.agent)], why[16];

	util_strlcpy(agent, c->rec.agent, sizeof(agent));
	agent_leg_reset(c);
	snprintf(why, sizeof(why), "%u", code);
	log_info("call.offer_missed", "id=%s agent=%s code=%u", c->rec.id,
		 agent, code);
	if (m->qops.missed)
		m->qops.missed(m->qarg, c->key, agent, why);
}

/* ---- feature codes ---- */

void call_feature_hangup(void *arg)
{
	call_end(arg, "system", "feature");
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
