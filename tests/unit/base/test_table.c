/* base/table: CSV and XLSX through one loop, told apart by their bytes;
 * dates arrive as the text Excel shows; errors of either reader pass
 * through with row and column. Fixtures: xlsx_fixtures.py (openpyxl,
 * Python's zipfile). Runs from the repository's root. */
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
#include "base/table.h"

#define PY "/usr/bin/python3"   /* Debian's, which has python3-openpyxl */

static char dir[] = "/tmp/test_table.XXXXXX";

static int setup(void **state)
{
	char cmd[256];

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), PY " tests/unit/base/xlsx_fixtures.py %s",
		 dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *name, size_t *len)
{
	char path[128];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal((size_t)n, fread(buf, 1, (size_t)n, f));
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Rows as "row:a|b;" and the last table_next result. */
static int dump(struct table *t, char *out, size_t cap, struct table_error *e)
{
	const struct table_row *r;
	size_t used = 0;
	int err;

	out[0] = '\0';
	while (!(err = table_next(t, &r, e)) && r) {
		used += snprintf(out + used, cap - used, "%zu:", r->row);
		for (size_t i = 0; i < r->n; i++)
			used += snprintf(out + used, cap - used, "%s%s",
					 i ? "|" : "", r->v[i]);
		used += snprintf(out + used, cap - used, ";");
		assert_true(used < cap);
	}
	return err;
}

static void xlsx_rows_with_dates_as_text(void **state)
{
	static const struct { const char *file, *sheet, *want; } t[] = {
		{"book.xlsx", "客户",
		 "1:姓名|电话|金额|生日|VIP|备注;"
		 "2:张三|13800138000|3.5|2024-01-01|TRUE|第一行\n第二行;"
		 "3:|0101234567;5:李四||-0.25;"},
		{"mac.xlsx", "Sheet", "1:2024-01-01 12:00:00;"},
		/* the last 45292 has no date style: a number */
		{"times.xlsx", "第一",
		 "1:18:00:00|2024-01-01 00:30:00|2024-01-01|45292;"},
	};
	struct table_error e;
	char out[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len;
		char *buf = slurp(t[i].file, &len);
		struct table *tb;

		assert_int_equal(0, table_open(&tb, buf, len, &e));
		assert_string_equal("xlsx", table_format(tb));
		assert_string_equal(t[i].sheet, table_sheet(tb));
		assert_null(table_encoding(tb));
		assert_int_equal(0, dump(tb, out, sizeof(out), &e));
		assert_string_equal(t[i].want, out);
		table_free(tb);
		free(buf);
	}
}

static void csv_rows_and_csv_errors(void **state)
{
	static const char gbk[] = "\xd0\xd5\xc3\xfb,\xb5\xe7\xbb\xb0\r\n"
				  "\xd5\xc5\xc8\xfd,138\r\n";
	static const char broken[] = "a,b\n1,2\n3,\"x\"y\n";
	struct table_error e;
	struct table *tb;
	char out[256];

	(void)state;
	assert_int_equal(0, table_open(&tb, gbk, sizeof(gbk) - 1, &e));
	assert_string_equal("csv", table_format(tb));
	assert_null(table_sheet(tb));
	assert_string_equal("GB18030", table_encoding(tb));
	assert_int_equal(0, dump(tb, out, sizeof(out), &e));
	assert_string_equal("1:姓名|电话;2:张三|138;", out);
	table_free(tb);

	assert_int_equal(0, table_open(&tb, broken, sizeof(broken) - 1, &e));
	assert_int_equal(EINVAL, dump(tb, out, sizeof(out), &e));
	assert_string_equal("1:a|b;2:1|2;", out);
	assert_int_equal(3, e.row);
	assert_int_equal(2, e.column);
	assert_non_null(strstr(e.reason, "after the closing quote"));
	table_free(tb);
}

static void old_xls_and_broken_xlsx_are_refused_by_name(void **state)
{
	struct table_error e;
	struct table *tb = NULL;
	size_t len;
	char *buf = slurp("old.xls", &len);

	(void)state;
	assert_int_equal(EBADMSG, table_open(&tb, buf, len, &e));
	assert_non_null(strstr(e.reason, "97-2003"));
	free(buf);
	buf = slurp("bad_num.xlsx", &len);
	assert_int_equal(EBADMSG, table_open(&tb, buf, len, &e));
	assert_int_equal(7, e.row);
	assert_int_equal(2, e.column);
	assert_non_null(strstr(e.reason, "not a number"));
	assert_null(tb);
	free(buf);
}

static void date_text(void **state)
{
	char out[TABLE_DATE_LEN];

	(void)state;
	table_date_text(out, 1704067200000);
	assert_string_equal("2024-01-01", out);
	table_date_text(out, 1704067200000 + 30 * 60000 + 499);
	assert_string_equal("2024-01-01 00:30:00", out);
	table_date_text(out, -2208988800000);
	assert_string_equal("1900-01-01", out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xlsx_rows_with_dates_as_text),
		cmocka_unit_test(csv_rows_and_csv_errors),
		cmocka_unit_test(old_xls_and_broken_xlsx_are_refused_by_name),
		cmocka_unit_test(date_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
