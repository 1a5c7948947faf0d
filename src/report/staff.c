/* report/staff: agent turnover over a period of days, and the calendar
 * arithmetic its months, quarters and years need. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "report/report.h"

/* Howard Hinnant's days_from_civil: March-based years make the leap day
 * the last of its year, so every month's offset is one formula. */
int32_t report_days(int y, int m, int d)
{
	int yy = y - (m <= 2);
	int era = (yy >= 0 ? yy : yy - 399) / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void report_civil(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int report_date_parse(const char *s, int32_t *days)
{
	int y, m, d, yy, mm, dd, len = 0;
	int32_t v;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return EINVAL;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return EINVAL;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &len) != 3 || len != 10 ||
	    y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return EINVAL;
	v = report_days(y, m, d);
	report_civil(v, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)   /* 2023-02-30 and the like */
		return EINVAL;
	*days = v;
	return 0;
}

void report_date_print(int32_t days, char buf[11])
{
	int y, m, d;

	report_civil(days, &y, &m, &d);
	/* Unsigned and bounded, so the compiler sees it fits. */
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u);
}

/* On staff on day t: hired by then, and t not after the last day. */
static bool on_staff(const struct report_staff *s, int32_t t)
{
	return s->hired <= t && (s->left < 0 || s->left >= t);
}

int report_turnover(const struct report_staff *s, size_t n, int32_t d0,
		    int32_t d1, struct report_turnover *out)
{
	struct report_turnover r = {0};

	if (d0 >= d1)
		return EINVAL;
	for (size_t i = 0; i < n; i++)
		if (s[i].left >= 0 && s[i].left < s[i].hired)
			return EINVAL;
	for (size_t i = 0; i < n; i++) {
		r.start += on_staff(&s[i], d0);
		r.end += on_staff(&s[i], d1);
		r.leavers += s[i].left >= d0 && s[i].left < d1;
	}
	*out = r;
	return 0;
}
