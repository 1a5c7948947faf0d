/* tz internals: the POSIX TZ rule a TZif footer carries (tz_rule.c), used
 * by the file reader (tz.c). Private to base/tz*. */
#ifndef HL_BASE_TZ_INT_H
#define HL_BASE_TZ_INT_H

#include <stdbool.h>
#include <stdint.h>

struct tz_rule_date {
	char kind;        /* 'J' (1..365, no Feb 29), 'D' (0..365), 'M' */
	int  n, m, w, d;  /* n for J and D; month, week 1..5 (5 = last), weekday */
	int32_t secs;     /* local time of day of the change */
};

struct tz_rule {
	int32_t std, dst;  /* offsets east of UTC */
	bool has_dst;
	struct tz_rule_date start, end;
};

/* "STDoff[DST[off],start[/time],end[/time]]" into *r; EBADMSG if it is not
 * one of the forms tz.c's top comment lists. */
int     tz_rule_parse(const char *s, struct tz_rule *r);

/* The rule's offset east of UTC at utc (any int64 value). */
int32_t tz_rule_offset(const struct tz_rule *r, int64_t utc);

#endif
