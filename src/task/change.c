/* task/change: making and changing callback tasks. Who may do what:
 *
 *   reading    everyone signed in, through the data scope: all sees every
 *              task; departments the tasks of their department's users
 *              (its subtree) and every pool; own their own tasks and the
 *              pools of the queues they serve
 *   creating   admin, supervisor: for anyone or a queue's pool; agent and
 *              backoffice: for themselves only
 *   changing,  admin, supervisor: any task they see; the others: tasks
 *   done,      assigned to them (a pool task is claimed first)
 *   cancel
 *   claiming   an open pool task, by a member of its queue or a manager
 *
 * An ended task (done, cancelled) is refused with 409: task_transition_ok. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "queue/queue.h"
#include "task/task.h"
#include "task/task_int.h"

enum { TITLE_MAX = 200, NOTES_MAX = 2000, OUTCOME_MAX = 500 };

/* ---- create and change */

/* A task's fields as the body gives them; NULL: not given. */
struct fields {
	const char *title, *notes, *phone, *customer_id, *assignee, *pool;
	const char *origin, *origin_id;
	bool has_due;
	int64_t due;
};

struct str_rule {
	const char *name;
	size_t off, max;
	bool empty_ok;
};

#define STR(n, m, e) {#n, offsetof(struct fields, n), m, e}
static const struct str_rule str_rules[] = {
	STR(title, TITLE_MAX, false), STR(notes, NOTES_MAX, true),
	STR(phone, 40, true), STR(customer_id, 64, true),
	STR(assignee, API_NAME_MAX, true), STR(pool, 64, true),
	STR(origin, 16, false), STR(origin_id, 64, true),
};

/* Reads body into *f: every key known and of its kind, named when not. */
static int read_fields(struct task_job *t, struct fields *f)
{
	const char *key;
	json_t *v;

	memset(f, 0, sizeof(*f));
	json_object_foreach(t->body, key, v) {
		const struct str_rule *r = NULL;

		for (size_t i = 0; i < ARRAY_LEN(str_rules); i++)
			if (!strcmp(key, str_rules[i].name))
				r = &str_rules[i];
		if (r) {
			const char *s = json_string_value(v);

			if (json_is_null(v) && r->empty_ok)
				s = "";
			if (!s || strlen(s) > r->max || (!*s && !r->empty_ok)) {
				task_fail(t, 400, "%s: want %stext of at most "
					  "%zu bytes", key, r->empty_ok ? "" :
					  "non-empty ", r->max);
				return EINVAL;
			}
			*(const char **)((char *)f + r->off) = s;
		} else if (!strcmp(key, "due_at")) {
			if (!json_is_string(v) || util_parse_rfc3339(
				    json_string_value(v), &f->due)) {
				task_fail(t, 400, "due_at: want an RFC 3339 time "
					  "(2026-01-31T08:00:00Z)");
				return EINVAL;
			}
			f->has_due = true;
		} else {
			task_fail(t, 400, "%s: unknown field", key);
			return EINVAL;
		}
	}
	if (f->phone && !task_phone_ok(f->phone)) {
		task_fail(t, 400, "phone: want digits (2..32), optionally after "
			  "a +");
		return EINVAL;
	}
	if (f->origin && !task_origin_ok(f->origin)) {
		task_fail(t, 400, "origin: want manual, voicemail, abandoned or "
			  "ticket");
		return EINVAL;
	}
	if (f->assignee && *f->assignee && f->pool && *f->pool) {
		task_fail(t, 400, "pool: give an assignee or a pool, not both");
		return EINVAL;
	}
	return 0;
}

static int id_row(const struct db_row *row, void *arg)
{
	util_strlcpy(arg, db_row_text(row, 0) ?: "", UTIL_ID_LEN);
	return 0;
}

/* The id of the user named username into id; ENOENT, EIO. */
static int user_id(struct db *db, const char *username, char id[UTIL_ID_LEN])
{
	id[0] = '\0';
	if (db_query(db, id_row, id, "SELECT id FROM users WHERE username = ?",
		     "t", username))
		return EIO;
	return id[0] ? 0 : ENOENT;
}

static bool queue_known(struct db *db, const char *name)
{
	int64_t n = 0;

	return !db_query(db, task_count_row, &n, "SELECT COUNT(*) FROM queues "
			 "WHERE name = ?", "t", name) && n > 0;
}

/* Who the task goes to: *assignee the user's id ("" for a pool). Agents
 * and back-office users may give none but themselves. */
static int resolve_owner(struct task_job *t, struct db *db,
			 const struct fields *f, char assignee[UTIL_ID_LEN])
{
	const struct api_user *u = &t->j.req.user;
	int err;

	if (f->pool && *f->pool) {
		if (!task_is_manager(u)) {
			task_fail(t, 403, "pool: only a supervisor puts a task "
				  "in a pool");
			return EPERM;
		}
		if (!queue_known(db, f->pool)) {
			task_fail(t, 400, "pool: no queue '%s'", f->pool);
			return EINVAL;
		}
		assignee[0] = '\0';
		return 0;
	}
	if (!f->assignee || !*f->assignee) {
		util_strlcpy(assignee, u->id, UTIL_ID_LEN);
		return 0;
	}
	err = user_id(db, f->assignee, assignee);
	if (err == ENOENT) {
		task_fail(t, 400, "assignee: no user '%s'", f->assignee);
		return EINVAL;
	}
	if (err) {
		task_fail(t, 500, "cannot read users");
		return err;
	}
	if (!task_is_manager(u) && strcmp(assignee, u->id)) {
		task_fail(t, 403, "assignee: only a supervisor assigns tasks to "
			  "others");
		return EPERM;
	}
	return 0;
}

static void created(struct task_job *t, struct db *db, uint16_t status)
{
	json_t *out;

	if (task_read(db, t->id, &t->j.req.user, t->now, &out)) {
		task_fail(t, 500, "cannot read the task back");
		return;
	}
	task_ok(t, status, out);
	if (task_read(db, t->id, NULL, t->now, &out))
		return;
	json_object_set_new(out, "audience", task_audience(db, out));
	t->ev_data = out;
	util_strlcpy(t->ev_subject, t->id, sizeof(t->ev_subject));
}

static void create_work(struct task_job *t, struct db *db)
{
	char assignee[UTIL_ID_LEN], id[UTIL_ID_LEN];
	struct fields f;

	if (read_fields(t, &f))
		return;
	if (!f.title) {
		task_fail(t, 400, "title: required");
		return;
	}
	if (!f.has_due) {
		task_fail(t, 400, "due_at: required");
		return;
	}
	if (resolve_owner(t, db, &f, assignee))
		return;
	util_random_id(id);
	if (db_exec(db, "INSERT INTO tasks (id, title, notes, phone, "
		    "customer_id, due_at, assignee, pool, origin, origin_id, "
		    "state, created_by, created_at, updated_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
		    "tttttittttt" "ii", id, f.title, f.notes ? f.notes : "",
		    f.phone ? f.phone : "", f.customer_id && *f.customer_id ?
		    f.customer_id : NULL, f.due, assignee[0] ? assignee : NULL,
		    f.pool && *f.pool ? f.pool : NULL,
		    f.origin ? f.origin : "manual",
		    f.origin_id && *f.origin_id ? f.origin_id : NULL,
		    t->j.req.user.id, t->now, t->now)) {
		task_fail(t, 500, "cannot store the task");
		return;
	}
	util_strlcpy(t->id, id, sizeof(t->id));
	t->ev = BUS_TASK_CREATED;
	created(t, db, 201);
}

void task_h_create(struct api_req *req)
{
	task_job_run(req, create_work, TASK_BODY_NEED);
}

struct cur {
	char state[16], assignee[UTIL_ID_LEN], origin[16], origin_id[80];
	bool found;
};

static int cur_row(const struct db_row *row, void *arg)
{
	struct cur *c = arg;

	c->found = true;
	util_strlcpy(c->state, db_row_text(row, 0) ?: "", sizeof(c->state));
	util_strlcpy(c->assignee, db_row_text(row, 1) ?: "",
		     sizeof(c->assignee));
	util_strlcpy(c->origin, db_row_text(row, 2) ?: "", sizeof(c->origin));
	util_strlcpy(c->origin_id, db_row_text(row, 3) ?: "",
		     sizeof(c->origin_id));
	return 0;
}

/* The task the path names, as the caller may act on it: 0 with *c, or
 * the error answered (404 unseen, 403 someone else's, 409 ended). */
static int load_own(struct task_job *t, struct db *db, struct cur *c,
		    bool must_be_open)
{
	const struct api_user *u = &t->j.req.user;
	enum task_state st;
	int err = task_visible(db, u, t->id);

	memset(c, 0, sizeof(*c));
	if (!err && db_query(db, cur_row, c, "SELECT state, assignee, origin,"
			     " origin_id FROM tasks WHERE id = ?", "t", t->id))
		err = EIO;
	if (err == ENOENT || (!err && !c->found)) {
		task_fail(t, 404, "no such task");
		return ENOENT;
	}
	if (err) {
		task_fail(t, 500, "cannot read the task");
		return err;
	}
	if (!task_is_manager(u) && strcmp(c->assignee, u->id)) {
		task_fail(t, 403, c->assignee[0] ? "the task is someone else's"
			  : "claim the task from its pool first");
		return EPERM;
	}
	if (must_be_open && (task_state_parse(c->state, &st) ||
			     !task_transition_ok(st, TASK_DONE))) {
		task_fail(t, 409, "the task is %s", c->state);
		return EALREADY;
	}
	return 0;
}

static void update_work(struct task_job *t, struct db *db)
{
	char assignee[UTIL_ID_LEN];
	struct fields f;
	struct cur c;
	bool owner;

	if (read_fields(t, &f) || load_own(t, db, &c, true))
		return;
	if (f.origin || f.origin_id) {
		task_fail(t, 400, "%s: set when the task is made", f.origin ?
			  "origin" : "origin_id");
		return;
	}
	owner = f.assignee || f.pool;
	if (owner && resolve_owner(t, db, &f, assignee))
		return;
	/* One statement: a field not given keeps its value (COALESCE over
	 * a NULL bind). */
	if (db_exec(db, "UPDATE tasks SET title = COALESCE(?, title), "
		    "notes = COALESCE(?, notes), phone = COALESCE(?, phone), "
		    "customer_id = CASE WHEN ? = 1 THEN ? ELSE customer_id END, "
		    "due_at = CASE WHEN ? = 1 THEN ? ELSE due_at END, "
		    "assignee = CASE WHEN ? = 1 THEN ? ELSE assignee END, "
		    "pool = CASE WHEN ? = 1 THEN ? ELSE pool END, "
		    "updated_at = ? WHERE id = ? AND state = 'open'",
		    "ttt" "it" "ii" "it" "it" "it",
		    f.title, f.notes, f.phone,
		    (int64_t)(f.customer_id != NULL),
		    f.customer_id && *f.customer_id ? f.customer_id : NULL,
		    (int64_t)f.has_due, f.due,
		    (int64_t)owner, owner && assignee[0] ? assignee : NULL,
		    (int64_t)owner, owner && f.pool && *f.pool ? f.pool : NULL,
		    t->now, t->id)) {
		task_fail(t, 500, "cannot store the task");
		return;
	}
	t->ev = BUS_TASK_CREATED;
	if (owner)
		created(t, db, 200);
	else {
		json_t *out;

		if (task_read(db, t->id, &t->j.req.user, t->now, &out))
			task_fail(t, 500, "cannot read the task back");
		else
			task_ok(t, 200, out);
	}
}

void task_h_update(struct api_req *req)
{
	task_job_run(req, update_work, TASK_BODY_NEED);
}

/* done or cancelled, with an optional outcome (and for done, the call
 * that did it). */
static void end_task(struct task_job *t, struct db *db, enum task_state to)
{
	const char *outcome = "", *call_id = NULL, *key;
	json_t *v, *out;
	struct cur c;

	json_object_foreach(t->body, key, v) {
		const char **dst = !strcmp(key, "outcome") ? &outcome :
			!strcmp(key, "call_id") && to == TASK_DONE ? &call_id :
			NULL;
		size_t max = dst == &outcome ? OUTCOME_MAX : 64;

		if (!dst) {
			task_fail(t, 400, "%s: unknown field", key);
			return;
		}
		if (!json_is_string(v) || strlen(json_string_value(v)) > max) {
			task_fail(t, 400, "%s: want text of at most %zu bytes",
				  key, max);
			return;
		}
		*dst = json_string_value(v);
	}
	if (load_own(t, db, &c, true))
		return;
	if (db_exec(db, "UPDATE tasks SET state = ?, outcome = ?, "
		    "call_id = COALESCE(?, call_id), ended_at = ?, ended_by = ?,"
		    " updated_at = ? WHERE id = ? AND state = 'open'",
		    "tttitit", task_state_name(to), outcome,
		    call_id && *call_id ? call_id : NULL, t->now,
		    t->j.req.user.id, t->now, t->id) ||
	    task_read(db, t->id, &t->j.req.user, t->now, &out)) {
		task_fail(t, 500, "cannot store the task");
		return;
	}
	if (strcmp(json_string_value(json_object_get(out, "state")) ?: "",
		   task_state_name(to))) {
		json_decref(out);   /* ended meanwhile by someone else */
		task_fail(t, 409, "the task has just ended");
		return;
	}
	task_ok(t, 200, out);
	if (to != TASK_DONE)
		return;
	t->ev = BUS_TASK_DONE;
	util_strlcpy(t->ev_subject, t->id, sizeof(t->ev_subject));
	t->ev_data = json_pack("{s:s, s:s, s:s?, s:s, s:o}", "task_id", t->id,
			       "origin", c.origin, "origin_id",
			       c.origin_id[0] ? c.origin_id : NULL,
			       "outcome", outcome, "audience",
			       task_audience(db, out));
}

static void done_work(struct task_job *t, struct db *db)
{
	end_task(t, db, TASK_DONE);
}

static void cancel_work(struct task_job *t, struct db *db)
{
	end_task(t, db, TASK_CANCELLED);
}

void task_h_done(struct api_req *req)
{
	task_job_run(req, done_work, TASK_BODY_OPTIONAL);
}

void task_h_cancel(struct api_req *req)
{
	task_job_run(req, cancel_work, TASK_BODY_OPTIONAL);
}

/* ---- claiming a pool task */

static void claim_work(struct task_job *t, struct db *db)
{
	const struct api_user *u = &t->j.req.user;
	char pools[TASK_POOLS_LEN];
	struct cur c;
	json_t *out;
	int err = task_visible(db, u, t->id);

	memset(&c, 0, sizeof(c));
	if (!err && db_query(db, cur_row, &c, "SELECT state, assignee, origin,"
			     " origin_id FROM tasks WHERE id = ?", "t", t->id))
		err = EIO;
	if (err == ENOENT || (!err && !c.found)) {
		task_fail(t, 404, "no such task");
		return;
	}
	if (err) {
		task_fail(t, 500, "cannot read the task");
		return;
	}
	if (strcmp(c.state, "open") || c.assignee[0]) {
		task_fail(t, 409, c.assignee[0] ? "the task is already "
			  "assigned" : "the task is %s", c.state);
		return;
	}
	/* A manager sees every pool; an agent claims from its queues only. */
	if (!task_is_manager(u)) {
		char sql[TASK_POOLS_LEN + 128];
		int64_t n = 0;

		task_pools_in(db, u, pools, sizeof(pools));
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM tasks t WHERE "
			 "t.id = ? AND t.pool IN (%s)", pools);
		if (db_query(db, task_count_row, &n, sql, "t", t->id)) {
			task_fail(t, 500, "cannot read the task");
			return;
		}
		if (!n) {
			task_fail(t, 403, "the task's pool is a queue you do "
				  "not serve");
			return;
		}
	}
	/* The update is the claim: of two at once, only one finds it free. */
	if (db_exec(db, "UPDATE tasks SET assignee = ?, updated_at = ? WHERE "
		    "id = ? AND assignee IS NULL AND state = 'open'", "tit",
		    u->id, t->now, t->id) ||
	    task_read(db, t->id, u, t->now, &out)) {
		task_fail(t, 500, "cannot store the task");
		return;
	}
	if (strcmp(json_string_value(json_object_get(out, "assignee_id")) ?: "",
		   u->id)) {
		json_decref(out);
		task_fail(t, 409, "the task was claimed by someone else");
		return;
	}
	task_ok(t, 200, out);
}

void task_h_claim(struct api_req *req)
{
	task_job_run(req, claim_work, TASK_BODY_NONE);
}

int task_customer_merge(struct db_tx *tx, const char *into, const char *from)
{
	return db_tx_add(tx, "UPDATE tasks SET customer_id = ? WHERE "
			 "customer_id = ?", "tt", into, from);
}
