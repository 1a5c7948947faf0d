/* queue/sticky: who last served each caller, for sticky routing ("the
 * agent who last served this caller within N days" — 老客户转接到其业务经手人).
 *
 * The router asks synchronously while it decides, so the answer comes from
 * memory: a chained hash of caller → (agent, answered at), filled from the
 * call records at start and kept current by every answer. Memory is
 * bounded: when max callers are remembered, the older half is forgotten
 * (amortised O(1) per answer), which costs only callers nobody has served
 * for the longest time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "queue/queue_int.h"

struct entry {
	struct entry *next;
	uint32_t agent;
	int64_t ms;
	char caller[ACD_CALLER_LEN];
};

struct queue_sticky {
	struct entry **slot;
	size_t nslots;              /* a power of two */
	size_t count, max;
};

enum { FIRST_SLOTS = 1024 };

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

int queue_sticky_alloc(struct queue_sticky **sp, size_t max)
{
	struct queue_sticky *s = calloc(1, sizeof(*s));

	if (!s || !(s->slot = calloc(FIRST_SLOTS, sizeof(*s->slot)))) {
		free(s);
		return ENOMEM;
	}
	s->nslots = FIRST_SLOTS;
	s->max = max ? max : 1;
	*sp = s;
	return 0;
}

void queue_sticky_free(struct queue_sticky *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nslots; i++)
		for (struct entry *e = s->slot[i], *n; e; e = n) {
			n = e->next;
			free(e);
		}
	free(s->slot);
	free(s);
}

static struct entry **find(const struct queue_sticky *s, const char *caller)
{
	struct entry **pe = &s->slot[hash(caller) & (s->nslots - 1)];

	while (*pe && strcmp((*pe)->caller, caller))
		pe = &(*pe)->next;
	return pe;
}

static int cmp_ms(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Forgets every caller served at or before the median time. */
static void forget_older_half(struct queue_sticky *s)
{
	int64_t *ms = malloc(s->count * sizeof(*ms)), cut;
	size_t n = 0;

	if (!ms)
		return;
	for (size_t i = 0; i < s->nslots; i++)
		for (struct entry *e = s->slot[i]; e; e = e->next)
			ms[n++] = e->ms;
	qsort(ms, n, sizeof(*ms), cmp_ms);
	cut = ms[n / 2];
	free(ms);
	for (size_t i = 0; i < s->nslots; i++)
		for (struct entry **pe = &s->slot[i]; *pe;) {
			struct entry *e = *pe;
			if (e->ms <= cut) {
				*pe = e->next;
				free(e);
				s->count--;
			}
			else
				pe = &e->next;
		}
}

/* Doubles the slots once there are more callers than slots. */
static void grow(struct queue_sticky *s)
{
	size_t n = s->nslots * 2;
	struct entry **v = calloc(n, sizeof(*v));

	if (!v)
		return;     /* longer chains, still correct */
	for (size_t i = 0; i < s->nslots; i++)
		for (struct entry *e = s->slot[i], *next; e; e = next) {
			size_t k = hash(e->caller) & (n - 1);
			next = e->next;
			e->next = v[k];
			v[k] = e;
		}
	free(s->slot);
	s->slot = v;
	s->nslots = n;
}

int queue_sticky_put(struct queue_sticky *s, const char *caller,
		     uint32_t agent, int64_t ms)
{
	struct entry **pe, *e;

	if (!caller || !*caller || strlen(caller) >= ACD_CALLER_LEN || !agent)
		return EINVAL;
	pe = find(s, caller);
	if (*pe) {
		/* Records may arrive out of order at start: the latest wins. */
		if (ms >= (*pe)->ms) {
			(*pe)->agent = agent;
			(*pe)->ms = ms;
		}
		return 0;
	}
	if (s->count >= s->max) {
		forget_older_half(s);
		if (s->count >= s->max)
			return ENOMEM;
		pe = find(s, caller);
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return ENOMEM;
	strcpy(e->caller, caller);
	e->agent = agent;
	e->ms = ms;
	e->next = *pe;
	*pe = e;
	if (++s->count > s->nslots)
		grow(s);
	return 0;
}

int queue_sticky_get(const struct queue_sticky *s, const char *caller,
		     uint32_t *agent, int64_t *ms)
{
	struct entry *e;

	if (!caller || !*caller || strlen(caller) >= ACD_CALLER_LEN)
		return ENOENT;
	e = *find(s, caller);
	if (!e)
		return ENOENT;
	*agent = e->agent;
	*ms = e->ms;
	return 0;
}

size_t queue_sticky_count(const struct queue_sticky *s)
{
	return s->count;
}
