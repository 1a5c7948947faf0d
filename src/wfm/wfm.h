/* wfm: workforce-management maths for one interval of one queue. Erlang C
 * (M/M/N: callers wait as long as it takes) and Erlang A (M/M/N+M: callers
 * hang up after an exponentially distributed patience), and the fewest
 * agents that meet a service-level target. Pure: no I/O, no clock, no
 * allocation; docs/kpi.md derives every formula. */
#ifndef HL_WFM_H
#define HL_WFM_H

#include <stdbool.h>

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

#endif
