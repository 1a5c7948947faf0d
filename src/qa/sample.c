/* qa/sample: drawing a plan's calls and sharing them out (sample.h). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "qa/sample.h"

static const char *const plan_names[] = {
	[QA_PLAN_PER_AGENT] = "per-agent", [QA_PLAN_PERCENT] = "percent",
	[QA_PLAN_ALL] = "all",
};

int qa_plan_parse(const char *s, enum qa_plan_kind *k)
{
	for (size_t i = 0; s && i < ARRAY_LEN(plan_names); i++)
		if (!strcmp(s, plan_names[i])) {
			*k = (enum qa_plan_kind)i;
			return 0;
		}
	return EINVAL;
}

/* splitmix64: small, and the same on every machine. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct order {
	const struct qa_cand *c;
	enum qa_plan_kind kind;
};

static const char *group_of(const struct qa_cand *c, enum qa_plan_kind k)
{
	if (k == QA_PLAN_PER_AGENT)
		return c->agent ? c->agent : "";
	if (k == QA_PLAN_PERCENT)
		return c->queue ? c->queue : "";
	return "";
}

/* qsort has no argument for its comparison: the draw is single-threaded
 * per call, so the order's context is handed over in a thread-local. */
static _Thread_local const struct order *cur;

static int by_group_then_id(const void *a, const void *b)
{
	const struct qa_cand *x = &cur->c[*(const size_t *)a];
	const struct qa_cand *y = &cur->c[*(const size_t *)b];
	int d = strcmp(group_of(x, cur->kind), group_of(y, cur->kind));

	return d ? d : strcmp(x->id, y->id);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(cur->c[((const struct qa_pick *)a)->cand].id,
		      cur->c[((const struct qa_pick *)b)->cand].id);
}

static size_t want(const struct qa_plan *p, size_t size)
{
	double k;

	if (p->kind == QA_PLAN_PER_AGENT)
		return p->n < size ? p->n : size;
	if (p->kind == QA_PLAN_ALL)
		return size;
	k = ceil(p->pct * (double)size / 100 - 1e-9);
	return k < (double)size ? (size_t)k : size;
}

/* Picks want() of the group idx[0..size) into picks; the group's own
 * stream (seed and the group's name) keeps one group's draw independent
 * of the others'. */
static size_t draw_group(const struct qa_plan *p, const char *group,
			 size_t *idx, size_t size, struct qa_pick *picks)
{
	uint64_t s = p->seed ^ hash(group);
	size_t k = want(p, size);

	for (size_t i = 0; i < k; i++) {
		size_t j = i + (size_t)(next(&s) % (size - i));
		size_t t = idx[i];

		idx[i] = idx[j];
		idx[j] = t;
		picks[i] = (struct qa_pick){idx[i], -1};
	}
	return k;
}

static int least_loaded(const struct qa_cand *c, struct qa_inspector *insp,
			size_t ni)
{
	int best = -1;

	for (size_t i = 0; i < ni; i++) {
		const char *ext = insp[i].ext ? insp[i].ext : "";

		if (*ext && c->agent && !strcmp(ext, c->agent))
			continue;
		if (best < 0 || insp[i].load < insp[best].load)
			best = (int)i;
	}
	return best;
}

static bool plan_ok(const struct qa_plan *p)
{
	if (p->kind == QA_PLAN_PER_AGENT)
		return p->n >= 1 && p->n <= 1000;
	if (p->kind == QA_PLAN_PERCENT)
		return isfinite(p->pct) && p->pct > 0 && p->pct <= 100;
	return p->kind == QA_PLAN_ALL;
}

int qa_sample(const struct qa_plan *plan, const struct qa_cand *cands,
	      size_t nc, struct qa_inspector *insp, size_t ni,
	      struct qa_pick *picks, size_t *npicks)
{
	struct order o = {cands, plan->kind};
	size_t *idx, n = 0;

	if (!plan_ok(plan))
		return EINVAL;
	idx = malloc((nc ? nc : 1) * sizeof(*idx));
	if (!idx)
		return ENOMEM;
	for (size_t i = 0; i < nc; i++)
		idx[i] = i;
	cur = &o;
	qsort(idx, nc, sizeof(*idx), by_group_then_id);
	for (size_t g = 0, end; g < nc; g = end) {
		const char *name = group_of(&cands[idx[g]], plan->kind);

		for (end = g + 1; end < nc && !strcmp(name,
				group_of(&cands[idx[end]], plan->kind)); end++)
			;
		n += draw_group(plan, name, idx + g, end - g, picks + n);
	}
	qsort(picks, n, sizeof(*picks), by_id);
	cur = NULL;
	free(idx);
	for (size_t i = 0; i < n; i++) {
		picks[i].inspector = least_loaded(&cands[picks[i].cand], insp,
						  ni);
		if (picks[i].inspector >= 0)
			insp[picks[i].inspector].load++;
	}
	*npicks = n;
	return 0;
}
