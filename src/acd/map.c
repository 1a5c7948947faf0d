/* map.c: id → object lookup, open addressing with linear probing and
 * backward-shift deletion (no tombstones, so lookups stay short under churn).
 * Only ever looked up, never iterated: decisions cannot depend on hash order.
 * An empty slot is a NULL value. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"

/* Ids in runs of four share a cache line of slots: hosts number calls one
 * after another, so a new call's look-up lands where the last one did. The
 * rest of the id is mixed, so no other pattern of ids can pile up. */
static uint32_t slot_of(uint64_t k, uint32_t cap)
{
	uint64_t h = k >> 2;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return ((uint32_t)(h << 2) | (uint32_t)(k & 3)) & (cap - 1);
}

void *acd_map_get(const struct acd_map *m, uint64_t k)
{
	if (!m->cap)
		return NULL;
	for (uint32_t i = slot_of(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->s[i].v)
			return NULL;
		if (m->s[i].k == k)
			return m->s[i].v;
	}
}

/* Starts loading where k's look-up begins, for a look-up soon after. */
void acd_map_prefetch(const struct acd_map *m, uint64_t k)
{
	if (m->cap)
		__builtin_prefetch(&m->s[slot_of(k, m->cap)], 1);
}

static int grow(struct acd_map *m)
{
	uint32_t cap = m->cap ? m->cap * 2 : 64;
	struct acd_slot *s = acd_big_alloc(cap * sizeof(*s));

	if (!s)
		return ENOMEM;
	memset(s, 0, cap * sizeof(*s));
	for (uint32_t i = 0; i < m->cap; i++) {
		if (!m->s[i].v)
			continue;
		uint32_t j = slot_of(m->s[i].k, cap);
		while (s[j].v)
			j = (j + 1) & (cap - 1);
		s[j] = m->s[i];
	}
	free(m->s);
	m->s = s;
	m->cap = cap;
	return 0;
}

/* Inserts or replaces; keeps the load under one half. */
int acd_map_put(struct acd_map *m, uint64_t k, void *v)
{
	if (2 * (m->n + 1) > m->cap && grow(m))
		return ENOMEM;
	uint32_t i = slot_of(k, m->cap);
	while (m->s[i].v && m->s[i].k != k)
		i = (i + 1) & (m->cap - 1);
	if (!m->s[i].v)
		m->n++;
	m->s[i] = (struct acd_slot){ k, v };
	return 0;
}

/* Replaces the value of a key that is there: never grows, so never fails. */
void acd_map_set(struct acd_map *m, uint64_t k, void *v)
{
	uint32_t i = slot_of(k, m->cap);

	while (m->s[i].k != k || !m->s[i].v)
		i = (i + 1) & (m->cap - 1);
	m->s[i].v = v;
}

/* Inserts a key that must be new: EEXIST if it is there, in one probe. */
int acd_map_add(struct acd_map *m, uint64_t k, void *v)
{
	uint32_t i;

	if (2 * (m->n + 1) > m->cap && grow(m))
		return ENOMEM;
	for (i = slot_of(k, m->cap); m->s[i].v; i = (i + 1) & (m->cap - 1)) {
		if (m->s[i].k == k)
			return EEXIST;
	}
	m->n++;
	m->s[i] = (struct acd_slot){ k, v };
	return 0;
}

void acd_map_del(struct acd_map *m, uint64_t k)
{
	if (!m->cap)
		return;
	uint32_t mask = m->cap - 1, i = slot_of(k, m->cap);
	while (m->s[i].v && m->s[i].k != k)
		i = (i + 1) & mask;
	if (!m->s[i].v)
		return;
	m->n--;
	/* Pull later entries of the probe run back over the hole. */
	for (uint32_t j = (i + 1) & mask; m->s[j].v; j = (j + 1) & mask) {
		uint32_t home = slot_of(m->s[j].k, m->cap);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->s[i] = m->s[j];
			i = j;
		}
	}
	m->s[i].v = NULL;
}

void acd_map_free(struct acd_map *m)
{
	free(m->s);
	m->s = NULL;
	m->n = m->cap = 0;
}

/* Makes room for extra more keys, so the puts that follow cannot fail. */
int acd_map_reserve(struct acd_map *m, uint32_t extra)
{
	while (2 * (m->n + extra) > m->cap) {
		if (grow(m))
			return ENOMEM;
	}
	return 0;
}
