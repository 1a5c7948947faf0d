/* config.c: configuration of queues and of the queues each agent serves.
 * Every change is checked whole before anything moves: a refused change
 * leaves the router exactly as it was and says why. An accepted one applies
 * to the next decision; waiting callers keep their places. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd_int.h"
#include "base/util.h"

enum { MAX_WEIGHT = 1000 };

struct acd_queue *acd_queue_find(const struct acd *acd, uint32_t id)
{
	return acd_map_get(&acd->queue_map, id);
}

struct acd_agent *acd_agent_find(const struct acd *acd, uint32_t id)
{
	return acd_map_get(&acd->agent_map, id);
}

void acd_queue_free(struct acd_queue *q)
{
	acd_line_free(&q->line);
	acd_ready_free(&q->ready);
	free(q->members);
	free(q->ids);
	free(q);
}

void acd_agent_free(struct acd_agent *a)
{
	acd_heap_free(&a->held);
	if (a->mem != a->inl)
		free(a->mem);
	free(a);
}

/* Re-sorts q's ready agents, after a strategy change or counters reset. */
int acd_index_rebuild(struct acd_queue *q)
{
	acd_ready_clear(&q->ready);
	for (uint32_t i = 0; i < q->nmembers; i++) {
		struct acd_mem *m = q->members[i];
		if (!m->agent->indexed)
			continue;
		if (q->strat->enter)
			q->strat->enter(m);
		acd_ready_push(q, m);
	}
	return 0;
}

static bool time_ok(int64_t v)
{
	return v >= 0 && v <= INT64_MAX / 4;
}

static bool dest_ok(const struct acd_dest *d)
{
	return memchr(d->target, '\0', sizeof(d->target)) != NULL;
}

/* Follows overflow queue links from cfg's destination, reading cfg for
 * cfg->id itself; a chain back to cfg->id is a cycle. */
static int check_cycle(const struct acd *acd, const struct acd_queue_cfg *cfg,
		       char *why, size_t n)
{
	const struct acd_dest *d = &cfg->overflow;

	for (uint32_t hops = 0; d->kind == ACD_DEST_QUEUE; hops++) {
		const struct acd_queue *next;
		if (d->queue_id == cfg->id) {
			acd_fmt(why, n, hops ? "queue %u overflows into itself "
				"through a cycle" : "queue %u overflows into "
				"itself", cfg->id);
			return EINVAL;
		}
		next = acd_queue_find(acd, d->queue_id);
		if (!next) {
			acd_fmt(why, n, "overflow queue %u does not exist",
				d->queue_id);
			return EINVAL;
		}
		if (hops > acd->nqueues)
			break;   /* an older cycle not through cfg->id: refused
				  * when it was made, so unreachable */
		d = &next->cfg.overflow;
	}
	return 0;
}

static int check_cfg(const struct acd *acd, const struct acd_queue_cfg *cfg,
		     char *why, size_t n)
{
	const struct { const char *name; int64_t v; } times[] = {
		{"ring_timeout_ms", cfg->ring_timeout_ms},
		{"retry_ms", cfg->retry_ms},
		{"max_wait_ms", cfg->max_wait_ms},
		{"wrapup_ms", cfg->wrapup_ms},
		{"noanswer_pause_ms", cfg->noanswer_pause_ms},
		{"sticky_window_ms", cfg->sticky_window_ms},
		{"sticky_wait_ms", cfg->sticky_wait_ms},
	};

	if (!acd_strategy_find(cfg->strategy)) {
		acd_fmt(why, n, "unknown strategy \"%s\"",
			cfg->strategy ? cfg->strategy : "");
		return EINVAL;
	}
	for (size_t i = 0; i < ARRAY_LEN(times); i++) {
		if (!time_ok(times[i].v)) {
			acd_fmt(why, n, "%s must be a time >= 0, not %lld",
				times[i].name, (long long)times[i].v);
			return EINVAL;
		}
	}
	if (cfg->ring_timeout_ms == 0) {
		acd_fmt(why, n, "ring_timeout_ms must be > 0");
		return EINVAL;
	}
	if (cfg->weight < 1 || cfg->weight > MAX_WEIGHT) {
		acd_fmt(why, n, "weight must be 1..%d, not %u", MAX_WEIGHT,
			cfg->weight);
		return EINVAL;
	}
	if ((unsigned)cfg->join_empty > ACD_EMPTY_NO_AVAILABLE ||
	    (unsigned)cfg->leave_empty > ACD_EMPTY_NO_AVAILABLE) {
		acd_fmt(why, n, "unknown join/leave-empty rule");
		return EINVAL;
	}
	if ((unsigned)cfg->overflow.kind > ACD_DEST_VOICEMAIL ||
	    !dest_ok(&cfg->overflow)) {
		acd_fmt(why, n, "bad overflow destination");
		return EINVAL;
	}
	if (cfg->overflow.kind == ACD_DEST_EXTENSION &&
	    !cfg->overflow.target[0]) {
		acd_fmt(why, n, "overflow to an extension needs its number");
		return EINVAL;
	}
	return check_cycle(acd, cfg, why, n);
}

static int grow(void **arr, uint32_t *cap, uint32_t need, size_t size)
{
	void *p;
	uint32_t c = *cap ? *cap : 8;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	p = realloc(*arr, c * size);
	if (!p)
		return ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

static int queue_add(struct acd *acd, const struct acd_queue_cfg *cfg,
		     struct acd_queue **qp)
{
	struct acd_queue *q = calloc(1, sizeof(*q));

	if (!q || grow((void **)&acd->queues, &acd->capqueues,
		       acd->nqueues + 1, sizeof(*acd->queues)) ||
	    acd_map_put(&acd->queue_map, cfg->id, q)) {
		free(q);
		return ENOMEM;
	}
	q->h.idx = ACD_NONE;
	q->rr_pos = INT32_MIN;
	q->slot = acd->nqueues;
	acd->queues[acd->nqueues++] = q;
	*qp = q;
	return 0;
}

int acd_queue_set(struct acd *acd, const struct acd_queue_cfg *cfg,
		  int64_t now_ms, char *why, size_t n)
{
	struct acd_queue *q;
	const struct acd_strategy *old;
	int64_t old_wait;
	int err;

	if (!cfg)
		return EINVAL;
	err = acd_begin(acd, &now_ms);
	if (err)
		return err;
	err = check_cfg(acd, cfg, why, n);
	if (err)
		return err;
	q = acd_queue_find(acd, cfg->id);
	if (!q && queue_add(acd, cfg, &q)) {
		acd_fmt(why, n, "out of memory");
		return ENOMEM;
	}
	old = q->strat;
	old_wait = q->strat ? q->cfg.max_wait_ms : 0;
	q->cfg = *cfg;
	q->strat = acd_strategy_find(cfg->strategy);
	q->cfg.strategy = q->strat->name;
	if (q->strat != old)
		acd_index_rebuild(q);
	if (q->cfg.max_wait_ms != old_wait) {
		/* Each waiting caller's limit counts from when they came in. */
		for (struct acd_call *c = q->oldest; c; c = c->newer) {
			c->overdue = false;
			if (q->cfg.max_wait_ms > 0)
				acd_timer_arm(acd, &c->maxwait, TK_MAXWAIT,
					      c->enter + q->cfg.max_wait_ms);
			else
				acd_timer_stop(acd, &c->maxwait);
		}
	}
	acd_queue_check_empty(acd, q, now_ms);
	acd_finish(acd, now_ms);
	return 0;
}

int acd_queue_remove(struct acd *acd, uint32_t queue_id, char *why, size_t n)
{
	struct acd_queue *q;

	if (!acd)
		return EINVAL;
	if (acd->in_emit)
		return EBUSY;
	q = acd_queue_find(acd, queue_id);
	if (!q) {
		acd_fmt(why, n, "no queue %u", queue_id);
		return ENOENT;
	}
	if (q->len || q->connected || q->nmembers) {
		acd_fmt(why, n, "queue %u still has %s", queue_id,
			q->nmembers ? "agents serving it" : "live calls");
		return EBUSY;
	}
	for (uint32_t i = 0; i < acd->nqueues; i++) {
		const struct acd_dest *d = &acd->queues[i]->cfg.overflow;
		if (d->kind == ACD_DEST_QUEUE && d->queue_id == queue_id &&
		    acd->queues[i] != q) {
			acd_fmt(why, n, "queue %u overflows into it",
				acd->queues[i]->cfg.id);
			return EBUSY;
		}
	}
	acd_map_del(&acd->queue_map, queue_id);
	memmove(&acd->queues[q->slot], &acd->queues[q->slot + 1],
		(acd->nqueues - q->slot - 1) * sizeof(*acd->queues));
	acd->nqueues--;
	for (uint32_t i = q->slot; i < acd->nqueues; i++)
		acd->queues[i]->slot = i;
	acd_queue_free(q);
	return 0;
}
