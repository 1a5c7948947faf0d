/* bench/tts: how long the TTS worker takes per sentence. Asks for N
 * different queue announcements (the sentences queues speak, positions
 * 0..N-1) in Mandarin, then in English, all at once, and prints per
 * language the worker's time per sentence (espeak-ng, resampling to 8 kHz,
 * the prompt), the longest, the speech it made, and the real-time factor;
 * then the loop's round trip for a sentence already cached. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_main.h>
#include "media/media.h"

enum { N = 40 };

static unsigned got, want;
static double audio_s;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_said(int err, struct media_prompt *p, void *arg)
{
	(void)arg;
	if (!err)
		audio_s += (double)media_prompt_len(p) / MEDIA_RATE;
	if (++got == want)
		re_cancel();
}

static int batch(struct media_tts *t, const char *voice)
{
	char text[160];
	struct media_tts_stats a, b;

	media_tts_stats(t, &a);
	audio_s = 0;
	got = 0;
	want = N;
	for (unsigned i = 0; i < N; i++) {
		if (!strcmp(voice, "zh"))
			snprintf(text, sizeof(text), "您前面还有%u位客户，预计等待约%u分钟。",
				 i, i + 1);
		else
			snprintf(text, sizeof(text), "There are %u callers ahead "
				 "of you. Your estimated wait is about %u minutes.",
				 i, i + 1);
		if (media_tts_say(t, voice, text, on_said, NULL)) {
			fprintf(stderr, "bench/tts: request refused\n");
			return 1;
		}
	}
	(void)re_main(NULL);
	media_tts_stats(t, &b);
	printf("%-3s %u sentences: %.1f ms each (max %.1f ms), %.2f s of "
	       "speech each, real-time factor %.4f\n", voice, N,
	       (double)(b.synth_us - a.synth_us) / 1000.0 / N,
	       b.synth_us_max / 1000.0, audio_s / N,
	       (double)(b.synth_us - a.synth_us) / 1e6 / audio_s);
	return 0;
}

int main(void)
{
	struct media_tts *t = NULL;
	double t0;
	int rc = 1;

	if (libre_init() || media_tts_alloc(&t, NULL)) {
		fprintf(stderr, "bench/tts: cannot start espeak-ng\n");
		goto out;
	}
	if (batch(t, "zh") || batch(t, "en"))
		goto out;
	got = 0;
	want = 1;
	t0 = now_s();
	(void)media_tts_say(t, "en", "There are 1 callers ahead of you. Your "
			    "estimated wait is about 2 minutes.", on_said, NULL);
	(void)re_main(NULL);
	printf("cached sentence: delivered on the loop in %.3f ms\n",
	       (now_s() - t0) * 1000);
	rc = 0;
 out:
	media_tts_free(t);
	libre_close();
	return rc;
}
