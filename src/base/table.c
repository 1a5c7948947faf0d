/* base/table: CSV and XLSX behind one row loop (see table.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/csv.h"
#include "base/util.h"
#include "base/table.h"
#include "base/xlsx.h"

struct table {
	struct csv *csv;
	struct xlsx *xlsx;
	char (*dates)[TABLE_DATE_LEN];   /* a row's dates, as text */
	const char **v;                  /* the row handed out, for XLSX */
	size_t cap;
	struct table_row cur;
};

static int set(struct table_error *e, int err, size_t row, size_t col,
	       const char *reason)
{
	if (e) {
		e->row = row;
		e->column = col;
		util_strlcpy(e->reason, reason, sizeof(e->reason));
	}
	return err;
}

int table_open(struct table **tp, const void *buf, size_t len,
	       struct table_error *e)
{
	static const char zip[] = "PK\x03\x04", ole[] = "\xd0\xcf\x11\xe0";
	struct table *t;
	int err;

	if (!tp || (!buf && len))
		return set(e, EINVAL, 0, 0, "no file");
	t = calloc(1, sizeof(*t));
	if (!t)
		return set(e, ENOMEM, 0, 0, "out of memory");
	if (len >= 4 && !memcmp(buf, ole, 4)) {
		err = set(e, EBADMSG, 0, 0, "an Excel 97-2003 .xls file: "
			  "save it as .xlsx or CSV UTF-8");
	} else if (len >= 4 && !memcmp(buf, zip, 4)) {
		struct xlsx_error xe;

		err = xlsx_open(&t->xlsx, buf, len, NULL, &xe);
		if (err)
			set(e, err, xe.row, xe.column, xe.reason);
	} else {
		struct csv_error ce;

		err = csv_open(&t->csv, buf, len, NULL, &ce);
		if (err)
			set(e, err, ce.row, ce.column, ce.reason);
	}
	if (err)
		table_free(t);
	else
		*tp = t;
	return err;
}

/* ms rounded to whole seconds, halves up, before 1970 too (where C's
 * division would round toward zero instead). */
static int64_t seconds(int64_t ms)
{
	return ms >= 0 ? (ms + 500) / 1000 : -((-ms + 499) / 1000);
}

void table_date_text(char out[TABLE_DATE_LEN], int64_t ms)
{
	int64_t s = seconds(ms);
	time_t tt = (time_t)s;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, TABLE_DATE_LEN, s % 86400 ? "%Y-%m-%d %H:%M:%S" :
		 "%Y-%m-%d", &tm);
}

/* "HH:MM:SS" of ms within its day, as Excel shows a cell of time alone. */
static void time_text(char out[TABLE_DATE_LEN], int64_t ms)
{
	int64_t s = (seconds(ms) % 86400 + 86400) % 86400;

	snprintf(out, TABLE_DATE_LEN, "%02d:%02d:%02d", (int)(s / 3600),
		 (int)(s / 60 % 60), (int)(s % 60));
}

static int xlsx_row(struct table *t, const struct table_row **rowp,
		    struct table_error *e)
{
	const struct xlsx_row *r;
	int64_t ms;
	int err = xlsx_next(t->xlsx, &r);

	if (err || !r)
		return err ? set(e, err, 0, 0, "cannot read rows") : 0;
	if (r->n > t->cap) {
		void *v = realloc(t->v, r->n * sizeof(*t->v));

		if (!v)
			return set(e, ENOMEM, r->row, 0, "out of memory");
		t->v = v;
		v = realloc(t->dates, r->n * sizeof(*t->dates));
		if (!v)
			return set(e, ENOMEM, r->row, 0, "out of memory");
		t->dates = v;
		t->cap = r->n;
	}
	for (size_t i = 0; i < r->n; i++) {
		t->v[i] = r->v[i];
		/* t="d" cells are ISO text already; serial days become text */
		if (r->kind[i] != XLSX_DATE || xlsx_date_ms(t->xlsx, r->v[i], &ms))
			continue;
		if (strtod(r->v[i], NULL) < 1)     /* a time of day alone */
			time_text(t->dates[i], ms);
		else
			table_date_text(t->dates[i], ms);
		t->v[i] = t->dates[i];
	}
	t->cur = (struct table_row){r->row, r->n, t->v};
	*rowp = &t->cur;
	return 0;
}

int table_next(struct table *t, const struct table_row **rowp,
	       struct table_error *e)
{
	const struct csv_row *r;
	struct csv_error ce;
	int err;

	if (!t || !rowp)
		return set(e, EINVAL, 0, 0, "no table");
	*rowp = NULL;
	if (t->xlsx)
		return xlsx_row(t, rowp, e);
	err = csv_next(t->csv, &r, &ce);
	if (err)
		return set(e, err, ce.row, ce.column, ce.reason);
	if (r) {
		t->cur = (struct table_row){r->row, r->n,
					    (const char *const *)r->v};
		*rowp = &t->cur;
	}
	return 0;
}

const char *table_format(const struct table *t)
{
	return !t ? NULL : t->xlsx ? "xlsx" : "csv";
}

const char *table_sheet(const struct table *t)
{
	return t && t->xlsx ? xlsx_sheet_name(t->xlsx) : NULL;
}

const char *table_encoding(const struct table *t)
{
	return t && t->csv ? csv_encoding(t->csv) : NULL;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	csv_free(t->csv);
	xlsx_free(t->xlsx);
	free(t->dates);
	free(t->v);
	free(t);
}
