/* call/extension: the "extension" app, a direct call. A dialled extension
 * (or a DID whose target is one) rings that phone while the caller's
 * INVITE is held at 180 Ringing (or 183 with a ringback prompt as early
 * media). When the agent answers, the caller gets 200 OK with our SDP
 * answer and the call moves to the talk app.
 *
 * Unanswered, the caller hears why: the phone's own refusal (486, 603 …),
 * 480 when it could not be reached or did not answer within
 * ring_timeout_ms. A caller who gives up is recorded as "cancel". */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

/* Refuses the still-ringing caller with code, then ends the call. */
static void reject_end(struct call *c, uint16_t code, const char *reason,
		       const char *by, const char *cause)
{
	(void)sipx_sess_reject(c->cust.sess, code, reason);
	c->cust.sess = mem_deref(c->cust.sess);
	call_end(c, by, cause);
}

/* Answers the customer's INVITE provisionally: 180 Ringing, or with a
 * ringback prompt 183 Session Progress with our SDP and the prompt playing
 * (early media) until the agent answers. */
static int accept_customer(struct call *c, const struct sip_msg *msg)
{
	struct call_mgr *m = c->mgr;
	struct mbuf *mb = NULL;
	int err;

	/* A late offer's offer must wait for the 200 (RFC 3261 13.2.1: no
	 * offer in an unreliable 1xx): such a caller hears its own ringing. */
	bool early = m->o.ringback && !c->cust.late_offer;

	if (early && !(mb = call_sdp_mbuf(c->cust_answer)))
		return ENOMEM;
	err = call_accept(c, msg, mb ? 183 : 180,
			  mb ? "Session Progress" : "Ringing", mb);
	mem_deref(mb);
	if (!err && early)
		err = media_leg_play(c->cust.media, m->o.ringback, true);
	return err;
}

static void start(struct call *c, const struct sip_msg *msg, const char *ext)
{
	struct call_mgr *m = c->mgr;
	struct sipx_contact contact;
	char uri[SIPX_URI_SZ];
	const char *reason = NULL;
	uint16_t code = 0;
	size_t ncontacts = 0;
	int err;

	util_strlcpy(c->rec.agent, ext, sizeof(c->rec.agent));
	if (sipx_contacts(m->o.sipx, c->rec.agent, &contact, 1, &ncontacts) ||
	    !ncontacts || sipx_contact_target(&contact, uri, sizeof(uri))) {
		call_refuse(c, msg, 480, "Temporarily Unavailable (not registered)");
		return;
	}
	err = call_prepare_customer(c, msg, &code, &reason);
	if (!err && media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
				    &c->agent_leg)) {
		err = ENOSPC;
		code = 503;
		reason = "Service Unavailable (no media ports)";
	}
	if (err) {
		call_refuse(c, msg, code, reason);
		return;
	}
	if (accept_customer(c, msg)) {
		call_refuse(c, msg, 500, "Server Error");
		return;
	}
	list_append(&m->calls, &c->le, c);
	cdr_created(&c->rec);
	err = call_ring_uri(c, &c->agent_leg, uri);
	if (err) {
		log_warn("call.ring", "id=%s contact=%s err=%s", c->rec.id, uri,
			 strerror(err));
		reject_end(c, 480, "Temporarily Unavailable", "system", "480");
		return;
	}
	cdr_ringing(&c->rec);
	if (m->o.ring_timeout_ms)
		call_app_timer(c, m->o.ring_timeout_ms);
	log_info("call.ringing", "id=%s from=%s to=%s agent=%s contact=%s",
		 c->rec.id, c->rec.from, c->rec.to, c->rec.agent, uri);
}

static void answered(struct call *c, struct leg *l)
{
	(void)l;
	if (c->mgr->o.ringback)
		media_leg_stop(c->cust.media);
	if (call_answer_customer(c)) {
		call_end(c, "system", "answer failed");
		return;
	}
	call_connected(c);
}

/* The agent refused or never answered: the caller hears why. */
static void agent_closed(struct call *c, struct leg *l, int err, uint16_t code)
{
	char cause[16];
	(void)l;
	(void)err;

	snprintf(cause, sizeof(cause), "%u", code);
	reject_end(c, code, code == 480 ? "Temporarily Unavailable" :
		   "Agent Declined", "agent", cause);
}

/* The agent never answered: the caller hears 480, the agent's phone is
 * cancelled (call_end releases its dialog). */
static void timeout(struct call *c)
{
	reject_end(c, 480, "Temporarily Unavailable (no answer)", "system",
		   "no-answer");
}

const struct call_app call_app_extension = {
	.name = "extension",
	.start = start,
	.answered = answered,
	.agent_closed = agent_closed,
	.caller_cause = "cancel",
	.timeout = timeout,
};
