/* qa/http_calibrate: GET /api/v1/qa/calibration?call_id= — the call's
 * evaluations in the caller's data scope, compared (calibrate.h's rules).
 * Only evaluations on one scorecard version can be compared item by item:
 * the version most of them used is taken (the newest on a tie), the
 * others are counted as excluded. The scores compared are the ones the
 * inspectors gave, before any appeal changed them. An inspector invited
 * to an open session of the call is refused until they have scored it
 * (QA_BLIND_SQL); a session's own report (http_session.c) compares its
 * invited inspectors only. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/calibrate.h"
#include "qa/qa_int.h"

/* Scores to two decimals, as the rest of the API gives them; shares to
 * three. */
static double r2(double x) { return round(x * 100) / 100; }
static double r3(double x) { return round(x * 1000) / 1000; }

struct evals {
	size_t n;
	bool overflow;
	char card[QA_CAL_MAX][UTIL_ID_LEN];
	int64_t version[QA_CAL_MAX];
	char inspector[QA_CAL_MAX][API_NAME_MAX + 1];
	json_t *answers[QA_CAL_MAX];      /* owned */
	double score[QA_CAL_MAX];
};

static int eval_row(const struct db_row *row, void *arg)
{
	struct evals *e = arg;
	const size_t k = e->n;

	if (k == QA_CAL_MAX) {
		e->overflow = true;
		return 0;
	}
	util_strlcpy(e->inspector[k], db_row_isnull(row, 0) ? "?" :
		     db_row_text(row, 0), sizeof(e->inspector[k]));
	util_strlcpy(e->card[k], db_row_text(row, 1), sizeof(e->card[k]));
	e->version[k] = db_row_int(row, 2);
	e->answers[k] = qa_col_json(row, 3);
	e->score[k] = db_row_double(row, 4);
	e->n++;
	return 0;
}

/* The version most evaluations used; rows come oldest first, so the
 * later of two equal counts is the newer. */
static size_t pick(const struct evals *e, size_t *count)
{
	size_t best = 0, best_n = 0;

	for (size_t k = 0; k < e->n; k++) {
		size_t n = 0;

		for (size_t j = 0; j < e->n; j++)
			n += !strcmp(e->card[j], e->card[k]) &&
			     e->version[j] == e->version[k];
		if (n >= best_n) {
			best = k;
			best_n = n;
		}
	}
	*count = best_n;
	return best;
}

/* A stored answer: "yes", or {"answer": "yes", "comment": …}. */
static enum qa_answer answer_of(const json_t *answers, const char *item)
{
	const json_t *v = json_object_get(answers, item);
	enum qa_answer a = QA_A_NONE;

	if (json_is_object(v))
		v = json_object_get(v, "answer");
	if (!json_is_string(v) || qa_answer_parse(json_string_value(v), &a))
		return QA_A_NONE;
	return a;
}

static json_t *item_json(const struct qa_item *it,
			 const struct qa_cal_item *c, const struct evals *e,
			 const size_t *use, size_t n)
{
	json_t *by = json_object();

	for (size_t k = 0; k < n; k++) {
		const char *a = qa_answer_name(answer_of(e->answers[use[k]],
							 it->id));
		json_object_set_new(by, e->inspector[use[k]],
				    a ? json_string(a) : json_null());
	}
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s?, s:f, s:f, "
			 "s:o}", "id", it->id, "text", it->text,
			 "yes", (json_int_t)c->count[QA_A_YES],
			 "partial", (json_int_t)c->count[QA_A_PARTIAL],
			 "no", (json_int_t)c->count[QA_A_NO],
			 "na", (json_int_t)c->count[QA_A_NA],
			 "consensus", qa_answer_name(c->consensus),
			 "agreement", r3(c->agreement), "spread", c->spread,
			 "answers", by);
}

static json_t *result_json(const char *call, const struct qa_version *v,
			   const char *card_id, const struct qa_card *card,
			   const struct qa_calibration *c,
			   const struct evals *e, const size_t *use, size_t n)
{
	json_t *items = json_array(), *insp = json_array();

	for (size_t i = 0; i < card->nitems; i++)
		json_array_append_new(items, item_json(&card->items[i],
				      &c->item[i], e, use, n));
	for (size_t k = 0; k < n; k++)
		json_array_append_new(insp, json_pack("{s:s, s:f, s:f, s:I}",
			"inspector", e->inspector[use[k]],
			"score", e->score[use[k]],
			"deviation", r2(c->insp[k].deviation),
			"differences", (json_int_t)c->insp[k].differences));
	return json_pack("{s:s, s:s, s:I, s:s, s:I, s:I, s:{s:f, s:f, s:f, "
			 "s:f}, s:o, s:o}", "call_id", call,
			 "scorecard_id", card_id, "version",
			 (json_int_t)v->version, "scorecard", v->name,
			 "evaluations", (json_int_t)n,
			 "excluded", (json_int_t)(e->n - n), "score",
			 "mean", r2(c->mean), "sd", r2(c->sd), "min", c->min,
			 "max", c->max, "items", items, "inspectors", insp);
}

static int calibrate(struct qa_job *q, struct db *db, const char *call,
		     const struct evals *e, json_t **out)
{
	struct qa_cal_eval ce[QA_CAL_MAX];
	struct qa_version v;
	struct qa_card card;
	struct qa_problems p = {0};
	struct qa_calibration c;
	size_t use[QA_CAL_MAX], n = 0, want;
	const size_t b = pick(e, &want);
	int err = 0;

	if (want < 2) {
		qa_fail(q, 409, "call_id: calibration needs two evaluations "
			"or more on one scorecard version; this call has %zu",
			want);
		return EAGAIN;
	}
	if (qa_version_read(db, e->card[b], e->version[b], &v)) {
		qa_fail(q, 500, "cannot read the scorecard");
		return EIO;
	}
	if (qa_card_read(v.sections, v.mode, &card, &p)) {
		qa_version_free(&v);
		qa_fail(q, 500, "the stored scorecard is not valid");
		return EIO;
	}
	for (size_t k = 0; k < e->n; k++)
		if (!strcmp(e->card[k], e->card[b]) &&
		    e->version[k] == e->version[b])
			use[n++] = k;
	for (size_t k = 0; k < n; k++) {
		ce[k].inspector = e->inspector[use[k]];
		ce[k].score = e->score[use[k]];
		for (size_t i = 0; i < card.nitems; i++)
			ce[k].answers[i] = answer_of(e->answers[use[k]],
						     card.items[i].id);
	}
	if (qa_calibrate(&card, ce, n, &c)) {
		qa_fail(q, 500, "cannot calibrate");
		err = EIO;
	} else {
		*out = result_json(call, &v, e->card[b], &card, &c, e, use, n);
		err = *out ? 0 : ENOMEM;
	}
	qa_version_free(&v);
	return err;
}

int qa_cal_report(struct qa_job *q, struct db *db, const char *call,
		  const char *session, json_t **out)
{
	struct evals *e = calloc(1, sizeof(*e));
	const char *sc[API_SCOPE_NARGS];
	int err = EIO;

	if (!e) {
		qa_fail(q, 500, "out of memory");
		return ENOMEM;
	}
	api_scope_args(&q->j.req.user, sc);
	if (db_query(db, eval_row, e, "SELECT u.username, e.scorecard_id, "
		     "e.scorecard_version, e.answers, e.score " QA_EVAL_FROM
		     " WHERE e.call_id = ? AND " API_SCOPE_SQL("e.agent",
		     "e.agent") " AND " QA_BLIND_SQL("e") " AND (? = '' OR "
		     "e.inspector IN (SELECT inspector FROM "
		     "qa_calibration_inspectors WHERE calibration_id = ?)) "
		     "ORDER BY e.created_at, e.id", "t" API_SCOPE_TYPES "ttt",
		     call, sc[0], sc[1], sc[2], sc[3], sc[4],
		     q->j.req.user.id, session ? session : "",
		     session ? session : ""))
		qa_fail(q, 500, "cannot read evaluations");
	else if (!e->n)
		qa_fail(q, 404, "call_id: no evaluations of this call that you "
			"may see");
	else if (e->overflow)
		qa_fail(q, 409, "call_id: more than %d evaluations",
			QA_CAL_MAX);
	else
		err = calibrate(q, db, call, e, out);
	for (size_t k = 0; k < e->n; k++)
		json_decref(e->answers[k]);
	free(e);
	return err;
}

static void calibration_work(struct qa_job *q, struct db *db)
{
	char call[UTIL_ID_LEN + 8];
	int64_t blind = 0;
	json_t *out;

	if (qa_query_word(q, "call_id", call, sizeof(call)))
		return;
	if (!*call) {
		qa_fail(q, 400, "call_id: required");
		return;
	}
	/* Said rather than shown as "no evaluations": the caller is one of
	 * the session's inspectors and knows the others are scoring. */
	if (db_query(db, qa_count_row, &blind, "SELECT COUNT(*) FROM "
		     "(SELECT ? AS call_id) e WHERE NOT " QA_BLIND_SQL("e"),
		     "tt", call, q->j.req.user.id)) {
		qa_fail(q, 500, "cannot read calibration sessions");
		return;
	}
	if (blind) {
		qa_fail(q, 403, "call_id: calibration is blind: save your own "
			"evaluation of this call first, or wait for the lead "
			"to close the session");
		return;
	}
	if (!qa_cal_report(q, db, call, NULL, &out))
		qa_ok(q, 200, out);
}

void qa_h_calibration(struct api_req *req)
{
	qa_job_run(req, calibration_work, false);
}
