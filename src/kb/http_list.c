/* kb/http_list: the articles, without bodies, the newest change first,
 * keyset-paged on (updated_at, id) as /calls is: by category (with every
 * category below it), tag and status, drafts for editors only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kb/kb_int.h"

static const char *const list_keys[] = {ART_KEYS, NULL};

static void list_work(struct kb_job *k)
{
	const char *cat = k->a[0], *tag = k->a[1], *status = k->a[2];
	struct kb_rows r = {list_keys, json_array()};
	char c_id[UTIL_ID_LEN] = "";
	int64_t c_ts = INT64_MAX;
	size_t n;

	if (k->cursor[0])
		api_cursor_decode(k->cursor, &c_ts, c_id);
	if (!r.arr || db_query(k->db, kb_row_json, &r, "SELECT " ART_COLS
		" FROM kb_articles a WHERE (? = 1 OR a.status = 'published') "
		"AND (? = '' OR a.status = ?) "
		"AND (? = '' OR a.category_id IN (WITH RECURSIVE sub(id) AS "
		"(SELECT ? UNION SELECT c.id FROM kb_categories c JOIN sub "
		"ON c.parent_id = sub.id) SELECT id FROM sub)) "
		"AND (? = '' OR a.id IN (SELECT article_id FROM kb_article_tags "
		"WHERE tag = ?)) "
		"AND (a.updated_at < ? OR (a.updated_at = ? AND a.id < ?)) "
		"ORDER BY a.updated_at DESC, a.id DESC LIMIT ?", "ittttttiiti",
		(int64_t)k->editor, status, status, cat, cat, tag, tag, c_ts,
		c_ts, c_id, k->num + 1)) {
		json_decref(r.arr);
		kb_fail(k, 500, "cannot read the articles");
		return;
	}
	n = json_array_size(r.arr);
	if ((int64_t)n > k->num) {
		json_t *last = json_array_get(r.arr, n - 2);
		char next[API_CURSOR_LEN];

		api_cursor_encode(next, json_integer_value(json_object_get(
			last, "updated_at")), json_string_value(json_object_get(
			last, "id")));
		json_array_remove(r.arr, n - 1);
		k->out = json_pack("{s:o, s:s}", "items", r.arr, "next_cursor",
				   next);
	}
	else
		k->out = json_pack("{s:o, s:n}", "items", r.arr, "next_cursor");
}

void kb_h_article_list(struct api_req *req)
{
	char v[API_CURSOR_LEN] = "", id[UTIL_ID_LEN];
	char cat[UTIL_ID_LEN] = "", tag[KB_TAG_MAX + 1] = "", status[16] = "";
	struct kb_job *k;
	int64_t limit, ts;
	int err;

	if (kb_query_limit(req, 50, &limit))
		return;
	if (api_query_get(req->query, "category", cat, sizeof(cat)) == ENOSPC ||
	    api_query_get(req->query, "tag", tag, sizeof(tag)) == ENOSPC) {
		api_reply_error(req->conn, 400, "category or tag: too long");
		return;
	}
	err = api_query_get(req->query, "status", status, sizeof(status));
	if (err != ENOENT && (err || (strcmp(status, "draft") &&
				      strcmp(status, "published")))) {
		api_reply_error(req->conn, 400, "status: want draft or "
				"published");
		return;
	}
	if (!kb_is_editor(req) && !strcmp(status, "draft")) {
		api_reply_error(req->conn, 403, "status: drafts are for editors");
		return;
	}
	err = api_query_get(req->query, "cursor", v, sizeof(v));
	if (err != ENOENT && (err || api_cursor_decode(v, &ts, id))) {
		api_reply_error(req->conn, 400, "cursor: use next_cursor from "
				"the previous page");
		return;
	}
	k = kb_job_new(req, list_work, NULL, limit);
	if (!k)
		return;
	util_strlcpy(k->cursor, err ? "" : v, sizeof(k->cursor));
	util_strlcpy(k->a[0], cat, sizeof(k->a[0]));
	util_strlcpy(k->a[1], tag, sizeof(k->a[1]));
	util_strlcpy(k->a[2], status, sizeof(k->a[2]));
	kb_job_queue(k);
}
