/* qa/trend: trend.h's periods, by day numbers (days since 1970-01-01, a
 * Thursday) and Howard Hinnant's civil-from-days, so no libc time
 * function (which would read TZ) is involved. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "qa/trend.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	const int64_t z = days + 719468;
	const int64_t era = floor_div(z, 146097);
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) /
			     365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void qa_period_name(int64_t utc_ms, int32_t offset_s, enum qa_period p,
		    char out[QA_PERIOD_LEN])
{
	int64_t days = floor_div(floor_div(utc_ms, 1000) + offset_s, 86400);
	int64_t y;
	unsigned m, d;
	char buf[48];

	/* day 0 is a Thursday: (days + 3) mod 7 is 0 on Mondays */
	if (p == QA_PERIOD_WEEK)
		days -= (days + 3) - floor_div(days + 3, 7) * 7;
	civil(days, &y, &m, &d);
	if (p == QA_PERIOD_MONTH)
		d = 1;
	/* through a roomy buffer: the compiler cannot know m <= 12, d <= 31 */
	snprintf(buf, sizeof(buf), "%04lld-%02u-%02u",
		 (long long)(y < 0 ? 0 : y > 9999 ? 9999 : y), m, d);
	memcpy(out, buf, QA_PERIOD_LEN - 1);
	out[QA_PERIOD_LEN - 1] = '\0';
}

int qa_period_parse(const char *s, enum qa_period *p)
{
	if (s && !strcmp(s, "week"))
		*p = QA_PERIOD_WEEK;
	else if (s && !strcmp(s, "month"))
		*p = QA_PERIOD_MONTH;
	else
		return EINVAL;
	return 0;
}
