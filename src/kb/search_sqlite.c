/* kb/search_sqlite: SQLITE-SPECIFIC. The knowledge base's full-text index
 * (FTS5 over kb_articles) and every query that reads it; nothing else in
 * src/kb/ names FTS5, so the PostgreSQL backend replaces this file alone
 * (with its own text search) and the migrations stay portable.
 *
 * The index is external-content: it stores tokens only and reads titles
 * and bodies from kb_articles by rowid. Triggers on kb_articles keep it
 * current in the same transaction as every write, and fire only on the
 * columns indexed, so counting a read never re-indexes. The tokenizer is
 * db/fts_cjk.c's "hotline_cjk", registered on every connection.
 *
 * A query is never passed to FTS5 as written: each term becomes one quoted
 * string (a phrase of its tokens), so no user input is FTS5 syntax, and
 * the terms are ANDed. Ranking is bm25 with the title weighing 10 times
 * the body and tags 4 times. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/log.h"
#include "db/db.h"
#include "kb/kb_int.h"

/* Dropped first: a start that stopped half-way through creating them
 * left some without the others. */
static const char *const ddl[] = {
	"DROP TRIGGER IF EXISTS kb_fts_ai",
	"DROP TRIGGER IF EXISTS kb_fts_ad",
	"DROP TRIGGER IF EXISTS kb_fts_au",
	"DROP TABLE IF EXISTS kb_fts",
	"CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tags, "
	"content='kb_articles', content_rowid='rowid', "
	"tokenize='hotline_cjk')",
	"CREATE TRIGGER kb_fts_ai AFTER INSERT ON kb_articles BEGIN "
	"INSERT INTO kb_fts(rowid, title, body, tags) "
	"VALUES (new.rowid, new.title, new.body, new.tags); END",
	"CREATE TRIGGER kb_fts_ad AFTER DELETE ON kb_articles BEGIN "
	"INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) "
	"VALUES ('delete', old.rowid, old.title, old.body, old.tags); END",
	"CREATE TRIGGER kb_fts_au AFTER UPDATE OF title, body, tags "
	"ON kb_articles BEGIN "
	"INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) "
	"VALUES ('delete', old.rowid, old.title, old.body, old.tags); "
	"INSERT INTO kb_fts(rowid, title, body, tags) "
	"VALUES (new.rowid, new.title, new.body, new.tags); END",
	/* Articles written before the index existed. */
	"INSERT INTO kb_fts(kb_fts) VALUES ('rebuild')",
};

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

int kb_search_open(struct db *db)
{
	int64_t have = 0;
	int err;

	db_flush(db);
	err = db_query(db, count_row, &have, "SELECT COUNT(*) FROM "
		       "sqlite_master WHERE name IN ('kb_fts', 'kb_fts_ai', "
		       "'kb_fts_ad', 'kb_fts_au')", "");
	if (err || have == 4)
		return err ? EIO : 0;
	for (size_t i = 0; i < ARRAY_LEN(ddl); i++) {
		err = db_exec(db, ddl[i], "");
		if (err) {
			log_error("kb.index", "cannot create the search index: "
				  "step %zu", i);
			return EIO;
		}
	}
	return 0;
}

/* terms as an FTS5 query: "t1" "t2" …, quotes inside doubled. EINVAL when
 * no term has a letter, digit or non-ASCII character (an FTS5 phrase of no
 * tokens). */
static int fts_query(const struct kb_terms *t, char *out, size_t n)
{
	size_t len = 0;
	bool any = false;

	for (size_t i = 0; i < t->n; i++) {
		if (len + 2 * strlen(t->t[i]) + 4 > n)
			return EINVAL;
		out[len++] = i ? ' ' : '"';
		if (i)
			out[len++] = '"';
		for (const char *s = t->t[i]; *s; s++) {
			unsigned char c = (unsigned char)*s;

			any |= c >= 0x80 || (c >= '0' && c <= '9') ||
			       ((c | 32) >= 'a' && (c | 32) <= 'z');
			if (c == '"')
				out[len++] = '"';
			out[len++] = (char)c;
		}
		out[len++] = '"';
	}
	out[len] = '\0';
	return any ? 0 : EINVAL;
}

struct search {
	const struct kb_terms *terms;
	kb_hit_h *h;
	void *arg;
};

static int hit_row(const struct db_row *row, void *arg)
{
	struct search *s = arg;
	char snippet[KB_SNIPPET_MAX];
	struct kb_hit hit = {
		.id = db_row_text(row, 0), .title = db_row_text(row, 1),
		.status = db_row_text(row, 3), .category_id = db_row_text(row, 4),
		.snippet = snippet,
	};

	kb_snippet(db_row_text(row, 2), s->terms, snippet, sizeof(snippet));
	return s->h(&hit, s->arg);
}

int kb_search(struct db *db, const char *q, bool drafts, size_t limit,
	      kb_hit_h *h, void *arg)
{
	struct kb_terms terms;
	struct search s = {&terms, h, arg};
	char match[KB_TERMS_MAX * (2 * KB_TERM_MAX + 4) + 1];

	if (kb_terms_parse(q, &terms) || fts_query(&terms, match, sizeof(match)))
		return EINVAL;
	return db_query(db, hit_row, &s,
		"SELECT a.id, a.title, a.body, a.status, a.category_id "
		"FROM kb_fts JOIN kb_articles a ON a.rowid = kb_fts.rowid "
		"WHERE kb_fts MATCH ? AND (? = 1 OR a.status = 'published') "
		"ORDER BY bm25(kb_fts, 10.0, 1.0, 4.0), a.id LIMIT ?",
		"tii", match, (int64_t)drafts, (int64_t)limit);
}
