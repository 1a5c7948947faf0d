/* Audio SDP offer/answer (RFC 3264): choosing what to answer, and writing
 * our offers and answers. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "base/util.h"
#include "media/media_int.h"

static const char *dir_names[] = {
	[MEDIA_INACTIVE] = "inactive", [MEDIA_SENDONLY] = "sendonly",
	[MEDIA_RECVONLY] = "recvonly", [MEDIA_SENDRECV] = "sendrecv",
};

/* What one side sends the other receives: swap the two bits. */
static enum media_dir mirror(enum media_dir d)
{
	return (enum media_dir)(((d & MEDIA_SENDONLY) << 1) |
				((d & MEDIA_RECVONLY) >> 1));
}

/* A format without a=rtpmap can only be a static payload type, known by
 * its number; a described one is known by its name and clock rate. */
static bool same_codec(const struct media_codec *offered,
		       const struct media_codec *ours)
{
	if (!offered->rate)
		return ours->pt < 96 && offered->pt == ours->pt;
	return !strcasecmp(offered->name, ours->name) &&
	       offered->rate == ours->rate && offered->channels == 1;
}

static bool is_telephone_event(const struct media_codec *c)
{
	return !strcasecmp(c->name, "telephone-event") && c->rate == MEDIA_RATE;
}

int media_sdp_negotiate(const struct media_sdp *offer,
			const struct media_codec *ours, size_t n,
			enum media_dir want, struct media_neg *neg)
{
	const struct media_codec *pick = NULL;
	enum media_dir offered;
	int dtmf = -1;

	if (offer->audio < 0)
		return ENOTSUP;
	for (size_t i = 0; i < offer->ncodecs; i++) {
		const struct media_codec *c = &offer->codecs[i];

		if (is_telephone_event(c) && dtmf < 0)
			dtmf = c->pt;
		for (size_t k = 0; k < n && !pick; k++)
			if (same_codec(c, &ours[k]))
				pick = c;
	}
	if (!pick)
		return ENOTSUP;
	if (offer->secure && !offer->ncrypto)
		return EPROTONOSUPPORT;

	memset(neg, 0, sizeof(*neg));
	/* RFC 4568 7.1.1: the first line we can use, in the offer's order
	 * (the offerer's preference). */
	neg->secure = offer->secure;
	if (offer->secure)
		neg->crypto = offer->crypto[0];
	neg->codec = *pick;
	/* A static type offered bare gets its name from our table. */
	for (size_t k = 0; k < n && !pick->rate; k++) {
		if (ours[k].pt == pick->pt) {
			neg->codec = ours[k];
			neg->codec.fmtp[0] = 0;
		}
	}
	neg->dtmf_pt = dtmf;
	/* c=0.0.0.0 (RFC 2543 hold) means "send me nothing". */
	offered = offer->dir;
	if (offer->hold_addr)
		offered = (enum media_dir)(offered & MEDIA_SENDONLY);
	neg->dir = (enum media_dir)(mirror(offered) & want);
	memcpy(neg->addr, offer->addr, sizeof(neg->addr));
	neg->af = offer->af;
	neg->port = offer->port;
	neg->ptime = offer->ptime;
	return 0;
}

/* An output buffer that remembers whether anything did not fit. */
struct out {
	char  *buf;
	size_t size, len;
	bool   full;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->full)
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= o->size - o->len)
		o->full = true;
	else
		o->len += (size_t)k;
}

static const char *ip_type(const char *addr)
{
	unsigned char bin[16];

	if (inet_pton(AF_INET, addr, bin) == 1)
		return "IP4";
	if (inet_pton(AF_INET6, addr, bin) == 1)
		return "IP6";
	return NULL;
}

static void session(struct out *o, const struct media_sdp_local *l,
		    const char *type)
{
	put(o, "v=0\r\n");
	put(o, "o=hotline %llu %llu IN %s %s\r\n",
	    (unsigned long long)l->sess_id, (unsigned long long)l->sess_ver,
	    type, l->addr);
	put(o, "s=hotline\r\n");
	put(o, "c=IN %s %s\r\n", type, l->addr);
	put(o, "t=0 0\r\n");
}

static void audio(struct out *o, const struct media_sdp_local *l)
{
	put(o, "m=audio %u %s", l->port, l->crypto ? "RTP/SAVP" : "RTP/AVP");
	for (size_t i = 0; i < l->ncodecs; i++)
		put(o, " %u", l->codecs[i].pt);
	if (l->dtmf_pt >= 0)
		put(o, " %d", l->dtmf_pt);
	put(o, "\r\n");
	for (size_t i = 0; i < l->ncodecs; i++) {
		const struct media_codec *c = &l->codecs[i];

		put(o, "a=rtpmap:%u %s/%u", c->pt, c->name, c->rate);
		if (c->channels > 1)
			put(o, "/%u", c->channels);
		put(o, "\r\n");
		if (c->fmtp[0])
			put(o, "a=fmtp:%u %s\r\n", c->pt, c->fmtp);
	}
	if (l->dtmf_pt >= 0) {
		put(o, "a=rtpmap:%d telephone-event/%d\r\n", l->dtmf_pt,
		    MEDIA_RATE);
		put(o, "a=fmtp:%d 0-16\r\n", l->dtmf_pt);
	}
	if (l->ptime)
		put(o, "a=ptime:%u\r\n", l->ptime);
	if (l->crypto) {
		char v[MEDIA_SDES_LINE];

		if (media_sdes_format(v, sizeof(v), l->crypto))
			o->full = true;
		else
			put(o, "a=crypto:%s\r\n", v);
	}
	put(o, "a=%s\r\n", dir_names[l->dir & MEDIA_SENDRECV]);
}

static int check(const struct media_sdp_local *l, const char **type)
{
	*type = l->addr ? ip_type(l->addr) : NULL;
	if (!*type || l->ncodecs == 0 || l->dtmf_pt > 127)
		return EINVAL;
	for (size_t i = 0; i < l->ncodecs; i++)
		if (l->codecs[i].pt > 127 || !l->codecs[i].name[0] ||
		    !l->codecs[i].rate)
			return EINVAL;
	return 0;
}

static int done(struct out *o)
{
	return o->full ? ENOSPC : 0;
}

int media_sdp_offer(char *buf, size_t size, const struct media_sdp_local *l)
{
	struct out o = {buf, size, 0, size == 0};
	const char *type;
	int err = check(l, &type);

	if (err)
		return err;
	session(&o, l, type);
	audio(&o, l);
	return done(&o);
}

int media_sdp_answer(char *buf, size_t size, const struct media_sdp_local *l,
		     const struct media_sdp *offer)
{
	struct out o = {buf, size, 0, size == 0};
	const char *type;
	int err = check(l, &type);

	if (err)
		return err;
	if (offer->audio < 0)
		return EINVAL;
	session(&o, l, type);
	/* RFC 3264 6: one m= line per offered one, refused ones at port 0. */
	for (size_t i = 0; i < offer->nmedia; i++) {
		const struct media_sdp_media *m = &offer->media[i];

		if ((int)i == offer->audio)
			audio(&o, l);
		else
			put(&o, "m=%s 0 %s %s\r\n", m->media, m->proto, m->fmts);
	}
	return done(&o);
}
