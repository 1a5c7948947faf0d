/* report/fcr: first-contact resolution over a period's inbound calls (see
 * report.h). Pure: the caller reads the calls, tasks and work orders and
 * says, per call, whether it left work behind; this decides the rest. */
#include <errno.h>
#include <string.h>
#include "report/report.h"

static int order(const struct report_contact *a, const struct report_contact *b)
{
	int c = strcmp(a->number, b->number);

	return c ? c : (a->at_ms > b->at_ms) - (a->at_ms < b->at_ms);
}

int report_fcr_fold(const struct report_contact *c, size_t n, int64_t from,
		    int64_t to, int64_t window_ms, struct report_fcr *out)
{
	struct report_fcr r = {0};

	if (window_ms < 0)
		return EINVAL;
	for (size_t i = 1; i < n; i++)
		if (order(&c[i - 1], &c[i]) > 0)
			return EINVAL;
	for (size_t i = 0; i < n; i++) {
		bool again;

		if (!c[i].answered || c[i].at_ms < from || c[i].at_ms >= to)
			continue;
		r.answered++;
		/* Sorted: the next call of the same number is the first
		 * repeat, if any; one at the same instant is a repeat too. */
		again = i + 1 < n && !strcmp(c[i + 1].number, c[i].number) &&
			c[i + 1].at_ms - c[i].at_ms <= window_ms;
		if (again)
			r.repeated++;
		if (c[i].followed_up)
			r.followed_up++;
		if (!again && !c[i].followed_up)
			r.resolved++;
	}
	*out = r;
	return 0;
}
