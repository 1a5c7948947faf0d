/* ticket/custhist: the customer's work orders in crm/'s contact history
 * (GET /api/v1/customers/{id}/history), registered at the module's start
 * through crm_history_source so crm/ includes nothing of ticket/.
 *
 * An order belongs to the customer it was written for (customer_id: an
 * order for a number that is no customer yet makes one, and a merge moves
 * the orders, so the id is enough). The user sees the orders their data
 * scope covers, by the same condition as every list of orders (wo_sql.h);
 * migration 042 indexes customer_id. Each entry says when the order was
 * written; its state is today's. */
#include <errno.h>
#include <stddef.h>
#include "db/db.h"
#include "ticket/ticket_int.h"
#include "ticket/wo_sql.h"

enum { CUSTHIST_MAX = 200 };

static int entry_row(const struct db_row *row, void *arg)
{
	char at[UTIL_TIME_LEN];
	enum ticket_state st;
	const char *state = db_row_text(row, 3);

	util_rfc3339(at, db_row_int(row, 6));
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s?, "
		"s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "kind", "work_order",
		"at", at, "id", db_row_text(row, 0), "no", db_row_text(row, 1),
		"title", db_row_text(row, 2), "state", state, "state_zh",
		ticket_state_parse(state, &st) ? NULL : ticket_state_zh(st),
		"priority", db_row_text(row, 4),
		"department", db_row_text(row, 5),
		"type", db_row_text(row, 7))) ? ENOMEM : 0;
}

int wo_customer_history(struct db *db, const struct api_user *u,
			const char *customer_id, json_t *items)
{
	const char *scope = api_scope_name(api_scope_of(u));
	int err = db_query(db, entry_row, items, "SELECT w.id, w.no, w.title, "
		"w.state, w.priority, d.name, w.created_at, w.type FROM "
		"work_orders w LEFT JOIN departments d ON d.id = "
		"w.department_id WHERE w.customer_id = ? AND " WO_SCOPE
		" ORDER BY w.created_at DESC, w.id DESC LIMIT ?",
		"t" WO_SCOPE_TYPES "i", customer_id, scope, u->id, u->id,
		u->dept, u->dept, u->id, scope, u->dept, u->dept,
		(int64_t)CUSTHIST_MAX);

	return err == ENOMEM ? ENOMEM : err ? EIO : 0;
}
