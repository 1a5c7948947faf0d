/* qa/http_session: calibration sessions (校准) — a lead picks a call, a
 * scorecard and the inspectors who score it blind (migration 040):
 *   POST /api/v1/qa/calibrations            a lead opens one
 *   GET  /api/v1/qa/calibrations            the sessions in the data scope
 *                                           (?inspector=me: the caller's)
 *   GET  /api/v1/qa/calibrations/{id}       one, with its report once the
 *                                           caller may read it
 *   POST /api/v1/qa/calibrations/{id}/close the lead closes it: no longer
 *                                           blind for anyone
 *   GET  /api/v1/qa/inspectors              whom a lead may invite
 * While a session is open, an invited inspector who has not saved their
 * own evaluation of the call reads none of the others' (QA_BLIND_SQL, in
 * the lists, one evaluation and the calibration report), and scores on
 * the session's scorecard (http_eval.c). Sessions are seen through the
 * data scope over the call's agent, as evaluations are. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/calibrate.h"
#include "qa/qa_int.h"

enum { NOTE_MAX = 2000, LIMIT_DEFAULT = 50, LIMIT_MAX = 200 };

#define SESS_COLS "s.id, s.call_id, s.agent, s.queue, s.scorecard_id, " \
	"c.name, s.note, s.state, cu.username, s.created_at, xu.username, " \
	"s.closed_at"
#define SESS_FROM "FROM qa_calibrations s LEFT JOIN qa_scorecards c ON " \
	"c.id = s.scorecard_id LEFT JOIN users cu ON cu.id = s.created_by " \
	"LEFT JOIN users xu ON xu.id = s.closed_by"

static int sess_row(const struct db_row *row, void *arg)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", qa_col_str(row, 0));
	json_object_set_new(o, "call_id", qa_col_str(row, 1));
	json_object_set_new(o, "agent", qa_col_str(row, 2));
	json_object_set_new(o, "queue", qa_col_str(row, 3));
	json_object_set_new(o, "scorecard_id", qa_col_str(row, 4));
	json_object_set_new(o, "scorecard", qa_col_str(row, 5));
	json_object_set_new(o, "note", qa_col_str(row, 6));
	json_object_set_new(o, "state", qa_col_str(row, 7));
	json_object_set_new(o, "created_by", qa_col_str(row, 8));
	json_object_set_new(o, "created_at", qa_col_time(row, 9));
	json_object_set_new(o, "closed_by", qa_col_str(row, 10));
	json_object_set_new(o, "closed_at", qa_col_time(row, 11));
	return json_array_append_new(arg, o) ? ENOMEM : 0;
}

struct insp_rows {
	const char *me;
	json_t *list;
	bool invited, scored;
};

static int insp_row(const struct db_row *row, void *arg)
{
	struct insp_rows *r = arg;
	const bool scored = db_row_int(row, 2) > 0;

	if (!strcmp(db_row_text(row, 1) ?: "", r->me)) {
		r->invited = true;
		r->scored = scored;
	}
	return json_array_append_new(r->list, json_pack("{s:o, s:b}",
		"username", qa_col_str(row, 0), "scored", scored)) ? ENOMEM : 0;
}

/* Adds the invited inspectors (who has scored; never how) and what the
 * caller is to the session: invited, scored, blind. */
static int add_inspectors(struct db *db, const char *me, json_t *s)
{
	struct insp_rows r = {.me = me, .list = json_array()};
	const char *call = json_string_value(json_object_get(s, "call_id"));
	const bool open = !strcmp(json_string_value(json_object_get(s,
						"state")) ?: "", "open");

	json_object_set_new(s, "inspectors", r.list);
	if (db_query(db, insp_row, &r, "SELECT u.username, ci.inspector, "
		     "(SELECT COUNT(*) FROM qa_evaluations me WHERE me.call_id "
		     "= ? AND me.inspector = ci.inspector) FROM "
		     "qa_calibration_inspectors ci LEFT JOIN users u ON u.id = "
		     "ci.inspector WHERE ci.calibration_id = ? ORDER BY "
		     "u.username", "tt", call ?: "", json_string_value(
		     json_object_get(s, "id")) ?: ""))
		return EIO;
	json_object_set_new(s, "mine", json_pack("{s:b, s:b, s:b}",
		"invited", r.invited, "scored", r.scored,
		"blind", open && r.invited && !r.scored));
	return 0;
}

/* Session id as the caller sees it, with its report unless blind. 0,
 * ENOENT, EACCES (outside the data scope), EIO; q's reason set. */
static int sess_read(struct qa_job *q, struct db *db, const char *id,
		     bool report, json_t **out)
{
	const char *sc[API_SCOPE_NARGS];
	json_t *rows = json_array(), *s, *r = NULL;
	int64_t in_scope = 0;

	api_scope_args(&q->j.req.user, sc);
	if (db_query(db, sess_row, rows, "SELECT " SESS_COLS " " SESS_FROM
		     " WHERE s.id = ?", "t", id) ||
	    db_query(db, qa_count_row, &in_scope, "SELECT COUNT(*) FROM "
		     "qa_calibrations WHERE id = ? AND " API_SCOPE_SQL("agent",
		     "agent"), "t" API_SCOPE_TYPES, id, sc[0], sc[1], sc[2],
		     sc[3], sc[4])) {
		json_decref(rows);
		qa_fail(q, 500, "cannot read the calibration session");
		return EIO;
	}
	s = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (!s || !in_scope) {
		qa_fail(q, s ? 403 : 404, s ? "outside your data scope" :
			"no such calibration session");
		json_decref(s);
		return s ? EACCES : ENOENT;
	}
	if (add_inspectors(db, q->j.req.user.id, s)) {
		json_decref(s);
		qa_fail(q, 500, "cannot read the calibration session");
		return EIO;
	}
	json_object_set_new(s, "report", json_null());
	json_object_set_new(s, "report_note", json_null());
	if (report && json_is_true(json_object_get(json_object_get(s, "mine"),
						   "blind"))) {
		json_object_set_new(s, "report_note", json_string(
			"blind: save your own evaluation of this call first, "
			"or wait for the lead to close the session"));
	} else if (report) {
		if (qa_cal_report(q, db, json_string_value(json_object_get(s,
				  "call_id")), id, &r)) {
			if (q->status >= 500) {
				json_decref(s);
				return EIO;
			}
			/* fewer than two to compare: said, not failed */
			json_object_set_new(s, "report_note",
					    json_string(q->why));
			q->status = 0;
			q->why[0] = '\0';
		} else {
			json_object_set_new(s, "report", r);
		}
	}
	*out = s;
	return 0;
}

static void get_work(struct qa_job *q, struct db *db)
{
	json_t *s;

	if (!sess_read(q, db, q->id, true, &s))
		qa_ok(q, 200, s);
}

void qa_h_session_get(struct api_req *req)
{
	qa_job_run(req, get_work, false);
}

/* ---- the list */

static void list_work(struct qa_job *q, struct db *db)
{
	const char *sc[API_SCOPE_NARGS];
	char state[16], insp[8], lim[16], sql[2048];
	uint64_t limit = LIMIT_DEFAULT;
	json_t *items = json_array(), *s;
	size_t i;

	if (qa_query_word(q, "state", state, sizeof(state)) ||
	    qa_query_word(q, "inspector", insp, sizeof(insp)) ||
	    qa_query_word(q, "limit", lim, sizeof(lim)))
		goto out;
	if (*state && strcmp(state, "open") && strcmp(state, "closed")) {
		qa_fail(q, 400, "state: want open or closed");
		goto out;
	}
	if (*insp && strcmp(insp, "me")) {
		qa_fail(q, 400, "inspector: want me (the sessions you are "
			"invited to)");
		goto out;
	}
	if (*lim && util_parse_u64(lim, 1, LIMIT_MAX, &limit)) {
		qa_fail(q, 400, "limit: want 1..%d", LIMIT_MAX);
		goto out;
	}
	api_scope_args(&q->j.req.user, sc);
	snprintf(sql, sizeof(sql), "SELECT " SESS_COLS " " SESS_FROM " WHERE "
		 API_SCOPE_SQL("s.agent", "s.agent") " AND (? = '' OR s.state "
		 "= ?) AND (? = '' OR s.id IN (SELECT calibration_id FROM "
		 "qa_calibration_inspectors WHERE inspector = ?)) ORDER BY "
		 "s.created_at DESC, s.id DESC LIMIT %llu",
		 (unsigned long long)limit);
	if (db_query(db, sess_row, items, sql, API_SCOPE_TYPES "tttt", sc[0],
		     sc[1], sc[2], sc[3], sc[4], state, state, insp,
		     q->j.req.user.id)) {
		qa_fail(q, 500, "cannot read calibration sessions");
		goto out;
	}
	json_array_foreach(items, i, s)
		if (add_inspectors(db, q->j.req.user.id, s)) {
			qa_fail(q, 500, "cannot read calibration sessions");
			goto out;
		}
	qa_ok(q, 200, json_pack("{s:O}", "items", items));
out:
	json_decref(items);
}

void qa_h_session_list(struct api_req *req)
{
	qa_job_run(req, list_work, false);
}

/* ---- opening one */

struct call {
	bool found, in_scope;
	char agent[API_EXT_MAX + 1], queue[65], direction[16];
};

static int call_row(const struct db_row *row, void *arg)
{
	struct call *c = arg;

	c->found = true;
	util_strlcpy(c->agent, db_row_text(row, 0) ?: "", sizeof(c->agent));
	util_strlcpy(c->queue, db_row_text(row, 1) ?: "", sizeof(c->queue));
	util_strlcpy(c->direction, db_row_text(row, 2) ?: "",
		     sizeof(c->direction));
	c->in_scope = db_row_int(row, 3);
	return 0;
}

static int read_call(struct qa_job *q, struct db *db, const char *id,
		     struct call *c)
{
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(&q->j.req.user, sc);
	if (db_query(db, call_row, c, "SELECT agent, queue, direction, "
		     API_SCOPE_SQL("agent", "transfer_by") " FROM calls WHERE "
		     "id = ?", API_SCOPE_TYPES "t", sc[0], sc[1], sc[2], sc[3],
		     sc[4], id)) {
		qa_fail(q, 500, "cannot read the call");
		return EIO;
	}
	if (!c->found)
		qa_fail(q, 400, "call_id: no such call");
	else if (!c->in_scope)
		qa_fail(q, 403, "call_id: the call is outside your data scope");
	else if (!c->agent[0])
		qa_fail(q, 400, "call_id: no agent answered the call");
	else
		return 0;
	return EINVAL;
}

/* Each invited inspector must be able to score the call: not their own,
 * within their data scope. */
static void check_inspectors(const struct qa_insp_set *s, const char *agent,
			     struct qa_problems *p)
{
	if (s->n < 2 && !p->n)
		qa_problem(p, "inspectors: want two or more, to compare");
	if (s->n > QA_CAL_MAX)
		qa_problem(p, "inspectors: at most %d", QA_CAL_MAX);
	for (size_t i = 0; i < s->n; i++) {
		bool sees = !strcmp(s->scope[i], "all");

		for (size_t k = 0; !sees && s->agents[i] && s->agents[i][k];
		     k++)
			sees = !strcmp(s->agents[i][k], agent);
		if (s->exts[i][0] && !strcmp(s->exts[i], agent))
			qa_problem(p, "inspectors: %s handled this call, and "
				   "nobody scores their own", s->names[i]);
		else if (!sees)
			qa_problem(p, "inspectors: %s may not see this call "
				   "(data scope)", s->names[i]);
	}
}

static const char *const create_fields[] = {"call_id", "scorecard_id",
					    "inspectors", "note", NULL};

static int store(struct qa_job *q, struct db *db, const char *id,
		 const char *call_id, const struct call *c, const char *card,
		 const char *note, const struct qa_insp_set *s)
{
	struct db_tx *tx;

	if (db_tx_new(&tx))
		return ENOMEM;
	db_tx_add(tx, "INSERT INTO qa_calibrations (id, call_id, agent, "
		  "queue, scorecard_id, note, created_by, created_at) VALUES "
		  "(?, ?, ?, ?, ?, ?, ?, ?)", "ttttttti", id, call_id, c->agent,
		  c->queue[0] ? c->queue : NULL, card, note,
		  q->j.req.user.id, q->now);
	for (size_t i = 0; i < s->n; i++)
		db_tx_add(tx, "INSERT INTO qa_calibration_inspectors "
			  "(calibration_id, inspector) VALUES (?, ?)", "tt", id,
			  s->ids[i]);
	return db_tx_run(db, tx, NULL);
}

static void create_checked(struct qa_job *q, struct db *db,
			   struct qa_insp_set *s)
{
	const char *call_id = json_string_value(json_object_get(q->body,
								"call_id"));
	const json_t *named = json_object_get(q->body, "scorecard_id");
	const json_t *note = json_object_get(q->body, "note");
	struct qa_problems p = {0};
	char card[UTIL_ID_LEN], id[UTIL_ID_LEN];
	struct call c = {0};
	int64_t open = 0;
	const char *key;
	json_t *v, *out;

	json_object_foreach(q->body, key, v) {
		bool ok = false;

		for (const char *const *f = create_fields; *f; f++)
			ok = ok || !strcmp(*f, key);
		if (!ok)
			qa_problem(&p, "%s: unknown field", key);
	}
	if (!call_id || !*call_id || strlen(call_id) >= 128) {
		qa_fail(q, 400, "call_id: required");
		return;
	}
	if (named && !json_is_string(named)) {
		qa_fail(q, 400, "scorecard_id: want a scorecard's id");
		return;
	}
	if (note && (!json_is_string(note) ||
		     strlen(json_string_value(note)) > NOTE_MAX))
		qa_problem(&p, "note: want text of at most %d bytes", NOTE_MAX);
	if (read_call(q, db, call_id, &c) ||
	    qa_card_pick(q, db, json_string_value(named), c.queue,
			 c.direction, card))
		return;
	if (!json_is_array(json_object_get(q->body, "inspectors")))
		qa_problem(&p, "inspectors: required, the usernames of two "
			   "or more QA inspectors");
	else if (qa_insp_read(db, json_object_get(q->body, "inspectors"), s,
			      &p)) {
		qa_fail(q, 500, "cannot read the inspectors");
		return;
	}
	if (json_is_array(json_object_get(q->body, "inspectors")))
		check_inspectors(s, c.agent, &p);
	if (p.n) {
		qa_fail_problems(q, &p);
		return;
	}
	if (db_query(db, qa_count_row, &open, "SELECT COUNT(*) FROM "
		     "qa_calibrations WHERE call_id = ? AND state = 'open'",
		     "t", call_id)) {
		qa_fail(q, 500, "cannot read calibration sessions");
		return;
	}
	if (open) {
		qa_fail(q, 409, "call_id: a calibration session of this call is "
			"open already; close it first");
		return;
	}
	util_random_id(id);
	if (store(q, db, id, call_id, &c, card, note ?
		  json_string_value(note) : "", s))
		qa_fail(q, 500, "cannot store the calibration session");
	else if (!sess_read(q, db, id, false, &out))
		qa_ok(q, 201, out);
}

static void create_work(struct qa_job *q, struct db *db)
{
	struct qa_insp_set *s = calloc(1, sizeof(*s));

	if (!s) {
		qa_fail(q, 500, "out of memory");
		return;
	}
	create_checked(q, db, s);
	qa_insp_free(s);
	free(s);
}

void qa_h_session_create(struct api_req *req)
{
	qa_job_run(req, create_work, true);
}

/* ---- closing one */

static void close_work(struct qa_job *q, struct db *db)
{
	json_t *s;

	if (sess_read(q, db, q->id, false, &s))
		return;
	if (strcmp(json_string_value(json_object_get(s, "state")) ?: "",
		   "open")) {
		json_decref(s);
		qa_fail(q, 409, "the calibration session is closed already");
		return;
	}
	json_decref(s);
	if (db_exec(db, "UPDATE qa_calibrations SET state = 'closed', "
		    "closed_by = ?, closed_at = ? WHERE id = ? AND state = "
		    "'open'", "tit", q->j.req.user.id, q->now, q->id)) {
		qa_fail(q, 500, "cannot close the calibration session");
		return;
	}
	if (!sess_read(q, db, q->id, true, &s))
		qa_ok(q, 200, s);
}

void qa_h_session_close(struct api_req *req)
{
	qa_job_run(req, close_work, false);
}

/* ---- whom to invite */

static int user_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:o, s:o, s:o}",
		"username", qa_col_str(row, 0), "role", qa_col_str(row, 1),
		"extension", qa_col_str(row, 2))) ? ENOMEM : 0;
}

static void inspectors_work(struct qa_job *q, struct db *db)
{
	json_t *items = json_array();

	if (db_query(db, user_row, items, "SELECT username, role, "
		     "COALESCE(extension, '') FROM users WHERE role IN ('qa', "
		     "'admin') ORDER BY role = 'admin', username", "")) {
		json_decref(items);
		qa_fail(q, 500, "cannot read the inspectors");
		return;
	}
	qa_ok(q, 200, json_pack("{s:o}", "items", items));
}

void qa_h_inspectors(struct api_req *req)
{
	qa_job_run(req, inspectors_work, false);
}
