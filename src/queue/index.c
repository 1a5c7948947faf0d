/* queue/index: a small open-addressing hash index from a 64-bit key to a
 * slot of one of the host's arrays (queues, agents, live calls). It holds
 * slot numbers, not pointers, so the arrays may be realloc'd freely; a
 * swap-remove re-points the one entry that moved.
 *
 * Invariants: (1) the table is at most half full, so every probe ends on
 * an empty entry; (2) linear probing with backward-shift deletion: no
 * tombstones, an entry always sits between its home and the first empty
 * entry after it; (3) one key may map to several slots (a name's hash
 * collides), so a caller checks the element a slot names. */
#include <errno.h>
#include <stdlib.h>
#include "queue/queue_int.h"

static size_t home(uint64_t key, size_t mask)
{
	key ^= key >> 33;                  /* splitmix64's finalizer */
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & mask;
}

void qh_index_free(struct qh_index *ix)
{
	free(ix->keys);
	free(ix->slots);
	*ix = (struct qh_index){0};
}

void qh_index_clear(struct qh_index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		ix->slots[i] = QH_INDEX_NONE;
	ix->n = 0;
}

static int grow(struct qh_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 64;
	uint64_t *keys = malloc(cap * sizeof(*keys));
	uint32_t *slots = malloc(cap * sizeof(*slots));

	if (!keys || !slots) {
		free(keys);
		free(slots);
		return ENOMEM;
	}
	for (size_t i = 0; i < cap; i++)
		slots[i] = QH_INDEX_NONE;
	for (size_t i = 0; i < ix->cap; i++) {
		size_t j;
		if (ix->slots[i] == QH_INDEX_NONE)
			continue;
		for (j = home(ix->keys[i], cap - 1); slots[j] != QH_INDEX_NONE;
		     j = (j + 1) & (cap - 1))
			;
		keys[j] = ix->keys[i];
		slots[j] = ix->slots[i];
	}
	free(ix->keys);
	free(ix->slots);
	ix->keys = keys;
	ix->slots = slots;
	ix->cap = cap;
	return 0;
}

int qh_index_put(struct qh_index *ix, uint64_t key, uint32_t slot)
{
	size_t i;

	if ((ix->n + 1) * 2 > ix->cap && grow(ix))
		return ENOMEM;
	for (i = home(key, ix->cap - 1); ix->slots[i] != QH_INDEX_NONE;
	     i = (i + 1) & (ix->cap - 1))
		;
	ix->keys[i] = key;
	ix->slots[i] = slot;
	ix->n++;
	return 0;
}

/* The entry holding key → slot, or cap when there is none. */
static size_t entry_of(const struct qh_index *ix, uint64_t key, uint32_t slot)
{
	if (!ix->cap)
		return 0;
	for (size_t i = home(key, ix->cap - 1); ix->slots[i] != QH_INDEX_NONE;
	     i = (i + 1) & (ix->cap - 1))
		if (ix->keys[i] == key && ix->slots[i] == slot)
			return i;
	return ix->cap;
}

bool qh_index_del(struct qh_index *ix, uint64_t key, uint32_t slot)
{
	size_t mask = ix->cap - 1, i = entry_of(ix, key, slot), j;

	if (i >= ix->cap)
		return false;
	/* Backward shift: pull each later entry of the run into the hole
	 * unless its home lies cyclically in (hole, entry]. */
	for (j = (i + 1) & mask; ix->slots[j] != QH_INDEX_NONE;
	     j = (j + 1) & mask) {
		size_t h = home(ix->keys[j], mask);
		if (((j - h) & mask) >= ((j - i) & mask)) {
			ix->keys[i] = ix->keys[j];
			ix->slots[i] = ix->slots[j];
			i = j;
		}
	}
	ix->slots[i] = QH_INDEX_NONE;
	ix->n--;
	return true;
}

bool qh_index_move(struct qh_index *ix, uint64_t key, uint32_t from,
		   uint32_t to)
{
	size_t i = entry_of(ix, key, from);

	if (i >= ix->cap)
		return false;
	ix->slots[i] = to;
	return true;
}

uint32_t qh_index_find(const struct qh_index *ix, uint64_t key,
		       bool (*match)(void *arg, uint32_t slot), void *arg)
{
	if (!ix->cap)
		return QH_INDEX_NONE;
	for (size_t i = home(key, ix->cap - 1); ix->slots[i] != QH_INDEX_NONE;
	     i = (i + 1) & (ix->cap - 1))
		if (ix->keys[i] == key && (!match || match(arg, ix->slots[i])))
			return ix->slots[i];
	return QH_INDEX_NONE;
}

uint64_t qh_index_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}
