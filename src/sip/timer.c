/* sip/timer: SIP session timers (RFC 4028), the arithmetic. Pure: the
 * headers come in parsed, time comes in as elapsed ms; sess.c writes the
 * headers and call/ keeps each leg's clock.
 *
 * Why Hotline refreshes whenever it may choose: libre 1.1.0 answers a
 * re-INVITE itself and its 200 cannot carry our headers, so a peer that
 * refreshes never hears Session-Expires confirmed. When the caller names
 * no refresher we take the job (RFC 4028 9: the UAS chooses), and our
 * refresh is a plain re-INVITE any phone understands. */
#include <errno.h>
#include <string.h>
#include "sip/sipx_int.h"

/* RFC 4028 10: the side that waits sends BYE "at the expiration time
 * minus the lesser of 32 seconds and one third of the interval". */
static uint64_t expiry_ms(uint32_t interval_s)
{
	uint64_t iv = (uint64_t)interval_s * 1000;
	uint64_t slack = iv / 3 < 32000 ? iv / 3 : 32000;

	return iv - slack;
}

int sipx_timer_negotiate(const struct sipx_timer_req *rq, uint32_t want_s,
			 uint32_t min_se_s, struct sipx_timer *out,
			 uint32_t *need_min_se)
{
	uint32_t floor_s, iv;

	if (!rq || !out || !need_min_se)
		return EINVAL;
	memset(out, 0, sizeof(*out));
	/* Our floor, raised to the caller's own Min-SE (RFC 4028 9: never
	 * below what the request allows). */
	floor_s = rq->min_se_s > min_se_s ? rq->min_se_s : min_se_s;
	if (!want_s)
		return 0;       /* timers off: as a UAS that knows none */
	if (rq->se_s && rq->se_s < min_se_s) {
		*need_min_se = floor_s;
		return ERANGE;
	}
	/* We may shorten the caller's interval, never below the floor. */
	iv = rq->se_s && rq->se_s < want_s ? rq->se_s : want_s;
	if (iv < floor_s)
		iv = floor_s;
	out->interval_s = iv;
	out->require = rq->supported;
	/* A caller that does not know timers cannot refresh: we do. */
	out->we_refresh = !(rq->supported && rq->refresher == SIPX_BY_UAC);
	out->we_are_uas = true;
	return 0;
}

int sipx_timer_answered(const struct sipx_timer_req *rs, uint32_t asked_s,
			struct sipx_timer *out)
{
	if (!rs || !out)
		return EINVAL;
	memset(out, 0, sizeof(*out));
	/* RFC 4028 7.2: a 2xx without Session-Expires means no timer. */
	if (!asked_s || !rs->se_s)
		return 0;
	out->interval_s = rs->se_s;
	/* The UAS must name the refresher; without it the UAC (we) is. */
	out->we_refresh = rs->refresher != SIPX_BY_UAS;
	out->require = true;
	return 0;
}

enum sipx_timer_due sipx_timer_due(const struct sipx_timer *t,
				   int64_t elapsed_ms, bool refresh_sent)
{
	uint64_t e = elapsed_ms > 0 ? (uint64_t)elapsed_ms : 0;

	if (!t || !t->interval_s)
		return SIPX_TIMER_WAIT;
	if (!t->we_refresh)
		return e >= expiry_ms(t->interval_s) ? SIPX_TIMER_EXPIRED :
			SIPX_TIMER_WAIT;
	/* Our refresh unanswered for the whole interval: the peer is gone. */
	if (e >= (uint64_t)t->interval_s * 1000)
		return SIPX_TIMER_EXPIRED;
	if (!refresh_sent && e >= (uint64_t)t->interval_s * 500)
		return SIPX_TIMER_REFRESH;
	return SIPX_TIMER_WAIT;
}

int sipx_timer_hdrs(const struct sipx_timer *t, char *buf, size_t n)
{
	int w;

	if (!t || !buf || !n)
		return EINVAL;
	buf[0] = '\0';
	if (!t->interval_s)
		return 0;
	/* uac/uas name the parties of the INVITE this answers. */
	w = re_snprintf(buf, n, "Session-Expires: %u;refresher=%s\r\n%s",
			t->interval_s, t->we_refresh == t->we_are_uas ?
			"uas" : "uac", t->require ? "Require: timer\r\n" : "");
	return w < 0 || (size_t)w >= n ? ENOSPC : 0;
}

/* The delta-seconds a header value starts with: digits after optional
 * blanks, then the end, blanks or ';'. EBADMSG otherwise. */
static int read_delta(const struct pl *val, uint32_t *out)
{
	size_t i = 0;
	uint64_t v = 0;
	bool digits = false;

	while (i < val->l && (val->p[i] == ' ' || val->p[i] == '\t'))
		i++;
	for (; i < val->l && val->p[i] >= '0' && val->p[i] <= '9'; i++) {
		v = v * 10 + (uint64_t)(val->p[i] - '0');
		if (v > UINT32_MAX)
			return EBADMSG;
		digits = true;
	}
	if (!digits || (i < val->l && val->p[i] != ' ' &&
			val->p[i] != '\t' && val->p[i] != ';'))
		return EBADMSG;
	*out = (uint32_t)v;
	return 0;
}

/* "90;refresher=uac" into rq; EBADMSG when it is neither. */
static int read_se(const struct pl *val, struct sipx_timer_req *rq)
{
	struct pl who;

	if (read_delta(val, &rq->se_s) || !rq->se_s)
		return EBADMSG;
	rq->refresher = SIPX_BY_NONE;
	if (!msg_param_decode(val, "refresher", &who)) {
		if (!pl_strcasecmp(&who, "uac"))
			rq->refresher = SIPX_BY_UAC;
		else if (!pl_strcasecmp(&who, "uas"))
			rq->refresher = SIPX_BY_UAS;
		else
			return EBADMSG;
	}
	return 0;
}

int sipx_timer_read(const struct sip_msg *msg, struct sipx_timer_req *rq)
{
	const struct sip_hdr *se, *mse;
	int err;

	if (!msg || !rq)
		return EINVAL;
	memset(rq, 0, sizeof(*rq));
	rq->supported = sip_msg_hdr_has_value(msg, SIP_HDR_SUPPORTED, "timer")
		|| sip_msg_hdr_has_value(msg, SIP_HDR_REQUIRE, "timer");
	se = sip_msg_hdr(msg, SIP_HDR_SESSION_EXPIRES);
	if (!se)
		se = sip_msg_xhdr(msg, "x");     /* its compact form */
	if (se) {
		err = read_se(&se->val, rq);
		if (err)
			return err;
	}
	mse = sip_msg_hdr(msg, SIP_HDR_MIN_SE);
	if (mse && read_delta(&mse->val, &rq->min_se_s))
		return EBADMSG;
	return 0;
}
