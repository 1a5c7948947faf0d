/* media/tts: prompts spoken from text by libespeak-ng on a worker thread.
 *
 * Who owns what:
 *  - the worker thread: espeak-ng (every call to it), and a job between
 *    taking it off `todo` and putting it on `done`;
 *  - the loop thread: the cache, the `pending` list of jobs not yet
 *    delivered (to join a sentence already asked for), each job's waiters
 *    and their args (libre objects: mem_ref/mem_deref only here);
 *  - the mutex: `todo`, `done` and `stop`.
 * The worker wakes the loop through the mqueue; the loop then delivers
 * every finished job, caching its prompt first. Cache hits are delivered
 * the same way (a job that skips the worker), so a handler never runs
 * inside media_tts_say. The worker itself is in speak.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_mqueue.h>
#include "base/log.h"
#include "base/util.h"
#include "media/tts_int.h"

enum {
	DEFAULT_RATE = 175,        /* espeak-ng's own default, words/minute */
	DEFAULT_CACHE = 256,
	DEFAULT_QUEUE = 256,
};

/* The voices we take and the espeak-ng voice each one is. */
static const struct voice {
	const char *name, *espeak;
} voices[] = {
	{"zh", "cmn"}, {"cmn", "cmn"}, {"en", "en"}, {"en-us", "en-us"},
};

/* espeak-ng is one per process (speak.c): one media_tts at a time. */
static atomic_bool in_use;

/* ---- jobs and waiters ---- */

static void job_free(struct tts_job *j)
{
	while (j->waiters) {
		struct tts_waiter *w = j->waiters;
		j->waiters = w->next;
		mem_deref(w->arg);
		free(w);
	}
	media_prompt_unref(j->p);
	free(j->text);
	free(j);
}

static void list_free(struct tts_job *j)
{
	while (j) {
		struct tts_job *next = j->next;
		job_free(j);
		j = next;
	}
}

static int add_waiter(struct tts_job *j, media_tts_h *h, void *arg)
{
	struct tts_waiter *w = calloc(1, sizeof(*w));

	if (!w)
		return ENOMEM;
	w->h = h;
	w->arg = mem_ref(arg);
	*j->wtail = w;
	j->wtail = &w->next;
	return 0;
}

/* ---- the cache (loop thread) ---- */

static struct tts_entry *cache_find(struct media_tts *t, const char *voice,
				const char *text)
{
	for (size_t i = 0; i < t->o.cache_max; i++) {
		struct tts_entry *e = &t->cache[i];
		if (e->text && !strcmp(e->voice, voice) && !strcmp(e->text, text))
			return e;
	}
	return NULL;
}

/* Keeps p for (voice, text), evicting the least recently used entry. */
static void cache_put(struct media_tts *t, const char *voice,
		      const char *text, struct media_prompt *p)
{
	struct tts_entry *e = cache_find(t, voice, text), *old = NULL;
	char *copy;

	if (e)
		return;
	for (size_t i = 0; i < t->o.cache_max; i++) {
		e = &t->cache[i];
		if (!e->text)
			break;
		if (!old || e->used < old->used)
			old = e;
		e = NULL;
	}
	if (!e)
		e = old;
	copy = strdup(text);
	if (!copy)
		return;   /* not cached: asked again, it is spoken again */
	if (e->text) {
		free(e->text);
		media_prompt_unref(e->p);
		t->st.cached--;
	}
	util_strlcpy(e->voice, voice, sizeof(e->voice));
	e->text = copy;
	e->p = media_prompt_ref(p);
	e->used = ++t->clock;
	t->st.cached++;
}

/* ---- delivery (loop thread) ---- */

static void deliver(struct media_tts *t, struct tts_job *j)
{
	if (!j->cached) {
		if (j->err) {
			t->st.failed++;
			log_warn("tts.failed", "voice=%s err=%d text=\"%.40s\"",
				 j->voice, j->err, j->text);
		} else if (j->disk_hit) {
			t->st.disk_hits++;
			cache_put(t, j->voice, j->text, j->p);
		} else {
			t->st.synthesized++;
			if (t->cache_dir[0])
				t->st.disk_misses++;
			if (j->save_err) {
				t->st.disk_errors++;
				log_warn("tts.cache_write", "err=%d", j->save_err);
			}
			t->st.synth_us += j->us;
			if (j->us > t->st.synth_us_max)
				t->st.synth_us_max = j->us;
			cache_put(t, j->voice, j->text, j->p);
		}
	}
	for (struct tts_waiter *w = j->waiters; w; w = w->next)
		w->h(j->err, j->err ? NULL : j->p, w->arg);
	job_free(j);
}

static void unpend(struct media_tts *t, struct tts_job *j)
{
	for (struct tts_job **pp = &t->pending; *pp; pp = &(*pp)->pnext)
		if (*pp == j) {
			*pp = j->pnext;
			t->npending--;
			return;
		}
}

static void on_mqueue(int id, void *data, void *arg)
{
	struct media_tts *t = arg;
	struct tts_job *done, *rev = NULL;
	(void)id;
	(void)data;

	pthread_mutex_lock(&t->mtx);
	done = t->done;
	t->done = NULL;
	pthread_mutex_unlock(&t->mtx);
	while (done) {                 /* oldest first */
		struct tts_job *next = done->next;
		done->next = rev;
		rev = done;
		done = next;
	}
	while (rev) {
		struct tts_job *next = rev->next;
		unpend(t, rev);
		deliver(t, rev);
		rev = next;
	}
	while (t->ready) {
		struct tts_job *j = t->ready;
		t->ready = j->next;
		if (!t->ready)
			t->ready_tail = NULL;
		deliver(t, j);
	}
}

/* ---- the API ---- */

static const char *espeak_voice(const char *voice)
{
	for (size_t i = 0; voice && i < ARRAY_LEN(voices); i++)
		if (!strcmp(voices[i].name, voice))
			return voices[i].espeak;
	return NULL;
}

bool media_tts_voice_ok(const char *voice)
{
	return espeak_voice(voice) != NULL;
}

static struct tts_job *job_new(const char *voice, const char *text)
{
	struct tts_job *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->wtail = &j->waiters;
	util_strlcpy(j->voice, voice, sizeof(j->voice));
	j->text = strdup(text);
	if (!j->text) {
		free(j);
		return NULL;
	}
	return j;
}

int media_tts_say(struct media_tts *t, const char *voice, const char *text,
		  media_tts_h *h, void *arg)
{
	const char *ev = espeak_voice(voice);
	struct tts_entry *e;
	struct tts_job *j;

	if (!t || !ev || !text || !*text || !h)
		return EINVAL;
	if (strlen(text) > TTS_TEXT_MAX)
		return EMSGSIZE;
	for (j = t->pending; j; j = j->pnext)
		if (!strcmp(j->voice, ev) && !strcmp(j->text, text))
			break;
	if (j) {
		if (add_waiter(j, h, arg))
			return ENOMEM;
		t->st.requests++;
		t->st.joined++;
		return 0;
	}
	e = cache_find(t, ev, text);
	if (!e && t->npending >= t->o.queue_max)
		return EBUSY;
	j = job_new(ev, text);
	if (!j || add_waiter(j, h, arg)) {
		if (j)
			job_free(j);
		return ENOMEM;
	}
	t->st.requests++;
	if (e) {
		e->used = ++t->clock;
		j->p = media_prompt_ref(e->p);
		j->cached = true;
		t->st.cache_hits++;
		if (t->ready_tail)
			t->ready_tail->next = j;
		else
			t->ready = j;
		t->ready_tail = j;
		(void)mqueue_push(t->mq, 0, NULL);
		return 0;
	}
	j->pnext = t->pending;
	t->pending = j;
	t->npending++;
	pthread_mutex_lock(&t->mtx);
	if (t->todo_tail)
		t->todo_tail->next = j;
	else
		t->todo = j;
	t->todo_tail = j;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->mtx);
	return 0;
}

void media_tts_stats(const struct media_tts *t, struct media_tts_stats *st)
{
	*st = t->st;
}

static void stop_worker(struct media_tts *t)
{
	pthread_mutex_lock(&t->mtx);
	atomic_store(&t->stop, true);
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->mtx);
	pthread_join(t->thread, NULL);
}

/* Frees what alloc made (the worker is stopped or never started) and
 * lets the process have a TTS again. */
static void release(struct media_tts *t)
{
	for (size_t i = 0; t->cache && i < t->o.cache_max; i++) {
		free(t->cache[i].text);
		media_prompt_unref(t->cache[i].p);
	}
	free(t->cache);
	mem_deref(t->mq);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->mtx);
	free(t);
	atomic_store(&in_use, false);
}

void media_tts_free(struct media_tts *t)
{
	if (!t)
		return;
	stop_worker(t);
	/* Every job is on exactly one of todo, done or ready (the one the
	 * worker was speaking went on done when it stopped). */
	list_free(t->todo);
	list_free(t->done);
	list_free(t->ready);
	release(t);
}

int media_tts_alloc(struct media_tts **tp, const struct media_tts_opts *o)
{
	struct media_tts *t;
	bool no = false;
	int err;

	if (!tp)
		return EINVAL;
	if (o && o->rate_wpm && (o->rate_wpm < 80 || o->rate_wpm > 450))
		return EINVAL;
	if (!atomic_compare_exchange_strong(&in_use, &no, true))
		return EALREADY;
	t = calloc(1, sizeof(*t));
	if (!t) {
		atomic_store(&in_use, false);
		return ENOMEM;
	}
	if (o)
		t->o = *o;
	t->o.rate_wpm = t->o.rate_wpm ? t->o.rate_wpm : DEFAULT_RATE;
	t->o.cache_max = t->o.cache_max ? t->o.cache_max : DEFAULT_CACHE;
	t->o.queue_max = t->o.queue_max ? t->o.queue_max : DEFAULT_QUEUE;
	if (o && o->cache_dir &&
	    util_strlcpy(t->cache_dir, o->cache_dir, sizeof(t->cache_dir))) {
		free(t);
		atomic_store(&in_use, false);
		return ENAMETOOLONG;
	}
	t->o.cache_dir = NULL;     /* the copy is ours; the caller's may go */
	pthread_mutex_init(&t->mtx, NULL);
	pthread_cond_init(&t->cond, NULL);
	t->cache = calloc(t->o.cache_max, sizeof(*t->cache));
	err = t->cache ? mqueue_alloc(&t->mq, on_mqueue, t) : ENOMEM;
	if (!err)
		err = pthread_create(&t->thread, NULL, tts_worker, t);
	if (err) {
		release(t);
		return err;
	}
	pthread_mutex_lock(&t->mtx);
	while (!t->init_done)
		pthread_cond_wait(&t->cond, &t->mtx);
	err = t->init_err;
	pthread_mutex_unlock(&t->mtx);
	if (err) {
		media_tts_free(t);
		return err;
	}
	*tp = t;
	return 0;
}
