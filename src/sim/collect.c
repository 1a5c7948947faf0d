/* sim/collect: the result of a run. The report set's buckets are added
 * into one row per interval (every queue summed, every agent summed) and
 * into a total per queue; every KPI printed is report_kpi() over one of
 * these sums, as docs/kpi.md asks: a period's service level is its calls
 * answered in time over its calls, never an average of rows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sim/sim_int.h"

const struct report_queue_cfg sim_kpi_cfg = {
	.sl_ms = 20000,
	.short_abandon_ms = 0,
	.abandon_sl = REPORT_ABANDON_MISSED,
};

int sim_result_new(struct sim_result **rp, const struct sim_scenario *sc,
		   uint64_t seed)
{
	struct sim_result *r = calloc(1, sizeof(*r));
	size_t rows = (size_t)((sc->duration_ms + sc->interval_ms - 1) /
			       sc->interval_ms);

	if (!r)
		return ENOMEM;
	r->qnames = calloc(sc->nqueues, sizeof(*r->qnames));
	r->qtotal = calloc(sc->nqueues, sizeof(*r->qtotal));
	r->rows_q = calloc(rows, sizeof(*r->rows_q));
	r->rows_a = calloc(rows, sizeof(*r->rows_a));
	if (!r->qnames || !r->qtotal || !r->rows_q || !r->rows_a) {
		sim_result_free(r);
		return ENOMEM;
	}
	for (size_t i = 0; i < sc->nqueues; i++)
		memcpy(r->qnames[i], sc->queues[i].name, SIM_NAME_LEN);
	r->nrows = r->caprows = r->period_rows = rows;
	r->stats = (struct sim_stats){
		.seed = seed, .duration_ms = sc->duration_ms,
		.interval_ms = sc->interval_ms, .agents = sc->nagents,
		.queues = (uint32_t)sc->nqueues,
	};
	*rp = r;
	return 0;
}

void sim_result_free(struct sim_result *r)
{
	if (!r)
		return;
	free(r->qnames);
	free(r->qtotal);
	free(r->rows_q);
	free(r->rows_a);
	free(r);
}

/* Room for row i (an overflow may enter a queue after the period). */
static int grow(struct sim_result *r, size_t i)
{
	size_t cap = r->caprows;
	struct report_bucket *q, *a;

	if (i < r->nrows)
		return 0;
	if (i >= cap) {
		while (i >= cap)
			cap *= 2;
		q = realloc(r->rows_q, cap * sizeof(*q));
		if (!q)
			return ENOMEM;
		r->rows_q = q;
		a = realloc(r->rows_a, cap * sizeof(*a));
		if (!a)
			return ENOMEM;
		r->rows_a = a;
		r->caprows = cap;
	}
	memset(r->rows_q + r->nrows, 0, (i + 1 - r->nrows) * sizeof(struct report_bucket));
	memset(r->rows_a + r->nrows, 0, (i + 1 - r->nrows) * sizeof(struct report_bucket));
	r->nrows = i + 1;
	return 0;
}

static int add_bucket(enum report_scope scope, const char *name,
		      const struct report_bucket *b, void *arg)
{
	struct sim_result *r = arg;
	size_t row = (size_t)(b->start_ms / r->stats.interval_ms), q;

	if (scope == REPORT_AGENT) {
		if (row >= r->period_rows)
			return 0;      /* past the period: not reported */
		report_bucket_add(&r->rows_a[row], b);
		report_bucket_add(&r->atotal, b);
		return 0;
	}
	for (q = 0; q < r->stats.queues && strcmp(r->qnames[q], name); q++)
		;
	if (q == r->stats.queues || grow(r, row))
		return q == r->stats.queues ? EPROTO : ENOMEM;
	report_bucket_add(&r->rows_q[row], b);
	report_bucket_add(&r->qtotal[q], b);
	return 0;
}

int sim_collect(struct sim_result *r, struct report_set *s)
{
	return report_flush(s, add_bucket, r);
}

void sim_result_stats(const struct sim_result *r, struct sim_stats *out)
{
	*out = r->stats;
}

size_t sim_result_rows(const struct sim_result *r)
{
	return r->nrows;
}

int sim_result_row(const struct sim_result *r, size_t i,
		   struct report_bucket *q, struct report_bucket *a)
{
	if (i >= r->nrows)
		return EINVAL;
	if (q)
		*q = r->rows_q[i];
	if (a)
		*a = r->rows_a[i];
	return 0;
}

int sim_result_total(const struct sim_result *r, const char *queue,
		     struct report_bucket *q, struct report_bucket *a)
{
	struct report_bucket sum = {0};
	size_t i;

	for (i = 0; i < r->stats.queues; i++) {
		if (!queue)
			report_bucket_add(&sum, &r->qtotal[i]);
		else if (!strcmp(r->qnames[i], queue))
			break;
	}
	if (queue && i == r->stats.queues)
		return ENOENT;
	if (q)
		*q = queue ? r->qtotal[i] : sum;
	if (a)
		*a = r->atotal;
	return 0;
}

const char *sim_result_queue(const struct sim_result *r, size_t i)
{
	return i < r->stats.queues ? r->qnames[i] : NULL;
}
