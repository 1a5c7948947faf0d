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
 *      (pool_lane) run one at a time, in queue order, never two at once;
 *      of a wide lane (pool_lane_wide), never more than its width at once.
 *      done_h calls come in the order the work finished.
 *  (4) At most POOL_QUEUE_MAX jobs wait unstarted; more get EBUSY, so a
 *      flood is refused at once instead of queueing minutes of work.
 *  (5) pool_stop (and the last mem_deref) refuses new work (ESHUTDOWN),
 *      waits for the work already running, then, on the calling thread,
 *      runs the done_h of every finished job (err 0) and of every unstarted
 *      one (ECANCELED), each group in queue order, before it returns.
 *  (6) pool_lane_stop does (5) for one lane alone: its lane refuses new
 *      work (ESHUTDOWN), it waits for the lane's running jobs, then runs
 *      the done_h of the lane's finished jobs (0) and unstarted ones
 *      (ECANCELED), each group in queue order, before it returns. Other
 *      lanes' jobs keep their place, their order and their workers.
 *
 * Lanes are how modules share the one house pool (base/mod.h): each takes
 * a lane at start and stops it (6) in its stop hook, so stopping a module
 * waits for and answers its own work only; the pool itself is stopped
 * once, after every module, by the module that made it. A module whose
 * jobs must not overlap (a store's loads and removals of the same files,
 * a check-then-insert on the database) takes a serial lane; one whose jobs
 * are independent (api's requests) takes a wide one: its jobs run side by
 * side, yet it can still be stopped alone, and its width leaves workers to
 * the serial lanes however many requests come. That is one concept (a
 * lane: a share of the pool that stops alone) with one knob (its width),
 * rather than lanes beside a second "group" kind with its own calls.
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
	/* api's requests and sign-ins, crm, prompt, ticket, task: six in
	 * `hotline serve`, the rest spare (a lane is never given back) */
	POOL_LANES_MAX = 16,
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
 * lane is taken. A lane lives as long as its pool. Loop thread only. */
int  pool_lane(struct pool *p, unsigned *lane);

/* pool_lane for a lane whose jobs may run width (1..POOL_THREADS_MAX) at
 * a time; EINVAL for another width. */
int  pool_lane_wide(struct pool *p, unsigned width, unsigned *lane);

/* Fact (6); idempotent, and nothing for NULL, lane 0 or a lane not handed
 * out. Loop thread only; blocks while the lane's running jobs finish. */
void pool_lane_stop(struct pool *p, unsigned lane);

/* pool_queue on lane (0: no lane, like pool_queue). EINVAL for a lane
 * pool_lane did not hand out; ESHUTDOWN once the lane was stopped. */
int  pool_queue_lane(struct pool *p, unsigned lane, pool_work_h *work_h,
		     pool_done_h *done_h, void *arg);

/* Fact (5); idempotent, NULL is fine. The pool object stays valid until
 * its last mem_deref; pool_queue on it then returns ESHUTDOWN. */
void pool_stop(struct pool *p);

/* Jobs accepted whose done_h has not run yet (waiting, running or
 * finished): for tests and back-pressure. */
size_t pool_pending(const struct pool *p);

/* Workers started (0 for NULL): what a wide lane's width is measured by. */
unsigned pool_threads(const struct pool *p);

#endif
