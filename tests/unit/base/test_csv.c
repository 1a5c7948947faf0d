/* base/csv: files as Excel and WPS save them (BOM, GBK, CRLF, quotes with
 * commas and line breaks) read into the rows Excel shows, with Excel's row
 * numbers; broken files stop with row, column and reason; what the writer
 * writes, the reader and Python's csv module read back. */
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
#include "base/util.h"
#include "base/csv.h"

/* Reads all of text into "row:f1|f2;row:f1;" and returns csv_next's last
 * result; *e gets the error. */
static int dump(const char *text, size_t len, const struct csv_opts *o,
		char *out, size_t cap, struct csv_error *e)
{
	struct csv *c;
	const struct csv_row *r;
	size_t used = 0;
	int err;

	out[0] = '\0';
	memset(e, 0, sizeof(*e));
	err = csv_open(&c, text, len, o, e);
	if (err)
		return err;
	while (!(err = csv_next(c, &r, e)) && r) {
		used += snprintf(out + used, cap - used, "%zu:", r->row);
		for (size_t i = 0; i < r->n; i++)
			used += snprintf(out + used, cap - used, "%s%s",
					 i ? "|" : "", r->v[i]);
		used += snprintf(out + used, cap - used, ";");
		assert_true(used < cap);
	}
	/* errors are sticky; the end stays the end */
	assert_int_equal(err, csv_next(c, &r, NULL));
	assert_null(r);
	csv_free(c);
	return err;
}

#define READ(text, want) do { \
	char out_[1024]; struct csv_error e_; \
	assert_int_equal(0, dump(text, sizeof(text) - 1, NULL, out_, \
				 sizeof(out_), &e_)); \
	assert_string_equal(want, out_); \
} while (0)

#define BAD(text, err, row_, col_, part) do { \
	char out_[1024]; struct csv_error e_; \
	assert_int_equal(err, dump(text, sizeof(text) - 1, NULL, out_, \
				   sizeof(out_), &e_)); \
	assert_int_equal(row_, e_.row); \
	assert_int_equal(col_, e_.column); \
	assert_non_null(strstr(e_.reason, part)); \
} while (0)

static void plain_rows_lf_crlf_and_no_final_newline(void **state)
{
	(void)state;
	READ("name,phone\nZhang,138\n", "1:name|phone;2:Zhang|138;");
	READ("name,phone\r\nZhang,138\r\n", "1:name|phone;2:Zhang|138;");
	READ("name,phone\r\nZhang,138", "1:name|phone;2:Zhang|138;");
	/* old Mac line ends, and an empty last field */
	READ("a,b\rc,\r", "1:a|b;2:c|;");
	READ("", "");
}

static void quotes_hold_commas_quotes_and_line_breaks(void **state)
{
	(void)state;
	READ("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n",
	     "1:a|b;2:x,y|say \"hi\";");
	/* a line break inside quotes: one row, so the next is row 3 */
	READ("a,b\n\"line1\r\nline2\",z\nlast,row\n",
	     "1:a|b;2:line1\r\nline2|z;3:last|row;");
	READ("\"\",\"\"\"\"\n", "1:|\";");
	/* a quote inside an unquoted field is kept, as Excel does */
	READ("5\" disk,ok\n", "1:5\" disk|ok;");
}

static void blank_lines_are_skipped_but_counted(void **state)
{
	(void)state;
	READ("h\n\nx\n,,\n\r\ny\n", "1:h;3:x;6:y;");
}

static void bom_is_dropped_and_utf8_kept(void **state)
{
	struct csv *c;

	(void)state;
	READ("\xef\xbb\xbf姓名,电话\n张三,13800138000\n",
	     "1:姓名|电话;2:张三|13800138000;");
	assert_int_equal(0, csv_open(&c, "a", 1, NULL, NULL));
	assert_string_equal("UTF-8", csv_encoding(c));
	csv_free(c);
}

/* Bytes as Chinese Excel saves "CSV (逗号分隔)": GBK, no BOM. */
static void gbk_is_detected_and_converted(void **state)
{
	static const char gbk[] = "\xd0\xd5\xc3\xfb,\xb5\xe7\xbb\xb0\r\n"
		"\xd5\xc5\xc8\xfd,138\r\n"
		"\xc0\xee\xcb\xc4,\"\xb1\xb1\xbe\xa9,\xb3\xaf\xd1\xf4\"\r\n";
	struct csv *c;

	(void)state;
	READ(gbk, "1:姓名|电话;2:张三|138;3:李四|北京,朝阳;");
	assert_int_equal(0, csv_open(&c, gbk, sizeof(gbk) - 1, NULL, NULL));
	assert_string_equal("GB18030", csv_encoding(c));
	csv_free(c);
}

static void broken_files_name_row_column_and_reason(void **state)
{
	(void)state;
	BAD("a,b\nc,\"open\nd,e\n", EINVAL, 2, 2, "never closed");
	BAD("a,b\n1,\"x\"y\n", EINVAL, 2, 2, "after the closing quote");
	BAD("a,b\n1,x\0y\n", EINVAL, 2, 2, "NUL");
	/* 0x80 alone is neither UTF-8 nor GB18030 */
	BAD("a,b\n1,\"q\"\nok,\x80\n", EILSEQ, 3, 2, "neither UTF-8 nor");
	BAD("\xff\xfe" "a\0,\0", EILSEQ, 0, 0, "UTF-16");
}

static void limits_are_enforced(void **state)
{
	struct csv_opts o = {.max_bytes = 8};
	struct csv_error e;
	char out[256];

	(void)state;
	assert_int_equal(EFBIG, dump("123456789", 9, &o, out, sizeof(out), &e));
	assert_non_null(strstr(e.reason, "limit of 8"));
	o = (struct csv_opts){.max_fields = 3};
	assert_int_equal(0, dump("a,b,c\n", 6, &o, out, sizeof(out), &e));
	assert_int_equal(EFBIG, dump("a,b,c\n1,2,3,4\n", 14, &o, out,
				     sizeof(out), &e));
	assert_int_equal(2, e.row);
	assert_int_equal(4, e.column);
	o = (struct csv_opts){.max_field = 3};
	assert_int_equal(EFBIG, dump("abc,\"abcd\"\n", 11, &o, out,
				     sizeof(out), &e));
	assert_int_equal(1, e.row);
	assert_int_equal(2, e.column);
	o = (struct csv_opts){.max_rows = 2};
	assert_int_equal(EFBIG, dump("a\nb\nc\n", 6, &o, out, sizeof(out),
				     &e));
	assert_int_equal(3, e.row);
	/* TSV, as some CRMs export */
	o = (struct csv_opts){.delim = '\t'};
	assert_int_equal(0, dump("a\tb,c\n", 6, &o, out, sizeof(out), &e));
	assert_string_equal("1:a|b,c;", out);
}

static void utf8_validation_refuses_overlongs_and_surrogates(void **state)
{
	size_t bad = 99;

	(void)state;
	assert_true(csv_utf8_valid("ok 中文 😀", strlen("ok 中文 😀"), NULL));
	assert_false(csv_utf8_valid("ab\xc0\xaf", 4, &bad));
	assert_int_equal(2, bad);
	assert_false(csv_utf8_valid("\xed\xa0\x80", 3, &bad));
	assert_false(csv_utf8_valid("x\xe4\xb8", 3, &bad));
	assert_int_equal(1, bad);
	assert_false(csv_utf8_valid("\xf4\x90\x80\x80", 4, NULL));
}

/* Random text from the bytes that matter (quotes, separators, line ends,
 * NUL, UTF-8 and GBK lead bytes) under small limits: every input ends in
 * rows or an error with a reason, never a crash (ASan build). */
static void random_text_never_crashes(void **state)
{
	static const char alphabet[] = "\",\r\n\0a \xe4\xb8\xad\xd5\xc5\x80\xff";
	const struct csv_opts o = {.max_fields = 8, .max_field = 16,
				   .max_rows = 20};
	uint32_t seed = 4242;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		size_t len = (size_t)(i % 97);
		/* exact size: ASan sees any read past the end */
		char *text = malloc(len ? len : 1);
		const struct csv_row *r;
		struct csv_error e = {0};
		struct csv *c;
		int err;

		for (size_t k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			text[k] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		err = csv_open(&c, text, len, &o, &e);
		if (!err) {
			while (!(err = csv_next(c, &r, &e)) && r)
				for (size_t f = 0; f < r->n; f++)
					assert_true(strlen(r->v[f]) <= 16);
			csv_free(c);
		}
		if (err && !e.reason[0])
			fail_msg("input %d: error %d without a reason", i, err);
		free(text);
	}
}

/* The writer's output, with quotes, commas, line breaks, Chinese and
 * formula-looking cells, read by Python's csv module (utf-8-sig: the BOM)
 * and by our reader. */
static void written_rows_read_back_by_python_and_us(void **state)
{
	static const char *const rows[][4] = {
		{"姓名", "电话", "备注", "公式"},
		{"张三", "+8613800138000", "说 \"你好\", 再见", "=1+2"},
		{"李四", "-5", "line1\nline2", "@SUM(A1)"},
		{" lead", NULL, "", "-x"},
	};
	char path[] = "/tmp/test_csv.XXXXXX";
	char cmd[2048], *text = NULL, out[1024];
	size_t len = 0;
	struct csv_error e;
	FILE *f, *m;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	m = open_memstream(&text, &len);
	assert_int_equal(0, csv_write_bom(f));
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		assert_int_equal(0, csv_write_row(f, rows[i], 4, CSV_SAFE));
		assert_int_equal(0, csv_write_row(m, rows[i], 4, CSV_SAFE));
	}
	fclose(f);
	fclose(m);
	assert_non_null(strstr(text, "\"'=1+2\""));
	assert_non_null(strstr(text, ",+8613800138000,"));
	assert_non_null(strstr(text, ",-5,"));
	assert_non_null(strstr(text, "\r\n"));
	assert_int_equal(0, dump(text, len, NULL, out, sizeof(out), &e));
	assert_string_equal("1:姓名|电话|备注|公式;"
			    "2:张三|+8613800138000|说 \"你好\", 再见|'=1+2;"
			    "3:李四|-5|line1\nline2|'@SUM(A1);"
			    "4: lead|||'-x;", out);
	free(text);

	snprintf(cmd, sizeof(cmd), "python3 - '%s' <<'PY'\n"
		 "import csv, sys\n"
		 "raw = open(sys.argv[1], 'rb').read()\n"
		 "assert raw.startswith(b'\\xef\\xbb\\xbf'), raw[:4]\n"
		 "r = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))\n"
		 "assert r == [['姓名', '电话', '备注', '公式'],\n"
		 "  ['张三', '+8613800138000', '说 \"你好\", 再见', \"'=1+2\"],\n"
		 "  ['李四', '-5', 'line1\\nline2', \"'@SUM(A1)\"],\n"
		 "  [' lead', '', '', \"'-x\"]], r\n"
		 "PY", path);
	assert_int_equal(0, system(cmd));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_rows_lf_crlf_and_no_final_newline),
		cmocka_unit_test(quotes_hold_commas_quotes_and_line_breaks),
		cmocka_unit_test(blank_lines_are_skipped_but_counted),
		cmocka_unit_test(bom_is_dropped_and_utf8_kept),
		cmocka_unit_test(gbk_is_detected_and_converted),
		cmocka_unit_test(broken_files_name_row_column_and_reason),
		cmocka_unit_test(limits_are_enforced),
		cmocka_unit_test(utf8_validation_refuses_overlongs_and_surrogates),
		cmocka_unit_test(random_text_never_crashes),
		cmocka_unit_test(written_rows_read_back_by_python_and_us),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
