/* app/cfg: the server's settings table is sound, and docs/operations.md's
 * settings table is exactly what its rows print, so the docs cannot drift
 * from the code. On a difference the test prints the table to paste. */
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

static size_t rows(void)
{
	size_t n = 0;

	while (app_cfg_defs[n].name)
		n++;
	return n;
}

static void every_row_is_sound(void **state)
{
	char why[256] = "";

	(void)state;
	if (field_table_check(app_cfg_defs, rows(), why, sizeof(why)))
		fail_msg("%s", why);
}

/* Every bool setting is strict: "maybe" is refused, not read as false. */
static void every_bool_refuses_other_words(void **state)
{
	struct app_settings s = {0};
	char why[256];

	(void)state;
	for (size_t i = 0; i < rows(); i++) {
		if (app_cfg_defs[i].kind != FIELD_BOOL)
			continue;
		assert_int_equal(EINVAL, field_parse_text(&app_cfg_defs[i],
							  "maybe", &s, why,
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
		field_doc_row(&app_cfg_defs[i], line, sizeof(line));
		at += (size_t)snprintf(want + at, cap - at, "%s", line);
	}
	start = strstr(doc, header);
	end = start ? strstr(start, "\n\n") : NULL;
	if (!start || !end || (size_t)(end + 1 - start) != strlen(want) ||
	    strncmp(start, want, strlen(want))) {
		fputs(want, stdout);
		fail_msg("docs/operations.md's settings table differs from "
			 "src/app/cfg.c; it should read as printed above");
	}
	free(doc);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_sound),
		cmocka_unit_test(every_bool_refuses_other_words),
		cmocka_unit_test(the_docs_table_is_the_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
