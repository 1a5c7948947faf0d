/* media engine: RTP endpoints ("legs") on a few media threads.
 *
 * Each media thread runs its own epoll loop with a 20 ms tick; a call's legs
 * all live on one thread (its shard), so relaying a packet between bridged
 * legs touches no lock and needs no per-call timer. The signalling loop owns
 * struct media_leg handles and changes legs only through the functions below,
 * which post commands to the leg's thread; the thread applies them in order.
 * Events (DTMF digits, media timeouts) come back to the signalling loop
 * through a libre mqueue and are delivered to the engine's event handler on
 * that loop.
 *
 * Facts that always hold:
 *  (1) A leg's socket is read and written only by its media thread.
 *  (2) Commands for one leg are applied in the order they were posted.
 *  (3) After media_leg_close() the handle is gone; its thread frees the state
 *      and the port returns to the pool once the socket is closed.
 *  (4) RTP from any address other than the latched peer is dropped.
 */
#ifndef HL_MEDIA_ENGINE_H
#define HL_MEDIA_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct media_engine;
struct media_leg;

enum media_event_kind {
	MEDIA_EV_DTMF,      /* a key press began: digit, inband */
};

struct media_event {
	enum media_event_kind kind;
	void    *owner;        /* the leg's owner cookie, as given at alloc */
	char     digit;        /* '0'-'9', '*', '#', 'A'-'D' */
	bool     inband;       /* detected in the audio rather than RFC 4733 */
};

/* Called on the signalling loop for each event; ev is valid for the call. */
typedef void (media_event_h)(const struct media_event *ev, void *arg);

struct media_engine_opts {
	unsigned threads;        /* media threads, at least 1 */
	uint16_t port_lo, port_hi;/* RTP port range, inclusive */
	const char *bind_ip;     /* local address for RTP sockets */
	media_event_h *eventh;   /* event handler on the signalling loop */
	void *arg;
};

/* The G.711 law of a leg's audio stream. */
enum media_law { MEDIA_PCMU, MEDIA_PCMA };

/* Aggregate counters, for the API and the benchmarks. */
struct media_stats {
	uint64_t legs;           /* live legs */
	uint64_t rx_packets, tx_packets;
	uint64_t rx_dropped;     /* from an address other than the latched peer,
				  * or not RTP */
	uint64_t rx_lost;        /* sequence-number gaps seen */
};

/* Starts the media threads; must be called on the signalling loop's thread
 * (events are delivered there). *ep is the caller's (media_engine_stop). */
int  media_engine_start(struct media_engine **ep,
			const struct media_engine_opts *o);

/* Replaces the event handler (the call manager sets it once it exists). */
void media_engine_set_handler(struct media_engine *e, media_event_h *h,
			      void *arg);

/* Closes every leg and joins the threads; NULL is fine. */
void media_engine_stop(struct media_engine *e);

/* Sums every thread's counters. */
void media_engine_stats(struct media_engine *e, struct media_stats *st);

/* Picks the shard for a new call (round robin); legs of one call must share
 * it for media_bridge() to work. */
unsigned media_engine_shard(struct media_engine *e);

/* Binds an RTP socket on a free even port of the pool and attaches it to
 * shard's thread. owner is the cookie events carry. ENOSPC when the pool is
 * empty. The handle is the caller's until media_leg_close(). */
int  media_leg_alloc(struct media_leg **lp, struct media_engine *e,
		     unsigned shard, void *owner);

/* The leg's local RTP port. */
uint16_t media_leg_port(const struct media_leg *l);

/* Where to send: the address from the peer's SDP. Until the first packet
 * arrives we send there; then we latch to the packet's source. */
int  media_leg_set_remote(struct media_leg *l, const struct sockaddr *sa,
			  socklen_t len);

/* Payload types the leg sends and receives: audio codec and its PT, and the
 * RFC 4733 telephone-event PT (0 for none). */
int  media_leg_set_codec(struct media_leg *l, enum media_law law,
			 uint8_t audio_pt, uint8_t dtmf_pt);

/* Detect in-band DTMF in the leg's received audio (off by default: it costs
 * a decode and a detector run per packet). */
int  media_leg_set_inband(struct media_leg *l, bool on);

/* Relays audio and telephone-events between a and b (same shard), rewriting
 * SSRC, sequence and timestamp, transcoding when their codecs differ. */
int  media_bridge(struct media_leg *a, struct media_leg *b);

/* Stops relaying between a and its peer. */
int  media_unbridge(struct media_leg *a);

/* Records a (left) and b (right) into a stereo WAV at path, written off the
 * media thread. Stops when either leg closes. */
int  media_record(struct media_leg *a, struct media_leg *b, const char *path);

/* Detaches and frees the leg (on its thread); l is invalid afterwards. */
void media_leg_close(struct media_leg *l);

#endif
