/* qa/http_case: teaching cases (教学案例, 录音辅导) — an inspector or a
 * lead marks a scored call as an excellent or a poor example, with a note
 * and a clip of its recording, and shares it with a team (migration 040):
 *   POST   /api/v1/qa/cases            mark one (from an evaluation)
 *   GET    /api/v1/qa/cases            the cases the caller may see
 *   GET    /api/v1/qa/cases/{id}       one
 *   GET    /api/v1/qa/cases/{id}/clip  its clip as a WAV, cut on a worker
 *   DELETE /api/v1/qa/cases/{id}       withdraw it (its author or admin)
 *   GET    /api/v1/qa/teams            the departments to share with
 * A case is seen by the members of the team it is shared with and of the
 * teams under it, and by whoever's data scope holds the call's agent. The
 * evaluation's pinned comments inside the clip come with it, as offsets
 * from the clip's start, for the player that stops at each. Only the clip
 * is served: the rest of the call stays with those who may read it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audio/audio.h"
#include "base/mod.h"
#include "db/db.h"
#include "qa/qa_int.h"

enum { NOTE_MAX = 2000, LIMIT_DEFAULT = 50, LIMIT_MAX = 200 };

#define CASE_COLS "c.id, c.evaluation_id, c.call_id, c.agent, c.kind, " \
	"c.note, c.clip_from_ms, c.clip_to_ms, c.department_id, d.name, " \
	"u.username, c.created_at, e.pins, e.final_score, k.recording, " \
	"c.created_by"
#define CASE_FROM "FROM qa_cases c LEFT JOIN departments d ON d.id = " \
	"c.department_id LEFT JOIN users u ON u.id = c.created_by LEFT JOIN " \
	"qa_evaluations e ON e.id = c.evaluation_id LEFT JOIN calls k ON " \
	"k.id = c.call_id"
/* Who sees a case: the data scope over the call's agent, or the team it
 * is shared with is the caller's or one above it — and not while a
 * calibration of the call keeps the caller blind to its evaluation. Binds
 * the scope's arguments, the caller's department, the caller's id. */
#define CASE_SEEN "(" API_SCOPE_SQL("c.agent", "c.agent") " OR " \
	"c.department_id IN (WITH RECURSIVE up(id) AS (SELECT ? UNION " \
	"SELECT p.parent_id FROM departments p JOIN up ON p.id = up.id " \
	"WHERE p.parent_id IS NOT NULL) SELECT id FROM up)) AND " \
	QA_BLIND_SQL("e")
#define CASE_SEEN_TYPES API_SCOPE_TYPES "tt"

static const char *const kinds[] = {"excellent", "poor", NULL};

static double secs(int64_t ms) { return round((double)ms / 100) / 10; }

/* The evaluation's pins within from..to, as offsets from from. */
static json_t *clip_pins(json_t *pins, int64_t from, int64_t to)
{
	json_t *out = json_array(), *p;
	size_t i;

	json_array_foreach(pins, i, p) {
		json_int_t at = json_integer_value(json_object_get(p, "at_ms"));

		if (at >= from && at <= to)
			json_array_append_new(out, json_pack("{s:I, s:O?}",
				"at_ms", (json_int_t)(at - from), "text",
				json_object_get(p, "text")));
	}
	return out;
}

struct cases {
	json_t *items;
	/* of the last row, for the clip and the author check */
	char rec[512], author[UTIL_ID_LEN];
	int64_t from, to;
};

static int case_row(const struct db_row *row, void *arg)
{
	struct cases *c = arg;
	json_t *pins = qa_col_json(row, 12), *o = json_object();

	c->from = db_row_int(row, 6);
	c->to = db_row_int(row, 7);
	util_strlcpy(c->rec, db_row_text(row, 14) ?: "", sizeof(c->rec));
	util_strlcpy(c->author, db_row_text(row, 15) ?: "", sizeof(c->author));
	json_object_set_new(o, "id", qa_col_str(row, 0));
	json_object_set_new(o, "evaluation_id", qa_col_str(row, 1));
	json_object_set_new(o, "call_id", qa_col_str(row, 2));
	json_object_set_new(o, "agent", qa_col_str(row, 3));
	json_object_set_new(o, "kind", qa_col_str(row, 4));
	json_object_set_new(o, "note", qa_col_str(row, 5));
	json_object_set_new(o, "clip_from_s", json_real(secs(c->from)));
	json_object_set_new(o, "clip_to_s", json_real(secs(c->to)));
	json_object_set_new(o, "department_id", qa_col_str(row, 8));
	json_object_set_new(o, "department", qa_col_str(row, 9));
	json_object_set_new(o, "created_by", qa_col_str(row, 10));
	json_object_set_new(o, "created_at", qa_col_time(row, 11));
	json_object_set_new(o, "score", db_row_isnull(row, 13) ? json_null()
			    : json_real(db_row_double(row, 13)));
	json_object_set_new(o, "pins", clip_pins(pins, c->from, c->to));
	json_decref(pins);
	return json_array_append_new(c->items, o) ? ENOMEM : 0;
}

/* Case id as the caller may see it into *c: 0, or 404 (no such case, or
 * not shown to the caller: a case's existence is not told) / 500 set. */
static int case_read(struct qa_job *q, struct db *db, const char *id,
		     struct cases *c)
{
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(&q->j.req.user, sc);
	c->items = json_array();
	if (db_query(db, case_row, c, "SELECT " CASE_COLS " " CASE_FROM
		     " WHERE c.id = ? AND " CASE_SEEN, "t" CASE_SEEN_TYPES, id,
		     sc[0], sc[1], sc[2], sc[3], sc[4], q->j.req.user.dept,
		     q->j.req.user.id)) {
		qa_fail(q, 500, "cannot read the teaching case");
		return EIO;
	}
	if (!json_array_size(c->items)) {
		qa_fail(q, 404, "no such teaching case");
		return ENOENT;
	}
	return 0;
}

static void get_work(struct qa_job *q, struct db *db)
{
	struct cases c = {0};

	if (!case_read(q, db, q->id, &c))
		qa_ok(q, 200, json_incref(json_array_get(c.items, 0)));
	json_decref(c.items);
}

void qa_h_case_get(struct api_req *req)
{
	qa_job_run(req, get_work, false);
}

static void list_work(struct qa_job *q, struct db *db)
{
	const char *sc[API_SCOPE_NARGS];
	struct cases c = {0};
	char kind[16], dept[UTIL_ID_LEN + 8], lim[16], sql[2048];
	uint64_t limit = LIMIT_DEFAULT;
	bool ok = true;

	if (qa_query_word(q, "kind", kind, sizeof(kind)) ||
	    qa_query_word(q, "department_id", dept, sizeof(dept)) ||
	    qa_query_word(q, "limit", lim, sizeof(lim)))
		return;
	if (*kind) {
		ok = false;
		for (const char *const *k = kinds; *k; k++)
			ok = ok || !strcmp(*k, kind);
	}
	if (!ok) {
		qa_fail(q, 400, "kind: want excellent or poor");
		return;
	}
	if (*lim && util_parse_u64(lim, 1, LIMIT_MAX, &limit)) {
		qa_fail(q, 400, "limit: want 1..%d", LIMIT_MAX);
		return;
	}
	api_scope_args(&q->j.req.user, sc);
	snprintf(sql, sizeof(sql), "SELECT " CASE_COLS " " CASE_FROM " WHERE "
		 CASE_SEEN " AND (? = '' OR c.kind = ?) AND (? = '' OR "
		 "c.department_id = ?) ORDER BY c.created_at DESC, c.id DESC "
		 "LIMIT %llu", (unsigned long long)limit);
	c.items = json_array();
	if (db_query(db, case_row, &c, sql, CASE_SEEN_TYPES "tttt", sc[0],
		     sc[1], sc[2], sc[3], sc[4], q->j.req.user.dept,
		     q->j.req.user.id, kind, kind, dept, dept)) {
		json_decref(c.items);
		qa_fail(q, 500, "cannot read teaching cases");
		return;
	}
	qa_ok(q, 200, json_pack("{s:o}", "items", c.items));
}

void qa_h_case_list(struct api_req *req)
{
	qa_job_run(req, list_work, false);
}

/* ---- the clip */

static void clip_work(struct qa_job *q, struct db *db)
{
	static const char hdrs[] = "Content-Type: audio/wav\r\n"
		"Cache-Control: no-store\r\n";
	const struct mod_house *h = api_house(&q->j.req);
	struct cases c = {0};
	char path[1024], why[256], *buf = NULL;
	size_t len = 0;
	int err;

	if (case_read(q, db, q->id, &c))
		goto out;
	/* as the call's recording route: under the data directory only */
	if (!c.rec[0] || c.rec[0] == '/' || strstr(c.rec, "..") || !h ||
	    !h->data_dir || snprintf(path, sizeof(path), "%s/%s", h->data_dir,
				     c.rec) >= (int)sizeof(path)) {
		qa_fail(q, 404, "the call has no recording");
		goto out;
	}
	err = audio_clip_wav(path, (uint64_t)c.from, (uint64_t)c.to, &buf,
			     &len, why, sizeof(why));
	if (err == ENOENT)
		qa_fail(q, 404, "the recording is missing: %s", why);
	else if (err == EBADMSG || err == EINVAL)
		qa_fail(q, 409, "the recording cannot be cut: %s", why);
	else if (err)
		qa_fail(q, 500, "cannot read the recording");
	else
		qa_ok_bytes(q, hdrs, buf, len);
out:
	json_decref(c.items);
}

void qa_h_case_clip(struct api_req *req)
{
	qa_job_run(req, clip_work, false);
}

/* ---- marking one */

static const char *const fields[] = {"evaluation_id", "kind", "note",
	"clip_from_s", "clip_to_s", "department_id", NULL};

struct call {
	int64_t duration_ms;
	bool recorded;
};

static int call_row(const struct db_row *row, void *arg)
{
	struct call *c = arg;

	c->duration_ms = db_row_isnull(row, 0) ? -1 : db_row_int(row, 0) * 1000;
	c->recorded = !db_row_isnull(row, 1) && *db_row_text(row, 1);
	return 0;
}

/* The form's own problems (every one to p), the clip into from/to. */
static void check_form(const json_t *b, struct qa_problems *p, int64_t *from,
		       int64_t *to)
{
	const char *kind = json_string_value(json_object_get(b, "kind"));
	const char *note = json_string_value(json_object_get(b, "note"));
	const json_t *f = json_object_get(b, "clip_from_s");
	const json_t *t = json_object_get(b, "clip_to_s");
	const char *key;
	bool ok = false;
	json_t *v;

	json_object_foreach((json_t *)b, key, v) {
		bool known = false;

		for (const char *const *k = fields; *k; k++)
			known = known || !strcmp(*k, key);
		if (!known)
			qa_problem(p, "%s: unknown field", key);
	}
	for (const char *const *k = kinds; kind && *k; k++)
		ok = ok || !strcmp(*k, kind);
	if (!ok)
		qa_problem(p, "kind: want excellent or poor");
	if (!note || !*note || strlen(note) > NOTE_MAX)
		qa_problem(p, "note: required (1..%d bytes)", NOTE_MAX);
	if (!json_is_number(f) || !json_is_number(t) ||
	    json_number_value(f) < 0 ||
	    json_number_value(t) <= json_number_value(f)) {
		qa_problem(p, "clip_from_s, clip_to_s: want seconds of the "
			   "recording, 0 <= from < to");
		return;
	}
	*from = llround(json_number_value(f) * 1000);
	*to = llround(json_number_value(t) * 1000);
	if (*to - *from > AUDIO_CLIP_MAX_MS)
		qa_problem(p, "clip: at most %d s", AUDIO_CLIP_MAX_MS / 1000);
}

static void create_work(struct qa_job *q, struct db *db)
{
	const char *eid = json_string_value(json_object_get(q->body,
							    "evaluation_id"));
	const char *dept = json_string_value(json_object_get(q->body,
							     "department_id"));
	struct qa_problems p = {0};
	struct call call = {-1, false};
	struct cases c = {0};
	int64_t from = 0, to = 0, dept_n = 0;
	char id[UTIL_ID_LEN];
	json_t *e = NULL;
	int err;

	check_form(q->body, &p, &from, &to);
	if (dept && db_query(db, qa_count_row, &dept_n, "SELECT COUNT(*) "
			     "FROM departments WHERE id = ?", "t", dept)) {
		qa_fail(q, 500, "cannot read departments");
		return;
	}
	if (!dept_n)
		qa_problem(&p, "department_id: want the team (department) to "
			   "share with");
	if (!eid || !*eid) {
		qa_problem(&p, "evaluation_id: required");
	} else {
		err = qa_eval_read(db, eid, &q->j.req.user, 0, false, &e);
		if (err == ENOENT || err == EACCES || err == EPERM) {
			qa_fail(q, err == ENOENT ? 404 : 403, err == ENOENT ?
				"evaluation_id: no such evaluation" :
				"evaluation_id: you may not read this "
				"evaluation");
			return;
		}
		if (err || db_query(db, call_row, &call, "SELECT duration_s, "
				    "recording FROM calls WHERE id = ?", "t",
				    json_string_value(json_object_get(e,
						"call_id")) ?: "")) {
			json_decref(e);
			qa_fail(q, 500, "cannot read the evaluation");
			return;
		}
		if (!call.recorded)
			qa_problem(&p, "evaluation_id: the call has no "
				   "recording to clip");
		else if (call.duration_ms >= 0 && to > call.duration_ms + 999)
			qa_problem(&p, "clip_to_s: past the end of the "
				   "recording (%lld s)",
				   (long long)call.duration_ms / 1000);
	}
	if (p.n) {
		json_decref(e);
		qa_fail_problems(q, &p);
		return;
	}
	util_random_id(id);
	err = db_exec(db, "INSERT INTO qa_cases (id, evaluation_id, call_id, "
		      "agent, kind, note, clip_from_ms, clip_to_ms, "
		      "department_id, created_by, created_at) VALUES (?, ?, ?, "
		      "?, ?, ?, ?, ?, ?, ?, ?)", "tttttt" "ii" "tti", id, eid,
		      json_string_value(json_object_get(e, "call_id")),
		      json_string_value(json_object_get(e, "agent")),
		      json_string_value(json_object_get(q->body, "kind")),
		      json_string_value(json_object_get(q->body, "note")), from,
		      to, dept, q->j.req.user.id, q->now);
	json_decref(e);
	if (err) {
		qa_fail(q, 500, "cannot store the teaching case");
		return;
	}
	if (!case_read(q, db, id, &c))
		qa_ok(q, 201, json_incref(json_array_get(c.items, 0)));
	json_decref(c.items);
}

void qa_h_case_create(struct api_req *req)
{
	qa_job_run(req, create_work, true);
}

static void delete_work(struct qa_job *q, struct db *db)
{
	struct cases c = {0};

	if (case_read(q, db, q->id, &c))
		goto out;
	if (strcmp(c.author, q->j.req.user.id) &&
	    !(q->j.req.user.role_bit & API_R_ADMIN)) {
		qa_fail(q, 403, "only its author or an admin withdraws a "
			"teaching case");
		goto out;
	}
	if (db_exec(db, "DELETE FROM qa_cases WHERE id = ?", "t", q->id))
		qa_fail(q, 500, "cannot withdraw the teaching case");
	else
		qa_ok(q, 200, json_pack("{s:s, s:b}", "id", q->id, "deleted",
					1));
out:
	json_decref(c.items);
}

void qa_h_case_delete(struct api_req *req)
{
	qa_job_run(req, delete_work, false);
}

/* ---- the teams to share with */

static int team_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:o, s:o, s:o}",
		"id", qa_col_str(row, 0), "name", qa_col_str(row, 1),
		"parent_id", qa_col_str(row, 2))) ? ENOMEM : 0;
}

static void teams_work(struct qa_job *q, struct db *db)
{
	json_t *items = json_array();

	if (db_query(db, team_row, items, "SELECT id, name, parent_id FROM "
		     "departments ORDER BY name, id", "")) {
		json_decref(items);
		qa_fail(q, 500, "cannot read departments");
		return;
	}
	qa_ok(q, 200, json_pack("{s:o}", "items", items));
}

void qa_h_teams(struct api_req *req)
{
	qa_job_run(req, teams_work, false);
}
