/* call/b2bua: an INVITE becomes a call with two dialogs, run by an
 * application (app.c).
 *
 * This file owns what every call has: its making and its end (call_new,
 * call_end), the agent leg Hotline opens towards a phone, the answers to
 * either leg's offers, the media events and the manager. A new call is
 * admitted and routed in invite.c, the customer's dialog is customer.c's.
 * From then on each dialog and media event goes to the call's current
 * app, which decides: the B2BUA itself never asks what state a call is in.
 * Each leg negotiates its own codec, so a PCMU caller can talk to a PCMA
 * phone: the media engine transcodes. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "region/region.h"
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

/* ---- re-INVITE on either leg: hold and resume ---- */

/* A re-INVITE without SDP asks for our offer (RFC 3261 14.2): it goes in
 * the 200 and the answer comes in the ACK (call_leg_answer). */
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
int call_leg_answer(const struct sip_msg *msg, void *arg)
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
	.offer = call_leg_offer, .answer = call_leg_answer,
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
	sipx_set_invite_handler(o->sipx, call_on_invite, m);
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

void call_mgr_set_screen(struct call_mgr *m, const struct call_screen_ops *ops,
			 void *arg)
{
	m->sops = *ops;
	m->sarg = arg;
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
