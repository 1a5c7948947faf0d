/* The module table's runners: opens and starts in table order, the first
 * failure ends the phase, and every module whose turn came is stopped,
 * last first, whether or not it got as far as starting. A module's
 * settings load, typed, into values of its own, or not at all. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "base/cfg.h"
#include "base/mod.h"

/* What ran, in order: "oA sA xA" = open, start, stop of module A. */
static char trail[256];
static const char *fail_at;    /* "oB": B's open fails */

static void note(char what, const char *name)
{
	size_t l = strlen(trail);
	snprintf(trail + l, sizeof(trail) - l, "%s%c%s", l ? " " : "", what,
		 name);
}

static int failing(char what, const char *name, char *err, size_t n)
{
	char tag[8];

	snprintf(tag, sizeof(tag), "%c%s", what, name);
	if (!fail_at || strcmp(tag, fail_at))
		return 0;
	snprintf(err, n, "%s failed", tag);
	return EIO;
}

#define HOOKS(X) \
	static int open_##X(struct mod_house *h, char *err, size_t n) \
	{ (void)h; note('o', #X); return failing('o', #X, err, n); } \
	static int start_##X(struct mod_house *h, char *err, size_t n) \
	{ (void)h; note('s', #X); return failing('s', #X, err, n); } \
	static void stop_##X(struct mod_house *h) { (void)h; note('x', #X); }

HOOKS(A)
HOOKS(B)

/* C has no open hook and nothing to stop. */
static int start_C(struct mod_house *h, char *err, size_t n)
{
	(void)h;
	note('s', "C");
	return failing('s', "C", err, n);
}

static const struct mod_export mA = {.name = "A", .open = open_A,
				     .start = start_A, .stop = stop_A};
static const struct mod_export mB = {.name = "B", .open = open_B,
				     .start = start_B, .stop = stop_B};
static const struct mod_export mC = {.name = "C", .start = start_C};
static const struct mod_export *const mods[] = {&mA, &mB, &mC};

/* serve's sequence: open all, start all, stop what was reached. */
static int run(const char *fail)
{
	struct mod_house h = {0};
	char err[64] = "";
	size_t reached = 0;
	int e;

	trail[0] = '\0';
	fail_at = fail;
	e = mod_open_all(mods, 3, &h, &reached, err, sizeof(err));
	if (!e)
		e = mod_start_all(mods, 3, &h, err, sizeof(err));
	mod_stop_all(mods, reached, &h);
	return e;
}

static void opens_then_starts_in_order_and_stops_in_reverse(void **state)
{
	(void)state;
	assert_int_equal(0, run(NULL));
	assert_string_equal("oA oB sA sB sC xB xA", trail);
}

static void a_failed_open_starts_nothing_and_stops_those_reached(void **state)
{
	(void)state;
	assert_int_equal(EIO, run("oB"));
	assert_string_equal("oA oB xB xA", trail);
}

static void a_failed_start_runs_no_later_start_but_stops_everyone(void **state)
{
	(void)state;
	assert_int_equal(EIO, run("sA"));
	assert_string_equal("oA oB sA xB xA", trail);
}

static void the_failing_hook_explains_itself(void **state)
{
	struct mod_house h = {0};
	char err[64] = "";
	size_t reached = 9;

	(void)state;
	trail[0] = '\0';
	fail_at = "oA";
	assert_int_equal(EIO, mod_open_all(mods, 3, &h, &reached, err,
					   sizeof(err)));
	assert_int_equal(1, reached);
	assert_string_equal("oA failed", err);
}

struct vals { int64_t days; bool on; };
static const struct field rows[] = {
	{.name = "m.days", .kind = FIELD_INT, .lo = 0, .hi = 365, .def = "7",
	 FIELD_AT(struct vals, days), .help = "days"},
	{.name = "m.on", .kind = FIELD_BOOL, .def = "true",
	 FIELD_AT(struct vals, on), .help = "on"},
	{0},
};
static const struct mod_settings settings = {rows, 2, sizeof(struct vals)};

static void settings_load_typed_or_not_at_all(void **state)
{
	struct mod_house h = {0};
	struct cfg *c;
	struct vals *v = NULL;
	char err[160] = "";
	(void)state;

	assert_int_equal(0, cfg_alloc(&c, rows));
	h.cfg = c;
	assert_int_equal(0, mod_settings_load(&h, &settings, (void **)&v, err,
					      sizeof(err)));
	assert_int_equal(7, v->days);
	assert_true(v->on);
	free(v);
	v = NULL;
	assert_int_equal(0, cfg_set(c, "m.days", "366"));
	assert_int_equal(EINVAL, mod_settings_load(&h, &settings, (void **)&v,
						   err, sizeof(err)));
	assert_null(v);
	assert_non_null(strstr(err, "m.days"));
	cfg_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opens_then_starts_in_order_and_stops_in_reverse),
		cmocka_unit_test(a_failed_open_starts_nothing_and_stops_those_reached),
		cmocka_unit_test(a_failed_start_runs_no_later_start_but_stops_everyone),
		cmocka_unit_test(the_failing_hook_explains_itself),
		cmocka_unit_test(settings_load_typed_or_not_at_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
