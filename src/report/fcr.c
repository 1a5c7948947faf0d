/* report/fcr: first-contact resolution over a period's inbound calls (see
 * report.h). Pure: the caller reads the calls, tasks, work orders and
 * wrap-up codes and says, per call, whether it left work behind or was
 * coded not resolved; this decides the rest. */
#include <errno.h>
#include <string.h>
#include "report/report.h"

static int order(const struct report_contact *a, const struct report_contact *b)
{
	int c = strcmp(a->number, b->number);

	return c ? c : (a->at_ms > b->at_ms) - (a->at_ms < b->at_ms);
}

int report_fcr_bins(const struct report_contact *c, size_t n, int64_t from,
		    int64_t to, int64_t origin, int64_t step, size_t nbins,
		    int64_t window_ms, struct report_fcr *out)
{
	if (window_ms < 0 || step <= 0 || !nbins || origin > from ||
	    from > to || (to - origin - 1) / step >= (int64_t)nbins)
		return EINVAL;
	for (size_t i = 1; i < n; i++)
		if (order(&c[i - 1], &c[i]) > 0)
			return EINVAL;
	memset(out, 0, nbins * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct report_fcr *r;
		bool again;

		if (!c[i].answered || c[i].at_ms < from || c[i].at_ms >= to)
			continue;
		r = &out[(c[i].at_ms - origin) / step];
		r->answered++;
		/* Sorted: the next call of the same number is the first
		 * repeat, if any; one at the same instant is a repeat too. */
		again = i + 1 < n && !strcmp(c[i + 1].number, c[i].number) &&
			c[i + 1].at_ms - c[i].at_ms <= window_ms;
		r->repeated += again;
		r->followed_up += c[i].followed_up;
		r->unresolved += c[i].unresolved;
		if (!again && !c[i].followed_up && !c[i].unresolved)
			r->resolved++;
	}
	return 0;
}

int report_fcr_fold(const struct report_contact *c, size_t n, int64_t from,
		    int64_t to, int64_t window_ms, struct report_fcr *out)
{
	if (from >= to)   /* an empty period: nothing answered in it */
		return report_fcr_bins(c, n, from, from, from, 1, 1, window_ms,
				       out);
	return report_fcr_bins(c, n, from, to, from, to - from, 1, window_ms,
			       out);
}
