/* base/xlsxw: one-sheet Excel exports (customers, reports) over
 * libxlsxwriter: a bold header row that stays put when scrolling (frozen)
 * with filter buttons, then rows of text, numbers and times, with column
 * widths fitted to the longest value (a Chinese character counts two).
 *
 * Text stays text: a phone or ID number written as XLSXW_TEXT keeps its
 * leading zeros and all its digits, which CSV cannot promise once Excel
 * opens it. Rows go straight to a temporary file (libxlsxwriter's constant
 * memory mode), so an export of a million rows needs one row of memory.
 * The file is written at xlsxw_close; read it back, or send it, then. */
#ifndef HL_BASE_XLSXW_H
#define HL_BASE_XLSXW_H

#include <stddef.h>

enum xlsxw_kind {
	XLSXW_TEXT,
	XLSXW_NUMBER,
	XLSXW_TIME,   /* num: ms since the epoch, in the reader's wall clock
		       * (shift by the tz offset first); shown yyyy-mm-dd hh:mm:ss */
};

struct xlsxw_cell {
	enum xlsxw_kind kind;
	const char *s;     /* XLSXW_TEXT: UTF-8; NULL is an empty cell */
	double num;
};

struct xlsxw;

/* Starts a workbook at path (truncated) with one sheet named sheet and
 * the n column names of header as its first row. EINVAL for a name Excel
 * refuses (over 31 characters, []:*?/\) or n of 0; EIO if the file cannot
 * be created. *wp is yours: xlsxw_close() or xlsxw_abort() it. */
int  xlsxw_open(struct xlsxw **wp, const char *path, const char *sheet,
		const char *const *header, size_t n);

/* Appends one row of n cells (n at most the header's). EILSEQ for text
 * that is not UTF-8, EINVAL for text over Excel's 32 767 characters, a
 * number that is not finite or too many cells, EFBIG past Excel's
 * 1 048 576 rows. The row is not written on error; the file stays good. */
int  xlsxw_row(struct xlsxw *w, const struct xlsxw_cell *cells, size_t n);

/* Sets the widths, writes the file and frees w; on error (EIO) the file
 * is removed. */
int  xlsxw_close(struct xlsxw *w);

/* Frees w and removes the file; NULL is a no-op. */
void xlsxw_abort(struct xlsxw *w);

/* For an export sent whole (a report, a chart's points): xlsxw_open on a
 * temporary file of its own ($TMPDIR, else /tmp). Close it with
 * xlsxw_close_bytes, or xlsxw_abort it. */
int  xlsxw_open_temp(struct xlsxw **wp, const char *sheet,
		     const char *const *header, size_t n);

/* Writes the workbook as xlsxw_close does, reads it back whole into *bufp
 * (malloc'd, the caller's) and *lenp, and removes the file; w is freed in
 * every case. EIO (nothing in *bufp) when the file could not be made or
 * read. */
int  xlsxw_close_bytes(struct xlsxw *w, char **bufp, size_t *lenp);

#endif
