/* spc/export: the report pages' tables for Excel — a KPI's control chart
 * (a row per point), the calls by region (a row per province and city)
 * and a histogram (a row per bin) — as CSV (format=csv) or XLSX
 * (format=xlsx). Each table's rows are made from the very JSON its GET
 * answers, so the file and the console show the same numbers. Rows and
 * file are made on an api worker: libxlsxwriter writes a file, which the
 * loop must not wait on. The tables' columns are export_tables.c's. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/util.h"
#include "base/xlsxw.h"
#include "spc/spc_int.h"

enum { CELL_LEN = 256, MAX_COLS = 16 };

struct export_job {
	struct api_job j;
	json_t *src;         /* the answer to export; owned */
	const struct spc_table *t;
	bool xlsx;
	char name[80];       /* the file's name without extension */
	char *buf;           /* the file, made on the worker */
	size_t len;
};

/* Cell k of row as text: a whole number as one, a real to 10 digits, a
 * time column as RFC 3339, null as nothing. */
static void cell_text(const struct spc_table *t, const json_t *row, size_t k,
		      char *out)
{
	const json_t *v = json_array_get(row, k);

	if ((int)k == t->time_col && json_is_integer(v))
		util_rfc3339(out, json_integer_value(v));
	else if (json_is_integer(v))
		snprintf(out, CELL_LEN, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, CELL_LEN, "%.10g", json_real_value(v));
	else if (json_is_string(v))
		util_strlcpy(out, json_string_value(v), CELL_LEN);
	else
		out[0] = '\0';
}

static int write_csv(const struct spc_table *t, const json_t *rows,
		     char **bufp, size_t *lenp)
{
	FILE *f = open_memstream(bufp, lenp);
	int err = f ? csv_write_bom(f) : ENOMEM;
	const json_t *row;
	size_t i;

	if (!err)
		err = csv_write_row(f, t->cols, t->ncols, CSV_SAFE);
	json_array_foreach(rows, i, row) {
		char txt[MAX_COLS][CELL_LEN];
		const char *v[MAX_COLS];

		for (size_t k = 0; k < t->ncols; k++) {
			cell_text(t, row, k, txt[k]);
			v[k] = txt[k];
		}
		if (!err)
			err = csv_write_row(f, v, t->ncols, CSV_SAFE);
	}
	if (f && fclose(f))
		err = EIO;
	return err;
}

/* Cell k of row for Excel: numbers stay numbers, times times. */
static struct xlsxw_cell xcell(const struct spc_table *t, const json_t *row,
			       size_t k)
{
	const json_t *v = json_array_get(row, k);

	if ((int)k == t->time_col && json_is_integer(v))
		return (struct xlsxw_cell){XLSXW_TIME, NULL,
					   (double)json_integer_value(v)};
	if (json_is_number(v))
		return (struct xlsxw_cell){XLSXW_NUMBER, NULL,
					   json_number_value(v)};
	return (struct xlsxw_cell){XLSXW_TEXT, json_string_value(v), 0};
}

static int write_xlsx(const struct spc_table *t, const json_t *rows,
		      char **bufp, size_t *lenp)
{
	struct xlsxw *w = NULL;
	int err = xlsxw_open_temp(&w, t->sheet, t->cols, t->ncols);
	const json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		struct xlsxw_cell cell[MAX_COLS];

		for (size_t k = 0; k < t->ncols; k++)
			cell[k] = xcell(t, row, k);
		if (!err)
			err = xlsxw_row(w, cell, t->ncols);
	}
	if (!w)
		return err;
	if (err) {
		xlsxw_abort(w);
		return err;
	}
	return xlsxw_close_bytes(w, bufp, lenp);
}

static void ex_work(struct api_job *j)
{
	struct export_job *e = (struct export_job *)j;
	json_t *rows = e->t->rows(e->src);

	if (!rows) {
		j->err = ENOMEM;
		return;
	}
	j->err = (e->xlsx ? write_xlsx : write_csv)(e->t, rows, &e->buf,
						     &e->len);
	json_decref(rows);
}

static void ex_done(struct api_job *j)
{
	struct export_job *e = (struct export_job *)j;
	char hdrs[400];

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot write the %s",
				e->t->what);
		return;
	}
	snprintf(hdrs, sizeof(hdrs), "Content-Type: %s\r\n"
		 "Content-Disposition: attachment; filename=\"%s.%s\"\r\n"
		 "Cache-Control: no-store\r\n", e->xlsx
		 ? "application/vnd.openxmlformats-officedocument."
		   "spreadsheetml.sheet" : "text/csv; charset=utf-8",
		 e->name, e->xlsx ? "xlsx" : "csv");
	api_reply_bytes(j->req.conn, 200, hdrs, e->buf, e->len);
}

static void ex_clean(struct api_job *j)
{
	struct export_job *e = (struct export_job *)j;

	json_decref(e->src);
	free(e->buf);
}

int spc_format_parse(const char *format)
{
	static const char *const names[] = {"json", "csv", "xlsx"};

	for (size_t i = 0; format && i < ARRAY_LEN(names); i++)
		if (!strcmp(format, names[i]))
			return (int)i;
	return !format || !*format ? 0 : -1;   /* none: JSON */
}

void spc_export(const struct api_req *req, json_t *src,
		const struct spc_table *t, bool xlsx, const char *name)
{
	struct export_job *e = api_job_alloc(req, sizeof(*e), ex_work, ex_done,
					     ex_clean);

	if (!e) {
		json_decref(src);
		return;
	}
	e->src = src;
	e->t = t;
	e->xlsx = xlsx;
	util_strlcpy(e->name, name, sizeof(e->name));
	api_job_queue(e);
}
