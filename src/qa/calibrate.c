/* qa/calibrate: calibrate.h's rules, in its order. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "qa/calibrate.h"

/* Rule 1's tie order: the first listed wins a tie. */
static const enum qa_answer order[] = {QA_A_YES, QA_A_PARTIAL, QA_A_NO,
				       QA_A_NA};

static double credit(enum qa_answer a)
{
	return a == QA_A_YES ? 1.0 : a == QA_A_PARTIAL ? 0.5 : 0.0;
}

static void item(const struct qa_cal_eval *e, size_t n, size_t i,
		 struct qa_cal_item *it)
{
	double lo = 1.0, hi = 0.0;
	size_t applicable = 0, best = 0;

	memset(it, 0, sizeof(*it));
	it->consensus = QA_A_NONE;
	for (size_t k = 0; k < n; k++) {
		enum qa_answer a = e[k].answers[i];

		if (a < QA_A_YES || a > QA_A_NA)
			continue;
		it->count[a]++;
		if (a == QA_A_NA)
			continue;
		applicable++;
		lo = fmin(lo, credit(a));
		hi = fmax(hi, credit(a));
	}
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		if (it->count[order[o]] > best) {
			best = it->count[order[o]];
			it->consensus = order[o];
		}
	it->agreement = (double)best / (double)n;
	it->spread = applicable >= 2 ? hi - lo : 0.0;
}

int qa_calibrate(const struct qa_card *c, const struct qa_cal_eval *e,
		 size_t n, struct qa_calibration *out)
{
	double sum = 0, sq = 0;

	if (!c || !e || !out || n < 2 || n > QA_CAL_MAX)
		return EINVAL;
	memset(out, 0, sizeof(*out));
	out->n = n;
	out->min = out->max = e[0].score;
	for (size_t k = 0; k < n; k++) {
		sum += e[k].score;
		out->min = fmin(out->min, e[k].score);
		out->max = fmax(out->max, e[k].score);
	}
	out->mean = sum / (double)n;
	for (size_t k = 0; k < n; k++) {
		const double d = e[k].score - out->mean;

		sq += d * d;
		out->insp[k].deviation = d;
	}
	out->sd = sqrt(sq / (double)n);
	for (size_t i = 0; i < c->nitems; i++) {
		item(e, n, i, &out->item[i]);
		for (size_t k = 0; k < n; k++)
			if (e[k].answers[i] != out->item[i].consensus)
				out->insp[k].differences++;
	}
	return 0;
}
