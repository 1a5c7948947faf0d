/* task/stats: completion statistics (计划任务完成情况) per assignee over a
 * period of due times, through the caller's data scope, and the switch
 * that makes abandoned calls into callback tasks. Each task counts once,
 * in the class task_classify gives it at the time of asking: done on
 * time, done late, open, overdue or cancelled; on_time_rate is on time
 * over done (null before anything is done). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "task/task.h"
#include "task/task_int.h"

enum { DAY_MS = 86400000 };

struct fold {
	int64_t now;
	json_t *by;      /* username ("" for pools) → counters */
	int64_t total[TASK_C_COUNT];
};

static void bump(json_t *o, const char *key)
{
	json_object_set_new(o, key, json_integer(
		json_integer_value(json_object_get(o, key)) + 1));
}

static int fold_row(const struct db_row *row, void *arg)
{
	struct fold *f = arg;
	const char *who = db_row_text(row, 0) ?: "";
	enum task_state st;
	enum task_class c;
	json_t *o = json_object_get(f->by, who);

	if (task_state_parse(db_row_text(row, 2), &st))
		return 0;
	c = task_classify(st, db_row_int(row, 3), db_row_int(row, 4), f->now);
	if (!o) {
		o = json_pack("{s:s?, s:s, s:i, s:i, s:i, s:i, s:i, s:i}",
			      "assignee", *who ? who : NULL, "name",
			      db_row_text(row, 1) ?: "", "total", 0,
			      "on_time", 0, "late", 0, "open", 0,
			      "overdue", 0, "cancelled", 0);
		if (!o || json_object_set_new(f->by, who, o))
			return ENOMEM;
	}
	bump(o, "total");
	bump(o, task_class_name(c));
	f->total[c]++;
	return 0;
}

static void rate(json_t *o)
{
	int64_t on = json_integer_value(json_object_get(o, "on_time"));
	int64_t done = on + json_integer_value(json_object_get(o, "late"));

	json_object_set_new(o, "on_time_rate", done ?
			    json_real((double)on / (double)done) : json_null());
}

static void stats_work(struct task_job *t, struct db *db)
{
	const struct api_user *u = &t->j.req.user;
	const char *sc = api_scope_name(api_scope_of(u));
	struct fold f = {.now = t->now, .by = json_object()};
	json_t *items = json_array(), *o, *total;
	int64_t from, to;
	char v[64];
	const char *k;
	int err;

	from = t->now - 30LL * DAY_MS;
	to = t->now + DAY_MS;
	err = api_query_get(t->j.req.query, "from", v, sizeof(v));
	if (err != ENOENT && (err || util_parse_rfc3339(v, &from))) {
		task_fail(t, 400, "from: want an RFC 3339 time");
		goto out;
	}
	err = api_query_get(t->j.req.query, "to", v, sizeof(v));
	if (err != ENOENT && (err || util_parse_rfc3339(v, &to))) {
		task_fail(t, 400, "to: want an RFC 3339 time");
		goto out;
	}
	if (to <= from) {
		task_fail(t, 400, "to: must be after from");
		goto out;
	}
	/* The scope here is the list's without pools for agents: a pool
	 * task counts for nobody until it is claimed. */
	if (!f.by || !items || db_query(db, fold_row, &f,
		"SELECT u.username, u.display_name, t.state, t.due_at, "
		"COALESCE(t.ended_at, 0) " TASK_FROM " WHERE t.due_at >= ? "
		"AND t.due_at < ? AND (? = 'all' OR t.assignee = ? OR "
		"(? = 'departments' AND (t.assignee IS NULL OR t.assignee IN "
		"(WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT d.id FROM "
		"departments d JOIN sub ON d.parent_id = sub.id) SELECT id FROM "
		"users WHERE department_id IN (SELECT id FROM sub))))) "
		"ORDER BY u.username", "iitttt", from, to, sc, u->id, sc,
		u->dept)) {
		task_fail(t, 500, "cannot read tasks");
		goto out;
	}
	json_object_foreach(f.by, k, o) {
		rate(o);
		json_array_append(items, o);
	}
	total = json_object();
	json_object_set_new(total, "total", json_integer(
		f.total[0] + f.total[1] + f.total[2] + f.total[3] + f.total[4]));
	for (int c = 0; c < TASK_C_COUNT; c++)
		json_object_set_new(total, task_class_name((enum task_class)c),
				    json_integer(f.total[c]));
	rate(total);
	{
		char a[UTIL_TIME_LEN], b[UTIL_TIME_LEN];

		util_rfc3339(a, from);
		util_rfc3339(b, to);
		task_ok(t, 200, json_pack("{s:s, s:s, s:O, s:o}", "from", a,
					  "to", b, "items", items, "total",
					  total));
	}
 out:
	json_decref(items);
	json_decref(f.by);
}

void task_h_stats(struct api_req *req)
{
	task_job_run(req, stats_work, TASK_BODY_NONE);
}

/* ---- the abandoned-call switch */

static int rule_row(const struct db_row *row, void *arg)
{
	const char *q = db_row_text(row, 0);
	bool on = db_row_int(row, 1) != 0;

	if (!strcmp(q, "*"))
		json_object_set_new(arg, "enabled", json_boolean(on));
	else
		json_object_set_new(json_object_get(arg, "queues"), q,
				    json_boolean(on));
	return 0;
}

static json_t *rules_read(struct db *db)
{
	json_t *o = json_pack("{s:b, s:{}}", "enabled", 0, "queues");

	if (o && db_query(db, rule_row, o, "SELECT queue, enabled FROM "
			  "task_abandon_rules ORDER BY queue", "")) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static void rules_get_work(struct task_job *t, struct db *db)
{
	json_t *o = rules_read(db);

	if (!o)
		task_fail(t, 500, "cannot read the rules");
	else
		task_ok(t, 200, o);
}

void task_h_rules_get(struct api_req *req)
{
	task_job_run(req, rules_get_work, TASK_BODY_NONE);
}

static void rules_put_work(struct task_job *t, struct db *db)
{
	const char *q = json_string_value(json_object_get(t->body, "queue"));
	json_t *en = json_object_get(t->body, "enabled"), *o;
	const char *key;
	json_t *v;
	int64_t n = 0;

	json_object_foreach(t->body, key, v)
		if (strcmp(key, "queue") && strcmp(key, "enabled")) {
			task_fail(t, 400, "%s: unknown field", key);
			return;
		}
	if (!q || !*q || strlen(q) > 64) {
		task_fail(t, 400, "queue: want a queue's name, or '*' for all");
		return;
	}
	if (!json_is_boolean(en) && !json_is_null(en)) {
		task_fail(t, 400, "enabled: want true, false, or null (a queue "
			  "follows the overall switch)");
		return;
	}
	if (strcmp(q, "*") && (db_query(db, task_count_row, &n, "SELECT COUNT(*) "
				       "FROM queues WHERE name = ?", "t", q) ||
			       !n)) {
		task_fail(t, 400, "queue: no queue '%s'", q);
		return;
	}
	if (json_is_null(en) && !strcmp(q, "*")) {
		task_fail(t, 400, "enabled: the overall switch is true or false");
		return;
	}
	if (json_is_null(en) ?
	    db_exec(db, "DELETE FROM task_abandon_rules WHERE queue = ?", "t",
		    q) :
	    db_exec(db, "INSERT INTO task_abandon_rules (queue, enabled) "
		    "VALUES (?, ?) ON CONFLICT (queue) DO UPDATE SET enabled = "
		    "excluded.enabled", "ti", q, (int64_t)json_is_true(en))) {
		task_fail(t, 500, "cannot store the rule");
		return;
	}
	o = rules_read(db);
	if (!o)
		task_fail(t, 500, "cannot read the rules");
	else
		task_ok(t, 200, o);
}

void task_h_rules_put(struct api_req *req)
{
	task_job_run(req, rules_put_work, TASK_BODY_NEED);
}
