/* call/b2bua: an INVITE becomes a call with two dialogs, run by an
 * application (app.c).
 *
 * This file owns what every call has: the customer leg (the caller's dialog
 * and RTP endpoint), the agent leg Hotline opens towards a phone, the
 * record, and the end (call_end). It asks the dial plan (route/) where the
 * dialled number leads, hands the call to the app of that kind, and from
 * then on passes each dialog and media event to the call's current app,
 * which decides: the B2BUA itself never asks what state a call is in.
 * Each leg negotiates its own codec, so a PCMU caller can talk to a PCMA
 * phone: the media engine transcodes. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "region/region.h"
#include "route/route.h"
#include "sip/sipx.h"
#include "trunk/trunk.h"

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
	tmr_cancel(&c->tmr);
	c->vm = mem_deref(c->vm);
	c->ivr = mem_deref(c->ivr);
	call_consent_forget(c);
	leg_close(&c->cust);
	leg_close(&c->agent_leg);
	call_rings_flush(c);
	call_parties_flush(c);
	call_trunk_release(c);
	c->out = mem_deref(c->out);
	cdr_release(&c->rec);
	/* Last: the dialog it forwarded for is closed above. */
	c->replaced = mem_deref(c->replaced);
}

/* Ends the call once: the other dialog is released (libre sends BYE, or
 * CANCEL while it is still ringing), the record finalised, memory freed.
 * A queued call's host hears how it left first, while the call can still
 * take its call_offer_cancel. */
void call_end(struct call *c, const char *by, const char *cause)
{
	if (c->ended || c->leaving)
		return;
	if (c->queued && c->mgr->qops.left) {
		enum call_q_end how = c->app == &call_app_talk ?
			CALL_Q_COMPLETED : !strcmp(by, "caller") ?
			CALL_Q_ABANDONED : CALL_Q_DROPPED;
		c->leaving = true;
		c->mgr->qops.left(c->mgr->qarg, c->key, how);
	}
	/* A caller never answered (still ringing) gets a final response. */
	if (c->cust.sess && !c->cust.estab)
		(void)sipx_sess_reject(c->cust.sess, 487, "Request Terminated");
	if (c->app->end)
		c->app->end(c);
	call_rec_stopped(c);   /* before call.ended: the pause ends first */
	c->ended = true;
	c->rec.ended_ms = util_now_ms();
	if (c->agent_leg.held && c->rec.ended_ms > c->agent_leg.held_at)
		c->rec.hold_ms += c->rec.ended_ms - c->agent_leg.held_at;
	if (!c->app->not_a_call)
		cdr_ended(&c->rec, by, cause);
	mem_deref(c);
}

/* ---- re-INVITE on either leg: hold and resume ---- */

/* A re-INVITE without SDP asks for our offer (RFC 3261 14.2): it goes in
 * the 200 and the answer comes in the ACK (on_answer). */
int call_leg_offer(struct mbuf **descp, const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	char sdp[SDP_MAX];
	struct pl body;
	int err = sipx_sdp_body(msg, &body);
	bool late = err == ENOENT;

	if (err && !late)
		return err;
	err = late ? leg_sdp_offer(l, sdp, sizeof(sdp)) :
		leg_sdp_answer(l, body.p, body.l, sdp, sizeof(sdp));
	if (err)
		return err;
	l->late_offer = late;
	l->sdp_at = util_mono_ms();
	call_leg_refreshed(l);
	/* libre answers this re-INVITE without our Session-Expires. */
	l->st_unsure = l->estab;
	*descp = call_sdp_mbuf(sdp);
	if (!*descp)
		return ENOMEM;
	if (late) {
		log_info("call.reinvite", "id=%s leg=%s late_offer=1",
			 l->call->rec.id, l->is_agent ? "agent" : "customer");
		return 0;
	}
	log_info("call.reinvite", "id=%s leg=%s dir=%d", l->call->rec.id,
		 l->is_agent ? "agent" : "customer", (int)l->neg.dir);
	if (l->estab)
		call_leg_hold(l, call_leg_is_hold(l));
	return 0;
}

/* The answer to our offer: in the 200 to our INVITE (agent leg), or in
 * the ACK of a late offer (either leg). A missing or broken answer ends
 * the dialog (libre sends BYE). */
static int on_answer(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct pl body;
	int err = sipx_sdp_body(msg, &body);

	if (!err)
		err = leg_sdp_read_answer(l, body.p, body.l);
	if (err) {
		log_warn("call.answer_sdp", "id=%s leg=%s err=%s",
			 l->call->rec.id, l->is_agent ? "agent" : "customer",
			 strerror(err));
		return err;
	}
	if (l->late_offer && l->estab)
		call_leg_hold(l, call_leg_is_hold(l));
	l->late_offer = false;
	l->sdp_at = util_mono_ms();
	call_leg_refreshed(l);
	return 0;
}

/* ---- the agent leg ---- */

static void on_agent_progress(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	if (msg->scode == 180 || msg->scode == 183)
		log_debug("call.agent_progress", "id=%s code=%u", l->call->rec.id,
			  msg->scode);
	if (l->call->app->progress)
		l->call->app->progress(l->call, l, msg->scode);
}

static void on_agent_estab(const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct call *c = l->call;

	call_leg_granted(l, msg);
	l->estab = true;
	if (c->app->answered)
		c->app->answered(c, l);
}

static void on_agent_close(int err, const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);
	struct call *c = l->call;
	char cause[64];

	l->sess = mem_deref(l->sess);
	if (call_leg_refresh_failed(l, err, msg)) {
		call_end(c, "system", "session_expired");
		return;
	}
	if (c->app->agent_closed) {
		c->app->agent_closed(c, l, err, msg && msg->scode >= 300 ?
				     msg->scode : 480);
		return;
	}
	snprintf(cause, sizeof(cause), "%s",
		 err == ECONNRESET || !err ? "bye" : strerror(err));
	call_end(c, "agent", cause);
}

/* What the agent leg's dialog calls back; arg is the leg. */
static const struct sipx_sess_h agent_h = {
	.offer = call_leg_offer, .answer = on_answer,
	.progress = on_agent_progress, .estab = on_agent_estab,
	.refer = call_on_refer, .close = on_agent_close,
};

const struct sipx_sess_h *call_agent_h(void)
{
	return &agent_h;
}

/* Sends the agent's INVITE to the registered Contact URI. (Phones behind
 * NAT, whose Contact is unreachable, need the REGISTER's source address as
 * the target instead: a later change.) */
int call_ring_uri(struct call *c, struct leg *l, const char *uri)
{
	return call_dial_uri(c, l, uri, NULL, &agent_h);
}

/* Whether a request to uri goes over TLS (sips:, or ;transport=tls). */
static bool uri_is_tls(const char *uri)
{
	return !strncasecmp(uri, "sips:", 5) ||
		strcasestr(uri, ";transport=tls") != NULL;
}

int call_dial_uri(struct call *c, struct leg *l, const char *uri,
		  const char *from, const struct sipx_sess_h *h)
{
	char sdp[SDP_MAX], from_uri[256];
	struct mbuf *mb;
	int err;

	if (!from)
		from = c->rec.from;
	l->estab = false;
	/* A phone reached over TLS gets SRTP: its keys travel encrypted. */
	l->tls = uri_is_tls(uri);
	l->srtp = l->tls;
	memset(&l->st, 0, sizeof(l->st));
	l->st_unsure = false;
	err = leg_sdp_offer(l, sdp, sizeof(sdp));
	if (err)
		return err;
	mb = call_sdp_mbuf(sdp);
	if (!mb)
		return ENOMEM;
	snprintf(from_uri, sizeof(from_uri), "sip:%s@%s", from,
		 c->mgr->media_ip);
	err = sipx_sess_connect(&l->sess, c->mgr->o.sipx, uri, from,
				from_uri, mb, h, l, c->rec.id);
	mem_deref(mb);
	return err;
}

int call_dial_trunk(struct call *c, struct leg *l, const char *uri,
		  const char *from_user, const struct sipx_dial *d)
{
	char sdp[SDP_MAX], from_uri[256];
	struct mbuf *mb;
	int err;

	l->estab = false;
	l->tls = uri_is_tls(uri);
	memset(&l->st, 0, sizeof(l->st));
	l->st_unsure = false;
	err = leg_sdp_offer(l, sdp, sizeof(sdp));
	if (err)
		return err;
	mb = call_sdp_mbuf(sdp);
	if (!mb)
		return ENOMEM;
	/* RFC 3323: an anonymous From names no host of ours either. */
	if (!strcmp(from_user, "anonymous"))
		snprintf(from_uri, sizeof(from_uri),
			 "sip:anonymous@anonymous.invalid");
	else
		snprintf(from_uri, sizeof(from_uri), "sip:%s@%s", from_user,
			 c->mgr->media_ip);
	err = sipx_sess_dial(&l->sess, c->mgr->o.sipx, uri, from_user,
			     from_uri, mb, &agent_h, l, c->rec.id, d);
	mem_deref(mb);
	return err;
}

int call_ring_leg(struct call *c, struct leg *l, const char *agent)
{
	struct sipx_contact contact;
	size_t n = 0;

	char uri[SIPX_URI_SZ];

	if (sipx_contacts(c->mgr->o.sipx, agent, &contact, 1, &n) || !n ||
	    sipx_contact_target(&contact, uri, sizeof(uri)))
		return ENODEV;
	return call_ring_uri(c, l, uri);
}

int call_ring_agent(struct call *c, const char *agent)
{
	return call_ring_leg(c, &c->agent_leg, agent);
}

void call_agent_release(struct call *c)
{
	struct leg *l = &c->agent_leg;

	l->sess = mem_deref(l->sess);     /* BYE, or CANCEL while ringing */
	media_leg_close(l->media);
	l->media = NULL;
	l->estab = false;
	l->held = false;
	memset(&l->st, 0, sizeof(l->st));
	l->st_unsure = false;
	l->codecs[0] = '\0';         /* a trunk's choice is not a phone's */
	/* Nor are its keys: the next phone's leg starts plain. */
	l->tls = l->srtp = false;
	l->neg.secure = false;
	memset(&l->key, 0, sizeof(l->key));
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

	l->sess = mem_deref(l->sess);
	if (call_leg_refresh_failed(l, err, msg)) {
		call_end(c, "system", "session_expired");
		return;
	}
	call_end(c, "caller", c->app->caller_cause ? c->app->caller_cause :
		 err == ECONNRESET || !err ? "bye" : strerror(err));
}

/* What the customer leg's dialog calls back; arg is the leg. */
static const struct sipx_sess_h cust_h = {
	.offer = call_leg_offer, .answer = on_answer, .estab = on_cust_estab,
	.close = on_cust_close,
};

int call_accept(struct call *c, const struct sip_msg *msg, uint16_t scode,
		const char *reason, struct mbuf *desc)
{
	return sipx_sess_accept(&c->cust.sess, c->mgr->o.sipx, msg, scode,
				reason, desc, &cust_h, &c->cust, &c->cust.st);
}

int call_answer_customer(struct call *c)
{
	struct mbuf *mb = call_sdp_mbuf(c->cust_answer);
	int err = mb ? sipx_sess_answer(c->cust.sess, mb, &c->cust.st) :
		ENOMEM;

	mem_deref(mb);
	if (!err) {
		c->cust.estab = true;
		c->cust.sdp_at = util_mono_ms();
		call_leg_refreshed(&c->cust);
	}
	return err;
}

int call_answer_now(struct call *c, const struct sip_msg *msg)
{
	int err = call_accept(c, msg, 180, "Ringing", NULL);

	return err ? err : call_answer_customer(c);
}

int call_answer_caller(struct call *c, const struct sip_msg *msg,
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

int call_prepare_customer(struct call *c, const struct sip_msg *msg,
			  uint16_t *code, const char **reason)
{
	struct call_mgr *m = c->mgr;
	struct pl body;
	int err;

	c->cust.tls = msg->tp == SIP_TRANSP_TLS;
	c->shard = media_engine_shard(m->o.media);
	err = media_leg_alloc(&c->cust.media, m->o.media, c->shard, &c->cust);
	if (err) {
		*code = 503;
		*reason = "Service Unavailable (no media ports)";
		return err;
	}
	/* Late offer (RFC 3261 13.2.1), as carriers and SBCs send: our offer
	 * goes in the 200 (cust_answer holds it) and the answer comes in the
	 * ACK (on_answer). The endpoint refused a body without SDP (415). */
	if (sipx_sdp_body(msg, &body) == ENOENT) {
		c->cust.late_offer = true;
		err = leg_sdp_offer(&c->cust, c->cust_answer,
				    sizeof(c->cust_answer));
		if (err) {
			*code = 500;
			*reason = "Server Error";
		}
		return err;
	}
	err = leg_sdp_answer(&c->cust, body.p, body.l, c->cust_answer,
			     sizeof(c->cust_answer));
	if (err)
		leg_sdp_refusal(err, code, reason);
	return err;
}

/* ---- a new call ---- */

void call_reply(struct call_mgr *m, const struct sip_msg *msg,
		uint16_t code, const char *reason)
{
	char src[64], to[64];

	(void)sipx_reply(m->o.sipx, msg, code, reason);
	re_snprintf(src, sizeof(src), "%J", &msg->src);
	pl_strcpy(&msg->uri.user, to, sizeof(to));
	log_info("call.refused", "from=%s to=%s code=%u reason=%s", src, to,
		 code, reason);
}

void call_refuse(struct call *c, const struct sip_msg *msg, uint16_t code,
		 const char *reason)
{
	call_reply(c->mgr, msg, code, reason);
	mem_deref(c);
}

struct call *call_find(struct call_mgr *m, uint64_t key)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *c = le->data;
		if (c->key == key)
			return c;
	}
	return NULL;
}

static void call_region(struct call *c)
{
	struct region r;

	if (region_lookup(c->rec.from, &r))
		return;
	util_strlcpy(c->rec.province, r.province, sizeof(c->rec.province));
	util_strlcpy(c->rec.city, r.city, sizeof(c->rec.city));
}

struct call *call_new(struct call_mgr *m)
{
	struct call *c = mem_zalloc(sizeof(*c), call_destroy);

	if (!c)
		return NULL;
	c->mgr = m;
	tmr_init(&c->tmr);
	c->key = ++m->next_key;
	c->rec.db = m->o.db;
	c->rec.bus = m->o.bus;
	util_random_id(c->rec.id);
	c->rec.started_ms = util_now_ms();
	c->cust.call = c->agent_leg.call = c;
	c->agent_leg.is_agent = true;
	c->cust.sdp_id = rand_u32();
	c->agent_leg.sdp_id = rand_u32();
	return c;
}

static struct call *call_alloc(struct call_mgr *m, const struct sip_msg *msg,
			       const char *auth_ext)
{
	struct call *c = call_new(m);

	if (!c)
		return NULL;
	c->rec.direction = auth_ext[0] ? "internal" : "inbound";
	pl_strcpy(&msg->uri.user, c->rec.to, sizeof(c->rec.to));
	if (auth_ext[0])
		util_strlcpy(c->rec.from, auth_ext, sizeof(c->rec.from));
	else
		pl_strcpy(&msg->from.uri.user, c->rec.from, sizeof(c->rec.from));
	/* Before any app starts: the IVR branches on it, the record keeps it.
	 * A lookup is ~20 µs with no I/O (bench/region), cheap enough for the
	 * loop; an extension's number has no region to look up. */
	if (!auth_ext[0])
		call_region(c);
	return c;
}

/* Neither from a trunk nor naming an extension, and no credentials to
 * try: no one Hotline knows (a scanner, a misrouted carrier), told so at
 * once rather than challenged — unless some trunk proves itself by
 * digest, whose first INVITE carries no credentials either. */
static bool stranger(const struct call_mgr *m, const struct sip_msg *msg)
{
	char from[SIPX_EXT_SZ];

	if (sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION) ||
	    sip_msg_hdr(msg, SIP_HDR_PROXY_AUTHORIZATION) ||
	    trunk_has_digest(m->o.trunks))
		return false;
	if (!msg->from.uri.user.l || msg->from.uri.user.l >= sizeof(from))
		return true;
	pl_strcpy(&msg->from.uri.user, from, sizeof(from));
	return !sipx_ext_exists(m->o.sipx, from);
}

/* A trunk's call takes one of its channels (over its limit: 503). 0, or
 * EBUSY with the caller refused. */
static int inbound_trunk(struct call *c, const struct sip_msg *msg,
			 const char *user)
{
	struct trunk *t = user[0] ? trunk_by_user(c->mgr->o.trunks, user) :
		trunk_by_source(c->mgr->o.trunks, &msg->src);

	if (!t)
		return 0;     /* the demo's loopback: no trunk configured */
	if (trunk_channel_take(t, TRUNK_IN)) {
		mem_deref(t);
		return EBUSY;
	}
	c->trunk = t;
	util_strlcpy(c->rec.trunk, trunk_name(t), sizeof(c->rec.trunk));
	return 0;
}

static void on_invite(const struct sip_msg *msg, void *arg)
{
	struct call_mgr *m = arg;
	char auth_ext[SIPX_EXT_SZ] = "", auth_trunk[SIPX_EXT_SZ] = "";
	const struct call_app *app;
	struct route_target rt;
	struct call *c;

	if (m->stopping) {
		call_reply(m, msg, 503, "Shutting Down");
		return;
	}
	/* Trunks known by address (in the demo: loopback) call in freely;
	 * anyone else must prove to be one of our extensions or a trunk known
	 * by digest (sipx_is_trunk says no when the From names an
	 * extension). A feature code ("*21") is an extension's
	 * own request, so it is always authenticated. */
	if (!sipx_is_trunk(m->o.sipx, msg) ||
	    (msg->uri.user.l && msg->uri.user.p[0] == '*')) {
		if (stranger(m, msg)) {
			call_reply(m, msg, 403, "Forbidden (not from a trunk or "
				   "an extension)");
			return;
		}
		if (sipx_authenticate(m->o.sipx, msg, auth_ext, auth_trunk))
			return;
	}
	c = call_alloc(m, msg, auth_ext);
	if (!c) {
		call_reply(m, msg, 500, "Out of Memory");
		return;
	}
	if (auth_ext[0] && c->rec.to[0] == '*') {
		call_app_enter(c, &call_app_feature);
		c->app->start(c, msg, c->rec.to);
		return;
	}
	if (!auth_ext[0] && inbound_trunk(c, msg, auth_trunk)) {
		call_refuse(c, msg, 503, "Service Unavailable (the trunk's "
			    "channels are all in use)");
		return;
	}
	/* The dial plan answers from memory: no disk on the INVITE path. */
	app = route_lookup(m->o.route, c->rec.to, &rt) ? NULL :
		call_app_find(route_kind_name(rt.kind));
	/* An extension dialling what is no DID and no extension goes out
	 * through the trunks (outbound.c answers 404 when no plan covers
	 * it). */
	if (!app && auth_ext[0] && m->o.trunks)
		app = &call_app_outbound;
	if (!app || !app->start) {
		call_refuse(c, msg, 404, "Not Found");
		return;
	}
	call_app_enter(c, app);
	/* Every line is taken: the caller hears busy, and a queue counts a
	 * blocked call (忙音: it never reached the ACD). */
	if (m->o.max_calls && list_count(&m->calls) >= m->o.max_calls) {
		call_reply(m, msg, 486, "Busy Here (all lines busy)");
		if (app->refused)
			app->refused(c, rt.target, "lines");
		mem_deref(c);
		return;
	}
	c->priority = rt.priority;
	util_strlcpy(c->consent_text, rt.consent_text, sizeof(c->consent_text));
	util_strlcpy(c->consent_file, rt.consent_file, sizeof(c->consent_file));
	app->start(c, msg, app == &call_app_outbound ? c->rec.to : rt.target);
}

/* ---- media events ---- */

static void on_media_event(const struct media_event *ev, void *arg)
{
	struct leg *l = call_leg_live(ev->owner);
	struct call *c = l->call;
	(void)arg;

	switch (ev->kind) {
	case MEDIA_EV_PROMPT_END:
		if (c->app->prompt_end)
			c->app->prompt_end(c, l);
		break;
	case MEDIA_EV_DTMF:
		cdr_dtmf(&c->rec, ev->digit, l->is_agent ? "agent" : "customer",
			 ev->inband ? "inband" : "rfc4733");
		if (c->app->dtmf)
			c->app->dtmf(c, l, ev->digit);
		break;
	default:
		break;
	}
}

/* ---- manager ---- */

static void mgr_destroy(void *arg)
{
	struct call_mgr *m = arg;
	call_inactive_stop(m);
	call_refresh_stop(m);
	call_mgr_hangup_all(m);
	mem_deref(m->data_dir);
	mem_deref(m->media_ip);
	mem_deref(m->self_http);
	media_prompt_unref(m->o.ringback);
	media_prompt_unref(m->o.moh);
	media_prompt_unref(m->o.confirm);
	media_prompt_unref(m->o.vm_greeting);
	media_prompt_unref(m->silence);
}

int call_mgr_alloc(struct call_mgr **mp, const struct call_opts *o)
{
	struct call_mgr *m = mem_zalloc(sizeof(*m), mgr_destroy);
	static const int16_t quiet[160];
	int err;

	if (!m)
		return ENOMEM;
	/* The geocoder's data loads now (~20 ms), not on the first call. A
	 * failure costs only the callers' regions. */
	err = region_init();
	if (err)
		log_warn("call.region_unavailable", "err=%s", strerror(err));
	m->o = *o;
	media_prompt_ref(m->o.ringback);
	media_prompt_ref(m->o.moh);
	media_prompt_ref(m->o.confirm);
	media_prompt_ref(m->o.vm_greeting);
	/* Before the first call: what a crash left open is closed now. */
	if (o->db && o->data_dir)
		(void)call_crash_recover(o->db, o->data_dir, NULL);
	err = str_dup(&m->data_dir, o->data_dir);
	if (!err)
		err = str_dup(&m->media_ip, o->media_ip);
	if (!err && o->self_http)
		err = str_dup(&m->self_http, o->self_http);
	if (!err)
		err = media_prompt_alloc(&m->silence, quiet, ARRAY_LEN(quiet));
	if (err) {
		mem_deref(m);
		return err;
	}
	call_inactive_start(m);
	call_refresh_start(m);
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
