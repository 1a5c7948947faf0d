/* media internals: the building blocks the engine is made of, one file
 * each, shared by the files of src/media/ and their unit tests only. G.711
 * (g711.c), RTP headers and the bridge rewriter (rtp.c), RFC 4733 DTMF
 * (dtmf.c) and in-band DTMF (inband.c) are pure: no I/O, no clock, time
 * comes in as an argument. The call recorder (rec.c) writes files on its
 * own thread. Conventions as in media.h. */
#ifndef HL_MEDIA_MEDIA_INT_H
#define HL_MEDIA_MEDIA_INT_H

#include "media/media.h"

/* ---- G.711 (g711.c) ---------------------------------------------------
 * ITU-T G.711 as in the G.191 reference code: 16-bit input is reduced to
 * 14 bits (µ-law) or 12 bits (A-law) and negative values are taken as one's
 * complement, so -1 encodes like 0 with the sign bit clear. One sample:
 * a table lookup; a buffer: arithmetic the compiler vectorises, the same
 * code words. Every function is safe from any thread. */

uint8_t media_ulaw_encode(int16_t x);
int16_t media_ulaw_decode(uint8_t u);
uint8_t media_alaw_encode(int16_t x);
int16_t media_alaw_decode(uint8_t a);
/* Direct conversion by G.711 Tables 3 and 4 (not decode-then-encode). */
uint8_t media_ulaw_to_alaw(uint8_t u);
uint8_t media_alaw_to_ulaw(uint8_t a);

/* The same over n samples; dst and src must not overlap, except that the
 * byte-to-byte conversions may work in place (dst == src). */
void media_ulaw_encode_buf(uint8_t *dst, const int16_t *src, size_t n);
void media_ulaw_decode_buf(int16_t *dst, const uint8_t *src, size_t n);
void media_alaw_encode_buf(uint8_t *dst, const int16_t *src, size_t n);
void media_alaw_decode_buf(int16_t *dst, const uint8_t *src, size_t n);
void media_ulaw_to_alaw_buf(uint8_t *dst, const uint8_t *src, size_t n);
void media_alaw_to_ulaw_buf(uint8_t *dst, const uint8_t *src, size_t n);
/* Encodes n sums (a mix's output) as the 16-bit samples they clip to would
 * encode, in one pass. */
void media_ulaw_encode_sum(uint8_t *dst, const int32_t *src, size_t n);
void media_alaw_encode_sum(uint8_t *dst, const int32_t *src, size_t n);

/* ---- RTP packets (rtp.c) ----------------------------------------------
 * RFC 3550 headers: parse a received packet into a view, write a header,
 * patch a packet being relayed. */

enum { MEDIA_RTP_HDR_LEN = 12, MEDIA_RTP_MAX_CSRC = 15 };

/* A parsed packet. The pointers point into the parsed buffer. */
struct media_rtp_hdr {
	bool     marker;
	uint8_t  pt;                 /* 0..127 */
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	uint8_t  cc;                 /* CSRCs in csrc[] */
	uint32_t csrc[MEDIA_RTP_MAX_CSRC];
	bool     ext;                /* header extension present */
	uint16_t ext_profile;        /* its "defined by profile" field */
	const uint8_t *ext_data;     /* its words, ext_len bytes */
	size_t   ext_len;
	const uint8_t *payload;      /* padding already removed */
	size_t   payload_len;
	uint8_t  pad;                /* padding bytes that followed it */
};

/* Parses and validates buf: version 2, CSRCs, extension and padding within
 * len. EBADMSG for anything else, including RTCP that shares the port
 * (payload types 72-76 with the marker set, RFC 5761). */
int  media_rtp_parse(struct media_rtp_hdr *h, const uint8_t *buf, size_t len);

/* Writes version 2, marker, pt, seq, ts, ssrc and h->cc CSRCs (no extension,
 * no padding) to buf; *lenp = 12 + 4 * cc, where the payload goes. ENOSPC if
 * size is too small, EINVAL if pt > 127 or cc > 15. */
int  media_rtp_write(uint8_t *buf, size_t size, const struct media_rtp_hdr *h,
		     size_t *lenp);

/* Overwrites marker, pt, seq, ts and ssrc of the packet in buf (at least 12
 * bytes, already parsed) with h's: relaying without copying the payload. */
void media_rtp_patch(uint8_t *buf, const struct media_rtp_hdr *h);

/* The bridge rewriter: one per outgoing stream. Whatever feeds the stream
 * (the other leg, a prompt, the other leg again after a re-INVITE), the peer
 * sees one SSRC whose sequence numbers go up by one and whose timestamps
 * follow the clock across every change of source, with the marker bit on
 * the first packet after a change. A change is a new SSRC, a jump of more
 * than 3000 sequence numbers forward or 100 back (a restarted sender, as in
 * RFC 3550's MAX_DROPOUT / MAX_MISORDER), or media_rtp_rewrite_reset().
 * Loss and reordering within a source pass through unchanged. Both counters
 * wrap (16-bit seq, 32-bit ts). The fields are private: embed it, init it. */
struct media_rtp_rewrite {
	uint32_t ssrc;               /* ours, on every packet sent */
	uint16_t seq_off;            /* out = in + off, for the current source */
	uint32_t ts_off;
	uint16_t last_seq;           /* highest seq sent */
	uint32_t last_ts;            /* highest ts sent, */
	int64_t  last_ms;            /* and when it was sent */
	uint32_t src_ssrc;           /* current source */
	uint16_t src_seq;            /* its highest seq, */
	uint32_t src_ts;             /* and that packet's ts */
	uint32_t frame;              /* ts units between its packets; 160 */
	bool     started;            /* something was sent */
	bool     have_src;           /* src_* are valid */
};

/* Starts a stream with our ssrc; the first packet goes out as seq, ts. */
void media_rtp_rewrite_init(struct media_rtp_rewrite *rw, uint32_t ssrc,
			    uint16_t seq, uint32_t ts);
/* The next packet starts a new source even if its SSRC is the same. */
void media_rtp_rewrite_reset(struct media_rtp_rewrite *rw);
/* Rewrites h (ssrc, seq, ts, marker) for sending at now_ms, a monotonic
 * clock: on a change of source the timestamp advances by the time since the
 * last packet, at least one packet's worth. */
void media_rtp_rewrite_apply(struct media_rtp_rewrite *rw,
			     struct media_rtp_hdr *h, int64_t now_ms);

/* ---- RFC 4733 telephone-event (dtmf.c) --------------------------------
 * DTMF as RTP events: a 4-byte payload repeated with a growing duration
 * while the key is down, all packets of one key press carrying the same RTP
 * timestamp, the last one (the E bit) sent three times. */

struct media_dtmf_event {
	uint8_t  event;      /* 0-9, 10 '*', 11 '#', 12-15 'A'-'D', others */
	bool     end;        /* E: the key was released */
	uint8_t  volume;     /* 0..63, in -dBm0 */
	uint16_t duration;   /* timestamp units since the event's timestamp */
};

/* Decodes the first 4 bytes of p; EBADMSG if len < 4. Extra bytes (RFC
 * 2198 redundancy is not used here) are ignored. */
int  media_dtmf_decode(struct media_dtmf_event *ev, const uint8_t *p,
		       size_t len);
void media_dtmf_encode(uint8_t p[4], const struct media_dtmf_event *ev);
/* '0'-'9', '*', '#', 'A'-'D' for events 0-15, else 0. */
char media_dtmf_char(uint8_t event);
/* The event code of a digit (either case for A-D); EINVAL otherwise. */
int  media_dtmf_code(char digit, uint8_t *event);

/* Receiver: reports each key press once, on its first packet that arrives
 * (so a lost first packet delays nothing), however many updates, repeats
 * and end packets follow. Packets older than the current event are stale;
 * a long press split into segments (RFC 4733 2.5.1.3) stays one press.
 * Fields are private. */
struct media_dtmf_rx {
	bool     have;       /* an event has been seen */
	bool     ended;      /* its end packet has been seen */
	uint8_t  event;
	uint32_t ts;         /* its RTP timestamp */
	uint16_t duration;   /* longest duration seen for it */
};

void media_dtmf_rx_init(struct media_dtmf_rx *rx);
/* Feeds one telephone-event packet: 0 and *digit set for a new key press;
 * ENOENT when the packet adds none (a repeat, an update, an end, a stale or
 * non-DTMF event); EBADMSG for a payload shorter than 4 bytes. */
int  media_dtmf_rx_feed(struct media_dtmf_rx *rx, uint32_t ts, bool marker,
			const uint8_t *payload, size_t len, char *digit);

/* Sender: the packets of one key press, one per 20 ms tick. All of them go
 * out with the RTP timestamp given to start. Fields are private. */
struct media_dtmf_tx {
	uint8_t  event;
	uint8_t  volume;
	uint16_t total;      /* duration of the press, samples */
	uint16_t sent;       /* duration in the last packet */
	uint8_t  ends;       /* end packets sent, up to 3 */
};

/* Prepares a press of digit for duration_ms (rounded up to 20 ms, at most
 * 8 s) at volume (0..63, -dBm0; 10 is usual). EINVAL for anything else. */
int  media_dtmf_tx_start(struct media_dtmf_tx *tx, char digit,
			 unsigned duration_ms, uint8_t volume);
/* The next packet: 0 with payload and marker (set on the first) filled, or
 * ENOENT once the three end packets have been produced. */
int  media_dtmf_tx_next(struct media_dtmf_tx *tx, uint8_t payload[4],
			bool *marker);

/* ---- in-band DTMF (inband.c) ------------------------------------------
 * Tones in the audio itself, for phones that do not send RFC 4733: a
 * detector and a generator, both spandsp's. Each object belongs to one
 * thread at a time. */

typedef void (media_digit_h)(char digit, void *arg);

struct media_inband;
/* A detector that calls h(digit, arg) once per tone, from inside
 * media_inband_feed. *ibp is the caller's (media_inband_free). */
int  media_inband_alloc(struct media_inband **ibp, media_digit_h *h,
			void *arg);
void media_inband_free(struct media_inband *ib);      /* NULL is fine */
void media_inband_feed(struct media_inband *ib, const int16_t *pcm, size_t n);

struct media_tones;
/* A generator for digits ("0"-"9", "*", "#", "A"-"D"; at most 128), each
 * on_ms of tone then off_ms of silence, the low tone at level_dbm0 (about
 * -10 is usual). EINVAL for other digits or levels outside -50..0. *tp is
 * the caller's (media_tones_free). */
int  media_tones_alloc(struct media_tones **tp, const char *digits,
		       unsigned on_ms, unsigned off_ms, int level_dbm0);
void media_tones_free(struct media_tones *t);         /* NULL is fine */
/* Writes up to n samples; returns how many, 0 once every digit is out. */
size_t media_tones_read(struct media_tones *t, int16_t *pcm, size_t n);

/* The resampler media_wav_load uses, for audio made in memory (TTS): in
 * holds n mono samples at rate (>= 1000 Hz), full scale ±1.0; out gets the
 * first m samples at 8 kHz (m = n * 8000 / rate covers the input). Any
 * thread. EINVAL for a rate below 1000 Hz, ENOMEM. */
int  media_resample(const float *in, size_t n, int rate, int16_t *out,
		    size_t m);

/* ---- call recording (rec.c) -------------------------------------------
 * Stereo 8 kHz 16-bit WAV files written by a writer thread, so that the
 * media threads that feed them never wait on the disk: a write copies the
 * frame into a queue and returns. One recorder (one thread) serves many
 * recordings; each recording is fed by one thread at a time. */

struct media_recorder;
struct media_rec;

/* Called on the writer thread once a recording is finished: err is 0 or
 * why the file could not be written; path and channels as opened; frames
 * is how many were written. */
typedef void (media_rec_done_h)(int err, const char *path, unsigned channels,
				uint64_t frames, void *arg);

/* Starts a writer thread that lets at most max_queued bytes wait (0 means
 * 16 MB, about 17 minutes of one call). *wp is the caller's. */
int  media_recorder_alloc(struct media_recorder **wp, size_t max_queued);
/* Writes everything queued, finishes recordings still open (their handles
 * die with it), stops the thread. NULL is fine. */
void media_recorder_free(struct media_recorder *w);

/* Starts a recording to path with 2 channels (a call: customer left, agent
 * right) or 1 (one party: a voicemail); the file and any missing parent
 * directories are created on the writer thread, and an error there arrives
 * in done. *rp stays the caller's until media_rec_close. */
int  media_rec_open(struct media_rec **rp, struct media_recorder *w,
		    const char *path, unsigned channels,
		    media_rec_done_h *done, void *arg);
/* Queues n frames: left[i] (the customer) and right[i] (the agent; ignored
 * by a mono recording); a NULL side is silence. ENOBUFS when the queue is full: the frames are dropped
 * and the file goes on without them (the done handler is told nothing, the
 * log is). Never blocks on the disk. */
int  media_rec_write(struct media_rec *r, const int16_t *left,
		     const int16_t *right, size_t n);
/* While paused, what media_rec_write is given is written as silence of the
 * same length (fact 4 of rec.c). From the thread that writes. */
void media_rec_pause(struct media_rec *r, bool paused);
/* Ends the recording: what was queued is written, the header finalised,
 * then done runs. r is gone. NULL is fine. */
void media_rec_close(struct media_rec *r);

#endif
