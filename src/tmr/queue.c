/* tmr/queue: the 4-ary min-heap under one timer list. Four children per
 * node halve the depth of a binary heap, and the four keys sit in one or
 * two cache lines; insert and removal are O(log n) whatever is pending. */
#include <errno.h>
#include <stdlib.h>
#include "tmr/tmr_int.h"

enum { ARITY = 4, MIN_CAP = 64 };

static size_t index_of(const struct tmr *tmr)
{
	return (size_t)(uintptr_t)tmr->le.prev;
}

static void put(struct tmr_q *q, size_t i, struct tmr_slot s)
{
	q->v[i] = s;
	s.tmr->le.prev = (struct le *)(uintptr_t)i;
}

static bool before(const struct tmr_slot *a, const struct tmr_slot *b)
{
	return a->jfs < b->jfs || (a->jfs == b->jfs && a->seq < b->seq);
}

static void sift_up(struct tmr_q *q, size_t i, struct tmr_slot s)
{
	while (i > 0) {
		size_t p = (i - 1) / ARITY;
		if (!before(&s, &q->v[p]))
			break;
		put(q, i, q->v[p]);
		i = p;
	}
	put(q, i, s);
}

static void sift_down(struct tmr_q *q, size_t i, struct tmr_slot s)
{
	for (;;) {
		size_t c = i * ARITY + 1, best = c;
		if (c >= q->n)
			break;
		size_t end = c + ARITY < q->n ? c + ARITY : q->n;
		for (size_t k = c + 1; k < end; k++)
			if (before(&q->v[k], &q->v[best]))
				best = k;
		if (!before(&q->v[best], &s))
			break;
		put(q, i, q->v[best]);
		i = best;
	}
	put(q, i, s);
}

static int resize(struct tmr_q *q, size_t cap)
{
	struct tmr_slot *v = realloc(q->v, cap * sizeof(*v));
	if (!v)
		return ENOMEM;
	q->v = v;
	q->cap = cap;
	return 0;
}

int tmr_q_push(struct tmr_q *q, struct tmr *tmr, uint64_t jfs)
{
	if (q->n == q->cap) {
		int err = resize(q, q->cap ? q->cap * 2 : MIN_CAP);
		if (err)
			return err;
	}
	tmr->jfs = jfs;
	tmr->le.data = q;
	struct tmr_slot s = { .jfs = jfs, .seq = q->seq++, .tmr = tmr };
	sift_up(q, q->n++, s);
	return 0;
}

void tmr_q_remove(struct tmr_q *q, struct tmr *tmr)
{
	size_t i = index_of(tmr);
	/* The check makes a timer that is not ours (never started here,
	 * or wiped by tmr_init while queued) a no-op, not a corruption. */
	if (tmr->le.data != q || i >= q->n || q->v[i].tmr != tmr)
		return;
	tmr->le.data = NULL;
	struct tmr_slot last = q->v[--q->n];
	if (i < q->n) {
		if (i > 0 && before(&last, &q->v[(i - 1) / ARITY]))
			sift_up(q, i, last);
		else
			sift_down(q, i, last);
	}
	/* Give memory back after a storm, not on every small dip. */
	if (q->cap > MIN_CAP && q->n < q->cap / 4)
		(void)resize(q, q->cap / 2);
}

struct tmr *tmr_q_first(const struct tmr_q *q)
{
	return q->n ? q->v[0].tmr : NULL;
}

void tmr_q_free(struct tmr_q *q)
{
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
}
