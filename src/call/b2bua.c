/* call/b2bua: an INVITE becomes a call with two dialogs.
 *
 * The customer's INVITE is held at 180 Ringing while Hotline sends its own
 * INVITE (with its own SDP offer) to the agent's registered contact. When the
 * agent answers, the customer gets 200 OK with our SDP answer and the two
 * RTP legs are bridged (and recorded). Each leg negotiates its own codec, so
 * a PCMU caller can talk to a PCMA phone: the media engine transcodes. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "db/db.h"
#include "sip/sipx.h"

enum { SDP_MAX = 2048 };

/* ---- helpers ---- */

struct mbuf *call_sdp_mbuf(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text));
	if (mb) {
		mbuf_write_str(mb, text);
		mb->pos = 0;
	}
	return mb;
}

static void leg_close(struct leg *l)
{
	l->sess = mem_deref(l->sess);
	media_leg_close(l->media);
	l->media = NULL;
}

static void call_destroy(void *arg)
{
	struct call *c = arg;
	list_unlink(&c->le);
	tmr_cancel(&c->hangup);
	tmr_cancel(&c->noanswer);
	c->vm = mem_deref(c->vm);
	leg_close(&c->cust);
	leg_close(&c->agent_leg);
	call_rings_flush(c);
}

/* Ends the call once: the other dialog is released (libre sends BYE, or
 * CANCEL while it is still ringing), the record finalised, memory freed.
 * A queued call's host hears how it left first, while the call can still
 * take its call_offer_cancel. */
void call_end(struct call *c, const char *by, const char *cause)
{
	if (c->state == CALL_ENDED || c->leaving)
		return;
	if (c->queued && c->mgr->qops.left) {
		enum call_q_end how = c->state == CALL_TALKING ?
			CALL_Q_COMPLETED : !strcmp(by, "caller") ?
			CALL_Q_ABANDONED : CALL_Q_DROPPED;
		c->leaving = true;
		c->mgr->qops.left(c->mgr->qarg, c->key, how);
	}
	if (c->state != CALL_TALKING && c->state != CALL_REDIRECTING &&
	    c->cust.sess && !c->cust.estab)
		(void)sipsess_reject(c->cust.sess, 487, "Request Terminated",
				     NULL);
	call_vm_end(c);
	c->state = CALL_ENDED;
	c->rec.ended_ms = util_now_ms();
	if (c->agent_leg.held && c->rec.ended_ms > c->agent_leg.held_at)
		c->rec.hold_ms += c->rec.ended_ms - c->agent_leg.held_at;
	if (!c->feature)
		cdr_ended(&c->rec, by, cause);
	mem_deref(c);
}

/* Refuses the still-ringing caller with code, then ends the call. */
static void reject_end(struct call *c, uint16_t code, const char *reason,
		       const char *by, const char *cause)
{
	(void)sipsess_reject(c->cust.sess, code, reason, NULL);
	c->cust.sess = mem_deref(c->cust.sess);
	call_end(c, by, cause);
}

/* ---- re-INVITE on either leg: hold and resume ---- */

static int on_offer(struct mbuf **descp, const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	char sdp[SDP_MAX];
	int err = leg_sdp_answer(l, (const char *)mbuf_buf(msg->mb),
				 mbuf_get_left(msg->mb), sdp, sizeof(sdp));
	if (err)
		return err;
	log_info("call.reinvite", "id=%s leg=%s dir=%d", l->call->rec.id,
		 l->is_agent ? "agent" : "customer", (int)l->neg.dir);
	*descp = call_sdp_mbuf(sdp);
	if (!*descp)
		return ENOMEM;
	if (l->estab)
		call_leg_hold(l, call_leg_is_hold(l));
	return 0;
}

/* ---- the agent leg ---- */

static int on_agent_answer(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	int err = leg_sdp_read_answer(l, (const char *)mbuf_buf(msg->mb),
				      mbuf_get_left(msg->mb));
	if (err)
		log_warn("call.agent_sdp", "id=%s err=%s", l->call->rec.id,
			 strerror(err));
	return err;
}

static void on_agent_progress(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	if (msg->scode == 180 || msg->scode == 183)
		log_debug("call.agent_progress", "id=%s code=%u", l->call->rec.id,
			  msg->scode);
}

void call_start_recording(struct call *c)
{
	char path[700], day[UTIL_TIME_LEN], part[sizeof(c->rec.recording)];

	if (!c->mgr->o.record)
		return;
	util_rfc3339(day, c->rec.started_ms);
	day[10] = '\0';
	/* The record names the first conversation's file; a transferred
	 * call's later conversations are recorded beside it (<id>-2.wav …),
	 * since a file ends with the agent leg that fed it. */
	if (c->nrec)
		snprintf(part, sizeof(part), "recordings/%s/%s-%u.wav", day,
			 c->rec.id, c->nrec + 1);
	else
		snprintf(part, sizeof(part), "recordings/%s/%s.wav", day,
			 c->rec.id);
	snprintf(path, sizeof(path), "%s/%s", c->mgr->data_dir, part);
	if (media_record(c->cust.media, c->agent_leg.media, path)) {
		log_warn("call.record", "id=%s path=%s failed", c->rec.id, path);
		return;
	}
	if (!c->nrec++)
		util_strlcpy(c->rec.recording, part, sizeof(c->rec.recording));
	else
		log_info("call.record", "id=%s part=%s", c->rec.id, part);
}

void call_connected(struct call *c)
{
	c->state = CALL_TALKING;
	if (!c->rec.answered_ms)
		c->rec.answered_ms = util_now_ms();
	c->rec.codec_customer = c->cust.neg.codec.name;
	c->rec.codec_agent = c->agent_leg.neg.codec.name;
	media_bridge(c->cust.media, c->agent_leg.media);
	call_start_recording(c);
	cdr_answered(&c->rec);
}

static void on_agent_estab(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct call *c = l->call;
	struct mbuf *mb;
	(void)msg;

	l->estab = true;
	if (c->state == CALL_QUEUED) {
		call_queued_answered(l);
		return;
	}
	if (c->state == CALL_REDIRECTING) {
		call_redirect_answered(c);
		return;
	}
	if (c->mgr->o.ringback)
		media_leg_stop(c->cust.media);
	mb = call_sdp_mbuf(c->cust_answer);
	if (!mb || sipsess_answer(c->cust.sess, 200, "OK", mb, NULL)) {
		mem_deref(mb);
		call_end(c, "system", "answer failed");
		return;
	}
	mem_deref(mb);
	c->cust.estab = true;
	call_connected(c);
}

static void on_agent_close(int err, const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct call *c = l->call;
	char cause[64];

	l->sess = mem_deref(l->sess);
	if (c->state == CALL_QUEUED) {
		call_queued_missed(l, msg && msg->scode >= 300 ? msg->scode :
				   480);
		return;
	}
	if (c->state == CALL_REDIRECTING) {
		snprintf(cause, sizeof(cause), "%u",
			 msg && msg->scode >= 300 ? msg->scode : 480);
		call_redirect_failed(c, cause);
		return;
	}
	if (c->state == CALL_RINGING) {
		/* The agent refused or never answered: the caller hears why. */
		uint16_t code = msg && msg->scode >= 300 ? msg->scode : 480;
		snprintf(cause, sizeof(cause), "%u", code);
		reject_end(c, code, code == 480 ? "Temporarily Unavailable" :
			   "Agent Declined", "agent", cause);
		return;
	}
	snprintf(cause, sizeof(cause), "%s",
		 err == ECONNRESET || !err ? "bye" : strerror(err));
	call_end(c, "agent", cause);
}

/* Sends the agent's INVITE to the registered Contact URI. (Phones behind
 * NAT, whose Contact is unreachable, need the REGISTER's source address as
 * the target instead: a later change.) */
static int ring_agent(struct call *c, struct leg *l,
		      const struct sipx_contact *ct)
{
	char sdp[SDP_MAX], from_uri[256];
	struct mbuf *mb;
	int err;

	l->estab = false;
	err = leg_sdp_offer(l, sdp, sizeof(sdp));
	if (err)
		return err;
	mb = call_sdp_mbuf(sdp);
	if (!mb)
		return ENOMEM;
	snprintf(from_uri, sizeof(from_uri), "sip:%s@%s", c->rec.from,
		 c->mgr->media_ip);
	err = sipsess_connect(&l->sess, sipx_sess_sock(c->mgr->o.sipx), ct->uri,
			      c->rec.from, from_uri, "hotline", NULL, 0,
			      "application/sdp", mb, NULL, NULL, false,
			      on_offer, on_agent_answer, on_agent_progress,
			      on_agent_estab, NULL, call_on_refer,
			      on_agent_close, l,
			      "X-Hotline-Call: %s\r\n", c->rec.id);
	mem_deref(mb);
	return err;
}

int call_ring_leg(struct call *c, struct leg *l, const char *agent)
{
	struct sipx_contact contact;
	size_t n = 0;

	if (sipx_contacts(c->mgr->o.sipx, agent, &contact, 1, &n) || !n)
		return ENODEV;
	return ring_agent(c, l, &contact);
}

int call_ring_agent(struct call *c, const char *agent)
{
	return call_ring_leg(c, &c->agent_leg, agent);
}

/* ---- the customer leg ---- */

static void on_cust_estab(const struct sip_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

static void on_cust_close(int err, const struct sip_msg *msg, void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	(void)msg;

	l->sess = mem_deref(l->sess);
	call_end(c, "caller", c->state == CALL_RINGING ? "cancel" :
		 c->state == CALL_VOICEMAIL ? "voicemail" :
		 err == ECONNRESET || !err ? "bye" : strerror(err));
}

/* A direct call's agent never answered: the caller hears 480, the agent's
 * phone is cancelled (call_end releases its dialog). */
static void on_noanswer(void *arg)
{
	struct call *c = arg;

	if (c->state == CALL_RINGING)
		reject_end(c, 480, "Temporarily Unavailable (no answer)",
			   "system", "no-answer");
}

/* Takes the customer's INVITE into a session with a provisional answer
 * (desc: our SDP for early media, or NULL). */
static int accept_session(struct call *c, const struct sip_msg *msg,
			  uint16_t scode, const char *reason, struct mbuf *desc)
{
	return sipsess_accept(&c->cust.sess, sipx_sess_sock(c->mgr->o.sipx),
			      msg, scode, reason, "hotline", "application/sdp",
			      desc, NULL, NULL, false, on_offer, NULL,
			      on_cust_estab, NULL, NULL, on_cust_close,
			      &c->cust, NULL);
}

/* Answers the customer's INVITE provisionally: 180 Ringing, or with a
 * ringback prompt 183 Session Progress with our SDP and the prompt playing
 * (early media) until the agent answers. */
static int accept_customer(struct call *c, const struct sip_msg *msg)
{
	struct call_mgr *m = c->mgr;
	struct mbuf *mb = NULL;
	int err;

	if (m->o.ringback && !(mb = call_sdp_mbuf(c->cust_answer)))
		return ENOMEM;
	err = accept_session(c, msg, mb ? 183 : 180,
			     mb ? "Session Progress" : "Ringing", mb);
	mem_deref(mb);
	if (!err && m->o.ringback)
		err = media_leg_play(c->cust.media, m->o.ringback, true);
	return err;
}

int call_answer_now(struct call *c, const struct sip_msg *msg)
{
	struct mbuf *mb;
	int err = accept_session(c, msg, 180, "Ringing", NULL);

	if (err)
		return err;
	mb = call_sdp_mbuf(c->cust_answer);
	err = mb ? sipsess_answer(c->cust.sess, 200, "OK", mb, NULL) : ENOMEM;
	mem_deref(mb);
	if (!err)
		c->cust.estab = true;
	return err;
}

int call_prepare_customer(struct call *c, const struct sip_msg *msg,
			  uint16_t *code, const char **reason)
{
	struct call_mgr *m = c->mgr;
	int err;

	c->shard = media_engine_shard(m->o.media);
	err = media_leg_alloc(&c->cust.media, m->o.media, c->shard, &c->cust);
	if (err) {
		*code = 503;
		*reason = "Service Unavailable (no media ports)";
		return err;
	}
	err = leg_sdp_answer(&c->cust, (const char *)mbuf_buf(msg->mb),
			     mbuf_get_left(msg->mb), c->cust_answer,
			     sizeof(c->cust_answer));
	if (err) {
		*code = err == ENOTSUP ? 488 : 400;
		*reason = err == ENOTSUP ? "Not Acceptable Here (no common codec)"
			: "Bad Request (malformed SDP)";
	}
	return err;
}

/* ---- routing ---- */

/* Where a dialled number leads: kind "extension" or "queue", which, and
 * the priority its callers queue with. */
struct route {
	char kind[16];
	char target[32];
	int32_t priority;
};

static int route_row(const struct db_row *row, void *arg)
{
	struct route *r = arg;
	util_strlcpy(r->kind, db_row_text(row, 0) ? db_row_text(row, 0) : "",
		     sizeof(r->kind));
	util_strlcpy(r->target, db_row_text(row, 1) ? db_row_text(row, 1) : "",
		     sizeof(r->target));
	r->priority = (int32_t)db_row_int(row, 2);
	return 1;
}

/* A DID's target (an extension or a queue), or the number itself when it
 * is an extension (the registrar's table, in memory). 0, or ENOENT. */
static int route(struct call_mgr *m, const char *dialled, struct route *r)
{
	memset(r, 0, sizeof(*r));
	db_query(m->o.db, route_row, r,
		 "SELECT target_kind, target, priority FROM dids WHERE did = ? AND "
		 "target_kind IN ('extension', 'queue')", "t", dialled);
	if (r->target[0])
		return 0;
	if (!sipx_has_extension(m->o.sipx, dialled))
		return ENOENT;
	util_strlcpy(r->kind, "extension", sizeof(r->kind));
	util_strlcpy(r->target, dialled, sizeof(r->target));
	return 0;
}

void call_reply(struct call_mgr *m, const struct sip_msg *msg,
		uint16_t code, const char *reason)
{
	char src[64], to[64];

	(void)sip_reply(sipx_sip(m->o.sipx), msg, code, reason);
	re_snprintf(src, sizeof(src), "%J", &msg->src);
	pl_strcpy(&msg->uri.user, to, sizeof(to));
	log_info("call.refused", "from=%s to=%s code=%u reason=%s", src, to,
		 code, reason);
}

static void on_invite(const struct sip_msg *msg, void *arg)
{
	struct call_mgr *m = arg;
	struct sipx_contact contact;
	char auth_ext[SIPX_EXT_SZ] = "";
	struct route rt;
	struct call *c;
	const char *reason = NULL;
	uint16_t code = 0;
	size_t ncontacts = 0;
	int err;

	if (m->stopping) {
		call_reply(m, msg, 503, "Shutting Down");
		return;
	}
	/* Trunks (in the demo: loopback) call in freely; anyone else must be
	 * one of our extensions and prove it (sipx_is_trunk says no when the
	 * From names an extension). A feature code ("*21") is an extension's
	 * own request, so it is always authenticated. */
	if ((!sipx_is_trunk(m->o.sipx, msg) ||
	     (msg->uri.user.l && msg->uri.user.p[0] == '*')) &&
	    sipx_authenticate(m->o.sipx, msg, auth_ext))
		return;
	c = mem_zalloc(sizeof(*c), call_destroy);
	if (!c) {
		call_reply(m, msg, 500, "Out of Memory");
		return;
	}
	c->mgr = m;
	tmr_init(&c->hangup);
	tmr_init(&c->noanswer);
	c->key = ++m->next_key;
	c->rec.db = m->o.db;
	c->rec.bus = m->o.bus;
	util_random_id(c->rec.id);
	c->rec.started_ms = util_now_ms();
	c->rec.direction = auth_ext[0] ? "internal" : "inbound";
	pl_strcpy(&msg->uri.user, c->rec.to, sizeof(c->rec.to));
	if (auth_ext[0])
		util_strlcpy(c->rec.from, auth_ext, sizeof(c->rec.from));
	else
		pl_strcpy(&msg->from.uri.user, c->rec.from, sizeof(c->rec.from));
	c->cust.call = c->agent_leg.call = c;
	c->agent_leg.is_agent = true;
	c->cust.sdp_id = rand_u32();
	c->agent_leg.sdp_id = rand_u32();

	if (auth_ext[0] && c->rec.to[0] == '*') {
		call_feature(c, msg, auth_ext);
		return;
	}
	if (route(m, c->rec.to, &rt)) {
		call_reply(m, msg, 404, "Not Found");
		goto refused;
	}
	/* Every line is taken: the caller hears busy, and a queue counts a
	 * blocked call (忙音: it never reached the ACD). */
	if (m->o.max_calls && list_count(&m->calls) >= m->o.max_calls) {
		call_reply(m, msg, 486, "Busy Here (all lines busy)");
		if (!strcmp(rt.kind, "queue") && m->qops.blocked)
			m->qops.blocked(m->qarg, rt.target, "lines");
		goto refused;
	}
	if (!strcmp(rt.kind, "queue")) {
		call_queued_start(c, msg, rt.target, rt.priority);
		return;
	}
	util_strlcpy(c->rec.agent, rt.target, sizeof(c->rec.agent));
	if (sipx_contacts(m->o.sipx, c->rec.agent, &contact, 1, &ncontacts) ||
	    !ncontacts) {
		call_reply(m, msg, 480, "Temporarily Unavailable (not registered)");
		goto refused;
	}
	err = call_prepare_customer(c, msg, &code, &reason);
	if (!err && media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
				    &c->agent_leg)) {
		err = ENOSPC;
		code = 503;
		reason = "Service Unavailable (no media ports)";
	}
	if (err) {
		call_reply(m, msg, code, reason);
		goto refused;
	}
	err = accept_customer(c, msg);
	if (err) {
		call_reply(m, msg, 500, "Server Error");
		goto refused;
	}
	list_append(&m->calls, &c->le, c);
	c->state = CALL_RINGING;
	cdr_created(&c->rec);
	err = ring_agent(c, &c->agent_leg, &contact);
	if (err) {
		log_warn("call.ring", "id=%s contact=%s err=%s", c->rec.id, contact.uri,
			 strerror(err));
		reject_end(c, 480, "Temporarily Unavailable", "system", "480");
		return;
	}
	cdr_ringing(&c->rec);
	if (m->o.ring_timeout_ms)
		tmr_start(&c->noanswer, m->o.ring_timeout_ms, on_noanswer, c);
	log_info("call.ringing", "id=%s from=%s to=%s agent=%s contact=%s",
		 c->rec.id, c->rec.from, c->rec.to, c->rec.agent, contact.uri);
	return;
refused:
	mem_deref(c);
}

/* ---- media events ---- */

static void on_media_event(const struct media_event *ev, void *arg)
{
	struct leg *l = call_leg_live(ev->owner);
	(void)arg;

	/* A waiting caller's announcement is over: the music again. */
	if (ev->kind == MEDIA_EV_PROMPT_END && call_queued_prompt_end(l))
		return;
	/* A feature code's confirmation has been heard: hang up now. */
	if (ev->kind == MEDIA_EV_PROMPT_END && !l->is_agent &&
	    tmr_isrunning(&l->call->hangup))
		tmr_start(&l->call->hangup, 0, call_feature_hangup, l->call);
	/* The voicemail greeting has been heard: the caller speaks now. */
	if (ev->kind == MEDIA_EV_PROMPT_END && !l->is_agent && l->call->vm)
		call_vm_record(l->call);
	if (ev->kind == MEDIA_EV_DTMF)
		cdr_dtmf(&l->call->rec, ev->digit,
			 l->is_agent ? "agent" : "customer",
			 ev->inband ? "inband" : "rfc4733");
}

/* ---- manager ---- */

static void mgr_destroy(void *arg)
{
	struct call_mgr *m = arg;
	call_mgr_hangup_all(m);
	mem_deref(m->data_dir);
	mem_deref(m->media_ip);
	media_prompt_unref(m->o.ringback);
	media_prompt_unref(m->o.moh);
	media_prompt_unref(m->o.confirm);
	media_prompt_unref(m->o.vm_greeting);
}

int call_mgr_alloc(struct call_mgr **mp, const struct call_opts *o)
{
	struct call_mgr *m = mem_zalloc(sizeof(*m), mgr_destroy);
	int err;

	if (!m)
		return ENOMEM;
	m->o = *o;
	media_prompt_ref(m->o.ringback);
	media_prompt_ref(m->o.moh);
	media_prompt_ref(m->o.confirm);
	media_prompt_ref(m->o.vm_greeting);
	err = str_dup(&m->data_dir, o->data_dir);
	if (!err)
		err = str_dup(&m->media_ip, o->media_ip);
	if (err) {
		mem_deref(m);
		return err;
	}
	sipx_set_invite_handler(o->sipx, on_invite, m);
	media_engine_set_handler(o->media, on_media_event, m);
	*mp = m;
	return 0;
}

void call_mgr_hangup_all(struct call_mgr *m)
{
	struct le *le;

	m->stopping = true;
	while ((le = list_head(&m->calls)) != NULL) {
		struct call *c = le->data;
		call_end(c, "system", "shutdown");
	}
}

void call_mgr_set_queue(struct call_mgr *m, const struct call_queue_ops *ops,
			void *arg)
{
	m->qops = *ops;
	m->qarg = arg;
}

unsigned call_mgr_count(const struct call_mgr *m)
{
	return list_count(&m->calls);
}

void call_mgr_set_vm_greeting(struct call_mgr *m, struct media_prompt *p)
{
	media_prompt_ref(p);
	media_prompt_unref(m->o.vm_greeting);
	m->o.vm_greeting = p;
}

void call_mgr_free(struct call_mgr *m)
{
	mem_deref(m);
}
