/* base/pool: worker threads behind one mutex, completions back through an
 * mqueue. Three lists, all guarded by the mutex:
 *
 *   todo  queued, not started: FIFO; a worker takes the first job whose
 *         lane has room (fewer than its width running: a serial lane's
 *         later jobs wait behind its running one)
 *   (running jobs are on no list: the worker holds them)
 *   done  work finished, done_h not yet run: FIFO, drained by the loop
 *
 * A worker that finishes appends to done and pushes the mqueue only when
 * done was empty: a non-empty done list means a wake-up is already on its
 * way, and the loop drains the list to its end per wake-up, one job at a
 * time, so a done_h that stops a lane or the pool finds every finished
 * job still on the list. Jobs are malloc'd and freed on the loop thread
 * only; workers just move pointers.
 *
 * Stopping one lane (pool_lane_stop) takes its jobs out of todo at once,
 * so no worker starts them, waits on `idle` until none of the lane's runs,
 * then takes its finished ones out of done: both lists keep the other
 * lanes' jobs in their order. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_mqueue.h>
#include "base/pool.h"

struct job {
	struct job *next;
	pool_work_h *work;
	pool_done_h *done;
	void *arg;
	unsigned lane;            /* 0: none */
};

struct pool {
	pthread_mutex_t mtx;
	pthread_cond_t cond;      /* work to take, a lane freed, or stop */
	pthread_cond_t idle;      /* a lane's job finished (pool_lane_stop) */
	struct job *todo, *todo_tail;
	struct job *done, *done_tail;
	size_t waiting;           /* jobs in todo */
	unsigned running[POOL_LANES_MAX + 1];   /* a lane's jobs on workers */
	bool stop;                /* workers leave; guarded by mtx */
	/* loop thread only */
	bool stopped;
	unsigned lanes;           /* lanes handed out */
	unsigned width[POOL_LANES_MAX + 1];    /* at most running at once */
	bool closed[POOL_LANES_MAX + 1];       /* pool_lane_stop ran */
	size_t pending;           /* accepted, done_h not run */
	unsigned nthreads;        /* started */
	pthread_t threads[POOL_THREADS_MAX];
	struct mqueue *mq;
};

/* The first job in todo a worker may start, unlinked; NULL when none. */
static struct job *take(struct pool *p)
{
	struct job *j, *prev = NULL;

	for (j = p->todo; j; prev = j, j = j->next) {
		if (j->lane && p->running[j->lane] >= p->width[j->lane])
			continue;
		if (prev)
			prev->next = j->next;
		else
			p->todo = j->next;
		if (p->todo_tail == j)
			p->todo_tail = prev;
		j->next = NULL;
		p->waiting--;
		if (j->lane)
			p->running[j->lane]++;
		return j;
	}
	return NULL;
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	pthread_mutex_lock(&p->mtx);
	for (;;) {
		struct job *j = NULL;
		bool wake;

		while (!p->stop && !(j = take(p)))
			pthread_cond_wait(&p->cond, &p->mtx);
		if (!j)
			break;
		pthread_mutex_unlock(&p->mtx);

		if (j->work)
			j->work(j->arg);

		pthread_mutex_lock(&p->mtx);
		if (j->lane) {
			p->running[j->lane]--;
			/* The lane's next job may be waiting behind jobs others
			 * passed over: let every idle worker look again. */
			pthread_cond_broadcast(&p->cond);
			pthread_cond_broadcast(&p->idle);
		}
		wake = !p->done;
		if (p->done_tail)
			p->done_tail->next = j;
		else
			p->done = j;
		p->done_tail = j;
		if (wake) {
			pthread_mutex_unlock(&p->mtx);
			(void)mqueue_push(p->mq, 0, NULL);
			pthread_mutex_lock(&p->mtx);
		}
	}
	pthread_mutex_unlock(&p->mtx);
	return NULL;
}

/* Runs done_h for each job of list, in order, and frees it. */
static void deliver(struct pool *p, struct job *list, int err)
{
	while (list) {
		struct job *next = list->next;

		p->pending--;
		list->done(err, list->arg);
		free(list);
		list = next;
	}
}

static void mq_handler(int id, void *data, void *arg)
{
	struct pool *p = arg;
	(void)id;
	(void)data;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&p->mtx);
		j = p->done;
		if (j) {
			p->done = j->next;
			if (!p->done)
				p->done_tail = NULL;
			j->next = NULL;
		}
		pthread_mutex_unlock(&p->mtx);
		if (!j)
			return;
		deliver(p, j, 0);
	}
}

/* Moves lane's jobs from the list at *headp (tail *tailp) to a new list,
 * both in their order; returns the new list. Under the mutex. */
static struct job *unlink_lane(struct job **headp, struct job **tailp,
			       unsigned lane, size_t *n)
{
	struct job *out = NULL, **outp = &out, **jp = headp, *last = NULL;

	while (*jp) {
		struct job *j = *jp;

		if (j->lane != lane) {
			last = j;
			jp = &j->next;
			continue;
		}
		*jp = j->next;
		j->next = NULL;
		*outp = j;
		outp = &j->next;
		if (n)
			(*n)--;
	}
	*tailp = last;
	return out;
}

void pool_lane_stop(struct pool *p, unsigned lane)
{
	struct job *done, *todo;

	if (!p || !lane || lane > p->lanes || p->closed[lane])
		return;
	p->closed[lane] = true;
	if (p->stopped)
		return;   /* pool_stop has answered every job already */
	pthread_mutex_lock(&p->mtx);
	todo = unlink_lane(&p->todo, &p->todo_tail, lane, &p->waiting);
	while (p->running[lane])
		pthread_cond_wait(&p->idle, &p->mtx);
	/* A wake-up on its way for these finds the rest, or nothing. */
	done = unlink_lane(&p->done, &p->done_tail, lane, NULL);
	pthread_mutex_unlock(&p->mtx);
	deliver(p, done, 0);
	deliver(p, todo, ECANCELED);
}

void pool_stop(struct pool *p)
{
	struct job *done, *todo;

	if (!p || p->stopped)
		return;
	p->stopped = true;
	pthread_mutex_lock(&p->mtx);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->mtx);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);

	/* No worker is left: the lists are ours without the lock, and a
	 * wake-up still in the mqueue finds done empty. */
	done = p->done;
	todo = p->todo;
	p->done = p->done_tail = p->todo = p->todo_tail = NULL;
	p->waiting = 0;
	deliver(p, done, 0);
	deliver(p, todo, ECANCELED);
}

static void destructor(void *arg)
{
	struct pool *p = arg;

	pool_stop(p);
	mem_deref(p->mq);
	pthread_cond_destroy(&p->cond);
	pthread_cond_destroy(&p->idle);
	pthread_mutex_destroy(&p->mtx);
}

int pool_alloc(struct pool **pp, unsigned nthreads)
{
	struct pool *p;
	int err;

	if (!pp || nthreads < 1 || nthreads > POOL_THREADS_MAX)
		return EINVAL;
	p = mem_zalloc(sizeof(*p), destructor);
	if (!p)
		return ENOMEM;
	pthread_mutex_init(&p->mtx, NULL);
	pthread_cond_init(&p->cond, NULL);
	pthread_cond_init(&p->idle, NULL);
	err = mqueue_alloc(&p->mq, mq_handler, p);
	for (unsigned i = 0; !err && i < nthreads; i++) {
		err = pthread_create(&p->threads[i], NULL, worker, p);
		if (!err)
			p->nthreads++;
	}
	if (err)
		mem_deref(p);
	else
		*pp = p;
	return err;
}

int pool_lane_wide(struct pool *p, unsigned width, unsigned *lane)
{
	if (!p || !lane || width < 1 || width > POOL_THREADS_MAX)
		return EINVAL;
	if (p->lanes >= POOL_LANES_MAX)
		return ENOSPC;
	*lane = ++p->lanes;
	p->width[*lane] = width;   /* no worker reads it before a job */
	return 0;
}

int pool_lane(struct pool *p, unsigned *lane)
{
	return pool_lane_wide(p, 1, lane);
}

int pool_queue_lane(struct pool *p, unsigned lane, pool_work_h *work_h,
		    pool_done_h *done_h, void *arg)
{
	struct job *j;
	int err = 0;

	if (!p || !done_h || lane > p->lanes)
		return EINVAL;
	if (p->stopped || p->closed[lane])
		return ESHUTDOWN;
	j = calloc(1, sizeof(*j));
	if (!j)
		return ENOMEM;
	j->work = work_h;
	j->done = done_h;
	j->arg = arg;
	j->lane = lane;

	pthread_mutex_lock(&p->mtx);
	if (p->waiting >= POOL_QUEUE_MAX)
		err = EBUSY;
	else {
		if (p->todo_tail)
			p->todo_tail->next = j;
		else
			p->todo = j;
		p->todo_tail = j;
		p->waiting++;
		pthread_cond_signal(&p->cond);
	}
	pthread_mutex_unlock(&p->mtx);
	if (err)
		free(j);
	else
		p->pending++;
	return err;
}

int pool_queue(struct pool *p, pool_work_h *work_h, pool_done_h *done_h,
	       void *arg)
{
	return pool_queue_lane(p, 0, work_h, done_h, arg);
}

size_t pool_pending(const struct pool *p)
{
	return p ? p->pending : 0;
}

unsigned pool_threads(const struct pool *p)
{
	return p ? p->nthreads : 0;
}
