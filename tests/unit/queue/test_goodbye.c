/* queue/goodbye: a queue's overflow_prompt is loaded when the setting is
 * saved. A file that does not load is refused naming the field (and the
 * host then changes nothing); a change that does not name the field keeps
 * the queue's prompt; "" takes it away; the prompt's length is known, since
 * it bounds how long a goodbye may take. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sndfile.h>
#include "media/media.h"
#include "queue/queue_int.h"

static char dir[] = "/tmp/hotline-goodbye-XXXXXX";
static char wav[128], text[128], missing[128];

/* 1.5 s of a 16 kHz tone (resampled to 8 kHz on loading). */
static void write_wav(void)
{
	SF_INFO info = {.samplerate = 16000, .channels = 1,
			.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	SNDFILE *sf = sf_open(wav, SFM_WRITE, &info);
	short buf[24000];

	assert_non_null(sf);
	for (size_t i = 0; i < 24000; i++)
		buf[i] = (short)((i / 8) % 2 ? 8000 : -8000);
	assert_int_equal(24000, sf_write_short(sf, buf, 24000));
	sf_close(sf);
}

static int setup(void **state)
{
	FILE *f;
	(void)state;

	if (!mkdtemp(dir))
		return -1;
	snprintf(wav, sizeof(wav), "%s/bye.wav", dir);
	snprintf(text, sizeof(text), "%s/notes.txt", dir);
	snprintf(missing, sizeof(missing), "%s/none.wav", dir);
	write_wav();
	f = fopen(text, "w");
	if (!f)
		return -1;
	fputs("this is not audio\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(wav);
	unlink(text);
	return rmdir(dir);
}

/* Applies {"overflow_prompt": path} and loads it. */
static int load(const char *path, struct qh_goodbye *g, char *why, size_t n)
{
	struct queue_qcfg q;
	json_t *body = json_pack("{s:s}", "overflow_prompt", path);
	int err;

	assert_non_null(body);
	queue_qcfg_default(&q, "sales");
	assert_int_equal(queue_qcfg_apply(&q, body, why, n), 0);
	err = qh_goodbye_load(&q, body, g, why, n);
	json_decref(body);
	return err;
}

static void a_sound_file_loads_with_its_length(void **state)
{
	struct qh_queue q = {0};
	struct qh_goodbye g;
	char why[200] = "";
	(void)state;

	assert_int_equal(load(wav, &g, why, sizeof(why)), 0);
	assert_true(g.named);
	assert_non_null(g.prompt);
	assert_int_equal(g.ms, 1500);
	qh_goodbye_set(&q, &g);
	assert_non_null(q.goodbye);
	assert_int_equal(q.goodbye_ms, 1500);
	assert_null(g.prompt);   /* spent: the queue holds the reference */
	media_prompt_unref(q.goodbye);
}

static void files_that_do_not_load_are_refused_naming_the_field(void **state)
{
	const char *bad[] = {missing, text, dir};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct qh_goodbye g;
		char why[200] = "";

		assert_int_equal(load(bad[i], &g, why, sizeof(why)), EINVAL);
		assert_null(g.prompt);
		assert_non_null(strstr(why, "overflow_prompt"));
		assert_non_null(strstr(why, bad[i]));
	}
}

static void empty_takes_the_prompt_away(void **state)
{
	struct qh_queue q = {0};
	struct qh_goodbye g;
	char why[200] = "";
	(void)state;

	assert_int_equal(load(wav, &g, why, sizeof(why)), 0);
	qh_goodbye_set(&q, &g);
	assert_int_equal(load("", &g, why, sizeof(why)), 0);
	assert_true(g.named);
	assert_null(g.prompt);
	qh_goodbye_set(&q, &g);
	assert_null(q.goodbye);
	assert_int_equal(q.goodbye_ms, 0);
}

static void a_change_without_the_field_keeps_the_prompt(void **state)
{
	struct qh_queue q = {0};
	struct qh_goodbye g;
	struct queue_qcfg cfg;
	char why[200] = "";
	json_t *body = json_pack("{s:i}", "max_wait_ms", 5000);
	(void)state;

	assert_int_equal(load(wav, &g, why, sizeof(why)), 0);
	qh_goodbye_set(&q, &g);
	queue_qcfg_default(&cfg, "sales");
	assert_int_equal(qh_goodbye_load(&cfg, body, &g, why, sizeof(why)), 0);
	assert_false(g.named);
	qh_goodbye_set(&q, &g);
	assert_non_null(q.goodbye);
	qh_goodbye_drop(&g);    /* nothing loaded: nothing to drop */
	media_prompt_unref(q.goodbye);
	json_decref(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sound_file_loads_with_its_length),
		cmocka_unit_test(files_that_do_not_load_are_refused_naming_the_field),
		cmocka_unit_test(empty_takes_the_prompt_away),
		cmocka_unit_test(a_change_without_the_field_keeps_the_prompt),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
