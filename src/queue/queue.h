/* queue: the live queues, the ACD's host in `hotline serve` (the router
 * itself is acd/, pure, shared with the simulator). It feeds the router with what
 * happens in real calls and carries out the router's decisions through the
 * B2BUA (call/): a caller to a queue DID waits with music on hold, the
 * chosen agent's phone rings, a ring that times out is cancelled and the
 * next agent offered, an answer is bridged. Every queue and agent event is
 * published on the bus (queue.enter, queue.offer, queue.ring_noanswer,
 * queue.answer, queue.abandon, queue.overflow, queue.complete,
 * queue.wrapup_end, queue.hold_start, queue.hold_stop, queue.transfer,
 * agent.state) with the fields docs/kpi.md section 2
 * needs, so the event log can recompute every KPI; the KPI fold (report/)
 * is fed from those bus events and its buckets are stored. Waiting callers
 * of a queue with announce_s hear their position and estimated wait
 * (announce.c, queue.announce).
 *
 * Facts that always hold:
 *  (1) Configuration (queues, members) lives in the database and is
 *      applied to the router whole or not at all: an invalid change is
 *      refused with the reason and the running configuration stays.
 *  (2) Every agent state change is written to agent_state before the next
 *      event is handled, so a restart logs nobody out and resets no
 *      counter (a ringing or talking agent comes back ready or in wrap-up).
 *  (3) A queue's bucket counters reach kpi_buckets within flush_ms and at
 *      stop.
 *  (4) Agent ids are the extensions' numbers: only extensions made of
 *      digits (1..4294967295) can be agents.
 */
#ifndef HL_QUEUE_H
#define HL_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "report/report.h"

struct queue_host;
struct mod_export;

/* The module's row for `hotline serve` (base/mod.h): starts after call/
 * (it installs the call manager's queue hooks), sets h->queues, serves the
 * queue, agent and KPI routes (http.c). */
extern const struct mod_export queue_module;
struct db;
struct bus;
struct call_mgr;
struct sipx;
struct media_tts;

/* Lengths of a queue's names and texts, NUL included. */
enum { QUEUE_NAME_LEN = 32, QUEUE_EXT_LEN = 16, QUEUE_STRAT_LEN = 24,
       QUEUE_OVF_LEN = 48, QUEUE_EMPTY_LEN = 16, QUEUE_PATH_LEN = 256,
       QUEUE_LANG_LEN = 8, QUEUE_CONSENT_LEN = 256,
       QUEUE_PROMPT_LEN = 65 /* prompt.h's PROMPT_NAME_MAX + 1 */,
       QUEUE_SUPS_LEN = 512 };

/* A queue's configuration (cfg.c holds its field rows). */
struct queue_qcfg {
	char name[QUEUE_NAME_LEN];
	char strategy[QUEUE_STRAT_LEN];
	int64_t ring_timeout_ms, retry_ms, max_wait_ms, wrapup_ms;
	int64_t noanswer_pause_ms, sl_ms, short_abandon_ms;
	uint32_t max_len, noanswer_max, weight;
	bool wrapup_required;           /* wrap-up lasts until a code is filed */
	char overflow[QUEUE_OVF_LEN];   /* "hangup", "queue:NAME", … */
	char survey[QUEUE_NAME_LEN];    /* the IVR flow callers go to when
					 * their agent hangs up; "" none */
	char overflow_prompt[QUEUE_PATH_LEN];  /* heard before an overflow
						* hang-up; "" none */
	char join_empty[QUEUE_EMPTY_LEN], leave_empty[QUEUE_EMPTY_LEN];
	int64_t sticky_window_ms, sticky_wait_ms;
	/* What waiting callers are told (announce.c); stored apart, in
	 * queue_announce. */
	int64_t announce_s;             /* period; 0: no announcements */
	bool announce_position, announce_wait;
	char announce_lang[QUEUE_LANG_LEN];   /* "zh" or "en" */
	/* The consent prompt (call/consent.c): text spoken, or an uploaded
	 * prompt's name (wins); "" none. */
	char consent_text[QUEUE_CONSENT_LEN];
	char consent_file[QUEUE_PROMPT_LEN];
	/* Who may monitor the queue's calls (call/http_gate.c): user names
	 * and "dept:ID", comma-separated; "" nobody beyond the data scope. */
	char supervisors[QUEUE_SUPS_LEN];
};

struct queue_opts {
	struct db *db;            /* not a ref: outlives the host */
	struct bus *bus;          /* not a ref */
	struct call_mgr *calls;   /* not a ref; the host installs its hooks */
	struct sipx *sipx;        /* not a ref: who is registered at start */
	bool phone_login;         /* a phone's registration logs its agent in
				   * ready; its last binding ending logs out */
	uint32_t flush_ms;        /* how often buckets and checkpoints are
				   * stored (> 0) */
	struct media_tts *tts;    /* not a ref: speaks the announcements;
				   * NULL: queues announce nothing */
};

/* Loads queues, members, agent states and KPI buckets from the database,
 * subscribes to the bus and takes the call manager's queue calls. Must run
 * on the signalling loop. *hp is the caller's (queue_host_stop). why gets
 * the reason of a failure (e.g. a stored queue the router refuses). */
int  queue_host_start(struct queue_host **hp, const struct queue_opts *o,
		      char *why, size_t n);

/* Saves every agent's state and the KPI buckets, unsubscribes, frees. Call
 * it after the call manager has hung up every call. NULL is fine. */
void queue_host_stop(struct queue_host *h);

/* Who owns a caller (crm/'s customer records): 0 with the owner's
 * extension in ext (n bytes), or ENOENT. On the loop, from memory. */
typedef int (queue_owner_h)(void *arg, const char *caller, char *ext,
			    size_t n);

/* Sticky queues ring a caller's owner first, before the agent who last
 * served them: fn (NULL: none) is asked while the router decides. */
void queue_host_set_owner(struct queue_host *h, queue_owner_h *fn, void *arg);

/* --- for other modules. Errors: EINVAL (why says what is wrong), ENOENT
 * (no such queue or agent), ENOMEM, EIO. The JSON the queue routes answer
 * is shaped inside queue/ (queue_int.h).
 *
 * What the database holds is read apart from what the host holds live, so
 * the read can run on a worker thread and the answer be shaped on the loop:
 * queue_members_read (worker: the database only, never the host), then the
 * host's live state on the loop. */

/* One row of the queues an agent serves, as stored. */
struct queue_membership {
	char ext[QUEUE_EXT_LEN];
	char queue[QUEUE_NAME_LEN];
	int64_t skill, position;
};
struct queue_members {
	struct queue_membership *rows;   /* by ext, then queue */
	size_t n;
};

/* The queues each agent serves, as stored, after every write queued before
 * the call (db_flush: a read that follows the host's own change sees it),
 * for agent ext or (ext NULL) every agent. Touches no host state: meant
 * for a worker thread. *out is the caller's (queue_members_free). */
int  queue_members_read(struct db *db, const char *ext,
			struct queue_members *out);
/* Frees m's rows; m itself is the caller's. NULL is fine. */
void queue_members_free(struct queue_members *m);

/* Queue name's configuration, copied into *out: 0 or ENOENT. On the
 * loop, from memory. */
int  queue_cfg_get(struct queue_host *h, const char *name,
		   struct queue_qcfg *out);

/* A KPI report comes in two halves. Buckets from the horizon on (today,
 * UTC) are the host's, in memory; older ones are rows in the database,
 * read by queue_kpi_read on a worker (the pool), never on the loop. */
struct report_set;
struct report_side;
/* The horizon now (loop thread). */
int64_t queue_kpi_horizon(const struct queue_host *h);
/* The stored half, on any thread: the rows of agent (else queue; both NULL:
 * every queue) whose intervals start in [from_ms, min(to_ms, horizon)),
 * read after every write queued so far has landed. *sp is NULL when the
 * span starts at or after the horizon; else it is the caller's
 * (queue_kpi_stored_free). */
int  queue_kpi_read(struct db *db, const char *queue, const char *agent,
		    int64_t from_ms, int64_t to_ms, int64_t horizon,
		    struct report_set **sp);
/* The same for a report of rows interval_ms long: when that is whole
 * days, each whole UTC day is read as one stored bucket at its start (its
 * 15-minute rows summed, migration 047), so *sp holds sums right for
 * whole-day rows only; a year of days reads 365 rows a name. */
int  queue_kpi_read_by(struct db *db, const char *queue, const char *agent,
		       int64_t from_ms, int64_t to_ms, int64_t horizon,
		       int64_t interval_ms, struct report_set **sp);
void queue_kpi_stored_free(struct report_set *s);
/* Whether u's data scope covers the KPI figures of queue (else agent;
 * both NULL or "": the center's whole figures), scope.c: 0, or EACCES
 * with why, or the read's error. On a worker (database reads). */
struct api_user;
int  queue_scope_check(struct db *db, const struct api_user *u,
		       const char *queue, const char *agent, char *why,
		       size_t n);
/* The most rows a KPI report has: a leap year of 15-minute intervals. */
enum { QUEUE_KPI_MAX_ROWS = 366 * 96 };
/* One row of a KPI report: an interval, or the whole period. */
struct queue_kpi_row {
	int64_t start_ms;              /* the interval's start; the period's
					* from_ms */
	struct report_bucket counts;   /* its 15-minute buckets summed */
	int64_t offered;               /* answered + abandoned + overflowed */
	bool has_side;                 /* side holds its side figures */
	struct report_side side;
	const double *kpis;            /* one per report_kpis() row, as the
					* reply shows it (rounded, report_kpi_
					* decimals); NAN where the reply has
					* null or nothing */
};
/* A KPI report: the rows the reply shows, in time order, and with side
 * figures the period. Everything in it is the caller's, freed by
 * queue_kpi_result_free (the rows' kpis point into its own block). */
struct queue_kpi_result {
	int64_t interval_ms, from_ms, to_ms;
	struct queue_kpi_row *rows;    /* the intervals with data */
	size_t nrows;
	bool has_period;               /* side and total were given */
	struct queue_kpi_row period;
	double *kpi_block;             /* private: the rows' kpis */
};
/* KPI rows per interval (interval_ms: 15 min, 1 h or 1 d) over
 * [from_ms, to_ms) for one queue, one agent or (both NULL) every queue:
 * the host's buckets in memory plus stored, which queue_kpi_read read for
 * the same span at horizon; an interval is shown when something happened
 * in it (a call, or in side an evaluation made then). side, when not
 * NULL, holds each interval's side figures (report_side_read with origin
 * from_ms - from_ms % interval_ms and step interval_ms) and total their
 * sum over the span: the rows then have the KPIs read from them, and the
 * result a period with every KPI over the whole span. *out is the
 * caller's (queue_kpi_result_free); on failure it holds no rows and needs
 * no freeing. EAGAIN when the
 * horizon has moved since (a day ended and its buckets left memory): read
 * again. */
int  queue_kpi_report(struct queue_host *h, int64_t from_ms, int64_t to_ms,
		      const char *queue, const char *agent,
		      int64_t interval_ms, const struct report_set *stored,
		      int64_t horizon, const struct report_side *side,
		      const struct report_side *total,
		      struct queue_kpi_result *out, char *why, size_t n);
/* Frees what r holds (r itself is the caller's); NULL is fine. */
void queue_kpi_result_free(struct queue_kpi_result *r);
/* The index of KPI id among report_kpis() (a row's kpis), or -1. */
int  queue_kpi_index(const char *id);
/* The same report as JSON text, what GET /api/v1/reports/kpi sends,
 * written straight from the sums: {"queue","agent","interval_ms","rows":
 * [{"counts":{…},"kpis":{…},"start_ms"}],"period":{…}} with the numbers
 * queue_kpi_report's result holds (*text yours: free()). */
int  queue_kpi_report_text(struct queue_host *h, int64_t from_ms,
			   int64_t to_ms, const char *queue, const char *agent,
			   int64_t interval_ms, const struct report_set *stored,
			   int64_t horizon, const struct report_side *side,
			   const struct report_side *total, char **text,
			   size_t *len, char *why, size_t n);

/* "15m", "1h", "1d" → the interval in ms; EINVAL otherwise. */
int  queue_interval_parse(const char *s, int64_t *ms);

#endif
