/* bench/sim: simulated calls per second. Plays one scenario (by default
 * examples/month-500-seats.json: a month of a 500-seat center, about
 * 1,000,000 calls) through the simulator RUNS times with seed 1 and prints
 * the calls, the events, and the wall and CPU time of the fastest run.
 * Parsing and printing are not timed; everything in sim_run is: the event
 * heap, the router (acd/) and the KPI fold (report/).
 * Target: that month in under 2 seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "sim/sim.h"

enum { RUNS = 3 };

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "examples/month-500-seats.json";
	double best_wall = 0, best_cpu = 0;
	struct sim_scenario *sc = NULL;
	struct sim_stats st = {0};
	char why[SIM_WHY_LEN];

	if (sim_scenario_load(&sc, path, why, sizeof(why))) {
		fprintf(stderr, "bench/sim: %s: %s\n", path, why);
		return 2;
	}
	for (int i = 0; i < RUNS; i++) {
		struct sim_result *r = NULL;
		double w0 = clock_s(CLOCK_MONOTONIC);
		double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		int err = sim_run(sc, 1, &r);
		double wall = clock_s(CLOCK_MONOTONIC) - w0;
		double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;

		if (err) {
			fprintf(stderr, "bench/sim: run failed: %d\n", err);
			sim_scenario_free(sc);
			return 1;
		}
		sim_result_stats(r, &st);
		sim_result_free(r);
		if (!i || wall < best_wall) {
			best_wall = wall;
			best_cpu = cpu;
		}
	}
	sim_scenario_free(sc);
	printf("bench/sim %s: %.0f simulated days, %u agents, %u queues\n",
	       path, st.duration_ms / 86400000.0, st.agents, st.queues);
	printf("  calls        %llu\n", (unsigned long long)st.arrivals);
	printf("  events       %llu\n", (unsigned long long)st.events);
	printf("  time         %.3f s wall, %.3f s CPU (fastest of %d runs;"
	       " target < 2 s)\n", best_wall, best_cpu, RUNS);
	printf("  calls/s      %.0f\n", st.arrivals / best_wall);
	printf("  events/s     %.0f\n", st.events / best_wall);
	return 0;
}
