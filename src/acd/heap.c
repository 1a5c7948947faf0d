/* heap.c: the binary min-heap behind every ordered set in the router (waiting
 * calls, ready agents, timers). Elements carry their own index, so removing
 * or re-keying any element is O(log n), not a search. The heap never breaks
 * ties itself: every order it is given is total, so the top is the same
 * whatever order elements were pushed in. */
#include <stdlib.h>
#include "acd/acd_int.h"

static void put(struct acd_heap *h, uint32_t i, void *e)
{
	h->v[i] = e;
	((struct acd_hnode *)e)->idx = i;
}

static void up(struct acd_heap *h, uint32_t i)
{
	void *e = h->v[i];

	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!h->less(e, h->v[p]))
			break;
		put(h, i, h->v[p]);
		i = p;
	}
	put(h, i, e);
}

static void down(struct acd_heap *h, uint32_t i)
{
	void *e = h->v[i];

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->less(h->v[c + 1], h->v[c]))
			c++;
		if (!h->less(h->v[c], e))
			break;
		put(h, i, h->v[c]);
		i = c;
	}
	put(h, i, e);
}

/* Growing cannot be refused halfway through a decision (an agent taken out
 * of one queue but not another would break the invariants), so running out
 * of memory here aborts, as Redis's allocator does. */
void acd_heap_push(struct acd_heap *h, void *e)
{
	if (h->n == h->cap) {
		uint32_t cap = h->cap ? h->cap * 2 : 8;
		void **v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			abort();
		h->v = v;
		h->cap = cap;
	}
	put(h, h->n++, e);
	up(h, h->n - 1);
}

void acd_heap_remove(struct acd_heap *h, void *e)
{
	uint32_t i = ((struct acd_hnode *)e)->idx;
	void *last = h->v[--h->n];

	((struct acd_hnode *)e)->idx = ACD_NONE;
	if (i == h->n)
		return;
	put(h, i, last);
	acd_heap_fix(h, last);
}

void acd_heap_fix(struct acd_heap *h, void *e)
{
	uint32_t i = ((struct acd_hnode *)e)->idx;

	if (i > 0 && h->less(e, h->v[(i - 1) / 2]))
		up(h, i);
	else
		down(h, i);
}

void *acd_heap_top(const struct acd_heap *h)
{
	return h->n ? h->v[0] : NULL;
}

void acd_heap_free(struct acd_heap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

bool acd_heap_ok(const struct acd_heap *h)
{
	for (uint32_t i = 0; i < h->n; i++) {
		if (((struct acd_hnode *)h->v[i])->idx != i)
			return false;
		if (i > 0 && h->less(h->v[i], h->v[(i - 1) / 2]))
			return false;
	}
	return true;
}
