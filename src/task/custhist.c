/* task/custhist: the customer's callback tasks in crm/'s contact history
 * (GET /api/v1/customers/{id}/history), registered at the module's start
 * through crm_history_source so crm/ includes nothing of task/.
 *
 * A task belongs to the customer when it names them (customer_id) or is
 * for one of their numbers: most tasks (abandoned calls, voicemail) carry
 * only the number, which is stored as dialled, in digits, as crm/ stores
 * its numbers; the numbers are read from crm/'s customer_phones, read
 * only, as the history reads call/'s calls. The user sees the tasks their
 * data scope covers, by the condition of every task list (TASK_SCOPE_SQL).
 * Each entry says when the task was made; its state is today's. */
#include <errno.h>
#include <stdio.h>
#include "db/db.h"
#include "task/task_int.h"

enum { CUSTHIST_MAX = 200 };

static int entry_row(const struct db_row *row, void *arg)
{
	char at[UTIL_TIME_LEN], due[UTIL_TIME_LEN];

	util_rfc3339(at, db_row_int(row, 4));
	util_rfc3339(due, db_row_int(row, 3));
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, "
		"s:s, s:s, s:s}", "kind", "task", "at", at,
		"id", db_row_text(row, 0), "title", db_row_text(row, 1),
		"state", db_row_text(row, 2), "due", due,
		"origin", db_row_text(row, 5))) ? ENOMEM : 0;
}

int task_customer_history(struct db *db, const struct api_user *u,
			  const char *customer_id, json_t *items)
{
	char sql[4096], pools[TASK_POOLS_LEN];
	int err;

	task_pools_in(db, u, pools, sizeof(pools));
	snprintf(sql, sizeof(sql), "SELECT t.id, t.title, t.state, t.due_at, "
		 "t.created_at, t.origin FROM tasks t WHERE (t.customer_id = ? "
		 "OR t.phone IN (SELECT number FROM customer_phones WHERE "
		 "customer_id = ?)) AND " TASK_SCOPE_SQL " ORDER BY "
		 "t.created_at DESC, t.id DESC LIMIT %d", pools, CUSTHIST_MAX);
	err = db_query(db, entry_row, items, sql, "tt" TASK_SCOPE_TYPES,
		       customer_id, customer_id, task_scope_word(u), u->id,
		       task_scope_word(u), u->dept);
	return err == ENOMEM ? ENOMEM : err ? EIO : 0;
}
