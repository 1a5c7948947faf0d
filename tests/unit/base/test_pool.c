/* base/pool: work runs on workers and its completion on the loop, in order;
 * a lane runs one job at a time, a wide lane its width; a full queue says
 * EBUSY; stopping the pool or one lane cancels what has not started
 * (ECANCELED) and every accepted job hears back once.
 * The tests run libre's loop (re_main) on the test's own thread. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_main.h>
#include "base/pool.h"

enum { MANY = 5000 };

/* What the jobs of one test share. */
struct rec {
	struct pool *pool;
	pthread_t loop;
	size_t want;                  /* re_cancel once this many are done */
	size_t ndone, ncancel;
	int order[MANY];              /* ids in done_h order */
	bool wrong_thread;            /* a done_h off the loop, a work on it */
	/* a gate that holds work until opened */
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	bool open;
	int started;
	atomic_int inside, most_inside;
	size_t next_id;               /* many_items: the next id to queue */
};

struct item {
	struct rec *r;
	int id;
	bool gate;                    /* wait for the gate in work */
	bool worked;
};

static struct rec R;
static struct item items[MANY + 8];

static int setup(void **state)
{
	memset(&R, 0, sizeof(R));
	memset(items, 0, sizeof(items));
	pthread_mutex_init(&R.mtx, NULL);
	pthread_cond_init(&R.cond, NULL);
	R.loop = pthread_self();
	if (libre_init())
		return -1;
	*state = &R;
	return 0;
}

static int teardown(void **state)
{
	struct rec *r = *state;

	mem_deref(r->pool);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->mtx);
	libre_close();
	return 0;
}

static void gate_wait(struct rec *r)
{
	pthread_mutex_lock(&r->mtx);
	r->started++;
	pthread_cond_broadcast(&r->cond);
	while (!r->open)
		pthread_cond_wait(&r->cond, &r->mtx);
	pthread_mutex_unlock(&r->mtx);
}

static void gate_open(struct rec *r)
{
	pthread_mutex_lock(&r->mtx);
	r->open = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->mtx);
}

/* Blocks until n gated works have started. */
static void wait_started(struct rec *r, int n)
{
	pthread_mutex_lock(&r->mtx);
	while (r->started < n)
		pthread_cond_wait(&r->cond, &r->mtx);
	pthread_mutex_unlock(&r->mtx);
}

static void work(void *arg)
{
	struct item *it = arg;
	int in = atomic_fetch_add(&it->r->inside, 1) + 1, most;

	if (pthread_equal(pthread_self(), it->r->loop))
		it->r->wrong_thread = true;
	most = atomic_load(&it->r->most_inside);
	while (in > most &&
	       !atomic_compare_exchange_weak(&it->r->most_inside, &most, in))
		;
	if (it->gate)
		gate_wait(it->r);
	it->worked = true;
	atomic_fetch_sub(&it->r->inside, 1);
}

static void done(int err, void *arg)
{
	struct item *it = arg;
	struct rec *r = it->r;

	if (!pthread_equal(pthread_self(), r->loop))
		r->wrong_thread = true;
	if (err == ECANCELED) {
		assert_false(it->worked);
		r->ncancel++;
	}
	else {
		assert_int_equal(0, err);
		assert_true(it->worked);
	}
	r->order[r->ndone++] = it->id;
	if (r->want && r->ndone == r->want)
		re_cancel();
}

static struct item *item(struct rec *r, int id, bool gate)
{
	items[id] = (struct item){.r = r, .id = id, .gate = gate};
	return &items[id];
}

static void completions_arrive_on_the_loop_in_order(void **state)
{
	struct rec *r = *state;

	assert_int_equal(0, pool_alloc(&r->pool, 1));
	for (int i = 0; i < 100; i++)
		assert_int_equal(0, pool_queue(r->pool, work, done,
					       item(r, i, false)));
	assert_int_equal(100, pool_pending(r->pool));
	r->want = 100;
	assert_int_equal(0, re_main(NULL));
	assert_false(r->wrong_thread);
	for (int i = 0; i < 100; i++)
		assert_int_equal(i, r->order[i]);
	assert_int_equal(0, r->ncancel);
	assert_int_equal(0, pool_pending(r->pool));
}

static void a_job_without_work_still_completes(void **state)
{
	struct rec *r = *state;

	assert_int_equal(0, pool_alloc(&r->pool, 2));
	items[0] = (struct item){.r = r, .id = 0, .worked = true};
	assert_int_equal(0, pool_queue(r->pool, NULL, done, &items[0]));
	assert_int_equal(EINVAL, pool_queue(r->pool, work, NULL, &items[1]));
	r->want = 1;
	assert_int_equal(0, re_main(NULL));
	assert_int_equal(1, r->ndone);
}

static void full_queue_says_ebusy(void **state)
{
	struct rec *r = *state;
	int id = 0;

	assert_int_equal(0, pool_alloc(&r->pool, 1));
	/* The only worker holds the first job: the rest wait. */
	assert_int_equal(0, pool_queue(r->pool, work, done, item(r, id++, true)));
	wait_started(r, 1);
	for (int i = 0; i < POOL_QUEUE_MAX; i++)
		assert_int_equal(0, pool_queue(r->pool, work, done,
					       item(r, id++, false)));
	assert_int_equal(EBUSY, pool_queue(r->pool, work, done,
					   item(r, id, false)));
	assert_int_equal(1 + POOL_QUEUE_MAX, pool_pending(r->pool));
	gate_open(r);
	r->want = 1 + POOL_QUEUE_MAX;
	assert_int_equal(0, re_main(NULL));
	assert_int_equal(1 + POOL_QUEUE_MAX, r->ndone);
	assert_false(items[id].worked);   /* the refused one never ran */
	for (int i = 0; i < id; i++)
		assert_int_equal(i, r->order[i]);
}

static void *open_later(void *arg)
{
	/* pool_stop has long set its stop flag by then: the worker leaves
	 * after the held job instead of taking the next. */
	nanosleep(&(struct timespec){.tv_nsec = 200 * 1000 * 1000}, NULL);
	gate_open(arg);
	return NULL;
}

static void stop_cancels_what_has_not_started(void **state)
{
	struct rec *r = *state;
	pthread_t th;

	assert_int_equal(0, pool_alloc(&r->pool, 1));
	assert_int_equal(0, pool_queue(r->pool, work, done, item(r, 0, true)));
	wait_started(r, 1);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(0, pool_queue(r->pool, work, done,
					       item(r, i, false)));
	assert_int_equal(0, pthread_create(&th, NULL, open_later, r));
	pool_stop(r->pool);    /* joins: the held job finishes first */
	pthread_join(th, NULL);
	/* Every job heard back, before pool_stop returned, on this thread:
	 * the held one finished (0), the five others were cancelled. */
	assert_int_equal(6, r->ndone);
	assert_int_equal(5, r->ncancel);
	assert_true(items[0].worked);
	for (int i = 0; i < 6; i++)
		assert_int_equal(i, r->order[i]);
	assert_false(r->wrong_thread);
	assert_int_equal(0, pool_pending(r->pool));
	assert_int_equal(ESHUTDOWN, pool_queue(r->pool, work, done,
					       item(r, 6, false)));
	pool_stop(r->pool);    /* idempotent */
	assert_int_equal(6, r->ndone);
}

static void free_with_work_queued_cancels_it(void **state)
{
	struct rec *r = *state;

	assert_int_equal(0, pool_alloc(&r->pool, 2));
	for (int i = 0; i < 50; i++)
		assert_int_equal(0, pool_queue(r->pool, work, done,
					       item(r, i, false)));
	r->pool = mem_deref(r->pool);
	/* Some ran, the rest were cancelled; none was lost. */
	size_t worked = 0;
	assert_int_equal(50, r->ndone);
	for (int i = 0; i < 50; i++)
		worked += items[i].worked;
	assert_int_equal(50, worked + r->ncancel);
}

static void many_done(int err, void *arg);

/* Keeps the queue topped up from done_h until MANY jobs were queued. */
static void top_up(struct rec *r)
{
	while (r->next_id < MANY) {
		int e = pool_queue(r->pool, work, many_done,
				   item(r, (int)r->next_id, false));
		if (e == EBUSY)
			break;
		assert_int_equal(0, e);
		r->next_id++;
	}
}

static void many_done(int err, void *arg)
{
	struct item *it = arg;

	done(err, arg);
	top_up(it->r);
}

static void many_items_from_one_loop(void **state)
{
	struct rec *r = *state;

	assert_int_equal(0, pool_alloc(&r->pool, 4));
	r->want = MANY;
	top_up(r);
	assert_true(r->next_id < MANY);   /* the bound was reached */
	assert_int_equal(0, re_main(NULL));
	assert_int_equal(MANY, r->ndone);
	assert_int_equal(0, r->ncancel);
	assert_false(r->wrong_thread);
	for (int i = 0; i < MANY; i++)
		assert_true(items[i].worked);
}

static void a_lane_runs_one_job_at_a_time_in_order(void **state)
{
	struct rec *r = *state;
	unsigned lane, other;

	assert_int_equal(0, pool_alloc(&r->pool, 4));
	assert_int_equal(0, pool_lane(r->pool, &lane));
	assert_int_equal(0, pool_lane(r->pool, &other));
	assert_int_not_equal(lane, other);
	assert_int_equal(EINVAL, pool_queue_lane(r->pool, other + 1, work,
						 done, item(r, 0, false)));
	for (int i = 0; i < 200; i++)
		assert_int_equal(0, pool_queue_lane(r->pool, lane, work, done,
						    item(r, i, false)));
	r->want = 200;
	assert_int_equal(0, re_main(NULL));
	assert_int_equal(1, atomic_load(&r->most_inside));
	for (int i = 0; i < 200; i++)
		assert_int_equal(i, r->order[i]);
}

static void a_held_lane_does_not_hold_the_others(void **state)
{
	struct rec *r = *state;
	unsigned lane;

	assert_int_equal(0, pool_alloc(&r->pool, 2));
	assert_int_equal(0, pool_lane(r->pool, &lane));
	/* Lane job 0 holds one worker; lane job 1 must wait for it; the
	 * plain jobs behind it run on the other worker meanwhile. */
	assert_int_equal(0, pool_queue_lane(r->pool, lane, work, done,
					    item(r, 0, true)));
	wait_started(r, 1);
	assert_int_equal(0, pool_queue_lane(r->pool, lane, work, done,
					    item(r, 1, false)));
	for (int i = 2; i < 10; i++)
		assert_int_equal(0, pool_queue(r->pool, work, done,
					       item(r, i, false)));
	r->want = 8;
	assert_int_equal(0, re_main(NULL));
	for (int i = 0; i < 8; i++)
		assert_int_equal(i + 2, r->order[i]);
	assert_false(items[1].worked);
	gate_open(r);
	r->want = 10;
	assert_int_equal(0, re_main(NULL));
	assert_int_equal(0, r->order[8]);
	assert_int_equal(1, r->order[9]);
}

static void stopping_a_lane_cancels_it_alone(void **state)
{
	struct rec *r = *state;
	unsigned lane, other;
	pthread_t th;

	assert_int_equal(0, pool_alloc(&r->pool, 2));
	assert_int_equal(0, pool_lane(r->pool, &lane));
	assert_int_equal(0, pool_lane(r->pool, &other));
	/* Lane job 0 runs (held), 1..3 wait behind it; plain jobs 4..7 and
	 * the other lane's 8..9 run on the second worker meanwhile. */
	assert_int_equal(0, pool_queue_lane(r->pool, lane, work, done,
					    item(r, 0, true)));
	wait_started(r, 1);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(0, pool_queue_lane(r->pool, lane, work, done,
						    item(r, i, false)));
	for (int i = 4; i <= 7; i++)
		assert_int_equal(0, pool_queue(r->pool, work, done,
					       item(r, i, false)));
	for (int i = 8; i <= 9; i++)
		assert_int_equal(0, pool_queue_lane(r->pool, other, work, done,
						    item(r, i, false)));
	assert_int_equal(0, pthread_create(&th, NULL, open_later, r));
	pool_lane_stop(r->pool, lane);   /* waits for the held job */
	pthread_join(th, NULL);
	/* Before it returned, on this thread: the lane's running job
	 * finished (0), its three others were cancelled; nobody else's
	 * done ran inside it. */
	assert_false(r->wrong_thread);
	assert_true(items[0].worked);
	assert_int_equal(4, r->ndone);
	assert_int_equal(3, r->ncancel);
	for (int i = 0; i < 4; i++)
		assert_int_equal(i, r->order[i]);
	assert_int_equal(6, pool_pending(r->pool));
	/* The lane refuses work now; the pool and the other lane do not. */
	assert_int_equal(ESHUTDOWN, pool_queue_lane(r->pool, lane, work, done,
						    item(r, 10, false)));
	assert_false(items[10].worked);
	assert_int_equal(0, pool_queue_lane(r->pool, other, work, done,
					    item(r, 10, false)));
	assert_int_equal(0, pool_queue(r->pool, work, done,
				       item(r, 11, false)));
	pool_lane_stop(r->pool, lane);   /* idempotent */
	r->want = 12;
	assert_int_equal(0, re_main(NULL));
	assert_int_equal(3, r->ncancel);
	for (int i = 4; i <= 11; i++)
		assert_true(items[i].worked);
	assert_int_equal(0, pool_pending(r->pool));

	/* The house's own stop still works after a lane's: it waits for
	 * the other lane's held job and cancels what is behind it. */
	r->open = false;
	r->started = 0;
	assert_int_equal(0, pool_queue_lane(r->pool, other, work, done,
					    item(r, 12, true)));
	wait_started(r, 1);
	assert_int_equal(0, pool_queue_lane(r->pool, other, work, done,
					    item(r, 13, false)));
	assert_int_equal(0, pthread_create(&th, NULL, open_later, r));
	pool_stop(r->pool);
	pthread_join(th, NULL);
	assert_int_equal(14, r->ndone);
	assert_int_equal(4, r->ncancel);
	assert_int_equal(12, r->order[12]);
	assert_int_equal(13, r->order[13]);
	assert_int_equal(0, pool_pending(r->pool));
	pool_lane_stop(r->pool, other);  /* after the pool's: nothing left */
	assert_int_equal(14, r->ndone);
	assert_int_equal(ESHUTDOWN, pool_queue_lane(r->pool, other, work, done,
						    item(r, 14, false)));
}

static size_t done_at_stop;   /* ndone when the lane's stop returned */

static void stop_lane_done(int err, void *arg)
{
	struct item *it = arg;

	done(err, arg);
	pool_lane_stop(it->r->pool, 1);
	done_at_stop = it->r->ndone;
}

/* A lane stopped from its own done_h (a module stopping from a
 * completion): every other job of the lane, finished or not, is answered
 * inside the stop, not after it. */
static void a_lane_stopped_from_a_done_answers_all_of_it(void **state)
{
	struct rec *r = *state;
	unsigned lane;

	assert_int_equal(0, pool_alloc(&r->pool, 1));
	assert_int_equal(0, pool_lane(r->pool, &lane));
	assert_int_equal(1, lane);
	assert_int_equal(0, pool_queue_lane(r->pool, lane, work,
					    stop_lane_done, item(r, 0, false)));
	for (int i = 1; i < 200; i++)
		assert_int_equal(0, pool_queue_lane(r->pool, lane, work, done,
						    item(r, i, false)));
	r->want = 200;
	done_at_stop = 0;
	assert_int_equal(0, re_main(NULL));
	assert_int_equal(200, done_at_stop);
	assert_int_equal(200, r->ndone);
	for (int i = 0; i < 200; i++)
		assert_int_equal(i, r->order[i]);
	assert_int_equal(0, pool_pending(r->pool));
}

static void *open_soon(void *arg)
{
	nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
	gate_open(arg);
	return NULL;
}

static void a_wide_lane_runs_its_width_and_stops_alone(void **state)
{
	struct rec *r = *state;
	unsigned wide;
	pthread_t th;

	assert_int_equal(0, pool_alloc(&r->pool, 4));
	assert_int_equal(EINVAL, pool_lane_wide(r->pool, 0, &wide));
	assert_int_equal(EINVAL, pool_lane_wide(r->pool, POOL_THREADS_MAX + 1,
						&wide));
	assert_int_equal(0, pool_lane_wide(r->pool, 2, &wide));
	assert_int_equal(4, pool_threads(r->pool));
	for (int i = 0; i < 4; i++)
		assert_int_equal(0, pool_queue_lane(r->pool, wide, work, done,
						    item(r, i, true)));
	wait_started(r, 2);
	/* Two workers idle, two jobs waiting: the width holds them. */
	nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
	pthread_mutex_lock(&r->mtx);
	assert_int_equal(2, r->started);
	pthread_mutex_unlock(&r->mtx);
	assert_int_equal(2, atomic_load(&r->most_inside));
	/* Stopping it waits for both running jobs, cancels the two behind. */
	assert_int_equal(0, pthread_create(&th, NULL, open_soon, r));
	pool_lane_stop(r->pool, wide);
	pthread_join(th, NULL);
	assert_int_equal(4, r->ndone);
	assert_int_equal(2, r->ncancel);
	assert_true(items[0].worked && items[1].worked);
	assert_int_equal(ESHUTDOWN, pool_queue_lane(r->pool, wide, work, done,
						    item(r, 4, false)));
}

static void bad_arguments(void **state)
{
	struct rec *r = *state;
	unsigned lane;

	assert_int_equal(EINVAL, pool_alloc(&r->pool, 0));
	assert_int_equal(EINVAL, pool_alloc(&r->pool, POOL_THREADS_MAX + 1));
	assert_int_equal(0, pool_alloc(&r->pool, 1));
	for (int i = 0; i < POOL_LANES_MAX; i++)
		assert_int_equal(0, pool_lane(r->pool, &lane));
	assert_int_equal(ENOSPC, pool_lane(r->pool, &lane));
	assert_int_equal(ENOSPC, pool_lane_wide(r->pool, 2, &lane));
	pool_lane_stop(NULL, 1);
	pool_lane_stop(r->pool, 0);
	pool_lane_stop(r->pool, POOL_LANES_MAX + 1);
	assert_int_equal(0, pool_threads(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(completions_arrive_on_the_loop_in_order),
		T(a_job_without_work_still_completes),
		T(full_queue_says_ebusy),
		T(stop_cancels_what_has_not_started),
		T(free_with_work_queued_cancels_it),
		T(many_items_from_one_loop),
		T(a_lane_runs_one_job_at_a_time_in_order),
		T(a_held_lane_does_not_hold_the_others),
		T(stopping_a_lane_cancels_it_alone),
		T(a_lane_stopped_from_a_done_answers_all_of_it),
		T(a_wide_lane_runs_its_width_and_stops_alone),
		T(bad_arguments),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
