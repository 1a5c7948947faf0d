/* crm/import: customers from a spreadsheet (CSV or XLSX, base/table.h),
 * reported row by row as docs/import.md proposes.
 *
 * Everything runs on an api worker: the header row is mapped to the body's
 * fields (Chinese or English headings, custom fields by name or label),
 * each row becomes the body POST /customers takes and goes through the
 * same checks (crm_body_check one column at a time, so a row with several
 * problems names each; the custom fields against their definitions, read
 * once), then a number given twice in the file or held by a live customer
 * is refused.
 *
 * Storing (import_store.c) is one transaction: every valid row, or
 * none when the mode says all and a row is bad. Back on the loop the index
 * of numbers that matter to calls is set as POST sets it (crm.h fact 1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_msg.h>
#include <re_http.h>
#include "base/mod.h"
#include "base/table.h"
#include "crm/crm_int.h"

enum { ERRORS_MAX = 1000, COLS_MAX = 1024, HEAD_MAX = 64 };

/* crm.h's enum crm_import_mode, by name. */
static const char *const modes[] = {"check", "all", "valid"};

/* The columns a header may name: the body's key and both headings. A
 * list column's cell holds several values split at ';' or ','. */
static const struct col {
	const char *key, *zh;
	bool list;
} cols[] = {
	{"name", "姓名", false}, {"phones", "电话", true},
	{"company", "公司", false}, {"region", "地区", false},
	{"level", "级别", false}, {"tags", "标签", true},
	{"notes", "备注", false},
};

/* A column of the file: a cols[] row or a custom field, as headed. */
struct head {
	const struct col *col;       /* NULL: the custom field field */
	char field[HEAD_MAX];
	char text[HEAD_MAX];         /* the heading as written */
};

/* One import under way. */
struct imp {
	struct db *db;
	struct route *rt;
	const struct api_user *u;
	enum crm_import_mode mode;
	struct crm_import_res *res;  /* status and why of a refusal */
	struct head heads[COLS_MAX];
	size_t nheads;
	json_t *defs;                /* custom fields: name -> label */
	struct crm_defs *fdefs;      /* and their checks, read once */
	json_t *seen;                /* number -> row it first came in */
	json_t *good;                /* the valid rows' bodies */
	json_t *report;
	size_t rows, nerrors;
	bool stored;
};

static void add_error(struct imp *m, size_t row, const char *column,
		      const char *heading, const char *reason)
{
	json_t *errs = json_object_get(m->report, "errors");

	if (++m->nerrors > ERRORS_MAX) {
		json_object_set_new(m->report, "errors_truncated", json_true());
		return;
	}
	json_array_append_new(errs, json_pack("{s:I, s:s, s:s, s:s}", "row",
					      (json_int_t)row, "column", column,
					      "heading", heading, "reason",
					      reason));
}

static int def_row(const struct db_row *row, void *arg)
{
	return json_object_set_new(arg, db_row_text(row, 0),
				   json_string(db_row_text(row, 1)));
}

/* The heading s (trimmed into out) names which column: 0, or EINVAL with
 * why. */
static int map_head(struct imp *m, const char *s, struct head *h)
{
	const char *key;
	json_t *v;

	util_strlcpy(h->text, s, sizeof(h->text));
	for (size_t i = 0; i < ARRAY_LEN(cols); i++)
		if (!strcasecmp(s, cols[i].key) || !strcmp(s, cols[i].zh) ||
		    (!strcasecmp(s, "phone") && !strcmp(cols[i].key, "phones"))) {
			h->col = &cols[i];
			util_strlcpy(h->field, cols[i].key, sizeof(h->field));
			return 0;
		}
	json_object_foreach(m->defs, key, v)
		if (!strcmp(s, key) || !strcmp(s, json_string_value(v))) {
			util_strlcpy(h->field, key, sizeof(h->field));
			return 0;
		}
	return EINVAL;
}

static void trim(const char *in, char *out, size_t n)
{
	size_t len;

	while (*in == ' ' || *in == '\t')
		in++;
	util_strlcpy(out, in, n);
	len = strlen(out);
	while (len && (out[len - 1] == ' ' || out[len - 1] == '\t' ||
		       out[len - 1] == '\r' || out[len - 1] == '\n'))
		out[--len] = '\0';
}

/* The header row: 0, or EINVAL with why (400). */
static int read_header(struct imp *m, const struct table_row *r)
{
	bool have[ARRAY_LEN(cols)] = {false};

	if (r->n > COLS_MAX) {
		snprintf(m->res->why, sizeof(m->res->why), "header: more than %d columns",
			 COLS_MAX);
		return EINVAL;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct head *h = &m->heads[i];
		char s[HEAD_MAX];

		trim(r->v[i], s, sizeof(s));
		if (!*s)
			continue;   /* an unheaded column is not read */
		if (map_head(m, s, h)) {
			snprintf(m->res->why, sizeof(m->res->why), "header: row %zu, "
				 "column %zu: \"%s\" is no customer field",
				 r->row, i + 1, s);
			return EINVAL;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(m->heads[k].field, h->field)) {
				snprintf(m->res->why, sizeof(m->res->why), "header: "
					 "column \"%s\" (%s) is there twice",
					 h->field, s);
				return EINVAL;
			}
		if (h->col)
			have[h->col - cols] = true;
	}
	m->nheads = r->n;
	for (size_t i = 0; i < 2; i++)   /* name and phones */
		if (!have[i]) {
			snprintf(m->res->why, sizeof(m->res->why), "header: column "
				 "\"%s\" (%s) is missing", i ? "phone" :
				 "name", cols[i].zh);
			return EINVAL;
		}
	return 0;
}

/* "a; b,c" as ["a", "b", "c"] (full-width separators too). */
static json_t *split(const char *s)
{
	static const char *const wide[] = {"；", "，"};   /* 3 bytes each */
	json_t *arr = json_array();
	char *dup = strdup(s), *p, *save = NULL;

	if (!arr || !dup) {
		free(dup);
		json_decref(arr);
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_LEN(wide); i++)
		for (p = dup; (p = strstr(p, wide[i])); )
			memcpy(p, ";  ", 3);
	for (p = strtok_r(dup, ";,", &save); p; p = strtok_r(NULL, ";,", &save)) {
		char t[512];

		trim(p, t, sizeof(t));
		if (*t)
			json_array_append_new(arr, json_string(t));
	}
	free(dup);
	return arr;
}

static const char *heading_of(const struct imp *m, const char *field)
{
	for (size_t i = 0; i < m->nheads; i++)
		if (!strcmp(m->heads[i].field, field))
			return m->heads[i].text;
	return field;
}

/* The row as a POST body (cells trimmed; empty ones left out). */
static json_t *row_body(struct imp *m, const struct table_row *r)
{
	json_t *b = json_object(), *fields = json_object();

	for (size_t i = 0; b && fields && i < r->n && i < m->nheads; i++) {
		const struct head *h = &m->heads[i];
		char s[65540];    /* a CSV field's limit */

		if (!h->field[0])
			continue;
		trim(r->v[i], s, sizeof(s));
		if (!*s)
			continue;
		if (!h->col)
			json_object_set_new(fields, h->field, json_string(s));
		else
			json_object_set_new(b, h->field, h->col->list ?
					    split(s) : json_string(s));
	}
	if (b && fields)
		json_object_set(b, "fields", fields);
	json_decref(fields);
	return b;
}

static int taken_row(const struct db_row *row, void *arg)
{
	util_strlcpy(arg, db_row_text(row, 0), UTIL_ID_LEN);
	return 0;
}

/* The phones of a body whose numbers passed: none twice in the file, none
 * a live customer's. Returns the errors added. */
static size_t check_numbers(struct imp *m, struct db *db, size_t row,
			    const json_t *phones)
{
	const char *head = heading_of(m, "phones");
	size_t i, bad = 0;
	json_t *p;
	char why[128];

	json_array_foreach(phones, i, p) {
		const char *num = json_string_value(json_object_get(p,
								    "number"));
		json_t *first = json_object_get(m->seen, num);
		char other[UTIL_ID_LEN] = "";

		if (first) {
			snprintf(why, sizeof(why), "same phone as row %lld",
				 (long long)json_integer_value(first));
			add_error(m, row, "phone", head, why);
			bad++;
			continue;
		}
		json_object_set_new(m->seen, num, json_integer((json_int_t)row));
		if (db_query(db, taken_row, other, "SELECT customer_id FROM "
			     "customer_phones WHERE number = ? AND live = 1",
			     "t", num) || other[0]) {
			snprintf(why, sizeof(why), "%s belongs to customer %s",
				 num, other[0] ? other : "(unreadable)");
			add_error(m, row, "phone", head, why);
			bad++;
		}
	}
	return bad;
}

/* One data row: its errors reported, its body kept when it has none. */
static int check_row(struct imp *m, struct db *db,
		     const struct table_row *r)
{
	json_t *b = row_body(m, r), *v;
	const char *key;
	size_t bad = 0;
	char why[256];

	if (!b)
		return ENOMEM;
	json_object_foreach(b, key, v) {
		json_t *one;

		if (!strcmp(key, "fields"))
			continue;
		one = json_pack("{s:O}", key, v);
		if (!one) {
			json_decref(b);
			return ENOMEM;
		}
		if (crm_body_check(m->u, m->rt, one, false, why, sizeof(why))) {
			add_error(m, r->row, strcmp(key, "phones") ? key :
				  "phone", heading_of(m, key), why);
			bad++;
		}
		else   /* phones come back as normalised objects */
			json_object_set(b, key, json_object_get(one, key));
		json_decref(one);
	}
	if (!json_string_length(json_object_get(b, "name"))) {
		add_error(m, r->row, "name", heading_of(m, "name"), "required");
		bad++;
	}
	if (crm_fields_check_defs(m->fdefs, json_object_get(b, "fields"),
				  true, why, sizeof(why))) {
		char field[HEAD_MAX] = "";
		const char *colon = strchr(why, ':');

		if (!strncmp(why, "fields.", 7) && colon)
			snprintf(field, sizeof(field), "%.*s",
				 (int)(colon - why - 7), why + 7);
		add_error(m, r->row, *field ? field : "fields",
			  heading_of(m, *field ? field : "fields"), why);
		bad++;
	}
	if (!bad && json_object_get(b, "phones"))
		bad = check_numbers(m, db, r->row, json_object_get(b, "phones"));
	if (!bad)
		json_array_append(m->good, b);
	json_decref(b);
	return 0;
}

static int run(struct imp *m, struct db *db, const void *buf, size_t len)
{
	struct table *t = NULL;
	const struct table_row *r;
	struct table_error te;
	int err = table_open(&t, buf, len, &te);

	err = err ? err : crm_defs_read(db, &m->fdefs);
	err = err ? err : db_query(db, def_row, m->defs, "SELECT name, label "
				   "FROM customer_fields", "");
	err = err ? err : table_next(t, &r, &te);
	if (!err && !r) {
		snprintf(m->res->why, sizeof(m->res->why), "file: no header row");
		err = EINVAL;
	}
	else if (!err && read_header(m, r))
		err = EINVAL;
	else if (err && te.row)
		snprintf(m->res->why, sizeof(m->res->why), "file: row %zu, column %zu: "
			 "%s", te.row, te.column, te.reason);
	else if (err)
		snprintf(m->res->why, sizeof(m->res->why), "file: %s", te.reason);
	while (!err && !(err = table_next(t, &r, &te)) && r) {
		m->rows++;
		err = check_row(m, db, r);
	}
	if (err && !m->res->why[0])
		snprintf(m->res->why, sizeof(m->res->why), "file: row %zu, column %zu: "
			 "%s", te.row, te.column, te.reason);
	if (!err) {
		json_object_set_new(m->report, "format",
				    json_string(table_format(t)));
		json_object_set_new(m->report, "sheet", table_sheet(t) ?
				    json_string(table_sheet(t)) : json_null());
		json_object_set_new(m->report, "encoding", table_encoding(t) ?
				    json_string(table_encoding(t)) : json_null());
	}
	table_free(t);
	if (err)
		return err == ENOMEM || err == EIO ? err :
			(m->res->status = 400, EINVAL);
	if ((m->mode == CRM_IMPORT_ALL && !m->nerrors) ||
	    (m->mode == CRM_IMPORT_VALID && json_array_size(m->good))) {
		err = crm_import_store(db, m->good, m->u->username);
		m->stored = !err;
	}
	return err;
}

int crm_import(struct db *db, struct route *rt, const struct api_user *u,
	       const void *buf, size_t len, enum crm_import_mode mode,
	       struct crm_import_res *res)
{
	struct imp *m = calloc(1, sizeof(*m));
	int err;

	memset(res, 0, sizeof(*res));
	if (!m)
		return ENOMEM;
	*m = (struct imp){.db = db, .rt = rt, .u = u, .mode = mode, .res = res};
	m->defs = json_object();
	m->seen = json_object();
	m->good = json_array();
	m->report = json_pack("{s:[], s:b}", "errors", "errors_truncated", 0);
	err = m->defs && m->seen && m->good && m->report ?
		run(m, db, buf, len) : ENOMEM;
	if (!err) {
		json_object_set_new(m->report, "rows",
				    json_integer((json_int_t)m->rows));
		json_object_set_new(m->report, "valid", json_integer((json_int_t)
				    json_array_size(m->good)));
		json_object_set_new(m->report, "imported", json_integer(
				    m->stored ? (json_int_t)
				    json_array_size(m->good) : 0));
		res->status = mode == CRM_IMPORT_ALL && m->nerrors ? 422 : 200;
		res->report = m->report;
		m->report = NULL;
		if (m->stored) {
			res->stored = m->good;
			m->good = NULL;
		}
	}
	json_decref(m->defs);
	crm_defs_free(m->fdefs);
	json_decref(m->seen);
	json_decref(m->good);
	json_decref(m->report);
	free(m);
	return err;
}

/* ---- the handler ---- */

struct imp_job {
	struct api_job j;
	enum crm_import_mode mode;
	const void *buf;
	size_t len;
	struct crm_import_res res;
};

static void imp_work(struct api_job *j)
{
	struct imp_job *m = (struct imp_job *)j;

	j->err = crm_import(api_house(&j->req)->db, api_house(&j->req)->route,
			    &j->req.user, m->buf, m->len, m->mode, &m->res);
}

static void imp_done(struct api_job *j)
{
	struct imp_job *m = (struct imp_job *)j;
	struct crm *c = crm_of(&j->req);
	size_t i, k;
	json_t *b, *p;

	if (m->res.status == 400) {
		api_reply_error(j->req.conn, 400, "%s", m->res.why);
		return;
	}
	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot store customers");
		return;
	}
	json_array_foreach(m->res.stored, i, b) {
		struct crm_caller cc;

		crm_caller_of(b, &cc);
		json_array_foreach(json_object_get(b, "phones"), k, p)
			crm_note_number(c, json_string_value(json_object_get(p,
						"number")), &cc);
	}
	api_reply_json(j->req.conn, m->res.status, NULL, m->res.report);
	m->res.report = NULL;
}

static void imp_clean(struct api_job *j)
{
	struct imp_job *m = (struct imp_job *)j;

	json_decref(m->res.report);
	json_decref(m->res.stored);
}

void crm_h_import(struct api_req *req)
{
	char v[16];
	size_t i = ARRAY_LEN(modes);
	struct imp_job *m;

	if (!api_query_get(req->query, "mode", v, sizeof(v)))
		for (i = 0; i < ARRAY_LEN(modes) && strcmp(v, modes[i]); i++)
			;
	if (i == ARRAY_LEN(modes)) {
		api_reply_error(req->conn, 400, "bad 'mode' (want check, all "
				"or valid)");
		return;
	}
	if (!mbuf_get_left(req->msg->mb)) {
		api_reply_error(req->conn, 400, "file: the body is empty (send "
				"the CSV or XLSX file)");
		return;
	}
	m = api_job_alloc(req, sizeof(*m), imp_work, imp_done, imp_clean);
	if (!m)
		return;
	m->mode = (enum crm_import_mode)i;
	m->buf = mbuf_buf(req->msg->mb);
	m->len = mbuf_get_left(req->msg->mb);
	api_job_queue(m);
}
