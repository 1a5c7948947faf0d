/* tz_rule: the POSIX TZ rule of a TZif footer ("EST5EDT,M3.2.0,M11.1.0"):
 * parsing it, and the offset it gives at a moment. Pure arithmetic on a
 * proleptic Gregorian calendar; the forms taken are listed in tz.c. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "base/tz_int.h"

/* The rule's arithmetic is done on times clamped to about +-35,000 years. */
static const int64_t CLAMP_S = (int64_t)1 << 40;

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Howard Hinnant's days_from_civil: days since 1970-01-01, proleptic
 * Gregorian (ivr/sched.c keeps its own copy; base has no calendar module). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	const int64_t era = floor_div(y, 400);
	const int64_t yoe = y - era * 400;
	const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int64_t year_of_days(int64_t z)
{
	z += 719468;
	const int64_t era = floor_div(z, 146097);
	const int64_t doe = z - era * 146097;
	const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int64_t mp = (5 * doy + 2) / 153;

	return yoe + era * 400 + (mp >= 10);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return days[m - 1] + (m == 2 && is_leap(y));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int p_name(const char **s)
{
	const char *p = *s;

	if (*p == '<') {
		const char *q = strchr(p, '>');
		if (!q || q - p < 4)
			return EBADMSG;
		*s = q + 1;
		return 0;
	}
	while (is_alpha(*p))
		p++;
	if (p - *s < 3)
		return EBADMSG;
	*s = p;
	return 0;
}

/* [+-]h[hh][:mm[:ss]] with hours up to maxh, into signed seconds. */
static int p_hms(const char **s, int maxh, int32_t *secs)
{
	const char *p = *s;
	int sign = 1, h = 0, part[2] = {0, 0};

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!is_digit(*p))
		return EBADMSG;
	for (int i = 0; i < 3 && is_digit(*p); i++)
		h = h * 10 + (*p++ - '0');
	if (h > maxh)
		return EBADMSG;
	for (int i = 0; i < 2 && *p == ':'; i++) {
		if (!is_digit(p[1]) || !is_digit(p[2]))
			return EBADMSG;
		part[i] = (p[1] - '0') * 10 + (p[2] - '0');
		if (part[i] > 59)
			return EBADMSG;
		p += 3;
	}
	*secs = sign * (h * 3600 + part[0] * 60 + part[1]);
	*s = p;
	return 0;
}

static int p_num(const char **s, int lo, int hi, int *v)
{
	const char *p = *s;
	int x = 0;

	if (!is_digit(*p))
		return EBADMSG;
	for (int i = 0; i < 3 && is_digit(*p); i++)
		x = x * 10 + (*p++ - '0');
	if (is_digit(*p) || x < lo || x > hi)
		return EBADMSG;
	*v = x;
	*s = p;
	return 0;
}

static int p_date(const char **s, struct tz_rule_date *r)
{
	int err;

	if (**s == 'J') {
		(*s)++;
		r->kind = 'J';
		err = p_num(s, 1, 365, &r->n);
	}
	else if (**s == 'M') {
		(*s)++;
		r->kind = 'M';
		err = p_num(s, 1, 12, &r->m);
		if (!err && *(*s)++ != '.')
			err = EBADMSG;
		if (!err)
			err = p_num(s, 1, 5, &r->w);
		if (!err && *(*s)++ != '.')
			err = EBADMSG;
		if (!err)
			err = p_num(s, 0, 6, &r->d);
	}
	else {
		r->kind = 'D';
		err = p_num(s, 0, 365, &r->n);
	}
	if (err)
		return err;
	r->secs = 7200;   /* POSIX: 02:00 when no time is given */
	if (**s == '/') {
		(*s)++;
		return p_hms(s, 167, &r->secs);
	}
	return 0;
}

/* "STDoff[DST[off][,start[/time],end[/time]]]"; offsets are west positive
 * in POSIX, so they are negated here. */
int tz_rule_parse(const char *s, struct tz_rule *r)
{
	int32_t secs;
	int err;

	memset(r, 0, sizeof(*r));
	if ((err = p_name(&s)) || (err = p_hms(&s, 24, &secs)))
		return err;
	r->std = -secs;
	if (!*s)
		return 0;
	if ((err = p_name(&s)))
		return err;
	r->has_dst = true;
	r->dst = r->std + 3600;
	if (*s != ',') {
		if ((err = p_hms(&s, 24, &secs)))
			return err;
		r->dst = -secs;
	}
	/* A DST name without a rule leaves the dates to the implementation:
	 * TZif footers never do that, so it is not a zone we can trust. */
	if (*s++ != ',' || (err = p_date(&s, &r->start)) || *s++ != ',' ||
	    (err = p_date(&s, &r->end)))
		return err ? err : EBADMSG;
	return *s ? EBADMSG : 0;
}

/* Days since 1970-01-01 of the rule's date in year y. */
static int64_t rule_day(const struct tz_rule_date *r, int64_t y)
{
	const int64_t jan1 = days_from_civil(y, 1, 1);

	switch (r->kind) {
	case 'J':
		return jan1 + r->n - 1 + (is_leap(y) && r->n >= 60);
	case 'D':
		return jan1 + r->n;
	default: {
		const int64_t first = days_from_civil(y, r->m, 1);
		const int wd = (int)((first % 7 + 7 + 4) % 7);   /* 0 = Sunday */
		int day = (r->d - wd + 7) % 7 + 7 * (r->w - 1);

		while (day >= month_days(y, r->m))
			day -= 7;
		return first + day;
	}
	}
}

int32_t tz_rule_offset(const struct tz_rule *r, int64_t utc)
{
	if (!r->has_dst)
		return r->std;
	if (utc > CLAMP_S)
		utc = CLAMP_S;
	if (utc < -CLAMP_S)
		utc = -CLAMP_S;

	/* The year as standard time sees it; each change is in the local time
	 * in force just before it (standard for the start, DST for the end). */
	const int64_t y = year_of_days(floor_div(utc + r->std, 86400));
	const int64_t start = rule_day(&r->start, y) * 86400 + r->start.secs -
			      r->std;
	const int64_t end = rule_day(&r->end, y) * 86400 + r->end.secs - r->dst;
	bool dst;

	if (start < end)
		dst = utc >= start && utc < end;
	else   /* southern hemisphere: DST spans the new year */
		dst = !(utc >= end && utc < start);
	return dst ? r->dst : r->std;
}
