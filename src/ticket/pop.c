/* ticket/pop: the caller's open work orders on the agent's screen pop.
 *
 * Open here means "the caller may ask about it": every state but replied
 * and closed, so an order done but not yet answered still shows. One
 * query finds them (the customer's orders, or those written for the
 * calling number, newest first: migration 042 indexes both columns), in
 * the user's data scope as every list of orders is; then each of the few
 * found gets its nearest running deadline from the same clock the detail
 * shows (sla.c). */
#include <errno.h>
#include <string.h>
#include "db/db.h"
#include "ticket/sla.h"
#include "ticket/ticket_int.h"
#include "ticket/wo_sql.h"

struct found {
	struct wo w[TICKET_POP_MAX];
	json_t *o[TICKET_POP_MAX];
	size_t n;
	const struct api_user *u;
};

static int pop_row(const struct db_row *row, void *arg)
{
	struct found *f = arg;

	if (f->n >= TICKET_POP_MAX)
		return 0;
	wo_from_row(row, &f->w[f->n]);
	f->o[f->n] = wo_row_json(row, f->u);
	return f->o[f->n++] ? 0 : ENOMEM;
}

/* The clock of sla (wo_sla's form) due first among those still running,
 * or the task's due date when sooner, as {clock, due_at, status}; null
 * when nothing runs (done, paused, no limits configured). RFC 3339 times
 * in UTC compare as text. */
static json_t *nearest(const struct wo *w, const json_t *sla, int64_t now)
{
	static const char *const clocks[] = {"first_response", "update",
					     "completion"};
	const char *best = NULL, *due = NULL, *status = NULL;
	char task_due[UTIL_TIME_LEN];

	for (size_t i = 0; sla && i < ARRAY_LEN(clocks); i++) {
		const json_t *c = json_object_get(sla, clocks[i]);
		const char *st = json_string_value(json_object_get(c, "status"));
		const char *at = json_string_value(json_object_get(c, "due_at"));

		if (!st || !at || !strcmp(st, "met") || !strcmp(st, "late") ||
		    !strcmp(st, "stopped") ||
		    !json_is_true(json_object_get(sla, "limits_found")))
			continue;
		if (!due || strcmp(at, due) < 0)
			best = clocks[i], due = at, status = st;
	}
	if (w->due_at && ticket_state_clock(w->state) == TICKET_CLK_RUN) {
		util_rfc3339(task_due, w->due_at);
		if (!due || strcmp(task_due, due) < 0)
			best = "due", due = task_due,
			status = w->due_at < now ? "breached" : "ok";
	}
	if (!best)
		return json_null();
	return json_pack("{s:s, s:s, s:s}", "clock", best, "due_at", due,
			 "status", status);
}

int ticket_pop_orders(struct db *db, const struct api_user *u,
		      const char *customer, const char *number, int64_t now,
		      json_t *items)
{
	const char *scope = api_scope_name(api_scope_of(u));
	struct found f = {.u = u};
	int err;

	err = db_query(db, pop_row, &f, "SELECT " WO_COLS " FROM " WO_FROM
		" WHERE (w.customer_id = ? OR w.customer_phone = ?) AND "
		"w.state NOT IN ('replied', 'closed') AND " WO_SCOPE
		" ORDER BY w.created_at DESC, w.id DESC LIMIT ?",
		"tt" WO_SCOPE_TYPES "i", customer, number, scope, u->id,
		u->id, u->dept, u->dept, u->id, scope, u->dept, u->dept,
		(int64_t)TICKET_POP_MAX);
	for (size_t i = 0; i < f.n; i++) {
		json_t *sla = NULL;

		if (!err && wo_sla(db, &f.w[i], now, &sla, NULL))
			err = EIO;
		if (!err)
			json_object_set_new(f.o[i], "deadline",
					    nearest(&f.w[i], sla, now));
		json_decref(sla);
		if (!err && json_array_append(items, f.o[i]))
			err = ENOMEM;
		json_decref(f.o[i]);
	}
	return err == ENOMEM ? ENOMEM : err ? EIO : 0;
}
