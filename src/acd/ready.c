/* ready.c: a queue's eligible agents in its strategy's order (the key of
 * strategy.c). The top is the next pick; that order is all a decision
 * reads, how it is stored is this file's business.
 *
 * For the strategies whose order is mostly arrival (longest-idle and the
 * ones that fall back to it: an agent becomes ready later than everyone
 * already waiting), the key's first word is a class (nothing, a skill
 * level, a call count) and the rest grows with time. So each class in use
 * gets a lane, a first-in first-out list linked through the members, as
 * the waiting line does for callers (line.c): joining at the back and
 * leaving from anywhere touch only the member and its neighbours, where a
 * heap of ~300 agents rewrote the heap index of every member it moved, on
 * every pick, in each of the picked agent's queues. A member who comes
 * back out of order (after a missed ring, which keeps their idle clock;
 * a restore; ties at one millisecond broken by a lower id) or whose class
 * finds all ACD_LANES lanes taken goes into a heap beside the lanes; the
 * top is the better of the first lane's head and the heap's top.
 *
 * Strategies without STRAT_LANES keep everyone in the heap; random draws
 * from its array. A lane member's heap index is ACD_NONE, which tells the
 * two places apart. In a lane only the first member's prev is never read,
 * so taking the first one out writes nothing into the next. */
#include "acd/acd_int.h"

static struct acd_hkey key(const struct acd_mem *m)
{
	return m->queue->strat->key(m);
}

static struct acd_rlane *lane_of(struct acd_ready *r, uint64_t cls)
{
	for (uint32_t i = 0; i < r->nlanes && r->lane[i].cls <= cls; i++) {
		if (r->lane[i].cls == cls)
			return &r->lane[i];
	}
	return NULL;
}

/* A new lane for cls at its sorted place, or NULL when all are taken. */
static struct acd_rlane *lane_add(struct acd_ready *r, uint64_t cls)
{
	uint32_t i = 0;

	if (r->nlanes == ACD_LANES)
		return NULL;
	while (i < r->nlanes && r->lane[i].cls < cls)
		i++;
	for (uint32_t j = r->nlanes; j > i; j--)
		r->lane[j] = r->lane[j - 1];
	r->nlanes++;
	r->lane[i] = (struct acd_rlane){ .cls = cls };
	return &r->lane[i];
}

static void lane_drop(struct acd_ready *r, struct acd_rlane *ln)
{
	uint32_t i = (uint32_t)(ln - r->lane);

	for (r->nlanes--; i < r->nlanes; i++)
		r->lane[i] = r->lane[i + 1];
}

void acd_ready_push(struct acd_queue *q, struct acd_mem *m)
{
	struct acd_ready *r = &q->ready;
	struct acd_hkey k = key(m);
	struct acd_rlane *ln = NULL;

	r->n++;
	if (q->strat->flags & STRAT_LANES) {
		ln = lane_of(r, k.a);
		if (!ln)
			ln = lane_add(r, k.a);
	}
	if (ln && ln->tail) {
		struct acd_hkey t = key(ln->tail);
		if (acd_hkey_less(&k, &t))
			ln = NULL;
	}
	if (!ln) {
		acd_heap_push(&r->late, m, k);
		return;
	}
	m->next = NULL;
	m->prev = ln->tail;
	if (ln->tail)
		ln->tail->next = m;
	else
		ln->head = m;
	ln->tail = m;
}

void acd_ready_remove(struct acd_queue *q, struct acd_mem *m)
{
	struct acd_ready *r = &q->ready;
	struct acd_rlane *ln;

	r->n--;
	if (m->h.idx != ACD_NONE) {
		acd_heap_remove(&r->late, m);
		return;
	}
	/* Not in the heap, so in a lane: with one lane, that one. */
	ln = r->nlanes == 1 ? &r->lane[0] : lane_of(r, key(m).a);
	if (m == ln->head) {
		/* The next member's prev is left stale: it is first now. */
		ln->head = m->next;
		if (!m->next)
			lane_drop(r, ln);
		return;
	}
	m->prev->next = m->next;
	if (m == ln->tail)
		ln->tail = m->prev;
	else
		m->next->prev = m->prev;
}

struct acd_mem *acd_ready_top(const struct acd_queue *q)
{
	const struct acd_ready *r = &q->ready;
	struct acd_mem *lane = r->nlanes ? r->lane[0].head : NULL;
	struct acd_hkey k;

	if (!r->late.n)
		return lane;
	if (!lane)
		return r->late.v[0].p;
	k = key(lane);
	return acd_hkey_less(&r->late.v[0].k, &k) ? r->late.v[0].p : lane;
}

/* Empties the order (its members are re-pushed by the caller). */
void acd_ready_clear(struct acd_ready *r)
{
	for (uint32_t i = 0; i < r->late.n; i++)
		((struct acd_hnode *)r->late.v[i].p)->idx = ACD_NONE;
	r->late.n = 0;
	r->nlanes = r->n = 0;
}

void acd_ready_free(struct acd_ready *r)
{
	acd_heap_free(&r->late);
	r->nlanes = r->n = 0;
}

/* For acd_check: lanes sorted by class and non-empty, each in key order
 * and linked both ways (but for the first prev), their members eligible
 * members of q outside the heap; the heap in order; the count right. With
 * that count also matching q's eligible members, that is each of them,
 * once. */
bool acd_ready_ok(const struct acd_queue *q)
{
	const struct acd_ready *r = &q->ready;
	uint32_t n = r->late.n;

	if (!acd_heap_ok(&r->late) || r->nlanes > ACD_LANES ||
	    (r->nlanes && !(q->strat->flags & STRAT_LANES)))
		return false;
	for (uint32_t i = 0; i < r->nlanes; i++) {
		const struct acd_rlane *ln = &r->lane[i];
		const struct acd_mem *prev = NULL;
		struct acd_hkey pk = {0}, k;
		if (!ln->head || (i > 0 && r->lane[i - 1].cls >= ln->cls))
			return false;
		for (const struct acd_mem *m = ln->head; m; m = m->next) {
			k = key(m);
			if (k.a != ln->cls || m->h.idx != ACD_NONE ||
			    m->queue != q || !m->agent->indexed ||
			    (prev && (m->prev != prev ||
				      !acd_hkey_less(&pk, &k))))
				return false;
			prev = m;
			pk = k;
			if (++n > r->n)
				return false;   /* also ends a cycle */
		}
		if (ln->tail != prev)
			return false;
	}
	return n == r->n;
}
