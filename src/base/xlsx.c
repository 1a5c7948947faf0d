/* base/xlsx: from the package's relationships to the first sheet's part,
 * its styles and shared strings, and the API over the cells (see xlsx.h;
 * the cells themselves are xlsx_sheet.c's).
 *
 * Parts are found the way Excel finds them, through relationships, not by
 * guessing names: _rels/.rels → the workbook (xl/workbook.xml from Excel,
 * other names from other writers) → its .rels → the first sheet, styles
 * and shared strings, each Target relative to the workbook's folder. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "base/xlsx_int.h"

enum {
	PATH_LEN = 512,
	DEF_MAX_PART = 64 << 20,
	DEF_MAX_TOTAL = 192 << 20,
	DEF_MAX_COLS = 1024,
	MAX_COL = 16384,           /* XFD, Excel's last column */
};

struct rel { char *id, *type, *target; };
struct rels { struct rel *v; size_t n, cap; };

static void rel_start(struct xp *xp, const char *name, const char **attr)
{
	struct rels *r = xp->arg;
	const char *id = xp_attr(attr, "Id"), *type = xp_attr(attr, "Type");
	const char *target = xp_attr(attr, "Target");

	if (strcmp(name, "Relationship") || !id || !type || !target)
		return;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct rel *v = realloc(r->v, cap * sizeof(*v));

		if (!v) {
			xp_fail(xp, ENOMEM, 0, 0, "out of memory");
			return;
		}
		r->v = v, r->cap = cap;
	}
	r->v[r->n] = (struct rel){strdup(id), strdup(type), strdup(target)};
	if (!r->v[r->n].id || !r->v[r->n].type || !r->v[r->n].target)
		xp_fail(xp, ENOMEM, 0, 0, "out of memory");
	r->n++;
}

static void rels_free(struct rels *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].type);
		free(r->v[i].target);
	}
	free(r->v);
}

/* The relationship whose Id is id, or else whose Type ends in suffix. */
static const struct rel *rel_find(const struct rels *r, const char *id,
				  const char *suffix)
{
	for (size_t i = 0; i < r->n; i++) {
		size_t tl = strlen(r->v[i].type), sl = suffix ? strlen(suffix) : 0;

		if (id ? !strcmp(r->v[i].id, id) :
		    tl >= sl && !strcmp(r->v[i].type + tl - sl, suffix))
			return &r->v[i];
	}
	return NULL;
}

/* dir (ending in '/' or empty) joined with target, "." and ".." resolved;
 * an absolute target ("/xl/…") starts from the package's root. */
static int resolve(char out[PATH_LEN], const char *dir, const char *target)
{
	char buf[PATH_LEN];
	size_t n = 0;

	if (snprintf(buf, sizeof(buf), "%s%s", target[0] == '/' ? "" : dir,
		     target + (target[0] == '/')) >= PATH_LEN)
		return EBADMSG;
	out[0] = '\0';
	for (char *save, *seg = strtok_r(buf, "/", &save); seg;
	     seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			char *slash;

			if (!n)
				return EBADMSG;
			out[n] = '\0';
			slash = strrchr(out, '/');
			n = slash ? (size_t)(slash - out) : 0;
			out[n] = '\0';
			continue;
		}
		n += snprintf(out + n, PATH_LEN - n, "%s%s", n ? "/" : "", seg);
	}
	return n ? 0 : EBADMSG;
}

struct book { char name[256]; char rid[128]; bool found; };

static void book_start(struct xp *xp, const char *name, const char **attr)
{
	struct book *b = xp->arg;
	const char *n = xp_attr(attr, "name"), *id = xp_attr(attr, "id");

	if (!strcmp(name, "workbookPr")) {
		const char *d = xp_attr(attr, "date1904");

		xp->x->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	}
	if (b->found || strcmp(name, "sheet"))
		return;
	if (!n || !id)
		xp_fail(xp, EBADMSG, 0, 0, "<sheet> without name or r:id");
	else if (util_strlcpy(b->name, n, sizeof(b->name)) ||
		 util_strlcpy(b->rid, id, sizeof(b->rid)))
		xp_fail(xp, EBADMSG, 0, 0, "sheet name or r:id too long");
	b->found = true;
}

/* Number formats Excel has built in that show dates or times (ECMA-376
 * 18.8.30; 27-36 and 50-58 are the CJK locales' date formats). */
static bool builtin_date(unsigned id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	       (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/* Whether a custom format code shows a date or time: a d, m, y, h or s
 * outside quoted text, escapes and [colour] sections, in its first
 * section. */
static bool date_code(const char *f)
{
	for (; *f && *f != ';'; f++) {
		if (*f == '"') {
			while (f[1] && f[1] != '"')
				f++;
			if (f[1])
				f++;
		} else if (*f == '\\' || *f == '_' || *f == '*') {
			if (f[1])
				f++;
		} else if (*f == '[') {
			if (strchr("hHmMsS", f[1]))
				return true;  /* [h]:mm, elapsed time */
			while (f[1] && f[1] != ']')
				f++;
		} else if (strchr("dDmMyYhHsS", *f)) {
			return true;
		}
	}
	return false;
}

struct styles {
	unsigned *date_ids;          /* custom formats that are dates */
	size_t ndate, capdate;
	bool in_xfs;
	size_t capxf;
};

static bool push(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 64;
	void *nv;

	if (n < *cap)
		return true;
	nv = realloc(*v, c * size);
	if (!nv)
		return false;
	*v = nv, *cap = c;
	return true;
}

static void style_start(struct xp *xp, const char *name, const char **attr)
{
	struct styles *s = xp->arg;
	struct xlsx *x = xp->x;
	const char *id = xp_attr(attr, "numFmtId");
	unsigned n = id ? (unsigned)strtoul(id, NULL, 10) : 0;
	bool date;

	if (!strcmp(name, "cellXfs")) {
		s->in_xfs = true;
	} else if (!strcmp(name, "numFmt") && id) {
		const char *code = xp_attr(attr, "formatCode");

		if (!code || !date_code(code))
			return;
		if (!push((void **)&s->date_ids, &s->capdate, s->ndate,
			  sizeof(*s->date_ids)))
			xp_fail(xp, ENOMEM, 0, 0, "out of memory");
		else
			s->date_ids[s->ndate++] = n;
	} else if (!strcmp(name, "xf") && s->in_xfs) {
		date = builtin_date(n);
		for (size_t i = 0; !date && i < s->ndate; i++)
			date = s->date_ids[i] == n;
		if (!push((void **)&x->date_xf, &s->capxf, x->nxf, 1))
			xp_fail(xp, ENOMEM, 0, 0, "out of memory");
		else
			x->date_xf[x->nxf++] = date;
	}
}

static void style_end(struct xp *xp, const char *name)
{
	struct styles *s = xp->arg;

	if (!strcmp(name, "cellXfs"))
		s->in_xfs = false;
}

/* Shared strings: the text of <t> in <si>, directly or in rich-text runs
 * <r>, leaving out phonetic guides <rPh> (furigana), as Excel shows it. */
struct sst { unsigned rph; };

static void sst_start(struct xp *xp, const char *name, const char **attr)
{
	struct sst *s = xp->arg;

	(void)attr;
	if (!strcmp(name, "si")) {
		xp->tlen = 0;
		s->rph = 0;
	} else if (!strcmp(name, "rPh")) {
		s->rph++;
	} else if (!strcmp(name, "t") && !s->rph) {
		xp->collect = true;
	}
}

static void sst_end(struct xp *xp, const char *name)
{
	struct sst *s = xp->arg;
	struct xlsx *x = xp->x;
	const char *t;

	if (!strcmp(name, "t")) {
		xp->collect = false;
	} else if (!strcmp(name, "rPh")) {
		s->rph--;
	} else if (!strcmp(name, "si")) {
		t = xlsx_keep(x, xp->text ? xp->text : "", xp->tlen);
		if (!t || !push((void **)&x->sst, &x->capsst, x->nsst,
				sizeof(*x->sst)))
			xp_fail(xp, ENOMEM, 0, 0, "out of memory");
		else
			x->sst[x->nsst++] = t;
	}
}

static int bad(struct xlsx_error *e, int err, const char *what,
	       const char *part)
{
	e->row = e->column = 0;
	snprintf(e->reason, sizeof(e->reason), "%.64s%s%s", part ? part : "",
		 part ? ": " : "", what);
	return err;
}

/* Reads the relationships of part into r: "xl/_rels/workbook.xml.rels". */
static int read_rels(struct xlsx *x, const char *part, struct rels *r,
		     struct xlsx_error *e)
{
	const char *base = strrchr(part, '/');
	char path[PATH_LEN];
	size_t dir = base ? (size_t)(base - part + 1) : 0;

	snprintf(path, sizeof(path), "%.*s_rels/%s.rels", (int)dir, part,
		 part + dir);
	return xlsx_parse(x, path, rel_start, NULL, r, e);
}

static int open_parts(struct xlsx *x, struct xlsx_error *e)
{
	struct rels root = {0}, wb = {0};
	struct book book = {0};
	struct styles st = {0};
	struct sst sst = {0};
	char book_part[PATH_LEN] = "xl/workbook.xml", dir[PATH_LEN], p[PATH_LEN];
	const struct rel *r;
	char *slash;
	int err;

	err = xlsx_parse(x, "_rels/.rels", rel_start, NULL, &root, e);
	if (err && err != ENOENT)
		goto out;
	r = rel_find(&root, NULL, "/officeDocument");
	if (r && resolve(book_part, "", r->target)) {
		err = bad(e, EBADMSG, "bad workbook path", "_rels/.rels");
		goto out;
	}
	err = xlsx_parse(x, book_part, book_start, NULL, &book, e);
	if (err == ENOENT)
		err = bad(e, EBADMSG, "no workbook: not an Excel .xlsx file",
			  book_part);
	if (!err && !book.found)
		err = bad(e, EBADMSG, "workbook has no sheets", book_part);
	if (!err && (err = read_rels(x, book_part, &wb, e)) == ENOENT)
		err = bad(e, EBADMSG, "workbook's relationships are missing",
			  book_part);
	if (err)
		goto out;
	util_strlcpy(dir, book_part, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	x->sheet_name = xlsx_keep(x, book.name, strlen(book.name));
	if (!x->sheet_name) {
		err = ENOMEM;
		goto out;
	}

	r = rel_find(&wb, NULL, "/styles");
	if (r && !resolve(p, dir, r->target)) {
		err = xlsx_parse(x, p, style_start, style_end, &st, e);
		if (err && err != ENOENT)
			goto out;
	}
	r = rel_find(&wb, NULL, "/sharedStrings");
	if (r && !resolve(p, dir, r->target)) {
		err = xlsx_parse(x, p, sst_start, sst_end, &sst, e);
		if (err && err != ENOENT)
			goto out;
	}
	r = rel_find(&wb, book.rid, NULL);
	if (!r || resolve(p, dir, r->target)) {
		err = bad(e, EBADMSG, "first sheet's part is not listed",
			  book_part);
		goto out;
	}
	err = xlsx_read_sheet(x, p, e);
	if (err == ENOENT)
		err = bad(e, EBADMSG, "first sheet's part is missing", p);
 out:
	free(st.date_ids);
	rels_free(&root);
	rels_free(&wb);
	return err;
}

int xlsx_open(struct xlsx **xp, const void *buf, size_t len,
	      const struct xlsx_opts *opts, struct xlsx_error *err)
{
	struct xlsx_error scratch;
	struct xlsx_error *e = err ? err : &scratch;
	char why[UNZIP_WHY_LEN] = "";
	struct xlsx *x;
	int r;

	memset(e, 0, sizeof(*e));
	if (!xp || (!buf && len))
		return EINVAL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return bad(e, ENOMEM, "out of memory", NULL);
	if (opts)
		x->o = *opts;
	x->o.max_part  = x->o.max_part ? x->o.max_part : DEF_MAX_PART;
	x->o.max_total = x->o.max_total ? x->o.max_total : DEF_MAX_TOTAL;
	x->o.max_cols  = x->o.max_cols ? x->o.max_cols : DEF_MAX_COLS;
	if (x->o.max_cols > MAX_COL)
		x->o.max_cols = MAX_COL;
	x->row_v = calloc(x->o.max_cols, sizeof(*x->row_v));
	x->row_k = calloc(x->o.max_cols, 1);
	if (!x->row_v || !x->row_k) {
		r = bad(e, ENOMEM, "out of memory", NULL);
		goto out;
	}
	r = unzip_open(&x->zip, buf, len, why);
	if (r) {
		bad(e, r, why, NULL);
		goto out;
	}
	r = open_parts(x, e);
	if (r == ENOMEM)
		bad(e, r, "out of memory", NULL);
	else if (r && !e->reason[0])
		bad(e, r, strerror(r), NULL);
 out:
	/* the buffer is not kept: everything needed is in the arena now */
	unzip_free(x->zip);
	x->zip = NULL;
	if (r)
		xlsx_free(x);
	else
		*xp = x;
	return r;
}

const char *xlsx_sheet_name(const struct xlsx *x)
{
	return x ? x->sheet_name : NULL;
}

int xlsx_next(struct xlsx *x, const struct xlsx_row **rowp)
{
	size_t i, n = 0;
	uint32_t row;

	if (!x || !rowp)
		return EINVAL;
	*rowp = NULL;
	if (x->next >= x->ncells)
		return 0;
	row = x->cells[x->next].row;
	for (i = x->next; i < x->ncells && x->cells[i].row == row; i++)
		if (x->cells[i].col > n)
			n = x->cells[i].col;
	for (size_t c = 0; c < n; c++) {
		x->row_v[c] = "";
		x->row_k[c] = XLSX_EMPTY;
	}
	for (; x->next < i; x->next++) {
		const struct xcell *c = &x->cells[x->next];

		x->row_v[c->col - 1] = c->text;
		x->row_k[c->col - 1] = c->kind;
	}
	x->cur = (struct xlsx_row){row, n, x->row_v, x->row_k};
	*rowp = &x->cur;
	return 0;
}

void xlsx_free(struct xlsx *x)
{
	if (!x)
		return;
	unzip_free(x->zip);
	xlsx_arena_free(x);
	free(x->sst);
	free(x->date_xf);
	free(x->cells);
	free(x->row_v);
	free(x->row_k);
	free(x);
}

int xlsx_date_ms(const struct xlsx *x, const char *serial, int64_t *ms)
{
	/* Days from the system's day 0 to 1970-01-01: 1899-12-30 for 1900
	 * (day 1 is 1900-01-01 once the phantom leap day is counted), and
	 * 1904-01-01 for 1904. */
	const double epoch = x && x->date1904 ? 24107 : 25569;
	char *end;
	double d;

	if (!x || !serial || !ms)
		return EINVAL;
	d = strtod(serial, &end);
	if (end == serial || *end || !isfinite(d) || d < 0 || d > 2958466)
		return EINVAL;
	if (!x->date1904 && d < 61) {
		if (d >= 60)
			return EINVAL;    /* 1900-02-29 never was */
		d += 1;               /* before it, Excel is a day ahead */
	}
	*ms = llround((d - epoch) * 86400000.0);
	return 0;
}

size_t xlsx_col_number(const char **s)
{
	size_t col = 0;
	const char *p = *s;

	for (; *p >= 'A' && *p <= 'Z'; p++) {
		col = col * 26 + (size_t)(*p - 'A' + 1);
		if (col > MAX_COL)
			return 0;
	}
	*s = p;
	return col;
}
