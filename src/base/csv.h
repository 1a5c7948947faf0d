/* base/csv: reads CSV (RFC 4180) from a memory buffer, as Excel and WPS
 * save it, and writes CSV that Excel opens without asking. No knowledge of
 * what the columns mean: importers map the header row themselves.
 *
 * Reading. Encoding is detected, not asked for: a UTF-8 BOM is dropped;
 * text that is valid UTF-8 is used as it is; anything else is taken to be
 * GB18030 (a superset of GBK, what "CSV" from Chinese Excel is) and
 * converted with glibc's iconv; text that is neither is refused with the
 * row and column of the first bad byte. UTF-16 (Excel's "Unicode text") is
 * refused by name. Fields may be quoted ("a,b", "say ""hi""", line breaks
 * inside quotes); records end in LF or CRLF. A quote inside an unquoted
 * field is kept as a character, as Excel reads it; text after a closing
 * quote, an unterminated quote, a NUL byte and every limit below are
 * errors with row, column and reason, and stop the reader: a file broken
 * that way cannot be trusted further down.
 *
 * Rows are numbered as Excel shows them: the header is row 1 and a record
 * spanning lines inside quotes is one row. Blank lines are skipped but
 * counted, so a row number is always the one a user finds in Excel.
 *
 * Writing. csv_write_row quotes only fields that need it, ends records in
 * CRLF (RFC 4180), and with CSV_SAFE defuses cells Excel would run as
 * formulas ("=HYPERLINK(…)", "@SUM(…)") by a leading apostrophe, leaving
 * numbers such as "+8613800138000" and "-5" alone. */
#ifndef HL_BASE_CSV_H
#define HL_BASE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum {
	CSV_REASON_LEN = 160,
	CSV_SAFE       = 1,      /* csv_write_row: defuse formula cells */
};

/* Limits; a zero member takes the default in brackets. */
struct csv_opts {
	char   delim;            /* field separator [','] */
	size_t max_bytes;        /* input size [32 MiB] */
	size_t max_rows;         /* rows counted with the header [1 048 576] */
	size_t max_fields;       /* fields in one row [1024] */
	size_t max_field;        /* bytes in one field, UTF-8 [64 KiB] */
};

/* Where and why reading stopped; row and column are 1-based, 0 when the
 * problem is the whole file (too big, wrong encoding). */
struct csv_error {
	size_t row;
	size_t column;
	char   reason[CSV_REASON_LEN];
};

/* One record: n fields, UTF-8, NUL-terminated; owned by the reader and
 * valid until the next csv_next() or csv_free(). */
struct csv_row {
	size_t row;
	size_t n;
	char **v;
};

struct csv;

/* Starts reading len bytes of buf with opts (NULL: all defaults). buf must
 * outlive *cp unless it was converted (then the reader has its own copy).
 * EFBIG past max_bytes, EILSEQ for an encoding it cannot read, ENOMEM;
 * *err (may be NULL) says which. */
int  csv_open(struct csv **cp, const void *buf, size_t len,
	      const struct csv_opts *opts, struct csv_error *err);

/* The next non-blank row into *rowp, or *rowp = NULL at the end. EINVAL
 * for malformed text, EFBIG past a limit, with *err (may be NULL) filled;
 * every later call returns the same error. */
int  csv_next(struct csv *c, const struct csv_row **rowp,
	      struct csv_error *err);

/* "UTF-8" or "GB18030": what the input was, for an import's report. */
const char *csv_encoding(const struct csv *c);

/* Frees the reader; NULL is a no-op. */
void csv_free(struct csv *c);

/* Writes the UTF-8 BOM, without which Excel reads UTF-8 as the ANSI code
 * page and shows Chinese as mojibake. EIO if the write failed. */
int  csv_write_bom(FILE *f);

/* Writes n fields (NULL is an empty field) as one record ending in CRLF;
 * flags 0 or CSV_SAFE. EIO if a write failed. */
int  csv_write_row(FILE *f, const char *const *v, size_t n, int flags);

/* Whether s is valid UTF-8 (no overlongs, surrogates or NULs) over len
 * bytes; *bad (may be NULL) gets the offset of the first bad byte. */
bool csv_utf8_valid(const char *s, size_t len, size_t *bad);

#endif
