/* media engine internals, shared by engine.c (threads, commands, pool) and
 * relay.c (what happens to a packet and on each tick). Private to media/. */
#ifndef HL_MEDIA_ENGINE_INT_H
#define HL_MEDIA_ENGINE_INT_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include "media/media_int.h"

struct mthread;
struct engine_live;

/* A leg's state. Fields above the line are written by the signalling thread
 * before the leg is attached and read-only afterwards; the rest belong to the
 * media thread (fact 1). */
struct media_leg {
	struct mthread *mt;
	void *owner;
	uint64_t id;                     /* names it in events */
	struct engine_live *live;        /* the loop's record while open */
	int fd;
	uint16_t port;
	uint8_t sig_dtmf_pt;             /* the signalling thread's copy */
	struct media_mix *sig_mix;       /* the mix it is in, as the
					  * signalling thread sees it */
	struct media_mux *sig_mux;       /* the mux its peer is told to use
					  * (holds a reference), or NULL */
	bool sig_srtp;                   /* SRTP keys were set (srtp.c) */
	struct media_sdes sig_tx, sig_rx;/* the keys, while sig_srtp */
	/* Monotonic ms of the last RTP packet from the peer (from the alloc
	 * until one comes): the media thread writes, the loop reads. */
	_Atomic int64_t rx_last_ms;
	/* ---- media thread only ---- */
	struct media_leg *next, *prev;   /* thread's list, for the tick; after
					  * close, next links the dead list */
	bool closed;                     /* detached, freed after the batch */
	struct sockaddr_storage remote;
	socklen_t remote_len;
	bool latched;
	struct sockaddr_storage heard;   /* the peer's address when it last
					  * latched: an SDP resets the latch,
					  * and a mux still knows the peer */
	socklen_t heard_len;
	struct sockaddr_storage sdp_addr; /* where the SDP said the peer is */
	socklen_t sdp_addr_len;
	enum media_law law;
	uint8_t audio_pt, dtmf_pt;
	struct media_leg *peer;
	struct media_rtp_rewrite out;    /* what we send, continuous */
	struct media_dtmf_rx dtmf;       /* RFC 4733 receiver */
	struct media_inband *inband;     /* NULL unless detection is on */
	struct media_rec *rec;           /* shared with the peer, or NULL */
	int rec_channel;                 /* 0 left, 1 right */
	struct media_leg *rec_other;     /* the other channel's leg, or NULL */
	int16_t rec_pcm[960];            /* received audio not yet recorded (up to 120 ms) */
	unsigned rec_fill;
	struct media_prompt *play;       /* what we send instead of relaying */
	size_t play_pos;
	bool play_loop;
	bool fill;                       /* silence when nothing else goes out */
	uint32_t play_ssrc, play_ts;     /* the prompt's own stream, which */
	uint16_t play_seq;               /* the rewriter makes continuous */
	char dtmf_out[33];               /* digits still to send */
	unsigned dtmf_ms;                /* how long each is pressed */
	struct media_dtmf_tx dtmf_tx;    /* the press being sent */
	bool dtmf_sending;
	uint8_t dtmf_gap;                /* ticks of quiet before the next */
	bool rx_seen;
	uint16_t rx_last_seq;
	struct media_mix *mix;           /* the mix it is in, or NULL */
	unsigned mix_slot;               /* its place there */
	struct media_mux *mux;           /* the mux it is read from, or NULL */
	bool mux_seen;                   /* its peer sent to the mux: read it
					  * there only, send from there */
	struct srtp *srtp_tx, *srtp_rx;  /* libre's SRTP contexts, or NULL:
					  * plain RTP */
};

struct mthread {
	struct media_engine *eng;
	pthread_t tid;
	int epfd, tickfd, cmdfd;
	pthread_mutex_t lock;
	struct mcmd *head, *tail;        /* commands, under lock */
	struct media_leg *legs;          /* attached legs */
	struct media_leg *dead;          /* closed during this batch */
	struct media_mix *mixes;         /* attached mixes, for the tick */
	struct media_mux *muxes;         /* attached muxes */
	uint64_t tick_no;                /* ticks run: a mux is read once each */
	atomic_bool stop;
	/* counters: written by this thread, read by media_engine_stats */
	atomic_uint_fast64_t legs_n, rx, tx, dropped, lost;
	atomic_uint_fast64_t late_ticks; /* 20 ms ticks missed: the thread
					  * ran behind its timer */
	atomic_uint_fast64_t cpu_ns;     /* its CPU time, as of its last tick */
};

/* A change to a leg, queued for its media thread (engine.c applies it). */
enum cmd_kind { CMD_ATTACH, CMD_REMOTE, CMD_CODEC, CMD_INBAND, CMD_BRIDGE,
		CMD_UNBRIDGE, CMD_RECORD, CMD_REC_PAUSE, CMD_PLAY, CMD_STOP, CMD_FILL, CMD_DTMF,
		CMD_CLOSE, CMD_MIX_ATTACH, CMD_MIX_ADD, CMD_MIX_REMOVE,
		CMD_MIX_HEARS, CMD_MIX_FREE, CMD_SRTP, CMD_MUX_ATTACH,
		CMD_MUX_JOIN, CMD_MUX_LEAVE, CMD_MUX_FREE };

struct mcmd {
	struct mcmd *next;
	enum cmd_kind kind;
	struct media_leg *leg, *other;
	struct media_mix *mix;           /* CMD_MIX_* */
	struct media_mux *mux;           /* CMD_MUX_* */
	struct sockaddr_storage sa;
	socklen_t salen;
	enum media_law law;
	uint8_t audio_pt, dtmf_pt;
	bool on;
	struct media_prompt *prompt;     /* CMD_PLAY: a reference, handed on */
	unsigned dtmf_ms;                /* CMD_DTMF: press length; digits in path */
	struct srtp *srtp_tx, *srtp_rx;  /* CMD_SRTP: references, handed on */
	bool srtp_set_tx, srtp_set_rx;   /* CMD_SRTP: which ones change */
	char path[512];
};

/* The engine: its threads, the port pool, the way back to the loop. */
struct media_engine {
	struct mthread *threads;
	unsigned nthreads, next_shard;
	struct mqueue *events;           /* to the signalling loop */
	struct hash *live;               /* open legs by id (loop thread) */
	uint64_t next_id;                /* loop thread */
	media_event_h *eventh;
	void *arg;
	media_recorded_h *recorded;      /* set at start, read by the writer */
	void *recorded_arg;
	struct in_addr bind_ip;
	struct media_recorder *recorder; /* one writer thread for every file */
	pthread_mutex_t pool_lock;
	uint16_t port_lo, port_hi, port_next;
	uint8_t *port_used;              /* one byte per even port in range */
};

/* pool.c: binds an RTP socket on a free even port of the range. */
int  engine_pool_bind(struct media_engine *e, int *fdp, uint16_t *portp);
/* pool.c: closes the socket and returns its port to the pool. */
void engine_pool_release(struct media_engine *e, int fd, uint16_t port);

/* Queues a copy of c for l's media thread and wakes it (any thread). */
int  engine_post(struct media_leg *l, const struct mcmd *c);
/* Queues q itself (malloc'd; the thread frees it) for mt; cannot fail. */
void engine_enqueue(struct mthread *mt, struct mcmd *q);

/* Hands l's event to the signalling loop (thread-safe). It reaches the
 * handler only if l is still open there: an event in flight when the
 * owner closed the leg (and maybe freed itself) is dropped. */
void engine_post_event(struct media_leg *l, const struct media_event *ev);
/* Loop thread: l is open (events for it are delivered) / closed. */
int  engine_live_add(struct media_engine *e, struct media_leg *l);
void engine_live_remove(struct media_leg *l);

/* Reads and handles every packet waiting on l's socket (media thread);
 * now: the tick's monotonic ms. */
void relay_read(struct mthread *mt, struct media_leg *l, int64_t now);

/* The same address, port and family. IPv4 by its fields: every packet
 * of a mux's is compared with its members' peers, and a call into memcmp
 * for 16 bytes cost more than the comparison. */
static inline bool engine_same_addr(const struct sockaddr_storage *a,
				    socklen_t alen,
				    const struct sockaddr_storage *b,
				    socklen_t blen)
{
	if (alen != blen || a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)b;

		return x->sin_port == y->sin_port &&
			x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	return !memcmp(a, b, alen);
}

/* Points n recvmmsg headers at n buffers of size bytes (bufs, one after
 * the other) and n source addresses. */
static inline void engine_mmsg_prepare(struct mmsghdr *msg,
				       struct iovec *iov, uint8_t *bufs,
				       size_t size,
				       struct sockaddr_storage *src,
				       unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		iov[i] = (struct iovec){.iov_base = bufs + i * size,
					.iov_len = size};
		msg[i] = (struct mmsghdr){.msg_hdr = {
			.msg_name = &src[i], .msg_namelen = sizeof(src[i]),
			.msg_iov = &iov[i], .msg_iovlen = 1}};
	}
}

/* Handles one datagram that l's peer sent from src (either socket it
 * reads): latching, SRTP, DTMF, listeners, the bridge (media thread). */
void relay_packet(struct mthread *mt, struct media_leg *l, uint8_t *buf,
		  size_t n, const struct sockaddr_storage *src, socklen_t slen,
		  int64_t now);

/* Runs every 20 ms on each media thread: reads every leg, then recording
 * frames, prompts.
 * ticks: the timer's expiries since the last run (more than 1 when the
 * thread ran late; recordings catch up on them). */
void relay_on_tick(struct mthread *mt, uint64_t ticks);

/* A prompt's samples, shared read-only between threads. */
struct media_prompt {
	atomic_int refs;
	size_t n;
	int16_t pcm[];
};

/* True while l sends DTMF of its own (media thread). */
static inline bool relay_dtmf_busy(const struct media_leg *l)
{
	return l->dtmf_sending || l->dtmf_out[0];
}

/* Stops l's prompt (media thread). */
void relay_play_stop(struct media_leg *l);

/* ---- srtp.c: the media thread's side of media_leg_set_srtp ---- */

/* Applies a CMD_SRTP (media thread). */
void engine_srtp_apply(struct media_leg *l, struct mcmd *c);
/* Drops l's SRTP contexts (media thread, when it closes). */
void engine_srtp_drop(struct media_leg *l);
/* Decrypts and authenticates the packet in buf in place; *n shrinks by the
 * tag. False: drop it (fails, or RTCP multiplexed on the port). */
bool engine_srtp_open(struct media_leg *l, uint8_t *buf, size_t *n);
/* Encrypts n bytes of in into out (cap bytes), *outn its length with the
 * tag. */
int  engine_srtp_seal(struct media_leg *l, const uint8_t *in, size_t n,
		      uint8_t *out, size_t cap, size_t *outn);

/* Starts in-band DTMF detection on l (media thread). */
void relay_inband_on(struct media_leg *l);

/* Releases what relay.c attached to l (detector, recorder share). */
void relay_leg_detach(struct media_leg *l);

/* Sends one frame of pcm to l's peer as the leg's own stream (the one
 * prompts use), joined seamlessly by the rewriter (media thread). */
void relay_send_pcm(struct mthread *mt, struct media_leg *l,
		    const int16_t *pcm, int64_t now);
/* The same for a frame of sums, clipped to 16 bits as it is encoded (the
 * mix's output: no separate pass to clip). */
void relay_send_sum(struct mthread *mt, struct media_leg *l,
		    const int32_t *sum, int64_t now);

/* ---- mix.c: the media thread's side of media_mix ---- */

enum { MIX_DEPTH = 3 };    /* frames a member's input may hold */

/* Layout as media_leg: the signalling thread's fields, then the media
 * thread's. */
struct media_mix {
	struct mthread *mt;
	struct media_leg *sig_legs[MEDIA_MIX_MAX];
	unsigned sig_n;
	struct mcmd *free_cmd;           /* posted by media_mix_free, so that
					  * freeing cannot fail */
	/* ---- media thread only ---- */
	struct media_mix *next, *prev;   /* mt->mixes */
	struct media_leg *legs[MEDIA_MIX_MAX];      /* by slot; NULL free */
	uint8_t hears[MEDIA_MIX_MAX];    /* bit j: slot i hears slot j */
	int16_t (*tick)[MEDIA_FRAME];    /* during mix_tick's reads: this
					  * tick's frames, by slot */
	uint8_t ticked;                  /* slots whose tick frame is in */
	unsigned head[MEDIA_MIX_MAX];    /* backlog: fill samples */
	unsigned fill[MEDIA_MIX_MAX];    /* from head */
	int16_t in[MEDIA_MIX_MAX][MIX_DEPTH * MEDIA_FRAME]; /* received, not
					  * yet mixed, behind the tick frame */
};

/* Applies a CMD_MIX_* command (media thread). */
void mix_apply(struct mthread *mt, struct mcmd *c);
/* Takes l out of its mix (media thread): unheard, sent nothing. */
void mix_leave(struct media_leg *l);
/* Where to decode l's n received samples for the tick being mixed, when they
 * can go there directly (a frame, nothing queued before it); NULL: decode
 * elsewhere and mix_feed them (media thread). */
int16_t *mix_frame(struct media_leg *l, size_t n);
/* Queues l's received audio for its mix's next tick (media thread). */
void mix_feed(struct media_leg *l, const int16_t *pcm, size_t n);
/* Mixes and sends one frame to every member of m (media thread). */
void mix_tick(struct mthread *mt, struct media_mix *m, int64_t now);
/* Frees every mix left on mt when its thread ends. */
void mix_free_all(struct mthread *mt);
/* Signalling thread: l no longer counts as a member of its mix. */
void mix_sig_forget(struct media_leg *l);

/* ---- mux.c: the media thread's side of media_mux ---- */

enum { MUX_BATCH = 16, MUX_PKT = 1536 };

/* Layout as media_leg: the signalling thread's fields, then the media
 * thread's. */
struct media_mux {
	struct mthread *mt;
	int fd;
	uint16_t port;
	unsigned sig_refs;               /* the creator's and each leg's */
	unsigned sig_n;                  /* legs on it */
	struct mcmd *free_cmd;           /* posted at the last release */
	/* ---- media thread only ---- */
	struct media_mux *next, *prev;   /* mt->muxes */
	struct media_leg *legs[MEDIA_MIX_MAX];
	uint64_t read_tick;              /* mt->tick_no when last read */
	unsigned npend;                  /* packets queued to send */
	struct sockaddr_storage to[MUX_BATCH];
	socklen_t tolen[MUX_BATCH];
	uint16_t len[MUX_BATCH];
	uint8_t pend[MUX_BATCH][MUX_PKT];
};

/* Applies a CMD_MUX_* command (media thread). */
void mux_apply(struct mthread *mt, struct mcmd *c);
/* Takes l off its mux (media thread): its own socket is read again. */
void mux_leave(struct media_leg *l);
/* Reads x's socket, once a tick whichever member asks first, handing each
 * datagram to the member its source names (media thread). */
void mux_read(struct mthread *mt, struct media_mux *x, int64_t now);
/* Queues n bytes to l's peer from l's mux (media thread). */
void mux_send(struct mthread *mt, struct media_leg *l, const uint8_t *buf,
	      size_t n);
/* Sends what every mux of mt queued, one sendmmsg each (media thread). */
void mux_flush_all(struct mthread *mt);
/* Frees every mux left on mt when its thread ends. */
void mux_free_all(struct mthread *mt);
/* Signalling thread, after a leg's leave or close was posted: it is off x,
 * and the reference it held is dropped. */
void mux_sig_left(struct media_mux *x);

#endif
