/* base/pool: a few worker threads for work that blocks (database reads,
 * password hashing, file work), in the shape of libuv's uv_queue_work:
 * work_h(arg) runs on a worker, then done_h(err, arg) runs on the loop
 * thread that made the pool, carried back through libre's mqueue.
 *
 * Facts that always hold:
 *  (1) done_h runs exactly once for every job pool_queue accepted (0), on
 *      the thread that called pool_alloc; never for a refused one. So a
 *      job's arg can be released in done_h, and only there.
 *  (2) err is 0 when work_h ran; ECANCELED when the pool stopped before a
 *      worker took the job (work_h never ran). Unstarted work is not
 *      dropped silently: whoever waits for it hears ECANCELED.
 *  (3) Jobs start in the order they were queued. Jobs of one lane
 *      (pool_lane) run one at a time, in queue order, never two at once.
 *      done_h calls come in the order the work finished.
 *  (4) At most POOL_QUEUE_MAX jobs wait unstarted; more get EBUSY, so a
 *      flood is refused at once instead of queueing minutes of work.
 *  (5) pool_stop (and the last mem_deref) refuses new work (ESHUTDOWN),
 *      waits for the work already running, then, on the calling thread,
 *      runs the done_h of every finished job (err 0) and of every unstarted
 *      one (ECANCELED), each group in queue order, before it returns.
 *
 * work_h runs on another thread: it must not touch libre objects of the
 * loop (timers, sockets, mem refcounts of shared objects) nor anything else
 * the loop changes. What it needs it finds in arg, which the loop does not
 * touch until done_h. */
#ifndef HL_BASE_POOL_H
#define HL_BASE_POOL_H

#include <stddef.h>

enum {
	POOL_QUEUE_MAX = 256,   /* unstarted jobs; more get EBUSY */
	POOL_THREADS_MAX = 16,
	POOL_LANES_MAX = 8,
};

struct pool;

/* Runs on a worker thread. */
typedef void (pool_work_h)(void *arg);
/* Runs on the pool's loop thread once work_h ran (err 0) or was cancelled
 * (ECANCELED). */
typedef void (pool_done_h)(int err, void *arg);

/* Starts nthreads (1..POOL_THREADS_MAX) workers whose completions come
 * back to the calling thread's libre loop (libre_init or re_thread_init
 * done). *pp is yours: mem_deref stops (pool_stop) and frees. EINVAL,
 * ENOMEM, or pthread's error. */
int  pool_alloc(struct pool **pp, unsigned nthreads);

/* Queues work_h(arg) (work_h may be NULL: done_h alone, still after the
 * jobs ahead of it have started). Loop thread only. EBUSY when
 * POOL_QUEUE_MAX jobs wait, ESHUTDOWN once stopping, EINVAL without
 * done_h, ENOMEM. */
int  pool_queue(struct pool *p, pool_work_h *work_h, pool_done_h *done_h,
		void *arg);

/* A new serial lane of p: 1..POOL_LANES_MAX in *lane; ENOSPC when every
 * lane is taken. A lane lives as long as its pool. */
int  pool_lane(struct pool *p, unsigned *lane);

/* pool_queue on lane (0: no lane, like pool_queue). EINVAL for a lane
 * pool_lane did not hand out. */
int  pool_queue_lane(struct pool *p, unsigned lane, pool_work_h *work_h,
		     pool_done_h *done_h, void *arg);

/* Fact (5); idempotent, NULL is fine. The pool object stays valid until
 * its last mem_deref; pool_queue on it then returns ESHUTDOWN. */
void pool_stop(struct pool *p);

/* Jobs accepted whose done_h has not run yet (waiting, running or
 * finished): for tests and back-pressure. */
size_t pool_pending(const struct pool *p);

#endif
