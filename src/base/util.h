/* util: clock, time formatting, random ids and small string helpers shared by
 * every module. Pure cores never call util_now_ms(): they take time as an
 * argument. */
#ifndef HL_BASE_UTIL_H
#define HL_BASE_UTIL_H

#include <stddef.h>
#include <stdint.h>

enum { UTIL_TIME_LEN = 32, UTIL_ID_LEN = 33 };

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Wall-clock milliseconds since the Unix epoch. */
int64_t util_now_ms(void);

/* Monotonic milliseconds, for intervals and timeouts only. */
int64_t util_mono_ms(void);

/* Writes ms as RFC 3339 UTC with seconds ("2026-11-23T16:40:00Z"). */
void util_rfc3339(char buf[UTIL_TIME_LEN], int64_t ms);

/* Same with milliseconds ("2026-11-23T16:40:00.123Z"), for logs. */
void util_rfc3339_ms(char buf[UTIL_TIME_LEN], int64_t ms);

/* Parses RFC 3339 ("…Z" or "…+08:00", optional fraction) into ms; EINVAL if
 * it is not one. */
int  util_parse_rfc3339(const char *s, int64_t *ms);

/* The value of one hex digit (0-9, a-f, A-F), or -1 for anything else. */
int  util_hexval(char ch);

/* Writes 32 random lowercase hex characters and a NUL: ids nobody can guess. */
void util_random_id(char out[UTIL_ID_LEN]);

/* Copies src into dst of size n, always NUL-terminated; ENOSPC if truncated. */
int  util_strlcpy(char *dst, const char *src, size_t n);

/* Parses a decimal unsigned integer in [lo, hi] with nothing after it. */
int  util_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *v);

/* Splits "HOST:PORT" ("[v6]:PORT" too) into host (size n) and port. */
int  util_parse_hostport(const char *s, char *host, size_t n, uint16_t *port);

#endif
