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
 * the terms are ANDed over title, body and tags. The status is indexed
 * too, so readers' queries keep to published articles inside the index.
 * Ranking is bm25 with the title weighing 10 times the body, tags 4,
 * over the newest RANK_POOL matches (kb_search says why). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/log.h"
#include "db/db.h"
#include "kb/kb_int.h"

/* Matches scored per search: the newest ones when more match. */
enum { RANK_POOL = 1000 };

/* Dropped first: a start that stopped half-way through creating them
 * left some without the others. */
static const char *const ddl[] = {
	"DROP TRIGGER IF EXISTS kb_fts_ai",
	"DROP TRIGGER IF EXISTS kb_fts_ad",
	"DROP TRIGGER IF EXISTS kb_fts_au",
	"DROP TABLE IF EXISTS kb_fts",
	"CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tags, status, "
	"content='kb_articles', content_rowid='rowid', "
	"tokenize='hotline_cjk')",
	"CREATE TRIGGER kb_fts_ai AFTER INSERT ON kb_articles BEGIN "
	"INSERT INTO kb_fts(rowid, title, body, tags, status) "
	"VALUES (new.rowid, new.title, new.body, new.tags, new.status); END",
	"CREATE TRIGGER kb_fts_ad AFTER DELETE ON kb_articles BEGIN "
	"INSERT INTO kb_fts(kb_fts, rowid, title, body, tags, status) "
	"VALUES ('delete', old.rowid, old.title, old.body, old.tags, "
	"old.status); END",
	"CREATE TRIGGER kb_fts_au AFTER UPDATE OF title, body, tags, status "
	"ON kb_articles BEGIN "
	"INSERT INTO kb_fts(kb_fts, rowid, title, body, tags, status) "
	"VALUES ('delete', old.rowid, old.title, old.body, old.tags, "
	"old.status); "
	"INSERT INTO kb_fts(rowid, title, body, tags, status) "
	"VALUES (new.rowid, new.title, new.body, new.tags, new.status); END",
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
	log_info("kb.index_created", "the search index is new, filled from "
		 "the articles");
	return 0;
}

/* terms as an FTS5 query: {title body tags} : ("t1" "t2" …), quotes
 * inside doubled, then AND status : published unless drafts. EINVAL when
 * no term has a letter, digit or non-ASCII character (an FTS5 phrase of no
 * tokens). */
static int fts_query(const struct kb_terms *t, bool drafts, char *out,
		     size_t n)
{
	static const char head[] = "{title body tags} : (";
	static const char tail[] = " AND status : published";
	size_t len = sizeof(head) - 1;
	bool any = false;

	memcpy(out, head, len);
	for (size_t i = 0; i < t->n; i++) {
		if (len + 2 * strlen(t->t[i]) + 4 + sizeof(tail) > n)
			return EINVAL;
		if (i)
			out[len++] = ' ';
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
	out[len++] = ')';
	out[len] = '\0';
	if (!drafts)
		strcat(out, tail);
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
	char match[KB_TERMS_MAX * (2 * KB_TERM_MAX + 4) + 64];

	if (kb_terms_parse(q, &terms) ||
	    fts_query(&terms, drafts, match, sizeof(match)))
		return EINVAL;
	/* The best rows are picked inside the index first, so only those
	 * few are read from kb_articles. bm25 costs a look-up per row it
	 * scores, and ORDER BY rank scores every match: a word most articles
	 * hold took 100-300 ms over 100,000 articles. So the index hands the
	 * newest RANK_POOL matches (ORDER BY rowid DESC: its own order, which
	 * stops after them), and only those are scored (under 15 ms). */
	return db_query(db, hit_row, &s,
		"SELECT a.id, a.title, a.body, a.status, a.category_id "
		"FROM (SELECT r, rk FROM (SELECT rowid AS r, rank AS rk "
		"FROM kb_fts WHERE kb_fts MATCH ? "
		"AND rank MATCH 'bm25(10.0, 1.0, 4.0, 0.0)' "
		"ORDER BY rowid DESC LIMIT ?) ORDER BY rk LIMIT ?) f "
		"JOIN kb_articles a ON a.rowid = f.r "
		"ORDER BY f.rk, a.id", "tii", match, (int64_t)RANK_POOL,
		(int64_t)limit);
}
