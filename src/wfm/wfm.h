/* wfm: workforce-management maths. For one interval of one queue: Erlang C
 * (M/M/N: callers wait as long as it takes) and Erlang A (M/M/N+M: callers
 * hang up after an exponentially distributed patience), and the fewest
 * agents that meet a service-level target (no allocation; docs/kpi.md
 * derives every formula). Across intervals: a Holt-Winters forecast of the
 * calls of the coming weeks with its held-out accuracy, and the agents
 * each interval needs (docs/wfm.md). Pure: no I/O, no clock. */
#ifndef HL_WFM_H
#define HL_WFM_H

#include <stdbool.h>
#include <stddef.h>

/* Staffing beyond this is refused with ERANGE (bigger than any one queue). */
enum { WFM_MAX_AGENTS = 100000 };

/* One interval's offered traffic. */
struct wfm_traffic {
	double calls;       /* arrivals expected in the interval, > 0 */
	double interval_s;  /* the interval's length, > 0 */
	double aht_s;       /* mean handle time (talk + hold + wrap-up), > 0 */
	double patience_s;  /* mean caller patience (exponential); 0 means
			     * callers never hang up: Erlang C */
};

/* How one staffing performs. Probabilities are per arriving call. */
struct wfm_perf {
	unsigned agents;
	double erlangs;       /* offered load A = calls * aht / interval */
	bool   stable;        /* false only for Erlang C with A >= agents: the
			       * queue grows without bound */
	double p_wait;        /* P(every agent is busy when the call arrives) */
	double p_abandon;     /* P(the caller hangs up before an answer) */
	double service_level; /* P(answered within sl_time); an abandoned call
			       * counts as not answered in time */
	double asa_s;         /* mean wait of answered calls; INFINITY when
			       * unstable */
	double avg_wait_s;    /* mean time in queue of every call, answered or
			       * abandoned; INFINITY when unstable */
	double occupancy;     /* carried load / agents; 1 when unstable */
};

/* Erlang B: the blocking probability of n servers offered a erlangs
 * (a >= 0), by the recursion B(k) = aB(k-1) / (k + aB(k-1)) kept in
 * logarithms, so thousands of servers neither overflow nor underflow. */
int wfm_erlang_b(unsigned n, double a, double *b);

/* Erlang C: the probability that a call waits, C = B / (1 - (a/n)(1 - B));
 * 1 when a >= n. EINVAL for n == 0 or a < 0. */
int wfm_erlang_c(unsigned n, double a, double *c);

/* Erlang C in closed form for `agents`; t->patience_s is ignored. */
int wfm_erlang_c_eval(const struct wfm_traffic *t, unsigned agents,
		      double sl_time_s, struct wfm_perf *out);

/* Erlang A from the exact birth-death chain of the queue, truncated where
 * the remaining states weigh less than 1e-17 of the largest. With
 * patience 0 it computes Erlang C a second, independent way (tests compare
 * the two). ERANGE when the chain needs more than ten million states. */
int wfm_erlang_a_eval(const struct wfm_traffic *t, unsigned agents,
		      double sl_time_s, struct wfm_perf *out);

/* Erlang C (closed form) when t->patience_s is 0, Erlang A otherwise. */
int wfm_eval(const struct wfm_traffic *t, unsigned agents, double sl_time_s,
	     struct wfm_perf *out);

/* The fewest agents whose service level within sl_time_s is at least
 * target_sl (0 < target_sl < 1), evaluated as wfm_eval does; *out is that
 * staffing. ERANGE when more than WFM_MAX_AGENTS would be needed. */
int wfm_staff(const struct wfm_traffic *t, double target_sl, double sl_time_s,
	      struct wfm_perf *out);

/* ---- forecasting (forecast.c): Holt-Winters with trend and one season */

/* A series longer than this is refused (EINVAL): two years of quarter
 * hours is ten times what a forecast reads. */
enum { WFM_HW_MAX_N = 2 * 366 * 96 };

enum wfm_hw_kind { WFM_HW_ADDITIVE, WFM_HW_MULTIPLICATIVE };

/* Smoothing weights, each in [0, 1]: level, trend, season. */
struct wfm_hw_params { double alpha, beta, gamma; };

/* A model after smoothing a series; zero it before first use, free it
 * with wfm_hw_free (run and fit free what it held before). */
struct wfm_hw {
	enum wfm_hw_kind kind;
	struct wfm_hw_params p;
	size_t period;      /* values per season */
	size_t n;           /* values smoothed */
	double level, trend;
	double *season;     /* period indexes, by slot t mod period; owned */
	double sse;         /* squared one-step errors from the second season */
};

/* Smooths y[0..n) (values >= 0, n >= 2 * period, period >= 2) with the
 * given weights. EINVAL for a bad series or weights; ENOMEM. */
int  wfm_hw_run(const double *y, size_t n, size_t period,
		enum wfm_hw_kind kind, const struct wfm_hw_params *p,
		struct wfm_hw *m);

/* Fits the weights minimising m->sse (grid, then Nelder-Mead in the unit
 * cube), and smooths with them. Same errors as wfm_hw_run. */
int  wfm_hw_fit(const double *y, size_t n, size_t period,
		enum wfm_hw_kind kind, struct wfm_hw *m);

/* out[0..h) = the forecasts 1..h steps after the series, never below 0. */
int  wfm_hw_forecast(const struct wfm_hw *m, size_t h, double *out);

/* Frees m's season (m may be NULL or zeroed). */
void wfm_hw_free(struct wfm_hw *m);

/* Mean absolute percentage error of fc against actual over the intervals
 * whose actual is above 0 (a zero has no percentage error: skipped);
 * *used (may be NULL) counts them. ENODATA when none is above 0. */
int  wfm_mape(const double *actual, const double *fc, size_t n, double *mape,
	      size_t *used);

/* ---- the plan (plan.c): history in, calls, AHT and agents per interval */

enum wfm_kind_choice { WFM_KIND_AUTO, WFM_KIND_ADDITIVE,
		       WFM_KIND_MULTIPLICATIVE };

/* The history of one queue, oldest interval first, and what to plan. */
struct wfm_plan_in {
	const double *calls;      /* calls that arrived, per interval */
	const double *handle_s;   /* their talk + hold + wrap-up, seconds */
	const double *handled;    /* calls whose handle time that is */
	size_t n;                 /* intervals of history, >= 3 seasons */
	size_t period;            /* intervals in a week */
	double interval_s;        /* one interval's length */
	size_t horizon;           /* intervals to forecast, 1..WFM_HW_MAX_N */
	enum wfm_kind_choice kind;  /* AUTO: the lower held-out MAPE */
	double target_sl;         /* 0 < target < 1 */
	double sl_time_s;         /* answered within this */
	double patience_s;        /* 0: Erlang C, else Erlang A */
	double shrinkage;         /* share of paid time not on the phones,
				   * 0 <= shrinkage < 1 */
};

struct wfm_plan_row {
	double calls;             /* forecast arrivals */
	double aht_s;             /* forecast mean handle time */
	unsigned agents;          /* on the phones for the target (0: no call
				   * expected) */
	unsigned scheduled;       /* agents / (1 - shrinkage), rounded up */
	double service_level;     /* what `agents` achieves (1 with no call) */
};

struct wfm_plan {
	struct wfm_plan_row *rows;   /* horizon rows; owned */
	size_t nrows;
	enum wfm_hw_kind kind;       /* the model used */
	struct wfm_hw_params params; /* fitted to the whole history */
	double mape;                 /* of the last week held out; NAN when
				      * it had no call */
	size_t mape_intervals;       /* its intervals with calls (used) */
	double *held_out;            /* period values: the chosen model's
				      * forecast of the held-out last week
				      * (in->calls[n - period ..] is its
				      * actual), what mape scores; owned */
};

/* Fits the calls of in (held out: the last period, forecast from the rest
 * and scored by MAPE, that forecast kept in held_out; then refitted on all
 * of it), forecasts horizon
 * intervals, takes each slot's AHT as its handle seconds over its handled
 * calls in the history (the whole history's when the slot has none), and
 * staffs each interval (wfm_staff). *out is yours: wfm_plan_free. EINVAL
 * for bad input, EDOM when the history holds no handled call (no AHT),
 * ERANGE when an interval needs more than WFM_MAX_AGENTS, ENOMEM. */
int  wfm_plan_make(const struct wfm_plan_in *in, struct wfm_plan *out);
void wfm_plan_free(struct wfm_plan *p);   /* NULL or zeroed is fine */

#endif
