/* qa/http_sample: drawing samples (抽检) and listing what waits for whom.
 * A draw reads the period's answered calls in the caller's data scope
 * that no sample holds and nobody scored, narrowed by the plan's filter
 * (talk time, survey rating, transfers, and audio/'s measures in
 * call_audio), and hands them to sample.c with the inspectors' open load;
 * the picks are stored, each call waiting for its inspector. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db/db.h"
#include "qa/qa_int.h"

enum { DAY_MS = 86400000, PERIOD_DEFAULT_DAYS = 30, CANDS_MAX = 1000000,
       PICKS_MAX = 5000 };

/* ---- the filter: every key is optional; -1 means not given */
struct filter {
	double min_talk_s, max_rating, min_overtalk_pct, min_silence_s,
	       min_silences_over_10s;
	bool transferred;
};

static const struct {
	const char *key;
	size_t off;
	double lo, hi;
} numbers[] = {
	{"min_talk_s", offsetof(struct filter, min_talk_s), 0, 86400},
	{"max_rating", offsetof(struct filter, max_rating), 1, 5},
	{"min_overtalk_pct", offsetof(struct filter, min_overtalk_pct), 0, 100},
	{"min_silence_s", offsetof(struct filter, min_silence_s), 0, 86400},
	{"min_silences_over_10s", offsetof(struct filter,
					   min_silences_over_10s), 0, 100000},
};

static void read_filter(const json_t *fj, struct filter *f,
			struct qa_problems *p)
{
	const char *key;
	json_t *v;

	for (size_t i = 0; i < ARRAY_LEN(numbers); i++)
		*(double *)((char *)f + numbers[i].off) = -1;
	f->transferred = false;
	if (!fj)
		return;
	if (!json_is_object(fj)) {
		qa_problem(p, "filter: want an object");
		return;
	}
	json_object_foreach((json_t *)fj, key, v) {
		size_t i = 0;

		if (!strcmp(key, "transferred")) {
			if (!json_is_boolean(v))
				qa_problem(p, "filter.transferred: true or false");
			f->transferred = json_is_true(v);
			continue;
		}
		while (i < ARRAY_LEN(numbers) && strcmp(numbers[i].key, key))
			i++;
		if (i == ARRAY_LEN(numbers)) {
			qa_problem(p, "filter.%s: unknown filter", key);
		} else if (!json_is_number(v) || json_number_value(v) <
			   numbers[i].lo || json_number_value(v) > numbers[i].hi) {
			qa_problem(p, "filter.%s: want a number %g..%g", key,
				   numbers[i].lo, numbers[i].hi);
		} else {
			*(double *)((char *)f + numbers[i].off) =
				json_number_value(v);
		}
	}
}

/* ---- the request */
struct draw {
	struct qa_plan plan;
	struct filter f;
	int64_t from, to;
	const char *queue, *agent;
	/* candidates: their strings are owned here */
	struct qa_cand *c;
	size_t nc, cap;
	struct qa_insp_set in;
	bool overflow;         /* more candidates than CANDS_MAX */
};

static const char *const fields[] = {"plan", "n", "pct", "from", "to",
	"queue", "agent", "filter", "inspectors", "seed", NULL};

static int64_t time_field(const json_t *body, const char *key, int64_t def,
			  struct qa_problems *p)
{
	const json_t *v = json_object_get(body, key);
	int64_t ms = def;

	if (v && (!json_is_string(v) ||
		  util_parse_rfc3339(json_string_value(v), &ms)))
		qa_problem(p, "%s: want an RFC 3339 time", key);
	return ms;
}

static const char *opt_str(const json_t *body, const char *key,
			   struct qa_problems *p)
{
	const json_t *v = json_object_get(body, key);
	const char *s = json_string_value(v);

	if (v && !json_is_null(v) && (!s || !*s || strlen(s) > 64))
		qa_problem(p, "%s: want a name", key);
	return s && *s ? s : NULL;
}

static void read_plan(const json_t *body, int64_t now, struct draw *d,
		      struct qa_problems *p)
{
	const char *kind = json_string_value(json_object_get(body, "plan"));
	const json_t *n = json_object_get(body, "n");
	const json_t *pct = json_object_get(body, "pct");
	const json_t *seed = json_object_get(body, "seed");
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)body, key, v) {
		bool ok = false;

		for (const char *const *f = fields; *f; f++)
			ok = ok || !strcmp(*f, key);
		if (!ok)
			qa_problem(p, "%s: unknown field", key);
	}
	if (qa_plan_parse(kind, &d->plan.kind))
		qa_problem(p, "plan: want per-agent, percent or all");
	else if (d->plan.kind == QA_PLAN_PER_AGENT &&
		 (!json_is_integer(n) || json_integer_value(n) < 1 ||
		  json_integer_value(n) > 1000))
		qa_problem(p, "n: calls per agent, 1..1000");
	else if (d->plan.kind == QA_PLAN_PERCENT &&
		 (!json_is_number(pct) || !(json_number_value(pct) > 0) ||
		  json_number_value(pct) > 100))
		qa_problem(p, "pct: a share of each queue's calls, above 0 up "
			   "to 100");
	d->plan.n = (unsigned)json_integer_value(n);
	d->plan.pct = json_number_value(pct);
	if (seed && (!json_is_integer(seed) || json_integer_value(seed) < 0))
		qa_problem(p, "seed: a whole number from 0");
	d->plan.seed = seed ? (uint64_t)json_integer_value(seed)
		: (uint64_t)now;
	d->to = time_field(body, "to", now, p);
	d->from = time_field(body, "from", d->to -
			     (int64_t)PERIOD_DEFAULT_DAYS * DAY_MS, p);
	if (d->from >= d->to)
		qa_problem(p, "to: must be after from");
	d->queue = opt_str(body, "queue", p);
	d->agent = opt_str(body, "agent", p);
	read_filter(json_object_get(body, "filter"), &d->f, p);
}

static int cand_row(const struct db_row *row, void *arg)
{
	struct draw *d = arg;
	struct qa_cand *c;

	if (d->nc == CANDS_MAX) {
		d->overflow = true;
		return 0;
	}
	if (d->nc == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		void *m = realloc(d->c, cap * sizeof(*d->c));

		if (!m)
			return ENOMEM;
		d->c = m;
		d->cap = cap;
	}
	c = &d->c[d->nc];
	c->id = strdup(db_row_text(row, 0) ?: "");
	c->agent = strdup(db_row_text(row, 1) ?: "");
	c->queue = strdup(db_row_text(row, 2) ?: "");
	c->started_at = db_row_int(row, 3);
	d->nc++;
	return c->id && c->agent && c->queue ? 0 : ENOMEM;
}

static int read_cands(struct qa_job *q, struct db *db, struct draw *d)
{
	const char *sc[API_SCOPE_NARGS];
	const struct filter *f = &d->f;

	api_scope_args(&q->j.req.user, sc);
	return db_query(db, cand_row, d, "SELECT c.id, c.agent, "
		"COALESCE(c.queue, ''), c.started_at FROM calls c LEFT JOIN "
		"call_audio a ON a.call_id = c.id AND a.status = 'ok' WHERE "
		"c.started_at >= ? AND c.started_at < ? AND c.agent IS NOT NULL "
		"AND c.agent <> '' AND " API_SCOPE_SQL("c.agent", "c.transfer_by")
		" AND NOT EXISTS (SELECT 1 FROM qa_sample_calls s WHERE "
		"s.call_id = c.id) AND NOT EXISTS (SELECT 1 FROM qa_evaluations "
		"e WHERE e.call_id = c.id) AND (? = '' OR c.queue = ?) AND "
		"(? = '' OR c.agent = ?) AND (? < 0 OR c.talk_s >= ?) AND "
		"(? < 0 OR (c.rating IS NOT NULL AND c.rating <= ?)) AND "
		"(? = 0 OR (c.transfer_by IS NOT NULL AND c.transfer_by <> '')) "
		"AND (? < 0 OR (a.duration_ms > 0 AND a.overtalk_ms * 100.0 >= "
		"? * a.duration_ms)) AND (? < 0 OR a.longest_silence_ms >= ?) "
		"AND (? < 0 OR a.silences_over_10s >= ?) "
		"ORDER BY c.started_at, c.id",
		"ii" API_SCOPE_TYPES "tttt" "dddd" "i" "dddddd",
		d->from, d->to, sc[0], sc[1], sc[2], sc[3], sc[4],
		d->queue ?: "", d->queue ?: "", d->agent ?: "", d->agent ?: "",
		f->min_talk_s, f->min_talk_s, f->max_rating, f->max_rating,
		(int64_t)f->transferred, f->min_overtalk_pct,
		f->min_overtalk_pct, f->min_silence_s,
		f->min_silence_s < 0 ? -1 : f->min_silence_s * 1000,
		f->min_silences_over_10s, f->min_silences_over_10s);
}

static void draw_free(struct draw *d)
{
	for (size_t i = 0; i < d->nc; i++) {
		free((char *)d->c[i].id);
		free((char *)d->c[i].agent);
		free((char *)d->c[i].queue);
	}
	free(d->c);
	qa_insp_free(&d->in);
	free(d);
}

/* Stores the sample and its picks; the answer lists them. */
static int store(struct qa_job *q, struct db *db, struct draw *d,
		 const struct qa_pick *picks, size_t n, json_t **out)
{
	char id[UTIL_ID_LEN], *plan = json_dumps(q->body, JSON_COMPACT |
						 JSON_SORT_KEYS);
	char from[UTIL_TIME_LEN], to[UTIL_TIME_LEN];
	json_t *items = json_array();
	size_t unassigned = 0;
	int err = plan && items ? 0 : ENOMEM;

	util_random_id(id);
	err = err ? err : db_exec(db, "INSERT INTO qa_samples (id, plan, seed, "
		"drawn_by, drawn_at, period_from, period_to, calls) VALUES "
		"(?, ?, ?, ?, ?, ?, ?, ?)", "tti" "tiiii", id, plan,
		(int64_t)d->plan.seed, q->j.req.user.id, q->now, d->from, d->to,
		(int64_t)n);
	for (size_t i = 0; !err && i < n; i++) {
		const struct qa_cand *c = &d->c[picks[i].cand];
		int who = picks[i].inspector;

		unassigned += who < 0;
		err = db_write(db, "INSERT INTO qa_sample_calls (call_id, "
			"sample_id, agent, queue, inspector) VALUES "
			"(?, ?, ?, ?, ?)", "ttttt", c->id, id, c->agent,
			*c->queue ? c->queue : NULL, who < 0 ? NULL : d->in.ids[who]);
		if (!err)
			json_array_append_new(items, json_pack(
				"{s:s, s:s, s:s?, s:s?}", "call_id", c->id,
				"agent", c->agent, "queue", *c->queue ?
				c->queue : NULL, "inspector", who < 0 ? NULL
				: d->in.names[who]));
	}
	free(plan);
	if (!err)
		db_flush(db);
	if (err) {
		json_decref(items);
		return err;
	}
	util_rfc3339(from, d->from);
	util_rfc3339(to, d->to);
	*out = json_pack("{s:s, s:I, s:s, s:s, s:I, s:I, s:o}", "id", id,
			 "seed", (json_int_t)d->plan.seed, "from", from,
			 "to", to, "calls", (json_int_t)n,
			 "unassigned", (json_int_t)unassigned, "items", items);
	return *out ? 0 : ENOMEM;
}

static void draw_work(struct qa_job *q, struct db *db)
{
	struct draw *d = calloc(1, sizeof(*d));
	struct qa_problems p = {0};
	struct qa_pick *picks = NULL;
	size_t n = 0;
	json_t *out;

	if (!d) {
		qa_fail(q, 500, "out of memory");
		return;
	}
	read_plan(q->body, q->now, d, &p);
	if (qa_insp_read(db, json_object_get(q->body, "inspectors"), &d->in,
			 &p)) {
		qa_fail(q, 500, "cannot read the inspectors");
		goto out;
	}
	if (!p.n && !d->in.n)
		qa_problem(&p, "inspectors: there are no QA users to assign "
			   "the calls to");
	if (p.n) {
		qa_fail_problems(q, &p);
		goto out;
	}
	if (read_cands(q, db, d)) {
		qa_fail(q, 500, "cannot read the calls");
		goto out;
	}
	picks = malloc((d->nc ? d->nc : 1) * sizeof(*picks));
	if (!picks || qa_sample(&d->plan, d->c, d->nc, d->in.insp, d->in.n, picks,
				&n)) {
		qa_fail(q, 500, "cannot draw the sample");
		goto out;
	}
	if (n > PICKS_MAX || d->overflow)
		qa_fail(q, 400, "the plan picks %zu%s calls, more than %d a "
			"draw: narrow the period or the filter", n,
			d->overflow ? " or more" : "", PICKS_MAX);
	else if (store(q, db, d, picks, n, &out))
		qa_fail(q, 500, "cannot store the sample");
	else
		qa_ok(q, 201, out);
 out:
	free(picks);
	draw_free(d);
}

void qa_h_sample_draw(struct api_req *req)
{
	qa_job_run(req, draw_work, true);
}

/* ---- the list of drawn calls */

static int sample_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
		"call_id", qa_col_str(row, 0), "sample_id", qa_col_str(row, 1),
		"agent", qa_col_str(row, 2), "queue", qa_col_str(row, 3),
		"inspector", qa_col_str(row, 4),
		"evaluation_id", qa_col_str(row, 5),
		"drawn_at", qa_col_time(row, 6),
		"state", db_row_isnull(row, 5) ? "pending" : "done"))
		? ENOMEM : 0;
}

static void list_work(struct qa_job *q, struct db *db)
{
	char sample[UTIL_ID_LEN + 8], insp[API_NAME_MAX + 1], state[16], v[16];
	uint64_t lim = 100;
	json_t *items;

	if (qa_query_word(q, "sample_id", sample, sizeof(sample)) ||
	    qa_query_word(q, "inspector", insp, sizeof(insp)) ||
	    qa_query_word(q, "state", state, sizeof(state)) ||
	    qa_query_word(q, "limit", v, sizeof(v)))
		return;
	if (*state && strcmp(state, "pending") && strcmp(state, "done")) {
		qa_fail(q, 400, "state: want pending or done");
		return;
	}
	if (*v && util_parse_u64(v, 1, 1000, &lim)) {
		qa_fail(q, 400, "limit: want 1..1000");
		return;
	}
	if (!strcmp(insp, "me"))
		util_strlcpy(insp, q->j.req.user.username, sizeof(insp));
	items = json_array();
	if (!items || db_query(db, sample_row, items, "SELECT s.call_id, "
		"s.sample_id, s.agent, s.queue, u.username, s.evaluation_id, "
		"m.drawn_at FROM qa_sample_calls s JOIN qa_samples m ON m.id = "
		"s.sample_id LEFT JOIN users u ON u.id = s.inspector WHERE "
		"(? = '' OR s.sample_id = ?) AND (? = '' OR u.username = ?) "
		"AND (? = '' OR (? = 'done') = (s.evaluation_id IS NOT NULL)) "
		"ORDER BY m.drawn_at DESC, s.call_id LIMIT ?", "tttttti",
		sample, sample, insp, insp, state, state, (int64_t)lim)) {
		json_decref(items);
		qa_fail(q, 500, "cannot read samples");
		return;
	}
	qa_ok(q, 200, json_pack("{s:o}", "items", items));
}

void qa_h_sample_list(struct api_req *req)
{
	qa_job_run(req, list_work, false);
}
