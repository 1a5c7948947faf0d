/* Uploads become what calls hear: any rate, channels and sample format in,
 * 8 kHz mono out, as long as it was and at the pitch it had; what is not
 * audio, is empty or is longer than 10 minutes is refused with a reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sndfile.h>
#include "media/media.h"
#include "prompt/prompt.h"

static char dir[64];

/* A file libsndfile writes (rate, channels, format) of frames frames of a
 * sine at hz, read back into memory as an upload's body: *lenp bytes. */
static void *make_upload(int rate, int channels, int format, sf_count_t frames,
			 double hz, size_t *lenp)
{
	char path[128];
	SF_INFO info = {.samplerate = rate, .channels = channels,
			.format = format};
	SNDFILE *sf;
	float *buf = calloc((size_t)(frames ? frames : 1) * (size_t)channels,
			    sizeof(float));
	FILE *fp;
	void *body;
	long len;

	assert_non_null(buf);
	for (sf_count_t i = 0; i < frames; i++)
		for (int c = 0; c < channels; c++)
			buf[i * channels + c] = (float)(0.5 * sin(2 * M_PI * hz *
							   (double)i / rate));
	snprintf(path, sizeof(path), "%s/in.audio", dir);
	sf = sf_open(path, SFM_WRITE, &info);
	assert_non_null(sf);
	assert_int_equal(sf_writef_float(sf, buf, frames), frames);
	sf_close(sf);
	free(buf);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	body = malloc((size_t)len);
	assert_int_equal(fread(body, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	unlink(path);
	*lenp = (size_t)len;
	return body;
}

/* Sign changes, ignoring samples within a hair of zero. */
static unsigned zero_crossings(const int16_t *pcm, size_t n)
{
	unsigned c = 0;
	int last = 0;

	for (size_t i = 0; i < n; i++) {
		int sign = pcm[i] > 16 ? 1 : pcm[i] < -16 ? -1 : 0;

		if (sign && last && sign != last)
			c++;
		if (sign)
			last = sign;
	}
	return c;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/hl_prompt_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);   /* fails if a temporary file was left behind */
}

static void stereo_float_at_44k1_becomes_8k_mono_of_the_same_length_and_pitch(void **state)
{
	size_t len, n = 0;
	void *body = make_upload(44100, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT,
				 2 * 44100, 440, &len);
	int16_t *pcm = NULL;
	int rate = 0, channels = 0;
	const char *why = NULL;
	unsigned zc;

	(void)state;
	assert_int_equal(prompt_convert(body, len, dir, &pcm, &n, &rate,
					&channels, &why), 0);
	assert_int_equal(rate, 44100);
	assert_int_equal(channels, 2);
	assert_true(n >= 15990 && n <= 16000);        /* 2 s at 8 kHz */
	zc = zero_crossings(pcm, n);
	/* 440 Hz for 2 s crosses zero 1760 times. */
	assert_true(zc >= 1750 && zc <= 1770);
	free(pcm);
	free(body);
}

static void a_16k_mono_pcm_upload_keeps_its_tone_too(void **state)
{
	size_t len, n = 0;
	void *body = make_upload(16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16,
				 16000, 1000, &len);
	int16_t *pcm = NULL;
	int rate = 0, channels = 0;
	const char *why = NULL;
	unsigned zc;

	(void)state;
	assert_int_equal(prompt_convert(body, len, dir, &pcm, &n, &rate,
					&channels, &why), 0);
	assert_int_equal(rate, 16000);
	assert_int_equal(channels, 1);
	assert_int_equal(n, 8000);
	zc = zero_crossings(pcm, n);
	assert_true(zc >= 1990 && zc <= 2010);
	free(pcm);
	free(body);
}

static void garbage_is_refused_as_not_audio(void **state)
{
	static const char junk[] = "{\"this\": \"is json, not a wav file\"}";
	int16_t *pcm = NULL;
	size_t n = 0;
	int rate = 0, channels = 0;
	const char *why = NULL;

	(void)state;
	assert_int_equal(prompt_convert(junk, sizeof(junk), dir, &pcm, &n,
					&rate, &channels, &why), EBADMSG);
	assert_non_null(strstr(why, "not an audio file"));
	assert_null(pcm);
}

static void more_than_ten_minutes_is_refused(void **state)
{
	size_t len, n = 0;
	/* 601 s at 1 kHz: a long upload in a small file. */
	void *body = make_upload(1000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16,
				 601 * 1000, 100, &len);
	int16_t *pcm = NULL;
	int rate = 0, channels = 0;
	const char *why = NULL;

	(void)state;
	assert_int_equal(prompt_convert(body, len, dir, &pcm, &n, &rate,
					&channels, &why), EFBIG);
	assert_non_null(strstr(why, "10 minutes"));
	free(body);
}

static void empty_audio_and_an_empty_body_are_refused(void **state)
{
	size_t len, n = 0;
	void *body = make_upload(8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 0,
				 0, &len);
	int16_t *pcm = NULL;
	int rate = 0, channels = 0;
	const char *why = NULL;

	(void)state;
	assert_int_equal(prompt_convert(body, len, dir, &pcm, &n, &rate,
					&channels, &why), ENODATA);
	assert_non_null(strstr(why, "empty"));
	assert_int_equal(prompt_convert(body, 0, dir, &pcm, &n, &rate,
					&channels, &why), ENODATA);
	free(body);
}

static void names_are_one_file_name_never_a_path(void **state)
{
	(void)state;
	assert_true(prompt_name_ok("welcome"));
	assert_true(prompt_name_ok("sales-zh_2.v1"));
	assert_false(prompt_name_ok(""));
	assert_false(prompt_name_ok(".hidden"));
	assert_false(prompt_name_ok("../etc/passwd"));
	assert_false(prompt_name_ok("a/b"));
	assert_false(prompt_name_ok("欢迎"));
	assert_false(prompt_name_ok("x123456789012345678901234567890123456789"
				    "0123456789012345678901234"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(stereo_float_at_44k1_becomes_8k_mono_of_the_same_length_and_pitch),
		T(a_16k_mono_pcm_upload_keeps_its_tone_too),
		T(garbage_is_refused_as_not_audio),
		T(more_than_ten_minutes_is_refused),
		T(empty_audio_and_an_empty_body_are_refused),
		T(names_are_one_file_name_never_a_path),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
