/* base/jsonw: see jsonw.h. Escaping follows jansson's compact output:
 * '"' and '\\' escaped, \b \f \n \r \t by name, other control characters
 * as \u00XX (upper-case hex), '/' and everything from U+007F up as they are. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "base/jsonw.h"

void jsonw_init(struct jsonw *w)
{
	memset(w, 0, sizeof(*w));
}

void jsonw_free(struct jsonw *w)
{
	free(w->buf);
	jsonw_init(w);
}

/* A text of HUGE_MIN bytes or more goes in 2 MiB pages where the kernel
 * has them for the asking (transparent huge pages, "madvise" or
 * "always"): a year of 15-minute KPI rows is a 33 MB reply, whose 8,000
 * faults of 4 KiB pages were a sixth of the report's CPU (issue 17). */
enum { HUGE_PAGE = 2 << 20, HUGE_MIN = 4 << 20 };

/* A buffer of *cap bytes (rounded up to whole huge pages) holding the
 * len bytes at old, which is freed; NULL (old kept) when out of memory. */
static char *huge_alloc(char *old, size_t len, size_t *cap)
{
	size_t size = (*cap + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	char *b = aligned_alloc(HUGE_PAGE, size);

	if (!b)
		return NULL;
	(void)madvise(b, size, MADV_HUGEPAGE);   /* a hint: 4 KiB pages else */
	if (old)
		memcpy(b, old, len);
	free(old);
	*cap = size;
	return b;
}

/* Room for n more bytes and the NUL; false (writer marked) when not. */
static int grow(struct jsonw *w, size_t n)
{
	size_t cap;
	char *b;

	if (w->err)
		return 0;
	if (w->len + n + 1 <= w->cap)
		return 1;
	cap = w->cap ? w->cap : 4096;
	while (cap < w->len + n + 1)
		cap *= 2;
	b = cap >= HUGE_MIN ? huge_alloc(w->buf, w->len, &cap) :
		realloc(w->buf, cap);
	if (!b) {
		w->err = ENOMEM;
		return 0;
	}
	w->buf = b;
	w->cap = cap;
	return 1;
}

static void put(struct jsonw *w, const void *p, size_t n)
{
	if (!grow(w, n))
		return;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

void jsonw_raw(struct jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

void jsonw_rawn(struct jsonw *w, const char *s, size_t n)
{
	put(w, s, n);
}

void jsonw_reserve(struct jsonw *w, size_t n)
{
	(void)grow(w, n);
}

char *jsonw_room(struct jsonw *w, size_t n)
{
	return grow(w, n) ? w->buf + w->len : NULL;
}

void jsonw_wrote(struct jsonw *w, char *end)
{
	w->len = (size_t)(end - w->buf);
	w->buf[w->len] = '\0';
}

/* "00".."99": two digits a division (a report of 35,040 rows writes
 * three million numbers). */
static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static int ndigits(uint64_t u)
{
	int n = 1;

	for (uint64_t t = 10; n < 20 && u >= t; t *= 10)
		n++;
	return n;
}

/* The decimal digits of u written at p; returns their end. snprintf's
 * "%" PRId64 cost a report of 35,040 rows a fifth of its time. */
static char *put_u64(char *p, uint64_t u)
{
	char *end = p + ndigits(u), *q = end;

	for (; u >= 100; u /= 100) {
		q -= 2;
		memcpy(q, pairs + u % 100 * 2, 2);
	}
	if (u >= 10)
		memcpy(q - 2, pairs + u * 2, 2);
	else
		q[-1] = (char)('0' + u);
	return end;
}

char *jsonw_put_int(char *p, int64_t v)
{
	if (v < 0)
		*p++ = '-';
	return put_u64(p, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	char *p = jsonw_room(w, JSONW_NUM_MAX);

	if (p)
		jsonw_wrote(w, jsonw_put_int(p, v));
}

static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
			       1e9};
static const uint64_t ipow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
				  10000000, 100000000, 1000000000};

/* v * 10^dec rounded, in *r; false when that is beyond 2^53 (or dec out
 * of range), where doubles no longer hold every integer. */
static bool scaled(double v, int dec, int64_t *r)
{
	double s;

	if (dec < 0 || dec > 9)
		return false;
	s = v * pow10[dec];
	if (!(s > -9007199254740992.0 && s < 9007199254740992.0))
		return false;
	*r = llround(s);
	return true;
}

double jsonw_fixed_value(double v, int dec)
{
	int64_t r;

	/* r / 10^dec is correctly rounded, as strtod of the decimal text is:
	 * both are the double nearest the same rational. */
	return scaled(v, dec, &r) ? (double)r / pow10[dec] : v;
}

/* As jansson's jsonp_dtostr at its default precision (17): "%.17g", a
 * ".0" when that reads as an integer, and the exponent without '+' or
 * leading zeros ("1e20", "1e-5"). Written at p (JSONW_NUM_MAX bytes);
 * returns the end. */
static char *put_real(char *p, double v)
{
	char b[JSONW_NUM_MAX], *e;
	int n = snprintf(b, sizeof(b) - 2, "%.17g", v);

	if (n < 0 || (size_t)n >= sizeof(b) - 2)
		return p;
	if (!strchr(b, '.') && !strchr(b, 'e')) {
		memcpy(b + n, ".0", 3);
		n += 2;
	}
	if ((e = strchr(b, 'e'))) {
		char *start = e + 1, *end = start + 1;

		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)(b + n + 1 - end));
			n -= (int)(end - start);
		}
	}
	memcpy(p, b, (size_t)n);
	return p + n;
}

void jsonw_real(struct jsonw *w, double v)
{
	char *p = jsonw_room(w, JSONW_NUM_MAX);

	if (p)
		jsonw_wrote(w, put_real(p, v));
}

char *jsonw_put_fixed(char *p, double v, int dec)
{
	int64_t r;
	uint64_t u, f;
	int nf = dec;

	if (!scaled(v, dec, &r))
		return put_real(p, v);
	u = r < 0 ? -(uint64_t)r : (uint64_t)r;
	f = u % ipow10[dec];
	u /= ipow10[dec];
	while (nf > 1 && f % 10 == 0) {   /* trailing zeros, one kept */
		f /= 10;
		nf--;
	}
	if (r < 0)
		*p++ = '-';
	p = put_u64(p, u);
	*p++ = '.';
	if (nf == 0)
		*p++ = '0';
	for (int i = nf - 1; i >= 0; i--, f /= 10)
		p[i] = (char)('0' + f % 10);
	return p + nf;
}

void jsonw_fixed(struct jsonw *w, double v, int dec)
{
	char *p = jsonw_room(w, JSONW_NUM_MAX);

	if (p)
		jsonw_wrote(w, jsonw_put_fixed(p, v, dec));
}

/* The length of the well-formed UTF-8 sequence at s (1..4), or 0 when the
 * bytes there are not one (overlong forms and surrogates included). */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
			(s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	put(w, "\"", 1);
	while (*p) {
		const unsigned char *run = p;
		size_t n;

		/* The common case, plain text, goes in one copy. */
		while (*p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
			p++;
		put(w, run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p >= 0x80) {
			n = utf8_seq(p);
			if (n)
				put(w, p, n);
			else
				put(w, "\xef\xbf\xbd", 3);
			p += n ? n : 1;
			continue;
		}
		switch (*p) {
		case '"':  put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\b': put(w, "\\b", 2); break;
		case '\f': put(w, "\\f", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default: {
			char u[8];

			snprintf(u, sizeof(u), "\\u%04X", *p);
			put(w, u, 6);
		}
		}
		p++;
	}
	put(w, "\"", 1);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_str(w, key);
	put(w, ":", 1);
}

int jsonw_take(struct jsonw *w, char **text, size_t *len)
{
	if (!w->err && !grow(w, 0))
		return ENOMEM;
	if (w->err) {
		jsonw_free(w);
		return ENOMEM;
	}
	w->buf[w->len] = '\0';
	*text = w->buf;
	*len = w->len;
	jsonw_init(w);
	return 0;
}
