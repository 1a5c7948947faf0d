/* kpimap: the one mapping from what happens to queued calls and agents to
 * the KPI engine's report events (report.h): the router's actions
 * (acd.h: OFFER, CANCEL, OVERFLOW, AGENT_STATE) and the host's own call
 * happenings (a call entered a queue, was answered, completed, abandoned;
 * an agent's time is booked at a checkpoint). `hotline serve`
 * (queue/host.c) and `hotline sim` (sim/host.c, sim/run.c) both build
 * their report events here and then do their own side effects (ring a
 * phone, publish on the bus / schedule a simulated answer, fold), so a
 * simulated day and a real day are measured by the same rules
 * (docs/simulator.md, "Event mapping"; docs/kpi.md, "Events").
 *
 * Pure: no I/O, no clock, no memory of its own. Time comes in the action
 * (at_ms) or as an argument; what must be remembered between events (when
 * an agent entered its state, when its phone began to ring, when its
 * wrap-up began and which call that followed) is the host's, handed in as
 * context, and the host updates it after the call.
 *
 * Why a module of its own and not a file of report/: report's folds use
 * nothing but base/ (DESIGN.md), and the router's action types are acd's.
 * This sits above both and uses only acd.h, report.h and base/.
 *
 * Rules that always hold:
 *  (1) An event about a call is made only when its queue is known
 *      (ctx queue not NULL); an event about an agent only when the agent
 *      is (ctx agent not NULL). Unknown → no event, never a half one.
 *  (2) A CANCEL is a ring that went unanswered (ring_noanswer) only when
 *      its reason is "timeout"; abandoned, answered elsewhere (ring-all)
 *      or withdrawn for the agent's own state change are not.
 *  (3) Time an agent spent in a state is never negative and at most
 *      REPORT_MAX_STATE_MS (a longer span is booked as that much).
 *  (4) Strings in the events point to the caller's (ctx) strings. */
#ifndef HL_KPIMAP_KPIMAP_H
#define HL_KPIMAP_KPIMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acd/acd.h"
#include "report/report.h"

/* The most events one action maps to (AGENT_STATE out of wrap-up). */
enum { KPIMAP_MAX_EVENTS = 2 };

/* What the host knows that the action does not say. Leave zero what the
 * action's kind does not use. */
struct kpimap_ctx {
	const char *queue;       /* OFFER, CANCEL, OVERFLOW: the call's queue
				  * (OVERFLOW: the one it leaves); NULL: the
				  * call is unknown */
	const char *agent;       /* OFFER, CANCEL, AGENT_STATE: the agent's
				  * report name; NULL: unknown */
	int64_t enter_ms;        /* CANCEL: when the call entered its queue */
	int64_t since_ms;        /* AGENT_STATE: when the agent entered the
				  * state it leaves */
	int64_t wrap_at_ms;      /* AGENT_STATE out of wrap-up: when it began */
	const char *wrap_queue;  /* … the queue of the call it followed;
				  * NULL or "": none, so no wrapup_end */
	int64_t wrap_enter_ms;   /* … and when that call entered it */
};

/* The report state of a router state (logged_out for one out of range). */
enum report_agent_state kpimap_state(enum acd_agent_state s);

/* The report events of router action a, at a->at_ms, into out[0..*n):
 *   OFFER        → offer {queue, agent, enter_ms = at − waited}
 *   CANCEL       → ring_noanswer {queue, agent, ctx enter_ms} when the
 *                  reason is "timeout", else nothing
 *   OVERFLOW     → overflow {queue left, enter_ms = at − waited}; the
 *                  entry into a queue it overflows to is the host's
 *                  kpimap_enter
 *   AGENT_STATE  → agent_state {agent, state, prev_state, dur_ms = time in
 *                  prev_state}, then wrapup_end {wrap_queue, agent,
 *                  wrap_enter_ms, dur_ms = at − wrap_at} when it leaves
 *                  wrap-up after a call
 * 0, or EINVAL (nothing made) for an unknown action kind. */
int  kpimap_action(const struct acd_action *a, const struct kpimap_ctx *ctx,
		   struct report_event out[KPIMAP_MAX_EVENTS], size_t *n);

/* A call entered queue at at_ms; queued: no agent could take it at once
 * (it was not offered within the same router call). */
struct report_event kpimap_enter(const char *queue, int64_t at_ms,
				 bool queued);

/* agent answered the call of queue entered at enter_ms; its phone began to
 * ring at ring_at_ms. */
struct report_event kpimap_answer(const char *queue, int64_t enter_ms,
				  const char *agent, int64_t ring_at_ms,
				  int64_t at_ms);

/* The conversation of agent with the call of queue (entered at enter_ms)
 * ended at at_ms after talk_ms of talk (hold excluded). */
struct report_event kpimap_complete(const char *queue, int64_t enter_ms,
				    const char *agent, int64_t talk_ms,
				    int64_t at_ms);

/* The caller of queue (entered at enter_ms) hung up unanswered at at_ms. */
struct report_event kpimap_abandon(const char *queue, int64_t enter_ms,
				   int64_t at_ms);

/* Books agent's time in st since since_ms up to at_ms (a checkpoint: the
 * state it stays in). 0 and *ev; ENOENT (nothing to book) when the agent
 * is logged out. */
int  kpimap_checkpoint(const char *agent, enum report_agent_state st,
		       int64_t since_ms, int64_t at_ms,
		       struct report_event *ev);

#endif
