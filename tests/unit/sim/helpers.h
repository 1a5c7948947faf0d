/* helpers.h: running a scenario given as JSON text, and the batch-means
 * statistics the queueing-theory tests compare with. Included by each
 * tests/unit/sim/test_*.c. */
#ifndef HL_TEST_SIM_HELPERS_H
#define HL_TEST_SIM_HELPERS_H

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "report/report.h"
#include "sim/sim.h"

/* Parses and runs the scenario (printf-style), failing the test on any
 * error; the result is the caller's. */
static inline struct sim_result *run_text(uint64_t seed, const char *fmt, ...)
{
	struct sim_scenario *sc = NULL;
	struct sim_result *r = NULL;
	char text[8192], why[SIM_WHY_LEN] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (sim_scenario_parse(&sc, text, why, sizeof(why)))
		fail_msg("scenario refused: %s\n%s", why, text);
	assert_int_equal(0, sim_run(sc, seed, &r));
	sim_scenario_free(sc);
	return r;
}

/* The KPI of a summed bucket; fails the test on ENODATA. */
static inline double kpi(const char *id, const struct report_bucket *b)
{
	double v = NAN;

	assert_int_equal(0, report_kpi(report_kpi_find(id), b, &sim_kpi_cfg, &v));
	return v;
}

/* Batch means: the rows of a run are independent-enough batches when each
 * spans many handle times. mean of the per-row values and its standard
 * error sd / sqrt(rows); the whole-run estimate is compared with theory
 * within 4 standard errors (a fixed seed, so the outcome is fixed too). */
struct batch {
	double total;    /* the KPI over the whole run */
	double mean, se; /* of the per-row values */
	size_t n;
};

static inline struct batch batches(const struct sim_result *r, const char *id)
{
	struct report_bucket q, a;
	struct batch b = {0};
	double s = 0, s2 = 0;

	for (size_t i = 0; i < sim_result_rows(r); i++) {
		double v;
		assert_int_equal(0, sim_result_row(r, i, &q, &a));
		assert_int_equal(0, report_kpi(report_kpi_find(id),
					       !strcmp(id, "occupancy") ? &a : &q,
					       &sim_kpi_cfg, &v));
		s += v;
		s2 += v * v;
		b.n++;
	}
	assert_true(b.n >= 20);
	b.mean = s / b.n;
	b.se = sqrt((s2 / b.n - b.mean * b.mean) / (b.n - 1));
	assert_int_equal(0, sim_result_total(r, NULL, &q, &a));
	b.total = kpi(id, !strcmp(id, "occupancy") ? &a : &q);
	return b;
}

/* |simulated - theory| within 4 standard errors, and the standard error
 * itself small enough for the comparison to mean something. */
static inline void agrees(const char *what, const struct batch *b,
			  double theory, double max_se)
{
	print_message("  %-16s simulated %.4f  theory %.4f  (4 se = %.4f)\n",
		      what, b->total, theory, 4 * b->se);
	assert_true(b->se > 0 && b->se < max_se);
	if (fabs(b->total - theory) > 4 * b->se)
		fail_msg("%s: simulated %.5f, theory %.5f, 4 se %.5f", what,
			 b->total, theory, 4 * b->se);
}

#endif
