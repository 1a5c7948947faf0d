/* kb/http_search: search (what an agent types while the customer talks)
 * and the most-read articles. Both show published articles only to
 * readers; search shows drafts to editors too, each result saying which. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kb/kb_int.h"

static int add_hit(const struct kb_hit *h, void *arg)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "id", h->id,
			      "title", h->title, "snippet", h->snippet,
			      "status", h->status, "category_id",
			      h->category_id);

	return json_array_append_new(arg, o) ? ENOMEM : 0;
}

static void search_work(struct kb_job *k)
{
	json_t *items = json_array();
	int err = items ? kb_search(k->db, k->a[0], k->editor, (size_t)k->num,
				    add_hit, items) : ENOMEM;

	if (err) {
		json_decref(items);
		if (err == EINVAL)
			kb_fail(k, 400, "q: nothing to search for");
		else
			kb_fail(k, 500, "cannot search");
		return;
	}
	k->out = json_pack("{s:o}", "items", items);
}

void kb_h_search(struct api_req *req)
{
	char q[KB_Q_MAX + 1];
	struct kb_terms t;
	struct kb_job *k;
	int64_t limit;
	int err;

	if (kb_query_limit(req, 20, &limit))
		return;
	err = api_query_get(req->query, "q", q, sizeof(q));
	if (err || kb_terms_parse(q, &t)) {
		api_reply_error(req->conn, 400, "q: want 1..%d words of at most "
				"%d bytes (%d bytes in all)", KB_TERMS_MAX,
				KB_TERM_MAX, KB_Q_MAX);
		return;
	}
	k = kb_job_new(req, search_work, NULL, limit);
	if (!k)
		return;
	util_strlcpy(k->a[0], q, sizeof(k->a[0]));
	kb_job_queue(k);
}

static const char *const pop_keys[] = {
	"id", "title", "category_id", "i:reads", "i:up", "i:down", NULL,
};

static void popular_work(struct kb_job *k)
{
	struct kb_rows r = {pop_keys, json_array()};

	if (!r.arr || db_query(k->db, kb_row_json, &r, "SELECT a.id, a.title, "
		"a.category_id, a.reads, (SELECT COUNT(*) FROM kb_votes v "
		"WHERE v.article_id = a.id AND v.useful = 1), (SELECT COUNT(*) "
		"FROM kb_votes v WHERE v.article_id = a.id AND v.useful = 0) "
		"FROM kb_articles a WHERE a.status = 'published' "
		"ORDER BY a.reads DESC, a.id LIMIT ?", "i", k->num)) {
		json_decref(r.arr);
		kb_fail(k, 500, "cannot read the articles");
		return;
	}
	k->out = json_pack("{s:o}", "items", r.arr);
}

void kb_h_popular(struct api_req *req)
{
	int64_t limit;

	if (!kb_query_limit(req, 10, &limit))
		kb_job_run(req, popular_work, NULL, limit);
}
