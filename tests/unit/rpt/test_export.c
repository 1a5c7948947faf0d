/* The one writer of every report's CSV and XLSX (rpt_sink): the header is
 * the columns' Chinese names, numbers keep their column's decimals, an
 * empty value is an empty cell, a cell Excel would run as a formula is
 * defused, and the rows come in the order they were given. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "rpt/rpt_int.h"

static json_t *columns(void)
{
	return json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, {s:s, s:s, s:s},"
			 " {s:s, s:s, s:s}]",
			 "key", "key", "zh", "队列", "type", "text",
			 "key", "n", "zh", "来电量", "type", "int",
			 "key", "pct", "zh", "占比(%)", "type", "num2",
			 "key", "s", "zh", "平均(秒)", "type", "num1");
}

static char *write_csv(const json_t *cols, const json_t *rows, size_t *len)
{
	struct rpt_sink *s;
	char *buf = NULL;
	const json_t *row;
	size_t i;

	assert_int_equal(0, rpt_sink_open(&s, false, cols, "t"));
	json_array_foreach(rows, i, row)
		assert_int_equal(0, rpt_sink_row(s, row));
	assert_int_equal(0, rpt_sink_close(s, &buf, len));
	return buf;
}

static void csv_has_the_header_and_each_columns_decimals(void **state)
{
	json_t *cols = columns();
	json_t *rows = json_pack("[{s:s, s:i, s:f, s:f}, {s:s, s:i, s:n, "
				 "s:f}]", "key", "sales", "n", 2, "pct", 40.0,
				 "s", 62.5, "key", "合计", "n", 5, "pct",
				 "s", 12.3);
	size_t len;
	char *csv = write_csv(cols, rows, &len);
	const char want[] = "\xef\xbb\xbf队列,来电量,占比(%),平均(秒)\r\n"
		"sales,2,40.00,62.5\r\n合计,5,,12.3\r\n";

	(void)state;
	assert_int_equal(sizeof(want) - 1, len);
	assert_memory_equal(want, csv, len);
	free(csv);
	json_decref(rows);
	json_decref(cols);
}

static void a_formula_is_text_in_csv(void **state)
{
	json_t *cols = columns();
	json_t *rows = json_pack("[{s:s, s:i, s:f, s:f}]", "key",
				 "=HYPERLINK(\"x\")", "n", 1, "pct", 1.0, "s",
				 1.0);
	size_t len;
	char *csv = write_csv(cols, rows, &len);

	(void)state;
	assert_non_null(strstr(csv, "\"'=HYPERLINK(\"\"x\"\")\",1,1.00,1.0"));
	free(csv);
	json_decref(rows);
	json_decref(cols);
}

static void xlsx_is_a_workbook(void **state)
{
	json_t *cols = columns();
	json_t *row = json_pack("{s:s, s:i, s:f, s:f}", "key", "sales", "n", 2,
				"pct", 40.0, "s", 62.5);
	struct rpt_sink *s;
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(0, rpt_sink_open(&s, true, cols, "来电分类统计"));
	assert_int_equal(0, rpt_sink_row(s, row));
	assert_int_equal(0, rpt_sink_close(s, &buf, &len));
	assert_true(len > 4);
	assert_memory_equal("PK\x03\x04", buf, 4);
	free(buf);
	json_decref(row);
	json_decref(cols);
}

static void an_abandoned_sink_frees_what_it_held(void **state)
{
	json_t *cols = columns();
	struct rpt_sink *s;

	(void)state;
	assert_int_equal(0, rpt_sink_open(&s, true, cols, "t"));
	rpt_sink_abort(s);
	assert_int_equal(0, rpt_sink_open(&s, false, cols, "t"));
	rpt_sink_abort(s);
	rpt_sink_abort(NULL);
	json_decref(cols);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_has_the_header_and_each_columns_decimals),
		cmocka_unit_test(a_formula_is_text_in_csv),
		cmocka_unit_test(xlsx_is_a_workbook),
		cmocka_unit_test(an_abandoned_sink_frees_what_it_held),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
