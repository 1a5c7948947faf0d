/* kb/http_cat: the category tree (知识树). Categories come flat, each
 * with its parent, in display order; the console builds the tree. A
 * category is deleted only when empty (no articles, no children), and no
 * change may put a category under itself. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kb/kb_int.h"

static const char *const cat_keys[] = {
	"id", "parent_id", "name", "i:position", "i:articles", NULL,
};

/* Counts the articles the caller sees (fact 2 of kb.h). */
#define CAT_SELECT "SELECT c.id, c.parent_id, c.name, c.position, " \
	"(SELECT COUNT(*) FROM kb_articles a WHERE a.category_id = c.id " \
	"AND (? = 1 OR a.status = 'published')) FROM kb_categories c "

static void list_work(struct kb_job *k)
{
	struct kb_rows r = {cat_keys, json_array()};

	if (!r.arr || db_query(k->db, kb_row_json, &r, CAT_SELECT
			       "ORDER BY c.position, c.name, c.id", "i",
			       (int64_t)k->editor)) {
		json_decref(r.arr);
		kb_fail(k, 500, "cannot read the categories");
		return;
	}
	k->out = json_pack("{s:o}", "items", r.arr);
}

void kb_h_cat_list(struct api_req *req)
{
	kb_job_run(req, list_work, NULL, 0);
}

/* The category id as it now stands, into k->out. */
static void reply_cat(struct kb_job *k, const char *id)
{
	struct kb_rows r = {cat_keys, json_array()};

	if (!r.arr || db_query(k->db, kb_row_json, &r, CAT_SELECT
			       "WHERE c.id = ?", "it", (int64_t)k->editor, id) ||
	    !json_array_size(r.arr)) {
		json_decref(r.arr);
		kb_fail(k, 500, "cannot read the category");
		return;
	}
	k->out = json_incref(json_array_get(r.arr, 0));
	json_decref(r.arr);
}

/* Checks body's fields; on the loop. create: name is required. */
static int check_body(const json_t *body, bool create, char *why, size_t n)
{
	const json_t *pos = json_object_get(body, "position");
	const char *s, *id;
	bool given;

	if ((create || json_object_get(body, "name")) &&
	    api_json_str(body, "name", KB_NAME_MAX, &s, why, n))
		return EINVAL;
	if (kb_opt_id(body, "parent_id", &given, &id, why, n))
		return EINVAL;
	if (pos && (!json_is_integer(pos) || json_integer_value(pos) < 0 ||
		    json_integer_value(pos) > 1000000)) {
		snprintf(why, n, "position: want 0..1000000");
		return EINVAL;
	}
	return 0;
}

static void create_work(struct kb_job *k)
{
	const char *name = json_string_value(json_object_get(k->in, "name"));
	const char *parent;
	char id[UTIL_ID_LEN];
	bool given, found;

	kb_opt_id(k->in, "parent_id", &given, &parent, k->why, sizeof(k->why));
	if (parent && (kb_exists(k->db, &found, "SELECT 1 FROM kb_categories "
				 "WHERE id = ?", parent) || !found)) {
		kb_fail(k, 400, "parent_id: no such category");
		return;
	}
	util_random_id(id);
	if (db_exec(k->db, "INSERT INTO kb_categories (id, parent_id, name, "
		    "position, created_at) VALUES (?, ?, ?, ?, ?)", "tttii", id,
		    parent, name, (int64_t)json_integer_value(
			    json_object_get(k->in, "position")),
		    util_now_ms())) {
		kb_fail(k, 500, "cannot store the category");
		return;
	}
	k->status = 201;
	reply_cat(k, id);
}

void kb_h_cat_create(struct api_req *req)
{
	kb_job_body(req, check_body, true, create_work);
}

static void update_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id"), *parent;
	const json_t *name = json_object_get(k->in, "name");
	const json_t *pos = json_object_get(k->in, "position");
	bool given, found, cycle = false;

	kb_opt_id(k->in, "parent_id", &given, &parent, k->why, sizeof(k->why));
	if (kb_exists(k->db, &found, "SELECT 1 FROM kb_categories WHERE id = ?",
		      id) || !found) {
		kb_fail(k, 404, "no such category");
		return;
	}
	if (parent && (kb_exists(k->db, &found, "SELECT 1 FROM kb_categories "
				 "WHERE id = ?", parent) || !found)) {
		kb_fail(k, 400, "parent_id: no such category");
		return;
	}
	/* The new parent and every category above it: id must be none. */
	if (parent && kb_exists2(k->db, &cycle,
		"WITH RECURSIVE up(id) AS (SELECT ? UNION "
		"SELECT c.parent_id FROM kb_categories c JOIN up "
		"ON c.id = up.id WHERE c.parent_id IS NOT NULL) "
		"SELECT 1 FROM up WHERE id = ?", parent, id)) {
		kb_fail(k, 500, "cannot read the categories");
		return;
	}
	if (cycle) {
		kb_fail(k, 400, "parent_id: would put the category under itself");
		return;
	}
	if (db_exec(k->db, "UPDATE kb_categories SET name = COALESCE(?, name), "
		    "position = CASE WHEN ? = 1 THEN ? ELSE position END, "
		    "parent_id = CASE WHEN ? = 1 THEN ? ELSE parent_id END "
		    "WHERE id = ?", "tiiitt", json_string_value(name),
		    (int64_t)(pos != NULL), (int64_t)json_integer_value(pos),
		    (int64_t)given, parent, id)) {
		kb_fail(k, 500, "cannot store the category");
		return;
	}
	reply_cat(k, id);
}

void kb_h_cat_update(struct api_req *req)
{
	kb_job_body(req, check_body, false, update_work);
}

static void delete_work(struct kb_job *k)
{
	const char *id = api_param(&k->j.req.params, "id");
	bool found, child, article;

	if (kb_exists(k->db, &found, "SELECT 1 FROM kb_categories WHERE id = ?",
		      id) || !found) {
		kb_fail(k, 404, "no such category");
		return;
	}
	if (kb_exists(k->db, &child, "SELECT 1 FROM kb_categories "
		      "WHERE parent_id = ? LIMIT 1", id) ||
	    kb_exists(k->db, &article, "SELECT 1 FROM kb_articles "
		      "WHERE category_id = ? LIMIT 1", id)) {
		kb_fail(k, 500, "cannot read the categories");
		return;
	}
	if (child || article) {
		kb_fail(k, 409, "the category still holds %s: move or delete "
			"them first", child ? "categories" : "articles");
		return;
	}
	if (db_exec(k->db, "DELETE FROM kb_categories WHERE id = ?", "t", id)) {
		kb_fail(k, 500, "cannot delete the category");
		return;
	}
	k->out = json_pack("{s:s, s:b}", "id", id, "deleted", 1);
}

void kb_h_cat_delete(struct api_req *req)
{
	kb_job_run(req, delete_work, NULL, 0);
}
