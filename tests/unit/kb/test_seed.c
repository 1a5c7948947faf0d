/* kb/seed over a real SQLite file: the demo's articles go into an empty
 * knowledge base as an editor's first save would store them (row, version
 * 1, tag rows, the search index), and a knowledge base that has any
 * article — the seeded ones changed or deleted, or its own — is left as it
 * is. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "../tmpdb.h"
#include "kb/kb.h"

static const char *const tags_a[] = {"ivr:sales", "销售", NULL};
static const char *const tags_b[] = {"ivr:support", NULL};
static const struct kb_seed_article arts[] = {
	{"甲文章", "## 甲\n\n选购建议", "ivr:sales,销售", tags_a, "ed"},
	{"乙文章", "排查步骤", "ivr:support", tags_b, "ed"},
};

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(db_query(db, count_row, &n, sql, ""), 0);
	return n;
}

static int setup(void **state)
{
	struct tmpdb *t = calloc(1, sizeof(*t));

	if (!t || tmpdb_open(t, "kbseed"))
		return -1;
	*state = t;
	return db_exec(t->db, "INSERT INTO users (id, username, role, "
		       "password_hash, created_at) VALUES ('u-ed', 'ed', "
		       "'admin', 'x', 0)", "") ? -1 : 0;
}

static int teardown(void **state)
{
	struct tmpdb *t = *state;
	int r = tmpdb_close(t);

	free(t);
	return r;
}

static void seeds_an_empty_base(void **state)
{
	struct db *db = ((struct tmpdb *)*state)->db;

	assert_int_equal(kb_search_open(db), 0);
	assert_int_equal(kb_seed(db, arts, 2, 5000), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM kb_articles WHERE "
		"status = 'published' AND version = 1 AND created_by = 'u-ed' "
		"AND published_at = 5000 AND category_id IS NULL"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM kb_versions v JOIN "
		"kb_articles a ON a.id = v.article_id AND a.title = v.title AND "
		"a.body = v.body AND v.version = 1"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM kb_article_tags t "
		"JOIN kb_articles a ON a.id = t.article_id WHERE (a.title = "
		"'甲文章' AND t.tag IN ('ivr:sales', '销售')) OR (a.title = "
		"'乙文章' AND t.tag = 'ivr:support')"), 3);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM kb_fts WHERE kb_fts "
		"MATCH 'title:乙文'"), 1);
}

static void leaves_a_base_with_articles(void **state)
{
	struct db *db = ((struct tmpdb *)*state)->db;

	assert_int_equal(kb_seed(db, arts, 2, 5000), 0);
	assert_int_equal(db_exec(db, "UPDATE kb_articles SET title = '改名' "
				 "WHERE title = '甲文章'", ""), 0);
	assert_int_equal(kb_seed(db, arts, 2, 6000), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM kb_articles"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM kb_articles WHERE "
			       "title = '甲文章'"), 0);
	assert_int_equal(db_exec(db, "DELETE FROM kb_articles WHERE title = "
				 "'乙文章'", ""), 0);
	assert_int_equal(kb_seed(db, arts, 2, 7000), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM kb_articles"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(seeds_an_empty_base, setup,
						teardown),
		cmocka_unit_test_setup_teardown(leaves_a_base_with_articles,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
