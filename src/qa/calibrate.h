/* qa/calibrate: the pure core of calibration (校准): several inspectors
 * score the same call on the same scorecard version, and the team sees
 * where they disagree, item by item and inspector by inspector, so they
 * can agree on how the card is read.
 *
 * The rules, which docs/qa.md repeats for people:
 *  (1) An item's answers are counted by kind; its consensus is the most
 *      given answer (a tie goes to the first of yes, partial, no, N.A.),
 *      its agreement the share of inspectors who gave the consensus.
 *  (2) An item's spread is the largest minus the smallest credit among
 *      the inspectors who found it applicable (yes 1, partial ½, no 0):
 *      0 when they agree, 1 when one said yes and another no.
 *  (3) An inspector's deviation is their score minus the mean score; their
 *      differences count the items where they left the consensus.
 *  (4) The scores' spread is their population standard deviation and
 *      their range. No I/O, no allocation; strings are borrowed. */
#ifndef HL_QA_CALIBRATE_H
#define HL_QA_CALIBRATE_H

#include <stddef.h>
#include "qa/score.h"

enum { QA_CAL_MAX = 50 };   /* evaluations in one calibration */

/* One inspector's evaluation: the answer to each of the card's items, by
 * the card's item index (QA_A_NONE where the item was not answered, which
 * qa_score never lets happen), and the score it came to. */
struct qa_cal_eval {
	const char *inspector;
	double score;
	enum qa_answer answers[QA_ITEMS_MAX];
};

struct qa_cal_item {
	size_t count[QA_A_NA + 1];      /* by enum qa_answer */
	enum qa_answer consensus;
	double agreement;               /* 0..1 */
	double spread;                  /* 0..1; 0 when < 2 applicable */
};

struct qa_cal_inspector {
	double deviation;               /* score - mean */
	size_t differences;             /* items off the consensus */
};

struct qa_calibration {
	size_t n;                       /* evaluations */
	double mean, sd, min, max;
	struct qa_cal_item item[QA_ITEMS_MAX];       /* the card's nitems */
	struct qa_cal_inspector insp[QA_CAL_MAX];    /* as e was given */
};

/* Calibrates evaluations e[0..n) of card c into *out. EINVAL unless
 * 2 <= n <= QA_CAL_MAX. */
int qa_calibrate(const struct qa_card *c, const struct qa_cal_eval *e,
		 size_t n, struct qa_calibration *out);

#endif
