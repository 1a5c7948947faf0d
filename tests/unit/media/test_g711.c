/* G.711: code words from the standard's tables, the one's-complement
 * symmetry of the G.191 reference, round trips and monotonicity over every
 * 16-bit sample, the µ-law <-> A-law tables, and the vectorised buffer
 * functions agreeing with all of it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <spandsp.h>
#include "media/media_int.h"

static void ulaw_code_words_decode_to_the_standard_levels(void **state)
{
	(void)state;
	assert_int_equal(0, media_ulaw_decode(0xFF));
	assert_int_equal(0, media_ulaw_decode(0x7F));       /* negative zero */
	assert_int_equal(8, media_ulaw_decode(0xFE));
	assert_int_equal(-8, media_ulaw_decode(0x7E));
	assert_int_equal(132, media_ulaw_decode(0xEF));     /* segment 1 starts */
	assert_int_equal(32124, media_ulaw_decode(0x80));
	assert_int_equal(-32124, media_ulaw_decode(0x00));
	assert_int_equal(7932, media_ulaw_decode(0xA0));
}

static void alaw_code_words_decode_to_the_standard_levels(void **state)
{
	(void)state;
	assert_int_equal(8, media_alaw_decode(0xD5));
	assert_int_equal(-8, media_alaw_decode(0x55));
	assert_int_equal(24, media_alaw_decode(0xD4));
	assert_int_equal(5504, media_alaw_decode(0x80));
	assert_int_equal(-5504, media_alaw_decode(0x00));
	assert_int_equal(-22016, media_alaw_decode(0x20));
	assert_int_equal(32256, media_alaw_decode(0xAA));
	assert_int_equal(-32256, media_alaw_decode(0x2A));
}

static void silence_and_full_scale_encode_to_the_end_code_words(void **state)
{
	(void)state;
	assert_int_equal(0xFF, media_ulaw_encode(0));
	assert_int_equal(0x7F, media_ulaw_encode(-1));
	assert_int_equal(0x80, media_ulaw_encode(32767));
	assert_int_equal(0x00, media_ulaw_encode(-32768));
	assert_int_equal(0xD5, media_alaw_encode(0));
	assert_int_equal(0x55, media_alaw_encode(-1));
	assert_int_equal(0xAA, media_alaw_encode(32767));
	assert_int_equal(0x2A, media_alaw_encode(-32768));
}

/* G.191 takes negative samples as one's complement: ~x mirrors x exactly. */
static void negative_samples_mirror_their_ones_complement(void **state)
{
	(void)state;
	for (int x = 0; x <= 32767; x++) {
		int16_t n = (int16_t)~x;

		assert_int_equal(media_ulaw_encode((int16_t)x) ^ 0x80,
				 media_ulaw_encode(n));
		assert_int_equal(media_alaw_encode((int16_t)x) ^ 0x80,
				 media_alaw_encode(n));
	}
}

/* spandsp is an independent implementation: it agrees on every decode and
 * on every non-negative sample (it rounds negatives as two's complement). */
static void agrees_with_spandsp_where_both_follow_the_standard(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		assert_int_equal(ulaw_to_linear((uint8_t)c),
				 media_ulaw_decode((uint8_t)c));
		assert_int_equal(alaw_to_linear((uint8_t)c),
				 media_alaw_decode((uint8_t)c));
	}
	for (int x = 0; x <= 32767; x++) {
		assert_int_equal(linear_to_ulaw(x), media_ulaw_encode((int16_t)x));
		assert_int_equal(linear_to_alaw(x), media_alaw_encode((int16_t)x));
	}
}

static void every_code_word_survives_decode_then_encode(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		uint8_t u = (uint8_t)c;

		/* µ-law's negative zero is the one code that comes back +0. */
		assert_int_equal(c == 0x7F ? 0xFF : c,
				 media_ulaw_encode(media_ulaw_decode(u)));
		assert_int_equal(c, media_alaw_encode(media_alaw_decode(u)));
	}
}

/* Over the whole 16-bit range the decoded level never goes down as the
 * sample goes up, and stays within the segment's quantisation error. */
static void quantisation_is_monotonic_and_close(void **state)
{
	int prev_u = -40000, prev_a = -40000;

	(void)state;
	for (int x = -32768; x <= 32767; x++) {
		int u = media_ulaw_decode(media_ulaw_encode((int16_t)x));
		int a = media_alaw_decode(media_alaw_encode((int16_t)x));
		int tol = abs(x) / 16 > 16 ? abs(x) / 16 : 16;

		assert_true(u >= prev_u);
		assert_true(a >= prev_a);
		if (abs(x) < 32000) {   /* above that, both laws clip */
			assert_true(abs(u - x) <= tol);
			assert_true(abs(a - x) <= tol);
		}
		prev_u = u;
		prev_a = a;
	}
}

static void transcoding_keeps_sign_and_level(void **state)
{
	(void)state;
	assert_int_equal(0xD5, media_ulaw_to_alaw(0xFF));
	assert_int_equal(0xFE, media_alaw_to_ulaw(0xD5));
	assert_int_equal(0xAA, media_ulaw_to_alaw(0x80));
	assert_int_equal(0x80, media_alaw_to_ulaw(0xAA));
	for (int c = 0; c < 256; c++) {
		int lu = media_ulaw_decode((uint8_t)c);
		int la = media_alaw_decode(media_ulaw_to_alaw((uint8_t)c));
		int lb = media_alaw_decode((uint8_t)c);
		int lc = media_ulaw_decode(media_alaw_to_ulaw((uint8_t)c));

		assert_int_equal(c & 0x80, media_ulaw_to_alaw((uint8_t)c) & 0x80);
		assert_int_equal(c & 0x80, media_alaw_to_ulaw((uint8_t)c) & 0x80);
		/* Within one step of the coarser law at that level. */
		assert_true(abs(la - lu) <= 16 + abs(lu) / 16);
		assert_true(abs(lc - lb) <= 16 + abs(lb) / 16);
	}
}

/* The buffer functions compute where the single-sample ones look up: they
 * must agree on every input, in whole blocks and in the tail after them
 * (65,536 samples, then 65,536 - 5). */
static void buffers_match_the_single_sample_functions(void **state)
{
	static int16_t pcm[65536], back[65536];
	static uint8_t u[65536], a[65536], t[65536];

	(void)state;
	for (size_t n = 65536; n >= 65531; n -= 5) {
		for (int i = 0; i < 65536; i++)
			pcm[i] = (int16_t)(i - 32768 + (int)(65536 - n));
		media_ulaw_encode_buf(u, pcm, n);
		media_alaw_encode_buf(a, pcm, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(media_ulaw_encode(pcm[i]), u[i]);
			assert_int_equal(media_alaw_encode(pcm[i]), a[i]);
		}
	}
	for (int i = 0; i < 256 + 7; i++)
		t[i] = (uint8_t)i;
	media_ulaw_decode_buf(back, t, 256 + 7);
	for (int i = 0; i < 256 + 7; i++)
		assert_int_equal(media_ulaw_decode(t[i]), back[i]);
	media_alaw_decode_buf(back, t, 256 + 7);
	for (int i = 0; i < 256 + 7; i++)
		assert_int_equal(media_alaw_decode(t[i]), back[i]);

	media_ulaw_to_alaw_buf(t, u, 512);
	for (int i = 0; i < 512; i++)
		assert_int_equal(media_ulaw_to_alaw(u[i]), t[i]);
	media_alaw_to_ulaw_buf(t, t, 512);             /* in place */
	for (int i = 0; i < 512; i++)
		assert_int_equal(media_alaw_to_ulaw(media_ulaw_to_alaw(u[i])), t[i]);
}

static int16_t clip(int64_t v)
{
	return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}

/* A mix hands the encoder its sums unclipped: each must encode as the
 * sample it clips to, near the 16-bit range, far past it, and at the ends
 * of int32. */
static void a_sum_encodes_as_its_clipped_sample(void **state)
{
	static int32_t sum[65536 * 5 + 4];
	static uint8_t u[65536 * 5 + 4], a[65536 * 5 + 4];
	size_t n = 0;

	(void)state;
	for (int64_t v = -163840; v < 163840; v++)
		sum[n++] = (int32_t)v;
	sum[n++] = INT32_MIN;
	sum[n++] = INT32_MAX;
	sum[n++] = INT32_MIN + 1;
	sum[n++] = 8 * 32767;
	media_ulaw_encode_sum(u, sum, n);
	media_alaw_encode_sum(a, sum, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(media_ulaw_encode(clip(sum[i])), u[i]);
		assert_int_equal(media_alaw_encode(clip(sum[i])), a[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ulaw_code_words_decode_to_the_standard_levels),
		cmocka_unit_test(alaw_code_words_decode_to_the_standard_levels),
		cmocka_unit_test(silence_and_full_scale_encode_to_the_end_code_words),
		cmocka_unit_test(negative_samples_mirror_their_ones_complement),
		cmocka_unit_test(agrees_with_spandsp_where_both_follow_the_standard),
		cmocka_unit_test(every_code_word_survives_decode_then_encode),
		cmocka_unit_test(quantisation_is_monotonic_and_close),
		cmocka_unit_test(transcoding_keeps_sign_and_level),
		cmocka_unit_test(buffers_match_the_single_sample_functions),
		cmocka_unit_test(a_sum_encodes_as_its_clipped_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
