/* crm/http_write: creating, changing, deleting and restoring customers.
 *
 * A body is checked whole on the loop (body.c) before anything is read;
 * what needs the database (a number another live customer has, the custom
 * fields' definitions, the data scope) is checked on a worker, then the
 * statements run there one by one through the writer (db_exec), and the
 * stored customer is read back for the reply. On the loop again, the
 * index of the numbers that matter to calls is set from what was stored
 * before the reply goes (crm.h fact 1).
 *
 * PUT changes only the fields it is given; phones, tags and fields given
 * replace the customer's lists (a field set to null is removed). Level,
 * owner and the blacklist are the supervisors' and the administrators':
 * anyone else naming them gets 403 naming the field. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm_int.h"

/* ---- the job ---- */

enum op { OP_CREATE, OP_UPDATE, OP_DELETE, OP_RESTORE };

struct write_job {
	struct api_job j;
	enum op op;
	json_t *body;
	char id[UTIL_ID_LEN];
	json_t *old_numbers, *out;
	uint16_t status;             /* the refusal's, with why */
	char why[256];
};

static int taken_row(const struct db_row *row, void *arg)
{
	util_strlcpy(arg, db_row_text(row, 0), UTIL_ID_LEN);
	return 0;
}

/* A number of phones (JSON objects or strings) that another live
 * customer has: 409 with why. */
static int check_taken(struct write_job *w, struct db *db,
		       const json_t *phones)
{
	size_t i;
	json_t *v;

	json_array_foreach(phones, i, v) {
		const char *num = json_is_string(v) ? json_string_value(v) :
			json_string_value(json_object_get(v, "number"));
		char other[UTIL_ID_LEN] = "";

		if (db_query(db, taken_row, other, "SELECT customer_id FROM "
			     "customer_phones WHERE number = ? AND live = 1 "
			     "AND customer_id <> ?", "tt", num, w->id))
			return EIO;
		if (other[0]) {
			w->status = 409;
			snprintf(w->why, sizeof(w->why), "phones: %s belongs to "
				 "customer %s", num, other);
			return EEXIST;
		}
	}
	return 0;
}

int crm_store_plain(struct db *db, const char *id, const json_t *body,
		      int64_t now)
{
	for (size_t i = 0; crm_body_plain(i); i++) {
		const json_t *v = json_object_get(body, crm_body_plain(i));
		char sql[128];
		int err;

		if (!v)
			continue;
		snprintf(sql, sizeof(sql), "UPDATE customers SET %s = ? "
			 "WHERE id = ?", crm_body_plain(i));
		err = json_is_boolean(v) ?
			db_exec(db, sql, "it", (int64_t)json_is_true(v), id) :
			db_exec(db, sql, "tt", json_string_value(v), id);
		if (err)
			return err;
	}
	return db_exec(db, "UPDATE customers SET updated_at = ? WHERE id = ?",
		       "it", now, id);
}

int crm_store_lists(struct db *db, const char *id, const json_t *body)
{
	const json_t *phones = json_object_get(body, "phones");
	const json_t *tags = json_object_get(body, "tags");
	const json_t *fields = json_object_get(body, "fields");
	const char *key;
	json_t *v;
	size_t i;
	int err = 0;

	if (phones) {
		err = db_exec(db, "DELETE FROM customer_phones WHERE "
			      "customer_id = ?", "t", id);
		json_array_foreach(phones, i, v)
			if (!err)
				err = db_exec(db, "INSERT INTO customer_phones "
					"(customer_id, number, label, pos) "
					"VALUES (?, ?, ?, ?)", "ttti", id,
					json_string_value(json_object_get(v,
							   "number")),
					json_string_value(json_object_get(v,
							   "label")),
					(int64_t)i);
	}
	if (tags && !err) {
		err = db_exec(db, "DELETE FROM customer_tags WHERE "
			      "customer_id = ?", "t", id);
		json_array_foreach(tags, i, v)
			if (!err)
				err = db_exec(db, "INSERT INTO customer_tags "
					"(customer_id, tag) VALUES (?, ?) "
					"ON CONFLICT DO NOTHING", "tt", id,
					json_string_value(v));
	}
	json_object_foreach((json_t *)fields, key, v) {
		if (err)
			break;
		err = json_is_null(v) ?
			db_exec(db, "DELETE FROM customer_field_values WHERE "
				"customer_id = ? AND field = ?", "tt", id, key) :
			db_exec(db, "INSERT INTO customer_field_values "
				"(customer_id, field, value) VALUES (?, ?, ?) "
				"ON CONFLICT (customer_id, field) DO UPDATE "
				"SET value = excluded.value", "ttt", id, key,
				json_string_value(v));
	}
	return err;
}

/* Custom field values arrive as JSON numbers or strings: stored as text
 * (fields.c checked them against their type). */
void crm_fields_text(json_t *fields)
{
	const char *key;
	json_t *v;
	char buf[64];

	json_object_foreach(fields, key, v) {
		if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%lld",
				 (long long)json_integer_value(v));
			json_object_set_new(fields, key, json_string(buf));
		}
		else if (json_is_real(v)) {
			snprintf(buf, sizeof(buf), "%g", json_real_value(v));
			json_object_set_new(fields, key, json_string(buf));
		}
	}
}

static int do_save(struct write_job *w, struct db *db)
{
	const struct api_user *u = &w->j.req.user;
	const json_t *notes = json_object_get(w->body, "notes");
	json_t *old = NULL;
	int64_t now = util_now_ms();
	int err;

	if (w->op == OP_UPDATE) {
		err = crm_read(db, w->id, u, &old);
		if (err)
			return err;
		if (!json_is_null(json_object_get(old, "deleted_at"))) {
			json_decref(old);
			w->status = 409;
			snprintf(w->why, sizeof(w->why), "deleted: restore the "
				 "customer first");
			return EEXIST;
		}
		/* an unchanged note is no new entry in the history */
		if (json_equal(json_object_get(old, "notes"), (json_t *)notes))
			notes = NULL;
		json_decref(old);
	}
	if (json_object_get(w->body, "phones") &&
	    (err = check_taken(w, db, json_object_get(w->body, "phones"))))
		return err;
	if (json_object_get(w->body, "fields")) {
		if (crm_fields_check(db, json_object_get(w->body, "fields"),
				     w->op == OP_CREATE, w->why,
				     sizeof(w->why))) {
			w->status = 400;
			return EINVAL;
		}
		crm_fields_text(json_object_get(w->body, "fields"));
	}
	else if (w->op == OP_CREATE &&
		 crm_fields_check(db, NULL, true, w->why, sizeof(w->why))) {
		w->status = 400;
		return EINVAL;
	}
	if (w->op == OP_CREATE &&
	    (err = db_exec(db, "INSERT INTO customers (id, source, "
			   "created_at, updated_at) VALUES (?, 'manual', ?, ?)",
			   "tii", w->id, now, now)))
		return err;
	err = crm_store_plain(db, w->id, w->body, now);
	err = err ? err : crm_store_lists(db, w->id, w->body);
	if (!err && notes && *json_string_value(notes)) {
		char nid[UTIL_ID_LEN];

		util_random_id(nid);
		err = db_exec(db, "INSERT INTO customer_notes (id, customer_id, "
			      "at, by_user, body) VALUES (?, ?, ?, ?, ?)",
			      "ttitt", nid, w->id, now, u->username,
			      json_string_value(notes));
	}
	return err;
}

static int do_delete(struct write_job *w, struct db *db, bool restore)
{
	json_t *old = NULL;
	int64_t now = util_now_ms();
	bool deleted;
	int err = crm_read(db, w->id, &w->j.req.user, &old);

	if (err)
		return err;
	deleted = !json_is_null(json_object_get(old, "deleted_at"));
	if (deleted != restore) {
		json_decref(old);
		w->status = restore ? 409 : 404;
		snprintf(w->why, sizeof(w->why), restore ?
			 "the customer is not deleted" : "no such customer");
		return EEXIST;
	}
	if (restore) {
		/* its own numbers (live = 0 while deleted) must still be free */
		json_t *nums = json_array();

		err = nums ? crm_read_numbers(db, w->id, false, nums) : ENOMEM;
		err = err ? err : check_taken(w, db, nums);
		json_decref(nums);
	}
	json_decref(old);
	if (err)
		return err;
	err = db_exec(db, "UPDATE customer_phones SET live = ? WHERE "
		      "customer_id = ?", "it", (int64_t)restore, w->id);
	if (err && restore) {
		w->status = 409;
		snprintf(w->why, sizeof(w->why), "phones: a number is taken "
			 "by another customer");
		return EEXIST;
	}
	return err ? err : restore ?
		db_exec(db, "UPDATE customers SET deleted_at = NULL, "
			"updated_at = ? WHERE id = ?", "it", now, w->id) :
		db_exec(db, "UPDATE customers SET deleted_at = ?, "
			"updated_at = ? WHERE id = ?", "iit", now, now, w->id);
}

static void write_work(struct api_job *j)
{
	struct write_job *w = (struct write_job *)j;
	struct db *db = api_house(&j->req)->db;
	struct api_user all = j->req.user;

	w->old_numbers = json_array();
	if (!w->old_numbers) {
		j->err = ENOMEM;
		return;
	}
	if (w->op != OP_CREATE &&
	    (j->err = crm_read_numbers(db, w->id, true, w->old_numbers)))
		return;
	j->err = w->op == OP_DELETE ? do_delete(w, db, false) :
		w->op == OP_RESTORE ? do_delete(w, db, true) : do_save(w, db);
	if (j->err)
		return;
	/* Read back whole, unmasked for the index (masked in done). */
	all.mask_numbers = false;
	util_strlcpy(all.role, "admin", sizeof(all.role));
	all.scope = API_SCOPE_ALL;
	j->err = crm_read(db, w->id, &all, &w->out);
}

static void mask_phones(json_t *o)
{
	size_t i;
	json_t *p;
	char m[API_MASK_LEN];

	json_array_foreach(json_object_get(o, "phones"), i, p) {
		api_mask_number(json_string_value(json_object_get(p, "number")),
				m, sizeof(m));
		json_object_set_new(p, "number", json_string(m));
	}
}

static void write_done(struct api_job *j)
{
	struct write_job *w = (struct write_job *)j;
	struct crm *c = crm_of(&j->req);
	struct crm_caller cc = {0};
	size_t i;
	json_t *p;

	if (j->err == EEXIST || w->status == 400) {
		api_reply_error(j->req.conn, w->status, "%s", w->why);
		return;
	}
	if (j->err) {
		crm_reply_read_error(j->req.conn, j->err);
		return;
	}
	/* The index first (fact 1): old numbers out, the stored ones in. */
	json_array_foreach(w->old_numbers, i, p)
		crm_note_number(c, json_string_value(p), &cc);
	crm_caller_of(w->out, &cc);
	json_array_foreach(json_object_get(w->out, "phones"), i, p)
		crm_note_number(c, json_string_value(json_object_get(p,
							"number")), &cc);
	if (j->req.user.mask_numbers)
		mask_phones(w->out);
	api_reply_json(j->req.conn, w->op == OP_CREATE ? 201 : 200, NULL,
		       w->out);
	w->out = NULL;
}

static void write_clean(struct api_job *j)
{
	struct write_job *w = (struct write_job *)j;

	json_decref(w->body);
	json_decref(w->old_numbers);
	json_decref(w->out);
}

static void start_write(struct api_req *req, enum op op)
{
	const char *id = api_param(&req->params, "id");
	json_t *body = NULL;
	struct write_job *w;
	char why[256];
	int err;

	if (op == OP_CREATE || op == OP_UPDATE) {
		if (api_req_body(req, &body, why, sizeof(why))) {
			api_reply_error(req->conn, 400, "%s", why);
			return;
		}
		err = crm_body_check(&req->user, api_house(req)->route, body,
				     op == OP_CREATE, why, sizeof(why));
		if (err) {
			json_decref(body);
			api_reply_error(req->conn, err == EPERM ? 403 : 400,
					"%s", why);
			return;
		}
	}
	w = api_job_alloc(req, sizeof(*w), write_work, write_done,
			  write_clean);
	if (!w) {
		json_decref(body);
		return;
	}
	w->op = op;
	w->body = body;
	if (op == OP_CREATE)
		util_random_id(w->id);
	else
		util_strlcpy(w->id, id, sizeof(w->id));
	api_job_queue(w);
}

void crm_h_create(struct api_req *req)
{
	start_write(req, OP_CREATE);
}

void crm_h_update(struct api_req *req)
{
	start_write(req, OP_UPDATE);
}

void crm_h_delete(struct api_req *req)
{
	start_write(req, OP_DELETE);
}

void crm_h_restore(struct api_req *req)
{
	start_write(req, OP_RESTORE);
}
