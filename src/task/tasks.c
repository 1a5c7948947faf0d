/* task/tasks: the callback tasks API. Who may do what:
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

enum { LIMIT_DEFAULT = 50, LIMIT_MAX = 500, TITLE_MAX = 200,
       NOTES_MAX = 2000, OUTCOME_MAX = 500, POOLS_MAX = 32 };

/* The rows a user sees, over tasks t: binds SCOPE_TYPES (scope, own id,
 * scope, department); %s is the quoted list of the user's queues. */
#define SCOPE_SQL "(? = 'all' OR t.assignee = ? OR (? = 'departments' AND " \
	"(t.assignee IS NULL OR t.assignee IN (WITH RECURSIVE sub(id) AS " \
	"(SELECT ? UNION SELECT d.id FROM departments d JOIN sub ON " \
	"d.parent_id = sub.id) SELECT id FROM users WHERE department_id IN " \
	"(SELECT id FROM sub)))) OR (t.assignee IS NULL AND t.pool IN (%s)))"
#define SCOPE_TYPES "tttt"

static bool name_safe(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
			    "TUVWXYZ0123456789_.-") == strlen(s);
}

/* The user's queues as an SQL list of quoted names ("NULL" for none):
 * names are checked to hold no quote, so they may be written in. */
static void pools_in(struct db *db, const struct api_user *u, char *out,
		     size_t n)
{
	json_t *all = NULL, *m;
	size_t i, len = 0, k = 0;

	snprintf(out, n, "NULL");
	if (!u->ext[0] || queue_members_read(db, u->ext, &all))
		goto out;
	json_array_foreach(json_object_get(all, u->ext), i, m) {
		const char *q = json_string_value(json_object_get(m, "queue"));
		int w;

		if (!q || !name_safe(q) || k == POOLS_MAX)
			continue;
		w = snprintf(out + len, n - len, "%s'%s'", k ? "," : "", q);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
		k++;
	}
	if (!k)
		snprintf(out, n, "NULL");
 out:
	json_decref(all);
}

static const char *scope_word(const struct api_user *u)
{
	return api_scope_name(api_scope_of(u));
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* Whether u may see task id: 0 yes, ENOENT no (or no such task), EIO. */
static int visible(struct db *db, const struct api_user *u, const char *id)
{
	char sql[4096], pools[POOLS_MAX * 70];
	int64_t n = 0;

	pools_in(db, u, pools, sizeof(pools));
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM tasks t WHERE t.id = ?"
		 " AND " SCOPE_SQL, pools);
	if (db_query(db, count_row, &n, sql, "t" SCOPE_TYPES, id,
		     scope_word(u), u->id, scope_word(u), u->dept))
		return EIO;
	return n ? 0 : ENOENT;
}

/* ---- list */

struct page {
	const struct api_user *u;
	int64_t now, last_due;
	size_t n, limit;
	char last_id[UTIL_ID_LEN];
	json_t *items;
};

static int page_row(const struct db_row *row, void *arg)
{
	struct page *pg = arg;

	if (++pg->n > pg->limit)
		return 0;
	pg->last_due = db_row_int(row, 5);
	util_strlcpy(pg->last_id, db_row_text(row, 0), sizeof(pg->last_id));
	return json_array_append_new(pg->items, task_row_json(row, pg->u,
							      pg->now)) ? ENOMEM : 0;
}

static const char *const views[] = {"mine", "pool", "overdue", "all", NULL};

static bool in_words(const char *v, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(v, *words))
			return true;
	return false;
}

/* The list's filters, read from the query on the worker (no loop state
 * is needed to read a query string). */
struct filters {
	char view[16], state[16], origin[16], pool[64], assignee[API_NAME_MAX + 1];
	char phone[40];
	int64_t from, to, c_due;
	char c_id[UTIL_ID_LEN];
	size_t limit;
};

static int query_word(struct task_job *t, const char *key, char *out,
		      size_t n, const char *def)
{
	int err = api_query_get(t->j.req.query, key, out, n);

	if (err == ENOENT) {
		util_strlcpy(out, def, n);
		return 0;
	}
	if (err) {
		task_fail(t, 400, "%s: too long or badly escaped", key);
		return EINVAL;
	}
	return 0;
}

static int query_time(struct task_job *t, const char *key, int64_t def,
		      int64_t *ms)
{
	char v[64];
	int err = api_query_get(t->j.req.query, key, v, sizeof(v));

	*ms = def;
	if (err == ENOENT)
		return 0;
	if (err || util_parse_rfc3339(v, ms)) {
		task_fail(t, 400, "%s: want an RFC 3339 time "
			  "(2026-01-31T08:00:00Z)", key);
		return EINVAL;
	}
	return 0;
}

static int read_filters(struct task_job *t, struct filters *f)
{
	enum task_state st;
	char v[API_CURSOR_LEN];
	uint64_t lim;
	int err;

	memset(f, 0, sizeof(*f));
	f->limit = LIMIT_DEFAULT;
	f->c_due = INT64_MIN;
	if (query_word(t, "view", f->view, sizeof(f->view), "mine") ||
	    query_word(t, "origin", f->origin, sizeof(f->origin), "") ||
	    query_word(t, "pool", f->pool, sizeof(f->pool), "") ||
	    query_word(t, "assignee", f->assignee, sizeof(f->assignee), "") ||
	    query_word(t, "phone", f->phone, sizeof(f->phone), "") ||
	    query_word(t, "state", f->state, sizeof(f->state),
		       !strcmp(f->view, "all") ? "any" : "open") ||
	    query_time(t, "from", INT64_MIN, &f->from) ||
	    query_time(t, "to", INT64_MAX, &f->to))
		return EINVAL;
	if (!in_words(f->view, views)) {
		task_fail(t, 400, "view: want mine, pool, overdue or all");
		return EINVAL;
	}
	if (!strcmp(f->state, "any"))
		f->state[0] = '\0';
	else if (task_state_parse(f->state, &st)) {
		task_fail(t, 400, "state: want open, done, cancelled or any");
		return EINVAL;
	}
	if (f->origin[0] && !task_origin_ok(f->origin)) {
		task_fail(t, 400, "origin: want manual, voicemail, abandoned or "
			  "ticket");
		return EINVAL;
	}
	err = api_query_get(t->j.req.query, "limit", v, sizeof(v));
	if (err != ENOENT) {
		if (err || util_parse_u64(v, 1, LIMIT_MAX, &lim)) {
			task_fail(t, 400, "limit: want 1..%d", LIMIT_MAX);
			return EINVAL;
		}
		f->limit = (size_t)lim;
	}
	err = api_query_get(t->j.req.query, "cursor", v, sizeof(v));
	if (err != ENOENT && (err || api_cursor_decode(v, &f->c_due, f->c_id))) {
		task_fail(t, 400, "cursor: use next_cursor from the previous "
			  "page");
		return EINVAL;
	}
	return 0;
}

static void list_work(struct task_job *t, struct db *db)
{
	const struct api_user *u = &t->j.req.user;
	struct page pg = {.u = u, .now = t->now};
	char sql[8192], pools[POOLS_MAX * 70], next[API_CURSOR_LEN];
	struct filters f;

	if (read_filters(t, &f))
		return;
	pg.limit = f.limit;
	pools_in(db, u, pools, sizeof(pools));
	/* Every filter is bound, empty meaning "any", so the statement's
	 * shape is one; the page is keyed on (due_at, id), soonest first. */
	snprintf(sql, sizeof(sql), "SELECT " TASK_COLS " " TASK_FROM " WHERE "
		 SCOPE_SQL " AND (? <> 'mine' OR t.assignee = ?) "
		 "AND (? <> 'pool' OR t.assignee IS NULL) "
		 "AND (? <> 'overdue' OR (t.state = 'open' AND t.due_at < ?)) "
		 "AND (? = '' OR t.state = ?) AND (? = '' OR t.origin = ?) "
		 "AND (? = '' OR t.pool = ?) AND (? = '' OR u.username = ?) "
		 "AND (? = '' OR t.phone = ?) "
		 "AND t.due_at >= ? AND t.due_at < ? "
		 "AND (t.due_at > ? OR (t.due_at = ? AND t.id > ?)) "
		 "ORDER BY t.due_at, t.id LIMIT %zu", pools, f.limit + 1);
	pg.items = json_array();
	if (!pg.items || db_query(db, page_row, &pg, sql, SCOPE_TYPES
			"tttti" "tttttttttt" "ii" "iit",
			scope_word(u), u->id, scope_word(u), u->dept,
			f.view, u->id, f.view, f.view, t->now,
			f.state, f.state, f.origin, f.origin, f.pool, f.pool,
			f.assignee, f.assignee, f.phone, f.phone, f.from, f.to,
			f.c_due, f.c_due, f.c_id)) {
		json_decref(pg.items);
		task_fail(t, 500, "cannot read tasks");
		return;
	}
	if (pg.n > pg.limit)
		api_cursor_encode(next, pg.last_due, pg.last_id);
	task_ok(t, 200, json_pack("{s:o, s:s?}", "items", pg.items,
				  "next_cursor", pg.n > pg.limit ? next : NULL));
}

void task_h_list(struct api_req *req)
{
	task_job_run(req, list_work, TASK_BODY_NONE);
}

static void get_work(struct task_job *t, struct db *db)
{
	json_t *out;
	int err = visible(db, &t->j.req.user, t->id);

	if (!err)
		err = task_read(db, t->id, &t->j.req.user, t->now, &out);
	if (err == ENOENT)
		task_fail(t, 404, "no such task");
	else if (err)
		task_fail(t, 500, "cannot read the task");
	else
		task_ok(t, 200, out);
}

void task_h_get(struct api_req *req)
{
	task_job_run(req, get_work, TASK_BODY_NONE);
}

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

	return !db_query(db, count_row, &n, "SELECT COUNT(*) FROM queues "
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
	int err = visible(db, u, t->id);

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
	char pools[POOLS_MAX * 70];
	struct cur c;
	json_t *out;
	int err = visible(db, u, t->id);

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
		char sql[POOLS_MAX * 70 + 128];
		int64_t n = 0;

		pools_in(db, u, pools, sizeof(pools));
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM tasks t WHERE "
			 "t.id = ? AND t.pool IN (%s)", pools);
		if (db_query(db, count_row, &n, sql, "t", t->id)) {
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
