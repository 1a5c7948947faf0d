/* The module table of `hotline serve`: what must hold of its rows for the
 * start and stop order to be right (app/modules.c, base/mod.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "app/app.h"
#include "base/mod.h"

static size_t row_of(const char *name)
{
	for (size_t i = 0; i < app_nmodules; i++)
		if (!strcmp(app_modules[i]->name, name))
			return i;
	fail_msg("no module %s", name);
	return 0;
}

/* A module without a start serves routes: a row that does nothing is a
 * mistake. */
static void every_module_has_a_unique_name_and_does_something(void **state)
{
	(void)state;
	for (size_t i = 0; i < app_nmodules; i++) {
		assert_non_null(app_modules[i]->name);
		assert_true(app_modules[i]->start || app_modules[i]->routes);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(app_modules[i]->name,
						app_modules[j]->name);
	}
}

/* The database opens first, so it closes last and flushes what every other
 * module wrote while stopping. */
static void storage_starts_first_and_stops_last(void **state)
{
	(void)state;
	assert_int_equal(0, row_of("db"));
	assert_non_null(app_modules[0]->stop);
}

/* Each module uses only services of rows above it. */
static void services_start_before_their_users(void **state)
{
	(void)state;
	assert_true(row_of("eventlog") < row_of("sip"));  /* the bus */
	assert_true(row_of("sip") < row_of("route"));    /* extensions */
	assert_true(row_of("route") < row_of("call"));   /* where INVITEs go */
	assert_true(row_of("route") < row_of("ivr"));    /* its DIDs */
	assert_true(row_of("ivr") < row_of("call"));     /* flows calls run */
	assert_true(row_of("media") < row_of("call"));
	assert_true(row_of("tts") < row_of("call"));      /* the greeting */
	assert_true(row_of("call") < row_of("queue"));    /* queue hooks */
	assert_true(row_of("queue") < row_of("api"));
}

/* Calls drain before the API: their call.ended events still reach the
 * WebSocket clients, which get their close frame afterwards. */
static void calls_drain_before_the_api_says_goodbye(void **state)
{
	(void)state;
	assert_non_null(app_modules[row_of("call")]->drain);
	assert_non_null(app_modules[row_of("api")]->drain);
	assert_true(row_of("call") < row_of("api"));
}

/* A socket is bound in an open hook, before any start writes to disk. */
static void listeners_bind_in_their_open_hook(void **state)
{
	(void)state;
	assert_non_null(app_modules[row_of("sip")]->open);
	assert_non_null(app_modules[row_of("api")]->open);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_module_has_a_unique_name_and_does_something),
		cmocka_unit_test(storage_starts_first_and_stops_last),
		cmocka_unit_test(services_start_before_their_users),
		cmocka_unit_test(calls_drain_before_the_api_says_goodbye),
		cmocka_unit_test(listeners_bind_in_their_open_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
