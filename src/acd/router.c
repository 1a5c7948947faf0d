/* router.c: the router's life, its clock and its one loop.
 *
 * After every event the router settles: while some queue has both an
 * eligible waiting call and an eligible ready agent, it pairs them. Only an
 * event can make a call or an agent eligible, and each marks the queues it
 * touched; settling then visits just those, best head call first (higher
 * priority, then longer weighted wait, then earlier arrival), so an agent
 * serving several queues gets the caller who has waited longest among the
 * highest priority across them, not the first queue looked at. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"

/* Within one queue: higher priority, then arrival (arrival numbers are
 * unique, so the third word never decides). */
struct acd_hkey acd_call_key(const struct acd_call *c)
{
	return (struct acd_hkey){ acd_u(-(int64_t)c->prio), c->seq, 0 };
}

int acd_alloc(struct acd **acdp, const struct acd_host *host, uint64_t seed)
{
	struct acd *acd;

	if (!acdp)
		return EINVAL;
	acd = calloc(1, sizeof(*acd));
	if (!acd)
		return ENOMEM;
	if (host)
		acd->host = *host;
	acd->rng = seed;
	acd->now = INT64_MIN;
	*acdp = acd;
	return 0;
}

void acd_free(struct acd *acd)
{
	if (!acd)
		return;
	for (uint32_t i = 0; i < acd->nqueues; i++) {
		struct acd_queue *q = acd->queues[i];
		while (q->oldest)
			acd_call_free(acd, q->oldest);
	}
	/* Connected calls are on no arrival list: their agents hold them. */
	for (uint32_t i = 0; i < acd->nagents; i++) {
		struct acd_agent *a = acd->agents[i];
		if (a->state == ACD_TALKING)
			acd_call_free(acd, a->call);
	}
	for (uint32_t i = 0; i < acd->nagents; i++)
		acd_agent_free(acd->agents[i]);
	for (uint32_t i = 0; i < acd->nqueues; i++)
		acd_queue_free(acd->queues[i]);
	free(acd->agents);
	free(acd->queues);
	free(acd->dirty);
	acd_map_free(&acd->agent_map);
	acd_map_free(&acd->call_map);
	acd_map_free(&acd->queue_map);
	acd_slab_free(&acd->slab);
	acd_heap_free(&acd->timers);
	acd_heap_free(&acd->settle);
	free(acd);
}

void acd_emit(struct acd *acd, const struct acd_action *a)
{
	if (!acd->host.emit)
		return;
	acd->in_emit = true;
	acd->host.emit(acd->host.arg, a);
	acd->in_emit = false;
}

/* splitmix64: one word of state, so a snapshot carries it whole. */
uint64_t acd_rand(struct acd *acd)
{
	uint64_t z = (acd->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void acd_timer_arm(struct acd *acd, struct acd_timer *t, int kind,
		   int64_t at)
{
	acd_timer_stop(acd, t);
	t->kind = (uint8_t)kind;
	t->at = at;
	/* Equal deadlines: by kind, then owner; never by arming order, so a
	 * restored router fires them as the original would. */
	acd_heap_push(&acd->timers, t, (struct acd_hkey){ acd_u(at),
		      (uint64_t)kind, acd_timer_owner(t) });
}

uint64_t acd_timer_owner(const struct acd_timer *t)
{
	switch (t->kind) {
	case TK_HOLD:
		return acd_container(t, struct acd_call, hold)->id;
	case TK_MAXWAIT:
		return acd_container(t, struct acd_call, maxwait)->id;
	default:
		return acd_container(t, struct acd_agent, tmr)->id;
	}
}

void acd_timer_stop(struct acd *acd, struct acd_timer *t)
{
	if (acd_timer_armed(t))
		acd_heap_remove(&acd->timers, t);
}

void acd_mark(struct acd *acd, struct acd_queue *q)
{
	if (q->dirty)
		return;
	if (acd->ndirty == acd->capdirty) {
		uint32_t cap = acd->capdirty ? acd->capdirty * 2 : 16;
		struct acd_queue **d = realloc(acd->dirty, cap * sizeof(*d));
		if (!d)
			abort();
		acd->dirty = d;
		acd->capdirty = cap;
	}
	q->dirty = true;
	acd->dirty[acd->ndirty++] = q;
}

/* Up to this many marked queues are settled by scanning them. */
enum { SETTLE_SCAN = 8 };

static bool matchable(const struct acd_queue *q)
{
	return q->line.n && q->ready.n;
}

/* Higher priority, then longer weighted wait, then earlier arrival. */
static struct acd_hkey settle_key(const struct acd_queue *q, int64_t now)
{
	const struct acd_call *c = acd_line_head(&q->line);
	int64_t score = (now - c->enter) * (int64_t)q->cfg.weight;

	return (struct acd_hkey){ acd_u(-(int64_t)c->prio), acd_u(-score),
				  c->seq };
}

static void settle_push(struct acd *acd, struct acd_queue *q, int64_t now)
{
	acd_heap_push(&acd->settle, q, settle_key(q, now));
}

static void match_one(struct acd *acd, struct acd_queue *q, int64_t now)
{
	struct acd_call *c = acd_line_head(&q->line);

	if (q->strat->flags & STRAT_ALL) {
		while (q->ready.n)
			acd_offer(acd, c, acd_ready_top(q), now);
		return;
	}
	acd_offer(acd, c, q->strat->pick ? q->strat->pick(acd, q)
		  : acd_ready_top(q), now);
}

/* A few marked queues (an agent's, after a call): the best of them by a
 * plain scan, again after every pairing. A pairing changes only its own
 * queue's head, so this picks what the heap below would, without its
 * pushes and sifts. */
static void settle_few(struct acd *acd, int64_t now)
{
	for (;;) {
		struct acd_queue *best = NULL;
		struct acd_hkey bk = {0}, k;
		for (uint32_t i = 0; i < acd->ndirty; i++) {
			struct acd_queue *q = acd->dirty[i];
			if (!matchable(q))
				continue;
			k = settle_key(q, now);
			if (!best || acd_hkey_less(&k, &bk)) {
				best = q;
				bk = k;
			}
		}
		if (!best)
			break;
		match_one(acd, best, now);
	}
}

/* Offers never make anything eligible, so no queue is marked while this
 * runs and the set only shrinks. */
void acd_settle(struct acd *acd, int64_t now)
{
	struct acd_queue *q;

	if (acd->ndirty <= SETTLE_SCAN) {
		for (uint32_t i = 0; i < acd->ndirty; i++)
			acd->dirty[i]->dirty = false;
		settle_few(acd, now);
		acd->ndirty = 0;
		return;
	}
	for (uint32_t i = 0; i < acd->ndirty; i++) {
		q = acd->dirty[i];
		q->dirty = false;
		if (matchable(q))
			settle_push(acd, q, now);
	}
	acd->ndirty = 0;
	while ((q = acd_heap_top(&acd->settle))) {
		acd_heap_remove(&acd->settle, q);
		if (!matchable(q))
			continue;
		match_one(acd, q, now);
		if (matchable(q))
			settle_push(acd, q, now);
	}
}

/* Everything due at the same instant happens together, then one settle, so
 * an agent freed at t and a caller timing out at t do not race. */
static void run_timers(struct acd *acd, int64_t now)
{
	struct acd_timer *t;

	while ((t = acd_heap_top(&acd->timers)) && t->at <= now) {
		/* A deadline a configuration change moved into the past runs
		 * now, not back then. */
		int64_t at = t->at > acd->now ? t->at : acd->now;
		acd->now = at;
		while ((t = acd_heap_top(&acd->timers)) && t->at <= at) {
			acd_heap_remove(&acd->timers, t);
			if (t->kind == TK_HOLD || t->kind == TK_MAXWAIT)
				acd_call_timer(acd, t, at);
			else
				acd_agent_timer(acd, acd_container(t,
					struct acd_agent, tmr), at);
		}
		acd_settle(acd, at);
	}
}

/* Every event starts here: refuse re-entry, keep time from running
 * backwards, then catch up on the timers due by now. */
int acd_begin(struct acd *acd, int64_t *now)
{
	if (!acd)
		return EINVAL;
	if (acd->in_emit)
		return EBUSY;
	if (*now < acd->now)
		*now = acd->now;
	run_timers(acd, *now);
	acd->now = *now;
	return 0;
}

int acd_tick(struct acd *acd, int64_t now_ms)
{
	return acd_begin(acd, &now_ms);
}

int64_t acd_next_deadline(const struct acd *acd)
{
	const struct acd_timer *t = acd ? acd_heap_top(&acd->timers) : NULL;

	return t ? t->at : ACD_NEVER;
}

void acd_fmt(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (!why || !n)
		return;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

/* After a configuration change: pair what the change made eligible, then
 * run the timers it moved into the past (a shorter max wait). */
void acd_finish(struct acd *acd, int64_t now)
{
	acd_settle(acd, now);
	run_timers(acd, now);
	acd->now = now;
}
