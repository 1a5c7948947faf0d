/* member.c: which queues an agent serves, with what skill and position, and
 * the live figures of a queue. Replacing an agent's queues keeps their
 * state, counters and place in the longest-idle line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"
#include "base/util.h"

enum { MAX_QUEUES_PER_AGENT = 1024 };

static int check_members(const struct acd *acd, const struct acd_member *m,
			 size_t nm, char *why, size_t n)
{
	if (nm > MAX_QUEUES_PER_AGENT || (nm && !m)) {
		acd_fmt(why, n, "an agent serves at most %d queues",
			MAX_QUEUES_PER_AGENT);
		return EINVAL;
	}
	for (size_t i = 0; i < nm; i++) {
		if (!acd_queue_find(acd, m[i].queue_id)) {
			acd_fmt(why, n, "no queue %u", m[i].queue_id);
			return EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			if (m[j].queue_id == m[i].queue_id) {
				acd_fmt(why, n, "queue %u listed twice",
					m[i].queue_id);
				return EINVAL;
			}
		}
	}
	return 0;
}

static int reserve(struct acd_queue *q)
{
	uint32_t cap = q->capmembers ? q->capmembers * 2 : 8;
	void *p;

	if (q->nmembers < q->capmembers)
		return 0;
	/* Either array may move alone: cap grows once both have room. */
	p = realloc(q->ids, cap * sizeof(*q->ids));
	if (!p)
		return ENOMEM;
	q->ids = p;
	p = realloc(q->members, cap * sizeof(*q->members));
	if (!p)
		return ENOMEM;
	q->members = p;
	q->capmembers = cap;
	return 0;
}

/* Where id is or would go in q's sorted member ids (first n of them). */
static uint32_t id_pos(const struct acd_queue *q, uint32_t n, uint32_t id)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (q->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Sticky asks this for nearly every caller, most of whom were last served
 * by someone outside the queue: the queue's sorted ids answer without
 * reading the agent, a cache miss in a big router. */
bool acd_queue_serves(const struct acd_queue *q, uint32_t agent_id)
{
	uint32_t i = id_pos(q, q->nmembers, agent_id);

	return i < q->nmembers && q->ids[i] == agent_id;
}

static void ids_insert(struct acd_queue *q, uint32_t n, uint32_t id)
{
	uint32_t i = id_pos(q, n, id);

	memmove(&q->ids[i + 1], &q->ids[i], (n - i) * sizeof(*q->ids));
	q->ids[i] = id;
}

static void ids_remove(struct acd_queue *q, uint32_t n, uint32_t id)
{
	uint32_t i = id_pos(q, n, id);

	memmove(&q->ids[i], &q->ids[i + 1], (n - i - 1) * sizeof(*q->ids));
}

static struct acd_agent *agent_new(struct acd *acd, uint32_t id, int64_t now)
{
	struct acd_agent *a = aligned_alloc(64, sizeof(*a));

	if (!a)
		return NULL;
	memset(a, 0, sizeof(*a));
	if (acd->nagents == acd->capagents) {
		uint32_t cap = acd->capagents ? acd->capagents * 2 : 16;
		void *p = realloc(acd->agents, cap * sizeof(*acd->agents));
		if (!p)
			goto fail;
		acd->agents = p;
		acd->capagents = cap;
	}
	if (acd_map_put(&acd->agent_map, id, a))
		goto fail;
	a->id = id;
	a->state = ACD_LOGGED_OUT;
	a->pending = ACD_TALKING;
	a->since = a->idle_since = now;
	a->tmr.h.idx = ACD_NONE;
	acd->agents[acd->nagents++] = a;
	return a;
fail:
	free(a);
	return NULL;
}

static void detach(struct acd_agent *a)
{
	for (uint32_t i = 0; i < a->nmem; i++) {
		struct acd_mem *m = &a->mem[i];
		struct acd_queue *q = m->queue;
		struct acd_mem *last = q->members[--q->nmembers];
		ids_remove(q, q->nmembers + 1, a->id);
		q->members[m->slot] = last;
		last->slot = m->slot;
		q->nstate[a->state]--;
	}
}

/* Sticky callers held for a queue a no longer serves rejoin that queue. */
static void release_foreign(struct acd *acd, struct acd_agent *a)
{
	for (uint32_t i = 0; i < a->held.n;) {
		struct acd_call *c = a->held.v[i].p;
		if (acd_agent_mem(a, c->q)) {
			i++;
			continue;
		}
		acd_call_unlink_wait(acd, c);
		acd_call_eligible(acd, c);
		i = 0;
	}
}

int acd_agent_set(struct acd *acd, uint32_t agent_id,
		  const struct acd_member *m, size_t nm, int64_t now_ms,
		  char *why, size_t n)
{
	struct acd_agent *a;
	struct acd_mem *mem = NULL;
	struct acd_queue **oldq = NULL;
	uint32_t nold;
	int err = acd_begin(acd, &now_ms);

	if (err)
		return err;
	err = check_members(acd, m, nm, why, n);
	if (err)
		return err;
	/* Everything that can fail comes first: the agent's few queues live
	 * inside it, more in an array of their own. */
	if (nm > ACD_INLINE_MEMS && !(mem = calloc(nm, sizeof(*mem))))
		goto nomem;
	for (size_t i = 0; i < nm; i++) {
		if (reserve(acd_queue_find(acd, m[i].queue_id)))
			goto nomem;
	}
	a = acd_agent_find(acd, agent_id);
	if (a && a->nmem && !(oldq = malloc(a->nmem * sizeof(*oldq))))
		goto nomem;
	if (!a && !(a = agent_new(acd, agent_id, now_ms)))
		goto nomem;

	acd_agent_unindex(a);
	detach(a);
	nold = a->nmem;
	for (uint32_t i = 0; i < nold; i++)
		oldq[i] = a->mem[i].queue;
	if (a->mem != a->inl)
		free(a->mem);
	if (!mem)
		mem = a->inl;
	for (size_t i = 0; i < nm; i++) {
		struct acd_queue *q = acd_queue_find(acd, m[i].queue_id);
		mem[i] = (struct acd_mem){
			.h.idx = ACD_NONE, .agent = a, .queue = q,
			.skill = m[i].skill, .position = m[i].position,
			.slot = q->nmembers,
		};
		ids_insert(q, q->nmembers, a->id);
		q->members[q->nmembers++] = &mem[i];
		q->nstate[a->state]++;
	}
	a->mem = mem;
	a->nmem = (uint32_t)nm;
	release_foreign(acd, a);
	acd_agent_available(acd, a, now_ms);
	for (uint32_t i = 0; i < nold; i++)
		acd_queue_check_empty(acd, oldq[i], now_ms);
	free(oldq);
	acd_finish(acd, now_ms);
	return 0;
nomem:
	free(mem);
	free(oldq);
	acd_fmt(why, n, "out of memory");
	return ENOMEM;
}

int acd_agent_remove(struct acd *acd, uint32_t agent_id, char *why, size_t n)
{
	struct acd_agent *a;
	uint32_t i;

	if (!acd)
		return EINVAL;
	if (acd->in_emit)
		return EBUSY;
	a = acd_agent_find(acd, agent_id);
	if (!a) {
		acd_fmt(why, n, "no agent %u", agent_id);
		return ENOENT;
	}
	if (a->state != ACD_LOGGED_OUT || a->call) {
		acd_fmt(why, n, "agent %u is logged in", agent_id);
		return EBUSY;
	}
	detach(a);
	acd_map_del(&acd->agent_map, agent_id);
	for (i = 0; acd->agents[i] != a; i++)
		;
	memmove(&acd->agents[i], &acd->agents[i + 1],
		(acd->nagents - i - 1) * sizeof(*acd->agents));
	acd->nagents--;
	acd_agent_free(a);
	return 0;
}

int acd_queue_get(const struct acd *acd, uint32_t queue_id,
		  struct acd_queue_info *out)
{
	const struct acd_queue *q = acd ? acd_queue_find(acd, queue_id) : NULL;

	if (!q || !out)
		return ENOENT;
	memset(out, 0, sizeof(*out));
	out->id = q->cfg.id;
	out->waiting = q->len;
	out->ringing = q->ringing;
	out->connected = q->connected;
	out->oldest_enter_ms = q->oldest ? q->oldest->enter : 0;
	memcpy(out->agents, q->nstate, sizeof(out->agents));
	return 0;
}
