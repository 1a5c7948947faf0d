/* base/xlsx: the cells of one worksheet part (<sheetData>) into x->cells,
 * in the order rows come, which must be ascending as Excel writes them.
 *
 * A <c> element's value is its <v> (a number, a shared string's index, a
 * formula's cached result, a boolean, an error code) or, for t="inlineStr",
 * the text of its <is>; its t attribute says which. Cell references are
 * optional (r="B3"): without one a row follows the previous row and a cell
 * the previous cell, as ECMA-376 18.3.1.4 allows. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "base/xlsx_int.h"

enum { MAX_ROW = 1048576 };

enum type { T_NUM, T_SHARED, T_STR, T_INLINE, T_BOOL, T_ERROR, T_DATE };

/* The t attribute of <c>; absent means a number. */
static const struct { const char *name; enum type type; } types[] = {
	{"n", T_NUM}, {"s", T_SHARED}, {"str", T_STR}, {"inlineStr", T_INLINE},
	{"b", T_BOOL}, {"e", T_ERROR}, {"d", T_DATE},
};

struct sheet {
	uint32_t row, col;           /* where the current cell is */
	enum type type;
	size_t style;
	bool in_c, has_v, in_is;
	unsigned rph;
};

/* A decimal in [1, max] that is the whole of s. */
static bool number(const char *s, uint64_t max, uint32_t *out)
{
	uint64_t v;

	if (util_parse_u64(s, 1, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static void col_name(char out[4], size_t col)
{
	char tmp[4];
	int n = 0;

	for (; col && n < 3; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static void start_cell(struct xp *xp, struct sheet *s, const char **attr)
{
	const char *r = xp_attr(attr, "r"), *t = xp_attr(attr, "t");
	const char *st = xp_attr(attr, "s");
	uint32_t row;
	size_t i;

	s->in_c = true;
	s->has_v = false;
	s->col++;
	if (r) {
		const char *p = r;
		size_t col = xlsx_col_number(&p);

		if (!col || !number(p, MAX_ROW, &row)) {
			xp_fail(xp, EBADMSG, s->row, 0, "bad cell reference "
				"\"%.16s\"", r);
			return;
		}
		if (row != s->row) {
			xp_fail(xp, EBADMSG, s->row, col, "cell %.16s is "
				"inside row %u", r, (unsigned)s->row);
			return;
		}
		s->col = (uint32_t)col;
	}
	s->type = T_NUM;
	for (i = 0; t && i < ARRAY_LEN(types); i++)
		if (!strcmp(types[i].name, t))
			break;
	if (t && i == ARRAY_LEN(types)) {
		xp_fail(xp, EBADMSG, s->row, s->col, "unknown cell type "
			"\"%.16s\"", t);
		return;
	}
	if (t)
		s->type = types[i].type;
	s->style = st ? strtoul(st, NULL, 10) : 0;
}

static void on_start(struct xp *xp, const char *name, const char **attr)
{
	struct sheet *s = xp->arg;
	const char *r;
	uint32_t row;

	if (!strcmp(name, "row")) {
		r = xp_attr(attr, "r");
		if (!r)
			row = s->row + 1;
		else if (!number(r, MAX_ROW, &row)) {
			xp_fail(xp, EBADMSG, 0, 0, "bad row number \"%.16s\"",
				r);
			return;
		}
		if (row <= s->row) {
			xp_fail(xp, EBADMSG, row, 0, "row %u comes after row "
				"%u", (unsigned)row, (unsigned)s->row);
			return;
		}
		s->row = row;
		s->col = 0;
	} else if (!strcmp(name, "c")) {
		start_cell(xp, s, attr);
	} else if (!strcmp(name, "v") && s->in_c) {
		xp_collect(xp);
		s->has_v = true;
	} else if (!strcmp(name, "is") && s->in_c) {
		xp->tlen = 0;
		s->in_is = s->has_v = true;
	} else if (!strcmp(name, "rPh")) {
		s->rph++;
	} else if (!strcmp(name, "t") && s->in_is && !s->rph) {
		xp->collect = true;
	}
}

/* What the current cell's collected text becomes: *text and *kind. */
static int value(struct xp *xp, struct sheet *s, const char **text,
		 unsigned char *kind)
{
	struct xlsx *x = xp->x;
	const char *t = xp->text ? xp->text : "";
	char *end;
	uint64_t i;

	switch (s->type) {
	case T_SHARED:
		if (util_parse_u64(t, 0, UINT32_MAX, &i) || i >= x->nsst)
			return xp_fail(xp, EBADMSG, s->row, s->col, "shared "
				       "string \"%.16s\" does not exist", t);
		*text = x->sst[i];
		*kind = XLSX_TEXT;
		return 0;
	case T_BOOL:
		if (strcmp(t, "0") && strcmp(t, "1"))
			return xp_fail(xp, EBADMSG, s->row, s->col, "boolean "
				       "\"%.16s\" is not 0 or 1", t);
		*text = t[0] == '1' ? "TRUE" : "FALSE";
		*kind = XLSX_BOOL;
		return 0;
	case T_NUM:
		if (!isfinite(strtod(t, &end)) || end == t || *end)
			return xp_fail(xp, EBADMSG, s->row, s->col, "\"%.16s\" "
				       "is not a number", t);
		*kind = s->style < x->nxf && x->date_xf[s->style] ?
			XLSX_DATE : XLSX_NUMBER;
		break;
	case T_STR:
	case T_INLINE:
		*kind = XLSX_TEXT;
		break;
	case T_ERROR:
		*kind = XLSX_ERROR;
		break;
	case T_DATE:
		*kind = XLSX_DATE;
		break;
	}
	*text = xlsx_keep(x, t, xp->tlen);
	return *text ? 0 : xp_fail(xp, ENOMEM, 0, 0, "out of memory");
}

static void end_cell(struct xp *xp, struct sheet *s)
{
	struct xlsx *x = xp->x;
	const char *text;
	unsigned char kind = XLSX_EMPTY;
	char col[4];

	s->in_c = s->in_is = false;
	xp->collect = false;
	if (!s->has_v || !xp->tlen)
		return;           /* a styled cell with no value */
	if (s->col > x->o.max_cols) {
		col_name(col, s->col);
		xp_fail(xp, EFBIG, s->row, s->col, "column %s is beyond the "
			"limit of %zu columns", col, x->o.max_cols);
		return;
	}
	if (value(xp, s, &text, &kind))
		return;
	if (x->ncells == x->capcells) {
		size_t cap = x->capcells ? x->capcells * 2 : 1024;
		struct xcell *v = realloc(x->cells, cap * sizeof(*v));

		if (!v) {
			xp_fail(xp, ENOMEM, 0, 0, "out of memory");
			return;
		}
		x->cells = v, x->capcells = cap;
	}
	x->cells[x->ncells++] = (struct xcell){s->row, s->col, kind, text};
}

static void on_end(struct xp *xp, const char *name)
{
	struct sheet *s = xp->arg;

	if (!strcmp(name, "c"))
		end_cell(xp, s);
	else if (!strcmp(name, "v") || !strcmp(name, "t"))
		xp->collect = false;
	else if (!strcmp(name, "rPh") && s->rph)
		s->rph--;
}

int xlsx_read_sheet(struct xlsx *x, const char *part, struct xlsx_error *e)
{
	struct sheet s = {0};

	return xlsx_parse(x, part, on_start, on_end, &s, e);
}
