/* sched: opening hours. Pure: the caller turns UTC into the schedule's
 * local wall-clock time (tz_load + tz_offset_s) and asks.
 *
 * The JSON shape (every key optional except "weekly"; any other key is an
 * error naming it):
 *
 *   {"tz": "Asia/Shanghai",
 *    "weekly": [{"days": ["mon","tue","wed","thu","fri"],
 *                "from": "09:00", "to": "18:00"},
 *               {"days": ["sat"], "from": "22:00", "to": "02:00"}],
 *    "holidays": ["2026-10-01..2026-10-08", "2027-01-01"],
 *    "workdays": ["2026-10-10", {"date": "2026-09-27", "as": "fri"}]}
 *
 *   tz        a zone name as tz_load() takes it ("UTC", "+08:00" too); only
 *             its spelling is checked here. "UTC" when absent.
 *   weekly    spans of opening hours: days are mon..sun; from and to are
 *             HH:MM, from inclusive, to exclusive; "to":"24:00" is the end
 *             of the day; from > to runs past midnight into the next day;
 *             from == to is refused (say "00:00"-"24:00" for all day). An
 *             empty list is a line that is always closed.
 *   holidays  closed all day: a date YYYY-MM-DD or a range FIRST..LAST
 *             (both included).
 *   workdays  调休, the make-up working days of the Chinese calendar: the
 *             day is worked with the hours of "as" (mon..sun; default
 *             "mon"), whatever its own weekday and even if it is also a
 *             holiday (the workday wins). A date is listed at most once.
 *
 * What always holds:
 *   (1) a span belongs to the day it starts: an overnight span begun on an
 *       open day runs into the next morning even if that is a holiday, and a
 *       holiday's own spans do not happen, overnight ones included;
 *   (2) a day is worked as exactly one weekday or not at all (holiday);
 *   (3) each list holds at most SCHED_MAX entries, so ivr_sched_open() is a
 *       bounded scan, cheap next to a call.
 * Dates are proleptic Gregorian, years 0001-9999. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/tz.h"
#include "ivr/ivr_text.h"

enum { SCHED_MAX = 1024, DAY_MIN = 24 * 60 };

struct span {
	uint8_t days;         /* bit 0 = mon … bit 6 = sun */
	uint16_t from, to;    /* minutes of the day; to in 1..1440 */
};

struct holiday {
	int32_t first, last;  /* days since 1970-01-01, both included */
};

struct workday {
	int32_t day;
	uint8_t as;           /* 0 = mon … 6 = sun */
};

struct ivr_sched {
	char tz[TZ_NAME_LEN];
	size_t nspan, nhol, nwork;
	struct span *span;    /* owned */
	struct holiday *hol;  /* owned */
	struct workday *work; /* owned */
};

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri",
					"sat", "sun"};

/* One-line reason into why: "path: message". Always EINVAL. */
static int refuse(char *why, size_t n, const char *path, const char *msg)
{
	if (why && n)
		snprintf(why, n, "%s: %s", path, msg);
	return EINVAL;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Howard Hinnant's days_from_civil (the same as base/tz_rule.c's). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	const int64_t era = floor_div(y, 400);
	const int64_t yoe = y - era * 400;
	const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* YYYY-MM-DD at s (exactly 10 characters) into days since 1970-01-01. */
static int parse_date(const char *s, int32_t *day)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);

	if (s[4] != '-' || s[7] != '-' || y < 1 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return EINVAL;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return EINVAL;
	*day = (int32_t)days_from_civil(y, m, d);
	return 0;
}

/* "HH:MM" into minutes; "24:00" only when end. */
static int parse_hhmm(const char *s, bool end, uint16_t *min)
{
	if (strlen(s) != 5 || s[2] != ':')
		return EINVAL;
	const int h = digits(s, 2), m = digits(s + 3, 2);

	if (h < 0 || m < 0 || m > 59 || h > 24 ||
	    (h == 24 && (m || !end)))
		return EINVAL;
	*min = (uint16_t)(h * 60 + m);
	return 0;
}

static int parse_day_name(const json_t *v, uint8_t *wd)
{
	const char *s = json_string_value(v);

	for (uint8_t i = 0; s && i < 7; i++) {
		if (!strcmp(s, day_names[i])) {
			*wd = i;
			return 0;
		}
	}
	return EINVAL;
}

/* EINVAL naming the first key of obj not in keys (a NULL-ended list). */
static int only_keys(const json_t *obj, const char *const *keys,
		     const char *path, char *why, size_t n)
{
	const char *key;
	json_t *v;
	char msg[96];

	json_object_foreach((json_t *)obj, key, v) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], key))
			i++;
		if (!keys[i]) {
			snprintf(msg, sizeof(msg), "unknown key \"%.64s\"", key);
			return refuse(why, n, path, msg);
		}
	}
	return 0;
}

static int parse_span(void *elem, const json_t *e, const char *path,
		      char *why, size_t n)
{
	struct span *sp = elem;
	static const char *const keys[] = {"days", "from", "to", NULL};
	const json_t *days = json_object_get(e, "days");
	char p[64];
	int err;

	if (!json_is_object(e))
		return refuse(why, n, path, "expected an object");
	if ((err = only_keys(e, keys, path, why, n)))
		return err;

	snprintf(p, sizeof(p), "%s.days", path);
	if (!json_is_array(days) || !json_array_size(days))
		return refuse(why, n, p, "expected a list of mon..sun");
	for (size_t i = 0; i < json_array_size(days); i++) {
		uint8_t wd;
		if (parse_day_name(json_array_get(days, i), &wd)) {
			snprintf(p, sizeof(p), "%s.days[%zu]", path, i);
			return refuse(why, n, p, "expected mon..sun");
		}
		sp->days |= (uint8_t)(1u << wd);
	}

	const char *from = json_string_value(json_object_get(e, "from"));
	snprintf(p, sizeof(p), "%s.from", path);
	if (!from || parse_hhmm(from, false, &sp->from))
		return refuse(why, n, p, "expected HH:MM");
	const char *to = json_string_value(json_object_get(e, "to"));
	snprintf(p, sizeof(p), "%s.to", path);
	if (!to || parse_hhmm(to, true, &sp->to))
		return refuse(why, n, p, "expected HH:MM (24:00 allowed)");
	if (sp->to == sp->from)
		return refuse(why, n, p, "equals from (00:00 to 24:00 is all day)");
	return 0;
}

static int parse_holiday(void *elem, const json_t *e, const char *path,
			 char *why, size_t n)
{
	struct holiday *h = elem;
	const char *s = json_string_value(e);
	const size_t len = s ? strlen(s) : 0;

	if (len == 10 && !parse_date(s, &h->first)) {
		h->last = h->first;
		return 0;
	}
	if (len == 22 && !strncmp(s + 10, "..", 2) && !parse_date(s, &h->first) &&
	    !parse_date(s + 12, &h->last)) {
		if (h->last < h->first)
			return refuse(why, n, path, "range ends before it starts");
		return 0;
	}
	return refuse(why, n, path, "expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD");
}

static int parse_workday(void *elem, const json_t *e, const char *path,
			 char *why, size_t n)
{
	struct workday *w = elem;
	static const char *const keys[] = {"date", "as", NULL};
	const json_t *date = e, *as = NULL;
	char p[64];
	int err;

	snprintf(p, sizeof(p), "%s", path);
	if (json_is_object(e)) {
		if ((err = only_keys(e, keys, path, why, n)))
			return err;
		date = json_object_get(e, "date");
		as = json_object_get(e, "as");
		snprintf(p, sizeof(p), "%s.date", path);
	}
	const char *s = json_string_value(date);
	if (!s || strlen(s) != 10 || parse_date(s, &w->day))
		return refuse(why, n, p, json_is_object(e) ? "expected YYYY-MM-DD" :
			      "expected YYYY-MM-DD or {\"date\":…,\"as\":…}");
	w->as = 0;   /* "mon": a make-up day is an ordinary working day */
	if (as && parse_day_name(as, &w->as)) {
		snprintf(p, sizeof(p), "%s.as", path);
		return refuse(why, n, p, "expected mon..sun");
	}
	return 0;
}

/* Parses one entry of a list into elem, naming path in its refusal. */
typedef int (parse_fn)(void *elem, const json_t *e, const char *path,
		       char *why, size_t n);

/* The list at key (absent is empty) into *arrp, an array the caller frees,
 * of *cnt entries of size bytes each. */
static int parse_list(const json_t *v, const char *key, size_t size,
		      parse_fn *parse, void **arrp, size_t *cnt, char *why,
		      size_t n)
{
	const json_t *a = json_object_get(v, key);
	char *arr;
	char path[32];
	int err;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return refuse(why, n, key, "expected an array");
	if (json_array_size(a) > SCHED_MAX)
		return refuse(why, n, key, "more than 1024 entries");
	arr = calloc(json_array_size(a) + 1, size);
	if (!arr)
		return ENOMEM;
	*arrp = arr;   /* the caller frees it, filled or not */
	for (size_t i = 0; i < json_array_size(a); i++) {
		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if ((err = parse(arr + i * size, json_array_get(a, i), path, why,
				 n)))
			return err;
		(*cnt)++;
	}
	return 0;
}

int ivr_sched_parse(struct ivr_sched **sp, const json_t *v, char *why,
		    size_t n)
{
	static const char *const keys[] = {"tz", "weekly", "holidays",
					   "workdays", NULL};
	struct ivr_sched *s = NULL;
	int err;

	if (!json_is_object(v))
		return refuse(why, n, "schedule", "expected an object");
	if ((err = only_keys(v, keys, "schedule", why, n)))
		return err;
	if (!json_object_get(v, "weekly"))
		return refuse(why, n, "weekly", "required");

	const json_t *tz = json_object_get(v, "tz");
	if (tz && (!json_is_string(tz) || tz_name_check(json_string_value(tz))))
		return refuse(why, n, "tz", "expected a zone name such as "
			      "\"Asia/Shanghai\" or \"+08:00\"");

	s = calloc(1, sizeof(*s));
	if (!s)
		return ENOMEM;
	strcpy(s->tz, tz ? json_string_value(tz) : "UTC");  /* checked length */

	void *span = NULL, *hol = NULL, *work = NULL;
	err = parse_list(v, "weekly", sizeof(*s->span), parse_span, &span,
			 &s->nspan, why, n);
	s->span = span;
	if (!err)
		err = parse_list(v, "holidays", sizeof(*s->hol), parse_holiday,
				 &hol, &s->nhol, why, n);
	s->hol = hol;
	if (!err)
		err = parse_list(v, "workdays", sizeof(*s->work), parse_workday,
				 &work, &s->nwork, why, n);
	s->work = work;
	if (err)
		goto out;

	/* A date worked twice would have two sets of hours. */
	for (size_t i = 0; i < s->nwork; i++) {
		for (size_t j = 0; j < i; j++) {
			if (s->work[i].day == s->work[j].day) {
				char p[32];
				snprintf(p, sizeof(p), "workdays[%zu]", i);
				err = refuse(why, n, p, "date listed twice");
				goto out;
			}
		}
	}
 out:
	if (err)
		ivr_sched_free(s);
	else
		*sp = s;
	return err;
}

void ivr_sched_free(struct ivr_sched *s)
{
	if (!s)
		return;
	free(s->span);
	free(s->hol);
	free(s->work);
	free(s);
}

const char *ivr_sched_tz(const struct ivr_sched *s)
{
	return s->tz;
}

/* The weekday day is worked as (0 = mon), or -1: a holiday. (2) */
static int worked_as(const struct ivr_sched *s, int64_t day)
{
	for (size_t i = 0; i < s->nwork; i++)
		if (s->work[i].day == day)
			return s->work[i].as;
	for (size_t i = 0; i < s->nhol; i++)
		if (s->hol[i].first <= day && day <= s->hol[i].last)
			return -1;
	return (int)((day % 7 + 7 + 3) % 7);   /* 1970-01-01 was a Thursday */
}

bool ivr_sched_open(const struct ivr_sched *s, int64_t local_ms)
{
	/* Not local_ms - day * 86400000: that overflows near INT64_MIN. */
	const int64_t rem = local_ms % 86400000;
	const int64_t day = local_ms / 86400000 - (rem < 0);
	const int min = (int)((rem < 0 ? rem + 86400000 : rem) / 60000);
	const int today = worked_as(s, day);
	const int yesterday = worked_as(s, day - 1);

	for (size_t i = 0; i < s->nspan; i++) {
		const struct span *sp = &s->span[i];
		/* Today's spans; an overnight one runs to midnight here. */
		if (today >= 0 && (sp->days & (1u << today)) && min >= sp->from &&
		    (sp->from > sp->to || min < sp->to))
			return true;
		/* Yesterday's overnight spans, in their morning part. (1) */
		if (yesterday >= 0 && (sp->days & (1u << yesterday)) &&
		    sp->from > sp->to && min < sp->to)
			return true;
	}
	return false;
}

int64_t ivr_sched_next_edge(const struct ivr_sched *s, int64_t local_ms)
{
	const int64_t rem = local_ms % 86400000;
	const int64_t day = local_ms / 86400000 - (rem < 0);
	const int min = (int)((rem < 0 ? rem + 86400000 : rem) / 60000);
	int next = DAY_MIN;

	/* Openness is a function of the day's and the day before's worked-as
	 * weekday and of the minute: within a day it changes only where a
	 * span starts or ends, and between days only at midnight. */
	for (size_t i = 0; i < s->nspan; i++) {
		if (s->span[i].from > min && s->span[i].from < next)
			next = s->span[i].from;
		if (s->span[i].to > min && s->span[i].to < next)
			next = s->span[i].to;
	}
	return day * 86400000 + (int64_t)next * 60000;
}
