/* In-band DTMF: tones made by the generator are heard by the detector, also
 * after a trip through G.711 and in 20 ms pieces; silence, noise and a
 * speech-like signal give no digit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/util.h"
#include "media/media_int.h"

enum { SECONDS = 8, LEN = SECONDS * MEDIA_RATE };

struct heard {
	char digits[64];
	size_t n;
};

static void on_digit(char d, void *arg)
{
	struct heard *h = arg;

	if (h->n < sizeof(h->digits) - 1)
		h->digits[h->n++] = d;
}

/* Runs pcm through a detector in 20 ms frames, then 200 ms of silence so a
 * tone at the very end is not cut short; returns what it heard. */
static void detect(const int16_t *pcm, size_t n, struct heard *h)
{
	static const int16_t quiet[1600];
	struct media_inband *ib;

	memset(h, 0, sizeof(*h));
	assert_int_equal(0, media_inband_alloc(&ib, on_digit, h));
	for (size_t i = 0; i < n; i += MEDIA_FRAME)
		media_inband_feed(ib, pcm + i,
				  n - i < MEDIA_FRAME ? n - i : MEDIA_FRAME);
	media_inband_feed(ib, quiet, ARRAY_LEN(quiet));
	media_inband_free(ib);
}

/* Generates digits into pcm (zero-filled past the tones); returns length. */
static size_t tones(const char *digits, int level, int16_t *pcm, size_t max)
{
	struct media_tones *t;
	size_t n;

	assert_int_equal(0, media_tones_alloc(&t, digits, 60, 60, level));
	memset(pcm, 0, max * sizeof(*pcm));
	n = media_tones_read(t, pcm, max);
	assert_int_equal(0, media_tones_read(t, pcm + n, max - n));
	media_tones_free(t);
	return n;
}

static uint32_t rng = 12345;

static int32_t noise(int32_t amp)    /* uniform in [-amp, amp] */
{
	rng = rng * 1664525u + 1013904223u;
	return (int32_t)((rng >> 8) % (2u * (uint32_t)amp + 1)) - amp;
}

static void every_key_is_heard_once_in_order(void **state)
{
	static int16_t pcm[LEN];
	const char *keys = "0123456789*#ABCD";
	struct heard h;
	size_t n;

	(void)state;
	n = tones(keys, -10, pcm, LEN);
	assert_int_equal(16 * 120 * 8, n);             /* 60 ms on, 60 off */
	detect(pcm, n, &h);
	assert_string_equal(keys, h.digits);
}

static void tones_survive_g711_both_laws(void **state)
{
	static int16_t pcm[LEN], back[LEN];
	static uint8_t coded[LEN];
	struct heard h;
	size_t n;

	(void)state;
	n = tones("147*2580369#", -20, pcm, LEN);
	media_ulaw_encode_buf(coded, pcm, n);
	media_ulaw_decode_buf(back, coded, n);
	detect(back, n, &h);
	assert_string_equal("147*2580369#", h.digits);

	media_alaw_encode_buf(coded, pcm, n);
	media_alaw_decode_buf(back, coded, n);
	detect(back, n, &h);
	assert_string_equal("147*2580369#", h.digits);
}

static void tones_in_moderate_noise_are_heard(void **state)
{
	static int16_t pcm[LEN];
	struct heard h;
	size_t n;

	(void)state;
	n = tones("90210", -10, pcm, LEN);
	for (size_t i = 0; i < n; i++)
		pcm[i] = (int16_t)(pcm[i] + noise(300));
	detect(pcm, n, &h);
	assert_string_equal("90210", h.digits);
}

static void silence_gives_no_digit(void **state)
{
	static int16_t pcm[LEN];
	struct heard h;

	(void)state;
	memset(pcm, 0, sizeof(pcm));
	detect(pcm, LEN, &h);
	assert_int_equal(0, h.n);
}

static void white_noise_gives_no_digit(void **state)
{
	static int16_t pcm[LEN];
	struct heard h;

	(void)state;
	for (size_t i = 0; i < LEN; i++)
		pcm[i] = (int16_t)noise(8000);
	detect(pcm, LEN, &h);
	assert_int_equal(0, h.n);
}

/* A crude talker: a glottal pulse train whose pitch wanders between 90 and
 * 220 Hz through three formant resonators that move from vowel to vowel
 * every 150 ms, each syllable faded in and out, with short pauses. */
static void speech_like(int16_t *pcm, size_t n)
{
	static const double vowels[][3] = {
		{730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240},
		{530, 1840, 2480}, {570, 840, 2410},
	};
	static double sig[LEN];
	double y1[3] = {0}, y2[3] = {0}, phase = 0, peak = 0;
	const size_t syl = 150 * 8;

	for (size_t i = 0; i < n; i++) {
		const double *f = vowels[(i / syl * 7 + i / (3 * syl)) % 5];
		double pos = (double)(i % syl) / syl;
		double f0 = 155 + 65 * sin(2 * M_PI * i / 9000.0) +
			    10 * sin(2 * M_PI * i / 1300.0);
		double x = 0;

		phase += f0 / MEDIA_RATE;
		if (phase >= 1) {
			phase -= 1;
			x = 1000;
		}
		x += noise(20);                          /* breath */
		for (int k = 0; k < 3; k++) {
			double r = exp(-M_PI * 90 / MEDIA_RATE);
			double c = 2 * r * cos(2 * M_PI * f[k] / MEDIA_RATE);
			double y = x + c * y1[k] - r * r * y2[k];

			y2[k] = y1[k];
			y1[k] = y;
			x = y;
		}
		/* every fourth syllable is a pause */
		sig[i] = (i / syl) % 4 == 3 ? 0 : x * sin(M_PI * pos);
		if (fabs(sig[i]) > peak)
			peak = fabs(sig[i]);
	}
	for (size_t i = 0; i < n; i++)
		pcm[i] = (int16_t)lrint(sig[i] / peak * 20000);
}

static void a_speech_like_signal_gives_no_digit(void **state)
{
	static int16_t pcm[LEN];
	struct heard h;
	double sum = 0;

	(void)state;
	speech_like(pcm, LEN);
	for (size_t i = 0; i < LEN; i++)
		sum += (double)pcm[i] * pcm[i];
	assert_true(sqrt(sum / LEN) > 1500);       /* loud, not a flat line */
	detect(pcm, LEN, &h);
	assert_int_equal(0, h.n);
}

static void the_generator_refuses_what_it_cannot_play(void **state)
{
	struct media_tones *t = NULL;
	char many[130];

	(void)state;
	memset(many, '1', sizeof(many) - 1);
	many[sizeof(many) - 1] = 0;
	assert_int_equal(EINVAL, media_tones_alloc(&t, "12x", 50, 50, -10));
	assert_int_equal(EINVAL, media_tones_alloc(&t, "", 50, 50, -10));
	assert_int_equal(EINVAL, media_tones_alloc(&t, "1", 0, 50, -10));
	assert_int_equal(EINVAL, media_tones_alloc(&t, "1", 50, 50, 3));
	assert_int_equal(EINVAL, media_tones_alloc(&t, many, 50, 50, -10));
	assert_null(t);
	assert_int_equal(EINVAL, media_inband_alloc(NULL, NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_is_heard_once_in_order),
		cmocka_unit_test(tones_survive_g711_both_laws),
		cmocka_unit_test(tones_in_moderate_noise_are_heard),
		cmocka_unit_test(silence_gives_no_digit),
		cmocka_unit_test(white_noise_gives_no_digit),
		cmocka_unit_test(a_speech_like_signal_gives_no_digit),
		cmocka_unit_test(the_generator_refuses_what_it_cannot_play),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
