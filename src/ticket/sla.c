/* ticket/sla: an order's time limits (first response, each update,
 * completion) per category x priority, counted in business seconds of
 * the handling department's calendar (ivr's calendars table: the same
 * schedule model as the IVR's schedule node) with the waiting-for-the-
 * customer stretches of its history as pauses; and the periodic check
 * that publishes ticket.warning and ticket.breached once each.
 *
 * Runs on a worker (reads, tz_load); the clock itself is pure (clock.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/tz.h"
#include "db/db.h"
#include "ivr/ivr_text.h"
#include "ticket/flow.h"
#include "ticket/sla.h"

enum { PAUSES_MAX = 64 };

struct limits {
	int64_t response, update, complete, warn_pct, max_ext;
	bool found;
};

static int limits_row(const struct db_row *row, void *arg)
{
	struct limits *l = arg;

	if (l->found)
		return 0;
	l->found = true;
	l->response = db_row_int(row, 0);
	l->update = db_row_int(row, 1);
	l->complete = db_row_int(row, 2);
	l->warn_pct = db_row_int(row, 3);
	l->max_ext = db_row_int(row, 4);
	return 0;
}

struct cal {
	char name[WO_NAME];
	char *body;
};

static int cal_row(const struct db_row *row, void *arg)
{
	struct cal *c = arg;
	const char *n = db_row_text(row, 0), *b = db_row_text(row, 1);

	util_strlcpy(c->name, n ? n : "", sizeof(c->name));
	free(c->body);
	c->body = b ? strdup(b) : NULL;
	return 0;
}

struct pauses {
	struct ticket_pause p[PAUSES_MAX];
	size_t n;
	bool open;
};

/* Moves in seq order: a stretch starts on entering waiting_customer and
 * ends on leaving it. */
static int pause_row(const struct db_row *row, void *arg)
{
	struct pauses *ps = arg;
	const char *from = db_row_text(row, 1), *to = db_row_text(row, 2);
	const int64_t at = db_row_int(row, 0) / 1000;

	if (to && !strcmp(to, "waiting_customer") && !ps->open &&
	    ps->n < PAUSES_MAX) {
		ps->p[ps->n].from = at;
		ps->p[ps->n++].to = INT64_MAX;
		ps->open = true;
	}
	else if (from && !strcmp(from, "waiting_customer") && ps->open) {
		ps->p[ps->n - 1].to = at;
		ps->open = false;
	}
	return 0;
}

/* One clock: limit_s from start (Unix ms), met at met (0: not yet). */
static json_t *one_clock(const struct ticket_cal *cal, const struct pauses *ps,
			 int64_t start, int64_t limit, int64_t met, bool running,
			 int64_t warn_pct, int64_t now, int *level)
{
	char t[UTIL_TIME_LEN], mt[UTIL_TIME_LEN];
	int64_t due = 0, el = 0;
	const int derr = ticket_clock_due(cal, start / 1000, limit, ps->p,
					  ps->n, &due);
	const char *status;

	*level = 0;
	(void)ticket_clock_elapsed(cal, start / 1000, (met ? met : now) / 1000,
				   ps->p, ps->n, &el);
	if (met)
		status = el <= limit ? "met" : "late";
	else if (!running)
		status = "stopped";
	else if (el >= limit)
		status = "breached", *level = 2;
	else if (el * 100 >= limit * warn_pct)
		status = "warning", *level = 1;
	else if (ps->open)
		status = "paused";
	else
		status = "ok";
	if (!derr)
		util_rfc3339(t, due * 1000);
	if (met)
		util_rfc3339(mt, met);
	return json_pack("{s:I, s:I, s:s?, s:s?, s:s}", "limit_s",
			 (json_int_t)limit, "elapsed_s", (json_int_t)el,
			 "due_at", derr ? NULL : t, "met_at", met ? mt : NULL,
			 "status", status);
}

int wo_sla(struct db *db, const struct wo *w, int64_t now, json_t **jp,
	   int levels[2])
{
	struct limits l = {0};
	struct cal c = {"", NULL};
	struct pauses ps = {0};
	struct ivr_sched *sched = NULL;
	struct tz *tz = NULL;
	struct ticket_cal cal = {NULL, NULL};
	char why[128];
	int lv[3] = {0}, err;

	err = db_query(db, limits_row, &l, "SELECT first_response_s, update_s, "
		"complete_s, warn_pct, max_extension_s FROM wo_limits WHERE "
		"category IN (?, '*') AND priority IN (?, '*') ORDER BY "
		"(category = '*') + (priority = '*'), category = '*'", "tt",
		w->category, w->priority);
	if (!err && w->dept[0])
		err = db_query(db, cal_row, &c, "SELECT c.name, c.body FROM "
			"wo_departments d JOIN calendars c ON c.name = d.calendar "
			"WHERE d.department_id = ?", "t", w->dept);
	if (!err)
		err = db_query(db, pause_row, &ps, "SELECT at, from_state, "
			"to_state FROM work_order_history WHERE order_id = ? AND "
			"from_state IS NOT NULL ORDER BY seq", "t", w->id);
	if (err) {
		free(c.body);
		return EIO;
	}
	if (c.body) {
		json_t *v = json_loads(c.body, 0, NULL);
		/* A calendar that no longer loads counts every second: a
		 * limit is never lost to a bad setting. */
		if (v && !ivr_sched_parse(&sched, v, why, sizeof(why)) &&
		    !tz_load(&tz, ivr_sched_tz(sched))) {
			cal.sched = sched;
			cal.tz = tz;
		}
		json_decref(v);
		free(c.body);
	}
	const bool running = ticket_state_clock(w->state) != TICKET_CLK_STOP;
	const bool responded = w->first_response_at != 0;
	json_t *o = json_pack("{s:s?, s:b, s:I, s:I, s:o, s:o, s:o}",
		"calendar", c.name[0] ? c.name : NULL, "limits_found", l.found,
		"warn_pct", (json_int_t)l.warn_pct,
		"extension_s", (json_int_t)w->extension_s,
		"first_response", one_clock(&cal, &ps, w->created_at, l.response,
			w->first_response_at, running && !responded, l.warn_pct,
			now, &lv[0]),
		"update", one_clock(&cal, &ps, w->updated_at, l.update, 0,
			running, l.warn_pct, now, &lv[1]),
		"completion", one_clock(&cal, &ps, w->created_at,
			l.complete + w->extension_s, w->done_at, running,
			l.warn_pct, now, &lv[2]));
	ivr_sched_free(sched);
	tz_free(tz);
	if (!o)
		return ENOMEM;
	if (levels) {
		levels[0] = l.found ? lv[0] : 0;
		levels[1] = l.found ? lv[2] : 0;
	}
	*jp = o;
	return 0;
}

int wo_deadlines(struct db *db, const struct wo *w, int64_t now, json_t **jp)
{
	return wo_sla(db, w, now, jp, NULL);
}

struct open_ids {
	json_t *a;
};

static int open_row(const struct db_row *row, void *arg)
{
	json_array_append_new(((struct open_ids *)arg)->a,
			      json_string(db_row_text(row, 0)));
	return 0;
}

/* Who hears of a breach: the department's lead user, else its
 * supervisors (escalation), as user ids. */
static int lead_row(const struct db_row *row, void *arg)
{
	json_array_append_new(arg, json_string(db_row_text(row, 0)));
	return 0;
}

static json_t *leads_of(struct db *db, const char *dept)
{
	json_t *a = json_array();

	if (!*dept)
		return a;
	(void)db_query(db, lead_row, a, "SELECT lead_user FROM wo_departments "
		       "WHERE department_id = ? AND lead_user IS NOT NULL", "t",
		       dept);
	if (!json_array_size(a))
		(void)db_query(db, lead_row, a, "SELECT id FROM users WHERE "
			       "department_id = ? AND role = 'supervisor' "
			       "ORDER BY username", "t", dept);
	return a;
}

/* Publishes (into evs) what w crossed since the last check. */
static int check_one(struct db *db, struct wo *w, int64_t now, json_t *evs)
{
	static const struct {
		int clock, level;
		unsigned flag;
		const char *name;
	} steps[] = {
		{0, 1, WO_WARN_RESPONSE, "first_response"},
		{0, 2, WO_BREACH_RESPONSE, "first_response"},
		{1, 1, WO_WARN_COMPLETE, "completion"},
		{1, 2, WO_BREACH_COMPLETE, "completion"},
	};
	int lv[2];
	json_t *sla;
	int64_t flags = w->sla_flags;
	int err = wo_sla(db, w, now, &sla, lv);

	if (err)
		return err;
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		if (lv[steps[i].clock] < steps[i].level ||
		    (flags & steps[i].flag))
			continue;
		flags |= steps[i].flag;
		const bool breach = steps[i].level == 2;
		json_t *leads = breach ? leads_of(db, w->dept) : json_array();
		const json_t *clk = json_object_get(sla, steps[i].name);
		json_t *d = json_pack("{s:s, s:s, s:s, s:O?, s:s?, s:s?, s:O}",
			"id", w->id, "no", w->no, "clock", steps[i].name,
			"due_at", json_object_get(clk, "due_at"),
			"department_id", w->dept[0] ? w->dept : NULL,
			"assignee", w->assignee[0] ? w->assignee : NULL,
			"escalated_to", leads);

		(void)wo_history(db, w->id, now, "system", "", breach ?
				 "breached" : "warning", NULL, NULL, NULL, d);
		wo_event(evs, breach ? BUS_TICKET_BREACHED : BUS_TICKET_WARNING,
			 w->id, d);
		json_decref(leads);
	}
	json_decref(sla);
	if (flags != w->sla_flags)
		err = db_exec(db, "UPDATE work_orders SET sla_flags = ? WHERE "
			      "id = ?", "it", flags, w->id);
	return err;
}

int wo_sla_check(struct db *db, int64_t now, json_t *evs)
{
	struct open_ids ids = {json_array()};
	size_t i;
	json_t *v;
	int err;

	err = db_query(db, open_row, &ids, "SELECT id FROM work_orders WHERE "
		       "state NOT IN ('done', 'replied', 'closed') AND "
		       "sla_flags <> ? ORDER BY created_at", "i",
		       (int64_t)(WO_WARN_RESPONSE | WO_BREACH_RESPONSE |
				 WO_WARN_COMPLETE | WO_BREACH_COMPLETE));
	json_array_foreach(ids.a, i, v) {
		struct wo w;

		wo_lock();
		if (!wo_load(db, json_string_value(v), &w, NULL))
			(void)check_one(db, &w, now, evs);
		wo_unlock();
	}
	json_decref(ids.a);
	return err;
}
