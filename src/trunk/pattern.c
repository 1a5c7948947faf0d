/* trunk/pattern: dial plan patterns. regcomp says whether a pattern is a
 * POSIX extended regex; this file also proves whether it can match a
 * dialled number at all, so "^abc$" or "^1$2" is refused when it is
 * configured rather than found out by a caller who gets 404.
 *
 * The proof walks the regex once. Each piece of it is summarised by the
 * set of ways it can match a string of digits, a way being three bits:
 * whether it passes a ^, whether it passes a $, whether it consumes a
 * character. Joining two pieces drops the ways that consume before a ^ or
 * after a $; alternation unites; repetition joins until nothing new
 * appears. The pattern can match a number when a way that consumes is
 * left. Eight ways fit in a byte, so every step is a few bit operations. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/util.h"
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

enum { W_CARET = 1, W_DOLLAR = 2, W_EATS = 4 };

#define WAY(w) ((uint8_t)(1u << (w)))

struct scan {
	const char *p;
	bool unknown;               /* met something the walk cannot read */
};

static uint8_t join(uint8_t a, uint8_t b)
{
	uint8_t out = 0;

	for (unsigned x = 0; x < 8; x++) {
		if (!(a & WAY(x)))
			continue;
		for (unsigned y = 0; y < 8; y++) {
			if (!(b & WAY(y)))
				continue;
			if (((x & W_DOLLAR) && (y & W_EATS)) ||
			    ((y & W_CARET) && (x & W_EATS)))
				continue;
			out |= WAY(x | y);
		}
	}
	return out;
}

static uint8_t star(uint8_t a)
{
	uint8_t s = WAY(0), prev;

	do {
		prev = s;
		s |= join(s, a);
	} while (s != prev);
	return s;
}

/* The digits a bracket expression admits, as bits 0..9 (at '[' + 1). */
static unsigned bracket(struct scan *sc)
{
	static const struct {
		const char *name;
		bool digits;
	} classes[] = {
		{"digit", true}, {"alnum", true}, {"xdigit", true},
		{"print", true}, {"graph", true}, {"alpha", false},
		{"upper", false}, {"lower", false}, {"space", false},
		{"blank", false}, {"punct", false}, {"cntrl", false},
	};
	const char *p = sc->p;
	bool neg = *p == '^';
	unsigned set = 0;
	bool first = true;

	if (neg)
		p++;
	while (*p && (first || *p != ']')) {
		first = false;
		if (p[0] == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");
			size_t len = end ? (size_t)(end - p - 2) : 0;
			bool known = false;

			for (size_t i = 0; end && i < ARRAY_LEN(classes); i++) {
				if (strlen(classes[i].name) == len &&
				    !strncmp(classes[i].name, p + 2, len)) {
					set |= classes[i].digits ? 0x3ffu : 0;
					known = true;
				}
			}
			if (!known)
				sc->unknown = true;
			p = end ? end + 2 : p + strlen(p);
			continue;
		}
		if (p[0] == '[' && (p[1] == '=' || p[1] == '.')) {
			sc->unknown = true;
			break;
		}
		char lo = *p, hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 3;
		}
		else {
			p++;
		}
		for (char d = '0'; d <= '9'; d++) {
			if (d >= lo && d <= hi)
				set |= 1u << (d - '0');
		}
	}
	sc->p = *p ? p + 1 : p;
	return neg ? ~set & 0x3ffu : set;
}

static uint8_t alt(struct scan *sc);

static uint8_t atom(struct scan *sc)
{
	char ch = *sc->p++;

	switch (ch) {
	case '(': {
		uint8_t in = alt(sc);
		if (*sc->p == ')')
			sc->p++;
		else
			sc->unknown = true;
		return in;
	}
	case '[':
		return bracket(sc) ? WAY(W_EATS) : 0;
	case '.':
		return WAY(W_EATS);
	case '^':
		return WAY(W_CARET);
	case '$':
		return WAY(W_DOLLAR);
	case '\\':
		ch = *sc->p ? *sc->p++ : '\\';
		/* \1 … is a back-reference (a GNU extension): any way. */
		if (ch >= '1' && ch <= '9')
			return WAY(0) | WAY(W_EATS);
		return ch >= '0' && ch <= '9' ? WAY(W_EATS) : 0;
	default:
		return ch >= '0' && ch <= '9' ? WAY(W_EATS) : 0;
	}
}

/* {m}, {m,}, {m,n} at '{' + 1; false when it is no bound. */
static bool bound(struct scan *sc, unsigned *m, unsigned *n, bool *open)
{
	unsigned a = 0, b = 0;
	const char *p = sc->p;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		a = a * 10 + (unsigned)(*p++ - '0');
	*open = false;
	b = a;
	if (*p == ',') {
		p++;
		if (*p == '}') {
			*open = true;
		}
		else {
			b = 0;
			while (*p >= '0' && *p <= '9')
				b = b * 10 + (unsigned)(*p++ - '0');
		}
	}
	if (*p != '}' || a > RE_DUP_MAX || b > RE_DUP_MAX || (!*open && b < a))
		return false;
	sc->p = p + 1;
	*m = a;
	*n = b;
	return true;
}

static uint8_t repeat(struct scan *sc, uint8_t a)
{
	for (;;) {
		unsigned m, n;
		bool open;

		if (*sc->p == '*') {
			sc->p++;
			a = star(a);
		}
		else if (*sc->p == '+') {
			sc->p++;
			a = join(a, star(a));
		}
		else if (*sc->p == '?') {
			sc->p++;
			a |= WAY(0);
		}
		else if (*sc->p == '{') {
			uint8_t r = WAY(0), all;

			sc->p++;
			if (!bound(sc, &m, &n, &open)) {
				sc->unknown = true;
				return a;
			}
			for (unsigned i = 0; i < m; i++)
				r = join(r, a);
			if (open) {
				a = join(r, star(a));
				continue;
			}
			all = r;
			for (unsigned i = m; i < n; i++) {
				r = join(r, a);
				all |= r;
			}
			a = all;
		}
		else {
			return a;
		}
	}
}

static uint8_t concat(struct scan *sc)
{
	uint8_t s = WAY(0);

	while (*sc->p && *sc->p != '|' && *sc->p != ')')
		s = join(s, repeat(sc, atom(sc)));
	return s;
}

static uint8_t alt(struct scan *sc)
{
	uint8_t s = concat(sc);

	while (*sc->p == '|') {
		sc->p++;
		s |= concat(sc);
	}
	return s;
}

int trunk_pattern_check(const char *pattern, char *why, size_t n)
{
	struct scan sc = {.p = pattern};
	char msg[128];
	uint8_t ways;
	regex_t re;
	int rc;

	if (!pattern || !*pattern) {
		snprintf(why, n, "pattern: want a POSIX extended regex");
		return EINVAL;
	}
	if (strlen(pattern) >= TRUNK_PATTERN_SZ) {
		snprintf(why, n, "pattern: longer than %d bytes",
			 TRUNK_PATTERN_SZ - 1);
		return EINVAL;
	}
	rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, &re, msg, sizeof(msg));
		snprintf(why, n, "pattern: does not compile (%s)", msg);
		return EINVAL;
	}
	regfree(&re);
	ways = alt(&sc);
	if (*sc.p)
		sc.unknown = true;      /* a stray ')' regcomp took as a char */
	if (sc.unknown)
		return 0;
	for (unsigned w = 0; w < 8; w++) {
		if ((ways & WAY(w)) && (w & W_EATS))
			return 0;
	}
	snprintf(why, n, "pattern: can never match a number (no string of "
		 "digits fits it)");
	return EINVAL;
}

bool trunk_pattern_match(const regex_t *re, const char *number)
{
	regmatch_t m;

	/* POSIX matching is leftmost-longest: the match at 0 covers the
	 * whole number if any match there does. */
	return re && number &&
		!regexec(re, number, 1, &m, 0) && m.rm_so == 0 &&
		(size_t)m.rm_eo == strlen(number);
}
