/* qa/trend: the periods of an agent's score trend (the QA report by=trend).
 * Pure: a moment in, its period out; time and the zone's offset are
 * arguments.
 *  (1) A week starts on Monday 00:00 local time (ISO 8601, as Chinese
 *      calendars show it); a month on its first day.
 *  (2) A period is named by its first day, YYYY-MM-DD, so names sort in
 *      time order and a week and a month never look alike in a row
 *      (a month's name always ends in -01, and so may a week's: the
 *      report says which period it used). */
#ifndef HL_QA_TREND_H
#define HL_QA_TREND_H

#include <stdint.h>

enum qa_period { QA_PERIOD_WEEK, QA_PERIOD_MONTH };
enum { QA_PERIOD_LEN = 11 };     /* "2026-12-07" and its NUL */

/* The name of the period holding utc_ms, the local time being utc_ms +
 * offset_s seconds, into out. */
void qa_period_name(int64_t utc_ms, int32_t offset_s, enum qa_period p,
		    char out[QA_PERIOD_LEN]);
/* The period named s ("week", "month"): 0, or EINVAL. */
int  qa_period_parse(const char *s, enum qa_period *p);

#endif
