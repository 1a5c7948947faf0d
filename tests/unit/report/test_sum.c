/* Buckets as the unit of every report: summing quarter hours equals
 * folding the whole period into one bucket, the order of events does not
 * matter, and stored buckets come back exactly. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "events.h"

#define DAY_MS INT64_C(86400000)
#define HOUR_MS INT64_C(3600000)
/* T0 is 22:00 UTC; the day starting two hours later is a whole UTC day. */
#define DAY0 (T0 + 2 * HOUR_MS)

enum { N_EVENTS = 4000 };

static const char *const queues[] = {"sales", "support", ""};
static const char *const agents[] = {"1001", "1002", "1003", "1004"};

static uint64_t rng;

static uint64_t next(uint64_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (rng >> 33) % n;
}

/* A day of events of every type at random (fixed seed): waits up to 10
 * minutes, spans up to 2 hours, many of them across interval and day
 * boundaries. They need not tell a consistent story: the fold counts. */
static void make_day(struct report_event *ev, size_t n)
{
	rng = 42;
	for (size_t i = 0; i < n; i++) {
		struct report_event *e = &ev[i];
		int64_t ts = DAY0 + (int64_t)next((uint64_t)DAY_MS);
		memset(e, 0, sizeof(*e));
		e->type = (enum report_ev_type)next(REPORT_EV_COUNT);
		e->ts_ms = ts;
		e->queue = queues[next(3)];
		e->agent = agents[next(4)];
		e->enter_ms = ts - (int64_t)next(600000);
		e->dur_ms = (int64_t)next(2 * HOUR_MS);
		e->ring_ms = (int64_t)next((uint64_t)(ts - e->enter_ms) + 1);
		e->state = (enum report_agent_state)next(REPORT_AGENT_STATE_COUNT);
		e->prev_state = (enum report_agent_state)next(REPORT_AGENT_STATE_COUNT);
		e->flags = next(2) ? REPORT_EVF_QUEUED : 0;
		if (e->type == REPORT_EV_TRANSFER && next(4) == 0)
			e->queue = NULL;   /* a direct call */
	}
}

static struct report_set *fold_all(int64_t interval, const struct report_event *ev,
				   size_t n, int backwards)
{
	struct report_set *s;
	struct report_queue_cfg cfg = {.sl_ms = 30000, .short_abandon_ms = 8000};
	assert_int_equal(0, report_set_alloc(&s, interval));
	assert_int_equal(0, report_set_queue(s, "support", &cfg));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(0, report_fold(s, &ev[backwards ? n - 1 - i : i]));
	return s;
}

/* Every summable field, and the thresholds, agree. */
static void assert_same(const struct report_bucket *a, const struct report_bucket *b)
{
	size_t n;
	const struct report_field *f = report_fields(&n);
	for (size_t i = 0; i < n; i++) {
		int64_t x = *(const int64_t *)((const char *)a + f[i].off);
		int64_t y = *(const int64_t *)((const char *)b + f[i].off);
		if (x != y)
			fail_msg("%s: %lld != %lld", f[i].name, (long long)x, (long long)y);
	}
	assert_int_equal(a->sl_ms, b->sl_ms);
	assert_int_equal(a->short_ms, b->short_ms);
}

static void assert_same_kpis(const struct report_bucket *a, const struct report_bucket *b)
{
	size_t n;
	const struct report_kpi_def *k = report_kpis(&n);
	for (size_t i = 0; i < n; i++) {
		double x = NAN, y = NAN;
		int ex = report_kpi(&k[i], a, NULL, &x), ey = report_kpi(&k[i], b, NULL, &y);
		assert_int_equal(ex, ey);
		if (!ex)
			assert_true(fabs(x - y) <= 1e-12 * fmax(1, fabs(x)));
	}
}

static void quarter_hours_sum_to_the_day(void **st)
{
	static struct report_event ev[N_EVENTS];
	struct report_set *q, *d;
	(void)st;
	make_day(ev, N_EVENTS);
	q = fold_all(REPORT_INTERVAL_MS, ev, N_EVENTS, 0);
	d = fold_all(DAY_MS, ev, N_EVENTS, 0);
	for (int sc = REPORT_QUEUE; sc <= REPORT_AGENT; sc++) {
		const char *names[] = {NULL, "sales", "support", "", "1001", "1004"};
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			/* The day itself, and the day before that spans reach into. */
			for (int64_t day = DAY0 - DAY_MS; day <= DAY0; day += DAY_MS) {
				struct report_bucket a, b;
				assert_int_equal(0, report_sum(q, sc, names[k], day, day + DAY_MS, &a));
				assert_int_equal(0, report_sum(d, sc, names[k], day, day + DAY_MS, &b));
				assert_same(&a, &b);
				assert_same_kpis(&a, &b);
				if (day == DAY0 && a.intervals)
					assert_true(a.intervals > 4);
			}
		}
	}
	report_set_free(q);
	report_set_free(d);
}

/* Four quarter hours are an hour, whichever hour. */
static void quarter_hours_sum_to_hours(void **st)
{
	static struct report_event ev[N_EVENTS];
	struct report_set *q, *h;
	(void)st;
	make_day(ev, N_EVENTS);
	q = fold_all(REPORT_INTERVAL_MS, ev, N_EVENTS, 0);
	h = fold_all(HOUR_MS, ev, N_EVENTS, 0);
	for (int64_t t = DAY0; t < DAY0 + DAY_MS; t += 5 * HOUR_MS) {
		struct report_bucket a, b;
		assert_int_equal(0, report_sum(q, REPORT_AGENT, NULL, t, t + HOUR_MS, &a));
		assert_int_equal(0, report_sum(h, REPORT_AGENT, NULL, t, t + HOUR_MS, &b));
		assert_same(&a, &b);
		assert_int_equal(0, report_sum(q, REPORT_QUEUE, "sales", t, t + HOUR_MS, &a));
		assert_int_equal(0, report_sum(h, REPORT_QUEUE, "sales", t, t + HOUR_MS, &b));
		assert_same(&a, &b);
	}
	report_set_free(q);
	report_set_free(h);
}

/* The fold keeps no state between events: any order, same buckets. */
static void order_of_events_does_not_matter(void **st)
{
	static struct report_event ev[N_EVENTS];
	struct report_set *fwd, *back;
	struct report_bucket a, b;
	(void)st;
	make_day(ev, N_EVENTS);
	fwd = fold_all(REPORT_INTERVAL_MS, ev, N_EVENTS, 0);
	back = fold_all(REPORT_INTERVAL_MS, ev, N_EVENTS, 1);
	for (int64_t t = DAY0 - HOUR_MS; t < DAY0 + DAY_MS; t += REPORT_INTERVAL_MS) {
		assert_int_equal(0, report_sum(fwd, REPORT_QUEUE, NULL, t, t + REPORT_INTERVAL_MS, &a));
		assert_int_equal(0, report_sum(back, REPORT_QUEUE, NULL, t, t + REPORT_INTERVAL_MS, &b));
		assert_same(&a, &b);
		assert_int_equal(0, report_sum(fwd, REPORT_AGENT, "1002", t, t + REPORT_INTERVAL_MS, &a));
		assert_int_equal(0, report_sum(back, REPORT_AGENT, "1002", t, t + REPORT_INTERVAL_MS, &b));
		assert_same(&a, &b);
	}
	report_set_free(fwd);
	report_set_free(back);
}

struct store {
	struct report_set *into;
	int n;
};

static int store_bucket(enum report_scope sc, const char *name,
			const struct report_bucket *b, void *arg)
{
	struct store *s = arg;
	s->n++;
	return report_load(s->into, sc, name, b);
}

/* What flush hands out, loaded into a fresh set, is the same set; a
 * second flush has nothing; one more event dirties one bucket per scope. */
static void flushed_buckets_load_back(void **st)
{
	static struct report_event ev[N_EVENTS];
	struct report_set *live;
	struct store store = {0};
	struct report_bucket a, b;
	(void)st;
	make_day(ev, N_EVENTS);
	live = fold_all(REPORT_INTERVAL_MS, ev, N_EVENTS, 0);
	assert_int_equal(0, report_set_alloc(&store.into, REPORT_INTERVAL_MS));
	assert_int_equal(0, report_flush(live, store_bucket, &store));
	assert_true(store.n > 96);
	for (int sc = REPORT_QUEUE; sc <= REPORT_AGENT; sc++) {
		assert_int_equal(0, report_sum(live, sc, NULL, 0, INT64_MAX, &a));
		assert_int_equal(0, report_sum(store.into, sc, NULL, 0, INT64_MAX, &b));
		assert_same(&a, &b);
		assert_int_equal(a.intervals, b.intervals);
		assert_int_equal(a.start_ms, b.start_ms);
	}
	store.n = 0;
	assert_int_equal(0, report_flush(live, store_bucket, &store));
	assert_int_equal(0, store.n);

	set_ = live;
	answer("sales", "1003", 100, 110, 2);
	assert_int_equal(0, report_flush(live, store_bucket, &store));
	assert_int_equal(2, store.n);
	assert_int_equal(0, report_sum(store.into, REPORT_AGENT, "1003", AT(0), AT(900), &b));
	assert_int_equal(1, b.answered);

	b = (struct report_bucket){.start_ms = T0 + 1, .intervals = 1};
	assert_int_equal(EINVAL, report_load(store.into, REPORT_QUEUE, "q", &b));
	report_set_free(live);
	report_set_free(store.into);
	set_ = NULL;
}

/* A flush that fails leaves its bucket dirty for the next one. */
static int refuse(enum report_scope sc, const char *name,
		  const struct report_bucket *b, void *arg)
{
	(void)sc;
	(void)name;
	(void)b;
	(void)arg;
	return EIO;
}

static void failed_flush_keeps_buckets_dirty(void **st)
{
	struct store store = {0};
	(void)st;
	assert_int_equal(0, report_set_alloc(&set_, REPORT_INTERVAL_MS));
	assert_int_equal(0, report_set_alloc(&store.into, REPORT_INTERVAL_MS));
	enter("q", 10, 1);
	assert_int_equal(EIO, report_flush(set_, refuse, NULL));
	assert_int_equal(0, report_flush(set_, store_bucket, &store));
	assert_int_equal(1, store.n);
	report_set_free(store.into);
	report_set_free(set_);
	set_ = NULL;
}

/* Calls judged by different thresholds can be summed, flagged as mixed. */
static void sums_flag_mixed_thresholds(void **st)
{
	struct report_queue_cfg strict = {.sl_ms = 10000, .short_abandon_ms = 5000};
	struct report_bucket b;
	(void)st;
	assert_int_equal(0, report_set_alloc(&set_, REPORT_INTERVAL_MS));
	enter("q", 10, 1);
	answer("q", "1001", 10, 15, 1);
	assert_int_equal(0, report_set_queue(set_, "q", &strict));
	enter("q", 1000, 1);
	answer("q", "1001", 1000, 1012, 1);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(0), AT(900), &b));
	assert_int_equal(20000, b.sl_ms);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(900), AT(1800), &b));
	assert_int_equal(10000, b.sl_ms);
	assert_int_equal(5000, b.short_ms);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(0), AT(1800), &b));
	assert_int_equal(-1, b.sl_ms);
	assert_int_equal(-1, b.short_ms);
	assert_int_equal(1, b.answered_in_sl);
	/* Buckets with no judged call carry no threshold to disagree with. */
	enter("q", 2000, 1);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(900), AT(2700), &b));
	assert_int_equal(10000, b.sl_ms);
	report_set_free(set_);
	set_ = NULL;
}

/* Ranges are half-open and cover whole buckets that start inside them. */
static void sum_ranges(void **st)
{
	struct report_bucket b;
	struct report_queue_cfg bad = {.sl_ms = -1};
	(void)st;
	assert_int_equal(0, report_set_alloc(&set_, REPORT_INTERVAL_MS));
	enter("q", 100, 1);
	enter("q", 1000, 1);
	enter("q", 2000, 1);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(0), AT(900), &b));
	assert_int_equal(1, b.entered);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(0), AT(901), &b));
	assert_int_equal(2, b.entered);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(1), AT(2700), &b));
	assert_int_equal(2, b.entered);
	assert_int_equal(T0 + 900000, b.start_ms);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", 0, INT64_MAX, &b));
	assert_int_equal(3, b.entered);
	assert_int_equal(3, b.intervals);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "nobody", 0, INT64_MAX, &b));
	assert_int_equal(0, b.intervals);
	assert_int_equal(0, report_sum(set_, REPORT_AGENT, "q", 0, INT64_MAX, &b));
	assert_int_equal(0, b.entered);
	assert_int_equal(0, report_sum(set_, REPORT_QUEUE, "q", AT(900), AT(900), &b));
	assert_int_equal(0, b.intervals);
	assert_int_equal(EINVAL, report_set_queue(set_, "q", &bad));
	assert_int_equal(EINVAL, report_set_alloc(&(struct report_set *){NULL}, 0));
	report_set_free(set_);
	set_ = NULL;
}

/* report_sum_rows gives, row by row, what report_sum gives for each
 * row's span, for a name and for every name, at 15 minutes, hours and a
 * day, over spans that start and end inside a row. */
static void rows_in_one_walk_equal_sums_one_by_one(void **st)
{
	static struct report_event ev[N_EVENTS];
	static struct report_bucket rows[300];
	static const int64_t steps[] = {REPORT_INTERVAL_MS, HOUR_MS, DAY_MS};
	static const char *const names[] = {"support", NULL, "nobody"};
	struct report_set *s;
	(void)st;
	make_day(ev, N_EVENTS);
	s = fold_all(REPORT_INTERVAL_MS, ev, N_EVENTS, 0);
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 3; j++) {
			int64_t step = steps[i];
			int64_t from = DAY0 - DAY_MS + 7 * 60000, to = DAY0 + DAY_MS + 3 * HOUR_MS + 1;
			int64_t start = from - from % step;
			size_t n = (size_t)((to - start - 1) / step + 1), had = 0;
			assert_true(n <= 300);
			assert_int_equal(0, report_sum_rows(s, REPORT_QUEUE, names[j], from, to,
							    start, step, n, rows));
			for (size_t k = 0; k < n; k++) {
				struct report_bucket b;
				int64_t lo = start + (int64_t)k * step, hi = lo + step;
				assert_int_equal(0, report_sum(s, REPORT_QUEUE, names[j],
							       lo < from ? from : lo,
							       hi < to ? hi : to, &b));
				assert_same(&b, &rows[k]);
				assert_int_equal(b.start_ms, rows[k].start_ms);
				assert_int_equal(b.intervals, rows[k].intervals);
				had += b.intervals > 0;
			}
			assert_true(names[j] && !strcmp(names[j], "nobody") ? had == 0 : had > 0);
		}
	}
	assert_int_equal(EINVAL, report_sum_rows(s, REPORT_QUEUE, NULL, DAY0, DAY0 + 1,
						 DAY0 + 1, DAY_MS, 1, rows));
	assert_int_equal(EINVAL, report_sum_rows(s, REPORT_QUEUE, NULL, DAY0, DAY0 + 1,
						 DAY0, 0, 1, rows));
	report_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quarter_hours_sum_to_the_day),
		cmocka_unit_test(quarter_hours_sum_to_hours),
		cmocka_unit_test(order_of_events_does_not_matter),
		cmocka_unit_test(flushed_buckets_load_back),
		cmocka_unit_test(failed_flush_keeps_buckets_dirty),
		cmocka_unit_test(sums_flag_mixed_thresholds),
		cmocka_unit_test(sum_ranges),
		cmocka_unit_test(rows_in_one_walk_equal_sums_one_by_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
