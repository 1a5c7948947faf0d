/* kb/http_article: articles. A save never overwrites: it adds the next
 * version to kb_versions and moves the article's row to it (fact 1 of
 * kb.h), refusing with 409 when the article moved on since the version
 * the editor started from ("version" in the body, when given). Reading a
 * published article counts a read, queued to the db writer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kb/kb_int.h"

static const char *const statuses[] = {"draft", "published", NULL};

static const char *const full_keys[] = {
	ART_KEYS, "body", "created_by", "i:created_at", "n:published_at", NULL,
};

/* The article id whole, or NULL (none, or a draft the caller may not
 * see). */
static json_t *read_full(struct kb_job *k, const char *id, int *err)
{
	struct kb_rows r = {full_keys, json_array()};
	json_t *a;

	*err = !r.arr ? ENOMEM : db_query(k->db, kb_row_json, &r,
		"SELECT " ART_COLS ", a.body, a.created_by, a.created_at, "
		"a.published_at FROM kb_articles a WHERE a.id = ? "
		"AND (? = 1 OR a.status = 'published')", "ti", id,
		(int64_t)k->editor);
	a = json_incref(json_array_get(r.arr, 0));
	json_decref(r.arr);
	return a;
}

static int tag_rows(struct db *db, const char *id, const char *tags)
{
	int err = db_exec(db, "DELETE FROM kb_article_tags WHERE article_id = ?",
			  "t", id);

	for (const char *s = tags; !err && *s; ) {
		const char *e = strchr(s, ',');
		char tag[KB_TAG_MAX + 1];
		size_t len = e ? (size_t)(e - s) : strlen(s);

		snprintf(tag, sizeof(tag), "%.*s", (int)len, s);
		err = db_exec(db, "INSERT INTO kb_article_tags (article_id, tag) "
			      "VALUES (?, ?) ON CONFLICT DO NOTHING", "tt", id,
			      tag);
		s += len + (e ? 1 : 0);
	}
	return err;
}

/* Checks body on the loop; create: title is required. */
static int check_body(const json_t *body, bool create, char *why, size_t n)
{
	const json_t *v;
	const char *s, *id;
	char tags[KB_TAGS_MAX * (KB_TAG_MAX + 1) + 1];
	bool given;

	if ((create || json_object_get(body, "title")) &&
	    api_json_str(body, "title", KB_TITLE_MAX, &s, why, n))
		return EINVAL;
	v = json_object_get(body, "body");
	if (v && (!json_is_string(v) || json_string_length(v) > KB_BODY_MAX)) {
		snprintf(why, n, "body: want Markdown text of at most %d bytes",
			 KB_BODY_MAX);
		return EINVAL;
	}
	v = json_object_get(body, "status");
	if (v && (!json_is_string(v) ||
		  (strcmp(json_string_value(v), statuses[0]) &&
		   strcmp(json_string_value(v), statuses[1])))) {
		snprintf(why, n, "status: want draft or published");
		return EINVAL;
	}
	v = json_object_get(body, "version");
	if (v && (create || !json_is_integer(v))) {
		snprintf(why, n, create ? "version: not when creating" :
			 "version: want the version the change starts from");
		return EINVAL;
	}
	if (kb_opt_id(body, "category_id", &given, &id, why, n))
		return EINVAL;
	return kb_tags_parse(body, tags, sizeof(tags), why, n) == EINVAL ?
	       EINVAL : 0;
}

static bool category_ok(struct kb_job *k, const char *cat)
{
	bool found;

	if (!cat)
		return true;
	if (kb_exists(k->db, &found, "SELECT 1 FROM kb_categories WHERE id = ?",
		      cat) || !found) {
		kb_fail(k, 400, "category_id: no such category");
		return false;
	}
	return true;
}

/* Stores version v of id as the article now is (after its row changed). */
static int keep_version(struct kb_job *k, const char *id, int64_t v)
{
	return db_exec(k->db, "INSERT INTO kb_versions (article_id, version, "
		"title, body, status, category_id, tags, saved_by, saved_at) "
		"SELECT id, version, title, body, status, category_id, tags, "
		"updated_by, updated_at FROM kb_articles WHERE id = ? "
		"AND version = ?", "ti", id, v);
}

static void create_work(struct kb_job *k)
{
	const json_t *in = k->in;
	const char *body = json_string_value(json_object_get(in, "body"));
	const char *status = json_string_value(json_object_get(in, "status"));
	const char *cat, *by = k->j.req.user.username;
	char id[UTIL_ID_LEN], tags[KB_TAGS_MAX * (KB_TAG_MAX + 1) + 1];
	int64_t now = util_now_ms();
	bool given;
	int err;

	kb_opt_id(in, "category_id", &given, &cat, k->why, sizeof(k->why));
	kb_tags_parse(in, tags, sizeof(tags), k->why, sizeof(k->why));
	k->why[0] = '\0';
	if (!category_ok(k, cat))
		return;
	status = status ? status : "draft";
	util_random_id(id);
	if (db_exec(k->db, "INSERT INTO kb_articles (id, category_id, title, "
		    "body, status, tags, version, created_by, created_at, "
		    "updated_by, updated_at, published_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, "
		    "CASE WHEN ? = 'published' THEN ? END)", "tttttttititi",
		    id, cat, json_string_value(json_object_get(in, "title")),
		    body ? body : "", status, tags, by, now, by, now, status,
		    now) ||
	    keep_version(k, id, 1) || tag_rows(k->db, id, tags)) {
		kb_fail(k, 500, "cannot store the article");
		return;
	}
	k->status = 201;
	k->out = read_full(k, id, &err);
	if (!k->out)
		kb_fail(k, 500, "cannot read the article");
}

void kb_h_article_create(struct api_req *req)
{
	kb_job_body(req, check_body, true, create_work);
}

/* ---- one article, with its links and the caller's vote */

static const char *const link_keys[] = {
	"kind", "target", "title", "created_by", "i:created_at", NULL,
};
static const char *const from_keys[] = {"id", "title", NULL};

static int vote_row(const struct db_row *row, void *arg)
{
	*(json_t **)arg = json_string(db_row_int(row, 0) ? "up" : "down");
	return 0;
}

static void get_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	struct kb_rows links = {link_keys, json_array()};
	struct kb_rows from = {from_keys, json_array()};
	json_t *mine = NULL;
	int err;

	k->out = read_full(k, id, &err);
	if (!err && !k->out) {
		kb_fail(k, 404, "no such article");
		goto out;
	}
	/* Titles of linked articles the caller may see; others stay bare. */
	if (err || !links.arr || !from.arr ||
	    db_query(k->db, kb_row_json, &links, "SELECT l.kind, l.target, "
		     "(SELECT t.title FROM kb_articles t WHERE l.kind = 'article' "
		     "AND t.id = l.target AND (? = 1 OR t.status = 'published')), "
		     "l.created_by, l.created_at FROM kb_links l "
		     "WHERE l.article_id = ? ORDER BY l.created_at, l.kind, "
		     "l.target", "it", (int64_t)k->editor, id) ||
	    db_query(k->db, kb_row_json, &from, "SELECT a.id, a.title "
		     "FROM kb_links l JOIN kb_articles a ON a.id = l.article_id "
		     "WHERE l.kind = 'article' AND l.target = ? "
		     "AND (? = 1 OR a.status = 'published') ORDER BY a.title",
		     "ti", id, (int64_t)k->editor) ||
	    db_query(k->db, vote_row, &mine, "SELECT useful FROM kb_votes "
		     "WHERE article_id = ? AND user_id = ?", "tt", id,
		     k->j.req.user.id)) {
		kb_fail(k, 500, "cannot read the article");
		goto out;
	}
	/* The read counted below is this one. */
	json_object_set_new(k->out, "reads", json_integer(json_integer_value(
		json_object_get(k->out, "reads")) + 1));
	json_object_set(k->out, "links", links.arr);
	json_object_set(k->out, "linked_from", from.arr);
	json_object_set_new(k->out, "my_vote", mine ? mine : json_null());
	mine = NULL;
	/* Committed before the answer (this is a worker): the reader's next
	 * GET must count this read, which a queued write may not yet have. */
	db_exec(k->db, "UPDATE kb_articles SET reads = reads + 1 WHERE id = ?",
		"t", id);
out:
	json_decref(mine);
	json_decref(links.arr);
	json_decref(from.arr);
}

void kb_h_article_get(struct api_req *req)
{
	kb_job_run(req, get_work, NULL, 0);
}

/* ---- save: the next version */

static const char *const cur_keys[] = {
	"i:version", "title", "body", "status", "category_id", "tags", NULL,
};

static const char *field_or(const json_t *in, const json_t *cur,
			    const char *key)
{
	const json_t *v = json_object_get(in, key);

	return json_string_value(v ? v : json_object_get(cur, key));
}

static void update_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	const json_t *in = k->in, *want = json_object_get(in, "version");
	struct kb_rows r = {cur_keys, json_array()};
	char tags[KB_TAGS_MAX * (KB_TAG_MAX + 1) + 1];
	const char *cat, *status, *by = k->j.req.user.username;
	int64_t v, now = util_now_ms();
	json_t *cur;
	bool given;
	int err;

	if (!r.arr || db_query(k->db, kb_row_json, &r, "SELECT version, title, "
			       "body, status, category_id, tags FROM kb_articles "
			       "WHERE id = ?", "t", id)) {
		json_decref(r.arr);
		kb_fail(k, 500, "cannot read the article");
		return;
	}
	cur = json_array_get(r.arr, 0);
	if (!cur) {
		json_decref(r.arr);
		kb_fail(k, 404, "no such article");
		return;
	}
	v = json_integer_value(json_object_get(cur, "version"));
	if (want && json_integer_value(want) != v) {
		json_decref(r.arr);
		kb_fail(k, 409, "version: the article is at version %lld now, "
			"not %lld: reload it", (long long)v,
			(long long)json_integer_value(want));
		return;
	}
	kb_opt_id(in, "category_id", &given, &cat, k->why, sizeof(k->why));
	if (!given)
		cat = json_string_value(json_object_get(cur, "category_id"));
	if (kb_tags_parse(in, tags, sizeof(tags), k->why, sizeof(k->why)))
		util_strlcpy(tags, json_string_value(json_object_get(cur,
			     "tags")), sizeof(tags));
	k->why[0] = '\0';
	if (given && !category_ok(k, cat)) {
		json_decref(r.arr);
		return;
	}
	status = field_or(in, cur, "status");
	/* Only a row still at version v moves on: a concurrent save that got
	 * there first leaves this one changing nothing, found below. */
	err = db_exec(k->db, "UPDATE kb_articles SET title = ?, body = ?, "
		"status = ?, category_id = ?, tags = ?, version = ?, "
		"updated_by = ?, updated_at = ?, published_at = CASE WHEN "
		"published_at IS NULL AND ? = 'published' THEN ? "
		"ELSE published_at END WHERE id = ? AND version = ?",
		"tttttitititi", field_or(in, cur, "title"),
		field_or(in, cur, "body"), status, cat, tags, v + 1, by, now,
		status, now, id, v);
	json_decref(r.arr);
	if (!err)
		err = keep_version(k, id, v + 1);
	if (err) {
		kb_fail(k, 409, "version: the article changed meanwhile: "
			"reload it");
		return;
	}
	if (tag_rows(k->db, id, tags)) {
		kb_fail(k, 500, "cannot store the tags");
		return;
	}
	k->out = read_full(k, id, &err);
	if (!k->out)
		kb_fail(k, 500, "cannot read the article");
}

void kb_h_article_update(struct api_req *req)
{
	kb_job_body(req, check_body, false, update_work);
}

static void delete_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	bool found;

	if (kb_exists(k->db, &found, "SELECT 1 FROM kb_articles WHERE id = ?",
		      id) || !found) {
		kb_fail(k, 404, "no such article");
		return;
	}
	/* Its versions, tags, votes and own links go with it (ON DELETE
	 * CASCADE); links to it from other articles are removed here. */
	if (db_exec(k->db, "DELETE FROM kb_links WHERE kind = 'article' "
		    "AND target = ?", "t", id) ||
	    db_exec(k->db, "DELETE FROM kb_articles WHERE id = ?", "t", id)) {
		kb_fail(k, 500, "cannot delete the article");
		return;
	}
	k->out = json_pack("{s:s, s:b}", "id", id, "deleted", 1);
}

void kb_h_article_delete(struct api_req *req)
{
	kb_job_run(req, delete_work, NULL, 0);
}
