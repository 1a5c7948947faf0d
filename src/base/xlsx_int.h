/* base/xlsx internals, shared by xlsx.c (workbook, styles, strings, the
 * API), xlsx_xml.c (expat over ZIP parts, the string arena) and
 * xlsx_sheet.c (cells). Private to those files. */
#ifndef HL_BASE_XLSX_INT_H
#define HL_BASE_XLSX_INT_H

#include <stdbool.h>
#include <expat.h>
#include "base/unzip.h"
#include "base/xlsx.h"

struct block;

/* One value of the sheet; text points into the arena or the shared
 * strings, never copied per cell (a sheet of references to one long
 * string would otherwise cost far more memory than its XML). */
struct xcell {
	uint32_t row, col;
	unsigned char kind;
	const char *text;
};

struct xlsx {
	struct xlsx_opts o;
	struct unzip *zip;
	uint64_t read;               /* uncompressed bytes so far */
	struct block *arena;
	const char *sheet_name;
	bool date1904;               /* <workbookPr date1904="1"> */
	const char **sst;            /* shared strings */
	size_t nsst, capsst;
	unsigned char *date_xf;      /* per cellXfs index: a date style? */
	size_t nxf;
	struct xcell *cells;
	size_t ncells, capcells, next;
	const char **row_v;          /* the row xlsx_next hands out */
	unsigned char *row_k;
	struct xlsx_row cur;
};

struct xp;
/* Element handlers get local names: namespace prefixes are dropped. */
typedef void (xp_start_h)(struct xp *xp, const char *name, const char **attr);
typedef void (xp_end_h)(struct xp *xp, const char *name);

/* One part being parsed. */
struct xp {
	struct xlsx *x;
	XML_Parser p;
	const char *part;
	xp_start_h *start;
	xp_end_h *end;
	void *arg;
	bool collect;                /* append character data to text */
	char *text;
	size_t tlen, tcap;
	int err;
	struct xlsx_error *e;
};

/* Parses part with start/end (end may be NULL); ENOENT if it is missing
 * (e untouched), else 0 or the first error, e filled. */
int  xlsx_parse(struct xlsx *x, const char *part, xp_start_h *start,
		xp_end_h *end, void *arg, struct xlsx_error *e);

/* Stops the parse with err, reason and the cell's row and column (0: not
 * a cell). Returns err. */
int  xp_fail(struct xp *xp, int err, size_t row, size_t col,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The value of the attribute with local name, or NULL. */
const char *xp_attr(const char **attr, const char *name);

/* Empties the collected text and starts collecting. */
void xp_collect(struct xp *xp);

/* A copy of n bytes of s in the arena, Excel's _xHHHH_ escapes decoded;
 * NULL when out of memory. */
const char *xlsx_keep(struct xlsx *x, const char *s, size_t n);

/* Frees the arena. */
void xlsx_arena_free(struct xlsx *x);

/* Reads the cells of the sheet part into x->cells. */
int  xlsx_read_sheet(struct xlsx *x, const char *part, struct xlsx_error *e);

#endif
