/* task_int: what the files of task/ share (task.h is the module's API).
 *
 * Every request is one job (struct task_job): the handler checks what it
 * can on the loop (the body's shape, a queue's existence), the job's work
 * reads and writes the database on an api worker (db_query, db_exec), and
 * its done answers and publishes the job's event on the loop. */
#ifndef HL_TASK_INT_H
#define HL_TASK_INT_H

#include <jansson.h>
#include "api/http.h"
#include "base/events.h"

struct db;
struct db_row;
struct mod_house;
struct mod_routes;

struct task_job;
typedef void (task_work_h)(struct task_job *t, struct db *db);

struct task_job {
	struct api_job j;
	task_work_h *work;
	char id[API_PARAM_LEN];     /* the path's {id}, or "" */
	json_t *body;               /* the request's object, or NULL */
	int64_t now;                /* read once on the loop */
	/* results */
	uint16_t status;            /* 0: 500 */
	char why[256];              /* an error's reason */
	json_t *out;                /* a success's body */
	enum bus_ev ev;             /* published on done when ev_data is set */
	char ev_subject[UTIL_ID_LEN];
	json_t *ev_data;
	json_t *more;               /* more events: [[id, subject, data]…] */
};

enum task_body {
	TASK_BODY_NONE,      /* not read */
	TASK_BODY_NEED,      /* a JSON object, else 400 here */
	TASK_BODY_OPTIONAL,  /* none, or a JSON object */
};
/* Queues a job for req running work with the request's body as with_body
 * says and the path's {id}. */
void task_job_run(struct api_req *req, task_work_h *work,
		  enum task_body with_body);
/* Sets an error result: status and reason. */
void task_fail(struct task_job *t, uint16_t status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets the success result (takes out). */
void task_ok(struct task_job *t, uint16_t status, json_t *out);
/* Whether the caller manages tasks and notices (admin, supervisor). */
bool task_is_manager(const struct api_user *u);

/* The handlers of mod.c's routes table, which says what each does:
 * tasks.c */
void task_h_list(struct api_req *req);
void task_h_get(struct api_req *req);
void task_h_create(struct api_req *req);
void task_h_update(struct api_req *req);
void task_h_done(struct api_req *req);
void task_h_cancel(struct api_req *req);
void task_h_claim(struct api_req *req);
/* stats.c */
void task_h_stats(struct api_req *req);
void task_h_rules_get(struct api_req *req);
void task_h_rules_put(struct api_req *req);
/* notice.c */
void notice_h_list(struct api_req *req);
void notice_h_create(struct api_req *req);
void notice_h_update(struct api_req *req);
void notice_h_delete(struct api_req *req);
void notice_h_read(struct api_req *req);
void notice_h_receipts(struct api_req *req);

/* The task's columns joined with its assignee, for task_row_json: */
#define TASK_COLS "t.id, t.title, t.notes, t.phone, t.customer_id, " \
	"t.due_at, u.username, u.display_name, t.pool, t.origin, " \
	"t.origin_id, t.state, t.outcome, t.call_id, t.attempts, " \
	"t.created_at, t.ended_at, t.assignee"
#define TASK_FROM "FROM tasks t LEFT JOIN users u ON u.id = t.assignee"
/* The task of a TASK_COLS row as the API shows it, for user u (numbers
 * masked when u masks them; NULL: unmasked) at now. */
json_t *task_row_json(const struct db_row *row, const struct api_user *u,
		      int64_t now);
/* Reads task id into *out (task_row_json): 0, ENOENT or EIO. */
int  task_read(struct db *db, const char *id, const struct api_user *u,
	       int64_t now, json_t **out);
/* The extensions serving queue (its members), as a new JSON array. */
json_t *task_pool_exts(struct db *db, const char *queue);
/* The audience of task.* events about task (a task_row_json object):
 * its assignee, else its pool's members. New reference. */
json_t *task_audience(struct db *db, const json_t *task);

/* scope.c: the rows of tasks t a user sees; binds TASK_SCOPE_TYPES
 * (scope, own id, scope, department), %s the quoted list of the user's
 * queues (task_pools_in). */
#define TASK_SCOPE_SQL "(? = 'all' OR t.assignee = ? OR (? = 'departments' AND " \
	"(t.assignee IS NULL OR t.assignee IN (WITH RECURSIVE sub(id) AS " \
	"(SELECT ? UNION SELECT d.id FROM departments d JOIN sub ON " \
	"d.parent_id = sub.id) SELECT id FROM users WHERE department_id IN " \
	"(SELECT id FROM sub)))) OR (t.assignee IS NULL AND t.pool IN (%s)))"
#define TASK_SCOPE_TYPES "tttt"
enum { TASK_POOLS_MAX = 32, TASK_POOLS_LEN = TASK_POOLS_MAX * 70 };
/* The user's queues as an SQL list of quoted names, "NULL" for none. */
void task_pools_in(struct db *db, const struct api_user *u, char *out,
		   size_t n);
/* The scope's stored name for u ("all", "departments", "own"). */
const char *task_scope_word(const struct api_user *u);
/* A db_row_h storing column 0 into the int64_t at arg. */
int  task_count_row(const struct db_row *row, void *arg);
/* Whether u may see task id: 0 yes, ENOENT no (or no such task), EIO. */
int  task_visible(struct db *db, const struct api_user *u, const char *id);

/* events.c: the bus subscriptions and their worker. */
int  task_events_start(struct mod_house *h);
void task_events_stop(void);

/* ---- custhist.c: crm/'s contact history source (crm_history_h) */
/* Appends customer_id's tasks (by id or by one of its numbers) in u's
 * scope, newest first (at most 200), as {kind "task", at, id, title,
 * state, due, origin}. 0, ENOMEM or EIO. */
int  task_customer_history(struct db *db, const struct api_user *u,
			   const char *customer_id, json_t *items);

#endif
