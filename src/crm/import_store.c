/* crm/import_store: storing an import's valid rows all or nothing, with
 * the writer's one statement at a time (db.h has no transaction to hold
 * open): every row is written hidden (deleted, numbers not live, source
 * "import:BATCH"), then one UPDATE makes every number live (it fails
 * whole if a number was taken meanwhile: the unique index) and one more
 * shows the customers. On a failure the hidden rows are removed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "crm/crm_int.h"

/* Writes the valid rows hidden, then shows them all at once. */
int crm_import_store(struct db *db, const json_t *good, const char *by)
{
	char batch[UTIL_ID_LEN], src[UTIL_ID_LEN + 8];
	int64_t now = util_now_ms();
	size_t i, k;
	json_t *b, *p;
	int err = 0;

	util_random_id(batch);
	snprintf(src, sizeof(src), "import:%s", batch);
	json_array_foreach(good, i, b) {
		char id[UTIL_ID_LEN];
		const char *notes = json_string_value(json_object_get(b,
								      "notes"));
		json_t *rest = json_deep_copy(b);

		if (err || !rest) {
			json_decref(rest);
			err = err ? err : ENOMEM;
			break;
		}
		util_random_id(id);
		json_object_del(rest, "phones");
		crm_fields_text(json_object_get(rest, "fields"));
		err = db_exec(db, "INSERT INTO customers (id, source, "
			      "created_at, updated_at, deleted_at) VALUES "
			      "(?, ?, ?, ?, ?)", "ttiii", id, src, now, now, now);
		err = err ? err : crm_store_plain(db, id, rest, now);
		err = err ? err : crm_store_lists(db, id, rest);
		json_decref(rest);
		json_array_foreach(json_object_get(b, "phones"), k, p)
			if (!err)
				err = db_exec(db, "INSERT INTO customer_phones "
					"(customer_id, number, label, pos, live) "
					"VALUES (?, ?, ?, ?, 0)", "ttti", id,
					json_string_value(json_object_get(p,
							  "number")), "",
					(int64_t)k);
		if (!err && notes && *notes) {
			char nid[UTIL_ID_LEN];

			util_random_id(nid);
			err = db_exec(db, "INSERT INTO customer_notes (id, "
				      "customer_id, at, by_user, body) VALUES "
				      "(?, ?, ?, ?, ?)", "ttitt", nid, id, now,
				      by, notes);
		}
	}
	err = err ? err : db_exec(db, "UPDATE customer_phones SET live = 1 "
				  "WHERE customer_id IN (SELECT id FROM "
				  "customers WHERE source = ?)", "t", src);
	err = err ? err : db_exec(db, "UPDATE customers SET deleted_at = NULL, "
				  "source = 'import' WHERE source = ?", "t", src);
	if (err) {
		static const char *const undo[] = {
			"DELETE FROM customer_phones", "DELETE FROM customer_tags",
			"DELETE FROM customer_field_values",
			"DELETE FROM customer_notes",
		};
		char sql[200];

		for (i = 0; i < ARRAY_LEN(undo); i++) {
			snprintf(sql, sizeof(sql), "%s WHERE customer_id IN "
				 "(SELECT id FROM customers WHERE source = ?)",
				 undo[i]);
			(void)db_exec(db, sql, "t", src);
		}
		(void)db_exec(db, "DELETE FROM customers WHERE source = ?", "t",
			      src);
	}
	return err;
}

