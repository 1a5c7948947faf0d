/* qa: quality inspection (质检), a business module above call/ and api/.
 * It owns the tables qa_scorecards, qa_scorecard_versions,
 * qa_evaluations, qa_appeals, qa_history, qa_samples and qa_sample_calls
 * (migration 033) and reads calls and call_audio (audio/'s measures) to
 * draw samples. Scoring and sampling are pure cores (score.h, sample.h);
 * here are the module's row and the scorecard's JSON form, which the API
 * and the tests share. docs/qa.md says the rules for people. */
#ifndef HL_QA_H
#define HL_QA_H

#include <jansson.h>
#include "qa/score.h"

struct mod_export;

/* The module's row in app/modules.c: the /api/v1/qa routes. */
extern const struct mod_export qa_module;

/* Reads a scorecard's sections (the JSON array docs/api.md shows: each
 * {"title", "items": [{"id", "text", "weight" | "points", "critical"}]})
 * into *c under mode, then checks it (qa_card_check). Strings are
 * borrowed from sections. 0, or EINVAL with every problem added to p. */
int qa_card_read(const json_t *sections, enum qa_mode mode,
		 struct qa_card *c, struct qa_problems *p);
/* The mode named s ("weights", "points"); EINVAL otherwise. */
int qa_mode_parse(const char *s, enum qa_mode *m);

#endif
