/* spc: statistical process control for the reports management reads —
 * control charts (XmR, p, X̄-R) with the training deck's "6 8 1 3 5"
 * rules, Western Electric's and Nelson's, and histograms with the deck's
 * six shapes. Pure: numbers in, numbers out, no I/O, no clock; the HTTP
 * side (http.c) and the tests call the same functions. docs/spc.md gives
 * every formula and threshold used here.
 *
 * Facts that always hold:
 *  (1) The limits depend only on the values, the sample sizes and the
 *      given centre, sigma and baseline: the rule set chosen never changes
 *      them (turning rules off hides no limit).
 *  (2) A signal's points are 0-based indexes into the series, ascending.
 *  (3) Errors: EINVAL bad input, EDOM too few points for limits, ERANGE
 *      the limits would have no width (σ = 0), ENOMEM. Outputs are written
 *      only on success. */
#ifndef HL_SPC_SPC_H
#define HL_SPC_SPC_H

#include <stdbool.h>
#include <stddef.h>

enum spc_chart_kind {
	SPC_XMR,     /* individuals and moving range: times (ASA, AHT) */
	SPC_P,       /* proportion with sample sizes: rates */
	SPC_XBAR_R,  /* subgroup means and ranges: sampled scores */
	SPC_XBAR_S,  /* subgroup means and standard deviations */
};

enum spc_ruleset {
	SPC_RULES_DECK,     /* the training deck's "6 8 1 3 5" */
	SPC_RULES_WE,       /* Western Electric's four zone rules */
	SPC_RULES_NELSON,   /* Nelson's eight */
};

enum {
	SPC_XBAR_N_MIN = 2, SPC_XBAR_N_MAX = 10,  /* subgroup sizes in the table */
	SPC_MIN_POINTS = 2,   /* points (subgroups) needed to compute limits */
};

/* What the caller asks for. For SPC_P, x holds counts of events (whole
 * numbers 0..n[i]) or, when any value is fractional, proportions 0..1;
 * n holds the sample sizes. For SPC_XBAR_R and _S, x holds npoints subgroups of
 * `size` values each, one after the other. */
struct spc_input {
	enum spc_chart_kind kind;
	const double *x;
	const double *n;         /* SPC_P only, npoints of them */
	size_t npoints;          /* plotted points (subgroups for X̄-R) */
	size_t size;             /* SPC_XBAR_R, _S: values per subgroup */
	bool proportions;        /* SPC_P: x are proportions even when whole */
	bool has_center, has_sigma;
	double center, sigma;    /* σ of the plotted points (not for SPC_P) */
	size_t base_from, base_to;   /* baseline [from, to); to = 0: all */
};

/* A computed chart. For XmR and X̄-R the limits are the same at every
 * point; for p they follow n (ucl[i], lcl[i]; ucl/lcl at the mean n). */
struct spc_chart {
	enum spc_chart_kind kind;
	size_t npoints;
	double *y;          /* the plotted points: x, p_i or subgroup means */
	double *z;          /* (y[i] - center) / sigma_i: the zones' scale */
	double *ucl_i, *lcl_i;   /* per point */
	double center, sigma, ucl, lcl;
	/* the second chart: moving ranges (XmR), ranges (X̄-R) or
	 * standard deviations (X̄-S) */
	double *r;          /* npoints; r[0] is 0 for XmR (no moving range) */
	double r_center, r_ucl, r_lcl;
};

/* Computes the chart of in into *out (yours: spc_chart_free it). */
int  spc_chart_make(const struct spc_input *in, struct spc_chart *out);
/* Frees what spc_chart_make allocated; a zeroed chart is fine. */
void spc_chart_free(struct spc_chart *c);

/* One pattern found: its rule and the points that make it up. */
struct spc_signal {
	const char *rule;     /* "6", "8", "1"… within its rule set */
	const char *text;     /* the rule as the deck or the book states it */
	size_t off, n;        /* the points: spc_signals.points[off..off+n) */
};

struct spc_signals {
	struct spc_signal *v;
	size_t n;
	size_t *points;
	size_t npoints;
};

/* The ruleset named name ("deck", "western-electric", "nelson"), or
 * EINVAL. */
int  spc_ruleset_parse(const char *name, enum spc_ruleset *set);
/* The set's name as spc_ruleset_parse reads it; NULL for no set. */
const char *spc_ruleset_name(enum spc_ruleset set);
/* Finds every pattern of set's rules in chart c, into *out (yours:
 * spc_signals_free it): ordered by rule, then by first point. Windows of
 * one rule that overlap (on the same side) are one signal. */
int  spc_detect(const struct spc_chart *c, enum spc_ruleset set,
		struct spc_signals *out);
void spc_signals_free(struct spc_signals *s);

/* ---- histograms (hist.c) */
enum spc_shape {
	SPC_SHAPE_NORMAL, SPC_SHAPE_COMB, SPC_SHAPE_CLIFF, SPC_SHAPE_ISLAND,
	SPC_SHAPE_BIMODAL, SPC_SHAPE_SKEWED,
};

enum {
	SPC_HIST_MIN_POINTS = 20,   /* fewer values show no shape */
	SPC_HIST_BINS_MIN = 5, SPC_HIST_BINS_MAX = 100,
};

struct spc_bin { double lo, hi; size_t count; };  /* [lo, hi); last closed */

struct spc_hist {
	struct spc_bin *bins;
	size_t nbins;
	double mean, sd, skewness;
	enum spc_shape shape;
	const char *rule;        /* how the bins were chosen */
};

/* The histogram of x[0..n): bins given (SPC_HIST_BINS_MIN..MAX) or 0 for
 * Freedman–Diaconis (Sturges when the quartiles coincide), then the shape.
 * Into *out (yours: spc_hist_free it). EINVAL: a value not finite or bins
 * out of range; EDOM: fewer than SPC_HIST_MIN_POINTS values; ERANGE: all
 * values equal. */
int  spc_hist_make(const double *x, size_t n, size_t bins,
		   struct spc_hist *out);
void spc_hist_free(struct spc_hist *h);

/* Specification limits against the values: how many fall outside, and
 * the capability indexes Cp = (USL − LSL) / 6σ (both limits) and Cpk =
 * the nearer limit's distance from the mean / 3σ, σ the sample sd. */
struct spc_spec {
	bool has_lsl, has_usl;
	double lsl, usl;
	size_t below, above;      /* values < LSL, values > USL */
	bool has_cp;              /* both limits given */
	double cp, cpk;
};
/* Fills s's counts and indexes for x[0..n) with h's mean and sd (h from
 * spc_hist_make of the same values). EINVAL: no limit, a limit not
 * finite, or LSL >= USL. */
int  spc_spec_check(const double *x, size_t n, const struct spc_hist *h,
		    struct spc_spec *s);

/* The shape's name ("normal"…), the deck's name (正常型…), and the deck's
 * feature and advice in Chinese and English; static strings. */
struct spc_shape_text {
	const char *name, *name_zh, *feature_zh, *advice_zh, *advice_en;
};
const struct spc_shape_text *spc_shape_text(enum spc_shape s);

/* ---- what to check (checks.c): a KPI's 监控措施 from the reference */
struct spc_checks {
	const char *kpi;            /* report/'s id: "asa" */
	const char *name_zh;        /* the reference's name: 平均应答速度 */
	const char *const *items;   /* the numbered items, as written */
	size_t n;
};
/* The checks of KPI kpi, or NULL when the reference lists none. */
const struct spc_checks *spc_checks_find(const char *kpi);

/* ---- KPI targets (target.c): the reference's default (report/kpi.c's
 * table) under the center's and each queue's own, and whether a value
 * misses the one in force. Pure: the stored rows are passed in. */
struct report_kpi_def;

enum spc_target_from {
	SPC_TARGET_DEFAULT,   /* the reference's, from report/'s table */
	SPC_TARGET_CENTER,    /* the center's row (queue "") */
	SPC_TARGET_QUEUE,     /* the queue's own row */
};

/* One stored target; lo or hi NAN is an open end. Strings borrowed. */
struct spc_target {
	const char *queue;    /* "" the whole center */
	const char *kpi;
	double lo, hi;
};

/* The target in force for def in queue (NULL or "": the center's):
 * queue's row among rows[0..n), else the center's, else the default.
 * *lo, *hi (NAN: open) and *from always set. */
void spc_target_effective(const struct report_kpi_def *def,
			  const struct spc_target *rows, size_t n,
			  const char *queue, double *lo, double *hi,
			  enum spc_target_from *from);
/* "default", "center", "queue". */
const char *spc_target_from_name(enum spc_target_from f);

/* Whether a target lo..hi may be set for def: each bound NAN or finite,
 * within 0..1 for a ratio and not below 0 for the other units, lo <= hi;
 * unit, when not NULL, must be def's. 0, or EINVAL with why. */
int  spc_target_check(const struct report_kpi_def *def, double lo, double hi,
		      const char *unit, char *why, size_t n);

/* Whether the reference's range is a ceiling only for kpi: fewer
 * abandons, busy tones, transfers, rings and shorter queues and holds than
 * its low end are better, so only the high end can be missed. */
bool spc_target_ceiling_only(const char *kpi);

/* Whether v misses lo..hi for kpi: 1 missed, 0 met, -1 nothing to judge
 * (v NAN, or no bound that counts). */
int  spc_target_missed(const char *kpi, double lo, double hi, double v);

/* The module's row in `hotline serve` (http.c): routes only. */
struct mod_export;
extern const struct mod_export spc_module;

#endif
