/* queue/store: KPI buckets as rows of kpi_buckets. Today's buckets (from
 * the horizon) are stored whole; a change to an older interval is added to
 * its row and leaves memory; a report reads old rows back on demand. Over
 * a real SQLite file with every migration applied. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include "base/jsonw.h"
#include "db/db.h"
#include "queue/queue_int.h"

enum { DAY = 86400000, Q = REPORT_INTERVAL_MS };
static const int64_t today = INT64_C(1767225600000);  /* 2026-01-01 */

struct fx {
	char dir[64], url[160];
	struct queue_host h;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/hl-kpi-rows.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->url, sizeof(fx->url), "sqlite:%s/t.db", fx->dir);
	if (db_open(&fx->h.o.db, fx->url) ||
	    report_set_alloc(&fx->h.rs, REPORT_INTERVAL_MS))
		return -1;
	fx->h.kpi_horizon = today;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	db_close(fx->h.o.db);
	report_set_free(fx->h.rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd))
		return -1;
	free(fx);
	return 0;
}

/* A queue event: a call of queue q that entered at `enter` and was
 * answered by agent 1001 wait_ms later. */
static void answered_in(struct fx *fx, const char *q, int64_t enter,
			int64_t wait_ms)
{
	struct report_event ev = {
		.type = REPORT_EV_ANSWER, .ts_ms = enter + wait_ms,
		.queue = q, .agent = "1001", .enter_ms = enter,
	};

	assert_int_equal(0, report_fold(fx->h.rs, &ev));
}

/* … of sales, 5 s later (judged by the 20 s service level). */
static void answered(struct fx *fx, int64_t enter)
{
	answered_in(fx, "sales", enter, 5000);
}

/* The stored sum of scope's name (NULL: all) over [from, to), read for
 * rows interval_ms long. */
static struct report_bucket stored_by(struct fx *fx, enum report_scope sc,
				      const char *name, int64_t from,
				      int64_t to, int64_t interval_ms)
{
	struct report_set *rs;
	struct report_bucket b;

	assert_int_equal(0, db_flush(fx->h.o.db));
	assert_int_equal(0, qh_kpi_stored(fx->h.o.db, sc, name, from, to,
					  interval_ms, &rs));
	assert_int_equal(0, report_sum(rs, sc, name, from, to, &b));
	report_set_free(rs);
	return b;
}

static struct report_bucket stored(struct fx *fx, int64_t from, int64_t to)
{
	return stored_by(fx, REPORT_QUEUE, "sales", from, to, Q);
}

static void todays_buckets_are_stored_whole_and_stay(void **state)
{
	struct fx *fx = *state;
	struct report_bucket b;

	answered(fx, today + 1000);
	qh_flush_buckets(&fx->h, today + 10000);
	answered(fx, today + 2000);
	qh_flush_buckets(&fx->h, today + 20000);
	b = stored(fx, today, today + Q);
	assert_int_equal(2, b.answered);    /* replaced, not 1 + 2 */
	assert_int_equal(2, b.answered_in_sl);
	assert_int_equal(20000, b.sl_ms);
	assert_int_equal(0, report_sum(fx->h.rs, REPORT_QUEUE, "sales", today,
				       today + Q, &b));
	assert_int_equal(2, b.answered);    /* still in memory */
}

/* A call that entered yesterday is answered today: its change is added
 * to yesterday's row, and memory forgets it once stored, so a second late
 * change adds only itself. */
static void changes_to_older_intervals_add_to_their_rows(void **state)
{
	struct fx *fx = *state;
	struct report_bucket b;

	answered(fx, today - Q);
	qh_flush_buckets(&fx->h, today + 10000);
	answered(fx, today - Q + 1);
	qh_flush_buckets(&fx->h, today + 20000);
	qh_flush_buckets(&fx->h, today + 30000);   /* nothing left to add */
	b = stored(fx, today - DAY, today);
	assert_int_equal(2, b.answered);
	assert_int_equal(2, b.answered_in_sl);
	assert_int_equal(20000, b.sl_ms);
	assert_int_equal(0, report_sum(fx->h.rs, REPORT_QUEUE, "sales",
				       today - DAY, today, &b));
	assert_int_equal(0, b.intervals);   /* none held in memory */
}

/* A row judged by 20 s meets a change judged by 30 s: the sum says -1,
 * as report_bucket_add does. */
static void added_thresholds_merge_as_a_sum_does(void **state)
{
	struct fx *fx = *state;
	struct report_queue_cfg cfg = report_default_cfg;
	struct report_bucket b;

	answered(fx, today - Q);
	qh_flush_buckets(&fx->h, today + 10000);
	cfg.sl_ms = 30000;
	assert_int_equal(0, report_set_queue(fx->h.rs, "sales", &cfg));
	answered(fx, today - Q);
	qh_flush_buckets(&fx->h, today + 20000);
	b = stored(fx, today - DAY, today);
	assert_int_equal(2, b.answered);
	assert_int_equal(-1, b.sl_ms);
}

/* At midnight yesterday's buckets, stored whole one last time, leave
 * memory; a late change to them is then added. */
static void the_horizon_moves_when_the_day_turns(void **state)
{
	struct fx *fx = *state;
	struct report_bucket b;

	answered(fx, today + DAY - Q);
	qh_flush_buckets(&fx->h, today + DAY - 1);
	answered(fx, today + DAY - Q);
	qh_flush_buckets(&fx->h, today + DAY + 5000);
	assert_int_equal(today + DAY, fx->h.kpi_horizon);
	assert_int_equal(0, report_sum(fx->h.rs, REPORT_QUEUE, "sales", today,
				       today + DAY, &b));
	assert_int_equal(0, b.intervals);
	answered(fx, today + DAY - Q);
	qh_flush_buckets(&fx->h, today + DAY + 10000);
	b = stored(fx, today, today + DAY);
	assert_int_equal(3, b.answered);
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static int64_t count(struct fx *fx, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(0, db_flush(fx->h.o.db));
	assert_int_equal(0, db_query(fx->h.o.db, count_row, &n, sql, ""));
	return n;
}

/* Every counter and both thresholds of a and b are equal. */
static void assert_same(const struct report_bucket *a,
			const struct report_bucket *b)
{
	size_t nf;
	const struct report_field *f = report_fields(&nf);

	assert_int_equal(a->sl_ms, b->sl_ms);
	assert_int_equal(a->short_ms, b->short_ms);
	for (size_t i = 0; i < nf; i++)
		assert_int_equal(*(const int64_t *)((const char *)a + f[i].off),
				 *(const int64_t *)((const char *)b + f[i].off));
}

/* The sums by day (kpi_days, migration 047) and by quarter hour of
 * [from, to) agree for every name that has rows, and for the center. */
static void days_match(struct fx *fx, int64_t from, int64_t to)
{
	static const struct {
		enum report_scope sc;
		const char *name;
	} names[] = {
		{REPORT_QUEUE, "sales"}, {REPORT_QUEUE, "support"},
		{REPORT_QUEUE, NULL}, {REPORT_AGENT, "1001"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct report_bucket d = stored_by(fx, names[i].sc,
						   names[i].name, from, to, DAY);
		struct report_bucket q = stored_by(fx, names[i].sc,
						   names[i].name, from, to, Q);

		assert_true(q.answered > 0);
		assert_same(&d, &q);
	}
	/* The center's '*' rows are what the queues' rows sum to. */
	struct report_bucket all = stored_by(fx, REPORT_QUEUE, NULL, from, to, Q);
	struct report_bucket sum = stored_by(fx, REPORT_QUEUE, "sales", from,
					     to, Q);
	struct report_bucket support = stored_by(fx, REPORT_QUEUE, "support",
						 from, to, Q);

	report_bucket_add(&sum, &support);
	assert_same(&all, &sum);
}

/* No day row that is not its 15-minute rows summed, nor a day with rows
 * and no day row. */
static const char day_rows_differ[] =
	"SELECT COUNT(*) FROM kpi_days d LEFT JOIN (SELECT scope, name, "
	"start_ms - start_ms % 86400000 AS day, COUNT(*) AS n, SUM(answered) "
	"AS answered, SUM(answered_in_sl) AS in_sl, SUM(answer_wait_ms) AS "
	"wait, SUM(talk_ms) AS talk FROM kpi_buckets GROUP BY 1, 2, 3) b ON "
	"b.scope = d.scope AND b.name = d.name AND b.day = d.start_ms WHERE "
	"(b.n IS NULL OR b.n != d.rows OR b.answered != d.answered OR b.in_sl "
	"!= d.answered_in_sl OR b.wait != d.answer_wait_ms OR b.talk != "
	"d.talk_ms) AND d.name != '*'";
/* A threshold of rows summed in SQL as report_bucket_add sums them. */
#define JUDGED_ROW "answered + abandoned + short_abandoned > 0"
#define THR(col) "CASE WHEN MIN(CASE WHEN " JUDGED_ROW " THEN " col " END) " \
	"IS NULL THEN 0 WHEN MIN(CASE WHEN " JUDGED_ROW " THEN " col " END) = " \
	"MAX(CASE WHEN " JUDGED_ROW " THEN " col " END) THEN MIN(CASE WHEN " \
	JUDGED_ROW " THEN " col " END) ELSE -1 END"

/* How many sums differ, in a column or by being there, from the rows
 * they sum, recomputed here by GROUP BY: sums are the rows of `sums`
 * WHERE `which`, rows those of kpi_buckets WHERE `of` grouped by `key`
 * (the sum's scope, name and start_ms). Every field and both thresholds
 * are compared. */
static int64_t sums_differ(struct fx *fx, const char *sums, const char *which,
			   const char *key, const char *of)
{
	size_t nf, len;
	const struct report_field *f = report_fields(&nf);
	char sql[8192];

	len = (size_t)snprintf(sql, sizeof(sql), "WITH b AS (SELECT %s, "
			       THR("sl_ms") " AS sl_ms, " THR("short_ms")
			       " AS short_ms", key);
	for (size_t i = 0; i < nf; i++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len,
					", SUM(%s) AS %s", f[i].name, f[i].name);
	len += (size_t)snprintf(sql + len, sizeof(sql) - len, " FROM kpi_buckets"
				" WHERE %s GROUP BY 1, 2, 3), s AS (SELECT * FROM "
				"%s WHERE %s) SELECT COUNT(*) FROM s FULL JOIN b "
				"ON b.scope = s.scope AND b.name = s.name AND "
				"b.start_ms = s.start_ms WHERE s.scope IS NULL OR "
				"b.scope IS NULL OR s.sl_ms != b.sl_ms OR "
				"s.short_ms != b.short_ms", of, sums, which);
	for (size_t i = 0; i < nf; i++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len,
					" OR s.%s != b.%s", f[i].name, f[i].name);
	assert_true(len < sizeof(sql));
	return count(fx, sql);
}

/* Every day row is its 15-minute rows summed, every '*' row its
 * interval's queue rows, every '*' day the '*' rows of the day. */
static void assert_sums_exact(struct fx *fx)
{
	assert_int_equal(0, sums_differ(fx, "kpi_days", "name != '*'",
		"scope, name, start_ms - start_ms % 86400000 AS start_ms",
		"name != '*'"));
	assert_int_equal(0, sums_differ(fx, "kpi_buckets", "name = '*'",
		"scope, '*' AS name, start_ms", "scope = 'queue' AND name "
		"!= '*'"));
	assert_int_equal(0, sums_differ(fx, "kpi_days", "name = '*'",
		"scope, name, start_ms - start_ms % 86400000 AS start_ms",
		"name = '*'"));
}

static const char days_missing[] =
	"SELECT COUNT(*) FROM (SELECT DISTINCT scope, name, start_ms - start_ms "
	"% 86400000 AS day FROM kpi_buckets) b WHERE NOT EXISTS (SELECT 1 FROM "
	"kpi_days d WHERE d.scope = b.scope AND d.name = b.name AND d.start_ms "
	"= b.day)";

/* Calls over three days in two queues, some outside the service level,
 * support's judged by 30 s from one moment on: written by the host's own
 * path (today's rows whole and rewritten, older ones added to), after
 * every flush each day row is the sum of its 15-minute rows, and a
 * report by day sums what one by quarter hours does, over whole days and
 * over a span that starts and ends inside a day. */
static void day_rows_are_the_sum_of_their_quarter_hours(void **state)
{
	struct fx *fx = *state;
	struct report_queue_cfg cfg = report_default_cfg;

	for (int d = -2; d <= 0; d++)
		for (int k = 0; k < 12; k++)
			answered_in(fx, k % 3 ? "sales" : "support",
				    today + d * DAY + k * 7 * Q + k * 1000,
				    k % 4 ? 5000 : 40000);
	qh_flush_buckets(&fx->h, today + 10000);
	assert_int_equal(0, count(fx, day_rows_differ));
	assert_int_equal(0, count(fx, days_missing));
	assert_sums_exact(fx);
	/* sales, support and 1001 each day, and every queue's ('*') */
	assert_int_equal(12, count(fx, "SELECT COUNT(*) FROM kpi_days"));
	cfg.sl_ms = 30000;
	assert_int_equal(0, report_set_queue(fx->h.rs, "support", &cfg));
	answered_in(fx, "support", today - DAY + 3 * Q, 25000);
	answered_in(fx, "support", today + 3 * Q, 25000);
	answered(fx, today + 2 * Q);
	/* rows that exist: today's rewritten whole, yesterday's added to */
	answered(fx, today + 7 * Q + 5);
	answered(fx, today - DAY + 14 * Q + 7);
	answered_in(fx, "support", today - DAY + 21 * Q, 25000);
	qh_flush_buckets(&fx->h, today + 20000);
	assert_int_equal(0, count(fx, day_rows_differ));
	assert_int_equal(0, count(fx, days_missing));
	assert_sums_exact(fx);
	assert_int_equal(-1, stored_by(fx, REPORT_QUEUE, "support",
				       today - DAY, today, DAY).sl_ms);
	days_match(fx, today - 2 * DAY, today + DAY);
	days_match(fx, today - 2 * DAY + 5 * Q, today + DAY - 9 * Q);
}

/* Writes the writer never makes, straight in SQL: a threshold set to
 * another value, a judged row emptied, a key changed, rows deleted (an
 * interval's last queue row with them). Each re-sums what it touches, so
 * every sum stays exact. */
static void other_writes_re_sum_what_they_touch(void **state)
{
	struct fx *fx = *state;
	struct db *db = fx->h.o.db;

	for (int k = 0; k < 8; k++)
		answered_in(fx, k % 2 ? "sales" : "support",
			    today - DAY + (k / 2) * Q, k % 3 ? 5000 : 40000);
	answered_in(fx, "sales", today - DAY + 20 * Q, 5000);
	qh_flush_buckets(&fx->h, today + 10000);
	assert_sums_exact(fx);
	assert_int_equal(0, db_exec(db, "UPDATE kpi_buckets SET sl_ms = 45000 "
				    "WHERE name = 'support' AND start_ms = ?", "i",
				    today - DAY));
	assert_sums_exact(fx);
	assert_int_equal(45000, stored_by(fx, REPORT_QUEUE, "support",
					  today - DAY, today - DAY + Q,
					  Q).sl_ms);
	assert_int_equal(-1, stored_by(fx, REPORT_QUEUE, NULL, today - DAY,
				       today, DAY).sl_ms);
	assert_int_equal(0, db_exec(db, "UPDATE kpi_buckets SET answered = 0, "
				    "answered_in_sl = 0 WHERE name = 'support'", ""));
	assert_sums_exact(fx);
	assert_int_equal(20000, stored_by(fx, REPORT_QUEUE, NULL, today - DAY,
					  today, DAY).sl_ms);
	assert_int_equal(0, db_exec(db, "UPDATE kpi_buckets SET start_ms = "
				    "start_ms + ? WHERE name = 'sales' AND start_ms "
				    "= ?", "ii", 2 * Q, today - DAY + 3 * Q));
	assert_sums_exact(fx);
	assert_int_equal(0, db_exec(db, "DELETE FROM kpi_buckets WHERE name != "
				    "'*' AND start_ms = ?", "i",
				    today - DAY + 20 * Q));
	assert_sums_exact(fx);
	assert_int_equal(0, count(fx, "SELECT COUNT(*) FROM kpi_buckets WHERE "
				  "name = '*' AND start_ms = 1767157200000"));
	assert_int_equal(0, db_exec(db, "DELETE FROM kpi_buckets WHERE scope = "
				    "'queue' AND name != '*'", ""));
	assert_sums_exact(fx);
	assert_int_equal(0, count(fx, "SELECT COUNT(*) FROM kpi_days WHERE "
				  "scope = 'queue'"));
}

/* The side figures a row shows among its counts (docs/api.md). */
static const struct {
	const char *name;
	size_t off;
} side_counts[] = {
	{"fcr_answered", offsetof(struct report_side, fcr_answered)},
	{"fcr_resolved", offsetof(struct report_side, fcr_resolved)},
	{"fcr_repeated", offsetof(struct report_side, fcr_repeated)},
	{"fcr_followed_up", offsetof(struct report_side, fcr_followed_up)},
	{"fcr_unresolved", offsetof(struct report_side, fcr_unresolved)},
	{"rung_calls", offsetof(struct report_side, rung_calls)},
	{"rings", offsetof(struct report_side, rings)},
	{"qa_scored", offsetof(struct report_side, qa_scored)},
};

static int64_t int_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* The text's row o ({"counts","kpis",…}) holds exactly r's numbers: every
 * count, the side figures when r has them (and only then), every KPI
 * Hotline computes (null where r has NAN), each at its decimals. */
static void row_is(const json_t *o, const struct queue_kpi_row *r)
{
	size_t nf, nk, ncounts, nkpis = 0;
	const struct report_field *f = report_fields(&nf);
	const struct report_kpi_def *k = report_kpis(&nk);
	const json_t *c = json_object_get(o, "counts");
	const json_t *kp = json_object_get(o, "kpis");

	for (size_t i = 0; i < nf; i++)
		assert_true(int_of(c, f[i].name) ==
			    *(const int64_t *)((const char *)&r->counts +
					       f[i].off));
	assert_true(int_of(c, "offered") == r->offered);
	assert_true(r->offered == r->counts.answered + r->counts.abandoned +
		    r->counts.overflowed);
	ncounts = nf + 1;
	if (r->has_side) {
		for (size_t i = 0; i < ARRAY_LEN(side_counts); i++)
			assert_true(int_of(c, side_counts[i].name) ==
				    *(const int64_t *)((const char *)&r->side +
						       side_counts[i].off));
		assert_true(json_real_value(json_object_get(c, "qa_score_sum"))
			    == jsonw_fixed_value(r->side.qa_score_sum, 6));
		ncounts += ARRAY_LEN(side_counts) + 1;
	}
	if (r->has_side && r->side.staff) {
		assert_true(int_of(c, "staff_start") == r->side.staff_start);
		assert_true(int_of(c, "staff_end") == r->side.staff_end);
		assert_true(int_of(c, "leavers") == r->side.leavers);
		ncounts += 3;
	}
	assert_int_equal(json_object_size(c), ncounts);
	for (size_t i = 0; i < nk; i++) {
		const json_t *v = json_object_get(kp, k[i].id);

		if (k[i].needs) {
			assert_null(v);
			assert_true(isnan(r->kpis[i]));
			continue;
		}
		nkpis++;
		assert_non_null(v);
		if (isnan(r->kpis[i])) {
			assert_true(json_is_null(v));
			continue;
		}
		/* a real in the text, the struct's value to the bit, and
		 * that value already rounded to the KPI's decimals */
		assert_true(json_is_real(v));
		assert_true(json_real_value(v) == r->kpis[i]);
		assert_true(jsonw_fixed_value(r->kpis[i],
			report_kpi_decimals(&k[i])) == r->kpis[i]);
	}
	assert_int_equal(json_object_size(kp), nkpis);
}

/* The report as the endpoint writes it (text straight from the sums),
 * parsed back, holds the numbers of the report's struct — every row, in
 * order, and the period — for the center, a queue and an agent, by
 * quarter hour and by day, with side figures (fractions, staff,
 * evaluations in rows with no call) and without. */
static void the_report_text_holds_the_structs_numbers(void **state)
{
	static const struct {
		const char *queue, *agent;
		int64_t iv;
	} asks[] = {
		{NULL, NULL, Q}, {NULL, NULL, DAY}, {"sales", NULL, Q},
		{"support", NULL, DAY}, {NULL, "1001", Q},
	};
	struct fx *fx = *state;
	struct qh_queue qs[2] = {{0}};
	struct qh_agent ag = {.id = 1001, .ext = "1001"};

	queue_qcfg_default(&qs[0].cfg, "sales");
	queue_qcfg_default(&qs[1].cfg, "support");
	fx->h.queues = qs;
	fx->h.nqueues = 2;
	fx->h.agents = &ag;
	fx->h.nagents = 1;
	for (int k = 0; k < 12; k++)
		answered_in(fx, k % 3 ? "sales" : "support",
			    today - DAY + k * 7 * Q + k * 1000,
			    k % 4 ? 5000 : 40000);
	qh_flush_buckets(&fx->h, today + 10000);
	answered(fx, today + 3 * Q);   /* today's, in memory */
	for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		int64_t from = today - DAY, to = today + DAY;
		size_t nbins = (size_t)((to - from) / asks[i].iv);
		struct report_side *side = calloc(nbins, sizeof(*side));
		struct report_side total = {.fcr_answered = 7, .fcr_resolved = 5,
					    .qa_scored = 3, .qa_score_sum = 250.5,
					    .staff = true, .staff_start = 10,
					    .staff_end = 9, .leavers = 1};
		struct report_set *stored;
		char why[128], *text;
		size_t len;
		struct queue_kpi_result out;

		assert_non_null(side);
		side[1] = (struct report_side){.fcr_answered = 3,
					       .fcr_resolved = 1, .rings = 4,
					       .rung_calls = 3};
		side[nbins - 1].qa_scored = 1;
		side[nbins - 1].qa_score_sum = 1.0 / 3;
		for (int with_side = 0; with_side < 2; with_side++) {
			json_error_t je;
			json_t *doc, *rows, *period;

			assert_int_equal(0, queue_kpi_read_by(fx->h.o.db,
				asks[i].queue, asks[i].agent, from, to,
				fx->h.kpi_horizon, asks[i].iv, &stored));
			assert_int_equal(0, queue_kpi_report(&fx->h, from, to,
				asks[i].queue, asks[i].agent, asks[i].iv, stored,
				fx->h.kpi_horizon, with_side ? side : NULL,
				with_side ? &total : NULL, &out, why,
				sizeof(why)));
			assert_int_equal(0, queue_kpi_report_text(&fx->h, from,
				to, asks[i].queue, asks[i].agent, asks[i].iv,
				stored, fx->h.kpi_horizon,
				with_side ? side : NULL,
				with_side ? &total : NULL, &text, &len, why,
				sizeof(why)));
			assert_int_equal(strlen(text), len);
			doc = json_loads(text, 0, &je);
			assert_non_null(doc);
			assert_true(out.nrows > 0);
			assert_true(out.interval_ms == asks[i].iv);
			assert_true(int_of(doc, "interval_ms") == asks[i].iv);
			assert_true(json_is_null(json_object_get(doc, "queue")) ==
				    (asks[i].queue == NULL));
			assert_true(json_is_null(json_object_get(doc, "agent")) ==
				    (asks[i].agent == NULL));
			rows = json_object_get(doc, "rows");
			assert_int_equal(json_array_size(rows), out.nrows);
			for (size_t r = 0; r < out.nrows; r++) {
				const json_t *o = json_array_get(rows, r);

				assert_true(int_of(o, "start_ms") ==
					    out.rows[r].start_ms);
				assert_true(!r || out.rows[r].start_ms >
					    out.rows[r - 1].start_ms);
				assert_true(out.rows[r].has_side == with_side);
				row_is(o, &out.rows[r]);
			}
			period = json_object_get(doc, "period");
			assert_true(out.has_period == with_side);
			assert_true(!period == !with_side);
			if (period) {
				assert_true(int_of(period, "from_ms") == from);
				assert_true(int_of(period, "to_ms") == to);
				assert_true(out.period.start_ms == from);
				row_is(period, &out.period);
			}
			json_decref(doc);
			free(text);
			queue_kpi_result_free(&out);
			queue_kpi_stored_free(stored);
		}
		free(side);
	}
	qh_index_free(&fx->h.ix_qname);
	qh_index_free(&fx->h.ix_agent);
	fx->h.queues = NULL;
	fx->h.agents = NULL;
	fx->h.nqueues = fx->h.nagents = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			todays_buckets_are_stored_whole_and_stay, setup, teardown),
		cmocka_unit_test_setup_teardown(
			changes_to_older_intervals_add_to_their_rows, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			added_thresholds_merge_as_a_sum_does, setup, teardown),
		cmocka_unit_test_setup_teardown(
			the_horizon_moves_when_the_day_turns, setup, teardown),
		cmocka_unit_test_setup_teardown(
			day_rows_are_the_sum_of_their_quarter_hours, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			other_writes_re_sum_what_they_touch, setup, teardown),
		cmocka_unit_test_setup_teardown(
			the_report_text_holds_the_structs_numbers, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
