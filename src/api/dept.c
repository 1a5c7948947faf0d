/* api/dept: departments (部门), the organisation's tree: GET lists them
 * (each with its parent, and the tree of them), POST creates one, PUT
 * renames or moves one, DELETE removes an empty one. Administrators only.
 *
 * Everything runs on the worker pool. A move that would make a cycle (a
 * department under itself or under one of its own) is refused with 400,
 * found by walking up from the new parent. A department with users or
 * children is not deleted (409): the check is in the DELETE's own WHERE,
 * so a user added meanwhile cannot be left pointing nowhere. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/api.h"
#include "api/api_int.h"
#include "base/log.h"
#include "db/db.h"

enum { DEPT_NAME_MAX = 100, DEPT_MAX = 1024 };

struct dept {
	char id[UTIL_ID_LEN];
	char parent[UTIL_ID_LEN];      /* "" for a top department */
};

struct dept_job {
	struct api_job j;
	enum { LIST, ADD, CHANGE, DROP } op;
	char id[UTIL_ID_LEN];
	char name[DEPT_NAME_MAX + 1];
	bool set_name, set_parent;
	char parent[UTIL_ID_LEN];      /* "" for none */
	char why[200];
	json_t *out;
	struct dept all[DEPT_MAX];     /* the tree, for the cycle check */
	size_t n;
};

static void job_clean(struct api_job *j)
{
	json_decref(((struct dept_job *)j)->out);
}

static int dept_row(const struct db_row *row, void *arg)
{
	char created[UTIL_TIME_LEN];
	json_t *item;

	util_rfc3339(created, db_row_int(row, 3));
	item = json_pack("{s:s, s:s, s:s?, s:s, s:I}", "id", db_row_text(row, 0),
			 "name", db_row_text(row, 1),
			 "parent_id", db_row_text(row, 2),
			 "created_at", created,
			 "users", (json_int_t)db_row_int(row, 4));
	return json_array_append_new(arg, item) ? ENOMEM : 0;
}

static const char select_sql[] =
	"SELECT d.id, d.name, d.parent_id, d.created_at, "
	"(SELECT COUNT(*) FROM users u WHERE u.department_id = d.id) "
	"FROM departments d";

/* The children of parent (NULL: the top ones) under "children", nested;
 * flat holds every department. depth stops a cycle the database holds
 * anyway from recursing for ever. */
static json_t *tree_of(const json_t *flat, const char *parent, unsigned depth)
{
	json_t *out = json_array(), *d;
	size_t i;

	if (!out || depth > DEPT_MAX)
		return out;
	json_array_foreach(flat, i, d) {
		const char *p = json_string_value(json_object_get(d, "parent_id"));
		json_t *node;

		if (parent ? !p || strcmp(p, parent) : p != NULL)
			continue;
		node = json_copy((json_t *)d);
		json_object_set_new(node, "children", tree_of(flat,
			json_string_value(json_object_get(d, "id")), depth + 1));
		json_array_append_new(out, node);
	}
	return out;
}

static int read_all(struct db *db, json_t **out)
{
	char sql[sizeof(select_sql) + 40];
	json_t *items = json_array();
	int err;

	snprintf(sql, sizeof(sql), "%s ORDER BY d.name, d.id", select_sql);
	err = !items ? ENOMEM : db_query(db, dept_row, items, sql, "");
	if (err) {
		json_decref(items);
		return err;
	}
	*out = items;
	return 0;
}

static int read_one(struct db *db, const char *id, json_t **out)
{
	char sql[sizeof(select_sql) + 40];
	json_t *items = json_array();
	int err;

	snprintf(sql, sizeof(sql), "%s WHERE d.id = ?", select_sql);
	err = !items ? ENOMEM : db_query(db, dept_row, items, sql, "t", id);
	if (!err && !json_array_size(items))
		err = ENOENT;
	if (!err)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return err;
}

static int link_row(const struct db_row *row, void *arg)
{
	struct dept_job *d = arg;

	if (d->n == DEPT_MAX)
		return ENOSPC;
	util_strlcpy(d->all[d->n].id, db_row_text(row, 0), UTIL_ID_LEN);
	util_strlcpy(d->all[d->n].parent, db_row_text(row, 1) ?
		     db_row_text(row, 1) : "", UTIL_ID_LEN);
	d->n++;
	return 0;
}

static const char *parent_of(const struct dept_job *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->all[i].id, id))
			return d->all[i].parent;
	return NULL;
}

/* The parent d->parent may take d->id under it: 0, ENOENT (no such
 * department) or ELOOP (it is d->id or below it). */
static int parent_ok(struct db *db, struct dept_job *d)
{
	const char *at = d->parent;
	int err;

	if (!*d->parent)
		return 0;
	d->n = 0;
	err = db_query(db, link_row, d, "SELECT id, parent_id FROM departments",
		       "");
	if (err)
		return err;
	if (!parent_of(d, d->parent))
		return ENOENT;
	for (size_t hops = 0; at && *at && hops <= d->n; hops++) {
		if (!strcmp(at, d->id))
			return ELOOP;
		at = parent_of(d, at);
	}
	return 0;
}

static int check_parent(struct db *db, struct dept_job *d)
{
	int err = parent_ok(db, d);

	if (err == ENOENT)
		snprintf(d->why, sizeof(d->why), "parent_id: no department "
			 "'%s'", d->parent);
	else if (err == ELOOP)
		snprintf(d->why, sizeof(d->why), "parent_id: '%s' is the "
			 "department itself or under it", d->parent);
	return err == ENOENT || err == ELOOP ? EINVAL : err;
}

static const char *or_null(const char *s)
{
	return *s ? s : NULL;
}

static int add(struct db *db, struct dept_job *d)
{
	int err;

	util_random_id(d->id);
	err = check_parent(db, d);
	return err ? err : db_exec(db, "INSERT INTO departments (id, name, "
				   "parent_id, created_at) VALUES (?, ?, ?, ?)",
				   "ttti", d->id, d->name, or_null(d->parent),
				   util_now_ms());
}

static int change(struct db *db, struct dept_job *d)
{
	json_t *old = NULL;
	int err = read_one(db, d->id, &old);

	json_decref(old);
	if (err == ENOENT)
		snprintf(d->why, sizeof(d->why), "no department '%s'", d->id);
	err = err ? err : d->set_parent ? check_parent(db, d) : 0;
	if (!err && d->set_name)
		err = db_exec(db, "UPDATE departments SET name = ? WHERE id = ?",
			      "tt", d->name, d->id);
	if (!err && d->set_parent)
		err = db_exec(db, "UPDATE departments SET parent_id = ? "
			      "WHERE id = ?", "tt", or_null(d->parent), d->id);
	return err;
}

static int drop(struct db *db, struct dept_job *d)
{
	int err = read_one(db, d->id, &d->out);

	if (err == ENOENT)
		snprintf(d->why, sizeof(d->why), "no department '%s'", d->id);
	err = err ? err : db_exec(db, "DELETE FROM departments WHERE id = ? "
		"AND NOT EXISTS (SELECT 1 FROM users WHERE department_id = ?) "
		"AND NOT EXISTS (SELECT 1 FROM departments WHERE parent_id = ?)",
		"ttt", d->id, d->id, d->id);
	json_decref(d->out);
	d->out = NULL;
	if (err || read_one(db, d->id, &d->out) == ENOENT)
		return err;
	snprintf(d->why, sizeof(d->why), "department '%s' still has users or "
		 "departments under it", d->id);
	return EBUSY;
}

static void work(struct api_job *j)
{
	struct dept_job *d = (struct dept_job *)j;
	struct db *db = j->req.api->db;
	json_t *flat = NULL;

	switch (d->op) {
	case LIST:
		j->err = read_all(db, &flat);
		if (!j->err)
			d->out = json_pack("{s:O, s:o}", "items", flat, "tree",
					   tree_of(flat, NULL, 0));
		json_decref(flat);
		return;
	case ADD:
		j->err = add(db, d);
		break;
	case CHANGE:
		j->err = change(db, d);
		break;
	case DROP:
		j->err = drop(db, d);
		return;
	}
	if (!j->err)
		j->err = read_one(db, d->id, &d->out);
}

static void done(struct api_job *j)
{
	struct dept_job *d = (struct dept_job *)j;
	uint16_t st = j->err == EINVAL ? 400 : j->err == ENOENT ? 404 :
		j->err == EBUSY ? 409 : 500;

	if (j->err) {
		api_reply_error(j->req.conn, st, "%s", d->why[0] ? d->why :
				"cannot store the department");
		return;
	}
	if (d->op == DROP)
		d->out = json_pack("{s:s, s:b}", "id", d->id, "deleted", 1);
	else if (d->op != LIST)
		log_info("api.department", "id=%s name=\"%s\" by=%s", d->id,
			 json_string_value(json_object_get(d->out, "name")),
			 j->req.user.username);
	api_reply_json(j->req.conn, d->op == ADD ? 201 : 200, NULL,
		       json_incref(d->out));
}

/* name and parent_id from body; create: name is required. */
static int parse(json_t *body, struct dept_job *d, bool create, char *why,
		 size_t n)
{
	const char *key, *s;
	json_t *v;

	json_object_foreach(body, key, v) {
		if (!strcmp(key, "name")) {
			s = json_string_value(v);
			if (!s || !*s || strlen(s) > DEPT_NAME_MAX) {
				snprintf(why, n, "name: want 1..%d bytes",
					 DEPT_NAME_MAX);
				return EINVAL;
			}
			util_strlcpy(d->name, s, sizeof(d->name));
			d->set_name = true;
		} else if (!strcmp(key, "parent_id")) {
			s = json_is_null(v) ? "" : json_string_value(v);
			if (!s || util_strlcpy(d->parent, s, sizeof(d->parent))) {
				snprintf(why, n, "parent_id: want a department's "
					 "id or null");
				return EINVAL;
			}
			d->set_parent = true;
		} else {
			snprintf(why, n, "%.40s: unknown field", key);
			return EINVAL;
		}
	}
	if (create && !d->set_name) {
		snprintf(why, n, "name: missing");
		return EINVAL;
	}
	return 0;
}

static void start(struct api_req *req, int op)
{
	const char *id = api_param(&req->params, "id");
	struct dept_job *d;
	json_t *body = NULL;
	char why[200];
	int err = 0;

	if ((op == ADD || op == CHANGE) &&
	    api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	d = api_job_alloc(req, sizeof(*d), work, done, job_clean);
	if (!d) {
		json_decref(body);
		return;
	}
	d->op = op;
	if (id && util_strlcpy(d->id, id, sizeof(d->id))) {
		api_reply_error(req->conn, 404, "no department '%.40s'", id);
		json_decref(body);
		mem_deref(d);
		return;
	}
	if (body)
		err = parse(body, d, op == ADD, why, sizeof(why));
	json_decref(body);
	if (err) {
		api_reply_error(req->conn, 400, "%s", why);
		mem_deref(d);
		return;
	}
	api_job_queue(d);
}

void api_h_depts(struct api_req *req)
{
	start(req, LIST);
}

void api_h_dept_post(struct api_req *req)
{
	start(req, ADD);
}

void api_h_dept_put(struct api_req *req)
{
	start(req, CHANGE);
}

void api_h_dept_delete(struct api_req *req)
{
	start(req, DROP);
}
