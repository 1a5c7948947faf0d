/* base/events: the table of bus events is sound (one row per id, in id
 * order; names unique and "module.event" shaped; every column filled) and
 * docs/api.md's "Bus events" list is the same set of events. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/events.h"

static void ids_are_dense_and_name_their_row(void **state)
{
	size_t n;
	const struct bus_ev_row *rows = bus_ev_rows(&n);
	(void)state;

	assert_int_equal(BUS_EV_COUNT, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(i, rows[i].id);
		assert_non_null(rows[i].name);
		assert_ptr_equal(rows[i].name, bus_ev_name((enum bus_ev)i));
	}
	assert_null(bus_ev_name(BUS_EV_COUNT));
	assert_null(bus_ev_name((enum bus_ev)-1));
}

static void names_are_unique(void **state)
{
	size_t n;
	const struct bus_ev_row *rows = bus_ev_rows(&n);
	(void)state;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(rows[i].name, rows[j].name))
				fail_msg("%s is rows %zu and %zu", rows[i].name,
					 i, j);
}

/* "module.event": lower-case letters, one dot, then letters and '_'; so a
 * prefix subscription ("queue.") picks exactly one module's family. */
static int shaped(const char *name)
{
	size_t m = strspn(name, "abcdefghijklmnopqrstuvwxyz"), e;
	const char *ev = name + m + 1;

	if (m == 0 || name[m] != '.')
		return 0;
	e = strspn(ev, "abcdefghijklmnopqrstuvwxyz_");
	return e > 0 && ev[e] == '\0' && ev[0] != '_' && ev[e - 1] != '_';
}

static void every_name_is_module_dot_event(void **state)
{
	size_t n;
	const struct bus_ev_row *rows = bus_ev_rows(&n);
	(void)state;

	assert_true(shaped("call.ring_noanswer"));
	assert_false(shaped("call"));
	assert_false(shaped("call."));
	assert_false(shaped(".ended"));
	assert_false(shaped("call.ended.x"));
	assert_false(shaped("Call.ended"));
	assert_false(shaped("call.ended_"));
	for (size_t i = 0; i < n; i++)
		if (!shaped(rows[i].name))
			fail_msg("%s is not module.event", rows[i].name);
}

static void every_row_says_who_what_and_why(void **state)
{
	size_t n;
	const struct bus_ev_row *rows = bus_ev_rows(&n);
	(void)state;

	for (size_t i = 0; i < n; i++) {
		const struct bus_ev_row *r = &rows[i];
		if (!r->publisher || !*r->publisher || !r->subject ||
		    !*r->subject || !r->meaning || !*r->meaning)
			fail_msg("%s lacks a column", r->name);
	}
}

static int find(const char *name, size_t len)
{
	size_t n;
	const struct bus_ev_row *rows = bus_ev_rows(&n);

	for (size_t i = 0; i < n; i++)
		if (strlen(rows[i].name) == len &&
		    !strncmp(rows[i].name, name, len))
			return (int)i;
	return -1;
}

/* docs/api.md's "### Bus events" table has one row "| `name` |" per event
 * and no row for an event the bus does not carry. (Run from the top of
 * the tree, as tests/run.sh does.) */
static void every_event_is_documented_once(void **state)
{
	FILE *f = fopen("docs/api.md", "r");
	unsigned seen[BUS_EV_COUNT] = {0};
	char line[1024];
	int in = 0, rows = 0;
	(void)state;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		const char *name, *end;
		int i;

		if (line[0] == '#') {
			in = !strcmp(line, "### Bus events\n");
			continue;
		}
		if (!in || strncmp(line, "| `", 3))
			continue;
		name = line + 3;
		end = strchr(name, '`');
		assert_non_null(end);
		i = find(name, (size_t)(end - name));
		if (i < 0)
			fail_msg("docs/api.md lists %.*s, which the bus does "
				 "not carry", (int)(end - name), name);
		seen[i]++;
		rows++;
	}
	fclose(f);
	for (int i = 0; i < BUS_EV_COUNT; i++)
		if (seen[i] != 1)
			fail_msg("docs/api.md's Bus events list %s %u times",
				 bus_ev_name((enum bus_ev)i), seen[i]);
	assert_int_equal(BUS_EV_COUNT, rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_are_dense_and_name_their_row),
		cmocka_unit_test(names_are_unique),
		cmocka_unit_test(every_name_is_module_dot_event),
		cmocka_unit_test(every_row_says_who_what_and_why),
		cmocka_unit_test(every_event_is_documented_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
