/* qa/report_file: a QA report's rows as a file — CSV for Excel (BOM,
 * CRLF, formula cells defused) or an XLSX workbook (numbers as numbers,
 * names as text): the key column first, then cols, one line per item and
 * the total last when there is one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/xlsxw.h"
#include "qa/qa_int.h"

static void cell(const json_t *v, char *out, size_t n)
{
	if (json_is_string(v))
		util_strlcpy(out, json_string_value(v), n);
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.4g", json_real_value(v));
	else
		*out = '\0';
}

static int csv_line(FILE *f, const char *first, const json_t *o,
		    const char *const *cols)
{
	const char *v[16];
	char buf[16][512];
	size_t n = 0;

	if (first)
		v[n++] = first;
	for (; *cols && n < ARRAY_LEN(v); cols++, n++) {
		if (o)
			cell(json_object_get(o, *cols), buf[n], sizeof(buf[n]));
		v[n] = o ? buf[n] : *cols;
	}
	return csv_write_row(f, v, n, CSV_SAFE);
}

void qa_report_csv(struct qa_job *q, const char *key,
		   const char *const *cols, const json_t *items,
		   const json_t *total)
{
	static const char hdrs[] = "Content-Type: text/csv; charset=utf-8\r\n"
		"Content-Disposition: attachment; filename=\"qa-report.csv\"\r\n"
		"Cache-Control: no-store\r\n";
	char *buf = NULL, name[API_NAME_MAX + 1];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	json_t *it;
	int err = f ? csv_write_bom(f) : ENOMEM;

	err = err ? err : csv_line(f, key, NULL, cols);
	json_array_foreach(items, i, it)
		if (!err) {
			if (key)
				cell(json_object_get(it, key), name,
				     sizeof(name));
			err = csv_line(f, key ? name : NULL, it, cols);
		}
	if (!err && json_is_object(total))
		err = csv_line(f, "total", total, cols);
	if (f && fclose(f))
		err = EIO;
	if (err) {
		free(buf);
		qa_fail(q, 500, "cannot write the report");
		return;
	}
	qa_ok_bytes(q, hdrs, buf, len);
}

/* ---- XLSX (format=xlsx): the CSV's rows in a workbook */

static struct xlsxw_cell xcell(const json_t *v, char *buf, size_t n)
{
	if (json_is_number(v))
		return (struct xlsxw_cell){XLSXW_NUMBER, NULL,
					   json_number_value(v)};
	cell(v, buf, n);
	return (struct xlsxw_cell){XLSXW_TEXT, *buf ? buf : NULL, 0};
}

static int xlsx_line(struct xlsxw *w, const char *first, const json_t *o,
		     const char *const *cols)
{
	struct xlsxw_cell c[16];
	char buf[16][512];
	size_t n = 0;

	if (first)
		c[n++] = (struct xlsxw_cell){XLSXW_TEXT, first, 0};
	for (; *cols && n < ARRAY_LEN(c); cols++, n++)
		c[n] = xcell(json_object_get(o, *cols), buf[n],
			     sizeof(buf[n]));
	return xlsxw_row(w, c, n);
}

/* A report is a row per agent, queue or item: made whole in memory. */
static int xlsx_bytes(const char *key, const json_t *items,
		      const json_t *total, const char *const *cols,
		      char **bufp, size_t *lenp)
{
	const char *head[16];
	char name[API_NAME_MAX + 1];
	struct xlsxw *w = NULL;
	size_t n = 0, i;
	json_t *it;
	int err;

	if (key)
		head[n++] = key;
	for (const char *const *c = cols; *c && n < ARRAY_LEN(head); c++)
		head[n++] = *c;
	err = xlsxw_open_temp(&w, "质检考评报表", head, n);
	json_array_foreach(items, i, it)
		if (!err) {
			if (key)
				cell(json_object_get(it, key), name,
				     sizeof(name));
			err = xlsx_line(w, key ? name : NULL, it, cols);
		}
	if (!err && json_is_object(total))
		err = xlsx_line(w, "total", total, cols);
	if (!w)
		return err;
	if (err) {
		xlsxw_abort(w);
		return err;
	}
	return xlsxw_close_bytes(w, bufp, lenp);
}

void qa_report_xlsx(struct qa_job *q, const char *key,
		    const char *const *cols, const json_t *items,
		    const json_t *total)
{
	static const char hdrs[] = "Content-Type: application/vnd."
		"openxmlformats-officedocument.spreadsheetml.sheet\r\n"
		"Content-Disposition: attachment; "
		"filename=\"qa-report.xlsx\"\r\n"
		"Cache-Control: no-store\r\n";
	char *buf = NULL;
	size_t len = 0;

	if (xlsx_bytes(key, items, total, cols, &buf, &len)) {
		qa_fail(q, 500, "cannot write the report");
		return;
	}
	qa_ok_bytes(q, hdrs, buf, len);
}

