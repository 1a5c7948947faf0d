/* base/xlsx: reads the first sheet of an Excel workbook (.xlsx, Office
 * Open XML) from memory into rows of strings, for customer imports.
 *
 * Why our own reader: no Debian library reads XLSX from C (libxlsxwriter
 * only writes), and an XLSX is just a ZIP of XML parts, so base/unzip
 * (zlib's inflate) and expat, both standard Debian libraries, are enough:
 * _rels/.rels names the workbook, the workbook's first <sheet> and its
 * _rels name the sheet part, styles.xml says which cell styles are dates,
 * sharedStrings.xml holds the text most cells point to.
 *
 * What a cell becomes: text (shared, inline or a formula's string result)
 * as it is, with Excel's _xHHHH_ escapes decoded; a number as the file
 * stores it ("13800138000", "0.1"); a boolean as "TRUE"/"FALSE"; an error
 * as its code ("#N/A"). A number in a date style stays a number (Excel's
 * serial day, "45292" for 2024-01-01), marked XLSX_DATE; a formula keeps
 * its cached result and is empty without one. Cells may be missing (B3
 * without A3): the row's v has "" and XLSX_EMPTY there. Rows with no
 * value at all are skipped; row numbers are the sheet's own.
 *
 * Nothing is trusted: sizes are limited per part and in total (a zip bomb
 * stops at the limit), a DOCTYPE is refused (no entity expansion), every
 * index and cell reference is checked, and a malformed file is an error
 * naming the part and, where known, the row and column. */
#ifndef HL_BASE_XLSX_H
#define HL_BASE_XLSX_H

#include <stddef.h>
#include <stdint.h>

enum { XLSX_REASON_LEN = 200 };

enum xlsx_kind {
	XLSX_EMPTY,
	XLSX_TEXT,
	XLSX_NUMBER,
	XLSX_DATE,               /* a number in a date/time style, or t="d" */
	XLSX_BOOL,
	XLSX_ERROR,
};

/* Limits; a zero member takes the default in brackets. */
struct xlsx_opts {
	uint64_t max_part;       /* uncompressed bytes of one part [64 MiB] */
	uint64_t max_total;      /* uncompressed bytes read [192 MiB] */
	size_t   max_cols;       /* columns with values, A.. [1024] */
};

/* Why a file could not be read; row and column (1-based) are 0 when the
 * problem is not in one cell. */
struct xlsx_error {
	size_t row;
	size_t column;
	char   reason[XLSX_REASON_LEN];
};

/* One row: n cells (columns A.. up to its last value), UTF-8 text and its
 * kind per cell; owned by the reader, valid until the next xlsx_next(). */
struct xlsx_row {
	size_t row;
	size_t n;
	const char *const *v;
	const unsigned char *kind;   /* enum xlsx_kind per cell */
};

struct xlsx;

/* Reads len bytes of buf (the whole .xlsx; not kept) with opts (NULL:
 * defaults), parsing the first sheet. EBADMSG for a malformed file, EFBIG
 * past a limit, ENOMEM; *err (may be NULL) says which and where. */
int  xlsx_open(struct xlsx **xp, const void *buf, size_t len,
	       const struct xlsx_opts *opts, struct xlsx_error *err);

/* The first sheet's name, as its tab shows it. */
const char *xlsx_sheet_name(const struct xlsx *x);

/* The next row with a value into *rowp, or *rowp = NULL at the end. */
int  xlsx_next(struct xlsx *x, const struct xlsx_row **rowp);

/* Frees x; NULL is a no-op. */
void xlsx_free(struct xlsx *x);

/* A date cell's serial day ("45292.5") as ms since the Unix epoch in the
 * workbook's wall clock (no time zone is stored), minding the 1904 date
 * system of old Mac workbooks and Excel's phantom 1900-02-29 (serial 60,
 * refused). EINVAL for text that is not a serial day from 1900/1904 on. */
int  xlsx_date_ms(const struct xlsx *x, const char *serial, int64_t *ms);

/* The column number of letters "A".."XFD" (1..16384) at *s, advancing *s
 * past them; 0 if there are none or too many. */
size_t xlsx_col_number(const char **s);

#endif
