/* media mux: one RTP port for the peers of several legs (media.h).
 *
 * A conference's members each send a packet a tick and get one back. On
 * their own ports that is a recvmmsg and a sendto per member and tick, the
 * same system calls as as many bridged legs, so a mix could only cost more
 * than a bridge: it decodes and encodes on top. Told (by re-INVITE) to send
 * to one port, the members cost one recvmmsg that returns every member's
 * packet and one sendmmsg that sends every member's mix, whatever their
 * number. The price: the peers must accept a re-INVITE that moves their
 * media, which every SIP phone and carrier does (a refresh or a hold is the
 * same message).
 *
 * Demultiplexing is by the address a packet comes from, matched against
 * each member's latched peer (or, before one latched, its SDP's address).
 * The member's own socket is read too until the first packet of its peer
 * comes through the mux: a peer that refused or has not yet applied the
 * re-INVITE loses nothing, and then costs only that extra read.
 *
 * Sends are queued while the tick runs (relay.c's send_to) and leave in one
 * sendmmsg at the tick's end, so a member's packet goes out at most a tick's
 * work later than on its own port. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "base/log.h"
#include "media/engine_int.h"

enum { BATCH = 8, READS_PER_TICK = 8 * MEDIA_MIX_MAX };

/* ---- media thread ---- */

static void join(struct media_mux *x, struct media_leg *l)
{
	unsigned s = 0;

	if (l->mux == x)
		return;
	if (l->mux)
		mux_leave(l);
	while (s < MEDIA_MIX_MAX && x->legs[s])
		s++;
	if (s == MEDIA_MIX_MAX) {
		log_error("media.mux", "port=%u err=mux full", x->port);
		return;
	}
	x->legs[s] = l;
	l->mux = x;
	l->mux_seen = false;
}

void mux_leave(struct media_leg *l)
{
	struct media_mux *x = l->mux;

	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		if (x->legs[s] == l)
			x->legs[s] = NULL;
	}
	l->mux = NULL;
	l->mux_seen = false;
}

static void mux_free(struct mthread *mt, struct media_mux *x)
{
	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		if (x->legs[s])
			mux_leave(x->legs[s]);
	}
	if (x->prev)
		x->prev->next = x->next;
	else if (mt->muxes == x)
		mt->muxes = x->next;
	if (x->next)
		x->next->prev = x->prev;
	engine_pool_release(mt->eng, x->fd, x->port);
	free(x->free_cmd);
	free(x);
}

void mux_apply(struct mthread *mt, struct mcmd *c)
{
	struct media_mux *x = c->mux;

	switch (c->kind) {
	case CMD_MUX_ATTACH:
		x->next = mt->muxes;
		if (mt->muxes)
			mt->muxes->prev = x;
		mt->muxes = x;
		break;
	case CMD_MUX_JOIN:
		join(x, c->leg);
		break;
	case CMD_MUX_LEAVE:
		if (c->leg->mux == x)
			mux_leave(c->leg);
		break;
	case CMD_MUX_FREE:
		/* c is x->free_cmd: the caller frees it after this. */
		x->free_cmd = NULL;
		mux_free(mt, x);
		break;
	default:
		break;
	}
}

void mux_free_all(struct mthread *mt)
{
	while (mt->muxes)
		mux_free(mt, mt->muxes);
}

/* The member whose peer sent from src: its latched peer first; then where
 * its peer last latched from (the SDP answer to the re-INVITE that moved
 * it resets the latch, and a peer behind NAT sends from there, not from
 * its SDP's address); then the address its SDP named (which takes a leg
 * back, relay.c). */
static struct media_leg *member_from(const struct media_mux *x,
				     const struct sockaddr_storage *src,
				     socklen_t slen)
{
	struct media_leg *was = NULL, *named = NULL;

	/* The common case first, alone: every member latched. */
	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		struct media_leg *l = x->legs[s];

		if (l && l->latched &&
		    engine_same_addr(src, slen, &l->remote, l->remote_len))
			return l;
	}
	for (unsigned s = 0; s < MEDIA_MIX_MAX; s++) {
		struct media_leg *l = x->legs[s];

		if (!l)
			continue;
		if (!was && l->heard_len &&
		    engine_same_addr(src, slen, &l->heard, l->heard_len))
			was = l;
		if (!named && l->sdp_addr_len &&
		    engine_same_addr(src, slen, &l->sdp_addr, l->sdp_addr_len))
			named = l;
	}
	return was ? was : named;
}

void mux_read(struct mthread *mt, struct media_mux *x, int64_t now)
{
	uint8_t buf[BATCH][MUX_PKT];
	struct iovec iov[BATCH];
	struct sockaddr_storage src[BATCH];
	struct mmsghdr msg[BATCH];

	if (x->read_tick == mt->tick_no)
		return;
	x->read_tick = mt->tick_no;
	for (int round = 0; round < READS_PER_TICK / BATCH; round++) {
		int n;

		engine_mmsg_prepare(msg, iov, buf[0], MUX_PKT, src, BATCH);
		n = recvmmsg(x->fd, msg, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (int i = 0; i < n; i++) {
			socklen_t slen = msg[i].msg_hdr.msg_namelen;
			struct media_leg *l = member_from(x, &src[i], slen);

			if (!l) {
				atomic_fetch_add(&mt->dropped, 1);
				continue;
			}
			l->mux_seen = true;
			relay_packet(mt, l, buf[i], msg[i].msg_len, &src[i],
				     slen, now);
		}
		if (n < BATCH)
			return;
	}
}

static void flush(struct mthread *mt, struct media_mux *x)
{
	struct mmsghdr msg[MUX_BATCH];
	struct iovec iov[MUX_BATCH];
	unsigned n = x->npend, off = 0;

	for (unsigned i = 0; i < n; i++) {
		iov[i] = (struct iovec){.iov_base = x->pend[i],
					.iov_len = x->len[i]};
		msg[i] = (struct mmsghdr){.msg_hdr = {
			.msg_name = &x->to[i], .msg_namelen = x->tolen[i],
			.msg_iov = &iov[i], .msg_iovlen = 1}};
	}
	x->npend = 0;
	/* sendmmsg stops at the first datagram that fails: that one is
	 * lost (as a failed sendto's would be), the rest still go. */
	while (off < n) {
		int r = sendmmsg(x->fd, msg + off, n - off, 0);

		if (r > 0) {
			atomic_fetch_add(&mt->tx, (unsigned)r);
			off += (unsigned)r;
		}
		else {
			off++;
		}
	}
}

void mux_send(struct mthread *mt, struct media_leg *l, const uint8_t *buf,
	      size_t n)
{
	struct media_mux *x = l->mux;

	if (n > MUX_PKT)
		return;
	if (x->npend == MUX_BATCH)
		flush(mt, x);
	memcpy(x->pend[x->npend], buf, n);
	x->len[x->npend] = (uint16_t)n;
	x->to[x->npend] = l->remote;
	x->tolen[x->npend] = l->remote_len;
	x->npend++;
}

void mux_flush_all(struct mthread *mt)
{
	for (struct media_mux *x = mt->muxes; x; x = x->next) {
		if (x->npend)
			flush(mt, x);
	}
}

/* ---- signalling thread ---- */

int media_mux_alloc(struct media_mux **xp, struct media_engine *e,
		    unsigned shard)
{
	struct media_mux *x = calloc(1, sizeof(*x));
	struct mcmd *attach = calloc(1, sizeof(*attach));
	int err = ENOMEM;

	if (!x || !attach || !(x->free_cmd = calloc(1, sizeof(*x->free_cmd))))
		goto fail;
	err = engine_pool_bind(e, &x->fd, &x->port);
	if (err)
		goto fail;
	x->mt = &e->threads[shard % e->nthreads];
	x->sig_refs = 1;
	attach->kind = CMD_MUX_ATTACH;
	attach->mux = x;
	x->free_cmd->kind = CMD_MUX_FREE;
	x->free_cmd->mux = x;
	engine_enqueue(x->mt, attach);
	*xp = x;
	return 0;
fail:
	if (x)
		free(x->free_cmd);
	free(x);
	free(attach);
	return err;
}

uint16_t media_mux_port(const struct media_mux *x)
{
	return x->port;
}

void media_mux_release(struct media_mux *x)
{
	if (!x || --x->sig_refs)
		return;
	/* From here the thread owns x, and frees it with this command,
	 * after every command its legs posted before. */
	engine_enqueue(x->mt, x->free_cmd);
}

int media_leg_mux(struct media_leg *l, struct media_mux *x)
{
	int err;

	if (l->mt != x->mt)
		return EXDEV;
	if (l->sig_mux == x)
		return EALREADY;
	if (l->sig_mux)
		return EBUSY;
	if (x->sig_n == MEDIA_MIX_MAX)
		return ENOSPC;
	err = engine_post(l, &(struct mcmd){.kind = CMD_MUX_JOIN, .mux = x});
	if (err)
		return err;
	l->sig_mux = x;
	x->sig_n++;
	x->sig_refs++;
	return 0;
}

/* The signalling side of a leg leaving x (unmux or close), posted before:
 * the mux outlives the leg's use of it. */
void mux_sig_left(struct media_mux *x)
{
	x->sig_n--;
	media_mux_release(x);
}

int media_leg_unmux(struct media_leg *l)
{
	int err;

	if (!l->sig_mux)
		return ENOENT;
	err = engine_post(l, &(struct mcmd){.kind = CMD_MUX_LEAVE,
				     .mux = l->sig_mux});
	if (err)
		return err;
	mux_sig_left(l->sig_mux);
	l->sig_mux = NULL;
	return 0;
}

struct media_mux *media_leg_mux_of(const struct media_leg *l)
{
	return l->sig_mux;
}
