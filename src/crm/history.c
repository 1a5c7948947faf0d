/* crm/history: a customer's contact history on one page (客户接触历史),
 * newest first: the calls from or to any of its numbers (with whether
 * each was recorded, so the console can offer the recording), the
 * changes of its notes, and what the modules registered through
 * crm_history_source add (work orders, tasks: they register at their
 * start, so crm/ includes none of them).
 *
 * The calls are read from call/'s calls table with a read-only query (its
 * caller and callee indexes are made by crm/'s migration 027 for this),
 * filtered by the user's call scope as /api/v1/calls is; users who may not
 * read calls (the back office) see notes and the other sources only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm_int.h"

enum { SOURCES_MAX = 8, CALLS_MAX = 200, NOTES_MAX = 200 };

static crm_history_h *sources[SOURCES_MAX];
static size_t nsources;

int crm_history_source(crm_history_h *h)
{
	for (size_t i = 0; i < nsources; i++)
		if (sources[i] == h)
			return 0;
	if (nsources >= SOURCES_MAX)
		return ENOSPC;
	sources[nsources++] = h;
	return 0;
}

int crm_history_others(struct db *db, const struct api_user *u,
		       const char *id, json_t *items)
{
	for (size_t i = 0; i < nsources; i++) {
		int err = sources[i](db, u, id, items);
		if (err)
			return err;
	}
	return 0;
}

struct hist {
	json_t *items;
	bool mask;
};

static int call_row(const struct db_row *row, void *arg)
{
	struct hist *h = arg;
	char at[UTIL_TIME_LEN], from[API_MASK_LEN], to[API_MASK_LEN];
	const char *f = db_row_text(row, 2), *t = db_row_text(row, 3);

	if (h->mask) {
		api_mask_number(f, from, sizeof(from));
		api_mask_number(t, to, sizeof(to));
		f = from;
		t = to;
	}
	util_rfc3339(at, db_row_int(row, 4));
	return json_array_append_new(h->items, json_pack("{s:s, s:s, s:s, "
		"s:s, s:s, s:s, s:s?, s:s?, s:I, s:I, s:b, s:s?, s:b}",
		"kind", "call", "at", at, "id", db_row_text(row, 0),
		"direction", db_row_text(row, 1), "from", f, "to", t,
		"agent", db_row_text(row, 5), "queue", db_row_text(row, 6),
		"duration_s", (json_int_t)db_row_int(row, 7),
		"talk_s", (json_int_t)db_row_int(row, 8),
		"answered", !db_row_isnull(row, 9),
		"hangup_cause", db_row_text(row, 10),
		"recording", !db_row_isnull(row, 11))) ? ENOMEM : 0;
}

static int note_row(const struct db_row *row, void *arg)
{
	struct hist *h = arg;
	char at[UTIL_TIME_LEN];

	util_rfc3339(at, db_row_int(row, 0));
	return json_array_append_new(h->items, json_pack("{s:s, s:s, s:s, "
		"s:s}", "kind", "note", "at", at, "by", db_row_text(row, 1),
		"body", db_row_text(row, 2))) ? ENOMEM : 0;
}

static int by_time_desc(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a,
							  "at"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b,
							  "at"));

	return strcmp(y ? y : "", x ? x : "");
}

/* Sorts arr newest first (RFC 3339 in UTC sorts as text). */
static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = calloc(n ? n : 1, sizeof(*v)), *out = json_array();

	if (!v || !out) {
		free(v);
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	qsort(v, n, sizeof(*v), by_time_desc);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

struct hist_job {
	struct api_job j;
	json_t *customer, *out;
};

static void hist_work(struct api_job *j)
{
	struct hist_job *hj = (struct hist_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *id = api_param(&j->req.params, "id");
	const struct api_user *u = &j->req.user;
	struct hist h = {.items = json_array(), .mask = u->mask_numbers};
	const char *sc[API_SCOPE_NARGS];
	json_t *items;

	if (!h.items) {
		j->err = ENOMEM;
		return;
	}
	j->err = crm_read(db, id, u, &hj->customer);
	api_scope_args(u, sc);
	if (!j->err && (u->role_bit & API_CALL_READERS))
		j->err = db_query(db, call_row, &h, "SELECT id, direction, "
			"caller, callee, started_at, agent, queue, duration_s, "
			"talk_s, answered_at, hangup_cause, recording FROM calls "
			"WHERE (caller IN (SELECT number FROM customer_phones "
			"WHERE customer_id = ?) OR callee IN (SELECT number "
			"FROM customer_phones WHERE customer_id = ?)) AND "
			API_SCOPE_SQL("agent", "transfer_by") " "
			"ORDER BY started_at DESC LIMIT 200",
			"tt" API_SCOPE_TYPES, id, id, sc[0], sc[1], sc[2],
			sc[3], sc[4]);
	if (!j->err)
		j->err = db_query(db, note_row, &h, "SELECT at, by_user, body "
				  "FROM customer_notes WHERE customer_id = ? "
				  "ORDER BY at DESC LIMIT 200", "t", id);
	if (!j->err)
		j->err = crm_history_others(db, u, id, h.items);
	items = j->err ? NULL : sorted(h.items);
	json_decref(h.items);
	if (!j->err && !items)
		j->err = ENOMEM;
	if (!j->err)
		hj->out = json_pack("{s:O, s:o}", "customer", hj->customer,
				    "items", items);
}

static void hist_done(struct api_job *j)
{
	struct hist_job *hj = (struct hist_job *)j;

	if (j->err) {
		crm_reply_read_error(j->req.conn, j->err);
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, hj->out);
	hj->out = NULL;
}

static void hist_clean(struct api_job *j)
{
	struct hist_job *hj = (struct hist_job *)j;

	json_decref(hj->customer);
	json_decref(hj->out);
}

void crm_h_history(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct hist_job), hist_work,
				    hist_done, hist_clean));
}
