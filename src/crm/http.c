/* crm/http: the customer API's reads and its route table. The list is
 * newest first and paged by keyset on (created_at, id), like /calls; its
 * filters are a table, each appending its condition only when given, so
 * the look-up by number (the screen pop, ?phone=) is one seek on the
 * customer_phones_live index.
 *
 * Who sees which customers (the data scope through the owner, CRM_SCOPE_SQL):
 * a customer nobody owns is everyone's (new callers, the shared pool); an
 * owned one is seen by its owner, by users whose scope is "departments"
 * when the owner is in their department tree, and by "all" users. Numbers
 * are masked for users who see them masked. Writes are in http_write.c,
 * custom field definitions in fields.c, the contact history in
 * history.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "crm/crm_int.h"

enum { LIMIT_DEFAULT = 50, LIMIT_MAX = 200, BINDS = CRM_FILTER_BINDS,
       TEXT_MAX = CRM_FILTER_TEXT };

enum check { V_PHONE, V_TEXT, V_LEVEL, V_FLAG };

/* One query parameter: its check, the condition it adds (each '?' bound
 * to the value shaped by bind) and, for V_FLAG, the condition for false.
 * deleted is no row: it picks live or deleted customers, always. */
static const struct filter {
	const char *param;
	enum check check;
	const char *sql;
	const char *bind;
	const char *not_sql;
	const char *want;
} filters[] = {
	{"phone", V_PHONE, "c.id IN (SELECT customer_id FROM customer_phones "
	 "WHERE number = ?)", "%s", NULL, "a phone number"},
	{"q", V_TEXT, "(c.name LIKE ? ESCAPE '!' OR c.company LIKE ? ESCAPE '!' "
	 "OR c.id IN (SELECT customer_id FROM customer_phones WHERE number "
	 "LIKE ? ESCAPE '!'))", "%%%s%%", NULL,
	 "words of the name or company, or digits of a number"},
	{"tag", V_TEXT, "c.id IN (SELECT customer_id FROM customer_tags "
	 "WHERE tag = ?)", "%s", NULL, "a tag"},
	{"level", V_LEVEL, "c.level = ?", "%s", NULL,
	 "normal, silver, gold or vip"},
	{"owner", V_TEXT, "c.owner = ?", "%s", NULL, "an extension"},
	{"blacklisted", V_FLAG, "c.blacklisted <> 0", NULL, "c.blacklisted = 0",
	 "true or false"},
};

/* LIKE's own characters in what the user typed match themselves. */
static void like_escape(const char *in, char *out, size_t n)
{
	size_t j = 0;

	for (; *in && j + 2 < n; in++) {
		if (*in == '%' || *in == '_' || *in == '!')
			out[j++] = '!';
		out[j++] = *in;
	}
	out[j] = '\0';
}

static int check_value(const struct filter *f, const char *v, char *out,
		       size_t n, bool *flag)
{
	char num[CRM_PHONE_MAX];
	int32_t raise;

	switch (f->check) {
	case V_PHONE:
		if (crm_phone_norm(v, num))
			return EINVAL;
		util_strlcpy(out, num, n);
		return 0;
	case V_LEVEL:
		if (crm_level_raise(v, &raise))
			return EINVAL;
		util_strlcpy(out, v, n);
		return 0;
	case V_FLAG:
		if (strcmp(v, "true") && strcmp(v, "false") &&
		    strcmp(v, "1") && strcmp(v, "0"))
			return EINVAL;
		*flag = !strcmp(v, "true") || !strcmp(v, "1");
		return 0;
	case V_TEXT:
		if (!*v || strlen(v) > TEXT_MAX)
			return EINVAL;
		/* digits only: also a number as it is stored */
		if (!strcmp(f->param, "q") && !crm_phone_norm(v, num))
			v = num;
		/* a LIKE pattern's own characters match themselves */
		if (strstr(f->bind, "%%"))
			like_escape(v, out, n);
		else
			util_strlcpy(out, v, n);
		return 0;
	}
	return EINVAL;
}

/* Appends filter fl with value v (as the query gave it) to f: 0, or
 * EINVAL when v is not what fl wants. */
static int filter_add(struct crm_filter *f, const struct filter *fl,
		      const char *v)
{
	char val[TEXT_MAX * 2 + 1];
	size_t len = strlen(f->sql);
	bool flag = true;
	const char *q;

	if (check_value(fl, v, val, sizeof(val), &flag))
		return EINVAL;
	snprintf(f->sql + len, sizeof(f->sql) - len, " AND %s",
		 flag ? fl->sql : fl->not_sql);
	if (fl->check == V_FLAG)
		return 0;
	for (q = strchr(fl->sql, '?'); q; q = strchr(q + 1, '?')) {
		if (f->n >= BINDS)
			return EINVAL;
		snprintf(f->bind[f->n++], sizeof(f->bind[0]), fl->bind, val);
	}
	return 0;
}

int crm_filter_parse(struct api_req *req, struct crm_filter *f)
{
	char v[TEXT_MAX * 2 + 1];

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < ARRAY_LEN(filters); i++) {
		const struct filter *fl = &filters[i];
		int err = api_query_get(req->query, fl->param, v, sizeof(v));

		if (err == ENOENT)
			continue;
		if (err || filter_add(f, fl, v)) {
			api_reply_error(req->conn, 400, "bad '%s' (want %s)",
					fl->param, fl->want);
			return EINVAL;
		}
	}
	return 0;
}

/* ---- the list ---- */

static int page_row(const struct db_row *row, void *arg)
{
	struct crm_page *pg = arg;

	if (++pg->n > pg->limit)   /* the extra row only says "there is more" */
		return 0;
	pg->last_ts = db_row_int(row, 10);
	util_strlcpy(pg->last_id, db_row_text(row, 0), sizeof(pg->last_id));
	return json_array_append_new(pg->items, crm_row_json(row)) ?
		ENOMEM : 0;
}

int crm_list_query(struct db *db, const struct api_user *u,
		   const struct crm_filter *f, bool deleted,
		   struct crm_page *pg)
{
	const char *sc[API_SCOPE_NARGS];
	char sql[2048], types[32];
	size_t i;
	json_t *it;
	int err;

	api_scope_args(u, sc);
	snprintf(sql, sizeof(sql), "SELECT " CRM_COLS " FROM customers c "
		 "WHERE c.deleted_at IS %s AND " CRM_SCOPE_SQL
		 " AND (c.created_at < ? OR (c.created_at = ? AND c.id < ?))%s "
		 "ORDER BY c.created_at DESC, c.id DESC LIMIT %zu",
		 deleted ? "NOT NULL" : "NULL", f->sql, pg->limit + 1);
	snprintf(types, sizeof(types), API_SCOPE_TYPES "iit%.*s",
		 (int)f->n, "tttttttt");
	pg->n = 0;
	pg->items = json_array();
	if (!pg->items)
		return ENOMEM;
	err = db_query(db, page_row, pg, sql, types, sc[0], sc[1], sc[2],
		       sc[3], sc[4], pg->c_ts, pg->c_ts, pg->c_id,
		       f->bind[0], f->bind[1], f->bind[2], f->bind[3],
		       f->bind[4], f->bind[5], f->bind[6], f->bind[7]);
	json_array_foreach(pg->items, i, it)
		if (!err)
			err = crm_fill(db, it, u->mask_numbers);
	return err;
}

int crm_find_phone(struct db *db, const struct api_user *u,
		   const char *number, json_t **out)
{
	struct crm_filter f;
	struct crm_page pg = {.limit = 1, .c_ts = INT64_MAX, .c_id = ""};
	int err;

	memset(&f, 0, sizeof(f));
	if (filter_add(&f, &filters[0], number))   /* phone */
		return EINVAL;
	err = crm_list_query(db, u, &f, false, &pg);
	if (!err && !json_array_size(pg.items))
		err = ENOENT;
	if (!err)
		*out = json_incref(json_array_get(pg.items, 0));
	json_decref(pg.items);
	return err;
}

struct list_job {
	struct api_job j;
	struct crm_filter f;
	bool deleted;
	struct crm_page pg;
	json_t *out;
};

static void list_work(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;

	j->err = crm_list_query(api_house(&j->req)->db, &j->req.user, &l->f,
				l->deleted, &l->pg);
	if (j->err)
		return;
	l->out = json_pack("{s:O, s:n}", "items", l->pg.items, "next_cursor");
	if (l->out && l->pg.n > l->pg.limit) {
		char next[API_CURSOR_LEN];

		api_cursor_encode(next, l->pg.last_ts, l->pg.last_id);
		json_object_set_new(l->out, "next_cursor", json_string(next));
	}
	if (!l->out)
		j->err = ENOMEM;
}

static void list_done(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read customers");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, l->out);
	l->out = NULL;
}

static void list_clean(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;

	json_decref(l->pg.items);
	json_decref(l->out);
}

void crm_h_list(struct api_req *req)
{
	struct list_job *l;
	struct crm_filter f;
	char v[API_CURSOR_LEN], c_id[UTIL_ID_LEN] = "";
	int64_t c_ts = INT64_MAX;
	size_t limit = LIMIT_DEFAULT;
	bool deleted = false;
	int err;

	if (crm_filter_parse(req, &f))
		return;
	err = api_query_get(req->query, "deleted", v, sizeof(v));
	if (err != ENOENT) {
		if (err || (strcmp(v, "true") && strcmp(v, "false"))) {
			api_reply_error(req->conn, 400, "bad 'deleted' (want "
					"true or false)");
			return;
		}
		deleted = !strcmp(v, "true");
	}
	if (api_query_page(req, LIMIT_MAX, &limit, &c_ts, c_id))
		return;
	l = api_job_alloc(req, sizeof(*l), list_work, list_done, list_clean);
	if (l) {
		l->f = f;
		l->deleted = deleted;
		l->pg.limit = limit;
		l->pg.c_ts = c_ts;
		memcpy(l->pg.c_id, c_id, sizeof(c_id));
	}
	api_job_queue(l);
}

/* ---- one customer ---- */

struct one_job {
	struct api_job j;
	json_t *out;
};

static void one_work(struct api_job *j)
{
	struct one_job *o = (struct one_job *)j;

	j->err = crm_read(api_house(&j->req)->db,
			  api_param(&j->req.params, "id"), &j->req.user,
			  &o->out);
}

void crm_reply_read_error(struct api_conn *conn, int err)
{
	if (err == ENOENT)
		api_reply_error(conn, 404, "no such customer");
	else if (err == EACCES)
		api_reply_error(conn, 403, "outside your data scope");
	else
		api_reply_error(conn, 500, "cannot read customers");
}

static void one_done(struct api_job *j)
{
	struct one_job *o = (struct one_job *)j;

	if (j->err) {
		crm_reply_read_error(j->req.conn, j->err);
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, o->out);
	o->out = NULL;
}

static void one_clean(struct api_job *j)
{
	json_decref(((struct one_job *)j)->out);
}

void crm_h_get(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct one_job), one_work,
				    one_done, one_clean));
}

/* ---- the routes: see api/routes.c for what each column means ---- */

/* Who may change customers: those who talk to them and the back office;
 * level, owner and blacklist are the supervisors' (http_write.c). */
#define CRM_WRITERS (API_R_ADMIN | API_R_SUPERVISOR | API_R_AGENT | \
		     API_R_BACKOFFICE)

static const struct api_route rows[] = {
	/* before /customers/{id}: these paths are no customer's id */
	{"POST",   "/api/v1/customers/import",       crm_h_import,
	 API_R_ADMIN | API_R_SUPERVISOR | API_R_BACKOFFICE, API_F_UPLOAD,
	 "import customers from a CSV or XLSX body: ?mode=check (report only), "
	 "all (every row or none; 422 with the report when a row is bad) or "
	 "valid (the valid rows); answers the row-by-row report"},
	{"GET",    "/api/v1/customers/export",       crm_h_export,  API_ANYONE,
	 0, "the customers of the list's filters as a file: ?format=csv or xlsx, "
	 "data scope and number masking applied"},
	{"GET",    "/api/v1/customers/duplicates",   crm_h_duplicates,
	 API_SUPERVISORS, 0, "names that more than one live customer in your "
	 "data scope has (likely one person twice), each with those customers"},
	{"GET",    "/api/v1/customers",              crm_h_list,    API_ANYONE,
	 0, "customers in your data scope, newest first: q, phone (the screen "
	 "pop's look-up), tag, level, owner, blacklisted, deleted, limit, cursor"},
	{"POST",   "/api/v1/customers",              crm_h_create,  CRM_WRITERS,
	 0, "create a customer: name, company, region, level, owner, notes, "
	 "blacklisted, blacklist_reason, phones, tags, fields"},
	{"GET",    "/api/v1/customers/{id}",         crm_h_get,     API_ANYONE,
	 0, "one customer with phones, tags and custom fields"},
	{"PUT",    "/api/v1/customers/{id}",         crm_h_update,  CRM_WRITERS,
	 0, "change the fields given (phones, tags, fields replace the lists)"},
	{"DELETE", "/api/v1/customers/{id}",         crm_h_delete,  API_SUPERVISORS,
	 0, "delete a customer (soft: restorable)"},
	{"POST",   "/api/v1/customers/{id}/restore", crm_h_restore, API_SUPERVISORS,
	 0, "restore a deleted customer (409 when a number is taken meanwhile)"},
	{"POST",   "/api/v1/customers/{id}/merge",   crm_h_merge,   API_SUPERVISORS,
	 0, "merge customer {from} into this one: its numbers (and calls), "
	 "tags, fields, notes, work orders and tasks move, it is deleted (soft) "
	 "and a note records the merge"},
	{"GET",    "/api/v1/customers/{id}/history", crm_h_history, API_ANYONE,
	 0, "the contact history: calls (with recording flags), notes, work "
	 "orders and tasks, newest first"},
	{"GET",    "/api/v1/screen-pop",             crm_h_pop,     API_ANYONE,
	 0, "the screen pop of a caller: ?phone=, or ?call= (a live call: its "
	 "agent or a supervisor), and ?ivr= (their IVR choice): the customer, "
	 "their open work orders and the articles tagged ivr:CHOICE, each in "
	 "your data scope"},
	{"GET",    "/api/v1/customer-fields",        crm_h_fields,  API_ANYONE,
	 0, "the custom fields customers have"},
	{"POST",   "/api/v1/customer-fields",        crm_h_field_create, API_R_ADMIN,
	 0, "define a custom field: name, label, type (text, number, date, "
	 "choice), options, required"},
	{"PUT",    "/api/v1/customer-fields/{name}", crm_h_field_update, API_R_ADMIN,
	 0, "change a custom field's label, options, required or position"},
	{"DELETE", "/api/v1/customer-fields/{name}", crm_h_field_delete, API_R_ADMIN,
	 0, "remove a custom field and its values"},
};
const struct mod_routes crm_routes = {rows, ARRAY_LEN(rows)};
