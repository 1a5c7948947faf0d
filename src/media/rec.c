/* Call recording: media threads queue stereo (or mono) frames, one writer thread per
 * recorder does every file operation.
 *
 * What always holds:
 *  (1) Jobs of one recording are handled in the order they were queued:
 *      open, data…, close. The queue is one FIFO under one mutex.
 *  (2) A recording is freed by the writer thread after its close job, and
 *      by nothing else; its open and close jobs live inside it, so neither
 *      opening's bookkeeping nor closing can fail for lack of memory.
 *  (3) queued counts the bytes of data jobs waiting; a write that would take
 *      it past max is dropped, so a slow disk costs audio, not memory.
 *  (4) A paused recording still gets one frame per frame written, all
 *      silence: the file's timeline stays the call's, the pause a gap. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sndfile.h>
#include "base/log.h"
#include "media/media_int.h"

enum job_kind { JOB_OPEN, JOB_DATA, JOB_CLOSE };

struct job {
	struct job      *next;
	enum job_kind    kind;
	struct media_rec *r;
	size_t           frames;     /* JOB_DATA: frames in data[] */
	int16_t          data[];     /* interleaved left, right (or left) */
};

struct media_rec {
	struct media_recorder *w;
	struct media_rec *prev, *next;  /* w's open list, under w->lock */
	struct job       open_job, close_job;
	media_rec_done_h *done;
	void            *arg;
	uint64_t         dropped;       /* frames refused; caller's thread */
	unsigned         channels;      /* 1: left only; 2: left, right */
	bool             paused;        /* the caller's thread: frames are
					 * written as silence */
	/* The writer thread's alone: */
	SNDFILE         *sf;
	int              err;
	uint64_t         frames, since_header;
	char             path[];
};

struct media_recorder {
	pthread_t        thread;
	pthread_mutex_t  lock;
	pthread_cond_t   cond;
	struct job      *head, *tail;
	struct media_rec *open;         /* recordings not yet closed */
	size_t           queued, max;
	bool             stopping;
};

enum {
	DEFAULT_MAX = 16 << 20,
	HEADER_EVERY = 5 * MEDIA_RATE,  /* frames between header rewrites */
};

static void push(struct media_recorder *w, struct job *j)
{
	j->next = NULL;
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->cond);
}

/* Creates the directories above path, like mkdir -p on its dirname. */
static int make_parents(const char *path)
{
	char *dir = strdup(path);
	int err = 0;

	if (!dir)
		return ENOMEM;
	for (char *p = strchr(dir + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = 0;
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			err = errno;
		*p = '/';
	}
	free(dir);
	return err;
}

static void do_open(struct media_rec *r)
{
	SF_INFO info = {
		.samplerate = MEDIA_RATE, .channels = (int)r->channels,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};

	r->err = make_parents(r->path);
	if (!r->err) {
		r->sf = sf_open(r->path, SFM_WRITE, &info);
		if (!r->sf)
			r->err = errno ? errno : EIO;
	}
	if (r->err)
		log_warn("media.rec.open_failed", "path=%s err=%s", r->path,
			 strerror(r->err));
}

static void do_data(struct media_rec *r, const struct job *j)
{
	if (!r->sf || r->err)
		return;
	if (sf_writef_short(r->sf, j->data, (sf_count_t)j->frames) !=
	    (sf_count_t)j->frames) {
		r->err = EIO;
		log_warn("media.rec.write_failed", "path=%s err=%s", r->path,
			 sf_strerror(r->sf));
		return;
	}
	r->frames += j->frames;
	r->since_header += j->frames;
	/* Keep the header near the truth so a crash leaves a playable file. */
	if (r->since_header >= HEADER_EVERY) {
		sf_command(r->sf, SFC_UPDATE_HEADER_NOW, NULL, 0);
		r->since_header = 0;
	}
}

static void do_close(struct media_rec *r)
{
	if (r->sf && sf_close(r->sf) != 0 && !r->err)
		r->err = EIO;
	if (r->dropped)
		log_warn("media.rec.dropped", "path=%s frames=%llu", r->path,
			 (unsigned long long)r->dropped);
	if (r->done)
		r->done(r->err, r->path, r->channels, r->frames, r->arg);
	free(r);
}

static void *writer(void *arg)
{
	struct media_recorder *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct job *j = w->head;

		if (!j) {
			if (w->stopping)
				break;
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		w->head = j->next;
		if (!w->head)
			w->tail = NULL;
		if (j->kind == JOB_DATA)
			w->queued -= j->frames * j->r->channels *
				sizeof(int16_t);
		pthread_mutex_unlock(&w->lock);

		switch (j->kind) {
		case JOB_OPEN:  do_open(j->r); break;
		case JOB_DATA:  do_data(j->r, j); free(j); break;
		case JOB_CLOSE: do_close(j->r); break;
		}
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int media_recorder_alloc(struct media_recorder **wp, size_t max_queued)
{
	struct media_recorder *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return ENOMEM;
	w->max = max_queued ? max_queued : DEFAULT_MAX;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	err = pthread_create(&w->thread, NULL, writer, w);
	if (err) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return err;
	}
	*wp = w;
	return 0;
}

/* Takes r off the open list and queues its close; under w->lock. */
static void queue_close(struct media_recorder *w, struct media_rec *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		w->open = r->next;
	if (r->next)
		r->next->prev = r->prev;
	push(w, &r->close_job);
}

void media_recorder_free(struct media_recorder *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	while (w->open)
		queue_close(w, w->open);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int media_rec_open(struct media_rec **rp, struct media_recorder *w,
		   const char *path, unsigned channels, media_rec_done_h *done,
		   void *arg)
{
	size_t len = path ? strlen(path) : 0;
	struct media_rec *r;

	if (!w || len == 0 || channels < 1 || channels > 2)
		return EINVAL;
	r = calloc(1, sizeof(*r) + len + 1);
	if (!r)
		return ENOMEM;
	memcpy(r->path, path, len + 1);
	r->w = w;
	r->channels = channels;
	r->done = done;
	r->arg = arg;
	r->open_job = (struct job){.kind = JOB_OPEN, .r = r};
	r->close_job = (struct job){.kind = JOB_CLOSE, .r = r};

	pthread_mutex_lock(&w->lock);
	r->next = w->open;
	if (w->open)
		w->open->prev = r;
	w->open = r;
	push(w, &r->open_job);
	pthread_mutex_unlock(&w->lock);
	*rp = r;
	return 0;
}

int media_rec_write(struct media_rec *r, const int16_t *left,
		    const int16_t *right, size_t n)
{
	struct media_recorder *w = r->w;
	size_t bytes = n * r->channels * sizeof(int16_t);
	struct job *j;
	bool full;

	if (n == 0)
		return 0;
	j = malloc(sizeof(*j) + bytes);
	if (!j) {
		r->dropped += n;
		return ENOMEM;
	}
	j->kind = JOB_DATA;
	j->r = r;
	j->frames = n;
	if (r->paused)
		left = right = NULL;
	for (size_t i = 0; i < n && r->channels == 2; i++) {
		j->data[2 * i] = left ? left[i] : 0;
		j->data[2 * i + 1] = right ? right[i] : 0;
	}
	if (r->channels == 1 && left)
		memcpy(j->data, left, n * sizeof(int16_t));
	else if (r->channels == 1)
		memset(j->data, 0, n * sizeof(int16_t));
	pthread_mutex_lock(&w->lock);
	full = w->queued + bytes > w->max;
	if (!full) {
		w->queued += bytes;
		push(w, j);
	}
	pthread_mutex_unlock(&w->lock);
	if (full) {
		free(j);
		r->dropped += n;
		return ENOBUFS;
	}
	return 0;
}

void media_rec_pause(struct media_rec *r, bool paused)
{
	r->paused = paused;
}

void media_rec_close(struct media_rec *r)
{
	struct media_recorder *w;

	if (!r)
		return;
	w = r->w;
	pthread_mutex_lock(&w->lock);
	queue_close(w, r);
	pthread_mutex_unlock(&w->lock);
}
