/* task/list: reading tasks — the list with its views (mine, pool,
 * overdue, all) and filters, keyset pages soonest due first, and one task;
 * both through the caller's scope (scope.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "queue/queue.h"
#include "task/task.h"
#include "task/task_int.h"

enum { LIMIT_DEFAULT = 50, LIMIT_MAX = 500 };

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
	char why[96];

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
	if (api_query_page_why(&t->j.req, LIMIT_MAX, &f->limit, &f->c_due,
			       f->c_id, why, sizeof(why))) {
		task_fail(t, 400, "%s", why);
		return EINVAL;
	}
	return 0;
}

static void list_work(struct task_job *t, struct db *db)
{
	const struct api_user *u = &t->j.req.user;
	struct page pg = {.u = u, .now = t->now};
	char sql[8192], pools[TASK_POOLS_LEN], next[API_CURSOR_LEN];
	struct filters f;

	if (read_filters(t, &f))
		return;
	pg.limit = f.limit;
	task_pools_in(db, u, pools, sizeof(pools));
	/* Every filter is bound, empty meaning "any", so the statement's
	 * shape is one; the page is keyed on (due_at, id), soonest first. */
	snprintf(sql, sizeof(sql), "SELECT " TASK_COLS " " TASK_FROM " WHERE "
		 TASK_SCOPE_SQL " AND (? <> 'mine' OR t.assignee = ?) "
		 "AND (? <> 'pool' OR t.assignee IS NULL) "
		 "AND (? <> 'overdue' OR (t.state = 'open' AND t.due_at < ?)) "
		 "AND (? = '' OR t.state = ?) AND (? = '' OR t.origin = ?) "
		 "AND (? = '' OR t.pool = ?) AND (? = '' OR u.username = ?) "
		 "AND (? = '' OR t.phone = ?) "
		 "AND t.due_at >= ? AND t.due_at < ? "
		 "AND (t.due_at > ? OR (t.due_at = ? AND t.id > ?)) "
		 "ORDER BY t.due_at, t.id LIMIT %zu", pools, f.limit + 1);
	pg.items = json_array();
	if (!pg.items || db_query(db, page_row, &pg, sql, TASK_SCOPE_TYPES
			"tttti" "tttttttttt" "ii" "iit",
			task_scope_word(u), u->id, task_scope_word(u), u->dept,
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
	int err = task_visible(db, &t->j.req.user, t->id);

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
