/* call/party: third parties on a talking call — the consultation of an
 * attended transfer (咨询转接, here), a conference's third party and a
 * supervisor listening in (conf.c).
 *
 * Every party is a phone rung on a dialog of its own, its media leg on the
 * call's media thread, so it can be bridged or mixed with the call's legs.
 * What its answer and its end mean depends on its role, one row each in
 * the table below.
 *
 * A consultation, step by step (one at a time per call):
 *
 *   start     the caller is put on hold as by the API's hold (music for
 *             them, the agent's hold time runs) and the target's phone
 *             rings
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
 * A party whose leg became the agent leg stays in the list, empty, as the
 * forwarder its dialog's handlers still name (leg.moved), like a queue's
 * winning ring. */
#include <errno.h>
#include <stddef.h>
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

static struct party *party_of(struct leg *l)
{
	return (struct party *)(void *)((char *)l - offsetof(struct party, leg));
}

/* ---- the consultation ---- */

/* Agent and caller talk again; an API hold that the consultation made
 * ends (the phone's own hold is the phone's to end). */
static void rejoin(struct call *c)
{
	if (c->agent_leg.media && !c->mix) {
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
	cdr_party(&c->rec, BUS_CALL_CONSULT, p->who, NULL, why);
	mem_deref(p);
	rejoin(c);
}

/* The agent talks to the target; the caller keeps the music. */
static void consult_answered(struct call *c, struct party *p)
{
	(void)media_leg_stop(c->agent_leg.media);
	(void)media_unbridge(c->agent_leg.media);
	(void)media_bridge(c->agent_leg.media, p->leg.media);
	cdr_party(&c->rec, BUS_CALL_CONSULT, p->who, NULL, "answered");
	log_info("call.consult_answered", "id=%s to=%s", c->rec.id, p->who);
}

static void consult_left(struct call *c, struct party *p, const char *why)
{
	(void)p;
	call_consult_drop(c, why);
}

/* ---- roles ---- */

/* What a party's answer and end do, by its role. */
static const struct {
	void (*answered)(struct call *c, struct party *p);
	void (*left)(struct call *c, struct party *p, const char *why);
} roles[] = {
	[PARTY_CONSULT] = {consult_answered, consult_left},
	[PARTY_CONF]    = {call_conf_answered, call_conf_left},
	[PARTY_MONITOR] = {call_monitor_answered, call_monitor_left},
};

/* ---- a party's dialog ---- */

static int on_party_answer(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	int err;

	if (l == &l->call->agent_leg)
		return call_agent_h()->answer(msg, arg);
	err = leg_sdp_read_answer(l, (const char *)mbuf_buf(msg->mb),
				  mbuf_get_left(msg->mb));
	if (!err)
		call_leg_refreshed(l);
	return err;
}

static void on_party_estab(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct call *c = l->call;
	struct party *p;

	if (l == &c->agent_leg) {
		call_agent_h()->estab(msg, arg);
		return;
	}
	call_leg_granted(l, msg);
	l->estab = true;
	p = party_of(l);
	roles[p->role].answered(c, p);
}

void call_party_expired(struct call *c, struct party *p)
{
	p->leg.sess = mem_deref(p->leg.sess);     /* BYE */
	roles[p->role].left(c, p, "session_expired");
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
	if (call_leg_refresh_failed(l, err, msg))
		snprintf(why, sizeof(why), "session_expired");
	else if (msg && msg->scode >= 300)
		snprintf(why, sizeof(why), "refused %u", msg->scode);
	else
		snprintf(why, sizeof(why), "%s", l->estab ? "hung up" :
			 "unreachable");
	roles[party_of(l)->role].left(c, party_of(l), why);
}

static const struct sipx_sess_h party_h = {
	.offer = call_leg_offer, .answer = on_party_answer,
	.estab = on_party_estab, .close = on_party_close,
};

int call_party_ring(struct call *c, enum party_role role, const char *to,
		    struct party **pp, char *why, size_t n)
{
	struct call_mgr *m = c->mgr;
	struct route_target t;
	struct sipx_contact ct;
	char uri[SIPX_URI_SZ];
	struct party *p;
	size_t nct = 0;
	int err;

	/* A party is a person with a phone here: an extension. */
	if (call_target_resolve(m, to, &t) || t.kind != ROUTE_EXTENSION) {
		snprintf(why, n, "no extension '%s'", to);
		return EINVAL;
	}
	if (!strcmp(t.target, c->rec.agent)) {
		snprintf(why, n, "%s is on the call already", t.target);
		return EINVAL;
	}
	for (struct le *le = list_head(&c->parties); le; le = le->next) {
		struct party *x = le->data;
		if (x->role != PARTY_FORWARDER && !strcmp(x->who, t.target)) {
			snprintf(why, n, "%s is on the call already", t.target);
			return EINVAL;
		}
	}
	if (sipx_contacts(m->o.sipx, t.target, &ct, 1, &nct) || !nct ||
	    sipx_contact_target(&ct, uri, sizeof(uri))) {
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
	p->role = role;
	util_strlcpy(p->who, t.target, sizeof(p->who));
	list_append(&c->parties, &p->le, p);
	/* The call's own media thread: bridges and mixes need one. */
	err = media_leg_alloc(&p->leg.media, m->o.media, c->shard, &p->leg);
	if (!err)
		err = call_dial_uri(c, &p->leg, uri, NULL, &party_h);
	if (err) {
		mem_deref(p);
		snprintf(why, n, "cannot ring %s: %s", t.target, strerror(err));
		return err == ENOMEM ? ENOMEM : EIO;
	}
	*pp = p;
	return 0;
}

void call_party_moved(struct call *c, struct party *p)
{
	c->agent_leg = p->leg;
	c->agent_leg.moved = NULL;
	p->leg.moved = &c->agent_leg;
	p->leg.sess = NULL;
	p->leg.media = NULL;
	p->role = PARTY_FORWARDER;
	util_strlcpy(c->rec.agent, p->who, sizeof(c->rec.agent));
}

struct party *call_party_find(struct call *c, enum party_role role,
			      const char *who)
{
	for (struct le *le = list_head(&c->parties); le; le = le->next) {
		struct party *p = le->data;
		if (p->role == role && (!who || !strcmp(p->who, who)))
			return p;
	}
	return NULL;
}

/* ---- consultation: the API ---- */

int call_consult(struct call_mgr *m, const char *call_id, const char *agent,
		 const char *to, char *why, size_t n)
{
	struct call *c = call_by_id(m, call_id);
	struct party *p;
	int err;

	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (c->app != &call_app_talk) {
		snprintf(why, n, "the call is not in conversation");
		return EBUSY;
	}
	if (c->consult || c->mix) {
		snprintf(why, n, c->consult ? "a consultation with %s is under "
			 "way" : "the call is a conference or monitored: "
			 "transfer blind", c->consult ? c->consult->who : "");
		return EBUSY;
	}
	err = call_party_ring(c, PARTY_CONSULT, to, &p, why, n);
	if (err)
		return err;
	c->consult = p;
	if (!c->agent_leg.held) {
		c->agent_leg.api_held = true;
		call_leg_hold(&c->agent_leg, true);
	}
	cdr_party(&c->rec, BUS_CALL_CONSULT, p->who, NULL, "ringing");
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
	call_party_moved(c, p);
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
	call_transfer_to(c, &t, t.target, "attended");
	return true;
}

void call_parties_flush(struct call *c)
{
	c->consult = NULL;
	media_mix_free(c->mix);
	c->mix = NULL;
	media_mux_release(c->mux);
	c->mux = NULL;
	list_flush(&c->parties);
}
