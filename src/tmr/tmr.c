/* tmr: libre's timer API on tmr/queue's heap, one heap per libre timer
 * list. The exported names are libre's own on purpose: see tmr.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tmr/tmr_int.h"

/* A heap and the libre list (one per re thread) it stands for. Heaps are
 * never freed: there is one per thread that ever ran a libre loop, and a
 * list's address comes back when libre reuses a freed thread context. */
struct heap {
	struct list *tmrl;
	struct tmr_q q;
	struct heap *next;
};

static pthread_mutex_t heaps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct heap *heaps;
/* The calling thread's last answer: a loop asks for the same list on
 * every timer, so the lock is taken once per thread and list. */
static _Thread_local struct heap *cached;

static struct heap *heap_of(struct list *tmrl)
{
	struct heap *h = cached;
	if (h && h->tmrl == tmrl)
		return h;
	pthread_mutex_lock(&heaps_lock);
	for (h = heaps; h && h->tmrl != tmrl; h = h->next)
		;
	if (!h && (h = calloc(1, sizeof(*h)))) {
		h->tmrl = tmrl;
		h->next = heaps;
		heaps = h;
	}
	pthread_mutex_unlock(&heaps_lock);
	/* libre's timer API cannot report an error, and a timer silently
	 * not armed would hang a call: out of memory here is fatal. */
	if (!h) {
		fputs("tmr: out of memory for a timer heap\n", stderr);
		abort();
	}
	cached = h;
	return h;
}

uint32_t tmr_pending(struct list *tmrl)
{
	return (uint32_t)heap_of(tmrl)->q.n;
}

void tmr_init(struct tmr *tmr)
{
	if (tmr)
		memset(tmr, 0, sizeof(*tmr));
}

void tmr_start(struct tmr *tmr, uint64_t delay, tmr_h *th, void *arg)
{
	if (!tmr)
		return;
	if (tmr->th && tmr->le.data)
		tmr_q_remove(tmr->le.data, tmr);
	tmr->th = th;
	tmr->arg = arg;
	if (!th)
		return;
	struct heap *h = heap_of(tmrl_get());
	if (tmr_q_push(&h->q, tmr, delay + tmr_jiffies())) {
		fputs("tmr: out of memory for a timer\n", stderr);
		abort();
	}
}

void tmr_cancel(struct tmr *tmr)
{
	tmr_start(tmr, 0, NULL, NULL);
}

/* Fires every timer due at the time of the call, in order; a handler may
 * start or cancel timers, so the first one is looked up afresh each time. */
void tmr_poll(struct list *tmrl)
{
	struct tmr_q *q = &heap_of(tmrl)->q;
	const uint64_t now = tmr_jiffies();
	for (;;) {
		struct tmr *tmr = tmr_q_first(q);
		if (!tmr || tmr->jfs > now)
			break;
		tmr_h *th = tmr->th;
		void *arg = tmr->arg;
		tmr->th = NULL;
		tmr_q_remove(q, tmr);
		if (th)
			th(arg);
	}
}

uint64_t tmr_next_timeout(struct list *tmrl)
{
	const struct tmr *tmr = tmr_q_first(&heap_of(tmrl)->q);
	if (!tmr)
		return 0;
	const uint64_t now = tmr_jiffies();
	return tmr->jfs <= now ? 1 : tmr->jfs - now;
}

uint64_t tmr_get_expire(const struct tmr *tmr)
{
	if (!tmr || !tmr->th)
		return 0;
	const uint64_t now = tmr_jiffies();
	return tmr->jfs > now ? tmr->jfs - now : 0;
}

/* libre prints its list in expiry order; this prints the heap's order. */
int tmr_status(struct re_printf *pf, void *unused)
{
	(void)unused;
	const struct tmr_q *q = &heap_of(tmrl_get())->q;
	if (!q->n)
		return 0;
	int err = re_hprintf(pf, "Timers (%zu):\n", q->n);
	for (size_t i = 0; i < q->n; i++) {
		const struct tmr *tmr = q->v[i].tmr;
		err |= re_hprintf(pf, "  %p: th=%p expire=%llums\n", tmr,
				  tmr->th,
				  (unsigned long long)tmr_get_expire(tmr));
	}
	return err;
}

void tmr_debug(void)
{
	if (tmr_pending(tmrl_get()))
		(void)re_fprintf(stderr, "%H", tmr_status, NULL);
}
