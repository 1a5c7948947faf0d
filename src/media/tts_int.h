/* media/tts internals, shared by tts.c (requests, cache and delivery on the
 * loop) and speak.c (the worker thread that owns espeak-ng). Private to
 * media/. Who owns what is said at the top of tts.c. */
#ifndef HL_MEDIA_TTS_INT_H
#define HL_MEDIA_TTS_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include "media/media_int.h"

enum {
	TTS_TEXT_MAX = 1000,       /* bytes of UTF-8 */
	TTS_VOICE_LEN = 8,
};

struct tts_waiter {
	struct tts_waiter *next;
	media_tts_h *h;
	void *arg;                       /* mem ref */
};

struct tts_job {
	struct tts_job *next;                /* todo, done (mtx) or ready (loop) */
	struct tts_job *pnext;               /* pending: loop only */
	char voice[TTS_VOICE_LEN];       /* espeak-ng's name */
	char *text;
	struct tts_waiter *waiters, **wtail; /* loop only */
	/* written by the worker before the job goes on done: */
	int err;
	struct media_prompt *p;
	uint64_t us;
	bool cached;                     /* answered from the cache */
	bool disk_hit;                   /* read back from cache_dir */
	int save_err;                    /* writing it to cache_dir failed */
};

struct tts_entry {
	char voice[TTS_VOICE_LEN];
	char *text;                      /* NULL: free slot */
	struct media_prompt *p;
	uint64_t used;                   /* LRU clock */
};

struct media_tts {
	pthread_t thread;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	struct tts_job *todo, *todo_tail;    /* mtx */
	struct tts_job *done;                /* mtx */
	atomic_bool stop;                /* read by espeak's callback too */
	bool init_done;                  /* mtx: the worker has tried */
	int init_err;
	struct mqueue *mq;
	struct media_tts_opts o;
	char cache_dir[PATH_MAX];        /* "" without a disk cache */
	/* loop thread only */
	struct tts_job *pending;
	size_t npending;
	struct tts_job *ready, *ready_tail;
	struct tts_entry *cache;
	uint64_t clock;
	struct media_tts_stats st;
};

/* The worker thread's body (speak.c): loads espeak-ng (once per
 * process), reports that through init_done/init_err, then speaks the jobs
 * of todo onto done until stop. */
void *tts_worker(void *arg);

#endif
