/* Call recording: media threads fill a buffer of half a second per
 * recording, one writer thread per recorder does every file operation, one
 * write(2) per full buffer.
 *
 * Why buffers: a 20 ms frame a call handed over one at a time (a malloc, a
 * lock, a wake of the writer, a write(2) and libsndfile's copy each) cost
 * recording +47 % of the CPU of a bridged call (issue 18). Half a second
 * per hand-over is 25 times fewer of each; the buffers are recycled, so
 * steady recording allocates nothing, and the WAV header is ours (44
 * bytes, rewritten with pwrite) rather than a SNDFILE of its own per call.
 *
 * What always holds:
 *  (1) Jobs of one recording are handled in the order they were queued:
 *      open, data…, close. The queue is one FIFO under one mutex.
 *  (2) A recording is freed by the writer thread after its close job, and
 *      by nothing else; its open and close jobs live inside it, so neither
 *      opening's bookkeeping nor closing can fail for lack of memory.
 *  (3) queued counts the bytes of buffers handed over and not yet written;
 *      a write that would take queued plus its recording's own buffer past
 *      max is dropped, so a slow disk costs audio, not memory.
 *  (4) A paused recording still gets one frame per frame written, all
 *      silence: the file's timeline stays the call's, the pause a gap.
 *  (5) A recording's buffer (cur) is its feeding thread's alone until
 *      handed over; then the writer's until it is back on the free list. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/log.h"
#include "media/media_int.h"

enum job_kind { JOB_OPEN, JOB_DATA, JOB_CLOSE };

enum {
	BUF_BYTES = MEDIA_RATE * 2 * 2 / 2,  /* half a second of stereo */
	SPARE_MIN = 16,                 /* spare buffers kept when idle */
	DEFAULT_MAX = 16 << 20,
	HEADER_EVERY = 5 * MEDIA_RATE,  /* frames between header rewrites */
	WAV_HEADER = 44,
};

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
	/* The feeding thread's alone: */
	struct job      *cur;           /* the buffer being filled, or NULL */
	uint64_t         dropped;       /* frames refused */
	unsigned         channels;      /* 1: left only; 2: left, right */
	bool             paused;        /* frames are written as silence */
	/* The writer thread's alone: */
	int              fd;
	int              err;
	uint64_t         frames, since_header;
	char             path[];
};

struct media_recorder {
	pthread_t        thread;
	pthread_mutex_t  lock;
	pthread_cond_t   cond;
	struct job      *head, *tail;
	struct job      *spare;         /* free buffers, at most spare_max */
	unsigned         nspare;
	struct media_rec *open;         /* recordings not yet closed, */
	unsigned         nopen;         /* how many */
	atomic_size_t    queued;        /* written under lock, read without */
	size_t           max;
	bool             stopping;
	char             last_dir[256]; /* the writer's: made last time */
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

/* A buffer from the spares, or a new one; under w->lock. */
static struct job *take_spare(struct media_recorder *w)
{
	struct job *j = w->spare;

	if (!j)
		return malloc(sizeof(*j) + BUF_BYTES);
	w->spare = j->next;
	w->nspare--;
	return j;
}

/* Spares kept: with n recordings open, up to n/2 buffers are handed
 * over at about the same moment (they fill at the same pace). Fewer, and
 * a batch's buffers beyond the limit went back to malloc only to be
 * asked for again a moment later: the media thread's arena shrank
 * (madvise) and grew (page faults) under load, 4 % of the server's CPU
 * at 400 recorded calls (perf). */
static unsigned spare_max(const struct media_recorder *w)
{
	return SPARE_MIN + w->nopen / 2;
}

/* Back to the spares, or freed past spare_max; under w->lock. */
static void give_spare(struct media_recorder *w, struct job *j)
{
	if (w->nspare >= spare_max(w)) {
		free(j);
		return;
	}
	j->next = w->spare;
	w->spare = j;
	w->nspare++;
}

/* Creates the directories above path, like mkdir -p on its dirname; the
 * directory made last time (a day's folder, for every call of the day) is
 * not asked about again. */
static int make_parents(struct media_recorder *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	char *dir;
	int err = 0;

	if (dlen == 0 || (dlen < sizeof(w->last_dir) &&
			  strncmp(w->last_dir, path, dlen) == 0 &&
			  w->last_dir[dlen] == 0))
		return 0;
	dir = strndup(path, dlen);
	if (!dir)
		return ENOMEM;
	for (char *p = strchr(dir + 1, '/'); !err; p = strchr(p + 1, '/')) {
		if (p)
			*p = 0;
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			err = errno;
		if (!p)
			break;
		*p = '/';
	}
	if (!err && dlen < sizeof(w->last_dir))
		memcpy(w->last_dir, dir, dlen + 1);
	free(dir);
	return err;
}

static void put_le(uint8_t *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The canonical 44-byte header of 16-bit PCM at 8 kHz, as libsndfile
 * writes it, for frames frames. */
static int write_header(struct media_rec *r)
{
	uint8_t h[WAV_HEADER];
	uint32_t block = 2 * r->channels;
	uint32_t data = (uint32_t)(r->frames * block);

	memcpy(h, "RIFF", 4);
	put_le(h + 4, 36 + data, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);
	put_le(h + 20, 1, 2);                   /* PCM */
	put_le(h + 22, r->channels, 2);
	put_le(h + 24, MEDIA_RATE, 4);
	put_le(h + 28, MEDIA_RATE * block, 4);
	put_le(h + 32, block, 2);
	put_le(h + 34, 16, 2);
	memcpy(h + 36, "data", 4);
	put_le(h + 40, data, 4);
	return pwrite(r->fd, h, sizeof(h), 0) == (ssize_t)sizeof(h) ? 0 : EIO;
}

static void do_open(struct media_recorder *w, struct media_rec *r)
{
	r->fd = -1;
	r->err = make_parents(w, r->path);
	if (!r->err) {
		r->fd = open(r->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
		if (r->fd < 0)
			r->err = errno;
	}
	if (!r->err && (r->err = write_header(r)) == 0 &&
	    lseek(r->fd, WAV_HEADER, SEEK_SET) < 0)
		r->err = errno;
	if (r->err)
		log_warn("media.rec.open_failed", "path=%s err=%s", r->path,
			 strerror(r->err));
}

static void do_data(struct media_rec *r, const struct job *j)
{
	size_t bytes = j->frames * r->channels * sizeof(int16_t);

	if (r->fd < 0 || r->err)
		return;
	/* Keep the header near the truth so a crash leaves a playable file:
	 * rewritten before the buffer that crosses the mark, so that it
	 * counts what is on disk (media/wav_repair.c adds the rest). */
	if (r->since_header + j->frames >= HEADER_EVERY) {
		(void)write_header(r);
		r->since_header = 0;
	}
	if (write(r->fd, j->data, bytes) != (ssize_t)bytes) {
		r->err = errno ? errno : EIO;
		log_warn("media.rec.write_failed", "path=%s err=%s", r->path,
			 strerror(r->err));
		return;
	}
	r->frames += j->frames;
	r->since_header += j->frames;
}

static void do_close(struct media_rec *r)
{
	if (r->fd >= 0) {
		if (write_header(r) && !r->err)
			r->err = EIO;
		if (close(r->fd) != 0 && !r->err)
			r->err = EIO;
	}
	if (r->dropped)
		log_warn("media.rec.dropped", "path=%s frames=%llu", r->path,
			 (unsigned long long)r->dropped);
	if (r->done)
		r->done(r->err, r->path, r->channels, r->frames, r->arg);
	free(r);
}

/* Takes every job queued at once, and hands the buffers written back as
 * spares with one lock per batch. */
static void *writer(void *arg)
{
	struct media_recorder *w = arg;
	struct job *done = NULL;
	size_t written = 0;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct job *j;

		while (done) {
			j = done;
			done = j->next;
			give_spare(w, j);
		}
		atomic_fetch_sub(&w->queued, written);
		written = 0;
		j = w->head;
		if (!j) {
			if (w->stopping)
				break;
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		w->head = w->tail = NULL;
		pthread_mutex_unlock(&w->lock);

		while (j) {
			struct job *next = j->next;

			switch (j->kind) {
			case JOB_OPEN:  do_open(w, j->r); break;
			case JOB_DATA:
				do_data(j->r, j);
				written += j->frames * j->r->channels *
					   sizeof(int16_t);
				j->next = done;
				done = j;
				break;
			case JOB_CLOSE: do_close(j->r); break;
			}
			j = next;
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
	atomic_init(&w->queued, 0);
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

/* Queues r's buffer if it holds anything (a spare again if not), then,
 * if more is to come, takes a fresh one; under w->lock. */
static void hand_over(struct media_recorder *w, struct media_rec *r,
		      bool more)
{
	struct job *j = r->cur;

	if (j && j->frames) {
		atomic_fetch_add(&w->queued,
				 j->frames * r->channels * sizeof(int16_t));
		push(w, j);
	}
	else if (j) {
		give_spare(w, j);
	}
	r->cur = more ? take_spare(w) : NULL;
	if (r->cur) {
		r->cur->kind = JOB_DATA;
		r->cur->r = r;
		r->cur->frames = 0;
	}
}

/* Takes r off the open list, queues what it holds and its close; under
 * w->lock. */
static void queue_close(struct media_recorder *w, struct media_rec *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		w->open = r->next;
	if (r->next)
		r->next->prev = r->prev;
	w->nopen--;
	hand_over(w, r, false);
	/* As calls end, the spares they needed go. */
	while (w->nspare > spare_max(w)) {
		struct job *j = w->spare;

		w->spare = j->next;
		w->nspare--;
		free(j);
	}
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
	while (w->spare) {
		struct job *j = w->spare;

		w->spare = j->next;
		free(j);
	}
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
	r->fd = -1;
	r->open_job = (struct job){.kind = JOB_OPEN, .r = r};
	r->close_job = (struct job){.kind = JOB_CLOSE, .r = r};

	pthread_mutex_lock(&w->lock);
	r->next = w->open;
	if (w->open)
		w->open->prev = r;
	w->open = r;
	w->nopen++;
	push(w, &r->open_job);
	pthread_mutex_unlock(&w->lock);
	*rp = r;
	return 0;
}

/* Copies n frames (n fits in r->cur) interleaved; NULL sides silence. */
static void fill(struct media_rec *r, const int16_t *left,
		 const int16_t *right, size_t n)
{
	int16_t *d = r->cur->data + r->cur->frames * r->channels;

	if (r->channels == 1) {
		if (left)
			memcpy(d, left, n * sizeof(int16_t));
		else
			memset(d, 0, n * sizeof(int16_t));
	}
	else if (left && right) {
		for (size_t i = 0; i < n; i++) {
			d[2 * i] = left[i];
			d[2 * i + 1] = right[i];
		}
	}
	else {
		for (size_t i = 0; i < n; i++) {
			d[2 * i] = left ? left[i] : 0;
			d[2 * i + 1] = right ? right[i] : 0;
		}
	}
	r->cur->frames += n;
}

int media_rec_write(struct media_rec *r, const int16_t *left,
		    const int16_t *right, size_t n)
{
	struct media_recorder *w = r->w;
	size_t frame_bytes = r->channels * sizeof(int16_t);
	size_t cap = BUF_BYTES / frame_bytes;
	size_t held = r->cur ? r->cur->frames * frame_bytes : 0;

	if (n == 0)
		return 0;
	if (atomic_load(&w->queued) + held + n * frame_bytes > w->max) {
		r->dropped += n;
		return ENOBUFS;
	}
	if (r->paused)
		left = right = NULL;
	while (n) {
		size_t k;

		if (!r->cur || r->cur->frames == cap) {
			pthread_mutex_lock(&w->lock);
			hand_over(w, r, true);
			pthread_mutex_unlock(&w->lock);
			if (!r->cur) {
				r->dropped += n;
				return ENOMEM;
			}
		}
		k = cap - r->cur->frames < n ? cap - r->cur->frames : n;
		fill(r, left, right, k);
		left = left ? left + k : NULL;
		right = right ? right + k : NULL;
		n -= k;
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
