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
 *      after the last part the row covers the whole call.
 *  (5) Catching up (audio_catch_up) is a job like the others, so it runs
 *      on the thread, never the caller's: it finds ended calls with a
 *      recording and no row (the server stopped before their turn, or
 *      crashed), newest first, and measures each with all its parts;
 *      then, within the same window and cap, the calls measured before
 *      the timeline was stored (migration 045: ok, timeline NULL), so
 *      the last week's recordings get their player lanes after an
 *      upgrade. Older ones keep a null timeline: a GET never measures
 *      (it would read a whole recording on the API's pool). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "audio/audio_int.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"

enum { MAX_PARTS = 64 };   /* conversations of one call measured */

struct job {
	struct job *next;
	char call_id[UTIL_ID_LEN];
	unsigned part;             /* 1: <id>.wav, n: <id>-n.wav; 0: catch up */
	int64_t since_ms, until_ms;/* catching up: calls started between */
	char path[];               /* catching up: the data directory */
};

struct audio {
	struct db      *db;
	enum audio_lang lang;
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
	struct audio_timeline tl = {0};
	char why[PATH_MAX + 128], *text = NULL;
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
		err = audio_measure_files(paths, j->part, a->lang, &m, &tl,
					  why, sizeof(why));
	if (err)
		log_warn("audio.unmeasured", "call=%s path=%s parts=%u err=%s",
			 j->call_id, j->path, j->part, why);
	/* without memory for the text the measures are still stored */
	else if (audio_timeline_encode(&tl, &text))
		log_warn("audio.timeline", "call=%s err=%s", j->call_id,
			 strerror(ENOMEM));
	audio_timeline_free(&tl);
	err = audio_store(a->db, j->call_id, err, why, &m, text,
			  util_now_ms());
	free(text);
	if (err)
		log_error("audio.store", "call=%s err=%s", j->call_id,
			  strerror(err));
}

static bool stopping(struct audio *a)
{
	bool s;

	pthread_mutex_lock(&a->lock);
	s = a->stopping;
	pthread_mutex_unlock(&a->lock);
	return s;
}

struct unmeasured {
	char (*ids)[UTIL_ID_LEN];
	char (*files)[PATH_MAX];
	size_t n;
};

static int on_unmeasured(const struct db_row *row, void *arg)
{
	struct unmeasured *u = arg;

	util_strlcpy(u->ids[u->n], db_row_text(row, 0), UTIL_ID_LEN);
	util_strlcpy(u->files[u->n], db_row_text(row, 1), PATH_MAX);
	u->n++;
	return 0;
}

/* Fact 5. A call's last part is the highest <id>-n.wav beside the first
 * that exists (parts are numbered without gaps, talk.c). */
static void catch_up(struct audio *a, const struct job *scan)
{
	struct unmeasured u = {
		.ids = calloc(AUDIO_CATCH_UP_MAX, sizeof(*u.ids)),
		.files = calloc(AUDIO_CATCH_UP_MAX, sizeof(*u.files)),
	};
	size_t done = 0;
	int err = u.ids && u.files ? 0 : ENOMEM;

	if (!err)
		err = db_query(a->db, on_unmeasured, &u,
			"SELECT c.id, c.recording FROM calls c LEFT JOIN "
			"call_audio x ON x.call_id = c.id WHERE "
			"c.recording IS NOT NULL AND c.ended_at IS NOT NULL "
			"AND c.started_at >= ? AND c.started_at < ? AND "
			"(x.call_id IS NULL OR (x.status = 'ok' AND "
			"x.timeline IS NULL)) ORDER BY x.call_id IS NOT NULL, "
			"c.started_at DESC LIMIT ?", "iii",
			scan->since_ms, scan->until_ms,
			(int64_t)AUDIO_CATCH_UP_MAX);
	for (size_t i = 0; !err && i < u.n && !stopping(a); i++) {
		struct job *j = malloc(sizeof(*j) + PATH_MAX);
		struct stat st;
		char id[UTIL_ID_LEN];
		unsigned part = 1;

		if (!j) {
			err = ENOMEM;
			break;
		}
		snprintf(j->path, PATH_MAX, "%s/%s", scan->path, u.files[i]);
		if (!call_of(j->path, id, &part) || part != 1 ||
		    strcmp(id, u.ids[i])) {
			free(j);        /* not a name this server gives */
			continue;
		}
		memcpy(j->call_id, id, sizeof(id));
		for (unsigned n = 2; n <= MAX_PARTS; n++) {
			char p[PATH_MAX];
			const int stem = (int)strlen(j->path) - 4;

			snprintf(p, sizeof(p), "%.*s-%u.wav", stem, j->path, n);
			if (stat(p, &st))
				break;
			part = n;
		}
		j->part = part;
		measure(a, j);
		free(j);
		done++;
	}
	if (err)
		log_error("audio.catch_up", "err=%s", strerror(err));
	else if (u.n)
		log_info("audio.caught_up", "calls=%zu measured=%zu", u.n, done);
	free(u.ids);
	free(u.files);
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
		if (j->part)
			measure(a, j);
		else
			catch_up(a, j);
		free(j);
		pthread_mutex_lock(&a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

int audio_alloc(struct audio **ap, struct db *db, enum audio_lang lang)
{
	struct audio *a = calloc(1, sizeof(*a));
	int err;

	if (!a)
		return ENOMEM;
	a->db = db;
	a->lang = lang;
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

/* Queues j (fact 1's lock), or frees it and says why not. */
static int enqueue(struct audio *a, struct job *j)
{
	int err = 0;

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
		log_warn("audio.unmeasured", "call=%s path=%s err=%s",
			 j->part ? j->call_id : "-", j->path, strerror(err));
		free(j);
	}
	return err;
}

int audio_catch_up(struct audio *a, const char *data_dir, int64_t since_ms)
{
	size_t len;
	struct job *j;

	if (!a || !data_dir)
		return EINVAL;
	len = strlen(data_dir);
	j = calloc(1, sizeof(*j) + len + 1);
	if (!j)
		return ENOMEM;
	j->since_ms = since_ms;
	j->until_ms = util_now_ms();   /* later calls are reported as usual */
	memcpy(j->path, data_dir, len + 1);
	return enqueue(a, j);
}

int audio_recorded(struct audio *a, const char *path, unsigned channels)
{
	char id[UTIL_ID_LEN];
	unsigned part;
	size_t len;
	struct job *j;

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
	return enqueue(a, j);
}
