/* media mix: conferences and supervisor monitoring on one media thread.
 *
 * A mix is a few slots (one per member leg) and a hears matrix, one bitmask
 * per listener. On each 20 ms tick the thread reads every member's socket
 * and decodes what came (relay.c): one frame straight into the tick's
 * frame for that slot, anything more into a small FIFO per slot that the
 * next ticks take first. Then for every listener it sums the frames it
 * hears (silence where a member sent nothing), encodes the sums in the
 * listener's law, clipping as it goes, and sends one packet in the
 * listener's own stream. Why no jitter buffer:
 * the FIFO already absorbs a packet arriving on either side of the tick
 * (up to MIX_DEPTH frames, oldest dropped beyond), and anything later than
 * that is better heard as a 20 ms gap than as added delay for everyone.
 *
 * A member's socket is read on the tick, not when a packet arrives: the
 * mix needs its audio only then, and a thread woken for every packet of
 * every member spends more on waking than on mixing (three times the
 * context switches of as many bridged legs, bench/mix). Every leg is read
 * so now (relay.c); a mix reads its members itself, before the tick's
 * other legs. The FIFO still takes a frame that came just before the tick
 * and the one that came just after.
 *
 * The common case, a listener hearing every other member, costs one
 * subtraction per sample from the sum of all, so a mix of n legs costs a
 * decode, an encode and O(1) adds per member and sample, as n relayed legs
 * cost a copy each; only listeners with a partial view (a silent
 * supervisor's peers) sum their speakers one by one.
 *
 * The signalling loop keeps its own list of members (sig_legs) to answer
 * errors at once; the thread's slots follow it through the commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "media/engine_int.h"

enum { FRAME = MEDIA_FRAME, CAP = MIX_DEPTH * MEDIA_FRAME };

static uint8_t bit(unsigned slot)
{
	return (uint8_t)(1u << slot);
}

static int16_t clip(int32_t v)
{
	return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}

/* ---- media thread ---- */

static void join(struct media_mix *m, struct media_leg *l, bool heard)
{
	unsigned s = 0;
	uint8_t members = 0;

	if (l->mix == m)
		return;
	if (l->mix)
		mix_leave(l);
	while (s < MEDIA_MIX_MAX && m->legs[s])
		s++;
	if (s == MEDIA_MIX_MAX) {
		log_error("media.mix", "port=%u err=mix full", l->port);
		return;
	}
	/* Fact 1: a member is in no bridge. */
	if (l->peer)
		l->peer->peer = NULL;
	l->peer = NULL;
	for (unsigned k = 0; k < MEDIA_MIX_MAX; k++) {
		if (!m->legs[k])
			continue;
		members |= bit(k);
		if (heard)
			m->hears[k] |= bit(s);
	}
	m->legs[s] = l;
	m->hears[s] = members;
	m->head[s] = m->fill[s] = 0;
	l->mix = m;
	l->mix_slot = s;
	/* What it hears now is a new source for its phone: marker set,
	 * timestamp moved on by the time since it was last sent anything. */
	media_rtp_rewrite_reset(&l->out);
}

void mix_leave(struct media_leg *l)
{
	struct media_mix *m = l->mix;
	unsigned s = l->mix_slot;

	m->legs[s] = NULL;
	m->hears[s] = 0;
	m->head[s] = m->fill[s] = 0;
	for (unsigned k = 0; k < MEDIA_MIX_MAX; k++)
		m->hears[k] &= (uint8_t)~bit(s);
	l->mix = NULL;
	media_rtp_rewrite_reset(&l->out);
}

static void set_hears(struct media_mix *m, struct media_leg *listener,
		      struct media_leg *speaker, bool on)
{
	if (listener->mix != m || speaker->mix != m || listener == speaker)
		return;
	if (on)
		m->hears[listener->mix_slot] |= bit(speaker->mix_slot);
	else
		m->hears[listener->mix_slot] &= (uint8_t)~bit(speaker->mix_slot);
}

static void mix_free(struct mthread *mt, struct media_mix *m)
{
	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		if (m->legs[s])
			mix_leave(m->legs[s]);
	}
	if (m->prev)
		m->prev->next = m->next;
	else if (mt->mixes == m)
		mt->mixes = m->next;
	if (m->next)
		m->next->prev = m->prev;
	free(m->free_cmd);
	free(m);
}

void mix_apply(struct mthread *mt, struct mcmd *c)
{
	struct media_mix *m = c->mix;

	switch (c->kind) {
	case CMD_MIX_ATTACH:
		m->next = mt->mixes;
		if (mt->mixes)
			mt->mixes->prev = m;
		mt->mixes = m;
		break;
	case CMD_MIX_ADD:
		join(m, c->leg, c->on);
		break;
	case CMD_MIX_REMOVE:
		if (c->leg->mix == m)
			mix_leave(c->leg);
		break;
	case CMD_MIX_HEARS:
		set_hears(m, c->leg, c->other, c->on);
		break;
	case CMD_MIX_FREE:
		/* c is m->free_cmd: the caller frees it after this. */
		m->free_cmd = NULL;
		mix_free(mt, m);
		break;
	default:
		break;
	}
}

void mix_free_all(struct mthread *mt)
{
	while (mt->mixes)
		mix_free(mt, mt->mixes);
}

int16_t *mix_frame(struct media_leg *l, size_t n)
{
	struct media_mix *m = l->mix;
	unsigned s = l->mix_slot;

	/* The common case, one frame a tick and nothing behind it: the
	 * tick's frame is on mix_tick's stack, still in the cache when it is
	 * summed; the backlog (in the mix, cold) is touched only by jitter. */
	if (!m->tick || n != FRAME || m->fill[s] || (m->ticked & bit(s)))
		return NULL;
	m->ticked |= bit(s);
	return m->tick[s];
}

void mix_feed(struct media_leg *l, const int16_t *pcm, size_t n)
{
	struct media_mix *m = l->mix;
	unsigned s = l->mix_slot;
	int16_t *buf = m->in[s];
	unsigned *head = &m->head[s], *fill = &m->fill[s];

	if (n >= CAP) {
		memcpy(buf, pcm + (n - CAP), CAP * sizeof(int16_t));
		*head = 0;
		*fill = CAP;
		return;
	}
	if (*head + *fill + n > CAP) {
		/* A member running ahead of the tick loses its oldest
		 * audio, so nobody's delay grows past MIX_DEPTH frames. */
		if (*fill + n > CAP) {
			unsigned drop = *fill + (unsigned)n - CAP;
			*head += drop;
			*fill -= drop;
		}
		memmove(buf, buf + *head, *fill * sizeof(int16_t));
		*head = 0;
	}
	memcpy(buf + *head + *fill, pcm, n * sizeof(int16_t));
	*fill += (unsigned)n;
}

/* Adds into r's unrecorded right channel what r hears in the mix from
 * anyone but the recording's left leg (see media_record). */
static void record_heard(struct media_mix *m, struct media_leg *r,
			 const int16_t *const in[], uint8_t live)
{
	struct media_leg *left = r->rec_other;
	uint8_t mask;

	if (!r->rec || r->rec_channel != 1 || !left || left->mix != m)
		return;
	mask = m->hears[r->mix_slot] & live & (uint8_t)~bit(left->mix_slot);
	if (!mask)
		return;
	if (r->rec_fill < FRAME) {
		memset(r->rec_pcm + r->rec_fill, 0,
		       (FRAME - r->rec_fill) * sizeof(int16_t));
		r->rec_fill = FRAME;
	}
	for (unsigned k = 0; k < MEDIA_MIX_MAX; k++) {
		if (!(mask & bit(k)))
			continue;
		for (unsigned i = 0; i < FRAME; i++)
			r->rec_pcm[i] = clip((int32_t)r->rec_pcm[i] + in[k][i]);
	}
}

void mix_tick(struct mthread *mt, struct media_mix *m, int64_t now)
{
	int16_t tick[MEDIA_MIX_MAX][FRAME];
	const int16_t *in[MEDIA_MIX_MAX];    /* this tick's frames, in place */
	int32_t all[FRAME] = {0};
	int32_t out[FRAME];
	uint8_t live = 0;    /* members with audio this tick */

	/* What the members sent since the last tick: a backlog's frames
	 * stay where they are until the next mix_feed, on the next tick. */
	m->tick = tick;
	m->ticked = 0;
	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		if (m->legs[s])
			relay_read(mt, m->legs[s], now);
	}
	m->tick = NULL;
	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		if (!m->legs[s])
			continue;
		if (m->ticked & bit(s)) {
			in[s] = tick[s];
		}
		else if (m->fill[s] >= FRAME) {
			in[s] = m->in[s] + m->head[s];
			m->fill[s] -= FRAME;
			m->head[s] = m->fill[s] ? m->head[s] + FRAME : 0;
		}
		else {
			continue;
		}
		live |= bit(s);
		for (unsigned i = 0; i < FRAME; i++)
			all[i] += in[s][i];
	}
	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		struct media_leg *l = m->legs[s];
		uint8_t mask;

		if (!l)
			continue;
		record_heard(m, l, in, live);
		/* Fact 4: a prompt or DTMF of its own wins. */
		if (l->play || relay_dtmf_busy(l) || l->dtmf_gap)
			continue;
		/* Sums go to the encoder unclipped: it encodes each as the
		 * clipped sample would, in the same pass. */
		mask = m->hears[s] & live;
		if (mask == (live & (uint8_t)~bit(s)) && (live & bit(s))) {
			for (unsigned i = 0; i < FRAME; i++)
				out[i] = all[i] - in[s][i];
			relay_send_sum(mt, l, out, now);
		}
		else if (mask == live) {
			relay_send_sum(mt, l, all, now);
		}
		else {
			memset(out, 0, sizeof(out));
			for (unsigned k = 0; k < MEDIA_MIX_MAX; k++) {
				if (!(mask & bit(k)))
					continue;
				for (unsigned i = 0; i < FRAME; i++)
					out[i] += in[k][i];
			}
			relay_send_sum(mt, l, out, now);
		}
	}
}

/* ---- signalling thread ---- */

static int find(const struct media_mix *m, const struct media_leg *l)
{
	for (unsigned i = 0; i < m->sig_n; i++) {
		if (m->sig_legs[i] == l)
			return (int)i;
	}
	return -1;
}

void mix_sig_forget(struct media_leg *l)
{
	struct media_mix *m = l->sig_mix;
	int i = find(m, l);

	if (i >= 0)
		m->sig_legs[i] = m->sig_legs[--m->sig_n];
	l->sig_mix = NULL;
}

int media_mix_alloc(struct media_mix **mp, struct media_engine *e,
		    unsigned shard)
{
	struct media_mix *m = calloc(1, sizeof(*m));
	struct mcmd *attach = calloc(1, sizeof(*attach));

	if (!m || !attach || !(m->free_cmd = calloc(1, sizeof(*m->free_cmd)))) {
		free(m);
		free(attach);
		return ENOMEM;
	}
	m->mt = &e->threads[shard % e->nthreads];
	attach->kind = CMD_MIX_ATTACH;
	attach->mix = m;
	m->free_cmd->kind = CMD_MIX_FREE;
	m->free_cmd->mix = m;
	engine_enqueue(m->mt, attach);
	*mp = m;
	return 0;
}

void media_mix_free(struct media_mix *m)
{
	struct mcmd *c;

	if (!m)
		return;
	for (unsigned i = 0; i < m->sig_n; i++)
		m->sig_legs[i]->sig_mix = NULL;
	/* From here the thread owns m, and frees it with this command. */
	c = m->free_cmd;
	engine_enqueue(m->mt, c);
}

int media_mix_add(struct media_mix *m, struct media_leg *l, bool heard)
{
	int err;

	if (l->mt != m->mt)
		return EXDEV;
	if (l->sig_mix == m)
		return EALREADY;
	if (l->sig_mix)
		return EBUSY;
	if (m->sig_n == MEDIA_MIX_MAX)
		return ENOSPC;
	err = engine_post(l, &(struct mcmd){.kind = CMD_MIX_ADD, .mix = m,
				     .on = heard});
	if (err)
		return err;
	m->sig_legs[m->sig_n++] = l;
	l->sig_mix = m;
	return 0;
}

int media_mix_remove(struct media_mix *m, struct media_leg *l)
{
	int err;

	if (l->sig_mix != m)
		return ENOENT;
	err = engine_post(l, &(struct mcmd){.kind = CMD_MIX_REMOVE, .mix = m});
	if (err)
		return err;
	mix_sig_forget(l);
	return 0;
}

int media_mix_hears(struct media_mix *m, struct media_leg *listener,
		    struct media_leg *speaker, bool on)
{
	if (listener->sig_mix != m || speaker->sig_mix != m)
		return ENOENT;
	if (listener == speaker)
		return EINVAL;
	return engine_post(listener, &(struct mcmd){.kind = CMD_MIX_HEARS,
					    .mix = m, .other = speaker,
					    .on = on});
}

unsigned media_mix_count(const struct media_mix *m)
{
	return m->sig_n;
}
