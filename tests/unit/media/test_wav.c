/* Prompt loading: whatever the file's rate and channels, what comes out is
 * 8 kHz mono with the same tones in it and nothing folded back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sndfile.h>
#include "media/media_int.h"

static char dir[] = "/tmp/hotline-wav-XXXXXX";
static char path[128];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/in.wav", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

/* Writes seconds of audio at rate: channel c carries amp[c] * sin(2π f t)
 * plus hi_amp of hi_hz (both channels). */
static void write_file(int rate, int channels, int format, double seconds,
		       double f, const double *amp, double hi_hz, double hi_amp)
{
	SF_INFO info = {.samplerate = rate, .channels = channels,
			.format = format};
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	size_t n = (size_t)(seconds * rate);
	float *buf = malloc(sizeof(float) * n * (size_t)channels);

	assert_non_null(sf);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / rate;

		for (int c = 0; c < channels; c++)
			buf[i * channels + c] = (float)(amp[c] * sin(2 * M_PI * f * t) +
					  hi_amp * sin(2 * M_PI * hi_hz * t));
	}
	assert_int_equal((sf_count_t)n, sf_writef_float(sf, buf, (sf_count_t)n));
	sf_close(sf);
	free(buf);
}

/* Amplitude of the f Hz component of pcm[from, to) (8 kHz). */
static double amplitude(const int16_t *pcm, size_t from, size_t to, double f)
{
	double re = 0, im = 0;

	for (size_t i = from; i < to; i++) {
		re += pcm[i] * cos(2 * M_PI * f * i / MEDIA_RATE);
		im += pcm[i] * sin(2 * M_PI * f * i / MEDIA_RATE);
	}
	return 2 * sqrt(re * re + im * im) / (double)(to - from);
}

static size_t zero_crossings(const int16_t *pcm, size_t from, size_t to)
{
	size_t z = 0;

	for (size_t i = from + 1; i < to; i++)
		z += (pcm[i - 1] < 0) != (pcm[i] < 0);
	return z;
}

static void a_16khz_stereo_file_becomes_8khz_mono_at_the_same_pitch(void **state)
{
	const double amp[2] = {0.4, 0.2};
	int16_t *pcm = NULL;
	size_t n = 0;

	(void)state;
	/* 1 kHz in both channels, and 6 kHz that must not fold to 2 kHz */
	write_file(16000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2.0, 1000, amp,
		   6000, 0.2);
	assert_int_equal(0, media_wav_load(path, &pcm, &n));
	assert_int_equal(16000, n);

	/* channels averaged: 0.3 of full scale, away from the edges */
	assert_true(fabs(amplitude(pcm, 800, 15200, 1000) - 0.3 * 32768) < 200);
	assert_true(amplitude(pcm, 800, 15200, 2000) < 30);
	assert_true(amplitude(pcm, 800, 15200, 6000 - 4000) < 30);
	/* 1000 Hz: 2000 zero crossings a second */
	assert_true(abs((int)zero_crossings(pcm, 800, 8800) - 2000) <= 2);
	free(pcm);
}

static void a_44100hz_mono_file_keeps_its_tone(void **state)
{
	const double amp[1] = {0.5};
	int16_t *pcm = NULL;
	size_t n = 0;

	(void)state;
	write_file(44100, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1.0, 440, amp,
		   0, 0);
	assert_int_equal(0, media_wav_load(path, &pcm, &n));
	assert_int_equal(8000, n);
	assert_true(fabs(amplitude(pcm, 400, 7600, 440) - 0.5 * 32768) < 300);
	assert_true(abs((int)zero_crossings(pcm, 400, 7600) - 792) <= 2);
	free(pcm);
}

static void an_8khz_mono_file_comes_back_sample_for_sample(void **state)
{
	SF_INFO info = {.samplerate = 8000, .channels = 1,
			.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	int16_t want[1000], *pcm = NULL;
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	size_t n = 0;

	(void)state;
	assert_non_null(sf);
	for (int i = 0; i < 1000; i++)
		want[i] = (int16_t)(i * 65 - 32768);
	sf_writef_short(sf, want, 1000);
	sf_close(sf);
	assert_int_equal(0, media_wav_load(path, &pcm, &n));
	assert_int_equal(1000, n);
	assert_memory_equal(want, pcm, sizeof(want));
	free(pcm);
}

static void unreadable_files_are_refused(void **state)
{
	int16_t *pcm = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ENOENT, media_wav_load("/nonexistent/x.wav", &pcm, &n));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a sound file, just some text in a .wav", f);
	fclose(f);
	assert_int_equal(EBADMSG, media_wav_load(path, &pcm, &n));
	assert_null(pcm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_16khz_stereo_file_becomes_8khz_mono_at_the_same_pitch),
		cmocka_unit_test(a_44100hz_mono_file_keeps_its_tone),
		cmocka_unit_test(an_8khz_mono_file_comes_back_sample_for_sample),
		cmocka_unit_test(unreadable_files_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
