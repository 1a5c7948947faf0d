/* Text-to-speech with a cache directory: a sentence is spoken once, then
 * read back from disk, also by the next process (a restart); the voice
 * and the rate are part of the key, and a damaged file is spoken again. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_main.h>
#include <re_tmr.h>
#include "media/media_int.h"

static const char EN[] = "Thank you for calling. Please hold.";

struct fixture {
	char dir[64];
	struct media_tts *tts;
	struct media_prompt *got;   /* the last result, a reference */
	int err;
	struct tmr guard;
};

static struct fixture fx;

static void on_said(int err, struct media_prompt *p, void *arg)
{
	(void)arg;
	media_prompt_unref(fx.got);
	fx.got = media_prompt_ref(p);
	fx.err = err;
	re_cancel();
}

static void guard(void *arg)
{
	(void)arg;
	re_cancel();
}

/* Asks for text in voice and waits for the answer (20 s at most). */
static void say(const char *voice, const char *text)
{
	media_prompt_unref(fx.got);
	fx.got = NULL;
	fx.err = -1;
	assert_int_equal(media_tts_say(fx.tts, voice, text, on_said, NULL), 0);
	tmr_start(&fx.guard, 20000, guard, NULL);
	(void)re_main(NULL);
	tmr_cancel(&fx.guard);
	assert_int_equal(fx.err, 0);
	assert_non_null(fx.got);
}

static void open_tts(unsigned rate)
{
	struct media_tts_opts o = {.rate_wpm = rate, .cache_dir = fx.dir};

	assert_int_equal(media_tts_alloc(&fx.tts, &o), 0);
}

/* The process stops and starts again: its memory cache is gone. */
static void restart(unsigned rate)
{
	media_tts_free(fx.tts);
	open_tts(rate);
}

static unsigned wav_files(void)
{
	DIR *d = opendir(fx.dir);
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strlen(e->d_name) == 68 && strstr(e->d_name, ".wav"))
			n++;
	closedir(d);
	return n;
}

static struct media_tts_stats stats(void)
{
	struct media_tts_stats st;

	media_tts_stats(fx.tts, &st);
	return st;
}

static int setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	tmr_init(&fx.guard);
	strcpy(fx.dir, "/tmp/hl_tts_XXXXXX");
	if (!mkdtemp(fx.dir) || libre_init())
		return -1;
	open_tts(0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	media_prompt_unref(fx.got);
	media_tts_free(fx.tts);
	libre_close();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx.dir);
	return system(cmd) ? -1 : 0;
}

static void a_second_synthesis_after_a_restart_is_a_disk_hit(void **state)
{
	struct media_prompt *first;

	(void)state;
	say("en", EN);
	assert_int_equal(stats().synthesized, 1);
	assert_int_equal(stats().disk_misses, 1);
	assert_int_equal(wav_files(), 1);
	first = media_prompt_ref(fx.got);

	restart(0);
	say("en", EN);
	assert_int_equal(stats().disk_hits, 1);
	assert_int_equal(stats().synthesized, 0);
	assert_int_equal(media_prompt_len(fx.got), media_prompt_len(first));
	assert_memory_equal(media_prompt_pcm(fx.got), media_prompt_pcm(first),
			    media_prompt_len(first) * sizeof(int16_t));
	assert_int_equal(wav_files(), 1);
	media_prompt_unref(first);
}

static void another_voice_or_rate_is_another_key(void **state)
{
	(void)state;
	say("en", EN);
	say("en-us", EN);
	assert_int_equal(stats().synthesized, 2);
	assert_int_equal(wav_files(), 2);

	restart(250);
	say("en", EN);
	assert_int_equal(stats().disk_hits, 0);
	assert_int_equal(stats().synthesized, 1);
	assert_int_equal(wav_files(), 3);
}

static void a_damaged_file_is_spoken_again_and_replaced(void **state)
{
	DIR *d;
	struct dirent *e;
	char path[PATH_MAX] = "";
	FILE *fp;

	(void)state;
	say("en", EN);
	d = opendir(fx.dir);
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".wav"))
			snprintf(path, sizeof(path), "%s/%s", fx.dir, e->d_name);
	closedir(d);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("not a wav file", fp);
	fclose(fp);

	restart(0);
	say("en", EN);
	assert_int_equal(stats().disk_hits, 0);
	assert_int_equal(stats().synthesized, 1);
	restart(0);
	say("en", EN);
	assert_int_equal(stats().disk_hits, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_second_synthesis_after_a_restart_is_a_disk_hit, setup, teardown),
		cmocka_unit_test_setup_teardown(another_voice_or_rate_is_another_key, setup, teardown),
		cmocka_unit_test_setup_teardown(a_damaged_file_is_spoken_again_and_replaced, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
