/* rpt/sql: a report's reads, on an api worker. The SQL is assembled from
 * the catalogue's row (catalog.c) and the checked request: the period and
 * the user's data scope always, then the filters the request gave, bound
 * as parameters (only fixed words of the catalogue are written into the
 * text, and the time zone's offset, a checked integer).
 *
 * A summary reads the total first, then the groups: a share is of the
 * total. Every derived value is made here, once, and rounded to its
 * column's decimals, so JSON, CSV and XLSX write the same number. A
 * detail pages by keyset over (time, id), oldest first. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "db/db.h"
#include "rpt/rpt_int.h"

enum { SQL_MAX = 16384 };

struct sql {
	char s[SQL_MAX];
	size_t len;
	int err;                       /* ENOSPC once it did not fit */
	const char *bind[RPT_FILTER_BINDS];
	size_t nbind;
	int64_t off_ms;
};

/* Appends text, "@O" becoming the time zone's offset in ms. */
static void put(struct sql *q, const char *text)
{
	for (const char *p = text; *p && !q->err; p++) {
		int n;

		if (p[0] == '@' && p[1] == 'O') {
			n = snprintf(q->s + q->len, SQL_MAX - q->len, "%" PRId64,
				     q->off_ms);
			p++;
		} else {
			n = snprintf(q->s + q->len, SQL_MAX - q->len, "%c", *p);
		}
		if (n < 0 || (size_t)n >= SQL_MAX - q->len)
			q->err = ENOSPC;
		else
			q->len += (size_t)n;
	}
}

static void put_bind(struct sql *q, const char *text, const char *v)
{
	put(q, text);
	if (q->nbind < RPT_FILTER_BINDS)
		q->bind[q->nbind++] = v;
	else
		q->err = E2BIG;
}

static const char *group_key(const struct rpt_req *r, char *buf, size_t n)
{
	const struct rpt_source *s = r->def->src;
	const struct rpt_group *g = r->group;

	switch (g->kind) {
	case RPT_G_AGENT:    return s->agent;
	case RPT_G_QUEUE:    return s->queue;
	case RPT_G_TRUNK:    return s->trunk;
	case RPT_G_PROVINCE: return s->province;
	case RPT_G_CITY:     return s->city;
	case RPT_G_TIME:
		snprintf(buf, n, "strftime('%s', (%s + @O) / 1000, "
			 "'unixepoch')", g->fmt, s->time);
		return buf;
	default:             return g->expr;
	}
}

/* FROM … WHERE: the report's condition, the period, the scope (binds:
 * from, to, then the API_SCOPE_NARGS scope words, which the caller
 * passes). The filters follow (put_filters), last, so that the binds of
 * the filters not given are the extra arguments no type letter reads. */
static void put_from(struct sql *q, const struct rpt_req *r)
{
	const struct rpt_source *s = r->def->src;

	put(q, " FROM ");
	put(q, s->from);
	put(q, " WHERE (");
	put(q, r->def->where);
	put(q, ") AND ");
	put(q, s->time);
	put(q, " >= ? AND ");
	put(q, s->time);
	put(q, " < ? AND ");
	put(q, s->scope);
}

/* The filters the request gave, each a bind of q->bind. */
static void put_filters(struct sql *q, const struct rpt_req *r)
{
	const struct rpt_source *s = r->def->src;
	const char (*f)[RPT_ARG_LEN] = r->filter;

	if (*f[0]) {
		put(q, " AND ");
		put_bind(q, s->queue, f[0]);
		put(q, " = ?");
	}
	if (*f[1]) {
		put(q, " AND ");
		put_bind(q, s->agent, f[1]);
		put(q, " = ?");
	}
	if (*f[2]) {
		put(q, " AND ");
		put_bind(q, s->trunk, f[2]);
		put(q, " = ?");
	}
	if (*f[3]) {
		put(q, " AND ");
		put(q, s->agent);
		put_bind(q, " IN " API_DEPT_EXTENSIONS, f[3]);
	}
	if (*f[4]) {
		put(q, " AND (");
		put_bind(q, s->province, f[4]);
		put_bind(q, " = ? OR ", f[4]);
		put(q, s->city);
		put(q, " = ?)");
	}
}

static void types_of(const struct sql *q, const char *head, char *out,
		     size_t n)
{
	snprintf(out, n, "%s%.*s", head, (int)q->nbind, "tttttttt");
}

/* ---- summary */

/* One group's raw aggregates, kept until the total is known. */
struct raw {
	char *key, *label;
	double m[RPT_MEASURES_MAX];
	bool null[RPT_MEASURES_MAX];
};

struct sum_rows {
	const struct rpt_req *r;
	struct raw *v;            /* the groups, in order */
	size_t n, cap;
	double total[RPT_MEASURES_MAX];
	bool total_null[RPT_MEASURES_MAX];
	bool is_total;            /* the row read is the total's */
	int err;
};

/* How a measure's groups add up to the total: 's' a sum (SUM, COUNT(*)),
 * 'n' a MIN, 'x' a MAX, 0 when they do not (COUNT(DISTINCT …)). */
static char combines(const char *m)
{
	return !strncmp(m, "SUM(", 4) || !strcmp(m, "COUNT(*)") ? 's' :
	       !strncmp(m, "MIN(", 4) ? 'n' : !strncmp(m, "MAX(", 4) ? 'x' : 0;
}

/* The columns of one group (or the total) from its aggregates m. */
static json_t *derive(const struct sum_rows *s, const double *m,
		      const bool *null, bool is_total, json_t *o)
{
	const struct rpt_req *r = s->r;
	double period_s = (double)(r->to - r->from) / 1000;

	for (size_t i = 0; i < r->def->ncols; i++) {
		const struct rpt_col *c = &r->def->cols[i];
		double scale = c->scale ? c->scale : 1, v = 0;
		bool nul = null[c->a];

		switch (c->how) {
		case RPT_D_RAW:
			/* a sum of no rows is 0; a MIN or MAX of none, none */
			v = m[c->a] * scale;
			nul = nul && combines(r->def->measures[c->a]) != 's';
			break;
		case RPT_D_DIV:
			nul = m[c->b] == 0;
			v = nul ? 0 : m[c->a] / m[c->b] * scale;
			break;
		case RPT_D_SHARE:
			nul = s->total[c->a] == 0;
			v = nul ? 0 : m[c->a] / s->total[c->a] * 100;
			break;
		case RPT_D_SPAN:
			if (!is_total && r->group->kind == RPT_G_TIME)
				period_s = (double)r->group->span_s;
			nul = period_s <= 0;
			v = nul ? 0 : m[c->a] / period_s;
			break;
		case RPT_D_TIME:
			v = m[c->a];
			break;
		}
		json_object_set_new(o, c->key, rpt_value(c->type, v, nul,
						      r->tz_min));
	}
	return o;
}

static char *dup_text(const struct db_row *row, int i)
{
	const char *t = db_row_text(row, i);

	return db_row_isnull(row, i) ? NULL : strdup(t ? t : "");
}

static int sum_row(const struct db_row *row, void *arg)
{
	struct sum_rows *s = arg;
	size_t nm = s->r->def->nmeasures, first = s->is_total ? 0 : 2;
	struct raw *g;

	if (s->is_total) {
		for (size_t i = 0; i < nm; i++) {
			s->total[i] = db_row_double(row, (int)i);
			s->total_null[i] = db_row_isnull(row, (int)i);
		}
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct raw *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	g = &s->v[s->n++];
	memset(g, 0, sizeof(*g));
	g->key = strdup(db_row_text(row, 0) ?: "");
	g->label = dup_text(row, 1);
	for (size_t i = 0; i < nm; i++) {
		g->m[i] = db_row_double(row, (int)(first + i));
		g->null[i] = db_row_isnull(row, (int)(first + i));
	}
	return g->key ? 0 : ENOMEM;
}

static bool combinable(const struct rpt_def *d)
{
	for (size_t i = 0; i < d->nmeasures; i++)
		if (!combines(d->measures[i]))
			return false;
	return true;
}

/* The total from the groups: every row is in exactly one group. */
static void combine(struct sum_rows *s)
{
	const struct rpt_def *d = s->r->def;

	for (size_t i = 0; i < d->nmeasures; i++) {
		char how = combines(d->measures[i]);

		s->total[i] = 0;
		s->total_null[i] = how != 's';
		for (size_t k = 0; k < s->n; k++) {
			const struct raw *g = &s->v[k];

			if (g->null[i])
				continue;
			if (how == 's' || s->total_null[i] ||
			    (how == 'n' ? g->m[i] < s->total[i]
					: g->m[i] > s->total[i]))
				s->total[i] = how == 's' ? s->total[i] + g->m[i]
							 : g->m[i];
			s->total_null[i] = false;
		}
	}
}

static int query(struct db *db, const struct sql *q, const char *head,
		 const char *const sc[API_SCOPE_NARGS], int64_t from,
		 int64_t to, db_row_h *h, void *arg)
{
	char types[32];
	const char *const *b = q->bind;

	types_of(q, head, types, sizeof(types));
	return db_query(db, h, arg, q->s, types, from, to, sc[0], sc[1], sc[2],
			sc[3], sc[4], b[0], b[1], b[2], b[3], b[4], b[5], b[6],
			b[7]);
}

/* The total's own read, for measures the groups cannot add up. */
static int read_total(struct db *db, const struct rpt_req *r,
		      const char *const sc[API_SCOPE_NARGS], struct sql *q,
		      struct sum_rows *s)
{
	const struct rpt_def *d = r->def;

	memset(q, 0, sizeof(*q));
	q->off_ms = (int64_t)r->tz_min * 60000;
	put(q, "SELECT ");
	for (size_t i = 0; i < d->nmeasures; i++) {
		put(q, i ? ", " : "");
		put(q, d->measures[i]);
	}
	put_from(q, r);
	put_filters(q, r);
	s->is_total = true;
	return q->err ? q->err : query(db, q, "ii" API_SCOPE_TYPES, sc,
				       r->from, r->to, sum_row, s);
}

static int read_groups(struct db *db, const struct rpt_req *r,
		       const char *const sc[API_SCOPE_NARGS], struct sql *q,
		       struct sum_rows *s)
{
	const struct rpt_def *d = r->def;
	char key[512], alias[32];

	memset(q, 0, sizeof(*q));
	q->off_ms = (int64_t)r->tz_min * 60000;
	put(q, "SELECT g.k, ");
	put(q, r->group->label ? r->group->label : "NULL");
	for (size_t i = 0; i < d->nmeasures; i++) {
		snprintf(alias, sizeof(alias), ", g.m%zu", i);
		put(q, alias);
	}
	put(q, " FROM (SELECT ");
	put(q, group_key(r, key, sizeof(key)));
	put(q, " AS k, ");
	put(q, r->group->order ? r->group->order : "0");
	put(q, " AS o");
	for (size_t i = 0; i < d->nmeasures; i++) {
		snprintf(alias, sizeof(alias), " AS m%zu", i);
		put(q, ", ");
		put(q, d->measures[i]);
		put(q, alias);
	}
	put_from(q, r);
	put_filters(q, r);
	put(q, " GROUP BY 1) g ORDER BY g.o, g.k");
	s->is_total = false;
	return q->err ? q->err : query(db, q, "ii" API_SCOPE_TYPES, sc,
				       r->from, r->to, sum_row, s);
}

/* One scan when the groups add up to the total (most reports), two when
 * a measure counts distinct values. */
int rpt_run_summary(struct db *db, const struct rpt_req *r,
		    const struct api_user *u, json_t **rows, json_t **total)
{
	struct sum_rows s = {.r = r};
	const char *sc[API_SCOPE_NARGS];
	struct sql *q = calloc(1, sizeof(*q));
	bool one = combinable(r->def);
	int err;

	if (!q)
		return ENOMEM;
	api_scope_args(u, sc);
	err = read_groups(db, r, sc, q, &s);
	if (!err && one)
		combine(&s);
	else if (!err)
		err = read_total(db, r, sc, q, &s);
	free(q);
	*rows = json_array();
	*total = json_object();
	for (size_t k = 0; k < s.n; k++) {
		struct raw *g = &s.v[k];
		json_t *o = json_object();

		json_object_set_new(o, "key", json_string(g->key));
		if (r->group->label)
			json_object_set_new(o, "label", g->label ?
				json_string(g->label) : json_null());
		if (!err)
			json_array_append_new(*rows, derive(&s, g->m, g->null,
							    false, o));
		else
			json_decref(o);
		free(g->key);
		free(g->label);
	}
	free(s.v);
	json_object_set_new(*total, "key", json_string("合计"));
	derive(&s, s.total, s.total_null, true, *total);
	return err;
}

/* ---- detail */

struct det_rows {
	const struct rpt_req *r;
	struct rpt_sink *sink;    /* the rows go there, when set */
	json_t *out;
	size_t limit, n;
	int64_t last_ts;
	char last_id[UTIL_ID_LEN];
};

static int det_row(const struct db_row *row, void *arg)
{
	struct det_rows *d = arg;
	const struct rpt_def *def = d->r->def;
	json_t *o;

	if (++d->n > d->limit)
		return 0;
	o = json_object();
	for (size_t i = 0; i < def->ncols; i++) {
		const struct rpt_col *c = &def->cols[i];
		bool null = db_row_isnull(row, (int)i);

		if (c->type == RPT_TEXT)
			json_object_set_new(o, c->key, null ? json_null() :
				json_string(db_row_text(row, (int)i)));
		else
			json_object_set_new(o, c->key, rpt_value(c->type,
				db_row_double(row, (int)i), null,
				d->r->tz_min));
	}
	d->last_ts = db_row_int(row, (int)def->ncols);
	util_strlcpy(d->last_id, db_row_text(row, (int)def->ncols + 1) ?: "",
		     sizeof(d->last_id));
	if (d->sink) {
		int err = rpt_sink_row(d->sink, o);

		json_decref(o);
		return err;
	}
	return json_array_append_new(d->out, o) ? ENOMEM : 0;
}

int rpt_run_detail(struct db *db, const struct rpt_req *r,
		   const struct api_user *u, size_t limit,
		   struct rpt_sink *sink, json_t **rows, char *next)
{
	const struct rpt_def *def = r->def;
	const struct rpt_source *s = def->src;
	struct det_rows d = {.r = r, .sink = sink, .limit = limit};
	const char *sc[API_SCOPE_NARGS];
	struct sql *q = calloc(1, sizeof(*q));
	char types[40], tail[64];
	const char *const *b;
	int err;

	if (!q)
		return ENOMEM;
	api_scope_args(u, sc);
	put(q, "SELECT ");
	for (size_t i = 0; i < def->ncols; i++) {
		put(q, i ? ", " : "");
		put(q, def->cols[i].sql);
	}
	put(q, ", ");
	put(q, s->time);
	put(q, ", ");
	put(q, s->tie);
	put_from(q, r);
	/* After the cursor, written so that its time bounds the index range
	 * (an OR of the two alone made every page scan from the start). */
	put(q, " AND ");
	put(q, s->time);
	put(q, " >= ? AND (");
	put(q, s->time);
	put(q, " > ? OR ");
	put(q, s->tie);
	put(q, " > ?)");
	put_filters(q, r);
	put(q, " ORDER BY ");
	put(q, s->time);
	put(q, ", ");
	put(q, s->tie);
	snprintf(tail, sizeof(tail), " LIMIT %zu", limit + 1);
	put(q, tail);
	d.out = json_array();
	/* The cursor's binds come before the filters', as in the text. */
	snprintf(types, sizeof(types), "ii" API_SCOPE_TYPES "iit%.*s",
		 (int)q->nbind, "tttttttt");
	b = q->bind;
	err = q->err ? q->err : !d.out ? ENOMEM : db_query(db, det_row, &d,
		q->s, types, r->from, r->to, sc[0], sc[1], sc[2], sc[3],
		sc[4], r->c_ts, r->c_ts, r->c_id, b[0], b[1], b[2], b[3], b[4],
		b[5], b[6], b[7]);
	free(q);
	*rows = d.out;
	next[0] = '\0';
	if (!err && d.n > limit)
		api_cursor_encode(next, d.last_ts, d.last_id);
	return err;
}
