/* media: the I/O-free building blocks of Hotline's audio path, each in its
 * own file: G.711 (g711.c), RTP headers and the bridge rewriter (rtp.c),
 * RFC 4733 and in-band DTMF (dtmf.c, inband.c), audio SDP (sdp.c), prompt
 * loading (wav.c) and the stereo call recorder (rec.c). The RTP engine that
 * owns sockets and threads is built on top of these.
 *
 * Audio everywhere is 8 kHz mono 16-bit linear PCM, 160 samples per 20 ms,
 * unless a function says otherwise. Functions return 0 or a positive errno
 * value; results go through pointer arguments. */
#ifndef HL_MEDIA_MEDIA_H
#define HL_MEDIA_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	MEDIA_RATE  = 8000,   /* samples per second */
	MEDIA_FRAME = 160,    /* samples per 20 ms packet */
};

/* ---- G.711 (g711.c) ---------------------------------------------------
 * ITU-T G.711 as in the G.191 reference code: 16-bit input is reduced to
 * 14 bits (µ-law) or 12 bits (A-law) and negative values are taken as one's
 * complement, so -1 encodes like 0 with the sign bit clear. Table-driven;
 * every function is safe from any thread. */

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

#endif
