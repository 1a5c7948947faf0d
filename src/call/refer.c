/* call/refer: REFER on the agent leg (RFC 3515), the phone's way to ask
 * for a blind transfer, and the Refer-To header it names the target in.
 *
 * Why the NOTIFY comes at once (RFC 3515 lets the notifier say when): for
 * a blind transfer the transferor's part ends when Hotline takes the call
 * over; whether the target answers is Hotline's business, and the agent's
 * phone is gone by then (our BYE follows the NOTIFY, where RFC 5589
 * section 6 would have the transferor send it: the B2BUA does not wait for
 * a phone that may never hang up). */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "route/route.h"
#include "sip/sipx.h"

/* ---- Refer-To ---- */

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
			int hi = p + 2 < at ? util_hexval(p[1]) : -1;
			int lo = hi >= 0 ? util_hexval(p[2]) : -1;
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

/* ---- REFER from the agent's phone ---- */

static void refer_reply(struct sipx *sx, const struct sip_msg *msg,
			uint16_t code, const char *reason)
{
	(void)sipx_reply(sx, msg, code, reason);
	log_info("call.refer_refused", "code=%u reason=%s", code, reason);
}

void call_on_refer(struct sip *sip, const struct sip_msg *msg, void *arg)
{
	struct leg *l = call_leg_live(arg);   /* a ring that won: agent_leg */
	struct call *c = l->call;
	struct sipx *sx = c->mgr->o.sipx;   /* answers through sip/, not sip */
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_REFER_TO);
	struct route_target t;
	char value[512], user[64], why[128];
	int err;
	(void)sip;

	if (!h || h->val.l >= sizeof(value)) {
		refer_reply(sx, msg, 400, "Bad Request (Refer-To)");
		return;
	}
	pl_strcpy(&h->val, value, sizeof(value));
	err = call_refer_user(value, user, sizeof(user));
	if (err && err != ENOTSUP) {
		refer_reply(sx, msg, 400, "Bad Request (Refer-To)");
		return;
	}
	if (c->app != &call_app_talk || !l->is_agent) {
		refer_reply(sx, msg, 403, "Forbidden (not in conversation)");
		return;
	}
	if (err == ENOTSUP) {
		call_refer_replace(c, msg, value);
		return;
	}
	if (call_target_resolve(c->mgr, user, &t)) {
		/* An outside number the dial plan covers goes out by trunk. */
		if (call_outbound_check(c->mgr, user)) {
			refer_reply(sx, msg, 404, "Not Found (no such extension, "
				    "queue or number)");
			return;
		}
		(void)sipx_refer_accept(sx, msg);
		err = sipx_refer_notify_done(sx, l->sess, msg->cseq.num);
		if (err)
			log_warn("call.notify", "id=%s err=%s", c->rec.id,
				 strerror(err));
		call_transfer_out(c, user, "refer");
		return;
	}
	if (call_target_check(c, &t, why, sizeof(why))) {
		log_info("call.refer_target", "id=%s %s", c->rec.id, why);
		refer_reply(sx, msg, 480, "Temporarily Unavailable");
		return;
	}
	(void)sipx_refer_accept(sx, msg);
	/* Why the NOTIFY comes at once: see the top of this file. */
	err = sipx_refer_notify_done(sx, l->sess, msg->cseq.num);
	if (err)
		log_warn("call.notify", "id=%s err=%s", c->rec.id,
			 strerror(err));
	call_transfer_to(c, &t, user, "refer");
}
