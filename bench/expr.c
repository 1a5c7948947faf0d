/* bench/expr: how long a branch node's condition takes. Compiles three
 * conditions of growing weight (a bare variable; a list, a prefix and two
 * comparisons, one numeric; a pattern) and prints per condition the time
 * to compile it and to evaluate it against a call's variables. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "ivr/ivr_expr.h"

enum { EVALS = 2000000, COMPILES = 20000 };

static const char *const conds[] = {
	"vip",
	"province in ['广东', '广西'] && startswith(caller, '138') || "
	"amount > 100 && time.hour < 18",
	"matches(caller, '^1[3-9][0-9]{9}$')",
};

static const char *get(const char *name, void *arg)
{
	static const char *const vars[][2] = {
		{"vip", "1"}, {"province", "广西"}, {"caller", "13912345678"},
		{"amount", "150.25"}, {"time.hour", "9"},
	};

	(void)arg;
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++) {
		if (!strcmp(vars[i][0], name))
			return vars[i][1];
	}
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(void)
{
	for (size_t k = 0; k < sizeof(conds) / sizeof(*conds); k++) {
		struct ivr_expr *e = NULL;
		char why[160];
		unsigned held = 0;
		bool yes = false;
		double t0, t1, t2;

		t0 = now_ns();
		for (int i = 0; i < COMPILES; i++) {
			ivr_expr_free(e);
			e = NULL;
			if (ivr_expr_compile(&e, conds[k], why, sizeof(why))) {
				fprintf(stderr, "%s: %s\n", conds[k], why);
				return 1;
			}
		}
		t1 = now_ns();
		for (int i = 0; i < EVALS; i++) {
			if (ivr_expr_eval(e, get, NULL, &yes, why, sizeof(why)))
				return 1;
			held += yes;
		}
		t2 = now_ns();
		printf("%-6.0f ns compile  %-5.0f ns eval  (%s: %s)\n",
		       (t1 - t0) / COMPILES, (t2 - t1) / EVALS, conds[k],
		       held == EVALS ? "true" : "false");
		ivr_expr_free(e);
	}
	return 0;
}
