/* crm/merge: one person kept as two customers, found and made one.
 *
 * A number belongs to one live customer at most (crm.h fact 2), so the
 * same person twice shows as two customers of one name, each with numbers
 * of their own (the mobile one called from, the office one another time).
 * GET /customers/duplicates lists the names that more than one live
 * customer in the user's scope has, each with those customers and what
 * each has (counts: calls, work orders, tasks).
 *
 * POST /customers/{id}/merge {"from": other} moves everything of other
 * into id in one transaction (db_tx): its numbers (and with them its
 * calls, which the history finds by number), tags and custom fields (id's
 * own values win), notes, work orders (ticket_customer_merge, which
 * writes a customer_merged entry in each moved order's history) and tasks
 * (task_customer_merge); id's empty notes take other's. other is deleted
 * (soft: it stays, restorable, without what moved), and id's history
 * gains a note naming who merged which customer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm_int.h"
#include "task/task.h"
#include "ticket/ticket.h"

enum { GROUPS_MAX = 100 };

/* ---- duplicates ---- */

struct dup_job {
	struct api_job j;
	json_t *groups;          /* [{name, customers: [...]}] */
};

static int dup_row(const struct db_row *row, void *arg)
{
	json_t *groups = arg, *last = json_array_get(groups,
		json_array_size(groups) - 1), *o = crm_row_json(row);
	const char *name = db_row_text(row, 1);

	if (!o)
		return ENOMEM;
	if (!last || strcmp(json_string_value(json_object_get(last, "name")),
			    name)) {
		last = json_pack("{s:s, s:[]}", "name", name, "customers");
		if (json_array_append_new(groups, last))
			return ENOMEM;
	}
	return json_array_append_new(json_object_get(last, "customers"), o) ?
		ENOMEM : 0;
}

static int counts_row(const struct db_row *row, void *arg)
{
	return json_object_set_new(arg, "counts", json_pack("{s:I, s:I, s:I}",
		"calls", (json_int_t)db_row_int(row, 0),
		"work_orders", (json_int_t)db_row_int(row, 1),
		"tasks", (json_int_t)db_row_int(row, 2))) ? ENOMEM : 0;
}

/* What each of a group has, so that the person merging sees which record
 * carries the customer's life: the calls of its numbers in the user's
 * call scope (as history.c reads them), its work orders and its tasks,
 * read-only from the tables of call/, ticket/ and task/. */
static int add_counts(struct db *db, json_t *c, const char *const *sc)
{
	const char *id = json_string_value(json_object_get(c, "id"));

	return db_query(db, counts_row, c, "SELECT (SELECT COUNT(*) FROM calls "
		"WHERE (caller IN (SELECT number FROM customer_phones WHERE "
		"customer_id = ?) OR callee IN (SELECT number FROM "
		"customer_phones WHERE customer_id = ?)) AND "
		API_SCOPE_SQL("agent", "transfer_by") "), (SELECT COUNT(*) FROM "
		"work_orders WHERE customer_id = ?), (SELECT COUNT(*) FROM tasks "
		"WHERE customer_id = ?)", "tt" API_SCOPE_TYPES "tt", id, id,
		sc[0], sc[1], sc[2], sc[3], sc[4], id, id);
}

static void dup_work(struct api_job *j)
{
	struct dup_job *d = (struct dup_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *sc[API_SCOPE_NARGS];
	size_t i, k;
	json_t *g, *c;
	char sql[2048];

	api_scope_args(&j->req.user, sc);
	/* A name that is only a number is a caller's that became a customer
	 * by itself (crm_customer_ensure): different people, not one. */
	snprintf(sql, sizeof(sql), "SELECT " CRM_COLS " FROM customers c "
		 "WHERE c.deleted_at IS NULL AND " CRM_SCOPE_SQL " AND c.name IN "
		 "(SELECT c.name FROM customers c WHERE c.deleted_at IS NULL AND "
		 "c.name <> '' AND c.name NOT IN (SELECT number FROM "
		 "customer_phones) AND " CRM_SCOPE_SQL " GROUP BY c.name "
		 "HAVING COUNT(*) > 1 ORDER BY c.name LIMIT %d) "
		 "ORDER BY c.name, c.created_at, c.id", GROUPS_MAX);
	d->groups = json_array();
	j->err = d->groups ? db_query(db, dup_row, d->groups, sql,
		API_SCOPE_TYPES API_SCOPE_TYPES, sc[0], sc[1], sc[2], sc[3],
		sc[4], sc[0], sc[1], sc[2], sc[3], sc[4]) : ENOMEM;
	json_array_foreach(d->groups, i, g)
		json_array_foreach(json_object_get(g, "customers"), k, c)
			if (!j->err) {
				j->err = crm_fill(db, c, j->req.user.mask_numbers);
				j->err = j->err ? j->err : add_counts(db, c, sc);
			}
}

static void dup_done(struct api_job *j)
{
	struct dup_job *d = (struct dup_job *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read customers");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, json_pack("{s:O}", "items",
							 d->groups));
}

static void dup_clean(struct api_job *j)
{
	json_decref(((struct dup_job *)j)->groups);
}

void crm_h_duplicates(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct dup_job), dup_work,
				    dup_done, dup_clean));
}

/* ---- merge ---- */

struct merge_job {
	struct api_job j;
	char from[UTIL_ID_LEN];
	json_t *out;             /* the customer as merged */
	json_t *numbers;         /* its numbers, unmasked, for the index */
	uint16_t status;         /* a refusal's, with why */
	char why[160];
};

/* Reads a live customer of the merge: 0, or non-zero with the refusal. */
static int read_live(struct merge_job *m, struct db *db, const char *id,
		     const char *what, json_t **out)
{
	int err = crm_read(db, id, &m->j.req.user, out);

	if (err == ENOENT || err == EACCES) {
		m->status = err == ENOENT ? 404 : 403;
		snprintf(m->why, sizeof(m->why), "%s: %s", what, err == ENOENT ?
			 "no such customer" : "outside your data scope");
	}
	if (err)
		return err;
	if (!json_is_null(json_object_get(*out, "deleted_at"))) {
		m->status = 409;
		snprintf(m->why, sizeof(m->why), "%s: deleted (restore it "
			 "first)", what);
		json_decref(*out);
		*out = NULL;
		return EEXIST;
	}
	return 0;
}

static void add_moves(struct db_tx *tx, const char *into, const char *from,
		      const char *into_name, const char *from_name,
		      const struct api_user *by, int64_t now)
{
	const struct ticket_customer_move mv = {into, into_name, from,
		from_name, by->id, by->username, now};
	char nid[UTIL_ID_LEN], note[256];

	db_tx_add(tx, "UPDATE customer_phones SET customer_id = ?, pos = pos + "
		  "(SELECT COUNT(*) FROM customer_phones WHERE customer_id = "
		  "?) WHERE customer_id = ?", "ttt", into, into, from);
	db_tx_add(tx, "INSERT INTO customer_tags (customer_id, tag) SELECT ?, "
		  "tag FROM customer_tags WHERE customer_id = ? ON CONFLICT DO "
		  "NOTHING", "tt", into, from);
	db_tx_add(tx, "DELETE FROM customer_tags WHERE customer_id = ?", "t",
		  from);
	db_tx_add(tx, "INSERT INTO customer_field_values (customer_id, field, "
		  "value) SELECT ?, field, value FROM customer_field_values "
		  "WHERE customer_id = ? ON CONFLICT DO NOTHING", "tt", into,
		  from);
	db_tx_add(tx, "DELETE FROM customer_field_values WHERE customer_id = ?",
		  "t", from);
	db_tx_add(tx, "UPDATE customer_notes SET customer_id = ? WHERE "
		  "customer_id = ?", "tt", into, from);
	db_tx_add(tx, "UPDATE customers SET notes = (SELECT notes FROM "
		  "customers WHERE id = ?), updated_at = ? WHERE id = ? AND "
		  "notes = ''", "tit", from, now, into);
	ticket_customer_merge(tx, &mv);
	task_customer_merge(tx, into, from);
	db_tx_add(tx, "UPDATE customers SET deleted_at = ?, updated_at = ? "
		  "WHERE id = ?", "iit", now, now, from);
	util_random_id(nid);
	snprintf(note, sizeof(note), "合并了客户 %s (%s)", from_name, from);
	db_tx_add(tx, "INSERT INTO customer_notes (id, customer_id, at, "
		  "by_user, body) VALUES (?, ?, ?, ?, ?)", "ttitt", nid, into,
		  now, by->username, note);
}

static void merge_work(struct api_job *j)
{
	struct merge_job *m = (struct merge_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *into = api_param(&j->req.params, "id");
	json_t *a = NULL, *b = NULL;
	struct db_tx *tx = NULL;
	int err;

	if (!strcmp(into, m->from)) {
		m->status = 400;
		snprintf(m->why, sizeof(m->why), "from: a customer cannot be "
			 "merged into itself");
		j->err = EINVAL;
		return;
	}
	err = read_live(m, db, into, "customer", &a);
	err = err ? err : read_live(m, db, m->from, "from", &b);
	err = err ? err : db_tx_new(&tx);
	if (!err) {
		add_moves(tx, into, m->from, json_string_value(json_object_get(a,
			  "name")), json_string_value(json_object_get(b, "name")),
			  &j->req.user, util_now_ms());
		err = db_tx_run(db, tx, NULL);
	}
	json_decref(a);
	json_decref(b);
	m->numbers = err ? NULL : json_array();
	err = err ? err : crm_read(db, into, &j->req.user, &m->out);
	err = err ? err : crm_read_numbers(db, into, true, m->numbers);
	j->err = err;
}

static void merge_done(struct api_job *j)
{
	struct merge_job *m = (struct merge_job *)j;
	struct crm_caller cc;
	size_t i;
	json_t *v;

	if (m->status) {
		api_reply_error(j->req.conn, m->status, "%s", m->why);
		return;
	}
	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot merge customers");
		return;
	}
	/* the numbers that came over now answer as the merged customer */
	crm_caller_of(m->out, &cc);
	json_array_foreach(m->numbers, i, v)
		crm_note_number(crm_of(&j->req), json_string_value(v), &cc);
	api_reply_json(j->req.conn, 200, NULL, m->out);
	m->out = NULL;
}

static void merge_clean(struct api_job *j)
{
	struct merge_job *m = (struct merge_job *)j;

	json_decref(m->out);
	json_decref(m->numbers);
}

void crm_h_merge(struct api_req *req)
{
	const char *from;
	struct merge_job *m;
	json_t *body;
	char why[256];

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	from = json_string_value(json_object_get(body, "from"));
	if (!from || !*from || strlen(from) >= UTIL_ID_LEN ||
	    json_object_size(body) != 1) {
		json_decref(body);
		api_reply_error(req->conn, 400, "from: want the id of the "
				"customer to merge into this one (and nothing "
				"else)");
		return;
	}
	m = api_job_alloc(req, sizeof(*m), merge_work, merge_done,
			  merge_clean);
	if (m)
		util_strlcpy(m->from, from, sizeof(m->from));
	json_decref(body);
	api_job_queue(m);
}
