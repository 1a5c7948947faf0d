/* audio/timeline: the runs behind the measures, for the recording
 * player's lanes. Pure.
 *
 * The lanes are audio_lanes' (measure.c), so a talk span here is exactly
 * the talk the measures count: overtalk is where both lanes talk, hold
 * where the agent's line was dead, silence where neither talks outside
 * hold, marked only from AUDIO_SILENCE_MARK_MS (the player shows dead
 * air a listener notices; the 10 s count is the measures'). Runs closer
 * than merge_ms are then joined, merge_ms doubling until every kind fits
 * AUDIO_SPANS_MAX (audio.h): the size is bounded by the count, not by the
 * call's length, and a long call loses detail evenly instead of its end.
 *
 * Stored as compact JSON text (store.c): absolute [from_ms, to_ms]
 * pairs, at most AUDIO_SPAN_KINDS * AUDIO_SPANS_MAX of them, each at
 * most 20 bytes for calls under 27 hours: 100 kB in the worst case, a
 * few hundred bytes for a five-minute call. The API passes the text
 * through, so the player reads what was stored. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audio/audio_int.h"

static const char *const names[AUDIO_SPAN_KINDS] = {
	[AUDIO_SPAN_CUSTOMER] = "customer", [AUDIO_SPAN_AGENT] = "agent",
	[AUDIO_SPAN_OVERTALK] = "overtalk", [AUDIO_SPAN_SILENCE] = "silence",
	[AUDIO_SPAN_HOLD] = "hold",
};

const char *audio_span_name(enum audio_span_kind kind)
{
	return kind < AUDIO_SPAN_KINDS ? names[kind] : NULL;
}

void audio_timeline_free(struct audio_timeline *t)
{
	if (!t)
		return;
	for (int k = 0; k < AUDIO_SPAN_KINDS; k++)
		free(t->spans[k]);
	*t = (struct audio_timeline){0};
}

/* Whether frame i of kind k is on, from the three lanes. */
static bool on(const uint8_t *lanes, size_t n, size_t i, int k)
{
	bool c = lanes[i], a = lanes[n + i], h = lanes[2 * n + i];

	switch (k) {
	case AUDIO_SPAN_CUSTOMER: return c;
	case AUDIO_SPAN_AGENT:    return a;
	case AUDIO_SPAN_OVERTALK: return c && a;
	case AUDIO_SPAN_SILENCE:  return !c && !a && !h;
	default:                  return h;
	}
}

/* The runs of kind k into t (at most n / 2 + 1 of them). */
static int runs(const uint8_t *lanes, size_t n, int k,
		struct audio_timeline *t)
{
	const uint64_t min = k == AUDIO_SPAN_SILENCE ?
		AUDIO_SILENCE_MARK_MS / AUDIO_FRAME_MS : 1;
	struct audio_span *s = malloc((n / 2 + 1) * sizeof(*s));
	size_t i = 0, m = 0;

	if (!s)
		return ENOMEM;
	while (i < n) {
		size_t a;

		if (!on(lanes, n, i, k)) {
			i++;
			continue;
		}
		for (a = i; i < n && on(lanes, n, i, k); i++)
			;
		if (i - a >= min)
			s[m++] = (struct audio_span){a * AUDIO_FRAME_MS,
						     i * AUDIO_FRAME_MS};
	}
	t->spans[k] = s;
	t->n[k] = m;
	return 0;
}

/* Joins t's runs of kind k less than gap ms apart, in place. */
static void merge(struct audio_timeline *t, int k, uint64_t gap)
{
	struct audio_span *s = t->spans[k];
	size_t m = 0;

	for (size_t i = 0; i < t->n[k]; i++) {
		if (m && s[i].from_ms - s[m - 1].to_ms < gap)
			s[m - 1].to_ms = s[i].to_ms;
		else
			s[m++] = s[i];
	}
	t->n[k] = m;
}

int audio_timeline_frames(const struct audio_frames *f,
			  struct audio_timeline *out)
{
	struct audio_timeline t = {.duration_ms = f->n * AUDIO_FRAME_MS,
				   .merge_ms = AUDIO_SPAN_MERGE_MS};
	uint8_t *lanes;
	bool over;

	if (audio_lanes(f, &lanes))
		return ENOMEM;
	for (int k = 0; k < AUDIO_SPAN_KINDS; k++)
		if (runs(lanes, f->n, k, &t)) {
			free(lanes);
			audio_timeline_free(&t);
			return ENOMEM;
		}
	free(lanes);
	/* Bounded: each pass at least halves the joins needed (or ends with
	 * one run), and merge_ms cannot pass the recording's length. */
	do {
		over = false;
		for (int k = 0; k < AUDIO_SPAN_KINDS; k++) {
			merge(&t, k, t.merge_ms);
			over = over || t.n[k] > AUDIO_SPANS_MAX;
		}
		if (over)
			t.merge_ms *= 2;
	} while (over);
	*out = t;
	return 0;
}

int audio_timeline_encode(const struct audio_timeline *t, char **textp)
{
	size_t total = 0, cap, len;
	char *buf;

	for (int k = 0; k < AUDIO_SPAN_KINDS; k++)
		total += t->n[k];
	cap = 128 + AUDIO_SPAN_KINDS * 16 + total * 44;   /* 2 × 20 digits */
	buf = malloc(cap);
	if (!buf)
		return ENOMEM;
	len = (size_t)snprintf(buf, cap, "{\"duration_ms\":%" PRIu64
			       ",\"merge_ms\":%" PRIu64 ",\"silence_min_ms\":%d",
			       t->duration_ms, t->merge_ms,
			       AUDIO_SILENCE_MARK_MS);
	for (int k = 0; k < AUDIO_SPAN_KINDS; k++) {
		len += (size_t)snprintf(buf + len, cap - len, ",\"%s\":[",
					names[k]);
		for (size_t i = 0; i < t->n[k]; i++)
			len += (size_t)snprintf(buf + len, cap - len,
						"%s[%" PRIu64 ",%" PRIu64 "]",
						i ? "," : "",
						t->spans[k][i].from_ms,
						t->spans[k][i].to_ms);
		len += (size_t)snprintf(buf + len, cap - len, "]");
	}
	snprintf(buf + len, cap - len, "}");
	*textp = buf;
	return 0;
}
