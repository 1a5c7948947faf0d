/* api/voicemail: the messages callers left in mailboxes. An agent sees and
 * handles only the mailbox of their own extension; supervisors and admins
 * every mailbox. A message is listed newest first, played with Range like
 * a recording, marked heard, or deleted (row and file). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "api/api_int.h"
#include "base/log.h"
#include "db/db.h"

enum { LIST_MAX = 500, LIST_DEFAULT = 100 };

#define VM_COLS "id, mailbox, call_id, caller, queue, created_at, " \
		"duration_ms, path, heard"

/* 1 when the caller may see only their own extension's mailbox. */
static int64_t own_only(const struct api_req *req)
{
	return req->user.role_bit == API_R_AGENT;
}

static json_t *vm_json(const struct db_row *row)
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
	return o;
}

static int list_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, vm_json(row)) ? ENOMEM : 0;
}

void api_h_voicemails(struct api_req *req)
{
	char box[32] = "", lim[16] = "";
	uint64_t limit = LIST_DEFAULT;
	json_t *items = json_array();

	if (!items) {
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	(void)api_query_get(req->query, "mailbox", box, sizeof(box));
	if (!api_query_get(req->query, "limit", lim, sizeof(lim)) &&
	    util_parse_u64(lim, 1, LIST_MAX, &limit)) {
		json_decref(items);
		api_reply_error(req->conn, 400, "limit: want 1..%d", LIST_MAX);
		return;
	}
	if (db_query(req->api->db, list_row, items,
		     "SELECT " VM_COLS " FROM voicemails"
		     " WHERE (? = '' OR mailbox = ?) AND (? = 0 OR mailbox = ?)"
		     " ORDER BY created_at DESC, id LIMIT ?", "ttiti",
		     box, box, own_only(req), req->user.ext, (int64_t)limit)) {
		json_decref(items);
		api_reply_error(req->conn, 500, "cannot read voicemails");
		return;
	}
	api_reply_json(req->conn, 200, NULL,
		       json_pack("{s:o}", "voicemails", items));
}

static int one_row(const struct db_row *row, void *arg)
{
	json_t **out = arg;

	*out = vm_json(row);
	if (*out)
		json_object_set_new(*out, "path",
				    json_string(db_row_text(row, 7)));
	return *out ? 0 : ENOMEM;
}

/* The message named by {id} if the caller may see it (with its "path");
 * otherwise answers and returns NULL. */
static json_t *visible(struct api_req *req)
{
	const char *id = api_param(&req->params, "id");
	json_t *vm = NULL;

	if (db_query(req->api->db, one_row, &vm,
		     "SELECT " VM_COLS " FROM voicemails WHERE id = ?"
		     " AND (? = 0 OR mailbox = ?)", "tit", id, own_only(req),
		     req->user.ext)) {
		json_decref(vm);
		api_reply_error(req->conn, 500, "cannot read voicemails");
		return NULL;
	}
	if (!vm)
		api_reply_error(req->conn, 404, "no such voicemail");
	return vm;
}

void api_h_voicemail_audio(struct api_req *req)
{
	json_t *vm = visible(req);

	if (!vm)
		return;
	api_send_file(req, json_string_value(json_object_get(vm, "path")),
		      "audio/wav", "this voicemail has no audio");
	json_decref(vm);
}

void api_h_voicemail_patch(struct api_req *req)
{
	json_t *vm, *body = NULL, *heard;
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
	vm = visible(req);
	if (!vm) {
		json_decref(body);
		return;
	}
	if (db_exec(req->api->db, "UPDATE voicemails SET heard = ? WHERE id = ?",
		    "it", (int64_t)json_is_true(heard),
		    json_string_value(json_object_get(vm, "id")))) {
		json_decref(body);
		json_decref(vm);
		api_reply_error(req->conn, 500, "cannot store");
		return;
	}
	json_object_set(vm, "heard", heard);
	json_object_del(vm, "path");
	json_decref(body);
	api_reply_json(req->conn, 200, NULL, vm);
}

void api_h_voicemail_delete(struct api_req *req)
{
	json_t *vm = visible(req);
	const char *rel;
	char path[1024];

	if (!vm)
		return;
	if (db_exec(req->api->db, "DELETE FROM voicemails WHERE id = ?", "t",
		    json_string_value(json_object_get(vm, "id")))) {
		json_decref(vm);
		api_reply_error(req->conn, 500, "cannot delete");
		return;
	}
	/* The row is gone first: a file left by a failed unlink is an orphan
	 * on disk, never a row pointing at nothing. */
	rel = json_string_value(json_object_get(vm, "path"));
	if (rel && !strstr(rel, "..") &&
	    snprintf(path, sizeof(path), "%s/%s", req->api->data_dir, rel) <
	    (int)sizeof(path) && unlink(path) && errno != ENOENT)
		log_warn("voicemail.unlink", "path=%s err=%s", path,
			 strerror(errno));
	api_reply_json(req->conn, 200, NULL, json_pack("{s:O, s:b}", "id",
		       json_object_get(vm, "id"), "deleted", 1));
	json_decref(vm);
}
