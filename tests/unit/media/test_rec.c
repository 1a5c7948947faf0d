/* Call recording: frames fed from media threads end up, in order and
 * unchanged, in a stereo WAV with the customer left and the agent right;
 * failures and a full queue are reported, not hidden. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sndfile.h>
#include "media/media_int.h"

static char dir[] = "/tmp/hotline-rec-XXXXXX";

struct result {
	int      calls;
	int      err;
	uint64_t frames;
	unsigned channels;
	char     path[160];
};

static void on_done(int err, const char *path, unsigned channels,
		    uint64_t frames, void *arg)
{
	struct result *r = arg;

	r->calls++;
	r->channels = channels;
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->err = err;
	r->frames = frames;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static int16_t tone(double hz, size_t i, double amp)
{
	return (int16_t)lrint(amp * sin(2 * M_PI * hz * (double)i / MEDIA_RATE));
}

/* Reads a whole stereo file; returns frames, fills *out (free()). */
static size_t read_wav(const char *path, int16_t **out)
{
	SF_INFO info = {0};
	SNDFILE *sf = sf_open(path, SFM_READ, &info);

	assert_non_null(sf);
	assert_int_equal(2, info.channels);
	assert_int_equal(MEDIA_RATE, info.samplerate);
	assert_int_equal(SF_FORMAT_WAV | SF_FORMAT_PCM_16, info.format);
	*out = malloc(sizeof(int16_t) * 2 * (size_t)(info.frames + 1));
	assert_int_equal(info.frames, sf_readf_short(sf, *out, info.frames));
	sf_close(sf);
	return (size_t)info.frames;
}

static void the_file_carries_customer_left_and_agent_right(void **state)
{
	struct media_recorder *w;
	struct media_rec *r;
	struct result res = {0};
	char path[160];
	int16_t *got;

	(void)state;
	/* the day's folder does not exist yet */
	snprintf(path, sizeof(path), "%s/recordings/2026-11-23/call-1.wav", dir);
	assert_int_equal(0, media_recorder_alloc(&w, 0));
	assert_int_equal(0, media_rec_open(&r, w, path, 2, on_done, &res));
	for (size_t f = 0; f < 50; f++) {          /* one second */
		int16_t left[MEDIA_FRAME], right[MEDIA_FRAME];

		for (size_t i = 0; i < MEDIA_FRAME; i++) {
			left[i] = tone(440, f * MEDIA_FRAME + i, 12000);
			right[i] = tone(1000, f * MEDIA_FRAME + i, 6000);
		}
		assert_int_equal(0, media_rec_write(r, left, right, MEDIA_FRAME));
	}
	media_rec_close(r);
	media_recorder_free(w);

	assert_int_equal(1, res.calls);
	assert_int_equal(0, res.err);
	assert_int_equal(8000, res.frames);
	assert_int_equal(2, res.channels);
	assert_string_equal(path, res.path);
	assert_int_equal(8000, read_wav(path, &got));
	for (size_t i = 0; i < 8000; i++) {
		assert_int_equal(tone(440, i, 12000), got[2 * i]);
		assert_int_equal(tone(1000, i, 6000), got[2 * i + 1]);
	}
	free(got);
}

static void a_mono_recording_keeps_the_one_party(void **state)
{
	struct media_recorder *w;
	struct media_rec *r;
	struct result res = {0};
	int16_t frame[MEDIA_FRAME], got[4 * MEDIA_FRAME];
	SF_INFO info = {0};
	SNDFILE *sf;
	char path[160];

	(void)state;
	snprintf(path, sizeof(path), "%s/voicemail/vm-1.wav", dir);
	assert_int_equal(EINVAL, media_rec_open(&r, NULL, path, 1, NULL, NULL));
	assert_int_equal(0, media_recorder_alloc(&w, 0));
	assert_int_equal(EINVAL, media_rec_open(&r, w, path, 3, NULL, NULL));
	assert_int_equal(0, media_rec_open(&r, w, path, 1, on_done, &res));
	for (size_t f = 0; f < 3; f++) {
		for (size_t i = 0; i < MEDIA_FRAME; i++)
			frame[i] = tone(440, f * MEDIA_FRAME + i, 9000);
		/* the right side of a mono file is ignored */
		assert_int_equal(0, media_rec_write(r, frame, frame,
						    MEDIA_FRAME));
	}
	assert_int_equal(0, media_rec_write(r, NULL, NULL, MEDIA_FRAME));
	media_rec_close(r);
	media_recorder_free(w);

	assert_int_equal(0, res.err);
	assert_int_equal(4 * MEDIA_FRAME, res.frames);
	sf = sf_open(path, SFM_READ, &info);
	assert_non_null(sf);
	assert_int_equal(1, info.channels);
	assert_int_equal(MEDIA_RATE, info.samplerate);
	assert_int_equal(4 * MEDIA_FRAME, info.frames);
	assert_int_equal(4 * MEDIA_FRAME, sf_readf_short(sf, got,
							 4 * MEDIA_FRAME));
	sf_close(sf);
	for (size_t i = 0; i < 3 * MEDIA_FRAME; i++)
		assert_int_equal(tone(440, i, 9000), got[i]);
	for (size_t i = 3 * MEDIA_FRAME; i < 4 * MEDIA_FRAME; i++)
		assert_int_equal(0, got[i]);
}

static void a_missing_side_is_silence(void **state)
{
	struct media_recorder *w;
	struct media_rec *r;
	struct result res = {0};
	int16_t agent[MEDIA_FRAME], *got;
	char path[160];

	(void)state;
	snprintf(path, sizeof(path), "%s/one-sided.wav", dir);
	for (size_t i = 0; i < MEDIA_FRAME; i++)
		agent[i] = (int16_t)(i + 1);
	assert_int_equal(0, media_recorder_alloc(&w, 0));
	assert_int_equal(0, media_rec_open(&r, w, path, 2, on_done, &res));
	assert_int_equal(0, media_rec_write(r, NULL, agent, MEDIA_FRAME));
	assert_int_equal(0, media_rec_write(r, agent, NULL, MEDIA_FRAME));
	media_rec_close(r);
	media_recorder_free(w);

	assert_int_equal(2 * MEDIA_FRAME, read_wav(path, &got));
	for (size_t i = 0; i < MEDIA_FRAME; i++) {
		assert_int_equal(0, got[2 * i]);
		assert_int_equal(i + 1, got[2 * i + 1]);
		assert_int_equal(i + 1, got[2 * (MEDIA_FRAME + i)]);
		assert_int_equal(0, got[2 * (MEDIA_FRAME + i) + 1]);
	}
	free(got);
}

/* Five frames of tone, paused for three, resumed: the file holds all five,
 * the middle three silent on both sides and the rest untouched. */
static void a_paused_recording_writes_silence_of_the_same_length(void **state)
{
	struct media_recorder *w;
	struct media_rec *r;
	struct result res = {0};
	int16_t left[MEDIA_FRAME], right[MEDIA_FRAME], *got;
	char path[160];

	(void)state;
	snprintf(path, sizeof(path), "%s/paused.wav", dir);
	assert_int_equal(0, media_recorder_alloc(&w, 0));
	assert_int_equal(0, media_rec_open(&r, w, path, 2, on_done, &res));
	for (size_t f = 0; f < 5; f++) {
		for (size_t i = 0; i < MEDIA_FRAME; i++) {
			left[i] = tone(440, f * MEDIA_FRAME + i, 9000);
			right[i] = tone(1000, f * MEDIA_FRAME + i, 9000);
		}
		media_rec_pause(r, f >= 1 && f <= 3);
		assert_int_equal(0, media_rec_write(r, left, right,
						    MEDIA_FRAME));
	}
	media_rec_close(r);
	media_recorder_free(w);

	assert_int_equal(0, res.err);
	assert_int_equal(5 * MEDIA_FRAME, res.frames);
	assert_int_equal(5 * MEDIA_FRAME, read_wav(path, &got));
	for (size_t i = 0; i < 5 * MEDIA_FRAME; i++) {
		bool paused = i >= MEDIA_FRAME && i < 4 * MEDIA_FRAME;

		assert_int_equal(paused ? 0 : tone(440, i, 9000), got[2 * i]);
		assert_int_equal(paused ? 0 : tone(1000, i, 9000),
				 got[2 * i + 1]);
	}
	free(got);
}

static void a_file_that_cannot_be_created_is_reported_when_done(void **state)
{
	struct media_recorder *w;
	struct media_rec *r;
	struct result res = {0};
	int16_t frame[MEDIA_FRAME] = {0};
	char file[160], path[200];
	FILE *f;

	(void)state;
	snprintf(file, sizeof(file), "%s/plain-file", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/under/call.wav", file);  /* not a dir */

	assert_int_equal(0, media_recorder_alloc(&w, 0));
	assert_int_equal(0, media_rec_open(&r, w, path, 2, on_done, &res));
	assert_int_equal(0, media_rec_write(r, frame, frame, MEDIA_FRAME));
	media_rec_close(r);
	media_recorder_free(w);
	assert_int_equal(1, res.calls);
	assert_int_equal(ENOTDIR, res.err);
	assert_int_equal(0, res.frames);
}

static void a_full_queue_drops_frames_instead_of_growing(void **state)
{
	struct media_recorder *w;
	struct media_rec *r;
	struct result res = {0};
	int16_t frame[MEDIA_FRAME] = {0}, *got;
	char path[160];

	(void)state;
	snprintf(path, sizeof(path), "%s/full.wav", dir);
	assert_int_equal(0, media_recorder_alloc(&w, 100));    /* < a frame */
	assert_int_equal(0, media_rec_open(&r, w, path, 2, on_done, &res));
	assert_int_equal(ENOBUFS, media_rec_write(r, frame, frame, MEDIA_FRAME));
	assert_int_equal(0, media_rec_write(r, frame, frame, 10));
	media_rec_close(r);
	media_recorder_free(w);
	assert_int_equal(0, res.err);
	assert_int_equal(10, res.frames);
	assert_int_equal(10, read_wav(path, &got));
	free(got);
}

static void freeing_the_recorder_finishes_open_recordings(void **state)
{
	struct media_recorder *w;
	struct media_rec *a, *b;
	struct result ra = {0}, rb = {0};
	int16_t frame[2 * MEDIA_FRAME] = {0}, *got;
	char pa[160], pb[160];

	(void)state;
	snprintf(pa, sizeof(pa), "%s/a.wav", dir);
	snprintf(pb, sizeof(pb), "%s/b.wav", dir);
	assert_int_equal(0, media_recorder_alloc(&w, 0));
	assert_int_equal(0, media_rec_open(&a, w, pa, 2, on_done, &ra));
	assert_int_equal(0, media_rec_open(&b, w, pb, 2, on_done, &rb));
	assert_int_equal(0, media_rec_write(a, frame, frame, MEDIA_FRAME));
	assert_int_equal(0, media_rec_write(b, frame, frame, 2 * MEDIA_FRAME));
	media_recorder_free(w);                         /* neither closed */
	assert_int_equal(1, ra.calls);
	assert_int_equal(1, rb.calls);
	assert_int_equal(MEDIA_FRAME, read_wav(pa, &got));
	free(got);
	assert_int_equal(2 * MEDIA_FRAME, read_wav(pb, &got));
	free(got);
}

/* Two media threads feed their own calls into one recorder at once. */
struct feeder {
	struct media_rec *r;
	int16_t value;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	int16_t frame[MEDIA_FRAME];

	for (size_t i = 0; i < MEDIA_FRAME; i++)
		frame[i] = f->value;
	for (int k = 0; k < 500; k++)                   /* ten seconds */
		if (media_rec_write(f->r, frame, frame, MEDIA_FRAME))
			return "write failed";
	return NULL;
}

static void recordings_fed_from_two_threads_stay_apart(void **state)
{
	struct media_recorder *w;
	struct feeder f[2] = {{.value = 111}, {.value = -222}};
	struct result res[2] = {{0}};
	pthread_t t[2];
	char path[2][160];

	(void)state;
	assert_int_equal(0, media_recorder_alloc(&w, 0));
	for (int i = 0; i < 2; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/thread-%d.wav", dir, i);
		assert_int_equal(0, media_rec_open(&f[i].r, w, path[i], 2, on_done,
						   &res[i]));
		assert_int_equal(0, pthread_create(&t[i], NULL, feed, &f[i]));
	}
	for (int i = 0; i < 2; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		assert_null(ret);
		media_rec_close(f[i].r);
	}
	media_recorder_free(w);
	for (int i = 0; i < 2; i++) {
		int16_t *got;
		size_t n = read_wav(path[i], &got);

		assert_int_equal(500 * MEDIA_FRAME, n);
		for (size_t k = 0; k < 2 * n; k++)
			if (got[k] != f[i].value)
				fail_msg("%s: sample %zu is %d", path[i], k, got[k]);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_file_carries_customer_left_and_agent_right),
		cmocka_unit_test(a_missing_side_is_silence),
		cmocka_unit_test(a_mono_recording_keeps_the_one_party),
		cmocka_unit_test(a_paused_recording_writes_silence_of_the_same_length),
		cmocka_unit_test(a_file_that_cannot_be_created_is_reported_when_done),
		cmocka_unit_test(a_full_queue_drops_frames_instead_of_growing),
		cmocka_unit_test(freeing_the_recorder_finishes_open_recordings),
		cmocka_unit_test(recordings_fed_from_two_threads_stay_apart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
