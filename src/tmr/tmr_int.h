/* tmr internals: the heap under one timer list. Pure: the caller passes
 * the expiry time, nothing here reads the clock or takes a lock. */
#ifndef HOTLINE_TMR_INT_H
#define HOTLINE_TMR_INT_H

#include <stddef.h>
#include <stdint.h>
#include "tmr/tmr.h"

/* One heap slot: the key is copied beside the timer so that comparisons
 * walk one array instead of chasing timers all over the heap. */
struct tmr_slot {
	uint64_t jfs;            /* expiry (ms, tmr_jiffies() clock) */
	uint64_t seq;            /* start order: breaks expiry ties */
	struct tmr *tmr;
};

/* A 4-ary min-heap on (jfs, seq). A queued timer keeps its slot index in
 * tmr->le.prev and its queue in tmr->le.data: libre reads a timer's le
 * only in its own tmr.c, which this module replaces. */
struct tmr_q {
	struct tmr_slot *v;
	size_t n, cap;
	uint64_t seq;            /* next start number */
};

/* Queues tmr to expire at jfs (sets tmr->jfs) after every queued timer
 * with an expiry <= jfs. tmr must not be queued. 0 or ENOMEM. */
int tmr_q_push(struct tmr_q *q, struct tmr *tmr, uint64_t jfs);

/* Removes queued tmr from q; a timer not queued on q is left alone. */
void tmr_q_remove(struct tmr_q *q, struct tmr *tmr);

/* The timer that fires first, or NULL when q is empty. */
struct tmr *tmr_q_first(const struct tmr_q *q);

/* Frees q's storage; q must be empty or its timers no longer used. */
void tmr_q_free(struct tmr_q *q);

#endif
