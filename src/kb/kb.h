/* kb: the knowledge base (知识库 / 知识树) agents search while they talk:
 * a tree of categories, Markdown articles with drafts, versions and
 * publishing, tags, links to other articles, work orders and calls, a
 * was-this-useful vote and a read counter; full-text search that works
 * for Chinese (db/fts_cjk.c), ranked, with highlighted snippets.
 *
 * Facts that always hold:
 *  (1) Every save of an article is kept whole in kb_versions: the article's
 *      row equals its latest version there.
 *  (2) Drafts are seen by editors only (KB_EDITORS); everyone else sees
 *      published articles, in lists, reads, search and popular alike.
 *  (3) Nothing here reads the database on the loop: handlers run their
 *      reads and writes as api jobs on the worker pool.
 *  (4) A snippet is HTML-escaped text in which only <mark>…</mark> is
 *      markup, so a client may show it as HTML. */
#ifndef HL_KB_H
#define HL_KB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct mod_export;

extern const struct mod_export kb_module;

/* Who writes the knowledge base: admin, supervisor, back office, QA. */
#define KB_EDITORS (API_R_ADMIN | API_R_SUPERVISOR | API_R_BACKOFFICE | \
		    API_R_QA)

/* One search result; valid during the handler's call only. */
struct kb_hit {
	const char *id;
	const char *title;
	const char *snippet;      /* fact (4) */
	const char *status;       /* "draft" or "published" */
	const char *category_id;  /* NULL: uncategorised */
};
/* Non-zero stops the search and is returned. */
typedef int (kb_hit_h)(const struct kb_hit *hit, void *arg);

/* Creates the search index and what keeps it current, filling it when new
 * (the module's start, and bench/records: blocks on the database). 0 or
 * EIO. */
int  kb_search_open(struct db *db);

/* Searches the articles for q (words and Chinese, any mix; every
 * whitespace-separated term must match), best first, at most limit (when
 * more than a thousand match, the best of the newest thousand),
 * drafts too when drafts; blocks on the database (a worker's call).
 * EINVAL when q has nothing to search for, EIO, or h's value. */
int  kb_search(struct db *db, const char *q, bool drafts, size_t limit,
	       kb_hit_h *h, void *arg);

/* The published articles for an IVR choice (the screen pop: suggest.c):
 * those tagged "ivr:" + choice, most read first, at most limit; each hit's
 * snippet is the body's start (fact 4). Blocks on the database (a
 * worker's call). EINVAL for an empty choice or one too long for a tag,
 * EIO, or h's value. */
int  kb_for_ivr(struct db *db, const char *choice, size_t limit,
		kb_hit_h *h, void *arg);

/* Provisioning (the demo, seed.c): one published, uncategorised article,
 * saved by user `by` (a username that exists). */
struct kb_seed_article {
	const char *title;
	const char *body;             /* Markdown */
	const char *tags;             /* joined by ',' as kb_articles.tags */
	const char *const *tag_list;  /* the same, NULL-ended */
	const char *by;
};
/* Stores the n articles of a as an editor's first saves at now (Unix ms)
 * when the knowledge base has no article at all (a new tenant), else does
 * nothing. Synchronous (db_exec): start-up only. 0 or EIO. */
int  kb_seed(struct db *db, const struct kb_seed_article *a, size_t n,
	     int64_t now);

#endif
