/* rpt/catalog: the report list — the platform manual's 业务报表 and 话务报表
 * and AOFAX's traffic analysis — as one table. A row names the report in
 * both languages and as the manual does, says which table it reads (a
 * source of source.c), its own condition, and either the aggregates of a
 * summary with the columns derived from them, or the columns of a detail.
 * The console's report page and GET /api/v1/reports/{id} read nothing
 * else.
 *
 * A summary's aggregates are raw (counts, sums, a MIN or MAX): every rate
 * and mean is derived from them in C (sql.c), for a group and for the
 * total alike, so the total's rate is the period's, not a mean of rates. */
#include <string.h>
#include "api/http.h"
#include "rpt/rpt.h"
#include "rpt/rpt_int.h"

#define J RPT_J
#define NR_START RPT_NR_START
#define ANSWERED "c.answered_at IS NOT NULL"
#define CNT(cond) "SUM(CASE WHEN " cond " THEN 1 ELSE 0 END)"
#define READERS RPT_READERS

#define COL(k, z, e, t, h, a_, b_, s) \
	{k, z, e, t, NULL, RPT_D_##h, a_, b_, s}
#define DCOL(k, z, e, t, sql) {k, z, e, t, sql, RPT_D_RAW, 0, 0, 0}
#define LEN(a) ARRAY_LEN(a)

/* ---- 来电分类统计: inbound calls by wrap-up code (来电类型) */
static const char *const m_types[] = {
	"COUNT(*)", CNT(ANSWERED), "SUM(COALESCE(c.talk_s, 0))",
};
static const struct rpt_col c_types[] = {
	COL("calls", "来电量", "Calls", RPT_INT, RAW, 0, 0, 0),
	COL("answered", "接通量", "Answered", RPT_INT, RAW, 1, 0, 0),
	COL("share_pct", "占比(%)", "Share (%)", RPT_NUM2, SHARE, 0, 0, 0),
	COL("talk_s", "通话时长(秒)", "Talk (s)", RPT_INT, RAW, 2, 0, 0),
	COL("avg_talk_s", "平均通话(秒)", "Mean talk (s)", RPT_NUM1, DIV, 2, 1,
	    1),
};
static const char *const g_types[] = {"wrapup", "queue", "agent", "day",
	"month", "year"};

/* ---- 满意度统计 and 满意度明细: the survey's 1…5 (calls.rating) */
static const char *const m_sat[] = {
	"COUNT(*)", "SUM(c.rating)", CNT("c.rating >= 4"), CNT("c.rating = 1"),
	CNT("c.rating = 2"), CNT("c.rating = 3"), CNT("c.rating = 4"),
	CNT("c.rating = 5"),
};
static const struct rpt_col c_sat[] = {
	COL("rated", "评价数", "Rated", RPT_INT, RAW, 0, 0, 0),
	COL("mean", "平均分", "Mean", RPT_NUM2, DIV, 1, 0, 1),
	COL("satisfied", "满意数(4-5分)", "Satisfied (4-5)", RPT_INT, RAW, 2,
	    0, 0),
	COL("satisfied_pct", "满意率(%)", "Satisfied (%)", RPT_NUM2, DIV, 2, 0,
	    100),
	COL("r1", "1分", "1", RPT_INT, RAW, 3, 0, 0),
	COL("r2", "2分", "2", RPT_INT, RAW, 4, 0, 0),
	COL("r3", "3分", "3", RPT_INT, RAW, 5, 0, 0),
	COL("r4", "4分", "4", RPT_INT, RAW, 6, 0, 0),
	COL("r5", "5分", "5", RPT_INT, RAW, 7, 0, 0),
};
static const char *const g_sat[] = {"agent", "queue", "day", "month"};
static const struct rpt_col c_sat_detail[] = {
	DCOL("started_at", "来电时间", "Started", RPT_TIME, "c.started_at"),
	DCOL("caller", "主叫号码", "Caller", RPT_TEXT, "c.caller"),
	DCOL("agent", "坐席", "Agent", RPT_TEXT, "c.agent"),
	DCOL("queue", "队列", "Queue", RPT_TEXT, "c.queue"),
	DCOL("rating", "评分", "Rating", RPT_INT, "c.rating"),
	DCOL("talk_s", "通话时长(秒)", "Talk (s)", RPT_INT, "c.talk_s"),
	DCOL("call_id", "呼叫编号", "Call", RPT_TEXT, "c.id"),
};

/* ---- 质检考评报表: evaluations by agent (监听分值: the mean final score) */
static const char *const m_qa[] = {
	"COUNT(*)", "SUM(qe.final_score)", "SUM(qe.score)",
	"SUM(qe.failed_critical)", CNT("qa.evaluation_id IS NOT NULL"),
	CNT("qa.outcome = 'changed'"), CNT("qa.outcome = 'upheld'"),
};
static const struct rpt_col c_qa[] = {
	COL("evaluations", "质检次数", "Evaluations", RPT_INT, RAW, 0, 0, 0),
	COL("avg_score", "平均得分", "Mean final score", RPT_NUM2, DIV, 1, 0,
	    1),
	COL("avg_given_score", "平均初评分", "Mean score given", RPT_NUM2, DIV,
	    2, 0, 1),
	COL("failed_critical", "致命项不合格", "Failed critical items",
	    RPT_INT, RAW, 3, 0, 0),
	COL("appeals", "申诉次数", "Appeals", RPT_INT, RAW, 4, 0, 0),
	COL("appeal_pct", "申诉率(%)", "Appealed (%)", RPT_NUM2, DIV, 4, 0,
	    100),
	COL("changed", "改分", "Changed", RPT_INT, RAW, 5, 0, 0),
	COL("upheld", "维持", "Upheld", RPT_INT, RAW, 6, 0, 0),
};
static const char *const g_qa[] = {"agent", "queue", "day", "month"};

/* ---- 坐席签入签出报表: agent.state events (docs/kpi.md section 2) */
#define SIGN_IN "(" J("prev_state") " = 'logged_out' AND " J("state") \
	" <> 'logged_out')"
#define SIGN_OUT "(" J("state") " = 'logged_out' AND " J("prev_state") \
	" <> 'logged_out')"
#define STATE_MS(s) "SUM(CASE WHEN " J("prev_state") " " s " THEN " \
	J("dur_ms") " ELSE 0 END)"
static const char *const m_sign[] = {
	CNT(SIGN_IN), CNT(SIGN_OUT),
	"MIN(CASE WHEN " SIGN_IN " THEN e.ts END)",
	"MAX(CASE WHEN " SIGN_OUT " THEN e.ts END)",
	STATE_MS("<> 'logged_out'"), STATE_MS("= 'ready'"),
	STATE_MS("= 'not_ready'"), STATE_MS("IN ('ringing', 'talking')"),
	STATE_MS("= 'wrapup'"),
};
static const struct rpt_col c_sign[] = {
	COL("sign_ins", "签入次数", "Sign-ins", RPT_INT, RAW, 0, 0, 0),
	COL("sign_outs", "签出次数", "Sign-outs", RPT_INT, RAW, 1, 0, 0),
	COL("first_in", "首次签入", "First sign-in", RPT_TIME, TIME, 2, 0, 0),
	COL("last_out", "末次签出", "Last sign-out", RPT_TIME, TIME, 3, 0, 0),
	COL("signed_in_s", "签入时长(秒)", "Signed in (s)", RPT_NUM1, RAW, 4,
	    0, 0.001),
	COL("ready_s", "空闲时长(秒)", "Ready (s)", RPT_NUM1, RAW, 5, 0, 0.001),
	COL("not_ready_s", "示忙时长(秒)", "Not ready (s)", RPT_NUM1, RAW, 6, 0,
	    0.001),
	COL("talking_s", "振铃通话(秒)", "Ringing and talking (s)", RPT_NUM1,
	    RAW, 7, 0, 0.001),
	COL("wrapup_s", "话后处理(秒)", "Wrap-up (s)", RPT_NUM1, RAW, 8, 0,
	    0.001),
};
static const char *const g_sign[] = {"agent", "day", "month"};

/* ---- 坐席示忙报表: not-ready spans by reason */
static const char *const m_nr[] = {
	CNT(NR_START), STATE_MS("= 'not_ready'"),
};
static const struct rpt_col c_nr[] = {
	COL("times", "示忙次数", "Times", RPT_INT, RAW, 0, 0, 0),
	COL("not_ready_s", "示忙时长(秒)", "Not ready (s)", RPT_NUM1, RAW, 1, 0,
	    0.001),
	COL("avg_s", "平均每次(秒)", "Mean per time (s)", RPT_NUM1, DIV, 1, 0,
	    0.001),
	COL("share_pct", "时长占比(%)", "Share of time (%)", RPT_NUM2, SHARE, 1,
	    0, 0),
};
static const char *const g_nr[] = {"reason", "agent", "day"};

/* ---- 呼入电话明细, 外呼明细, 中继呼叫明细: calls one by one */
#define D_STARTED DCOL("started_at", "开始时间", "Started", RPT_TIME, \
		       "c.started_at")
#define D_ANSWERED DCOL("answered", "接通", "Answered", RPT_INT, \
			"CASE WHEN " ANSWERED " THEN 1 ELSE 0 END")
#define D_ID DCOL("call_id", "呼叫编号", "Call", RPT_TEXT, "c.id")
static const struct rpt_col c_in_detail[] = {
	D_STARTED,
	DCOL("caller", "主叫号码", "Caller", RPT_TEXT, "c.caller"),
	DCOL("callee", "被叫号码", "Dialled", RPT_TEXT, "c.callee"),
	DCOL("province", "省份", "Province", RPT_TEXT, "c.province"),
	DCOL("city", "城市", "City", RPT_TEXT, "c.city"),
	DCOL("queue", "队列", "Queue", RPT_TEXT, "c.queue"),
	DCOL("agent", "坐席", "Agent", RPT_TEXT, "c.agent"),
	D_ANSWERED,
	DCOL("answer_s", "接通前(秒)", "Until answer (s)", RPT_NUM1,
	     "(c.answered_at - c.started_at) / 1000.0"),
	DCOL("talk_s", "通话时长(秒)", "Talk (s)", RPT_INT, "c.talk_s"),
	DCOL("duration_s", "总时长(秒)", "Duration (s)", RPT_INT,
	     "c.duration_s"),
	DCOL("hangup_by", "挂机方", "Hung up by", RPT_TEXT, "c.hangup_by"),
	DCOL("wrapup", "来电类型", "Call type", RPT_TEXT, "c.wrapup_code"),
	DCOL("rating", "满意度", "Rating", RPT_INT, "c.rating"),
	DCOL("trunk", "中继", "Trunk", RPT_TEXT, "c.trunk"),
	D_ID,
};
static const struct rpt_col c_out_detail[] = {
	D_STARTED,
	DCOL("agent", "坐席", "Agent", RPT_TEXT, "c.agent"),
	DCOL("caller", "主叫号码", "Caller", RPT_TEXT, "c.caller"),
	DCOL("callee", "被叫号码", "Dialled", RPT_TEXT, "c.callee"),
	DCOL("province", "省份", "Province", RPT_TEXT, "c.province"),
	DCOL("city", "城市", "City", RPT_TEXT, "c.city"),
	D_ANSWERED,
	DCOL("talk_s", "通话时长(秒)", "Talk (s)", RPT_INT, "c.talk_s"),
	DCOL("duration_s", "总时长(秒)", "Duration (s)", RPT_INT,
	     "c.duration_s"),
	DCOL("hangup_by", "挂机方", "Hung up by", RPT_TEXT, "c.hangup_by"),
	DCOL("cause", "挂机原因", "Cause", RPT_TEXT, "c.hangup_cause"),
	DCOL("trunk", "中继", "Trunk", RPT_TEXT, "c.trunk"),
	D_ID,
};
static const struct rpt_col c_trunk_detail[] = {
	D_STARTED,
	DCOL("trunk", "中继", "Trunk", RPT_TEXT, "c.trunk"),
	DCOL("direction", "方向", "Direction", RPT_TEXT, "c.direction"),
	DCOL("caller", "主叫号码", "Caller", RPT_TEXT, "c.caller"),
	DCOL("callee", "被叫号码", "Dialled", RPT_TEXT, "c.callee"),
	D_ANSWERED,
	DCOL("duration_s", "占用时长(秒)", "Duration (s)", RPT_INT,
	     "c.duration_s"),
	DCOL("talk_s", "通话时长(秒)", "Talk (s)", RPT_INT, "c.talk_s"),
	DCOL("cause", "挂机原因", "Cause", RPT_TEXT, "c.hangup_cause"),
	DCOL("agent", "坐席", "Agent", RPT_TEXT, "c.agent"),
	D_ID,
};

/* ---- 外呼统计 */
static const char *const m_out[] = {
	"COUNT(*)", CNT(ANSWERED), "SUM(COALESCE(c.talk_s, 0))",
	"SUM(COALESCE(c.duration_s, 0))",
};
static const struct rpt_col c_out[] = {
	COL("calls", "外呼量", "Calls", RPT_INT, RAW, 0, 0, 0),
	COL("answered", "接通量", "Answered", RPT_INT, RAW, 1, 0, 0),
	COL("answer_pct", "接通率(%)", "Answered (%)", RPT_NUM2, DIV, 1, 0,
	    100),
	COL("talk_s", "通话时长(秒)", "Talk (s)", RPT_INT, RAW, 2, 0, 0),
	COL("avg_talk_s", "平均通话(秒)", "Mean talk (s)", RPT_NUM1, DIV, 2, 1,
	    1),
	COL("duration_s", "总时长(秒)", "Duration (s)", RPT_INT, RAW, 3, 0, 0),
};
static const char *const g_out[] = {"agent", "day", "month", "queue",
	"trunk"};

/* ---- ACD排队统计, 队列呼损统计 and 队列呼损情况明细: queue events. An
 * abandon within the queue's short_abandon_ms is a short abandon, kept
 * apart (the caller hung up before anyone could answer). */
#define T(x) "e.type = 'queue." x "'"
#define WAIT J("wait_ms")
#define SHORT_MS "COALESCE(q.short_abandon_ms, 20000)"
#define SHORT "(" T("abandon") " AND " WAIT " <= " SHORT_MS ")"
#define LONG "(" T("abandon") " AND " WAIT " > " SHORT_MS ")"
static const char *const m_acd[] = {
	CNT(T("enter")), CNT(T("answer")),
	CNT(T("answer") " AND " WAIT " <= COALESCE(q.sl_ms, 20000)"),
	"SUM(CASE WHEN " T("answer") " THEN " WAIT " ELSE 0 END)",
	"MAX(CASE WHEN " T("answer") " THEN " WAIT " END)",
	CNT(LONG), CNT(SHORT), CNT(T("overflow")),
	CNT(T("answer") " OR " T("overflow") " OR " LONG),
};
static const struct rpt_col c_acd[] = {
	COL("entered", "进队量", "Entered", RPT_INT, RAW, 0, 0, 0),
	COL("answered", "应答量", "Answered", RPT_INT, RAW, 1, 0, 0),
	COL("answer_pct", "应答率(%)", "Answered (%)", RPT_NUM2, DIV, 1, 8,
	    100),
	COL("sl_pct", "服务水平(%)", "Service level (%)", RPT_NUM2, DIV, 2, 8,
	    100),
	COL("asa_s", "平均等待(秒)", "Mean wait to answer (s)", RPT_NUM1, DIV,
	    3, 1, 0.001),
	COL("max_wait_s", "最长等待(秒)", "Longest wait (s)", RPT_NUM1, RAW, 4,
	    0, 0.001),
	COL("abandoned", "放弃量", "Abandoned", RPT_INT, RAW, 5, 0, 0),
	COL("short_abandoned", "短时放弃", "Short abandons", RPT_INT, RAW, 6, 0,
	    0),
	COL("overflowed", "溢出量", "Overflowed", RPT_INT, RAW, 7, 0, 0),
};
static const char *const g_queue_ev[] = {"queue", "day", "hour",
	"hour_of_day", "month"};

static const char *const m_lost[] = {
	CNT(T("enter")), CNT(T("abandon")), CNT(SHORT), CNT(LONG),
	"SUM(CASE WHEN " LONG " THEN " WAIT " ELSE 0 END)",
	"SUM(CASE WHEN " T("enter") " THEN 1 WHEN " SHORT " THEN -1 ELSE 0 "
	"END)",
};
static const struct rpt_col c_lost[] = {
	COL("entered", "进队量", "Entered", RPT_INT, RAW, 0, 0, 0),
	COL("abandoned_all", "挂断总数", "Hung up (all)", RPT_INT, RAW, 1, 0,
	    0),
	COL("short_abandoned", "短时放弃", "Short abandons", RPT_INT, RAW, 2, 0,
	    0),
	COL("abandoned", "呼损量", "Abandoned", RPT_INT, RAW, 3, 0, 0),
	COL("abandon_pct", "呼损率(%)", "Abandon rate (%)", RPT_NUM2, DIV, 3, 5,
	    100),
	COL("avg_wait_s", "放弃前平均等待(秒)", "Mean wait before abandon (s)",
	    RPT_NUM1, DIV, 4, 3, 0.001),
};
static const struct rpt_col c_lost_detail[] = {
	DCOL("at", "放弃时间", "Abandoned at", RPT_TIME, "e.ts"),
	DCOL("queue", "队列", "Queue", RPT_TEXT, J("queue")),
	DCOL("caller", "主叫号码", "Caller", RPT_TEXT, "c.caller"),
	DCOL("callee", "被叫号码", "Dialled", RPT_TEXT, "c.callee"),
	DCOL("wait_s", "等待时长(秒)", "Wait (s)", RPT_NUM1, WAIT " / 1000.0"),
	DCOL("short", "短时放弃", "Short abandon", RPT_INT,
	     "CASE WHEN " WAIT " <= " SHORT_MS " THEN 1 ELSE 0 END"),
	DCOL("province", "省份", "Province", RPT_TEXT, "c.province"),
	DCOL("city", "城市", "City", RPT_TEXT, "c.city"),
	DCOL("call_id", "呼叫编号", "Call", RPT_TEXT, "e.subject"),
};

/* ---- 自动呼入数据分析: the IVR funnel over ivr_visits */
static const char *const m_ivr[] = {
	"COUNT(DISTINCT v.call_id)", "COUNT(*)",
	CNT("v.exit NOT IN ('hangup', 'error')"), CNT("v.exit = 'hangup'"),
	CNT("v.exit = 'error'"), "SUM(v.retries)",
	"COUNT(DISTINCT CASE WHEN " ANSWERED " AND COALESCE(c.agent, '') <> "
	"'' THEN v.call_id END)",
	"SUM(v.left_at - v.entered_at)",
};
static const struct rpt_col c_ivr[] = {
	COL("calls", "进入呼叫", "Calls entered", RPT_INT, RAW, 0, 0, 0),
	COL("visits", "进入次数", "Visits", RPT_INT, RAW, 1, 0, 0),
	COL("chose", "选择离开", "Left by a choice", RPT_INT, RAW, 2, 0, 0),
	COL("hung_up", "挂机离开", "Hung up there", RPT_INT, RAW, 3, 0, 0),
	COL("hung_up_pct", "挂机率(%)", "Hung up (%)", RPT_NUM2, DIV, 3, 1,
	    100),
	COL("errors", "出错", "Errors", RPT_INT, RAW, 4, 0, 0),
	COL("replays", "重听", "Replays", RPT_INT, RAW, 5, 0, 0),
	COL("reached_agent", "转人工接通", "Reached an agent", RPT_INT, RAW, 6,
	    0, 0),
	COL("avg_s", "平均停留(秒)", "Mean stay (s)", RPT_NUM1, DIV, 7, 1,
	    0.001),
};
static const char *const g_ivr[] = {"node", "flow", "day"};

/* ---- 话务员工作量 (AOFAX 工效分析) */
#define IN "c.direction = 'inbound'"
#define OUT "c.direction = 'outbound'"
static const char *const m_work[] = {
	"COUNT(DISTINCT (c.started_at + @O) / 86400000)",
	CNT(IN " AND " ANSWERED), CNT(OUT), CNT(OUT " AND " ANSWERED),
	"SUM(COALESCE(c.talk_s, 0))", "SUM(COALESCE(c.hold_s, 0))",
	CNT("COALESCE(c.transfer_by, '') <> ''"), CNT(ANSWERED),
};
static const struct rpt_col c_work[] = {
	COL("days", "出勤天数", "Days with calls", RPT_INT, RAW, 0, 0, 0),
	COL("inbound_answered", "接听量", "Inbound answered", RPT_INT, RAW, 1,
	    0, 0),
	COL("outbound", "外呼量", "Outbound", RPT_INT, RAW, 2, 0, 0),
	COL("outbound_answered", "外呼接通", "Outbound answered", RPT_INT, RAW,
	    3, 0, 0),
	COL("talk_s", "通话时长(秒)", "Talk (s)", RPT_INT, RAW, 4, 0, 0),
	COL("avg_talk_s", "平均通话(秒)", "Mean talk (s)", RPT_NUM1, DIV, 4, 7,
	    1),
	COL("hold_s", "保持时长(秒)", "Hold (s)", RPT_INT, RAW, 5, 0, 0),
	COL("transferred", "转出量", "Transferred out", RPT_INT, RAW, 6, 0, 0),
	COL("transfer_pct", "转出率(%)", "Transferred (%)", RPT_NUM2, DIV, 6, 1,
	    100),
};
static const char *const g_work[] = {"agent", "day", "month"};

/* ---- 中继话务量 and traffic by period and region (AOFAX 话务分析) */
static const char *const m_trunk[] = {
	"COUNT(*)", CNT(IN), CNT(OUT), CNT(ANSWERED),
	"SUM(COALESCE(c.duration_s, 0))", "SUM(COALESCE(c.talk_s, 0))",
};
static const struct rpt_col c_trunk[] = {
	COL("calls", "呼叫总量", "Calls", RPT_INT, RAW, 0, 0, 0),
	COL("inbound", "呼入", "Inbound", RPT_INT, RAW, 1, 0, 0),
	COL("outbound", "呼出", "Outbound", RPT_INT, RAW, 2, 0, 0),
	COL("answered", "接通", "Answered", RPT_INT, RAW, 3, 0, 0),
	COL("minutes", "占用分钟", "Minutes used", RPT_NUM1, RAW, 4, 0,
	    1.0 / 60),
	COL("talk_minutes", "通话分钟", "Talk minutes", RPT_NUM1, RAW, 5, 0,
	    1.0 / 60),
	COL("erlangs", "话务量(Erl)", "Traffic (Erlangs)", RPT_NUM2, SPAN, 4, 0,
	    0),
};
static const char *const g_trunk[] = {"trunk", "day", "hour", "hour_of_day",
	"month"};

static const char *const m_traffic[] = {
	"COUNT(*)", CNT(IN), CNT(IN " AND " ANSWERED), CNT(OUT),
	CNT(OUT " AND " ANSWERED), "SUM(COALESCE(c.talk_s, 0))",
};
static const struct rpt_col c_traffic[] = {
	COL("calls", "呼叫总量", "Calls", RPT_INT, RAW, 0, 0, 0),
	COL("inbound", "呼入", "Inbound", RPT_INT, RAW, 1, 0, 0),
	COL("inbound_answered", "呼入接通", "Inbound answered", RPT_INT, RAW,
	    2, 0, 0),
	COL("inbound_answer_pct", "呼入接通率(%)", "Inbound answered (%)",
	    RPT_NUM2, DIV, 2, 1, 100),
	COL("outbound", "呼出", "Outbound", RPT_INT, RAW, 3, 0, 0),
	COL("outbound_answered", "呼出接通", "Outbound answered", RPT_INT, RAW,
	    4, 0, 0),
	COL("talk_minutes", "通话分钟", "Talk minutes", RPT_NUM1, RAW, 5, 0,
	    1.0 / 60),
	COL("share_pct", "占比(%)", "Share (%)", RPT_NUM2, SHARE, 0, 0, 0),
};
static const char *const g_traffic[] = {"day", "year", "month", "hour",
	"hour_of_day", "province", "city", "direction", "queue", "trunk"};

#define F_CALLS (RPT_F_QUEUE | RPT_F_AGENT | RPT_F_TRUNK | RPT_F_DEPT | \
		 RPT_F_REGION)
/* A queue's figures by queue, trunk and region: not by agent or
 * department, which would keep the answers and drop the entries. */
#define F_QUEUES (RPT_F_QUEUE | RPT_F_TRUNK | RPT_F_REGION)
#define F_AGENTS (RPT_F_AGENT | RPT_F_DEPT)
#define SUMMARY(m, c, g) m, LEN(m), c, LEN(c), g, LEN(g)
#define DETAIL(c) NULL, 0, c, LEN(c), NULL, 0

/* Sections as the manual groups them; AOFAX's analysis last. */
#define BIZ "业务报表"
#define TEL "话务报表"
#define ANA "话务分析"
#define QEV_ALL "e.type IN ('queue.enter', 'queue.answer', " \
	"'queue.abandon', 'queue.overflow')"
#define NR_ROWS "e.type = 'agent.state' AND (" J("prev_state") \
	" = 'not_ready' OR " J("state") " = 'not_ready')"
#define HAS_TRUNK "COALESCE(c.trunk, '') <> ''"

static const struct rpt_def table[] = {
	{"call-types", "来电分类统计", "Calls by type", "来电分类统计", BIZ,
	 "inbound calls by wrap-up code (来电类型), or by queue, agent or "
	 "period: calls, answered, share, talk", RPT_SUMMARY, &rpt_src_calls, IN,
	 SUMMARY(m_types, c_types, g_types), F_CALLS, READERS},
	{"satisfaction-summary", "满意度统计", "Satisfaction", "满意度统计",
	 BIZ, "the survey's ratings (1-5, calls.rating) by agent, queue or "
	 "period: rated, mean, satisfied (4-5), each rating's count",
	 RPT_SUMMARY, &rpt_src_calls, "c.rating IS NOT NULL",
	 SUMMARY(m_sat, c_sat, g_sat), F_CALLS, READERS},
	{"satisfaction-detail", "满意度明细", "Satisfaction detail",
	 "满意度明细查询", BIZ, "each rated call with its rating", RPT_DETAIL,
	 &rpt_src_calls, "c.rating IS NOT NULL", DETAIL(c_sat_detail), F_CALLS,
	 READERS},
	{"qa", "质检考评报表", "Quality evaluations", "质检考评报表", BIZ,
	 "evaluations by agent, queue or period: count, mean final score "
	 "(监听分值), mean score given, failed critical items, appeals and "
	 "their outcome (GET /api/v1/qa/reports has the inspectors' and "
	 "items' views)", RPT_SUMMARY, &rpt_src_qa, "1 = 1",
	 SUMMARY(m_qa, c_qa, g_qa), F_CALLS, READERS},
	{"sign-in", "坐席签入签出报表", "Agent sign-in and sign-out",
	 "坐席签入签出报表", TEL, "per agent or period: sign-ins, sign-outs, "
	 "first in, last out, time signed in and in each state (agent.state)",
	 RPT_SUMMARY, &rpt_src_agent_events, "e.type = 'agent.state'",
	 SUMMARY(m_sign, c_sign, g_sign), F_AGENTS, READERS},
	{"not-ready", "坐席示忙报表", "Agent not-ready", "坐席示忙报表", TEL,
	 "not-ready by reason, agent or day: times, time, share", RPT_SUMMARY,
	 &rpt_src_agent_events, NR_ROWS, SUMMARY(m_nr, c_nr, g_nr), F_AGENTS,
	 READERS},
	{"inbound-detail", "呼入电话明细", "Inbound call detail",
	 "呼入电话明细", TEL, "each inbound call", RPT_DETAIL, &rpt_src_calls, IN,
	 DETAIL(c_in_detail), F_CALLS, READERS},
	{"outbound-summary", "外呼统计", "Outbound calls", "外呼统计", TEL,
	 "outbound calls by agent or period: calls, answered, talk",
	 RPT_SUMMARY, &rpt_src_calls, OUT, SUMMARY(m_out, c_out, g_out), F_CALLS,
	 READERS},
	{"outbound-detail", "外呼明细", "Outbound call detail", "外呼明细",
	 TEL, "each outbound call", RPT_DETAIL, &rpt_src_calls, OUT,
	 DETAIL(c_out_detail), F_CALLS, READERS},
	{"acd", "ACD排队统计", "ACD queueing", "ACD排队统计", TEL,
	 "queue events by queue or period: entered, answered, service level, "
	 "waits, abandons (short ones apart), overflows", RPT_SUMMARY,
	 &rpt_src_queue_events, QEV_ALL, SUMMARY(m_acd, c_acd, g_queue_ev),
	 F_QUEUES, READERS},
	{"abandon-detail", "队列呼损情况明细", "Queue abandon detail",
	 "队列呼损情况明细", TEL, "each call abandoned in a queue, short "
	 "abandons marked", RPT_DETAIL, &rpt_src_queue_events, T("abandon"),
	 DETAIL(c_lost_detail), F_QUEUES, READERS},
	{"abandon-summary", "队列呼损统计", "Queue abandons", "队列呼损统计",
	 TEL, "abandons by queue or period; short abandons (within the "
	 "queue's short_abandon_ms) apart and out of the rate", RPT_SUMMARY,
	 &rpt_src_queue_events, "e.type IN ('queue.enter', 'queue.abandon')",
	 SUMMARY(m_lost, c_lost, g_queue_ev), F_QUEUES, READERS},
	{"trunk-detail", "中继呼叫明细", "Trunk call detail", "中继呼叫明细",
	 TEL, "each call over a trunk", RPT_DETAIL, &rpt_src_calls, HAS_TRUNK,
	 DETAIL(c_trunk_detail), F_CALLS, READERS},
	{"ivr-funnel", "自动呼入数据分析", "IVR funnel", "自动呼入数据分析",
	 TEL, "per IVR node: calls and visits entering it, leaving by a "
	 "choice or hanging up, reaching an agent", RPT_SUMMARY, &rpt_src_ivr,
	 "1 = 1", SUMMARY(m_ivr, c_ivr, g_ivr), F_QUEUES, READERS},
	{"workload", "话务员工作量", "Agent workload", "话务员工作量", ANA,
	 "per agent: days with calls, calls and talk in and out, hold, "
	 "transfers out and their rate", RPT_SUMMARY, &rpt_src_handled,
	 "COALESCE(NULLIF(c.transfer_by, ''), c.agent) <> ''",
	 SUMMARY(m_work, c_work, g_work), F_CALLS, READERS},
	{"trunk-traffic", "中继话务量", "Trunk traffic", "中继话务量", ANA,
	 "per trunk or period: calls in and out, minutes, Erlangs",
	 RPT_SUMMARY, &rpt_src_calls, HAS_TRUNK, SUMMARY(m_trunk, c_trunk, g_trunk),
	 F_CALLS, READERS},
	{"traffic", "话务量统计", "Traffic", "话务分析(按年月日时段、归属地)",
	 ANA, "calls in and out by year, month, day, hour, hour of day, "
	 "province or city (归属地)", RPT_SUMMARY, &rpt_src_calls, "1 = 1",
	 SUMMARY(m_traffic, c_traffic, g_traffic), F_CALLS, READERS},
};

const struct rpt_def *rpt_defs(size_t *n)
{
	*n = ARRAY_LEN(table);
	return table;
}

const struct rpt_def *rpt_def_find(const char *id)
{
	for (size_t i = 0; id && i < ARRAY_LEN(table); i++)
		if (!strcmp(table[i].id, id))
			return &table[i];
	return NULL;
}
