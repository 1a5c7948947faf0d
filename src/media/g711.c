/* G.711 µ-law and A-law. The encoder and decoder formulas follow the ITU-T
 * G.191 reference (one's complement for negative samples); at start-up they
 * fill lookup tables so that every call afterwards is a single index:
 *   µ-law depends only on the top 14 bits of a sample (16384 entries),
 *   A-law only on the top 12 bits (4096 entries), decoding on the byte.
 * µ-law <-> A-law conversion uses G.711's own Tables 3 and 4; they are not a
 * rounding rule (18 of 128 magnitudes differ from decode-then-encode), so we
 * take them from spandsp, which carries the standard's tables. */
#include <string.h>
#include <spandsp.h>
#include "base/util.h"
#include "media/media_int.h"

static int16_t ulaw_dec[256];
static int16_t alaw_dec[256];
static uint8_t ulaw_enc[1 << 14];
static uint8_t alaw_enc[1 << 12];
static uint8_t u2a[256];
static uint8_t a2u[256];

static int bit_length(unsigned v)
{
	int n = 0;

	for (; v; v >>= 1)
		n++;
	return n;
}

/* µ-law: bias the 13-bit magnitude by 33 so that every segment starts at a
 * power of two; the code word is the complement of exponent and mantissa. */
static uint8_t ulaw_formula(int16_t x)
{
	unsigned mag = (unsigned)((x < 0 ? ~x : x) >> 2) + 33;
	int e;

	if (mag > 0x1FFF)
		mag = 0x1FFF;
	e = bit_length(mag >> 6);
	return (uint8_t)((~((e << 4) | ((mag >> (e + 1)) & 0xF)) & 0x7F) |
			 (x >= 0 ? 0x80 : 0));
}

static int16_t ulaw_expand(uint8_t u)
{
	unsigned c = (unsigned)~u & 0xFF;
	int e = (c >> 4) & 7;
	int step = 8 << e;
	int v = (0x80 << e) + step * (int)(c & 0xF) + step / 2 - 4 * 33;

	return (int16_t)(u & 0x80 ? v : -v);
}

/* A-law: segment 0 is linear, each later one doubles the step; even bits
 * are inverted on the line (the 0x55 mask) to keep transitions frequent. */
static uint8_t alaw_formula(int16_t x)
{
	unsigned mag = (unsigned)((x < 0 ? ~x : x) >> 4);
	unsigned e = 1;

	if (mag > 15) {
		while (mag > 31) {
			mag >>= 1;
			e++;
		}
		mag = (mag - 16) + (e << 4);
	}
	return (uint8_t)((mag | (x >= 0 ? 0x80 : 0)) ^ 0x55);
}

static int16_t alaw_expand(uint8_t a)
{
	unsigned c = (a ^ 0x55) & 0x7F;
	unsigned e = c >> 4;
	int v = (int)(c & 0xF);

	if (e > 0)
		v += 16;
	v = (v << 4) + 8;
	if (e > 1)
		v <<= e - 1;
	return (int16_t)(a & 0x80 ? v : -v);
}

/* A constructor rather than a lazy check: the tables are ready before any
 * thread can call in, and the hot paths carry no branch for it. */
__attribute__((constructor)) static void g711_tables(void)
{
	for (unsigned i = 0; i < 256; i++) {
		ulaw_dec[i] = ulaw_expand((uint8_t)i);
		alaw_dec[i] = alaw_expand((uint8_t)i);
		u2a[i] = ulaw_to_alaw((uint8_t)i);
		a2u[i] = alaw_to_ulaw((uint8_t)i);
	}
	for (unsigned i = 0; i < ARRAY_LEN(ulaw_enc); i++)
		ulaw_enc[i] = ulaw_formula((int16_t)(uint16_t)(i << 2));
	for (unsigned i = 0; i < ARRAY_LEN(alaw_enc); i++)
		alaw_enc[i] = alaw_formula((int16_t)(uint16_t)(i << 4));
}

uint8_t media_ulaw_encode(int16_t x) { return ulaw_enc[(uint16_t)x >> 2]; }
int16_t media_ulaw_decode(uint8_t u) { return ulaw_dec[u]; }
uint8_t media_alaw_encode(int16_t x) { return alaw_enc[(uint16_t)x >> 4]; }
int16_t media_alaw_decode(uint8_t a) { return alaw_dec[a]; }
uint8_t media_ulaw_to_alaw(uint8_t u) { return u2a[u]; }
uint8_t media_alaw_to_ulaw(uint8_t a) { return a2u[a]; }

/* The float of a magnitude holds its segment in the exponent and the step
 * within it in the mantissa's top four bits, so a buffer encodes with
 * vector arithmetic and no table: the 16 kB µ-law table falls out of the
 * cache between a busy media thread's ticks (every leg's system calls pass
 * in between), and a lookup per sample cannot be vectorised. */
static uint32_t float_bits(int32_t v)
{
	float f = (float)v;
	uint32_t b;

	memcpy(&b, &f, sizeof(b));
	return b;
}

/* µ-law: the biased magnitude is 33..8191, exponents 5..12 give the
 * segments 0..7. Any x encodes as it would once clipped to 16 bits: past
 * that range the magnitude is held at its top. */
static uint8_t ulaw_fast(int32_t x)
{
	int32_t mag = ((x ^ (x >> 31)) >> 2) + 33;
	uint32_t code;

	mag = mag > 0x1FFF ? 0x1FFF : mag;
	code = (float_bits(mag) >> 19) - ((127 + 5) << 4);
	return (uint8_t)((~code & 0x7F) | (x >= 0 ? 0x80 : 0));
}

/* A-law: magnitudes under 16 are their own code; from 16 the exponent
 * 4..10 gives the segments 1..7. Held at the top as ulaw_fast. */
static uint8_t alaw_fast(int32_t x)
{
	int32_t full = (x ^ (x >> 31)) >> 4;
	int32_t mag = full > 0x7FF ? 0x7FF : full;
	uint32_t high = (float_bits(mag) >> 19) - ((127 + 3) << 4);
	uint32_t low = -(uint32_t)(mag < 16);    /* all ones under 16 */
	uint32_t code = (high & ~low) | ((uint32_t)mag & low);

	return (uint8_t)((code | (x >= 0 ? 0x80 : 0)) ^ 0x55);
}

/* dst[i] = one(src[i]) for i < n: whole blocks of 16, a trip count the
 * compiler vectorises at -O2 (kept from unrolling, which would leave it
 * nothing to vectorise), then the rest one by one. */
enum { BLOCK = 16 };
#define EACH_SAMPLE(dst, src, n, one)                                   \
	do {                                                            \
		size_t i_ = 0;                                          \
		for (; i_ + BLOCK <= (n); i_ += BLOCK) {                \
			_Pragma("GCC unroll 1")                         \
			for (size_t j_ = 0; j_ < BLOCK; j_++)           \
				(dst)[i_ + j_] = one((src)[i_ + j_]);   \
		}                                                       \
		for (; i_ < (n); i_++)                                  \
			(dst)[i_] = one((src)[i_]);                     \
	} while (0)

void media_ulaw_encode_buf(uint8_t *restrict dst, const int16_t *restrict src,
			   size_t n)
{
	EACH_SAMPLE(dst, src, n, ulaw_fast);
}

/* Decoding is a shift by the segment, done as a product of three factors
 * (one per bit of the segment) so that the lanes of a vector can each take
 * their own: every value fits 16 bits, a table lookup does not vectorise. */
static uint16_t pow2_of(uint16_t e)
{
	return (uint16_t)((1 + (e & 1)) * (1 + 3 * ((e >> 1) & 1)) *
			  (1 + 15 * ((e >> 2) & 1)));
}

static int16_t ulaw_expand_fast(uint8_t u)
{
	uint16_t c = (uint16_t)(~u & 0x7F);
	uint16_t v = (uint16_t)((8 * (c & 0xF) + 0x84) * pow2_of(c >> 4) - 0x84);

	return (int16_t)(u & 0x80 ? v : -v);
}

static int16_t alaw_expand_fast(uint8_t a)
{
	uint16_t c = (uint16_t)((a ^ 0x55) & 0x7F);
	uint16_t e = c >> 4;
	uint16_t above = e > 0;    /* segments 1..7 carry the leading one */
	uint16_t v = (uint16_t)((((c & 0xF) + 16 * above) * 16 + 8) *
				pow2_of((uint16_t)(e - above)));

	return (int16_t)(a & 0x80 ? v : -v);
}

void media_ulaw_decode_buf(int16_t *restrict dst, const uint8_t *restrict src,
			   size_t n)
{
	EACH_SAMPLE(dst, src, n, ulaw_expand_fast);
}

void media_alaw_encode_buf(uint8_t *restrict dst, const int16_t *restrict src,
			   size_t n)
{
	EACH_SAMPLE(dst, src, n, alaw_fast);
}

void media_alaw_decode_buf(int16_t *restrict dst, const uint8_t *restrict src,
			   size_t n)
{
	EACH_SAMPLE(dst, src, n, alaw_expand_fast);
}

void media_ulaw_to_alaw_buf(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = u2a[src[i]];
}

void media_alaw_to_ulaw_buf(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = a2u[src[i]];
}

void media_ulaw_encode_sum(uint8_t *restrict dst, const int32_t *restrict src,
			   size_t n)
{
	EACH_SAMPLE(dst, src, n, ulaw_fast);
}

void media_alaw_encode_sum(uint8_t *restrict dst, const int32_t *restrict src,
			   size_t n)
{
	EACH_SAMPLE(dst, src, n, alaw_fast);
}
