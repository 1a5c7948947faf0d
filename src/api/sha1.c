/* api/sha1: SHA-1 (RFC 3174), for the WebSocket handshake's
 * Sec-WebSocket-Accept only. libre 1.1.0 as Debian builds it keeps its
 * SHA-1 behind OpenSSL, which nothing else here links; SHA-1 is no
 * security measure in that handshake, just a checksum the RFC names. */
#include <string.h>
#include "api/api_int.h"

static uint32_t rol(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static void block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		}
		else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		}
		else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		}
		else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void api_sha1(const void *d, size_t n, uint8_t md[20])
{
	uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
			 0xc3d2e1f0};
	const uint8_t *p = d;
	uint64_t bits = (uint64_t)n * 8;
	uint8_t tail[128] = {0};
	size_t rest, tl;

	for (; n >= 64; n -= 64, p += 64)
		block(h, p);
	/* The last bytes, 0x80, zeros, and the length: one or two blocks. */
	rest = n;
	memcpy(tail, p, rest);
	tail[rest] = 0x80;
	tl = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
	block(h, tail);
	if (tl == 128)
		block(h, tail + 64);
	for (int i = 0; i < 5; i++) {
		md[4 * i] = (uint8_t)(h[i] >> 24);
		md[4 * i + 1] = (uint8_t)(h[i] >> 16);
		md[4 * i + 2] = (uint8_t)(h[i] >> 8);
		md[4 * i + 3] = (uint8_t)h[i];
	}
}
