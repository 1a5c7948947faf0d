/* api/dids: the numbers callers dial and where each leads (路由): an
 * extension or a queue, with the priority a queue's callers get from it (a
 * VIP line is answered before the others). Changes are checked whole — the
 * number's form, the kind, that the extension or queue exists, the
 * priority's range — and stored synchronously, so the next INVITE routes
 * by them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/api_int.h"
#include "db/db.h"
#include "queue/queue.h"

enum { DID_MAX = 31, TARGET_MAX = 31, DESC_MAX = 200, PRIO_MAX = 100 };

static json_t *did_json(const struct db_row *row)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I}", "did",
			 db_row_text(row, 0), "target_kind", db_row_text(row, 1),
			 "target", db_row_text(row, 2),
			 "description", db_row_text(row, 3),
			 "priority", (json_int_t)db_row_int(row, 4));
}

static int list_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, did_json(row)) ? ENOMEM : 0;
}

static int one_row(const struct db_row *row, void *arg)
{
	*(json_t **)arg = did_json(row);
	return 0;
}

static int found_row(const struct db_row *row, void *arg)
{
	(void)row;
	*(bool *)arg = true;
	return 0;
}

void api_h_dids(struct api_req *req)
{
	json_t *items = json_array();

	if (!items || db_query(req->api->db, list_row, items,
			       "SELECT did, target_kind, target, description,"
			       " priority FROM dids ORDER BY did", "")) {
		json_decref(items);
		api_reply_error(req->conn, 500, "cannot read DIDs");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

static bool did_ok(const char *did)
{
	size_t len = strlen(did);
	const char *digits = did[0] == '+' ? did + 1 : did;

	return len > 0 && len <= DID_MAX && *digits &&
		strspn(digits, "0123456789") == strlen(digits);
}

/* Checks body whole; 0, or EINVAL with why naming the field. */
static int check(struct api_req *req, const json_t *body, const char **kind,
		 const char **target, const char **desc, json_int_t *prio,
		 char *why, size_t n)
{
	const json_t *d = json_object_get(body, "description");
	const json_t *p = json_object_get(body, "priority");
	const char *key;
	json_t *v;
	bool found = false;

	json_object_foreach((json_t *)body, key, v) {
		if (strcmp(key, "target_kind") && strcmp(key, "target") &&
		    strcmp(key, "description") && strcmp(key, "priority") &&
		    strcmp(key, "did")) {
			snprintf(why, n, "%s: unknown field", key);
			return EINVAL;
		}
	}
	if (api_json_str(body, "target_kind", 16, kind, why, n) ||
	    api_json_str(body, "target", TARGET_MAX, target, why, n))
		return EINVAL;
	if (strcmp(*kind, "extension") && strcmp(*kind, "queue")) {
		snprintf(why, n, "target_kind: want \"extension\" or \"queue\"");
		return EINVAL;
	}
	*desc = "";
	if (d && (!json_is_string(d) || json_string_length(d) > DESC_MAX)) {
		snprintf(why, n, "description: want a string of at most %d "
			 "bytes", DESC_MAX);
		return EINVAL;
	}
	if (d)
		*desc = json_string_value(d);
	*prio = 0;
	if (p && (!json_is_integer(p) || json_integer_value(p) < 0 ||
		  json_integer_value(p) > PRIO_MAX)) {
		snprintf(why, n, "priority: want an integer 0..%d", PRIO_MAX);
		return EINVAL;
	}
	if (p)
		*prio = json_integer_value(p);
	if (!strcmp(*kind, "extension"))
		(void)db_query(req->api->db, found_row, &found,
			       "SELECT 1 FROM extensions WHERE ext = ?", "t",
			       *target);
	else if (req->api->queues) {
		json_t *q = NULL;
		found = !queue_cfg_get(req->api->queues, *target, &q);
		json_decref(q);
	}
	if (!found) {
		snprintf(why, n, "target: no %s %s", *kind, *target);
		return EINVAL;
	}
	return 0;
}

void api_h_did_put(struct api_req *req)
{
	const char *did = api_param(&req->params, "did");
	const char *kind, *target, *desc;
	json_t *body = NULL, *out = NULL;
	json_int_t prio;
	char why[256];

	if (!did_ok(did)) {
		api_reply_error(req->conn, 400, "did: want 1..%d digits, "
				"optionally after a +", DID_MAX);
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    check(req, body, &kind, &target, &desc, &prio, why, sizeof(why))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	if (db_exec(req->api->db,
		    "INSERT INTO dids (did, target_kind, target, description,"
		    " priority, created_at) VALUES (?, ?, ?, ?, ?, ?)"
		    " ON CONFLICT(did) DO UPDATE SET target_kind ="
		    " excluded.target_kind, target = excluded.target,"
		    " description = excluded.description,"
		    " priority = excluded.priority", "ttttii", did, kind, target,
		    desc, (int64_t)prio, util_now_ms()) ||
	    db_query(req->api->db, one_row, &out,
		     "SELECT did, target_kind, target, description, priority"
		     " FROM dids WHERE did = ?", "t", did) || !out) {
		json_decref(body);
		json_decref(out);
		api_reply_error(req->conn, 500, "cannot store the DID");
		return;
	}
	json_decref(body);
	api_reply_json(req->conn, 200, NULL, out);
}

void api_h_did_delete(struct api_req *req)
{
	const char *did = api_param(&req->params, "did");
	bool found = false;

	if (db_query(req->api->db, found_row, &found,
		     "SELECT 1 FROM dids WHERE did = ?", "t", did)) {
		api_reply_error(req->conn, 500, "cannot read DIDs");
		return;
	}
	if (!found) {
		api_reply_error(req->conn, 404, "no such DID");
		return;
	}
	if (db_exec(req->api->db, "DELETE FROM dids WHERE did = ?", "t", did)) {
		api_reply_error(req->conn, 500, "cannot delete the DID");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:s, s:b}", "did", did,
						       "deleted", 1));
}
