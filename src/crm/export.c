/* crm/export: the customers of the list's filters as a spreadsheet, CSV
 * (UTF-8 with a BOM, formula cells defused: base/csv) or XLSX
 * (base/xlsxw), with the same data scope and number masking as the list.
 *
 * The columns are the ones an import reads back (Chinese headings, custom
 * fields by label), so an exported file, edited, imports again. The file
 * is written on a worker under data_dir/exports, a page of customers at a
 * time (keyset, as the list), then sent as an attachment from the loop and
 * unlinked at once: the open descriptor keeps it until it is sent. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/csv.h"
#include "base/mod.h"
#include "base/xlsxw.h"
#include "crm/crm_int.h"

enum { PAGE = 500, COLS_MAX = 64, ROWS_MAX = 1048575 };

/* The fixed columns: heading, and how a customer's JSON gives the cell. */
static const struct {
	const char *head, *key;
	enum { C_TEXT, C_PHONES, C_TAGS } kind;
} fixed[] = {
	{"姓名", "name", C_TEXT}, {"电话", "phones", C_PHONES},
	{"公司", "company", C_TEXT}, {"地区", "region", C_TEXT},
	{"级别", "level", C_TEXT}, {"标签", "tags", C_TAGS},
	{"备注", "notes", C_TEXT},
};

struct exp_job {
	struct api_job j;
	struct crm_filter f;
	bool xlsx;
	char rel[64], path[512];
	json_t *defs;                 /* [[name, label]] in position order */
	json_t *page;
	int64_t c_ts;
	char c_id[UTIL_ID_LEN];
	FILE *csv;
	struct xlsxw *xw;
	size_t ncols, rows;
};

static int def_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_pack("[s, s]",
		db_row_text(row, 0), db_row_text(row, 1)));
}

static int page_row(const struct db_row *row, void *arg)
{
	struct exp_job *e = arg;

	e->c_ts = db_row_int(row, 10);
	util_strlcpy(e->c_id, db_row_text(row, 0), sizeof(e->c_id));
	return json_array_append_new(e->page, crm_row_json(row)) ? ENOMEM : 0;
}

/* The list of phones or tags as one cell: "a; b". */
static void join(const json_t *arr, bool phones, char *out, size_t n)
{
	size_t i, len = 0;
	json_t *v;

	out[0] = '\0';
	json_array_foreach(arr, i, v) {
		const char *s = phones ? json_string_value(json_object_get(v,
				"number")) : json_string_value(v);

		if (s && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s",
						i ? "; " : "", s);
	}
}

static int write_row(struct exp_job *e, const json_t *o)
{
	char lists[2][2048];
	const char *v[COLS_MAX];
	struct xlsxw_cell cells[COLS_MAX];
	size_t i, n = 0;
	json_t *d;

	join(json_object_get(o, "phones"), true, lists[0], sizeof(lists[0]));
	join(json_object_get(o, "tags"), false, lists[1], sizeof(lists[1]));
	for (i = 0; i < ARRAY_LEN(fixed); i++)
		v[n++] = fixed[i].kind == C_PHONES ? lists[0] :
			fixed[i].kind == C_TAGS ? lists[1] :
			json_string_value(json_object_get(o, fixed[i].key));
	json_array_foreach(e->defs, i, d)
		if (n < COLS_MAX)
			v[n++] = json_string_value(json_object_get(
				json_object_get(o, "fields"),
				json_string_value(json_array_get(d, 0))));
	if (e->csv)
		return csv_write_row(e->csv, v, n, CSV_SAFE);
	for (i = 0; i < n; i++)
		cells[i] = (struct xlsxw_cell){.kind = XLSXW_TEXT, .s = v[i]};
	return xlsxw_row(e->xw, cells, n);
}

static int open_out(struct exp_job *e, const char *data_dir)
{
	const char *head[COLS_MAX];
	char dir[512], id[UTIL_ID_LEN];
	size_t i, n = 0;
	json_t *d;
	int err;

	for (i = 0; i < ARRAY_LEN(fixed); i++)
		head[n++] = fixed[i].head;
	json_array_foreach(e->defs, i, d)
		if (n < COLS_MAX)
			head[n++] = json_string_value(json_array_get(d, 1));
	e->ncols = n;
	util_random_id(id);
	snprintf(dir, sizeof(dir), "%s/exports", data_dir);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return EIO;
	snprintf(e->rel, sizeof(e->rel), "exports/%s.%s", id,
		 e->xlsx ? "xlsx" : "csv");
	snprintf(e->path, sizeof(e->path), "%s/%s", data_dir, e->rel);
	if (e->xlsx)
		return xlsxw_open(&e->xw, e->path, "客户", head, n);
	e->csv = fopen(e->path, "w");
	if (!e->csv)
		return EIO;
	err = csv_write_bom(e->csv);
	return err ? err : csv_write_row(e->csv, head, n, CSV_SAFE);
}

static int run(struct exp_job *e, struct db *db, const char *data_dir)
{
	const char *sc[API_SCOPE_NARGS];
	char sql[2048], types[32];
	size_t i;
	json_t *o;
	int err;

	err = db_query(db, def_row, e->defs, "SELECT name, label FROM "
		       "customer_fields ORDER BY pos, name", "");
	err = err ? err : open_out(e, data_dir);
	api_scope_args(&e->j.req.user, sc);
	snprintf(sql, sizeof(sql), "SELECT " CRM_COLS " FROM customers c "
		 "WHERE c.deleted_at IS NULL AND " CRM_SCOPE_SQL
		 " AND (c.created_at < ? OR (c.created_at = ? AND c.id < ?))%s "
		 "ORDER BY c.created_at DESC, c.id DESC LIMIT %d", e->f.sql,
		 PAGE);
	snprintf(types, sizeof(types), API_SCOPE_TYPES "iit%.*s",
		 (int)e->f.n, "tttttttt");
	e->c_ts = INT64_MAX;
	while (!err) {
		json_decref(e->page);
		e->page = json_array();
		if (!e->page)
			return ENOMEM;
		err = db_query(db, page_row, e, sql, types, sc[0], sc[1], sc[2],
			       sc[3], sc[4], e->c_ts, e->c_ts, e->c_id,
			       e->f.bind[0], e->f.bind[1], e->f.bind[2],
			       e->f.bind[3], e->f.bind[4], e->f.bind[5],
			       e->f.bind[6], e->f.bind[7]);
		json_array_foreach(e->page, i, o) {
			if (!err)
				err = crm_fill(db, o, e->j.req.user.mask_numbers);
			if (!err)
				err = ++e->rows > ROWS_MAX ? EFBIG :
					write_row(e, o);
		}
		if (json_array_size(e->page) < PAGE)
			break;
	}
	if (e->csv && fclose(e->csv) && !err)
		err = EIO;
	e->csv = NULL;
	if (e->xw) {
		int cerr = err ? (xlsxw_abort(e->xw), 0) : xlsxw_close(e->xw);

		e->xw = NULL;
		err = err ? err : cerr;
	}
	return err;
}

static void exp_work(struct api_job *j)
{
	struct exp_job *e = (struct exp_job *)j;

	e->defs = json_array();
	j->err = e->defs ? run(e, api_house(&j->req)->db,
			       api_house(&j->req)->data_dir) : ENOMEM;
	if (j->err && e->path[0])
		unlink(e->path);
}

static void exp_done(struct api_job *j)
{
	struct exp_job *e = (struct exp_job *)j;

	if (j->err == EFBIG) {
		api_reply_error(j->req.conn, 413, "more than %d customers: "
				"narrow the filters", ROWS_MAX);
		return;
	}
	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot export customers");
		return;
	}
	api_send_attachment(&j->req, e->rel, e->xlsx ?
			    "application/vnd.openxmlformats-officedocument."
			    "spreadsheetml.sheet" : "text/csv; charset=utf-8",
			    e->xlsx ? "customers.xlsx" : "customers.csv",
			    "export vanished");
	/* the stream holds the open file: the name can go now */
	unlink(e->path);
}

static void exp_clean(struct api_job *j)
{
	struct exp_job *e = (struct exp_job *)j;

	json_decref(e->defs);
	json_decref(e->page);
	if (e->csv)
		fclose(e->csv);
	xlsxw_abort(e->xw);
}

void crm_h_export(struct api_req *req)
{
	struct exp_job *e;
	struct crm_filter f;
	char v[8];
	int err;

	if (crm_filter_parse(req, &f))
		return;
	err = api_query_get(req->query, "format", v, sizeof(v));
	if (err == ENOENT)
		util_strlcpy(v, "csv", sizeof(v));
	else if (err || (strcmp(v, "csv") && strcmp(v, "xlsx"))) {
		api_reply_error(req->conn, 400, "bad 'format' (want csv or "
				"xlsx)");
		return;
	}
	e = api_job_alloc(req, sizeof(*e), exp_work, exp_done, exp_clean);
	if (!e)
		return;
	e->f = f;
	e->xlsx = !strcmp(v, "xlsx");
	api_job_queue(e);
}
