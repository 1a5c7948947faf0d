/* ticket/attach: files on a work order (附件), under
 * /api/v1/work-orders/{id}/attachments: the file as the body with its name
 * in ?name=, or the one file of a multipart form (attach_form.c).
 *
 * Facts that always hold:
 *  (1) A file is stored as DATA/work-orders/<attachment id>, never under
 *      the name its uploader gave it (attach_name.c holds that name to a
 *      plain file name anyway); it is renamed into place whole before its
 *      row is written, so a listed attachment can always be read.
 *  (2) Nothing on the loop touches a file or the database: every handler
 *      checks what needs no disk, then hands a job to the worker pool.
 *  (3) Whoever may not see the order (wo_in_scope) sees none of its files:
 *      listing, reading, adding and removing all load the order first.
 *  (4) Every add and every removal is an entry in the order's history,
 *      written under wo_lock with the row; removal is soft (deleted_at):
 *      the row and the file stay.
 *  (5) A refused upload stores nothing: every check comes before the
 *      first write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_msg.h>
#include <re_http.h>
#include "base/bus.h"
#include "base/mod.h"
#include "db/db.h"
#include "ticket/http_int.h"
#include "ticket/ticket_int.h"

#define FILE_COLS "id, order_id, name, type, size, uploaded_by, " \
	"uploaded_by_name, uploaded_at"

struct att_job {
	struct api_job j;
	char name[WO_ATTACH_NAME_MAX + 1];
	const char *type;            /* static (attach_name.c) */
	const void *body;            /* the request's, which the job holds */
	size_t len;
	int64_t max_bytes, max_files;  /* the settings, read on the loop */
	uint16_t status;             /* a refusal's, with why */
	char why[256];
	json_t *out;                 /* the reply */
	json_t *evs;                 /* events to publish (wo_event) */
	char *data;                  /* a download's bytes */
	size_t dlen;
};

static void refuse(struct att_job *a, uint16_t status, const char *why)
{
	a->status = status;
	util_strlcpy(a->why, why, sizeof(a->why));
}

/* Loads the path's order into w: 0, or non-zero with a refusal. */
static int order_open(struct att_job *a, struct db *db, struct wo *w)
{
	int err = wo_load(db, api_param(&a->j.req.params, "id"), w, NULL);

	if (err == ENOENT)
		refuse(a, 404, "no such work order");
	else if (err)
		refuse(a, 500, "cannot read the work order");
	else if (!wo_in_scope(db, w, &a->j.req.user)) {
		refuse(a, 403, "outside your data scope");
		err = EACCES;
	}
	return err;
}

static int file_row(const struct db_row *row, void *arg)
{
	char t[UTIL_TIME_LEN];
	json_t *o;

	util_rfc3339(t, db_row_int(row, 7));
	o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}",
		      "id", db_row_text(row, 0), "order_id", db_row_text(row, 1),
		      "name", db_row_text(row, 2), "type", db_row_text(row, 3),
		      "size", (json_int_t)db_row_int(row, 4),
		      "uploaded_by", db_row_text(row, 5),
		      "uploaded_by_name", db_row_text(row, 6), "uploaded_at", t);
	if (!o)
		return ENOMEM;
	if (json_is_array((json_t *)arg))
		return json_array_append_new(arg, o) ? ENOMEM : 0;
	json_object_update(arg, o);
	json_decref(o);
	return 0;
}

/* The live attachment file of order into *o (yours): 0, ENOENT, EIO. */
static int file_load(struct db *db, const char *order, const char *file,
		     json_t **o)
{
	json_t *f = json_object();
	int err;

	if (!f)
		return ENOMEM;
	err = db_query(db, file_row, f, "SELECT " FILE_COLS " FROM "
		       "work_order_files WHERE id = ? AND order_id = ? AND "
		       "deleted_at IS NULL", "tt", file, order);
	if (!err && !json_object_size(f))
		err = ENOENT;
	if (err) {
		json_decref(f);
		return err == ENOENT ? ENOENT : EIO;
	}
	*o = f;
	return 0;
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* ---- add */

static void add_work(struct api_job *j)
{
	struct att_job *a = (struct att_job *)j;
	struct db *db = api_house(&j->req)->db;
	const struct api_user *u = &j->req.user;
	const int64_t now = util_now_ms();
	char id[UTIL_ID_LEN];
	int64_t n = 0;
	struct wo w;
	json_t *data;

	util_random_id(id);
	wo_lock();
	if (order_open(a, db, &w))
		goto out;
	if (db_query(db, count_row, &n, "SELECT COUNT(*) FROM work_order_files "
		     "WHERE order_id = ? AND deleted_at IS NULL", "t", w.id)) {
		refuse(a, 500, "cannot read the attachments");
		goto out;
	}
	if (n >= a->max_files) {
		snprintf(a->why, sizeof(a->why), "this work order has %lld "
			 "attachments, the most it may have "
			 "(ticket.attach_max_files): remove one first",
			 (long long)n);
		a->status = 409;
		goto out;
	}
	if (wo_attach_save(api_house(&j->req)->data_dir, id, a->body, a->len)) {
		refuse(a, 500, "cannot store the file");
		goto out;
	}
	if (db_exec(db, "INSERT INTO work_order_files (" FILE_COLS ") VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?)", "ttttitti", id, w.id, a->name,
		    a->type, (int64_t)a->len, u->id, u->username, now)) {
		wo_attach_unlink(api_house(&j->req)->data_dir, id);
		refuse(a, 500, "cannot store the attachment");
		goto out;
	}
	data = json_pack("{s:s, s:s, s:I}", "id", id, "name", a->name,
			 "size", (json_int_t)a->len);
	(void)wo_history(db, w.id, now, u->id, u->username, "attachment_added",
			 NULL, NULL, NULL, data);
	json_decref(data);
	wo_event(a->evs, BUS_TICKET_UPDATED, w.id,
		 wo_event_data(&w, "attachment_added"));
	if (file_load(db, w.id, id, &a->out))
		refuse(a, 500, "cannot read the attachment");
 out:
	wo_unlock();
}

/* ---- remove (soft) */

static void del_work(struct api_job *j)
{
	struct att_job *a = (struct att_job *)j;
	struct db *db = api_house(&j->req)->db;
	const struct api_user *u = &j->req.user;
	const char *file = api_param(&j->req.params, "file");
	const int64_t now = util_now_ms();
	struct wo w;
	json_t *f = NULL, *data;
	int err;

	wo_lock();
	if (order_open(a, db, &w))
		goto out;
	err = file_load(db, w.id, file, &f);
	if (err) {
		refuse(a, err == ENOENT ? 404 : 500, err == ENOENT ?
		       "no such attachment" : "cannot read the attachment");
		goto out;
	}
	if (strcmp(json_string_value(json_object_get(f, "uploaded_by")), u->id)
	    && !(wo_actors(db, &w, u) & TICKET_A_LEAD)) {
		refuse(a, 403, "only who uploaded it or a lead of the handling "
		       "department may remove an attachment");
		goto out;
	}
	if (db_exec(db, "UPDATE work_order_files SET deleted_at = ?, "
		    "deleted_by = ? WHERE id = ? AND deleted_at IS NULL", "itt",
		    now, u->id, file)) {
		refuse(a, 500, "cannot remove the attachment");
		goto out;
	}
	data = json_pack("{s:s, s:O}", "id", file, "name",
			 json_object_get(f, "name"));
	(void)wo_history(db, w.id, now, u->id, u->username,
			 "attachment_removed", NULL, NULL, NULL, data);
	json_decref(data);
	wo_event(a->evs, BUS_TICKET_UPDATED, w.id,
		 wo_event_data(&w, "attachment_removed"));
	a->out = json_pack("{s:s, s:b}", "id", file, "deleted", 1);
 out:
	wo_unlock();
	json_decref(f);
}

/* ---- list */

static void list_work(struct api_job *j)
{
	struct att_job *a = (struct att_job *)j;
	struct db *db = api_house(&j->req)->db;
	json_t *items = json_array(), *exts = json_array();
	const char *e;
	struct wo w;

	if (order_open(a, db, &w))
		goto out;
	if (!items || !exts || db_query(db, file_row, items, "SELECT "
		FILE_COLS " FROM work_order_files WHERE order_id = ? AND "
		"deleted_at IS NULL ORDER BY uploaded_at, id", "t", w.id)) {
		refuse(a, 500, "cannot read the attachments");
		goto out;
	}
	for (size_t i = 0; (e = wo_attach_exts(i)); i++)
		json_array_append_new(exts, json_string(e));
	a->out = json_pack("{s:O, s:I, s:I, s:O}", "items", items,
			   "max_bytes", (json_int_t)a->max_bytes,
			   "max_files", (json_int_t)a->max_files,
			   "extensions", exts);
 out:
	json_decref(items);
	json_decref(exts);
}

/* ---- read */

static void get_work(struct api_job *j)
{
	struct att_job *a = (struct att_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *why;
	json_t *f = NULL;
	struct wo w;
	int err;

	if (order_open(a, db, &w))
		return;
	err = file_load(db, w.id, api_param(&j->req.params, "file"), &f);
	if (err) {
		refuse(a, err == ENOENT ? 404 : 500, err == ENOENT ?
		       "no such attachment" : "cannot read the attachment");
		return;
	}
	util_strlcpy(a->name, json_string_value(json_object_get(f, "name")),
		     sizeof(a->name));
	if (wo_attach_name(a->name, &a->type, &why))
		a->type = "application/octet-stream";
	if (wo_attach_read(api_house(&j->req)->data_dir,
			   json_string_value(json_object_get(f, "id")), &a->data,
			   &a->dlen))
		refuse(a, 500, "cannot read the attachment's file");
	json_decref(f);
}

/* ---- the loop's side */

static void att_done(struct api_job *j)
{
	struct att_job *a = (struct att_job *)j;
	struct bus *bus = api_house(&j->req)->bus;
	char hdrs[1200], cd[1024];
	size_t i;
	json_t *e;

	json_array_foreach(a->evs, i, e)
		bus_publish(bus, (enum bus_ev)json_integer_value(
				    json_object_get(e, "ev")),
			    json_string_value(json_object_get(e, "subject")),
			    util_now_ms(), json_incref(json_object_get(e, "data")));
	if (a->status) {
		api_reply_error(j->req.conn, a->status, "%s", a->why);
		return;
	}
	if (a->data) {
		wo_attach_disposition(a->name, cd, sizeof(cd));
		snprintf(hdrs, sizeof(hdrs), "Content-Type: %s\r\n%s"
			 "X-Content-Type-Options: nosniff\r\n"
			 "Cache-Control: private, no-store\r\n", a->type, cd);
		api_reply_bytes(j->req.conn, 200, hdrs, a->data, a->dlen);
		return;
	}
	if (!a->out) {
		api_reply_error(j->req.conn, 500, "cannot read the attachments");
		return;
	}
	api_reply_json(j->req.conn, !strcmp(j->req.route->method, "POST") ?
		       201 : 200, NULL, json_incref(a->out));
}

static void att_clean(struct api_job *j)
{
	struct att_job *a = (struct att_job *)j;

	json_decref(a->out);
	json_decref(a->evs);
	free(a->data);
}

static struct att_job *att_alloc(struct api_req *req, api_job_h *work)
{
	struct att_job *a = api_job_alloc(req, sizeof(*a), work, att_done,
					  att_clean);

	if (!a)
		return NULL;
	a->evs = json_array();
	a->max_bytes = wo_values()->attach_max_bytes;
	a->max_files = wo_values()->attach_max_files;
	return a;
}

/* The body is the file itself, its name in ?name=; or a multipart form
 * whose one file part names it (?name= still wins). Checks that need no
 * disk come first, here on the loop (fact 2). */
void wo_h_attach_add(struct api_req *req)
{
	const struct http_hdr *ct = http_msg_hdr(req->msg,
						 HTTP_HDR_CONTENT_TYPE);
	const int64_t max = wo_values()->attach_max_bytes;
	const char *body = (const char *)mbuf_buf(req->msg->mb);
	size_t len = mbuf_get_left(req->msg->mb);
	char name[WO_ATTACH_NAME_MAX + 2], part[WO_ATTACH_NAME_MAX + 2] = "";
	const char *type = NULL, *why = NULL;
	struct att_job *a;
	int err;

	if (ct && ct->val.l >= 10 && !strncasecmp(ct->val.p, "multipart/", 10)) {
		if (ct->val.l < 19 || strncasecmp(ct->val.p, "multipart/form-data",
						  19)) {
			api_reply_error(req->conn, 415, "send the file itself as "
					"the body, or a multipart/form-data form");
			return;
		}
		if (wo_attach_form(ct->val.p, ct->val.l, body, len, &body, &len,
				   part, sizeof(part), &why)) {
			api_reply_error(req->conn, 400, "%s", why);
			return;
		}
	}
	err = api_query_get(req->query, "name", name, sizeof(name));
	if (err == ENOENT && part[0])
		err = util_strlcpy(name, part, sizeof(name));
	if (err) {
		api_reply_error(req->conn, 400, "%s", err == ENOSPC ?
				"name: longer than 200 bytes" : err == ENOENT ?
				"name: give the file's name as ?name=" :
				"name: bad percent-encoding");
		return;
	}
	err = wo_attach_name(name, &type, &why);
	if (err) {
		api_reply_error(req->conn, err == ENOTSUP ? 415 : 400, "%s", why);
		return;
	}
	if (!len) {
		api_reply_error(req->conn, 422, "the file is empty");
		return;
	}
	if ((int64_t)len > max) {
		api_reply_error(req->conn, 413, "the file is %zu bytes, more "
				"than the %lld an attachment may have "
				"(ticket.attach_max_bytes)", len, (long long)max);
		return;
	}
	a = att_alloc(req, add_work);
	if (!a)
		return;
	util_strlcpy(a->name, name, sizeof(a->name));
	a->type = type;
	a->body = body;
	a->len = len;
	api_job_queue(a);
}

void wo_h_attach_list(struct api_req *req)
{
	api_job_queue(att_alloc(req, list_work));
}

void wo_h_attach_get(struct api_req *req)
{
	api_job_queue(att_alloc(req, get_work));
}

void wo_h_attach_del(struct api_req *req)
{
	api_job_queue(att_alloc(req, del_work));
}
