/* qa/http_card: scorecards (质检单) — list, create, read (any version),
 * and edit, which saves a new version: evaluations keep the version they
 * were scored on. Every refusal lists each problem of the form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/qa_int.h"

enum { NAME_MAX = 200, QUEUE_MAX = 64 };

/* ---- one version */

static int version_row(const struct db_row *row, void *arg)
{
	struct qa_version *v = arg;

	v->version = db_row_int(row, 0);
	util_strlcpy(v->name, db_row_text(row, 1) ?: "", sizeof(v->name));
	if (qa_mode_parse(db_row_text(row, 2), &v->mode))
		v->mode = QA_WEIGHTS;
	json_decref(v->sections);
	v->sections = qa_col_json(row, 3);
	return 0;
}

int qa_version_read(struct db *db, const char *id, int64_t version,
		    struct qa_version *v)
{
	memset(v, 0, sizeof(*v));
	if (db_query(db, version_row, v, "SELECT version, name, mode, sections "
		     "FROM qa_scorecard_versions WHERE scorecard_id = ? AND "
		     "version = CASE WHEN ? > 0 THEN ? ELSE (SELECT version FROM "
		     "qa_scorecards WHERE id = ?) END", "tiit", id, version,
		     version, id)) {
		qa_version_free(v);
		return EIO;
	}
	return v->sections ? 0 : ENOENT;
}

void qa_version_free(struct qa_version *v)
{
	json_decref(v->sections);
	v->sections = NULL;
}

/* ---- the form, checked whole */

struct form {
	const char *name, *queue, *direction;
	enum qa_mode mode;
	const json_t *sections;
	int active;              /* -1: not given */
	int64_t version;         /* 0: not given */
};

static const char *const fields[] = {"name", "mode", "queue", "direction",
				     "sections", "active", "version", NULL};

static bool known(const char *key)
{
	for (const char *const *f = fields; *f; f++)
		if (!strcmp(*f, key))
			return true;
	return false;
}

/* Fills f from body over its current values (a new card: none); every
 * problem goes to p. */
static void read_form(const json_t *body, struct form *f,
		      struct qa_problems *p)
{
	const char *key, *s;
	json_t *v;
	struct qa_card card;

	json_object_foreach((json_t *)body, key, v) {
		if (!known(key)) {
			qa_problem(p, "%s: unknown field", key);
			continue;
		}
		s = json_string_value(v);
		if (!strcmp(key, "name")) {
			if (!s || !*s || strlen(s) > NAME_MAX)
				qa_problem(p, "name: want 1..%d bytes",
					   NAME_MAX);
			f->name = s;
		} else if (!strcmp(key, "mode")) {
			if (qa_mode_parse(s, &f->mode))
				qa_problem(p, "mode: want weights or points");
		} else if (!strcmp(key, "queue")) {
			if (!json_is_null(v) && (!s || !*s ||
						 strlen(s) > QUEUE_MAX))
				qa_problem(p, "queue: a queue's name or null");
			f->queue = s;
		} else if (!strcmp(key, "direction")) {
			if (!json_is_null(v) && (!s || (strcmp(s, "inbound") &&
						       strcmp(s, "outbound"))))
				qa_problem(p, "direction: inbound, outbound "
					   "or null");
			f->direction = s;
		} else if (!strcmp(key, "sections")) {
			f->sections = v;
		} else if (!strcmp(key, "active")) {
			if (!json_is_boolean(v))
				qa_problem(p, "active: true or false");
			f->active = json_is_true(v);
		} else if (!json_is_integer(v) || json_integer_value(v) < 1) {
			qa_problem(p, "version: the version you edited (from 1)");
		} else {
			f->version = json_integer_value(v);
		}
	}
	if (!f->name)
		qa_problem(p, "name: required");
	if (!f->sections)
		qa_problem(p, "sections: required");
	else
		qa_card_read(f->sections, f->mode, &card, p);
}

/* ---- reading */

static json_t *card_head(const struct db_row *row)
{
	return json_pack("{s:o, s:o, s:I, s:o, s:o, s:b, s:o, s:o}",
			 "id", qa_col_str(row, 0), "name", qa_col_str(row, 1),
			 "version", (json_int_t)db_row_int(row, 2),
			 "queue", qa_col_str(row, 3),
			 "direction", qa_col_str(row, 4),
			 "active", (int)db_row_int(row, 5),
			 "created_at", qa_col_time(row, 6),
			 "updated_at", qa_col_time(row, 7));
}

#define CARD_COLS "id, name, version, queue, direction, active, " \
	"created_at, updated_at"

static int head_row(const struct db_row *row, void *arg)
{
	json_t **out = arg;

	json_decref(*out);
	*out = card_head(row);
	return 0;
}

static int list_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, card_head(row)) ? ENOMEM : 0;
}

static int versions_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_pack("{s:I, s:o, s:o}",
		"version", (json_int_t)db_row_int(row, 0),
		"saved_by", qa_col_str(row, 1), "saved_at",
		qa_col_time(row, 2))) ? ENOMEM : 0;
}

/* The card id whole at version (0: latest): 0, ENOENT or EIO. */
static int card_read(struct db *db, const char *id, int64_t version,
		     json_t **out)
{
	struct qa_version v;
	json_t *head = NULL, *versions = json_array();
	int err = db_query(db, head_row, &head, "SELECT " CARD_COLS " FROM "
			   "qa_scorecards WHERE id = ?", "t", id);

	if (!err && head)
		err = qa_version_read(db, id, version, &v);
	else if (!err)
		err = ENOENT;
	if (!err) {
		json_object_set_new(head, "version", json_integer(v.version));
		json_object_set_new(head, "name", json_string(v.name));
		json_object_set_new(head, "mode", json_string(
			v.mode == QA_WEIGHTS ? "weights" : "points"));
		json_object_set(head, "sections", v.sections);
		qa_version_free(&v);
		err = db_query(db, versions_row, versions, "SELECT version, "
			       "u.username, saved_at FROM qa_scorecard_versions "
			       "LEFT JOIN users u ON u.id = saved_by WHERE "
			       "scorecard_id = ? ORDER BY version", "t", id)
			? EIO : 0;
	}
	if (err) {
		json_decref(head);
		json_decref(versions);
		return err == ENOENT ? ENOENT : EIO;
	}
	json_object_set_new(head, "versions", versions);
	*out = head;
	return 0;
}

static void list_work(struct qa_job *q, struct db *db)
{
	char queue[QUEUE_MAX + 1];
	json_t *items = json_array();

	if (qa_query_word(q, "queue", queue, sizeof(queue))) {
		json_decref(items);
		return;
	}
	if (!items || db_query(db, list_row, items, "SELECT " CARD_COLS
			       " FROM qa_scorecards WHERE ? = '' OR queue = ? "
			       "OR queue IS NULL ORDER BY name, id", "tt",
			       queue, queue)) {
		json_decref(items);
		qa_fail(q, 500, "cannot read scorecards");
		return;
	}
	qa_ok(q, 200, json_pack("{s:o}", "items", items));
}

void qa_h_card_list(struct api_req *req)
{
	qa_job_run(req, list_work, false);
}

static void get_work(struct qa_job *q, struct db *db)
{
	char v[32];
	uint64_t version = 0;
	json_t *out;
	int err;

	if (qa_query_word(q, "version", v, sizeof(v)))
		return;
	if (*v && util_parse_u64(v, 1, INT32_MAX, &version)) {
		qa_fail(q, 400, "version: want a number from 1");
		return;
	}
	err = card_read(db, q->id, (int64_t)version, &out);
	if (err == ENOENT)
		qa_fail(q, 404, version ? "no such version" : "no such scorecard");
	else if (err)
		qa_fail(q, 500, "cannot read the scorecard");
	else
		qa_ok(q, 200, out);
}

void qa_h_card_get(struct api_req *req)
{
	qa_job_run(req, get_work, false);
}

/* ---- writing */

static int save_version(struct db *db, const char *id, int64_t version,
			const struct form *f, const char *by, int64_t now)
{
	char *sections = json_dumps(f->sections, JSON_COMPACT);
	int err = sections ? db_exec(db, "INSERT INTO qa_scorecard_versions "
		"(scorecard_id, version, name, mode, sections, saved_by, "
		"saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "titttti", id,
		version, f->name, f->mode == QA_WEIGHTS ? "weights" : "points",
		sections, by, now) : ENOMEM;

	free(sections);
	return err;
}

static void create_work(struct qa_job *q, struct db *db)
{
	struct form f = {.mode = QA_WEIGHTS, .active = -1};
	struct qa_problems p = {0};
	char id[UTIL_ID_LEN];
	json_t *out;

	read_form(q->body, &f, &p);
	if (f.version)
		qa_problem(&p, "version: only for an edit");
	if (p.n) {
		qa_fail_problems(q, &p);
		return;
	}
	util_random_id(id);
	if (db_exec(db, "INSERT INTO qa_scorecards (id, name, version, queue, "
		    "direction, active, created_by, created_at, updated_at) "
		    "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)", "tttti" "tii", id,
		    f.name, f.queue, f.direction, (int64_t)(f.active != 0),
		    q->j.req.user.id, q->now, q->now)) {
		qa_fail(q, 500, "cannot store the scorecard");
		return;
	}
	/* No card stays without its version. */
	if (save_version(db, id, 1, &f, q->j.req.user.id, q->now)) {
		db_exec(db, "DELETE FROM qa_scorecards WHERE id = ?", "t", id);
		qa_fail(q, 500, "cannot store the scorecard");
		return;
	}
	if (card_read(db, id, 0, &out))
		qa_fail(q, 500, "cannot read the scorecard");
	else
		qa_ok(q, 201, out);
}

void qa_h_card_create(struct api_req *req)
{
	qa_job_run(req, create_work, true);
}

struct current {
	bool found;
	int64_t version, active;
	char queue[QUEUE_MAX + 1], direction[16];
	bool has_queue, has_direction;
};

static int current_row(const struct db_row *row, void *arg)
{
	struct current *c = arg;

	c->found = true;
	c->version = db_row_int(row, 0);
	c->active = db_row_int(row, 1);
	c->has_queue = !db_row_isnull(row, 2);
	util_strlcpy(c->queue, db_row_text(row, 2) ?: "", sizeof(c->queue));
	c->has_direction = !db_row_isnull(row, 3);
	util_strlcpy(c->direction, db_row_text(row, 3) ?: "",
		     sizeof(c->direction));
	return 0;
}

static void update_work(struct qa_job *q, struct db *db)
{
	struct current c = {0};
	struct qa_version v;
	struct form f = {.active = -1};
	struct qa_problems p = {0};
	json_t *out;

	if (db_query(db, current_row, &c, "SELECT version, active, queue, "
		     "direction FROM qa_scorecards WHERE id = ?", "t", q->id)) {
		qa_fail(q, 500, "cannot read the scorecard");
		return;
	}
	if (!c.found) {
		qa_fail(q, 404, "no such scorecard");
		return;
	}
	if (qa_version_read(db, q->id, c.version, &v)) {
		qa_fail(q, 500, "cannot read the scorecard");
		return;
	}
	/* What the body leaves out stays as the latest version has it. */
	f.name = v.name;
	f.mode = v.mode;
	f.sections = v.sections;
	f.queue = c.has_queue ? c.queue : NULL;
	f.direction = c.has_direction ? c.direction : NULL;
	read_form(q->body, &f, &p);
	if (!p.n && f.version && f.version != c.version) {
		qa_fail(q, 409, "version: the scorecard is at version %lld "
			"now, not %lld", (long long)c.version,
			(long long)f.version);
		qa_version_free(&v);
		return;
	}
	if (p.n) {
		qa_fail_problems(q, &p);
		qa_version_free(&v);
		return;
	}
	/* Two edits at once: the second's version row collides (primary
	 * key) and it is refused whole. */
	if (save_version(db, q->id, c.version + 1, &f, q->j.req.user.id,
			 q->now)) {
		qa_fail(q, 409, "version: the scorecard changed meanwhile");
		qa_version_free(&v);
		return;
	}
	if (db_exec(db, "UPDATE qa_scorecards SET name = ?, version = ?, "
		    "queue = ?, direction = ?, active = ?, updated_at = ? "
		    "WHERE id = ?", "titti" "it", f.name, c.version + 1, f.queue,
		    f.direction, f.active < 0 ? c.active : (int64_t)f.active,
		    q->now, q->id))
		qa_fail(q, 500, "cannot store the scorecard");
	else if (card_read(db, q->id, 0, &out))
		qa_fail(q, 500, "cannot read the scorecard");
	else
		qa_ok(q, 200, out);
	qa_version_free(&v);
}

void qa_h_card_update(struct api_req *req)
{
	qa_job_run(req, update_work, true);
}
