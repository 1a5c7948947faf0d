/* The KPI table: the reference document's 22 KPIs are all there, the ones
 * Hotline cannot compute say why and compute nothing, and every computed
 * one, from a bucket or from side figures, is a ratio that reports "no
 * data" rather than dividing by zero. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "report/report.h"

/* The 22 of telemarketing-features-and-22-kpis.txt, in its order. */
static const char *const reference_22[] = {
	"实际工作率", "事后处理时间", "平均放弃时间", "平均通话时间",
	"平均持线时间", "平均振铃次数", "平均排队时间", "平均应答速度",
	"平均交谈时间", "每小时呼叫次数", "监听分值", "占线率", "呼叫放弃率",
	"出勤率", "忙音率", "一次性解决问题的呼叫率", "队列放置率",
	"转接呼叫率", "已复电话百分比", "服务水平", "总呼叫数",
	"话务员流动率",
};

static void every_reference_kpi_has_a_row(void **st)
{
	size_t n;
	const struct report_kpi_def *k = report_kpis(&n);
	(void)st;
	for (size_t i = 0; i < sizeof(reference_22) / sizeof(reference_22[0]); i++) {
		size_t hits = 0;
		for (size_t j = 0; j < n; j++)
			hits += !strcmp(k[j].name_zh, reference_22[i]);
		if (hits != 1)
			fail_msg("%s: %zu rows", reference_22[i], hits);
	}
}

static void rows_are_complete_and_ids_unique(void **st)
{
	size_t n;
	const struct report_kpi_def *k = report_kpis(&n);
	(void)st;
	assert_int_equal(23, n);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(k[i].id);
		assert_non_null(k[i].name_zh);
		assert_non_null(k[i].name_en);
		assert_non_null(k[i].unit);
		assert_non_null(k[i].formula);
		/* From a bucket, from side figures, or says what it needs:
		 * exactly one. */
		assert_int_equal(1, !!k[i].compute + !!k[i].side + !!k[i].needs);
		assert_ptr_equal(&k[i], report_kpi_find(k[i].id));
		if (!isnan(k[i].target_lo) || !isnan(k[i].target_hi))
			assert_non_null(k[i].target);
		if (!isnan(k[i].target_lo) && !isnan(k[i].target_hi))
			assert_true(k[i].target_lo <= k[i].target_hi);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(k[i].id, k[j].id);
	}
	assert_null(report_kpi_find("nps"));
}

/* All are computed now (the reference's 22 and the ring time to answer,
 * 平均振铃时长, which the table adds), each one way: from a bucket (the ACD's counts,
 * and the schedule's for 出勤率 and 实际工作率) or from side figures read
 * from other modules' records (FCR, QA score, turnover, ring count). */
static void every_kpi_is_computed_exactly_one_way(void **st)
{
	size_t n, bucket = 0, side = 0;
	const struct report_kpi_def *k = report_kpis(&n);
	(void)st;
	assert_int_equal(23, n);
	for (size_t i = 0; i < n; i++) {
		if (!!k[i].compute == !!k[i].side)
			fail_msg("%s: computed %s", k[i].id, k[i].compute ?
				 "both ways" : "no way");
		assert_null(k[i].needs);
		bucket += k[i].compute != NULL;
		side += k[i].side != NULL;
	}
	assert_int_equal(19, bucket);
	assert_int_equal(4, side);
}

/* The side KPIs, each against figures written out by hand: 40 answered
 * calls of which 31 resolved; 50 calls answered by someone whose callers
 * heard 0, 1 or 2 rings (30 × 0 + 15 × 1 + 5 × 2 = 25 rings); 4
 * evaluations scoring 90, 85, 72.5 and 100 (the last after an appeal);
 * 40 agents at the start, 36 after the end, 3 left. */
static void side_kpis_on_known_figures(void **st)
{
	static const struct report_side s = {
		.fcr_answered = 40, .fcr_resolved = 31, .fcr_repeated = 5,
		.fcr_followed_up = 3, .fcr_unresolved = 2,
		.rung_calls = 50, .rings = 25,
		.qa_scored = 4, .qa_score_sum = 90 + 85 + 72.5 + 100,
		.staff_start = 40, .staff_end = 36, .leavers = 3, .staff = true,
	};
	static const struct { const char *id; double want; } cases[] = {
		{"fcr", 31.0 / 40}, {"avg_ring_count", 0.5},
		{"qa_score", 86.875}, {"turnover", 3.0 / 38},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct report_kpi_def *d = report_kpi_find(cases[i].id);
		double v;

		assert_int_equal(0, report_kpi_side(d, &s, &v));
		if (fabs(v - cases[i].want) > 1e-12)
			fail_msg("%s: %.12g, want %.12g", cases[i].id, v,
				 cases[i].want);
		/* Not a bucket KPI: no value from a bucket. */
		assert_int_equal(ENOTSUP, report_kpi(d, &(struct report_bucket){
			.answered = 1}, NULL, &v));
	}
	assert_int_equal(ENOTSUP, report_kpi_side(report_kpi_find("asa"), &s,
						  &(double){0}));
}

/* Nothing to divide by is no value, and staff figures not read are no
 * turnover (not 0%). */
static void side_kpis_without_data(void **st)
{
	static const char *const ids[] = {"fcr", "avg_ring_count", "qa_score",
					  "turnover"};
	struct report_side zero = {0}, unread = {.leavers = 2,
						 .staff_start = 10};
	(void)st;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		double v = 7;

		assert_int_equal(ENODATA, report_kpi_side(report_kpi_find(ids[i]),
							  &zero, &v));
		assert_true(v == 7);
	}
	assert_int_equal(ENODATA, report_kpi_side(report_kpi_find("turnover"),
						  &unread, &(double){0}));
	zero.staff = true;   /* read, and nobody on staff */
	assert_int_equal(ENODATA, report_kpi_side(report_kpi_find("turnover"),
						  &zero, &(double){0}));
	assert_int_equal(EINVAL, report_kpi_side(NULL, &zero, &(double){0}));
}

/* Summing side figures adds the flows and leaves the headcounts. */
static void side_figures_add(void **st)
{
	struct report_side a = {.fcr_answered = 2, .rings = 3, .qa_scored = 1,
				.qa_score_sum = 80, .staff_start = 9,
				.staff = true};
	const struct report_side b = {.fcr_answered = 5, .fcr_resolved = 4,
				      .rings = 1, .rung_calls = 2,
				      .qa_scored = 2, .qa_score_sum = 150.5,
				      .staff_start = 100, .leavers = 7};
	(void)st;
	report_side_add(&a, &b);
	assert_int_equal(7, a.fcr_answered);
	assert_int_equal(4, a.fcr_resolved);
	assert_int_equal(4, a.rings);
	assert_int_equal(2, a.rung_calls);
	assert_int_equal(3, a.qa_scored);
	assert_true(a.qa_score_sum == 230.5);
	assert_int_equal(9, a.staff_start);
	assert_int_equal(0, a.leavers);
	assert_true(a.staff);
}

/* An empty period has no rates, only a count of zero calls. */
static void empty_bucket_has_no_data_but_zero_calls(void **st)
{
	struct report_bucket b = {0};
	size_t n;
	const struct report_kpi_def *k = report_kpis(&n);
	(void)st;
	for (size_t i = 0; i < n; i++) {
		double v = -1;
		int err;
		if (!k[i].compute)
			continue;
		err = report_kpi(&k[i], &b, NULL, &v);
		if (!strcmp(k[i].id, "total_calls")) {
			assert_int_equal(0, err);
			assert_true(v == 0);
		}
		else {
			assert_int_equal(ENODATA, err);
		}
	}
	assert_int_equal(EINVAL, report_kpi(NULL, &b, NULL, &(double){0}));
}

/* Each row against a bucket written out by hand. */
static void each_formula_on_a_known_bucket(void **st)
{
	static const struct report_bucket b = {
		.entered = 200, .queued = 30, .blocked = 4,
		.answered = 180, .answered_in_sl = 150, .answer_wait_ms = 2700000,
		.answer_ring_ms = 720000, .abandoned = 12, .abandoned_in_sl = 3,
		.abandon_wait_ms = 540000, .short_abandoned = 5, .overflowed = 3,
		.overflow_wait_ms = 360000, .offers = 198, .ring_noanswer = 18,
		.transferred = 9, .holds = 40, .hold_ms = 1600000,
		.completed = 176, .talk_ms = 52800000, .wrap_ms = 8800000,
		.ready_ms = 3600000, .not_ready_ms = 1800000,
		.ringing_ms = 720000, .talking_ms = 54400000, .wrapup_ms = 8800000,
	};
	static const struct { const char *id; double want; } cases[] = {
		{"service_level", 150.0 / 195},   {"asa", 15},
		{"abandon_rate", 12.0 / 195},     {"avg_abandon_time", 45},
		{"avg_queue_time", 3600.0 / 195}, {"answered_rate", 180.0 / 195},
		{"total_calls", 204},             {"blocking_rate", 4.0 / 204},
		{"queue_placement_rate", 0.15},   {"avg_talk_time", 300},
		{"avg_hold_time", 40},            {"avg_wrap_time", 50},
		{"avg_handle_time", 359.0909090909091},
		{"avg_ring_time", 4},
		{"transfer_rate", 0.05},
		{"occupancy", 63920000.0 / 67520000},
		{"calls_per_agent_hour", 180 / (69320000.0 / 3600000)},
	};
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v;
		assert_int_equal(0, report_kpi(report_kpi_find(cases[i].id), &b, NULL, &v));
		if (fabs(v - cases[i].want) > 1e-9)
			fail_msg("%s: %.12g, want %.12g", cases[i].id, v, cases[i].want);
	}
}

/* 实际工作率 and 出勤率 from schedules: 3 agents planned 8 h on duty
 * (86,400,000 ms) were available 20 h (72,000,000 ms) and not ready 1 h:
 * utilization 72,000,000 / 86,400,000 = 0.8333…, the not-ready hour in
 * neither term. Of 10 agent-days scheduled, 9 signed in: attendance 0.9.
 * Without shifts neither has a value (not the old ÷ signed-in time). */
static void utilization_and_attendance_are_over_the_schedule(void **st)
{
	struct report_bucket b = {
		.ready_ms = 50000000, .ringing_ms = 1000000,
		.talking_ms = 17000000, .wrapup_ms = 4000000,
		.not_ready_ms = 3600000, .sched_ms = 86400000,
		.sched_agents = 10, .worked_agents = 9,
	}, sum = {0};
	double v;
	(void)st;
	assert_int_equal(0, report_kpi(report_kpi_find("utilization"), &b,
				       NULL, &v));
	assert_true(fabs(v - 72000000.0 / 86400000) < 1e-12);
	assert_int_equal(0, report_kpi(report_kpi_find("attendance"), &b,
				       NULL, &v));
	assert_true(fabs(v - 0.9) < 1e-12);
	/* Summing two such buckets sums the schedule too: same ratios. */
	report_bucket_add(&sum, &b);
	report_bucket_add(&sum, &b);
	assert_int_equal(2 * 86400000, sum.sched_ms);
	assert_int_equal(0, report_kpi(report_kpi_find("attendance"), &sum,
				       NULL, &v));
	assert_true(fabs(v - 0.9) < 1e-12);
	b.sched_ms = b.sched_agents = b.worked_agents = 0;
	assert_int_equal(ENODATA, report_kpi(report_kpi_find("utilization"),
					     &b, NULL, &v));
	assert_int_equal(ENODATA, report_kpi(report_kpi_find("attendance"),
					     &b, NULL, &v));
}

/* The field table is the whole of the struct between its four header
 * fields and the three schedule fields (sched/'s, never stored), in
 * order, so storing and summing miss nothing. */
static void field_table_covers_the_bucket(void **st)
{
	size_t n;
	const struct report_field *f = report_fields(&n);
	(void)st;
	assert_int_equal(sizeof(struct report_bucket),
			 (n + 4 + 3) * sizeof(int64_t));
	assert_int_equal(offsetof(struct report_bucket, sched_ms),
			 f[n - 1].off + sizeof(int64_t));
	assert_int_equal(offsetof(struct report_bucket, entered), f[0].off);
	assert_string_equal("entered", f[0].name);
	assert_string_equal("wrapup_ms", f[n - 1].name);
	for (size_t i = 1; i < n; i++)
		assert_int_equal(f[i - 1].off + sizeof(int64_t), f[i].off);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_reference_kpi_has_a_row),
		cmocka_unit_test(rows_are_complete_and_ids_unique),
		cmocka_unit_test(every_kpi_is_computed_exactly_one_way),
		cmocka_unit_test(side_kpis_on_known_figures),
		cmocka_unit_test(side_kpis_without_data),
		cmocka_unit_test(side_figures_add),
		cmocka_unit_test(empty_bucket_has_no_data_but_zero_calls),
		cmocka_unit_test(each_formula_on_a_known_bucket),
		cmocka_unit_test(field_table_covers_the_bucket),
		cmocka_unit_test(utilization_and_attendance_are_over_the_schedule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
