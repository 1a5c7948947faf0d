/* ticket/links: orders that belong together (a fault and the incidents
 * it caused, a parent and its children, one merged into another), the
 * extension requests (延时申请) a lead decides, and the reply the task
 * module reports done. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/bus.h"
#include "db/db.h"
#include "ticket/flow.h"

/* kind, the column of the *other* order that points here (NULL: this
 * order's merged_into points there), and what it means. */
static const struct {
	const char *kind;
	const char *column;
	const char *doc;
} kinds[] = {
	{"fault",  "fault_id",  "the other order is an incident this fault caused"},
	{"child",  "parent_id", "the other order is a part of this one"},
	{"merge",  NULL,        "this order is the same as the other: it closes, the other carries on"},
};

void wo_op_link(struct wo_job *m, struct db *db, struct wo *w,
		unsigned actors, int64_t now)
{
	const char *kind = json_string_value(json_object_get(m->body, "kind"));
	const char *oid = json_string_value(json_object_get(m->body, "id"));
	size_t k = 0;
	struct wo o;
	json_t *d;
	char sql[128];

	while (kind && k < ARRAY_LEN(kinds) && strcmp(kinds[k].kind, kind))
		k++;
	if (!kind || k == ARRAY_LEN(kinds)) {
		wo_refuse(m, 400, "kind: want fault, child or merge");
		return;
	}
	if (!oid || !*oid || strlen(oid) >= UTIL_ID_LEN) {
		wo_refuse(m, 400, "id: want the other work order's id");
		return;
	}
	if (!(actors & (TICKET_A_HANDLER | TICKET_A_LEAD | TICKET_A_CREATOR))) {
		wo_refuse(m, 403, "only its handler, lead or writer may link it");
		return;
	}
	if (!strcmp(oid, w->id)) {
		wo_refuse(m, 409, "id: an order cannot be linked to itself");
		return;
	}
	if (wo_load(db, oid, &o, NULL)) {
		wo_refuse(m, 404, "id: no such work order");
		return;
	}
	if (!strcmp(kinds[k].kind, "fault") && strcmp(w->type, "fault")) {
		wo_refuse(m, 409, "kind: only a fault order links incidents "
			  "(this one is a %s)", w->type);
		return;
	}
	d = json_pack("{s:s, s:s, s:s}", "kind", kind, "id", oid, "no", o.no);
	if (kinds[k].column) {
		snprintf(sql, sizeof(sql), "UPDATE work_orders SET %s = ?, "
			 "updated_at = ? WHERE id = ?", kinds[k].column);
		if (db_exec(db, sql, "tit", w->id, now, oid))
			wo_refuse(m, 500, "cannot store the link");
	}
	else if (ticket_state_clock(w->state) == TICKET_CLK_STOP &&
		 w->state != TICKET_DONE)
		wo_refuse(m, 409, "the order is %s: too late to merge it",
			  ticket_state_name(w->state));
	else if (db_exec(db, "UPDATE work_orders SET merged_into = ?, state = "
			 "'closed', closed_at = ?, updated_at = ? WHERE id = ?",
			 "tiit", oid, now, now, w->id))
		wo_refuse(m, 500, "cannot store the link");
	else {
		char why[64];
		snprintf(why, sizeof(why), "merged into %s", o.no);
		/* A merge ends the order whatever its state: the other one
		 * carries the work on, so no clock of this one runs on. */
		(void)wo_history(db, w->id, now, "system", "", "move",
				 ticket_state_name(w->state), "closed", why, NULL);
		w->state = TICKET_CLOSED;
	}
	if (!m->status)
		(void)wo_history(db, w->id, now, m->j.req.user.id,
				 m->j.req.user.username, "link", NULL, NULL,
				 NULL, d);
	json_decref(d);
	if (!m->status)
		wo_event(m->evs, BUS_TICKET_UPDATED, w->id,
			 wo_event_data(w, "link"));
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

struct limit_row {
	int64_t max_ext;
	bool found;
};

static int max_row(const struct db_row *row, void *arg)
{
	struct limit_row *l = arg;

	if (!l->found)
		l->max_ext = db_row_int(row, 0);
	l->found = true;
	return 0;
}

/* The most a lead may grant this order in all (its limits row). */
static int64_t max_extension(struct db *db, const struct wo *w)
{
	struct limit_row l = {0, false};

	(void)db_query(db, max_row, &l, "SELECT max_extension_s FROM wo_limits "
		       "WHERE category IN (?, '*') AND priority IN (?, '*') "
		       "ORDER BY (category = '*') + (priority = '*'), "
		       "category = '*'", "tt", w->category, w->priority);
	return l.max_ext;
}

void wo_op_extension(struct wo_job *m, struct db *db, struct wo *w,
		     unsigned actors, int64_t now)
{
	const json_t *sv = json_object_get(m->body, "seconds");
	const char *reason = json_string_value(json_object_get(m->body,
								"reason"));
	const json_int_t secs = json_is_integer(sv) ? json_integer_value(sv) : 0;
	char id[UTIL_ID_LEN];
	int64_t pending = 0, max;
	json_t *d;

	if (secs <= 0 || secs > 30 * 86400) {
		wo_refuse(m, 400, "seconds: want 1..2592000 business seconds");
		return;
	}
	if (!reason || !*reason || strlen(reason) > 1000) {
		wo_refuse(m, 400, "reason: required (up to 1000 bytes)");
		return;
	}
	if (!(actors & (TICKET_A_HANDLER | TICKET_A_LEAD))) {
		wo_refuse(m, 403, "only its handler may ask for more time");
		return;
	}
	if (ticket_state_clock(w->state) == TICKET_CLK_STOP) {
		wo_refuse(m, 409, "the order is %s: no time limit runs",
			  ticket_state_name(w->state));
		return;
	}
	(void)db_query(db, count_row, &pending, "SELECT COUNT(*) FROM "
		       "wo_extensions WHERE order_id = ? AND state = 'pending'",
		       "t", w->id);
	if (pending) {
		wo_refuse(m, 409, "a request is already waiting for the lead");
		return;
	}
	max = max_extension(db, w);
	if (w->extension_s + secs > max) {
		wo_refuse(m, 409, "seconds: at most %lld more may be granted",
			  (long long)(max - w->extension_s));
		return;
	}
	util_random_id(id);
	d = json_pack("{s:s, s:I}", "extension_id", id, "seconds",
		      (json_int_t)secs);
	if (db_exec(db, "INSERT INTO wo_extensions (id, order_id, seconds, "
		    "reason, state, requested_by, requested_at) VALUES (?, ?, "
		    "?, ?, 'pending', ?, ?)", "ttitti", id, w->id, (int64_t)secs, reason,
		    m->j.req.user.id, now) ||
	    wo_history(db, w->id, now, m->j.req.user.id,
		       m->j.req.user.username, "extension", NULL, NULL, reason,
		       d)) {
		json_decref(d);
		wo_refuse(m, 500, "cannot store the request");
		return;
	}
	json_decref(d);
	m->extra = json_pack("{s:s}", "extension_id", id);
	wo_event(m->evs, BUS_TICKET_UPDATED, w->id,
		 wo_event_data(w, "extension"));
}

struct ext {
	int64_t seconds;
	char state[16];
	bool found;
};

static int ext_row(const struct db_row *row, void *arg)
{
	struct ext *e = arg;

	e->found = true;
	e->seconds = db_row_int(row, 0);
	util_strlcpy(e->state, db_row_text(row, 1), sizeof(e->state));
	return 0;
}

void wo_op_decide(struct wo_job *m, struct db *db, struct wo *w,
		  unsigned actors, int64_t now)
{
	const json_t *ap = json_object_get(m->body, "approve");
	struct ext e = {0};
	json_t *d;

	if (!json_is_boolean(ap)) {
		wo_refuse(m, 400, "approve: want true or false");
		return;
	}
	if (!(actors & TICKET_A_LEAD)) {
		wo_refuse(m, 403, "only the department's lead decides");
		return;
	}
	(void)db_query(db, ext_row, &e, "SELECT seconds, state FROM "
		       "wo_extensions WHERE id = ? AND order_id = ?", "tt",
		       m->sub, w->id);
	if (!e.found) {
		wo_refuse(m, 404, "no such extension request");
		return;
	}
	if (strcmp(e.state, "pending")) {
		wo_refuse(m, 409, "already %s", e.state);
		return;
	}
	if (json_is_true(ap))
		w->extension_s += e.seconds;
	d = json_pack("{s:s, s:b, s:I}", "extension_id", m->sub, "approved",
		      json_is_true(ap), "seconds", (json_int_t)e.seconds);
	if (db_exec(db, "UPDATE wo_extensions SET state = ?, decided_by = ?, "
		    "decided_at = ? WHERE id = ?", "ttit", json_is_true(ap) ?
		    "approved" : "refused", m->j.req.user.id, now, m->sub) ||
	    db_exec(db, "UPDATE work_orders SET extension_s = ?, updated_at = ? "
		    "WHERE id = ?", "iit", w->extension_s, now, w->id) ||
	    wo_history(db, w->id, now, m->j.req.user.id,
		       m->j.req.user.username, "extension_decision", NULL, NULL,
		       NULL, d))
		wo_refuse(m, 500, "cannot store the decision");
	json_decref(d);
	if (!m->status)
		wo_event(m->evs, BUS_TICKET_UPDATED, w->id,
			 wo_event_data(w, "extension_decision"));
}

int wo_task_done(struct db *db, const char *id, const char *outcome,
		 int64_t now, json_t *evs)
{
	static const enum ticket_state path[] = {TICKET_REPLIED, TICKET_CLOSED};
	struct wo w;
	const char *why;
	int err = wo_load(db, id, &w, NULL);

	if (err)
		return err;
	for (size_t i = 0; i < ARRAY_LEN(path); i++) {
		if (ticket_move_check(w.state, path[i], TICKET_A_SYSTEM, true,
				      &why))
			continue;
		err = wo_move(db, &w, path[i], now, "system", "", outcome);
		if (err)
			return err;
		wo_event(evs, BUS_TICKET_UPDATED, w.id, wo_event_data(&w, "move"));
	}
	return 0;
}
