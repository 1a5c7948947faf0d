/* bench/spc: what a control chart and a histogram cost. Prints the time
 * to chart a year of 15-minute intervals (35,040 points; issue 17 asks
 * under 20 ms for the chart) as XmR with each rule set, as a p-chart, and
 * to bin and classify the same number of values; median of RUNS runs.
 * Pure CPU, no server. The API takes 10,000 points at most, so these are
 * above anything one request asks. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "spc/spc.h"

enum { N = 365 * 96, RUNS = 21 };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A day's shape of waits plus noise: enough variety for every rule. */
static void series(double *x, double *n)
{
	uint64_t s = 42;

	for (size_t i = 0; i < N; i++) {
		double u;

		s = s * 6364136223846793005ull + 1442695040888963407ull;
		u = (double)(s >> 11) / 9007199254740992.0;
		x[i] = 30 + 10 * sin((double)(i % 96) / 96 * 2 * M_PI) +
		       20 * u;
		n[i] = 50 + (double)(i % 7);
	}
}

/* Median ms of RUNS charts (and detections under set). */
static double time_chart(const struct spc_input *in, enum spc_ruleset set,
			 size_t *nsig)
{
	double t[RUNS];

	for (int r = 0; r < RUNS; r++) {
		struct spc_chart c;
		struct spc_signals sg;
		double t0 = now_ms();

		if (spc_chart_make(in, &c) || spc_detect(&c, set, &sg)) {
			fprintf(stderr, "chart failed\n");
			exit(1);
		}
		t[r] = now_ms() - t0;
		*nsig = sg.n;
		spc_signals_free(&sg);
		spc_chart_free(&c);
	}
	qsort(t, RUNS, sizeof(*t), by_value);
	return t[RUNS / 2];
}

int main(void)
{
	static double x[N], n[N], d[N];
	static const char *const sets[] = {"deck", "western-electric",
					   "nelson"};
	struct spc_input in = {.kind = SPC_XMR, .x = x, .npoints = N};
	double t[RUNS];
	size_t nsig;

	series(x, n);
	for (int s = 0; s < 3; s++) {
		double ms = time_chart(&in, (enum spc_ruleset)s, &nsig);

		printf("XmR, %d points, rules %-16s %7.2f ms (%zu signals)\n",
		       N, sets[s], ms, nsig);
	}
	for (size_t i = 0; i < N; i++)
		d[i] = round(x[i] / 100 * n[i]);
	in = (struct spc_input){.kind = SPC_P, .x = d, .n = n, .npoints = N};
	printf("p,   %d points, rules %-16s %7.2f ms (%zu signals)\n", N,
	       "deck", time_chart(&in, SPC_RULES_DECK, &nsig), nsig);
	for (int r = 0; r < RUNS; r++) {
		struct spc_hist h;
		double t0 = now_ms();

		if (spc_hist_make(x, N, 0, &h)) {
			fprintf(stderr, "histogram failed\n");
			return 1;
		}
		t[r] = now_ms() - t0;
		spc_hist_free(&h);
	}
	qsort(t, RUNS, sizeof(*t), by_value);
	printf("histogram, %d values (bins and shape)   %7.2f ms\n", N,
	       t[RUNS / 2]);
	return 0;
}
