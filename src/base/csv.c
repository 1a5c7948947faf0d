/* base/csv: the CSV reader and writer (see csv.h).
 *
 * The reader works on one UTF-8 text: the caller's bytes when they are
 * UTF-8 already, else its own GB18030 conversion. A row's fields are
 * copied, unquoted, into one growing buffer (fields may hold escaped
 * quotes, so they cannot point into the text); the pointers in v are set
 * once the row is complete, since growing the buffer moves it.
 *
 * Facts that always hold:
 *  (1) c->pos never passes c->len, and every byte read is checked first.
 *  (2) Once c->err is set, csv_next only repeats it. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"

enum {
	DEF_MAX_BYTES  = 32 << 20,
	DEF_MAX_ROWS   = 1048576,   /* Excel's own sheet limit */
	DEF_MAX_FIELDS = 1024,
	DEF_MAX_FIELD  = 64 << 10,
};

struct csv {
	struct csv_opts o;
	const char *text;
	size_t len, pos;
	char *own;                  /* converted text, when there is one */
	const char *encoding;
	size_t row;                 /* rows consumed, blank ones too */
	char *buf;                  /* the current row's fields, NUL-ended */
	size_t blen, bcap;
	size_t *off;                /* each field's start in buf */
	char **v;
	size_t vcap;
	struct csv_row cur;
	int err;
	struct csv_error why;
};

static int fail(struct csv_error *e, int err, size_t row, size_t col,
		const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return err;
	e->row = row;
	e->column = col;
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
	return err;
}

bool csv_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i], need, min;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			goto bad;
		if (len - i <= need)
			goto bad;
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += need + 1;
	}
	return true;
 bad:
	if (bad)
		*bad = i;
	return false;
}

/* The row and column of byte off of raw text, counted the way the parser
 * counts them, for errors found before parsing (encoding). */
static void locate(const char *t, size_t off, char delim, size_t *row,
		   size_t *col)
{
	bool quoted = false;

	*row = 1, *col = 1;
	for (size_t i = 0; i < off; i++) {
		if (t[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (t[i] == delim)
			++*col;
		else if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
			++*row, *col = 1;
	}
}

static int from_gb18030(struct csv *c, const char *in, size_t len,
			struct csv_error *e)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	size_t cap = len * 2 + 16, inleft = len, outleft = cap;
	char *ip = (char *)in, *op;
	size_t row, col;

	if (cd == (iconv_t)-1)
		return fail(e, EILSEQ, 0, 0, "not UTF-8, and GB18030 is "
			    "not available to convert from");
	c->own = op = malloc(cap);
	if (!c->own) {
		iconv_close(cd);
		return fail(e, ENOMEM, 0, 0, "out of memory");
	}
	if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
		iconv_close(cd);
		locate(in, (size_t)(ip - in), c->o.delim, &row, &col);
		return fail(e, EILSEQ, row, col, "text is neither UTF-8 nor "
			    "GB18030 (byte 0x%02x); save as CSV UTF-8",
			    (unsigned char)*ip);
	}
	iconv_close(cd);
	c->text = c->own;
	c->len = cap - outleft;
	c->encoding = "GB18030";
	return 0;
}

int csv_open(struct csv **cp, const void *buf, size_t len,
	     const struct csv_opts *opts, struct csv_error *e)
{
	const char *t = buf;
	struct csv *c;
	int err;

	if (!cp || (!buf && len))
		return EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return fail(e, ENOMEM, 0, 0, "out of memory");
	if (opts)
		c->o = *opts;
	c->o.delim      = c->o.delim ? c->o.delim : ',';
	c->o.max_bytes  = c->o.max_bytes ? c->o.max_bytes : DEF_MAX_BYTES;
	c->o.max_rows   = c->o.max_rows ? c->o.max_rows : DEF_MAX_ROWS;
	c->o.max_fields = c->o.max_fields ? c->o.max_fields : DEF_MAX_FIELDS;
	c->o.max_field  = c->o.max_field ? c->o.max_field : DEF_MAX_FIELD;

	if (len > c->o.max_bytes) {
		err = fail(e, EFBIG, 0, 0, "file is %zu bytes, more than the "
			   "limit of %zu", len, c->o.max_bytes);
		goto out;
	}
	if (len >= 2 && ((t[0] == '\xff' && t[1] == '\xfe') ||
			 (t[0] == '\xfe' && t[1] == '\xff'))) {
		err = fail(e, EILSEQ, 0, 0, "file is UTF-16 (Unicode text); "
			   "save as CSV UTF-8");
		goto out;
	}
	if (len >= 3 && !memcmp(t, "\xef\xbb\xbf", 3))
		t += 3, len -= 3;
	c->text = t;
	c->len = len;
	c->encoding = "UTF-8";
	err = csv_utf8_valid(t, len, NULL) ? 0 : from_gb18030(c, t, len, e);
 out:
	if (err)
		csv_free(c);
	else
		*cp = c;
	return err;
}

static int put(struct csv *c, char ch)
{
	if (c->blen == c->bcap) {
		size_t cap = c->bcap ? c->bcap * 2 : 256;
		char *b = realloc(c->buf, cap);

		if (!b)
			return ENOMEM;
		c->buf = b, c->bcap = cap;
	}
	c->buf[c->blen++] = ch;
	return 0;
}

/* Room for field n's offset and pointer. */
static int ensure(struct csv *c, size_t n)
{
	size_t cap;
	size_t *o;
	char **v;

	if (n < c->vcap)
		return 0;
	cap = c->vcap ? c->vcap * 2 : 16;
	if (!(o = realloc(c->off, cap * sizeof(*o))))
		return ENOMEM;
	c->off = o;
	if (!(v = realloc(c->v, cap * sizeof(*v))))
		return ENOMEM;
	c->v = v, c->vcap = cap;
	return 0;
}

/* Ends the field begun at c->off[n]: its length checked, then its NUL. */
static int end_field(struct csv *c, size_t n)
{
	if (c->blen - c->off[n] > c->o.max_field)
		return fail(&c->why, EFBIG, c->row, n + 1, "field is longer "
			    "than %zu bytes", c->o.max_field);
	return put(c, '\0');
}

/* Reads one field at c->pos into the row buffer; *last when the record
 * ended with it. */
static int field(struct csv *c, size_t n, bool *last)
{
	const char *t = c->text;
	const char d = c->o.delim;
	size_t start_row = c->row;
	int err = 0;

	c->off[n] = c->blen;
	if (c->pos < c->len && t[c->pos] == '"') {
		c->pos++;
		for (;;) {
			if (c->pos >= c->len)
				return fail(&c->why, EINVAL, start_row, n + 1,
					    "quote opened here is never "
					    "closed");
			if (t[c->pos] == '"') {
				if (c->pos + 1 < c->len && t[c->pos + 1] == '"') {
					err = put(c, '"');
					c->pos += 2;
				} else {
					c->pos++;
					break;
				}
			} else if (t[c->pos] == '\0') {
				break;
			} else {
				err = put(c, t[c->pos++]);
			}
			if (err)
				return err;
		}
		if (c->pos < c->len && t[c->pos] != d && t[c->pos] != '\n' &&
		    t[c->pos] != '\r' && t[c->pos] != '\0')
			return fail(&c->why, EINVAL, c->row, n + 1, "text after "
				    "the closing quote (a quote inside a quoted "
				    "field is written \"\")");
	} else {
		while (c->pos < c->len && t[c->pos] != d && t[c->pos] != '\n' &&
		       t[c->pos] != '\r' && t[c->pos] != '\0')
			if ((err = put(c, t[c->pos++])))
				return err;
	}
	if (c->pos < c->len && t[c->pos] == '\0')
		return fail(&c->why, EINVAL, c->row, n + 1, "NUL byte: not a "
			    "text file");
	if ((err = end_field(c, n)))
		return err;
	*last = true;
	if (c->pos >= c->len)
		return 0;
	if (t[c->pos] == d) {
		c->pos++;
		*last = false;
		/* "a," ends in an empty field, which the loop still reads */
		return 0;
	}
	if (t[c->pos] == '\r')
		c->pos++;
	if (c->pos < c->len && t[c->pos] == '\n')
		c->pos++;
	return 0;
}

static bool blank(const struct csv *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c->buf[c->off[i]])
			return false;
	return true;
}

int csv_next(struct csv *c, const struct csv_row **rowp,
	     struct csv_error *e)
{
	size_t n;
	bool last;

	if (!c || !rowp)
		return EINVAL;
	*rowp = NULL;
	while (!c->err && c->pos < c->len) {
		if (++c->row > c->o.max_rows) {
			c->err = fail(&c->why, EFBIG, c->row, 0, "more than "
				      "%zu rows", c->o.max_rows);
			break;
		}
		c->blen = 0;
		n = 0;
		do {
			if (n >= c->o.max_fields)
				c->err = fail(&c->why, EFBIG, c->row, n + 1,
					      "row has more than %zu fields",
					      c->o.max_fields);
			else if (!(c->err = ensure(c, n)))
				c->err = field(c, n, &last);
			n++;
		} while (!c->err && !last);
		if (c->err)
			break;
		if (blank(c, n))
			continue;
		for (size_t i = 0; i < n; i++)
			c->v[i] = c->buf + c->off[i];
		c->cur = (struct csv_row){c->row, n, c->v};
		*rowp = &c->cur;
		return 0;
	}
	if (c->err == ENOMEM)
		fail(&c->why, ENOMEM, c->row, 0, "out of memory");
	if (c->err && e)
		*e = c->why;
	return c->err;
}

const char *csv_encoding(const struct csv *c)
{
	return c ? c->encoding : NULL;
}

void csv_free(struct csv *c)
{
	if (!c)
		return;
	free(c->own);
	free(c->buf);
	free(c->off);
	free(c->v);
	free(c);
}

int csv_write_bom(FILE *f)
{
	return fwrite("\xef\xbb\xbf", 1, 3, f) == 3 ? 0 : EIO;
}

/* A plain number ("+86138…", "-5", "1.5"): Excel reads it as a number,
 * not a formula, so it needs no defusing. */
static bool plain_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((*s < '0' || *s > '9') && *s != '.')
			return false;
	return true;
}

static bool formula(const char *s)
{
	switch (s[0]) {
	case '=': case '@': case '\t': case '\r':
		return true;
	case '+': case '-':
		return !plain_number(s + 1);
	default:
		return false;
	}
}

int csv_write_row(FILE *f, const char *const *v, size_t n, int flags)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = v[i] ? v[i] : "";
		bool defuse = (flags & CSV_SAFE) && formula(s);
		bool quote = defuse || strpbrk(s, ",\"\r\n") ||
			     s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ');

		if (i && fputc(',', f) == EOF)
			return EIO;
		if (!quote) {
			if (fputs(s, f) == EOF)
				return EIO;
			continue;
		}
		if (fputc('"', f) == EOF || (defuse && fputc('\'', f) == EOF))
			return EIO;
		for (; *s; s++)
			if ((*s == '"' && fputc('"', f) == EOF) ||
			    fputc(*s, f) == EOF)
				return EIO;
		if (fputc('"', f) == EOF)
			return EIO;
	}
	return fputs("\r\n", f) == EOF ? EIO : 0;
}
