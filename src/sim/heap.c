/* sim/heap: the event queue, a binary min-heap of (time, sequence) keys.
 * The sequence number is the order of scheduling, so events due at the same
 * millisecond happen in the order they were scheduled on every run: the
 * tie-break never depends on the heap's shape. */
#include <errno.h>
#include <stdlib.h>
#include "sim/sim_int.h"

static inline bool before(const struct sim_ev *a, const struct sim_ev *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

int sim_heap_push(struct sim_heap *h, int64_t at, uint32_t kind, uint32_t idx,
		  uint64_t tag)
{
	struct sim_ev ev = {.at = at, .seq = h->next_seq++, .kind = kind,
			    .idx = idx, .tag = tag};
	size_t i;

	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		struct sim_ev *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	for (i = h->n++; i > 0; ) {
		size_t p = (i - 1) / 2;
		if (!before(&ev, &h->v[p]))
			break;
		h->v[i] = h->v[p];
		i = p;
	}
	h->v[i] = ev;
	return 0;
}

bool sim_heap_pop(struct sim_heap *h, struct sim_ev *out)
{
	struct sim_ev last;
	size_t i = 0;

	if (!h->n)
		return false;
	*out = h->v[0];
	last = h->v[--h->n];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(&h->v[c + 1], &h->v[c]))
			c++;
		if (!before(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
	return true;
}

void sim_heap_free(struct sim_heap *h)
{
	free(h->v);
	*h = (struct sim_heap){0};
}
