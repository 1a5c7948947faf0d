/* call/sdp: each leg's offer/answer, on top of media's SDP parser, and
 * pointing the leg's RTP endpoint at the result. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

enum { DTMF_PT = 101 };

/* What Hotline can send and receive, in its order of preference. */
static const struct media_codec ours[] = {
	{.pt = 0, .name = "PCMU", .rate = 8000, .channels = 1},
	{.pt = 8, .name = "PCMA", .rate = 8000, .channels = 1},
};

/* Points the leg's RTP endpoint at what was negotiated. */
static int leg_apply(struct leg *l)
{
	struct sa sa;
	enum media_law law = strcasecmp(l->neg.codec.name, "PCMA") ?
		MEDIA_PCMU : MEDIA_PCMA;
	uint8_t dtmf = l->neg.dtmf_pt > 0 ? (uint8_t)l->neg.dtmf_pt : 0;
	int err = sa_set_str(&sa, l->neg.addr, l->neg.port);

	if (err)
		return err;
	/* Keys first: a packet arriving after the new address and codec
	 * must meet the new keys too. */
	err = l->neg.secure ? media_leg_set_srtp(l->media, &l->key,
						 &l->neg.crypto) :
		media_leg_set_srtp(l->media, NULL, NULL);
	if (!err)
		err = media_leg_set_codec(l->media, law, l->neg.codec.pt, dtmf);
	/* A phone that cannot send RFC 4733 sends its keys as tones in the
	 * audio: listen for them there (it costs a decode per packet, so only
	 * for such legs). */
	if (!err)
		err = media_leg_set_inband(l->media, !dtmf);
	if (!err)
		err = media_leg_set_remote(l->media, &sa.u.sa, sa.len);
	return err;
}

/* The leg's codecs from ours, in the leg's order: all of ours when it
 * names none. */
static size_t codecs_of(const struct leg *l, struct media_codec *v)
{
	size_t n = 0;

	if (!l->codecs[0]) {
		memcpy(v, ours, sizeof(ours));
		return ARRAY_LEN(ours);
	}
	for (const char *p = l->codecs; *p; p += strcspn(p, ","),
	     p += *p == ',') {
		size_t len = strcspn(p, ",");

		for (size_t i = 0; i < ARRAY_LEN(ours) && n < ARRAY_LEN(ours);
		     i++) {
			if (strlen(ours[i].name) == len &&
			    !strncasecmp(ours[i].name, p, len))
				v[n++] = ours[i];
		}
	}
	return n;
}

static const char *side(const struct leg *l)
{
	return l->is_agent ? "agent" : "customer";
}

/* Our key for the leg in suite under tag: the one it has when the suite
 * is the same (a re-INVITE keeps its key), else a fresh one. */
static int leg_key(struct leg *l, uint32_t tag, enum media_srtp_suite suite)
{
	if (l->key.keylen && l->key.suite == suite) {
		l->key.tag = tag;
		return 0;
	}
	return media_sdes_make(&l->key, tag, suite);
}

/* What an SRTP offer to l may be answered with: EPROTONOSUPPORT when it
 * has no line we can use, EACCES when its keys came in clear text (over
 * UDP or TCP, unless srtp.keys_over_plain), else our key is made. */
static int srtp_answer(struct leg *l, const struct media_sdp *sdp, int err,
		       const struct media_neg *neg)
{
	const char *id = l->call->rec.id;

	if (err == EPROTONOSUPPORT) {
		log_info("call.srtp_refused", "id=%s leg=%s reason=\"no usable "
			 "a=crypto line (%s)\"", id, side(l),
			 sdp->crypto_refused ? sdp->crypto_why : "none");
		return err;
	}
	if (err || !neg->secure)
		return err;
	if (!l->tls && !l->call->mgr->o.srtp_keys_over_plain) {
		log_info("call.srtp_refused", "id=%s leg=%s reason=\"SDES keys "
			 "over unencrypted signalling\"", id, side(l));
		return EACCES;
	}
	return leg_key(l, neg->crypto.tag, neg->crypto.suite);
}

static void local_of(const struct leg *l, struct media_sdp_local *loc,
		     const struct media_codec *codecs, size_t n, int dtmf_pt)
{
	memset(loc, 0, sizeof(*loc));
	loc->addr = l->call->mgr->media_ip;
	loc->port = media_leg_port(l->media);
	loc->sess_id = l->sdp_id;
	loc->sess_ver = l->sdp_ver;
	loc->dir = l->neg.dir;
	loc->ptime = 20;
	loc->codecs = codecs;
	loc->ncodecs = n;
	loc->dtmf_pt = dtmf_pt;
	loc->crypto = l->neg.secure ? &l->key : NULL;
}

int leg_sdp_answer(struct leg *l, const char *offer, size_t len, char *buf,
		   size_t size)
{
	struct media_sdp *sdp = mem_zalloc(sizeof(*sdp), NULL);
	struct media_codec mine[ARRAY_LEN(ours)];
	struct media_sdp_local loc;
	struct media_neg neg;
	char why[128];
	int err;

	if (!sdp)
		return ENOMEM;
	err = media_sdp_parse(sdp, offer, len, why, sizeof(why));
	if (err) {
		log_info("call.sdp", "id=%s bad offer: %s", l->call->rec.id, why);
		goto out;
	}
	err = media_sdp_negotiate(sdp, mine, codecs_of(l, mine),
				  MEDIA_SENDRECV, &neg);
	err = srtp_answer(l, sdp, err, &neg);
	if (err)
		goto out;
	l->neg = neg;
	if (l->media)
		err = leg_apply(l);
	if (err)
		goto out;
	l->sdp_ver++;
	local_of(l, &loc, &l->neg.codec, 1, l->neg.dtmf_pt);
	err = media_sdp_answer(buf, size, &loc, sdp);
	if (!err && neg.secure)
		log_info("call.srtp", "id=%s leg=%s suite=%s", l->call->rec.id,
			 side(l), media_sdes_suite_name(neg.crypto.suite));
out:
	mem_deref(sdp);
	return err;
}

int leg_sdp_offer(struct leg *l, char *buf, size_t size)
{
	struct media_codec mine[ARRAY_LEN(ours)];
	struct media_sdp_local loc;

	int err = 0;

	/* A leg that agreed on SRTP stays encrypted in our re-offers. */
	if ((l->srtp || l->neg.secure) && !l->key.keylen)
		err = leg_key(l, 1, MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80);
	if (err)
		return err;
	l->neg.dir = MEDIA_SENDRECV;
	l->sdp_ver++;
	local_of(l, &loc, mine, codecs_of(l, mine), DTMF_PT);
	loc.crypto = l->srtp || l->neg.secure ? &l->key : NULL;
	return media_sdp_offer(buf, size, &loc);
}

/* An answer keeps the profile of our offer (RFC 4568 7.1.2: the same tag
 * and suite as the line we offered). */
static int srtp_agreed(const struct leg *l, bool offered,
		       const struct media_neg *neg)
{
	if (neg->secure != offered || (offered &&
	    (neg->crypto.tag != l->key.tag ||
	     neg->crypto.suite != l->key.suite))) {
		log_info("call.srtp_refused", "id=%s leg=%s reason=\"the "
			 "answer's profile or a=crypto is not our offer's\"",
			 l->call->rec.id, side(l));
		return EPROTO;
	}
	return 0;
}

int leg_sdp_read_answer(struct leg *l, const char *answer, size_t len)
{
	struct media_sdp *sdp = mem_zalloc(sizeof(*sdp), NULL);
	struct media_codec mine[ARRAY_LEN(ours)];
	bool offered = l->srtp || l->neg.secure;
	struct media_neg neg;
	char why[128];
	int err;

	if (!sdp)
		return ENOMEM;
	err = media_sdp_parse(sdp, answer, len, why, sizeof(why));
	if (err)
		log_info("call.sdp", "id=%s bad answer: %s", l->call->rec.id, why);
	/* The answer names the codec chosen from our offer first. */
	if (!err)
		err = media_sdp_negotiate(sdp, mine, codecs_of(l, mine),
					  MEDIA_SENDRECV, &neg);
	if (!err)
		err = srtp_agreed(l, offered, &neg);
	if (!err) {
		l->neg = neg;
		err = leg_apply(l);
	}
	if (!err && neg.secure)
		log_info("call.srtp", "id=%s leg=%s suite=%s", l->call->rec.id,
			 side(l), media_sdes_suite_name(neg.crypto.suite));
	mem_deref(sdp);
	return err;
}

int leg_sdp_apply(struct leg *l)
{
	return leg_apply(l);
}

/* What an offer leg_sdp_answer refused gets. */
static const struct {
	int err;
	uint16_t code;
	const char *reason;
} sdp_refusals[] = {
	{ENOTSUP, 488, "Not Acceptable Here (no common codec)"},
	{EPROTONOSUPPORT, 488, "Not Acceptable Here (RTP/SAVP without a "
	 "usable a=crypto line)"},
	{EACCES, 488, "Not Acceptable Here (SRTP keys over unencrypted "
	 "signalling: use TLS)"},
};

void leg_sdp_refusal(int err, uint16_t *code, const char **reason)
{
	*code = 400;
	*reason = "Bad Request (malformed SDP)";
	for (size_t i = 0; i < ARRAY_LEN(sdp_refusals); i++) {
		if (sdp_refusals[i].err == err) {
			*code = sdp_refusals[i].code;
			*reason = sdp_refusals[i].reason;
		}
	}
}
