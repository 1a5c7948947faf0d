/* bench/acd: routing decisions per second and the 99th-percentile latency of
 * one decision, per strategy, with 10,000 agents serving 3 queues each out
 * of 100, in two situations:
 *
 *   backlog   100,000 callers waiting; an agent ends a call and is offered
 *             the next (the best head call across their 3 queues). Timed:
 *             acd_call_ended, which makes the decision.
 *   idle      every agent ready, no caller waiting; a caller arrives and the
 *             strategy picks among the ~300 ready agents of the queue.
 *             Timed: acd_call_enqueue, which makes the decision.
 *
 * Decisions per second count the whole event stream (the timed event plus
 * the answer and the new caller that keep the situation steady), not just
 * the timed calls. Each run is bounded: at most OPS decisions or `seconds` of
 * wall time. Targets: >= 1,000,000 decisions/s, p99 < 10 us. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "acd/acd.h"

enum { AGENTS = 10000, QUEUES = 100, WAITING = 100000, OPS = 2000000,
       WARMUP = 50000,
       BUCKETS = 100000 /* 10 ns each: up to 1 ms */ };
/* A third argument runs exactly that many decisions (at most OPS), with
 * no time bound: the same work every run, for cachegrind and the like. */
static uint64_t ops = OPS;
static double seconds = 1.0;

struct bench {
	struct acd *acd;
	uint64_t next_call, decisions, last_call;
	uint32_t next_agent;                 /* backlog: whose call ends */
	uint64_t pending_call[AGENTS + 1];   /* first offer seen per call */
	uint32_t pending_agent[AGENTS + 1];
	uint32_t npending;
	uint64_t talking[AGENTS + 1];        /* call each agent talks on */
	uint32_t hist[BUCKETS];
	uint64_t samples;
	int64_t now;
};

static struct bench B;

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One decision may ring several agents (ring-all): count it once, and
 * answer with the first agent offered. */
static void emit(void *arg, const struct acd_action *a)
{
	(void)arg;
	if (a->kind != ACD_ACT_OFFER || a->call_id == B.last_call)
		return;
	B.last_call = a->call_id;
	B.decisions++;
	if (B.npending < AGENTS) {
		B.pending_call[B.npending] = a->call_id;
		B.pending_agent[B.npending++] = a->agent_id;
	}
}

/* Sticky: every caller was last served by agent (caller % AGENTS) + 1. */
static int last_agent(void *arg, const char *caller, uint32_t *agent,
		      int64_t *at)
{
	uint64_t v = 0;

	(void)arg;
	/* A host would look the caller up in a table; strtoul here would
	 * cost more than that. */
	while (*caller)
		v = v * 10 + (uint64_t)(*caller++ - '0');
	*agent = (uint32_t)(v % AGENTS) + 1;
	*at = B.now - 3600000;
	return 0;
}

static void answer_pending(void)
{
	for (uint32_t i = 0; i < B.npending; i++) {
		if (acd_offer_answered(B.acd, B.pending_call[i],
				       B.pending_agent[i], B.now) == 0)
			B.talking[B.pending_agent[i]] = B.pending_call[i];
	}
	B.npending = 0;
	B.last_call = 0;
}

/* The caller's number in decimal, without snprintf: formatting would
 * otherwise cost a tenth of what is measured. */
static void number(char *out, uint64_t v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*out++ = tmp[--n];
	*out = '\0';
}

static void enqueue(void)
{
	char caller[24];
	uint64_t id = ++B.next_call;

	number(caller, id * 2654435761ULL % 1000003);
	if (acd_call_enqueue(B.acd, 1 + (uint32_t)(id * 7919 % QUEUES), id,
			     (int32_t)(id % 3), caller, B.now))
		abort();
}

static void build(const char *strategy)
{
	struct acd_host host = { emit, last_agent, NULL };

	memset(&B, 0, sizeof(B));
	B.now = 1700000000000LL;
	if (acd_alloc(&B.acd, &host, 1))
		abort();
	for (uint32_t q = 1; q <= QUEUES; q++) {
		struct acd_queue_cfg c = {
			.id = q, .strategy = strategy,
			.ring_timeout_ms = 15000, .weight = 1 + q % 3,
			.sticky_window_ms = 86400000LL * 30,
			.sticky_wait_ms = 20000,
		};
		if (acd_queue_set(B.acd, &c, B.now, NULL, 0))
			abort();
	}
	for (uint32_t a = 1; a <= AGENTS; a++) {
		/* Three distinct queues: offsets 1..49 and 50..98 apart. */
		uint32_t q = a % QUEUES, k = (a / QUEUES) % 49;
		struct acd_member m[3] = {
			{ 1 + q, (int32_t)(a % 5), (int32_t)a },
			{ 1 + (q + 1 + k) % QUEUES, (int32_t)(a % 3),
			  (int32_t)a },
			{ 1 + (q + 50 + k) % QUEUES, 1, (int32_t)a },
		};
		if (acd_agent_set(B.acd, a, m, 3, B.now, NULL, 0) ||
		    acd_agent_login(B.acd, a, B.now))
			abort();
	}
}

static void record(double dt)
{
	uint64_t b = (uint64_t)(dt * 1e8);   /* 10 ns buckets */

	B.hist[b < BUCKETS ? b : BUCKETS - 1]++;
	B.samples++;
}

static double p99_us(void)
{
	uint64_t want = B.samples - B.samples / 100, seen = 0;

	for (uint32_t i = 0; i < BUCKETS; i++) {
		seen += B.hist[i];
		if (seen >= want)
			return (i + 1) * 0.01;
	}
	return BUCKETS * 0.01;
}

/* Runs the loop of a situation for at most n decisions (and `seconds`),
 * the histogram fresh, and gives the rate and p99 of that stretch. */
static void measure(uint64_t (*loop)(uint64_t n, double start), uint64_t n,
		    double *rate, double *p99)
{
	double start;
	uint64_t d0;

	memset(B.hist, 0, sizeof(B.hist));
	B.samples = 0;
	d0 = B.decisions;
	start = mono();
	loop(n, start);
	*rate = (B.decisions - d0) / (mono() - start);
	*p99 = p99_us();
}

/* The backlog: agents end calls, each is offered the next caller. */
static uint64_t backlog_loop(uint64_t n, double start)
{
	uint64_t d0 = B.decisions;
	uint32_t a;
	double t0, t1;

	while (B.decisions - d0 < n) {
		a = B.next_agent = B.next_agent % AGENTS + 1;
		if (!B.talking[a])
			continue;
		B.now++;
		t0 = mono();
		if (acd_call_ended(B.acd, B.talking[a], B.now))
			abort();
		t1 = mono();
		record(t1 - t0);
		B.talking[a] = 0;
		answer_pending();
		enqueue();
		answer_pending();
		if ((B.samples & 1023) == 0 && t1 - start > seconds)
			break;
	}
	return B.decisions - d0;
}

/* Everyone idle: each new caller is a pick among the ready agents. */
static uint64_t idle_loop(uint64_t n, double start)
{
	uint64_t d0 = B.decisions;
	double t0, t1;

	while (B.decisions - d0 < n) {
		uint64_t call;
		B.now++;
		t0 = mono();
		enqueue();
		t1 = mono();
		record(t1 - t0);
		call = B.npending ? B.pending_call[0] : 0;
		answer_pending();
		B.now++;
		if (call && acd_call_ended(B.acd, call, B.now))
			abort();
		if ((B.samples & 1023) == 0 && t1 - start > seconds)
			break;
	}
	return B.decisions - d0;
}

/* Each situation is set up, run untimed for WARMUP decisions (first
 * touches of memory, the allocator settling), then measured. */
static void backlog(double *rate, double *p99)
{
	for (int i = 0; i < WAITING; i++)
		enqueue();
	for (uint32_t id = 1; id <= AGENTS; id++) {
		if (acd_agent_ready(B.acd, id, B.now))
			abort();
		answer_pending();
	}
	measure(backlog_loop, WARMUP, rate, p99);
	measure(backlog_loop, ops, rate, p99);
}

static void idle(double *rate, double *p99)
{
	for (uint32_t id = 1; id <= AGENTS; id++)
		if (acd_agent_ready(B.acd, id, B.now))
			abort();
	measure(idle_loop, WARMUP, rate, p99);
	measure(idle_loop, ops, rate, p99);
}

/* bench/acd [STRATEGY [backlog|idle]]: all strategies, or just the one
 * named; both situations, or just one (for a profiler). */
int main(int argc, char **argv)
{
	if (argc > 3) {
		ops = strtoull(argv[3], NULL, 10);
		ops = ops < OPS ? ops : OPS;
		seconds = 1e9;
	}
	printf("acd: %d agents x 3 queues of %d; backlog: %d callers waiting\n",
	       AGENTS, QUEUES, WAITING);
	printf("%-16s %16s %12s %16s %12s\n", "strategy", "backlog dec/s",
	       "p99 us", "idle dec/s", "p99 us");
	for (size_t i = 0; i < acd_strategy_count(); i++) {
		const char *name, *doc, *cost;
		double r1 = 0, p1 = 0, r2 = 0, p2 = 0;
		acd_strategy_at(i, &name, &doc, &cost);
		if (argc > 1 && strcmp(argv[1], name))
			continue;
		if (argc < 3 || !strcmp(argv[2], "backlog")) {
			build(name);
			backlog(&r1, &p1);
			acd_free(B.acd);
		}
		if (argc < 3 || !strcmp(argv[2], "idle")) {
			build(name);
			idle(&r2, &p2);
			acd_free(B.acd);
		}
		printf("%-16s %16.0f %12.2f %16.0f %12.2f\n", name, r1, p1, r2,
		       p2);
		fflush(stdout);
	}
	return 0;
}
