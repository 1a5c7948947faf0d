/* spc/export: a KPI's control chart as a table for Excel — one row per
 * point: its interval, the value, the centre line, the limits, the ±1σ
 * and ±2σ zone edges, the moving range (XmR) and the rules of the signals
 * it belongs to — as CSV (format=csv) or XLSX (format=xlsx). The rows are
 * made from the very JSON GET /api/v1/reports/spc answers, so the file
 * and the console show the same numbers. Both are written on an api
 * worker: libxlsxwriter writes a file, which the loop must not wait on. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/csv.h"
#include "base/util.h"
#include "base/xlsxw.h"
#include "spc/spc_int.h"

static const char *const cols[] = {
	"point", "start", "value", "center", "lcl", "ucl", "minus_2sigma",
	"minus_1sigma", "plus_1sigma", "plus_2sigma", "moving_range",
	"signals",
};
enum { NCOLS = ARRAY_LEN(cols), SIGNAL_COL = NCOLS - 1, START_COL = 1 };

struct export_job {
	struct api_job j;
	json_t *chart;       /* the answer to export; owned */
	bool xlsx;
	char name[80];       /* the file's name without extension */
	char *buf;           /* the file, made on the worker */
	size_t len;
};

/* The rule ids of the signals point i belongs to, "8 3", into out. */
static void signals_of(const json_t *signals, size_t i, char *out, size_t n)
{
	const json_t *s, *p;
	size_t k, m, used = 0;

	*out = '\0';
	json_array_foreach(signals, k, s)
		json_array_foreach(json_object_get(s, "points"), m, p)
			if ((size_t)json_integer_value(p) == i && used + 8 < n) {
				used += (size_t)snprintf(out + used, n - used,
					"%s%s", used ? " " : "",
					json_string_value(json_object_get(s,
								  "rule")));
				break;
			}
}

/* Row i's numbers (NAN where none): columns 2..10 of cols. */
static void row_numbers(const json_t *c, size_t i, double *v)
{
	const json_t *lim = json_object_get(c, "limits");
	const json_t *mr = json_object_get(json_object_get(c, "mr"), "points");
	double center = json_number_value(json_object_get(c, "center"));
	double ucl = json_number_value(json_object_get(c, "ucl"));
	double lcl = json_number_value(json_object_get(c, "lcl"));

	double sigma = json_number_value(json_object_get(c, "sigma"));

	/* p: limits per point; σ_i is 3σ_i's third on the side not cut at
	 * 0 or 1 (docs/spc.md: LCL floored, UCL capped). */
	if (lim) {
		ucl = json_number_value(json_array_get(json_object_get(lim,
							"ucl"), i));
		lcl = json_number_value(json_array_get(json_object_get(lim,
							"lcl"), i));
		sigma = fmax(ucl - center, center - lcl) / 3;
	}
	v[0] = json_number_value(json_array_get(json_object_get(c, "points"),
						i));
	v[1] = center;
	v[2] = lcl;
	v[3] = ucl;
	v[4] = center - 2 * sigma;
	v[5] = center - sigma;
	v[6] = center + sigma;
	v[7] = center + 2 * sigma;
	v[8] = mr && i > 0 ? json_number_value(json_array_get(mr, i)) : NAN;
}

static int write_csv(const json_t *c, char **bufp, size_t *lenp)
{
	const json_t *starts = json_object_get(c, "start_ms");
	const json_t *signals = json_object_get(c, "signals");
	size_t n = json_array_size(json_object_get(c, "points"));
	FILE *f = open_memstream(bufp, lenp);
	int err = f ? csv_write_bom(f) : ENOMEM;

	if (!err)
		err = csv_write_row(f, cols, NCOLS, CSV_SAFE);
	for (size_t i = 0; !err && i < n; i++) {
		char txt[NCOLS][UTIL_TIME_LEN];
		const char *v[NCOLS];
		double num[9];

		row_numbers(c, i, num);
		snprintf(txt[0], sizeof(txt[0]), "%zu", i);
		util_rfc3339(txt[START_COL], json_integer_value(
			json_array_get(starts, i)));
		for (size_t k = 0; k < 9; k++)
			if (isnan(num[k]))
				txt[k + 2][0] = '\0';
			else
				snprintf(txt[k + 2], sizeof(txt[k + 2]), "%.6g",
					 num[k]);
		signals_of(signals, i, txt[SIGNAL_COL], sizeof(txt[0]));
		for (size_t k = 0; k < NCOLS; k++)
			v[k] = txt[k];
		err = csv_write_row(f, v, NCOLS, CSV_SAFE);
	}
	if (f && fclose(f))
		err = EIO;
	return err;
}

/* Reads the file at path whole into *bufp. */
static int slurp(const char *path, char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	long len = f && !fseek(f, 0, SEEK_END) ? ftell(f) : -1;
	int err = 0;

	*bufp = len > 0 ? malloc((size_t)len) : NULL;
	if (f)
		rewind(f);
	if (!*bufp || fread(*bufp, 1, (size_t)len, f) != (size_t)len) {
		free(*bufp);
		*bufp = NULL;
		err = EIO;
	} else {
		*lenp = (size_t)len;
	}
	if (f)
		fclose(f);
	return err;
}

static int write_xlsx(const json_t *c, char **bufp, size_t *lenp)
{
	const json_t *starts = json_object_get(c, "start_ms");
	const json_t *signals = json_object_get(c, "signals");
	size_t n = json_array_size(json_object_get(c, "points"));
	char path[] = "/tmp/hotline-spc-XXXXXX";
	struct xlsxw *w = NULL;
	int fd = mkstemp(path), err;

	if (fd < 0)
		return EIO;
	close(fd);
	err = xlsxw_open(&w, path, "控制图", cols, NCOLS);
	for (size_t i = 0; !err && i < n; i++) {
		struct xlsxw_cell cell[NCOLS];
		char sig[64];
		double num[9];

		row_numbers(c, i, num);
		signals_of(signals, i, sig, sizeof(sig));
		cell[0] = (struct xlsxw_cell){XLSXW_NUMBER, NULL, (double)i};
		cell[START_COL] = (struct xlsxw_cell){XLSXW_TIME, NULL,
			(double)json_integer_value(json_array_get(starts, i))};
		for (size_t k = 0; k < 9; k++)
			cell[k + 2] = isnan(num[k])
				? (struct xlsxw_cell){XLSXW_TEXT, NULL, 0}
				: (struct xlsxw_cell){XLSXW_NUMBER, NULL, num[k]};
		cell[SIGNAL_COL] = (struct xlsxw_cell){XLSXW_TEXT,
						       sig[0] ? sig : NULL, 0};
		err = xlsxw_row(w, cell, NCOLS);
	}
	if (w)
		err = err ? (xlsxw_abort(w), err) : xlsxw_close(w);
	if (!err)
		err = slurp(path, bufp, lenp);
	unlink(path);
	return err;
}

static void ex_work(struct api_job *j)
{
	struct export_job *e = (struct export_job *)j;

	j->err = (e->xlsx ? write_xlsx : write_csv)(e->chart, &e->buf,
						     &e->len);
}

static void ex_done(struct api_job *j)
{
	struct export_job *e = (struct export_job *)j;
	char hdrs[400];

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot write the chart");
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

	json_decref(e->chart);
	free(e->buf);
}

void spc_export_chart(const struct api_req *req, json_t *chart, bool xlsx,
		      const char *name)
{
	struct export_job *e = api_job_alloc(req, sizeof(*e), ex_work, ex_done,
					     ex_clean);

	if (!e) {
		json_decref(chart);
		return;
	}
	e->chart = chart;
	e->xlsx = xlsx;
	util_strlcpy(e->name, name, sizeof(e->name));
	api_job_queue(e);
}
