/* base/xlsx: expat over one ZIP part at a time, and the arena the text of
 * cells lives in (see xlsx_int.h).
 *
 * A part is inflated in pieces and each piece handed to expat as it
 * comes, so a 60 MB sheet is never whole in memory as XML. The parser is
 * namespace-aware and handlers see local names only: generators that
 * write <x:c> (the .NET SDK) and those that write <c> read the same. A
 * DOCTYPE stops the parse before any entity can be declared, so no entity
 * expansion (billion laughs) ever starts. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "base/xlsx_int.h"

enum { NS_SEP = '|', BLOCK = 64 * 1024 };

struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

int xp_fail(struct xp *xp, int err, size_t row, size_t col,
	    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (xp->err)
		return xp->err;
	xp->err = err;
	xp->e->row = row;
	xp->e->column = col;
	n = snprintf(xp->e->reason, sizeof(xp->e->reason), "%s: ", xp->part);
	if (n < 0 || (size_t)n >= sizeof(xp->e->reason))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(xp->e->reason + n, sizeof(xp->e->reason) - n, fmt, ap);
	va_end(ap);
	XML_StopParser(xp->p, XML_FALSE);
	return err;
}

static const char *local(const char *name)
{
	const char *s = strrchr(name, NS_SEP);

	return s ? s + 1 : name;
}

const char *xp_attr(const char **attr, const char *name)
{
	for (; attr[0]; attr += 2)
		if (!strcmp(local(attr[0]), name))
			return attr[1];
	return NULL;
}

void xp_collect(struct xp *xp)
{
	xp->tlen = 0;
	xp->collect = true;
}

static void on_start(void *arg, const char *name, const char **attr)
{
	struct xp *xp = arg;

	if (!xp->err)
		xp->start(xp, local(name), attr);
}

static void on_end(void *arg, const char *name)
{
	struct xp *xp = arg;

	if (!xp->err && xp->end)
		xp->end(xp, local(name));
}

static void on_text(void *arg, const char *s, int len)
{
	struct xp *xp = arg;

	if (!xp->collect || xp->err || len <= 0)
		return;
	if (xp->tlen + (size_t)len + 1 > xp->tcap) {
		size_t cap = (xp->tlen + (size_t)len + 1) * 2;
		char *t = realloc(xp->text, cap);

		if (!t) {
			xp_fail(xp, ENOMEM, 0, 0, "out of memory");
			return;
		}
		xp->text = t, xp->tcap = cap;
	}
	memcpy(xp->text + xp->tlen, s, (size_t)len);
	xp->tlen += (size_t)len;
	xp->text[xp->tlen] = '\0';
}

static void on_doctype(void *arg, const char *name, const char *sysid,
		       const char *pubid, int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	xp_fail(arg, EBADMSG, 0, 0, "has a DOCTYPE, which no XLSX part has");
}

static int feed(struct xp *xp, const char *s, size_t n, int final)
{
	if (XML_Parse(xp->p, s, (int)n, final) == XML_STATUS_OK)
		return 0;
	if (xp->err)
		return xp->err;
	return xp_fail(xp, EBADMSG, 0, 0, "malformed XML at line %lu: %s",
		       (unsigned long)XML_GetCurrentLineNumber(xp->p),
		       XML_ErrorString(XML_GetErrorCode(xp->p)));
}

static int piece(const void *p, size_t n, void *arg)
{
	return feed(arg, p, n, 0);
}

int xlsx_parse(struct xlsx *x, const char *part, xp_start_h *start,
	       xp_end_h *end, void *arg, struct xlsx_error *e)
{
	struct xp xp = {.x = x, .part = part, .start = start, .end = end,
			.arg = arg, .e = e};
	char why[UNZIP_WHY_LEN] = "";
	uint64_t max = x->o.max_total - x->read, got = 0;
	bool by_total = max < x->o.max_part;
	int err;

	if (!unzip_has(x->zip, part))
		return ENOENT;
	if (max > x->o.max_part)
		max = x->o.max_part;
	xp.p = XML_ParserCreateNS(NULL, NS_SEP);
	if (!xp.p)
		return ENOMEM;
	XML_SetUserData(xp.p, &xp);
	XML_SetElementHandler(xp.p, on_start, on_end);
	XML_SetCharacterDataHandler(xp.p, on_text);
	XML_SetStartDoctypeDeclHandler(xp.p, on_doctype);
	err = unzip_read(x->zip, part, max, piece, &xp, &got, why);
	x->read += got;
	if (!err)
		err = feed(&xp, "", 0, 1);
	if (err && !xp.err) {
		/* the ZIP layer's error: its reason names the part */
		e->row = e->column = 0;
		util_strlcpy(e->reason, why, sizeof(e->reason));
		if (err == EFBIG && by_total)
			snprintf(e->reason, sizeof(e->reason), "workbook is "
				 "larger than the limit of %llu bytes "
				 "uncompressed",
				 (unsigned long long)x->o.max_total);
	}
	XML_ParserFree(xp.p);
	free(xp.text);
	return err;
}

/* Appends code point cp as UTF-8 at d; bytes written. */
static size_t put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80)
		return d[0] = (char)cp, 1;
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	d[0] = (char)(0xe0 | cp >> 12);
	d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* The code point of "_xHHHH_" at s (n bytes left), or -1. Excel writes
 * control characters this way (_x000D_ for CR) and "_x005F_" for a "_"
 * that would otherwise start one. */
static int escape_at(const char *s, size_t n)
{
	int cp = 0;

	if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = util_hexval(s[i]);

		if (h < 0)
			return -1;
		cp = cp << 4 | h;
	}
	return cp && (cp < 0xd800 || cp > 0xdfff) ? cp : -1;
}

static char *arena_alloc(struct xlsx *x, size_t n)
{
	struct block *b = x->arena;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK ? n : BLOCK;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = x->arena;
		x->arena = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

const char *xlsx_keep(struct xlsx *x, const char *s, size_t n)
{
	char *d = arena_alloc(x, n + 1);
	size_t j = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n;) {
		int cp = s[i] == '_' ? escape_at(s + i, n - i) : -1;

		if (cp < 0) {
			d[j++] = s[i++];
			continue;
		}
		/* 7 bytes in, at most 3 out: decoding never outgrows d */
		j += put_utf8(d + j, (unsigned)cp);
		i += 7;
	}
	d[j] = '\0';
	return d;
}

void xlsx_arena_free(struct xlsx *x)
{
	while (x->arena) {
		struct block *b = x->arena;

		x->arena = b->next;
		free(b);
	}
}
