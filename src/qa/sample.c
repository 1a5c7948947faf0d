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

static const char *group_of(const struct qa_cand *c, enum qa_plan_kind k)
{
	if (k == QA_PLAN_PER_AGENT)
		return c->agent ? c->agent : "";
	if (k == QA_PLAN_PERCENT)
		return c->queue ? c->queue : "";
	return "";
}

/* What the draw sorts: the keys beside the index, so a million of them
 * sort without chasing each candidate. */
struct key {
	const char *group, *id;
	size_t cand;
};

static int by_group_then_id(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int d = strcmp(x->group, y->group);

	return d ? d : strcmp(x->id, y->id);
}

/* Picks carry their id while sorted: the same reason. */
struct pick_key {
	const char *id;
	struct qa_pick pick;
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct pick_key *)a)->id,
		      ((const struct pick_key *)b)->id);
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
			 struct key *keys, size_t size, struct pick_key *picks)
{
	uint64_t s = p->seed ^ hash(group);
	size_t k = want(p, size);

	/* all takes the group as it is: already in id order */
	for (size_t i = 0; i < k && p->kind != QA_PLAN_ALL; i++) {
		size_t j = i + (size_t)(next(&s) % (size - i));
		struct key t = keys[i];

		keys[i] = keys[j];
		keys[j] = t;
	}
	for (size_t i = 0; i < k; i++)
		picks[i] = (struct pick_key){keys[i].id, {keys[i].cand, -1}};
	return k;
}

static bool listed(const char *const *agents, const char *agent)
{
	if (!agents)
		return true;
	for (; *agents; agents++)
		if (agent && !strcmp(*agents, agent))
			return true;
	return false;
}

static int least_loaded(const struct qa_cand *c, struct qa_inspector *insp,
			size_t ni)
{
	int best = -1;

	for (size_t i = 0; i < ni; i++) {
		const char *ext = insp[i].ext ? insp[i].ext : "";

		if ((*ext && c->agent && !strcmp(ext, c->agent)) ||
		    !listed(insp[i].agents, c->agent))
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
	struct key *keys;
	struct pick_key *pk;
	size_t n = 0;

	if (!plan_ok(plan))
		return EINVAL;
	keys = malloc((nc ? nc : 1) * sizeof(*keys));
	pk = malloc((nc ? nc : 1) * sizeof(*pk));
	if (!keys || !pk) {
		free(keys);
		free(pk);
		return ENOMEM;
	}
	for (size_t i = 0; i < nc; i++)
		keys[i] = (struct key){group_of(&cands[i], plan->kind),
				       cands[i].id ? cands[i].id : "", i};
	qsort(keys, nc, sizeof(*keys), by_group_then_id);
	for (size_t g = 0, end; g < nc; g = end) {
		for (end = g + 1; end < nc && !strcmp(keys[g].group,
						      keys[end].group); end++)
			;
		n += draw_group(plan, keys[g].group, keys + g, end - g, pk + n);
	}
	if (plan->kind != QA_PLAN_ALL)
		qsort(pk, n, sizeof(*pk), by_id);
	for (size_t i = 0; i < n; i++) {
		picks[i] = pk[i].pick;
		picks[i].inspector = least_loaded(&cands[picks[i].cand], insp,
						  ni);
		if (picks[i].inspector >= 0)
			insp[picks[i].inspector].load++;
	}
	free(keys);
	free(pk);
	*npicks = n;
	return 0;
}
