/* bench/ivr: how fast the IVR interpreter runs, with no I/O (the host
 * half is simulated: every prompt is "heard" at once). Prints:
 *  - compiles/s of a typical menu flow (what a PUT costs);
 *  - calls/s through it: greeting, menu key, an account number, call data
 *    set, the number read out, a queue — and node steps/s over them;
 *  - steps/s of a chain of set nodes (the interpreter's walking speed).
 * A benchmark prints; it asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "ivr/ivr.h"

static const char flow_text[] =
	"{\"name\":\"bench\",\"start\":\"welcome\","
	" \"agent\":{\"key\":\"0\",\"queue\":\"support\"},"
	" \"nodes\":{"
	"  \"welcome\":{\"kind\":\"play\",\"prompt\":\"welcome {caller}\","
	"              \"next\":\"menu\"},"
	"  \"menu\":{\"kind\":\"menu\",\"prompt\":\"press 1 or 2\","
	"           \"timeout_ms\":5000,\"keys\":{\"1\":\"sales\",\"2\":\"acct\"},"
	"           \"default\":\"support\"},"
	"  \"acct\":{\"kind\":\"collect\",\"prompt\":\"account?\",\"var\":\"acct\","
	"           \"min\":4,\"max\":8,\"first_timeout_ms\":5000,"
	"           \"next\":\"mark\",\"default\":\"support\"},"
	"  \"mark\":{\"kind\":\"set\",\"data\":{\"crm\":{\"acct\":\"{acct}\","
	"           \"from\":\"{caller}\"}},\"next\":\"say\"},"
	"  \"say\":{\"kind\":\"say\",\"value\":\"{acct}\",\"as\":\"digits\","
	"          \"before\":\"account \",\"next\":\"support\"},"
	"  \"sales\":{\"kind\":\"queue\",\"queue\":\"sales\"},"
	"  \"support\":{\"kind\":\"queue\",\"queue\":\"support\",\"priority\":5}}}";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct ivr_flow *compile(json_t *doc)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;

	if (ivr_flow_compile(&f, doc, 1, NULL, &pr)) {
		fprintf(stderr, "bench/ivr: the flow is refused: %s: %s\n",
			pr.n ? pr.v[0].path : "", pr.n ? pr.v[0].msg : "");
		exit(1);
	}
	return f;
}

static uint64_t events;

static void feed(struct ivr_run *r, enum ivr_in_kind kind, int64_t *t,
		 char key, struct ivr_out *out)
{
	struct ivr_in in = {.kind = kind, .now_ms = (*t += 100), .key = key};

	events++;

	(void)ivr_run_feed(r, &in, out);
}

/* One caller: the greeting, 2, account 12345678, read out, to a queue. */
static uint64_t call(struct ivr_flow *f, int64_t *t)
{
	static const struct ivr_caller who = {.caller = "13800000000",
					      .did = "4008001000"};
	struct ivr_run *r;
	struct ivr_out out;
	uint64_t steps;

	if (ivr_run_alloc(&r, f, &who, NULL, NULL))
		exit(1);
	feed(r, IVR_IN_START, t, 0, &out);
	feed(r, IVR_IN_PLAYED, t, 0, &out);
	feed(r, IVR_IN_PLAYED, t, 0, &out);
	feed(r, IVR_IN_KEY, t, '2', &out);
	feed(r, IVR_IN_PLAYED, t, 0, &out);
	for (const char *k = "12345678"; *k; k++)
		feed(r, IVR_IN_KEY, t, *k, &out);
	feed(r, IVR_IN_PLAYED, t, 0, &out);
	if (out.end != IVR_END_QUEUE) {
		fprintf(stderr, "bench/ivr: the call did not reach a queue\n");
		exit(1);
	}
	steps = ivr_run_steps(r);
	ivr_run_free(r);
	return steps;
}

/* n set nodes in a row, then a queue: one event walks them all. */
static char *chain(int n)
{
	char *doc = malloc((size_t)n * 80 + 256);
	size_t l;

	if (!doc)
		exit(1);
	l = (size_t)sprintf(doc, "{\"name\":\"chain\",\"start\":\"s0\","
			    "\"nodes\":{");
	for (int i = 0; i < n; i++)
		l += (size_t)sprintf(doc + l, "\"s%d\":{\"kind\":\"set\","
				     "\"vars\":{\"v\":\"%d\"},\"next\":\"%s%d\"},",
				     i, i, i + 1 < n ? "s" : "q", i + 1);
	sprintf(doc + l, "\"q%d\":{\"kind\":\"queue\",\"queue\":\"q\"}}}", n);
	return doc;
}

int main(void)
{
	json_t *doc = json_loads(flow_text, 0, NULL);
	enum { COMPILES = 20000, CALLS = 200000, CHAINS = 20000, CHAIN = 150 };
	struct ivr_flow *f;
	uint64_t steps = 0;
	int64_t t = 1700000000000;
	double t0, dt;
	char *text;

	if (!doc)
		return 1;
	t0 = now_s();
	for (int i = 0; i < COMPILES; i++)
		ivr_flow_unref(compile(doc));
	dt = now_s() - t0;
	printf("ivr compile   %8.0f flows/s   (7 nodes, %.1f us each)\n",
	       COMPILES / dt, dt / COMPILES * 1e6);

	f = compile(doc);
	events = 0;
	t0 = now_s();
	for (int i = 0; i < CALLS; i++)
		steps += call(f, &t);
	dt = now_s() - t0;
	printf("ivr calls     %8.0f calls/s   (%d events, %llu steps each; "
	       "%.0f steps/s)\n", CALLS / dt, (int)(events / CALLS),
	       (unsigned long long)(steps / CALLS), steps / dt);
	ivr_flow_unref(f);
	json_decref(doc);

	text = chain(CHAIN);
	doc = json_loads(text, 0, NULL);
	free(text);
	f = compile(doc);
	steps = 0;
	t0 = now_s();
	for (int i = 0; i < CHAINS; i++) {
		struct ivr_run *r;
		struct ivr_out out;

		if (ivr_run_alloc(&r, f, NULL, NULL, NULL))
			return 1;
		feed(r, IVR_IN_START, &t, 0, &out);
		steps += ivr_run_steps(r);
		ivr_run_free(r);
	}
	dt = now_s() - t0;
	printf("ivr steps     %8.0f steps/s   (a chain of %d set nodes)\n",
	       steps / dt, CHAIN);
	ivr_flow_unref(f);
	json_decref(doc);
	return 0;
}
