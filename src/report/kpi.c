/* report/kpi: the KPI table. One row per KPI of the reference document's
 * 22 (plus ring time, the agent's phone's side of ringing); each computed
 * row is a ratio of bucket fields or of side figures (report.h), so it is
 * the same over a quarter hour or a month. Rows whose data Hotline does
 * not collect say what they need and compute nothing: a KPI is never
 * estimated from something else. */
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

typedef const struct report_side side;

/* Rings the callers heard before anyone answered, per call answered. */
static int s_avg_ring_count(side *s, double *v)
{
	return ratio((double)s->rings, (double)s->rung_calls, v);
}

static int s_fcr(side *s, double *v)
{
	return ratio((double)s->fcr_resolved, (double)s->fcr_answered, v);
}

static int s_qa_score(side *s, double *v)
{
	return ratio(s->qa_score_sum, (double)s->qa_scored, v);
}

/* Leavers over the mean of the headcounts that open and close the
 * period; nothing when no staff record was read. */
static int s_turnover(side *s, double *v)
{
	if (!s->staff)
		return ENODATA;
	return ratio((double)s->leavers,
		     (double)(s->staff_start + s->staff_end) / 2, v);
}

#define NONE NAN

/* id, 中文, English, unit, formula, target (text, low, high), needs,
 * compute (from a bucket), side (from side figures). Order: the computed
 * KPIs a supervisor reads first, then the rest, then the ones read from
 * other modules' records. */
static const struct report_kpi_def kpis[] = {
	{"service_level", "服务水平", "service level", "ratio",
	 "answered_in_sl / (answered + abandoned + overflowed); abandoned "
	 "within sl_ms: missed as is, ignored: minus abandoned_in_sl below, "
	 "met: plus abandoned_in_sl above",
	 "80% answered within 20 s", 0.80, NONE, NULL, k_service_level, NULL},
	{"asa", "平均应答速度", "average speed of answer", "s",
	 "answer_wait_ms / answered / 1000",
	 "20 s", NONE, 20, NULL, k_asa, NULL},
	{"abandon_rate", "呼叫放弃率", "abandonment rate", "ratio",
	 "abandoned / (answered + abandoned + overflowed)",
	 "3% to 5%", 0.03, 0.05, NULL, k_abandon_rate, NULL},
	{"avg_abandon_time", "平均放弃时间", "average time to abandon", "s",
	 "abandon_wait_ms / abandoned / 1000",
	 "60 s", NONE, NONE, NULL, k_avg_abandon_time, NULL},
	{"avg_queue_time", "平均排队时间", "average queue time", "s",
	 "(answer_wait_ms + abandon_wait_ms + overflow_wait_ms) / "
	 "(answered + abandoned + overflowed) / 1000",
	 "30 s to 90 s", 30, 90, NULL, k_avg_queue_time, NULL},
	{"answered_rate", "已复电话百分比", "answered percentage", "ratio",
	 "answered / (answered + abandoned + overflowed)",
	 "98%", 0.98, NONE, NULL, k_answered_rate, NULL},
	{"total_calls", "总呼叫数", "total calls", "calls",
	 "entered + blocked",
	 NULL, NONE, NONE, NULL, k_total_calls, NULL},
	{"blocking_rate", "忙音率", "blocking rate", "ratio",
	 "blocked / (entered + blocked)",
	 "1% to 3%", NONE, 0.03, NULL, k_blocking_rate, NULL},
	{"queue_placement_rate", "队列放置率", "queue placement rate", "ratio",
	 "queued / entered",
	 "10% to 20%", 0.10, 0.20, NULL, k_queue_placement_rate, NULL},
	{"avg_talk_time", "平均交谈时间", "average talk time", "s",
	 "talk_ms / completed / 1000",
	 "270 s to 360 s", 270, 360, NULL, k_avg_talk_time, NULL},
	{"avg_hold_time", "平均持线时间", "average hold time", "s",
	 "hold_ms / holds / 1000",
	 "20 s to 60 s", 20, 60, NULL, k_avg_hold_time, NULL},
	{"avg_wrap_time", "事后处理时间", "average wrap-up time", "s",
	 "wrap_ms / completed / 1000",
	 "60 s", NONE, 60, NULL, k_avg_wrap_time, NULL},
	{"avg_handle_time", "平均通话时间", "average handle time", "s",
	 "(talk_ms + hold_ms + wrap_ms) / completed / 1000",
	 "3 to 10 minutes, +/-15%", 180, 600, NULL, k_avg_handle_time, NULL},
	{"avg_ring_count", "平均振铃次数", "average ring count", "rings",
	 "rings / rung_calls: per inbound call answered by an agent, the IVR "
	 "or a queue, ceil(ms from arrival to that answer / ring period), "
	 "a ring every 5 s (1 s on, 4 s off) by default",
	 "2 to 4", 2, 4, NULL, NULL, s_avg_ring_count},
	{"avg_ring_time", "平均振铃时长", "average ring time to answer", "s",
	 "answer_ring_ms / answered / 1000",
	 NULL, NONE, NONE, NULL, k_avg_ring_time, NULL},
	{"transfer_rate", "转接呼叫率", "transfer rate", "ratio",
	 "transferred / answered",
	 "3% on average; 1% recommended", NONE, 0.03, NULL, k_transfer_rate, NULL},
	{"occupancy", "占线率", "occupancy", "ratio",
	 "(ringing_ms + talking_ms + wrapup_ms) / "
	 "(ready_ms + ringing_ms + talking_ms + wrapup_ms)",
	 "90% or more", 0.90, NONE, NULL, k_occupancy, NULL},
	{"calls_per_agent_hour", "每小时呼叫次数", "calls per agent hour",
	 "calls/h",
	 "answered / ((ready_ms + not_ready_ms + ringing_ms + talking_ms + "
	 "wrapup_ms) / 3600000)",
	 "no common target: 5 to 100 by the kind of center", NONE, NONE, NULL,
	 k_calls_per_agent_hour, NULL},
	{"utilization", "实际工作率", "utilization (actual work rate)", "ratio",
	 "(ready_ms + ringing_ms + talking_ms + wrapup_ms) / sched_ms: "
	 "available time over the time the agents' shifts scheduled on duty "
	 "(breaks excluded); no value without shifts",
	 "92% or more", 0.92, NONE, NULL, k_utilization, NULL},
	{"attendance", "出勤率", "attendance", "ratio",
	 "worked_agents / sched_agents: agent-days on which a scheduled agent "
	 "signed in while on duty, over agent-days scheduled",
	 "95%", 0.95, NONE, NULL, k_attendance, NULL},
	{"fcr", "一次性解决问题的呼叫率", "first call resolution", "ratio",
	 "fcr_resolved / fcr_answered: answered inbound calls whose number did "
	 "not call again within the window (report.fcr_window_h), that left "
	 "no callback task or handed-on work order and whose wrap-up code "
	 "does not say not resolved, over answered inbound calls",
	 "85% to 100%", 0.85, 1.0, NULL, NULL, s_fcr},
	{"qa_score", "监听分值", "quality monitoring score", "points",
	 "qa_score_sum / qa_scored: the mean final score (after any appeal) "
	 "of the QA evaluations made in the period",
	 "no common target; usually out of 100", NONE, NONE, NULL, NULL,
	 s_qa_score},
	{"turnover", "话务员流动率", "agent turnover", "ratio",
	 "leavers / ((staff_start + staff_end) / 2): agents whose last day "
	 "fell in the period over the mean of the agents on staff on its "
	 "first day and on the day after it; per month, quarter or year",
	 "15% to 30%", 0.15, 0.30, NULL, NULL, s_turnover},
};

const struct report_kpi_def *report_kpis(size_t *n)
{
	*n = ARRAY_LEN(kpis);
	return kpis;
}

int report_kpi_decimals(const struct report_kpi_def *def)
{
	return !strcmp(def->unit, "s") ? 3 : 6;
}

const struct report_kpi_def *report_kpi_find(const char *id)
{
	for (size_t i = 0; id && i < ARRAY_LEN(kpis); i++) {
		if (!strcmp(kpis[i].id, id))
			return &kpis[i];
	}
	return NULL;
}

int report_kpi_side(const struct report_kpi_def *def,
		    const struct report_side *s, double *v)
{
	if (!def || !s || !v)
		return EINVAL;
	if (!def->side)
		return ENOTSUP;
	return def->side(s, v);
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
