/* media/speak: the TTS worker thread, the only code that calls espeak-ng.
 * It takes jobs off `todo`, speaks each (espeak-ng at 22050 Hz, brought to
 * 8 kHz by the resampler of wav.c, its peak set to half of full scale,
 * -6 dBFS, so every sentence is equally loud and none clips), puts it on
 * `done` and wakes the loop through the mqueue.
 *
 * espeak-ng keeps global state: one media_tts at a time (tts.c) means one
 * worker at a time calls it. espeak-ng 1.51 hangs when initialised again
 * after espeak_Terminate, so the first worker initialises it and it is
 * kept for the life of the process (its sample rate in espeak_rate, 0
 * before); a later media_tts's worker takes it over.
 *
 * With a cache directory, a sentence is first looked for there, named by
 * the SHA-256 of what changes its sound (espeak voice, rate, text; NUL
 * between them, so no two triples give the same bytes), and what is spoken
 * is written there (tmp + rename: media_wav_save) for the next time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include <sodium.h>
#include <re_types.h>
#include <re_mqueue.h>
#include <espeak-ng/speak_lib.h>
#include "media/tts_int.h"

enum {
	SPEECH_MAX_S = 120,        /* longer speech is refused (EFBIG) */
	ESPEAK_DONT_EXIT = 0x8000, /* espeakINITIALIZE_DONT_EXIT: fail, not exit */
};

static const double PEAK = 0.5;   /* of full scale, after resampling */

static int espeak_rate;

struct synth {
	struct media_tts *t;
	int16_t *pcm;
	size_t n, cap, max;
	int err;
};

/* espeak-ng hands over audio in pieces; a non-zero return aborts. */
static int on_audio(short *wav, int n, espeak_EVENT *ev)
{
	struct synth *s = ev ? ev->user_data : NULL;

	if (!s || !wav || n <= 0)
		return 0;
	if (atomic_load(&s->t->stop)) {
		s->err = ECANCELED;
		return 1;
	}
	if (s->n + (size_t)n > s->max) {
		s->err = EFBIG;
		return 1;
	}
	if (s->n + (size_t)n > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 65536;
		int16_t *v;

		while (cap < s->n + (size_t)n)
			cap *= 2;
		v = realloc(s->pcm, cap * sizeof(*v));
		if (!v) {
			s->err = ENOMEM;
			return 1;
		}
		s->pcm = v;
		s->cap = cap;
	}
	memcpy(s->pcm + s->n, wav, (size_t)n * sizeof(*wav));
	s->n += (size_t)n;
	return 0;
}

/* 22050 Hz from espeak-ng → a prompt at 8 kHz, peak at PEAK. */
static int to_prompt(const struct synth *s, int rate, struct media_prompt **pp)
{
	size_t m = (size_t)((double)s->n * MEDIA_RATE / rate);
	float *in = malloc(sizeof(float) * (s->n ? s->n : 1));
	int16_t *out = malloc(sizeof(int16_t) * (m ? m : 1));
	int peak = 1, err;

	for (size_t i = 0; i < s->n; i++)
		if (abs(s->pcm[i]) > peak)
			peak = abs(s->pcm[i]);
	if (!in || !out) {
		err = ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->n; i++)
		in[i] = (float)(s->pcm[i] * PEAK / peak);
	err = m ? media_resample(in, s->n, rate, out, m) : EIO;
	if (!err)
		err = media_prompt_alloc(pp, out, m);
 out:
	free(in);
	free(out);
	return err;
}

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* cache_dir/<hex sha256 of voice NUL rate NUL text>.wav */
static int cache_path(const struct media_tts *t, const struct tts_job *j,
		      char *path, size_t n)
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1], rate[16];

	snprintf(rate, sizeof(rate), "%u", t->o.rate_wpm);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)j->voice,
				  strlen(j->voice) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)rate,
				  strlen(rate) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)j->text,
				  strlen(j->text));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (snprintf(path, n, "%s/%s.wav", t->cache_dir, hex) >= (int)n)
		return ENAMETOOLONG;
	return 0;
}

static void synthesize(struct media_tts *t, int rate, struct tts_job *j)
{
	struct synth s = {.t = t, .max = (size_t)SPEECH_MAX_S * (size_t)rate};

	if (espeak_SetVoiceByName(j->voice) != EE_OK ||
	    espeak_SetParameter(espeakRATE, (int)t->o.rate_wpm, 0) != EE_OK) {
		j->err = EIO;
	} else if (espeak_Synth(j->text, strlen(j->text) + 1, 0, POS_CHARACTER,
				0, espeakCHARS_UTF8, NULL, &s) != EE_OK) {
		j->err = s.err ? s.err : EIO;
	} else {
		j->err = s.err ? s.err : s.n ? to_prompt(&s, rate, &j->p) : EIO;
	}
	free(s.pcm);
}

static void speak(struct media_tts *t, int rate, struct tts_job *j)
{
	char path[PATH_MAX];
	uint64_t t0 = mono_us();
	bool disk = t->cache_dir[0] && !cache_path(t, j, path, sizeof(path));

	if (disk && !media_prompt_load(&j->p, path)) {
		j->disk_hit = true;
	} else {
		synthesize(t, rate, j);
		if (disk && !j->err)
			j->save_err = media_wav_save(path, media_prompt_pcm(j->p),
						     media_prompt_len(j->p));
	}
	j->us = mono_us() - t0;
}

void *tts_worker(void *arg)
{
	struct media_tts *t = arg;
	int rate;

	if (!espeak_rate) {
		rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0,
					 t->o.data_path, ESPEAK_DONT_EXIT);
		espeak_rate = rate > 0 ? rate : 0;
	}
	rate = espeak_rate;
	if (rate > 0)
		espeak_SetSynthCallback(on_audio);
	pthread_mutex_lock(&t->mtx);
	t->init_done = true;
	t->init_err = rate > 0 ? 0 : ENOENT;
	pthread_cond_broadcast(&t->cond);
	for (;;) {
		struct tts_job *j;

		while (!t->todo && !atomic_load(&t->stop) && !t->init_err)
			pthread_cond_wait(&t->cond, &t->mtx);
		if (atomic_load(&t->stop) || t->init_err)
			break;
		j = t->todo;
		t->todo = j->next;
		if (!t->todo)
			t->todo_tail = NULL;
		pthread_mutex_unlock(&t->mtx);

		speak(t, rate, j);

		pthread_mutex_lock(&t->mtx);
		j->next = t->done;
		t->done = j;
		pthread_mutex_unlock(&t->mtx);
		(void)mqueue_push(t->mq, 0, NULL);
		pthread_mutex_lock(&t->mtx);
	}
	pthread_mutex_unlock(&t->mtx);
	return NULL;
}
