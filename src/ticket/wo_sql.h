/* ticket/wo_sql: the columns a work order is read with, shared by the
 * store (one order) and the lists, and the row's API form (json.c). */
#ifndef HL_TICKET_WO_SQL_H
#define HL_TICKET_WO_SQL_H

#include <jansson.h>

struct db_row;
struct api_user;

#define WO_COLS "w.id, w.no, w.title, w.description, w.category, " \
	"w.service, w.priority, w.type, w.state, w.customer_phone, " \
	"w.customer_id, w.call_id, w.created_by, w.creator_dept, " \
	"w.department_id, w.co_department_id, w.assignee, w.reply_needed, " \
	"w.due_at, w.fault_id, w.parent_id, w.merged_into, w.extension_s, " \
	"w.sla_flags, w.created_at, w.updated_at, w.first_response_at, " \
	"w.done_at, w.closed_at, cu.username, au.username, d.name, cd.name"
#define WO_FROM "work_orders w LEFT JOIN users cu ON cu.id = w.created_by " \
	"LEFT JOIN users au ON au.id = w.assignee " \
	"LEFT JOIN departments d ON d.id = w.department_id " \
	"LEFT JOIN departments cd ON cd.id = w.co_department_id"

/* The data scope of a list (list.c, pop.c), nine text binds: the scope's
 * name, the user's id twice, the user's department twice, the user's id
 * (as a department's lead), the scope's name, the department twice. */
#define WO_SUBTREE "(WITH RECURSIVE sub(id) AS (SELECT ? UNION " \
	"SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) " \
	"SELECT id FROM sub)"
#define WO_SCOPE "(? = 'all' OR w.created_by = ? OR w.assignee = ? OR " \
	"w.department_id = ? OR w.co_department_id = ? OR w.department_id " \
	"IN (SELECT department_id FROM wo_departments WHERE lead_user = ?) " \
	"OR (? = " \
	"'departments' AND (w.department_id IN " WO_SUBTREE " OR " \
	"w.creator_dept IN " WO_SUBTREE ")))"
#define WO_SCOPE_TYPES "ttttttttt"

/* WO_COLS's indexes. */
enum {
	WO_C_ID, WO_C_NO, WO_C_TITLE, WO_C_DESCRIPTION, WO_C_CATEGORY,
	WO_C_SERVICE, WO_C_PRIORITY, WO_C_TYPE, WO_C_STATE, WO_C_PHONE,
	WO_C_CUSTOMER, WO_C_CALL, WO_C_CREATED_BY, WO_C_CREATOR_DEPT,
	WO_C_DEPT, WO_C_CO_DEPT, WO_C_ASSIGNEE, WO_C_REPLY, WO_C_DUE,
	WO_C_FAULT, WO_C_PARENT, WO_C_MERGED, WO_C_EXTENSION, WO_C_SLA,
	WO_C_CREATED_AT, WO_C_UPDATED_AT, WO_C_FIRST_RESPONSE, WO_C_DONE_AT,
	WO_C_CLOSED_AT, WO_C_CREATOR_NAME, WO_C_ASSIGNEE_NAME, WO_C_DEPT_NAME,
	WO_C_CO_DEPT_NAME, WO_C_COUNT
};

/* The row (WO_COLS) as the API shows it, the customer's number masked
 * for u when u masks numbers (u NULL: unmasked). */
json_t *wo_row_json(const struct db_row *row, const struct api_user *u);

struct wo;
/* The row (WO_COLS) into *w (store.c). */
void wo_from_row(const struct db_row *row, struct wo *w);

#endif
