/* app/sim_cmd: "hotline sim FILE.json [--seed N] [--json]", the call-center
 * simulator. The scenario, the run and the printing are sim/; this file
 * only reads the command line. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "app/app.h"
#include "base/util.h"
#include "sim/sim.h"

static void print_help(void)
{
	printf("usage: hotline sim FILE.json [--seed N] [--json]\n\n"
	       "Plays the scenario in FILE.json (docs/simulator.md) through the"
	       " router and the KPI\nengine of the live server, in simulated"
	       " time, and prints per-interval and total KPIs.\n\n"
	       "  --seed N   random seed, 0 to 2^64-1 (default: the scenario's"
	       " \"seed\", else 1)\n"
	       "  --json     print one JSON object\n");
}

static int usage_error(const char *fmt, const char *a)
{
	fprintf(stderr, "hotline sim: ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 2;
}

struct sim_args {
	const char *file;
	uint64_t seed;
	bool has_seed, json;
};

/* Fills a from argv[1..argc); 0, or 2 after one line on stderr. */
static int parse_args(int argc, char **argv, struct sim_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;

		if (!strcmp(arg, "--json")) {
			a->json = true;
		} else if (!strncmp(arg, "--seed", 6) &&
			   (arg[6] == '\0' || arg[6] == '=')) {
			if (arg[6] == '=')
				val = arg + 7;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return usage_error("--seed needs a value%s", "");
			if (util_parse_u64(val, 0, UINT64_MAX, &a->seed))
				return usage_error("bad --seed '%s': want a whole"
						   " number, 0 or more", val);
			a->has_seed = true;
		} else if (!strncmp(arg, "--", 2) || a->file) {
			return usage_error(!strncmp(arg, "--", 2) ?
					   "unknown flag '%s' (try hotline sim"
					   " --help)" : "unexpected argument "
					   "'%s' (one scenario file)", arg);
		} else {
			a->file = arg;
		}
	}
	if (!a->file)
		return usage_error("a scenario file is required%s",
				   " (try hotline sim --help)");
	return 0;
}

int app_sim(int argc, char **argv)
{
	struct sim_args a = {0};
	struct sim_scenario *sc = NULL;
	struct sim_result *r = NULL;
	char why[SIM_WHY_LEN];
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help();
			return 0;
		}
	}
	err = parse_args(argc, argv, &a);
	if (err)
		return err;
	if (sim_scenario_load(&sc, a.file, why, sizeof(why))) {
		fprintf(stderr, "hotline sim: %s: %s\n", a.file, why);
		return 2;
	}
	err = sim_run(sc, a.has_seed ? a.seed : sim_scenario_seed(sc), &r);
	sim_scenario_free(sc);
	if (err) {
		fprintf(stderr, "hotline sim: %s: the run failed: %s\n", a.file,
			strerror(err));
		return 1;
	}
	err = a.json ? sim_print_json(r, stdout) : sim_print_table(r, stdout);
	sim_result_free(r);
	if (err || fflush(stdout)) {
		fprintf(stderr, "hotline sim: cannot write the result\n");
		return 1;
	}
	return 0;
}
