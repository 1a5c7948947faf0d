/* The recording player's timeline: the spans of talk per side, overtalk,
 * marked silences and hold come out where the frames (or a synthetic
 * stereo WAV) put them; runs closer than 200 ms are joined, and a call
 * with more runs than AUDIO_SPANS_MAX is coarsened evenly, not cut; the
 * JSON text is what the API serves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <sndfile.h>
#include "audio/audio_int.h"

enum { TOL_MS = 60 };

static void frames(uint8_t *f, size_t a, size_t b, uint8_t bit)
{
	for (size_t i = a; i < b; i++)
		f[i] |= bit;
}

static void span_is(const struct audio_timeline *t, int kind, size_t i,
		    uint64_t from, uint64_t to, uint64_t tol)
{
	const struct audio_span *s;

	if (i >= t->n[kind])
		fail_msg("%s: want span %zu of %zu", audio_span_name(kind), i,
			 t->n[kind]);
	s = &t->spans[kind][i];
	if (s->from_ms + tol < from || s->from_ms > from + tol ||
	    s->to_ms + tol < to || s->to_ms > to + tol)
		fail_msg("%s[%zu]: want %llu-%llu within %llu, got %llu-%llu",
			 audio_span_name(kind), i, (unsigned long long)from,
			 (unsigned long long)to, (unsigned long long)tol,
			 (unsigned long long)s->from_ms,
			 (unsigned long long)s->to_ms);
}

static uint64_t sum(const struct audio_timeline *t, int kind)
{
	uint64_t ms = 0;

	for (size_t i = 0; i < t->n[kind]; i++)
		ms += t->spans[kind][i].to_ms - t->spans[kind][i].from_ms;
	return ms;
}

/* 60 s of frames: customer 1-4 s and 9-12.5, agent 3.5-8 and 30-31,
 * the agent's line dead 15-21 s; every span exact (the detector's 100 ms
 * hangover is trimmed, as measure.c does). */
static void frames_give_exact_spans(void **state)
{
	enum { N = 6000 };
	static uint8_t f[N];
	static float db[N];
	struct audio_frames fr = {f, db, N, AUDIO_LANG_ZH};
	struct audio_timeline t;
	struct audio_measures m;
	(void)state;

	memset(f, 0, sizeof(f));
	frames(f, 100, 410, AUDIO_F_CUSTOMER);
	frames(f, 900, 1260, AUDIO_F_CUSTOMER);
	frames(f, 350, 810, AUDIO_F_AGENT);
	frames(f, 3000, 3110, AUDIO_F_AGENT);
	frames(f, 1500, 2100, AUDIO_F_NO_AGENT);
	assert_int_equal(0, audio_timeline_frames(&fr, &t));
	assert_int_equal(60000, t.duration_ms);
	assert_int_equal(AUDIO_SPAN_MERGE_MS, t.merge_ms);
	assert_int_equal(2, t.n[AUDIO_SPAN_CUSTOMER]);
	span_is(&t, AUDIO_SPAN_CUSTOMER, 0, 1000, 4000, 0);
	span_is(&t, AUDIO_SPAN_CUSTOMER, 1, 9000, 12500, 0);
	assert_int_equal(2, t.n[AUDIO_SPAN_AGENT]);
	span_is(&t, AUDIO_SPAN_AGENT, 0, 3500, 8000, 0);
	span_is(&t, AUDIO_SPAN_AGENT, 1, 30000, 31000, 0);
	assert_int_equal(1, t.n[AUDIO_SPAN_OVERTALK]);
	span_is(&t, AUDIO_SPAN_OVERTALK, 0, 3500, 4000, 0);
	assert_int_equal(1, t.n[AUDIO_SPAN_HOLD]);
	span_is(&t, AUDIO_SPAN_HOLD, 0, 15000, 21000, 0);
	/* Silences: 0-1 s, 8-9 and 12.5-15 are too short to mark; 21-30 and
	 * 31-60 are marked. */
	assert_int_equal(2, t.n[AUDIO_SPAN_SILENCE]);
	span_is(&t, AUDIO_SPAN_SILENCE, 0, 21000, 30000, 0);
	span_is(&t, AUDIO_SPAN_SILENCE, 1, 31000, 60000, 0);
	/* The lanes are the measures' own. */
	assert_int_equal(0, audio_measure_frames(&fr, &m));
	assert_int_equal(m.customer_talk_ms, sum(&t, AUDIO_SPAN_CUSTOMER));
	assert_int_equal(m.agent_talk_ms, sum(&t, AUDIO_SPAN_AGENT));
	assert_int_equal(m.overtalk_ms, sum(&t, AUDIO_SPAN_OVERTALK));
	assert_int_equal(m.hold_ms, sum(&t, AUDIO_SPAN_HOLD));
	assert_int_equal(m.longest_silence_ms,
			 t.spans[AUDIO_SPAN_SILENCE][1].to_ms -
			 t.spans[AUDIO_SPAN_SILENCE][1].from_ms);
	audio_timeline_free(&t);
	assert_null(t.spans[0]);
}

/* Runs less than 200 ms apart are joined: two holds with 100 ms of
 * line noise between are one; 200 ms apart they are two. (Talk lanes
 * come bridged already, measure.c.) */
static void close_runs_are_joined(void **state)
{
	enum { N = 1000 };
	static uint8_t f[N];
	static float db[N];
	struct audio_frames fr = {f, db, N, AUDIO_LANG_ZH};
	struct audio_timeline t;
	(void)state;

	memset(f, 0, sizeof(f));
	frames(f, 100, 250, AUDIO_F_NO_AGENT);       /* 1.0-2.5 s */
	frames(f, 260, 400, AUDIO_F_NO_AGENT);       /* 2.6-4.0: joined */
	frames(f, 420, 550, AUDIO_F_NO_AGENT);       /* 4.2-5.5: 200 apart */
	assert_int_equal(0, audio_timeline_frames(&fr, &t));
	assert_int_equal(2, t.n[AUDIO_SPAN_HOLD]);
	span_is(&t, AUDIO_SPAN_HOLD, 0, 1000, 4000, 0);
	span_is(&t, AUDIO_SPAN_HOLD, 1, 4200, 5500, 0);
	audio_timeline_free(&t);
}

/* 1,500 spurts, 300 ms and 2 s apart by turns: too many, so merge_ms
 * doubles to 400 and each pair becomes one span (750); the first and
 * last still begin and end where the talk does. */
static void too_many_runs_are_coarsened(void **state)
{
	enum { SPURTS = 1500, ON = 40, N = SPURTS / 2 * (2 * ON + 30 + 200) };
	uint8_t *f = calloc(N, 1);
	float *db = calloc(N, sizeof(*db));
	struct audio_frames fr = {f, db, N, AUDIO_LANG_ZH};
	struct audio_timeline t;
	size_t at = 0;
	char *text;
	(void)state;

	assert_non_null(f);
	assert_non_null(db);
	for (int i = 0; i < SPURTS; i++) {
		/* ON frames of voice plus the detector's hangover */
		frames(f, at, at + ON + 10, AUDIO_F_CUSTOMER);
		at += ON + (i % 2 ? 200 : 30);
	}
	assert_int_equal(0, audio_timeline_frames(&fr, &t));
	assert_int_equal(400, t.merge_ms);
	assert_int_equal(SPURTS / 2, t.n[AUDIO_SPAN_CUSTOMER]);
	span_is(&t, AUDIO_SPAN_CUSTOMER, 0, 0, (2 * ON + 30) * 10, 0);
	span_is(&t, AUDIO_SPAN_CUSTOMER, SPURTS / 2 - 1,
		(N - (2 * ON + 30 + 200)) * 10, (N - 200) * 10, 0);
	for (int k = 0; k < AUDIO_SPAN_KINDS; k++)
		assert_true(t.n[k] <= AUDIO_SPANS_MAX);
	assert_int_equal(0, audio_timeline_encode(&t, &text));
	print_message("%zu spans of %d spurts: %zu bytes of JSON\n",
		      t.n[AUDIO_SPAN_CUSTOMER], SPURTS, strlen(text));
	free(text);
	audio_timeline_free(&t);

	/* Every frame toggling: the worst case, still bounded. */
	memset(f, 0, N);
	for (size_t i = 0; i + 60 < N; i += 60)
		frames(f, i, i + 30, AUDIO_F_AGENT | AUDIO_F_CUSTOMER);
	assert_int_equal(0, audio_timeline_frames(&fr, &t));
	for (int k = 0; k < AUDIO_SPAN_KINDS; k++)
		assert_true(t.n[k] <= AUDIO_SPANS_MAX);
	assert_int_equal(0, audio_timeline_encode(&t, &text));
	assert_true(strlen(text) < 100000);
	free(text);
	audio_timeline_free(&t);
	free(f);
	free(db);
}

/* The JSON text: every kind, pairs in order, parseable. */
static void encoded_as_json(void **state)
{
	struct audio_span c[] = {{1000, 4000}, {9000, 12500}};
	struct audio_span h[] = {{15000, 21000}};
	struct audio_timeline t = {.duration_ms = 60000, .merge_ms = 200};
	json_t *o, *a;
	char *text;
	(void)state;

	t.spans[AUDIO_SPAN_CUSTOMER] = c;
	t.n[AUDIO_SPAN_CUSTOMER] = 2;
	t.spans[AUDIO_SPAN_HOLD] = h;
	t.n[AUDIO_SPAN_HOLD] = 1;
	assert_int_equal(0, audio_timeline_encode(&t, &text));
	o = json_loads(text, 0, NULL);
	assert_non_null(o);
	assert_int_equal(60000, json_integer_value(json_object_get(o,
							"duration_ms")));
	assert_int_equal(200, json_integer_value(json_object_get(o,
							"merge_ms")));
	assert_int_equal(AUDIO_SILENCE_MARK_MS, json_integer_value(
				 json_object_get(o, "silence_min_ms")));
	for (int k = 0; k < AUDIO_SPAN_KINDS; k++)
		assert_true(json_is_array(json_object_get(o,
						audio_span_name(k))));
	a = json_object_get(o, "customer");
	assert_int_equal(2, json_array_size(a));
	assert_int_equal(9000, json_integer_value(json_array_get(
				 json_array_get(a, 1), 0)));
	assert_int_equal(12500, json_integer_value(json_array_get(
				 json_array_get(a, 1), 1)));
	assert_int_equal(0, json_array_size(json_object_get(o, "agent")));
	assert_int_equal(21000, json_integer_value(json_array_get(
		json_array_get(json_object_get(o, "hold"), 0), 1)));
	assert_null(audio_span_name(AUDIO_SPAN_KINDS));
	json_decref(o);
	free(text);
}

/* ---- a synthetic stereo WAV, through the detector ---- */

static uint64_t rng = 88172645463325252ull;

static double rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 4503599627370496.0 - 1.0;
}

/* 40 s at 8 kHz: talk is a tone swelling and fading five times a second
 * (as tests/sip/rtp_party.py --talk speaks): customer 1-4 s, 9-12.5,
 * 27-30; agent 3.5-8, 12-16, 30.5-33; the agent's line dead 20-25. */
static const struct {
	int ch;
	double a, b;
} script[] = {
	{0, 1.0, 4.0}, {0, 9.0, 12.5}, {0, 27.0, 30.0},
	{1, 3.5, 8.0}, {1, 12.0, 16.0}, {1, 30.5, 33.0},
};

static void write_scripted(const char *path)
{
	enum { RATE = 8000, SECONDS = 40, N = RATE * SECONDS };
	SF_INFO info = {.samplerate = RATE, .channels = 2,
			.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	int16_t *pcm = calloc(2 * N, sizeof(*pcm));
	SNDFILE *sf;

	assert_non_null(pcm);
	for (size_t i = 0; i < N; i++) {
		double s = (double)i / RATE, v[2] = {30 * rnd(), 30 * rnd()};

		for (size_t k = 0; k < sizeof(script) / sizeof(script[0]); k++)
			if (s >= script[k].a && s < script[k].b)
				v[script[k].ch] += 8000 * (0.15 + 0.85 *
					fabs(sin(M_PI * 5 * s))) *
					sin(2 * M_PI * (script[k].ch ? 700 :
							400) * s);
		if (s >= 20 && s < 25)
			v[1] = 0;
		pcm[2 * i] = (int16_t)lrint(v[0]);
		pcm[2 * i + 1] = (int16_t)lrint(v[1]);
	}
	sf = sf_open(path, SFM_WRITE, &info);
	assert_non_null(sf);
	assert_int_equal(N, sf_writef_short(sf, pcm, N));
	assert_int_equal(0, sf_close(sf));
	free(pcm);
}

static void synthetic_recording(void **state)
{
	char path[] = "/tmp/hotline-timeline-XXXXXX.wav", why[128];
	const char *paths[] = {path};
	struct audio_measures m;
	struct audio_timeline t;
	int fd = mkstemps(path, 4);
	(void)state;

	assert_true(fd >= 0);
	write_scripted(path);
	assert_int_equal(0, audio_measure_files(paths, 1, AUDIO_LANG_ZH, &m,
						&t, why, sizeof(why)));
	unlink(path);
	for (int k = 0; k < AUDIO_SPAN_KINDS; k++)
		for (size_t i = 0; i < t.n[k]; i++)
			print_message("%s %llu-%llu\n", audio_span_name(k),
				      (unsigned long long)t.spans[k][i].from_ms,
				      (unsigned long long)t.spans[k][i].to_ms);
	assert_int_equal(40000, t.duration_ms);
	assert_int_equal(3, t.n[AUDIO_SPAN_CUSTOMER]);
	span_is(&t, AUDIO_SPAN_CUSTOMER, 0, 1000, 4000, TOL_MS);
	span_is(&t, AUDIO_SPAN_CUSTOMER, 1, 9000, 12500, TOL_MS);
	span_is(&t, AUDIO_SPAN_CUSTOMER, 2, 27000, 30000, TOL_MS);
	assert_int_equal(3, t.n[AUDIO_SPAN_AGENT]);
	span_is(&t, AUDIO_SPAN_AGENT, 0, 3500, 8000, TOL_MS);
	span_is(&t, AUDIO_SPAN_AGENT, 1, 12000, 16000, TOL_MS);
	span_is(&t, AUDIO_SPAN_AGENT, 2, 30500, 33000, TOL_MS);
	assert_int_equal(2, t.n[AUDIO_SPAN_OVERTALK]);
	span_is(&t, AUDIO_SPAN_OVERTALK, 0, 3500, 4000, TOL_MS);
	span_is(&t, AUDIO_SPAN_OVERTALK, 1, 12000, 12500, TOL_MS);
	assert_int_equal(1, t.n[AUDIO_SPAN_HOLD]);
	span_is(&t, AUDIO_SPAN_HOLD, 0, 20000, 25000, TOL_MS);
	/* 33-40 s; 16-20 (4 s) and 25-27 are too short to mark */
	assert_int_equal(1, t.n[AUDIO_SPAN_SILENCE]);
	span_is(&t, AUDIO_SPAN_SILENCE, 0, 33000, 40000, TOL_MS);
	assert_int_equal(m.customer_talk_ms, sum(&t, AUDIO_SPAN_CUSTOMER));
	assert_int_equal(m.agent_talk_ms, sum(&t, AUDIO_SPAN_AGENT));
	assert_int_equal(m.overtalk_ms, sum(&t, AUDIO_SPAN_OVERTALK));
	audio_timeline_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_give_exact_spans),
		cmocka_unit_test(close_runs_are_joined),
		cmocka_unit_test(too_many_runs_are_coarsened),
		cmocka_unit_test(encoded_as_json),
		cmocka_unit_test(synthetic_recording),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
