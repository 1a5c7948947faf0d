/* sim/heap: the event queue, a binary min-heap of (time, sequence) keys.
 * The sequence number is the order of scheduling, so events due at the same
 * millisecond happen in the order they were scheduled on every run: the
 * tie-break never depends on the heap's shape.
 *
 * Events scheduled for the current time (an answer with no ring delay, a
 * shift starting at 0) skip the heap: they go to a FIFO, which is already
 * in sequence order, and sim_heap_pop takes whichever of the two heads
 * comes first. The order is exactly the heap's; it only saves a push and a
 * pop on the most common events. */
#include <errno.h>
#include <stdlib.h>
#include "sim/sim_int.h"

static inline bool before(const struct sim_ev *a, const struct sim_ev *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static int room(struct sim_ev **v, size_t n, size_t *cap)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 256;
	struct sim_ev *nv = realloc(*v, c * sizeof(*nv));
	if (!nv)
		return ENOMEM;
	*v = nv;
	*cap = c;
	return 0;
}

int sim_heap_push(struct sim_heap *h, int64_t at, uint32_t kind, uint32_t idx,
		  uint64_t tag)
{
	struct sim_ev ev = {.at = at, .seq = h->next_seq++, .kind = kind,
			    .idx = idx, .tag = tag};
	size_t i;

	if (at == h->now) {
		if (h->fhead == h->fn) {
			h->fhead = h->fn = 0;
		}
		if (room(&h->fifo, h->fn, &h->fcap))
			return ENOMEM;
		h->fifo[h->fn++] = ev;
		return 0;
	}
	if (room(&h->v, h->n, &h->cap))
		return ENOMEM;
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

const struct sim_ev *sim_heap_peek(const struct sim_heap *h)
{
	const struct sim_ev *f = h->fhead < h->fn ? &h->fifo[h->fhead] : NULL;

	if (!h->n)
		return f;
	return f && before(f, &h->v[0]) ? f : &h->v[0];
}

bool sim_heap_pop(struct sim_heap *h, struct sim_ev *out)
{
	const struct sim_ev *top = sim_heap_peek(h);
	struct sim_ev last;
	size_t i = 0;

	if (!top)
		return false;
	*out = *top;
	h->now = out->at;
	if (top != h->v) {
		h->fhead++;
		return true;
	}
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
	free(h->fifo);
	*h = (struct sim_heap){0};
}
