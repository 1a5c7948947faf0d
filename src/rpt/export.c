/* rpt/export: every report's CSV and XLSX, from the rows its JSON holds
 * (base/csv's writer, base/xlsxw's workbook), taken one at a time so a
 * detail of many rows is never all in memory as JSON. One path for all
 * reports:
 * the columns' types decide each cell, so a number is written with its
 * column's decimals in CSV and as the same double in XLSX, and reads back
 * as the number the JSON has. Headers are the columns' Chinese names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct rpt_sink {
	json_t *columns;          /* a ref */
	FILE *csv;                /* CSV: the memory stream, */
	char *buf;                /* its text */
	size_t len;
	struct xlsxw *x;          /* XLSX: the workbook, in a temporary file */
	int err;                  /* the first error; later rows do nothing */
};

int rpt_sink_open(struct rpt_sink **sp, bool xlsx, const json_t *columns,
		  const char *sheet)
{
	struct rpt_sink *s = calloc(1, sizeof(*s));
	const char *head[RPT_COLS_MAX + 2];
	size_t nc = json_array_size(columns), i;
	const json_t *col;
	int err;

	if (!s)
		return ENOMEM;
	s->columns = json_incref((json_t *)columns);
	if (nc > ARRAY_LEN(head)) {
		rpt_sink_abort(s);
		return EINVAL;
	}
	if (!xlsx) {
		s->csv = open_memstream(&s->buf, &s->len);
		err = s->csv ? csv_write_bom(s->csv) : ENOMEM;
		err = err ? err : csv_rows(s->csv, columns, NULL);
	} else {
		json_array_foreach(columns, i, col)
			head[i] = json_string_value(json_object_get(col, "zh"));
		err = xlsxw_open_temp(&s->x, sheet, head, nc);
	}
	if (err) {
		rpt_sink_abort(s);
		return err;
	}
	*sp = s;
	return 0;
}

int rpt_sink_row(struct rpt_sink *s, const json_t *row)
{
	if (!s->err)
		s->err = s->csv ? csv_rows(s->csv, s->columns, row)
				: xlsx_row(s->x, s->columns, row);
	return s->err;
}

int rpt_sink_close(struct rpt_sink *s, char **bufp, size_t *lenp)
{
	int err = s->err;

	if (s->csv) {
		if (fclose(s->csv))
			err = err ? err : EIO;
		s->csv = NULL;
		if (!err) {
			*bufp = s->buf;
			*lenp = s->len;
			s->buf = NULL;
		}
	} else {
		/* an export is at most RPT_EXPORT_MAX rows: read back whole */
		err = err ? (xlsxw_abort(s->x), err) :
			    xlsxw_close_bytes(s->x, bufp, lenp);
		s->x = NULL;
	}
	rpt_sink_abort(s);
	return err;
}

void rpt_sink_abort(struct rpt_sink *s)
{
	if (!s)
		return;
	if (s->csv)
		fclose(s->csv);
	free(s->buf);
	xlsxw_abort(s->x);
	json_decref(s->columns);
	free(s);
}
