/* kb internals shared by the files of src/kb/ only.
 *
 *   mod.c            the module's row and its route table
 *   job.c            the one job shape every handler runs on the workers
 *   http_cat.c       categories (the tree)
 *   http_article.c   articles: create, read, save, delete
 *   http_list.c      the article list, keyset-paged
 *   http_version.c   old versions
 *   http_social.c    votes and links
 *   http_search.c    search and most-read
 *   snippet.c        query terms and highlighted snippets (pure)
 *   search_sqlite.c  the FTS5 index and its queries: SQLite only */
#ifndef HL_KB_INT_H
#define HL_KB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "api/http.h"
#include "db/db.h"
#include "kb/kb.h"

enum {
	KB_TERMS_MAX = 8,        /* whitespace-separated terms in a query */
	KB_TERM_MAX = 64,        /* bytes of one term */
	KB_Q_MAX = 200,          /* bytes of a whole query */
	KB_SNIPPET_CHARS = 60,   /* characters of text a snippet shows */
	KB_SNIPPET_MAX = 4096,   /* bytes, escaped and marked */
	KB_TITLE_MAX = 200,
	KB_NAME_MAX = 64,        /* a category's name */
	KB_BODY_MAX = 200000,
	KB_TAG_MAX = 32,
	KB_TAGS_MAX = 20,
	KB_LIMIT_MAX = 100,
};

/* ---- snippet.c */
struct kb_terms {
	size_t n;
	char t[KB_TERMS_MAX][KB_TERM_MAX + 1];
};
/* q split at whitespace (ASCII and the ideographic space) into *out.
 * EINVAL when there is none, more than KB_TERMS_MAX, or one is longer
 * than KB_TERM_MAX. */
int  kb_terms_parse(const char *q, struct kb_terms *out);
/* A window of about KB_SNIPPET_CHARS characters of text (Markdown marks
 * dropped, whitespace folded) around the first place a term shows, HTML
 * escaped, each term's piece (its runs of letters and digits, its runs of
 * other characters) inside <mark>…</mark>; "…" where text was cut. The
 * text's start when no term shows. out has n bytes (KB_SNIPPET_MAX
 * holds any). */
void kb_snippet(const char *text, const struct kb_terms *terms, char *out,
		size_t n);


/* ---- job.c: every handler's job. work fills out (or why) and status;
 * done replies with them. */
struct kb_job;
typedef void (kb_work_h)(struct kb_job *k);

struct kb_job {
	struct api_job j;
	kb_work_h *work;
	struct db *db;
	json_t *in;              /* the request's body, or NULL */
	json_t *out;             /* the reply, or NULL with why */
	uint16_t status;
	char why[256];
	bool editor;             /* sees drafts, may write */
	int64_t num;             /* a number the handler parsed (limit, version) */
	char cursor[API_CURSOR_LEN];     /* "" for the first page */
	char a[3][KB_Q_MAX + 1];         /* query values the handler read */
};
/* A job for req with body in (taken; NULL fine), to fill further and
 * queue (kb_job_queue); NULL with 500 answered. */
struct kb_job *kb_job_new(struct api_req *req, kb_work_h *work, json_t *in,
			  int64_t num);
void kb_job_queue(struct kb_job *k);
/* kb_job_new, then kb_job_queue. */
void kb_job_run(struct api_req *req, kb_work_h *work, json_t *in,
		int64_t num);
/* Checks a body: 0, or non-zero with why[0..n) saying what is wrong. */
typedef int (kb_check_h)(const json_t *body, bool create, char *why,
			 size_t n);
/* Reads req's JSON body and holds it to check (create: a new record);
 * 400 with check's reason, else kb_job_run(req, work, body, 0). */
void kb_job_body(struct api_req *req, kb_check_h *check, bool create,
		 kb_work_h *work);
/* Sets the error reply. */
void kb_fail(struct kb_job *k, uint16_t status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Whether the request's user is an editor (KB_EDITORS). */
bool kb_is_editor(const struct api_req *req);
/* Appends one object per row to arr (a json array): keys name the
 * columns in order, each "name" (text or null), "i:name" (integer),
 * "n:name" (integer or null), "b:name" (boolean) or "l:name" (',' joined text as an array). */
struct kb_rows {
	const char *const *keys;
	json_t *arr;
};
int  kb_row_json(const struct db_row *row, void *arg);
/* limit from the query: dflt when absent; EINVAL with 400 answered. */
int  kb_query_limit(struct api_req *req, int64_t dflt, int64_t *limit);
/* The tags of body["tags"] (an array of strings) joined by ',' into out;
 * EINVAL with why naming the field. Absent: "" and ENOENT. */
int  kb_tags_parse(const json_t *body, char *out, size_t n, char *why,
		   size_t wn);

/* Whether sql (one 't' parameter, id) returns a row. 0 or EIO. */
int  kb_exists(struct db *db, bool *found, const char *sql, const char *id);
/* The same with two 't' parameters. */
int  kb_exists2(struct db *db, bool *found, const char *sql, const char *a,
		const char *b);
/* body[field] when it is an id or null (*id NULL); *given when present.
 * EINVAL with why naming the field. */
int  kb_opt_id(const json_t *body, const char *field, bool *given,
	       const char **id, char *why, size_t n);

/* An article's columns as lists show them (alias a), and their keys. */
#define ART_COLS "a.id, a.title, a.status, a.category_id, a.tags, " \
	"a.version, a.reads, a.updated_by, a.updated_at, " \
	"(SELECT COUNT(*) FROM kb_votes v WHERE v.article_id = a.id " \
	"AND v.useful = 1), (SELECT COUNT(*) FROM kb_votes v " \
	"WHERE v.article_id = a.id AND v.useful = 0)"
#define ART_KEYS "id", "title", "status", "category_id", "l:tags", \
	"i:version", "i:reads", "updated_by", "i:updated_at", "i:up", "i:down"

/* ---- the handlers, by file */
void kb_h_cat_list(struct api_req *req);
void kb_h_cat_create(struct api_req *req);
void kb_h_cat_update(struct api_req *req);
void kb_h_cat_delete(struct api_req *req);
void kb_h_article_list(struct api_req *req);
void kb_h_article_create(struct api_req *req);
void kb_h_article_get(struct api_req *req);
void kb_h_article_update(struct api_req *req);
void kb_h_article_delete(struct api_req *req);
void kb_h_version_list(struct api_req *req);
void kb_h_version_get(struct api_req *req);
void kb_h_vote(struct api_req *req);
void kb_h_link_add(struct api_req *req);
void kb_h_link_delete(struct api_req *req);
void kb_h_links_of(struct api_req *req);
void kb_h_search(struct api_req *req);
void kb_h_popular(struct api_req *req);

#endif
