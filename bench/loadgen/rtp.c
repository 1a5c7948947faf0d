/* rtp: the packets themselves, no sockets and no threads. A sender makes
 * one packet per 20 ms tick (G.711 tone, or an RFC 4733 event while a digit
 * is due); a receiver turns each arrival into counter increments. media.c
 * moves the bytes and keeps the counters.
 *
 * Loss is counted two ways. Sequence loss: a stream's expected count is
 * the span of sequence numbers it has seen, so packets still in flight
 * when a call ends are not loss, but a peer that rewrites sequence numbers
 * (a jump forward) reads as loss. Delivered: what one side received over
 * what the other side sent (the generator is both ends of every call), which
 * no rewriting skews; a ramp judges a step by it. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include <re.h>
#include "loadgen.h"

enum {
	DTMF_DELAY_TICKS = 50,    /* a second of audio before the first digit */
	DIGIT_TICKS = 4,          /* event packets before the end packets */
	END_PACKETS = 3,          /* RFC 4733 2.5.1.4: the end is sent thrice */
	GAP_TICKS = 5,            /* audio between two digits */
	DEFAULT_EVPT = 101,
};

/* Where each counter lives in struct lg_rtp, in enum lg_ctr order. */
static const size_t field[LG_NCTR] = {
	[LG_TX] = offsetof(struct lg_rtp, tx),
	[LG_RX] = offsetof(struct lg_rtp, rx),
	[LG_EXPECTED] = offsetof(struct lg_rtp, expected),
	[LG_GAPS] = offsetof(struct lg_rtp, gaps),
	[LG_LATE] = offsetof(struct lg_rtp, late),
	[LG_DUP] = offsetof(struct lg_rtp, dup),
	[LG_FOREIGN] = offsetof(struct lg_rtp, foreign),
	[LG_SSRC] = offsetof(struct lg_rtp, ssrc_changes),
	[LG_DIGITS] = offsetof(struct lg_rtp, digits),
	[LG_SEND_ERR] = offsetof(struct lg_rtp, send_err),
	[LG_SIM_DROPPED] = offsetof(struct lg_rtp, sim_dropped),
	[LG_DIGITS_SENT] = offsetof(struct lg_rtp, digits_sent),
	[LG_RESYNC] = offsetof(struct lg_rtp, resyncs),
};

uint64_t *lg_rtp_at(struct lg_rtp *r, enum lg_ctr c)
{
	return (uint64_t *)(void *)((char *)r + field[c]);
}

static uint64_t get(const struct lg_rtp *r, enum lg_ctr c)
{
	return *(const uint64_t *)(const void *)((const char *)r + field[c]);
}

void lg_tone(uint8_t tone[2][LG_SAMPLES])
{
	for (unsigned i = 0; i < LG_SAMPLES; i++) {
		/* 400 Hz is 20 samples a period: 160 samples loop seamlessly. */
		int v = (int)lrint(8000.0 * sin(2.0 * M_PI * 400.0 * i / 8000.0));

		tone[0][i] = linear_to_ulaw(v);
		tone[1][i] = linear_to_alaw(v);
	}
}

static int digit_code(char d)
{
	static const char codes[] = "0123456789*#ABCD";
	const char *p = strchr(codes, d >= 'a' && d <= 'd' ? d - 32 : d);

	return d && p ? (int)(p - codes) : -1;
}

void lg_tx_init(struct lg_tx *tx, uint32_t ssrc, uint16_t seq, uint32_t ts)
{
	memset(tx, 0, sizeof(*tx));
	tx->ssrc = ssrc;
	tx->seq = seq;
	tx->ts = ts;
	tx->marker = true;
}

/* The payload of this tick: an event while a digit is due, else tone. */
static size_t payload(struct lg_tx *tx, const uint8_t tone[2][LG_SAMPLES],
		      int pt, int evpt, uint8_t *out, int *pt_used)
{
	const unsigned per_digit = DIGIT_TICKS + END_PACKETS + GAP_TICKS;
	int code = digit_code(tx->dtmf[tx->dtmf_pos]);

	*pt_used = pt;
	if (evpt >= 0 && code >= 0 && tx->ticks > DTMF_DELAY_TICKS) {
		unsigned ph = tx->dtmf_phase++;

		if (tx->dtmf_phase == per_digit) {
			tx->dtmf_phase = 0;
			tx->dtmf_pos++;
		}
		if (ph < DIGIT_TICKS + END_PACKETS) {
			unsigned dur = (ph < DIGIT_TICKS ? ph + 1 : DIGIT_TICKS)
				* LG_SAMPLES;

			if (ph == 0) {
				tx->ev_ts = tx->ts;
				tx->marker = true;
			}
			if (ph == DIGIT_TICKS + END_PACKETS - 1)
				tx->digits_sent++;
			out[0] = (uint8_t)code;
			out[1] = (uint8_t)((ph >= DIGIT_TICKS ? 0x80 : 0) | 10);
			out[2] = (uint8_t)(dur >> 8);
			out[3] = (uint8_t)dur;
			*pt_used = evpt;
			return 4;
		}
	}
	memcpy(out, tone[pt == 8], LG_SAMPLES);
	return LG_SAMPLES;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t lg_tx_next(struct lg_tx *tx, const uint8_t tone[2][LG_SAMPLES],
		  int pt, int evpt, uint8_t buf[LG_PKT_MAX])
{
	int pt_used;
	size_t len;

	tx->ticks++;
	len = LG_RTP_HDR + payload(tx, tone, pt, evpt, buf + LG_RTP_HDR,
				   &pt_used);
	buf[0] = 0x80;
	buf[1] = (uint8_t)((tx->marker ? 0x80 : 0) | pt_used);
	buf[2] = (uint8_t)(tx->seq >> 8);
	buf[3] = (uint8_t)tx->seq;
	put32(buf + 4, pt_used == pt ? tx->ts : tx->ev_ts);
	put32(buf + 8, tx->ssrc);
	tx->marker = false;
	tx->seq++;
	tx->ts += LG_SAMPLES;
	return len;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void lg_rx_account(struct lg_rx *rx, const uint8_t *p, size_t n, int evpt,
		   uint64_t inc[LG_NCTR])
{
	uint16_t seq, delta;
	uint32_t ts, ssrc;

	/* RTCP (types 192-223 in byte 1) and anything not RTP v2 is foreign. */
	if (n < LG_RTP_HDR || (p[0] >> 6) != 2 ||
	    (p[1] >= 192 && p[1] <= 223)) {
		inc[LG_FOREIGN]++;
		return;
	}
	seq = (uint16_t)(p[2] << 8 | p[3]);
	ts = get32(p + 4);
	ssrc = get32(p + 8);
	inc[LG_RX]++;

	if ((p[1] & 0x7f) == (evpt < 0 ? DEFAULT_EVPT : evpt) &&
	    n >= LG_RTP_HDR + 4 && (p[LG_RTP_HDR + 1] & 0x80) &&
	    !(rx->have_end && rx->last_end_ts == ts)) {
		rx->have_end = true;
		rx->last_end_ts = ts;
		inc[LG_DIGITS]++;
	}

	if (!rx->started || ssrc != rx->ssrc) {
		if (rx->started)
			inc[LG_SSRC]++;
		rx->started = true;
		rx->ssrc = ssrc;
		rx->max_seq = seq;
		inc[LG_EXPECTED]++;
		return;
	}
	delta = (uint16_t)(seq - rx->max_seq);
	if (delta == 0) {
		inc[LG_DUP]++;
	}
	else if (delta < LG_MAX_DROPOUT) {
		inc[LG_EXPECTED] += delta;
		inc[LG_GAPS] += delta - 1u;
		rx->max_seq = seq;
	}
	else if (delta >= 0x10000 - LG_MAX_MISORDER) {
		inc[LG_LATE]++;
	}
	else {
		/* Too far either way to be loss or reordering: the sender
		 * restarted its numbering. Counting the jump forward as loss
		 * would invent it; staying behind would call every packet
		 * late and hide real loss until the numbers caught up. */
		inc[LG_RESYNC]++;
		inc[LG_EXPECTED]++;
		rx->max_seq = seq;
	}
}

uint64_t lg_rtp_lost(const struct lg_rtp *r)
{
	uint64_t got = r->rx > r->dup ? r->rx - r->dup : 0;

	return r->expected > got ? r->expected - got : 0;
}

double lg_rtp_loss_pct(const struct lg_rtp *r)
{
	return r->expected ? 100.0 * (double)lg_rtp_lost(r) /
		(double)r->expected : 0.0;
}

double lg_rtp_delivered_pct(const struct lg_rtp r[LG_SIDES], enum lg_side s)
{
	const struct lg_rtp *me = &r[s], *other = &r[!s];
	uint64_t got = me->rx > me->dup ? me->rx - me->dup : 0;

	if (!r[LG_CALLER].tx || !r[LG_AGENT].tx)
		return -1.0;
	return 100.0 * (double)got / (double)other->tx;
}

double lg_rtp_delivered_loss_pct(const struct lg_rtp r[LG_SIDES])
{
	uint64_t got = 0, sent = 0;
	double pct;

	if (lg_rtp_delivered_pct(r, LG_CALLER) < 0)
		return -1.0;
	for (int s = 0; s < LG_SIDES; s++) {
		got += r[s].rx > r[s].dup ? r[s].rx - r[s].dup : 0;
		sent += r[s].tx;
	}
	pct = 100.0 - 100.0 * (double)got / (double)sent;
	return pct > 0 ? pct : 0.0;
}

double lg_rtp_judged_loss_pct(const struct lg_rtp r[LG_SIDES])
{
	double d = lg_rtp_delivered_loss_pct(r);
	struct lg_rtp sum;

	if (d >= 0)
		return d;
	lg_rtp_sum(&sum, r);
	return lg_rtp_loss_pct(&sum);
}

void lg_rtp_diff(struct lg_rtp *d, const struct lg_rtp *a,
		 const struct lg_rtp *b)
{
	for (int c = 0; c < LG_NCTR; c++)
		*lg_rtp_at(d, c) = get(a, c) - get(b, c);
}

void lg_rtp_sum(struct lg_rtp *d, const struct lg_rtp r[LG_SIDES])
{
	memset(d, 0, sizeof(*d));
	for (int side = 0; side < LG_SIDES; side++)
		for (int c = 0; c < LG_NCTR; c++)
			*lg_rtp_at(d, c) += get(&r[side], c);
}
