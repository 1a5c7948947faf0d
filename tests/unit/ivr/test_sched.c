/* ivr/sched: opening hours across midnight, holidays and the make-up
 * working days (调休) of the Chinese calendar. Times are local wall-clock
 * times, written as "YYYY-MM-DD HH:MM". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "ivr/ivr_text.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* "YYYY-MM-DD HH:MM" as local ms (timegm: the calendar only, no zone). */
static int64_t at(const char *s)
{
	struct tm tm = {0};

	assert_int_equal(5, sscanf(s, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon,
				   &tm.tm_mday, &tm.tm_hour, &tm.tm_min));
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000;
}

static struct ivr_sched *load(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);
	struct ivr_sched *s = NULL;
	char why[128] = "";

	if (!v)
		fail_msg("bad test JSON: %s", jerr.text);
	if (ivr_sched_parse(&s, v, why, sizeof(why)))
		fail_msg("refused: %s", why);
	json_decref(v);
	return s;
}

struct when {
	const char *t;
	bool open;
};

static void check(const struct ivr_sched *s, const struct when *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ivr_sched_open(s, at(w[i].t)) != w[i].open)
			fail_msg("%s: want %s", w[i].t, w[i].open ? "open" : "closed");
}

static const char *const office =
	"{\"tz\":\"Asia/Shanghai\","
	" \"weekly\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],"
	"              \"from\":\"09:00\",\"to\":\"18:00\"},"
	"             {\"days\":[\"sat\"],\"from\":\"22:00\",\"to\":\"02:00\"}]}";

static void weekday_hours_include_from_and_exclude_to(void **state)
{
	static const struct when w[] = {
		{"2026-12-07 08:59", false}, {"2026-12-07 09:00", true},  /* Monday */
		{"2026-12-07 17:59", true},  {"2026-12-07 18:00", false},
		{"2026-12-11 12:00", true},                               /* Friday */
		{"2026-12-13 12:00", false},                              /* Sunday */
	};
	struct ivr_sched *s = load(office);
	(void)state;

	check(s, w, LEN(w));
	assert_string_equal("Asia/Shanghai", ivr_sched_tz(s));
	ivr_sched_free(s);
}

static void an_overnight_span_runs_past_midnight_into_the_next_day(void **state)
{
	static const struct when w[] = {
		{"2026-12-12 21:59", false}, {"2026-12-12 22:00", true},  /* Saturday */
		{"2026-12-12 23:59", true},
		{"2026-12-13 00:00", true},  {"2026-12-13 01:59", true},  /* Sunday */
		{"2026-12-13 02:00", false},
		{"2026-12-11 23:00", false}, {"2026-12-12 01:00", false}, /* Fri night */
		{"2026-12-14 01:00", false},                              /* Mon 1am */
	};
	struct ivr_sched *s = load(office);
	(void)state;

	check(s, w, LEN(w));
	ivr_sched_free(s);
}

/* (1) in sched.c: the span belongs to the day it starts. */
static void an_overnight_span_belongs_to_the_day_it_starts(void **state)
{
	static const struct when sunday_off[] = {
		/* Begun on an open Saturday, it runs into the Sunday holiday. */
		{"2026-12-12 23:00", true}, {"2026-12-13 01:00", true},
		{"2026-12-13 12:00", false},
	};
	static const struct when saturday_off[] = {
		/* A holiday's own spans do not happen, into Sunday or not. */
		{"2026-12-12 23:00", false}, {"2026-12-13 01:00", false},
	};
	struct ivr_sched *s;
	(void)state;

	s = load("{\"weekly\":[{\"days\":[\"sat\"],\"from\":\"22:00\","
		 "\"to\":\"02:00\"}],\"holidays\":[\"2026-12-13\"]}");
	check(s, sunday_off, LEN(sunday_off));
	ivr_sched_free(s);
	s = load("{\"weekly\":[{\"days\":[\"sat\"],\"from\":\"22:00\","
		 "\"to\":\"02:00\"}],\"holidays\":[\"2026-12-12\"]}");
	check(s, saturday_off, LEN(saturday_off));
	ivr_sched_free(s);
}

static void to_24_00_is_the_end_of_the_day(void **state)
{
	static const struct when w[] = {
		{"2026-12-07 17:59", false}, {"2026-12-07 18:00", true},
		{"2026-12-07 23:59", true},  {"2026-12-08 00:00", false},
		{"2026-12-09 12:00", true},  /* all day Wednesday */
		{"2026-12-10 00:00", false},
	};
	struct ivr_sched *s = load(
		"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"18:00\",\"to\":\"24:00\"},"
		"{\"days\":[\"wed\"],\"from\":\"00:00\",\"to\":\"24:00\"}]}");
	(void)state;

	check(s, w, LEN(w));
	assert_string_equal("UTC", ivr_sched_tz(s));
	ivr_sched_free(s);
}

static void a_holiday_range_is_closed_every_day_it_covers(void **state)
{
	static const struct when w[] = {
		{"2026-12-24 12:00", true},                          /* Thursday */
		{"2026-12-25 09:00", false}, {"2026-12-28 12:00", false},
		{"2026-12-31 17:59", false},
		{"2027-01-01 12:00", true},                          /* Friday */
		{"2027-01-04 12:00", false},                         /* single day */
	};
	struct ivr_sched *s = load(
		"{\"weekly\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],"
		"\"from\":\"09:00\",\"to\":\"18:00\"}],"
		"\"holidays\":[\"2026-12-25..2026-12-31\",\"2027-01-04\"]}");
	(void)state;

	check(s, w, LEN(w));
	ivr_sched_free(s);
}

static void a_make_up_sunday_is_worked_with_the_hours_it_is_worked_as(void **state)
{
	static const struct when w[] = {
		{"2026-12-13 08:30", false}, {"2026-12-13 09:00", true},  /* as mon */
		{"2026-12-13 17:59", true},  {"2026-12-13 18:00", false},
		{"2026-12-20 10:00", true},  {"2026-12-20 15:00", false}, /* as fri */
		{"2026-12-27 12:00", false},                              /* plain */
	};
	struct ivr_sched *s = load(
		"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"09:00\",\"to\":\"18:00\"},"
		"{\"days\":[\"fri\"],\"from\":\"09:00\",\"to\":\"12:00\"}],"
		"\"workdays\":[\"2026-12-13\",{\"date\":\"2026-12-20\",\"as\":\"fri\"}]}");
	(void)state;

	check(s, w, LEN(w));
	ivr_sched_free(s);
}

/* 2026's National Day week: Oct 1-8 off, made up on Sunday Sep 27 and
 * Saturday Oct 10, here with an office open 09:00-18:00 on weekdays. */
static void the_2026_national_day_week(void **state)
{
	static const struct when w[] = {
		{"2026-09-25 10:00", true},   /* Fri */
		{"2026-09-26 10:00", false},  /* Sat: an ordinary weekend */
		{"2026-09-27 10:00", true},   /* Sun: 调休, worked */
		{"2026-09-27 18:00", false},
		{"2026-09-30 17:59", true},   /* Wed */
		{"2026-10-01 10:00", false},  /* Thu: National Day */
		{"2026-10-02 10:00", false}, {"2026-10-03 10:00", false},
		{"2026-10-04 10:00", false}, {"2026-10-05 10:00", false},
		{"2026-10-06 10:00", false}, {"2026-10-07 10:00", false},
		{"2026-10-08 10:00", false},  /* Thu: the last day off */
		{"2026-10-09 10:00", true},   /* Fri */
		{"2026-10-10 10:00", true},   /* Sat: 调休, worked */
		{"2026-10-11 10:00", false},  /* Sun */
		{"2026-10-12 10:00", true},   /* Mon */
	};
	struct ivr_sched *s = load(
		"{\"tz\":\"Asia/Shanghai\","
		"\"weekly\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],"
		"\"from\":\"09:00\",\"to\":\"18:00\"}],"
		"\"holidays\":[\"2026-10-01..2026-10-08\"],"
		"\"workdays\":[\"2026-09-27\",\"2026-10-10\"]}");
	(void)state;

	check(s, w, LEN(w));
	ivr_sched_free(s);
}

static void a_workday_that_is_also_a_holiday_is_worked(void **state)
{
	static const struct when w[] = {
		{"2026-10-07 10:00", false}, {"2026-10-08 10:00", true},
		{"2026-10-08 17:59", true},
	};
	struct ivr_sched *s = load(
		"{\"weekly\":[{\"days\":[\"thu\"],\"from\":\"09:00\",\"to\":\"18:00\"},"
		"{\"days\":[\"wed\"],\"from\":\"09:00\",\"to\":\"18:00\"}],"
		"\"holidays\":[\"2026-10-01..2026-10-08\"],"
		"\"workdays\":[{\"date\":\"2026-10-08\",\"as\":\"thu\"}]}");
	(void)state;

	check(s, w, LEN(w));
	ivr_sched_free(s);
}

static void a_leap_day_is_a_day_like_any_other(void **state)
{
	static const struct when w[] = {
		{"2028-02-28 12:00", true},   /* Mon */
		{"2028-02-29 12:00", false},  /* Tue, a holiday */
		{"2028-03-01 12:00", true},   /* Wed */
		{"2024-02-29 12:00", true},   /* Thu */
		{"2024-03-03 12:00", true},   /* Sun, worked */
		/* Overnight from Feb 28 into the leap day (a holiday). */
		{"2028-02-29 01:00", true},
	};
	struct ivr_sched *s = load(
		"{\"weekly\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],"
		"\"from\":\"09:00\",\"to\":\"18:00\"},"
		"{\"days\":[\"mon\"],\"from\":\"23:00\",\"to\":\"02:00\"}],"
		"\"holidays\":[\"2028-02-29\"],\"workdays\":[\"2024-03-03\"]}");
	(void)state;

	check(s, w, LEN(w));
	ivr_sched_free(s);
}

static void an_empty_week_is_always_closed_and_times_before_1970_work(void **state)
{
	struct ivr_sched *s = load("{\"weekly\":[]}");
	struct ivr_sched *all = load("{\"weekly\":[{\"days\":[\"mon\",\"tue\","
		"\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],\"from\":\"00:00\","
		"\"to\":\"24:00\"}]}");
	(void)state;

	assert_false(ivr_sched_open(s, at("2026-12-07 12:00")));
	assert_true(ivr_sched_open(all, at("1969-12-31 23:59")));
	assert_true(ivr_sched_open(all, -1));
	assert_true(ivr_sched_open(all, INT64_MIN));
	assert_true(ivr_sched_open(all, INT64_MAX));
	ivr_sched_free(s);
	ivr_sched_free(all);
	ivr_sched_free(NULL);
}

/* Each refusal, with the reason it gives. */
static void every_refusal_names_its_key(void **state)
{
	static const struct {
		const char *json, *why;
	} t[] = {
		{"[]", "schedule: expected an object"},
		{"{}", "weekly: required"},
		{"{\"weekly\":[],\"open\":1}", "schedule: unknown key \"open\""},
		{"{\"weekly\":{}}", "weekly: expected an array"},
		{"{\"weekly\":[],\"tz\":8}", "tz: expected a zone name such as "
		 "\"Asia/Shanghai\" or \"+08:00\""},
		{"{\"weekly\":[],\"tz\":\"../etc/passwd\"}", "tz: expected a zone "
		 "name such as \"Asia/Shanghai\" or \"+08:00\""},
		{"{\"weekly\":[\"mon\"]}", "weekly[0]: expected an object"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"09:00\",\"to\":\"18:00\","
		 "\"note\":\"x\"}]}", "weekly[0]: unknown key \"note\""},
		{"{\"weekly\":[{\"from\":\"09:00\",\"to\":\"18:00\"}]}",
		 "weekly[0].days: expected a list of mon..sun"},
		{"{\"weekly\":[{\"days\":[],\"from\":\"09:00\",\"to\":\"18:00\"}]}",
		 "weekly[0].days: expected a list of mon..sun"},
		{"{\"weekly\":[{\"days\":\"mon\",\"from\":\"09:00\",\"to\":\"18:00\"}]}",
		 "weekly[0].days: expected a list of mon..sun"},
		{"{\"weekly\":[{\"days\":[\"mon\",\"Tue\"],\"from\":\"09:00\","
		 "\"to\":\"18:00\"}]}", "weekly[0].days[1]: expected mon..sun"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"09:00\",\"to\":\"18:00\"},"
		 "{\"days\":[\"sat\"],\"from\":\"9:00\",\"to\":\"18:00\"}]}",
		 "weekly[1].from: expected HH:MM"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"to\":\"18:00\"}]}",
		 "weekly[0].from: expected HH:MM"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"24:00\",\"to\":\"18:00\"}]}",
		 "weekly[0].from: expected HH:MM"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"09:60\",\"to\":\"18:00\"}]}",
		 "weekly[0].from: expected HH:MM"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"09:00\",\"to\":\"24:01\"}]}",
		 "weekly[0].to: expected HH:MM (24:00 allowed)"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"09:00\",\"to\":18}]}",
		 "weekly[0].to: expected HH:MM (24:00 allowed)"},
		{"{\"weekly\":[{\"days\":[\"mon\"],\"from\":\"09:00\",\"to\":\"09:00\"}]}",
		 "weekly[0].to: equals from (00:00 to 24:00 is all day)"},
		{"{\"weekly\":[],\"holidays\":\"2026-10-01\"}",
		 "holidays: expected an array"},
		{"{\"weekly\":[],\"holidays\":[\"2026-10-01\",\"2026-02-29\"]}",
		 "holidays[1]: expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"},
		{"{\"weekly\":[],\"holidays\":[\"2026-10-01...2026-10-08\"]}",
		 "holidays[0]: expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"},
		{"{\"weekly\":[],\"holidays\":[\"2026-10-01..\"]}",
		 "holidays[0]: expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"},
		{"{\"weekly\":[],\"holidays\":[20261001]}",
		 "holidays[0]: expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"},
		{"{\"weekly\":[],\"holidays\":[\"2026-10-08..2026-10-01\"]}",
		 "holidays[0]: range ends before it starts"},
		{"{\"weekly\":[],\"workdays\":{}}", "workdays: expected an array"},
		{"{\"weekly\":[],\"workdays\":[\"2026-13-01\"]}",
		 "workdays[0]: expected YYYY-MM-DD or {\"date\":…,\"as\":…}"},
		{"{\"weekly\":[],\"workdays\":[{\"as\":\"fri\"}]}",
		 "workdays[0].date: expected YYYY-MM-DD"},
		{"{\"weekly\":[],\"workdays\":[{\"date\":\"2026-09-27\",\"as\":\"friday\"}]}",
		 "workdays[0].as: expected mon..sun"},
		{"{\"weekly\":[],\"workdays\":[{\"date\":\"2026-09-27\",\"like\":\"fri\"}]}",
		 "workdays[0]: unknown key \"like\""},
		{"{\"weekly\":[],\"workdays\":[\"2026-09-27\",{\"date\":\"2026-09-27\"}]}",
		 "workdays[1]: date listed twice"},
	};
	char why[160];
	(void)state;

	for (size_t i = 0; i < LEN(t); i++) {
		json_t *v = json_loads(t[i].json, 0, NULL);
		struct ivr_sched *s = NULL;

		if (!v)
			fail_msg("bad test JSON %zu", i);
		strcpy(why, "");
		assert_int_equal(EINVAL, ivr_sched_parse(&s, v, why, sizeof(why)));
		assert_null(s);
		if (strcmp(why, t[i].why))
			fail_msg("%s: got \"%s\", want \"%s\"", t[i].json, why, t[i].why);
		/* No room for the reason, or none asked: the same refusal. */
		assert_int_equal(EINVAL, ivr_sched_parse(&s, v, why, 8));
		assert_int_equal(7, strlen(why));
		assert_int_equal(EINVAL, ivr_sched_parse(&s, v, NULL, 0));
		json_decref(v);
	}
	assert_int_equal(EINVAL, ivr_sched_parse(&(struct ivr_sched *){NULL}, NULL,
						 why, sizeof(why)));
}

static void a_list_longer_than_1024_is_refused(void **state)
{
	json_t *v = json_pack("{s:[], s:[]}", "weekly", "holidays");
	struct ivr_sched *s = NULL;
	char why[128];
	(void)state;

	for (int i = 0; i < 1024; i++)
		json_array_append_new(json_object_get(v, "holidays"),
				      json_string("2027-01-01"));
	assert_int_equal(0, ivr_sched_parse(&s, v, why, sizeof(why)));
	ivr_sched_free(s);
	s = NULL;
	json_array_append_new(json_object_get(v, "holidays"),
			      json_string("2027-01-01"));
	assert_int_equal(EINVAL, ivr_sched_parse(&s, v, why, sizeof(why)));
	assert_string_equal("holidays: more than 1024 entries", why);
	assert_null(s);
	json_decref(v);
}

/* The edges are where a span starts or ends, or midnight, and openness
 * holds between them, minute by minute, for a whole week. */
static void the_next_edge_is_where_openness_may_change(void **state)
{
	struct ivr_sched *s = load(office);

	(void)state;
	assert_int_equal(at("2026-09-28 09:00"),
			 ivr_sched_next_edge(s, at("2026-09-28 03:00")));
	assert_int_equal(at("2026-09-28 18:00"),
			 ivr_sched_next_edge(s, at("2026-09-28 09:00")));
	assert_int_equal(at("2026-09-28 22:00"),
			 ivr_sched_next_edge(s, at("2026-09-28 18:30") + 17));
	assert_int_equal(at("2026-09-29 00:00"),
			 ivr_sched_next_edge(s, at("2026-09-28 23:59")));
	for (int64_t t = at("2026-09-26 00:00"); t < at("2026-10-03 00:00");) {
		const int64_t e = ivr_sched_next_edge(s, t);
		const bool open = ivr_sched_open(s, t);

		assert_true(e > t);
		for (int64_t u = t; u < e; u += 60000)
			assert_int_equal(open, ivr_sched_open(s, u));
		t = e;
	}
	ivr_sched_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekday_hours_include_from_and_exclude_to),
		cmocka_unit_test(an_overnight_span_runs_past_midnight_into_the_next_day),
		cmocka_unit_test(an_overnight_span_belongs_to_the_day_it_starts),
		cmocka_unit_test(to_24_00_is_the_end_of_the_day),
		cmocka_unit_test(a_holiday_range_is_closed_every_day_it_covers),
		cmocka_unit_test(a_make_up_sunday_is_worked_with_the_hours_it_is_worked_as),
		cmocka_unit_test(the_2026_national_day_week),
		cmocka_unit_test(a_workday_that_is_also_a_holiday_is_worked),
		cmocka_unit_test(a_leap_day_is_a_day_like_any_other),
		cmocka_unit_test(an_empty_week_is_always_closed_and_times_before_1970_work),
		cmocka_unit_test(every_refusal_names_its_key),
		cmocka_unit_test(a_list_longer_than_1024_is_refused),
		cmocka_unit_test(the_next_edge_is_where_openness_may_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
