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
#include <jansson.h>

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

/* --- for the API. Errors: EINVAL (why says what is wrong), ENOENT (no
 * such queue or agent), ENOMEM, EIO. JSON results are the caller's
 * (json_decref).
 *
 * What the database holds is read apart from what the host holds live, so
 * the read can run on a worker thread and the answer be shaped on the loop:
 * queue_members_read (worker: the database only, never the host), then the
 * function taking its members object (loop: the host's live state). */

/* The queues each agent serves, as stored, after every write queued before
 * the call (db_flush: a read that follows the host's own change sees it):
 * {ext: [{"queue","skill","position"}…] in queue order}, for agent ext or
 * (ext NULL) every agent. Touches no host state: meant for a worker
 * thread. *out is the caller's. */
int  queue_members_read(struct db *db, const char *ext, json_t **out);

/* The functions below run on the loop thread. */
/* Live queues: waiting, longest wait, agents by state, today's figures. */
int  queue_live_queues(struct queue_host *h, json_t **out);
/* Live agents: state, reason, time in state, today's counters, and their
 * queues from members (queue_members_read of every agent). */
int  queue_live_agents(struct queue_host *h, const json_t *members,
		       json_t **out);
/* The live view's parts (mod_live_part bits of base/mod.h): "agents" and
 * "queues" arrays added to data, items as the two above list them, the
 * agents' queues as the router serves them; memory only (view.c). */
int  queue_live_view(struct queue_host *h, unsigned parts, json_t *data);
/* Sets agent ext to "ready", "not_ready" (reason: an active not-ready
 * reason's code, EINVAL otherwise) or "logged_out". */
int  queue_agent_state_set(struct queue_host *h, const char *ext,
			   const char *state, const char *reason, char *why,
			   size_t n);
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
/* KPI rows per interval (interval_ms: 15 min, 1 h or 1 d) over
 * [from_ms, to_ms) for one queue, one agent or (both NULL) every queue:
 * the host's buckets in memory plus stored, which queue_kpi_read read for
 * the same span at horizon. side, when not NULL, holds each row's side
 * figures (report_side_read with origin from_ms - from_ms % interval_ms
 * and step interval_ms) and total their sum over the span: the reply then
 * has the KPIs read from them, and a "period" object with every KPI over
 * the whole span. EAGAIN when the horizon has moved since (a day ended
 * and its buckets left memory): read again. */
int  queue_kpi_report(struct queue_host *h, int64_t from_ms, int64_t to_ms,
		      const char *queue, const char *agent,
		      int64_t interval_ms, const struct report_set *stored,
		      int64_t horizon, const struct report_side *side,
		      const struct report_side *total, json_t **out,
		      char *why, size_t n);

/* The administrator's lists: not-ready reasons (what PUT state's reason
 * must name) and wrap-up codes (filed with a call, POST
 * /api/v1/calls/{id}/wrapup). Every row in order, {"items": […]}; create
 * one from JSON (EEXIST when its code is taken); change one (ENOENT); remove
 * one. Writes are queued (db_write); EINVAL names the field in why. */
enum queue_code_kind { QUEUE_REASONS, QUEUE_WRAPUP_CODES };
int  queue_codes_list(struct queue_host *h, enum queue_code_kind k,
		      json_t **out);
int  queue_codes_create(struct queue_host *h, enum queue_code_kind k,
			const json_t *body, json_t **out, char *why, size_t n);
int  queue_codes_update(struct queue_host *h, enum queue_code_kind k,
			const char *code, const json_t *body, json_t **out,
			char *why, size_t n);
int  queue_codes_delete(struct queue_host *h, enum queue_code_kind k,
			const char *code, char *why, size_t n);

/* "15m", "1h", "1d" → the interval in ms; EINVAL otherwise. */
int  queue_interval_parse(const char *s, int64_t *ms);

/* Queue configuration: every queue as stored, with its members from
 * members (queue_members_read of every agent); one; create or replace one
 * from a JSON object (docs/api.md lists the fields); remove an idle one. */
int  queue_cfg_list(struct queue_host *h, const json_t *members,
		    json_t **out);
int  queue_cfg_get(struct queue_host *h, const char *name, json_t **out);
int  queue_cfg_put(struct queue_host *h, const char *name, const json_t *body,
		   char *why, size_t n);
int  queue_cfg_delete(struct queue_host *h, const char *name, char *why,
		      size_t n);
/* Agent configuration: the queues agent ext serves, from members
 * (queue_members_read), as
 * {"ext":EXT,"queues":[{"queue":NAME,"skill":N,"position":N}…]}. */
int  queue_agent_cfg_get(struct queue_host *h, const char *ext,
			 const json_t *members, json_t **out);
/* Applies to the router, then queues the write (db_write): read it back
 * with queue_members_read, which waits for it. */
int  queue_agent_cfg_put(struct queue_host *h, const char *ext,
			 const json_t *body, char *why, size_t n);

#endif
