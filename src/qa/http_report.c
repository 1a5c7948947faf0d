/* qa/http_report: QA reports (质检考评报表) over the evaluations scored in
 * from..to (default the last 30 days), through the caller's data scope
 * over the evaluated agent:
 *   by=agent, queue  count, average final and given score (监听分值 is
 *                    the agent's average final score), failed critical
 *                    items, appeals: rate and outcome
 *   by=inspector     the same for the scores each gave, and the workload:
 *                    sampled calls waiting for them
 *   by=item          per scorecard item: how it was answered, pass rate
 *   by=trend         each agent's average per week or month
 *                    (report_trend.c)
 * The first three have a total row over the same evaluations; format=csv
 * gives the same rows as a CSV file for Excel, format=xlsx as a workbook
 * (numbers as numbers, names as text). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/qa_int.h"

enum { DAY_MS = 86400000, PERIOD_DEFAULT_DAYS = 30 };

static json_t *rate(int64_t part, int64_t whole)
{
	return whole ? json_real((double)part / (double)whole) : json_null();
}

/* Columns: key, count, sum final, sum given, failed, appeals, upheld,
 * changed, open. */
static const char *const agg_keys[] = {"evaluations", "avg_score",
	"avg_given_score", "failed_critical", "appeals", "upheld", "changed",
	"open_appeals"};

struct agg {
	int64_t n, failed, appeals, upheld, changed, open;
	double final, given;
};

static json_t *avg2(double sum, int64_t n)
{
	return n ? json_real(round(sum / (double)n * 100) / 100) : json_null();
}

static json_t *agg_json(const struct agg *a)
{
	json_t *o = json_object();

	json_object_set_new(o, agg_keys[0], json_integer(a->n));
	json_object_set_new(o, agg_keys[1], avg2(a->final, a->n));
	json_object_set_new(o, agg_keys[2], avg2(a->given, a->n));
	json_object_set_new(o, agg_keys[3], json_integer(a->failed));
	json_object_set_new(o, agg_keys[4], json_integer(a->appeals));
	json_object_set_new(o, agg_keys[5], json_integer(a->upheld));
	json_object_set_new(o, agg_keys[6], json_integer(a->changed));
	json_object_set_new(o, agg_keys[7], json_integer(a->open));
	json_object_set_new(o, "appeal_rate", rate(a->appeals, a->n));
	json_object_set_new(o, "changed_rate", rate(a->changed,
						    a->upheld + a->changed));
	return o;
}

struct rows {
	const char *key;      /* the JSON name of column 0 */
	json_t *items;
	struct agg total;
};

static int agg_row(const struct db_row *row, void *arg)
{
	struct rows *r = arg;
	struct agg a = {
		.n = db_row_int(row, 1), .final = db_row_double(row, 2),
		.given = db_row_double(row, 3), .failed = db_row_int(row, 4),
		.appeals = db_row_int(row, 5), .upheld = db_row_int(row, 6),
		.changed = db_row_int(row, 7), .open = db_row_int(row, 8),
	};
	json_t *o = agg_json(&a);

	r->total.n += a.n;
	r->total.final += a.final;
	r->total.given += a.given;
	r->total.failed += a.failed;
	r->total.appeals += a.appeals;
	r->total.upheld += a.upheld;
	r->total.changed += a.changed;
	r->total.open += a.open;
	json_object_set_new(o, r->key, qa_col_str(row, 0));
	return json_array_append_new(r->items, o) ? ENOMEM : 0;
}

/* The group column of each report (written into the SQL: fixed words). */
static const struct {
	const char *by, *col, *key;
} groups[] = {
	{"agent", "e.agent", "agent"},
	{"queue", "e.queue", "queue"},
	{"inspector", "u.username", "inspector"},
};

static int aggregate(struct qa_job *q, struct db *db, size_t g,
		     int64_t from, int64_t to, struct rows *r)
{
	const char *sc[API_SCOPE_NARGS];
	char sql[2048];

	api_scope_args(&q->j.req.user, sc);
	snprintf(sql, sizeof(sql), "SELECT %s, COUNT(*), SUM(e.final_score), "
		 "SUM(e.score), SUM(e.failed_critical), "
		 "SUM(CASE WHEN a.evaluation_id IS NULL THEN 0 ELSE 1 END), "
		 "SUM(CASE WHEN a.outcome = 'upheld' THEN 1 ELSE 0 END), "
		 "SUM(CASE WHEN a.outcome = 'changed' THEN 1 ELSE 0 END), "
		 "SUM(CASE WHEN a.evaluation_id IS NOT NULL AND a.outcome IS "
		 "NULL THEN 1 ELSE 0 END) " QA_EVAL_FROM " LEFT JOIN qa_appeals "
		 "a ON a.evaluation_id = e.id WHERE "
		 API_SCOPE_SQL("e.agent", "e.agent") " AND e.created_at >= ? "
		 "AND e.created_at < ? AND e.calibration_id IS NULL "
		 "GROUP BY %s ORDER BY %s", groups[g].col,
		 groups[g].col, groups[g].col);
	return db_query(db, agg_row, r, sql, API_SCOPE_TYPES "ii", sc[0],
			sc[1], sc[2], sc[3], sc[4], from, to);
}

static int load_row(const struct db_row *row, void *arg)
{
	json_t *items = arg, *it;
	const char *name = db_row_text(row, 0) ?: "";
	size_t i;

	json_array_foreach(items, i, it)
		if (!strcmp(name, json_string_value(json_object_get(
				it, "inspector")) ?: "")) {
			json_object_set_new(it, "pending",
					    json_integer(db_row_int(row, 1)));
			return 0;
		}
	it = agg_json(&(struct agg){0});
	json_object_set_new(it, "inspector", json_string(name));
	json_object_set_new(it, "pending", json_integer(db_row_int(row, 1)));
	return json_array_append_new(items, it) ? ENOMEM : 0;
}

/* Workload: every inspector with calls waiting, and 0 for the others. */
static int add_workload(struct db *db, json_t *items)
{
	json_t *it;
	size_t i;

	json_array_foreach(items, i, it)
		json_object_set_new(it, "pending", json_integer(0));
	return db_query(db, load_row, items, "SELECT u.username, COUNT(*) "
			"FROM qa_sample_calls s JOIN users u ON u.id = "
			"s.inspector WHERE s.evaluation_id IS NULL GROUP BY "
			"u.username ORDER BY u.username", "");
}

/* ---- by item: the answers are JSON, folded here */

struct items {
	json_t *by;           /* "card\nitem" → counts */
	json_t *cards;        /* card id → version 0 (latest) texts */
};

static const char *const answer_keys[] = {"yes", "no", "partial", "na"};

static int item_row(const struct db_row *row, void *arg)
{
	struct items *it = arg;
	const char *card = db_row_text(row, 0) ?: "";
	json_t *answers = qa_col_json(row, 1), *v;
	const char *id;

	json_object_set_new(it->cards, card, json_true());
	json_object_foreach(answers, id, v) {
		const char *a = json_string_value(json_object_get(v, "answer"));
		char key[UTIL_ID_LEN + 80];
		json_t *c;

		snprintf(key, sizeof(key), "%s\n%s", card, id);
		c = json_object_get(it->by, key);
		if (!c) {
			c = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i}",
				      "scorecard_id", card, "item", id, "yes", 0,
				      "no", 0, "partial", 0, "na", 0);
			json_object_set_new(it->by, key, c);
		}
		for (size_t k = 0; a && k < ARRAY_LEN(answer_keys); k++)
			if (!strcmp(a, answer_keys[k]))
				json_object_set_new(c, a, json_integer(
					json_integer_value(json_object_get(c,
									 a)) + 1));
	}
	json_decref(answers);
	return 0;
}

/* The item's text and the card's name from the card's latest version. */
static void name_items(struct db *db, struct items *it, json_t *out)
{
	const char *card, *key;
	json_t *v, *c;

	json_object_foreach(it->cards, card, v) {
		struct qa_version ver;
		size_t i, k;
		json_t *sec, *item;

		if (qa_version_read(db, card, 0, &ver))
			continue;
		json_array_foreach(ver.sections, i, sec)
			json_array_foreach(json_object_get(sec, "items"), k,
					   item) {
				char key2[UTIL_ID_LEN + 80];
				const char *id = json_string_value(
					json_object_get(item, "id"));

				snprintf(key2, sizeof(key2), "%s\n%s", card,
					 id ? id : "");
				c = json_object_get(it->by, key2);
				if (!c)
					continue;
				json_object_set(c, "text",
						json_object_get(item, "text"));
				json_object_set_new(c, "scorecard",
						    json_string(ver.name));
			}
		qa_version_free(&ver);
	}
	json_object_foreach(it->by, key, c) {
		int64_t y = json_integer_value(json_object_get(c, "yes"));
		int64_t n = json_integer_value(json_object_get(c, "no"));
		int64_t p = json_integer_value(json_object_get(c, "partial"));

		/* partial counts half, as in the score; N.A. is left out */
		json_object_set_new(c, "pass_rate", y + n + p ? json_real(
			(double)(2 * y + p) / (double)(2 * (y + n + p)))
			: json_null());
		json_array_append(out, c);
	}
}

static int by_item(struct qa_job *q, struct db *db, int64_t from, int64_t to,
		   json_t *out)
{
	const char *sc[API_SCOPE_NARGS];
	struct items it = {json_object(), json_object()};
	int err;

	api_scope_args(&q->j.req.user, sc);
	err = db_query(db, item_row, &it, "SELECT e.scorecard_id, e.answers "
		       "FROM qa_evaluations e WHERE "
		       API_SCOPE_SQL("e.agent", "e.agent") " AND e.created_at "
		       ">= ? AND e.created_at < ? AND e.calibration_id IS NULL "
		       "ORDER BY e.created_at, e.id",
		       API_SCOPE_TYPES "ii", sc[0], sc[1], sc[2], sc[3], sc[4],
		       from, to);
	if (!err)
		name_items(db, &it, out);
	json_decref(it.by);
	json_decref(it.cards);
	return err;
}

/* The columns of each report's file after its first (key) column. */
/* pending last: only the inspector report has it */
static const char *const agg_cols[] = {"evaluations", "avg_score",
	"avg_given_score", "failed_critical", "appeals", "upheld", "changed",
	"open_appeals", "appeal_rate", "changed_rate", "pending", NULL};
static const char *const agg_cols_no_pending[] = {"evaluations",
	"avg_score", "avg_given_score", "failed_critical", "appeals", "upheld",
	"changed", "open_appeals", "appeal_rate", "changed_rate", NULL};
static const char *const item_cols[] = {"scorecard", "item", "text", "yes",
	"no", "partial", "na", "pass_rate", NULL};
static const char *const trend_cols[] = {"period", "evaluations",
	"avg_score", NULL};

static void report_work(struct qa_job *q, struct db *db)
{
	char by[16], fmt[8], f[UTIL_TIME_LEN], t[UTIL_TIME_LEN];
	const char *const *cols, *period = NULL;
	json_t *total;
	struct rows r = {0};
	int64_t from, to;
	size_t g = 0;
	int err;

	if (qa_query_word(q, "by", by, sizeof(by)) ||
	    qa_query_word(q, "format", fmt, sizeof(fmt)) ||
	    qa_query_time(q, "to", q->now, &to) ||
	    qa_query_time(q, "from", to - (int64_t)PERIOD_DEFAULT_DAYS * DAY_MS,
			  &from))
		return;
	if (*fmt && strcmp(fmt, "json") && strcmp(fmt, "csv") &&
	    strcmp(fmt, "xlsx")) {
		qa_fail(q, 400, "format: want json, csv or xlsx");
		return;
	}
	if (from >= to) {
		qa_fail(q, 400, "to: must be after from");
		return;
	}
	while (g < ARRAY_LEN(groups) && strcmp(groups[g].by, by))
		g++;
	if (g == ARRAY_LEN(groups) && strcmp(by, "item") &&
	    strcmp(by, "trend")) {
		qa_fail(q, 400, "by: want agent, queue, item, inspector or "
			"trend");
		return;
	}
	cols = g == ARRAY_LEN(groups) ? item_cols : !strcmp(by, "inspector")
		? agg_cols : agg_cols_no_pending;
	r.items = json_array();
	if (!strcmp(by, "trend")) {
		r.key = "agent";
		cols = trend_cols;
		err = qa_report_trend(q, db, from, to, r.items, &period);
		if (err == EINVAL) {
			json_decref(r.items);
			return;
		}
	} else if (g == ARRAY_LEN(groups)) {
		err = by_item(q, db, from, to, r.items);
	} else {
		r.key = groups[g].key;
		err = aggregate(q, db, g, from, to, &r);
		if (!err && !strcmp(by, "inspector"))
			err = add_workload(db, r.items);
	}
	if (err) {
		json_decref(r.items);
		qa_fail(q, 500, "cannot read the report");
		return;
	}
	total = g == ARRAY_LEN(groups) ? json_null() : agg_json(&r.total);
	if (!strcmp(fmt, "csv") || !strcmp(fmt, "xlsx")) {
		(*fmt == 'c' ? qa_report_csv : qa_report_xlsx)(q, r.key, cols,
							    r.items, total);
		json_decref(r.items);
		json_decref(total);
		return;
	}
	util_rfc3339(f, from);
	util_rfc3339(t, to);
	qa_ok(q, 200, json_pack("{s:s, s:s, s:s, s:s?, s:o, s:o}", "by", by,
				"from", f, "to", t, "period", period, "items",
				r.items, "total", total));
}

void qa_h_report(struct api_req *req)
{
	qa_job_run(req, report_work, false);
}
