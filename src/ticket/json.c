/* ticket/json: a work order's row as the API shows it. Times are RFC 3339
 * (null when not yet), the state comes with its Chinese name. */
#include <string.h>
#include "api/http.h"
#include "db/db.h"
#include "ticket/ticket.h"
#include "ticket/wo_sql.h"

static const struct {
	const char *field;
	enum { F_TEXT, F_NUMBER, F_TIME, F_INT, F_BOOL } kind;
} fields[WO_C_COUNT] = {
	[WO_C_ID] = {"id", F_TEXT}, [WO_C_NO] = {"no", F_TEXT},
	[WO_C_TITLE] = {"title", F_TEXT},
	[WO_C_DESCRIPTION] = {"description", F_TEXT},
	[WO_C_CATEGORY] = {"category", F_TEXT},
	[WO_C_SERVICE] = {"service", F_TEXT},
	[WO_C_PRIORITY] = {"priority", F_TEXT}, [WO_C_TYPE] = {"type", F_TEXT},
	[WO_C_STATE] = {"state", F_TEXT},
	[WO_C_PHONE] = {"customer_phone", F_NUMBER},
	[WO_C_CUSTOMER] = {"customer_id", F_TEXT},
	[WO_C_CALL] = {"call_id", F_TEXT},
	[WO_C_CREATED_BY] = {"created_by", F_TEXT},
	[WO_C_CREATOR_DEPT] = {"creator_department_id", F_TEXT},
	[WO_C_DEPT] = {"department_id", F_TEXT},
	[WO_C_CO_DEPT] = {"co_department_id", F_TEXT},
	[WO_C_ASSIGNEE] = {"assignee", F_TEXT},
	[WO_C_REPLY] = {"reply_needed", F_BOOL},
	[WO_C_DUE] = {"due_at", F_TIME}, [WO_C_FAULT] = {"fault_id", F_TEXT},
	[WO_C_PARENT] = {"parent_id", F_TEXT},
	[WO_C_MERGED] = {"merged_into", F_TEXT},
	[WO_C_EXTENSION] = {"extension_s", F_INT},
	[WO_C_SLA] = {"sla_flags", F_INT},
	[WO_C_CREATED_AT] = {"created_at", F_TIME},
	[WO_C_UPDATED_AT] = {"updated_at", F_TIME},
	[WO_C_FIRST_RESPONSE] = {"first_response_at", F_TIME},
	[WO_C_DONE_AT] = {"done_at", F_TIME},
	[WO_C_CLOSED_AT] = {"closed_at", F_TIME},
	[WO_C_CREATOR_NAME] = {"created_by_name", F_TEXT},
	[WO_C_ASSIGNEE_NAME] = {"assignee_name", F_TEXT},
	[WO_C_DEPT_NAME] = {"department_name", F_TEXT},
	[WO_C_CO_DEPT_NAME] = {"co_department_name", F_TEXT},
};

json_t *wo_row_json(const struct db_row *row, const struct api_user *u)
{
	json_t *o = json_object();
	char t[UTIL_TIME_LEN], m[API_MASK_LEN];
	enum ticket_state st;

	for (int i = 0; o && i < WO_C_COUNT; i++) {
		const char *s = db_row_text(row, i);
		json_t *v;

		if (db_row_isnull(row, i))
			v = json_null();
		else if (fields[i].kind == F_INT)
			v = json_integer(db_row_int(row, i));
		else if (fields[i].kind == F_BOOL)
			v = json_boolean(db_row_int(row, i));
		else if (fields[i].kind == F_TIME) {
			util_rfc3339(t, db_row_int(row, i));
			v = json_string(t);
		}
		else if (fields[i].kind == F_NUMBER && u && u->mask_numbers) {
			api_mask_number(s, m, sizeof(m));
			v = json_string(m);
		}
		else
			v = json_string(s);
		json_object_set_new(o, fields[i].field, v);
	}
	if (o && !ticket_state_parse(db_row_text(row, WO_C_STATE), &st))
		json_object_set_new(o, "state_zh", json_string(ticket_state_zh(st)));
	return o;
}
