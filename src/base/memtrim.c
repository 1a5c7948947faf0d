/* base/memtrim: see memtrim.h. mallinfo2 and malloc_trim are glibc's; they
 * take each arena's lock in turn, so a thread allocating meanwhile waits a
 * moment for its arena, never for the whole walk. */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "base/log.h"
#include "base/memtrim.h"

struct memtrim {
	pthread_t       thread;
	pthread_mutex_t lock;
	pthread_cond_t  cond;
	unsigned        period_ms;
	bool            stop;
	struct memtrim_stats st;
};

/* RssAnon of /proc/self/status in bytes; 0 if it cannot be read. */
static size_t rss_anon(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	size_t kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "RssAnon: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb << 10;
}

/* The resident bytes that are not in use by malloc's callers. */
static long long beyond_use(struct memtrim_stats *st)
{
	struct mallinfo2 mi = mallinfo2();

	/* fordblks: free bytes in the arenas, resident or not; uordblks:
	 * in use; hblkhd: chunks of their own mmap, given back at free. */
	st->free_bytes = mi.fordblks;
	st->used_bytes = mi.uordblks + mi.hblkhd;
	st->rss_anon = rss_anon();
	return (long long)st->rss_anon - (long long)st->used_bytes;
}

bool memtrim_due(const struct memtrim_stats *st, long long beyond)
{
	return st->free_bytes > MEMTRIM_SLACK &&
	       st->free_bytes > st->used_bytes / 4 &&
	       beyond > st->floor + MEMTRIM_SLACK;
}

bool memtrim_check(struct memtrim_stats *st)
{
	long long beyond = beyond_use(st);
	size_t before = st->rss_anon;

	if (!st->have_floor) {
		st->floor = beyond;
		st->have_floor = true;
	}
	if (!memtrim_due(st, beyond))
		return false;
	malloc_trim(0);
	st->floor = beyond_use(st);
	st->trims++;
	log_info("memtrim.trim", "rss_anon_kb=%zu->%zu used_kb=%zu",
		 before >> 10, st->rss_anon >> 10, st->used_bytes >> 10);
	return true;
}

static void *run(void *arg)
{
	struct memtrim *m = arg;

	pthread_mutex_lock(&m->lock);
	while (!m->stop) {
		struct timespec until;
		struct memtrim_stats st;

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += m->period_ms / 1000;
		until.tv_nsec += (long)(m->period_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&m->cond, &m->lock, &until) !=
		    ETIMEDOUT)
			continue;
		st = m->st;
		pthread_mutex_unlock(&m->lock);
		(void)memtrim_check(&st);
		pthread_mutex_lock(&m->lock);
		m->st = st;
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

int memtrim_start(struct memtrim **mp, unsigned period_ms)
{
	struct memtrim *m;
	pthread_condattr_t ca;
	int err;

	if (period_ms < 10)
		return EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return ENOMEM;
	m->period_ms = period_ms;
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cond, &ca);
	pthread_condattr_destroy(&ca);
	err = pthread_create(&m->thread, NULL, run, m);
	if (err) {
		pthread_cond_destroy(&m->cond);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return err;
	}
	*mp = m;
	return 0;
}

void memtrim_stop(struct memtrim *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stop = true;
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void memtrim_stats(struct memtrim *m, struct memtrim_stats *st)
{
	pthread_mutex_lock(&m->lock);
	*st = m->st;
	pthread_mutex_unlock(&m->lock);
}
