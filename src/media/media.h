/* media: Hotline's audio path as other modules use it: audio SDP (sdp.c,
 * sdp_answer.c; pure), prompts from files (wav.c: reads and blocks), the
 * RTP engine that owns the sockets and media threads, with its legs,
 * bridges, prompts and recordings, and text-to-speech (tts.c, on its own
 * thread). The building blocks under the engine (G.711, RTP packets,
 * RFC 4733 and in-band DTMF, the recorder's WAV writer, the resampler)
 * are media/'s own: media_int.h.
 *
 * Audio everywhere is 8 kHz mono 16-bit linear PCM, 160 samples per 20 ms,
 * unless a function says otherwise. Functions return 0 or a positive errno
 * value; results go through pointer arguments, written only on success. */
#ifndef HL_MEDIA_MEDIA_H
#define HL_MEDIA_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum {
	MEDIA_RATE  = 8000,   /* samples per second */
	MEDIA_FRAME = 160,    /* samples per 20 ms packet */
};

/* ---- SRTP keys in SDP: SDES (sdes.c; RFC 4568) --------------------------
 * One a=crypto attribute: "TAG SUITE inline:KEY||SALT[|LIFETIME][|MKI:LEN]
 * [SESSION-PARAMS]". We take the AES counter-mode suites with HMAC-SHA1
 * (those libre's SRTP has and phones offer), one master key, no MKI (libre
 * keeps no key table), no session parameter but the window size hint WSH
 * (RFC 4568 6.3.7: a line with a parameter we do not know is not ours to
 * accept), and a lifetime only when it reaches 2^31 packets: we never
 * re-key, and a call of ours does not send that many. */
enum media_srtp_suite {
	MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
	MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32,
	MEDIA_SRTP_AES_256_CM_HMAC_SHA1_80,
	MEDIA_SRTP_AES_256_CM_HMAC_SHA1_32,
};

enum {
	MEDIA_SDES_KEY_MAX = 46,     /* master key and salt of AES-256 */
	MEDIA_SDES_MAX     = 4,      /* a=crypto lines kept from one stream */
	MEDIA_SDES_LINE    = 128,    /* a formatted value, NUL included */
};

/* One usable a=crypto line. */
struct media_sdes {
	uint32_t tag;                /* 0..999999999 */
	enum media_srtp_suite suite;
	uint8_t  key[MEDIA_SDES_KEY_MAX];    /* master key, then salt */
	size_t   keylen;             /* what the suite takes: 30 or 46 */
};

/* Parses what follows "a=crypto:". EINVAL with a one-line reason in why
 * (size n) for a line we cannot use: malformed, an unknown suite, a key
 * of the wrong length, more than one key, an MKI, a short lifetime, a
 * session parameter other than WSH. */
int  media_sdes_parse(struct media_sdes *c, const char *value, char *why,
		      size_t n);
/* Writes c as the value of an a=crypto attribute (no "a=crypto:"), NUL
 * terminated; ENOSPC when size is too small. */
int  media_sdes_format(char *buf, size_t size, const struct media_sdes *c);
/* A fresh master key and salt for suite under tag, from libsodium's
 * random source. */
int  media_sdes_make(struct media_sdes *c, uint32_t tag,
		     enum media_srtp_suite suite);
/* "AES_CM_128_HMAC_SHA1_80", …, as written in SDP. */
const char *media_sdes_suite_name(enum media_srtp_suite suite);

/* ---- audio SDP (sdp.c, sdp_answer.c) ----------------------------------
 * Our own strict parser for the offers and answers of audio calls, the
 * offer/answer choice (RFC 3264) and the text of our side. Unknown
 * attributes and line types are skipped; anything malformed is refused
 * with a reason. Only RTP/AVP and RTP/SAVP (SRTP, keys by SDES) audio with
 * literal IPv4 or IPv6 addresses is used; other streams are kept just to be
 * refused in the answer. */

/* Bit 1: media flows from the described side, bit 2: to it. */
enum media_dir {
	MEDIA_INACTIVE = 0,
	MEDIA_SENDONLY = 1,
	MEDIA_RECVONLY = 2,
	MEDIA_SENDRECV = 3,
};

enum {
	MEDIA_SDP_MAX_LEN   = 16384,   /* a longer description is refused */
	MEDIA_SDP_MAX_LINE  = 1024,    /* and so is a longer line */
	MEDIA_SDP_MAX_FMT   = 32,      /* formats on one m= line */
	MEDIA_SDP_MAX_MEDIA = 8,       /* m= lines */
	MEDIA_SDP_ADDR_LEN  = 46,      /* an IPv6 literal and its NUL */
};

struct media_codec {
	uint8_t  pt;
	char     name[32];           /* "PCMU", "telephone-event"; "" unknown */
	uint32_t rate;               /* clock rate; 0 unknown */
	uint8_t  channels;           /* 1 unless a=rtpmap says otherwise */
	char     fmtp[128];          /* a=fmtp parameters, "" if none */
};

/* One m= line, as needed to answer it (used or refused). */
struct media_sdp_media {
	char     media[16];          /* "audio", "video", … */
	uint16_t port;
	char     proto[24];          /* "RTP/AVP", "RTP/SAVP", … */
	char     fmts[160];          /* the format list as written */
};

struct media_sdp {
	uint64_t sess_id;            /* from o= */
	uint64_t sess_ver;
	size_t   nmedia;
	struct media_sdp_media media[MEDIA_SDP_MAX_MEDIA];
	int      audio;              /* index of the audio stream we use: the
				      * first RTP/AVP or RTP/SAVP audio with a
				      * port; -1 */
	/* That stream, when audio >= 0: */
	char     addr[MEDIA_SDP_ADDR_LEN];   /* its connection address */
	int      af;                 /* AF_INET or AF_INET6 */
	uint16_t port;
	enum media_dir dir;          /* as the describing side states it */
	bool     hold_addr;          /* c=0.0.0.0: RFC 2543 hold */
	unsigned ptime;              /* a=ptime, 0 if absent */
	size_t   ncodecs;            /* in the m= line's order */
	struct media_codec codecs[MEDIA_SDP_MAX_FMT];
	bool     secure;             /* RTP/SAVP: SRTP */
	size_t   ncrypto;            /* its usable a=crypto lines, in order */
	struct media_sdes crypto[MEDIA_SDES_MAX];
	unsigned crypto_refused;     /* a=crypto lines we cannot use */
	char     crypto_why[96];     /* why the first of those was refused */
};

/* Parses text (len bytes, need not be NUL-terminated). EBADMSG when it is
 * not a valid description or has no m= line, with a one-line reason such as
 * "line 4: c=: bad IP4 address" in why (size n). */
int  media_sdp_parse(struct media_sdp *sdp, const char *text, size_t len,
		     char *why, size_t n);

/* The result of answering an offer. */
struct media_neg {
	struct media_codec codec;    /* the codec both sides use, offerer's pt */
	int      dtmf_pt;            /* offerer's telephone-event/8000, or -1 */
	enum media_dir dir;          /* our direction, for the answer */
	char     addr[MEDIA_SDP_ADDR_LEN];   /* where to send RTP */
	int      af;
	uint16_t port;
	unsigned ptime;              /* offerer's a=ptime, 0 if none */
	bool     secure;             /* SRTP: the peer encrypts with crypto */
	struct media_sdes crypto;    /* the peer's key, when secure */
};

/* Answers offer with our codecs (e.g. PCMU/0, PCMA/8, in any order): the
 * first offered format we support wins, its payload type kept; the
 * offerer's telephone-event payload type is kept too. Our direction mirrors
 * the offer's (sendonly -> recvonly, …), limited to want. An RTP/SAVP
 * stream takes its first usable a=crypto line (neg->crypto). ENOTSUP when
 * the offer has no usable audio stream or no codec in common (SIP 488);
 * EPROTONOSUPPORT for RTP/SAVP without a usable a=crypto line (488 too).
 * The same reads an answer to our offer. */
int  media_sdp_negotiate(const struct media_sdp *offer,
			 const struct media_codec *ours, size_t n,
			 enum media_dir want, struct media_neg *neg);

/* Our side of a session. */
struct media_sdp_local {
	const char *addr;            /* our RTP address, IPv4 or IPv6 literal */
	uint16_t    port;
	uint64_t    sess_id;         /* o= fields: the id stays, the version */
	uint64_t    sess_ver;        /* grows with every new description */
	enum media_dir dir;
	unsigned    ptime;           /* 0: no a=ptime line */
	const struct media_codec *codecs;    /* in our order of preference */
	size_t      ncodecs;
	int         dtmf_pt;         /* telephone-event pt, -1 for none */
	const struct media_sdes *crypto; /* our SRTP key: RTP/SAVP with this
				      * a=crypto; NULL: plain RTP/AVP */
};

/* Writes an offer (one audio stream) as NUL-terminated text into buf.
 * ENOSPC if size is too small, EINVAL for a bad address or no codec. */
int  media_sdp_offer(char *buf, size_t size, const struct media_sdp_local *l);
/* Writes the answer to offer: its m= lines in order, the used audio stream
 * with l's codecs (normally just neg.codec), every other stream refused with
 * port 0. EINVAL when the offer has no usable audio stream. */
int  media_sdp_answer(char *buf, size_t size, const struct media_sdp_local *l,
		      const struct media_sdp *offer);

/* ---- prompts from files (wav.c) ---------------------------------------- */

/* Loads any file libsndfile reads (WAV, AIFF, FLAC, Ogg, …) as 8 kHz mono
 * 16-bit PCM: channels are averaged, other rates resampled with a
 * windowed-sinc low-pass. Blocks on disk and CPU: call it at start-up or
 * off the loops. *pcmp (free()) holds *np samples. ENOENT or EACCES when
 * the file cannot be read, EBADMSG when it is not audio libsndfile knows or
 * is empty, EFBIG past 10 minutes, ENOMEM. */
int  media_wav_load(const char *path, int16_t **pcmp, size_t *np);

/* What a file held before media_wav_load_info converted it. */
struct media_wav_info {
	int rate;                    /* samples per second */
	int channels;
};
/* media_wav_load, telling in *wi (may be NULL) the file's own rate and
 * channels. */
int  media_wav_load_info(const char *path, int16_t **pcmp, size_t *np,
			 struct media_wav_info *wi);
/* Writes n samples as an 8 kHz mono 16-bit WAV at path, through a
 * temporary file beside it renamed over path, so a reader sees the whole
 * file or none. Blocks on disk: off the loops. EINVAL, EIO, or rename's
 * errno. */
int  media_wav_save(const char *path, const int16_t *pcm, size_t n);

/* What media_wav_repair found. */
struct media_wav_fix {
	uint64_t frames;             /* whole frames the file holds */
	uint64_t ms;                 /* their length */
	uint64_t was_ms;             /* the length its header said */
	bool repaired;               /* the header was rewritten */
};
/* Makes a WAV's header (RIFF and data chunk sizes) cover every whole frame
 * the file holds, as after a crash between two header updates; a partly
 * written last frame is cut off (wav_repair.c). Blocks on disk: at
 * start-up or off the loops. EBADMSG when it is not a PCM WAV. */
int  media_wav_repair(const char *path, struct media_wav_fix *fix);

/* ---- the RTP engine (engine.c, relay.c) -------------------------------
 * RTP endpoints ("legs") on a few media threads.
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
 *  (5) No event reaches the handler after its leg's media_leg_close(), so
 *      an owner may free itself right after closing its legs.
 */

struct media_engine;
struct media_leg;

enum media_event_kind {
	MEDIA_EV_DTMF,      /* a key press began: digit, inband */
	MEDIA_EV_PROMPT_END,/* a prompt played once reached its end */
};

struct media_event {
	enum media_event_kind kind;
	void    *owner;        /* the leg's owner cookie, as given at alloc */
	char     digit;        /* '0'-'9', '*', '#', 'A'-'D' */
	bool     inband;       /* detected in the audio rather than RFC 4733 */
};

/* Called on the signalling loop for each event; ev is valid for the call. */
typedef void (media_event_h)(const struct media_event *ev, void *arg);

/* A recording's file is finished: closed with its header final (err 0),
 * or given up (err: why it could not be written; the file may be partial
 * or absent). path as media_record was given it; channels 2 for a call, 1
 * for one party; frames written. Runs on the recorder's writer thread, not
 * the loop: it must be quick and touch no libre object. */
typedef void (media_recorded_h)(int err, const char *path, unsigned channels,
				uint64_t frames, void *arg);

struct media_engine_opts {
	unsigned threads;        /* media threads, at least 1 */
	uint16_t port_lo, port_hi;/* RTP port range, inclusive */
	const char *bind_ip;     /* local address for RTP sockets */
	media_event_h *eventh;   /* event handler on the signalling loop */
	void *arg;
	media_recorded_h *recorded; /* every finished recording, or NULL */
	void *recorded_arg;
};

/* The rtp.* and media.* settings and text-to-speech's tts.* (settings.c),
 * named by the media and tts export rows (base/mod.h); cfg_read() fills
 * the numbers into the values structs, rtp.address is read as text. */
struct mod_settings;
extern const struct mod_settings media_settings, media_tts_settings;
struct media_values {
	struct { uint16_t lo, hi; } rtp_ports;  /* base/field.h's field_ports */
	uint64_t threads;
};
struct media_tts_values {
	uint64_t rate_wpm;
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
	uint64_t late_ticks;     /* 20 ms ticks a media thread missed (it
				  * was busy or not scheduled): late audio */
	uint64_t cpu_ns;         /* CPU time the media threads have used, as
				  * of each one's last 20 ms tick */
};

/* Starts the media threads; must be called on the signalling loop's thread
 * (events are delivered there). *ep is the caller's (media_engine_stop). */
int  media_engine_start(struct media_engine **ep,
			const struct media_engine_opts *o);

/* Replaces the event handler (the call manager sets it once it exists). */
void media_engine_set_handler(struct media_engine *e, media_event_h *h,
			      void *arg);

/* Closes every leg, frees every mix (their handles die with it) and joins
 * the threads; logs the counters (a warning when ticks were late); NULL is
 * fine. Every recording is finished, and its recorded handler has
 * returned, before it returns. */
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

/* The leg's local RTP port: its mux's while it is on one (mux fact 4). */
uint16_t media_leg_port(const struct media_leg *l);

/* Milliseconds since the last RTP packet from the peer arrived (since the
 * leg was made, until one does). Cheap: an atomic read, for the loop. */
int64_t media_leg_rx_idle_ms(const struct media_leg *l);

/* Where to send: the address from the peer's SDP. Until the first packet
 * arrives we send there; then we latch to the packet's source, and a
 * packet from this address takes the leg back from any other source. */
int  media_leg_set_remote(struct media_leg *l, const struct sockaddr *sa,
			  socklen_t len);

/* Payload types the leg sends and receives: audio codec and its PT, and the
 * RFC 4733 telephone-event PT (0 for none). */
int  media_leg_set_codec(struct media_leg *l, enum media_law law,
			 uint8_t audio_pt, uint8_t dtmf_pt);

/* SRTP on the leg (RFC 3711): what it sends is encrypted with tx, what it
 * receives decrypted and authenticated with rx (a packet that fails is
 * dropped and counted), so bridges, mixes, prompts, DTMF and recordings
 * see plain RTP. NULL for both: plain RTP again. A key given again as it
 * was keeps its context (and so its packet index: a key stream is never
 * used twice). */
int  media_leg_set_srtp(struct media_leg *l, const struct media_sdes *tx,
			const struct media_sdes *rx);

/* Detect in-band DTMF in the leg's received audio (off by default: it costs
 * a decode and a detector run per packet). */
int  media_leg_set_inband(struct media_leg *l, bool on);

/* Relays audio and telephone-events between a and b (same shard), rewriting
 * SSRC, sequence and timestamp, transcoding when their codecs differ. Takes
 * either out of a mix it is in. */
int  media_bridge(struct media_leg *a, struct media_leg *b);

/* Stops relaying between a and its peer. */
int  media_unbridge(struct media_leg *a);

/* Records a (left) and b (right) into a stereo WAV at path, written off the
 * media thread; with b NULL, what a receives into a mono WAV. Stops when
 * either leg closes. When a and b are in one mix, left is still a's voice
 * alone; right is b's voice plus what else b hears in the mix (a third
 * party, a supervisor's whisper or barge), never a silent listener. */
int  media_record(struct media_leg *a, struct media_leg *b, const char *path);

/* Pauses (or resumes) the recording a feeds as its left leg: while paused
 * both channels are written as silence, frame for frame, so the file keeps
 * the call's length and a pause is a gap in it. Nothing when a records
 * nothing. */
int  media_record_pause(struct media_leg *a, bool paused);

/* ---- mixing (mix.c) ---------------------------------------------------
 * A mix: up to MEDIA_MIX_MAX legs of one shard and a "hears" matrix. On
 * every tick each member gets one RTP packet holding the sum of the latest
 * 20 ms of every member it hears (never itself), clipped and encoded in its
 * own law, in the stream it was sent before (same SSRC, sequence and
 * timestamp carried on). A member that sent nothing in a tick counts as
 * silence. A conference is everyone hearing everyone; a supervisor listens
 * by joining unheard, whispers when the agent alone hears them, barges
 * when everyone does; changing who hears whom mid-call is one call each.
 *
 * Facts that always hold:
 *  (1) A leg is in at most one mix and then in no bridge: adding it
 *      unbridges it (its old peer goes silent), media_bridge() takes it
 *      out of its mix.
 *  (2) Nobody hears what nobody asked for: a leg joins hearing everyone and
 *      heard by no one unless `heard` says so.
 *  (3) A leg that leaves (media_mix_remove, media_mix_free, closing it)
 *      is left unbridged and sent nothing; the others keep hearing each
 *      other. Two left in a mix stay a mix: to make them a plain pair again
 *      (relayed packet by packet, cheaper), free the mix and bridge them.
 *  (4) A prompt or DTMF sent to a member wins over the mix while it plays.
 *      A member's RFC 4733 digits raise MEDIA_EV_DTMF as always but are
 *      not passed on: the others hear no key presses.
 *  (5) Changes are commands to the shard, applied in order with the legs'
 *      own (engine fact 2); nothing waits for the media thread. */

enum { MEDIA_MIX_MAX = 8 };

struct media_mix;

/* Makes an empty mix on shard's thread. *mp is the caller's until
 * media_mix_free(). */
int  media_mix_alloc(struct media_mix **mp, struct media_engine *e,
		     unsigned shard);

/* Dissolves the mix: every member is left as media_mix_remove leaves it.
 * m is invalid afterwards; NULL is fine. */
void media_mix_free(struct media_mix *m);

/* Adds l, which hears every member already there; they hear l if heard.
 * EXDEV: l is on another shard; EALREADY: l is in m; EBUSY: l is in
 * another mix; ENOSPC: m has MEDIA_MIX_MAX members. */
int  media_mix_add(struct media_mix *m, struct media_leg *l, bool heard);

/* Takes l out of m (fact 3). ENOENT: l is not in m. */
int  media_mix_remove(struct media_mix *m, struct media_leg *l);

/* Whether listener hears speaker, both members of m. ENOENT when either is
 * not; EINVAL when they are the same leg. */
int  media_mix_hears(struct media_mix *m, struct media_leg *listener,
		     struct media_leg *speaker, bool on);

/* Members now, as the signalling loop sees them. */
unsigned media_mix_count(const struct media_mix *m);

/* A mux: one RTP port that the peers of several legs of one shard are told
 * to send to (by re-INVITE) instead of each leg's own, demultiplexed by
 * the address each peer sends from. The thread reads it with one recvmmsg
 * a tick for every member and sends to all of them with one sendmmsg,
 * where a leg costs a recvmmsg and a sendto of its own: a conference's
 * members on a mux cost the thread a third of the system calls.
 *
 * Facts that always hold:
 *  (1) Nothing else about a leg changes: its bridge or mix, SRTP,
 *      recording, DTMF and prompts work as on its own port.
 *  (2) A leg on a mux still reads its own port until its peer's first
 *      packet arrives at the mux (a peer that never takes the re-INVITE
 *      keeps working), and sends from its own port until then too.
 *  (3) A packet at the mux from an address that is no member's peer (the
 *      latched one, the one that last latched, or its SDP's address) is
 *      dropped: a peer behind NAT must have sent to the leg's own port
 *      before it moves.
 *  (4) The port stays bound while any leg is on it or its creator holds
 *      it; media_leg_port() says the mux's port while the leg is on it,
 *      so every later SDP offer or answer for the leg names it. */

struct media_mux;

/* Binds a port of the pool for a mux on shard's thread; the caller holds
 * one reference (media_mux_release). ENOSPC: the pool is empty. */
int  media_mux_alloc(struct media_mux **xp, struct media_engine *e,
		     unsigned shard);

/* The mux's local RTP port. */
uint16_t media_mux_port(const struct media_mux *x);

/* Drops the caller's reference; the port goes back to the pool when no
 * leg is on it either. NULL is fine. */
void media_mux_release(struct media_mux *x);

/* Puts l on x (l holds a reference until it leaves or closes). EXDEV: l
 * is on another shard; EALREADY: l is on x; EBUSY: on another mux;
 * ENOSPC: x has MEDIA_MIX_MAX legs. */
int  media_leg_mux(struct media_leg *l, struct media_mux *x);

/* Takes l off its mux: its own port is read and sent from again.
 * ENOENT: l is on none. */
int  media_leg_unmux(struct media_leg *l);

/* The mux l is on, or NULL. */
struct media_mux *media_leg_mux_of(const struct media_leg *l);

/* A prompt: 8 kHz mono PCM that any number of legs may play at once. It is
 * immutable and reference-counted (any thread may drop a reference). */
struct media_prompt;

/* Makes a prompt from n samples (copied); *pp holds one reference. */
int  media_prompt_alloc(struct media_prompt **pp, const int16_t *pcm,
			size_t n);
/* Loads any audio file libsndfile reads (resampled to 8 kHz mono). Reads
 * the disk: call it at start-up or off the loops. */
int  media_prompt_load(struct media_prompt **pp, const char *path);
/* Adds a reference; returns p. */
struct media_prompt *media_prompt_ref(struct media_prompt *p);
/* Its samples (8 kHz) and their count; a prompt never changes. */
const int16_t *media_prompt_pcm(const struct media_prompt *p);
size_t media_prompt_len(const struct media_prompt *p);
/* Drops a reference; the last one frees. NULL is fine. */
void media_prompt_unref(struct media_prompt *p);
/* How long p plays, in ms (0 for NULL). */
uint32_t media_prompt_ms(const struct media_prompt *p);

/* Plays p to the leg's peer from the start, once or looping, in place of
 * anything playing; audio relayed from a bridged leg is held back until it
 * ends. A prompt played once to its end raises MEDIA_EV_PROMPT_END. Takes
 * its own reference to p. */
int  media_leg_play(struct media_leg *l, struct media_prompt *p, bool loop);

/* Stops what the leg plays (no event). */
int  media_leg_stop(struct media_leg *l);

/* While on, a tick in which the leg plays nothing, relays nothing (not
 * bridged) and is in no mix sends 20 ms of silence in its prompts' stream:
 * the peer hears one continuous stream, as carriers' RTP timeouts and NAT
 * bindings expect, not a gap each time an IVR waits for a key. Off by
 * default. */
int  media_leg_fill(struct media_leg *l, bool on);

/* Sends digits ("0"-"9", "*", "#", "A"-"D", at most 32) to the leg's peer
 * as RFC 4733 telephone-events, each pressed for duration_ms with 60 ms
 * between presses; relayed audio is held back meanwhile. EINVAL for other
 * characters, ENOTSUP when the peer's SDP had no telephone-event. */
int  media_leg_send_dtmf(struct media_leg *l, const char *digits,
			 unsigned duration_ms);

/* Detaches and frees the leg (on its thread); l is invalid afterwards. */
void media_leg_close(struct media_leg *l);

/* ---- text-to-speech (tts.c) -------------------------------------------
 * Prompts spoken from text by libespeak-ng, Mandarin and English. espeak-ng
 * keeps global state, is not thread-safe and takes milliseconds per
 * sentence, so one worker thread owns it: the signalling loop queues a
 * request and gets the prompt back on the loop through a libre mqueue,
 * never waiting. Prompts are cached by (voice, text), least recently used
 * out first, and on disk by (voice, rate, text) when cache_dir is set, and a sentence already being synthesised is not synthesised
 * twice: every request for it gets the same prompt.
 *
 * Facts that always hold:
 *  (1) Every accepted request's handler runs exactly once, on the loop and
 *      never from inside media_tts_say, unless media_tts_free comes first:
 *      then it never runs.
 *  (2) A request's arg is a libre object (or NULL) referenced from
 *      media_tts_say until its handler has returned or it was dropped.
 *  (3) Only the worker thread calls espeak-ng. */

struct media_tts;

struct media_tts_opts {
	const char *data_path;   /* espeak-ng-data's parent directory; NULL:
				  * the library's own. espeak-ng is loaded
				  * once per process: the first one counts */
	unsigned rate_wpm;       /* speaking rate, 80..450; 0: 175 */
	size_t cache_max;        /* prompts kept; 0: 256 */
	size_t queue_max;        /* requests waiting at most; 0: 256 */
	const char *cache_dir;   /* an existing directory where every prompt
				  * spoken is kept as <sha256 of voice, rate
				  * and text>.wav and read back instead of
				  * spoken again, across restarts; copied.
				  * NULL: memory only */
};

/* The result of a request: err 0 and p (8 kHz; borrowed: media_prompt_ref
 * it to keep it past the call), or err and p NULL: ENOMEM, EIO (espeak-ng
 * failed), EFBIG (more than 2 minutes of speech). */
typedef void (media_tts_h)(int err, struct media_prompt *p, void *arg);

/* Starts the worker and initialises espeak-ng (waits for that, a few ms:
 * call it at start-up on the loop that will make requests). One per
 * process, as espeak-ng is: EALREADY for a second. ENOENT when espeak-ng
 * or its data cannot be loaded. *tp is the caller's (media_tts_free). */
int  media_tts_alloc(struct media_tts **tp, const struct media_tts_opts *o);

/* Stops the worker (after the sentence it is on) and frees every request
 * (handlers not run, args released), result and cached prompt. On the
 * loop thread. NULL is fine. */
void media_tts_free(struct media_tts *t);

/* True for a voice media_tts_say takes: "zh" and "cmn" (Mandarin), "en"
 * (English), "en-us". */
bool media_tts_voice_ok(const char *voice);

/* Asks for text (UTF-8, 1..1000 bytes) spoken by voice; h(err, p, arg)
 * runs later on the loop (it may ask again, not free t). EINVAL for an unknown voice or empty text,
 * EMSGSIZE for a longer one, EBUSY when queue_max requests wait, ENOMEM. */
int  media_tts_say(struct media_tts *t, const char *voice, const char *text,
		   media_tts_h *h, void *arg);

/* Counters since alloc, for the logs, the benchmarks and the tests. */
struct media_tts_stats {
	uint64_t requests;       /* accepted by media_tts_say */
	uint64_t cache_hits;     /* answered from the cache */
	uint64_t joined;         /* joined a synthesis already under way */
	uint64_t synthesized;    /* sentences the worker spoke */
	uint64_t disk_hits;      /* read back from cache_dir, not spoken */
	uint64_t disk_misses;    /* not in cache_dir: spoken, then written */
	uint64_t disk_errors;    /* spoken but not written to cache_dir */
	uint64_t failed;
	uint64_t synth_us;       /* worker time over all of them */
	uint64_t synth_us_max;   /* the longest one */
	size_t   cached;         /* prompts in the cache now */
};
void media_tts_stats(const struct media_tts *t, struct media_tts_stats *st);

#endif
