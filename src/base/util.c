/* util: the few helpers every module needs; nothing here keeps state. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include "base/util.h"

int64_t util_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t util_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void split(int64_t ms, struct tm *tm, int *frac)
{
	time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	*frac = (int)(ms - (int64_t)s * 1000);
	gmtime_r(&s, tm);
}

void util_rfc3339(char buf[UTIL_TIME_LEN], int64_t ms)
{
	struct tm tm;
	int frac;
	split(ms, &tm, &frac);
	strftime(buf, UTIL_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void util_rfc3339_ms(char buf[UTIL_TIME_LEN], int64_t ms)
{
	struct tm tm;
	char base[24];
	int frac;
	split(ms, &tm, &frac);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, UTIL_TIME_LEN, "%s.%03dZ", base, frac);
}

/* Reads exactly n digits. */
static int digits(const char **p, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		const char c = (*p)[i];
		if (c < '0' || c > '9')
			return EINVAL;
		x = x * 10 + (c - '0');
	}
	*p += n;
	*v = x;
	return 0;
}

/* Consumes one character if it is one of set. */
static bool expect(const char **p, const char *set)
{
	if (!**p || !strchr(set, **p))
		return false;
	(*p)++;
	return true;
}

/* Strict on purpose (strptime is not: it skips blanks, takes one-digit
 * fields, and timegm turns Feb 30 into Mar 2), so a bad timestamp in an API
 * request is an error instead of another time. */
int util_parse_rfc3339(const char *s, int64_t *ms)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct tm tm = {0};
	const char *p = s;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	int64_t frac = 0, scale = 1000;
	bool leap;

	if (!s || digits(&p, 4, &y) || !expect(&p, "-") || digits(&p, 2, &mo) ||
	    !expect(&p, "-") || digits(&p, 2, &d) || !expect(&p, "Tt") ||
	    digits(&p, 2, &h) || !expect(&p, ":") || digits(&p, 2, &mi) ||
	    !expect(&p, ":") || digits(&p, 2, &sec))
		return EINVAL;
	if (expect(&p, ".")) {
		if (*p < '0' || *p > '9')
			return EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
		}
	}
	if (!expect(&p, "Zz")) {
		if (*p != '+' && *p != '-')
			return EINVAL;
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh) || !expect(&p, ":") || digits(&p, 2, &om) ||
		    oh > 23 || om > 59)
			return EINVAL;
	}
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (*p || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 || sec > 60)
		return EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;            /* 60, a leap second, becomes :00 next minute */
	*ms = ((int64_t)timegm(&tm) - sign * (oh * 60 + om) * 60) * 1000 + frac;
	return 0;
}

void util_random_id(char out[UTIL_ID_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
		if (n > 0)
			got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(b); i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[32] = '\0';
}

int util_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);
	if (!n)
		return ENOSPC;
	if (len >= n) {
		memcpy(dst, src, n - 1);
		dst[n - 1] = '\0';
		return ENOSPC;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

int util_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || *s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < lo || x > hi)
		return EINVAL;
	*v = x;
	return 0;
}

int util_parse_hostport(const char *s, char *host, size_t n, uint16_t *port)
{
	const char *colon, *h = s;
	size_t hl;
	uint64_t p;

	if (!s)
		return EINVAL;
	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return EINVAL;
		h = s + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	}
	else {
		/* An IPv6 address needs brackets to carry a port: in
		 * "::1:5060" the port is a guess. */
		colon = strchr(s, ':');
		if (!colon || strchr(colon + 1, ':'))
			return EINVAL;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= n || util_parse_u64(colon + 1, 0, 65535, &p))
		return EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (uint16_t)p;
	return 0;
}

int util_hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}
