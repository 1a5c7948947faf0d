/* rpt/export: every report's CSV and XLSX, from the rows its JSON holds
 * (base/csv's writer, base/xlsxw's workbook). One path for all reports:
 * the columns' types decide each cell, so a number is written with its
 * column's decimals in CSV and as the same double in XLSX, and reads back
 * as the number the JSON has. Headers are the columns' Chinese names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/csv.h"
#include "base/xlsxw.h"
#include "rpt/rpt_int.h"

enum { CELL_LEN = 512 };

static int decimals(const json_t *col)
{
	const char *t = json_string_value(json_object_get(col, "type"));

	return !t ? 0 : !strcmp(t, "num1") ? 1 : !strcmp(t, "num2") ? 2 : 0;
}

static void cell_text(const json_t *v, int dec, char *out, size_t n)
{
	if (json_is_string(v))
		util_strlcpy(out, json_string_value(v), n);
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.*f", dec, json_real_value(v));
	else
		out[0] = '\0';
}

static int csv_rows(FILE *f, const json_t *columns, const json_t *row)
{
	size_t nc = json_array_size(columns);
	const char *v[RPT_COLS_MAX + 2];
	char (*buf)[CELL_LEN] = calloc(nc ? nc : 1, CELL_LEN);
	const json_t *col;
	size_t i;
	int err;

	if (!buf || nc > ARRAY_LEN(v)) {
		free(buf);
		return ENOMEM;
	}
	json_array_foreach(columns, i, col) {
		const char *key = json_string_value(json_object_get(col, "key"));

		if (row)
			cell_text(json_object_get(row, key), decimals(col),
				  buf[i], CELL_LEN);
		v[i] = row ? buf[i] : json_string_value(json_object_get(col,
									"zh"));
	}
	err = csv_write_row(f, v, nc, CSV_SAFE);
	free(buf);
	return err;
}

int rpt_csv(const json_t *columns, const json_t *rows, const json_t *total,
	    char **bufp, size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0, i;
	const json_t *row;
	FILE *f = open_memstream(&buf, &len);
	int err = f ? csv_write_bom(f) : ENOMEM;

	err = err ? err : csv_rows(f, columns, NULL);
	json_array_foreach(rows, i, row)
		err = err ? err : csv_rows(f, columns, row);
	if (!err && total)
		err = csv_rows(f, columns, total);
	if (f && fclose(f))
		err = err ? err : EIO;
	if (err) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static int xlsx_row(struct xlsxw *w, const json_t *columns, const json_t *row)
{
	size_t nc = json_array_size(columns), i;
	struct xlsxw_cell c[RPT_COLS_MAX + 2];
	const json_t *col;

	if (nc > ARRAY_LEN(c))
		return EINVAL;
	json_array_foreach(columns, i, col) {
		const json_t *v = json_object_get(row, json_string_value(
			json_object_get(col, "key")));

		if (json_is_number(v))
			c[i] = (struct xlsxw_cell){XLSXW_NUMBER, NULL,
						   json_number_value(v)};
		else
			c[i] = (struct xlsxw_cell){XLSXW_TEXT,
						   json_string_value(v), 0};
	}
	return xlsxw_row(w, c, nc);
}

/* libxlsxwriter writes files: the workbook is made in a temporary file
 * and read back whole (an export is at most RPT_EXPORT_MAX rows). */
static int slurp(const char *path, char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	long len;
	char *buf;

	if (!f)
		return EIO;
	len = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	rewind(f);
	buf = len > 0 ? malloc((size_t)len) : NULL;
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return EIO;
	}
	fclose(f);
	*bufp = buf;
	*lenp = (size_t)len;
	return 0;
}

int rpt_xlsx(const json_t *columns, const json_t *rows, const json_t *total,
	     const char *sheet, char **bufp, size_t *lenp)
{
	const char *head[RPT_COLS_MAX + 2];
	char path[] = "/tmp/hotline-rpt-XXXXXX";
	size_t nc = json_array_size(columns), i;
	struct xlsxw *w = NULL;
	const json_t *row;
	int fd = mkstemp(path), err;

	if (fd < 0)
		return EIO;
	close(fd);
	if (nc > ARRAY_LEN(head)) {
		unlink(path);
		return EINVAL;
	}
	json_array_foreach(columns, i, row)
		head[i] = json_string_value(json_object_get(row, "zh"));
	err = xlsxw_open(&w, path, sheet, head, nc);
	json_array_foreach(rows, i, row)
		err = err ? err : xlsx_row(w, columns, row);
	if (!err && total)
		err = xlsx_row(w, columns, total);
	if (w)
		err = err ? (xlsxw_abort(w), err) : xlsxw_close(w);
	if (!err)
		err = slurp(path, bufp, lenp);
	unlink(path);
	return err;
}
