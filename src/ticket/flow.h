/* ticket/flow: changes to work orders made from the API, each one op of a
 * job that runs on a worker under wo_lock and publishes its events on the
 * loop. Shared by http.c (routes) and flow.c (ops). */
#ifndef HL_TICKET_FLOW_H
#define HL_TICKET_FLOW_H

#include "ticket/ticket_int.h"

struct wo_job;
/* One change to the loaded order w, by a user who is actors to it. Sets
 * m->status and m->err on refusal; appends to m->evs what happened. */
typedef void (wo_op_h)(struct wo_job *m, struct db *db, struct wo *w,
		       unsigned actors, int64_t now);

struct wo_job {
	struct api_job j;
	wo_op_h *op;           /* NULL: create (http.c's) */
	json_t *body;          /* the request's object (owned) */
	char id[UTIL_ID_LEN];  /* the path's order id */
	char sub[UTIL_ID_LEN]; /* a second path id (an extension's) */
	uint16_t status;       /* 0 until refused: then the reply's status */
	char err[256];
	json_t *evs;           /* events to publish (wo_event) */
	json_t *extra;         /* merged into the reply when set */
	char created[UTIL_ID_LEN]; /* create: the new order's id */
};

/* Queues op on the path's order with the request's body (403 without
 * scope, 404 for no order). create: op NULL, handled by create_h. */
void wo_flow_queue(struct api_req *req, wo_op_h *op);

/* Refuses m with status and a formatted reason. */
void wo_refuse(struct wo_job *m, uint16_t status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The ops (flow.c, links.c). */
wo_op_h wo_op_transition, wo_op_claim, wo_op_assign, wo_op_forward,
	wo_op_cohandle, wo_op_return, wo_op_link, wo_op_extension,
	wo_op_decide;

/* create.c: a new order from m->body by m's user. */
void wo_create(struct wo_job *m, struct db *db, int64_t now);

/* Routes w (just submitted) by the routing rules and assigns it when its
 * department auto-assigns; events into evs. */
int  wo_route(struct db *db, struct wo *w, int64_t now, json_t *evs);

/* Gives w to its department's next member on duty when the department
 * auto-assigns (round-robin, least-loaded); nothing when manual. */
int  wo_auto_assign(struct db *db, struct wo *w, int64_t now, json_t *evs);

/* A done order: ticket.reply_due when the customer must be answered. */
void wo_done_events(const struct wo *w, json_t *evs);

/* Moves a done order to replied and closed for the task module's
 * task.done; events into evs. */
int  wo_task_done(struct db *db, const char *id, const char *outcome,
		  int64_t now, json_t *evs);

#endif
