/* spc_int: what spc's HTTP files share; included only in src/spc/. */
#ifndef HL_SPC_SPC_INT_H
#define HL_SPC_SPC_INT_H

#include <jansson.h>
#include "api/http.h"
#include "spc/spc.h"

/* A chart's points, a histogram's values: 10,000 is more than a year of
 * hours, and bounds the work a request can ask of a worker. */
enum { SPC_API_MAX = 10000 };

/* A POST's job: work runs on an api worker and leaves out (the answer) or
 * why (a 400's reason). */
struct spc_job {
	struct api_job j;
	void (*work)(struct spc_job *s);
	json_t *in, *out;
	size_t max;          /* values a histogram may take */
	char why[200];
	/* With why: a stable code the console words in its own language
	 * (docs/api.md; NULL: none), the fields those words need (more:
	 * owned, NULL: none) and the status (0: 400). */
	const char *code;
	json_t *more;
	int status;
	/* Set by work to answer out as a file (name.csv or name.xlsx). */
	const struct spc_table *table;
	bool xlsx;
	char name[64];
};

/* Runs work on an api worker with in (taken) as the request; answers its
 * out, or 400 with its why. */
void spc_job_start(const struct api_req *req, json_t *in,
		   void (*work)(struct spc_job *s), size_t max);

/* Sets s->why; returns EINVAL, for `return spc_fail(…)`. */
int spc_fail(struct spc_job *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets s->why, s->code and s->more (more taken, may be NULL); returns
 * EINVAL. For the refusals the console puts in its own words. */
int spc_fail_code(struct spc_job *s, const char *code, json_t *more,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Answers status with {"error": the English reason, "code": code} and
 * more's fields (taken, may be NULL): the console shows err.<code> from
 * its catalogue with those fields, else the English (docs/api.md). */
void spc_refuse(struct api_conn *conn, int status, const char *code,
		json_t *more, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A 400 naming a query parameter: code bad_param with {"param": param}
 * (the console's err.bad_param.<param>). */
void spc_bad_param(struct api_conn *conn, const char *param,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* in[field] as a finite number, if there (*has); EINVAL with why. */
int spc_opt_number(struct spc_job *s, const char *field, bool *has,
		   double *v);
/* Array a of finite numbers into out[0..*n), at most max of them (exactly
 * want when want > 0); EINVAL with why naming name (and the index). */
int spc_read_numbers(struct spc_job *s, const json_t *a, const char *name,
		     size_t max, size_t want, double *out, size_t *n);
/* h's bins as [{"lo","hi","count"}]; NULL: out of memory. */
json_t *spc_bins_json(const struct spc_hist *h);
/* POST /api/v1/reports/histogram's work (http_hist.c). */
void spc_hist_work(struct spc_job *s);

/* The answer for chart c and its signals, as POST /api/v1/reports/spc
 * gives it; chart and rules are the names asked for. NULL: out of memory. */
json_t *spc_chart_json(const struct spc_chart *c, const char *chart,
		       const char *rules, const struct spc_signals *sg);

/* GET /api/v1/reports/histogram: a stored measure's (http_measure.c). */
void spc_h_measure(struct api_req *req);
/* GET /api/v1/reports/kpi-targets (http_defs.c). */
void spc_h_kpi_targets(struct api_req *req);
/* GET /api/v1/reports/calls-by-region (http_region.c). */
void spc_h_region(struct api_req *req);

/* GET /api/v1/reports/spc: a KPI's stored series, charted (http_kpi.c). */
void spc_h_kpi_chart(struct api_req *req);
/* The reference's 监控措施 for kpi: {"name_zh", "items"}, or null. */
json_t *spc_checks_json(const char *kpi);
/* GET /api/v1/reports/spc/qa: QA scores as X̄-R or X̄-S (http_qa.c). */
void spc_h_qa_chart(struct api_req *req);

/* ---- exports (export.c, export_tables.c): a page's table as CSV or XLSX */
struct spc_table {
	const char *sheet;              /* the XLSX sheet's name */
	const char *what;               /* for a 500: "cannot write the chart" */
	const char *const *cols;        /* the header row */
	size_t ncols;                   /* at most 16 */
	int time_col;                   /* a column of Unix ms shown as a
					   time, or -1 */
	/* On a worker: the rows of src, each a JSON array of ncols numbers,
	 * strings or nulls (empty cells); NULL: out of memory. */
	json_t *(*rows)(const json_t *src);
};
/* A KPI's chart (GET /api/v1/reports/spc), a row per point with its
 * limits, zones and signals; the calls by region, a row per province and
 * city; a stored measure's histogram (GET /api/v1/reports/histogram),
 * a row per bin, then per stratum. */
extern const struct spc_table spc_table_chart, spc_table_region,
	spc_table_hist;
/* The QA scores' X̄-R and X̄-S charts (GET /api/v1/reports/spc/qa): a row
 * per subgroup in time order with its evaluations, mean, limits, zones,
 * range (or standard deviation) with its own limits and signals; the
 * subgroups left out (fewer than n) have their start and evaluations
 * only. */
extern const struct spc_table spc_table_qa_r, spc_table_qa_s;
/* Answers req with src (the page's JSON; taken) as t, a file named
 * name.csv or name.xlsx, made on an api worker. */
void spc_export(const struct api_req *req, json_t *src,
		const struct spc_table *t, bool xlsx, const char *name);
/* format (from ?format=; NULL or "": json) → 0 json, 1 csv, 2 xlsx; -1
 * anything else. */
int  spc_format_parse(const char *format);

struct db;

/* ---- KPI targets (targets_db.c, http_targets.c) */
enum { SPC_TARGET_NAME = 64 };   /* a queue's or a KPI's name, with NUL */

/* The stored targets: v[i]'s strings point into names[i]. */
struct spc_target_set {
	struct spc_target *v;
	char (*names)[2][SPC_TARGET_NAME];
	size_t n, cap;
};
/* Every stored row into s (zeroed first by the caller); on a worker.
 * 0, ENOMEM, EIO. */
int  spc_targets_read(struct db *db, struct spc_target_set *s);
void spc_targets_free(struct spc_target_set *s);
/* v, or null when NAN (an open end). */
json_t *spc_bound_json(double v);
/* GET /api/v1/kpi-targets's body: each KPI's default and the center's and
 * queues' own targets. NULL: out of memory. */
json_t *spc_targets_json(const struct spc_target_set *s);
/* ---- the user's data scope over queues (scope.c), on a worker */
/* Whether u sees every queue and the center's whole figures. */
bool spc_scope_all(const struct api_user *u);
/* 0 when u's scope covers queue (else agent; both NULL or "": the
 * center's whole figures); EACCES with why when it does not; EIO. */
int  spc_scope_check(struct db *db, const struct api_user *u,
		     const char *queue, const char *agent, char *why,
		     size_t n);

/* The code of a refusal spc_scope_check gave for queue or agent, and
 * into *more (yours, may be NULL) the fields the console's words for it
 * need: scope_own {ext}, scope_queue {queue}, scope_agent {agent},
 * scope_center. */
const char *spc_scope_code(const struct api_user *u, const char *queue,
			   const char *agent, json_t **more);
/* 403 for a spc_scope_check refusal: why and its code. */
void spc_scope_refuse(struct api_conn *conn, const struct api_user *u,
		      const char *queue, const char *agent, const char *why);

/* GET, PUT, DELETE /api/v1/kpi-targets (http_targets.c). */
void spc_h_targets_get(struct api_req *req);
void spc_h_targets_put(struct api_req *req);
void spc_h_targets_delete(struct api_req *req);

#endif
