/* kpimap: router actions and host happenings → report events (kpimap.h).
 * One function per action kind, chosen from a table. */
#include <errno.h>
#include <string.h>
#include "kpimap/kpimap.h"

static const enum report_agent_state state_map[ACD_AGENT_STATES] = {
	[ACD_LOGGED_OUT] = REPORT_AGENT_LOGGED_OUT,
	[ACD_READY]      = REPORT_AGENT_READY,
	[ACD_NOT_READY]  = REPORT_AGENT_NOT_READY,
	[ACD_RINGING]    = REPORT_AGENT_RINGING,
	[ACD_TALKING]    = REPORT_AGENT_TALKING,
	[ACD_WRAP_UP]    = REPORT_AGENT_WRAPUP,
};

enum report_agent_state kpimap_state(enum acd_agent_state s)
{
	return (unsigned)s < ACD_AGENT_STATES ? state_map[s] :
		REPORT_AGENT_LOGGED_OUT;
}

/* Rule (3): a span from since to at, never negative, at most a year. */
static int64_t state_span(int64_t since, int64_t at)
{
	int64_t d = at > since ? at - since : 0;

	return d > REPORT_MAX_STATE_MS ? REPORT_MAX_STATE_MS : d;
}

static size_t map_offer(const struct acd_action *a,
			const struct kpimap_ctx *x, struct report_event *out)
{
	if (!x->queue || !x->agent)
		return 0;
	out[0] = (struct report_event){
		.type = REPORT_EV_OFFER, .ts_ms = a->at_ms,
		.queue = x->queue, .agent = x->agent,
		.enter_ms = a->at_ms - a->waited_ms,
	};
	return 1;
}

static size_t map_cancel(const struct acd_action *a,
			 const struct kpimap_ctx *x, struct report_event *out)
{
	if (!x->queue || !x->agent || !a->reason ||
	    strcmp(a->reason, "timeout"))
		return 0;
	out[0] = (struct report_event){
		.type = REPORT_EV_RING_NOANSWER, .ts_ms = a->at_ms,
		.queue = x->queue, .agent = x->agent, .enter_ms = x->enter_ms,
	};
	return 1;
}

static size_t map_overflow(const struct acd_action *a,
			   const struct kpimap_ctx *x,
			   struct report_event *out)
{
	if (!x->queue)
		return 0;
	out[0] = (struct report_event){
		.type = REPORT_EV_OVERFLOW, .ts_ms = a->at_ms,
		.queue = x->queue, .enter_ms = a->at_ms - a->waited_ms,
	};
	return 1;
}

static size_t map_state(const struct acd_action *a,
			const struct kpimap_ctx *x, struct report_event *out)
{
	enum report_agent_state from = kpimap_state(a->from);

	if (!x->agent)
		return 0;
	out[0] = (struct report_event){
		.type = REPORT_EV_AGENT_STATE, .ts_ms = a->at_ms,
		.agent = x->agent, .state = kpimap_state(a->to),
		.prev_state = from, .dur_ms = state_span(x->since_ms, a->at_ms),
	};
	if (from != REPORT_AGENT_WRAPUP || !x->wrap_queue || !*x->wrap_queue)
		return 1;
	out[1] = (struct report_event){
		.type = REPORT_EV_WRAPUP_END, .ts_ms = a->at_ms,
		.queue = x->wrap_queue, .agent = x->agent,
		.enter_ms = x->wrap_enter_ms, .dur_ms = a->at_ms - x->wrap_at_ms,
	};
	return 2;
}

typedef size_t (map_h)(const struct acd_action *a,
		       const struct kpimap_ctx *x, struct report_event *out);

static map_h *const maps[] = {
	[ACD_ACT_OFFER]       = map_offer,
	[ACD_ACT_CANCEL]      = map_cancel,
	[ACD_ACT_OVERFLOW]    = map_overflow,
	[ACD_ACT_AGENT_STATE] = map_state,
};

int kpimap_action(const struct acd_action *a, const struct kpimap_ctx *ctx,
		  struct report_event out[KPIMAP_MAX_EVENTS], size_t *n)
{
	static const struct kpimap_ctx none;
	const size_t nmaps = sizeof(maps) / sizeof(maps[0]);

	if (!a || !out || !n || (unsigned)a->kind >= nmaps || !maps[a->kind])
		return EINVAL;
	*n = maps[a->kind](a, ctx ? ctx : &none, out);
	return 0;
}

struct report_event kpimap_enter(const char *queue, int64_t at_ms,
				 bool queued)
{
	return (struct report_event){
		.type = REPORT_EV_ENTER, .ts_ms = at_ms, .queue = queue,
		.enter_ms = at_ms, .flags = queued ? REPORT_EVF_QUEUED : 0,
	};
}

struct report_event kpimap_answer(const char *queue, int64_t enter_ms,
				  const char *agent, int64_t ring_at_ms,
				  int64_t at_ms)
{
	return (struct report_event){
		.type = REPORT_EV_ANSWER, .ts_ms = at_ms, .queue = queue,
		.agent = agent, .enter_ms = enter_ms,
		.ring_ms = at_ms - ring_at_ms,
	};
}

struct report_event kpimap_complete(const char *queue, int64_t enter_ms,
				    const char *agent, int64_t talk_ms,
				    int64_t at_ms)
{
	return (struct report_event){
		.type = REPORT_EV_COMPLETE, .ts_ms = at_ms, .queue = queue,
		.agent = agent, .enter_ms = enter_ms, .dur_ms = talk_ms,
	};
}

struct report_event kpimap_abandon(const char *queue, int64_t enter_ms,
				   int64_t at_ms)
{
	return (struct report_event){
		.type = REPORT_EV_ABANDON, .ts_ms = at_ms, .queue = queue,
		.enter_ms = enter_ms,
	};
}

int kpimap_checkpoint(const char *agent, enum report_agent_state st,
		      int64_t since_ms, int64_t at_ms, struct report_event *ev)
{
	if (st == REPORT_AGENT_LOGGED_OUT)
		return ENOENT;
	*ev = (struct report_event){
		.type = REPORT_EV_AGENT_STATE, .ts_ms = at_ms, .agent = agent,
		.state = st, .prev_state = st,
		.dur_ms = state_span(since_ms, at_ms),
	};
	return 0;
}
