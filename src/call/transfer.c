/* call/transfer: blind transfer (REFER from the agent's phone, or the API)
 * and redirect (a queue overflowing to an extension).
 *
 * The caller's dialog is already answered, so a transfer never touches it:
 * the agent leg is released (its phone gets 202, a NOTIFY saying the
 * transfer is done, and our BYE), and a fresh agent leg rings the target
 * on the caller's media thread, as call_offer does for queued calls, while
 * the caller hears ringback (or music). A queue target takes the call in
 * as a new arrival (queue.enter, a new key).
 *
 * Why the NOTIFY comes at once (RFC 3515 lets the notifier say when): for
 * a blind transfer the transferor's part ends when Hotline takes the call
 * over; whether the target answers is Hotline's business, and the agent's
 * phone is gone by then (BYE right after the NOTIFY, which is what RFC
 * 5589 section 6 leaves the transferee to do).
 *
 * When the target does not answer in ring_timeout_ms or refuses, a call
 * that came through a queue goes back into that queue (the caller is not
 * dropped because one phone was busy); any other call ends (hangup_by
 * system, cause transfer-failed). An overflow to an extension has no queue
 * to go back to (that queue just gave up on it) and ends the same way. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "db/db.h"
#include "sip/sipx.h"

/* ---- Refer-To ---- */

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool name_char(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		(ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-';
}

int call_refer_user(const char *value, char *out, size_t n)
{
	const char *uri = value, *end, *at, *q;
	size_t len = 0;

	if (!value || !n)
		return EINVAL;
	/* name-addr: the URI is between the brackets; addr-spec: the whole
	 * value up to its header parameters (RFC 3261 20.10). */
	if ((uri = strchr(value, '<')) != NULL) {
		uri++;
		end = strchr(uri, '>');
		if (!end)
			return EINVAL;
	} else {
		uri = value + strspn(value, " \t");
		end = uri + strcspn(uri, " \t;");
	}
	if ((size_t)(end - uri) > 4 && !strncasecmp(uri, "sip:", 4))
		uri += 4;
	else if ((size_t)(end - uri) > 5 && !strncasecmp(uri, "sips:", 5))
		uri += 5;
	else
		return EINVAL;
	q = memchr(uri, '?', (size_t)(end - uri));
	if (q) {
		/* A Replaces header asks to replace another dialog with this
		 * one: an attended transfer, which needs a consultation call. */
		for (const char *p = q; p + 8 <= end; p++)
			if (!strncasecmp(p, "replaces", 8))
				return ENOTSUP;
		end = q;
	}
	at = memchr(uri, '@', (size_t)(end - uri));
	if (!at || at == uri || memchr(uri, ';', (size_t)(at - uri)))
		return EINVAL;
	for (const char *p = uri; p < at; p++) {
		char ch = *p;

		if (ch == '%') {
			int hi = p + 2 < at ? hexval(p[1]) : -1;
			int lo = hi >= 0 ? hexval(p[2]) : -1;
			if (lo < 0)
				return EINVAL;
			ch = (char)(hi * 16 + lo);
			p += 2;
		}
		if (!name_char(ch) || len + 1 >= n)
			return EINVAL;
		out[len++] = ch;
	}
	out[len] = '\0';
	return 0;
}

/* ---- targets ---- */

static int did_row(const struct db_row *row, void *arg)
{
	struct call_target *t = arg;
	const char *kind = db_row_text(row, 0), *target = db_row_text(row, 1);

	if (!kind || !target)
		return 1;
	t->kind = !strcmp(kind, "queue") ? CALL_TARGET_QUEUE :
		CALL_TARGET_EXTENSION;
	util_strlcpy(t->name, target, sizeof(t->name));
	return 1;
}

int call_target_resolve(struct call_mgr *m, const char *to,
			struct call_target *t)
{
	memset(t, 0, sizeof(*t));
	if (!to || !*to || strlen(to) >= sizeof(t->name))
		return ENOENT;
	db_query(m->o.db, did_row, t,
		 "SELECT target_kind, target FROM dids WHERE did = ? AND "
		 "target_kind IN ('extension', 'queue')", "t", to);
	if (t->name[0])
		return 0;
	util_strlcpy(t->name, to, sizeof(t->name));
	if (sipx_has_extension(m->o.sipx, to)) {
		t->kind = CALL_TARGET_EXTENSION;
		return 0;
	}
	if (m->qops.has_queue && m->qops.has_queue(m->qarg, to)) {
		t->kind = CALL_TARGET_QUEUE;
		return 0;
	}
	t->name[0] = '\0';
	return ENOENT;
}

/* 0 when t can be reached now; else why (EINVAL) */
static int target_check(struct call *c, const struct call_target *t,
			char *why, size_t n)
{
	struct sipx_contact ct;
	size_t nct = 0;

	if (t->kind == CALL_TARGET_QUEUE)
		return c->mgr->qops.enter ? 0 : ENODEV;
	if (!strcmp(t->name, c->rec.agent)) {
		snprintf(why, n, "the call is with %s already", t->name);
		return EINVAL;
	}
	if (sipx_contacts(c->mgr->o.sipx, t->name, &ct, 1, &nct) || !nct) {
		snprintf(why, n, "extension %s has no registered phone",
			 t->name);
		return ENODEV;
	}
	return 0;
}

/* ---- moving the caller ---- */

static void agent_leg_release(struct call *c)
{
	struct leg *l = &c->agent_leg;

	l->sess = mem_deref(l->sess);     /* BYE, or CANCEL while ringing */
	media_leg_close(l->media);
	l->media = NULL;
	l->estab = false;
	l->held = false;
}

/* The caller, answered already, waits in queue with music: a new arrival
 * under a new key. c may be freed when it returns. */
static void requeue(struct call *c, const char *queue)
{
	struct call_mgr *m = c->mgr;
	uint64_t key;
	int err;

	c->key = key = ++m->next_key;
	c->state = CALL_QUEUED;
	c->queued = true;
	c->leaving = false;
	c->fallback[0] = '\0';
	c->rec.agent[0] = '\0';
	util_strlcpy(c->rec.queue, queue, sizeof(c->rec.queue));
	if (m->o.moh)
		(void)media_leg_play(c->cust.media, m->o.moh, true);
	else
		(void)media_leg_stop(c->cust.media);
	cdr_queued(&c->rec);
	log_info("call.queued", "id=%s from=%s queue=%s (transfer)", c->rec.id,
		 c->rec.from, queue);
	err = m->qops.enter(m->qarg, key, queue, c->rec.id, c->rec.from);
	/* The host may already have dropped or redirected the call. */
	for (struct le *le = list_head(&m->calls); err && le; le = le->next) {
		struct call *x = le->data;
		if (x->key == key && x->queued) {
			x->queued = false;
			call_end(x, "system", "queue");
			return;
		}
	}
}

static void on_redirect_timeout(void *arg)
{
	struct call *c = arg;

	if (c->state == CALL_REDIRECTING)
		call_redirect_failed(c, "no-answer");
}

/* Rings ext for the answered caller, who hears ringback or music. */
static int redirect_ring(struct call *c, const char *ext)
{
	struct call_mgr *m = c->mgr;
	struct media_prompt *p = m->o.ringback ? m->o.ringback : m->o.moh;
	int err = media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
				  &c->agent_leg);

	if (err)
		return err;
	util_strlcpy(c->rec.agent, ext, sizeof(c->rec.agent));
	err = call_ring_agent(c, ext);
	if (err) {
		agent_leg_release(c);
		c->rec.agent[0] = '\0';
		return err;
	}
	c->state = CALL_REDIRECTING;
	if (p)
		(void)media_leg_play(c->cust.media, p, true);
	cdr_ringing(&c->rec);
	if (m->o.ring_timeout_ms)
		tmr_start(&c->noanswer, m->o.ring_timeout_ms,
			  on_redirect_timeout, c);
	log_info("call.redirect", "id=%s ext=%s fallback=%s", c->rec.id, ext,
		 c->fallback[0] ? c->fallback : "-");
	return 0;
}

void call_redirect_answered(struct call *c)
{
	tmr_cancel(&c->noanswer);
	media_leg_stop(c->cust.media);
	c->state = CALL_TALKING;
	c->fallback[0] = '\0';
	if (!c->rec.answered_ms)
		c->rec.answered_ms = util_now_ms();
	c->rec.codec_agent = c->agent_leg.neg.codec.name;
	c->rec.codec_customer = c->cust.neg.codec.name;
	media_bridge(c->cust.media, c->agent_leg.media);
	call_start_recording(c);
	cdr_answered(&c->rec);
}

void call_redirect_failed(struct call *c, const char *cause)
{
	char queue[sizeof(c->fallback)];

	tmr_cancel(&c->noanswer);
	log_info("call.redirect_failed", "id=%s ext=%s cause=%s", c->rec.id,
		 c->rec.agent, cause);
	agent_leg_release(c);
	util_strlcpy(queue, c->fallback, sizeof(queue));
	if (queue[0] && c->mgr->qops.enter) {
		requeue(c, queue);
		return;
	}
	call_end(c, "system", cause);
}

/* The agent's part ends: the record says where the call went, the queue
 * host books the agent's call as transferred, the agent leg goes. Then the
 * caller is taken to t. c may be freed when it returns. */
static void transfer(struct call *c, const struct call_target *t,
		     const char *via)
{
	struct call_mgr *m = c->mgr;
	char agent[sizeof(c->rec.agent)];
	int err;

	util_strlcpy(agent, c->rec.agent, sizeof(agent));
	call_leg_hold(&c->agent_leg, false);
	cdr_transfer(&c->rec, agent, t->name, via);
	c->fallback[0] = '\0';
	if (c->queued) {
		util_strlcpy(c->fallback, c->rec.queue, sizeof(c->fallback));
		c->queued = false;
		if (m->qops.transferred)
			m->qops.transferred(m->qarg, c->key, t->name);
	}
	agent_leg_release(c);
	c->rec.agent[0] = '\0';
	if (t->kind == CALL_TARGET_QUEUE) {
		requeue(c, t->name);
		return;
	}
	err = redirect_ring(c, t->name);
	if (err)
		call_redirect_failed(c, "unreachable");
}

/* ---- REFER from the agent's phone ---- */

static int contact_send(enum sip_transp tp, const struct sa *src,
			const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct sip_contact ct;
	(void)dst;
	(void)arg;

	sip_contact_set(&ct, "hotline", src, tp);
	return mbuf_printf(mb, "%H", sip_contact_print, &ct);
}

/* RFC 3515 2.4.4: the implicit subscription's only NOTIFY, final. */
static void notify_done(struct leg *l, const struct sip_msg *refer)
{
	static const char frag[] = "SIP/2.0 200 OK\r\n";
	int err = sip_drequestf(NULL, sipx_sip(l->call->mgr->o.sipx), true,
				"NOTIFY", sipsess_dialog(l->sess), 0, NULL,
				contact_send, NULL, NULL,
				"Event: refer;id=%u\r\n"
				"Subscription-State: terminated;reason=noresource\r\n"
				"Content-Type: message/sipfrag;version=2.0\r\n"
				"Content-Length: %zu\r\n\r\n%s",
				refer->cseq.num, sizeof(frag) - 1, frag);
	if (err)
		log_warn("call.notify", "id=%s err=%s", l->call->rec.id,
			 strerror(err));
}

static void refer_reply(struct sip *sip, const struct sip_msg *msg,
			uint16_t code, const char *reason)
{
	(void)sip_reply(sip, msg, code, reason);
	log_info("call.refer_refused", "code=%u reason=%s", code, reason);
}

void call_on_refer(struct sip *sip, const struct sip_msg *msg, void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_REFER_TO);
	struct sip_contact ct;
	struct call_target t;
	char value[512], user[64], why[128];
	int err;

	if (!h || h->val.l >= sizeof(value)) {
		refer_reply(sip, msg, 400, "Bad Request (Refer-To)");
		return;
	}
	pl_strcpy(&h->val, value, sizeof(value));
	err = call_refer_user(value, user, sizeof(user));
	if (err) {
		refer_reply(sip, msg, err == ENOTSUP ? 501 : 400, err == ENOTSUP ?
			    "Not Implemented (attended transfer)" :
			    "Bad Request (Refer-To)");
		return;
	}
	if (c->state != CALL_TALKING || !l->is_agent || c->feature) {
		refer_reply(sip, msg, 403, "Forbidden (not in conversation)");
		return;
	}
	if (call_target_resolve(c->mgr, user, &t)) {
		refer_reply(sip, msg, 404, "Not Found (no such extension or queue)");
		return;
	}
	if (target_check(c, &t, why, sizeof(why))) {
		refer_reply(sip, msg, 480, "Temporarily Unavailable");
		return;
	}
	sip_contact_set(&ct, "hotline", &msg->dst, msg->tp);
	(void)sip_treplyf(NULL, NULL, sip, msg, false, 202, "Accepted",
			  "%HContent-Length: 0\r\n\r\n", sip_contact_print, &ct);
	notify_done(l, msg);
	transfer(c, &t, "refer");
}

/* ---- the API and the queue host ---- */

int call_transfer(struct call_mgr *m, const char *call_id, const char *agent,
		  const char *to, char *why, size_t n)
{
	struct call_target t;
	struct call *c = NULL;
	int err;

	for (struct le *le = list_head(&m->calls); le && !c; le = le->next) {
		struct call *x = le->data;
		if (!x->feature && !strcmp(x->rec.id, call_id))
			c = x;
	}
	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (c->state != CALL_TALKING)
		return EBUSY;
	if (call_target_resolve(m, to, &t)) {
		snprintf(why, n, "no extension, queue or number '%s'", to);
		return EINVAL;
	}
	err = target_check(c, &t, why, n);
	if (err)
		return EINVAL;
	transfer(c, &t, "api");
	return 0;
}

int call_redirect(struct call_mgr *m, uint64_t key, const char *ext)
{
	struct call *c = NULL;
	int err;

	for (struct le *le = list_head(&m->calls); le && !c; le = le->next) {
		struct call *x = le->data;
		if (x->key == key && x->queued)
			c = x;
	}
	if (!c)
		return ENOENT;
	if (c->state != CALL_QUEUED || c->leaving || c->agent_leg.sess)
		return EBUSY;
	c->queued = false;
	c->fallback[0] = '\0';
	err = redirect_ring(c, ext);
	if (err)
		c->queued = true;
	return err;
}
