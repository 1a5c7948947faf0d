/* Text-to-speech: Mandarin and English sentences come back as 8 kHz
 * speech on the loop, a sentence is spoken once however often it is asked
 * for, and stopping with requests pending leaves nothing behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_main.h>
#include <re_tmr.h>
#include "media/media_int.h"

static const char ZH[] = "您前面还有3位客户，预计等待约2分钟。";
static const char EN[] = "There are 3 callers ahead of you. "
			 "Your estimated wait is about 2 minutes.";

struct got {
	int err;
	struct media_prompt *p;   /* a reference, or NULL */
};

struct fixture {
	struct media_tts *tts;
	struct got got[8];
	unsigned n, want;
	struct tmr guard;
};

static struct fixture fx;

static void on_said(int err, struct media_prompt *p, void *arg)
{
	struct fixture *f = &fx;
	(void)arg;

	assert_true(f->n < sizeof(f->got) / sizeof(f->got[0]));
	f->got[f->n].err = err;
	f->got[f->n].p = media_prompt_ref(p);
	if (++f->n >= f->want)
		re_cancel();
}

static void guard(void *arg)
{
	(void)arg;
	re_cancel();
}

/* Runs the loop until want results in all have arrived (or 20 s, for a
 * sanitizer build on a busy machine). */
static void wait_for(struct fixture *f, unsigned want)
{
	f->want = want;
	if (f->n >= want)
		return;
	tmr_start(&f->guard, 20000, guard, f);
	(void)re_main(NULL);
	tmr_cancel(&f->guard);
	assert_int_equal(f->n, want);
}

static int open_tts(const struct media_tts_opts *o)
{
	memset(&fx, 0, sizeof(fx));
	tmr_init(&fx.guard);
	return media_tts_alloc(&fx.tts, o);
}

static int setup(void **state)
{
	*state = &fx;
	if (libre_init())
		return -1;
	return open_tts(NULL);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < f->n; i++)
		media_prompt_unref(f->got[i].p);
	media_tts_free(f->tts);
	libre_close();
	return 0;
}

static double seconds(const struct media_prompt *p)
{
	return (double)media_prompt_len(p) / MEDIA_RATE;
}

static double rms(const struct media_prompt *p)
{
	const int16_t *s = media_prompt_pcm(p);
	double sum = 0;

	for (size_t i = 0; i < media_prompt_len(p); i++)
		sum += (double)s[i] * s[i];
	return sqrt(sum / (double)media_prompt_len(p));
}

static int peak(const struct media_prompt *p)
{
	const int16_t *s = media_prompt_pcm(p);
	int max = 0;

	for (size_t i = 0; i < media_prompt_len(p); i++)
		if (abs(s[i]) > max)
			max = abs(s[i]);
	return max;
}

/* A sentence of 17 characters at 175 words a minute takes a few seconds;
 * left at 22050 Hz it would last 2.75 times as long. */
static void mandarin_sentence_is_speech_at_8khz(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(media_tts_say(f->tts, "zh", ZH, on_said, NULL), 0);
	wait_for(f, 1);
	assert_int_equal(f->got[0].err, 0);
	assert_non_null(f->got[0].p);
	assert_true(seconds(f->got[0].p) > 2.0);
	assert_true(seconds(f->got[0].p) < 9.0);
	assert_true(rms(f->got[0].p) > 1000);       /* speech, not silence */
	assert_in_range(peak(f->got[0].p), 15000, 17500);   /* -6 dBFS */
}

static void english_sentence_is_speech_at_8khz(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(media_tts_say(f->tts, "en", EN, on_said, NULL), 0);
	wait_for(f, 1);
	assert_int_equal(f->got[0].err, 0);
	assert_true(seconds(f->got[0].p) > 2.0);
	assert_true(seconds(f->got[0].p) < 9.0);
	assert_true(rms(f->got[0].p) > 1000);
}

/* Without its Mandarin dictionary espeak-ng names each character ("Chinese
 * letter …"), as the English voice does: much longer than reading it. */
static void mandarin_is_read_not_spelled(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "您前面还有3位客户";

	assert_int_equal(media_tts_say(f->tts, "cmn", text, on_said, NULL), 0);
	assert_int_equal(media_tts_say(f->tts, "en", text, on_said, NULL), 0);
	wait_for(f, 2);
	assert_int_equal(f->got[0].err, 0);
	assert_int_equal(f->got[1].err, 0);
	assert_true(seconds(f->got[0].p) < 0.8 * seconds(f->got[1].p));
}

static void the_cache_returns_the_same_prompt(void **state)
{
	struct fixture *f = *state;
	struct media_tts_stats st;

	assert_int_equal(media_tts_say(f->tts, "zh", ZH, on_said, NULL), 0);
	wait_for(f, 1);
	/* "zh" and "cmn" are one voice. */
	assert_int_equal(media_tts_say(f->tts, "cmn", ZH, on_said, NULL), 0);
	assert_int_equal(f->n, 1);      /* never from inside media_tts_say */
	wait_for(f, 2);
	assert_int_equal(f->got[1].err, 0);
	assert_ptr_equal(f->got[0].p, f->got[1].p);
	media_tts_stats(f->tts, &st);
	assert_int_equal(st.requests, 2);
	assert_int_equal(st.synthesized, 1);
	assert_int_equal(st.cache_hits, 1);
	assert_int_equal(st.cached, 1);
	assert_true(st.synth_us > 0);
}

static void requests_for_a_sentence_under_way_share_it(void **state)
{
	struct fixture *f = *state;
	struct media_tts_stats st;

	for (int i = 0; i < 3; i++)
		assert_int_equal(media_tts_say(f->tts, "en", EN, on_said, NULL), 0);
	wait_for(f, 3);
	assert_ptr_equal(f->got[0].p, f->got[1].p);
	assert_ptr_equal(f->got[0].p, f->got[2].p);
	media_tts_stats(f->tts, &st);
	assert_int_equal(st.synthesized, 1);
	assert_int_equal(st.joined, 2);
}

/* With room for two, a third sentence pushes out the one used least
 * recently, which is then spoken again when asked for. */
static void the_cache_keeps_the_most_recently_used(void **state)
{
	struct fixture *f = *state;
	struct media_tts_stats st;

	media_tts_free(f->tts);
	assert_int_equal(open_tts(&(struct media_tts_opts){.cache_max = 2}), 0);
	assert_int_equal(media_tts_say(f->tts, "en", "one", on_said, NULL), 0);
	assert_int_equal(media_tts_say(f->tts, "en", "two", on_said, NULL), 0);
	wait_for(f, 2);
	assert_int_equal(media_tts_say(f->tts, "en", "one", on_said, NULL), 0);
	wait_for(f, 3);      /* "two" is now the least recently used */
	assert_int_equal(media_tts_say(f->tts, "en", "three", on_said, NULL), 0);
	wait_for(f, 4);
	assert_int_equal(media_tts_say(f->tts, "en", "one", on_said, NULL), 0);
	assert_int_equal(media_tts_say(f->tts, "en", "two", on_said, NULL), 0);
	wait_for(f, 6);
	media_tts_stats(f->tts, &st);
	assert_int_equal(st.cached, 2);
	assert_int_equal(st.synthesized, 4);    /* one, two, three, two */
	assert_int_equal(st.cache_hits, 2);     /* one, one */
	/* The hit and the new synthesis may be delivered in either order:
	 * whichever wakes the loop first. One of them is the cached "one". */
	assert_true(f->got[4].p == f->got[0].p || f->got[5].p == f->got[0].p);
	assert_true(f->got[4].p != f->got[5].p);
}

static void bad_requests_are_refused(void **state)
{
	struct fixture *f = *state;
	char big[1100];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(media_tts_say(f->tts, "fr", EN, on_said, NULL), EINVAL);
	assert_int_equal(media_tts_say(f->tts, NULL, EN, on_said, NULL), EINVAL);
	assert_int_equal(media_tts_say(f->tts, "en", "", on_said, NULL), EINVAL);
	assert_int_equal(media_tts_say(f->tts, "en", big, on_said, NULL),
			 EMSGSIZE);
	assert_true(media_tts_voice_ok("zh"));
	assert_true(media_tts_voice_ok("en"));
	assert_false(media_tts_voice_ok("klingon"));
	assert_false(media_tts_voice_ok(NULL));
}

static void a_full_queue_is_busy(void **state)
{
	struct fixture *f = *state;

	media_tts_free(f->tts);
	assert_int_equal(open_tts(&(struct media_tts_opts){.queue_max = 2}), 0);
	assert_int_equal(media_tts_say(f->tts, "en", "one", on_said, NULL), 0);
	assert_int_equal(media_tts_say(f->tts, "en", "two", on_said, NULL), 0);
	assert_int_equal(media_tts_say(f->tts, "en", "three", on_said, NULL),
			 EBUSY);
	/* Joining a sentence under way takes no room. */
	assert_int_equal(media_tts_say(f->tts, "en", "two", on_said, NULL), 0);
	wait_for(f, 3);
	assert_int_equal(media_tts_say(f->tts, "en", "three", on_said, NULL), 0);
	wait_for(f, 4);
}

static void espeak_ng_is_one_per_process(void **state)
{
	struct media_tts *second = NULL;
	(void)state;

	assert_int_equal(media_tts_alloc(&second, NULL), EALREADY);
	assert_null(second);
	assert_int_equal(media_tts_alloc(&second, &(struct media_tts_opts){
		.rate_wpm = 20}), EINVAL);
}

/* An arg that counts its own release. */
static unsigned released;

static void arg_destroy(void *arg)
{
	(void)arg;
	released++;
}

static void on_said_never(int err, struct media_prompt *p, void *arg)
{
	(void)err;
	(void)p;
	(void)arg;
	fail_msg("a handler ran after media_tts_free");
}

/* Requests waiting, one being spoken, results not yet delivered: free
 * drops them all, runs no handler and releases every arg (ASan sees the
 * rest). */
static void stopping_with_requests_pending_frees_everything(void **state)
{
	struct fixture *f = *state;
	char text[64];

	released = 0;
	for (int i = 0; i < 6; i++) {
		void *arg = mem_zalloc(8, arg_destroy);

		assert_non_null(arg);
		snprintf(text, sizeof(text), "Sentence number %d.", i);
		assert_int_equal(media_tts_say(f->tts, i % 2 ? "en" : "zh", text,
					       on_said_never, arg), 0);
		mem_deref(arg);      /* the request holds it now */
	}
	assert_int_equal(released, 0);
	media_tts_free(f->tts);
	f->tts = NULL;
	assert_int_equal(released, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(mandarin_sentence_is_speech_at_8khz, setup, teardown),
		cmocka_unit_test_setup_teardown(english_sentence_is_speech_at_8khz, setup, teardown),
		cmocka_unit_test_setup_teardown(mandarin_is_read_not_spelled, setup, teardown),
		cmocka_unit_test_setup_teardown(the_cache_returns_the_same_prompt, setup, teardown),
		cmocka_unit_test_setup_teardown(requests_for_a_sentence_under_way_share_it, setup, teardown),
		cmocka_unit_test_setup_teardown(the_cache_keeps_the_most_recently_used, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_requests_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_full_queue_is_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(espeak_ng_is_one_per_process, setup, teardown),
		cmocka_unit_test_setup_teardown(stopping_with_requests_pending_frees_everything, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
