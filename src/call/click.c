/* call/click: click-to-dial (点击外呼), the "click" app. The agent clicks a
 * customer's number on the desktop; Hotline rings the agent's own phone
 * first, and once the agent answers, calls the number out through the
 * dial plan's trunks while the agent hears ringback (outbound.c from
 * there on, then talk).
 *
 * The call is a normal call record: direction outbound, from the agent's
 * extension, to the number, agent the extension; the trunk's caller-ID
 * presentation applies as for a call dialled from the phone. The agent's
 * phone is the call's first leg (c->cust), as the dialling phone is for
 * an outbound call an extension places itself, so every later step —
 * failover, answer, hold, transfer, recording — is the same as for those.
 *
 *   (API)  -> click      the agent's phone rings    [call_click_to_dial]
 *   click  -> outbound   the agent answered         [on_estab]
 *   click  -> (end)      refused, not answered within ring_timeout_ms,
 *                        no phone                   [on_close, timeout]
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

static int on_answer(const struct sip_msg *msg, void *arg)
{
	struct leg *l = arg;
	int err = leg_sdp_read_answer(l, (const char *)mbuf_buf(msg->mb),
				      mbuf_get_left(msg->mb));

	if (!err)
		call_leg_refreshed(l);
	return err;
}

static void on_estab(const struct sip_msg *msg, void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	int err;

	call_leg_granted(l, msg);
	l->estab = true;
	if (c->app != &call_app_click)
		return;
	err = call_outbound_go(c);
	if (err) {
		log_info("call.click_failed", "id=%s to=%s err=%s", c->rec.id,
			 c->rec.to, strerror(err));
		call_end(c, "system", "no-route");
	}
}

/* The agent's phone is gone: before it answered, the click came to
 * nothing; after, the agent hung up. */
static void on_close(int err, const struct sip_msg *msg, void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	char cause[32];

	l->sess = mem_deref(l->sess);
	if (!l->estab && msg && msg->scode >= 300)
		snprintf(cause, sizeof(cause), "agent refused %u", msg->scode);
	else
		snprintf(cause, sizeof(cause), "%s", !l->estab ? "agent "
			 "unreachable" : err == ECONNRESET || !err ? "bye" :
			 strerror(err));
	call_end(c, "agent", cause);
}

static const struct sipx_sess_h click_h = {
	.offer = call_leg_offer, .answer = on_answer, .estab = on_estab,
	.close = on_close,
};

static void timeout(struct call *c)
{
	call_end(c, "agent", "agent no answer");
}

const struct call_app call_app_click = {
	.name = "click",
	.timeout = timeout,
};

int call_click_to_dial(struct call_mgr *m, const char *agent,
		       const char *number, char id[33], char *why, size_t n)
{
	struct sipx_contact ct;
	char uri[SIPX_URI_SZ];
	struct call *c;
	size_t nct = 0;
	int err;

	if (m->stopping) {
		snprintf(why, n, "the center is stopping");
		return EBUSY;
	}
	if (!sipx_ext_exists(m->o.sipx, agent)) {
		snprintf(why, n, "no extension %s", agent);
		return EINVAL;
	}
	if (sipx_contacts(m->o.sipx, agent, &ct, 1, &nct) || !nct ||
	    sipx_contact_target(&ct, uri, sizeof(uri))) {
		snprintf(why, n, "extension %s has no registered phone", agent);
		return ENODEV;
	}
	c = call_new(m);
	if (!c)
		return ENOMEM;
	/* Routed now, once: the click is refused at once when no plan
	 * covers the number, and the agent's answer goes out on this. */
	err = call_outbound_route(c, number);
	if (err) {
		mem_deref(c);
		snprintf(why, n, err == ENOMEM ? "out of memory (%s)" :
			 err == ENOENT ? "no dial plan covers %s" :
			 err == ENODEV ? "no trunks are configured" :
			 "%s is no number", number);
		return err == ENOMEM || err == ENODEV ? err : ENOENT;
	}
	c->rec.direction = "outbound";
	util_strlcpy(c->rec.from, agent, sizeof(c->rec.from));
	util_strlcpy(c->rec.to, number, sizeof(c->rec.to));
	util_strlcpy(c->rec.agent, agent, sizeof(c->rec.agent));
	c->shard = media_engine_shard(m->o.media);
	call_app_enter(c, &call_app_click);
	err = media_leg_alloc(&c->cust.media, m->o.media, c->shard, &c->cust);
	/* The agent's phone shows the number it is about to call. */
	if (!err)
		err = call_dial_uri(c, &c->cust, uri, number, &click_h);
	if (err) {
		mem_deref(c);
		snprintf(why, n, "cannot ring %s: %s", agent, strerror(err));
		return EIO;
	}
	list_append(&m->calls, &c->le, c);
	cdr_created(&c->rec);
	if (m->o.ring_timeout_ms)
		call_app_timer(c, m->o.ring_timeout_ms);
	log_info("call.click", "id=%s agent=%s to=%s", c->rec.id, agent,
		 number);
	util_strlcpy(id, c->rec.id, 33);
	return 0;
}
