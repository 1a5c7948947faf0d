/* call/http_filter: the search filters of GET /api/v1/calls, one table row
 * per query parameter: its validation, the SQL condition it appends to
 * the list's WHERE and how its value is bound.
 *
 * Every value is bound as text, numbers too (CAST in the SQL), so the list
 * passes one array of binds whatever filters came: the condition is built,
 * the values never enter the SQL text. A filter a parameter does not name
 * is not in the SQL at all, so the indexes the remaining ones use are
 * planned for. Filters combine with AND; the keyset cursor stays valid
 * because it only narrows (started_at, id) further, whatever else narrows
 * the rows. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "api/http.h"
#include "audio/audio.h"
#include "call/http_int.h"

enum check {
	V_DIGITS,     /* a phone number or part of one: digits, a leading '+' */
	V_NAME,       /* an extension, queue or id: [0-9A-Za-z_.-] */
	V_TEXT,       /* any UTF-8 without control characters (region names) */
	V_SECONDS,    /* a whole number of seconds, 0..1 000 000 */
	V_DIRECTION,  /* what cdr.c writes: inbound, outbound, internal */
	V_FLAG,       /* 0 or 1: the condition or its opposite */
	V_PERCENT,    /* a whole percentage, 0..100 */
};

/* The department filter: calls answered by an extension of a user in the
 * department or any under it. */
#define IN_DEPARTMENT "agent IN " API_DEPT_EXTENSIONS

/* param: the query key. sql: the condition, each '?' bound to the value
 * shaped by bind ("%s" as given, "%%%s%%" contains, "%s%%" prefix); for
 * V_FLAG, sql holds for 1 and not_sql for 0, neither binds. */
static const struct filter {
	const char *param;
	enum check check;
	size_t maxlen;
	const char *sql;
	const char *bind;
	const char *not_sql;
	const char *want;         /* for the 400: what a good value is */
} filters[] = {
	{"number",        V_DIGITS,    32, "(caller LIKE ? OR callee LIKE ?)",
	 "%%%s%%", NULL, "digits of the calling or called number"},
	{"number_prefix", V_DIGITS,    32, "(caller LIKE ? OR callee LIKE ?)",
	 "%s%%", NULL, "the first digits of the calling or called number"},
	{"agent",         V_NAME,      32, "agent = ?", "%s", NULL,
	 "an extension"},
	{"department",    V_NAME,      64, IN_DEPARTMENT, "%s", NULL,
	 "a department id"},
	{"direction",     V_DIRECTION, 16, "direction = ?", "%s", NULL,
	 "inbound, outbound or internal"},
	{"queue",         V_NAME,      64, "queue = ?", "%s", NULL,
	 "a queue name"},
	{"min_duration",  V_SECONDS,   7,
	 "talk_s >= CAST(? AS INTEGER)", "%s", NULL, "seconds of talk, 0..1000000"},
	{"max_duration",  V_SECONDS,   7,
	 "talk_s <= CAST(? AS INTEGER)", "%s", NULL, "seconds of talk, 0..1000000"},
	{"province",      V_TEXT,      64, "province = ?", "%s", NULL,
	 "a province as calls list it"},
	{"city",          V_TEXT,      64, "city = ?", "%s", NULL,
	 "a city as calls list it"},
	{"wrapup",        V_NAME,      32, "wrapup_code = ?", "%s", NULL,
	 "a wrap-up code"},
	{"has_recording", V_FLAG,      1,
	 "recording IS NOT NULL AND recording <> ''", NULL,
	 "(recording IS NULL OR recording = '')", "0 or 1"},
	/* What the recording says (audio/): calls not measured yet, or
	 * whose file was missing or unreadable, match neither. */
	{"overtalk_pct_min", V_PERCENT, 3, AUDIO_SQL_OVERTALK_PCT_MIN, "%s",
	 NULL, "a whole percentage of the recording, 0..100"},
	{"silence_s_min", V_SECONDS,   7, AUDIO_SQL_SILENCE_S_MIN, "%s", NULL,
	 "seconds of the longest silence, 0..1000000"},
};

static bool valid(enum check check, const char *v)
{
	static const char *const directions[] = {"inbound", "outbound",
						 "internal"};
	uint64_t n;

	if (!*v)
		return false;
	switch (check) {
	case V_DIGITS:
		v += *v == '+';
		return *v && strspn(v, "0123456789") == strlen(v);
	case V_NAME:
		return strspn(v, "0123456789abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ_.-") == strlen(v);
	case V_TEXT:
		for (; *v; v++)
			if ((unsigned char)*v < 0x20 || *v == 0x7f)
				return false;
		return true;
	case V_SECONDS:
		return !util_parse_u64(v, 0, 1000000, &n);
	case V_DIRECTION:
		for (size_t i = 0; i < ARRAY_LEN(directions); i++)
			if (!strcmp(v, directions[i]))
				return true;
		return false;
	case V_FLAG:
		return !strcmp(v, "0") || !strcmp(v, "1");
	case V_PERCENT:
		return !util_parse_u64(v, 0, 100, &n);
	}
	return false;
}

static int append(struct call_filter *f, const char *sql)
{
	size_t len = strlen(f->sql);
	int n = snprintf(f->sql + len, sizeof(f->sql) - len, " AND %s", sql);

	return n < 0 || (size_t)n >= sizeof(f->sql) - len ? ENOSPC : 0;
}

/* Appends row's condition for value v, one bind per '?'. */
static int add(struct call_filter *f, const struct filter *row, const char *v)
{
	const char *sql = row->sql;

	if (row->check == V_FLAG)
		return append(f, strcmp(v, "1") ? row->not_sql : sql);
	for (const char *q = strchr(sql, '?'); q; q = strchr(q + 1, '?')) {
		if (f->n == CALL_FILTER_BINDS)
			return ENOSPC;
		snprintf(f->bind[f->n++], sizeof(f->bind[0]), row->bind, v);
	}
	return append(f, sql);
}

int call_filter_parse(struct api_req *req, struct call_filter *f)
{
	char v[CALL_FILTER_VALUE];

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < ARRAY_LEN(filters); i++) {
		const struct filter *row = &filters[i];
		int err = api_query_get(req->query, row->param, v, sizeof(v));

		if (err == ENOENT)
			continue;
		if (err || strlen(v) > row->maxlen || !valid(row->check, v)) {
			api_reply_error(req->conn, 400, "bad '%s' (want %s)",
					row->param, row->want);
			return EINVAL;
		}
		if (add(f, row, v)) {
			api_reply_error(req->conn, 400, "too many filters");
			return EINVAL;
		}
	}
	return 0;
}
