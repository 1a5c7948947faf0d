/* base/memtrim: gives the heap's free memory back to the system once a
 * load has passed (issue 18: RSS stayed at 6× idle long after the calls
 * ended).
 *
 * glibc's malloc keeps what is freed: the main heap shrinks only from its
 * top, the other threads' arenas hardly ever, so the pages of 10,000
 * finished calls (SIP transactions, recorder buffers, SQL rows) stay
 * resident for good. malloc_trim(0) hands every whole free page of every
 * arena back (madvise). A thread of its own looks every period: when the
 * free bytes the arenas hold exceed both MEMTRIM_SLACK and a quarter of
 * what is in use, and the resident memory beyond what is in use grew by
 * MEMTRIM_SLACK since the last trim (RssAnon, /proc/self/status), it
 * trims: pages given back once are not asked about again. Under load the
 * free part stays small (freed chunks are reused at once), so it trims
 * when the load falls, not during it; and never on the signalling loop,
 * whose calls it would delay. */
#ifndef HL_BASE_MEMTRIM_H
#define HL_BASE_MEMTRIM_H

#include <stdbool.h>
#include <stddef.h>

enum { MEMTRIM_SLACK = 4 << 20 };

struct memtrim;

/* What the last look saw (bytes), how many trims were done, and the
 * resident bytes beyond those in use right after the last one (floor). */
struct memtrim_stats {
	size_t   free_bytes, used_bytes, rss_anon;
	long long floor;
	bool     have_floor;
	unsigned trims;
};

/* Starts the thread, looking every period_ms (>= 10); *mp is yours. */
int  memtrim_start(struct memtrim **mp, unsigned period_ms);
/* Stops and joins the thread; NULL is fine. */
void memtrim_stop(struct memtrim *m);
/* Looks once on the calling thread with st from the look before (zeroed
 * the first time), trims if the rule says so; true when it trimmed. */
bool memtrim_check(struct memtrim_stats *st);
/* The rule alone: st's free and used bytes and floor, beyond the resident
 * bytes not in use now. */
bool memtrim_due(const struct memtrim_stats *st, long long beyond);
/* A copy of the thread's figures, under its lock. */
void memtrim_stats(struct memtrim *m, struct memtrim_stats *st);

#endif
