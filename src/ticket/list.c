/* ticket/list: GET /api/v1/work-orders, a view of the orders the user's
 * data scope covers, newest first, keyset-paged on (created_at, id).
 *
 *   all      every order in scope (default)
 *   inbox    a department's orders nobody has taken yet (department=, by
 *            default the user's own)
 *   mine     open orders assigned to the user
 *   created  orders the user wrote
 *   overdue  open orders past a limit (the periodic check's flags) or
 *            tasks past their due date */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "ticket/http_int.h"
#include "ticket/ticket_int.h"
#include "ticket/wo_sql.h"

enum { LIMIT_DEFAULT = 50, LIMIT_MAX = 200 };

#define OPEN "w.state NOT IN ('done', 'replied', 'closed')"
/* Waiting for someone to take it. The inbox repeats it inside each half
 * of its OR, so that each half is a whole seek on its index of migration
 * 038 (department or co-handling department, assignee, state): written
 * once outside the OR, the planner saw one column per half and walked
 * every unassigned order of every department instead (bench/records). */
#define WAITING "w.assignee IS NULL AND w.state IN ('submitted', " \
	"'pending', 'reopened')"

/* A view's condition takes text binds only: the department (inbox, both
 * of them) or the user (mine, created); overdue's `now` is written in. */
static const struct view {
	const char *name;
	const char *cond;
	const char *types;
	enum { V_NONE, V_DEPT, V_USER } arg;
} views[] = {
	{"all",     "1 = 1", "", V_NONE},
	{"inbox",   "((w.department_id = ? AND " WAITING ") OR "
		    "(w.co_department_id = ? AND " WAITING "))", "tt", V_DEPT},
	{"mine",    "w.assignee = ? AND " OPEN, "t", V_USER},
	{"created", "w.created_by = ?", "t", V_USER},
	{"overdue", OPEN " AND ((w.sla_flags & 10) <> 0 OR (w.due_at IS NOT "
		    "NULL AND w.due_at < %" PRId64 "))", "", V_NONE},
};

bool ticket_list_view(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(views); i++)
		if (!strcmp(views[i].name, name))
			return true;
	return false;
}

int ticket_list_query(struct db *db, const struct api_user *u,
		      const struct ticket_list_q *q, db_row_h *rowh, void *arg)
{
	const char *scope = api_scope_name(api_scope_of(u));
	const struct view *v = NULL;
	const char *varg;
	char cond[512], sql[4096], types[64];

	for (size_t i = 0; i < ARRAY_LEN(views); i++)
		if (!strcmp(views[i].name, q->view))
			v = &views[i];
	if (!v)
		return EINVAL;
	varg = v->arg == V_DEPT ? q->dept : u->id;
	snprintf(cond, sizeof(cond), v->cond, q->now);
	snprintf(sql, sizeof(sql), "SELECT " WO_COLS " FROM " WO_FROM
		 " WHERE " WO_SCOPE " AND (? = '' OR w.state = ?) AND "
		 "(w.created_at < ? OR (w.created_at = ? AND w.id < ?)) AND %s "
		 "ORDER BY w.created_at DESC, w.id DESC LIMIT %zu", cond,
		 q->limit);
	snprintf(types, sizeof(types), "ttttttttt" "tt" "iit%s", v->types);
	return db_query(db, rowh, arg, sql, types, scope, u->id, u->id,
			u->dept, u->dept, u->id, scope, u->dept, u->dept,
			q->state, q->state, q->c_ts, q->c_ts, q->c_id, varg,
			varg);
}

struct list_job {
	struct api_job j;
	char view[16];
	char state[24], dept[UTIL_ID_LEN];
	size_t limit, n;
	int64_t c_ts, last_ts;
	char c_id[UTIL_ID_LEN], last_id[UTIL_ID_LEN];
	json_t *items;
};

static void list_clean(struct api_job *j)
{
	json_decref(((struct list_job *)j)->items);
}

static int list_row(const struct db_row *row, void *arg)
{
	struct list_job *l = arg;
	json_t *o;

	if (++l->n > l->limit)
		return 0;
	o = wo_row_json(row, &l->j.req.user);
	json_array_append_new(l->items, o);
	l->last_ts = db_row_int(row, WO_C_CREATED_AT);
	util_strlcpy(l->last_id, db_row_text(row, WO_C_ID), sizeof(l->last_id));
	return 0;
}

static void list_work(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;
	const struct ticket_list_q q = {
		.view = l->view, .dept = l->dept, .state = l->state,
		.c_ts = l->c_ts, .c_id = l->c_id, .limit = l->limit + 1,
		.now = util_now_ms(),
	};

	l->items = json_array();
	j->err = l->items ? ticket_list_query(api_house(&j->req)->db,
					      &j->req.user, &q, list_row, l) :
		ENOMEM;
}

static void list_done(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;
	char next[API_CURSOR_LEN];

	if (j->err || !l->items) {
		api_reply_error(j->req.conn, 500, "cannot read work orders");
		return;
	}
	if (l->n > l->limit)
		api_cursor_encode(next, l->last_ts, l->last_id);
	api_reply_json(j->req.conn, 200, NULL, json_pack("{s:O, s:s?}",
		"items", l->items, "next_cursor", l->n > l->limit ? next : NULL));
}

void wo_h_list(struct api_req *req)
{
	struct list_job *l;
	char v[API_CURSOR_LEN] = "", state[24] = "", dept[UTIL_ID_LEN] = "";
	char view[16] = "all";
	enum ticket_state st;
	int64_t c_ts = INT64_MAX;
	char c_id[UTIL_ID_LEN] = "";
	uint64_t lim = LIMIT_DEFAULT;
	int err;

	err = api_query_get(req->query, "view", v, sizeof(v));
	if (err != ENOENT) {
		if (err || !ticket_list_view(v)) {
			api_reply_error(req->conn, 400, "view: want all, inbox, "
					"mine, created or overdue");
			return;
		}
		util_strlcpy(view, v, sizeof(view));
	}
	err = api_query_get(req->query, "state", state, sizeof(state));
	if (err != ENOENT && (err || ticket_state_parse(state, &st))) {
		api_reply_error(req->conn, 400, "state: want a state's name");
		return;
	}
	if (err != ENOENT)
		util_strlcpy(state, ticket_state_name(st), sizeof(state));
	err = api_query_get(req->query, "department", dept, sizeof(dept));
	if (err == ENOSPC || err == EINVAL) {
		api_reply_error(req->conn, 400, "department: want an id");
		return;
	}
	if (err == ENOENT)
		util_strlcpy(dept, req->user.dept, sizeof(dept));
	err = api_query_get(req->query, "limit", v, sizeof(v));
	if (err != ENOENT && (err || util_parse_u64(v, 1, LIMIT_MAX, &lim))) {
		api_reply_error(req->conn, 400, "limit: want 1..%d", LIMIT_MAX);
		return;
	}
	err = api_query_get(req->query, "cursor", v, sizeof(v));
	if (err != ENOENT && (err || api_cursor_decode(v, &c_ts, c_id))) {
		api_reply_error(req->conn, 400, "cursor: use next_cursor from "
				"the previous page");
		return;
	}
	l = api_job_alloc(req, sizeof(*l), list_work, list_done, list_clean);
	if (l) {
		util_strlcpy(l->view, view, sizeof(l->view));
		l->limit = lim;
		l->c_ts = c_ts;
		util_strlcpy(l->c_id, c_id[0] ? c_id : "~", sizeof(l->c_id));
		util_strlcpy(l->state, state, sizeof(l->state));
		util_strlcpy(l->dept, dept, sizeof(l->dept));
	}
	api_job_queue(l);
}
