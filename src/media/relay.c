/* media relay: what a media thread does with each received packet and on
 * each 20 ms tick.
 *
 * A packet is accepted only from the latched peer (symmetric RTP: the first
 * source that sends becomes the peer), parsed, counted for loss, handed to
 * the RFC 4733 receiver when it is a telephone-event, decoded for the
 * recorder and the in-band detector when they are on, and relayed to the
 * bridged leg with that leg's own SSRC, sequence and timestamp (and codec). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "base/log.h"
#include "media/engine_int.h"

enum { PKT_MAX = 1500, READS_PER_WAKE = 32, FRAME = 160 };

static bool same_addr(const struct sockaddr_storage *a, socklen_t alen,
		      const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

static void count_loss(struct mthread *mt, struct media_leg *l, uint16_t seq)
{
	if (l->rx_seen) {
		uint16_t gap = (uint16_t)(seq - l->rx_last_seq);
		/* Forward jumps under 3000 are loss; anything else is a
		 * reordered or duplicated packet, or a new stream. */
		if (gap > 1 && gap < 3000)
			atomic_fetch_add(&mt->lost, gap - 1u);
		if (gap == 0 || gap >= 0x8000)
			return;
	}
	l->rx_seen = true;
	l->rx_last_seq = seq;
}

static void decode(const struct media_leg *l, const uint8_t *in, size_t n,
		   int16_t *pcm)
{
	if (l->codec == MEDIA_PCMA)
		media_alaw_decode_buf(pcm, in, n);
	else
		media_ulaw_decode_buf(pcm, in, n);
}

static void on_audio(struct mthread *mt, struct media_leg *l,
		     const struct media_rtp_hdr *h)
{
	struct media_leg *p = l->peer;
	uint8_t out[PKT_MAX];
	int16_t pcm[PKT_MAX];
	size_t plen = h->payload_len < FRAME * 2 ? h->payload_len : FRAME * 2;
	bool need_pcm = l->rec || l->inband;

	if (need_pcm)
		decode(l, h->payload, plen, pcm);
	if (l->inband) {
		char digit;
		uint32_t ms;
		if (media_inband_feed(l->inband, pcm, plen, &digit, &ms)) {
			struct media_event ev = {.kind = MEDIA_EV_DTMF,
				.owner = l->owner, .digit = digit,
				.duration_ms = ms, .inband = true};
			engine_post_event(mt->eng, &ev);
		}
	}
	if (l->rec && l->rec_fill + plen <= ARRAY_LEN(l->rec_pcm)) {
		memcpy(l->rec_pcm + l->rec_fill, pcm, plen * sizeof(int16_t));
		l->rec_fill += (unsigned)plen;
	}
	if (p && p->remote_len) {
		struct media_rtp_hdr oh;
		size_t n;

		media_rtp_rewrite(&p->out, h, p->audio_pt, &oh);
		n = media_rtp_write_hdr(out, sizeof(out), &oh);
		if (!n || n + h->payload_len > sizeof(out))
			return;
		if (p->codec == l->codec)
			memcpy(out + n, h->payload, h->payload_len);
		else if (l->codec == MEDIA_PCMU)
			media_ulaw_to_alaw_buf(out + n, h->payload,
					       h->payload_len);
		else
			media_alaw_to_ulaw_buf(out + n, h->payload,
					       h->payload_len);
		if (sendto(p->fd, out, n + h->payload_len, 0,
			   (struct sockaddr *)&p->remote, p->remote_len) > 0)
			atomic_fetch_add(&mt->tx, 1);
	}
}

static void on_dtmf(struct mthread *mt, struct media_leg *l,
		    const struct media_rtp_hdr *h)
{
	struct media_leg *p = l->peer;
	char digit;
	uint32_t ms;

	if (media_dtmf_rx_feed(&l->dtmf, h, &digit, &ms)) {
		struct media_event ev = {.kind = MEDIA_EV_DTMF,
					 .owner = l->owner, .digit = digit,
					 .duration_ms = ms};
		engine_post_event(mt->eng, &ev);
	}
	/* Pass the event on so the other party's phone sees it too. */
	if (p && p->remote_len && p->dtmf_pt) {
		uint8_t out[PKT_MAX];
		struct media_rtp_hdr oh;
		size_t n;

		media_rtp_rewrite(&p->out, h, p->dtmf_pt, &oh);
		n = media_rtp_write_hdr(out, sizeof(out), &oh);
		if (!n || n + h->payload_len > sizeof(out))
			return;
		memcpy(out + n, h->payload, h->payload_len);
		if (sendto(p->fd, out, n + h->payload_len, 0,
			   (struct sockaddr *)&p->remote, p->remote_len) > 0)
			atomic_fetch_add(&mt->tx, 1);
	}
}

void relay_on_readable(struct mthread *mt, struct media_leg *l)
{
	uint8_t buf[PKT_MAX];

	for (int i = 0; i < READS_PER_WAKE; i++) {
		struct sockaddr_storage src;
		socklen_t slen = sizeof(src);
		struct media_rtp_hdr h;
		ssize_t n = recvfrom(l->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&src, &slen);
		if (n < 0)
			return;
		atomic_fetch_add(&mt->rx, 1);
		if (!l->latched) {
			/* Symmetric RTP: answer where the peer really is. */
			l->remote = src;
			l->remote_len = slen;
			l->latched = true;
		}
		else if (!same_addr(&src, slen, &l->remote, l->remote_len)) {
			atomic_fetch_add(&mt->dropped, 1);
			continue;
		}
		if (media_rtp_parse(buf, (size_t)n, &h)) {
			atomic_fetch_add(&mt->dropped, 1);
			continue;
		}
		count_loss(mt, l, h.seq);
		if (l->dtmf_pt && h.pt == l->dtmf_pt)
			on_dtmf(mt, l, &h);
		else if (h.pt == l->audio_pt)
			on_audio(mt, l, &h);
		else
			atomic_fetch_add(&mt->dropped, 1);
	}
}

/* Hands one 20 ms stereo frame to the recorder: what each side sent since
 * the last tick, silence where a side sent nothing. */
static void record_tick(struct media_leg *left)
{
	struct media_leg *right = left->peer;
	int16_t zero[FRAME] = {0};
	const int16_t *r = zero;

	if (right && right->rec == left->rec && right->rec_fill >= FRAME)
		r = right->rec_pcm;
	media_rec_write(left->rec, left->rec_fill >= FRAME ? left->rec_pcm : zero,
			r, FRAME);
	if (left->rec_fill >= FRAME) {
		left->rec_fill -= FRAME;
		memmove(left->rec_pcm, left->rec_pcm + FRAME,
			left->rec_fill * sizeof(int16_t));
	}
	if (r != zero) {
		right->rec_fill -= FRAME;
		memmove(right->rec_pcm, right->rec_pcm + FRAME,
			right->rec_fill * sizeof(int16_t));
	}
}

void relay_on_tick(struct mthread *mt)
{
	for (struct media_leg *l = mt->legs; l; l = l->next) {
		if (l->rec && l->rec_channel == 0)
			record_tick(l);
	}
}

void relay_leg_detach(struct media_leg *l)
{
	if (!l->rec)
		return;
	/* The right leg loses its share when the left one goes: the record
	 * ends with the first leg that closes. */
	if (l->peer && l->peer->rec == l->rec) {
		l->peer->rec = media_rec_close(l->peer->rec);
		l->peer->rec_fill = 0;
	}
	l->rec = media_rec_close(l->rec);
	l->rec_fill = 0;
}
