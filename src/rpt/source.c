/* rpt/source: what the reports read — the tables (sources), each with the
 * expressions the filters, groupings and the data scope use — and the
 * groupings a report may offer. The reports themselves are catalog.c's
 * table, which names sources by pointer and groupings by name. */
#include <string.h>
#include "api/http.h"
#include "rpt/rpt.h"
#include "rpt/rpt_int.h"

#define J RPT_J

/* The scope of a queue's or the IVR's figures: they are the queue's, not
 * an agent's (most of their rows, entries and abandons, have no agent), so
 * every scope but own reads them whole, and own only its own rows. It
 * takes the API_SCOPE_NARGS binds of api_scope_args in order; the last
 * two (the scope again, the department) are not needed and match nothing. */
#define SCOPE_QUEUE(a) \
	"(? <> 'own' OR " a " = ? OR " a " = ? OR (? = '' AND ? = ''))"

const struct rpt_source rpt_src_calls = {
	.from = "calls c", .time = "c.started_at", .agent = "c.agent",
	.queue = "c.queue", .trunk = "c.trunk", .province = "c.province",
	.city = "c.city", .scope = API_SCOPE_SQL("c.agent", "c.transfer_by"),
	.tie = "c.id",
};

/* A call counts for the agent who passed it on when there was one, else
 * for the agent who answered: the workload of the first hand. */
const struct rpt_source rpt_src_handled = {
	.from = "calls c", .time = "c.started_at",
	.agent = "COALESCE(NULLIF(c.transfer_by, ''), c.agent)",
	.queue = "c.queue", .trunk = "c.trunk", .province = "c.province",
	.city = "c.city", .scope = API_SCOPE_SQL("c.agent", "c.transfer_by"),
	.tie = "c.id",
};

/* The queue report events of the event log, each with its call and its
 * queue's settings (the SL time, the short-abandon threshold). */
const struct rpt_source rpt_src_queue_events = {
	.from = "events e LEFT JOIN calls c ON c.id = e.subject "
		"LEFT JOIN queues q ON q.name = " J("queue"),
	.time = "e.ts", .agent = J("agent"), .queue = J("queue"),
	.trunk = "c.trunk", .province = "c.province", .city = "c.city",
	.scope = SCOPE_QUEUE(J("agent")), .tie = "e.subject",
};

const struct rpt_source rpt_src_agent_events = {
	.from = "events e", .time = "e.ts", .agent = "e.subject",
	.scope = API_SCOPE_SQL("e.subject", "e.subject"), .tie = "e.subject",
};

/* Quality inspection's evaluations (qa/'s tables, read only), each with
 * its appeal and its call. */
const struct rpt_source rpt_src_qa = {
	.from = "qa_evaluations qe LEFT JOIN qa_appeals qa ON "
		"qa.evaluation_id = qe.id LEFT JOIN calls c ON c.id = qe.call_id",
	.time = "qe.created_at", .agent = "qe.agent", .queue = "qe.queue",
	.trunk = "c.trunk", .province = "c.province", .city = "c.city",
	.scope = API_SCOPE_SQL("qe.agent", "qe.agent"), .tie = "qe.id",
};

const struct rpt_source rpt_src_ivr = {
	.from = "ivr_visits v LEFT JOIN calls c ON c.id = v.call_id",
	.time = "v.entered_at", .agent = "c.agent", .queue = "c.queue",
	.trunk = "c.trunk", .province = "c.province", .city = "c.city",
	.scope = SCOPE_QUEUE("c.agent"), .tie = "v.call_id",
};

/* The reason of a not-ready span: its own for the event that starts one,
 * else that of the last start at or before the event (a span is booked
 * when it ends, by the event that leaves it or a checkpoint). */
#define NR_START RPT_NR_START
#define NR_REASON "COALESCE(CASE WHEN " NR_START " THEN " J("reason") \
	" ELSE (SELECT json_extract(s.data, '$.reason') FROM events s " \
	"WHERE s.subject = e.subject AND s.ts <= e.ts AND s.type = " \
	"'agent.state' AND json_extract(s.data, '$.state') = 'not_ready' " \
	"AND json_extract(s.data, '$.prev_state') <> 'not_ready' " \
	"ORDER BY s.ts DESC LIMIT 1) END, '')"

static const struct rpt_group groups[] = {
	{"agent", "坐席", "Agent", RPT_G_AGENT, .label =
	 "(SELECT MIN(u.display_name) FROM users u WHERE u.extension = g.k)"},
	{"queue", "队列", "Queue", RPT_G_QUEUE, .fmt = NULL},
	{"trunk", "中继", "Trunk", RPT_G_TRUNK, .fmt = NULL},
	{"province", "省份", "Province", RPT_G_PROVINCE, .fmt = NULL},
	{"city", "城市", "City", RPT_G_CITY, .fmt = NULL},
	{"wrapup", "来电类型", "Call type", RPT_G_EXPR,
	 .expr = "COALESCE(c.wrapup_code, '')", .label =
	 "(SELECT w.label_zh FROM wrapup_codes w WHERE w.code = g.k)"},
	{"direction", "呼叫方向", "Direction", RPT_G_EXPR,
	 .expr = "c.direction"},
	{"reason", "示忙原因", "Not-ready reason", RPT_G_EXPR,
	 .expr = NR_REASON, .label =
	 "(SELECT r.label_zh FROM not_ready_reasons r WHERE r.code = g.k)"},
	{"node", "语音节点", "IVR node", RPT_G_EXPR,
	 .expr = "v.flow || ' / ' || v.node", .order = "MIN(v.seq)"},
	{"flow", "语音流程", "IVR flow", RPT_G_EXPR, .expr = "v.flow"},
	{"year", "年", "Year", RPT_G_TIME, "%Y", 0, .expr = NULL},
	{"month", "月", "Month", RPT_G_TIME, "%Y-%m", 0, .expr = NULL},
	{"day", "日", "Day", RPT_G_TIME, "%Y-%m-%d", 86400, .expr = NULL},
	{"hour", "小时", "Hour", RPT_G_TIME, "%Y-%m-%d %H:00", 3600, .expr = NULL},
	{"hour_of_day", "时段", "Hour of day", RPT_G_TIME, "%H", 0, .expr = NULL},
};

const struct rpt_group *rpt_group_find(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_LEN(groups); i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	return NULL;
}

bool rpt_def_groups_by(const struct rpt_def *def, const char *g)
{
	for (size_t i = 0; def->groups && i < def->ngroups; i++)
		if (!strcmp(def->groups[i], g))
			return true;
	return false;
}
