/* report/side: the figures of a period that queue events do not carry
 * (report.h, struct report_side), and the caller's rings. Pure. */
#include "report/report.h"

void report_side_add(struct report_side *acc, const struct report_side *s)
{
	acc->fcr_answered += s->fcr_answered;
	acc->fcr_resolved += s->fcr_resolved;
	acc->fcr_repeated += s->fcr_repeated;
	acc->fcr_followed_up += s->fcr_followed_up;
	acc->fcr_unresolved += s->fcr_unresolved;
	acc->rung_calls += s->rung_calls;
	acc->rings += s->rings;
	acc->qa_scored += s->qa_scored;
	acc->qa_score_sum += s->qa_score_sum;
}

/* Ring k begins at k * period_ms (k = 0, 1, …) and is heard when it began
 * before the answer, k * period_ms < ring_ms: the caller heard it ring,
 * however briefly. An answer at exactly 5 s comes as the second ring would
 * begin, so that caller heard one. */
int64_t report_rings(int64_t ring_ms, int64_t period_ms)
{
	if (ring_ms <= 0 || period_ms <= 0)
		return 0;
	return (ring_ms - 1) / period_ms + 1;
}
