/* call/http_vm: the messages callers left in mailboxes. Who sees which
 * mailbox is the data scope (api/scope.c) over the mailbox's extension:
 * an agent their own, a supervisor their departments' too, admins every
 * one; a message outside it is 403. A message is listed newest first, played with Range like
 * a recording, marked heard, or deleted (row and file). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "api/http.h"
#include "base/mod.h"
#include "call/http_int.h"
#include "base/log.h"
#include "db/db.h"

enum { LIST_MAX = 500, LIST_DEFAULT = 100 };

#define VM_COLS "id, mailbox, call_id, caller, queue, created_at, " \
		"duration_ms, path, heard"

static const char *const number_fields[] = {"caller", NULL};

static json_t *vm_json(const struct db_row *row, const struct api_user *u)
{
	char at[UTIL_TIME_LEN];
	json_t *o;

	util_rfc3339(at, db_row_int(row, 5));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
		      "id", db_row_text(row, 0), "mailbox", db_row_text(row, 1),
		      "call_id", db_row_text(row, 2),
		      "caller", db_row_text(row, 3), "queue", db_row_text(row, 4),
		      "created_at", at, "heard", db_row_int(row, 8) != 0);
	if (o)
		json_object_set_new(o, "duration_ms", db_row_text(row, 6) ?
				    json_integer(db_row_int(row, 6)) :
				    json_null());
	api_mask_fields(u, o, number_fields);
	return o;
}

struct vm_rows {
	const struct api_user *user;
	json_t *out;                 /* the list's array, or the one message */
	bool in_scope;
};

static int list_row(const struct db_row *row, void *arg)
{
	struct vm_rows *r = arg;

	return json_array_append_new(r->out, vm_json(row, r->user)) ?
		ENOMEM : 0;
}

/* Every handler reads (and writes) the database on the pool; the reply,
 * or the file, goes out from the loop. */
struct vm_job {
	struct api_job j;
	json_t *vm;                  /* the list, or one message */
	char box[32];
	uint64_t limit;
	int heard;                   /* PATCH: the new value */
	bool store_failed;           /* PATCH, DELETE: the write failed */
};

static void vm_clean(struct api_job *j)
{
	json_decref(((struct vm_job *)j)->vm);
}

static struct vm_job *vm_job(struct api_req *req, api_job_h *work,
			     api_job_h *done)
{
	return api_job_alloc(req, sizeof(struct vm_job), work, done, vm_clean);
}

static void list_work(struct api_job *j)
{
	struct vm_job *v = (struct vm_job *)j;
	struct vm_rows r = {.user = &j->req.user};
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(&j->req.user, sc);
	v->vm = r.out = json_array();
	j->err = !v->vm ? ENOMEM : db_query(api_house(&j->req)->db, list_row, &r,
		"SELECT " VM_COLS " FROM voicemails"
		" WHERE (? = '' OR mailbox = ?) AND "
		API_SCOPE_SQL("mailbox", "mailbox")
		" ORDER BY created_at DESC, id LIMIT ?", "tt" API_SCOPE_TYPES "i",
		v->box, v->box, sc[0], sc[1], sc[2], sc[3], sc[4],
		(int64_t)v->limit);
}

static void list_done(struct api_job *j)
{
	struct vm_job *v = (struct vm_job *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read voicemails");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL,
		       json_pack("{s:O}", "voicemails", v->vm));
}

void call_h_vm_list(struct api_req *req)
{
	char box[32] = "", lim[16] = "";
	uint64_t limit = LIST_DEFAULT;
	struct vm_job *v;

	(void)api_query_get(req->query, "mailbox", box, sizeof(box));
	if (!api_query_get(req->query, "limit", lim, sizeof(lim)) &&
	    util_parse_u64(lim, 1, LIST_MAX, &limit)) {
		api_reply_error(req->conn, 400, "limit: want 1..%d", LIST_MAX);
		return;
	}
	v = vm_job(req, list_work, list_done);
	if (v) {
		memcpy(v->box, box, sizeof(box));
		v->limit = limit;
	}
	api_job_queue(v);
}

static int one_row(const struct db_row *row, void *arg)
{
	struct vm_rows *r = arg;

	r->out = vm_json(row, r->user);
	r->in_scope = db_row_int(row, 9) != 0;
	if (r->out)
		json_object_set_new(r->out, "path",
				    json_string(db_row_text(row, 7)));
	return r->out ? 0 : ENOMEM;
}

/* On a worker: the message named by {id} if the caller may see it (with
 * its "path") into v->vm; ENOENT, EACCES (outside their scope), EIO. */
static int visible(struct vm_job *v)
{
	const struct api_req *req = &v->j.req;
	const char *id = api_param(&req->params, "id");
	const char *sc[API_SCOPE_NARGS];
	struct vm_rows r = {.user = &req->user};

	api_scope_args(&req->user, sc);
	if (db_query(api_house(req)->db, one_row, &r,
		     "SELECT " VM_COLS ", " API_SCOPE_SQL("mailbox", "mailbox")
		     " FROM voicemails WHERE id = ?", API_SCOPE_TYPES "t",
		     sc[0], sc[1], sc[2], sc[3], sc[4], id)) {
		json_decref(r.out);
		return EIO;
	}
	if (r.out && !r.in_scope) {
		json_decref(r.out);
		return EACCES;
	}
	v->vm = r.out;
	return v->vm ? 0 : ENOENT;
}

/* Answers visible's error; true when there was one. */
static bool refused(struct api_job *j)
{
	if (j->err == ENOENT)
		api_reply_error(j->req.conn, 404, "no such voicemail");
	else if (j->err == EACCES)
		api_reply_error(j->req.conn, 403, "outside your data scope");
	else if (j->err)
		api_reply_error(j->req.conn, 500, "cannot read voicemails");
	return j->err != 0;
}

static void one_work(struct api_job *j)
{
	j->err = visible((struct vm_job *)j);
}

static void audio_done(struct api_job *j)
{
	struct vm_job *v = (struct vm_job *)j;

	if (refused(j))
		return;
	api_send_file(&j->req, json_string_value(json_object_get(v->vm, "path")),
		      "audio/wav", "this voicemail has no audio");
}

void call_h_vm_audio(struct api_req *req)
{
	api_job_queue(vm_job(req, one_work, audio_done));
}

static void patch_work(struct api_job *j)
{
	struct vm_job *v = (struct vm_job *)j;

	j->err = visible(v);
	if (!j->err)
		v->store_failed = db_exec(api_house(&j->req)->db,
			"UPDATE voicemails SET heard = ? WHERE id = ?", "it",
			(int64_t)v->heard,
			json_string_value(json_object_get(v->vm, "id"))) != 0;
}

static void patch_done(struct api_job *j)
{
	struct vm_job *v = (struct vm_job *)j;

	if (refused(j))
		return;
	if (v->store_failed) {
		api_reply_error(j->req.conn, 500, "cannot store");
		return;
	}
	json_object_set_new(v->vm, "heard", json_boolean(v->heard));
	json_object_del(v->vm, "path");
	api_reply_json(j->req.conn, 200, NULL, json_incref(v->vm));
}

void call_h_vm_patch(struct api_req *req)
{
	json_t *body = NULL, *heard;
	struct vm_job *v;
	char why[256];

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	heard = json_object_get(body, "heard");
	if (!json_is_boolean(heard) || json_object_size(body) != 1) {
		json_decref(body);
		api_reply_error(req->conn, 400,
				"want {\"heard\": true|false} and nothing else");
		return;
	}
	v = vm_job(req, patch_work, patch_done);
	if (v)
		v->heard = json_is_true(heard);
	json_decref(body);
	api_job_queue(v);
}

static void delete_work(struct api_job *j)
{
	struct vm_job *v = (struct vm_job *)j;
	const char *rel;
	char path[1024];

	j->err = visible(v);
	if (j->err)
		return;
	if (db_exec(api_house(&j->req)->db, "DELETE FROM voicemails WHERE id = ?",
		    "t", json_string_value(json_object_get(v->vm, "id")))) {
		v->store_failed = true;
		return;
	}
	/* The row is gone first: a file left by a failed unlink is an orphan
	 * on disk, never a row pointing at nothing. */
	rel = json_string_value(json_object_get(v->vm, "path"));
	if (rel && !strstr(rel, "..") &&
	    snprintf(path, sizeof(path), "%s/%s", api_house(&j->req)->data_dir, rel) <
	    (int)sizeof(path) && unlink(path) && errno != ENOENT)
		log_warn("voicemail.unlink", "path=%s err=%s", path,
			 strerror(errno));
}

static void delete_done(struct api_job *j)
{
	struct vm_job *v = (struct vm_job *)j;

	if (refused(j))
		return;
	if (v->store_failed) {
		api_reply_error(j->req.conn, 500, "cannot delete");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, json_pack("{s:O, s:b}", "id",
		       json_object_get(v->vm, "id"), "deleted", 1));
}

void call_h_vm_delete(struct api_req *req)
{
	api_job_queue(vm_job(req, delete_work, delete_done));
}
