/* task/mod: the module's export row (app/modules.c lists it after the
 * queue module, whose members it asks for): the task and notice routes,
 * and the bus subscriptions with their worker (events.c); the customer's
 * tasks for crm/'s contact history (custhist.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm.h"
#include "task/task.h"
#include "task/task_int.h"

/* Who may do what, row by row (api/routes.c says what each column means;
 * tasks.c and notice.c what a role may do with a given task or notice).
 * Fixed paths come before /{id}, which would match them too. */
#define WRITERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_AGENT | \
		 API_R_BACKOFFICE)
static const struct api_route rows[] = {
	{"GET",  "/api/v1/tasks",                 task_h_list,   API_ANYONE, 0,
	 "callback tasks: view mine|pool|overdue|all, state, origin, pool, "
	 "assignee, phone, from/to (due), limit, cursor"},
	{"POST", "/api/v1/tasks",                 task_h_create, WRITERS, 0,
	 "make a callback task: title, due_at, phone, notes, assignee or pool"},
	{"GET",  "/api/v1/tasks/stats",           task_h_stats,  API_ANYONE, 0,
	 "completion statistics per assignee: on time, late, open, overdue"},
	{"GET",  "/api/v1/tasks/abandon-rules",   task_h_rules_get,
	 API_SUPERVISORS, 0,
	 "whether abandoned calls make callback tasks, overall and per queue"},
	{"PUT",  "/api/v1/tasks/abandon-rules",   task_h_rules_put,
	 API_SUPERVISORS, 0,
	 "switch abandoned-call callbacks on or off: queue ('*': all), enabled"},
	{"GET",  "/api/v1/tasks/{id}",            task_h_get,    API_ANYONE, 0,
	 "one task"},
	{"PATCH", "/api/v1/tasks/{id}",           task_h_update, WRITERS, 0,
	 "change an open task: title, notes, phone, due_at, assignee, pool"},
	{"POST", "/api/v1/tasks/{id}/done",       task_h_done,   WRITERS, 0,
	 "the task is done: outcome, call_id (both optional)"},
	{"POST", "/api/v1/tasks/{id}/cancel",     task_h_cancel, WRITERS, 0,
	 "the task is cancelled: outcome (optional)"},
	{"POST", "/api/v1/tasks/{id}/claim",      task_h_claim,  WRITERS, 0,
	 "take an open task from a queue's pool"},
	{"GET",  "/api/v1/notices",               notice_h_list, API_ANYONE, 0,
	 "notices for me with a read flag and the unread count; all=1: every "
	 "notice (publishers)"},
	{"POST", "/api/v1/notices",               notice_h_create,
	 API_SUPERVISORS, 0,
	 "publish a notice: title, body, roles, departments, expires_at"},
	{"PUT",  "/api/v1/notices/{id}",          notice_h_update,
	 API_SUPERVISORS, 0,
	 "change a notice (published again to its audience)"},
	{"DELETE", "/api/v1/notices/{id}",        notice_h_delete,
	 API_SUPERVISORS, 0, "withdraw a notice"},
	{"POST", "/api/v1/notices/{id}/read",     notice_h_read, API_ANYONE, 0,
	 "I have read the notice (the receipt)"},
	{"GET",  "/api/v1/notices/{id}/receipts", notice_h_receipts,
	 API_SUPERVISORS, 0, "who in the audience read the notice, and when"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

static int start(struct mod_house *h, char *err, size_t n)
{
	int e = task_events_start(h);

	if (!e)
		e = crm_history_source(task_customer_history);
	if (e)
		snprintf(err, n, "cannot start tasks (%s)", strerror(e));
	return e;
}

static void stop(struct mod_house *h)
{
	(void)h;
	task_events_stop();
}

const struct mod_export task_module = {
	.name = "task", .start = start, .stop = stop, .routes = &routes,
};
