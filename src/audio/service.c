/* audio/service: one thread measures finished recordings, one at a time,
 * in the order they were finished, and stores each result (store.c).
 *
 * What always holds:
 *  (1) audio_recorded never waits on the disk or the meter: it copies the
 *      path into the queue under the lock and returns; the recorder's
 *      writer thread, which calls it, is never slowed by measuring.
 *  (2) Every queued recording gets a call_audio row, ok or not, unless
 *      the service stops with it still queued after AUDIO_DRAIN_MS (then
 *      it is logged by call id, and the call stays unmeasured).
 *  (3) A recording that fails is stored as missing or unreadable and the
 *      thread goes on to the next (audio.h fact 3).
 *  (4) A transferred call has one file per conversation, <id>.wav,
 *      <id>-2.wav …, each finished before the next is opened (call/talk.c
 *      stops one recording before it starts the next, and the recorder
 *      handles one FIFO). So when part n is finished, parts 1..n all are:
 *      they are measured together, as one recording, and the row replaced;
 *      after the last part the row covers the whole call. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audio/audio_int.h"
#include "base/log.h"
#include "base/util.h"

enum { MAX_PARTS = 64 };   /* conversations of one call measured */

struct job {
	struct job *next;
	char call_id[UTIL_ID_LEN];
	unsigned part;             /* 1: <id>.wav, n: <id>-n.wav */
	char path[];
};

struct audio {
	struct db      *db;
	pthread_t       thread;
	pthread_mutex_t lock;
	pthread_cond_t  cond;
	struct job     *head, *tail;
	size_t          queued;
	bool            stopping;
	int64_t         stop_at_ms;   /* stopping: measure no later than this */
	char            names[MAX_PARTS][PATH_MAX];  /* the worker's alone */
};

/* The call id and part of a call's recording, …/recordings/DAY/<id>.wav
 * (part 1) or <id>-<n>.wav (n 2..MAX_PARTS), id as util_random_id makes
 * it (32 lowercase hex digits); false for any other file. */
static bool call_of(const char *path, char id[UTIL_ID_LEN], unsigned *part)
{
	const char *base = strrchr(path, '/'), *rest;
	char *end;
	unsigned long n = 1;

	base = base ? base + 1 : path;
	for (size_t i = 0; i < UTIL_ID_LEN - 1; i++)
		if (!base[i] || !strchr("0123456789abcdef", base[i]))
			return false;
	rest = base + UTIL_ID_LEN - 1;
	if (*rest == '-') {
		if (rest[1] < '1' || rest[1] > '9')
			return false;
		n = strtoul(rest + 1, &end, 10);
		if (n < 2 || n > MAX_PARTS)
			return false;
		rest = end;
	}
	if (strcmp(rest, ".wav"))
		return false;
	memcpy(id, base, UTIL_ID_LEN - 1);
	id[UTIL_ID_LEN - 1] = '\0';
	*part = (unsigned)n;
	return true;
}

/* Measures parts 1..j->part of the call (fact 4), beside j->path. */
static void measure(struct audio *a, const struct job *j)
{
	char (*names)[PATH_MAX] = a->names;
	const char *paths[MAX_PARTS];
	const char *slash = strrchr(j->path, '/');
	int dir = slash ? (int)(slash - j->path + 1) : 0;
	struct audio_measures m = {0};
	char why[PATH_MAX + 128];
	int err = 0;

	for (unsigned k = 1; k <= j->part && !err; k++) {
		char suffix[16] = "";

		if (k > 1)
			snprintf(suffix, sizeof(suffix), "-%u", k);
		if (snprintf(names[k - 1], PATH_MAX, "%.*s%s%s.wav", dir,
			     j->path, j->call_id, suffix) >= PATH_MAX)
			err = ENAMETOOLONG;
		paths[k - 1] = names[k - 1];
	}
	if (err)
		snprintf(why, sizeof(why), "path too long");
	else
		err = audio_measure_files(paths, j->part, &m, why, sizeof(why));
	if (err)
		log_warn("audio.unmeasured", "call=%s path=%s parts=%u err=%s",
			 j->call_id, j->path, j->part, why);
	err = audio_store(a->db, j->call_id, err, why, &m, util_now_ms());
	if (err)
		log_error("audio.store", "call=%s err=%s", j->call_id,
			  strerror(err));
}

static void *worker(void *arg)
{
	struct audio *a = arg;

	pthread_mutex_lock(&a->lock);
	for (;;) {
		struct job *j = a->head;

		if (!j && a->stopping)
			break;
		if (!j) {
			pthread_cond_wait(&a->cond, &a->lock);
			continue;
		}
		if (a->stopping && util_now_ms() > a->stop_at_ms)
			break;
		a->head = j->next;
		if (!a->head)
			a->tail = NULL;
		a->queued--;
		pthread_mutex_unlock(&a->lock);
		measure(a, j);
		free(j);
		pthread_mutex_lock(&a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

int audio_alloc(struct audio **ap, struct db *db)
{
	struct audio *a = calloc(1, sizeof(*a));
	int err;

	if (!a)
		return ENOMEM;
	a->db = db;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	err = pthread_create(&a->thread, NULL, worker, a);
	if (err) {
		pthread_cond_destroy(&a->cond);
		pthread_mutex_destroy(&a->lock);
		free(a);
		return err;
	}
	*ap = a;
	return 0;
}

void audio_free(struct audio *a)
{
	struct job *j;

	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stopping = true;
	a->stop_at_ms = util_now_ms() + AUDIO_DRAIN_MS;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	while ((j = a->head)) {
		a->head = j->next;
		log_warn("audio.unmeasured", "call=%s path=%s err=stopped "
			 "before its turn", j->call_id, j->path);
		free(j);
	}
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

int audio_recorded(struct audio *a, const char *path, unsigned channels)
{
	char id[UTIL_ID_LEN];
	unsigned part;
	size_t len;
	struct job *j;
	int err = 0;

	if (!a || !path || channels != 2 || !call_of(path, id, &part))
		return 0;
	len = strlen(path);
	j = malloc(sizeof(*j) + len + 1);
	if (!j)
		return ENOMEM;
	j->next = NULL;
	memcpy(j->call_id, id, sizeof(id));
	j->part = part;
	memcpy(j->path, path, len + 1);
	pthread_mutex_lock(&a->lock);
	if (a->stopping)
		err = ESHUTDOWN;
	else if (a->queued >= AUDIO_QUEUE_MAX)
		err = EBUSY;
	if (!err) {
		if (a->tail)
			a->tail->next = j;
		else
			a->head = j;
		a->tail = j;
		a->queued++;
		pthread_cond_signal(&a->cond);
	}
	pthread_mutex_unlock(&a->lock);
	if (err) {
		log_warn("audio.unmeasured", "call=%s path=%s err=%s", id, path,
			 strerror(err));
		free(j);
	}
	return err;
}
