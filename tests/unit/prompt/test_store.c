/* The prompt store: a saved prompt is listed and played, read from disk
 * once and then from memory until replaced; a prompt a flow plays is not
 * deleted; rows survive reopening; a load answers later, on the loop. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
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
#include "base/log.h"
#include "base/pool.h"
#include "db/db.h"
#include "media/media.h"
#include "prompt/prompt.h"

static struct {
	char dir[64];
	struct db *db;
	struct pool *pool;         /* the house's, as in `hotline serve` */
	struct prompt_store *s;
	int err;
	size_t len;                /* of the prompt loaded, 0 for none */
	unsigned answers;
	bool in_use;
	struct tmr guard;
} fx;

static void guard(void *arg)
{
	(void)arg;
	re_cancel();
}

static void on_loaded(int err, struct media_prompt *p, void *arg)
{
	(void)arg;
	fx.err = err;
	fx.len = p ? media_prompt_len(p) : 0;
	fx.answers++;
	re_cancel();
}

/* prompt_load, then the loop until the answer (5 s at most). */
static int load(const char *name)
{
	unsigned before = fx.answers;
	int err = prompt_load(fx.s, name, on_loaded, NULL);

	if (err)
		return err;
	assert_int_equal(fx.answers, before);    /* never inside the call */
	tmr_start(&fx.guard, 5000, guard, NULL);
	(void)re_main(NULL);
	tmr_cancel(&fx.guard);
	assert_int_equal(fx.answers, before + 1);
	return fx.err;
}

/* Saves n samples as name, as an upload does. */
static void save(const char *name, size_t n)
{
	int16_t *pcm = calloc(n, sizeof(*pcm));
	struct prompt_info it = {.duration_ms = (int64_t)n / 8,
				 .orig_rate = 44100, .orig_channels = 2,
				 .by = "admin", .at = 1764900000000};

	assert_non_null(pcm);
	for (size_t i = 0; i < n; i++)
		pcm[i] = (int16_t)(i % 100 * 100);
	snprintf(it.name, sizeof(it.name), "%s", name);
	assert_int_equal(prompt_file_save(fx.s, name, pcm, n), 0);
	assert_int_equal(prompt_put(fx.s, &it), 0);
	free(pcm);
}

static char *file_of(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/prompts/%s.wav", fx.dir, name);
	return path;
}

static bool user(void *arg, const char *name, char *who, size_t n)
{
	(void)arg;
	snprintf(who, n, "main");
	return fx.in_use && !strcmp(name, "a");
}

static int setup(void **state)
{
	char url[128];

	(void)state;
	log_set_level(LOG_WARN);     /* the migrations' lines are noise here */
	memset(&fx, 0, sizeof(fx));
	tmr_init(&fx.guard);
	strcpy(fx.dir, "/tmp/hl_pstore_XXXXXX");
	if (!mkdtemp(fx.dir) || libre_init())
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", fx.dir);
	if (db_open(&fx.db, url) || pool_alloc(&fx.pool, 2))
		return -1;
	return prompt_store_alloc(&fx.s, fx.db, fx.pool, fx.dir) ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	prompt_store_free(fx.s);
	fx.pool = mem_deref(fx.pool);
	db_close(fx.db);
	libre_close();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx.dir);
	return system(cmd) ? -1 : 0;
}

static void a_saved_prompt_is_read_once_then_played_from_memory(void **state)
{
	(void)state;
	save("a", 8000);
	assert_true(prompt_exists(fx.s, "a"));
	assert_int_equal(load("a"), 0);
	assert_int_equal(fx.len, 8000);
	/* Gone from disk: the second play does not read it. */
	assert_int_equal(unlink(file_of("a")), 0);
	assert_int_equal(load("a"), 0);
	assert_int_equal(fx.len, 8000);
}

static void a_replaced_prompt_is_read_again(void **state)
{
	(void)state;
	save("a", 8000);
	assert_int_equal(load("a"), 0);
	save("a", 4000);
	assert_int_equal(load("a"), 0);
	assert_int_equal(fx.len, 4000);
}

static void unknown_and_vanished_prompts_are_not_found(void **state)
{
	(void)state;
	assert_int_equal(prompt_load(fx.s, "nothing", on_loaded, NULL), ENOENT);
	save("b", 800);
	assert_int_equal(unlink(file_of("b")), 0);
	assert_int_equal(load("b"), ENOENT);
	assert_int_equal(fx.len, 0);
}

static void a_prompt_a_flow_plays_is_not_deleted(void **state)
{
	char who[16] = "";

	(void)state;
	save("a", 800);
	prompt_store_set_user(fx.s, user, NULL);
	fx.in_use = true;
	assert_int_equal(prompt_delete(fx.s, "a", who, sizeof(who)), EBUSY);
	assert_string_equal(who, "main");
	assert_true(prompt_exists(fx.s, "a"));
	assert_int_equal(access(file_of("a"), F_OK), 0);

	fx.in_use = false;
	assert_int_equal(prompt_delete(fx.s, "a", who, sizeof(who)), 0);
	assert_false(prompt_exists(fx.s, "a"));
	assert_int_equal(prompt_load(fx.s, "a", on_loaded, NULL), ENOENT);
	assert_int_equal(prompt_delete(fx.s, "a", who, sizeof(who)), ENOENT);
	for (int i = 0; i < 100 && access(file_of("a"), F_OK) == 0; i++) {
		tmr_start(&fx.guard, 20, guard, NULL);
		(void)re_main(NULL);
	}
	assert_int_not_equal(access(file_of("a"), F_OK), 0);
}

static int count(const struct prompt_info *it, void *arg)
{
	(void)it;
	++*(unsigned *)arg;
	return 0;
}

static void rows_survive_reopening_in_name_order(void **state)
{
	struct prompt_info it;
	unsigned n = 0;

	(void)state;
	save("zeta", 800);
	save("alpha", 1600);
	db_flush(fx.db);
	prompt_store_free(fx.s);
	assert_int_equal(prompt_store_alloc(&fx.s, fx.db, fx.pool, fx.dir), 0);
	assert_int_equal(prompt_each(fx.s, count, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(prompt_get(fx.s, "alpha", &it), 0);
	assert_int_equal(it.duration_ms, 200);
	assert_int_equal(it.orig_rate, 44100);
	assert_int_equal(it.orig_channels, 2);
	assert_string_equal(it.by, "admin");
	assert_int_equal(it.at, 1764900000000);
	assert_int_equal(load("zeta"), 0);
	assert_int_equal(fx.len, 800);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(a_saved_prompt_is_read_once_then_played_from_memory),
		T(a_replaced_prompt_is_read_again),
		T(unknown_and_vanished_prompts_are_not_found),
		T(a_prompt_a_flow_plays_is_not_deleted),
		T(rows_survive_reopening_in_name_order),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
