/* qa/http_appeal: the appeal flow (申诉). The evaluated agent may appeal
 * once, with a reason, until qa.appeal_days after the score; a lead
 * (supervisor or admin, within their data scope) decides once: upheld
 * (the score stands) or changed (a new final score), with a reason. Each
 * step goes into the evaluation's history; the first score is kept.
 *
 *   scored --appeal--> appealed --decision--> upheld | changed
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "db/db.h"
#include "qa/qa_int.h"

enum { REASON_MAX = 2000, DAY_MS = 86400000 };

struct eval {
	bool found;
	char agent[API_EXT_MAX + 1], state[16];
	int64_t created_at, appeals;
	double final_score;
	bool decided;
};

static int eval_row(const struct db_row *row, void *arg)
{
	struct eval *e = arg;

	e->found = true;
	util_strlcpy(e->agent, db_row_text(row, 0) ?: "", sizeof(e->agent));
	util_strlcpy(e->state, db_row_text(row, 1) ?: "", sizeof(e->state));
	e->created_at = db_row_int(row, 2);
	e->final_score = db_row_double(row, 3);
	e->appeals = db_row_int(row, 4);
	e->decided = db_row_int(row, 5);
	return 0;
}

/* The evaluation in the path, visible to the caller: 0, or the status
 * with its reason set. */
static int read_eval(struct qa_job *q, struct db *db, struct eval *e)
{
	json_t *seen = NULL;
	int err = qa_eval_read(db, q->id, &q->j.req.user, q->appeal_days,
			       false, &seen);

	json_decref(seen);
	if (err == ENOENT)
		qa_fail(q, 404, "no such evaluation");
	else if (err == EACCES)
		qa_fail(q, 403, "outside your data scope");
	else if (err || db_query(db, eval_row, e, "SELECT e.agent, e.state, "
			"e.created_at, e.final_score, (SELECT COUNT(*) FROM "
			"qa_appeals a WHERE a.evaluation_id = e.id), (SELECT "
			"COUNT(*) FROM qa_appeals a WHERE a.evaluation_id = "
			"e.id AND a.outcome IS NOT NULL) FROM qa_evaluations e "
			"WHERE e.id = ?", "t", q->id) || !e->found)
		qa_fail(q, 500, "cannot read the evaluation");
	else
		return 0;
	return EINVAL;
}

/* body's reason, or NULL with 400 set; any other field but the allowed
 * ones is refused too. */
static const char *read_reason(struct qa_job *q, const char *const *allowed)
{
	const char *r = json_string_value(json_object_get(q->body, "reason"));
	const char *key;
	json_t *v;

	json_object_foreach(q->body, key, v) {
		bool ok = false;

		for (const char *const *a = allowed; *a; a++)
			ok = ok || !strcmp(*a, key);
		if (!ok) {
			qa_fail(q, 400, "%s: unknown field", key);
			return NULL;
		}
	}
	if (!r || !*r || strlen(r) > REASON_MAX) {
		qa_fail(q, 400, "reason: required (1..%d bytes)", REASON_MAX);
		return NULL;
	}
	return r;
}

static int dept_row(const struct db_row *row, void *arg)
{
	util_strlcpy(arg, db_row_text(row, 0) ?: "", API_DEPT_LEN);
	return 0;
}

/* Who hears of an appeal: the supervisors of the agent's department, or
 * every supervisor and admin when the agent is in none. */
static json_t *leads_of(struct db *db, const char *agent)
{
	char dept[API_DEPT_LEN] = "";

	db_query(db, dept_row, dept, "SELECT department_id FROM users WHERE "
		 "extension = ? AND department_id IS NOT NULL LIMIT 1", "t",
		 agent);
	if (!*dept)
		return json_pack("{s:[s, s]}", "roles", "supervisor", "admin");
	return json_pack("{s:[s], s:[s]}", "roles", "supervisor",
			 "departments", dept);
}

/* Answers with the evaluation, and publishes ev about it: to the agent,
 * or to their leads (to_leads). */
static void reply_eval(struct qa_job *q, struct db *db, uint16_t status,
		       enum bus_ev ev, const char *reason, bool to_leads)
{
	const char *agent;
	json_t *out;

	if (qa_eval_read(db, q->id, &q->j.req.user, q->appeal_days, true,
			 &out)) {
		qa_fail(q, 500, "cannot read the evaluation");
		return;
	}
	agent = json_string_value(json_object_get(out, "agent")) ?: "";
	qa_event(q, ev, out, reason, to_leads ? leads_of(db, agent)
		 : json_pack("{s:[s]}", "exts", agent));
	qa_ok(q, status, out);
}

static void appeal_work(struct qa_job *q, struct db *db)
{
	static const char *const allowed[] = {"reason", NULL};
	const struct api_user *u = &q->j.req.user;
	const char *reason = read_reason(q, allowed);
	struct eval e = {0};
	int64_t deadline;
	char t[UTIL_TIME_LEN];

	if (!reason || read_eval(q, db, &e))
		return;
	deadline = e.created_at + (int64_t)q->appeal_days * DAY_MS;
	util_rfc3339(t, deadline);
	if (!u->ext[0] || strcmp(u->ext, e.agent))
		qa_fail(q, 403, "only the evaluated agent appeals");
	else if (e.appeals)
		qa_fail(q, 409, "the evaluation was appealed already: one "
			"appeal each");
	else if (!q->appeal_days)
		qa_fail(q, 409, "appeals are off (qa.appeal_days is 0)");
	else if (q->now > deadline)
		qa_fail(q, 409, "the appeal deadline passed at %s", t);
	/* The primary key refuses a second appeal written meanwhile. */
	else if (db_exec(db, "INSERT INTO qa_appeals (evaluation_id, reason, "
			 "appealed_by, appealed_at, old_score) VALUES "
			 "(?, ?, ?, ?, ?)", "ttt" "id", q->id, reason, u->id,
			 q->now, e.final_score))
		qa_fail(q, 409, "the evaluation was appealed already: one "
			"appeal each");
	else if (db_exec(db, "UPDATE qa_evaluations SET state = 'appealed' "
			 "WHERE id = ?", "t", q->id) ||
		 qa_history_add(db, q->id, "appealed", u->id, q->now,
				json_pack("{s:s}", "reason", reason)))
		qa_fail(q, 500, "cannot store the appeal");
	else
		reply_eval(q, db, 201, BUS_QA_APPEALED, reason, true);
}

void qa_h_appeal(struct api_req *req)
{
	qa_job_run(req, appeal_work, true);
}

static void decision_work(struct qa_job *q, struct db *db)
{
	static const char *const allowed[] = {"outcome", "reason", "score",
					      NULL};
	const struct api_user *u = &q->j.req.user;
	const char *reason = read_reason(q, allowed);
	const char *outcome = json_string_value(json_object_get(q->body,
								"outcome"));
	const json_t *sj = json_object_get(q->body, "score");
	bool changed = outcome && !strcmp(outcome, "changed");
	double score = json_number_value(sj);
	struct eval e = {0};

	if (!reason)
		return;
	if (!outcome || (!changed && strcmp(outcome, "upheld"))) {
		qa_fail(q, 400, "outcome: want upheld or changed");
		return;
	}
	if (changed && (!json_is_number(sj) || !isfinite(score) || score < 0 ||
			score > 100)) {
		qa_fail(q, 400, "score: a changed outcome needs the new score "
			"(0..100)");
		return;
	}
	if (!changed && sj) {
		qa_fail(q, 400, "score: only a changed outcome gives one");
		return;
	}
	if (read_eval(q, db, &e))
		return;
	if (!changed)
		score = e.final_score;
	if (!e.appeals)
		qa_fail(q, 409, "the evaluation has no appeal to decide");
	else if (e.decided)
		qa_fail(q, 409, "the appeal was decided already (%s)", e.state);
	else if (db_exec(db, "UPDATE qa_appeals SET outcome = ?, decided_by = ?, "
			 "decided_at = ?, decision = ?, new_score = ? WHERE "
			 "evaluation_id = ? AND outcome IS NULL", "ttitdt",
			 outcome, u->id, q->now, reason, score, q->id) ||
		 db_exec(db, "UPDATE qa_evaluations SET state = ?, final_score "
			 "= ? WHERE id = ?", "tdt", outcome, score, q->id) ||
		 qa_history_add(db, q->id, outcome, u->id, q->now, json_pack(
			 "{s:s, s:f, s:f}", "reason", reason, "old_score",
			 e.final_score, "new_score", score)))
		qa_fail(q, 500, "cannot store the decision");
	else
		reply_eval(q, db, 200, BUS_QA_DECIDED, reason, false);
}

void qa_h_decision(struct api_req *req)
{
	qa_job_run(req, decision_work, true);
}
