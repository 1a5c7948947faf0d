/* app/cfg: the server's settings table (the house's rows, then every
 * module's) is sound, and docs/operations.md's settings table is exactly
 * what its rows print, so the docs cannot drift from the code. On a
 * difference the test prints the table to paste. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "app/app_int.h"

static const char header[] = "| key | flag | default | meaning |\n"
			     "| --- | --- | --- | --- |\n";

/* The table as `hotline serve` reads it; the tests' setup makes it. */
static struct field *defs;
static size_t ndefs;

static int setup(void **state)
{
	(void)state;
	return app_cfg_table(&defs, &ndefs);
}

static int teardown(void **state)
{
	(void)state;
	free(defs);
	return 0;
}

static size_t rows(void)
{
	return ndefs;
}

static void every_row_is_sound(void **state)
{
	char why[256] = "";

	(void)state;
	assert_null(defs[ndefs].name);
	if (field_table_check(defs, rows(), why, sizeof(why)))
		fail_msg("%s", why);
}

/* A key names one setting, however many modules there are. */
static void every_key_names_one_setting(void **state)
{
	(void)state;
	for (size_t i = 0; i < rows(); i++)
		for (size_t j = i + 1; j < rows(); j++)
			if (!strcmp(defs[i].name, defs[j].name))
				fail_msg("%s twice", defs[i].name);
}

/* A row's member lies inside the values struct its module declares. */
static int member_inside(const struct mod_settings *s, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].size && s->rows[i].off + s->rows[i].size >
		    s->size)
			fail_msg("%s lies outside its struct", s->rows[i].name);
	return 0;
}

static void every_member_is_in_its_struct(void **state)
{
	(void)state;
	assert_int_equal(0, app_cfg_each(member_inside, NULL));
}

/* Every bool setting is strict: "maybe" is refused, not read as false. */
static void every_bool_refuses_other_words(void **state)
{
	/* any module's values struct: every member lies inside */
	_Alignas(max_align_t) char s[4096] = {0};
	char why[256];

	(void)state;
	for (size_t i = 0; i < rows(); i++) {
		if (defs[i].kind != FIELD_BOOL)
			continue;
		assert_true(defs[i].off + defs[i].size <= sizeof(s));
		assert_int_equal(EINVAL, field_parse_text(&defs[i], "maybe",
							  s, why,
							  sizeof(why)));
		assert_non_null(strstr(why, "(want true or false)"));
	}
}

static void the_docs_table_is_the_rows(void **state)
{
	char *want, *doc, line[2048];
	size_t cap = 65536, at;
	FILE *f = fopen("docs/operations.md", "r");
	const char *start, *end;

	(void)state;
	assert_non_null(f);
	doc = calloc(1, cap);
	want = calloc(1, cap);
	assert_non_null(doc);
	assert_non_null(want);
	at = fread(doc, 1, cap - 1, f);
	fclose(f);
	doc[at] = '\0';
	at = (size_t)snprintf(want, cap, "%s", header);
	for (size_t i = 0; i < rows(); i++) {
		field_doc_row(&defs[i], line, sizeof(line));
		at += (size_t)snprintf(want + at, cap - at, "%s", line);
	}
	start = strstr(doc, header);
	end = start ? strstr(start, "\n\n") : NULL;
	if (!start || !end || (size_t)(end + 1 - start) != strlen(want) ||
	    strncmp(start, want, strlen(want))) {
		fputs(want, stdout);
		fail_msg("docs/operations.md's settings table differs from "
			 "the settings rows (src/app/cfg.c, src/*/settings.c); "
			 "it should read as printed above");
	}
	free(doc);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_sound),
		cmocka_unit_test(every_key_names_one_setting),
		cmocka_unit_test(every_member_is_in_its_struct),
		cmocka_unit_test(every_bool_refuses_other_words),
		cmocka_unit_test(the_docs_table_is_the_rows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
