/* kb/http_social: what people add to an article. A was-this-useful vote,
 * one per user and article (voting again replaces it), by anyone who may
 * read the article; and links from it to another article, a work order or
 * a call (kind + id: kb/ checks an article exists, and takes other
 * modules' ids as given, never reading their tables), which the work-order
 * and call pages find again through GET /api/v1/kb/links. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kb/kb_int.h"

static const char *const kinds[] = {"article", "work_order", "call", NULL};

static bool kind_ok(const char *k)
{
	for (size_t i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], k))
			return true;
	return false;
}

/* An id of another module: 1..64 of letters, digits, '-', '_', '.', ':'. */
static bool target_ok(const char *t)
{
	size_t len = strlen(t);

	return len && len <= 64 && strspn(t, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == len;
}

/* Whether the caller may see article id; 404 or 500 set when not. */
static bool visible(struct kb_job *k, const char *id)
{
	bool found;

	if (kb_exists2(k->db, &found, "SELECT 1 FROM kb_articles WHERE id = ? "
		       "AND (? = 'editor' OR status = 'published')", id,
		       k->editor ? "editor" : "reader")) {
		kb_fail(k, 500, "cannot read the article");
		return false;
	}
	if (!found)
		kb_fail(k, 404, "no such article");
	return found;
}

static const char *const vote_keys[] = {"i:up", "i:down", NULL};

static void vote_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	struct kb_rows r = {vote_keys, NULL};

	if (!visible(k, id))
		return;
	if (db_exec(k->db, "INSERT INTO kb_votes (article_id, user_id, useful, "
		    "voted_at) VALUES (?, ?, ?, ?) ON CONFLICT (article_id, "
		    "user_id) DO UPDATE SET useful = excluded.useful, "
		    "voted_at = excluded.voted_at", "ttii", id,
		    k->j.req.user.id, k->num, util_now_ms())) {
		kb_fail(k, 500, "cannot store the vote");
		return;
	}
	r.arr = json_array();
	if (!r.arr || db_query(k->db, kb_row_json, &r, "SELECT "
		"COALESCE(SUM(useful), 0), COUNT(*) - COALESCE(SUM(useful), 0) "
		"FROM kb_votes WHERE article_id = ?", "t", id)) {
		json_decref(r.arr);
		kb_fail(k, 500, "cannot read the votes");
		return;
	}
	k->out = json_incref(json_array_get(r.arr, 0));
	json_decref(r.arr);
	json_object_set_new(k->out, "my_vote", json_string(k->num ? "up" :
							     "down"));
}

void kb_h_vote(struct api_req *req)
{
	json_t *body = NULL;
	const json_t *v;
	char why[256];

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	v = json_object_get(body, "useful");
	if (!json_is_boolean(v)) {
		json_decref(body);
		api_reply_error(req->conn, 400, "useful: want true or false");
		return;
	}
	kb_job_run(req, vote_work, NULL, json_is_true(v));
	json_decref(body);
}

/* ---- links */

static void link_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	const char *kind = k->a[0], *target = k->a[1];
	bool found;

	if (!visible(k, id))
		return;
	if (!strcmp(kind, "article")) {
		if (!strcmp(target, id)) {
			kb_fail(k, 400, "target: an article cannot link to "
				"itself");
			return;
		}
		if (kb_exists(k->db, &found, "SELECT 1 FROM kb_articles "
			      "WHERE id = ?", target) || !found) {
			kb_fail(k, 400, "target: no such article");
			return;
		}
	}
	if (db_exec(k->db, "INSERT INTO kb_links (article_id, kind, target, "
		    "created_by, created_at) VALUES (?, ?, ?, ?, ?) "
		    "ON CONFLICT DO NOTHING", "tttti", id,
		    kind, target, k->j.req.user.username, util_now_ms())) {
		kb_fail(k, 500, "cannot store the link");
		return;
	}
	k->status = 201;
	k->out = json_pack("{s:s, s:s, s:s}", "article_id", id, "kind", kind,
			   "target", target);
}

void kb_h_link_add(struct api_req *req)
{
	json_t *body = NULL;
	const char *kind, *target;
	struct kb_job *k;
	char why[256];

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "kind", 16, &kind, why, sizeof(why)) ||
	    api_json_str(body, "target", 64, &target, why, sizeof(why))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	if (!kind_ok(kind) || !target_ok(target)) {
		api_reply_error(req->conn, 400, !kind_ok(kind) ?
				"kind: want article, work_order or call" :
				"target: want 1..64 letters, digits, '-', "
				"'_', '.' or ':'");
		json_decref(body);
		return;
	}
	k = kb_job_new(req, link_work, NULL, 0);
	if (k) {
		util_strlcpy(k->a[0], kind, sizeof(k->a[0]));
		util_strlcpy(k->a[1], target, sizeof(k->a[1]));
		kb_job_queue(k);
	}
	json_decref(body);
}

static void unlink_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	const char *kind = api_param(&k->j.req.params, "kind");
	const char *target = api_param(&k->j.req.params, "target");
	bool found;

	if (kb_exists2(k->db, &found, "SELECT 1 FROM kb_links WHERE "
		       "article_id = ? AND kind || '/' || target = ?", id,
		       k->a[0]) || !found) {
		kb_fail(k, 404, "no such link");
		return;
	}
	if (db_exec(k->db, "DELETE FROM kb_links WHERE article_id = ? "
		    "AND kind = ? AND target = ?", "ttt", id, kind, target)) {
		kb_fail(k, 500, "cannot delete the link");
		return;
	}
	k->out = json_pack("{s:s, s:s, s:s, s:b}", "article_id", id, "kind",
			   kind, "target", target, "deleted", 1);
}

void kb_h_link_delete(struct api_req *req)
{
	struct kb_job *k = kb_job_new(req, unlink_work, NULL, 0);

	if (!k)
		return;
	snprintf(k->a[0], sizeof(k->a[0]), "%s/%s",
		 api_param(&req->params, "kind"),
		 api_param(&req->params, "target"));
	kb_job_queue(k);
}

static const char *const of_keys[] = {"id", "title", "status", NULL};

static void links_of_work(struct kb_job *k)
{
	struct kb_rows r = {of_keys, json_array()};

	if (!r.arr || db_query(k->db, kb_row_json, &r, "SELECT a.id, a.title, "
		"a.status FROM kb_links l JOIN kb_articles a ON a.id = "
		"l.article_id WHERE l.kind = ? AND l.target = ? AND (? = 1 OR "
		"a.status = 'published') ORDER BY l.created_at, a.id", "tti",
		k->a[0], k->a[1], (int64_t)k->editor)) {
		json_decref(r.arr);
		kb_fail(k, 500, "cannot read the links");
		return;
	}
	k->out = json_pack("{s:o}", "items", r.arr);
}

void kb_h_links_of(struct api_req *req)
{
	char kind[16] = "", target[72] = "";
	struct kb_job *k;

	if (api_query_get(req->query, "kind", kind, sizeof(kind)) ||
	    !kind_ok(kind)) {
		api_reply_error(req->conn, 400, "kind: want article, work_order "
				"or call");
		return;
	}
	if (api_query_get(req->query, "target", target, sizeof(target)) ||
	    !target_ok(target)) {
		api_reply_error(req->conn, 400, "target: want the id linked to");
		return;
	}
	k = kb_job_new(req, links_of_work, NULL, 0);
	if (!k)
		return;
	util_strlcpy(k->a[0], kind, sizeof(k->a[0]));
	util_strlcpy(k->a[1], target, sizeof(k->a[1]));
	kb_job_queue(k);
}
