/* ticket/clock: time limits counted in business hours. Pure: the calendar
 * (the IVR's schedule model, ivr/sched.c), its zone and the pauses come in
 * as arguments; nothing reads a clock.
 *
 * Time is walked in segments over which nothing changes: the calendar is
 * open or closed all through one (ivr_sched_next_edge says where it may
 * change), and a pause starts or ends only at a segment's edge. A segment
 * counts when the calendar is open and no pause covers it.
 *
 * What always holds:
 *   (1) elapsed(a, due(a, n)) == n whenever due answers;
 *   (2) a second counts at most once, however many pauses cover it;
 *   (3) the zone's offset is read at each segment's start, so a change of
 *       offset (summer time) moves the next edge, never a second twice. */
#include <errno.h>
#include "base/tz.h"
#include "ivr/ivr_text.h"
#include "ticket/ticket.h"

enum { HORIZON_S = 10 * 366 * 86400 };

struct seg {
	bool counts;
	int64_t end;   /* INT64_MAX: never changes */
};

static void seg_at(const struct ticket_cal *cal, const struct ticket_pause *p,
		   size_t np, int64_t t, struct seg *sg)
{
	bool open = true, paused = false;
	int64_t end = INT64_MAX;

	if (cal && cal->sched) {
		const int64_t local = t + (cal->tz ? tz_offset_s(cal->tz, t) : 0);
		const int64_t edge = ivr_sched_next_edge(cal->sched, local * 1000);

		open = ivr_sched_open(cal->sched, local * 1000);
		end = t + (edge / 1000 - local);
	}
	for (size_t i = 0; i < np; i++) {
		if (p[i].from <= t && t < p[i].to)
			paused = true;
		if (p[i].from > t && p[i].from < end)
			end = p[i].from;
		else if (p[i].from <= t && p[i].to > t && p[i].to < end)
			end = p[i].to;
	}
	sg->counts = open && !paused;
	sg->end = end;
}

int ticket_clock_elapsed(const struct ticket_cal *cal, int64_t from,
			 int64_t to, const struct ticket_pause *p, size_t np,
			 int64_t *secs)
{
	int64_t sum = 0;
	struct seg sg;

	if (to < from)
		return EINVAL;
	for (int64_t t = from; t < to; t = sg.end) {
		seg_at(cal, p, np, t, &sg);
		if (sg.end > to)
			sg.end = to;
		if (sg.counts)
			sum += sg.end - t;
	}
	*secs = sum;
	return 0;
}

int ticket_clock_due(const struct ticket_cal *cal, int64_t start,
		     int64_t need, const struct ticket_pause *p, size_t np,
		     int64_t *at)
{
	int64_t left = need > 0 ? need : 0;
	struct seg sg;

	for (int64_t t = start; t - start < HORIZON_S; t = sg.end) {
		seg_at(cal, p, np, t, &sg);
		if (sg.counts && (sg.end == INT64_MAX || sg.end - t >= left)) {
			*at = t + left;
			return 0;
		}
		if (sg.end == INT64_MAX)
			return ENOENT;
		if (sg.counts)
			left -= sg.end - t;
	}
	return ENOENT;
}
