-- 029_kb: the knowledge base (知识库 / 知识树). Portable SQL: the search
-- index over these rows (FTS5) is SQLite's alone and lives in
-- src/kb/search_sqlite.c, created when the kb module starts.
CREATE TABLE kb_categories (
	id         TEXT PRIMARY KEY,              -- util_random_id
	parent_id  TEXT REFERENCES kb_categories(id),  -- NULL: a top category
	name       TEXT NOT NULL,
	position   INTEGER NOT NULL DEFAULT 0,    -- order among its siblings
	created_at INTEGER NOT NULL               -- Unix ms
);
CREATE INDEX kb_categories_parent ON kb_categories(parent_id);

-- The article as it stands; every save is also kept whole in kb_versions.
-- tags holds the article's tags joined by ',' (what the search indexes);
-- kb_article_tags has one row per tag for look-ups.
CREATE TABLE kb_articles (
	id           TEXT PRIMARY KEY,
	category_id  TEXT REFERENCES kb_categories(id),   -- NULL: uncategorised
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,                -- Markdown
	status       TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	tags         TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL,             -- the latest kb_versions row
	reads        INTEGER NOT NULL DEFAULT 0,
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_by   TEXT NOT NULL,
	updated_at   INTEGER NOT NULL,
	published_at INTEGER                       -- first publication
);
CREATE INDEX kb_articles_category ON kb_articles(category_id, updated_at);
CREATE INDEX kb_articles_updated ON kb_articles(updated_at, id);
CREATE INDEX kb_articles_reads ON kb_articles(reads);

CREATE TABLE kb_article_tags (
	article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
	tag        TEXT NOT NULL,
	PRIMARY KEY (article_id, tag)
);
CREATE INDEX kb_article_tags_tag ON kb_article_tags(tag);

CREATE TABLE kb_versions (
	article_id  TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
	version     INTEGER NOT NULL,              -- 1, 2, … per article
	title       TEXT NOT NULL,
	body        TEXT NOT NULL,
	status      TEXT NOT NULL,
	category_id TEXT,
	tags        TEXT NOT NULL,
	saved_by    TEXT NOT NULL,
	saved_at    INTEGER NOT NULL,
	PRIMARY KEY (article_id, version)
);

-- Links from an article to another article, a work order or a call: kind
-- names the owner of target (kb/ never reads the other modules' tables).
CREATE TABLE kb_links (
	article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL CHECK (kind IN ('article', 'work_order', 'call')),
	target     TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (article_id, kind, target)
);
CREATE INDEX kb_links_target ON kb_links(kind, target);

-- Was this useful: one vote per user and article (a second one replaces it).
CREATE TABLE kb_votes (
	article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL,
	useful     INTEGER NOT NULL CHECK (useful IN (0, 1)),
	voted_at   INTEGER NOT NULL,
	PRIMARY KEY (article_id, user_id)
);
