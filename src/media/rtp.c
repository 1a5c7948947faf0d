/* RTP packets (RFC 3550): parsing, writing, and the rewriter that keeps an
 * outgoing stream continuous across changes of source. */
#include <errno.h>
#include <string.h>
#include "media/media_int.h"

enum {
	MAX_DROPOUT  = 3000,   /* RFC 3550 A.1: larger forward jumps restart */
	MAX_MISORDER = 100,    /* and so do larger backward ones */
};

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

int media_rtp_parse(struct media_rtp_hdr *h, const uint8_t *buf, size_t len)
{
	size_t off = MEDIA_RTP_HDR_LEN;

	if (len < MEDIA_RTP_HDR_LEN || buf[0] >> 6 != 2)
		return EBADMSG;
	/* Second byte 200-204 is an RTCP packet type, not RTP. */
	if (buf[1] >= 200 && buf[1] <= 204)
		return EBADMSG;

	memset(h, 0, sizeof(*h));
	h->marker = buf[1] >> 7;
	h->pt     = buf[1] & 0x7F;
	h->seq    = rd16(buf + 2);
	h->ts     = rd32(buf + 4);
	h->ssrc   = rd32(buf + 8);
	h->cc     = buf[0] & 0x0F;
	if (len < off + 4u * h->cc)
		return EBADMSG;
	for (unsigned i = 0; i < h->cc; i++, off += 4)
		h->csrc[i] = rd32(buf + off);

	if (buf[0] & 0x10) {
		if (len < off + 4)
			return EBADMSG;
		h->ext = true;
		h->ext_profile = rd16(buf + off);
		h->ext_len = 4u * rd16(buf + off + 2);
		h->ext_data = buf + off + 4;
		off += 4;
		if (len - off < h->ext_len)
			return EBADMSG;
		off += h->ext_len;
	}

	if (buf[0] & 0x20) {
		/* The last byte counts the padding, itself included. */
		uint8_t pad = buf[len - 1];

		if (pad == 0 || pad > len - off)
			return EBADMSG;
		h->pad = pad;
	}
	h->payload = buf + off;
	h->payload_len = len - off - h->pad;
	return 0;
}

int media_rtp_write(uint8_t *buf, size_t size, const struct media_rtp_hdr *h,
		    size_t *lenp)
{
	size_t len = MEDIA_RTP_HDR_LEN + 4u * h->cc;

	if (h->pt > 127 || h->cc > MEDIA_RTP_MAX_CSRC)
		return EINVAL;
	if (size < len)
		return ENOSPC;
	buf[0] = (uint8_t)(0x80 | h->cc);
	media_rtp_patch(buf, h);
	for (unsigned i = 0; i < h->cc; i++)
		wr32(buf + MEDIA_RTP_HDR_LEN + 4 * i, h->csrc[i]);
	*lenp = len;
	return 0;
}

void media_rtp_patch(uint8_t *buf, const struct media_rtp_hdr *h)
{
	buf[1] = (uint8_t)((h->marker ? 0x80 : 0) | (h->pt & 0x7F));
	wr16(buf + 2, h->seq);
	wr32(buf + 4, h->ts);
	wr32(buf + 8, h->ssrc);
}

/* Serial-number arithmetic: a is after b when the forward distance from b
 * to a is less than half the counter's range. */
static bool seq_after(uint16_t a, uint16_t b) { return (int16_t)(a - b) > 0; }
static bool ts_after(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

void media_rtp_rewrite_init(struct media_rtp_rewrite *rw, uint32_t ssrc,
			    uint16_t seq, uint32_t ts)
{
	memset(rw, 0, sizeof(*rw));
	rw->ssrc = ssrc;
	rw->last_seq = (uint16_t)(seq - 1);
	rw->last_ts = ts;
	rw->frame = MEDIA_FRAME;
}

void media_rtp_rewrite_reset(struct media_rtp_rewrite *rw)
{
	rw->have_src = false;
}

static bool is_new_source(const struct media_rtp_rewrite *rw,
			  const struct media_rtp_hdr *h)
{
	int16_t d = (int16_t)(h->seq - rw->src_seq);

	return !rw->have_src || h->ssrc != rw->src_ssrc ||
	       d > MAX_DROPOUT || d < -MAX_MISORDER;
}

/* Anchors a new source so that its packet h continues our stream: the next
 * sequence number, and a timestamp as far on as the clock has moved. */
static void anchor(struct media_rtp_rewrite *rw, const struct media_rtp_hdr *h,
		   int64_t now_ms)
{
	uint16_t seq = (uint16_t)(rw->last_seq + 1);
	uint32_t ts = rw->last_ts;

	if (rw->started) {
		int64_t ms = now_ms - rw->last_ms;
		uint64_t gap = ms > 0 ? (uint64_t)ms * (MEDIA_RATE / 1000) : 0;

		if (gap < rw->frame)
			gap = rw->frame;
		ts += (uint32_t)gap;
	}
	rw->seq_off = (uint16_t)(seq - h->seq);
	rw->ts_off = ts - h->ts;
	rw->src_ssrc = h->ssrc;
	rw->src_seq = h->seq;
	rw->src_ts = h->ts;
	rw->have_src = true;
}

/* Learns the source's packet spacing from consecutive packets, so a later
 * change of source that happens within the same tick leaves the right gap. */
static void follow(struct media_rtp_rewrite *rw, const struct media_rtp_hdr *h)
{
	if (!seq_after(h->seq, rw->src_seq))
		return;
	if (h->seq == (uint16_t)(rw->src_seq + 1)) {
		uint32_t d = h->ts - rw->src_ts;

		if (d > 0 && d <= MEDIA_RATE)
			rw->frame = d;
	}
	rw->src_seq = h->seq;
	rw->src_ts = h->ts;
}

void media_rtp_rewrite_apply(struct media_rtp_rewrite *rw,
			     struct media_rtp_hdr *h, int64_t now_ms)
{
	if (is_new_source(rw, h)) {
		anchor(rw, h, now_ms);
		h->marker = true;
	} else {
		follow(rw, h);
	}
	h->ssrc = rw->ssrc;
	h->seq = (uint16_t)(h->seq + rw->seq_off);
	h->ts += rw->ts_off;

	if (!rw->started || seq_after(h->seq, rw->last_seq))
		rw->last_seq = h->seq;
	if (!rw->started || ts_after(h->ts, rw->last_ts)) {
		rw->last_ts = h->ts;
		rw->last_ms = now_ms;
	}
	rw->started = true;
}
