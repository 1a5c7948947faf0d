/* crm/store: reading customers for the API, on a worker: the row as JSON,
 * then its phones, tags and custom field values (separate reads, since a
 * row handler may not read again), and one customer with its scope. */
#include <errno.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm_int.h"

/* CRM_COLS in order: the API field and how its value is written. */
static const struct {
	const char *field;
	enum { K_TEXT, K_INT, K_BOOL, K_TIME } kind;
} cols[CRM_NCOLS] = {
	{"id", K_TEXT}, {"name", K_TEXT}, {"company", K_TEXT},
	{"region", K_TEXT}, {"level", K_TEXT}, {"owner", K_TEXT},
	{"notes", K_TEXT}, {"blacklisted", K_BOOL},
	{"blacklist_reason", K_TEXT}, {"source", K_TEXT},
	{"created_at", K_TIME}, {"updated_at", K_TIME}, {"deleted_at", K_TIME},
};

json_t *crm_row_json(const struct db_row *row)
{
	json_t *o = json_object();
	char t[UTIL_TIME_LEN];
	int32_t raise = 0;

	for (size_t i = 0; o && i < CRM_NCOLS; i++) {
		json_t *v;

		if (db_row_isnull(row, (int)i))
			v = json_null();
		else if (cols[i].kind == K_BOOL)
			v = json_boolean(db_row_int(row, (int)i));
		else if (cols[i].kind == K_INT)
			v = json_integer(db_row_int(row, (int)i));
		else if (cols[i].kind == K_TIME) {
			util_rfc3339(t, db_row_int(row, (int)i));
			v = json_string(t);
		}
		else
			v = json_string(db_row_text(row, (int)i));
		json_object_set_new(o, cols[i].field, v);
	}
	(void)crm_level_raise(db_row_text(row, 4), &raise);
	json_object_set_new(o, "priority_raise", json_integer(raise));
	return o;
}

struct fill {
	json_t *arr;
	bool mask;
};

static int phone_row(const struct db_row *row, void *arg)
{
	struct fill *f = arg;
	char m[API_MASK_LEN];
	const char *num = db_row_text(row, 0);

	if (f->mask) {
		api_mask_number(num, m, sizeof(m));
		num = m;
	}
	return json_array_append_new(f->arr, json_pack("{s:s, s:s}",
		"number", num, "label", db_row_text(row, 1))) ? ENOMEM : 0;
}

static int text_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_string(db_row_text(row, 0))) ?
		ENOMEM : 0;
}

static int value_row(const struct db_row *row, void *arg)
{
	return json_object_set_new(arg, db_row_text(row, 0),
				   json_string(db_row_text(row, 1))) ?
		ENOMEM : 0;
}

int crm_fill(struct db *db, json_t *o, bool mask)
{
	const char *id = json_string_value(json_object_get(o, "id"));
	struct fill f = {.arr = json_array(), .mask = mask};
	json_t *tags = json_array(), *fields = json_object();
	int err;

	json_object_set_new(o, "phones", f.arr);
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "fields", fields);
	if (!id || !f.arr || !tags || !fields)
		return ENOMEM;
	err = db_query(db, phone_row, &f, "SELECT number, label FROM "
		       "customer_phones WHERE customer_id = ? "
		       "ORDER BY pos, number", "t", id);
	err = err ? err : db_query(db, text_row, tags, "SELECT tag FROM "
				   "customer_tags WHERE customer_id = ? "
				   "ORDER BY tag", "t", id);
	return err ? err : db_query(db, value_row, fields, "SELECT field, "
				    "value FROM customer_field_values WHERE "
				    "customer_id = ? ORDER BY field", "t", id);
}

struct one {
	json_t *o;
	bool in_scope;
};

static int one_row(const struct db_row *row, void *arg)
{
	struct one *one = arg;

	one->o = crm_row_json(row);
	one->in_scope = db_row_int(row, CRM_NCOLS) != 0;
	return one->o ? 0 : ENOMEM;
}

int crm_read(struct db *db, const char *id, const struct api_user *u,
	     json_t **out)
{
	const char *sc[API_SCOPE_NARGS];
	struct one one = {0};
	int err;

	api_scope_args(u, sc);
	err = db_query(db, one_row, &one, "SELECT " CRM_COLS ", "
		       CRM_SCOPE_SQL " FROM customers c WHERE c.id = ?",
		       API_SCOPE_TYPES "t", sc[0], sc[1], sc[2], sc[3], sc[4],
		       id);
	if (err || !one.o) {
		json_decref(one.o);
		return err ? err : ENOENT;
	}
	if (!one.in_scope) {
		json_decref(one.o);
		return EACCES;
	}
	err = crm_fill(db, one.o, u->mask_numbers);
	if (err) {
		json_decref(one.o);
		return err;
	}
	*out = one.o;
	return 0;
}

int crm_read_numbers(struct db *db, const char *id, bool live_only,
		     json_t *arr)
{
	return db_query(db, text_row, arr, "SELECT number FROM customer_phones "
			"WHERE customer_id = ? AND live >= ?", "ti", id,
			(int64_t)live_only);
}

void crm_caller_of(const json_t *o, struct crm_caller *cc)
{
	const char *own = json_string_value(json_object_get(o, "owner"));

	*cc = (struct crm_caller){
		.blacklisted = json_is_true(json_object_get(o, "blacklisted")),
	};
	(void)crm_level_raise(json_string_value(json_object_get(o, "level")),
			      &cc->raise);
	util_strlcpy(cc->owner, own ? own : "", sizeof(cc->owner));
	if (json_object_get(o, "deleted_at") &&
	    !json_is_null(json_object_get(o, "deleted_at")))
		*cc = (struct crm_caller){0};
}
