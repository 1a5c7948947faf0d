/* ticket/clock: time limits in business hours, across lunch, nights,
 * weekends, holidays and 调休 make-up workdays, with pauses. Times are
 * Beijing wall-clock times "YYYY-MM-DD HH:MM" on a +08:00 calendar. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "base/tz.h"
#include "ivr/ivr_text.h"
#include "ticket/ticket.h"

enum { H = 3600 };

/* "YYYY-MM-DD HH:MM" in Beijing as Unix seconds. */
static int64_t bj(const char *s)
{
	struct tm tm = {0};

	assert_int_equal(5, sscanf(s, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon,
				   &tm.tm_mday, &tm.tm_hour, &tm.tm_min));
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) - 8 * H;
}

struct fix {
	struct ivr_sched *sched;
	struct tz *tz;
	struct ticket_cal cal;
};

/* Weekdays 09:00-12:00 and 13:00-18:00 (lunch off); National Day week off;
 * Saturday 2026-10-10 worked as a Monday. */
static const char *const office =
	"{\"tz\":\"+08:00\","
	" \"weekly\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],"
	"              \"from\":\"09:00\",\"to\":\"12:00\"},"
	"             {\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],"
	"              \"from\":\"13:00\",\"to\":\"18:00\"}],"
	" \"holidays\":[\"2026-10-01..2026-10-07\"],"
	" \"workdays\":[\"2026-10-10\"]}";

static int setup_cal(struct fix *f, const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	char why[128];

	if (!v || ivr_sched_parse(&f->sched, v, why, sizeof(why)))
		return -1;
	json_decref(v);
	if (tz_load(&f->tz, ivr_sched_tz(f->sched)))
		return -1;
	f->cal.sched = f->sched;
	f->cal.tz = f->tz;
	return 0;
}

static int setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	*state = &f;
	return setup_cal(&f, office);
}

static int teardown(void **state)
{
	struct fix *f = *state;

	ivr_sched_free(f->sched);
	tz_free(f->tz);
	return 0;
}

static int64_t elapsed(const struct fix *f, const char *a, const char *b)
{
	int64_t s = -1;

	assert_int_equal(0, ticket_clock_elapsed(&f->cal, bj(a), bj(b), NULL, 0,
						 &s));
	return s;
}

static void an_hour_in_the_morning_is_an_hour(void **state)
{
	assert_int_equal(H, elapsed(*state, "2026-09-28 10:00",
				    "2026-09-28 11:00"));
}

static void lunch_does_not_count(void **state)
{
	assert_int_equal(2 * H, elapsed(*state, "2026-09-28 11:00",
					"2026-09-28 14:00"));
}

static void the_night_does_not_count(void **state)
{
	assert_int_equal(2 * H, elapsed(*state, "2026-09-28 17:00",
					"2026-09-29 10:00"));
}

static void the_weekend_does_not_count(void **state)
{
	/* Friday 2026-09-25 17:00 to Monday 10:00. */
	assert_int_equal(2 * H, elapsed(*state, "2026-09-25 17:00",
					"2026-09-28 10:00"));
}

static void a_holiday_week_does_not_count(void **state)
{
	/* Wednesday before National Day 17:00 to Thursday after it 10:00. */
	assert_int_equal(2 * H, elapsed(*state, "2026-09-30 17:00",
					"2026-10-08 10:00"));
}

static void a_make_up_saturday_counts_whole(void **state)
{
	/* Fri 17:00 → Sat (worked as Monday: 8 h) → Mon 10:00. */
	assert_int_equal(10 * H, elapsed(*state, "2026-10-09 17:00",
					 "2026-10-12 10:00"));
}

static void a_pause_stops_the_clock(void **state)
{
	struct fix *f = *state;
	const struct ticket_pause p[] = {
		{bj("2026-09-28 11:00"), bj("2026-09-28 15:00")},
		{bj("2026-09-28 14:00"), bj("2026-09-28 14:30")},  /* inside it */
	};
	int64_t s;

	assert_int_equal(0, ticket_clock_elapsed(&f->cal, bj("2026-09-28 10:00"),
		bj("2026-09-28 16:00"), p, 2, &s));
	assert_int_equal(2 * H, s);
}

static void the_deadline_skips_the_weekend(void **state)
{
	struct fix *f = *state;
	int64_t at;

	assert_int_equal(0, ticket_clock_due(&f->cal, bj("2026-09-25 17:00"),
					     2 * H, NULL, 0, &at));
	assert_int_equal(bj("2026-09-28 10:00"), at);
	/* Begun at night, the clock starts at opening time. */
	assert_int_equal(0, ticket_clock_due(&f->cal, bj("2026-09-26 03:00"),
					     H, NULL, 0, &at));
	assert_int_equal(bj("2026-09-28 10:00"), at);
	/* A limit that ends exactly at closing time ends there. */
	assert_int_equal(0, ticket_clock_due(&f->cal, bj("2026-09-28 17:00"),
					     H, NULL, 0, &at));
	assert_int_equal(bj("2026-09-28 18:00"), at);
}

static void the_deadline_skips_holidays_and_uses_make_up_days(void **state)
{
	struct fix *f = *state;
	int64_t at;

	/* 8 business hours from Wed 09-30 17:00: 1 h there, then Oct 8. */
	assert_int_equal(0, ticket_clock_due(&f->cal, bj("2026-09-30 17:00"),
					     8 * H, NULL, 0, &at));
	assert_int_equal(bj("2026-10-08 17:00"), at);
	/* From Fri 10-09 17:00, 3 h: 1 h Friday, 2 h on the make-up Sat. */
	assert_int_equal(0, ticket_clock_due(&f->cal, bj("2026-10-09 17:00"),
					     3 * H, NULL, 0, &at));
	assert_int_equal(bj("2026-10-10 11:00"), at);
}

static void a_pause_moves_the_deadline(void **state)
{
	struct fix *f = *state;
	const struct ticket_pause p = {bj("2026-09-28 10:00"),
				       bj("2026-09-29 10:00")};
	int64_t at;

	/* 2 h from Mon 09:00: 1 h, paused a day, 1 h more → Tue 11:00. */
	assert_int_equal(0, ticket_clock_due(&f->cal, bj("2026-09-28 09:00"),
					     2 * H, &p, 1, &at));
	assert_int_equal(bj("2026-09-29 11:00"), at);
}

static void a_pause_still_open_has_no_deadline(void **state)
{
	struct fix *f = *state;
	const struct ticket_pause p = {bj("2026-09-28 10:00"), INT64_MAX};
	int64_t at = 0;

	assert_int_equal(ENOENT, ticket_clock_due(&f->cal, bj("2026-09-28 09:00"),
						  2 * H, &p, 1, &at));
	assert_int_equal(0, ticket_clock_due(&f->cal, bj("2026-09-28 09:00"),
					     H / 2, &p, 1, &at));
	assert_int_equal(bj("2026-09-28 09:30"), at);
}

/* elapsed(a, due(a, n)) == n from many starting points and limits. */
static void due_and_elapsed_agree(void **state)
{
	struct fix *f = *state;
	const struct ticket_pause p = {bj("2026-10-09 10:00"),
				       bj("2026-10-09 11:30")};
	const int64_t base = bj("2026-09-29 00:00");

	for (int64_t start = base; start < base + 14 * 86400; start += 7 * 1777) {
		for (int64_t need = 0; need < 30 * H; need += 5 * H + 61) {
			int64_t at, back;

			assert_int_equal(0, ticket_clock_due(&f->cal, start, need,
							     &p, 1, &at));
			assert_int_equal(0, ticket_clock_elapsed(&f->cal, start,
				at, &p, 1, &back));
			assert_int_equal(need, back);
		}
	}
}

static void without_a_calendar_every_second_counts(void **state)
{
	const struct ticket_cal all = {NULL, NULL};
	int64_t s, at;

	(void)state;
	assert_int_equal(0, ticket_clock_elapsed(&all, 100, 7300, NULL, 0, &s));
	assert_int_equal(7200, s);
	assert_int_equal(0, ticket_clock_due(&all, 100, 7200, NULL, 0, &at));
	assert_int_equal(7300, at);
	assert_int_equal(EINVAL, ticket_clock_elapsed(&all, 10, 5, NULL, 0, &s));
}

static void a_calendar_never_open_has_no_deadline(void **state)
{
	struct fix f = {0};
	int64_t at;

	(void)state;
	assert_int_equal(0, setup_cal(&f, "{\"weekly\":[]}"));
	assert_int_equal(ENOENT, ticket_clock_due(&f.cal, 0, 1, NULL, 0, &at));
	ivr_sched_free(f.sched);
	tz_free(f.tz);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(an_hour_in_the_morning_is_an_hour),
		T(lunch_does_not_count),
		T(the_night_does_not_count),
		T(the_weekend_does_not_count),
		T(a_holiday_week_does_not_count),
		T(a_make_up_saturday_counts_whole),
		T(a_pause_stops_the_clock),
		T(the_deadline_skips_the_weekend),
		T(the_deadline_skips_holidays_and_uses_make_up_days),
		T(a_pause_moves_the_deadline),
		T(a_pause_still_open_has_no_deadline),
		T(due_and_elapsed_agree),
		cmocka_unit_test(without_a_calendar_every_second_counts),
		cmocka_unit_test(a_calendar_never_open_has_no_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
