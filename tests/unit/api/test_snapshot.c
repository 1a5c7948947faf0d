/* The live view (api/snapshot.c): what the modules' snapshot hooks add is
 * joined into one object with an array per part asked for, [] where no
 * module holds it; a hook's failure is the view's; frames that are no bus
 * event carry type, seq, ts and data. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"
#include "base/mod.h"

static int queues_part(struct mod_house *h, unsigned parts, json_t *data)
{
	(void)h;
	if (parts & MOD_LIVE_QUEUES)
		json_object_set_new(data, "queues",
				    json_pack("[{s:s}]", "name", "sales"));
	return 0;
}

static int calls_part(struct mod_house *h, unsigned parts, json_t *data)
{
	(void)h;
	if (parts & MOD_LIVE_CALLS)
		json_object_set_new(data, "calls",
				    json_pack("[{s:s}]", "id", "C1"));
	return 0;
}

static int failing(struct mod_house *h, unsigned parts, json_t *data)
{
	(void)h;
	(void)parts;
	(void)data;
	return ENOMEM;
}

static const struct mod_export m_queue = {.name = "queue",
					  .snapshot = queues_part};
static const struct mod_export m_call = {.name = "call",
					 .snapshot = calls_part};
static const struct mod_export m_none = {.name = "none"};
static const struct mod_export m_fail = {.name = "fail",
					 .snapshot = failing};

static void check(const struct mod_export *const *mods, size_t n,
		  unsigned parts, const char *want)
{
	struct api api = {.mods = mods, .nmods = n};
	json_t *got = NULL, *w = json_loads(want, 0, NULL);
	char *g;

	assert_int_equal(0, api_live(&api, parts, &got));
	g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
	if (!json_equal(got, w))
		fail_msg("got %s, want %s", g, want);
	free(g);
	json_decref(got);
	json_decref(w);
}

static void every_part_asked_for_is_an_array(void **state)
{
	const struct mod_export *const mods[] = {&m_none, &m_queue, &m_call};
	(void)state;

	check(mods, 3, MOD_LIVE_AGENTS | MOD_LIVE_QUEUES | MOD_LIVE_CALLS,
	      "{\"agents\":[],\"queues\":[{\"name\":\"sales\"}],"
	      "\"calls\":[{\"id\":\"C1\"}]}");
	check(mods, 3, MOD_LIVE_QUEUES, "{\"queues\":[{\"name\":\"sales\"}]}");
	check(mods, 1, MOD_LIVE_CALLS, "{\"calls\":[]}");
}

static void a_hook_that_fails_fails_the_view(void **state)
{
	const struct mod_export *const mods[] = {&m_queue, &m_fail};
	struct api api = {.mods = mods, .nmods = 2};
	json_t *got = NULL;
	(void)state;

	assert_int_equal(ENOMEM, api_live(&api, MOD_LIVE_QUEUES, &got));
	assert_null(got);
}

static void a_frame_has_type_seq_ts_and_data(void **state)
{
	json_t *data = json_pack("{s:[]}", "queues"), *f;
	char *s = api_live_frame("queue.stats", 42, 1767225600123, data);
	(void)state;

	assert_non_null(s);
	f = json_loads(s, 0, NULL);
	assert_non_null(f);
	assert_string_equal("queue.stats",
			    json_string_value(json_object_get(f, "type")));
	assert_int_equal(42, json_integer_value(json_object_get(f, "seq")));
	assert_string_equal("2026-01-01T00:00:00.123Z",
			    json_string_value(json_object_get(f, "ts")));
	assert_true(json_equal(data, json_object_get(f, "data")));
	assert_int_equal(4, json_object_size(f));
	assert_int_equal(1, data->refcount);   /* still the caller's alone */
	json_decref(f);
	json_decref(data);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_part_asked_for_is_an_array),
		cmocka_unit_test(a_hook_that_fails_fails_the_view),
		cmocka_unit_test(a_frame_has_type_seq_ts_and_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
