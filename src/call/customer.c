/* call/customer: the customer leg — the caller's dialog taken with a
 * provisional answer, answered with our SDP when the application says so
 * (at once for the IVR and queues, when the agent answers for a direct
 * call), and what its dialog tells the call (established, closed). */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

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
	.offer = call_leg_offer, .answer = call_leg_answer, .estab = on_cust_estab,
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
		return err;
	}
	/* Answered by us, the caller hears us until an agent's audio comes:
	 * silence between the prompts, not a gap a carrier's RTP timeout
	 * would end the call on while an IVR waits for a key. */
	(void)media_leg_fill(c->cust.media, true);
	return 0;
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
	 * ACK (call_leg_answer). The endpoint refused a body without SDP (415). */
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
