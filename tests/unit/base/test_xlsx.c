/* base/xlsx, base/unzip, base/xlsxw: workbooks written by tools that are
 * not ours (openpyxl; Python's zipfile for hand-made parts, see
 * xlsx_fixtures.py) read into the rows Excel shows; broken, hostile and
 * oversized files refused with a reason, never a crash (also under random
 * truncations and bit flips); our writer's files read back by openpyxl and
 * by our reader. Runs from the repository's root, as tests/run.sh does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "base/util.h"
#include "base/xlsx.h"
#include "base/xlsxw.h"

/* Debian's python: python3-openpyxl is installed for it, not for any
 * other python3 that may come first on PATH. */
#define PY "/usr/bin/python3"

static char dir[] = "/tmp/test_xlsx.XXXXXX";

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

/* All rows as "row:kind=text|kind=text;" (kinds: - T N D B E). */
static void dump(struct xlsx *x, char *out, size_t cap)
{
	static const char kinds[] = "-TNDBE";
	const struct xlsx_row *r;
	size_t used = 0;

	out[0] = '\0';
	while (!xlsx_next(x, &r) && r) {
		used += snprintf(out + used, cap - used, "%zu:", r->row);
		for (size_t i = 0; i < r->n; i++)
			used += snprintf(out + used, cap - used, "%s%c=%s",
					 i ? "|" : "", kinds[r->kind[i]],
					 r->v[i]);
		used += snprintf(out + used, cap - used, ";");
		assert_true(used < cap);
	}
}

static void openpyxl_workbook_reads_as_excel_shows_it(void **state)
{
	size_t len;
	char *buf = slurp("book.xlsx", &len), out[1024];
	struct xlsx *x;
	struct xlsx_error e;

	(void)state;
	assert_int_equal(0, xlsx_open(&x, buf, len, NULL, &e));
	free(buf);           /* the reader keeps nothing of it */
	assert_string_equal("客户", xlsx_sheet_name(x));
	dump(x, out, sizeof(out));
	assert_string_equal(
		"1:T=姓名|T=电话|T=金额|T=生日|T=VIP|T=备注;"
		"2:T=张三|N=13800138000|N=3.5|D=45292|B=TRUE|T=第一行\n第二行;"
		"3:-=|T=0101234567;"
		"5:T=李四|-=|N=-0.25;", out);
	xlsx_free(x);
}

/* Prefixed element names, no cell references, rich text with phonetic
 * runs, inline and formula strings, errors, custom date formats (and a
 * quoted "d" that is not one), _xHHHH_ escapes, a workbook found through
 * relationships with absolute and ../ targets, first sheet listed second. */
static void hand_made_parts_cover_the_rest_of_the_format(void **state)
{
	/* the same parts deflated, then stored (ZIP method 0) */
	static const char *const names[] = {"hand.xlsx", "stored.xlsx"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		size_t len;
		char *buf = slurp(names[i], &len), out[1024];
		struct xlsx *x;

		assert_int_equal(0, xlsx_open(&x, buf, len, NULL, NULL));
		free(buf);
		assert_string_equal("第一", xlsx_sheet_name(x));
		dump(x, out, sizeof(out));
		assert_string_equal(
			"1:T=富文本 |T=内联|T=公式结果|E=#N/A|D=45292.5|"
			"T=a\rb_x0041_;"
			"2:-=|-=|D=2024-01-01T00:00:00|N=1e3;", out);
		xlsx_free(x);
	}
}

static void expect_error(const char *name, const struct xlsx_opts *o,
			 int err, size_t row, size_t col, const char *part)
{
	size_t len;
	char *buf = slurp(name, &len);
	struct xlsx *x = NULL;
	struct xlsx_error e;

	assert_int_equal(err, xlsx_open(&x, buf, len, o, &e));
	assert_null(x);
	if (!strstr(e.reason, part))
		fail_msg("%s: reason \"%s\" lacks \"%s\"", name, e.reason,
			 part);
	assert_int_equal(row, e.row);
	assert_int_equal(col, e.column);
	free(buf);
}

static void broken_files_are_refused_with_a_reason(void **state)
{
	static const char *const hostile = "hello, not a zip";
	struct xlsx *x = NULL;
	struct xlsx_error e;

	(void)state;
	expect_error("corrupt.xlsx", NULL, EBADMSG, 0, 0, "sheet1.xml: ");
	expect_error("bad_sst.xlsx", NULL, EBADMSG, 1, 1,
		     "shared string \"5\" does not exist");
	expect_error("bad_ref.xlsx", NULL, EBADMSG, 1, 0,
		     "bad cell reference \"1A\"");
	expect_error("bad_num.xlsx", NULL, EBADMSG, 7, 2, "is not a number");
	expect_error("backwards.xlsx", NULL, EBADMSG, 3, 0,
		     "row 3 comes after row 5");
	expect_error("bad_xml.xlsx", NULL, EBADMSG, 0, 0, "malformed XML");
	expect_error("doctype.xlsx", NULL, EBADMSG, 0, 0, "DOCTYPE");
	expect_error("no_sheet.xlsx", NULL, EBADMSG, 0, 0,
		     "first sheet's part is missing");
	assert_int_equal(EBADMSG, xlsx_open(&x, hostile, strlen(hostile),
					    NULL, &e));
	assert_non_null(strstr(e.reason, "not a ZIP"));
	assert_int_equal(EBADMSG, xlsx_open(&x, "", 0, NULL, &e));
	assert_null(x);
}

static void limits_stop_zip_bombs_and_wide_sheets(void **state)
{
	struct xlsx_opts o = {.max_part = 1 << 20};
	size_t len;
	char *buf = slurp("bomb.xlsx", &len);
	struct xlsx *x;

	(void)state;
	assert_true(len < 64 << 10);
	expect_error("bomb.xlsx", &o, EFBIG, 0, 0, "limit of 1048576");
	o = (struct xlsx_opts){.max_total = 2 << 20};
	expect_error("bomb.xlsx", &o, EFBIG, 0, 0, "workbook is larger");
	/* with the default limits the same file is fine: 8 MiB of spaces */
	assert_int_equal(0, xlsx_open(&x, buf, len, NULL, NULL));
	xlsx_free(x);
	free(buf);
	o = (struct xlsx_opts){.max_cols = 10};
	expect_error("wide.xlsx", &o, EFBIG, 2, 28, "column AB is beyond");
}

/* Every prefix of a workbook is refused (the end record is gone); random
 * bit flips are refused or read, never a crash (ASan build). */
static void truncations_and_bit_flips_never_crash(void **state)
{
	static const char *const names[] = {"book.xlsx", "hand.xlsx",
					    "stored.xlsx"};
	uint32_t seed = 12345;

	(void)state;
	for (size_t f = 0; f < ARRAY_LEN(names); f++) {
		size_t len;
		char *buf = slurp(names[f], &len);
		char *copy = malloc(len);
		struct xlsx *x;
		struct xlsx_error e;

		for (size_t cut = 0; cut < len; cut += 1 + cut / 40) {
			/* exact size: ASan sees any read past the cut */
			char *part = malloc(cut ? cut : 1);

			memcpy(part, buf, cut);
			assert_int_not_equal(0, xlsx_open(&x, part, cut, NULL,
							  &e));
			assert_true(e.reason[0]);
			free(part);
		}
		for (int i = 0; i < 1500; i++) {
			int r;

			memcpy(copy, buf, len);
			for (int k = 0; k < 1 + i % 4; k++) {
				seed = seed * 1103515245u + 12345u;
				copy[(seed >> 8) % len] ^= (char)(1u << (seed >> 28 & 7));
			}
			r = xlsx_open(&x, copy, len, NULL, &e);
			if (!r)
				xlsx_free(x);
			else if (!e.reason[0])
				fail_msg("%s flip %d: error %d without a reason",
					 names[f], i, r);
		}
		free(copy);
		free(buf);
	}
}

/* Serial days to Unix ms: 1900 system (with its phantom leap day), 1904
 * system read from the workbook openpyxl wrote. */
static void serial_days_become_times(void **state)
{
	size_t len;
	char *buf = slurp("book.xlsx", &len);
	struct xlsx *x;
	const struct xlsx_row *r;
	int64_t ms;

	(void)state;
	assert_int_equal(0, xlsx_open(&x, buf, len, NULL, NULL));
	free(buf);
	assert_int_equal(0, xlsx_date_ms(x, "45292", &ms));
	assert_int_equal(1704067200000, ms);            /* 2024-01-01 */
	assert_int_equal(0, xlsx_date_ms(x, "45292.5", &ms));
	assert_int_equal(1704110400000, ms);            /* 12:00 */
	assert_int_equal(0, xlsx_date_ms(x, "1", &ms));
	assert_int_equal(-2208988800000, ms);           /* 1900-01-01 */
	assert_int_equal(0, xlsx_date_ms(x, "59", &ms));
	assert_int_equal(-2203977600000, ms);           /* 1900-02-28 */
	assert_int_equal(0, xlsx_date_ms(x, "61", &ms));
	assert_int_equal(-2203891200000, ms);           /* 1900-03-01 */
	assert_int_equal(EINVAL, xlsx_date_ms(x, "60", &ms));
	assert_int_equal(EINVAL, xlsx_date_ms(x, "-1", &ms));
	assert_int_equal(EINVAL, xlsx_date_ms(x, "1x", &ms));
	xlsx_free(x);

	buf = slurp("mac.xlsx", &len);
	assert_int_equal(0, xlsx_open(&x, buf, len, NULL, NULL));
	free(buf);
	assert_int_equal(0, xlsx_next(x, &r));
	assert_non_null(r);
	assert_int_equal(XLSX_DATE, r->kind[0]);
	assert_string_not_equal("45292.5", r->v[0]);
	assert_int_equal(0, xlsx_date_ms(x, r->v[0], &ms));
	assert_int_equal(1704110400000, ms);
	xlsx_free(x);
}

static void column_letters(void **state)
{
	static const struct { const char *s; size_t col; } t[] = {
		{"A1", 1}, {"Z9", 26}, {"AA1", 27}, {"AB", 28}, {"XFD1", 16384},
		{"XFE1", 0}, {"1", 0}, {"ZZZZ1", 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		const char *p = t[i].s;

		assert_int_equal(t[i].col, xlsx_col_number(&p));
	}
}

/* An export: header, text that must stay text (leading zero, 11+ digits),
 * numbers, a time, an empty cell; openpyxl checks values, the bold frozen
 * header, the filter and the widths; our reader reads the same values. */
static void exports_read_back_by_openpyxl_and_by_us(void **state)
{
	static const char *const head[] = {"姓名", "电话", "金额", "时间",
					   "备注"};
	const struct xlsxw_cell rows[][5] = {
		{{XLSXW_TEXT, "张三", 0}, {XLSXW_TEXT, "013800138000", 0},
		 {XLSXW_NUMBER, NULL, 3.25}, {XLSXW_TIME, NULL, 1704067200000.0},
		 {XLSXW_TEXT, "很长的备注：客户要求下周回电，确认安装时间", 0}},
		{{XLSXW_TEXT, "Li", 0}, {XLSXW_TEXT, NULL, 0},
		 {XLSXW_NUMBER, NULL, -1}, {XLSXW_TEXT, "", 0},
		 {XLSXW_TEXT, "a,\"b\"\nc", 0}},
	};
	const struct xlsxw_cell bad_utf8 = {XLSXW_TEXT, "\xff", 0};
	const struct xlsxw_cell nan_cell = {XLSXW_NUMBER, NULL, NAN};
	char path[128], cmd[2048], out[1024];
	struct xlsxw *w;
	struct xlsx *x;
	size_t len;
	char *buf;

	(void)state;
	snprintf(path, sizeof(path), "%s/export.xlsx", dir);
	assert_int_equal(EINVAL, xlsxw_open(&w, path, "bad[name]", head, 5));
	assert_int_equal(EINVAL, xlsxw_open(&w, path, "客户", head, 0));
	assert_int_equal(0, xlsxw_open(&w, path, "客户", head, 5));
	assert_int_equal(0, xlsxw_row(w, rows[0], 5));
	assert_int_equal(EILSEQ, xlsxw_row(w, &bad_utf8, 1));
	assert_int_equal(EINVAL, xlsxw_row(w, &nan_cell, 1));
	assert_int_equal(EINVAL, xlsxw_row(w, rows[0], 6));
	assert_int_equal(0, xlsxw_row(w, rows[1], 5));
	assert_int_equal(0, xlsxw_close(w));

	snprintf(cmd, sizeof(cmd), PY " - '%s' <<'PY'\n"
		 "import sys, datetime, openpyxl\n"
		 "wb = openpyxl.load_workbook(sys.argv[1])\n"
		 "ws = wb.worksheets[0]\n"
		 "assert ws.title == '客户'\n"
		 "v = [[c.value for c in r] for r in ws.iter_rows()]\n"
		 "assert v == [['姓名', '电话', '金额', '时间', '备注'],\n"
		 "  ['张三', '013800138000', 3.25, datetime.datetime(2024, 1, 1),\n"
		 "   '很长的备注：客户要求下周回电，确认安装时间'],\n"
		 "  ['Li', None, -1, None, 'a,\"b\"\\nc']], v\n"
		 "assert ws['A1'].font.b and not ws['A2'].font.b\n"
		 "assert ws.freeze_panes == 'A2', ws.freeze_panes\n"
		 "assert ws.auto_filter.ref == 'A1:E3', ws.auto_filter.ref\n"
		 "w = {k: ws.column_dimensions[k].width for k in 'ABCDE'}\n"
		 "assert all(abs(w[k] - n) < 1 for k, n in ((\"A\", 8), (\"B\", 14), (\"D\", 21))), w\n"
		 "assert w['E'] > 40, w\n"
		 "PY", path);
	assert_int_equal(0, system(cmd));

	buf = slurp("export.xlsx", &len);
	assert_int_equal(0, xlsx_open(&x, buf, len, NULL, NULL));
	free(buf);
	dump(x, out, sizeof(out));
	assert_string_equal(
		"1:T=姓名|T=电话|T=金额|T=时间|T=备注;"
		"2:T=张三|T=013800138000|N=3.25|D=45292|"
		"T=很长的备注：客户要求下周回电，确认安装时间;"
		"3:T=Li|-=|N=-1|-=|T=a,\"b\"\nc;", out);
	xlsx_free(x);
}

/* An export sent whole: made in a temporary file of its own under
 * $TMPDIR, given back as bytes that read as the workbook, and the file is
 * gone afterwards (and after an abort). */
static void an_export_in_memory_leaves_no_file(void **state)
{
	static const char *const head[] = {"项目", "数值"};
	const struct xlsxw_cell row[] = {{XLSXW_TEXT, "总数", 0},
					 {XLSXW_NUMBER, NULL, 42}};
	char tmp[160], cmd[300], out[256];
	struct xlsxw *w;
	struct xlsx *x;
	size_t len = 0;
	char *buf = NULL;

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	assert_int_equal(0, mkdir(tmp, 0700));
	assert_int_equal(0, setenv("TMPDIR", tmp, 1));
	assert_int_equal(0, xlsxw_open_temp(&w, "报表", head, 2));
	assert_int_equal(0, xlsxw_row(w, row, 2));
	assert_int_equal(0, xlsxw_close_bytes(w, &buf, &len));
	assert_true(len > 4 && !memcmp(buf, "PK", 2));
	assert_int_equal(0, xlsx_open(&x, buf, len, NULL, NULL));
	free(buf);
	dump(x, out, sizeof(out));
	assert_string_equal("1:T=项目|T=数值;2:T=总数|N=42;", out);
	xlsx_free(x);
	assert_int_equal(0, xlsxw_open_temp(&w, "报表", head, 2));
	xlsxw_abort(w);
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", tmp);
	assert_int_equal(0, system(cmd));
	assert_int_equal(0, rmdir(tmp));
	unsetenv("TMPDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(openpyxl_workbook_reads_as_excel_shows_it),
		cmocka_unit_test(hand_made_parts_cover_the_rest_of_the_format),
		cmocka_unit_test(broken_files_are_refused_with_a_reason),
		cmocka_unit_test(limits_stop_zip_bombs_and_wide_sheets),
		cmocka_unit_test(truncations_and_bit_flips_never_crash),
		cmocka_unit_test(serial_days_become_times),
		cmocka_unit_test(column_letters),
		cmocka_unit_test(exports_read_back_by_openpyxl_and_by_us),
		cmocka_unit_test(an_export_in_memory_leaves_no_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
