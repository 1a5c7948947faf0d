/* kb/seed: provisioning for the demo tenant — published articles stored
 * as an editor's first save would store them (the row, its version 1, its
 * tag rows: fact 1), into an empty knowledge base only: the tenant's first
 * start gets them, and a later start leaves the knowledge base as its
 * editors left it (an article changed, retitled or deleted stays so). The
 * search index is filled from them when it is made, or follows them by
 * its triggers. Synchronous (db_exec): start-up only. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "base/util.h"
#include "db/db.h"
#include "kb/kb.h"

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static int seed_one(struct db *db, const struct kb_seed_article *a,
		    int64_t now)
{
	char id[UTIL_ID_LEN];
	int err;

	util_random_id(id);
	err = db_exec(db, "INSERT INTO kb_articles (id, category_id, title, "
		"body, status, tags, version, created_by, created_at, "
		"updated_by, updated_at, published_at) SELECT ?, NULL, ?, ?, "
		"'published', ?, 1, u.id, ?, u.id, ?, ? FROM users u WHERE "
		"u.username = ?", "ttttiiit", id, a->title, a->body, a->tags,
		now, now, now, a->by);
	err = err ? err : db_exec(db, "INSERT INTO kb_versions (article_id, "
		"version, title, body, status, category_id, tags, saved_by, "
		"saved_at) SELECT id, version, title, body, status, "
		"category_id, tags, updated_by, updated_at FROM kb_articles "
		"WHERE id = ?", "t", id);
	for (const char *const *t = a->tag_list; !err && *t; t++)
		err = db_exec(db, "INSERT INTO kb_article_tags (article_id, "
			      "tag) SELECT id, ? FROM kb_articles WHERE id = ?",
			      "tt", *t, id);
	return err;
}

int kb_seed(struct db *db, const struct kb_seed_article *a, size_t n,
	    int64_t now)
{
	int64_t have = 0;
	int err = db_query(db, count_row, &have, "SELECT COUNT(*) FROM "
			   "kb_articles", "");

	for (size_t i = 0; !err && !have && i < n; i++)
		err = seed_one(db, &a[i], now);
	return err ? EIO : 0;
}
