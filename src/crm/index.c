/* crm/index: the numbers that change what a call does (blacklisted, a
 * level above normal, an owner), by number, in memory: a chained hash
 * that doubles when it fills. Ordinary numbers are not held, so its size
 * is that of the center's special customers, not of all of them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "crm/crm_int.h"

struct entry {
	struct entry *next;
	char number[CRM_PHONE_MAX];
	struct crm_caller c;
};

struct crm_index {
	struct entry **slot;
	size_t nslots;   /* a power of two */
	size_t count;
};

enum { FIRST_SLOTS = 256 };

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

int crm_index_alloc(struct crm_index **ip)
{
	struct crm_index *ix = calloc(1, sizeof(*ix));

	if (!ix || !(ix->slot = calloc(FIRST_SLOTS, sizeof(*ix->slot)))) {
		free(ix);
		return ENOMEM;
	}
	ix->nslots = FIRST_SLOTS;
	*ip = ix;
	return 0;
}

void crm_index_free(struct crm_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nslots; i++)
		for (struct entry *e = ix->slot[i], *n; e; e = n) {
			n = e->next;
			free(e);
		}
	free(ix->slot);
	free(ix);
}

static struct entry **find(const struct crm_index *ix, const char *number)
{
	struct entry **pe = &ix->slot[hash(number) & (ix->nslots - 1)];

	while (*pe && strcmp((*pe)->number, number))
		pe = &(*pe)->next;
	return pe;
}

/* Doubles the table; a failed allocation keeps the old one (longer
 * chains, still correct). */
static void grow(struct crm_index *ix)
{
	size_t n = ix->nslots * 2;
	struct entry **s = calloc(n, sizeof(*s));

	if (!s)
		return;
	for (size_t i = 0; i < ix->nslots; i++)
		for (struct entry *e = ix->slot[i], *nx; e; e = nx) {
			size_t k = hash(e->number) & (n - 1);
			nx = e->next;
			e->next = s[k];
			s[k] = e;
		}
	free(ix->slot);
	ix->slot = s;
	ix->nslots = n;
}

bool crm_caller_matters(const struct crm_caller *c)
{
	return c->blacklisted || c->raise || c->owner[0];
}

int crm_index_put(struct crm_index *ix, const char *number,
		  const struct crm_caller *c)
{
	struct entry **pe, *e;

	if (strlen(number) >= CRM_PHONE_MAX)
		return EINVAL;
	if (!crm_caller_matters(c)) {
		crm_index_del(ix, number);
		return 0;
	}
	pe = find(ix, number);
	if (*pe) {
		(*pe)->c = *c;
		return 0;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return ENOMEM;
	strcpy(e->number, number);
	e->c = *c;
	*pe = e;
	if (++ix->count > ix->nslots)
		grow(ix);
	return 0;
}

void crm_index_del(struct crm_index *ix, const char *number)
{
	struct entry **pe = find(ix, number), *e = *pe;

	if (!e)
		return;
	*pe = e->next;
	free(e);
	ix->count--;
}

int crm_index_get(const struct crm_index *ix, const char *number,
		  struct crm_caller *out)
{
	struct entry *e = *find(ix, number);

	if (!e)
		return ENOENT;
	*out = e->c;
	return 0;
}

size_t crm_index_count(const struct crm_index *ix)
{
	return ix->count;
}

void crm_index_merge(struct crm_index *dst, const struct crm_index *src,
		     bool (*skip)(void *arg, const char *number), void *arg)
{
	for (size_t i = 0; i < src->nslots; i++)
		for (const struct entry *e = src->slot[i]; e; e = e->next)
			if (!skip || !skip(arg, e->number))
				(void)crm_index_put(dst, e->number, &e->c);
}
