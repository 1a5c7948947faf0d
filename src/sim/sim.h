/* sim: the call-center simulator behind "hotline sim". A scenario (JSON,
 * docs/simulator.md) names queues, agents with skills and shifts, Poisson
 * arrivals with per-interval rates, and handle-time, patience and answer-
 * delay distributions. sim_run() plays it in simulated time through the
 * same router (acd/) and the same KPI fold (report/) as the live server:
 * one event heap ordered by (time, sequence number), router timers run at
 * acd_next_deadline(), and every router action becomes the report events
 * the live wiring would fold. Same scenario and seed: same result, on every
 * run and machine.
 *
 * The period simulated is [0, duration_s). Arrivals stop at its end; the
 * calls still in the system are followed to their outcome, which (as in
 * report/) is counted in the interval the call entered its queue. Agent
 * time is booked up to duration_s only. */
#ifndef HL_SIM_SIM_H
#define HL_SIM_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "report/report.h"

enum { SIM_WHY_LEN = 256 };

/* A parsed, validated scenario; read-only once made. */
struct sim_scenario;

/* Parses and validates scenario JSON text. On error returns EINVAL and
 * writes one line to why (size n) that names the field, e.g.
 * `unknown key "queues[0].stratgy"`. *scp is the caller's
 * (sim_scenario_free). */
int  sim_scenario_parse(struct sim_scenario **scp, const char *text,
			char *why, size_t n);
/* Same from a file; errors as above, or the errno of reading it with why
 * saying so. */
int  sim_scenario_load(struct sim_scenario **scp, const char *path,
		       char *why, size_t n);
void sim_scenario_free(struct sim_scenario *sc);     /* NULL is fine */

/* The scenario's "seed" (1 when it has none), used when the command line
 * gives no --seed. */
uint64_t sim_scenario_seed(const struct sim_scenario *sc);

/* The outcome of one run. */
struct sim_result;

/* Plays sc with this seed. *rp is the caller's (sim_result_free). ENOMEM;
 * EPROTO if the router refused what the scenario asked (a bug: the
 * scenario was validated). */
int  sim_run(const struct sim_scenario *sc, uint64_t seed,
	     struct sim_result **rp);
void sim_result_free(struct sim_result *r);          /* NULL is fine */

/* Counts about the run itself. */
struct sim_stats {
	uint64_t seed;
	int64_t duration_ms;   /* the period reported */
	int64_t interval_ms;   /* one row of the table */
	int64_t end_ms;        /* simulated time when the last call settled */
	uint64_t arrivals;     /* calls that arrived in [0, duration) */
	uint64_t unfinished;   /* still waiting when nothing could happen any
				* more (no agent left to take them) */
	uint64_t events;       /* events taken off the heap + router ticks */
	uint32_t agents;
	uint32_t queues;
};
void sim_result_stats(const struct sim_result *r, struct sim_stats *out);

/* Rows of the per-interval table: every interval from 0 to duration, and
 * later ones only if a call entered a queue there (an overflow at the
 * end). */
size_t sim_result_rows(const struct sim_result *r);

/* Row i's buckets: every queue's summed into *q, every agent's into *a.
 * EINVAL when i is out of range. */
int  sim_result_row(const struct sim_result *r, size_t i,
		    struct report_bucket *q, struct report_bucket *a);

/* The whole period: queue name (NULL: every queue) into *q, every agent
 * into *a (a may be NULL). ENOENT for an unknown queue. */
int  sim_result_total(const struct sim_result *r, const char *queue,
		      struct report_bucket *q, struct report_bucket *a);

/* The queue names, in scenario order; NULL past the end. */
const char *sim_result_queue(const struct sim_result *r, size_t i);

/* The settings the KPIs of every row and total are computed with:
 * abandon_sl `missed`, so an abandoned call is one not answered in time,
 * as in Erlang A. */
extern const struct report_queue_cfg sim_kpi_cfg;

/* Prints the result as one JSON object ({"total", "queues", "intervals",
 * "run"}; keys in docs/simulator.md) or as a human-readable table. */
int  sim_print_json(const struct sim_result *r, FILE *f);
int  sim_print_table(const struct sim_result *r, FILE *f);

#endif
