/* kb/http_version: an article's saved versions, newest first, and any one
 * of them whole (editors only: a version may be a draft). */
#include <errno.h>
#include <stdio.h>
#include "kb/kb_int.h"

static const char *const list_keys[] = {
	"i:version", "title", "status", "category_id", "l:tags", "saved_by",
	"i:saved_at", NULL,
};
static const char *const full_keys[] = {
	"i:version", "title", "status", "category_id", "l:tags", "saved_by",
	"i:saved_at", "body", NULL,
};

static bool article_exists(struct kb_job *k, const char *id)
{
	bool found;

	if (kb_exists(k->db, &found, "SELECT 1 FROM kb_articles WHERE id = ?",
		      id)) {
		kb_fail(k, 500, "cannot read the article");
		return false;
	}
	if (!found)
		kb_fail(k, 404, "no such article");
	return found;
}

static void list_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	struct kb_rows r = {list_keys, json_array()};

	if (!r.arr || !article_exists(k, id) ||
	    db_query(k->db, kb_row_json, &r, "SELECT version, title, status, "
		     "category_id, tags, saved_by, saved_at FROM kb_versions "
		     "WHERE article_id = ? ORDER BY version DESC", "t", id)) {
		if (!k->why[0])
			kb_fail(k, 500, "cannot read the versions");
		json_decref(r.arr);
		return;
	}
	k->out = json_pack("{s:o}", "items", r.arr);
}

void kb_h_version_list(struct api_req *req)
{
	kb_job_run(req, list_work, NULL, 0);
}

static void get_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	struct kb_rows r = {full_keys, json_array()};

	if (!r.arr || !article_exists(k, id) ||
	    db_query(k->db, kb_row_json, &r, "SELECT version, title, status, "
		     "category_id, tags, saved_by, saved_at, body "
		     "FROM kb_versions WHERE article_id = ? AND version = ?",
		     "ti", id, k->num)) {
		if (!k->why[0])
			kb_fail(k, 500, "cannot read the version");
		json_decref(r.arr);
		return;
	}
	k->out = json_incref(json_array_get(r.arr, 0));
	json_decref(r.arr);
	if (!k->out)
		kb_fail(k, 404, "no such version");
}

void kb_h_version_get(struct api_req *req)
{
	uint64_t v;

	if (util_parse_u64(api_param(&req->params, "version"), 1, INT32_MAX,
			   &v)) {
		api_reply_error(req->conn, 400, "version: want a number from 1");
		return;
	}
	kb_job_run(req, get_work, NULL, (int64_t)v);
}
