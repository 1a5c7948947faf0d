/* strategy.c: the routing strategies, one row each. A queue keeps its ready
 * agents in a heap ordered by its strategy's `order`, so the next pick is the
 * heap's top: O(1) to see, O(log n) to take out. Every order ends on the
 * agent id, so equal keys never fall to pointer or insertion order and a
 * simulation replays exactly. Orders only read fields that cannot change
 * while the agent is ready (counters move when a call ends; skills and
 * positions are re-keyed by acd_agent_set), so the heap never goes stale. */
#include <errno.h>
#include <string.h>
#include "base/util.h"
#include "acd/acd_int.h"

#define M(p) ((const struct acd_mem *)(p))
#define CMP(x, y) do { if ((x) != (y)) return (x) < (y); } while (0)

static bool by_idle(const void *a, const void *b)
{
	CMP(M(a)->agent->idle_since, M(b)->agent->idle_since);
	return M(a)->agent->id < M(b)->agent->id;
}

static bool by_position(const void *a, const void *b)
{
	CMP(M(a)->position, M(b)->position);
	return M(a)->agent->id < M(b)->agent->id;
}

/* Entries still ahead of the cursor are on the current lap, the others on
 * the next one; taking the top then advancing the cursor to it keeps that
 * true, so "after where it stopped, wrapping" is a plain min-heap. */
static bool by_lap(const void *a, const void *b)
{
	CMP(M(a)->lap, M(b)->lap);
	return by_position(a, b);
}

static bool by_talk(const void *a, const void *b)
{
	CMP(M(a)->agent->talk_today, M(b)->agent->talk_today);
	return by_idle(a, b);
}

static bool by_calls(const void *a, const void *b)
{
	CMP(M(a)->agent->calls_today, M(b)->agent->calls_today);
	return by_idle(a, b);
}

static bool by_skill(const void *a, const void *b)
{
	CMP(-(int64_t)M(a)->skill, -(int64_t)M(b)->skill);
	return by_idle(a, b);
}

/* Random keeps no order: any agent may sit anywhere in the array. */
static bool by_nothing(const void *a, const void *b)
{
	(void)a;
	(void)b;
	return false;
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
	struct acd_mem *m = acd_heap_top(&q->ready);

	(void)acd;
	q->rr_lap = m->lap;
	q->rr_pos = m->position;
	q->rr_agent = m->agent->id;
	return m;
}

static struct acd_mem *random_pick(struct acd *acd, struct acd_queue *q)
{
	return q->ready.v[acd_rand(acd) % q->ready.n];
}

/* name: what a queue's `strategy` holds; order: who is on top; enter/pick:
 * hooks (NULL: none / the top); flags: STRAT_ALL rings every ready agent,
 * STRAT_STICKY first tries the caller's last agent; doc: shown beside the
 * name; cost: of one pick, n = ready agents in the queue. Taking the picked
 * agent out of the k queues they serve adds O(k log n) to every row.
 *
 * There is no "least recent" row: longest-idle is it, since an agent's idle
 * clock starts when they become ready after a call. */
static const struct acd_strategy strategies[] = {
	{"ring-all", by_idle, NULL, NULL, STRAT_ALL,
	 "rings every ready agent at once; the first to answer gets the call",
	 "O(r log n) for r agents rung"},
	{"longest-idle", by_idle, NULL, NULL, 0,
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
	{"fewest-calls", by_calls, NULL, NULL, 0,
	 "the agent who answered the fewest calls today; then longest idle",
	 "O(log n)"},
	{"random", by_nothing, NULL, random_pick, 0,
	 "a ready agent drawn by the router's seeded generator",
	 "O(1)"},
	{"skills-based", by_skill, NULL, NULL, 0,
	 "the highest skill level for this queue; then longest idle",
	 "O(log n)"},
	{"sticky", by_idle, NULL, NULL, STRAT_STICKY,
	 "the caller's last agent within the window, waited for; else longest idle",
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
