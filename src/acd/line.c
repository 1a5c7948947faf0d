/* line.c: a queue's waiting line, in the order higher priority first, then
 * arrival number. That order is all a decision reads; how the line stores
 * it is this file's business.
 *
 * Almost every call joins at the back of its priority: it is new, so its
 * arrival number is the highest yet. So each priority in use gets a lane,
 * a first-in first-out list linked through the calls: joining and leaving
 * at the front touch only the call itself and its lane, where a heap
 * would rewrite the heap index of every call it moves on the way (each
 * one a cache miss on a cold call, the cost that dominated a backlog).
 * A call coming back out of arrival order (after a failed offer, a retry
 * hold or a sticky hold) goes into a small heap instead, as does a call
 * whose priority finds all ACD_LANES lanes taken by others; the head of
 * the line is the better of the first lane's head and that heap's top.
 *
 * Lanes stay in the queue, sorted by priority, higher first, and hold at
 * least one call each; at most ACD_LANES of them, so finding one is O(1).
 *
 * In a lane, every call but the first has a valid prev; the first call's
 * prev is never read. So taking the first call out writes nothing into
 * the next one, which stays cold until its turn. */
#include "acd/acd_int.h"

static bool before(const struct acd_call *x, const struct acd_call *y)
{
	return x->prio != y->prio ? x->prio > y->prio : x->seq < y->seq;
}

static struct acd_lane *lane_of(struct acd_line *l, int32_t prio)
{
	for (uint32_t i = 0; i < l->nlanes && l->lane[i].prio >= prio; i++) {
		if (l->lane[i].prio == prio)
			return &l->lane[i];
	}
	return NULL;
}

/* A new lane for prio at its sorted place, or NULL when all are taken. */
static struct acd_lane *lane_add(struct acd_line *l, int32_t prio)
{
	uint32_t i = 0;

	if (l->nlanes == ACD_LANES)
		return NULL;
	while (i < l->nlanes && l->lane[i].prio > prio)
		i++;
	for (uint32_t j = l->nlanes; j > i; j--)
		l->lane[j] = l->lane[j - 1];
	l->nlanes++;
	l->lane[i] = (struct acd_lane){ .prio = prio };
	return &l->lane[i];
}

static void lane_drop(struct acd_line *l, struct acd_lane *ln)
{
	uint32_t i = (uint32_t)(ln - l->lane);

	for (l->nlanes--; i < l->nlanes; i++)
		l->lane[i] = l->lane[i + 1];
}

void acd_line_push(struct acd_line *l, struct acd_call *c)
{
	struct acd_lane *ln = lane_of(l, c->prio);

	l->n++;
	if (!ln && !(ln = lane_add(l, c->prio))) {
		acd_heap_push(&l->late, c, acd_call_key(c));
		return;
	}
	if (ln->tail && ln->tail->seq > c->seq) {
		acd_heap_push(&l->late, c, acd_call_key(c));
		return;
	}
	c->next = NULL;
	c->prev = ln->tail;
	if (ln->tail)
		ln->tail->next = c;
	else
		ln->head = c;
	ln->tail = c;
}

void acd_line_remove(struct acd_line *l, struct acd_call *c)
{
	struct acd_lane *ln;

	l->n--;
	if (c->h.idx != ACD_NONE) {
		acd_heap_remove(&l->late, c);
		return;
	}
	ln = lane_of(l, c->prio);
	if (c == ln->head) {
		/* The next call's prev is left stale: it is first now. */
		ln->head = c->next;
		if (!c->next)
			lane_drop(l, ln);
		else
			__builtin_prefetch(c->next);   /* the next in turn */
		return;
	}
	c->prev->next = c->next;
	if (c == ln->tail)
		ln->tail = c->prev;
	else
		c->next->prev = c->prev;
}

struct acd_call *acd_line_head(const struct acd_line *l)
{
	struct acd_call *lane = l->nlanes ? l->lane[0].head : NULL;
	struct acd_call *late = acd_heap_top(&l->late);

	if (!lane || (late && before(late, lane)))
		return late;
	return lane;
}

void acd_line_free(struct acd_line *l)
{
	acd_heap_free(&l->late);
	l->nlanes = l->n = 0;
}

/* For acd_check: lanes sorted by priority and non-empty, each in arrival
 * order and linked both ways (but for the first prev), the heap in order,
 * every call in either waiting in q, and the count right. With the count
 * of q's waiting calls also matching, that is every one of them, once. */
bool acd_line_ok(const struct acd_queue *q)
{
	const struct acd_line *l = &q->line;
	uint32_t n = l->late.n;

	if (!acd_heap_ok(&l->late) || l->nlanes > ACD_LANES)
		return false;
	for (uint32_t i = 0; i < l->late.n; i++) {
		const struct acd_call *c = l->late.v[i].p;
		if (c->at != AT_QUEUE || c->q != q)
			return false;
	}
	for (uint32_t i = 0; i < l->nlanes; i++) {
		const struct acd_lane *ln = &l->lane[i];
		const struct acd_call *prev = NULL;
		if (!ln->head || (i > 0 && l->lane[i - 1].prio <= ln->prio))
			return false;
		for (const struct acd_call *c = ln->head; c; c = c->next) {
			if (c->prio != ln->prio || c->h.idx != ACD_NONE ||
			    c->at != AT_QUEUE || c->q != q ||
			    (prev && (c->prev != prev || prev->seq >= c->seq)))
				return false;
			prev = c;
			if (++n > l->n)
				return false;   /* also ends a cycle */
		}
		if (ln->tail != prev)
			return false;
	}
	return n == l->n;
}
