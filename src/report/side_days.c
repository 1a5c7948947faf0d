/* report/side_days: the side figures that read the calls (first-contact
 * resolution, the caller's rings) of settled days, as rows of
 * kpi_side_days (migration 049): read when stored, else computed from the
 * records one day at a time, for every name at once, and stored for the
 * next report. A day has settled once the FCR window after its end has
 * passed; the triggers of migration 049 delete a stored day whenever a
 * record that could move it changes, so what is read is always what the
 * records give. Runs on a worker thread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "db/db.h"
#include "report/report.h"
#include "report/report_int.h"

enum { DAY_MS = 86400000 };

/* The figures a day row holds, in the table's column order. */
#define SIDE_COLS "fcr_answered, fcr_resolved, fcr_repeated, " \
	"fcr_followed_up, fcr_unresolved, rung_calls, rings"

/* One name's figures of the day being computed. */
struct named {
	char scope;              /* 'q' or 'a' */
	char name[64];           /* a queue, an extension, or "*" */
	struct report_side s;
};

struct day {
	struct named *v;
	size_t n, cap;
};

static int add_to(struct day *d, char scope, const char *name,
		  const struct report_side *s)
{
	struct named *e;

	if (!name || !*name)
		return 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct named *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	e = &d->v[d->n++];
	e->scope = scope;
	util_strlcpy(e->name, name, sizeof(e->name));
	e->s = *s;
	return 0;
}

/* A call's figures count for the center, its queue and its agent. */
static int add_call(struct day *d, const char *queue, const char *agent,
		    const struct report_side *s)
{
	int err = add_to(d, 'q', "*", s);

	err = err ? err : add_to(d, 'q', queue, s);
	return err ? err : add_to(d, 'a', agent, s);
}

static int by_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return x->scope != y->scope ? x->scope - y->scope :
		strcmp(x->name, y->name);
}

/* Sorts and sums the entries of each name into one. */
static void merge(struct day *d)
{
	size_t k = 0;

	if (d->n)
		qsort(d->v, d->n, sizeof(*d->v), by_name);
	for (size_t i = 0; i < d->n; i++) {
		if (k && !by_name(&d->v[k - 1], &d->v[i]))
			report_side_add(&d->v[k - 1].s, &d->v[i].s);
		else
			d->v[k++] = d->v[i];
	}
	d->n = k;
}

/* FCR of the day's answered calls, each judged as report_side_read
 * judges it over that day. */
static int day_fcr(struct db *db, const struct report_side_q *q,
		   struct day *d)
{
	struct report_contacts cs = {.detail = true};
	int *why = NULL;
	int err = report_contacts_read(db, q, &cs);

	if (!err && cs.n && !(why = calloc(cs.n, sizeof(*why))))
		err = ENOMEM;
	err = err ? err : report_fcr_marks(cs.v, cs.n, q->from, q->to,
					   q->fcr_window_ms, why);
	for (size_t i = 0; !err && i < cs.n; i++) {
		struct report_side s = {0};

		if (why[i] < 0)
			continue;
		s.fcr_answered = 1;
		s.fcr_resolved = !why[i];
		s.fcr_repeated = !!(why[i] & REPORT_FCR_REPEATED);
		s.fcr_followed_up = !!(why[i] & REPORT_FCR_FOLLOWED_UP);
		s.fcr_unresolved = !!(why[i] & REPORT_FCR_UNRESOLVED);
		err = add_call(d, cs.d[i].queue, cs.d[i].agent, &s);
	}
	free(why);
	report_contacts_free(&cs);
	return err;
}

/* The rings of the day's calls, as read.c's ring_sql reads them, with
 * the queue and agent each counts for. */
static const char ring_day_sql[] =
	"SELECT c.queue, c.agent, CASE WHEN c.queue IS NOT NULL OR EXISTS "
	"(SELECT 1 FROM ivr_visits v WHERE v.call_id = c.id) THEN 0 ELSE "
	"c.answered_at - c.started_at END FROM calls c WHERE c.direction = "
	"'inbound' AND c.started_at >= ? AND c.started_at < ? AND (c.queue IS "
	"NOT NULL OR c.answered_at IS NOT NULL OR EXISTS (SELECT 1 FROM "
	"ivr_visits v WHERE v.call_id = c.id))";

struct ring_fill {
	struct day *d;
	int64_t period_ms;
};

static int ring_row(const struct db_row *row, void *arg)
{
	struct ring_fill *f = arg;
	struct report_side s = {
		.rung_calls = 1,
		.rings = report_rings(db_row_int(row, 2), f->period_ms),
	};

	return add_call(f->d, db_row_text(row, 0), db_row_text(row, 1), &s);
}

static const char store_sql[] =
	"INSERT INTO kpi_side_days (scope, name, start_ms, settles_ms, "
	"window_ms, ring_period_ms, " SIDE_COLS ") SELECT ?, ?, ?, ?, ?, ?, ?, "
	"?, ?, ?, ?, ?, ? WHERE (SELECT n FROM kpi_side_gen) = ? ON CONFLICT "
	"(scope, name, start_ms) DO UPDATE SET settles_ms = excluded.settles_ms,"
	" window_ms = excluded.window_ms, ring_period_ms = "
	"excluded.ring_period_ms, fcr_answered = excluded.fcr_answered, "
	"fcr_resolved = excluded.fcr_resolved, fcr_repeated = "
	"excluded.fcr_repeated, fcr_followed_up = excluded.fcr_followed_up, "
	"fcr_unresolved = excluded.fcr_unresolved, rung_calls = "
	"excluded.rung_calls, rings = excluded.rings";

/* Computes day `start` for every name, adds q's name's figures to *out
 * and queues the rows; gen is kpi_side_gen as read before the records. */
static int compute_day(struct db *db, const struct report_side_q *q,
		       int64_t start, int64_t gen, struct report_side *out)
{
	struct report_side_q dq = *q;
	struct day d = {0};
	struct ring_fill rf = {&d, q->ring_period_ms};
	const char *want = q->agent ? q->agent : q->queue ? q->queue : "*";
	char scope = q->agent ? 'a' : 'q';
	int err;

	dq.queue = dq.agent = NULL;
	dq.from = dq.origin = start;
	dq.to = start + DAY_MS;
	dq.step = DAY_MS;
	dq.nbins = 1;
	err = day_fcr(db, &dq, &d);
	err = err ? err : db_query(db, ring_row, &rf, ring_day_sql, "ii", start,
				   start + DAY_MS);
	/* The center's row marks the day computed, calls or none. */
	err = err ? err : add_to(&d, 'q', "*", &(struct report_side){0});
	if (!err)
		merge(&d);
	for (size_t i = 0; !err && i < d.n; i++) {
		const struct named *e = &d.v[i];
		const struct report_side *s = &e->s;

		if (e->scope == scope && !strcmp(e->name, want))
			report_side_add(out, s);
		/* Not stored is only slower: the next report computes it. */
		(void)db_write(db, store_sql, "ttiiiiiiiiiiii", e->scope == 'a' ?
			       "agent" : "queue", e->name, start,
			       start + DAY_MS + q->fcr_window_ms, q->fcr_window_ms,
			       q->ring_period_ms, s->fcr_answered, s->fcr_resolved,
			       s->fcr_repeated, s->fcr_followed_up,
			       s->fcr_unresolved, s->rung_calls, s->rings, gen);
	}
	free(d.v);
	return err;
}

struct stored {
	const struct report_side_q *q;
	struct report_side *bins;
	int64_t d0;
	unsigned char *have;     /* per day of [d0, d1): the center's row read */
	bool center;             /* q asks for the center: its rows are both */
};

static int have_row(const struct db_row *row, void *arg)
{
	struct stored *st = arg;

	st->have[(db_row_int(row, 0) - st->d0) / DAY_MS] = 1;
	return 0;
}

static int side_row(const struct db_row *row, void *arg)
{
	struct stored *st = arg;
	int64_t start = db_row_int(row, 0);
	struct report_side *b = &st->bins[(start - st->q->origin) / st->q->step];

	if (st->center)
		st->have[(start - st->d0) / DAY_MS] = 1;
	b->fcr_answered += db_row_int(row, 1);
	b->fcr_resolved += db_row_int(row, 2);
	b->fcr_repeated += db_row_int(row, 3);
	b->fcr_followed_up += db_row_int(row, 4);
	b->fcr_unresolved += db_row_int(row, 5);
	b->rung_calls += db_row_int(row, 6);
	b->rings += db_row_int(row, 7);
	return 0;
}

static int gen_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static const char read_sql[] =
	"SELECT start_ms, " SIDE_COLS " FROM kpi_side_days WHERE scope = ? AND "
	"name = ? AND start_ms >= ? AND start_ms < ? AND window_ms = ? AND "
	"ring_period_ms = ?";

int report_side_days(struct db *db, const struct report_side_q *q,
		     int64_t d0, int64_t d1, struct report_side *bins)
{
	size_t ndays = (size_t)((d1 - d0) / DAY_MS);
	struct stored st = {
		.q = q, .bins = bins, .d0 = d0, .center = !q->queue && !q->agent,
	};
	int64_t gen = 0;
	bool missing = false;
	int err;

	if (d0 % DAY_MS || d1 % DAY_MS || d0 >= d1 || q->step % DAY_MS ||
	    d0 < q->from || d1 > q->to || q->now_ms <= 0)
		return EINVAL;
	if (!(st.have = calloc(ndays, 1)))
		return ENOMEM;
	err = db_query(db, side_row, &st, read_sql, "ttiiii",
				   q->agent ? "agent" : "queue",
				   q->agent ? q->agent : q->queue ? q->queue : "*",
				   d0, d1, q->fcr_window_ms, q->ring_period_ms);
	if (!err && !st.center)
		err = db_query(db, have_row, &st, "SELECT start_ms FROM "
			       "kpi_side_days WHERE scope = 'queue' AND name = "
			       "'*' AND start_ms >= ? AND start_ms < ? AND "
			       "window_ms = ? AND ring_period_ms = ?", "iiii", d0,
			       d1, q->fcr_window_ms, q->ring_period_ms);
	for (size_t i = 0; !err && i < ndays && !missing; i++)
		missing = !st.have[i];
	/* Before the records are read: from now on a change to a record
	 * older than now counts (migration 049's triggers), and what is
	 * computed is stored only if none counted after gen was read. */
	if (!err && missing) {
		err = db_write(db, "UPDATE kpi_side_gen SET now_ms = CASE WHEN "
			       "now_ms < ? THEN ? ELSE now_ms END", "ii",
			       q->now_ms, q->now_ms);
		err = err ? err : db_flush(db);
		err = err ? err : db_query(db, gen_row, &gen, "SELECT n FROM "
					   "kpi_side_gen", "");
	}
	for (size_t i = 0; !err && i < ndays; i++) {
		int64_t start = d0 + (int64_t)i * DAY_MS;

		if (!st.have[i])
			err = compute_day(db, q, start, gen,
					  &bins[(start - q->origin) / q->step]);
	}
	free(st.have);
	return err;
}
