/* qa/score: scoring a call on a scorecard (score.h says the rules). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "base/util.h"
#include "qa/score.h"

/* Weights are decimals people type (12.5): equal within this. */
#define WEIGHT_EPS 0.001

static const char *const answer_names[] = {
	[QA_A_YES] = "yes", [QA_A_NO] = "no", [QA_A_PARTIAL] = "partial",
	[QA_A_NA] = "na",
};

int qa_answer_parse(const char *s, enum qa_answer *a)
{
	for (size_t i = QA_A_YES; s && i < ARRAY_LEN(answer_names); i++)
		if (!strcmp(s, answer_names[i])) {
			*a = (enum qa_answer)i;
			return 0;
		}
	return EINVAL;
}

const char *qa_answer_name(enum qa_answer a)
{
	return (size_t)a < ARRAY_LEN(answer_names) ? answer_names[a] : NULL;
}

void qa_problem(struct qa_problems *p, const char *fmt, ...)
{
	va_list ap;

	if (p->n < QA_PROBLEMS_MAX) {
		va_start(ap, fmt);
		vsnprintf(p->msg[p->n], QA_PROBLEM_LEN, fmt, ap);
		va_end(ap);
	}
	p->n++;
}

static void check_items(const struct qa_card *c, struct qa_problems *p,
			double *sum, size_t per_section[])
{
	for (size_t i = 0; i < c->nitems; i++) {
		const struct qa_item *it = &c->items[i];
		const char *id = it->id && *it->id ? it->id : NULL;

		if (!id)
			qa_problem(p, "item %zu: id required", i + 1);
		for (size_t k = 0; id && k < i; k++)
			if (c->items[k].id && !strcmp(c->items[k].id, id)) {
				qa_problem(p, "item %s: id used twice", id);
				break;
			}
		if (!isfinite(it->worth) || it->worth < 0 ||
		    (it->worth == 0 && !it->critical))
			qa_problem(p, "item %s: %s must be above 0%s",
				   id ? id : "?", c->mode == QA_WEIGHTS ?
				   "weight" : "points",
				   " (0 only for a critical item)");
		else
			*sum += it->worth;
		if (it->section < c->nsections)
			per_section[it->section]++;
		else
			qa_problem(p, "item %s: no such section", id ? id : "?");
	}
}

int qa_card_check(const struct qa_card *c, struct qa_problems *p)
{
	size_t before = p->n, per_section[QA_SECTIONS_MAX] = {0};
	double sum = 0;

	if (!c->nsections || c->nsections > QA_SECTIONS_MAX)
		qa_problem(p, "sections: want 1..%d", QA_SECTIONS_MAX);
	if (!c->nitems || c->nitems > QA_ITEMS_MAX) {
		qa_problem(p, "items: want 1..%d", QA_ITEMS_MAX);
		return EINVAL;
	}
	check_items(c, p, &sum, per_section);
	for (size_t s = 0; s < c->nsections && s < QA_SECTIONS_MAX; s++) {
		if (!c->sections[s] || !*c->sections[s])
			qa_problem(p, "section %zu: title required", s + 1);
		if (!per_section[s])
			qa_problem(p, "section %s: no items", c->sections[s] &&
				   *c->sections[s] ? c->sections[s] : "?");
	}
	if (c->mode == QA_WEIGHTS && fabs(sum - 100) > WEIGHT_EPS)
		qa_problem(p, "weights add up to %g, not 100", sum);
	if (c->mode == QA_POINTS && sum <= 0)
		qa_problem(p, "points: the card is worth nothing");
	return p->n > before ? EINVAL : 0;
}

/* Finds each item's answer, listing unknown, repeated and missing ones. */
static void match(const struct qa_card *c, const struct qa_reply *replies,
		  size_t n, enum qa_answer ans[], struct qa_problems *p)
{
	for (size_t i = 0; i < c->nitems; i++)
		ans[i] = QA_A_NONE;
	for (size_t r = 0; r < n; r++) {
		const char *id = replies[r].item ? replies[r].item : "";
		size_t i = 0;

		while (i < c->nitems && strcmp(c->items[i].id, id))
			i++;
		if (i == c->nitems)
			qa_problem(p, "item %s: not on this scorecard", id);
		else if (ans[i] != QA_A_NONE)
			qa_problem(p, "item %s: answered twice", id);
		else if (!qa_answer_name(replies[r].answer))
			qa_problem(p, "item %s: want yes, no, partial or na", id);
		else
			ans[i] = replies[r].answer;
	}
	for (size_t i = 0; i < c->nitems; i++) {
		if (ans[i] == QA_A_NONE)
			qa_problem(p, "item %s: no answer", c->items[i].id);
		else if (ans[i] == QA_A_PARTIAL && c->items[i].critical)
			qa_problem(p, "item %s: a critical item is yes, no or "
				   "na, never partial", c->items[i].id);
	}
}

static double credit(enum qa_answer a)
{
	return a == QA_A_YES ? 1 : a == QA_A_PARTIAL ? 0.5 : 0;
}

static double round2(double x)
{
	return round(x * 100) / 100;
}

int qa_score(const struct qa_card *c, const struct qa_reply *replies,
	     size_t n, struct qa_result *r, struct qa_problems *p)
{
	double earned[QA_SECTIONS_MAX] = {0}, possible[QA_SECTIONS_MAX] = {0};
	enum qa_answer ans[QA_ITEMS_MAX];
	struct qa_result out = {0};
	size_t before = p->n, applicable = 0;

	match(c, replies, n, ans, p);
	for (size_t i = 0; i < c->nitems; i++) {
		const struct qa_item *it = &c->items[i];

		if (ans[i] == QA_A_NONE || ans[i] == QA_A_NA)
			continue;
		applicable++;
		earned[it->section] += it->worth * credit(ans[i]);
		possible[it->section] += it->worth;
		if (it->critical && ans[i] == QA_A_NO)
			out.failed_critical = true;
	}
	if (p->n == before && !applicable)
		qa_problem(p, "every item is na: nothing to score");
	if (p->n > before)
		return EINVAL;
	for (size_t s = 0; s < c->nsections; s++) {
		out.earned += earned[s];
		out.possible += possible[s];
		out.section_score[s] = possible[s] > 0 ?
			round2(100 * earned[s] / possible[s]) : -1;
	}
	/* Only zero-worth critical items applicable: nothing weighed, so
	 * the call passes whole unless a critical item failed. */
	out.score = out.possible > 0 ? round2(100 * out.earned / out.possible)
		: 100;
	if (out.failed_critical)
		out.score = 0;
	*r = out;
	return 0;
}
