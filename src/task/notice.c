/* task/notice: notices (公告). Administrators and supervisors publish a
 * notice (title, body, optional expiry) to roles and/or departments (a
 * department includes those below it; none of either: everyone, and both
 * together narrow: the agents of one department). Everyone lists the
 * live notices of their audience with a read flag and the unread count,
 * and marks them read; the publishers read the receipts: who in the
 * audience read it, when. notice.published goes over the CTI WebSocket to
 * the audience alone (api/scope_ws.c reads data.audience). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "task/task.h"
#include "task/task_int.h"

enum { TITLE_MAX = 200, BODY_MAX = 20000, TARGETS_MAX = 32, LIST_MAX = 200 };

/* Notices n whose audience holds a user of role ? in department ?
 * (the department and every one above it may be targeted). */
#define AUDIENCE_SQL "((NOT EXISTS (SELECT 1 FROM notice_targets x WHERE " \
	"x.notice_id = n.id AND x.kind = 'role') OR EXISTS (SELECT 1 FROM " \
	"notice_targets x WHERE x.notice_id = n.id AND x.kind = 'role' AND " \
	"x.value = ?)) AND (NOT EXISTS (SELECT 1 FROM notice_targets x WHERE " \
	"x.notice_id = n.id AND x.kind = 'department') OR EXISTS (SELECT 1 " \
	"FROM notice_targets x WHERE x.notice_id = n.id AND x.kind = " \
	"'department' AND x.value IN (WITH RECURSIVE up(id) AS (SELECT ? " \
	"UNION SELECT d.parent_id FROM departments d JOIN up ON d.id = up.id " \
	"WHERE d.parent_id IS NOT NULL) SELECT id FROM up))))"

static json_t *time_json(const struct db_row *row, int i)
{
	char t[UTIL_TIME_LEN];

	if (db_row_isnull(row, i))
		return json_null();
	util_rfc3339(t, db_row_int(row, i));
	return json_string(t);
}

struct list {
	json_t *items;
	int64_t unread;
};

/* id, title, body, expires_at, created_at, author, read_at */
static int notice_row(const struct db_row *row, void *arg)
{
	struct list *l = arg;
	bool read = !db_row_isnull(row, 6);

	if (!read)
		l->unread++;
	return json_array_append_new(l->items, json_pack(
		"{s:s, s:s, s:s, s:o, s:o, s:s, s:b, s:o}",
		"id", db_row_text(row, 0), "title", db_row_text(row, 1),
		"body", db_row_text(row, 2), "expires_at", time_json(row, 3),
		"created_at", time_json(row, 4), "created_by",
		db_row_text(row, 5) ?: "", "read", read, "read_at",
		time_json(row, 6))) ? ENOMEM : 0;
}

static int target_row(const struct db_row *row, void *arg)
{
	json_t *o = arg;
	const char *kind = db_row_text(row, 0);

	return json_array_append_new(json_object_get(o, !strcmp(kind, "role") ?
		"roles" : "departments"), json_string(db_row_text(row, 1)));
}

/* Adds each notice's roles and departments (for the publishers' view). */
static int add_targets(struct db *db, json_t *items)
{
	size_t i;
	json_t *o;

	json_array_foreach(items, i, o) {
		json_object_set_new(o, "roles", json_array());
		json_object_set_new(o, "departments", json_array());
		if (db_query(db, target_row, o, "SELECT kind, value FROM "
			     "notice_targets WHERE notice_id = ? ORDER BY kind, "
			     "value", "t", json_string_value(json_object_get(o,
								     "id"))))
			return EIO;
	}
	return 0;
}

#define NOTICE_COLS "n.id, n.title, n.body, n.expires_at, n.created_at, " \
	"(SELECT username FROM users WHERE id = n.created_by), r.read_at"

static void list_work(struct task_job *t, struct db *db)
{
	const struct api_user *u = &t->j.req.user;
	struct list l = {.items = json_array()};
	char v[8] = "";
	bool all;
	int err;

	err = api_query_get(t->j.req.query, "all", v, sizeof(v));
	all = err != ENOENT && !strcmp(v, "1");
	if (err != ENOENT && strcmp(v, "1") && strcmp(v, "0")) {
		task_fail(t, 400, "all: want 1 or 0");
		goto fail;
	}
	if (all && !task_is_manager(u)) {
		task_fail(t, 403, "all: only a publisher lists every notice");
		goto fail;
	}
	err = all ? db_query(db, notice_row, &l, "SELECT " NOTICE_COLS " FROM "
			     "notices n LEFT JOIN notice_reads r ON r.notice_id "
			     "= n.id AND r.user_id = ? ORDER BY n.created_at "
			     "DESC, n.id DESC LIMIT 500", "t", u->id) :
		db_query(db, notice_row, &l, "SELECT " NOTICE_COLS " FROM "
			 "notices n LEFT JOIN notice_reads r ON r.notice_id = "
			 "n.id AND r.user_id = ? WHERE (n.expires_at IS NULL OR "
			 "n.expires_at > ?) AND " AUDIENCE_SQL " ORDER BY "
			 "n.created_at DESC, n.id DESC LIMIT 500", "titt", u->id,
			 t->now, u->role, u->dept);
	if (err || (all && add_targets(db, l.items))) {
		task_fail(t, 500, "cannot read notices");
		goto fail;
	}
	task_ok(t, 200, json_pack("{s:o, s:I}", "items", l.items, "unread",
				  (json_int_t)l.unread));
	return;
 fail:
	json_decref(l.items);
}

void notice_h_list(struct api_req *req)
{
	task_job_run(req, list_work, TASK_BODY_NONE);
}

/* ---- publishing */

struct notice_in {
	const char *title, *body;
	bool has_expiry, has_roles, has_depts;
	int64_t expires;           /* 0: never */
	const json_t *roles, *depts;
};

/* Checks a list of role names or department ids; 0 or the 400 set. */
static int check_targets(struct task_job *t, struct db *db, const char *key,
			 const json_t *v)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v) || json_array_size(v) > TARGETS_MAX) {
		task_fail(t, 400, "%s: want a list of at most %d", key,
			  TARGETS_MAX);
		return EINVAL;
	}
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);
		unsigned bit;
		int64_t n = 0;

		if (!s || !*s || strlen(s) > 64) {
			task_fail(t, 400, "%s: item %zu is no name", key, i);
			return EINVAL;
		}
		if (!strcmp(key, "roles") && api_role_parse(s, &bit)) {
			task_fail(t, 400, "roles: no role '%s' (want %s)", s,
				  "admin, executive, supervisor, qa, backoffice "
				  "or agent");
			return EINVAL;
		}
		if (!strcmp(key, "departments") &&
		    (db_query(db, task_count_row, &n, "SELECT COUNT(*) FROM "
			      "departments WHERE id = ?", "t", s) || !n)) {
			task_fail(t, 400, "departments: no department '%s'", s);
			return EINVAL;
		}
	}
	return 0;
}

static int read_notice(struct task_job *t, struct db *db, struct notice_in *in,
		       bool create)
{
	const char *key;
	json_t *v;

	memset(in, 0, sizeof(*in));
	json_object_foreach(t->body, key, v) {
		if (!strcmp(key, "title") || !strcmp(key, "body")) {
			const char *s = json_string_value(v);
			size_t max = key[0] == 't' ? TITLE_MAX : BODY_MAX;

			if (!s || !*s || strlen(s) > max) {
				task_fail(t, 400, "%s: want non-empty text of at "
					  "most %zu bytes", key, max);
				return EINVAL;
			}
			*(key[0] == 't' ? &in->title : &in->body) = s;
		} else if (!strcmp(key, "expires_at")) {
			in->has_expiry = true;
			if (!json_is_null(v) && (!json_is_string(v) ||
			    util_parse_rfc3339(json_string_value(v),
					       &in->expires))) {
				task_fail(t, 400, "expires_at: want an RFC 3339 "
					  "time or null");
				return EINVAL;
			}
		} else if (!strcmp(key, "roles") ||
			   !strcmp(key, "departments")) {
			if (check_targets(t, db, key, v))
				return EINVAL;
			if (key[0] == 'r') {
				in->roles = v;
				in->has_roles = true;
			} else {
				in->depts = v;
				in->has_depts = true;
			}
		} else {
			task_fail(t, 400, "%s: unknown field", key);
			return EINVAL;
		}
	}
	if (create && (!in->title || !in->body)) {
		task_fail(t, 400, "%s: required", in->title ? "body" : "title");
		return EINVAL;
	}
	return 0;
}

static int write_targets(struct db *db, const char *id, const char *kind,
			 const json_t *list)
{
	size_t i;
	json_t *e;

	if (db_exec(db, "DELETE FROM notice_targets WHERE notice_id = ? AND "
		    "kind = ?", "tt", id, kind))
		return EIO;
	json_array_foreach(list, i, e)
		if (db_exec(db, "INSERT INTO notice_targets (notice_id, kind, "
			    "value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			    "ttt", id, kind, json_string_value(e)))
			return EIO;
	return 0;
}

static int dept_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_string(db_row_text(row, 0)));
}

/* notice.published for notice id: its audience with the departments'
 * subtrees spelled out, as the WebSocket compares a user's own. */
static void announce(struct task_job *t, struct db *db, const json_t *n)
{
	json_t *aud = json_object(), *roles = json_array(), *depts = json_array();
	const char *id = json_string_value(json_object_get(n, "id"));

	json_array_extend(roles, json_object_get(n, "roles"));
	if (json_array_size(json_object_get(n, "departments")))
		(void)db_query(db, dept_row, depts, "WITH RECURSIVE sub(id) AS "
			       "(SELECT value FROM notice_targets WHERE "
			       "notice_id = ? AND kind = 'department' UNION "
			       "SELECT d.id FROM departments d JOIN sub ON "
			       "d.parent_id = sub.id) SELECT id FROM sub", "t",
			       id);
	if (!json_array_size(roles) && !json_array_size(depts))
		json_object_set_new(aud, "all", json_true());
	if (json_array_size(roles))
		json_object_set(aud, "roles", roles);
	if (json_array_size(depts))
		json_object_set(aud, "departments", depts);
	json_decref(roles);
	json_decref(depts);
	t->ev = BUS_NOTICE_PUBLISHED;
	util_strlcpy(t->ev_subject, id, sizeof(t->ev_subject));
	t->ev_data = json_pack("{s:s, s:O, s:O, s:o}", "id", id, "title",
			       json_object_get(n, "title"), "expires_at",
			       json_object_get(n, "expires_at"), "audience",
			       aud);
}

/* Reads notice id as the publishers see it (targets included). */
static int read_one(struct db *db, const char *id, const char *uid,
		    json_t **out)
{
	struct list l = {.items = json_array()};

	if (!l.items || db_query(db, notice_row, &l, "SELECT " NOTICE_COLS
				 " FROM notices n LEFT JOIN notice_reads r ON "
				 "r.notice_id = n.id AND r.user_id = ? WHERE "
				 "n.id = ?", "tt", uid, id) ||
	    add_targets(db, l.items)) {
		json_decref(l.items);
		return EIO;
	}
	*out = json_incref(json_array_get(l.items, 0));
	json_decref(l.items);
	return *out ? 0 : ENOENT;
}

static void save_work(struct task_job *t, struct db *db)
{
	bool create = !t->id[0];
	struct notice_in in;
	char id[UTIL_ID_LEN];
	json_t *out;
	int err;

	if (read_notice(t, db, &in, create))
		return;
	if (create) {
		util_random_id(id);
		err = db_exec(db, "INSERT INTO notices (id, title, body, "
			      "expires_at, created_by, created_at, updated_at) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?)", "ttt" "i" "tii", id,
			      in.title, in.body, in.expires, t->j.req.user.id,
			      t->now, t->now);
		if (!err && !in.expires)
			err = db_exec(db, "UPDATE notices SET expires_at = NULL "
				      "WHERE id = ?", "t", id);
	} else {
		util_strlcpy(id, t->id, sizeof(id));
		err = read_one(db, id, t->j.req.user.id, &out);
		if (err == ENOENT) {
			task_fail(t, 404, "no such notice");
			return;
		}
		json_decref(out);
		if (!err)
			err = db_exec(db, "UPDATE notices SET title = COALESCE(?, "
				      "title), body = COALESCE(?, body), "
				      "expires_at = CASE WHEN ? = 1 THEN ? ELSE "
				      "expires_at END, updated_at = ? WHERE id = ?",
				      "tt" "ii" "it", in.title, in.body,
				      (int64_t)in.has_expiry, in.expires, t->now,
				      id);
		if (!err && in.has_expiry && !in.expires)
			err = db_exec(db, "UPDATE notices SET expires_at = NULL "
				      "WHERE id = ?", "t", id);
	}
	if (!err && in.has_roles)
		err = write_targets(db, id, "role", in.roles);
	if (!err && in.has_depts)
		err = write_targets(db, id, "department", in.depts);
	if (err || read_one(db, id, t->j.req.user.id, &out)) {
		task_fail(t, 500, "cannot store the notice");
		return;
	}
	announce(t, db, out);
	task_ok(t, create ? 201 : 200, out);
}

void notice_h_create(struct api_req *req)
{
	task_job_run(req, save_work, TASK_BODY_NEED);
}

void notice_h_update(struct api_req *req)
{
	task_job_run(req, save_work, TASK_BODY_NEED);
}

static void delete_work(struct task_job *t, struct db *db)
{
	int64_t n = 0;

	if (db_query(db, task_count_row, &n, "SELECT COUNT(*) FROM notices WHERE "
		     "id = ?", "t", t->id)) {
		task_fail(t, 500, "cannot read notices");
		return;
	}
	if (!n) {
		task_fail(t, 404, "no such notice");
		return;
	}
	if (db_exec(db, "DELETE FROM notice_reads WHERE notice_id = ?", "t",
		    t->id) ||
	    db_exec(db, "DELETE FROM notice_targets WHERE notice_id = ?", "t",
		    t->id) ||
	    db_exec(db, "DELETE FROM notices WHERE id = ?", "t", t->id)) {
		task_fail(t, 500, "cannot delete the notice");
		return;
	}
	task_ok(t, 200, json_pack("{s:s, s:b}", "id", t->id, "deleted", 1));
}

void notice_h_delete(struct api_req *req)
{
	task_job_run(req, delete_work, TASK_BODY_NONE);
}

/* ---- reading and receipts */

static void read_work(struct task_job *t, struct db *db)
{
	const struct api_user *u = &t->j.req.user;
	char at[UTIL_TIME_LEN];
	int64_t n = 0, when = 0;

	if (db_query(db, task_count_row, &n, "SELECT COUNT(*) FROM notices n WHERE "
		     "n.id = ? AND " AUDIENCE_SQL, "ttt", t->id, u->role,
		     u->dept)) {
		task_fail(t, 500, "cannot read notices");
		return;
	}
	if (!n) {
		task_fail(t, 404, "no such notice for you");
		return;
	}
	/* The first read is the receipt; reading again changes nothing. */
	if (db_exec(db, "INSERT INTO notice_reads (notice_id, user_id, "
		    "read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", "tti",
		    t->id, u->id, t->now) ||
	    db_query(db, task_count_row, &when, "SELECT read_at FROM notice_reads "
		     "WHERE notice_id = ? AND user_id = ?", "tt", t->id, u->id)) {
		task_fail(t, 500, "cannot store the receipt");
		return;
	}
	util_rfc3339(at, when);
	task_ok(t, 200, json_pack("{s:s, s:b, s:s}", "id", t->id, "read", 1,
				  "read_at", at));
}

void notice_h_read(struct api_req *req)
{
	task_job_run(req, read_work, TASK_BODY_OPTIONAL);
}

struct receipts {
	json_t *items;
	int64_t read;
};

static int receipt_row(const struct db_row *row, void *arg)
{
	struct receipts *r = arg;

	if (!db_row_isnull(row, 3))
		r->read++;
	return json_array_append_new(r->items, json_pack(
		"{s:s, s:s, s:s, s:o}", "username", db_row_text(row, 0),
		"display_name", db_row_text(row, 1) ?: "", "role",
		db_row_text(row, 2), "read_at", time_json(row, 3))) ?
		ENOMEM : 0;
}

static void receipts_work(struct task_job *t, struct db *db)
{
	struct receipts r = {.items = json_array()};
	int64_t n = 0;

	if (db_query(db, task_count_row, &n, "SELECT COUNT(*) FROM notices WHERE "
		     "id = ?", "t", t->id) || !n) {
		task_fail(t, n ? 500 : 404, n ? "cannot read notices" :
			  "no such notice");
		goto fail;
	}
	/* The audience now, read or not; the targeted departments are
	 * spelled out downwards (the one query the audience needs). */
	if (db_query(db, receipt_row, &r, "SELECT u.username, u.display_name, "
		     "u.role, r.read_at FROM users u LEFT JOIN notice_reads r ON "
		     "r.notice_id = ? AND r.user_id = u.id WHERE (NOT EXISTS "
		     "(SELECT 1 FROM notice_targets x WHERE x.notice_id = ? AND "
		     "x.kind = 'role') OR u.role IN (SELECT value FROM "
		     "notice_targets WHERE notice_id = ? AND kind = 'role')) AND "
		     "(NOT EXISTS (SELECT 1 FROM notice_targets x WHERE "
		     "x.notice_id = ? AND x.kind = 'department') OR "
		     "u.department_id IN (WITH RECURSIVE sub(id) AS (SELECT "
		     "value FROM notice_targets WHERE notice_id = ? AND kind = "
		     "'department' UNION SELECT d.id FROM departments d JOIN sub "
		     "ON d.parent_id = sub.id) SELECT id FROM sub)) ORDER BY "
		     "r.read_at IS NULL, r.read_at, u.username", "ttttt", t->id,
		     t->id, t->id, t->id, t->id)) {
		task_fail(t, 500, "cannot read receipts");
		goto fail;
	}
	task_ok(t, 200, json_pack("{s:s, s:I, s:I, s:o}", "id", t->id, "read",
				  (json_int_t)r.read, "total",
				  (json_int_t)json_array_size(r.items), "items",
				  r.items));
	return;
 fail:
	json_decref(r.items);
}

void notice_h_receipts(struct api_req *req)
{
	task_job_run(req, receipts_work, TASK_BODY_NONE);
}
