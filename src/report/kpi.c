/* report/kpi: the KPI table. One row per KPI of the reference document's
 * 22 (plus ring time, which the ring count needs beside it); each computed
 * row is a ratio of bucket fields, so it is the same over a quarter hour or
 * a month. Rows whose data Hotline does not collect say what they need and
 * compute nothing: a KPI is never estimated from something else. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "base/util.h"
#include "report/report.h"

typedef const struct report_bucket bucket;
typedef const struct report_queue_cfg qcfg;

static int ratio(double num, double den, double *v)
{
	if (!(den > 0))
		return ENODATA;
	*v = num / den;
	return 0;
}

/* Calls whose fate in the queue is known; short abandons left out. */
static double offered(bucket *b)
{
	return (double)(b->answered + b->abandoned + b->overflowed);
}

/* Agent time available for or busy with calls: logged in, not "not ready". */
static double working_ms(bucket *b)
{
	return (double)(b->ready_ms + b->ringing_ms + b->talking_ms + b->wrapup_ms);
}

static int k_service_level(bucket *b, qcfg *c, double *v)
{
	double met = (double)b->answered_in_sl, den = offered(b);

	switch (c->abandon_sl) {
	case REPORT_ABANDON_MISSED:
		break;
	case REPORT_ABANDON_IGNORED:
		den -= (double)b->abandoned_in_sl;
		break;
	case REPORT_ABANDON_MET:
		met += (double)b->abandoned_in_sl;
		break;
	}
	return ratio(met, den, v);
}

static int k_asa(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio(b->answer_wait_ms / 1000.0, (double)b->answered, v);
}

static int k_avg_abandon_time(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio(b->abandon_wait_ms / 1000.0, (double)b->abandoned, v);
}

static int k_abandon_rate(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->abandoned, offered(b), v);
}

static int k_avg_talk_time(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio(b->talk_ms / 1000.0, (double)b->completed, v);
}

static int k_avg_hold_time(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio(b->hold_ms / 1000.0, (double)b->holds, v);
}

static int k_avg_wrap_time(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio(b->wrap_ms / 1000.0, (double)b->completed, v);
}

static int k_avg_handle_time(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((b->talk_ms + b->hold_ms + b->wrap_ms) / 1000.0,
		     (double)b->completed, v);
}

static int k_avg_ring_count(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->offers, (double)b->answered, v);
}

static int k_avg_ring_time(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio(b->answer_ring_ms / 1000.0, (double)b->answered, v);
}

static int k_avg_queue_time(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((b->answer_wait_ms + b->abandon_wait_ms +
		      b->overflow_wait_ms) / 1000.0, offered(b), v);
}

static int k_occupancy(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)(b->ringing_ms + b->talking_ms + b->wrapup_ms),
		     working_ms(b), v);
}

static int k_calls_per_agent_hour(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->answered,
		     (working_ms(b) + (double)b->not_ready_ms) / 3600000.0, v);
}

static int k_queue_placement_rate(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->queued, (double)b->entered, v);
}

static int k_transfer_rate(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->transferred, (double)b->answered, v);
}

static int k_answered_rate(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->answered, offered(b), v);
}

static int k_total_calls(bucket *b, qcfg *c, double *v)
{
	(void)c;
	*v = (double)(b->entered + b->blocked);
	return 0;
}

static int k_blocking_rate(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->blocked, (double)(b->entered + b->blocked), v);
}

/* The reference: 联入系统准备回答电话的实际时间 ÷ 按照计划应当回答电话的
 * 总时间 — over the time scheduled, not the time signed in. */
static int k_utilization(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio(working_ms(b), (double)b->sched_ms, v);
}

/* 一个班组实际工作的人数 ÷ 计划工作的人数, in agent-days so that a
 * period sums its days. */
static int k_attendance(bucket *b, qcfg *c, double *v)
{
	(void)c;
	return ratio((double)b->worked_agents, (double)b->sched_agents, v);
}

#define NONE NAN

/* id, 中文, English, unit, formula, target (text, low, high), needs, fn.
 * Order: the computed KPIs a supervisor reads first, then the rest, then
 * the ones Hotline cannot compute yet. */
static const struct report_kpi_def kpis[] = {
	{"service_level", "服务水平", "service level", "ratio",
	 "answered_in_sl / (answered + abandoned + overflowed); abandoned "
	 "within sl_ms: missed as is, ignored: minus abandoned_in_sl below, "
	 "met: plus abandoned_in_sl above",
	 "80% answered within 20 s", 0.80, NONE, NULL, k_service_level},
	{"asa", "平均应答速度", "average speed of answer", "s",
	 "answer_wait_ms / answered / 1000",
	 "20 s", NONE, 20, NULL, k_asa},
	{"abandon_rate", "呼叫放弃率", "abandonment rate", "ratio",
	 "abandoned / (answered + abandoned + overflowed)",
	 "3% to 5%", 0.03, 0.05, NULL, k_abandon_rate},
	{"avg_abandon_time", "平均放弃时间", "average time to abandon", "s",
	 "abandon_wait_ms / abandoned / 1000",
	 "60 s", NONE, NONE, NULL, k_avg_abandon_time},
	{"avg_queue_time", "平均排队时间", "average queue time", "s",
	 "(answer_wait_ms + abandon_wait_ms + overflow_wait_ms) / "
	 "(answered + abandoned + overflowed) / 1000",
	 "30 s to 90 s", 30, 90, NULL, k_avg_queue_time},
	{"answered_rate", "已复电话百分比", "answered percentage", "ratio",
	 "answered / (answered + abandoned + overflowed)",
	 "98%", 0.98, NONE, NULL, k_answered_rate},
	{"total_calls", "总呼叫数", "total calls", "calls",
	 "entered + blocked",
	 NULL, NONE, NONE, NULL, k_total_calls},
	{"blocking_rate", "忙音率", "blocking rate", "ratio",
	 "blocked / (entered + blocked)",
	 "1% to 3%", NONE, 0.03, NULL, k_blocking_rate},
	{"queue_placement_rate", "队列放置率", "queue placement rate", "ratio",
	 "queued / entered",
	 "10% to 20%", 0.10, 0.20, NULL, k_queue_placement_rate},
	{"avg_talk_time", "平均交谈时间", "average talk time", "s",
	 "talk_ms / completed / 1000",
	 "270 s to 360 s", 270, 360, NULL, k_avg_talk_time},
	{"avg_hold_time", "平均持线时间", "average hold time", "s",
	 "hold_ms / holds / 1000",
	 "20 s to 60 s", 20, 60, NULL, k_avg_hold_time},
	{"avg_wrap_time", "事后处理时间", "average wrap-up time", "s",
	 "wrap_ms / completed / 1000",
	 "60 s", NONE, 60, NULL, k_avg_wrap_time},
	{"avg_handle_time", "平均通话时间", "average handle time", "s",
	 "(talk_ms + hold_ms + wrap_ms) / completed / 1000",
	 "3 to 10 minutes, +/-15%", 180, 600, NULL, k_avg_handle_time},
	{"avg_ring_count", "平均振铃次数", "average ring count", "calls",
	 "offers / answered",
	 "2 to 4", 2, 4, NULL, k_avg_ring_count},
	{"avg_ring_time", "平均振铃时长", "average ring time to answer", "s",
	 "answer_ring_ms / answered / 1000",
	 NULL, NONE, NONE, NULL, k_avg_ring_time},
	{"transfer_rate", "转接呼叫率", "transfer rate", "ratio",
	 "transferred / answered",
	 "3% on average; 1% recommended", NONE, 0.03, NULL, k_transfer_rate},
	{"occupancy", "占线率", "occupancy", "ratio",
	 "(ringing_ms + talking_ms + wrapup_ms) / "
	 "(ready_ms + ringing_ms + talking_ms + wrapup_ms)",
	 "90% or more", 0.90, NONE, NULL, k_occupancy},
	{"calls_per_agent_hour", "每小时呼叫次数", "calls per agent hour",
	 "calls/h",
	 "answered / ((ready_ms + not_ready_ms + ringing_ms + talking_ms + "
	 "wrapup_ms) / 3600000)",
	 "no common target: 5 to 100 by the kind of center", NONE, NONE, NULL,
	 k_calls_per_agent_hour},
	{"utilization", "实际工作率", "utilization (actual work rate)", "ratio",
	 "(ready_ms + ringing_ms + talking_ms + wrapup_ms) / sched_ms: "
	 "available time over the time the agents' shifts scheduled on duty "
	 "(breaks excluded); no value without shifts",
	 "92% or more", 0.92, NONE, NULL, k_utilization},
	{"attendance", "出勤率", "attendance", "ratio",
	 "worked_agents / sched_agents: agent-days on which a scheduled agent "
	 "signed in while on duty, over agent-days scheduled",
	 "95%", 0.95, NONE, NULL, k_attendance},
	{"fcr", "一次性解决问题的呼叫率", "first call resolution", "ratio",
	 "calls resolved without a call back / calls",
	 "85% to 100%", 0.85, 1.0,
	 "a resolution code per call set in wrap-up, and repeat calls matched "
	 "by caller", NULL},
	{"qa_score", "监听分值", "quality monitoring score", "points",
	 "mean QA scorecard score",
	 "no common target; usually out of 100", NONE, NONE,
	 "QA scorecards from listening to calls (the qa module)", NULL},
	{"turnover", "话务员流动率", "agent turnover", "ratio",
	 "agents who left / full-time agents, per month, quarter or year",
	 "15% to 30%", 0.15, 0.30,
	 "staff records: hires and departures (human resources)", NULL},
};

const struct report_kpi_def *report_kpis(size_t *n)
{
	*n = ARRAY_LEN(kpis);
	return kpis;
}

const struct report_kpi_def *report_kpi_find(const char *id)
{
	for (size_t i = 0; id && i < ARRAY_LEN(kpis); i++) {
		if (!strcmp(kpis[i].id, id))
			return &kpis[i];
	}
	return NULL;
}

int report_kpi(const struct report_kpi_def *def, const struct report_bucket *b,
	       const struct report_queue_cfg *cfg, double *v)
{
	if (!def || !b || !v)
		return EINVAL;
	if (!def->compute)
		return ENOTSUP;
	return def->compute(b, cfg ? cfg : &report_default_cfg, v);
}
