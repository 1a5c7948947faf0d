/* bench/qa_sample: how long the sampling core (qa/sample.c) takes to draw
 * from 1,000,000 calls of 2,000 agents in 20 queues, shared out among 30
 * inspectors (ten of them agents who also inspect, so the own-call rule
 * is exercised), per plan: 5 calls per agent, 1 % per queue, and all.
 * Prints CPU and wall milliseconds per draw, the best of RUNS. The
 * reading of the candidates from the database is not in it (that is
 * SQLite's; docs/qa.md). Target: a draw under 1 s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "qa/sample.h"

enum { CALLS = 1000000, AGENTS = 2000, QUEUES = 20, INSPECTORS = 30,
       RUNS = 3 };

static double now_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	static char ids[CALLS][12], agents[AGENTS][12], queues[QUEUES][16],
		    iext[INSPECTORS][12];
	struct qa_cand *c = malloc(CALLS * sizeof(*c));
	struct qa_pick *picks = malloc(CALLS * sizeof(*picks));
	struct qa_inspector insp[INSPECTORS];
	const struct qa_plan plans[] = {
		{.kind = QA_PLAN_PER_AGENT, .n = 5, .seed = 1},
		{.kind = QA_PLAN_PERCENT, .pct = 1, .seed = 1},
		{.kind = QA_PLAN_ALL},
	};
	const char *names[] = {"per-agent n=5", "percent 1%", "all"};
	uint64_t x = 88172645463325252ull;

	if (!c || !picks)
		return 1;
	for (int a = 0; a < AGENTS; a++)
		snprintf(agents[a], sizeof(agents[a]), "%d", 1000 + a);
	for (int q = 0; q < QUEUES; q++)
		snprintf(queues[q], sizeof(queues[q]), "q%d", q);
	for (int i = 0; i < INSPECTORS; i++)
		snprintf(iext[i], sizeof(iext[i]), "%s", i < 10 ? agents[i] : "");
	/* Call ids in random order, as util_random_id makes them. */
	for (int i = 0; i < CALLS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(ids[i], sizeof(ids[i]), "%011llx",
			 (unsigned long long)(x & 0xfffffffffffull));
		c[i] = (struct qa_cand){ids[i], agents[x % AGENTS],
					queues[(x >> 20) % QUEUES], i};
	}
	printf("qa sample: %d calls, %d agents, %d queues, %d inspectors\n",
	       CALLS, AGENTS, QUEUES, INSPECTORS);
	for (size_t p = 0; p < sizeof(plans) / sizeof(plans[0]); p++) {
		double best_cpu = 1e9, best_wall = 1e9;
		size_t n = 0;

		for (int r = 0; r < RUNS; r++) {
			double c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
			double w0 = now_s(CLOCK_MONOTONIC);

			for (int i = 0; i < INSPECTORS; i++)
				insp[i] = (struct qa_inspector){iext[i], 0, NULL};
			if (qa_sample(&plans[p], c, CALLS, insp, INSPECTORS,
				      picks, &n))
				return 1;
			if (now_s(CLOCK_PROCESS_CPUTIME_ID) - c0 < best_cpu)
				best_cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
			if (now_s(CLOCK_MONOTONIC) - w0 < best_wall)
				best_wall = now_s(CLOCK_MONOTONIC) - w0;
		}
		printf("  %-14s %7zu picked  %7.1f ms CPU  %7.1f ms wall "
		       "(target < 1000 ms)\n", names[p], n, best_cpu * 1e3,
		       best_wall * 1e3);
	}
	free(c);
	free(picks);
	return 0;
}
