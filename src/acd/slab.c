/* slab.c: where calls live. Calls come and go by the hundred thousand, so
 * they are carved from big blocks and reused last-freed first, instead of
 * one malloc each: a new caller takes the slot an ended call just left
 * (still in cache), nothing is written outside the call, and every call
 * starts on a cache line, so what offers and answers read (the call's
 * first line) is one line, not two.
 *
 * Blocks double from SLAB_FIRST calls up to 4 MiB and are kept until
 * the router is freed: a router that once held a million callers keeps
 * their room. Blocks of at least 2 MiB are marked for huge pages where the
 * system has them: a big backlog is then a few TLB entries, not thousands
 * (each miss costs a page walk, twice over in a virtual machine). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"
#if defined(__linux__)
#include <sys/mman.h>
#endif
/* Under AddressSanitizer a released call is poisoned until reused, so a
 * use after release is caught as it would be after free(). */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

enum { SLAB_FIRST = 64, HUGE_PAGE = 2 << 20, SLAB_MAX_BYTES = 2 * HUGE_PAGE };

/* Cache-line aligned memory; whole huge pages, aligned to one and marked
 * for huge pages (a hint the system may ignore), when bytes is a multiple
 * of one. */
void *acd_big_alloc(size_t bytes)
{
	bool huge = bytes >= HUGE_PAGE && bytes % HUGE_PAGE == 0;
	void *p = aligned_alloc(huge ? HUGE_PAGE : 64,
				(bytes + 63) / 64 * 64);

#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (p && huge)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

static int grow(struct acd_slab *s)
{
	size_t n = s->nblocks ? s->blocks[s->nblocks - 1].n * 2 : SLAB_FIRST;
	size_t bytes = n * sizeof(struct acd_call);
	struct acd_call *v;

	/* Big blocks are whole huge pages. */
	if (bytes >= HUGE_PAGE) {
		bytes = bytes < SLAB_MAX_BYTES ? (bytes + HUGE_PAGE - 1) /
			HUGE_PAGE * HUGE_PAGE : SLAB_MAX_BYTES;
		n = bytes / sizeof(struct acd_call);
	}
	if (s->nblocks == s->capblocks) {
		uint32_t cap = s->capblocks ? s->capblocks * 2 : 8;
		void *p = realloc(s->blocks, cap * sizeof(*s->blocks));
		if (!p)
			return ENOMEM;
		s->blocks = p;
		s->capblocks = cap;
	}
	v = acd_big_alloc(bytes);
	if (!v)
		return ENOMEM;
	s->blocks[s->nblocks++] = (struct acd_slab_block){ v, (uint32_t)n };
	s->used = 0;
	return 0;
}

/* A zeroed call, or NULL when out of memory. */
struct acd_call *acd_call_alloc(struct acd_slab *s)
{
	struct acd_call *c = s->free;

	if (c) {
		UNPOISON(c, sizeof(*c));
		s->free = c->next;
	} else {
		if ((!s->nblocks || s->used == s->blocks[s->nblocks - 1].n) &&
		    grow(s))
			return NULL;
		c = &s->blocks[s->nblocks - 1].v[s->used++];
	}
	memset(c, 0, sizeof(*c));
	return c;
}

void acd_call_release(struct acd_slab *s, struct acd_call *c)
{
	c->next = s->free;
	s->free = c;
	/* All but the link: the free list still reads it. */
	POISON(c, offsetof(struct acd_call, next));   /* from its start */
	POISON(&c->prev, sizeof(*c) - offsetof(struct acd_call, prev));
}

void acd_slab_free(struct acd_slab *s)
{
	for (uint32_t i = 0; i < s->nblocks; i++) {
		UNPOISON(s->blocks[i].v, s->blocks[i].n * sizeof(struct acd_call));
		free(s->blocks[i].v);
	}
	free(s->blocks);
	memset(s, 0, sizeof(*s));
}
