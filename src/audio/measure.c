/* audio/measure: from the meter's per-frame flags to the measures. Pure.
 *
 * Talk spurts. WebRTC's detector switches on within a frame of the first
 * voiced sound but holds on for 100 ms after the last (mode 2, 10 ms
 * frames; measured: 70-100 ms, 100 for any spurt longer than 60 ms), so
 * every spurt that ends before the recording does is cut back by
 * HANGOVER; a spurt that leaves nothing is the detector's flicker (its
 * first few frames on a new line say "voice" for 70 ms) and is dropped.
 * Then pauses shorter than BRIDGE join the spurts either side, as
 * Brady's talk-spurt analysis fills 200 ms gaps: the pause between two
 * words is talk, not silence.
 *
 * Hold. The right channel is written as zeros when no audio came from the
 * agent's phone: a phone on hold sends none, a muted one usually none, a
 * live line always some noise. At least HOLD_MIN of it is hold; it is
 * neither talk nor silence. (A paused recording is zeros on both sides,
 * so it reads as hold too.)
 *
 * Silence is every frame where neither side talks outside hold, the
 * leading and trailing ones included: dead air at the start of a call is
 * still dead air.
 *
 * Speaking rate. A syllable's nucleus is a peak of loudness (de Jong and
 * Wempe's syllable nuclei, simplified): within the agent's spurts the
 * energy of each frame in the vowels' band (meter.c), smoothed over SMOOTH
 * frames, must fall DIP_DB below a peak before the next rise of DIP_DB
 * counts as another peak. How many peaks a syllable shows depends on the
 * language (nuclei_per_syllable, measured on espeak-ng: docs/qa.md): an
 * English syllable about one, a Mandarin one about two — counting each
 * Mandarin peak as a syllable made Mandarin rates twice too high. Words
 * are syllables / SYL_PER_WORD (English averages about 1.5 syllables a
 * word; a Chinese character is one syllable and Chinese words average
 * about 1.5 characters), per minute of the agent's talk time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "audio/audio_int.h"

enum {
	HANGOVER = 10,                /* frames: 100 ms */
	BRIDGE = 20,                  /* 200 ms */
	HOLD_MIN = 100,               /* 1 s */
	LONG_SILENCE = 1000,          /* 10 s */
	SMOOTH = 3,                   /* 30 ms, odd */
	MIN_RATE_TALK = 100,          /* no rate from under 1 s of talk */
};

static const float DIP_DB = 4.0f;
static const double SYL_PER_WORD = 1.5;

/* Peaks per syllable, by enum audio_lang: espeak-ng at 120, 175 and 230
 * words a minute, two texts each: Mandarin 1.85-2.19 peaks a character,
 * English 0.98-1.10 a syllable (docs/qa.md). */
static const double nuclei_per_syllable[] = {
	[AUDIO_LANG_ZH] = 2.0,
	[AUDIO_LANG_EN] = 1.0,
};

const char *const audio_lang_names[] = {
	[AUDIO_LANG_ZH] = "zh", [AUDIO_LANG_EN] = "en", NULL,
};

int audio_lang_parse(const char *s, enum audio_lang *l)
{
	for (size_t i = 0; s && audio_lang_names[i]; i++)
		if (!strcmp(s, audio_lang_names[i])) {
			*l = (enum audio_lang)i;
			return 0;
		}
	return EINVAL;
}

/* talk[i] = 1 for the frames of the spurts of bit (trimmed, bridged). */
static void spurts(const uint8_t *flags, size_t n, uint8_t bit,
		   uint8_t *talk)
{
	size_t i = 0, last_end = 0;
	bool any = false;

	memset(talk, 0, n);
	while (i < n) {
		size_t s, e;

		if (!(flags[i] & bit)) {
			i++;
			continue;
		}
		for (s = i; i < n && (flags[i] & bit); i++)
			;
		e = i;
		if (e < n)
			e = e > s + HANGOVER ? e - HANGOVER : s;
		if (e <= s)
			continue;
		if (any && s - last_end < BRIDGE)
			s = last_end;
		memset(talk + s, 1, e - s);
		last_end = e;
		any = true;
	}
}

/* hold[i] = 1 within runs of at least HOLD_MIN frames without agent audio. */
static void holds(const uint8_t *flags, size_t n, uint8_t *hold)
{
	size_t i = 0;

	memset(hold, 0, n);
	while (i < n) {
		size_t s;

		if (!(flags[i] & AUDIO_F_NO_AGENT)) {
			i++;
			continue;
		}
		for (s = i; i < n && (flags[i] & AUDIO_F_NO_AGENT); i++)
			;
		if (i - s >= HOLD_MIN)
			memset(hold + s, 1, i - s);
	}
}

/* Mean of db over the SMOOTH frames around i, within [s, e). */
static float smooth(const float *db, size_t i, size_t s, size_t e)
{
	size_t a = i >= s + SMOOTH / 2 ? i - SMOOTH / 2 : s;
	size_t b = i + SMOOTH / 2 + 1 < e ? i + SMOOTH / 2 + 1 : e;
	float sum = 0;

	for (size_t k = a; k < b; k++)
		sum += db[k];
	return sum / (float)(b - a);
}

/* Peaks in [s, e) that rise DIP_DB from the last trough and fall DIP_DB
 * after; the spurt's end is a fall. */
static uint64_t peaks(const float *db, size_t s, size_t e)
{
	float v = smooth(db, s, s, e), hi = v, lo = v;
	bool rising = true;
	uint64_t count = 0;

	for (size_t i = s + 1; i < e; i++) {
		v = smooth(db, i, s, e);
		if (rising && v > hi) {
			hi = v;
		} else if (rising && v < hi - DIP_DB) {
			count++;
			rising = false;
			lo = v;
		} else if (!rising && v < lo) {
			lo = v;
		} else if (!rising && v > lo + DIP_DB) {
			rising = true;
			hi = v;
		}
	}
	return count + (rising && hi >= lo + DIP_DB);
}

static uint64_t nuclei(const float *db, const uint8_t *talk, size_t n)
{
	uint64_t count = 0;
	size_t i = 0;

	while (i < n) {
		size_t s;

		if (!talk[i]) {
			i++;
			continue;
		}
		for (s = i; i < n && talk[i]; i++)
			;
		count += peaks(db, s, i);
	}
	return count;
}

int audio_lanes(const struct audio_frames *f, uint8_t **lanesp)
{
	size_t n = f->n;
	uint8_t *l = malloc(n ? 3 * n : 1);

	if (!l)
		return ENOMEM;
	spurts(f->flags, n, AUDIO_F_CUSTOMER, l);
	spurts(f->flags, n, AUDIO_F_AGENT, l + n);
	holds(f->flags, n, l + 2 * n);
	*lanesp = l;
	return 0;
}

int audio_measure_frames(const struct audio_frames *f,
			 struct audio_measures *out)
{
	uint8_t *cust, *agent, *hold;
	uint64_t run = 0, peaks;
	size_t n = f->n;

	*out = (struct audio_measures){.duration_ms = n * AUDIO_FRAME_MS};
	if (!n)
		return 0;
	if (audio_lanes(f, &cust))
		return ENOMEM;
	agent = cust + n;
	hold = agent + n;
	for (size_t i = 0; i <= n; i++) {
		bool quiet = i < n && !cust[i] && !agent[i] && !hold[i];

		if (quiet) {
			run++;
		} else if (run) {
			if (run * AUDIO_FRAME_MS > out->longest_silence_ms)
				out->longest_silence_ms = run * AUDIO_FRAME_MS;
			out->silences_over_10s += run > LONG_SILENCE;
			run = 0;
		}
		if (i == n)
			break;
		out->customer_talk_ms += cust[i] * AUDIO_FRAME_MS;
		out->agent_talk_ms += agent[i] * AUDIO_FRAME_MS;
		out->overtalk_ms += (cust[i] & agent[i]) * AUDIO_FRAME_MS;
		out->hold_ms += hold[i] * AUDIO_FRAME_MS;
	}
	peaks = nuclei(f->agent_db, agent, n);
	if (out->agent_talk_ms >= MIN_RATE_TALK * AUDIO_FRAME_MS) {
		out->agent_nuclei_per_min = (double)peaks /
			((double)out->agent_talk_ms / 60000.0);
		out->agent_words_per_min = out->agent_nuclei_per_min /
			nuclei_per_syllable[f->lang == AUDIO_LANG_EN ?
					    AUDIO_LANG_EN : AUDIO_LANG_ZH] /
			SYL_PER_WORD;
	}
	free(cust);
	return 0;
}
