/* ticket/flow: the API's changes to one work order. Each op runs on a
 * worker under wo_lock with the order freshly read, checks the move
 * against the state table (state.c) and who the user is to the order,
 * writes the order and its history, and lists the events that the loop
 * publishes after: the reply and the bus always agree with the table.
 *
 * Statuses: 400 a field is wrong (named); 403 the user may not; 404 no
 * such order, department or user; 409 the order's state refuses it (the
 * reason says why). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bus.h"
#include "base/mod.h"
#include "db/db.h"
#include "ticket/flow.h"

void wo_refuse(struct wo_job *m, uint16_t status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	m->status = status;
}

static const char *user_name(const struct wo_job *m)
{
	return m->j.req.user.username;
}

/* Refuses m after ticket_move_check's err. */
static void refuse_move(struct wo_job *m, int err, const struct wo *w,
			enum ticket_state to, const char *why)
{
	if (err == EINVAL)
		wo_refuse(m, 400, "%s", why);
	else if (err == EPERM)
		wo_refuse(m, 403, "%s (%s → %s)", why,
			  ticket_state_name(w->state), ticket_state_name(to));
	else
		wo_refuse(m, 409, "%s: %s → %s", why,
			  ticket_state_name(w->state), ticket_state_name(to));
}

/* The body's optional "reason" (up to 1000 bytes) into *r: false, with m
 * refused, when it is there but no text. */
static bool body_reason(struct wo_job *m, const char **r)
{
	const json_t *v = json_object_get(m->body, "reason");

	*r = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || json_string_length(v) > 1000) {
		wo_refuse(m, 400, "reason: want text of up to 1000 bytes");
		return false;
	}
	*r = json_string_length(v) ? json_string_value(v) : NULL;
	return true;
}

void wo_done_events(const struct wo *w, json_t *evs)
{
	if (!w->reply_needed)
		return;
	wo_event(evs, BUS_TICKET_REPLY_DUE, w->id, json_pack(
		"{s:s, s:s, s:s?, s:s?, s:s, s:s}", "ticket_id", w->id,
		"no", w->no, "customer_phone", w->phone[0] ? w->phone : NULL,
		/* The agent who took the call and wrote the order answers
		 * the customer (issue 15's flow); the handler when nobody
		 * wrote it from the desk. */
		"agent", w->created_by[0] ? w->created_by :
			 w->assignee[0] ? w->assignee : NULL,
		"created_by", w->created_by, "title", w->title));
}

/* Moves w by the user of m (as actors), with the table's checks; on
 * success appends ticket.updated (and reply_due on done). */
static int do_move(struct wo_job *m, struct db *db, struct wo *w,
		   enum ticket_state to, unsigned actors, const char *reason,
		   int64_t now)
{
	const char *why;
	int err = ticket_move_check(w->state, to, actors, reason != NULL, &why);

	if (err) {
		refuse_move(m, err, w, to, why);
		return err;
	}
	if (to == TICKET_PENDING && !w->dept[0]) {
		wo_refuse(m, 409, "department: the order has none yet "
			  "(forward it to one)");
		return EINVAL;
	}
	err = wo_move(db, w, to, now, m->j.req.user.id, user_name(m), reason);
	if (err) {
		wo_refuse(m, 500, "cannot store the work order");
		return err;
	}
	wo_event(m->evs, BUS_TICKET_UPDATED, w->id, wo_event_data(w, "move"));
	if (to == TICKET_DONE)
		wo_done_events(w, m->evs);
	return 0;
}

static int set_assignee(struct db *db, struct wo *w, const char *user,
			int64_t now)
{
	util_strlcpy(w->assignee, user, sizeof(w->assignee));
	return db_exec(db, "UPDATE work_orders SET assignee = NULLIF(?, ''), "
		       "updated_at = ? WHERE id = ?", "tit", user, now, w->id);
}

/* The incidents of fault w that may close (done, replied) are closed
 * with it; returns how many. */
static int close_incidents(struct wo_job *m, struct db *db, const struct wo *w,
			   int64_t now);

void wo_op_transition(struct wo_job *m, struct db *db, struct wo *w,
		      unsigned actors, int64_t now)
{
	const char *to_s = json_string_value(json_object_get(m->body, "to"));
	const json_t *ci = json_object_get(m->body, "close_incidents");
	const char *reason;
	enum ticket_state to;

	if (!to_s || ticket_state_parse(to_s, &to)) {
		wo_refuse(m, 400, "to: want a state (submitted, pending, "
			  "in_progress, waiting_customer, done, replied, "
			  "returned, reopened, closed or its Chinese name)");
		return;
	}
	if (ci && !json_is_boolean(ci)) {
		wo_refuse(m, 400, "close_incidents: want true or false");
		return;
	}
	if (!body_reason(m, &reason))
		return;
	if (to == TICKET_RETURNED) {
		wo_op_return(m, db, w, actors, now);
		return;
	}
	/* Whoever takes an unassigned order into work becomes its handler. */
	if (to == TICKET_IN_PROGRESS && !w->assignee[0] &&
	    (actors & (TICKET_A_MEMBER | TICKET_A_LEAD))) {
		if (set_assignee(db, w, m->j.req.user.id, now)) {
			wo_refuse(m, 500, "cannot store the work order");
			return;
		}
		actors |= TICKET_A_HANDLER;
	}
	if (do_move(m, db, w, to, actors, reason, now))
		return;
	if (to == TICKET_CLOSED && json_is_true(ci) && !strcmp(w->type, "fault"))
		m->extra = json_pack("{s:i}", "incidents_closed",
				     close_incidents(m, db, w, now));
}

void wo_op_claim(struct wo_job *m, struct db *db, struct wo *w,
		 unsigned actors, int64_t now)
{
	if (!(actors & (TICKET_A_MEMBER | TICKET_A_LEAD))) {
		wo_refuse(m, 403, "only a member of the handling department "
			  "may claim it");
		return;
	}
	if (w->assignee[0] && strcmp(w->assignee, m->j.req.user.id)) {
		wo_refuse(m, 409, "already assigned to someone else");
		return;
	}
	if (w->state != TICKET_PENDING && w->state != TICKET_SUBMITTED &&
	    w->state != TICKET_REOPENED) {
		wo_refuse(m, 409, "only a pending, submitted or reopened order "
			  "can be claimed (it is %s)", ticket_state_name(w->state));
		return;
	}
	if (set_assignee(db, w, m->j.req.user.id, now) ||
	    wo_history(db, w->id, now, m->j.req.user.id, user_name(m), "claim",
		       NULL, NULL, NULL, NULL)) {
		wo_refuse(m, 500, "cannot store the work order");
		return;
	}
	do_move(m, db, w, TICKET_IN_PROGRESS, actors | TICKET_A_HANDLER, NULL,
		now);
}

struct user_look {
	char id[UTIL_ID_LEN];
};

static int user_row(const struct db_row *row, void *arg)
{
	struct user_look *u = arg;
	const char *id = db_row_text(row, 0);

	util_strlcpy(u->id, id ? id : "", sizeof(u->id));
	return 0;
}

void wo_op_assign(struct wo_job *m, struct db *db, struct wo *w,
		  unsigned actors, int64_t now)
{
	const char *name = json_string_value(json_object_get(m->body, "user"));
	struct user_look u = {""};
	json_t *d;

	if (!name || !*name) {
		wo_refuse(m, 400, "user: want a username");
		return;
	}
	if (!(actors & TICKET_A_LEAD)) {
		wo_refuse(m, 403, "only the department's lead may assign");
		return;
	}
	(void)db_query(db, user_row, &u, "SELECT id FROM users WHERE "
		       "username = ?", "t", name);
	if (!u.id[0]) {
		wo_refuse(m, 404, "user: no such user");
		return;
	}
	if (!w->dept[0] || (!wo_user_in_dept(db, u.id, w->dept) &&
			    !(w->co_dept[0] && wo_user_in_dept(db, u.id, w->co_dept)))) {
		wo_refuse(m, 409, "user: not a member of the handling department");
		return;
	}
	if (ticket_state_clock(w->state) == TICKET_CLK_STOP) {
		wo_refuse(m, 409, "the order is %s: nothing to assign",
			  ticket_state_name(w->state));
		return;
	}
	d = json_pack("{s:s}", "assignee", name);
	if (set_assignee(db, w, u.id, now) ||
	    wo_history(db, w->id, now, m->j.req.user.id, user_name(m), "assign",
		       NULL, NULL, NULL, d)) {
		json_decref(d);
		wo_refuse(m, 500, "cannot store the work order");
		return;
	}
	json_decref(d);
	wo_event(m->evs, BUS_TICKET_UPDATED, w->id, wo_event_data(w, "assign"));
	if (w->state == TICKET_PENDING || w->state == TICKET_SUBMITTED ||
	    w->state == TICKET_REOPENED)
		do_move(m, db, w, TICKET_IN_PROGRESS, actors, NULL, now);
}

/* The body's "department" (an id) into dept: false with m refused. */
static bool body_dept(struct wo_job *m, struct db *db, const struct wo *w,
		      const char **dept)
{
	*dept = json_string_value(json_object_get(m->body, "department"));
	if (!*dept || !**dept || strlen(*dept) >= UTIL_ID_LEN) {
		wo_refuse(m, 400, "department: want a department id");
		return false;
	}
	if (!wo_dept_exists(db, *dept)) {
		wo_refuse(m, 404, "department: no such department");
		return false;
	}
	if (ticket_state_clock(w->state) == TICKET_CLK_STOP) {
		wo_refuse(m, 409, "the order is %s: it no longer moves between "
			  "departments", ticket_state_name(w->state));
		return false;
	}
	return true;
}

void wo_op_forward(struct wo_job *m, struct db *db, struct wo *w,
		   unsigned actors, int64_t now)
{
	const char *dept, *reason, *from = ticket_state_name(w->state);
	json_t *d;

	if (!body_dept(m, db, w, &dept) || !body_reason(m, &reason))
		return;
	if (!(actors & (TICKET_A_MEMBER | TICKET_A_HANDLER | TICKET_A_LEAD))) {
		wo_refuse(m, 403, "only the handling department may forward it");
		return;
	}
	if (!strcmp(dept, w->dept)) {
		wo_refuse(m, 409, "department: the order is already there");
		return;
	}
	d = json_pack("{s:s?, s:s}", "from_department", w->dept[0] ? w->dept :
		      NULL, "to_department", dept);
	util_strlcpy(w->dept, dept, sizeof(w->dept));
	w->assignee[0] = '\0';
	w->state = TICKET_PENDING;
	w->updated_at = now;
	if (db_exec(db, "UPDATE work_orders SET department_id = ?, assignee = "
		    "NULL, state = 'pending', updated_at = ? WHERE id = ?",
		    "tit", dept, now, w->id) ||
	    wo_history(db, w->id, now, m->j.req.user.id, user_name(m),
		       "forward", from, "pending", reason, d)) {
		json_decref(d);
		wo_refuse(m, 500, "cannot store the work order");
		return;
	}
	json_decref(d);
	wo_event(m->evs, BUS_TICKET_UPDATED, w->id, wo_event_data(w, "forward"));
	(void)wo_auto_assign(db, w, now, m->evs);
}

void wo_op_cohandle(struct wo_job *m, struct db *db, struct wo *w,
		    unsigned actors, int64_t now)
{
	const char *dept;
	json_t *d;

	if (!body_dept(m, db, w, &dept))
		return;
	if (!(actors & (TICKET_A_HANDLER | TICKET_A_LEAD))) {
		wo_refuse(m, 403, "only the handler or the lead may ask another "
			  "department to help");
		return;
	}
	if (!strcmp(dept, w->dept)) {
		wo_refuse(m, 409, "department: it already handles the order");
		return;
	}
	d = json_pack("{s:s}", "co_department", dept);
	util_strlcpy(w->co_dept, dept, sizeof(w->co_dept));
	if (db_exec(db, "UPDATE work_orders SET co_department_id = ?, "
		    "updated_at = ? WHERE id = ?", "tit", dept, now, w->id) ||
	    wo_history(db, w->id, now, m->j.req.user.id, user_name(m),
		       "cohandle", NULL, NULL, NULL, d)) {
		json_decref(d);
		wo_refuse(m, 500, "cannot store the work order");
		return;
	}
	json_decref(d);
	wo_event(m->evs, BUS_TICKET_UPDATED, w->id, wo_event_data(w, "cohandle"));
}

/* Back to whoever wrote it: out of the department's inbox, the reason
 * recorded. */
void wo_op_return(struct wo_job *m, struct db *db, struct wo *w,
		  unsigned actors, int64_t now)
{
	const char *reason;

	if (!body_reason(m, &reason))
		return;
	if (do_move(m, db, w, TICKET_RETURNED, actors, reason, now))
		return;
	w->assignee[0] = '\0';
	w->dept[0] = '\0';
	if (db_exec(db, "UPDATE work_orders SET assignee = NULL, department_id "
		    "= NULL WHERE id = ?", "t", w->id))
		wo_refuse(m, 500, "cannot store the work order");
}

struct ids {
	json_t *a;
};

static int id_row(const struct db_row *row, void *arg)
{
	json_array_append_new(((struct ids *)arg)->a,
			      json_string(db_row_text(row, 0)));
	return 0;
}

static int close_incidents(struct wo_job *m, struct db *db, const struct wo *w,
			   int64_t now)
{
	struct ids ids = {json_array()};
	size_t i;
	json_t *v;
	int n = 0;

	(void)db_query(db, id_row, &ids, "SELECT id FROM work_orders WHERE "
		       "fault_id = ? AND state IN ('done', 'replied')", "t",
		       w->id);
	json_array_foreach(ids.a, i, v) {
		struct wo inc;
		char why[64];

		if (wo_load(db, json_string_value(v), &inc, NULL))
			continue;
		snprintf(why, sizeof(why), "fault %s closed", w->no);
		if (wo_move(db, &inc, TICKET_CLOSED, now, "system", "", why))
			continue;
		wo_event(m->evs, BUS_TICKET_UPDATED, inc.id,
			 wo_event_data(&inc, "move"));
		n++;
	}
	json_decref(ids.a);
	return n;
}
