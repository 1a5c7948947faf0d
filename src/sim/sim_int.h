/* sim internals shared by the files of this folder only. */
#ifndef HL_SIM_SIM_INT_H
#define HL_SIM_SIM_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "acd/acd.h"
#include "sim/sim.h"

enum { SIM_NAME_LEN = 64, SIM_MAX_AGENTS = 100000, SIM_MAX_QUEUES = 1000 };

/* --- random numbers (rng.c) ---------------------------------------------- */
/* xoshiro256**, seeded through splitmix64: the same numbers from the same
 * seed on every machine (integer arithmetic only until the last step). */
struct sim_rng {
	uint64_t s[4];
	double spare;              /* the polar method's second normal */
	bool has_spare;
};

void sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
/* Uniform on (0, 1]: never 0, so its logarithm is finite. */
double sim_rng_unit(struct sim_rng *r);
/* Exp(1). */
double sim_rng_exp(struct sim_rng *r);
/* Standard normal (Marsaglia's polar method, both of each pair used). */
double sim_rng_normal(struct sim_rng *r);

enum sim_dist_kind { SIM_DIST_NONE, SIM_DIST_FIXED, SIM_DIST_EXPONENTIAL,
		     SIM_DIST_LOGNORMAL };

struct sim_dist {
	enum sim_dist_kind kind;
	double mean_s, sd_s;
	double mu, sigma;          /* lognormal: of the underlying normal */
};

/* Fills the derived fields of a lognormal from its mean and sd. */
void sim_dist_prepare(struct sim_dist *d);
/* One draw in whole milliseconds (>= 0); NONE draws -1: never. */
int64_t sim_dist_ms(const struct sim_dist *d, struct sim_rng *r);
const char *sim_dist_name(enum sim_dist_kind k);

/* --- the scenario (scenario.c) ------------------------------------------- */
struct sim_queue_def {
	char name[SIM_NAME_LEN];
	char strategy[SIM_NAME_LEN];
	int64_t sl_ms, short_abandon_ms;
	int64_t ring_timeout_ms, retry_ms, wrapup_ms, max_wait_ms;
	uint32_t max_len, weight;
	int32_t priority;
	int32_t overflow;          /* queue index, or -1: hang up */
	struct sim_dist handle, patience;
};

struct sim_member_def {
	uint32_t queue;
	int32_t skill;
};

struct sim_group_def {         /* "agents"[i]: count agents alike */
	uint32_t count;
	struct sim_member_def *members;
	size_t nmembers;
	bool has_shift;
	int64_t shift_start_ms, shift_end_ms, shift_repeat_ms;  /* repeat 0: once */
};

struct sim_stream_def {        /* "arrivals"[i] */
	uint32_t queue;
	int32_t priority;
	double *rates_per_ms;      /* one per rate interval, repeating */
	size_t nrates;
	int64_t rate_interval_ms;
};

struct sim_scenario {
	int64_t duration_ms, interval_ms;
	uint64_t seed;
	struct sim_queue_def *queues;
	size_t nqueues;
	struct sim_group_def *groups;
	size_t ngroups;
	uint32_t nagents;
	struct sim_stream_def *streams;
	size_t nstreams;
	struct sim_dist answer;
};

/* --- the event heap (heap.c) --------------------------------------------- */
enum sim_ev_kind { SIM_EV_ARRIVAL, SIM_EV_ANSWER, SIM_EV_END, SIM_EV_PATIENCE,
		   SIM_EV_SHIFT_START, SIM_EV_SHIFT_END, SIM_EV_CLOSE };

/* Ordered by time, then by when it was pushed (seq): equal times replay
 * in the order they were scheduled. */
struct sim_ev {
	int64_t at;
	uint64_t seq;
	uint32_t kind;
	uint32_t idx;     /* stream, call slot or agent */
	uint64_t tag;     /* call id or ring number the event is about */
};

struct sim_heap {
	struct sim_ev *v;          /* the heap */
	size_t n, cap;
	struct sim_ev *fifo;       /* events due at `now`, in seq order */
	size_t fhead, fn, fcap;
	int64_t now;               /* time of the last event popped */
	uint64_t next_seq;
};

int  sim_heap_push(struct sim_heap *h, int64_t at, uint32_t kind, uint32_t idx,
		   uint64_t tag);
/* The earliest event, or NULL when there is none. */
const struct sim_ev *sim_heap_peek(const struct sim_heap *h);
/* Takes the earliest event into *out; false when empty. */
bool sim_heap_pop(struct sim_heap *h, struct sim_ev *out);
void sim_heap_free(struct sim_heap *h);

/* --- results (collect.c) ------------------------------------------------- */
struct sim_result {
	struct sim_stats stats;
	char (*qnames)[SIM_NAME_LEN];
	struct report_bucket *qtotal;   /* per queue, the whole run */
	struct report_bucket atotal;    /* every agent, the period */
	struct report_bucket *rows_q;   /* per row, every queue */
	struct report_bucket *rows_a;   /* per row, every agent */
	size_t nrows, caprows;
	size_t period_rows;             /* rows that start before duration */
};

/* An empty result for sc's queues and period. */
int  sim_result_new(struct sim_result **rp, const struct sim_scenario *sc,
		    uint64_t seed);
/* Adds every dirty bucket of set s into r (agent time past the period is
 * dropped); ENOMEM. */
int  sim_collect(struct sim_result *r, struct report_set *s);


/* --- one run (run.c drives it, host.c carries out the router's actions) - */
#define SIM_NONE UINT32_MAX

struct sim_call {              /* a slot; the router's id is (serial << 32) | slot */
	uint64_t id;           /* 0: the slot is free */
	int64_t give_up_ms;    /* when the caller hangs up unanswered; -1 never */
	int64_t enter_ms;      /* entered its current queue */
	int64_t answer_ms;
	uint32_t queue;        /* current queue */
	uint32_t agent;        /* answering agent + 1, else 0 */
	uint32_t pend;         /* its entry in sim.pend + 1, else 0 */
	uint32_t next_free;
	bool connected;
	bool answer_now;       /* offered, and the answer is due this ms */
	bool armed;            /* its give-up event is scheduled */
};

struct sim_agent {
	char name[12];         /* decimal id: the report's agent name */
	enum report_agent_state state;
	int64_t since;         /* when it entered state */
	uint64_t ring;         /* bumps on every offer: stale answers are
				* those whose ring number is not this */
	uint32_t ring_slot;    /* the call ringing it, else SIM_NONE */
	int64_t ring_at;
	uint32_t last_queue;   /* the last call's queue and entry, for the */
	int64_t last_enter;    /* wrap-up that follows it */
	int64_t wrap_at;
	int64_t shift_at;      /* start of its current or next shift */
};

struct sim_pending {           /* a queue entry to fold as `enter` */
	uint32_t slot, queue;
	int64_t at;
	bool offered;          /* offered within the same router call */
};

struct sim {
	const struct sim_scenario *sc;
	struct acd *acd;
	struct report_set *set;
	struct sim_result *res;
	struct sim_rng rng;
	struct sim_heap heap;
	struct sim_call *calls;
	uint32_t ncalls, free_head;
	uint64_t serial;
	struct sim_agent *agents;
	double *next_arrival;      /* per stream, in ms; < 0 when none */
	double *cycle;             /* per stream, calls expected in one pass
				    * over its rate list */
	struct sim_pending *pend;
	size_t npend, cappend;
	int64_t now;
	int64_t rotate_at;         /* when the report set is next emptied */
	bool closed;               /* agent time is booked up to duration */
	uint64_t live;             /* calls in the simulation */
	int err;                   /* first failure inside a callback */
};

/* host.c */
void sim_emit(void *arg, const struct acd_action *a);
void sim_fold(struct sim *s, const struct report_event *ev);
void sim_schedule(struct sim *s, int64_t at, uint32_t kind, uint32_t idx,
		  uint64_t tag);
const char *sim_qname(const struct sim *s, uint32_t queue);
/* The call in slot enters queue at `at`; folded by sim_enter_flush. */
void sim_enter(struct sim *s, uint32_t slot, uint32_t queue, int64_t at);
void sim_enter_flush(struct sim *s);
void sim_call_free(struct sim *s, uint32_t slot);
void sim_checkpoint(struct sim *s);
/* Schedules the call's give-up event, once (host.c and run.c). */
void sim_arm_patience(struct sim *s, uint32_t slot);

#endif
