/* ticket/http: /api/v1/work-orders. Every handler reads or changes on the
 * worker pool (api/job.c), never on the loop; a change's events are
 * published on the loop when its job comes back, after the reply's data
 * was read, so a client that hears ticket.updated and reads the order
 * sees the change.
 *
 * Lists are newest first, keyset-paged on (created_at, id) like /calls,
 * and filtered by the user's data scope: everything (scope all); what
 * they wrote or handle, and what their department handles or helps with;
 * with scope departments also what any department under theirs handles
 * or wrote. One order outside it is 403. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bus.h"
#include "base/mod.h"
#include "db/db.h"
#include "ticket/flow.h"
#include "ticket/http_int.h"
#include "ticket/wo_sql.h"

static const char *const masked[] = {"customer_phone", NULL};

/* ---- changes: one job shape for every op */

static void flow_clean(struct api_job *j)
{
	struct wo_job *m = (struct wo_job *)j;

	json_decref(m->body);
	json_decref(m->evs);
	json_decref(m->extra);
}

/* The order as the user sees it: row, history, deadlines. */
static json_t *order_json(struct db *db, const char *id,
			  const struct api_user *u, int64_t now)
{
	struct wo w;
	json_t *o = NULL, *h = NULL, *sla = NULL;

	if (wo_load(db, id, &w, &o))
		return NULL;
	api_mask_fields(u, o, masked);
	if (!wo_history_json(db, id, &h))
		json_object_set_new(o, "history", h);
	if (!wo_deadlines(db, &w, now, &sla))
		json_object_set_new(o, "deadlines", sla);
	json_object_set_new(o, "actors", json_integer(wo_actors(db, &w, u)));
	return o;
}

static void flow_work(struct api_job *j)
{
	struct wo_job *m = (struct wo_job *)j;
	struct db *db = api_house(&j->req)->db;
	const int64_t now = util_now_ms();
	struct wo w;
	int err;

	wo_lock();
	if (!m->op) {
		wo_create(m, db, now);
		goto out;
	}
	err = wo_load(db, m->id, &w, NULL);
	if (err == ENOENT)
		wo_refuse(m, 404, "no such work order");
	else if (err)
		wo_refuse(m, 500, "cannot read the work order");
	else if (!wo_in_scope(db, &w, &j->req.user))
		wo_refuse(m, 403, "outside your data scope");
	else
		m->op(m, db, &w, wo_actors(db, &w, &j->req.user), now);
 out:
	wo_unlock();
}

static void flow_done(struct api_job *j)
{
	struct wo_job *m = (struct wo_job *)j;
	struct bus *bus = api_house(&j->req)->bus;
	size_t i;
	json_t *e, *o;

	/* What happened happened, refused or not (a refusal comes before
	 * any write, but a later step may fail after an earlier one). */
	json_array_foreach(m->evs, i, e)
		bus_publish(bus, (enum bus_ev)json_integer_value(
				    json_object_get(e, "ev")),
			    json_string_value(json_object_get(e, "subject")),
			    util_now_ms(), json_incref(json_object_get(e, "data")));
	if (m->status) {
		api_reply_error(j->req.conn, m->status, "%s", m->err);
		return;
	}
	o = json_object_get(m->extra, "order");
	if (!o) {
		api_reply_error(j->req.conn, 500, "cannot read the work order");
		return;
	}
	api_reply_json(j->req.conn, m->op ? 200 : 201, NULL, json_incref(o));
}

/* After the op, the order is read again for the reply (on the worker). */
static void flow_work_read(struct api_job *j)
{
	struct wo_job *m = (struct wo_job *)j;
	json_t *o;

	flow_work(j);
	if (m->status)
		return;
	o = order_json(api_house(&j->req)->db, m->op ? m->id : m->created,
		       &j->req.user, util_now_ms());
	if (!o)
		return;
	if (m->extra)
		json_object_update(o, m->extra);
	json_decref(m->extra);
	m->extra = json_pack("{s:o}", "order", o);
}

void wo_flow_queue(struct api_req *req, wo_op_h *op)
{
	const char *id = api_param(&req->params, "id");
	const char *sub = api_param(&req->params, "ext");
	char why[256];
	json_t *body = NULL;
	struct wo_job *m;

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	m = api_job_alloc(req, sizeof(*m), flow_work_read, flow_done,
			  flow_clean);
	if (!m) {
		json_decref(body);
		return;
	}
	m->op = op;
	m->body = body;
	m->evs = json_array();
	util_strlcpy(m->id, id ? id : "", sizeof(m->id));
	util_strlcpy(m->sub, sub ? sub : "", sizeof(m->sub));
	api_job_queue(m);
}

static void h_create(struct api_req *req)
{
	wo_flow_queue(req, NULL);
}

#define OP_HANDLER(name, op) \
	static void name(struct api_req *req) { wo_flow_queue(req, op); }
OP_HANDLER(h_transition, wo_op_transition)
OP_HANDLER(h_claim, wo_op_claim)
OP_HANDLER(h_assign, wo_op_assign)
OP_HANDLER(h_forward, wo_op_forward)
OP_HANDLER(h_cohandle, wo_op_cohandle)
OP_HANDLER(h_return, wo_op_return)
OP_HANDLER(h_link, wo_op_link)
OP_HANDLER(h_extension, wo_op_extension)
OP_HANDLER(h_decide, wo_op_decide)

/* ---- one order */

struct one_job {
	struct api_job j;
	json_t *o;
	uint16_t status;
};

static void one_clean(struct api_job *j)
{
	json_decref(((struct one_job *)j)->o);
}

static void one_work(struct api_job *j)
{
	struct one_job *oj = (struct one_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *id = api_param(&j->req.params, "id");
	struct wo w;
	int err = wo_load(db, id, &w, NULL);

	if (err) {
		oj->status = err == ENOENT ? 404 : 500;
		return;
	}
	if (!wo_in_scope(db, &w, &j->req.user)) {
		oj->status = 403;
		return;
	}
	oj->o = order_json(db, id, &j->req.user, util_now_ms());
	oj->status = oj->o ? 200 : 500;
}

static void one_done(struct api_job *j)
{
	struct one_job *oj = (struct one_job *)j;

	if (oj->status == 200)
		api_reply_json(j->req.conn, 200, NULL, json_incref(oj->o));
	else
		api_reply_error(j->req.conn, oj->status, "%s",
				oj->status == 404 ? "no such work order" :
				oj->status == 403 ? "outside your data scope" :
				"cannot read the work order");
}

static void h_get(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct one_job), one_work,
				    one_done, one_clean));
}

/* ---- the model: states, moves, priorities, types (no database) */

static void h_meta(struct api_req *req)
{
	static const char *const pri[][2] = {{"urgent", "紧急"},
		{"high", "高"}, {"medium", "中"}, {"low", "低"}};
	static const char *const typ[][2] = {{"question", "问题"},
		{"incident", "事件"}, {"fault", "故障"}, {"task", "任务"}};
	static const char *const clk[] = {"run", "pause", "stop"};
	static const char *const who[] = {"creator", "handler", "member",
					  "lead", "system"};
	json_t *states = json_array(), *moves = json_array();
	json_t *p = json_array(), *t = json_array();
	size_t n;
	const struct ticket_move *mv = ticket_moves(&n);

	for (int s = 0; s < TICKET_STATE_COUNT; s++)
		json_array_append_new(states, json_pack("{s:s, s:s, s:s}",
			"name", ticket_state_name(s), "zh", ticket_state_zh(s),
			"clock", clk[ticket_state_clock(s)]));
	for (size_t i = 0; i < n; i++) {
		json_t *w = json_array();
		for (size_t b = 0; b < ARRAY_LEN(who); b++)
			if (mv[i].who & (1u << b))
				json_array_append_new(w, json_string(who[b]));
		json_array_append_new(moves, json_pack("{s:s, s:s, s:o, s:s, "
			"s:b, s:s}", "from", ticket_state_name(mv[i].from),
			"to", ticket_state_name(mv[i].to), "who", w,
			"clock", clk[mv[i].clock], "reason",
			(mv[i].needs & TICKET_NEED_REASON) != 0, "doc", mv[i].doc));
	}
	for (size_t i = 0; i < ARRAY_LEN(pri); i++)
		json_array_append_new(p, json_pack("{s:s, s:s}", "name",
						   pri[i][0], "zh", pri[i][1]));
	for (size_t i = 0; i < ARRAY_LEN(typ); i++)
		json_array_append_new(t, json_pack("{s:s, s:s}", "name",
						   typ[i][0], "zh", typ[i][1]));
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o, s:o, s:o, s:o}",
		"states", states, "moves", moves, "priorities", p, "types", t));
}

/* ---- the table */

#define WRITERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_AGENT | \
		 API_R_BACKOFFICE)

static const struct api_route rows[] = {
	{"GET",  "/api/v1/work-orders",                 wo_h_list,   API_ANYONE,
	 0, "work orders newest first: view (all, inbox, mine, created, overdue), state, department, limit, cursor"},
	{"POST", "/api/v1/work-orders",                 h_create,    WRITERS,
	 0, "create a work order: title, category, service, priority, type, customer_phone, call_id, description, department, reply_needed, due_at"},
	{"GET",  "/api/v1/work-orders/{id}",            h_get,       API_ANYONE,
	 0, "one work order with its history and deadlines"},
	{"POST", "/api/v1/work-orders/{id}/transitions", h_transition, WRITERS,
	 0, "move it: {to, reason, close_incidents}; 409 with the reason when the move is not allowed"},
	{"POST", "/api/v1/work-orders/{id}/claim",      h_claim,     WRITERS,
	 0, "take it from the department's inbox"},
	{"POST", "/api/v1/work-orders/{id}/assign",     h_assign,    WRITERS,
	 0, "the lead gives it to a member: {user}"},
	{"POST", "/api/v1/work-orders/{id}/forward",    h_forward,   WRITERS,
	 0, "send it to another department: {department, reason}"},
	{"POST", "/api/v1/work-orders/{id}/cohandle",   h_cohandle,  WRITERS,
	 0, "ask another department to help (协办): {department}"},
	{"POST", "/api/v1/work-orders/{id}/return",     h_return,    WRITERS,
	 0, "return it to whoever wrote it: {reason}"},
	{"POST", "/api/v1/work-orders/{id}/links",      h_link,      WRITERS,
	 0, "link another order: {kind: fault, child or merge, id}"},
	{"POST", "/api/v1/work-orders/{id}/extensions", h_extension, WRITERS,
	 0, "ask for more time (延时申请): {seconds, reason}"},
	{"POST", "/api/v1/work-orders/{id}/extensions/{ext}", h_decide, WRITERS,
	 0, "the lead decides an extension request: {approve}"},
	{"GET",  "/api/v1/work-orders/{id}/attachments", wo_h_attach_list, API_ANYONE,
	 0, "its live attachments, oldest first, with the size and count limits and the extensions taken"},
	{"POST", "/api/v1/work-orders/{id}/attachments", wo_h_attach_add, WRITERS,
	 API_F_UPLOAD, "attach a file: the body is the file with ?name= its name, or a multipart form with one file (pdf, office, image, audio, zip …); 413 past ticket.attach_max_bytes, 409 past ticket.attach_max_files"},
	{"GET",  "/api/v1/work-orders/{id}/attachments/{file}", wo_h_attach_get, API_ANYONE,
	 0, "the file as uploaded, with its name in Content-Disposition"},
	{"DELETE", "/api/v1/work-orders/{id}/attachments/{file}", wo_h_attach_del, WRITERS,
	 0, "remove an attachment (soft): who uploaded it or a lead"},
	{"GET",  "/api/v1/work-order-meta",             h_meta,      API_ANYONE,
	 0, "states, the move table, priorities and types"},
	{"GET",  "/api/v1/work-order-categories",       wo_h_names,  API_ANYONE,
	 0, "the categories (工单分类)"},
	{"PUT",  "/api/v1/work-order-categories",       wo_h_names_put, API_R_ADMIN,
	 0, "replace the categories: {items: [{name, active}]}"},
	{"GET",  "/api/v1/work-order-services",         wo_h_names,  API_ANYONE,
	 0, "the service catalogue (服务目录)"},
	{"PUT",  "/api/v1/work-order-services",         wo_h_names_put, API_R_ADMIN,
	 0, "replace the service catalogue: {items: [{name, active}]}"},
	{"GET",  "/api/v1/work-order-routes",           wo_h_routes, API_SUPERVISORS,
	 0, "routing rules: category x service → department"},
	{"PUT",  "/api/v1/work-order-routes",           wo_h_routes_put, API_R_ADMIN,
	 0, "replace the routing rules: {items: [{category, service, department}]}"},
	{"GET",  "/api/v1/work-order-limits",           wo_h_limits, API_SUPERVISORS,
	 0, "time limits per category x priority"},
	{"PUT",  "/api/v1/work-order-limits",           wo_h_limits_put, API_R_ADMIN,
	 0, "replace the time limits: {items: [{category, priority, first_response_s, update_s, complete_s, warn_pct, max_extension_s}]}"},
	/* Writers too: whoever may forward an order picks the department
	 * from this list; executives filter the report by it. */
	{"GET",  "/api/v1/work-order-departments",      wo_h_depts,  WRITERS | API_R_EXECUTIVE,
	 0, "how each department takes orders: assign, lead, calendar"},
	{"PUT",  "/api/v1/work-order-departments/{id}", wo_h_dept_put, API_R_ADMIN,
	 0, "set a department's assign (manual, round-robin, least-loaded), lead, calendar"},
	{"GET",  "/api/v1/reports/work-orders",         wo_h_report, API_SUPERVISORS | API_R_EXECUTIVE | API_R_BACKOFFICE,
	 0, "orders written from..to in the user's scope (department: one): by category, department, state; "
	 "compliance, mean times, reopen rate; format json|csv|xlsx"},
};
const struct mod_routes wo_http_routes = {rows, ARRAY_LEN(rows)};
