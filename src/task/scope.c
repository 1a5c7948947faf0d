/* task/scope: which tasks a user sees (the data scope over tasks, whose
 * rows are keyed by the assignee's user id rather than an extension):
 * all every task; departments the tasks of the users in the department
 * and below it, and every pool; own their own and the pools of the queues
 * they serve (asked of queue/ on the worker). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "queue/queue.h"
#include "task/task.h"
#include "task/task_int.h"

static bool name_safe(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
			    "TUVWXYZ0123456789_.-") == strlen(s);
}

/* The user's queues as an SQL list of quoted names ("NULL" for none):
 * names are checked to hold no quote, so they may be written in. */
void task_pools_in(struct db *db, const struct api_user *u, char *out,
		     size_t n)
{
	struct queue_members all = {0};
	size_t len = 0, k = 0;

	snprintf(out, n, "NULL");
	if (!u->ext[0] || queue_members_read(db, u->ext, &all))
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		const char *q = all.rows[i].queue;
		int w;

		if (!name_safe(q) || k == TASK_POOLS_MAX)
			continue;
		w = snprintf(out + len, n - len, "%s'%s'", k ? "," : "", q);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
		k++;
	}
	if (!k)
		snprintf(out, n, "NULL");
 out:
	queue_members_free(&all);
}

const char *task_scope_word(const struct api_user *u)
{
	return api_scope_name(api_scope_of(u));
}

int task_count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* Whether u may see task id: 0 yes, ENOENT no (or no such task), EIO. */
int task_visible(struct db *db, const struct api_user *u, const char *id)
{
	char sql[4096], pools[TASK_POOLS_LEN];
	int64_t n = 0;

	task_pools_in(db, u, pools, sizeof(pools));
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM tasks t WHERE t.id = ?"
		 " AND " TASK_SCOPE_SQL, pools);
	if (db_query(db, task_count_row, &n, sql, "t" TASK_SCOPE_TYPES, id,
		     task_scope_word(u), u->id, task_scope_word(u), u->dept))
		return EIO;
	return n ? 0 : ENOENT;
}
