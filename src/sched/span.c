/* sched/span: a shift's on-duty time and the checks every shift passes
 * before it is stored (sched.h's fact 2). Pure. */
#include <errno.h>
#include "sched/sched.h"

static int64_t overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	int64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi > lo ? hi - lo : 0;
}

int64_t sched_on_duty_ms(const struct sched_shift *s, int64_t from,
			 int64_t to)
{
	int64_t ms = overlap(s->span.start_ms, s->span.end_ms, from, to);

	/* Breaks lie inside the shift and never overlap: subtract each. */
	for (size_t i = 0; i < s->nbreaks; i++)
		ms -= overlap(s->breaks[i].start_ms, s->breaks[i].end_ms, from,
			      to);
	return ms;
}

int sched_shift_check(const struct sched_shift *s, const char **why)
{
	const struct sched_span *sp = &s->span;

	if (sp->start_ms < 0 || sp->end_ms <= sp->start_ms) {
		*why = "end_ms: want a time after start_ms";
		return EINVAL;
	}
	if (sp->end_ms - sp->start_ms > SCHED_SHIFT_MAX_MS) {
		*why = "end_ms: a shift lasts at most 16 hours";
		return EINVAL;
	}
	if (s->nbreaks > SCHED_BREAKS_MAX) {
		*why = "breaks: at most 8";
		return EINVAL;
	}
	for (size_t i = 0; i < s->nbreaks; i++) {
		const struct sched_span *b = &s->breaks[i];
		if (b->end_ms <= b->start_ms || b->start_ms < sp->start_ms ||
		    b->end_ms > sp->end_ms) {
			*why = "breaks: each within the shift, end after start";
			return EINVAL;
		}
		if (i && b->start_ms < s->breaks[i - 1].end_ms) {
			*why = "breaks: in time order, not overlapping";
			return EINVAL;
		}
	}
	return 0;
}
