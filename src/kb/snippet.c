/* kb/snippet: a query's terms, and the few lines of an article a result
 * shows with the terms marked. Pure: text in, text out.
 *
 * A term is matched piece by piece, as the tokenizer matched it: its runs
 * of ASCII letters and digits (any case) and its runs of other characters,
 * so "5G套餐" marks "5G" and "套餐" in "5G 套餐" too. Everything from the
 * article is HTML-escaped; the only markup is ours, <mark>. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "kb/kb_int.h"

enum { PIECES_MAX = KB_TERMS_MAX * 8, TEXT_MAX = 64 * 1024 };

/* The ideographic space, U+3000, separates terms as a space does. */
static size_t space_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	return !strncmp(s, "\xe3\x80\x80", 3) ? 3 : 0;
}

int kb_terms_parse(const char *q, struct kb_terms *out)
{
	const char *s = q;

	out->n = 0;
	while (*s) {
		size_t len = 0, sp;

		while ((sp = space_len(s)))
			s += sp;
		if (!*s)
			break;
		while (s[len] && !space_len(s + len))
			len++;
		if (out->n == KB_TERMS_MAX || len > KB_TERM_MAX)
			return EINVAL;
		memcpy(out->t[out->n], s, len);
		out->t[out->n++][len] = '\0';
		s += len;
	}
	return out->n ? 0 : EINVAL;
}

struct piece {
	const char *s;
	size_t len;
};

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Each term's runs: ASCII letters and digits, or bytes >= 0x80 (whole
 * UTF-8 characters); ASCII punctuation splits and is dropped. */
static size_t pieces_of(const struct kb_terms *terms, struct piece *p)
{
	size_t n = 0;

	for (size_t i = 0; i < terms->n; i++) {
		const unsigned char *s = (const unsigned char *)terms->t[i];

		while (*s && n < PIECES_MAX) {
			const unsigned char *e = s;

			if (is_alnum(*s))
				while (is_alnum(*e))
					e++;
			else if (*s >= 0x80)
				while (*e >= 0x80)
					e++;
			else {
				s++;
				continue;
			}
			p[n++] = (struct piece){(const char *)s, (size_t)(e - s)};
			s = e;
		}
	}
	return n;
}

/* The length of the longest piece at s, 0 when none starts there. */
static size_t match_at(const char *s, const struct piece *p, size_t n)
{
	size_t best = 0;

	for (size_t i = 0; i < n; i++)
		if (p[i].len > best && !strncasecmp(s, p[i].s, p[i].len))
			best = p[i].len;
	return best;
}

/* text with Markdown's commonest marks dropped and whitespace folded, into out. */
static void plain(const char *text, char *out, size_t n)
{
	size_t o = 0;
	bool space = true, line = true;

	for (const char *s = text; *s && o + 1 < n; s++) {
		/* Headings and quotes mark a line's start; emphasis and code
		 * anywhere. */
		if ((line && (*s == '#' || *s == '>')) || *s == '*' || *s == '`')
			continue;
		line = *s == '\n' || (line && (*s == ' ' || *s == '\t'));
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (!space)
				out[o++] = ' ';
			space = true;
			continue;
		}
		out[o++] = *s;
		space = false;
	}
	while (o && out[o - 1] == ' ')
		o--;
	/* Cut short: drop what may be half a character. */
	if (o + 1 >= n) {
		while (o && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
		if (o && (unsigned char)out[o - 1] >= 0xc0)
			o--;
	}
	out[o] = '\0';
}

static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 :
		     (c >> 3) == 30 ? 4 : 1;

	for (size_t i = 1; i < len; i++)
		if (!s[i])
			return i;
	return len;
}

struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->len + len + 1 > o->n)
		return;
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
}

static void put_escaped(struct out *o, const char *s, size_t len)
{
	static const struct { char c; const char *e; } esc[] = {
		{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"},
		{'\'', "&#39;"},
	};

	for (size_t i = 0; i < len; i++) {
		size_t k = 0;

		while (k < ARRAY_LEN(esc) && esc[k].c != s[i])
			k++;
		if (k < ARRAY_LEN(esc))
			put(o, esc[k].e, strlen(esc[k].e));
		else
			put(o, s + i, 1);
	}
}

void kb_snippet(const char *text, const struct kb_terms *terms, char *out,
		size_t n)
{
	static _Thread_local char buf[TEXT_MAX];
	struct piece p[PIECES_MAX];
	size_t np = pieces_of(terms, p), first = 0, start, end, chars;
	struct out o = {out, n, 0};
	const char *s;

	if (!n)
		return;
	out[0] = '\0';
	plain(text, buf, sizeof(buf));
	for (s = buf; *s; s += char_len(s))
		if (match_at(s, p, np)) {
			first = (size_t)(s - buf);
			break;
		}
	/* A quarter of the window before the first match, so it shows with
	 * what leads to it. */
	start = 0;
	{
		size_t back = 0, i = first;

		while (i > 0 && back < KB_SNIPPET_CHARS / 4) {
			i--;
			while (i > 0 && ((unsigned char)buf[i] & 0xc0) == 0x80)
				i--;
			back++;
		}
		start = i;
	}
	if (start)
		put(&o, "\xe2\x80\xa6", 3);           /* … */
	for (end = start, chars = 0; buf[end] && chars < KB_SNIPPET_CHARS;
	     chars++) {
		size_t m = match_at(buf + end, p, np);

		if (m) {
			put(&o, "<mark>", 6);
			put_escaped(&o, buf + end, m);
			put(&o, "</mark>", 7);
			end += m;
		}
		else {
			size_t cl = char_len(buf + end);

			put_escaped(&o, buf + end, cl);
			end += cl;
		}
	}
	if (buf[end])
		put(&o, "\xe2\x80\xa6", 3);
}
