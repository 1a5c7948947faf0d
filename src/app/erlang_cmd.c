/* app/erlang_cmd: "hotline erlang", the staffing calculator. Flags are one
 * table; the maths is wfm/ (pure), this file only parses and prints. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "base/util.h"
#include "wfm/wfm.h"

struct erlang_args {
	double calls, interval, aht, sl, sl_time, patience, agents;
	bool json;
};

/* What a flag's value must be. */
enum kind {
	K_POSITIVE,   /* a number > 0 */
	K_NONNEG,     /* a number >= 0 */
	K_FRACTION,   /* 0 < x < 1 */
	K_AGENTS,     /* a whole number 1 .. WFM_MAX_AGENTS */
	K_BOOL,       /* takes no value */
};

struct flag {
	const char *name;
	enum kind kind;
	size_t off;        /* the double (or bool) in struct erlang_args */
	bool required;
	const char *help;
};

#define ARG(f) offsetof(struct erlang_args, f)

static const struct flag flags[] = {
	{"--calls",    K_POSITIVE, ARG(calls),    true,
	 "calls expected in the interval"},
	{"--interval", K_POSITIVE, ARG(interval), true,
	 "the interval's length in seconds (1800 for half an hour)"},
	{"--aht",      K_POSITIVE, ARG(aht),      true,
	 "average handle time in seconds (talk + hold + wrap-up)"},
	{"--sl",       K_FRACTION, ARG(sl),       false,
	 "service-level target, a fraction (default 0.80)"},
	{"--sl-time",  K_NONNEG,   ARG(sl_time),  false,
	 "answer within this many seconds (default 20)"},
	{"--agents",   K_AGENTS,   ARG(agents),   false,
	 "evaluate this staffing instead of finding the fewest agents"},
	{"--patience", K_POSITIVE, ARG(patience), false,
	 "mean caller patience in seconds: Erlang A with abandonment"},
	{"--json",     K_BOOL,     ARG(json),     false,
	 "print one JSON object"},
};

static const char *const kind_want[] = {
	[K_POSITIVE] = "a number greater than 0",
	[K_NONNEG]   = "a number, 0 or more",
	[K_FRACTION] = "a fraction between 0 and 1 (e.g. 0.80)",
	[K_AGENTS]   = "a whole number of agents from 1 to 100000",
	[K_BOOL]     = "no value",
};

static int usage_error(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "hotline erlang: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

static void print_help(void)
{
	printf("usage: hotline erlang --calls N --interval SECONDS --aht SECONDS"
	       " [FLAGS]\n\n"
	       "Without --agents: the fewest agents answering --sl of the calls"
	       " within --sl-time.\nWith --agents: how that staffing performs."
	       " --patience switches Erlang C to Erlang A.\n\n");
	for (size_t i = 0; i < ARRAY_LEN(flags); i++)
		printf("  %-12s %s\n", flags[i].name, flags[i].help);
}

static bool parse_value(const struct flag *f, const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(*v))
		return false;
	switch (f->kind) {
	case K_POSITIVE: return *v > 0;
	case K_NONNEG:   return *v >= 0;
	case K_FRACTION: return *v > 0 && *v < 1;
	case K_AGENTS:   return *v >= 1 && *v <= WFM_MAX_AGENTS && *v == floor(*v);
	case K_BOOL:     return false;
	}
	return false;
}

/* Fills a from argv[1..argc); 0, or 2 after one line on stderr. */
static int parse_args(int argc, char **argv, struct erlang_args *a, bool seen[])
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *val;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct flag *f = NULL;
		size_t k;

		for (k = 0; k < ARRAY_LEN(flags); k++) {
			if (strlen(flags[k].name) == len &&
			    !strncmp(flags[k].name, arg, len)) {
				f = &flags[k];
				break;
			}
		}
		if (!f)
			return usage_error(strncmp(arg, "--", 2) ?
					   "unexpected argument '%s'%s" :
					   "unknown flag '%s'%s", arg,
					   " (try hotline erlang --help)");
		seen[k] = true;
		if (f->kind == K_BOOL) {
			if (eq)
				return usage_error("%s takes no value%s", f->name, "");
			*(bool *)((char *)a + f->off) = true;
			continue;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return usage_error("%s needs a value: %s", f->name,
					   kind_want[f->kind]);
		if (!parse_value(f, val, (double *)((char *)a + f->off))) {
			fprintf(stderr, "hotline erlang: bad %s '%s': want %s\n",
				f->name, val, kind_want[f->kind]);
			return 2;
		}
	}
	for (size_t k = 0; k < ARRAY_LEN(flags); k++) {
		if (flags[k].required && !seen[k])
			return usage_error("%s is required%s", flags[k].name,
					   " (try hotline erlang --help)");
	}
	return 0;
}

static void print_json(const struct wfm_perf *p, bool erlang_a)
{
	printf("{\"agents\": %u, \"service_level\": %.8g, ", p->agents,
	       p->service_level);
	if (isfinite(p->asa_s))
		printf("\"asa_s\": %.8g, ", p->asa_s);
	else
		printf("\"asa_s\": null, ");
	printf("\"p_wait\": %.8g, \"occupancy\": %.8g", p->p_wait, p->occupancy);
	if (erlang_a)
		printf(", \"p_abandon\": %.8g", p->p_abandon);
	printf("}\n");
}

static void print_human(const struct erlang_args *a, const struct wfm_perf *p,
			bool found)
{
	if (a->patience > 0)
		printf("Erlang A (mean patience %g s): ", a->patience);
	else
		printf("Erlang C: ");
	printf("%g calls in %g s at %g s each = %.2f erlangs\n",
	       a->calls, a->interval, a->aht, p->erlangs);
	printf("agents          %u%s", p->agents, found ? " (fewest meeting " : "\n");
	if (found)
		printf("%.1f%% within %g s)\n", a->sl * 100, a->sl_time);
	if (!p->stable) {
		printf("unstable        fewer agents than erlangs: every call waits"
		       " and the queue grows without bound\n");
		return;
	}
	printf("service level   %.1f%% answered within %g s\n",
	       p->service_level * 100, a->sl_time);
	printf("ASA             %.1f s\n", p->asa_s);
	printf("P(wait)         %.1f%%\n", p->p_wait * 100);
	if (a->patience > 0)
		printf("P(abandon)      %.1f%%\n", p->p_abandon * 100);
	printf("occupancy       %.1f%%\n", p->occupancy * 100);
}

int app_erlang(int argc, char **argv)
{
	struct erlang_args a = {.sl = 0.80, .sl_time = 20};
	bool seen[ARRAY_LEN(flags)] = {false};
	struct wfm_traffic t;
	struct wfm_perf p;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help();
			return 0;
		}
	}
	err = parse_args(argc, argv, &a, seen);
	if (err)
		return err;
	t = (struct wfm_traffic){.calls = a.calls, .interval_s = a.interval,
				 .aht_s = a.aht, .patience_s = a.patience};
	if (a.agents > 0)
		err = wfm_eval(&t, (unsigned)a.agents, a.sl_time, &p);
	else
		err = wfm_staff(&t, a.sl, a.sl_time, &p);
	if (err == ERANGE) {
		fprintf(stderr, "hotline erlang: more than %d agents would be"
			" needed\n", WFM_MAX_AGENTS);
		return 2;
	}
	if (err) {
		fprintf(stderr, "hotline erlang: cannot evaluate: %s\n",
			strerror(err));
		return 2;
	}
	if (a.json)
		print_json(&p, a.patience > 0);
	else
		print_human(&a, &p, a.agents == 0);
	return 0;
}
