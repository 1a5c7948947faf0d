/* crm/import_store: an import's valid rows stored in one transaction
 * (db_tx): every customer with its numbers, tags, custom fields and first
 * note, all committed or none. A number that a live customer took after
 * the rows were checked fails its INSERT on the unique index of live
 * numbers, and with it the whole transaction. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "crm/crm_int.h"

/* The plain column's value in body b, or its default in the table. */
static const char *text_or(const json_t *b, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(b, key));

	return s ? s : dflt;
}

static void add_customer(struct db_tx *tx, const json_t *b, const char *by,
			 int64_t now)
{
	const char *notes = text_or(b, "notes", "");
	char id[UTIL_ID_LEN];
	const char *key;
	size_t k;
	json_t *v;

	util_random_id(id);
	db_tx_add(tx, "INSERT INTO customers (id, name, company, region, "
		  "level, owner, notes, blacklisted, blacklist_reason, source, "
		  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
		  "'import', ?, ?)", "tttttttitii", id, text_or(b, "name", ""),
		  text_or(b, "company", ""), text_or(b, "region", ""),
		  text_or(b, "level", "normal"), text_or(b, "owner", ""),
		  notes, (int64_t)json_is_true(json_object_get(b,
		  "blacklisted")), text_or(b, "blacklist_reason", ""), now,
		  now);
	json_array_foreach(json_object_get(b, "phones"), k, v)
		db_tx_add(tx, "INSERT INTO customer_phones (customer_id, number, "
			  "label, pos) VALUES (?, ?, ?, ?)", "ttti", id,
			  json_string_value(json_object_get(v, "number")),
			  text_or(v, "label", ""), (int64_t)k);
	json_array_foreach(json_object_get(b, "tags"), k, v)
		db_tx_add(tx, "INSERT INTO customer_tags (customer_id, tag) "
			  "VALUES (?, ?) ON CONFLICT DO NOTHING", "tt", id,
			  json_string_value(v));
	json_object_foreach(json_object_get(b, "fields"), key, v)
		if (json_is_string(v))
			db_tx_add(tx, "INSERT INTO customer_field_values "
				  "(customer_id, field, value) VALUES (?, ?, ?)",
				  "ttt", id, key, json_string_value(v));
	if (*notes) {
		char nid[UTIL_ID_LEN];

		util_random_id(nid);
		db_tx_add(tx, "INSERT INTO customer_notes (id, customer_id, at, "
			  "by_user, body) VALUES (?, ?, ?, ?, ?)", "ttitt", nid,
			  id, now, by, notes);
	}
}

int crm_import_store(struct db *db, const json_t *good, const char *by)
{
	int64_t now = util_now_ms();
	struct db_tx *tx;
	size_t i;
	json_t *b;
	int err = db_tx_new(&tx);

	if (err)
		return err;
	json_array_foreach(good, i, b) {
		json_t *fields = json_object_get(b, "fields");

		crm_fields_text(fields);
		add_customer(tx, b, by, now);
	}
	return db_tx_run(db, tx, NULL);
}
