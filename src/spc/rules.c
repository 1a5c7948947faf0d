/* spc/rules: the run rules, one table per rule set. Every rule looks at a
 * window of m consecutive points on the z scale chart.c computed (z = how
 * many σ from the centre) or at the plotted values for trends; windows of
 * one rule that overlap on the same side merge into one signal, so a run
 * of 12 points above the centre is one "8" signal of 12 points, not five.
 *
 * "Beyond kσ" is z > k (or z < -k); "within 1σ" is |z| <= 1; "one side"
 * is z > 0 (or z < 0): a point on the centre line breaks a run. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "spc/spc.h"

enum kind {
	K_BEYOND,     /* k of m beyond `zone` σ on the same side */
	K_SIDE,       /* m in a row on one side of the centre */
	K_TREND,      /* m in a row each higher (lower) than the one before */
	K_ALTERNATE,  /* m in a row going up and down in turn */
	K_HUG,        /* m in a row within `zone` σ, either side */
	K_MIXED,      /* m in a row beyond `zone` σ, on both sides */
};

struct rule {
	const char *id;
	enum kind kind;
	size_t m, k;
	double zone;
	const char *text;
};

/* The deck's "6 8 1 3 5", in the order it teaches them. */
static const struct rule deck[] = {
	{"6", K_TREND,  6, 0, 0, "6个连续的点往上或往下 (6 in a row rising or falling)"},
	{"8", K_SIDE,   8, 0, 0, "8个连续的点出现在均值的一边 (8 in a row on one side of the centre)"},
	{"1", K_BEYOND, 1, 1, 3, "1个点落在以均值为中心的3倍标准差之外 (1 point beyond 3σ)"},
	{"3", K_BEYOND, 3, 2, 2, "3个连续的点其中2个点落在均值为中心的2倍标准差之外 (2 of 3 beyond 2σ, same side)"},
	{"5", K_BEYOND, 5, 4, 1, "5个连续的点其中4个落在以均值为中心的1倍标准差之外 (4 of 5 beyond 1σ, same side)"},
};

/* Western Electric Statistical Quality Control Handbook (1956), zone
 * rules 1-4. */
static const struct rule western[] = {
	{"1", K_BEYOND, 1, 1, 3, "1 point beyond 3σ"},
	{"2", K_BEYOND, 3, 2, 2, "2 of 3 in a row beyond 2σ, same side"},
	{"3", K_BEYOND, 5, 4, 1, "4 of 5 in a row beyond 1σ, same side"},
	{"4", K_SIDE,   8, 0, 0, "8 in a row on one side of the centre"},
};

/* Nelson, "The Shewhart Control Chart — Tests for Special Causes",
 * Journal of Quality Technology 16(4), 1984. */
static const struct rule nelson[] = {
	{"1", K_BEYOND,    1,  1, 3, "1 point beyond 3σ"},
	{"2", K_SIDE,      9,  0, 0, "9 in a row on one side of the centre"},
	{"3", K_TREND,     6,  0, 0, "6 in a row steadily rising or falling"},
	{"4", K_ALTERNATE, 14, 0, 0, "14 in a row alternating up and down"},
	{"5", K_BEYOND,    3,  2, 2, "2 of 3 in a row beyond 2σ, same side"},
	{"6", K_BEYOND,    5,  4, 1, "4 of 5 in a row beyond 1σ, same side"},
	{"7", K_HUG,       15, 0, 1, "15 in a row within 1σ, either side"},
	{"8", K_MIXED,     8,  0, 1, "8 in a row beyond 1σ, on both sides"},
};

static const struct {
	const char *name;
	const struct rule *rules;
	size_t n;
} sets[] = {
	[SPC_RULES_DECK]   = {"deck", deck, sizeof(deck) / sizeof(deck[0])},
	[SPC_RULES_WE]     = {"western-electric", western,
			      sizeof(western) / sizeof(western[0])},
	[SPC_RULES_NELSON] = {"nelson", nelson,
			      sizeof(nelson) / sizeof(nelson[0])},
};

const char *spc_ruleset_name(enum spc_ruleset set)
{
	return (size_t)set < sizeof(sets) / sizeof(sets[0]) ? sets[set].name
							     : NULL;
}

int spc_ruleset_parse(const char *name, enum spc_ruleset *set)
{
	for (size_t i = 0; name && i < sizeof(sets) / sizeof(sets[0]); i++)
		if (!strcmp(name, sets[i].name)) {
			*set = (enum spc_ruleset)i;
			return 0;
		}
	return EINVAL;
}

enum { NO = 2 };   /* a window's side when it does not qualify */

static int sgn(double v)
{
	return (v > 0) - (v < 0);
}

/* The side (+1 above or rising, -1, or 0 when sideless) on which the
 * window of m points ending at e qualifies, or NO. */
static int window_side(const struct rule *r, const struct spc_chart *c,
		       size_t e)
{
	size_t s = e + 1 - r->m, up = 0, down = 0;
	const double *z = c->z, *y = c->y;

	switch (r->kind) {
	case K_BEYOND:
		for (size_t i = s; i <= e; i++) {
			up += z[i] > r->zone;
			down += z[i] < -r->zone;
		}
		return up >= r->k ? 1 : down >= r->k ? -1 : NO;
	case K_SIDE:
		for (size_t i = s; i <= e; i++) {
			up += z[i] > 0;
			down += z[i] < 0;
		}
		return up == r->m ? 1 : down == r->m ? -1 : NO;
	case K_TREND:
		for (size_t i = s + 1; i <= e; i++) {
			up += y[i] > y[i - 1];
			down += y[i] < y[i - 1];
		}
		return up == r->m - 1 ? 1 : down == r->m - 1 ? -1 : NO;
	case K_ALTERNATE:
		for (size_t i = s + 1; i <= e; i++) {
			int d = sgn(y[i] - y[i - 1]);

			if (!d || (i > s + 1 && d == sgn(y[i - 1] - y[i - 2])))
				return NO;
		}
		return 0;
	case K_HUG:
		for (size_t i = s; i <= e; i++)
			if (fabs(z[i]) > r->zone)
				return NO;
		return 0;
	case K_MIXED:
		for (size_t i = s; i <= e; i++) {
			up += z[i] > r->zone;
			down += z[i] < -r->zone;
		}
		return up + down == r->m && up && down ? 0 : NO;
	}
	return NO;
}

/* Whether point i, inside a qualifying window on side, is part of the
 * pattern: for "k of m" only the points beyond the zone on that side. */
static bool member(const struct rule *r, const struct spc_chart *c,
		   size_t i, int side)
{
	return r->kind != K_BEYOND || side * c->z[i] > r->zone;
}

struct found {
	size_t rule;              /* index in the set */
	size_t first, last;       /* the windows' union */
	size_t *pts, n, cap;
};

struct work {
	struct found *v;
	size_t n, cap;
};

static int push_point(struct found *f, size_t i)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 16;
		size_t *p = realloc(f->pts, cap * sizeof(*p));

		if (!p)
			return ENOMEM;
		f->pts = p;
		f->cap = cap;
	}
	f->pts[f->n++] = i;
	return 0;
}

static int scan_rule(const struct spc_chart *c, const struct rule *r,
		     size_t ri, struct work *w)
{
	/* The open signal per side (-1, 0, +1), as an index into w->v. */
	size_t open[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};

	for (size_t e = r->m - 1; e < c->npoints; e++) {
		int side = window_side(r, c, e);
		size_t s = e + 1 - r->m, from = s, *o;
		struct found *f;

		if (side == NO)
			continue;
		o = &open[side + 1];
		if (*o != SIZE_MAX && w->v[*o].last >= s) {
			f = &w->v[*o];
			from = f->last + 1;
		} else {
			if (w->n == w->cap) {
				size_t cap = w->cap ? 2 * w->cap : 8;
				struct found *v = realloc(w->v, cap * sizeof(*v));

				if (!v)
					return ENOMEM;
				w->v = v;
				w->cap = cap;
			}
			*o = w->n;
			f = &w->v[w->n++];
			*f = (struct found){.rule = ri, .first = s};
		}
		f->last = e;
		for (size_t i = from; i <= e; i++)
			if (member(r, c, i, side) && push_point(f, i))
				return ENOMEM;
	}
	return 0;
}

static int by_rule_then_first(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

void spc_signals_free(struct spc_signals *s)
{
	if (!s)
		return;
	free(s->v);
	free(s->points);
	memset(s, 0, sizeof(*s));
}

int spc_detect(const struct spc_chart *c, enum spc_ruleset set,
	       struct spc_signals *out)
{
	struct work w = {0};
	struct spc_signals s = {0};
	size_t total = 0;
	int err = 0;

	if (!c || !out || (size_t)set >= sizeof(sets) / sizeof(sets[0]))
		return EINVAL;
	for (size_t ri = 0; !err && ri < sets[set].n; ri++)
		if (c->npoints >= sets[set].rules[ri].m)
			err = scan_rule(c, &sets[set].rules[ri], ri, &w);
	if (!err && w.n) {
		qsort(w.v, w.n, sizeof(*w.v), by_rule_then_first);
		for (size_t i = 0; i < w.n; i++)
			total += w.v[i].n;
		s.v = calloc(w.n, sizeof(*s.v));
		s.points = calloc(total, sizeof(*s.points));
		if (!s.v || !s.points)
			err = ENOMEM;
	}
	for (size_t i = 0; !err && i < w.n; i++) {
		const struct rule *r = &sets[set].rules[w.v[i].rule];

		s.v[i] = (struct spc_signal){r->id, r->text, s.npoints,
					      w.v[i].n};
		memcpy(s.points + s.npoints, w.v[i].pts,
		       w.v[i].n * sizeof(size_t));
		s.npoints += w.v[i].n;
	}
	s.n = err ? 0 : w.n;
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].pts);
	free(w.v);
	if (err) {
		spc_signals_free(&s);
		return err;
	}
	*out = s;
	return 0;
}
