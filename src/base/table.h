/* base/table: one loop over an uploaded spreadsheet, CSV or XLSX alike,
 * for importers: the format is told by the bytes, not the file name (a
 * ZIP is an .xlsx, an OLE file an old .xls, refused by name, anything else
 * CSV), and every cell arrives as text the way the user sees it in Excel.
 *
 * That last part is the reason this layer exists: in an XLSX a date is a
 * serial day (45292), in a CSV it is text ("2024-01-01"); here both are
 * "2024-01-01" ("2024-01-01 08:30:00" with a time), so an importer
 * validates one form. Other cells are as base/csv and base/xlsx give
 * them. Rows carry the spreadsheet's row numbers (header = row 1). */
#ifndef HL_BASE_TABLE_H
#define HL_BASE_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum { TABLE_REASON_LEN = 200, TABLE_DATE_LEN = 20 };

/* What went wrong, and where (1-based; 0 when not one cell). */
struct table_error {
	size_t row;
	size_t column;
	char   reason[TABLE_REASON_LEN];
};

/* One row: n cells of UTF-8 text; valid until the next table_next(). */
struct table_row {
	size_t row;
	size_t n;
	const char *const *v;
};

struct table;

/* Reads len bytes of buf with the readers' default limits; buf must
 * outlive *tp. EBADMSG, EILSEQ, EINVAL, EFBIG or ENOMEM with *e filled. */
int  table_open(struct table **tp, const void *buf, size_t len,
		struct table_error *e);

/* The next row into *rowp, or *rowp = NULL at the end; errors as
 * table_open's (a CSV can be malformed further down). */
int  table_next(struct table *t, const struct table_row **rowp,
		struct table_error *e);

/* "csv" or "xlsx"; the sheet read (NULL for CSV); "UTF-8" or "GB18030"
 * for CSV (NULL for XLSX): what an import's report shows. */
const char *table_format(const struct table *t);
const char *table_sheet(const struct table *t);
const char *table_encoding(const struct table *t);

/* Frees t; NULL is a no-op. */
void table_free(struct table *t);

/* Writes Unix ms as "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" when it has a
 * time of day (seconds rounded), in UTC, i.e. the wall clock it encodes. */
void table_date_text(char out[TABLE_DATE_LEN], int64_t ms);

#endif
