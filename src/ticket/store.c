/* ticket/store: the work orders' rows. Runs on the worker pool; every
 * change happens under wo_lock, so reading an order, checking a move and
 * writing it cannot interleave with another change (two workers). Writes
 * use db_exec: the next read, on either worker, sees them. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "ticket/ticket_int.h"
#include "ticket/wo_sql.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void wo_lock(void)
{
	pthread_mutex_lock(&lock);
}

void wo_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

static void text(char *dst, size_t n, const struct db_row *row, int i)
{
	const char *s = db_row_text(row, i);

	util_strlcpy(dst, s ? s : "", n);
}

struct load {
	struct wo *w;
	json_t **jp;
	bool found;
};

void wo_from_row(const struct db_row *row, struct wo *w)
{
	enum ticket_state st = TICKET_SUBMITTED;

	text(w->id, sizeof(w->id), row, WO_C_ID);
	text(w->no, sizeof(w->no), row, WO_C_NO);
	text(w->title, sizeof(w->title), row, WO_C_TITLE);
	text(w->category, sizeof(w->category), row, WO_C_CATEGORY);
	text(w->service, sizeof(w->service), row, WO_C_SERVICE);
	text(w->priority, sizeof(w->priority), row, WO_C_PRIORITY);
	text(w->type, sizeof(w->type), row, WO_C_TYPE);
	(void)ticket_state_parse(db_row_text(row, WO_C_STATE), &st);
	w->state = st;
	text(w->phone, sizeof(w->phone), row, WO_C_PHONE);
	text(w->created_by, sizeof(w->created_by), row, WO_C_CREATED_BY);
	text(w->creator_dept, sizeof(w->creator_dept), row, WO_C_CREATOR_DEPT);
	text(w->dept, sizeof(w->dept), row, WO_C_DEPT);
	text(w->co_dept, sizeof(w->co_dept), row, WO_C_CO_DEPT);
	text(w->assignee, sizeof(w->assignee), row, WO_C_ASSIGNEE);
	text(w->fault_id, sizeof(w->fault_id), row, WO_C_FAULT);
	w->reply_needed = db_row_int(row, WO_C_REPLY) != 0;
	w->due_at = db_row_int(row, WO_C_DUE);
	w->extension_s = db_row_int(row, WO_C_EXTENSION);
	w->sla_flags = db_row_int(row, WO_C_SLA);
	w->created_at = db_row_int(row, WO_C_CREATED_AT);
	w->updated_at = db_row_int(row, WO_C_UPDATED_AT);
	w->first_response_at = db_row_int(row, WO_C_FIRST_RESPONSE);
	w->done_at = db_row_int(row, WO_C_DONE_AT);
	w->closed_at = db_row_int(row, WO_C_CLOSED_AT);
}

static int load_row(const struct db_row *row, void *arg)
{
	struct load *l = arg;

	l->found = true;
	wo_from_row(row, l->w);
	if (l->jp)
		*l->jp = wo_row_json(row, NULL);
	return 0;
}

int wo_load(struct db *db, const char *id, struct wo *w, json_t **jp)
{
	struct load l = {w, jp, false};
	int err;

	memset(w, 0, sizeof(*w));
	err = db_query(db, load_row, &l, "SELECT " WO_COLS " FROM " WO_FROM
		       " WHERE w.id = ?", "t", id);
	if (err)
		return EIO;
	return l.found ? 0 : ENOENT;
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* The subtree of the department bound to its one parameter. */
#define SUBTREE "(WITH RECURSIVE sub(id) AS (SELECT ? UNION " \
	"SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) " \
	"SELECT id FROM sub)"

/* Whether dept is `top` or lies below it. */
static bool dept_under(struct db *db, const char *dept, const char *top)
{
	int64_t n = 0;

	if (!*dept || !*top)
		return false;
	if (db_query(db, count_row, &n, "SELECT COUNT(*) FROM departments "
		     "WHERE id = ? AND id IN " SUBTREE, "tt", dept, top))
		return false;
	return n > 0;
}

struct lead {
	char user[UTIL_ID_LEN];
};

static int lead_row(const struct db_row *row, void *arg)
{
	struct lead *l = arg;

	text(l->user, sizeof(l->user), row, 0);
	return 0;
}

/* A department's lead: its wo_departments.lead_user when set; else any
 * supervisor whose department is it or one above it. */
static bool is_lead(struct db *db, const char *dept, const struct api_user *u)
{
	struct lead l = {""};

	if (u->role_bit == API_R_ADMIN)
		return true;
	if (!*dept)
		return u->role_bit == API_R_SUPERVISOR;
	(void)db_query(db, lead_row, &l, "SELECT lead_user FROM wo_departments "
		       "WHERE department_id = ?", "t", dept);
	if (l.user[0])
		return !strcmp(l.user, u->id);
	return u->role_bit == API_R_SUPERVISOR &&
		(api_scope_of(u) == API_SCOPE_ALL || dept_under(db, dept, u->dept));
}

unsigned wo_actors(struct db *db, const struct wo *w, const struct api_user *u)
{
	unsigned a = 0;

	if (!strcmp(w->created_by, u->id))
		a |= TICKET_A_CREATOR;
	if (w->assignee[0] && !strcmp(w->assignee, u->id))
		a |= TICKET_A_HANDLER;
	if (u->dept[0] && (!strcmp(w->dept, u->dept) ||
			   !strcmp(w->co_dept, u->dept)))
		a |= TICKET_A_MEMBER;
	if (is_lead(db, w->dept, u) ||
	    (w->co_dept[0] && is_lead(db, w->co_dept, u)))
		a |= TICKET_A_LEAD;
	return a;
}

bool wo_in_scope(struct db *db, const struct wo *w, const struct api_user *u)
{
	const enum api_scope s = api_scope_of(u);

	if (s == API_SCOPE_ALL || wo_actors(db, w, u))
		return true;
	return s == API_SCOPE_DEPTS && u->dept[0] &&
		(dept_under(db, w->dept, u->dept) ||
		 dept_under(db, w->creator_dept, u->dept));
}

int wo_history(struct db *db, const char *order_id, int64_t at,
	       const char *actor, const char *actor_name, const char *action,
	       const char *from, const char *to, const char *reason,
	       const json_t *data)
{
	char id[UTIL_ID_LEN], *d = data ? json_dumps(data, JSON_COMPACT) : NULL;
	int err;

	/* seq is taken in the insert itself: crm's merge writes history rows
	 * in its own transaction, outside wo_lock. */
	util_random_id(id);
	err = db_exec(db, "INSERT INTO work_order_history (id, order_id, seq, "
		      "at, actor, actor_name, action, from_state, to_state, "
		      "reason, data) SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, "
		      "?, ?, ?, ?, ?, ?, ? FROM work_order_history WHERE "
		      "order_id = ?", "ttitttttttt", id, order_id, at, actor,
		      actor_name ? actor_name : "", action, from, to,
		      reason && *reason ? reason : NULL, d, order_id);
	free(d);
	return err;
}

int wo_move(struct db *db, struct wo *w, enum ticket_state to, int64_t at,
	    const char *actor, const char *actor_name, const char *reason)
{
	const char *from = ticket_state_name(w->state);
	const bool human = strcmp(actor, "system") != 0;
	int err;

	/* The first response is the first thing a person in the handling
	 * department does to it: taking it into work, or sending it back. */
	if (!w->first_response_at && human &&
	    (to == TICKET_IN_PROGRESS || to == TICKET_RETURNED ||
	     to == TICKET_DONE))
		w->first_response_at = at;
	if (to == TICKET_DONE)
		w->done_at = at;
	if (to == TICKET_CLOSED)
		w->closed_at = at;
	if (to == TICKET_REOPENED) {
		w->done_at = 0;
		w->closed_at = 0;
	}
	err = db_exec(db, "UPDATE work_orders SET state = ?, updated_at = ?, "
		      "first_response_at = NULLIF(?, 0), done_at = NULLIF(?, 0), "
		      "closed_at = NULLIF(?, 0) WHERE id = ?", "tiiiit",
		      ticket_state_name(to), at,
		      w->first_response_at, w->done_at, w->closed_at, w->id);
	if (!err)
		err = wo_history(db, w->id, at, actor, actor_name, "move", from,
				 ticket_state_name(to), reason, NULL);
	if (!err) {
		w->state = to;
		w->updated_at = at;
	}
	return err;
}

static int hist_row(const struct db_row *row, void *arg)
{
	json_t *a = arg, *data = NULL;
	char t[UTIL_TIME_LEN];
	const char *d = db_row_text(row, 8);

	util_rfc3339(t, db_row_int(row, 1));
	if (d)
		data = json_loads(d, 0, NULL);
	json_array_append_new(a, json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s?, "
		"s:s?, s:s?, s:o?}", "seq", (json_int_t)db_row_int(row, 0),
		"at", t, "actor", db_row_text(row, 2),
		"actor_name", db_row_text(row, 3), "action", db_row_text(row, 4),
		"from", db_row_text(row, 5), "to", db_row_text(row, 6),
		"reason", db_row_text(row, 7), "data", data));
	return 0;
}

int wo_history_json(struct db *db, const char *id, json_t **jp)
{
	json_t *a = json_array();
	int err;

	if (!a)
		return ENOMEM;
	err = db_query(db, hist_row, a, "SELECT seq, at, actor, actor_name, "
		       "action, from_state, to_state, reason, data FROM "
		       "work_order_history WHERE order_id = ? ORDER BY seq",
		       "t", id);
	if (err) {
		json_decref(a);
		return EIO;
	}
	*jp = a;
	return 0;
}

bool wo_dept_exists(struct db *db, const char *id)
{
	int64_t n = 0;

	(void)db_query(db, count_row, &n, "SELECT COUNT(*) FROM departments "
		       "WHERE id = ?", "t", id);
	return n > 0;
}

bool wo_user_in_dept(struct db *db, const char *user, const char *dept)
{
	int64_t n = 0;

	(void)db_query(db, count_row, &n, "SELECT COUNT(*) FROM users WHERE "
		       "id = ? AND department_id = ?", "tt", user, dept);
	return n > 0;
}

struct pick {
	char assign[16], last[UTIL_ID_LEN];
	char first[UTIL_ID_LEN], after[UTIL_ID_LEN];
	bool seen_last;
};

static int assign_row(const struct db_row *row, void *arg)
{
	struct pick *p = arg;

	text(p->assign, sizeof(p->assign), row, 0);
	text(p->last, sizeof(p->last), row, 1);
	return 0;
}

/* Members in username order: the first one, and the first after last. */
static int rr_row(const struct db_row *row, void *arg)
{
	struct pick *p = arg;
	const char *id = db_row_text(row, 0);

	if (!p->first[0])
		util_strlcpy(p->first, id, sizeof(p->first));
	if (p->seen_last && !p->after[0])
		util_strlcpy(p->after, id, sizeof(p->after));
	if (!strcmp(id, p->last))
		p->seen_last = true;
	return 0;
}

static int least_row(const struct db_row *row, void *arg)
{
	struct pick *p = arg;

	if (!p->first[0])
		text(p->first, sizeof(p->first), row, 0);
	return 0;
}

/* On duty: a member with a live console session (a token not expired). */
#define ON_DUTY "u.department_id = ? AND u.role IN ('agent', 'backoffice', " \
	"'supervisor') AND EXISTS (SELECT 1 FROM auth_tokens t WHERE " \
	"t.user_id = u.id AND t.expires_at > ?)"

int wo_pick_member(struct db *db, const char *dept, int64_t now,
		   char out[UTIL_ID_LEN])
{
	struct pick p = {0};
	int err;

	out[0] = '\0';
	err = db_query(db, assign_row, &p, "SELECT assign, last_assigned FROM "
		       "wo_departments WHERE department_id = ?", "t", dept);
	if (err)
		return EIO;
	if (!strcmp(p.assign, "round-robin"))
		err = db_query(db, rr_row, &p, "SELECT u.id FROM users u WHERE "
			       ON_DUTY " ORDER BY u.username", "ti", dept, now);
	else if (!strcmp(p.assign, "least-loaded"))
		err = db_query(db, least_row, &p, "SELECT u.id, (SELECT COUNT(*) "
			"FROM work_orders w WHERE w.assignee = u.id AND w.state "
			"NOT IN ('done', 'replied', 'closed')) AS load FROM "
			"users u WHERE " ON_DUTY " ORDER BY load, u.username",
			"ti", dept, now);
	else
		return 0;
	if (err)
		return EIO;
	util_strlcpy(out, p.after[0] ? p.after : p.first, UTIL_ID_LEN);
	if (out[0])
		err = db_exec(db, "UPDATE wo_departments SET last_assigned = ? "
			      "WHERE department_id = ?", "tt", out, dept);
	return err;
}

void wo_event(json_t *evs, enum bus_ev ev, const char *subject, json_t *data)
{
	json_array_append_new(evs, json_pack("{s:i, s:s, s:o}", "ev", (int)ev,
					     "subject", subject, "data", data));
}

json_t *wo_event_data(const struct wo *w, const char *action)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s}",
			 "id", w->id, "no", w->no, "action", action,
			 "state", ticket_state_name(w->state),
			 "department_id", w->dept[0] ? w->dept : NULL,
			 "assignee", w->assignee[0] ? w->assignee : NULL,
			 "created_by", w->created_by[0] ? w->created_by : NULL,
			 "customer_phone", w->phone[0] ? w->phone : NULL,
			 "title", w->title);
}

int ticket_customer_merge(struct db_tx *tx,
			  const struct ticket_customer_move *mv)
{
	char pre[UTIL_ID_LEN + 1], reason[WO_TEXT], *d;
	json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "from", mv->from,
				 "from_name", mv->from_name, "into", mv->into,
				 "into_name", mv->into_name);
	int err;

	/* One row per order that moves, before the move names them: its id
	 * is this merge's random prefix and the order's id, unique and
	 * written in plain SQL (both engines). */
	util_random_id(pre);
	util_strlcpy(pre + strlen(pre), "-", 2);
	snprintf(reason, sizeof(reason), "customer merged: %s (%s) → %s (%s)",
		 mv->from_name, mv->from, mv->into_name, mv->into);
	d = data ? json_dumps(data, JSON_COMPACT) : NULL;   /* NULL: no data */
	json_decref(data);
	err = db_tx_add(tx, "INSERT INTO work_order_history (id, order_id, seq, "
			"at, actor, actor_name, action, reason, data) SELECT ? || "
			"w.id, w.id, (SELECT COALESCE(MAX(h.seq), 0) + 1 FROM "
			"work_order_history h WHERE h.order_id = w.id), ?, ?, ?, "
			"'customer_merged', ?, ? FROM work_orders w WHERE "
			"w.customer_id = ?", "titttt" "t", pre, mv->at, mv->by,
			mv->by_name, reason, d, mv->from);
	free(d);
	/* updated_at stays: the update time limit counts the handlers'
	 * changes, and a merge is none of theirs. */
	return err ? err : db_tx_add(tx, "UPDATE work_orders SET customer_id = "
				     "? WHERE customer_id = ?", "tt", mv->into,
				     mv->from);
}
