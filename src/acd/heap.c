/* heap.c: the 4-ary min-heap behind every ordered set in the router (waiting
 * calls, ready agents, timers, the settle order). Each entry carries its key
 * beside the pointer, so sifting compares in the array without chasing the
 * element, and each element carries its own index, so removing any element
 * is O(log n), not a search. Keys are total orders (they end on an id), so
 * the top is the same whatever order elements were pushed in. */
#include <stdlib.h>
#include "acd/acd_int.h"

#define less acd_hkey_less

static inline void put(struct acd_heap *h, uint32_t i, struct acd_hent e)
{
	h->v[i] = e;
	((struct acd_hnode *)e.p)->idx = i;
}

/* Four children per node: half the depth of a binary heap, so half the
 * element index updates (each one a write to a cold element) per sift,
 * while a node's children share two cache lines. */
#define D 4

static void up(struct acd_heap *h, uint32_t i)
{
	struct acd_hent e = h->v[i];

	while (i > 0) {
		uint32_t p = (i - 1) / D;
		if (!less(&e.k, &h->v[p].k))
			break;
		put(h, i, h->v[p]);
		i = p;
	}
	put(h, i, e);
}

static void down(struct acd_heap *h, uint32_t i)
{
	struct acd_hent e = h->v[i];

	for (;;) {
		uint32_t c = D * i + 1, end = c + D < h->n ? c + D : h->n;
		if (c >= h->n)
			break;
		for (uint32_t j = c + 1; j < end; j++)
			if (less(&h->v[j].k, &h->v[c].k))
				c = j;
		if (!less(&h->v[c].k, &e.k))
			break;
		put(h, i, h->v[c]);
		i = c;
	}
	put(h, i, e);
}

/* Growing cannot be refused halfway through a decision (an agent taken out
 * of one queue but not another would break the invariants), so running out
 * of memory here aborts, as Redis's allocator does. */
void acd_heap_push(struct acd_heap *h, void *e, struct acd_hkey k)
{
	if (h->n == h->cap) {
		uint32_t cap = h->cap ? h->cap * 2 : 8;
		struct acd_hent *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			abort();
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n] = (struct acd_hent){ k, e };
	((struct acd_hnode *)e)->idx = h->n++;
	up(h, h->n - 1);
}

void acd_heap_remove(struct acd_heap *h, void *e)
{
	uint32_t i = ((struct acd_hnode *)e)->idx;

	((struct acd_hnode *)e)->idx = ACD_NONE;
	if (i == --h->n)
		return;
	put(h, i, h->v[h->n]);
	if (i > 0 && less(&h->v[i].k, &h->v[(i - 1) / D].k))
		up(h, i);
	else
		down(h, i);
}

void *acd_heap_top(const struct acd_heap *h)
{
	return h->n ? h->v[0].p : NULL;
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
		if (((struct acd_hnode *)h->v[i].p)->idx != i)
			return false;
		if (i > 0 && less(&h->v[i].k, &h->v[(i - 1) / D].k))
			return false;
	}
	return true;
}
