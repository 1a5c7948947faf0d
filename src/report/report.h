/* report: the KPI engine. Queue and agent events are folded into interval
 * buckets (15 minutes by default) per queue and per agent that hold only
 * counts and sums, so any period is the sum of its buckets and every KPI is
 * a ratio over one summed bucket. Pure: no I/O, no clock; the live server
 * and the simulator feed it the same events, and docs/kpi.md gives every
 * formula and which bucket fields it reads. The KPIs queue events do not
 * carry (first-contact resolution, the caller's rings, QA scores,
 * turnover) are ratios of side figures, which the readers at the end of
 * this header (read.c, fcr_read.c: the folder's only I/O, on a worker
 * thread) take from other modules' records and hand to the same pure
 * folds.
 *
 * The fold keeps no per-call state: every event carries the times it needs
 * (when the call entered the queue, how long the span it closes lasted), so
 * events fold in any order and a restart loses nothing in flight. Counts of
 * a queue's calls go to the interval in which the call entered the queue,
 * so a call's outcome always lands beside its arrival; an agent's counts go
 * to the interval of the event; time an agent spends in a state is split
 * exactly across the intervals it covers. */
#ifndef HL_REPORT_H
#define HL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { REPORT_INTERVAL_MS = 15 * 60 * 1000 };

/* Event times stop here (year 36 million); a state lasts at most a year
 * between two events (book it in steps with a same-state event). */
#define REPORT_MAX_TS_MS    (INT64_C(1) << 60)
#define REPORT_MAX_STATE_MS (INT64_C(366) * 86400 * 1000)

enum report_ev_type {
	REPORT_EV_ENTER,         /* the call entered the queue */
	REPORT_EV_OFFER,         /* an agent's phone started ringing with it */
	REPORT_EV_RING_NOANSWER, /* that agent did not answer in time */
	REPORT_EV_ANSWER,        /* an agent answered: the wait ends */
	REPORT_EV_ABANDON,       /* the caller hung up before an answer */
	REPORT_EV_OVERFLOW,      /* the queue sent it elsewhere (full, timeout) */
	REPORT_EV_TRANSFER,      /* the agent transferred the call onwards */
	REPORT_EV_HOLD_START,    /* the agent put the caller on hold */
	REPORT_EV_HOLD_STOP,     /* … and took them back: dur_ms of hold */
	REPORT_EV_COMPLETE,      /* the conversation ended: dur_ms of talk */
	REPORT_EV_WRAPUP_END,    /* after-call work ended: dur_ms of it */
	REPORT_EV_AGENT_STATE,   /* the agent's state changed */
	REPORT_EV_BLOCKED,       /* refused with busy before reaching the ACD */
	REPORT_EV_COUNT
};

enum report_agent_state {
	REPORT_AGENT_LOGGED_OUT,
	REPORT_AGENT_READY,      /* idle, waiting for a call */
	REPORT_AGENT_NOT_READY,  /* logged in, not taking calls (a reason) */
	REPORT_AGENT_RINGING,    /* offered a call, phone ringing */
	REPORT_AGENT_TALKING,    /* on a call, hold included */
	REPORT_AGENT_WRAPUP,     /* after-call work */
	REPORT_AGENT_STATE_COUNT
};

/* ENTER: no ready agent could take the call at once, so it was placed in
 * the queue to wait (队列放置). */
#define REPORT_EVF_QUEUED 0x1u

/* One event. Unused fields are ignored; zero them. Which fields each type
 * needs is the table in docs/kpi.md ("Events"). */
struct report_event {
	enum report_ev_type type;
	int64_t ts_ms;       /* when it happened, Unix ms, 0..REPORT_MAX_TS_MS */
	const char *queue;   /* the queue it is about; "" is allowed (the
			      * center as a whole, e.g. a call blocked at the
			      * trunk); NULL: not a queue call, so no queue
			      * figures (e.g. a direct call to an agent) */
	const char *agent;   /* the agent's extension; NULL: none */
	int64_t enter_ms;    /* with a queue: when the call entered it,
			      * 0 <= enter_ms <= ts_ms (ENTER and BLOCKED use
			      * ts_ms itself). Waits are ts_ms - enter_ms. */
	int64_t dur_ms;      /* the span ending at ts_ms: HOLD_STOP the hold,
			      * COMPLETE the talk excluding hold, WRAPUP_END
			      * the wrap-up, AGENT_STATE the time spent in
			      * prev_state (at most REPORT_MAX_STATE_MS);
			      * 0 <= dur_ms <= ts_ms */
	int64_t ring_ms;     /* ANSWER: how long the answering phone rang */
	enum report_agent_state state;      /* AGENT_STATE: entered */
	enum report_agent_state prev_state; /* AGENT_STATE: left; equal to
					     * state books time so far */
	unsigned flags;      /* REPORT_EVF_* */
};

/* How a queue judges its calls. Thresholds apply when an event is folded;
 * abandon_sl applies when the KPI is computed. */
enum report_abandon_sl {
	REPORT_ABANDON_MISSED,   /* an abandon within sl_ms fails the target */
	REPORT_ABANDON_IGNORED,  /* … is left out of the service level */
	REPORT_ABANDON_MET,      /* … counts as meeting it */
};

struct report_queue_cfg {
	int64_t sl_ms;             /* answered within this (<=) is in service
				    * level; default 20000 */
	int64_t short_abandon_ms;  /* abandoned within this (<=) is a short
				    * abandon, left out of every KPI but total
				    * calls; default 20000 */
	enum report_abandon_sl abandon_sl;  /* default MISSED */
};

extern const struct report_queue_cfg report_default_cfg;

/* Counts and sums of one interval (or, from report_sum, of several).
 * Times are milliseconds. Call counts of a queue bucket belong to the
 * interval the call entered the queue; of an agent bucket, to the interval
 * of the event. */
struct report_bucket {
	int64_t start_ms;      /* the interval's start; a sum: the earliest */
	int64_t intervals;     /* buckets summed in; 0: nothing was there */
	int64_t sl_ms;         /* thresholds the calls were judged by: 0 no
				* call judged, -1 a sum mixing several */
	int64_t short_ms;
	int64_t entered;          /* ENTER */
	int64_t queued;           /* ENTER with REPORT_EVF_QUEUED */
	int64_t blocked;          /* BLOCKED */
	int64_t answered;         /* ANSWER */
	int64_t answered_in_sl;   /* … within sl_ms of entering */
	int64_t answer_wait_ms;   /* … their waits, summed */
	int64_t answer_ring_ms;   /* … their ring times, summed */
	int64_t abandoned;        /* ABANDON after short_ms */
	int64_t abandoned_in_sl;  /* … and within sl_ms */
	int64_t abandon_wait_ms;  /* … their waits, summed */
	int64_t short_abandoned;  /* ABANDON within short_ms */
	int64_t overflowed;       /* OVERFLOW */
	int64_t overflow_wait_ms; /* … their waits, summed */
	int64_t offers;           /* OFFER */
	int64_t ring_noanswer;    /* RING_NOANSWER */
	int64_t transferred;      /* TRANSFER */
	int64_t holds;            /* HOLD_START */
	int64_t hold_ms;          /* HOLD_STOP durations */
	int64_t completed;        /* COMPLETE */
	int64_t talk_ms;          /* COMPLETE durations (talk without hold) */
	int64_t wrap_ms;          /* WRAPUP_END durations */
	int64_t ready_ms;         /* agent time per state, split exactly */
	int64_t not_ready_ms;
	int64_t ringing_ms;
	int64_t talking_ms;
	int64_t wrapup_ms;
	/* From agents' shift schedules (sched/), for 出勤率 and 实际工作率:
	 * never folded from events and not among report_fields (not stored
	 * with the bucket); 0 where no shift was planned. */
	int64_t sched_ms;         /* agent time scheduled on duty */
	int64_t sched_agents;     /* agent-days scheduled */
	int64_t worked_agents;    /* … of which the agent signed in on duty */
};

/* The summable fields of struct report_bucket, in declaration order: for
 * storing buckets as rows and summing them. */
struct report_field {
	const char *name;   /* the member's name */
	size_t off;         /* offsetof(struct report_bucket, member) */
};
const struct report_field *report_fields(size_t *n);

/* acc += b: counts and sums add, thresholds merge (-1 when they differ). */
void report_bucket_add(struct report_bucket *acc, const struct report_bucket *b);

enum report_scope { REPORT_QUEUE, REPORT_AGENT };

/* A set of buckets; used by one thread at a time. */
struct report_set;

/* An empty set of buckets interval_ms long (> 0; REPORT_INTERVAL_MS
 * normally), aligned to the Unix epoch. *sp is the caller's
 * (report_set_free). */
int  report_set_alloc(struct report_set **sp, int64_t interval_ms);
void report_set_free(struct report_set *s);   /* NULL is fine */

/* Sets how queue `name` judges events folded from now on. EINVAL for
 * negative thresholds or an unknown abandon_sl. */
int  report_set_queue(struct report_set *s, const char *name,
		      const struct report_queue_cfg *cfg);

/* The queue's settings (report_default_cfg if never set). */
void report_queue_get(const struct report_set *s, const char *name,
		      struct report_queue_cfg *cfg);

/* Folds one event. EINVAL (and nothing changed) when a field the type
 * needs is missing or a time is out of range; ENOMEM. */
int  report_fold(struct report_set *s, const struct report_event *ev);

/* *out = the sum of the scope's buckets for `name` (NULL: every queue or
 * every agent) whose interval starts in [from_ms, to_ms). */
int  report_sum(const struct report_set *s, enum report_scope scope,
		const char *name, int64_t from_ms, int64_t to_ms,
		struct report_bucket *out);

/* out[k], for k < n, = what report_sum gives for [max(from_ms, start +
 * k * step), min(to_ms, start + (k + 1) * step)): the rows of a report in
 * one walk of the set. start <= from_ms and step > 0, else EINVAL. */
int  report_sum_rows(const struct report_set *s, enum report_scope scope,
		     const char *name, int64_t from_ms, int64_t to_ms,
		     int64_t start, int64_t step, size_t n,
		     struct report_bucket *out);
/* The same rows added to out[k] (report_bucket_add) instead of put
 * there: a second set summed into the same rows, with no array of its
 * own. Same arguments and errors. */
int  report_add_rows(const struct report_set *s, enum report_scope scope,
		     const char *name, int64_t from_ms, int64_t to_ms,
		     int64_t start, int64_t step, size_t n,
		     struct report_bucket *out);

/* Receives one bucket; a non-zero return stops the walk and is returned. */
typedef int (report_bucket_h)(enum report_scope scope, const char *name,
			      const struct report_bucket *b, void *arg);

/* Calls h for every bucket changed since the last flush (for storing them
 * incrementally); a bucket is clean once h returned 0 for it. */
int  report_flush(struct report_set *s, report_bucket_h *h, void *arg);

/* Makes room for n more buckets at once, so that loading n does not
 * rehash the set as it grows: 0 or ENOMEM. */
int  report_set_expect(struct report_set *s, size_t n);

/* Adds a stored bucket back (after a restart); it is not dirty. EINVAL
 * when b->start_ms is not an interval start of this set. */
int  report_load(struct report_set *s, enum report_scope scope,
		 const char *name, const struct report_bucket *b);

/* Drops every clean bucket (stored since its last change) whose interval
 * starts before before_ms, so a long-running set holds only the buckets
 * that can still change; *n (may be NULL) gets how many went. A later
 * event for a dropped interval starts its bucket afresh from zero: the
 * caller then holds a change to add to what it stored, not the whole. */
int  report_evict(struct report_set *s, int64_t before_ms, size_t *n);

/* Figures of a period that queue events do not carry: they come from the
 * stored calls, wrap-up codes, work orders, callback tasks, QA evaluations
 * and staff records, read on the worker pool (report_side_read) and summed
 * like buckets. Which KPI reads which is the table in kpi.c. */
struct report_side {
	int64_t fcr_answered;    /* answered inbound calls (report_fcr) */
	int64_t fcr_resolved;
	int64_t fcr_repeated;
	int64_t fcr_followed_up;
	int64_t fcr_unresolved;
	int64_t rung_calls;      /* inbound calls someone answered (agent,
				  * IVR or queue) … */
	int64_t rings;           /* … and the rings their callers heard
				  * first (report_rings) */
	int64_t qa_scored;       /* QA evaluations */
	double qa_score_sum;     /* … their final scores (after appeals) */
	int64_t staff_start;     /* agents on staff on the period's first
				  * day (report_turnover) */
	int64_t staff_end;       /* … after its last day */
	int64_t leavers;         /* … whose last day fell in it */
	bool staff;              /* the staff figures were read */
};

/* acc += s, every count and sum; staff figures are not summable (a
 * headcount is a level, not a flow) and are left as acc has them. */
void report_side_add(struct report_side *acc, const struct report_side *s);

/* One KPI. `needs` is NULL when Hotline computes it, else the data it
 * lacks; a computed KPI reads one summed bucket (compute) or the period's
 * side figures (side), never both. The reference document's name,
 * definition and target are quoted in docs/kpi.md. */
struct report_kpi_def {
	const char *id;        /* "service_level": API and JSON name */
	const char *name_zh;   /* as in the reference document */
	const char *name_en;
	const char *unit;      /* "ratio" (0..1), "s", "calls", "calls/h" */
	const char *formula;   /* over bucket fields */
	const char *target;    /* the reference document's, or NULL */
	double target_lo;      /* target range; NAN where open or none */
	double target_hi;
	const char *needs;
	int (*compute)(const struct report_bucket *b,
		       const struct report_queue_cfg *cfg, double *v);
	int (*side)(const struct report_side *s, double *v);
};

/* The table, n rows. */
const struct report_kpi_def *report_kpis(size_t *n);

/* The row with this id, or NULL. */
const struct report_kpi_def *report_kpi_find(const char *id);

/* The decimals the KPI report shows def's values to (docs/kpi.md, "Values
 * as the report shows them"): seconds to the millisecond (3), every other
 * unit — ratios, calls per hour, rings, points — to 6. */
int  report_kpi_decimals(const struct report_kpi_def *def);

/* 0 and *v; ENODATA when there is nothing to divide by (no calls, no agent
 * time); ENOTSUP for a KPI that needs data Hotline does not have. cfg NULL
 * means report_default_cfg. */
int  report_kpi(const struct report_kpi_def *def, const struct report_bucket *b,
		const struct report_queue_cfg *cfg, double *v);

/* The same for a KPI read from side figures: 0 and *v; ENODATA (nothing
 * to divide by, or staff figures not read); ENOTSUP when def is a bucket
 * KPI or one Hotline cannot compute. */
int  report_kpi_side(const struct report_kpi_def *def,
		     const struct report_side *s, double *v);

/* ---- first-contact resolution (一次性解决问题的呼叫率, fcr.c): "指不需要
 * 呼叫者再呼、也不需要业务员回呼就将问题解决了的电话的百分数" — the calls
 * whose caller did not have to call again, nor be called back. */

/* One inbound call from a customer's number, answered or not. */
struct report_contact {
	const char *number;   /* the caller's number, as stored; borrowed */
	int64_t at_ms;        /* when it began */
	bool answered;        /* an agent talked to the caller (and the call
				 is one the report is about: its queue or
				 agent); other calls only count as repeats */
	bool followed_up;     /* it left work for later: a callback task, a
				 work order handed to someone else */
	bool unresolved;      /* its wrap-up code says "not resolved" */
};

struct report_fcr {
	uint64_t answered;    /* answered calls that began in [from, to) */
	uint64_t resolved;    /* … neither followed up, nor coded not
				 resolved, nor called again */
	uint64_t repeated;    /* … the number called again within window */
	uint64_t followed_up; /* … that left work for later */
	uint64_t unresolved;  /* … coded not resolved at wrap-up */
};

/* Folds contacts — sorted by number, then at_ms; those up to to + window
 * included, so a repeat just after the period counts — into *out: an
 * answered call of [from, to) is resolved at first contact when it left no
 * work and its number did not call again within window_ms. EINVAL when not
 * sorted or window_ms < 0; nothing counted then. */
int  report_fcr_fold(const struct report_contact *c, size_t n, int64_t from,
		     int64_t to, int64_t window_ms, struct report_fcr *out);

/* The same per interval: out[k] (nbins of them, zeroed first) counts the
 * answered calls of [from, to) that began in [origin + k * step, origin +
 * (k + 1) * step); origin <= from, step > 0, and [from, to) must lie in
 * the nbins intervals, else EINVAL and out untouched. */
int  report_fcr_bins(const struct report_contact *c, size_t n, int64_t from,
		     int64_t to, int64_t origin, int64_t step, size_t nbins,
		     int64_t window_ms, struct report_fcr *out);

/* Why an answered call was not resolved at first contact (bits). */
enum {
	REPORT_FCR_REPEATED = 1,      /* its number called again in time */
	REPORT_FCR_FOLLOWED_UP = 2,   /* it left work for later */
	REPORT_FCR_UNRESOLVED = 4,    /* coded not resolved */
};

/* Per contact, as report_fcr_fold judges it: why[i] is -1 when c[i] is
 * not counted (not answered, or outside [from, to)), else its
 * REPORT_FCR_* bits, 0 for resolved. EINVAL as report_fcr_fold. */
int  report_fcr_marks(const struct report_contact *c, size_t n, int64_t from,
		      int64_t to, int64_t window_ms, int *why);

/* ---- the caller's rings (平均振铃次数, side.c) ---- */

/* China's ringback cadence (YD/T 1258): 1 s of tone, 4 s of silence, so
 * a ring begins every 5 s, the first as the call arrives. */
enum { REPORT_RING_PERIOD_MS = 5000 };

/* The rings a caller heard before an answer ring_ms after the call
 * arrived, one ring beginning every period_ms from 0: the rings that had
 * begun, ceil(ring_ms / period_ms); 0 for ring_ms <= 0 (answered on
 * arrival) or period_ms <= 0. */
int64_t report_rings(int64_t ring_ms, int64_t period_ms);

/* ---- agent turnover (话务员流动率, staff.c) ---- */

/* One agent's staff record, in days since 1970-01-01 (UTC). */
struct report_staff {
	int32_t hired;        /* the first day on staff */
	int32_t left;         /* the last day on staff; -1: still there */
};

struct report_turnover {
	int64_t start;        /* on staff on day d0 */
	int64_t end;          /* on staff on day d1 (after the period) */
	int64_t leavers;      /* last day in [d0, d1) */
};

/* Counts over the days [d0, d1) (d0 < d1, else EINVAL). A record with
 * left < hired is refused (EINVAL), nothing counted. Turnover is then
 * leavers / ((start + end) / 2). */
int  report_turnover(const struct report_staff *s, size_t n, int32_t d0,
		     int32_t d1, struct report_turnover *out);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back; "YYYY-
 * MM-DD" parsed (EINVAL unless a real date of years 1900..9999) and
 * printed (buf of 11). */
int32_t report_days(int y, int m, int d);
void report_civil(int32_t days, int *y, int *m, int *d);
int  report_date_parse(const char *s, int32_t *days);
void report_date_print(int32_t days, char buf[11]);

/* ---- reading side figures (read.c): on a worker thread, never on the
 * loop; the only part of this folder that does I/O ---- */
struct db;

/* A period and its intervals: bin k is [origin + k * step, origin + (k +
 * 1) * step), clipped to [from, to), which the nbins must cover; origin
 * <= from. */
struct report_side_q {
	const char *queue;       /* only this queue's calls; NULL: all */
	const char *agent;       /* only this agent's; NULL: all */
	int64_t from, to;        /* Unix ms, from < to */
	int64_t origin, step;
	size_t nbins;
	int64_t fcr_window_ms;   /* a repeat call within this is a repeat */
	int64_t ring_period_ms;  /* a ring begins every this (5000) */
	/* Now, for bins a whole number of days long: FCR and rings of the
	 * whole days settled by now (the window after them passed) are the
	 * days' stored rows (report_side_days). 0: all read from the calls. */
	int64_t now_ms;
};

/* The module's settings (settings.c's rows), read once by its open hook
 * into the house (mod_house.report), where the KPI and FCR requests of
 * queue/, spc/ and this module find them. */
struct report_values {
	uint32_t fcr_window_h;     /* report.fcr_window_h: 0..8760 */
	uint32_t ring_period_ms;   /* report.ring_period_ms: 1000..60000 */
};

/* Sets q's repeat window and ring period from v. */
void report_side_settings(const struct report_values *v,
			  struct report_side_q *q);

/* Fills bins[0..nbins) and *total (their sum) from the calls, wrap-up
 * codes, work orders, tasks and QA evaluations of q; with neither queue
 * nor agent, also total's staff figures over the days from..to (UTC)
 * touches. EINVAL for a bad q, ENOMEM, EIO (read failed); nothing is
 * written to but bins and total. */
int  report_side_read(struct db *db, const struct report_side_q *q,
		      struct report_side *bins, struct report_side *total);

/* Adds to q's bins the FCR and ring figures of q's queue, agent or (both
 * NULL) center over the UTC days [d0, d1), each judged over its own day:
 * the days' rows of kpi_side_days (migration 049) where stored, else
 * computed from the calls for every name and stored (through the writer,
 * so a later read finds them). The days must be settled (the window after
 * d1 passed), inside [q->from, q->to) and q->step a whole number of days;
 * else EINVAL. ENOMEM, EIO. */
int  report_side_days(struct db *db, const struct report_side_q *q,
		      int64_t d0, int64_t d1, struct report_side *bins);

/* The agents' staff records (users of role agent with a hire date; of
 * department dept and the ones below it, NULL: every one) in *v, n of
 * them (*v yours, free(); NULL when none); EIO, ENOMEM. */
int  report_staff_list(struct db *db, const char *dept,
		       struct report_staff **v, size_t *n);

/* One answered call that was not resolved at first contact. */
struct report_fcr_call {
	char id[64];
	char caller[64];
	char agent[32];
	char queue[32];
	int64_t at_ms;
	unsigned why;            /* REPORT_FCR_* bits, never 0 */
};

/* First-contact resolution over [q->from, q->to) as a whole (q's bins are
 * not used): the counts in *total, and the calls not resolved in time
 * order in *v, n of them (*v yours, free(); NULL when none). EINVAL for a
 * bad q, ENOMEM, or the read's error. */
int  report_fcr_calls(struct db *db, const struct report_side_q *q,
		      struct report_fcr_call **v, size_t *n,
		      struct report_fcr *total);

/* Staff figures (report_turnover) of every agent's record over the days
 * [d0, d1). */
int  report_staff_read(struct db *db, int32_t d0, int32_t d1,
		       struct report_turnover *out);

/* Event type and agent state names as stored in the event log ("answer",
 * "not_ready"); parse gives EINVAL for an unknown name. */
const char *report_ev_name(enum report_ev_type t);
int  report_ev_parse(const char *name, enum report_ev_type *t);
const char *report_state_name(enum report_agent_state st);
int  report_state_parse(const char *name, enum report_agent_state *st);

/* The module's row in `hotline serve` (http.c): its routes. */
struct mod_export;
extern const struct mod_export report_module;

#endif
