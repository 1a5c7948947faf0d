/* ivr/expr_eval: a compiled expression evaluated against the host's
 * variables. Nothing is allocated; a value that must outlive the host's
 * next get() (the left side of a comparison) is copied first, because a
 * host may answer from one buffer (run.c's time.* do).
 *
 * Numbers are compared as written, digit by digit, so no value is too
 * long or too precise to compare: 12345678901234567890 <
 * 12345678901234567891 and 0.1 == 0.10. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "ivr/ivr_expr.h"
#include "ivr/expr_int.h"

struct ctx {
	const struct ivr_expr *e;
	const char *(*get)(const char *name, void *arg);
	void *arg;
	char *why;
	size_t whysz;
};

struct val {
	const char *s;
	size_t n;
	bool unset;          /* a variable get() knows nothing of */
	char own[24];        /* len()'s digits */
};

static void value(const struct ctx *c, uint16_t i, struct val *v)
{
	const struct ex_node *nd = &c->e->v[i];
	struct val in;
	size_t chars = 0;

	v->unset = false;
	switch (nd->op) {
	case EX_LIT:
		v->s = c->e->src + nd->a;
		v->n = nd->b;
		return;
	case EX_VAR:
		v->s = c->get(c->e->names[nd->a], c->arg);
		v->unset = !v->s;
		v->s = v->s ? v->s : "";
		v->n = strlen(v->s);
		return;
	default:            /* EX_LEN: characters, not bytes */
		value(c, nd->a, &in);
		for (size_t j = 0; j < in.n; j++)
			chars += ((unsigned char)in.s[j] & 0xC0) != 0x80;
		v->n = (size_t)snprintf(v->own, sizeof(v->own), "%zu", chars);
		v->s = v->own;
		return;
	}
}

/* A value copied into buf (NUL-ended), kept while the next is read. */
static int hold(const struct ctx *c, uint16_t i, struct val *v, char *buf)
{
	const struct ex_node *nd = &c->e->v[i];

	value(c, i, v);
	if (v->n > EX_HOLD_MAX) {
		snprintf(c->why, c->whysz, "col %u: %.*s is longer than %d "
			 "bytes", ex_col(c->e->src, nd->at), (int)nd->len,
			 c->e->src + nd->at, EX_HOLD_MAX);
		return E2BIG;
	}
	memcpy(buf, v->s, v->n);
	buf[v->n] = '\0';
	v->s = buf;
	return 0;
}

/* ---- comparing ---- */

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static int cmp_text(const struct val *a, const struct val *b)
{
	int r = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);

	return r ? sign(r) : (a->n > b->n) - (a->n < b->n);
}

/* A value that reads as a number, cut into its parts. */
struct num {
	bool neg;
	const char *i, *f;   /* whole and fraction digits */
	size_t ni, nf;       /* the fraction without its trailing zeros */
};

static void num_split(const struct val *v, struct num *x)
{
	const char *s = v->s, *end = v->s + v->n, *dot;

	x->neg = *s == '-';
	s += x->neg;
	dot = memchr(s, '.', (size_t)(end - s));
	x->i = s;
	x->ni = (size_t)((dot ? dot : end) - s);
	x->f = dot ? dot + 1 : end;
	x->nf = (size_t)(end - x->f);
	while (x->nf && x->f[x->nf - 1] == '0')
		x->nf--;
	if (x->ni == 1 && x->i[0] == '0' && !x->nf)
		x->neg = false;          /* -0 is 0 */
}

/* Whole parts have no leading zeros (ex_is_num), so the longer is the
 * larger; fractions compare digit by digit, the longer winning a tie. */
static int cmp_num(const struct val *a, const struct val *b)
{
	struct num x, y;
	size_t nf;
	int r;

	num_split(a, &x);
	num_split(b, &y);
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;
	if (x.ni != y.ni)
		r = x.ni > y.ni ? 1 : -1;
	else if ((r = sign(memcmp(x.i, y.i, x.ni))) == 0) {
		nf = x.nf < y.nf ? x.nf : y.nf;
		if ((r = sign(memcmp(x.f, y.f, nf))) == 0)
			r = (x.nf > y.nf) - (x.nf < y.nf);
	}
	return x.neg ? -r : r;
}

/* How much of v fits in a message: at most 40 bytes, never half a
 * character. */
static int shown(const struct val *v)
{
	size_t n = v->n > 40 ? 40 : v->n;

	while (n < v->n && ((unsigned char)v->s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* Compares a with b into *r (<0, 0, >0) as the language says; ordering:
 * for < <= > >=, where a number and a text cannot be compared. */
static int compare(const struct ctx *c, const struct ex_node *nd,
		   uint16_t ia, const struct val *a, uint16_t ib,
		   const struct val *b, bool ordering, int *r)
{
	const bool na = ex_is_num(a->s, a->n), nb = ex_is_num(b->s, b->n);
	const struct ex_node *bad;
	const struct val *v;

	if (na && nb) {
		*r = cmp_num(a, b);
		return 0;
	}
	if (!ordering || na == nb) {
		*r = cmp_text(a, b);
		return 0;
	}
	bad = &c->e->v[na ? ib : ia];
	v = na ? b : a;
	if (v->unset)
		snprintf(c->why, c->whysz, "col %u: %.*s: %.*s is not set, so "
			 "not a number", ex_col(c->e->src, nd->at),
			 (int)nd->len, c->e->src + nd->at, (int)bad->len,
			 c->e->src + bad->at);
	else
		snprintf(c->why, c->whysz, "col %u: %.*s: \"%.*s\" is not a "
			 "number", ex_col(c->e->src, nd->at), (int)nd->len,
			 c->e->src + nd->at, shown(v), v->s);
	return EINVAL;
}

/* A comparison, list or function: the leaves of the condition tree.
 * Kept out of line so that the 1 KiB it holds is not on the stack of
 * every level of && || ! above it. */
static __attribute__((noinline)) int test(const struct ctx *c,
					  const struct ex_node *nd, bool *yes)
{
	char buf[EX_HOLD_MAX + 1];
	struct val a, b;
	int err, r = 0;

	if ((err = hold(c, nd->a, &a, buf)))
		return err;
	switch (nd->op) {
	case EX_IN:
		*yes = false;
		for (uint16_t i = nd->b; i != EX_NONE && !*yes;
		     i = c->e->v[i].next) {
			value(c, i, &b);
			(void)compare(c, nd, nd->a, &a, i, &b, false, &r);
			*yes = r == 0;
		}
		return 0;
	case EX_STARTS:
		value(c, nd->b, &b);
		*yes = a.n >= b.n && !memcmp(a.s, b.s, b.n);
		return 0;
	case EX_MATCH:
		*yes = !regexec(c->e->re[nd->b], a.s, 0, NULL, 0);
		return 0;
	default:
		break;
	}
	value(c, nd->b, &b);
	if ((err = compare(c, nd, nd->a, &a, nd->b, &b, nd->op >= EX_LT, &r)))
		return err;
	switch (nd->op) {
	case EX_EQ: *yes = r == 0; break;
	case EX_NE: *yes = r != 0; break;
	case EX_LT: *yes = r < 0; break;
	case EX_LE: *yes = r <= 0; break;
	case EX_GT: *yes = r > 0; break;
	default:    *yes = r >= 0; break;
	}
	return 0;
}

/* Recursion follows the nesting of ! and (…), which the compiler caps;
 * the chains of && and || (leaning right) are walked in this loop. */
static int cond(const struct ctx *c, uint16_t i, bool *yes)
{
	for (;;) {
		const struct ex_node *nd = &c->e->v[i];
		struct val v;
		int err;

		switch (nd->op) {
		case EX_AND:
		case EX_OR:
			if ((err = cond(c, nd->a, yes)))
				return err;
			if (*yes == (nd->op == EX_OR))
				return 0;
			i = nd->b;
			continue;
		case EX_NOT:
			if ((err = cond(c, nd->a, yes)))
				return err;
			*yes = !*yes;
			return 0;
		case EX_TRUTH:
			value(c, nd->a, &v);
			*yes = v.n && !(v.n == 1 && v.s[0] == '0');
			return 0;
		default:
			return test(c, nd, yes);
		}
	}
}

int ivr_expr_eval(const struct ivr_expr *e,
		  const char *(*get)(const char *name, void *arg), void *arg,
		  bool *yes, char *why, size_t whysz)
{
	const struct ctx c = {e, get, arg, why, whysz};
	bool y = false;
	int err = cond(&c, e->root, &y);

	if (!err)
		*yes = y;
	return err;
}
