/* ivr/expr: compiling an expression (the language is in ivr_expr.h) by
 * recursive descent into a flat array of nodes that point at each other by
 * index; literals stay in the copied text, every name read is listed once
 * and every pattern is compiled here, so evaluating allocates nothing.
 *
 * The parser recurses once per level of '(' '!' and len(); those levels
 * are counted and capped, so no text can run it out of stack. Chains of
 * && and || are loops, not recursion. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/ivr_expr.h"
#include "ivr/expr_int.h"

/* Functions: a value (len) or a test of their arguments. */
static const struct func {
	const char *name;
	enum ex_op op;
	unsigned nargs;
	bool test;
	bool pattern;       /* the last argument is a pattern in quotes */
} funcs[] = {
	{"len", EX_LEN, 1, false, false},
	{"startswith", EX_STARTS, 2, true, false},
	{"matches", EX_MATCH, 2, true, true},
};

struct parser {
	struct ex_lexer lx;
	struct ex_token tk, prev;  /* current and last token */
	struct ivr_expr *e;
	unsigned cap;              /* of e->v */
	unsigned depth;
	char *why;
	size_t whysz;
};

static int fail_at(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *p, size_t at, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->why, p->whysz, "col %u: %s", ex_col(p->lx.s, at), msg);
	return EINVAL;
}

static int next(struct parser *p)
{
	p->prev = p->tk;
	return ex_lex(&p->lx, &p->tk, p->why, p->whysz);
}

static int expect(struct parser *p, enum ex_tok t)
{
	if (p->tk.t == t)
		return next(p);
	return fail_at(p, p->tk.at, "expected %s, not %s", ex_tok_name(t),
		       ex_tok_name(p->tk.t));
}

/* Where an operand should be and is not. */
static int no_operand(struct parser *p)
{
	if (p->prev.len == 0)
		return fail_at(p, p->tk.at, "expected a condition, not %s",
			       ex_tok_name(p->tk.t));
	return fail_at(p, p->tk.at, "expected an operand after '%.*s'%s%s",
		       (int)p->prev.len, p->lx.s + p->prev.at,
		       p->tk.t == T_END ? "" : ", not ",
		       p->tk.t == T_END ? "" : ex_tok_name(p->tk.t));
}

static int deeper(struct parser *p)
{
	if (++p->depth > EX_DEPTH_MAX)
		return fail_at(p, p->tk.at, "nested deeper than %d levels",
			       EX_DEPTH_MAX);
	return 0;
}

static int add(struct parser *p, enum ex_op op, uint16_t a, uint16_t b,
	       size_t at, size_t end, uint16_t *idx)
{
	struct ivr_expr *e = p->e;

	if (e->n == EX_NONE - 1)
		return ENOMEM;
	if (e->n == p->cap) {
		unsigned cap = p->cap ? p->cap * 2 : 8;
		struct ex_node *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return ENOMEM;
		e->v = v;
		p->cap = cap;
	}
	e->v[e->n] = (struct ex_node){.op = (uint8_t)op, .a = a, .b = b,
		.next = EX_NONE, .at = (uint16_t)at,
		.len = (uint16_t)(end - at)};
	*idx = e->n++;
	return 0;
}

static size_t end_of(const struct parser *p, uint16_t i)
{
	return (size_t)p->e->v[i].at + p->e->v[i].len;
}

static int name_index(struct parser *p, const char *s, size_t len,
		      uint16_t *idx)
{
	struct ivr_expr *e = p->e;
	char **v;

	for (unsigned i = 0; i < e->nnames; i++) {
		if (strlen(e->names[i]) == len && !memcmp(e->names[i], s, len)) {
			*idx = (uint16_t)i;
			return 0;
		}
	}
	if (!(v = realloc(e->names, (e->nnames + 1) * sizeof(*v))))
		return ENOMEM;
	e->names = v;
	if (!(v[e->nnames] = strndup(s, len)))
		return ENOMEM;
	*idx = (uint16_t)e->nnames++;
	return 0;
}

static int add_pattern(struct parser *p, const struct ex_token *tk,
		       uint16_t *idx)
{
	struct ivr_expr *e = p->e;
	char pat[EX_TEXT_MAX + 1], msg[128];
	regex_t **v;
	int err;

	if (!(v = realloc(e->re, (e->nre + 1) * sizeof(*v))))
		return ENOMEM;
	e->re = v;
	snprintf(pat, sizeof(pat), "%.*s", (int)tk->len - 2,
		 p->lx.s + tk->at + 1);
	if ((err = ex_pattern(&v[e->nre], pat, msg, sizeof(msg))))
		return err == EINVAL ? fail_at(p, tk->at, "%s", msg) : err;
	*idx = (uint16_t)e->nre++;
	return 0;
}

/* ---- the grammar ---- */

static int parse_cond(struct parser *p, uint16_t *idx);
static int parse_operand(struct parser *p, uint16_t *idx, bool *test);

/* A value where only a value will do. */
static int parse_value(struct parser *p, uint16_t *idx)
{
	const size_t at = p->tk.at;
	bool test;
	int err;

	if (p->tk.t != T_NUM && p->tk.t != T_TEXT && p->tk.t != T_NAME)
		return no_operand(p);
	if ((err = parse_operand(p, idx, &test)))
		return err;
	if (test)
		return fail_at(p, at, "a test (startswith, matches) "
			       "where a value is needed");
	return 0;
}

static int parse_call(struct parser *p, const struct func *fn, size_t at,
		      uint16_t *idx)
{
	uint16_t arg[2] = {EX_NONE, EX_NONE};
	int err;

	if ((err = deeper(p)) || (err = next(p)))
		return err;
	for (unsigned i = 0; i < fn->nargs; i++) {
		if (i && (err = expect(p, T_COMMA)))
			return err;
		if (fn->pattern && i == fn->nargs - 1) {
			if (p->tk.t != T_TEXT)
				return fail_at(p, p->tk.at, "%s() takes its "
					       "pattern in quotes", fn->name);
			if ((err = add_pattern(p, &p->tk, &arg[i])) ||
			    (err = next(p)))
				return err;
		} else if ((err = parse_value(p, &arg[i]))) {
			return err;
		}
	}
	if (p->tk.t == T_COMMA)
		return fail_at(p, p->tk.at, fn->nargs == 1 ? "%s() takes one "
			       "value" : "%s() takes two values", fn->name);
	if ((err = expect(p, T_RP)))
		return err;
	p->depth--;
	return add(p, fn->op, arg[0], arg[1], at, p->prev.at + 1, idx);
}

/* A literal, a name or a call; *test tells a call that is a test. */
static int parse_operand(struct parser *p, uint16_t *idx, bool *test)
{
	const struct ex_token tk = p->tk;
	const char *s = p->lx.s + tk.at;
	uint16_t name;
	int err;

	*test = false;
	if ((err = next(p)))
		return err;
	if (tk.t == T_TEXT)
		return add(p, EX_LIT, tk.at + 1, tk.len - 2, tk.at,
			   tk.at + tk.len, idx);
	if (tk.t == T_NUM)
		return add(p, EX_LIT, tk.at, tk.len, tk.at, tk.at + tk.len,
			   idx);
	if (p->tk.t == T_LP) {
		for (size_t i = 0; i < sizeof(funcs) / sizeof(*funcs); i++) {
			if (strlen(funcs[i].name) == tk.len &&
			    !memcmp(funcs[i].name, s, tk.len)) {
				*test = funcs[i].test;
				return parse_call(p, &funcs[i], tk.at, idx);
			}
		}
		char fname[EX_NAME_MAX + 1];

		snprintf(fname, sizeof(fname), "%.*s", (int)tk.len, s);
		return fail_at(p, tk.at, "no function %s() (len, startswith, "
			       "matches)", fname);
	}
	if ((err = name_index(p, s, tk.len, &name)))
		return err;
	return add(p, EX_VAR, name, 0, tk.at, tk.at + tk.len, idx);
}

/* value (',' value)* ']' after '[': the items chained by next. */
static int parse_list(struct parser *p, uint16_t *first)
{
	uint16_t last = EX_NONE, item;
	int err;

	if (p->tk.t == T_RB)
		return fail_at(p, p->tk.at, "an empty list");
	for (;;) {
		if ((err = parse_value(p, &item)))
			return err;
		if (last == EX_NONE)
			*first = item;
		else
			p->e->v[last].next = item;
		last = item;
		if (p->tk.t == T_RB)
			return next(p);
		if (p->tk.t != T_COMMA)
			return fail_at(p, p->tk.at, "expected ',' or ']', "
				       "not %s", ex_tok_name(p->tk.t));
		if ((err = next(p)))
			return err;
	}
}

static int parse_test(struct parser *p, uint16_t *idx)
{
	const size_t at = p->tk.at;
	uint16_t left, right;
	enum ex_tok op;
	bool test;
	int err;

	if (p->tk.t != T_NUM && p->tk.t != T_TEXT && p->tk.t != T_NAME)
		return no_operand(p);
	if ((err = parse_operand(p, &left, &test)))
		return err;
	op = p->tk.t;
	if (test && ((op >= T_EQ && op <= T_GE) || op == T_IN))
		return fail_at(p, p->tk.at, "%s compares no test (startswith, "
			       "matches): use it alone", ex_tok_name(op));
	if (test) {
		*idx = left;
		return 0;
	}
	if (op == T_IN) {
		if ((err = next(p)) || (err = expect(p, T_LB)) ||
		    (err = parse_list(p, &right)))
			return err;
		return add(p, EX_IN, left, right, at, p->prev.at + 1, idx);
	}
	if (op < T_EQ || op > T_GE)
		return add(p, EX_TRUTH, left, 0, at, end_of(p, left), idx);
	if ((err = next(p)) || (err = parse_value(p, &right)))
		return err;
	if (p->tk.t >= T_EQ && p->tk.t <= T_GE)
		return fail_at(p, p->tk.at, "comparisons do not chain: "
			       "write a < b && b < c");
	return add(p, (enum ex_op)(EX_EQ + (op - T_EQ)), left, right, at,
		   end_of(p, right), idx);
}

static int parse_not(struct parser *p, uint16_t *idx)
{
	const size_t at = p->tk.at;
	uint16_t inner;
	int err;

	if (p->tk.t == T_NOT) {
		if ((err = deeper(p)) || (err = next(p)) ||
		    (err = parse_not(p, &inner)))
			return err;
		p->depth--;
		return add(p, EX_NOT, inner, 0, at, end_of(p, inner), idx);
	}
	if (p->tk.t == T_LP) {
		if ((err = deeper(p)) || (err = next(p)) ||
		    (err = parse_cond(p, idx)) || (err = expect(p, T_RP)))
			return err;
		p->depth--;
		return 0;
	}
	return parse_test(p, idx);
}

/* One chain of && (t = T_AND) or || over operands read by sub, built
 * leaning right so evaluation walks it in a loop. */
static int parse_chain(struct parser *p, enum ex_tok t, enum ex_op op,
		       int (*sub)(struct parser *, uint16_t *), uint16_t *idx)
{
	uint16_t first, cur = EX_NONE, item, link;
	int err;

	if ((err = sub(p, &first)))
		return err;
	*idx = first;
	while (p->tk.t == t) {
		if ((err = next(p)) || (err = sub(p, &item)))
			return err;
		if (cur == EX_NONE) {
			if ((err = add(p, op, first, item, p->e->v[first].at,
				       end_of(p, item), &link)))
				return err;
			*idx = link;
		} else {
			uint16_t prev_b = p->e->v[cur].b;

			if ((err = add(p, op, prev_b, item, p->e->v[prev_b].at,
				       end_of(p, item), &link)))
				return err;
			p->e->v[cur].b = link;
		}
		cur = link;
	}
	return 0;
}

static int parse_and(struct parser *p, uint16_t *idx)
{
	return parse_chain(p, T_AND, EX_AND, parse_not, idx);
}

static int parse_cond(struct parser *p, uint16_t *idx)
{
	return parse_chain(p, T_OR, EX_OR, parse_and, idx);
}

/* ---- the API ---- */

void ivr_expr_free(struct ivr_expr *e)
{
	if (!e)
		return;
	for (unsigned i = 0; i < e->nnames; i++)
		free(e->names[i]);
	for (unsigned i = 0; i < e->nre; i++) {
		regfree(e->re[i]);
		free(e->re[i]);
	}
	free(e->names);
	free(e->re);
	free(e->v);
	free(e->src);
	free(e);
}

int ivr_expr_compile(struct ivr_expr **ep, const char *text, char *why,
		     size_t whysz)
{
	struct parser p = {.why = why, .whysz = whysz};
	int err;

	if (strlen(text) > EX_TEXT_MAX) {
		snprintf(why, whysz, "longer than %d bytes", EX_TEXT_MAX);
		return EINVAL;
	}
	if (!(p.e = calloc(1, sizeof(*p.e))) || !(p.e->src = strdup(text))) {
		free(p.e);
		return ENOMEM;
	}
	p.lx.s = p.e->src;
	err = next(&p);
	p.prev = (struct ex_token){0};
	if (!err)
		err = parse_cond(&p, &p.e->root);
	if (!err && p.tk.t != T_END)
		err = fail_at(&p, p.tk.at, "expected '&&', '||' or the end, "
			      "not %s", ex_tok_name(p.tk.t));
	if (err == ENOMEM)
		snprintf(why, whysz, "out of memory");
	if (err) {
		ivr_expr_free(p.e);
		return err;
	}
	*ep = p.e;
	return 0;
}

int ivr_expr_names(const struct ivr_expr *e,
		   int (*fn)(const char *name, void *arg), void *arg)
{
	for (unsigned i = 0; i < e->nnames; i++) {
		int err = fn(e->names[i], arg);

		if (err)
			return err;
	}
	return 0;
}
