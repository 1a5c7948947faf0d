/* sim/output: a result as one JSON object or as a table. Every figure is
 * one row of `figures` below: a count straight from a summed bucket, or a
 * KPI of report/ (report_kpi over that sum), so the simulator prints what
 * the live reports would print for the same calls. A KPI with nothing to
 * divide by is JSON null (a dash in the table), never 0. */
#include <errno.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "base/util.h"
#include "sim/sim_int.h"

enum src { QUEUE, AGENT };

struct figure {
	const char *key;      /* JSON key */
	const char *kpi;      /* report_kpi_find id, or NULL: a count */
	size_t off;           /* the count's bucket field */
	enum src src;         /* summed queue buckets or agent buckets */
};

#define COUNT(k, f) {k, NULL, offsetof(struct report_bucket, f), QUEUE}
#define KPI(k, id, s) {k, id, 0, s}

static const struct figure figures[] = {
	{"offered", NULL, 0, QUEUE},    /* answered + abandoned + overflowed */
	COUNT("entered", entered),
	COUNT("answered", answered),
	COUNT("abandoned", abandoned),
	COUNT("short_abandoned", short_abandoned),
	COUNT("overflowed", overflowed),
	COUNT("answered_in_sl", answered_in_sl),
	KPI("service_level", "service_level", QUEUE),
	KPI("asa_s", "asa", QUEUE),
	KPI("abandon_rate", "abandon_rate", QUEUE),
	KPI("answered_rate", "answered_rate", QUEUE),
	KPI("p_wait", "queue_placement_rate", QUEUE),
	KPI("avg_queue_time_s", "avg_queue_time", QUEUE),
	KPI("avg_abandon_time_s", "avg_abandon_time", QUEUE),
	KPI("avg_talk_time_s", "avg_talk_time", QUEUE),
	KPI("avg_wrap_time_s", "avg_wrap_time", QUEUE),
	KPI("avg_handle_time_s", "avg_handle_time", QUEUE),
	KPI("avg_ring_time_s", "avg_ring_time", QUEUE),
	KPI("occupancy", "occupancy", AGENT),
};

/* 0 and *v, or ENODATA: the figure has no value here. */
static int figure(const struct figure *f, const struct report_bucket *q,
		  const struct report_bucket *a, double *v)
{
	if (f->kpi)
		return report_kpi(report_kpi_find(f->kpi),
				  f->src == AGENT ? a : q, &sim_kpi_cfg, v);
	if (!f->off)
		*v = (double)(q->answered + q->abandoned + q->overflowed);
	else
		*v = (double)*(const int64_t *)((const char *)q + f->off);
	return 0;
}

static int add(json_t *o, const char *key, json_t *v)
{
	return v && !json_object_set_new(o, key, v) ? 0 : ENOMEM;
}

/* The figures of one sum; a NULL a leaves out the agent ones. */
static json_t *figures_json(const struct report_bucket *q,
			    const struct report_bucket *a, json_t *o)
{
	int err = 0;

	for (size_t i = 0; o && !err && i < ARRAY_LEN(figures); i++) {
		const struct figure *f = &figures[i];
		double v;
		if (f->src == AGENT && !a)
			continue;
		if (figure(f, q, a, &v))
			err = add(o, f->key, json_null());
		else if (!f->kpi)
			err = add(o, f->key, json_integer((json_int_t)v));
		else
			err = add(o, f->key, json_real(v));
	}
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *run_json(const struct sim_stats *st)
{
	return json_pack("{s:I, s:f, s:f, s:f, s:I, s:I, s:I, s:i, s:i}",
			 "seed", (json_int_t)st->seed,
			 "duration_s", st->duration_ms / 1000.0,
			 "interval_s", st->interval_ms / 1000.0,
			 "end_s", st->end_ms / 1000.0,
			 "arrivals", (json_int_t)st->arrivals,
			 "unfinished", (json_int_t)st->unfinished,
			 "events", (json_int_t)st->events,
			 "agents", (int)st->agents, "queues", (int)st->queues);
}

static json_t *result_json(const struct sim_result *r)
{
	struct report_bucket q, a;
	json_t *root = json_object(), *queues = json_object(),
	       *rows = json_array();
	int err = root && queues && rows ? 0 : ENOMEM;

	sim_result_total(r, NULL, &q, &a);
	if (!err)
		err = add(root, "total", figures_json(&q, &a, json_object()));
	for (size_t i = 0; !err && i < r->stats.queues; i++) {
		sim_result_total(r, r->qnames[i], &q, NULL);
		err = add(queues, r->qnames[i],
			  figures_json(&q, NULL, json_object()));
	}
	for (size_t i = 0; !err && i < r->nrows; i++) {
		json_t *row = json_pack("{s:f}", "start_s",
					(double)i * r->stats.interval_ms / 1000.0);
		sim_result_row(r, i, &q, &a);
		row = figures_json(&q, &a, row);
		err = row && !json_array_append_new(rows, row) ? 0 : ENOMEM;
	}
	if (!err)
		err = add(root, "queues", json_incref(queues));
	if (!err)
		err = add(root, "intervals", json_incref(rows));
	if (!err)
		err = add(root, "run", run_json(&r->stats));
	json_decref(queues);
	json_decref(rows);
	if (err) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int sim_print_json(const struct sim_result *r, FILE *f)
{
	json_t *root = result_json(r);
	int err;

	if (!root)
		return ENOMEM;
	err = json_dumpf(root, f, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (err || fputc('\n', f) == EOF)
		return EIO;
	return 0;
}

/* --- the table ------------------------------------------------------------ */

static const char *const cols[] = {
	"offered", "answered", "abandoned", "service_level", "asa_s",
	"abandon_rate", "p_wait", "occupancy",
};
static const char *const heads[] = {
	"offered", "answered", "abandoned", "SL", "ASA s", "aband", "waited",
	"occ",
};

static const struct figure *by_key(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(figures); i++) {
		if (!strcmp(figures[i].key, key))
			return &figures[i];
	}
	return NULL;
}

static void table_row(FILE *f, const char *label, const struct report_bucket *q,
		      const struct report_bucket *a)
{
	fprintf(f, "%-10s", label);
	for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
		const struct figure *fig = by_key(cols[i]);
		double v;
		if ((fig->src == AGENT && !a) || figure(fig, q, a, &v))
			fprintf(f, " %9s", "-");
		else if (!fig->kpi)
			fprintf(f, " %9.0f", v);
		else if (!strcmp(cols[i], "asa_s"))
			fprintf(f, " %9.1f", v);
		else
			fprintf(f, " %8.1f%%", v * 100);
	}
	fputc('\n', f);
}

/* "08:15", or "d2 08:15" when the period is longer than a day. */
static void label(char *out, size_t n, int64_t ms, bool days)
{
	int64_t s = ms / 1000;

	if (days)
		snprintf(out, n, "d%lld %02lld:%02lld", (long long)(s / 86400 + 1),
			 (long long)(s % 86400 / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(out, n, "%02lld:%02lld", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
}

int sim_print_table(const struct sim_result *r, FILE *f)
{
	const struct sim_stats *st = &r->stats;
	bool days = st->duration_ms > 86400000;
	struct report_bucket q, a;
	char lab[32];

	fprintf(f, "simulated %.0f s in %.0f s intervals: %u queue(s), %u "
		"agent(s), seed %llu, %llu arrivals", st->duration_ms / 1000.0,
		st->interval_ms / 1000.0, st->queues, st->agents,
		(unsigned long long)st->seed, (unsigned long long)st->arrivals);
	if (st->unfinished)
		fprintf(f, ", %llu never served (no agent left)",
			(unsigned long long)st->unfinished);
	fprintf(f, "\n\n%-10s", days ? "day time" : "time");
	for (size_t i = 0; i < ARRAY_LEN(heads); i++)
		fprintf(f, " %9s", heads[i]);
	fputc('\n', f);
	for (size_t i = 0; i < r->nrows; i++) {
		sim_result_row(r, i, &q, &a);
		label(lab, sizeof(lab), (int64_t)i * st->interval_ms, days);
		table_row(f, lab, &q, &a);
	}
	sim_result_total(r, NULL, &q, &a);
	fputc('\n', f);
	table_row(f, "total", &q, &a);
	for (size_t i = 0; st->queues > 1 && i < st->queues; i++) {
		sim_result_total(r, r->qnames[i], &q, NULL);
		snprintf(lab, sizeof(lab), "%.10s", r->qnames[i]);
		table_row(f, lab, &q, NULL);
	}
	return ferror(f) ? EIO : 0;
}
