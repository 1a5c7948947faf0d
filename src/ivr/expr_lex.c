/* ivr/expr_lex: an expression's text cut into tokens, each with where it
 * is, so that every complaint can name its column. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "ivr/expr_int.h"

/* Operators and punctuation, longer before their prefixes. */
static const struct {
	const char *text;
	enum ex_tok t;
} puncts[] = {
	{"==", T_EQ}, {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE},
	{"&&", T_AND}, {"||", T_OR},
	{"<", T_LT}, {">", T_GT}, {"!", T_NOT},
	{"(", T_LP}, {")", T_RP}, {"[", T_LB}, {"]", T_RB}, {",", T_COMMA},
};

/* Single characters other languages use, and what is meant here. */
static const struct {
	char c;
	const char *meant;
} slips[] = {
	{'=', "'=' alone: compare with '=='"},
	{'&', "'&' alone: 'and' is '&&'"},
	{'|', "'|' alone: 'or' is '||'"},
};

static const char *const tok_names[] = {
	[T_END] = "the end", [T_NUM] = "a number", [T_TEXT] = "a text",
	[T_NAME] = "a name", [T_IN] = "'in'", [T_LP] = "'('", [T_RP] = "')'",
	[T_LB] = "'['", [T_RB] = "']'", [T_COMMA] = "','", [T_NOT] = "'!'",
	[T_AND] = "'&&'", [T_OR] = "'||'", [T_EQ] = "'=='", [T_NE] = "'!='",
	[T_LT] = "'<'", [T_LE] = "'<='", [T_GT] = "'>'", [T_GE] = "'>='",
};

const char *ex_tok_name(enum ex_tok t)
{
	return tok_names[t];
}

unsigned ex_col(const char *s, size_t at)
{
	unsigned col = 1;

	for (size_t i = 0; i < at && s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	}
	return col;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c) || c == '.';
}

bool ex_is_num(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	for (d = i; i < n && is_digit(s[i]); i++)
		;
	if (i == d || (s[d] == '0' && i - d > 1))
		return false;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && is_digit(s[i]); i++)
			;
		if (i == d)
			return false;
	}
	return i == n;
}

static int fail(const struct ex_lexer *lx, size_t at, char *why, size_t n,
		const char *msg)
{
	snprintf(why, n, "col %u: %s", ex_col(lx->s, at), msg);
	return EINVAL;
}

static int lex_text(struct ex_lexer *lx, struct ex_token *tk, char *why,
		    size_t n)
{
	const char q = lx->s[lx->pos];
	const char *end = strchr(lx->s + lx->pos + 1, q);

	if (!end)
		return fail(lx, lx->pos, why, n, q == '\'' ?
			    "a text without its closing '" :
			    "a text without its closing \"");
	tk->t = T_TEXT;
	lx->pos = (size_t)(end - lx->s) + 1;
	return 0;
}

static int lex_num(struct ex_lexer *lx, struct ex_token *tk, char *why,
		   size_t n)
{
	size_t i = lx->pos + (lx->s[lx->pos] == '-');

	while (is_digit(lx->s[i]) || lx->s[i] == '.')
		i++;
	if (is_name_char(lx->s[i]) || !ex_is_num(lx->s + lx->pos, i - lx->pos))
		return fail(lx, lx->pos, why, n, "a number is written like "
			    "-12, 0 or 3.5 (other digits go in quotes: "
			    "'0138')");
	tk->t = T_NUM;
	lx->pos = i;
	return 0;
}

static int lex_name(struct ex_lexer *lx, struct ex_token *tk, char *why,
		    size_t n)
{
	const char *s = lx->s + lx->pos;
	size_t len = 0;

	while (is_name_char(s[len]))
		len++;
	if (len > EX_NAME_MAX)
		return fail(lx, lx->pos, why, n, "a name is at most 31 "
			    "characters");
	if (s[len - 1] == '.' || memmem(s, len, "..", 2))
		return fail(lx, lx->pos, why, n, "a dot in a name goes between "
			    "two words (data.order.status)");
	tk->t = len == 2 && !memcmp(s, "in", 2) ? T_IN : T_NAME;
	lx->pos += len;
	return 0;
}

int ex_lex(struct ex_lexer *lx, struct ex_token *tk, char *why, size_t n)
{
	const char *s;
	char msg[64];
	int err = 0;

	while (strchr(" \t\r\n", lx->s[lx->pos]) && lx->s[lx->pos])
		lx->pos++;
	s = lx->s + lx->pos;
	tk->at = (uint16_t)lx->pos;
	if (!*s) {
		tk->t = T_END;
	} else if (*s == '\'' || *s == '"') {
		err = lex_text(lx, tk, why, n);
	} else if (is_digit(*s) || (*s == '-' && is_digit(s[1]))) {
		err = lex_num(lx, tk, why, n);
	} else if (is_name_start(*s)) {
		err = lex_name(lx, tk, why, n);
	} else {
		for (size_t i = 0; i < sizeof(puncts) / sizeof(*puncts); i++) {
			size_t len = strlen(puncts[i].text);

			if (!strncmp(s, puncts[i].text, len)) {
				tk->t = puncts[i].t;
				lx->pos += len;
				tk->len = (uint16_t)len;
				return 0;
			}
		}
		for (size_t i = 0; i < sizeof(slips) / sizeof(*slips); i++) {
			if (*s == slips[i].c)
				return fail(lx, lx->pos, why, n, slips[i].meant);
		}
		/* The whole character, also when it is not ASCII. */
		size_t len = 1;

		while (((unsigned char)s[len] & 0xC0) == 0x80 && len < 4)
			len++;
		snprintf(msg, sizeof(msg), "unexpected '%.*s'", (int)len, s);
		return fail(lx, lx->pos, why, n, msg);
	}
	tk->len = (uint16_t)(lx->pos - tk->at);
	return err;
}
