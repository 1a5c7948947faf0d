/* report/bucket: the summable fields of a bucket as a table, and adding
 * one bucket into another. Storage and sums walk the table, so a field
 * added to struct report_bucket and to this table is stored and summed
 * everywhere at once. */
#include <stdbool.h>
#include <stddef.h>
#include "base/util.h"
#include "report/report.h"

#define FIELD(m) {#m, offsetof(struct report_bucket, m)}

static const struct report_field fields[] = {
	FIELD(entered),         FIELD(queued),           FIELD(blocked),
	FIELD(answered),        FIELD(answered_in_sl),   FIELD(answer_wait_ms),
	FIELD(answer_ring_ms),  FIELD(abandoned),        FIELD(abandoned_in_sl),
	FIELD(abandon_wait_ms), FIELD(short_abandoned),  FIELD(overflowed),
	FIELD(overflow_wait_ms), FIELD(offers),          FIELD(ring_noanswer),
	FIELD(transferred),     FIELD(holds),            FIELD(hold_ms),
	FIELD(completed),       FIELD(talk_ms),          FIELD(wrap_ms),
	FIELD(ready_ms),        FIELD(not_ready_ms),     FIELD(ringing_ms),
	FIELD(talking_ms),      FIELD(wrapup_ms),
};

const struct report_field *report_fields(size_t *n)
{
	*n = ARRAY_LEN(fields);
	return fields;
}

/* The members from entered to worked_agents, every one summed: the
 * table's fields and, after them, the schedule's (not stored). A member
 * added to the struct inside the run and not to the table, or to the
 * table and outside the run, fails here. */
#define SUMMED (ARRAY_LEN(fields) + 3)
_Static_assert(offsetof(struct report_bucket, worked_agents) -
	       offsetof(struct report_bucket, entered) ==
	       (SUMMED - 1) * sizeof(int64_t) &&
	       offsetof(struct report_bucket, sched_ms) -
	       offsetof(struct report_bucket, wrapup_ms) == sizeof(int64_t),
	       "report_bucket's summed members are not one run");

/* Thresholds matter only where some call was judged by them. */
static bool judged(const struct report_bucket *b)
{
	return b->answered || b->abandoned || b->short_abandoned;
}

static void merge_threshold(int64_t *acc, int64_t b)
{
	if (*acc != b)
		*acc = -1;
}

void report_bucket_add(struct report_bucket *acc, const struct report_bucket *b)
{
	if (judged(b)) {
		if (!judged(acc)) {
			acc->sl_ms = b->sl_ms;
			acc->short_ms = b->short_ms;
		}
		else {
			merge_threshold(&acc->sl_ms, b->sl_ms);
			merge_threshold(&acc->short_ms, b->short_ms);
		}
	}
	if (b->intervals) {
		if (!acc->intervals || b->start_ms < acc->start_ms)
			acc->start_ms = b->start_ms;
		acc->intervals += b->intervals;
	}
	/* fields[] and the schedule's three are one run of members: summed
	 * as an array, which the compiler adds a vector at a time, where the
	 * table's offsets went one at a time (a year of 15-minute rows adds
	 * ~70,000 buckets; issue 17). */
	int64_t *dst = &acc->entered;
	const int64_t *src = &b->entered;

	for (size_t i = 0; i < SUMMED; i++)
		dst[i] += src[i];
}
