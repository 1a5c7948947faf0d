/* call/conf: the three-way conference (三方通话) and a supervisor on the
 * call (实时监听, 密语, 强插), both as a mix of the call's legs.
 *
 * A talking call is a bridge of two legs. When a conference party or a
 * supervisor answers, the call's legs become a mix (media/mix.c) on the
 * call's media thread, and who hears whom is worked out from each member's
 * place by one rule:
 *
 *   a supervisor who listens    hears everyone, heard by no one
 *   a supervisor who whispers   hears everyone, heard by the agent only
 *   a supervisor who barges     hears everyone, heard by everyone
 *   everyone else               hears everyone else
 *
 * So the customer never hears a whisper, and switching modes (the API
 * again, or the supervisor's keys 1 listen, 2 whisper, 3 barge) is one
 * recomputation. When the last conference party and supervisor leave, the
 * mix is dissolved and the two legs are bridged again.
 *
 * The agent may leave a conference without dropping the others: the third
 * party takes the agent's place (the record says transferred "via
 * conference") and talks on with the caller.
 *
 * A conference's phones are re-INVITEd to one RTP port, a mux (media.h):
 * the media thread then reads all of them with one system call a tick and
 * sends them their mixes with one more, where each phone on its own port
 * costs two, so a conference costs the thread no more than as many bridged
 * legs though it decodes and encodes what they say. The phones stay there
 * for the rest of the call (a re-INVITE back would buy nothing: a bridge
 * on a mux is as cheap). A phone that refuses the re-INVITE keeps its own
 * port and is mixed as well. A supervisor is not moved, nor is the call
 * for one: the customer's carrier is not re-INVITEd for being listened
 * to. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

enum { SDP_MAX = 2048 };

/* The members' places, for the rule. */
enum place { CUSTOMER, AGENT, THIRD, SUPERVISOR };

static const char *const mode_names[] = {
	[CALL_MON_LISTEN] = "listen", [CALL_MON_WHISPER] = "whisper",
	[CALL_MON_BARGE] = "barge",
};

struct member {
	struct leg *leg;
	enum place place;
	enum call_mon_mode mode;     /* a supervisor's */
};

/* The rule of the header: does a member at `to` hear speaker s? */
static bool hears(const struct member *to, const struct member *s)
{
	if (s->place != SUPERVISOR)
		return true;
	switch (s->mode) {
	case CALL_MON_BARGE:
		return true;
	case CALL_MON_WHISPER:
		return to->place == AGENT;
	default:
		return false;
	}
}

static size_t members(struct call *c, struct member *v, size_t max)
{
	size_t n = 0;

	v[n++] = (struct member){&c->cust, CUSTOMER, 0};
	if (c->agent_leg.media)
		v[n++] = (struct member){&c->agent_leg, AGENT, 0};
	for (struct le *le = list_head(&c->parties); le && n < max;
	     le = le->next) {
		struct party *p = le->data;
		if (!p->in_mix)
			continue;
		v[n++] = (struct member){&p->leg, p->role == PARTY_MONITOR ?
			SUPERVISOR : THIRD, p->mode};
	}
	return n;
}

/* Sets the whole matrix by the rule. */
static void apply(struct call *c)
{
	struct member v[MEDIA_MIX_MAX];
	size_t n = members(c, v, ARRAY_LEN(v));

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (i != j)
				(void)media_mix_hears(c->mix, v[i].leg->media,
						      v[j].leg->media,
						      hears(&v[i], &v[j]));
}

/* Moves l's phone to the call's mux: l is put on it, then offered its
 * port by re-INVITE (the offer names the mux's port, media_leg_port). */
static void to_mux(struct call *c, struct leg *l, const char *who)
{
	char sdp[SDP_MAX];
	struct mbuf *mb = NULL;
	int err;

	if (!l->media || !l->sess || media_leg_mux_of(l->media))
		return;
	err = media_leg_mux(l->media, c->mux);
	if (err)
		goto out;
	err = leg_sdp_offer(l, sdp, sizeof(sdp));
	mb = err ? NULL : call_sdp_mbuf(sdp);
	err = err ? err : mb ? sipx_sess_modify(l->sess, mb) : ENOMEM;
	mem_deref(mb);
	/* Not offered: it stays where its phone sends. */
	if (err)
		(void)media_leg_unmux(l->media);
out:
	log_info("call.mux", "id=%s leg=%s port=%u err=%d", c->rec.id, who,
		 media_leg_port(l->media), err);
}

/* A conference party answered: the call's phones and its move to the
 * call's mux (made once). */
static void conf_mux(struct call *c, struct party *p)
{
	int err;

	if (!c->mgr->o.conference_one_port)
		return;
	if (!c->mux) {
		err = media_mux_alloc(&c->mux, c->mgr->o.media, c->shard);
		if (err) {
			log_warn("call.mux", "id=%s err=%s", c->rec.id,
				 strerror(err));
			return;
		}
	}
	to_mux(c, &c->cust, "customer");
	to_mux(c, &c->agent_leg, "agent");
	to_mux(c, &p->leg, p->who);
}

/* The call's legs become a mix (once), then p joins it. */
static int join(struct call *c, struct party *p)
{
	int err = 0;

	if (!c->mix) {
		err = media_mix_alloc(&c->mix, c->mgr->o.media, c->shard);
		if (!err)
			err = media_mix_add(c->mix, c->cust.media, true);
		if (!err && c->agent_leg.media)
			err = media_mix_add(c->mix, c->agent_leg.media, true);
	}
	if (!err)
		err = media_mix_add(c->mix, p->leg.media, false);
	if (err) {
		log_warn("call.mix", "id=%s err=%s", c->rec.id, strerror(err));
		return err;
	}
	p->in_mix = true;
	apply(c);
	return 0;
}

/* When no one but caller and agent is left, they are a plain pair again. */
static void settle(struct call *c)
{
	for (struct le *le = list_head(&c->parties); le; le = le->next)
		if (((struct party *)le->data)->in_mix)
			return;
	if (!c->mix)
		return;
	media_mix_free(c->mix);
	c->mix = NULL;
	if (c->agent_leg.media)
		(void)media_bridge(c->cust.media, c->agent_leg.media);
}

static void leave(struct call *c, struct party *p)
{
	if (p->in_mix && c->mix)
		(void)media_mix_remove(c->mix, p->leg.media);
	p->in_mix = false;
	mem_deref(p);
	settle(c);
}

/* ---- conference ---- */

void call_conf_answered(struct call *c, struct party *p)
{
	if (join(c, p)) {
		cdr_party(&c->rec, BUS_CALL_CONFERENCE, p->who, NULL, "failed");
		mem_deref(p);
		return;
	}
	conf_mux(c, p);
	cdr_party(&c->rec, BUS_CALL_CONFERENCE, p->who, NULL, "joined");
	log_info("call.conference", "id=%s joined=%s members=%u", c->rec.id,
		 p->who, media_mix_count(c->mix));
}

void call_conf_left(struct call *c, struct party *p, const char *why)
{
	cdr_party(&c->rec, BUS_CALL_CONFERENCE, p->who, NULL, why);
	log_info("call.conference", "id=%s left=%s why=%s", c->rec.id, p->who,
		 why);
	leave(c, p);
}

int call_conference(struct call_mgr *m, const char *call_id,
		    const char *agent, const char *to, char *why, size_t n)
{
	struct call *c = call_by_id(m, call_id);
	struct party *p;
	int err;

	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (c->app != &call_app_talk || c->consult) {
		snprintf(why, n, c->consult ? "a consultation is under way" :
			 "the call is not in conversation");
		return EBUSY;
	}
	if (list_count(&c->parties) >= MEDIA_MIX_MAX - 2) {
		snprintf(why, n, "the call has %u parties already",
			 MEDIA_MIX_MAX);
		return EBUSY;
	}
	err = call_party_ring(c, PARTY_CONF, to, &p, why, n);
	if (err)
		return err;
	cdr_party(&c->rec, BUS_CALL_CONFERENCE, p->who, NULL, "ringing");
	return 0;
}

bool call_conf_agent_left(struct call *c)
{
	struct call_mgr *m = c->mgr;
	struct party *p = NULL;
	char agent[sizeof(c->rec.agent)];

	for (struct le *le = list_head(&c->parties); le && !p; le = le->next) {
		struct party *x = le->data;
		if (x->role == PARTY_CONF && x->in_mix)
			p = x;
	}
	if (!p)
		return false;
	util_strlcpy(agent, c->rec.agent, sizeof(agent));
	call_leg_hold(&c->agent_leg, false);
	cdr_transfer(&c->rec, agent, p->who, "conference");
	if (c->queued) {
		c->queued = false;
		if (m->qops.transferred)
			m->qops.transferred(m->qarg, c->key, p->who);
	}
	call_agent_release(c);   /* its media leaves the mix as it closes */
	p->in_mix = false;
	call_party_moved(c, p);
	c->rec.codec_agent = c->agent_leg.neg.codec.name;
	cdr_answered(&c->rec);   /* the record's agent is the third party now */
	apply(c);
	settle(c);
	log_info("call.conference", "id=%s agent_left=%s now=%s", c->rec.id,
		 agent, c->rec.agent);
	return true;
}

/* ---- monitoring ---- */

void call_monitor_answered(struct call *c, struct party *p)
{
	if (join(c, p)) {
		cdr_party(&c->rec, BUS_CALL_MONITOR, p->who, mode_names[p->mode], "failed");
		mem_deref(p);
		return;
	}
	cdr_party(&c->rec, BUS_CALL_MONITOR, p->who, mode_names[p->mode], "joined");
	log_info("call.monitor", "id=%s supervisor=%s mode=%s", c->rec.id,
		 p->who, mode_names[p->mode]);
}

void call_monitor_left(struct call *c, struct party *p, const char *why)
{
	cdr_party(&c->rec, BUS_CALL_MONITOR, p->who, mode_names[p->mode], why);
	leave(c, p);
}

static void set_mode(struct call *c, struct party *p, enum call_mon_mode mode)
{
	if (p->mode == mode)
		return;
	p->mode = mode;
	if (p->in_mix)
		apply(c);
	cdr_party(&c->rec, BUS_CALL_MONITOR, p->who, mode_names[mode], "mode");
	log_info("call.monitor", "id=%s supervisor=%s mode=%s", c->rec.id,
		 p->who, mode_names[mode]);
}

int call_monitor_mode_parse(const char *name, enum call_mon_mode *mode)
{
	for (size_t i = 0; i < ARRAY_LEN(mode_names); i++)
		if (!strcmp(mode_names[i], name)) {
			*mode = (enum call_mon_mode)i;
			return 0;
		}
	return EINVAL;
}

int call_monitor(struct call_mgr *m, const char *call_id,
		 const char *supervisor, enum call_mon_mode mode, char *why,
		 size_t n)
{
	struct call *c = call_by_id(m, call_id);
	struct party *p;
	int err;

	if (!c)
		return ENOENT;
	p = call_party_find(c, PARTY_MONITOR, supervisor);
	if (p) {
		set_mode(c, p, mode);
		return 0;
	}
	if (c->app != &call_app_talk) {
		snprintf(why, n, "the call is not in conversation");
		return EBUSY;
	}
	if (list_count(&c->parties) >= MEDIA_MIX_MAX - 2) {
		snprintf(why, n, "the call has %u parties already",
			 MEDIA_MIX_MAX);
		return EBUSY;
	}
	err = call_party_ring(c, PARTY_MONITOR, supervisor, &p, why, n);
	if (err)
		return err;
	p->mode = mode;
	cdr_party(&c->rec, BUS_CALL_MONITOR, p->who, mode_names[mode], "ringing");
	return 0;
}

/* The supervisor's keys switch modes: 1 listen, 2 whisper, 3 barge. */
void call_monitor_dtmf(struct call *c, struct leg *l, char digit)
{
	static const char keys[] = "123";
	const char *k = strchr(keys, digit);

	for (struct le *le = list_head(&c->parties); le && digit && k;
	     le = le->next) {
		struct party *p = le->data;
		if (&p->leg == l && p->role == PARTY_MONITOR) {
			set_mode(c, p, (enum call_mon_mode)(k - keys));
			return;
		}
	}
}
