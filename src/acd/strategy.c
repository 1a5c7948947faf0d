/* strategy.c: the routing strategies, one row each. A queue keeps its ready
 * agents in a heap ordered by its strategy's `key`, so the next pick is the
 * heap's top: O(1) to see, O(log n) to take out. Every key ends on the
 * agent id, so equal keys never fall to pointer or insertion order and a
 * simulation replays exactly. Keys only read fields that cannot change
 * while the agent is ready (counters move when a call ends; skills and
 * positions are re-keyed by acd_agent_set), so the heap never goes stale. */
#include <errno.h>
#include <string.h>
#include "base/util.h"
#include "acd/acd_int.h"

/* Keys: a, then b, then c, smallest first; c is always the agent id.
 * With STRAT_LANES, a is the class of ready.c's lanes: one class here. */
static struct acd_hkey by_idle(const struct acd_mem *m)
{
	return (struct acd_hkey){ 0, acd_u(m->agent->idle_since),
				  m->agent->id };
}

static struct acd_hkey by_position(const struct acd_mem *m)
{
	return (struct acd_hkey){ acd_u(m->position), 0, m->agent->id };
}

/* Entries still ahead of the cursor are on the current lap, the others on
 * the next one; taking the top then advancing the cursor to it keeps that
 * true, so "after where it stopped, wrapping" is a plain min-heap. */
static struct acd_hkey by_lap(const struct acd_mem *m)
{
	return (struct acd_hkey){ m->lap, acd_u(m->position), m->agent->id };
}

static struct acd_hkey by_talk(const struct acd_mem *m)
{
	return (struct acd_hkey){ acd_u(m->agent->talk_today),
				  acd_u(m->agent->idle_since), m->agent->id };
}

static struct acd_hkey by_calls(const struct acd_mem *m)
{
	return (struct acd_hkey){ m->agent->calls_today,
				  acd_u(m->agent->idle_since), m->agent->id };
}

static struct acd_hkey by_skill(const struct acd_mem *m)
{
	return (struct acd_hkey){ acd_u(-(int64_t)m->skill),
				  acd_u(m->agent->idle_since), m->agent->id };
}

/* Random keeps no order: every key is equal, the array stays as filled. */
static struct acd_hkey by_nothing(const struct acd_mem *m)
{
	(void)m;
	return (struct acd_hkey){ 0, 0, 0 };
}

static void rr_enter(struct acd_mem *m)
{
	const struct acd_queue *q = m->queue;
	bool ahead = m->position > q->rr_pos ||
		(m->position == q->rr_pos && m->agent->id > q->rr_agent);

	m->lap = ahead ? q->rr_lap : q->rr_lap + 1;
}

static struct acd_mem *rr_pick(struct acd *acd, struct acd_queue *q)
{
	struct acd_mem *m = acd_ready_top(q);

	(void)acd;
	q->rr_lap = m->lap;
	q->rr_pos = m->position;
	q->rr_agent = m->agent->id;
	return m;
}

static struct acd_mem *random_pick(struct acd *acd, struct acd_queue *q)
{
	return q->ready.late.v[acd_rand(acd) % q->ready.late.n].p;
}

struct acd_hkey acd_mem_key(const struct acd_mem *m)
{
	return m->queue->strat->key(m);
}

/* name: what a queue's `strategy` holds; key: who is on top; enter/pick:
 * hooks (NULL: none / the top); flags: STRAT_ALL rings every ready agent,
 * STRAT_STICKY first tries the caller's last agent; doc: shown beside the
 * name; cost: of one pick, n = ready agents in the queue. Taking the picked
 * agent out of the k queues they serve adds O(k log n) to every row.
 *
 * There is no "least recent" row: longest-idle is it, since an agent's idle
 * clock starts when they become ready after a call. */
static const struct acd_strategy strategies[] = {
	{"ring-all", by_idle, NULL, NULL, STRAT_ALL | STRAT_LANES,
	 "rings every ready agent at once; the first to answer gets the call",
	 "O(r log n) for r agents rung"},
	{"longest-idle", by_idle, NULL, NULL, STRAT_LANES,
	 "the agent ready the longest since their last call or break",
	 "O(log n)"},
	{"round-robin", by_lap, rr_enter, rr_pick, 0,
	 "the next agent by position after the one offered last, wrapping",
	 "O(log n)"},
	{"sequential", by_position, NULL, NULL, 0,
	 "the first ready agent by position, always from the top",
	 "O(log n)"},
	{"least-talk-time", by_talk, NULL, NULL, 0,
	 "the agent with the least talk time today; then longest idle",
	 "O(log n)"},
	{"fewest-calls", by_calls, NULL, NULL, STRAT_LANES,
	 "the agent who answered the fewest calls today; then longest idle",
	 "O(log n)"},
	{"random", by_nothing, NULL, random_pick, 0,
	 "a ready agent drawn by the router's seeded generator",
	 "O(1)"},
	{"skills-based", by_skill, NULL, NULL, STRAT_LANES,
	 "the highest skill level for this queue; then longest idle",
	 "O(log n)"},
	{"sticky", by_idle, NULL, NULL, STRAT_STICKY | STRAT_LANES,
	 "the caller's owner (crm/'s customer records), else their last agent "
	 "within the window, waited for; else longest idle",
	 "O(log n)"},
};

const struct acd_strategy *acd_strategy_find(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_LEN(strategies); i++) {
		if (!strcmp(strategies[i].name, name))
			return &strategies[i];
	}
	return NULL;
}

size_t acd_strategy_count(void)
{
	return ARRAY_LEN(strategies);
}

int acd_strategy_at(size_t i, const char **name, const char **doc,
		    const char **cost)
{
	if (i >= ARRAY_LEN(strategies))
		return ENOENT;
	*name = strategies[i].name;
	*doc = strategies[i].doc;
	*cost = strategies[i].cost;
	return 0;
}
