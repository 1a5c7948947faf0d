/* qa/card: a scorecard's JSON form read into the scoring core's card,
 * every problem listed (a form is fixed in one go). */
#include <errno.h>
#include <string.h>
#include "qa/qa.h"

enum { TITLE_MAX = 200, ID_MAX = 64, TEXT_MAX = 500 };

int qa_mode_parse(const char *s, enum qa_mode *m)
{
	if (s && !strcmp(s, "weights"))
		*m = QA_WEIGHTS;
	else if (s && !strcmp(s, "points"))
		*m = QA_POINTS;
	else
		return EINVAL;
	return 0;
}

static const char *str(const json_t *o, const char *key, size_t max)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s && strlen(s) <= max ? s : NULL;
}

static void read_item(const json_t *it, size_t s, enum qa_mode mode,
		      struct qa_card *c, struct qa_problems *p)
{
	const char *key = mode == QA_WEIGHTS ? "weight" : "points";
	const char *other = mode == QA_WEIGHTS ? "points" : "weight";
	struct qa_item *qi = &c->items[c->nitems++];
	const json_t *w = json_object_get(it, key);
	const json_t *crit = json_object_get(it, "critical");
	const char *id = str(it, "id", ID_MAX);
	const char *name = id ? id : "?";

	qi->section = s;
	qi->worth = 1;
	if (!json_is_object(it)) {
		qa_problem(p, "item %zu: want an object", c->nitems);
		return;
	}
	/* A missing id is qa_card_check's to report. */
	qi->id = id;
	qi->text = str(it, "text", TEXT_MAX);
	if (!qi->text)
		qa_problem(p, "item %s: text required (1..%d bytes)", name,
			   TEXT_MAX);
	if (json_object_get(it, other))
		qa_problem(p, "item %s: a %s card gives %s, not %s", name,
			   mode == QA_WEIGHTS ? "weights" : "points", key,
			   other);
	else if (!json_is_number(w))
		qa_problem(p, "item %s: %s required (a number)", name, key);
	if (json_is_number(w))
		qi->worth = json_number_value(w);
	if (crit && !json_is_boolean(crit))
		qa_problem(p, "item %s: critical is true or false", name);
	qi->critical = json_is_true(crit);
}

int qa_card_read(const json_t *sections, enum qa_mode mode,
		 struct qa_card *c, struct qa_problems *p)
{
	size_t before = p->n, i, k;
	const json_t *sec, *it;

	memset(c, 0, sizeof(*c));
	c->mode = mode;
	if (!json_is_array(sections) || !json_array_size(sections) ||
	    json_array_size(sections) > QA_SECTIONS_MAX) {
		qa_problem(p, "sections: want an array of 1..%d sections",
			   QA_SECTIONS_MAX);
		return EINVAL;
	}
	json_array_foreach(sections, i, sec) {
		const json_t *items = json_object_get(sec, "items");

		c->sections[c->nsections++] = str(sec, "title", TITLE_MAX);
		if (!json_is_array(items)) {
			qa_problem(p, "section %zu: items must be an array",
				   i + 1);
			continue;
		}
		json_array_foreach(items, k, it) {
			if (c->nitems == QA_ITEMS_MAX) {
				qa_problem(p, "items: at most %d on a card",
					   QA_ITEMS_MAX);
				return EINVAL;
			}
			read_item(it, i, mode, c, p);
		}
	}
	qa_card_check(c, p);
	return p->n > before ? EINVAL : 0;
}
