/* qa/http_eval: scoring a call (POST /api/v1/qa/evaluations). The
 * inspector names the call, optionally the scorecard (else the active one
 * for the call's queue and direction), answers every item with an
 * optional comment, and may pin comments to moments of the recording.
 * Refused, with nothing stored: a call the inspector may not see or
 * handled themselves, a call nobody answered, a second score of the same
 * call by the same inspector, and any problem of the form (all listed).
 * An inspector invited to a calibration session of the call scores on
 * the session's scorecard, and the score is the session's (migration 040:
 * the agent is not told and the reports leave it out). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/qa_int.h"

enum { COMMENT_MAX = 2000, PIN_MAX = 1000, PINS_MAX = 100 };

struct call {
	bool found, in_scope;
	char agent[API_EXT_MAX + 1], queue[65], direction[16];
	int64_t duration_ms;      /* -1: unknown */
};

static int call_row(const struct db_row *row, void *arg)
{
	struct call *c = arg;

	c->found = true;
	util_strlcpy(c->agent, db_row_text(row, 0) ?: "", sizeof(c->agent));
	util_strlcpy(c->queue, db_row_text(row, 1) ?: "", sizeof(c->queue));
	util_strlcpy(c->direction, db_row_text(row, 2) ?: "",
		     sizeof(c->direction));
	c->duration_ms = db_row_isnull(row, 3) ? -1 : db_row_int(row, 3) * 1000;
	c->in_scope = db_row_int(row, 4);
	return 0;
}

/* 0, or the status with the reason set. */
static int read_call(struct qa_job *q, struct db *db, const char *id,
		     struct call *c)
{
	const struct api_user *u = &q->j.req.user;
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(u, sc);
	if (db_query(db, call_row, c, "SELECT agent, queue, direction, "
		     "duration_s, " API_SCOPE_SQL("agent", "transfer_by")
		     " FROM calls WHERE id = ?", API_SCOPE_TYPES "t", sc[0],
		     sc[1], sc[2], sc[3], sc[4], id)) {
		qa_fail(q, 500, "cannot read the call");
		return EIO;
	}
	if (!c->found)
		qa_fail(q, 400, "call_id: no such call");
	else if (!c->in_scope)
		qa_fail(q, 403, "call_id: the call is outside your data scope");
	else if (!c->agent[0])
		qa_fail(q, 400, "call_id: no agent answered the call");
	else if (u->ext[0] && !strcmp(u->ext, c->agent))
		qa_fail(q, 403, "call_id: nobody scores their own call");
	else
		return 0;
	return EINVAL;
}

static int id_row(const struct db_row *row, void *arg)
{
	util_strlcpy(arg, db_row_text(row, 0) ?: "", UTIL_ID_LEN);
	return 0;
}

int qa_card_pick(struct qa_job *q, struct db *db, const char *named,
		 const char *queue, const char *direction,
		 char id[UTIL_ID_LEN])
{
	int64_t active = -1;

	*id = '\0';
	if (named) {
		if (db_query(db, qa_count_row, &active, "SELECT active FROM "
			     "qa_scorecards WHERE id = ?", "t", named)) {
			qa_fail(q, 500, "cannot read scorecards");
			return EIO;
		}
		if (active < 0)
			qa_fail(q, 400, "scorecard_id: no such scorecard");
		else if (!active)
			qa_fail(q, 400, "scorecard_id: the scorecard is retired");
		else
			util_strlcpy(id, named, UTIL_ID_LEN);
		return *id ? 0 : EINVAL;
	}
	if (db_query(db, id_row, id, "SELECT id FROM qa_scorecards WHERE "
		     "active = 1 AND (queue IS NULL OR queue = ?) AND "
		     "(direction IS NULL OR direction = ?) ORDER BY queue IS "
		     "NULL, direction IS NULL, updated_at DESC, id LIMIT 1",
		     "tt", queue, direction)) {
		qa_fail(q, 500, "cannot read scorecards");
		return EIO;
	}
	if (!*id) {
		qa_fail(q, 400, "scorecard_id: no active scorecard for the "
			"call's queue; name one");
		return EINVAL;
	}
	return 0;
}

static int session_row(const struct db_row *row, void *arg)
{
	char (*out)[UTIL_ID_LEN] = arg;

	util_strlcpy(out[0], db_row_text(row, 0) ?: "", UTIL_ID_LEN);
	util_strlcpy(out[1], db_row_text(row, 1) ?: "", UTIL_ID_LEN);
	return 0;
}

/* An inspector invited to an open calibration session of the call scores
 * on the session's scorecard, so the scores compare item by item: id is
 * that card and session the session ("" both when none invites them). */
static int session_card(struct qa_job *q, struct db *db, const char *call,
			const char *named, char id[UTIL_ID_LEN],
			char session[UTIL_ID_LEN])
{
	char got[2][UTIL_ID_LEN] = {"", ""};

	*id = *session = '\0';
	if (db_query(db, session_row, got, "SELECT cs.scorecard_id, cs.id FROM "
		     "qa_calibrations cs JOIN qa_calibration_inspectors ci ON "
		     "ci.calibration_id = cs.id WHERE cs.call_id = ? AND "
		     "cs.state = 'open' AND ci.inspector = ?", "tt", call,
		     q->j.req.user.id)) {
		qa_fail(q, 500, "cannot read calibration sessions");
		return EIO;
	}
	if (*got[0] && named && strcmp(named, got[0])) {
		qa_fail(q, 400, "scorecard_id: the calibration session of this "
			"call is scored on scorecard %s", got[0]);
		return EINVAL;
	}
	util_strlcpy(id, got[0], UTIL_ID_LEN);
	util_strlcpy(session, got[1], UTIL_ID_LEN);
	return 0;
}

/* answers → replies (strings borrowed) and the stored form; every
 * problem to p. */
static json_t *read_answers(const json_t *answers, struct qa_reply *r,
			    size_t *n, struct qa_problems *p)
{
	json_t *stored = json_object(), *v;
	const char *id;

	*n = 0;
	if (!json_is_object(answers)) {
		qa_problem(p, "answers: want an object of item id → answer");
		return stored;
	}
	json_object_foreach((json_t *)answers, id, v) {
		const char *a = json_is_object(v) ? json_string_value(
			json_object_get(v, "answer")) : json_string_value(v);
		const char *cm = json_string_value(json_object_get(v, "comment"));

		if (*n == QA_ITEMS_MAX) {
			qa_problem(p, "answers: at most %d", QA_ITEMS_MAX);
			break;
		}
		r[*n].item = id;
		if (qa_answer_parse(a, &r[*n].answer))
			r[*n].answer = QA_A_NONE;   /* the core names it */
		if (cm && strlen(cm) > COMMENT_MAX)
			qa_problem(p, "item %s: comment longer than %d bytes",
				   id, COMMENT_MAX);
		json_object_set_new(stored, id, json_pack("{s:s?, s:s}",
			"answer", a, "comment", cm ? cm : ""));
		(*n)++;
	}
	return stored;
}

static json_t *read_pins(const json_t *pins, const struct call *c,
			 struct qa_problems *p)
{
	json_t *stored = json_array(), *v;
	size_t i;

	if (!pins)
		return stored;
	if (!json_is_array(pins) || json_array_size(pins) > PINS_MAX) {
		qa_problem(p, "pins: want an array of at most %d {at_ms, text}",
			   PINS_MAX);
		return stored;
	}
	json_array_foreach(pins, i, v) {
		const json_t *at = json_object_get(v, "at_ms");
		const char *text = json_string_value(json_object_get(v, "text"));
		json_int_t ms = json_integer_value(at);

		if (!json_is_integer(at) || ms < 0 ||
		    (c->duration_ms >= 0 && ms > c->duration_ms + 999))
			qa_problem(p, "pins[%zu]: at_ms must be within the "
				   "recording (0..%lld)", i, c->duration_ms >= 0
				   ? (long long)c->duration_ms + 999 : 0LL);
		if (!text || !*text || strlen(text) > PIN_MAX)
			qa_problem(p, "pins[%zu]: text required (1..%d bytes)",
				   i, PIN_MAX);
		json_array_append_new(stored, json_pack("{s:I, s:s}", "at_ms",
			ms, "text", text ? text : ""));
	}
	return stored;
}

static json_t *section_scores(const struct qa_card *c,
			      const struct qa_result *r)
{
	json_t *a = json_array();

	for (size_t s = 0; s < c->nsections; s++)
		json_array_append_new(a, json_pack("{s:s, s:o}", "title",
			c->sections[s], "score", r->section_score[s] < 0 ?
			json_null() : json_real(r->section_score[s])));
	return a;
}

static const char *const fields[] = {"call_id", "scorecard_id", "answers",
				     "pins", "comment", NULL};

struct draft {
	struct call call;
	struct qa_version v;
	struct qa_card card;
	struct qa_reply replies[QA_ITEMS_MAX];
	size_t n;
	struct qa_result res;
	json_t *answers, *pins, *sections;
	char card_id[UTIL_ID_LEN];
	char session[UTIL_ID_LEN];   /* a calibration session's score, or "" */
};

static int check_all(struct qa_job *q, struct db *db, struct draft *d)
{
	const char *call_id = json_string_value(json_object_get(q->body,
								"call_id"));
	const json_t *named = json_object_get(q->body, "scorecard_id");
	const char *comment = json_string_value(json_object_get(q->body,
								"comment"));
	struct qa_problems p = {0};
	const char *key;
	json_t *v;
	int64_t dup = 0;

	json_object_foreach(q->body, key, v) {
		bool ok = false;

		for (const char *const *f = fields; *f; f++)
			ok = ok || !strcmp(*f, key);
		if (!ok)
			qa_problem(&p, "%s: unknown field", key);
	}
	if (!call_id || !*call_id || strlen(call_id) >= 128) {
		qa_fail(q, 400, "call_id: required");
		return EINVAL;
	}
	if ((named && !json_is_string(named)) ||
	    (json_object_get(q->body, "comment") && !comment) ||
	    (comment && strlen(comment) > COMMENT_MAX)) {
		qa_fail(q, 400, named && !json_is_string(named) ?
			"scorecard_id: want a scorecard's id" :
			"comment: want text of at most 2000 bytes");
		return EINVAL;
	}
	if (read_call(q, db, call_id, &d->call) ||
	    session_card(q, db, call_id, json_string_value(named),
			 d->card_id, d->session) ||
	    (!d->card_id[0] && qa_card_pick(q, db, json_string_value(named),
			d->call.queue, d->call.direction, d->card_id)))
		return EINVAL;
	if (db_query(db, qa_count_row, &dup, "SELECT COUNT(*) FROM "
		     "qa_evaluations WHERE call_id = ? AND inspector = ?", "tt",
		     call_id, q->j.req.user.id)) {
		qa_fail(q, 500, "cannot read evaluations");
		return EIO;
	}
	if (dup) {
		qa_fail(q, 409, "call_id: you have scored this call already");
		return EINVAL;
	}
	if (qa_version_read(db, d->card_id, 0, &d->v)) {
		qa_fail(q, 500, "cannot read the scorecard");
		return EIO;
	}
	d->answers = read_answers(json_object_get(q->body, "answers"),
				  d->replies, &d->n, &p);
	d->pins = read_pins(json_object_get(q->body, "pins"), &d->call, &p);
	if (qa_card_read(d->v.sections, d->v.mode, &d->card, &p)) {
		qa_fail(q, 500, "the stored scorecard does not read");
		return EIO;
	}
	if (!p.n && json_is_object(json_object_get(q->body, "answers")))
		qa_score(&d->card, d->replies, d->n, &d->res, &p);
	if (!json_is_object(json_object_get(q->body, "answers")) && !p.n)
		qa_problem(&p, "answers: required");
	if (p.n) {
		qa_fail_problems(q, &p);
		return EINVAL;
	}
	d->sections = section_scores(&d->card, &d->res);
	return 0;
}

static int store(struct qa_job *q, struct db *db, struct draft *d,
		 const char *id)
{
	const char *call_id = json_string_value(json_object_get(q->body,
								"call_id"));
	const char *comment = json_string_value(json_object_get(q->body,
								"comment"));
	char *a = json_dumps(d->answers, JSON_COMPACT | JSON_SORT_KEYS);
	char *pn = json_dumps(d->pins, JSON_COMPACT);
	char *s = json_dumps(d->sections, JSON_COMPACT);
	int err = a && pn && s ? 0 : ENOMEM;

	err = err ? err : db_exec(db, "INSERT INTO qa_evaluations (id, call_id, "
		"agent, queue, inspector, scorecard_id, scorecard_version, "
		"answers, pins, comment, score, earned, possible, "
		"failed_critical, sections, final_score, created_at, "
		"calibration_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?)",
		"tttttti" "ttt" "dddi" "tdit", id, call_id, d->call.agent,
		d->call.queue[0] ? d->call.queue : NULL, q->j.req.user.id,
		d->card_id, d->v.version, a, pn, comment ? comment : "",
		d->res.score, d->res.earned, d->res.possible,
		(int64_t)d->res.failed_critical, s, d->res.score, q->now,
		d->session[0] ? d->session : NULL);
	err = err ? err : qa_history_add(db, id, "scored", q->j.req.user.id,
		q->now, json_pack("{s:f, s:b}", "score", d->res.score,
				  "failed_critical", d->res.failed_critical));
	/* A sampled call is done once scored for the agent by anyone; a
	 * calibration score leaves it waiting. */
	if (!err && !d->session[0])
		err = db_exec(db, "UPDATE qa_sample_calls SET evaluation_id = "
			      "? WHERE call_id = ? AND evaluation_id IS NULL",
			      "tt", id, call_id);
	free(a);
	free(pn);
	free(s);
	return err;
}

static void create_work(struct qa_job *q, struct db *db)
{
	struct draft *d = calloc(1, sizeof(*d));
	char id[UTIL_ID_LEN];
	json_t *out;

	if (!d) {
		qa_fail(q, 500, "out of memory");
		return;
	}
	util_random_id(id);
	if (!check_all(q, db, d)) {
		if (store(q, db, d, id))
			qa_fail(q, 500, "cannot store the evaluation");
		else if (qa_eval_read(db, id, &q->j.req.user, q->appeal_days,
				      true, &out))
			qa_fail(q, 500, "cannot read the evaluation");
		else {
			/* calibration is practice: the agent is not told */
			if (!d->session[0])
				qa_event(q, BUS_QA_EVALUATED, out, NULL,
					 json_pack("{s:[s]}", "exts",
						   d->call.agent));
			qa_ok(q, 201, out);
		}
	}
	qa_version_free(&d->v);
	json_decref(d->answers);
	json_decref(d->pins);
	json_decref(d->sections);
	free(d);
}

void qa_h_eval_create(struct api_req *req)
{
	qa_job_run(req, create_work, true);
}
