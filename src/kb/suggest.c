/* kb/suggest: the articles the screen pop offers for the caller's IVR
 * choice (docs/ivr.md, "The IVR choice on the screen
 * pop"). An editor ties an
 * article to a menu option by tagging it "ivr:" + the option's value (the
 * call data ivr.menu a flow's set node writes, e.g. ivr:support): a
 * deliberate choice, not a guess from words, read with one seek on
 * kb_article_tags' tag index. Published articles only, most read first. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kb/kb_int.h"

struct sug {
	kb_hit_h *h;
	void *arg;
	struct kb_terms none;    /* no terms: a snippet is the body's start */
};

static int sug_row(const struct db_row *row, void *arg)
{
	struct sug *s = arg;
	char snip[KB_SNIPPET_MAX];
	const struct kb_hit hit = {
		.id = db_row_text(row, 0), .title = db_row_text(row, 1),
		.snippet = snip, .status = "published",
		.category_id = db_row_text(row, 3),
	};

	kb_snippet(db_row_text(row, 2), &s->none, snip, sizeof(snip));
	return s->h(&hit, s->arg);
}

int kb_for_ivr(struct db *db, const char *choice, size_t limit,
	       kb_hit_h *h, void *arg)
{
	char tag[KB_TAG_MAX + 1];
	struct sug s = {.h = h, .arg = arg};
	int n;

	if (!choice || !*choice || limit == 0)
		return EINVAL;
	n = snprintf(tag, sizeof(tag), "ivr:%s", choice);
	if (n < 0 || (size_t)n >= sizeof(tag))
		return EINVAL;
	n = db_query(db, sug_row, &s, "SELECT a.id, a.title, a.body, "
		     "a.category_id FROM kb_article_tags t JOIN kb_articles a "
		     "ON a.id = t.article_id WHERE t.tag = ? AND a.status = "
		     "'published' ORDER BY a.reads DESC, a.id LIMIT ?", "ti",
		     tag, (int64_t)limit);
	return n;
}
