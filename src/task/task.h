/* task: callback tasks (计划任务 / 回访) and notices (公告), a business
 * module above call/, queue/ and api/. It owns the tables tasks,
 * task_abandon_rules, notices, notice_targets and notice_reads; others
 * ask it through the API (docs/api.md) or the bus (task.created,
 * task.done, notice.published).
 *
 * Tasks come from people (the API) and from events it subscribes to:
 * voicemail.new (a task for the mailbox's owner, else its queue's pool),
 * queue.abandon then call.ended (a callback for the queue's pool, when the
 * queue's switch is on), ticket.reply_due (a reply task for the agent),
 * and call.answered of an outbound call (the assignee calling the task's
 * number ends it, done with the call linked). The rules below are pure:
 * time comes in as an argument. */
#ifndef HL_TASK_H
#define HL_TASK_H

#include <stdbool.h>
#include <stdint.h>

struct mod_export;

/* The module's row in app/modules.c: routes, bus subscriptions, worker. */
extern const struct mod_export task_module;

enum task_state { TASK_OPEN, TASK_DONE, TASK_CANCELLED };

/* How a task stands for the completion statistics at now_ms. */
enum task_class {
	TASK_C_ON_TIME,    /* done by its due time */
	TASK_C_LATE,       /* done after it */
	TASK_C_OPEN,       /* open, not yet due */
	TASK_C_OVERDUE,    /* open past its due time */
	TASK_C_CANCELLED,
	TASK_C_COUNT
};

/* Adds to tx (db.h) what merging customer from into customer into
 * changes in tasks: their customer_id (crm's merge, one transaction). 0
 * or db_tx_add's error. */
struct db_tx;
int  task_customer_merge(struct db_tx *tx, const char *into,
			 const char *from);

/* The state named s ("open", "done", "cancelled"); EINVAL otherwise. */
int  task_state_parse(const char *s, enum task_state *st);
/* The stored name of st. */
const char *task_state_name(enum task_state st);
/* Whether a task may go from `from` to `to`: only an open task is done or
 * cancelled; ended tasks stay ended (a new task is made instead). */
bool task_transition_ok(enum task_state from, enum task_state to);
/* A task's class at now_ms from its state, due time and end time. */
enum task_class task_classify(enum task_state st, int64_t due_ms,
			      int64_t ended_ms, int64_t now_ms);
/* The JSON key of class c in the statistics ("on_time" …). */
const char *task_class_name(enum task_class c);
/* A phone number as tasks take it: 2..32 of digits, with an optional
 * leading '+' and '-' or ' ' between digits; "" is fine (no number). */
bool task_phone_ok(const char *s);
/* Whether origin is one tasks know: manual, voicemail, abandoned,
 * ticket. */
bool task_origin_ok(const char *origin);

#endif
