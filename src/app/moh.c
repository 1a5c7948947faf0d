/* app/moh: the sounds Hotline makes itself, generated at start-up so
 * nothing is downloaded: music on hold (a slow arpeggio in C major, soft
 * sine notes with a gentle attack and release), the short two-tone
 * confirmation a feature code plays before hanging up, the ringback
 * played as early media (call.ringback) and the voicemail beep. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app_int.h"
#include "media/media.h"

/* One note: frequency (Hz, 0 = rest) and length (ms). */
struct note {
	double hz;
	int ms;
};

static const struct note melody[] = {
	{261.63, 400}, {329.63, 400}, {392.00, 400}, {523.25, 800},
	{392.00, 400}, {329.63, 400}, {293.66, 400}, {392.00, 800},
	{349.23, 400}, {440.00, 400}, {523.25, 400}, {440.00, 800},
	{392.00, 400}, {329.63, 400}, {261.63, 1200}, {0, 400},
};

static const struct note confirm[] = {
	{880.0, 150}, {0, 60}, {1318.5, 250}, {0, 200},
};

/* Renders the notes into one prompt; amp is the peak sample value. */
static int render(struct media_prompt **pp, const struct note *v, size_t n,
		  double amp)
{
	size_t total = 0, at = 0;
	int16_t *pcm;
	int err;

	for (size_t i = 0; i < n; i++)
		total += (size_t)v[i].ms * MEDIA_RATE / 1000;
	pcm = calloc(total ? total : 1, sizeof(*pcm));
	if (!pcm)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t len = (size_t)v[i].ms * MEDIA_RATE / 1000;
		size_t ramp = MEDIA_RATE / 50;   /* 20 ms: no clicks */
		for (size_t k = 0; v[i].hz > 0 && k < len; k++) {
			double env = 1.0;
			if (k < ramp)
				env = (double)k / ramp;
			else if (len - k < 4 * ramp)
				env = (double)(len - k) / (4 * ramp);
			pcm[at + k] = (int16_t)(amp * env * sin(2 * M_PI *
				      v[i].hz * (double)k / MEDIA_RATE));
		}
		at += len;
	}
	err = media_prompt_alloc(pp, pcm, total);
	free(pcm);
	return err;
}

int app_sounds_alloc(struct media_prompt **moh, struct media_prompt **ok)
{
	int err = render(moh, melody, ARRAY_LEN(melody), 5000);

	if (!err && (err = render(ok, confirm, ARRAY_LEN(confirm), 7000)))
		*moh = (media_prompt_unref(*moh), NULL);
	return err;
}

int app_ringback_load(struct media_prompt **pp, const char *v, char *err,
		      size_t n)
{
	int e = 0;

	*pp = NULL;
	if (!v || !strcmp(v, "none"))
		return 0;
	if (!strcmp(v, "cn")) {
		/* China's ringback tone (GB 3380 / YD/T 1258): 450 Hz, one
		 * second on, four off. */
		enum { ON = MEDIA_RATE, ALL = 5 * MEDIA_RATE };
		int16_t *pcm = calloc(ALL, sizeof(*pcm));
		if (!pcm)
			return ENOMEM;
		for (int i = 0; i < ON; i++)
			pcm[i] = (int16_t)(6000 * sin(2 * M_PI * 450 * i /
						      MEDIA_RATE));
		e = media_prompt_alloc(pp, pcm, ALL);
		free(pcm);
	}
	else {
		e = media_prompt_load(pp, v);
	}
	if (e)
		snprintf(err, n, "cannot load call.ringback '%s' (%s)", v,
			 strerror(e));
	return e;
}

int app_vm_greeting_make(struct media_prompt **pp, const int16_t *speech,
			 size_t len)
{
	/* A pause, then the usual 1 kHz half-second "record after the
	 * tone" beep. */
	enum { GAP = MEDIA_RATE / 5, BEEP = MEDIA_RATE / 2 };
	int16_t *pcm = calloc(len + GAP + BEEP, sizeof(*pcm));
	int e;

	if (!pcm)
		return ENOMEM;
	if (len)
		memcpy(pcm, speech, len * sizeof(*pcm));
	for (size_t i = 0; i < BEEP; i++) {
		double env = i < 80 ? i / 80.0 : BEEP - i < 80 ?
			(BEEP - i) / 80.0 : 1.0;
		pcm[len + GAP + i] = (int16_t)(8000 * env * sin(2 * M_PI *
					       1000.0 * (double)i / MEDIA_RATE));
	}
	e = media_prompt_alloc(pp, pcm, len + GAP + BEEP);
	free(pcm);
	return e;
}

int app_vm_greeting_load(struct media_prompt **pp, const char *v, char *err,
			 size_t n)
{
	int16_t *msg = NULL;
	size_t len = 0;
	int e = 0;

	*pp = NULL;
	/* "speech" starts as the tone; the spoken greeting replaces it once
	 * synthesised (serve.c). */
	if (v && strcmp(v, "tone") && strcmp(v, "speech") &&
	    (e = media_wav_load(v, &msg, &len))) {
		snprintf(err, n, "cannot load voicemail.greeting '%s' (%s)", v,
			 strerror(e));
		return e;
	}
	e = app_vm_greeting_make(pp, msg, len);
	free(msg);
	return e;
}
