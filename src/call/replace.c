/* call/replace: the attended transfer an agent's phone does by itself
 * (RFC 5589 section 7): it holds the customer's call, calls the target
 * through Hotline, then sends a REFER in the customer's call whose
 * Refer-To names the target with a Replaces header (RFC 3891) naming the
 * consultation's dialog.
 *
 * A proxy would pass an INVITE with Replaces on to the target. Hotline is
 * a B2BUA and already holds both of the target's sides: the
 * consultation's dialog with the target's phone is taken into the
 * customer's call as its agent leg. The target's phone keeps its dialog
 * (no new call rings); its media move to a new RTP port on the customer
 * call's media thread, told by a re-INVITE. The phone's two dialogs end
 * (our BYE, after the NOTIFY, as for a blind REFER), and so does the
 * consultation's record, with cause "replaced".
 *
 * The consultation's call object stays allocated while the moved dialog
 * lives — its handlers name the old leg, a forwarder (leg.moved) as for a
 * queue's winning ring — held by the customer's call (call.replaced),
 * out of the manager's list. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "base/log.h"
#include "base/util.h"
#include "call/call_int.h"
#include "sip/sipx.h"

enum { SDP_MAX = 2048 };

int call_refer_replaces(const char *value, char *cid, size_t n)
{
	const char *p = value ? strchr(value, '?') : NULL;
	bool found = false;
	size_t len = 0;

	if (!value || !n)
		return EINVAL;
	if (!p)
		return ENOENT;
	/* Headers of the URI: name=value pairs joined by '&', up to '>'. */
	for (p++; *p && *p != '>' && !found;) {
		const char *end = p + strcspn(p, "&>");
		found = (size_t)(end - p) >= 9 &&
			!strncasecmp(p, "replaces=", 9);
		p = found ? p + 9 : *end == '&' ? end + 1 : end;
	}
	if (!found)
		return ENOENT;
	/* The value is escaped: "%3B" is the ';' before the tags, "%40"
	 * the '@' many Call-IDs carry. The Call-ID is what precedes ';'. */
	for (; *p && *p != '&' && *p != '>'; p++) {
		char ch = *p;

		if (ch == '%') {
			int hi = util_hexval(p[1]), lo = hi >= 0 ? util_hexval(p[2]) : -1;
			if (lo < 0)
				return EINVAL;
			ch = (char)(hi * 16 + lo);
			p += 2;
		}
		if (ch == ';')
			break;
		if ((unsigned char)ch <= ' ' || len + 1 >= n)
			return EINVAL;
		cid[len++] = ch;
	}
	if (!len)
		return EINVAL;
	cid[len] = '\0';
	return 0;
}

/* The consultation whose caller-side dialog (the agent's phone calling
 * the target) has Call-ID cid: the agent's own talking call, answered. */
static struct call *consultation(struct call *c, const char *cid)
{
	for (struct le *le = list_head(&c->mgr->calls); le; le = le->next) {
		struct call *x = le->data;
		const char *id = x->cust.sess ?
			sipx_sess_call_id(x->cust.sess) : NULL;

		if (x != c && !x->ended && id && !strcmp(id, cid) &&
		    x->app == &call_app_talk && x->agent_leg.estab &&
		    !strcmp(x->rec.from, c->rec.agent))
			return x;
	}
	return NULL;
}

/* The target's leg of x becomes c's agent leg, on c's media thread. */
static int take_leg(struct call *c, struct call *x)
{
	struct call_mgr *m = c->mgr;
	struct leg *to = &c->agent_leg, *from = &x->agent_leg;
	char sdp[SDP_MAX];
	struct mbuf *mb;
	int err;

	*to = *from;
	to->call = c;
	to->moved = NULL;
	to->media = NULL;
	to->held = to->api_held = false;
	media_leg_close(from->media);
	from->media = NULL;
	from->sess = NULL;
	from->moved = to;
	err = media_leg_alloc(&to->media, m->o.media, c->shard, to);
	err = err ? err : leg_sdp_offer(to, sdp, sizeof(sdp));
	if (err)
		return err;
	mb = call_sdp_mbuf(sdp);
	if (!mb)
		return ENOMEM;
	err = sipx_sess_modify(to->sess, mb);
	mem_deref(mb);
	return err;
}

void call_refer_replace(struct call *c, const struct sip_msg *msg,
			const char *value)
{
	struct call_mgr *m = c->mgr;
	struct sipx *sx = m->o.sipx;
	char cid[SIPX_CID_SZ], agent[sizeof(c->rec.agent)];
	char target[sizeof(c->rec.agent)];
	struct call *x;
	int err;

	if (call_refer_replaces(value, cid, sizeof(cid))) {
		(void)sipx_reply(sx, msg, 400, "Bad Request (Replaces)");
		return;
	}
	x = consultation(c, cid);
	if (!x) {
		log_info("call.refer_refused", "id=%s replaces=%s: no such "
			 "consultation", c->rec.id, cid);
		(void)sipx_reply(sx, msg, 481, "Call Does Not Exist "
				 "(no consultation of yours to replace)");
		return;
	}
	(void)sipx_refer_accept(sx, msg);
	err = sipx_refer_notify_done(sx, c->agent_leg.sess, msg->cseq.num);
	if (err)
		log_warn("call.notify", "id=%s err=%s", c->rec.id,
			 strerror(err));

	/* The agent's part of c ends as a consultation's completion does. */
	util_strlcpy(agent, c->rec.agent, sizeof(agent));
	util_strlcpy(target, x->rec.agent[0] ? x->rec.agent : x->rec.to,
		     sizeof(target));
	call_consult_drop(c, "transferred");
	call_leg_hold(&c->agent_leg, false);
	cdr_transfer(&c->rec, agent, target, "refer");
	if (c->queued) {
		c->queued = false;
		if (m->qops.transferred)
			m->qops.transferred(m->qarg, c->key, target);
	}
	call_agent_release(c);

	/* The consultation ends: the agent's phone hears BYE on its side,
	 * the target's dialog lives on in c. */
	err = take_leg(c, x);
	util_strlcpy(c->rec.agent, target, sizeof(c->rec.agent));
	x->cust.sess = mem_deref(x->cust.sess);
	media_leg_close(x->cust.media);
	x->cust.media = NULL;
	mem_deref(c->replaced);
	c->replaced = mem_ref(x);
	call_end(x, "agent", "replaced");
	list_unlink(&x->le);
	log_info("call.replaced", "id=%s from=%s to=%s consultation=%s",
		 c->rec.id, agent, target, x->rec.id);
	if (err) {
		log_warn("call.replace", "id=%s err=%s", c->rec.id,
			 strerror(err));
		call_end(c, "system", "replace_failed");
		return;
	}
	call_connected(c);
}
