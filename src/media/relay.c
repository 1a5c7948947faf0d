/* media relay: what a media thread does with each received packet and on
 * each 20 ms tick.
 *
 * A packet is accepted only from the latched peer (symmetric RTP: the first
 * source that sends becomes the peer, and the address the SDP named takes
 * the leg back from any other), parsed, counted for loss, handed to
 * the RFC 4733 receiver when it is a telephone-event, decoded for the
 * recorder, the in-band detector and the leg's mix when they are on, and
 * relayed to the bridged leg with that leg's own SSRC, sequence and
 * timestamp (and codec). Mixes (mix.c) run first on each tick.
 *
 * Sockets are read on the 20 ms tick, not when a packet arrives: no leg is
 * in the thread's epoll set, so the thread wakes 50 times a second however
 * many calls it carries, and each leg costs one recvmmsg a tick for the
 * packet its phone sent since the last. Waking per packet cost a context
 * switch and an epoll_wait for every few packets once calls ran into the
 * hundreds (issue 18); the price is up to 20 ms more delay through the
 * bridge, as the mixer already had (mix.c). sendmmsg cannot batch the
 * sends: each leg sends from a socket (a port) of its own, and sendmmsg
 * sends on one socket; legs whose peers moved to one port, a mux (mux.c),
 * are read and sent to together from there. */
#include <errno.h>
#include <time.h>
#include <string.h>
#include <sys/socket.h>
#include "base/log.h"
#include "base/util.h"
#include "media/engine_int.h"

enum { PKT_MAX = 1500, READS_PER_WAKE = 32, BATCH = 8, FRAME = MEDIA_FRAME,
       REC_CATCHUP_MAX = 500 /* ticks: 10 s */ };

/* Sends a packet from l's socket to l's peer (encrypted last, on an SRTP
 * leg), and counts it. */
static void send_to(struct mthread *mt, struct media_leg *l,
		    const uint8_t *buf, size_t n)
{
	uint8_t sealed[PKT_MAX + 16];

	if (l->srtp_tx) {
		if (engine_srtp_seal(l, buf, n, sealed, sizeof(sealed), &n))
			return;
		buf = sealed;
	}
	/* Its peer moved to the mux: the answer comes from there too. */
	if (l->mux_seen) {
		mux_send(mt, l, buf, n);
		return;
	}
	if (sendto(l->fd, buf, n, 0, (const struct sockaddr *)&l->remote,
		   l->remote_len) > 0)
		atomic_fetch_add(&mt->tx, 1);
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

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_inband_digit(char digit, void *arg)
{
	struct media_leg *l = arg;
	struct media_event ev = {.kind = MEDIA_EV_DTMF, .digit = digit,
				 .inband = true};
	engine_post_event(l, &ev);
}

void relay_inband_on(struct media_leg *l)
{
	if (media_inband_alloc(&l->inband, on_inband_digit, l))
		log_warn("media.inband", "port=%u err=no detector", l->port);
}

/* Sends the packet in buf (n bytes, parsed as h) to the bridged leg p with
 * p's stream identity and payload type pt; the payload is converted in
 * place when the two legs use different laws. */
static void forward(struct mthread *mt, const struct media_leg *l,
		    struct media_leg *p, uint8_t *buf, size_t n,
		    struct media_rtp_hdr *h, uint8_t pt, bool audio,
		    int64_t now)
{
	uint8_t *payload = (uint8_t *)h->payload;

	if (audio && p->law != l->law) {
		if (l->law == MEDIA_PCMU)
			media_ulaw_to_alaw_buf(payload, payload, h->payload_len);
		else
			media_alaw_to_ulaw_buf(payload, payload, h->payload_len);
	}
	h->pt = pt;
	media_rtp_rewrite_apply(&p->out, h, now);
	media_rtp_patch(buf, h);
	send_to(mt, p, buf, n);
}

/* Decodes what the leg received for the recorder, the detector and the
 * mix. */
static void listen_audio(struct media_leg *l, const struct media_rtp_hdr *h)
{
	int16_t local[ARRAY_LEN(l->rec_pcm)];
	size_t n = h->payload_len < ARRAY_LEN(local) ? h->payload_len :
		ARRAY_LEN(local);
	/* A mix member's frame goes straight where the mix will sum it. */
	int16_t *direct = l->mix ? mix_frame(l, n) : NULL;
	int16_t *pcm = direct ? direct : local;

	if (l->law == MEDIA_PCMA)
		media_alaw_decode_buf(pcm, h->payload, n);
	else
		media_ulaw_decode_buf(pcm, h->payload, n);
	if (l->inband)
		media_inband_feed(l->inband, pcm, n);
	if (l->mix && !direct)
		mix_feed(l, pcm, n);
	if (l->rec) {
		/* A sender running fast loses its oldest unrecorded audio. */
		if (l->rec_fill + n > ARRAY_LEN(l->rec_pcm))
			l->rec_fill = 0;
		memcpy(l->rec_pcm + l->rec_fill, pcm, n * sizeof(int16_t));
		l->rec_fill += (unsigned)n;
	}
}

static void on_dtmf(struct media_leg *l, const struct media_rtp_hdr *h)
{
	char digit;

	if (!media_dtmf_rx_feed(&l->dtmf, h->ts, h->marker, h->payload,
				h->payload_len, &digit)) {
		struct media_event ev = {.kind = MEDIA_EV_DTMF,
					 .digit = digit};
		engine_post_event(l, &ev);
	}
}

/* One received datagram from src: latched, parsed, counted, then handed to
 * the DTMF receiver, the listeners (recorder, detector, mix) and the
 * bridged peer. */
void relay_packet(struct mthread *mt, struct media_leg *l, uint8_t *buf,
		  size_t n, const struct sockaddr_storage *src, socklen_t slen,
		  int64_t now)
{
	struct media_rtp_hdr h;
	struct media_leg *p = l->peer;

	atomic_fetch_add(&mt->rx, 1);
	/* A packet from the address the SDP named takes the leg back from
	 * whoever latched it first: a late packet of an earlier call on
	 * this port must not shut the real peer out for the whole call. */
	if (l->latched && !l->srtp_rx && l->sdp_addr_len &&
	    engine_same_addr(src, slen, &l->sdp_addr, l->sdp_addr_len))
		l->latched = false;
	/* On an SRTP leg only a packet that authenticates is the peer's:
	 * nothing else may latch us or reach the engine. */
	if ((l->latched &&
	     !engine_same_addr(src, slen, &l->remote, l->remote_len)) ||
	    (l->srtp_rx && !engine_srtp_open(l, buf, &n))) {
		atomic_fetch_add(&mt->dropped, 1);
		return;
	}
	if (!l->latched) {
		/* Symmetric RTP: answer where the peer really is. */
		l->remote = *src;
		l->remote_len = slen;
		l->latched = true;
		l->heard = *src;
		l->heard_len = slen;
	}
	if (media_rtp_parse(&h, buf, n)) {
		atomic_fetch_add(&mt->dropped, 1);
		return;
	}
	count_loss(mt, l, h.seq);
	atomic_store_explicit(&l->rx_last_ms, now, memory_order_relaxed);
	if (l->dtmf_pt && h.pt == l->dtmf_pt) {
		on_dtmf(l, &h);
		/* Pass the key on so the other phone sees it too. */
		if (p && p->remote_len && p->dtmf_pt)
			forward(mt, l, p, buf, n, &h, p->dtmf_pt, false, now);
	}
	else if (h.pt == l->audio_pt) {
		if (l->rec || l->inband || l->mix)
			listen_audio(l, &h);
		/* A prompt or DTMF of our own going to the peer wins over
		 * relayed audio. */
		if (p && p->remote_len && !p->play && !relay_dtmf_busy(p))
			forward(mt, l, p, buf, n, &h, p->audio_pt, true, now);
	}
	else {
		atomic_fetch_add(&mt->dropped, 1);
	}
}

/* recvmmsg, BATCH datagrams a call: a leg with one packet waiting costs
 * one system call, not a read and a read that finds nothing (the larger
 * part of what a leg costs the thread). */
void relay_read(struct mthread *mt, struct media_leg *l, int64_t now)
{
	uint8_t buf[BATCH][PKT_MAX];
	struct iovec iov[BATCH];
	struct sockaddr_storage src[BATCH];
	struct mmsghdr msg[BATCH];

	if (l->mux) {
		mux_read(mt, l->mux, now);
		if (l->mux_seen)
			return;
	}
	for (int round = 0; round < READS_PER_WAKE / BATCH; round++) {
		int n;

		engine_mmsg_prepare(msg, iov, buf[0], PKT_MAX, src, BATCH);
		n = recvmmsg(l->fd, msg, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (int i = 0; i < n; i++)
			relay_packet(mt, l, buf[i], msg[i].msg_len, &src[i],
				     msg[i].msg_hdr.msg_namelen, now);
		if (n < BATCH)
			return;
	}
}

/* Hands one 20 ms stereo frame to the recorder: what each side sent since
 * the last tick, silence (NULL) where a side sent nothing. */
static void record_tick(struct media_leg *left)
{
	struct media_leg *right = left->rec_other;
	const int16_t *l = left->rec_fill >= FRAME ? left->rec_pcm : NULL;
	const int16_t *r = NULL;

	if (right && right->rec == left->rec && right->rec_fill >= FRAME)
		r = right->rec_pcm;
	(void)media_rec_write(left->rec, l, r, FRAME);
	if (l) {
		left->rec_fill -= FRAME;
		memmove(left->rec_pcm, left->rec_pcm + FRAME,
			left->rec_fill * sizeof(int16_t));
	}
	if (r) {
		right->rec_fill -= FRAME;
		memmove(right->rec_pcm, right->rec_pcm + FRAME,
			right->rec_fill * sizeof(int16_t));
	}
}

void relay_play_stop(struct media_leg *l)
{
	media_prompt_unref(l->play);
	l->play = NULL;
}

/* Writes the header of l's next own frame into buf (*hlen bytes) and moves
 * the stream on; false when it is not to be sent. */
static bool own_header(struct media_leg *l, uint8_t *buf, size_t size,
		       size_t *hlen, int64_t now)
{
	struct media_rtp_hdr h = {.pt = l->audio_pt, .seq = l->play_seq++,
				  .ts = l->play_ts, .ssrc = l->play_ssrc};

	l->play_ts += FRAME;
	if (!l->remote_len)
		return false;
	media_rtp_rewrite_apply(&l->out, &h, now);
	return !media_rtp_write(buf, size, &h, hlen);
}

void relay_send_pcm(struct mthread *mt, struct media_leg *l,
		    const int16_t *pcm, int64_t now)
{
	uint8_t buf[MEDIA_RTP_HDR_LEN + FRAME];
	size_t hlen;

	if (!own_header(l, buf, sizeof(buf), &hlen, now))
		return;
	if (l->law == MEDIA_PCMA)
		media_alaw_encode_buf(buf + hlen, pcm, FRAME);
	else
		media_ulaw_encode_buf(buf + hlen, pcm, FRAME);
	send_to(mt, l, buf, hlen + FRAME);
}

void relay_send_sum(struct mthread *mt, struct media_leg *l,
		    const int32_t *sum, int64_t now)
{
	uint8_t buf[MEDIA_RTP_HDR_LEN + FRAME];
	size_t hlen;

	if (!own_header(l, buf, sizeof(buf), &hlen, now))
		return;
	if (l->law == MEDIA_PCMA)
		media_alaw_encode_sum(buf + hlen, sum, FRAME);
	else
		media_ulaw_encode_sum(buf + hlen, sum, FRAME);
	send_to(mt, l, buf, hlen + FRAME);
}

/* Sends the prompt's next 20 ms to the leg's peer, as a stream of its own
 * that the rewriter joins seamlessly to whatever the leg sent before. */
static void play_tick(struct mthread *mt, struct media_leg *l, int64_t now)
{
	const struct media_prompt *pr = l->play;
	int16_t pcm[FRAME] = {0};
	size_t take = pr->n - l->play_pos < FRAME ? pr->n - l->play_pos : FRAME;

	memcpy(pcm, pr->pcm + l->play_pos, take * sizeof(int16_t));
	l->play_pos += take;
	if (l->play_pos >= pr->n) {
		l->play_pos = 0;
		if (!l->play_loop) {
			struct media_event ev = {.kind = MEDIA_EV_PROMPT_END};
			relay_play_stop(l);
			engine_post_event(l, &ev);
		}
	}
	relay_send_pcm(mt, l, pcm, now);
}

/* Sends the next telephone-event packet of the digits queued on l: one per
 * tick while a key is "down", three end packets, then 60 ms of quiet. All
 * packets of a press carry its first timestamp (RFC 4733 2.5). */
static void dtmf_tick(struct mthread *mt, struct media_leg *l, int64_t now)
{
	uint8_t buf[MEDIA_RTP_HDR_LEN + 4];
	struct media_rtp_hdr h = {.pt = l->dtmf_pt, .ssrc = l->play_ssrc};
	size_t hlen;

	if (l->dtmf_gap) {
		l->dtmf_gap--;
		l->play_ts += FRAME;
		return;
	}
	if (!l->dtmf_sending) {
		if (media_dtmf_tx_start(&l->dtmf_tx, l->dtmf_out[0], l->dtmf_ms,
					10)) {
			l->dtmf_out[0] = '\0';
			return;
		}
		memmove(l->dtmf_out, l->dtmf_out + 1, strlen(l->dtmf_out));
		l->dtmf_sending = true;
	}
	if (media_dtmf_tx_next(&l->dtmf_tx, buf + MEDIA_RTP_HDR_LEN,
			       &h.marker)) {
		/* The press is over: the next one starts after a gap, on
		 * a timestamp past everything this one covered. */
		l->dtmf_sending = false;
		l->dtmf_gap = 3;
		l->play_ts += (l->dtmf_ms + 19) / 20 * FRAME;
		return;
	}
	h.seq = l->play_seq++;
	h.ts = l->play_ts;
	if (!l->remote_len || !l->dtmf_pt)
		return;
	media_rtp_rewrite_apply(&l->out, &h, now);
	if (media_rtp_write(buf, sizeof(buf), &h, &hlen) || hlen != MEDIA_RTP_HDR_LEN)
		return;
	send_to(mt, l, buf, sizeof(buf));
}

void relay_on_tick(struct mthread *mt, uint64_t ticks)
{
	static const int16_t silence[FRAME];
	int64_t now = mono_ms();
	/* A recording stays as long as the call: the ticks a loaded thread
	 * missed are written too (what was received meanwhile, else silence),
	 * up to a bound past which the thread was stopped, not late. */
	uint64_t rec_ticks = ticks < REC_CATCHUP_MAX ? ticks : REC_CATCHUP_MAX;

	mt->tick_no++;

	/* Mixes first: they add what their members hear to the recorders'
	 * right channels before those are written, and a prompt that ends
	 * below hands its leg back to the mix only on the next tick. */
	for (struct media_mix *m = mt->mixes; m; m = m->next)
		mix_tick(mt, m, now);
	for (struct media_leg *l = mt->legs; l; l = l->next) {
		/* Every leg is read here, once a tick, not when a packet
		 * arrives: a mix's members were read by mix_tick above. */
		if (!l->mix)
			relay_read(mt, l, now);
		for (uint64_t t = 0; l->rec && l->rec_channel == 0 &&
		     t < rec_ticks; t++)
			record_tick(l);
		if (relay_dtmf_busy(l) || l->dtmf_gap)
			dtmf_tick(mt, l, now);
		else if (l->play)
			play_tick(mt, l, now);
		else if (l->fill && !l->peer && !l->mix)
			relay_send_pcm(mt, l, silence, now);
	}
	mux_flush_all(mt);
}

void relay_leg_detach(struct media_leg *l)
{
	if (!l->rec)
		return;
	/* The left leg owns the recording: when it goes, the record ends
	 * and the right leg stops feeding it. */
	if (l->rec_channel == 0) {
		if (l->rec_other && l->rec_other->rec == l->rec) {
			l->rec_other->rec = NULL;
			l->rec_other->rec_fill = 0;
			l->rec_other->rec_other = NULL;
		}
		media_rec_close(l->rec);
	}
	else if (l->rec_other && l->rec_other->rec_other == l) {
		l->rec_other->rec_other = NULL;
	}
	l->rec = NULL;
	l->rec_fill = 0;
	l->rec_other = NULL;
}
