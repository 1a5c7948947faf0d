/* qa/score: the pure scoring core of quality inspection (质检): a scorecard
 * (质检单) is sections of items, each worth a weight (the card's weights add
 * up to 100) or points (any positive number each); an inspector answers
 * every item yes, no, partial or N.A.
 *
 * The rules, which docs/qa.md repeats for people:
 *  (1) yes earns the item's whole worth, partial half of it, no nothing.
 *  (2) N.A. items drop out: the score is what was earned over what the
 *      applicable items were worth, times 100, so the rest renormalise.
 *  (3) A critical item answered no fails the whole call: score 0 and
 *      failed_critical, whatever the other answers (a compliance phrase
 *      missing is not made up for by politeness). Critical items take
 *      yes, no or N.A., never partial, and may be worth 0.
 *  (4) Scores are rounded to two decimals, from 0 to 100.
 * Validation never stops at the first problem: every one is listed, so a
 * form can be fixed in one go. No I/O, no clock, no allocation; strings
 * are borrowed from the caller. */
#ifndef HL_QA_SCORE_H
#define HL_QA_SCORE_H

#include <stdbool.h>
#include <stddef.h>

enum { QA_SECTIONS_MAX = 20, QA_ITEMS_MAX = 100, QA_PROBLEMS_MAX = 16,
       QA_PROBLEM_LEN = 160 };

enum qa_mode { QA_WEIGHTS, QA_POINTS };
enum qa_answer { QA_A_NONE, QA_A_YES, QA_A_NO, QA_A_PARTIAL, QA_A_NA };

struct qa_item {
	const char *id;       /* unique in the card */
	const char *text;
	double worth;         /* the weight or the points */
	bool critical;
	size_t section;       /* index into the card's sections */
};

struct qa_card {
	enum qa_mode mode;
	size_t nsections;
	const char *sections[QA_SECTIONS_MAX];   /* their titles */
	size_t nitems;
	struct qa_item items[QA_ITEMS_MAX];
};

/* One answer as the inspector gave it: item id and answer. */
struct qa_reply {
	const char *item;
	enum qa_answer answer;
};

/* Every problem found, each one sentence naming its item or section; the
 * first QA_PROBLEMS_MAX are kept, n counts them all. */
struct qa_problems {
	size_t n;
	char msg[QA_PROBLEMS_MAX][QA_PROBLEM_LEN];
};

struct qa_result {
	double score;            /* 0..100 */
	double earned;           /* worth earned by the applicable items */
	double possible;         /* worth of the applicable items */
	bool failed_critical;
	/* per section, 0..100; -1 when every item in it is N.A. */
	double section_score[QA_SECTIONS_MAX];
};

/* The answer named s ("yes", "no", "partial", "na"); EINVAL otherwise. */
int  qa_answer_parse(const char *s, enum qa_answer *a);
/* The stored name of a (NULL for QA_A_NONE). */
const char *qa_answer_name(enum qa_answer a);
/* Adds one problem to p (printf-style). */
void qa_problem(struct qa_problems *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Checks the card: at least one section, each with items, ids present and
 * unique, worth positive (0 allowed for critical items), weights adding up
 * to 100. 0, or EINVAL with every problem added to p. */
int  qa_card_check(const struct qa_card *c, struct qa_problems *p);
/* Scores replies[0..n) against c (which must pass qa_card_check): every
 * item answered exactly once, no unknown item, no partial on a critical
 * item, not everything N.A. 0 and *r filled, or EINVAL with every problem
 * added to p (and *r untouched). */
int  qa_score(const struct qa_card *c, const struct qa_reply *replies,
	      size_t n, struct qa_result *r, struct qa_problems *p);

#endif
