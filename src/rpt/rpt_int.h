/* rpt internals shared by the files of src/rpt/ and their unit tests: the
 * report catalogue's types (catalog.c), the checked request (check.c), the
 * SQL a report runs (sql.c) and the one writer of CSV and XLSX (export.c). */
#ifndef HL_RPT_INT_H
#define HL_RPT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/util.h"

enum {
	RPT_MEASURES_MAX = 10,    /* raw aggregates of a summary report */
	RPT_COLS_MAX     = 16,
	RPT_GROUPS_MAX   = 12,
	RPT_FILTER_BINDS = 8,     /* text binds the filters may take */
	RPT_ARG_LEN      = 64,
	RPT_PAGE_DEFAULT = 100,
	RPT_PAGE_MAX     = 1000,
	RPT_EXPORT_MAX   = 200000, /* rows of one CSV or XLSX download */
	RPT_SUMMARY_DAYS = 3660,   /* ten years, for year and month totals */
	RPT_DETAIL_DAYS  = 366,
	RPT_GROUPS_ROWS  = 10000,  /* time groups one period may make */
};

/* How a cell is written: JSON, CSV and XLSX all follow it, so a number is
 * the same in the three (decimals: the value is rounded once, to them). */
enum rpt_type {
	RPT_TEXT,
	RPT_INT,
	RPT_NUM1,      /* one decimal */
	RPT_NUM2,      /* two decimals (percentages, means) */
	RPT_TIME,      /* "YYYY-MM-DD HH:MM:SS" in the report's time zone */
};

/* Where a summary column's value comes from: the raw aggregates m[] of
 * its group (and, for RPT_D_SHARE, of the total). */
enum rpt_derive {
	RPT_D_RAW,     /* m[a] * scale (scale 0: 1) */
	RPT_D_DIV,     /* m[a] / m[b] * scale; null when m[b] is 0 */
	RPT_D_SHARE,   /* m[a] / total m[a] * 100; null when the total is 0 */
	RPT_D_SPAN,    /* m[a] / the group's seconds (Erlangs); null when the
			  group has no fixed length (month, hour of day) */
	RPT_D_TIME,    /* m[a] is Unix ms (a MIN or MAX); null when NULL */
};

struct rpt_col {
	const char *key, *zh, *en;
	enum rpt_type type;
	const char *sql;          /* detail: the column's expression */
	enum rpt_derive how;      /* summary: its value from the aggregates */
	int a, b;
	double scale;
};

/* What a group's key is made of. */
enum rpt_gkind {
	RPT_G_AGENT, RPT_G_QUEUE, RPT_G_TRUNK, RPT_G_PROVINCE, RPT_G_CITY,
	RPT_G_TIME,               /* fmt: strftime over the time column */
	RPT_G_EXPR,               /* expr as it is */
};

struct rpt_group {
	const char *name, *zh, *en;
	enum rpt_gkind kind;
	const char *fmt;          /* RPT_G_TIME */
	int64_t span_s;           /* RPT_G_TIME: a group's length; 0: none */
	const char *expr;         /* RPT_G_EXPR */
	const char *label;        /* SQL over g.k naming the key, or NULL */
	const char *order;        /* an aggregate to sort by, or NULL: key */
};

/* A table a report reads, and how its rows meet the filters and the
 * user's data scope. Every expression is SQL over the aliases of from. */
struct rpt_source {
	const char *from;
	const char *time;         /* Unix ms column of the period */
	const char *agent, *queue, *trunk, *province, *city;
	const char *scope;        /* a condition taking the API_SCOPE_NARGS
				     binds of api_scope_args, in order */
	const char *tie;          /* detail: the id after the time in the
				     cursor's order */
};

enum rpt_kind { RPT_SUMMARY, RPT_DETAIL };

enum rpt_filter {
	RPT_F_QUEUE = 1u << 0, RPT_F_AGENT = 1u << 1, RPT_F_TRUNK = 1u << 2,
	RPT_F_DEPT = 1u << 3, RPT_F_REGION = 1u << 4,
};

struct rpt_def {
	const char *id, *zh, *en;
	const char *manual;       /* the name in the platform manual */
	const char *section;      /* the manual's grouping: 业务报表 … */
	const char *doc;          /* one line: what a row is */
	enum rpt_kind kind;
	const struct rpt_source *src;
	const char *where;        /* the report's own condition */
	const char *const *measures;   /* summary: aggregates (SQL) */
	size_t nmeasures;
	const struct rpt_col *cols;
	size_t ncols;
	const char *const *groups;     /* summary: names, the default first */
	size_t ngroups;
	unsigned filters;              /* rpt_filter bits */
	unsigned roles;                /* api roles that may read it */
};

/* An event's data field, in SQL (SQLite's json_extract; docs/reports.md). */
#define RPT_J(x) "json_extract(e.data, '$." x "')"
/* An agent.state event that starts a not-ready span. */
#define RPT_NR_START "(" RPT_J("state") " = 'not_ready' AND " RPT_J("prev_state") \
	" <> 'not_ready')"

/* The tables the reports read (source.c). */
extern const struct rpt_source rpt_src_calls, rpt_src_handled,
	rpt_src_queue_events, rpt_src_agent_events, rpt_src_qa, rpt_src_ivr;

/* The catalogue: every report, in the console's order. */
const struct rpt_def *rpt_defs(size_t *n);
/* The report named id, or NULL. */
const struct rpt_def *rpt_def_find(const char *id);
/* The grouping named name, or NULL. */
const struct rpt_group *rpt_group_find(const char *name);
/* Whether def allows grouping g. */
bool rpt_def_groups_by(const struct rpt_def *def, const char *g);

/* A request, checked. Filters are "" when absent. */
struct rpt_req {
	const struct rpt_def *def;
	const struct rpt_group *group;   /* summary only */
	int64_t from, to;
	int32_t tz_min;                  /* minutes east of UTC */
	char filter[5][RPT_ARG_LEN];     /* queue, agent, trunk, department,
					    region: rpt_filter's bit order */
	enum { RPT_JSON, RPT_CSV, RPT_XLSX } format;
	size_t limit;                    /* detail page */
	int64_t c_ts;                    /* detail cursor: after (c_ts, c_id) */
	char c_id[UTIL_ID_LEN];
	bool cursor;
};

/* The query's words, as given (NULL: absent). */
struct rpt_args {
	const char *group, *format, *tz;
	const char *filter[5];
};

/* Checks a request for def (pure): the period (from before to, at most
 * RPT_SUMMARY_DAYS, RPT_DETAIL_DAYS for a detail, RPT_GROUPS_ROWS time
 * groups), the grouping, the filters the report takes, the format and tz
 * ("+08:00"). 0 with r filled (its def, period, page kept as set), or
 * EINVAL with why naming the parameter. */
int  rpt_check(const struct rpt_def *def, const struct rpt_args *a,
	       struct rpt_req *r, char *why, size_t n);

/* The columns of r's result, in order (the group's key and label first
 * for a summary): [{key, zh, en, type}]. */
json_t *rpt_columns(const struct rpt_req *r);

/* ---- sql.c: the reads, on a worker */
struct db;
struct api_user;
/* The summary: *rows one object per group (key, label, the columns),
 * *total the same over the whole period. */
int  rpt_run_summary(struct db *db, const struct rpt_req *r,
		     const struct api_user *u, json_t **rows, json_t **total);
/* The detail from r's cursor: up to limit rows in *rows, or, with sink,
 * written there one by one (*rows then empty); *next (API_CURSOR_LEN
 * bytes) the cursor of the next page, "" at the end. */
struct rpt_sink;
int  rpt_run_detail(struct db *db, const struct rpt_req *r,
		    const struct api_user *u, size_t limit,
		    struct rpt_sink *sink, json_t **rows, char *next);

/* A value rounded to type's decimals (what every format writes). */
double rpt_round(enum rpt_type t, double v);
/* v as a cell of type t, the same in JSON, CSV and XLSX: rounded to its
 * decimals, a time as text in tz (minutes east of UTC), JSON null when
 * null or not finite. A new reference. */
json_t *rpt_value(enum rpt_type t, double v, bool null, int32_t tz);
/* The Unix ms t as "YYYY-MM-DD HH:MM:SS" tz_min east of UTC. */
void rpt_time_text(char out[UTIL_TIME_LEN], int64_t t, int32_t tz_min);

/* ---- export.c: one writer for every report */
/* CSV for Excel (BOM, CRLF, formula cells defused) or an XLSX workbook
 * with one sheet named sheet, under columns (their Chinese names as the
 * header), fed a row at a time. *sp is yours: rpt_sink_close or
 * rpt_sink_abort it. EIO, ENOMEM, EINVAL (too many columns). */
struct rpt_sink;
int  rpt_sink_open(struct rpt_sink **sp, bool xlsx, const json_t *columns,
		   const char *sheet);
/* Writes row (an object keyed by the columns' keys); the first error is
 * kept and returned again by every later call and by rpt_sink_close. */
int  rpt_sink_row(struct rpt_sink *s, const json_t *row);
/* Finishes the file: its bytes in *buf (yours: free), and frees s. */
int  rpt_sink_close(struct rpt_sink *s, char **buf, size_t *len);
/* Frees s and whatever it wrote; NULL is a no-op. */
void rpt_sink_abort(struct rpt_sink *s);

#endif
