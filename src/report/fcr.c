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

/* Why answered call i (of [from, to) or not) was not resolved: the
 * REPORT_FCR_* bits, 0 when it was. Sorted: the next call of the same
 * number is the first repeat, if any; one at the same instant is a repeat
 * too. */
static unsigned judge(const struct report_contact *c, size_t n, size_t i,
		      int64_t window_ms)
{
	bool again = i + 1 < n && !strcmp(c[i + 1].number, c[i].number) &&
		     c[i + 1].at_ms - c[i].at_ms <= window_ms;

	return (again ? REPORT_FCR_REPEATED : 0u) |
	       (c[i].followed_up ? REPORT_FCR_FOLLOWED_UP : 0u) |
	       (c[i].unresolved ? REPORT_FCR_UNRESOLVED : 0u);
}

static int checked(const struct report_contact *c, size_t n,
		   int64_t window_ms)
{
	if (window_ms < 0)
		return EINVAL;
	for (size_t i = 1; i < n; i++)
		if (order(&c[i - 1], &c[i]) > 0)
			return EINVAL;
	return 0;
}

int report_fcr_marks(const struct report_contact *c, size_t n, int64_t from,
		     int64_t to, int64_t window_ms, int *why)
{
	int err = checked(c, n, window_ms);

	for (size_t i = 0; !err && i < n; i++)
		why[i] = !c[i].answered || c[i].at_ms < from || c[i].at_ms >= to ?
			-1 : (int)judge(c, n, i, window_ms);
	return err;
}

int report_fcr_bins(const struct report_contact *c, size_t n, int64_t from,
		    int64_t to, int64_t origin, int64_t step, size_t nbins,
		    int64_t window_ms, struct report_fcr *out)
{
	if (step <= 0 || !nbins || origin > from || from > to ||
	    (to - origin - 1) / step >= (int64_t)nbins ||
	    checked(c, n, window_ms))
		return EINVAL;
	memset(out, 0, nbins * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct report_fcr *r;
		unsigned why;

		if (!c[i].answered || c[i].at_ms < from || c[i].at_ms >= to)
			continue;
		r = &out[(c[i].at_ms - origin) / step];
		why = judge(c, n, i, window_ms);
		r->answered++;
		r->repeated += !!(why & REPORT_FCR_REPEATED);
		r->followed_up += !!(why & REPORT_FCR_FOLLOWED_UP);
		r->unresolved += !!(why & REPORT_FCR_UNRESOLVED);
		r->resolved += !why;
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
