/* ticket/create: a new work order, routed to a department by the rules
 * on category x service and given to a member when the department
 * auto-assigns. The body is checked whole before anything is written:
 * a refusal names its field and stores nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/bus.h"
#include "db/db.h"
#include "ticket/flow.h"

static ticket_customer_h *customer_h;
static void *customer_arg;

void ticket_set_customer_lookup(ticket_customer_h *h, void *arg)
{
	customer_h = h;
	customer_arg = arg;
}

/* Names the users write, both languages: the stored name first. */
static const char *const priorities[][2] = {
	{"urgent", "紧急"}, {"high", "高"}, {"medium", "中"}, {"low", "低"},
};
static const char *const types[][2] = {
	{"question", "问题"}, {"incident", "事件"}, {"fault", "故障"},
	{"task", "任务"},
};

static const char *lookup(const char *const (*tab)[2], size_t n,
			  const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (!strcmp(name, tab[i][0]) || !strcmp(name, tab[i][1]))
			return tab[i][0];
	return NULL;
}

const char *wo_priority(const char *name)
{
	return lookup(priorities, ARRAY_LEN(priorities), name);
}

const char *wo_type(const char *name)
{
	return lookup(types, ARRAY_LEN(types), name);
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* Whether name is an active row of table (wo_categories, wo_services). */
static bool offered(struct db *db, const char *table, const char *name)
{
	char sql[128];
	int64_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE name = ? "
		 "AND active = 1", table);
	(void)db_query(db, count_row, &n, sql, "t", name);
	return n > 0;
}

/* obj[key] as optional text of at most max bytes: NULL when absent or
 * null; false (m refused, naming key) when not text or too long. */
static bool opt_text(struct wo_job *m, const char *key, size_t max,
		     const char **out)
{
	const json_t *v = json_object_get(m->body, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || json_string_length(v) > max) {
		wo_refuse(m, 400, "%s: want text of up to %zu bytes", key, max);
		return false;
	}
	*out = json_string_length(v) ? json_string_value(v) : NULL;
	return true;
}

static bool phone_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (i == 0 && s[i] == '+') ||
		      s[i] == '-'))
			return false;
	return true;
}

enum { WO_PHONE_MAX = 40 };

struct in {
	const char *title, *category, *service, *priority, *type, *phone;
	const char *call, *desc, *dept;
	bool reply;
	int64_t due;
	char call_phone[WO_PHONE_MAX];    /* phone, when taken from the call */
};

static int text_row(const struct db_row *row, void *arg)
{
	const char *s = db_row_text(row, 0);

	snprintf(arg, WO_PHONE_MAX, "%s", s ? s : "");
	return 0;
}

/* An order written on the user's own call without a number (a user who
 * sees numbers masked cannot give it): the call's customer, the caller of
 * an inbound call or the callee of an outbound one, from call/'s record
 * (read only). Another agent's call gives nothing. */
static void phone_of_call(struct db *db, const struct api_user *u,
			  struct in *in)
{
	if (in->phone || !in->call || !u->ext[0])
		return;
	if (!db_query(db, text_row, in->call_phone, "SELECT CASE WHEN "
		      "direction = 'outbound' THEN callee ELSE caller END FROM "
		      "calls WHERE id = ? AND agent = ?", "tt", in->call, u->ext) &&
	    phone_ok(in->call_phone))
		in->phone = in->call_phone;
}

static bool check_body(struct wo_job *m, struct db *db, struct in *in)
{
	static const char *const keys[] = {"title", "category", "service",
		"priority", "type", "customer_phone", "call_id", "description",
		"department", "reply_needed", "due_at"};
	const char *key, *s;
	const json_t *v;

	json_object_foreach(m->body, key, v) {
		bool known = false;
		for (size_t i = 0; i < ARRAY_LEN(keys); i++)
			known = known || !strcmp(keys[i], key);
		if (!known) {
			wo_refuse(m, 400, "%s: unknown field", key);
			return false;
		}
	}
	if (!opt_text(m, "title", 200, &in->title))
		return false;
	if (!in->title) {
		wo_refuse(m, 400, "title: required");
		return false;
	}
	if (!opt_text(m, "category", 64, &in->category) ||
	    !opt_text(m, "service", 64, &in->service) ||
	    !opt_text(m, "priority", 16, &s) ||
	    !opt_text(m, "customer_phone", 32, &in->phone) ||
	    !opt_text(m, "call_id", 64, &in->call) ||
	    !opt_text(m, "description", 4000, &in->desc) ||
	    !opt_text(m, "department", UTIL_ID_LEN - 1, &in->dept))
		return false;
	if (!in->category || !offered(db, "wo_categories", in->category)) {
		wo_refuse(m, 400, "category: want one of the categories "
			  "(GET /api/v1/work-order-categories)");
		return false;
	}
	if (!in->service || !offered(db, "wo_services", in->service)) {
		wo_refuse(m, 400, "service: want one of the service catalogue "
			  "(GET /api/v1/work-order-services)");
		return false;
	}
	if (!(in->priority = wo_priority(s))) {
		wo_refuse(m, 400, "priority: want urgent, high, medium, low "
			  "(紧急, 高, 中, 低)");
		return false;
	}
	if (!opt_text(m, "type", 16, &s))
		return false;
	if (!(in->type = s ? wo_type(s) : "question")) {
		wo_refuse(m, 400, "type: want question, incident, fault or task");
		return false;
	}
	if (in->phone && !phone_ok(in->phone)) {
		wo_refuse(m, 400, "customer_phone: want digits (3 to 32)");
		return false;
	}
	phone_of_call(db, &m->j.req.user, in);
	v = json_object_get(m->body, "reply_needed");
	if (v && !json_is_boolean(v)) {
		wo_refuse(m, 400, "reply_needed: want true or false");
		return false;
	}
	in->reply = v ? json_is_true(v) : in->phone != NULL;
	if (!opt_text(m, "due_at", 40, &s))
		return false;
	in->due = 0;
	if (s && util_parse_rfc3339(s, &in->due)) {
		wo_refuse(m, 400, "due_at: want an RFC 3339 time");
		return false;
	}
	if (!strcmp(in->type, "task") && !in->due) {
		wo_refuse(m, 400, "due_at: a task needs a due date");
		return false;
	}
	if (in->dept && !wo_dept_exists(db, in->dept)) {
		wo_refuse(m, 400, "department: no such department");
		return false;
	}
	return true;
}

struct route_pick {
	char dept[UTIL_ID_LEN];
};

static int route_row(const struct db_row *row, void *arg)
{
	struct route_pick *r = arg;

	if (!r->dept[0])
		util_strlcpy(r->dept, db_row_text(row, 0), sizeof(r->dept));
	return 0;
}

int wo_auto_assign(struct db *db, struct wo *w, int64_t now, json_t *evs)
{
	char who[UTIL_ID_LEN];
	json_t *d;
	int err = wo_pick_member(db, w->dept, now, who);

	if (err || !who[0])
		return err;
	d = json_pack("{s:s, s:s}", "assignee", who, "by", "auto");
	util_strlcpy(w->assignee, who, sizeof(w->assignee));
	err = db_exec(db, "UPDATE work_orders SET assignee = ? WHERE id = ?",
		      "tt", who, w->id);
	if (!err)
		err = wo_history(db, w->id, now, "system", "", "assign", NULL,
				 NULL, NULL, d);
	json_decref(d);
	if (!err)
		wo_event(evs, BUS_TICKET_UPDATED, w->id,
			 wo_event_data(w, "assign"));
	return err;
}

int wo_route(struct db *db, struct wo *w, int64_t now, json_t *evs)
{
	struct route_pick r = {""};
	const char *why;
	int err;

	if (!w->dept[0]) {
		/* The most specific rule: both named, then one, then *,*. */
		err = db_query(db, route_row, &r, "SELECT department_id FROM "
			"wo_routes WHERE category IN (?, '*') AND service IN "
			"(?, '*') ORDER BY (category = '*') + (service = '*'), "
			"category = '*'", "tt", w->category, w->service);
		if (err || !r.dept[0])
			return err;
		util_strlcpy(w->dept, r.dept, sizeof(w->dept));
		err = db_exec(db, "UPDATE work_orders SET department_id = ? "
			      "WHERE id = ?", "tt", w->dept, w->id);
		if (err)
			return err;
	}
	if (ticket_move_check(w->state, TICKET_PENDING, TICKET_A_SYSTEM, false,
			      &why))
		return 0;
	err = wo_move(db, w, TICKET_PENDING, now, "system", "", "routed");
	if (err)
		return err;
	wo_event(evs, BUS_TICKET_UPDATED, w->id, wo_event_data(w, "route"));
	return wo_auto_assign(db, w, now, evs);
}

void wo_create(struct wo_job *m, struct db *db, int64_t now)
{
	const struct api_user *u = &m->j.req.user;
	struct in in = {0};
	char id[UTIL_ID_LEN], no[32];
	struct wo w;
	json_t *d;
	int err;

	if (!check_body(m, db, &in))
		return;
	util_random_id(id);
	{
		char t[UTIL_TIME_LEN];
		util_rfc3339(t, now);   /* 2026-11-23T16:40:00Z */
		snprintf(no, sizeof(no), "WO%.4s%.2s%.2s%.2s%.2s%.2s%.4s", t,
			 t + 5, t + 8, t + 11, t + 14, t + 17, id);
	}
	err = db_exec(db, "INSERT INTO work_orders (id, no, title, description, "
		"category, service, priority, type, state, customer_phone, "
		"call_id, created_by, creator_dept, department_id, reply_needed, "
		"due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		"'submitted', ?, ?, ?, NULLIF(?, ''), ?, ?, NULLIF(?, 0), ?, ?)",
		"tttttttttttttiiii", id, no, in.title, in.desc ? in.desc : "",
		in.category, in.service, in.priority, in.type, in.phone,
		in.call, u->id, u->dept, in.dept, (int64_t)in.reply, in.due,
		now, now);
	d = json_pack("{s:s?, s:s?}", "call_id", in.call, "department",
		      in.dept);
	if (!err)
		err = wo_history(db, id, now, u->id, u->username, "created",
				 NULL, "submitted", NULL, d);
	json_decref(d);
	if (!err && in.phone && customer_h) {
		char cust[UTIL_ID_LEN * 2];
		if (!customer_h(in.phone, cust, sizeof(cust), customer_arg))
			err = db_exec(db, "UPDATE work_orders SET customer_id = ? "
				      "WHERE id = ?", "tt", cust, id);
	}
	if (!err)
		err = wo_load(db, id, &w, NULL);
	if (err) {
		wo_refuse(m, 500, "cannot store the work order");
		return;
	}
	util_strlcpy(m->created, id, sizeof(m->created));
	wo_event(m->evs, BUS_TICKET_CREATED, id, json_pack(
		"{s:s, s:s, s:s, s:s?, s:s?, s:s, s:s, s:s}", "id", id, "no",
		no, "title", in.title, "customer_phone", in.phone, "call_id",
		in.call, "created_by", u->id, "category", in.category,
		"priority", in.priority));
	if (wo_route(db, &w, now, m->evs))
		wo_refuse(m, 500, "cannot route the work order");
}
