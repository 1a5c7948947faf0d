/* ivr/report: the IVR funnel — per node of one flow, over the visits of
 * calls that entered it in [from, to) (ivr_visits): how many visits and
 * calls entered it, how they left it (by exit; "hangup": the caller hung
 * up there, "error": a failure), the prompts replayed after a timeout or
 * a wrong key, the mean time spent, and how many of those calls reached
 * an agent afterwards. Nodes come in the order callers first reach them,
 * so the drop-off reads top to bottom. Read on the worker pool. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "db/db.h"
#include "ivr/ivr.h"

struct rep_job {
	struct api_job j;
	char flow[IVR_NAME_MAX];
	int64_t from, to;
	json_t *nodes;               /* [{node…}] in order */
};

static void rep_clean(struct api_job *j)
{
	json_decref(((struct rep_job *)j)->nodes);
}

static int node_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_pack(
		"{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
		"node", db_row_text(row, 0), "kind", db_row_text(row, 1),
		"visits", (json_int_t)db_row_int(row, 2),
		"calls", (json_int_t)db_row_int(row, 3),
		"replays", (json_int_t)db_row_int(row, 4),
		"hung_up", (json_int_t)db_row_int(row, 5),
		"reached_agent", (json_int_t)db_row_int(row, 6),
		"mean_ms", (json_int_t)db_row_int(row, 7),
		"exits", json_object())) ? ENOMEM : 0;
}

static int exit_row(const struct db_row *row, void *arg)
{
	json_t *nodes = arg, *n;
	size_t i;

	json_array_foreach(nodes, i, n)
		if (!strcmp(json_string_value(json_object_get(n, "node")),
			    db_row_text(row, 0)))
			return json_object_set_new(json_object_get(n, "exits"),
				db_row_text(row, 1),
				json_integer(db_row_int(row, 2))) ? ENOMEM : 0;
	return 0;
}

/* The visits counted: of the flow, by calls that entered it in range. */
#define SCOPE "FROM ivr_visits v WHERE v.flow = ? AND v.entered_at >= ? " \
	"AND v.entered_at < ?"

static void rep_work(struct api_job *j)
{
	struct rep_job *r = (struct rep_job *)j;
	struct db *db = api_house(&j->req)->db;

	r->nodes = json_array();
	if (!r->nodes) {
		j->err = ENOMEM;
		return;
	}
	j->err = db_query(db, node_row, r->nodes,
		"SELECT v.node, MIN(v.kind), COUNT(*), COUNT(DISTINCT v.call_id), "
		"SUM(v.retries), SUM(v.exit = 'hangup'), "
		"COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM calls c WHERE "
		"c.id = v.call_id AND c.agent IS NOT NULL AND c.agent <> '' AND "
		"c.answered_at IS NOT NULL) THEN v.call_id END), "
		"CAST(AVG(v.left_at - v.entered_at) AS INTEGER) " SCOPE
		" GROUP BY v.node ORDER BY MIN(v.seq), MIN(v.entered_at)", "tii",
		r->flow, r->from, r->to);
	if (!j->err)
		j->err = db_query(db, exit_row, r->nodes,
			"SELECT v.node, v.exit, COUNT(*) " SCOPE
			" GROUP BY v.node, v.exit ORDER BY v.node, v.exit", "tii",
			r->flow, r->from, r->to);
}

static void rep_done(struct api_job *j)
{
	struct rep_job *r = (struct rep_job *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read the visits");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, json_pack("{s:s, s:O}", "flow",
		       r->flow, "nodes", r->nodes));
}

void ivr_h_report(struct api_req *req)
{
	char flow[IVR_NAME_MAX];
	int64_t from = INT64_MIN, to = INT64_MAX;
	struct rep_job *r;

	if (api_query_get(req->query, "flow", flow, sizeof(flow)) || !*flow) {
		api_reply_error(req->conn, 400, "'flow' is required (a flow's "
				"name, up to %d characters)", IVR_NAME_MAX - 1);
		return;
	}
	if (api_query_time(req, "from", INT64_MIN, &from) ||
	    api_query_time(req, "to", INT64_MAX, &to))
		return;
	r = api_job_alloc(req, sizeof(*r), rep_work, rep_done, rep_clean);
	if (r) {
		memcpy(r->flow, flow, sizeof(flow));
		r->from = from;
		r->to = to;
	}
	api_job_queue(r);
}
