/* call/party: a third party on a talking call — the consultation of an
 * attended transfer (咨询转接) for now; the conference's and the
 * supervisor's legs will be parties too.
 *
 * A consultation, step by step (one at a time per call):
 *
 *   start     the caller is put on hold as by the API's hold (music for
 *             them, the agent's hold time runs) and the target's phone
 *             rings on a dialog of its own, its media leg on the call's
 *             media thread
 *   answered  the agent leg is bridged to the target: they talk while the
 *             caller hears music
 *   complete  (API, or the agent hangs up once the target answered) the
 *             agent's part ends as a blind transfer's does (call.transfer
 *             via "attended", the queue host told), and the target's leg
 *             becomes the call's agent leg, bridged to the caller
 *   cancel    (API, or the target refuses, does not answer or hangs up)
 *             the target's leg goes and agent and caller talk again
 *
 * The agent hanging up while the target still rings turns the
 * consultation into a blind transfer to the same target, which is what a
 * desk phone does when its user hangs up during the consultation.
 *
 * A party that became the agent leg stays in the list, empty, as the
 * forwarder its dialog's handlers still name (leg.moved), like a queue's
 * winning ring. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "route/route.h"
#include "sip/sipx.h"

static void party_destroy(void *arg)
{
	struct party *p = arg;

	list_unlink(&p->le);
	p->leg.sess = mem_deref(p->leg.sess);   /* CANCEL, or BYE */
	media_leg_close(p->leg.media);
}

/* Agent and caller talk again; an API hold that the consultation made
 * ends (the phone's own hold is the phone's to end). */
static void rejoin(struct call *c)
{
	if (c->agent_leg.media) {
		(void)media_unbridge(c->agent_leg.media);
		(void)media_bridge(c->cust.media, c->agent_leg.media);
	}
	if (c->agent_leg.api_held)
		call_leg_hold(&c->agent_leg, false);
}

void call_consult_drop(struct call *c, const char *why)
{
	struct party *p = c->consult;

	if (!p)
		return;
	c->consult = NULL;
	log_info("call.consult_end", "id=%s to=%s why=%s", c->rec.id, p->who,
		 why);
	cdr_consult(&c->rec, c->rec.agent, p->who, why);
	mem_deref(p);
	rejoin(c);
}

/* ---- the target's dialog ---- */

static int on_party_answer(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);

	if (l == &l->call->agent_leg)
		return call_agent_h()->answer(msg, arg);
	return leg_sdp_read_answer(l, (const char *)mbuf_buf(msg->mb),
				   mbuf_get_left(msg->mb));
}

static void on_party_estab(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct call *c = l->call;

	if (l == &c->agent_leg) {
		call_agent_h()->estab(msg, arg);
		return;
	}
	l->estab = true;
	if (!c->consult || &c->consult->leg != l)
		return;
	/* The agent talks to the target; the caller keeps the music. */
	(void)media_leg_stop(c->agent_leg.media);
	(void)media_unbridge(c->agent_leg.media);
	(void)media_bridge(c->agent_leg.media, l->media);
	cdr_consult(&c->rec, c->rec.agent, c->consult->who, "answered");
	log_info("call.consult_answered", "id=%s to=%s", c->rec.id,
		 c->consult->who);
}

static void on_party_close(int err, const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct call *c = l->call;
	char why[32];

	if (l == &c->agent_leg) {
		call_agent_h()->close(err, msg, arg);
		return;
	}
	l->sess = mem_deref(l->sess);
	if (msg && msg->scode >= 300)
		snprintf(why, sizeof(why), "refused %u", msg->scode);
	else
		snprintf(why, sizeof(why), "%s", l->estab ? "hung up" :
			 "unreachable");
	call_consult_drop(c, why);
}

static const struct sipx_sess_h party_h = {
	.offer = call_leg_offer, .answer = on_party_answer,
	.estab = on_party_estab, .close = on_party_close,
};

/* ---- consultation ---- */

int call_consult(struct call_mgr *m, const char *call_id, const char *agent,
		 const char *to, char *why, size_t n)
{
	struct call *c = call_by_id(m, call_id);
	struct route_target t;
	struct sipx_contact ct;
	struct party *p;
	size_t nct = 0;
	int err;

	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (c->app != &call_app_talk) {
		snprintf(why, n, "the call is not in conversation");
		return EBUSY;
	}
	if (c->consult) {
		snprintf(why, n, "a consultation with %s is under way",
			 c->consult->who);
		return EBUSY;
	}
	/* A consultation is a conversation with a person: an extension. */
	if (call_target_resolve(m, to, &t) || t.kind != ROUTE_EXTENSION) {
		snprintf(why, n, "no extension '%s' (an attended transfer "
			 "consults an extension)", to);
		return EINVAL;
	}
	if (call_target_check(c, &t, why, n))
		return EINVAL;
	if (sipx_contacts(m->o.sipx, t.target, &ct, 1, &nct) || !nct) {
		snprintf(why, n, "extension %s has no registered phone",
			 t.target);
		return EINVAL;
	}
	p = mem_zalloc(sizeof(*p), party_destroy);
	if (!p)
		return ENOMEM;
	p->leg.call = c;
	p->leg.is_agent = true;
	p->leg.sdp_id = rand_u32();
	p->role = PARTY_CONSULT;
	util_strlcpy(p->who, t.target, sizeof(p->who));
	list_append(&c->parties, &p->le, p);
	err = media_leg_alloc(&p->leg.media, m->o.media, c->shard, &p->leg);
	if (!err)
		err = call_dial_uri(c, &p->leg, ct.uri, &party_h);
	if (err) {
		mem_deref(p);
		snprintf(why, n, "cannot ring %s: %s", t.target, strerror(err));
		return err == ENOMEM ? ENOMEM : EIO;
	}
	c->consult = p;
	if (!c->agent_leg.held) {
		c->agent_leg.api_held = true;
		call_leg_hold(&c->agent_leg, true);
	}
	cdr_consult(&c->rec, c->rec.agent, p->who, "ringing");
	log_info("call.consult", "id=%s agent=%s to=%s", c->rec.id,
		 c->rec.agent, p->who);
	return 0;
}

/* The target's leg becomes the agent leg: the agent's part ends as a
 * transfer's does, and the caller talks to the target. */
static void complete(struct call *c)
{
	struct call_mgr *m = c->mgr;
	struct party *p = c->consult;
	char agent[sizeof(c->rec.agent)];

	c->consult = NULL;
	util_strlcpy(agent, c->rec.agent, sizeof(agent));
	call_leg_hold(&c->agent_leg, false);
	cdr_transfer(&c->rec, agent, p->who, "attended");
	if (c->queued) {
		c->queued = false;
		if (m->qops.transferred)
			m->qops.transferred(m->qarg, c->key, p->who);
	}
	call_agent_release(c);
	c->agent_leg = p->leg;
	c->agent_leg.moved = NULL;
	p->leg.moved = &c->agent_leg;
	p->leg.sess = NULL;
	p->leg.media = NULL;
	p->role = PARTY_FORWARDER;
	util_strlcpy(c->rec.agent, p->who, sizeof(c->rec.agent));
	log_info("call.consult_complete", "id=%s from=%s to=%s", c->rec.id,
		 agent, c->rec.agent);
	call_connected(c);
}

int call_consult_end(struct call_mgr *m, const char *call_id,
		     const char *agent, bool done, char *why, size_t n)
{
	struct call *c = call_by_id(m, call_id);

	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (!c->consult) {
		snprintf(why, n, "no consultation is under way");
		return EALREADY;
	}
	if (!done) {
		call_consult_drop(c, "cancelled");
		return 0;
	}
	if (!c->consult->leg.estab) {
		snprintf(why, n, "%s has not answered yet", c->consult->who);
		return EBUSY;
	}
	complete(c);
	return 0;
}

bool call_consult_agent_left(struct call *c)
{
	struct route_target t;

	if (!c->consult)
		return false;
	if (c->consult->leg.estab) {
		complete(c);
		return true;
	}
	/* Still ringing: the phone's way, a blind transfer to the target. */
	memset(&t, 0, sizeof(t));
	t.kind = ROUTE_EXTENSION;
	util_strlcpy(t.target, c->consult->who, sizeof(t.target));
	call_consult_drop(c, "blind");
	call_transfer_to(c, &t, "attended");
	return true;
}

void call_parties_flush(struct call *c)
{
	c->consult = NULL;
	list_flush(&c->parties);
}
