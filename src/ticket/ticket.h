/* ticket: work orders (工单). A customer's request written down at the
 * agent desk, routed to the department that handles it, worked within time
 * limits counted in that department's business hours, answered and closed.
 *
 * The pure cores (no I/O, no clock: time comes in as an argument) are the
 * state table (state.c) and the business-hours clock (clock.c); the rest
 * is the module: tables, the HTTP API under /api/v1/work-orders, bus
 * events, and the periodic time-limit check. */
#ifndef HL_TICKET_TICKET_H
#define HL_TICKET_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ivr_sched;
struct tz;

/* ---- states (state.c) */
enum ticket_state {
	TICKET_SUBMITTED,         /* 已提交: written, not yet with a department */
	TICKET_PENDING,           /* 待处理: in a department's inbox */
	TICKET_IN_PROGRESS,       /* 处理中: someone works on it */
	TICKET_WAITING_CUSTOMER,  /* 等待客户: clocks paused */
	TICKET_DONE,              /* 处理完成 */
	TICKET_REPLIED,           /* 已答复: the customer was told */
	TICKET_RETURNED,          /* 已退回: back to the sender, with a reason */
	TICKET_REOPENED,          /* 重新打开 */
	TICKET_CLOSED,            /* 已关闭 */
	TICKET_STATE_COUNT
};

/* Who someone is to one work order; a user may be several at once. */
enum ticket_actor {
	TICKET_A_CREATOR = 1u << 0,  /* wrote it */
	TICKET_A_HANDLER = 1u << 1,  /* it is assigned to them */
	TICKET_A_MEMBER  = 1u << 2,  /* in its (or its co-handling) department */
	TICKET_A_LEAD    = 1u << 3,  /* leads that department, or admin */
	TICKET_A_SYSTEM  = 1u << 4,  /* Hotline itself: routing, task.done */
};

/* What the clocks do while an order is in a state. */
enum ticket_clock_mode {
	TICKET_CLK_RUN,    /* time limits count */
	TICKET_CLK_PAUSE,  /* stopped until the state is left */
	TICKET_CLK_STOP,   /* the work is over (done, replied, closed) */
};

/* Its wire name ("in_progress"), or NULL past the last state. */
const char *ticket_state_name(enum ticket_state s);
/* Its Chinese name ("处理中"). */
const char *ticket_state_zh(enum ticket_state s);
/* The state named by its wire or Chinese name; EINVAL for anything else. */
int  ticket_state_parse(const char *name, enum ticket_state *s);
/* What the clocks do in s. */
enum ticket_clock_mode ticket_state_clock(enum ticket_state s);

enum { TICKET_NEED_REASON = 1u << 0 };   /* ticket_move.needs */

/* One legal move: from, to, who may (ticket_actor bits), what the clocks
 * do in the target, what it needs, what it means. */
struct ticket_move {
	enum ticket_state from, to;
	unsigned who;
	enum ticket_clock_mode clock;
	unsigned needs;
	const char *doc;
};

/* The whole table (static); *n is set to its length. */
const struct ticket_move *ticket_moves(size_t *n);

/* Whether actors (ticket_actor bits) may move an order from to to: 0;
 * ENOENT: no such transition; EPERM: none of actors may; EINVAL: it needs
 * a reason and has none. *why (static text) says which. */
int  ticket_move_check(enum ticket_state from, enum ticket_state to,
		       unsigned actors, bool has_reason, const char **why);

/* ---- the business-hours clock (clock.c) */

/* A calendar: the IVR's schedule model (ivr/sched.c: weekly hours,
 * holidays, 调休 make-up workdays) in a zone. sched NULL: every second
 * counts (24x7); tz NULL: UTC. Both borrowed. */
struct ticket_cal {
	const struct ivr_sched *sched;
	const struct tz *tz;
};

/* A stretch of time the clocks stood still (a pausing state), Unix
 * seconds, from included, to excluded; to = INT64_MAX while it lasts. */
struct ticket_pause {
	int64_t from, to;
};

/* Business seconds between from and to (Unix seconds) on cal, not counting
 * the pauses (any order, may overlap). EINVAL when to < from. */
int  ticket_clock_elapsed(const struct ticket_cal *cal, int64_t from,
			  int64_t to, const struct ticket_pause *p, size_t np,
			  int64_t *secs);

/* The instant (Unix seconds) at which need business seconds will have
 * elapsed since start, with the pauses known so far. ENOENT when that never
 * comes within ten years (a calendar that never opens, an open pause). */
int  ticket_clock_due(const struct ticket_cal *cal, int64_t start,
		      int64_t need, const struct ticket_pause *p, size_t np,
		      int64_t *at);

/* ---- the customer module's seam: a new order's customer_phone becomes
 * its customer_id through this lookup (besides ticket.created on the bus,
 * for a module that rather listens). */

/* The customer id of phone into id (n bytes): 0, or ENOENT when the number
 * has no customer (crm's makes one for a number that is nobody's yet).
 * Runs on a worker thread with work orders locked: nothing of the loop. */
typedef int (ticket_customer_h)(const char *phone, char *id, size_t n,
				void *arg);
/* Registers the lookup (NULL: none); from a module's start hook, before
 * requests are served. */
void ticket_set_customer_lookup(ticket_customer_h *h, void *arg);

/* ---- the list (list.c): GET /api/v1/work-orders's query, shared with
 * bench/records so that what is measured is what is served */
struct api_user;
struct db;
struct db_row;

/* One page of a view. */
struct ticket_list_q {
	const char *view;        /* all, inbox, mine, created, overdue */
	const char *dept;        /* inbox: the department's id */
	const char *state;       /* "" any, else a state's wire name */
	int64_t c_ts;            /* keyset: rows older than (c_ts, c_id); */
	const char *c_id;        /* INT64_MAX and "~" for the first page */
	size_t limit;            /* rows at most */
	int64_t now;             /* Unix ms: what overdue compares with */
};

/* Whether name is a view ticket_list_query knows. */
bool ticket_list_view(const char *name);

/* Runs the view's query for u, newest first: rowh(row, arg) for each row,
 * its columns in ticket/wo_sql.h's WO_COLS order. Blocks on the database
 * (a worker's call). 0, EINVAL for an unknown view, EIO, or rowh's
 * non-zero value. */
int  ticket_list_query(struct db *db, const struct api_user *u,
		       const struct ticket_list_q *q,
		       int (*rowh)(const struct db_row *row, void *arg),
		       void *arg);

/* Who merged which customer into which, as work orders' history says. */
struct ticket_customer_move {
	const char *into, *into_name;   /* the customer kept */
	const char *from, *from_name;   /* the one merged into it */
	const char *by, *by_name;       /* users.id and name of who merged */
	int64_t at;                     /* Unix ms */
};

/* Adds to tx (db.h) what merging customer mv->from into mv->into changes
 * in work orders: their customer_id, and one history row on each order
 * that moves (action customer_merged; crm's merge, one transaction; the
 * number each was written for stays as it was). 0 or db_tx_add's
 * error. Strings borrowed. */
struct db_tx;
int  ticket_customer_merge(struct db_tx *tx,
			   const struct ticket_customer_move *mv);

/* ---- the screen pop (pop.c): what crm/'s GET /api/v1/screen-pop shows
 * of the caller's work orders */
struct json_t;
enum { TICKET_POP_MAX = 5 };

/* Appends to items the open orders (any state but replied and closed) of
 * customer id `customer` ("" none) or written for number (stored form),
 * in u's data scope, newest first, at most TICKET_POP_MAX, each as the
 * list shows it plus "deadline": {clock, due_at, status} of its running
 * limit due first (status "breached" once past it), or null. Blocks on
 * the database (a worker's call). 0, EIO or ENOMEM. */
int  ticket_pop_orders(struct db *db, const struct api_user *u,
		       const char *customer, const char *number, int64_t now,
		       struct json_t *items);

/* ---- the module */
struct mod_export;
extern const struct mod_export ticket_module;

#endif
