/* base/xlsxw: the Excel export writer (see xlsxw.h).
 *
 * Cells are checked before libxlsxwriter sees them, so that a refused
 * cell leaves no half row behind: libxlsxwriter would write the cells
 * before the bad one, and in constant memory mode a written row cannot be
 * taken back. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "base/csv.h"
#include "base/xlsxw.h"

enum {
	MAX_ROWS = 1048576,
	MAX_TEXT = 32767,           /* characters in one cell */
	MIN_WIDTH = 8, MAX_WIDTH = 60,
};

struct xlsxw {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *time;
	char *path;
	size_t ncols;
	uint32_t rows;              /* rows written, the header too */
	unsigned *width;            /* per column, in characters */
};

/* The width of UTF-8 s in Excel's character units: East Asian wide
 * characters count two. Also its length in characters, for the limit. */
static unsigned text_width(const char *s, size_t *chars)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned w = 0;

	*chars = 0;
	while (*p) {
		unsigned cp = *p, n = cp < 0x80 ? 1 : cp < 0xe0 ? 2 :
				      cp < 0xf0 ? 3 : 4;

		if (n >= 3)
			cp = n == 3 ? (unsigned)(p[0] & 0x0f) << 12 |
				      (unsigned)(p[1] & 0x3f) << 6 :
				      0x20000;
		w += cp >= 0x1100 ? 2 : 1;
		++*chars;
		p += n;
	}
	return w;
}

static void widen(struct xlsxw *w, size_t col, unsigned width)
{
	if (width > w->width[col])
		w->width[col] = width;
}

int xlsxw_open(struct xlsxw **wp, const char *path, const char *sheet,
	       const char *const *header, size_t n)
{
	lxw_workbook_options o = {.constant_memory = LXW_TRUE};
	struct xlsxw *w;
	size_t chars;
	int err = 0;

	if (!wp || !path || !sheet || !header || !n || n > 16384)
		return EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ENOMEM;
	w->ncols = n;
	w->path = strdup(path);
	w->width = calloc(n, sizeof(*w->width));
	if (!w->path || !w->width) {
		err = ENOMEM;
		goto out;
	}
	w->wb = workbook_new_opt(path, &o);
	if (!w->wb) {
		err = EIO;
		goto out;
	}
	if (workbook_validate_sheet_name(w->wb, sheet) != LXW_NO_ERROR) {
		err = EINVAL;
		goto out;
	}
	w->ws = workbook_add_worksheet(w->wb, sheet);
	w->bold = workbook_add_format(w->wb);
	w->time = workbook_add_format(w->wb);
	if (!w->ws || !w->bold || !w->time) {
		err = ENOMEM;
		goto out;
	}
	format_set_bold(w->bold);
	format_set_num_format(w->time, "yyyy-mm-dd hh:mm:ss");
	for (size_t c = 0; c < n && !err; c++) {
		const char *h = header[c] ? header[c] : "";

		if (!csv_utf8_valid(h, strlen(h), NULL))
			err = EILSEQ;
		else if (worksheet_write_string(w->ws, 0, (lxw_col_t)c, h,
						w->bold) != LXW_NO_ERROR)
			err = EINVAL;
		else
			widen(w, c, text_width(h, &chars));
	}
	worksheet_freeze_panes(w->ws, 1, 0);
	w->rows = 1;
 out:
	if (err)
		xlsxw_abort(w);
	else
		*wp = w;
	return err;
}

static int check(const struct xlsxw_cell *c)
{
	size_t chars;

	switch (c->kind) {
	case XLSXW_TEXT:
		if (!c->s)
			return 0;
		if (!csv_utf8_valid(c->s, strlen(c->s), NULL))
			return EILSEQ;
		text_width(c->s, &chars);
		return chars > MAX_TEXT ? EINVAL : 0;
	case XLSXW_NUMBER:
	case XLSXW_TIME:
		return isfinite(c->num) ? 0 : EINVAL;
	}
	return EINVAL;
}

int xlsxw_row(struct xlsxw *w, const struct xlsxw_cell *cells, size_t n)
{
	const lxw_row_t r = w ? w->rows : 0;
	size_t chars;
	int err;

	if (!w || (!cells && n) || n > w->ncols)
		return EINVAL;
	if (w->rows >= MAX_ROWS)
		return EFBIG;
	for (size_t i = 0; i < n; i++)
		if ((err = check(&cells[i])))
			return err;
	for (size_t i = 0; i < n; i++) {
		const struct xlsxw_cell *c = &cells[i];
		const lxw_col_t col = (lxw_col_t)i;
		lxw_error e = LXW_NO_ERROR;

		if (c->kind == XLSXW_TEXT && c->s && *c->s) {
			e = worksheet_write_string(w->ws, r, col, c->s, NULL);
			widen(w, i, text_width(c->s, &chars));
		} else if (c->kind == XLSXW_NUMBER) {
			e = worksheet_write_number(w->ws, r, col, c->num, NULL);
			widen(w, i, 12);
		} else if (c->kind == XLSXW_TIME) {
			/* Excel's serial day: 1970-01-01 is day 25569 */
			e = worksheet_write_number(w->ws, r, col,
						   c->num / 86400000.0 + 25569,
						   w->time);
			widen(w, i, 19);
		}
		if (e != LXW_NO_ERROR)
			return e == LXW_ERROR_MEMORY_MALLOC_FAILED ? ENOMEM : EIO;
	}
	w->rows++;
	return 0;
}

int xlsxw_close(struct xlsxw *w)
{
	lxw_error e;

	if (!w)
		return EINVAL;
	for (size_t c = 0; c < w->ncols; c++) {
		unsigned width = w->width[c] + 2;

		width = width < MIN_WIDTH ? MIN_WIDTH :
			width > MAX_WIDTH ? MAX_WIDTH : width;
		worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c, width,
				     NULL);
	}
	worksheet_autofilter(w->ws, 0, 0, w->rows - 1,
			     (lxw_col_t)(w->ncols - 1));
	e = workbook_close(w->wb);
	w->wb = NULL;
	if (e != LXW_NO_ERROR)
		unlink(w->path);
	free(w->path);
	free(w->width);
	free(w);
	return e == LXW_NO_ERROR ? 0 : EIO;
}

void xlsxw_abort(struct xlsxw *w)
{
	if (!w)
		return;
	if (w->wb)
		workbook_close(w->wb);
	if (w->path)
		unlink(w->path);
	free(w->path);
	free(w->width);
	free(w);
}

int xlsxw_open_temp(struct xlsxw **wp, const char *sheet,
		    const char *const *header, size_t n)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd, err;

	if (!dir || !*dir)
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/hotline-xlsx-XXXXXX", dir) >=
	    (int)sizeof(path))
		return EINVAL;
	fd = mkstemp(path);
	if (fd < 0)
		return EIO;
	close(fd);
	err = xlsxw_open(wp, path, sheet, header, n);
	if (err)
		unlink(path);
	return err;
}

/* The whole of the file at path, into a buffer of its own. */
static int slurp(const char *path, char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	long len = f && !fseek(f, 0, SEEK_END) ? ftell(f) : -1;
	char *buf = len > 0 ? malloc((size_t)len) : NULL;
	int err = 0;

	if (f)
		rewind(f);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		err = EIO;
	} else {
		*bufp = buf;
		*lenp = (size_t)len;
	}
	if (f)
		fclose(f);
	return err;
}

int xlsxw_close_bytes(struct xlsxw *w, char **bufp, size_t *lenp)
{
	char *path;
	int err;

	if (!w || !bufp || !lenp) {
		xlsxw_abort(w);
		return EINVAL;
	}
	if (!(path = strdup(w->path))) {
		xlsxw_abort(w);
		return ENOMEM;
	}
	err = xlsxw_close(w);
	if (!err)
		err = slurp(path, bufp, lenp);
	unlink(path);
	free(path);
	return err;
}
