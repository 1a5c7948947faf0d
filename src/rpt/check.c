/* rpt/check: what a report request may ask, decided before anything is
 * read (pure: no I/O, no clock), and the few value rules every format
 * shares. A request the report cannot answer is refused with the
 * parameter named, never read and cut short. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "rpt/rpt_int.h"

static const char *const filter_names[5] = {
	"queue", "agent", "trunk", "department", "region",
};

static const char *const type_names[] = {
	[RPT_TEXT] = "text", [RPT_INT] = "int", [RPT_NUM1] = "num1",
	[RPT_NUM2] = "num2", [RPT_TIME] = "time",
};

/* "+08:00", "-05:30", "Z": minutes east of UTC. */
static int tz_parse(const char *s, int32_t *min)
{
	int h, m;
	char sign, end;

	if (!strcmp(s, "Z") || !strcmp(s, "UTC")) {
		*min = 0;
		return 0;
	}
	if (sscanf(s, "%c%2d:%2d%c", &sign, &h, &m, &end) != 3 ||
	    (sign != '+' && sign != '-') || strlen(s) != 6 || h > 14 ||
	    m > 59)
		return EINVAL;
	*min = (sign == '-' ? -1 : 1) * (h * 60 + m);
	return 0;
}

static void group_words(const struct rpt_def *def, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < def->ngroups && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					i ? ", " : "", def->groups[i]);
}

static int check_group(const struct rpt_def *def, const char *g,
		       struct rpt_req *r, char *why, size_t n)
{
	char words[256];

	if (def->kind == RPT_DETAIL) {
		if (g && *g) {
			snprintf(why, n, "group: %s is a detail report, one row "
				 "per record; it has no grouping", def->id);
			return EINVAL;
		}
		return 0;
	}
	if (!g || !*g)
		g = def->groups[0];
	if (!rpt_def_groups_by(def, g)) {
		group_words(def, words, sizeof(words));
		snprintf(why, n, "group: %s cannot be grouped by '%.32s' (want "
			 "%s)", def->id, g, words);
		return EINVAL;
	}
	r->group = rpt_group_find(g);
	return r->group ? 0 : EINVAL;
}

static int check_period(const struct rpt_def *def, struct rpt_req *r,
			char *why, size_t n)
{
	const int64_t day = 86400000;
	int64_t days = def->kind == RPT_DETAIL ? RPT_DETAIL_DAYS
					       : RPT_SUMMARY_DAYS;

	if (r->to <= r->from) {
		snprintf(why, n, "from, to: the period is empty (want from "
			 "before to)");
		return EINVAL;
	}
	if ((r->to - r->from) / day > days ||
	    ((r->to - r->from) / day == days && (r->to - r->from) % day)) {
		snprintf(why, n, "from, to: %s covers at most %lld days",
			 def->id, (long long)days);
		return EINVAL;
	}
	if (r->group && r->group->span_s &&
	    (r->to - r->from) / (r->group->span_s * 1000) >= RPT_GROUPS_ROWS) {
		snprintf(why, n, "group: by %s the period would make more than "
			 "%d rows; narrow the period or group by a longer "
			 "time", r->group->name, RPT_GROUPS_ROWS);
		return EINVAL;
	}
	return 0;
}

int rpt_check(const struct rpt_def *def, const struct rpt_args *a,
	      struct rpt_req *r, char *why, size_t n)
{
	r->def = def;
	r->group = NULL;
	r->tz_min = 0;
	if (a->tz && *a->tz && tz_parse(a->tz, &r->tz_min)) {
		snprintf(why, n, "tz: want an offset such as +08:00");
		return EINVAL;
	}
	r->format = RPT_JSON;
	if (a->format && *a->format) {
		if (!strcmp(a->format, "csv"))
			r->format = RPT_CSV;
		else if (!strcmp(a->format, "xlsx"))
			r->format = RPT_XLSX;
		else if (strcmp(a->format, "json")) {
			snprintf(why, n, "format: want json, csv or xlsx");
			return EINVAL;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(filter_names); i++) {
		const char *v = a->filter[i];

		r->filter[i][0] = '\0';
		if (!v || !*v)
			continue;
		if (!(def->filters & (1u << i))) {
			snprintf(why, n, "%s: %s takes no %s filter",
				 filter_names[i], def->id, filter_names[i]);
			return EINVAL;
		}
		if (strlen(v) >= RPT_ARG_LEN) {
			snprintf(why, n, "%s: at most %d characters",
				 filter_names[i], RPT_ARG_LEN - 1);
			return EINVAL;
		}
		util_strlcpy(r->filter[i], v, RPT_ARG_LEN);
	}
	if (check_group(def, a->group, r, why, n))
		return EINVAL;
	return check_period(def, r, why, n);
}

static json_t *col_json(const char *key, const char *zh, const char *en,
			enum rpt_type t)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "key", key, "zh", zh, "en",
			 en, "type", type_names[t]);
}

json_t *rpt_columns(const struct rpt_req *r)
{
	const struct rpt_def *d = r->def;
	json_t *cols = json_array();

	if (r->group) {
		json_array_append_new(cols, col_json("key", r->group->zh,
						     r->group->en, RPT_TEXT));
		if (r->group->label)
			json_array_append_new(cols, col_json("label", "名称",
							     "Name", RPT_TEXT));
	}
	for (size_t i = 0; i < d->ncols; i++)
		json_array_append_new(cols, col_json(d->cols[i].key,
			d->cols[i].zh, d->cols[i].en, d->cols[i].type));
	return cols;
}

double rpt_round(enum rpt_type t, double v)
{
	switch (t) {
	case RPT_INT:  return round(v);
	case RPT_NUM1: return round(v * 10) / 10;
	case RPT_NUM2: return round(v * 100) / 100;
	default:       return v;
	}
}

void rpt_time_text(char out[UTIL_TIME_LEN], int64_t t, int32_t tz_min)
{
	time_t s = (time_t)((t - (t % 1000 + 1000) % 1000) / 1000) +
		   (time_t)tz_min * 60;
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(out, UTIL_TIME_LEN, "%Y-%m-%d %H:%M:%S", &tm);
}

json_t *rpt_value(enum rpt_type t, double v, bool null, int32_t tz)
{
	char buf[UTIL_TIME_LEN];

	if (null || !isfinite(v))
		return json_null();
	switch (t) {
	case RPT_INT:
		return json_integer((json_int_t)llround(v));
	case RPT_TIME:
		rpt_time_text(buf, (int64_t)v, tz);
		return json_string(buf);
	default:
		return json_real(rpt_round(t, v));
	}
}
