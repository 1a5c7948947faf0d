/* kb/mod: the knowledge base's row in `hotline serve` and its routes.
 * Editors (KB_EDITORS: admin, supervisor, back office, QA) write; every
 * signed-in user reads, executives and agents published articles only.
 * Agents may also link an article to the call or work order it helped
 * with. */
#include <stdio.h>
#include <string.h>
#include "base/mod.h"
#include "kb/kb_int.h"

#define READERS API_ANYONE
#define LINKERS (KB_EDITORS | API_R_AGENT)

/* See api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET", "/api/v1/kb/categories", kb_h_cat_list, READERS, 0,
	 "the category tree, flat: id, parent_id, name, position and how many articles the caller sees in each"},
	{"POST", "/api/v1/kb/categories", kb_h_cat_create, KB_EDITORS, 0,
	 "adds a category: name, optional parent_id and position"},
	{"PUT", "/api/v1/kb/categories/{id}", kb_h_cat_update, KB_EDITORS, 0,
	 "renames or moves a category (name, parent_id, position); never under itself"},
	{"DELETE", "/api/v1/kb/categories/{id}", kb_h_cat_delete, KB_EDITORS, 0,
	 "removes an empty category (409 while it holds articles or categories)"},
	{"GET", "/api/v1/kb/articles", kb_h_article_list, READERS, 0,
	 "articles, newest change first, without bodies: ?category= (and below), ?tag=, ?status=, ?limit=, ?cursor="},
	{"POST", "/api/v1/kb/articles", kb_h_article_create, KB_EDITORS, 0,
	 "writes an article: title, body (Markdown), status draft|published, category_id, tags; version 1"},
	{"GET", "/api/v1/kb/articles/{id}", kb_h_article_get, READERS, 0,
	 "one article whole, with links, linked_from, votes and the caller's own; counts a read"},
	{"PUT", "/api/v1/kb/articles/{id}", kb_h_article_update, KB_EDITORS, 0,
	 "saves the next version: any of title, body, status, category_id, tags; version (optional) must be the current one"},
	{"DELETE", "/api/v1/kb/articles/{id}", kb_h_article_delete, KB_EDITORS, 0,
	 "deletes an article with its versions, votes and links"},
	{"GET", "/api/v1/kb/articles/{id}/versions", kb_h_version_list, KB_EDITORS, 0,
	 "every saved version of an article, newest first, without bodies"},
	{"GET", "/api/v1/kb/articles/{id}/versions/{version}", kb_h_version_get, KB_EDITORS, 0,
	 "one saved version whole"},
	{"POST", "/api/v1/kb/articles/{id}/vote", kb_h_vote, READERS, 0,
	 "was this useful: {\"useful\": true|false}, one vote per user (again replaces it); the counts after it"},
	{"POST", "/api/v1/kb/articles/{id}/links", kb_h_link_add, LINKERS, 0,
	 "links the article to kind article|work_order|call and its target id"},
	{"DELETE", "/api/v1/kb/articles/{id}/links/{kind}/{target}", kb_h_link_delete, KB_EDITORS, 0,
	 "removes a link"},
	{"GET", "/api/v1/kb/links", kb_h_links_of, READERS, 0,
	 "the articles linked to ?kind= and ?target= (a call's or a work order's knowledge)"},
	{"GET", "/api/v1/kb/search", kb_h_search, READERS, 0,
	 "full-text search, Chinese too: ?q= (terms all match), ?limit=; items id, title, snippet (HTML-escaped, terms in <mark>), best first"},
	{"GET", "/api/v1/kb/popular", kb_h_popular, READERS, 0,
	 "the most-read published articles: ?limit="},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

static int start(struct mod_house *h, char *err, size_t n)
{
	int e = kb_search_open(h->db);

	if (e)
		snprintf(err, n, "cannot open the knowledge base's search index");
	return e;
}

const struct mod_export kb_module = {
	.name = "kb", .start = start, .routes = &routes,
};
