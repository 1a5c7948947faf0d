/* ticket/config: what configures the work orders — categories and the
 * service catalogue (names, kept inactive rather than deleted, since old
 * orders still name them), routing rules, time limits and how each
 * department takes orders. GET reads, PUT replaces the whole list after
 * checking every item: a refusal names the item and field and changes
 * nothing. Reads and writes run on the worker pool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "ticket/http_int.h"
#include "ticket/ticket_int.h"

/* ---- reads: one query, columns named in order */

enum col_kind { K_TEXT, K_INT, K_BOOL };

struct read_job {
	struct api_job j;
	const char *sql;
	const char *const *names;
	const enum col_kind *kinds;
	size_t ncols;
	json_t *items;
};

static int read_row(const struct db_row *row, void *arg)
{
	struct read_job *r = arg;
	json_t *o = json_object();

	for (size_t i = 0; i < r->ncols; i++) {
		json_t *v = db_row_isnull(row, (int)i) ? json_null() :
			r->kinds[i] == K_INT ? json_integer(db_row_int(row, (int)i)) :
			r->kinds[i] == K_BOOL ? json_boolean(db_row_int(row, (int)i)) :
			json_string(db_row_text(row, (int)i));
		json_object_set_new(o, r->names[i], v);
	}
	json_array_append_new(r->items, o);
	return 0;
}

static void read_work(struct api_job *j)
{
	struct read_job *r = (struct read_job *)j;

	r->items = json_array();
	j->err = db_query(api_house(&j->req)->db, read_row, r, r->sql, "");
}

static void read_done(struct api_job *j)
{
	struct read_job *r = (struct read_job *)j;

	if (j->err)
		api_reply_error(j->req.conn, 500, "cannot read the settings");
	else
		api_reply_json(j->req.conn, 200, NULL, json_pack("{s:O}",
							"items", r->items));
}

static void read_clean(struct api_job *j)
{
	json_decref(((struct read_job *)j)->items);
}

static void read_queue(struct api_req *req, const char *sql,
		       const char *const *names, const enum col_kind *kinds,
		       size_t n)
{
	struct read_job *r = api_job_alloc(req, sizeof(*r), read_work,
					   read_done, read_clean);

	if (r) {
		r->sql = sql;
		r->names = names;
		r->kinds = kinds;
		r->ncols = n;
	}
	api_job_queue(r);
}

/* The table a categories or services path names. */
static const char *names_table(const struct api_req *req)
{
	return strstr(req->route->pattern, "categories") ? "wo_categories" :
		"wo_services";
}

void wo_h_names(struct api_req *req)
{
	static const char *const names[] = {"name", "position", "active"};
	static const enum col_kind kinds[] = {K_TEXT, K_INT, K_BOOL};

	read_queue(req, !strcmp(names_table(req), "wo_categories") ?
		   "SELECT name, position, active FROM wo_categories ORDER BY "
		   "position, name" : "SELECT name, position, active FROM "
		   "wo_services ORDER BY position, name", names, kinds, 3);
}

void wo_h_routes(struct api_req *req)
{
	static const char *const names[] = {"category", "service", "department"};
	static const enum col_kind kinds[] = {K_TEXT, K_TEXT, K_TEXT};

	read_queue(req, "SELECT category, service, department_id FROM wo_routes "
		   "ORDER BY category, service", names, kinds, 3);
}

void wo_h_limits(struct api_req *req)
{
	static const char *const names[] = {"category", "priority",
		"first_response_s", "update_s", "complete_s", "warn_pct",
		"max_extension_s"};
	static const enum col_kind kinds[] = {K_TEXT, K_TEXT, K_INT, K_INT,
		K_INT, K_INT, K_INT};

	read_queue(req, "SELECT category, priority, first_response_s, update_s, "
		   "complete_s, warn_pct, max_extension_s FROM wo_limits ORDER "
		   "BY category, priority", names, kinds, 7);
}

void wo_h_depts(struct api_req *req)
{
	static const char *const names[] = {"department", "name", "assign",
		"lead", "calendar"};
	static const enum col_kind kinds[] = {K_TEXT, K_TEXT, K_TEXT, K_TEXT,
		K_TEXT};

	read_queue(req, "SELECT d.id, d.name, COALESCE(w.assign, 'manual'), "
		   "u.username, w.calendar FROM departments d LEFT JOIN "
		   "wo_departments w ON w.department_id = d.id LEFT JOIN users "
		   "u ON u.id = w.lead_user ORDER BY d.name", names, kinds, 5);
}

/* ---- writes: the body checked on the worker (names may need the
 * database), then every statement under wo_lock */

typedef int (put_fn)(struct db *db, const struct api_req *req,
		     const json_t *body, char *why, size_t n, uint16_t *status);

struct put_job {
	struct api_job j;
	put_fn *fn;
	json_t *body;
	uint16_t status;
	char why[256];
};

static void put_work(struct api_job *j)
{
	struct put_job *p = (struct put_job *)j;

	wo_lock();
	p->status = 200;
	j->err = p->fn(api_house(&j->req)->db, &j->req, p->body, p->why,
		       sizeof(p->why), &p->status);
	wo_unlock();
}

static void put_done(struct api_job *j)
{
	struct put_job *p = (struct put_job *)j;

	if (p->status != 200)
		api_reply_error(j->req.conn, p->status, "%s", p->why);
	else if (j->err)
		api_reply_error(j->req.conn, 500, "cannot store the settings");
	else
		api_reply_json(j->req.conn, 200, NULL, json_pack("{s:b}",
								 "ok", 1));
}

static void put_clean(struct api_job *j)
{
	json_decref(((struct put_job *)j)->body);
}

static void put_queue(struct api_req *req, put_fn *fn)
{
	json_t *body = NULL;
	char why[256];
	struct put_job *p;

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	p = api_job_alloc(req, sizeof(*p), put_work, put_done, put_clean);
	if (!p) {
		json_decref(body);
		return;
	}
	p->fn = fn;
	p->body = body;
	api_job_queue(p);
}

/* body.items, a non-empty array of objects of at most max; else 400. */
static const json_t *items_of(const json_t *body, size_t max, char *why,
			      size_t n, uint16_t *status)
{
	const json_t *a = json_object_get(body, "items");

	if (!json_is_array(a) || !json_array_size(a) ||
	    json_array_size(a) > max) {
		snprintf(why, n, "items: want a list of 1..%zu objects", max);
		*status = 400;
		return NULL;
	}
	for (size_t i = 0; i < json_array_size(a); i++)
		if (!json_is_object(json_array_get(a, i))) {
			snprintf(why, n, "items[%zu]: want an object", i);
			*status = 400;
			return NULL;
		}
	return a;
}

/* items[i].key as text of 1..max bytes, or NULL with 400 set. */
static const char *item_text(const json_t *a, size_t i, const char *key,
			     size_t max, char *why, size_t n, uint16_t *status)
{
	const char *s = json_string_value(json_object_get(json_array_get(a, i),
							  key));

	if (!s || !*s || strlen(s) > max) {
		snprintf(why, n, "items[%zu].%s: want text of 1..%zu bytes", i,
			 key, max);
		*status = 400;
		return NULL;
	}
	return s;
}

static int put_names(struct db *db, const struct api_req *req,
		     const json_t *body, char *why, size_t n, uint16_t *status)
{
	const char *table = names_table(req);
	const json_t *a = items_of(body, 100, why, n, status);
	char sql[256];
	int err;

	for (size_t i = 0; a && i < json_array_size(a); i++) {
		const json_t *act = json_object_get(json_array_get(a, i), "active");
		if (!item_text(a, i, "name", 64, why, n, status))
			return 0;
		if (act && !json_is_boolean(act)) {
			snprintf(why, n, "items[%zu].active: want true or false", i);
			*status = 400;
			return 0;
		}
	}
	if (!a)
		return 0;
	/* Names left out stay for the orders that use them, not offered. */
	snprintf(sql, sizeof(sql), "UPDATE %s SET active = 0", table);
	err = db_exec(db, sql, "");
	snprintf(sql, sizeof(sql), "INSERT INTO %s (name, position, active) "
		 "VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = "
		 "excluded.position, active = excluded.active", table);
	for (size_t i = 0; !err && i < json_array_size(a); i++) {
		const json_t *it = json_array_get(a, i);
		const json_t *act = json_object_get(it, "active");
		err = db_exec(db, sql, "tii", json_string_value(json_object_get(
			it, "name")), (int64_t)i + 1,
			(int64_t)(!act || json_is_true(act)));
	}
	return err;
}

static int put_route_rules(struct db *db, const struct api_req *req,
			   const json_t *body, char *why, size_t n,
			   uint16_t *status)
{
	const json_t *a = items_of(body, 1000, why, n, status);
	int err;

	(void)req;
	for (size_t i = 0; a && i < json_array_size(a); i++) {
		const char *d;
		if (!item_text(a, i, "category", 64, why, n, status) ||
		    !item_text(a, i, "service", 64, why, n, status) ||
		    !(d = item_text(a, i, "department", UTIL_ID_LEN - 1, why, n,
				    status)))
			return 0;
		if (!wo_dept_exists(db, d)) {
			snprintf(why, n, "items[%zu].department: no such "
				 "department", i);
			*status = 404;
			return 0;
		}
	}
	if (!a)
		return 0;
	err = db_exec(db, "DELETE FROM wo_routes", "");
	for (size_t i = 0; !err && i < json_array_size(a); i++) {
		const json_t *it = json_array_get(a, i);
		err = db_exec(db, "INSERT INTO wo_routes (category, service, "
			"department_id) VALUES (?, ?, ?) ON CONFLICT (category, "
			"service) DO UPDATE SET department_id = "
			"excluded.department_id", "ttt",
			json_string_value(json_object_get(it, "category")),
			json_string_value(json_object_get(it, "service")),
			json_string_value(json_object_get(it, "department")));
	}
	return err;
}

static const char *const limit_ints[] = {"first_response_s", "update_s",
	"complete_s", "warn_pct", "max_extension_s"};

static int put_limit_rows(struct db *db, const struct api_req *req,
			  const json_t *body, char *why, size_t n,
			  uint16_t *status)
{
	const json_t *a = items_of(body, 1000, why, n, status);
	int err;

	(void)req;
	for (size_t i = 0; a && i < json_array_size(a); i++) {
		const json_t *it = json_array_get(a, i);
		const char *p;
		if (!item_text(a, i, "category", 64, why, n, status) ||
		    !(p = item_text(a, i, "priority", 16, why, n, status)))
			return 0;
		if (strcmp(p, "*") && !wo_priority(p)) {
			snprintf(why, n, "items[%zu].priority: want urgent, high, "
				 "medium, low or *", i);
			*status = 400;
			return 0;
		}
		for (size_t k = 0; k < ARRAY_LEN(limit_ints); k++) {
			const json_t *v = json_object_get(it, limit_ints[k]);
			const bool pct = !strcmp(limit_ints[k], "warn_pct");
			const bool opt = pct || !strcmp(limit_ints[k],
							"max_extension_s");
			if ((!v && opt) || (json_is_integer(v) &&
			    json_integer_value(v) >= (k < 3 ? 1 : 0) &&
			    json_integer_value(v) <= (pct ? 100 : 366 * 86400)))
				continue;
			snprintf(why, n, "items[%zu].%s: want %s", i,
				 limit_ints[k], pct ? "0..100" :
				 "whole business seconds (up to a year)");
			*status = 400;
			return 0;
		}
	}
	if (!a)
		return 0;
	err = db_exec(db, "DELETE FROM wo_limits", "");
	for (size_t i = 0; !err && i < json_array_size(a); i++) {
		const json_t *it = json_array_get(a, i);
		const json_t *pct = json_object_get(it, "warn_pct");
		const json_t *mx = json_object_get(it, "max_extension_s");
		const char *p = json_string_value(json_object_get(it, "priority"));
		err = db_exec(db, "INSERT INTO wo_limits (category, priority, "
			"first_response_s, update_s, complete_s, warn_pct, "
			"max_extension_s) VALUES (?, ?, ?, ?, ?, ?, ?) ON "
			"CONFLICT (category, priority) DO NOTHING", "ttiiiii",
			json_string_value(json_object_get(it, "category")),
			strcmp(p, "*") ? wo_priority(p) : "*",
			(int64_t)json_integer_value(json_object_get(it,
				"first_response_s")),
			(int64_t)json_integer_value(json_object_get(it, "update_s")),
			(int64_t)json_integer_value(json_object_get(it,
				"complete_s")),
			(int64_t)(pct ? json_integer_value(pct) : 80),
			(int64_t)(mx ? json_integer_value(mx) : 0));
	}
	return err;
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

struct lead_id {
	char id[UTIL_ID_LEN];
};

static int id_row(const struct db_row *row, void *arg)
{
	util_strlcpy(((struct lead_id *)arg)->id, db_row_text(row, 0),
		     UTIL_ID_LEN);
	return 0;
}

static int put_dept(struct db *db, const struct api_req *req,
		    const json_t *body, char *why, size_t n, uint16_t *status)
{
	static const char *const assigns[] = {"manual", "round-robin",
					      "least-loaded"};
	const char *dept = api_param(&req->params, "id");
	const char *as = json_string_value(json_object_get(body, "assign"));
	const json_t *lead = json_object_get(body, "lead");
	const json_t *cal = json_object_get(body, "calendar");
	struct lead_id l = {""};
	int64_t have = 0;
	bool ok = false;

	if (!wo_dept_exists(db, dept)) {
		snprintf(why, n, "no such department");
		*status = 404;
		return 0;
	}
	for (size_t i = 0; as && i < ARRAY_LEN(assigns); i++)
		ok = ok || !strcmp(as, assigns[i]);
	if (!ok) {
		snprintf(why, n, "assign: want manual, round-robin or "
			 "least-loaded");
		*status = 400;
		return 0;
	}
	if (lead && !json_is_null(lead)) {
		if (json_is_string(lead))
			(void)db_query(db, id_row, &l, "SELECT id FROM users "
				       "WHERE username = ?", "t",
				       json_string_value(lead));
		if (!l.id[0]) {
			snprintf(why, n, "lead: no such user");
			*status = 400;
			return 0;
		}
	}
	if (cal && !json_is_null(cal)) {
		if (json_is_string(cal))
			(void)db_query(db, count_row, &have, "SELECT COUNT(*) "
				       "FROM calendars WHERE name = ?", "t",
				       json_string_value(cal));
		if (!have) {
			snprintf(why, n, "calendar: no such calendar "
				 "(PUT /api/v1/calendars/{name} first)");
			*status = 400;
			return 0;
		}
	}
	return db_exec(db, "INSERT INTO wo_departments (department_id, assign, "
		"lead_user, calendar) VALUES (?, ?, NULLIF(?, ''), ?) ON "
		"CONFLICT (department_id) DO UPDATE SET assign = excluded.assign, "
		"lead_user = excluded.lead_user, calendar = excluded.calendar",
		"tttt", dept, as, l.id, json_string_value(cal));
}

void wo_h_names_put(struct api_req *req)
{
	put_queue(req, put_names);
}

void wo_h_routes_put(struct api_req *req)
{
	put_queue(req, put_route_rules);
}

void wo_h_limits_put(struct api_req *req)
{
	put_queue(req, put_limit_rows);
}

void wo_h_dept_put(struct api_req *req)
{
	put_queue(req, put_dept);
}
