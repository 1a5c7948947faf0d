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
}

int leg_sdp_answer(struct leg *l, const char *offer, size_t len, char *buf,
		   size_t size)
{
	struct media_sdp *sdp = mem_zalloc(sizeof(*sdp), NULL);
	struct media_codec mine[ARRAY_LEN(ours)];
	struct media_sdp_local loc;
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
				  MEDIA_SENDRECV, &l->neg);
	if (err)
		goto out;
	if (l->media)
		err = leg_apply(l);
	if (err)
		goto out;
	l->sdp_ver++;
	local_of(l, &loc, &l->neg.codec, 1, l->neg.dtmf_pt);
	err = media_sdp_answer(buf, size, &loc, sdp);
out:
	mem_deref(sdp);
	return err;
}

int leg_sdp_offer(struct leg *l, char *buf, size_t size)
{
	struct media_codec mine[ARRAY_LEN(ours)];
	struct media_sdp_local loc;

	l->neg.dir = MEDIA_SENDRECV;
	l->sdp_ver++;
	local_of(l, &loc, mine, codecs_of(l, mine), DTMF_PT);
	return media_sdp_offer(buf, size, &loc);
}

int leg_sdp_read_answer(struct leg *l, const char *answer, size_t len)
{
	struct media_sdp *sdp = mem_zalloc(sizeof(*sdp), NULL);
	struct media_codec mine[ARRAY_LEN(ours)];
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
					  MEDIA_SENDRECV, &l->neg);
	if (!err)
		err = leg_apply(l);
	mem_deref(sdp);
	return err;
}

int leg_sdp_apply(struct leg *l)
{
	return leg_apply(l);
}
