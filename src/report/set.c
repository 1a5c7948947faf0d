/* report/set: the buckets, in one open-addressing hash table keyed by
 * (scope, name, interval start), and the names they are about, interned
 * once so a bucket holds a number instead of a string.
 *
 * Invariants: (1) at most one bucket per key; (2) the table is never more
 * than half full, so probes stay short and always end on an empty slot;
 * (3) a bucket pointer handed out stays valid until the next
 * report_reserve or report_evict, which is why report_fold reserves
 * before it adds; (4) the buckets themselves are one dense array in
 * insertion order, the slots only keys and an index into it: a slot of
 * ~280 bytes made a year of 15-minute rows a 36 MB table (four slots a
 * bucket) touched all over by its inserts and walked whole by every sum,
 * where the array is 9 MB walked in order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_int.h"

struct name_ent {
	char *name;
	uint64_t hash;
	struct report_queue_cfg cfg;
};

struct slot {
	bool used;
	uint8_t scope;
	uint32_t name;
	int64_t start_ms;          /* the key's interval */
	uint32_t at;               /* its bucket: ents[at] */
};

/* A bucket with its key and whether it changed since the last flush. */
struct ent {
	bool dirty;
	uint8_t scope;
	uint32_t name;
	struct report_bucket b;    /* b.start_ms is the key's interval */
};

/* Names looked up lately, by the address of the caller's string: a fold's
 * events name the same queues and agents over and over, each kept by its
 * caller at one address (the simulator's scenario, the live host's
 * structs), and hashing the text every time was a fifth of a simulated
 * month. A hit is still compared by content: an address may come back
 * holding another name. */
enum { NAME_HITS = 1024 };       /* 1 << 10 */
struct name_hit {
	const char *ptr;
	uint32_t id;
};

struct report_set {
	int64_t interval_ms;
	struct name_ent *names;
	size_t n_names, cap_names;
	uint32_t *name_slots;      /* name id + 1; 0 is empty */
	size_t cap_name_slots;
	struct name_hit hits[NAME_HITS];
	struct slot *slots;
	size_t n_slots, cap_slots;
	struct ent *ents;          /* n_slots of them, cap_slots / 2 room */
};

const struct report_queue_cfg report_default_cfg = {
	.sl_ms = 20000,
	.short_abandon_ms = 20000,
	.abandon_sl = REPORT_ABANDON_MISSED,
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static uint64_t hash_key(unsigned scope, uint32_t name, int64_t start)
{
	uint64_t h = (uint64_t)start * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)name << 1 | scope) * 0xc2b2ae3d27d4eb4full;
	return h ^ h >> 29;
}

int report_set_alloc(struct report_set **sp, int64_t interval_ms)
{
	struct report_set *s;

	if (interval_ms <= 0)
		return EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ENOMEM;
	s->interval_ms = interval_ms;
	*sp = s;
	return 0;
}

void report_set_free(struct report_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_names; i++)
		free(s->names[i].name);
	free(s->names);
	free(s->name_slots);
	free(s->slots);
	free(s->ents);
	free(s);
}

int64_t report_interval(const struct report_set *s)
{
	return s->interval_ms;
}

int64_t report_align(const struct report_set *s, int64_t ts)
{
	return ts - ts % s->interval_ms;
}

static size_t name_find(const struct report_set *s, const char *name,
			uint64_t h, bool *found)
{
	size_t mask = s->cap_name_slots - 1, i = h & mask;

	for (; s->name_slots[i]; i = (i + 1) & mask) {
		const struct name_ent *e = &s->names[s->name_slots[i] - 1];
		if (e->hash == h && !strcmp(e->name, name)) {
			*found = true;
			return i;
		}
	}
	*found = false;
	return i;
}

static int name_grow(struct report_set *s)
{
	size_t cap = s->cap_name_slots ? s->cap_name_slots * 2 : 16;
	uint32_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return ENOMEM;
	for (size_t k = 0; k < s->n_names; k++) {
		size_t i = s->names[k].hash & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = (uint32_t)k + 1;
	}
	free(s->name_slots);
	s->name_slots = slots;
	s->cap_name_slots = cap;
	return 0;
}

/* Looks name up without creating it: 0 and *id, or ENOENT. */
static int name_lookup(const struct report_set *s, const char *name,
		       uint32_t *id)
{
	bool found = false;
	size_t i;

	if (!s->cap_name_slots)
		return ENOENT;
	i = name_find(s, name, hash_str(name), &found);
	if (!found)
		return ENOENT;
	*id = s->name_slots[i] - 1;
	return 0;
}

static struct name_hit *hit_of(struct report_set *s, const char *name)
{
	uint64_t a = (uintptr_t)name * 0x9e3779b97f4a7c15ull;

	return &s->hits[a >> 54];   /* the top 10 bits: NAME_HITS */
}

int report_name_id(struct report_set *s, const char *name, uint32_t *id)
{
	struct name_hit *hit = hit_of(s, name);
	uint64_t h;
	bool found;
	size_t i;
	char *copy;

	if (hit->ptr == name && !strcmp(s->names[hit->id].name, name)) {
		*id = hit->id;
		return 0;
	}
	/* Hashed once: the probe for a known name and the slot for a new one
	 * use the same hash. */
	h = hash_str(name);
	if (s->cap_name_slots) {
		i = name_find(s, name, h, &found);
		if (found) {
			*id = s->name_slots[i] - 1;
			*hit = (struct name_hit){name, *id};
			return 0;
		}
	}
	if (s->n_names >= UINT32_MAX - 1)
		return ENOMEM;
	if ((s->n_names + 1) * 2 > s->cap_name_slots && name_grow(s))
		return ENOMEM;
	if (s->n_names == s->cap_names) {
		size_t cap = s->cap_names ? s->cap_names * 2 : 16;
		struct name_ent *n = realloc(s->names, cap * sizeof(*n));
		if (!n)
			return ENOMEM;
		s->names = n;
		s->cap_names = cap;
	}
	copy = strdup(name);
	if (!copy)
		return ENOMEM;
	i = name_find(s, name, h, &found);
	s->names[s->n_names] = (struct name_ent){
		.name = copy, .hash = h, .cfg = report_default_cfg,
	};
	s->name_slots[i] = (uint32_t)s->n_names + 1;
	*id = (uint32_t)s->n_names++;
	*hit = (struct name_hit){name, *id};
	return 0;
}

const struct report_queue_cfg *report_cfg_of(const struct report_set *s,
					     uint32_t name)
{
	return &s->names[name].cfg;
}

int report_set_queue(struct report_set *s, const char *name,
		     const struct report_queue_cfg *cfg)
{
	uint32_t id;
	int err;

	if (!name || !cfg || cfg->sl_ms < 0 || cfg->short_abandon_ms < 0 ||
	    cfg->abandon_sl > REPORT_ABANDON_MET)
		return EINVAL;
	err = report_name_id(s, name, &id);
	if (err)
		return err;
	s->names[id].cfg = *cfg;
	return 0;
}

void report_queue_get(const struct report_set *s, const char *name,
		      struct report_queue_cfg *cfg)
{
	uint32_t id;

	*cfg = name && !name_lookup(s, name, &id) ? s->names[id].cfg
						  : report_default_cfg;
}

static struct slot *slot_find(const struct report_set *s, unsigned scope,
			      uint32_t name, int64_t start)
{
	size_t mask = s->cap_slots - 1;
	size_t i = hash_key(scope, name, start) & mask;

	for (; s->slots[i].used; i = (i + 1) & mask) {
		struct slot *e = &s->slots[i];
		if (e->scope == scope && e->name == name && e->start_ms == start)
			return e;
	}
	return &s->slots[i];
}

/* The table rebuilt at cap slots from the buckets (dropped: those keep
 * says no to, when keep is not NULL), the array compacted in order. */
static int rehash(struct report_set *s, size_t cap,
		  bool (*keep)(const struct ent *e, int64_t arg), int64_t arg)
{
	struct slot *slots = calloc(cap, sizeof(*slots));
	struct ent *ents = cap / 2 > s->n_slots || !s->ents ?
		realloc(s->ents, cap / 2 * sizeof(*ents)) : s->ents;
	size_t n = 0;

	if (!slots || !ents) {
		free(slots);
		if (ents)
			s->ents = ents;
		return ENOMEM;
	}
	s->ents = ents;
	free(s->slots);
	s->slots = slots;
	s->cap_slots = cap;
	for (size_t i = 0; i < s->n_slots; i++) {
		struct slot *e;

		if (keep && !keep(&ents[i], arg))
			continue;
		ents[n] = ents[i];
		e = slot_find(s, ents[n].scope, ents[n].name,
			      ents[n].b.start_ms);
		*e = (struct slot){.used = true, .scope = ents[n].scope,
				   .name = ents[n].name,
				   .start_ms = ents[n].b.start_ms,
				   .at = (uint32_t)n};
		n++;
	}
	s->n_slots = n;
	return 0;
}

int report_reserve(struct report_set *s, size_t n)
{
	size_t cap = s->cap_slots ? s->cap_slots : 64;

	if (n > SIZE_MAX / 4 - s->n_slots || s->n_slots + n >= UINT32_MAX)
		return ENOMEM;
	while ((s->n_slots + n) * 2 > cap)
		cap *= 2;
	return cap == s->cap_slots ? 0 : rehash(s, cap, NULL, 0);
}

int report_set_expect(struct report_set *s, size_t n)
{
	return report_reserve(s, n);
}

struct report_bucket *report_bucket_at(struct report_set *s,
				       enum report_scope scope, uint32_t name,
				       int64_t start, bool dirty)
{
	struct slot *e = slot_find(s, scope, name, start);
	struct ent *b;

	if (!e->used) {
		*e = (struct slot){.used = true, .scope = (uint8_t)scope,
				   .name = name, .start_ms = start,
				   .at = (uint32_t)s->n_slots};
		s->ents[s->n_slots++] = (struct ent){.scope = (uint8_t)scope,
			.name = name, .b = {.start_ms = start, .intervals = 1}};
	}
	b = &s->ents[e->at];
	b->dirty |= dirty;
	return &b->b;
}

/* Adds e's bucket into out when it is in the range. */
static void sum_one(const struct ent *e, int64_t from, int64_t to,
		    struct report_bucket *out)
{
	if (e->b.start_ms < from || e->b.start_ms >= to)
		return;
	report_bucket_add(out, &e->b);
}

int report_sum(const struct report_set *s, enum report_scope scope,
	       const char *name, int64_t from_ms, int64_t to_ms,
	       struct report_bucket *out)
{
	uint32_t id = 0;
	int64_t first;

	if (!out || (scope != REPORT_QUEUE && scope != REPORT_AGENT))
		return EINVAL;
	*out = (struct report_bucket){.start_ms = from_ms};
	if (from_ms >= to_ms || !s->n_slots)
		return 0;
	if (name && name_lookup(s, name, &id))
		return 0;
	first = from_ms <= 0 ? 0 : report_align(s, from_ms);
	if (first < from_ms)
		first += s->interval_ms;
	/* One probe per interval when that is fewer than a full walk. */
	if (name && (to_ms - first) / s->interval_ms < (int64_t)s->n_slots) {
		for (int64_t t = first; t < to_ms; ) {
			const struct slot *e = slot_find(s, scope, id, t);
			if (e->used)
				sum_one(&s->ents[e->at], from_ms, to_ms, out);
			if (to_ms - t <= s->interval_ms)
				break;
			t += s->interval_ms;
		}
		return 0;
	}
	for (size_t i = 0; i < s->n_slots; i++) {
		const struct ent *e = &s->ents[i];
		if (e->scope == scope && (!name || e->name == id))
			sum_one(e, from_ms, to_ms, out);
	}
	return 0;
}

int report_add_rows(const struct report_set *s, enum report_scope scope,
		    const char *name, int64_t from_ms, int64_t to_ms,
		    int64_t start, int64_t step, size_t n,
		    struct report_bucket *out)
{
	uint32_t id = 0;

	if (!out || (scope != REPORT_QUEUE && scope != REPORT_AGENT) ||
	    step <= 0 || start > from_ms)
		return EINVAL;
	if (from_ms >= to_ms || !s->n_slots || (name && name_lookup(s, name, &id)))
		return 0;
	/* One walk, each bucket into its row: a year of 15-minute rows
	 * over every queue costs the set's size, not rows times it. */
	for (size_t i = 0; i < s->n_slots; i++) {
		const struct ent *e = &s->ents[i];
		int64_t k;

		if (e->scope != scope || (name && e->name != id) ||
		    e->b.start_ms < from_ms || e->b.start_ms >= to_ms)
			continue;
		k = (e->b.start_ms - start) / step;
		if (k < (int64_t)n)
			report_bucket_add(&out[k], &e->b);
	}
	return 0;
}

int report_sum_rows(const struct report_set *s, enum report_scope scope,
		    const char *name, int64_t from_ms, int64_t to_ms,
		    int64_t start, int64_t step, size_t n,
		    struct report_bucket *out)
{
	if (!out || (scope != REPORT_QUEUE && scope != REPORT_AGENT) ||
	    step <= 0 || start > from_ms)
		return EINVAL;
	for (size_t k = 0; k < n; k++)
		out[k] = (struct report_bucket){
			.start_ms = start + (int64_t)k * step < from_ms ? from_ms :
				start + (int64_t)k * step};
	return report_add_rows(s, scope, name, from_ms, to_ms, start, step, n,
			       out);
}

int report_flush(struct report_set *s, report_bucket_h *h, void *arg)
{
	for (size_t i = 0; i < s->n_slots; i++) {
		struct ent *e = &s->ents[i];
		int err;

		if (!e->dirty)
			continue;
		err = h(e->scope, s->names[e->name].name, &e->b, arg);
		if (err)
			return err;
		e->dirty = false;
	}
	return 0;
}

int report_load(struct report_set *s, enum report_scope scope,
		const char *name, const struct report_bucket *b)
{
	struct report_bucket *dst;
	uint32_t id;
	int err;

	if (!name || !b || (scope != REPORT_QUEUE && scope != REPORT_AGENT) ||
	    b->start_ms < 0 || report_align(s, b->start_ms) != b->start_ms)
		return EINVAL;
	err = report_name_id(s, name, &id);
	if (!err)
		err = report_reserve(s, 1);
	if (err)
		return err;
	dst = report_bucket_at(s, scope, id, b->start_ms, false);
	report_bucket_add(dst, b);
	dst->intervals = 1;    /* still one interval, however it was filled */
	return 0;
}

static bool kept(const struct ent *e, int64_t before_ms)
{
	return e->dirty || e->b.start_ms >= before_ms;
}

int report_evict(struct report_set *s, int64_t before_ms, size_t *n)
{
	size_t drop = 0;

	for (size_t i = 0; i < s->n_slots; i++)
		drop += !kept(&s->ents[i], before_ms);
	if (n)
		*n = drop;
	/* Rebuilt at the same size: open addressing has no cheap delete. */
	return drop ? rehash(s, s->cap_slots, kept, before_ms) : 0;
}
