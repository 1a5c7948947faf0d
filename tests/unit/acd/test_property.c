/* Property test: a seeded random stream of every kind of event (calls,
 * answers, misses, hang-ups, agent state changes, ticks, configuration
 * changes valid and not, counter resets, snapshot/restore into a fresh
 * router), with these checked after every step and every action:
 *   - an offer only goes to an agent who is ready, and not already offered;
 *   - every call the test enqueued is exactly one of waiting, offered,
 *     connected, abandoned, overflowed or ended, and the router agrees;
 *   - acd_check(): every internal invariant of docs/acd.md.
 * Bounded by count: SEEDS × STEPS events. */
#include "harness.h"

enum { SEEDS = 4, STEPS = 5000, NQ = 4, NA = 12, MAXCALLS = STEPS + 1 };
enum mstate { M_NONE, M_WAITING, M_OFFERED, M_CONNECTED, M_ABANDONED,
	      M_OVERFLOWED, M_ENDED };

struct model {
	struct acd *acd;
	uint64_t rng;
	int64_t now;
	enum mstate call[MAXCALLS];
	uint32_t offers[MAXCALLS];          /* agents ringing for the call */
	uint64_t ncalls;
	enum acd_agent_state agent[NA];
	uint64_t ringing_for[NA];           /* call the agent is offered */
	struct acd_queue_cfg cfg[NQ];
	struct acd_member mem[NA][NQ];
	size_t nmem[NA];
	uint64_t nactions;
	uint64_t kinds[4], answered, restarts;   /* what the stream reached */
};

static struct model M;
static uint32_t last_event, step_no;   /* for failure messages */

static uint64_t rnd(void)
{
	uint64_t z = (M.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static void emit(void *arg, const struct acd_action *a)
{
	uint32_t ag = a->agent_id - 1;

	(void)arg;
	M.nactions++;
	M.kinds[a->kind]++;
	switch (a->kind) {
	case ACD_ACT_OFFER:
		if (M.agent[ag] != ACD_READY)
			fail_msg("offer of call %llu to agent %u in state %s",
				 (unsigned long long)a->call_id, a->agent_id,
				 acd_state_name(M.agent[ag]));
		assert_int_equal(0, M.ringing_for[ag]);
		assert_true(M.call[a->call_id] == M_WAITING ||
			    M.call[a->call_id] == M_OFFERED);
		M.ringing_for[ag] = a->call_id;
		M.call[a->call_id] = M_OFFERED;
		M.offers[a->call_id]++;
		break;
	case ACD_ACT_CANCEL:
		assert_int_equal(a->call_id, M.ringing_for[ag]);
		M.ringing_for[ag] = 0;
		if (--M.offers[a->call_id] == 0 &&
		    M.call[a->call_id] == M_OFFERED)
			M.call[a->call_id] = M_WAITING;
		break;
	case ACD_ACT_OVERFLOW:
		assert_true(M.call[a->call_id] == M_WAITING ||
			    M.call[a->call_id] == M_OFFERED);
		assert_int_equal(0, M.offers[a->call_id]);
		M.call[a->call_id] = a->dest->kind == ACD_DEST_QUEUE
			? M_WAITING : M_OVERFLOWED;
		break;
	case ACD_ACT_AGENT_STATE:
		assert_int_equal(M.agent[ag], a->from);
		M.agent[ag] = a->to;
		break;
	}
}

static void random_cfg(uint32_t q, struct acd_queue_cfg *c)
{
	size_t ns = acd_strategy_count();
	const char *name, *doc, *cost;

	acd_strategy_at(below((uint32_t)ns), &name, &doc, &cost);
	*c = (struct acd_queue_cfg){
		.id = q + 1, .strategy = name,
		.ring_timeout_ms = 1000 + below(20000),
		.retry_ms = below(3) ? 0 : below(5000),
		.max_wait_ms = below(2) ? 0 : 10000 + below(120000),
		.max_len = below(3) ? 0 : 3 + below(10),
		.wrapup_ms = below(2) ? 0 : below(10000),
		.noanswer_pause_ms = below(2) ? 0 : below(10000),
		.noanswer_max = below(4),
		.weight = 1 + below(3),
		.join_empty = below(3), .leave_empty = below(3),
		.sticky_window_ms = 86400000, .sticky_wait_ms = below(20000),
	};
	/* Overflow only to a higher queue: never a cycle. */
	c->overflow.kind = below(4);
	if (c->overflow.kind == ACD_DEST_QUEUE) {
		if (q + 1 < NQ)
			c->overflow.queue_id = q + 2 + below(NQ - q - 1);
		else
			c->overflow.kind = ACD_DEST_HANGUP;
	}
	if (c->overflow.kind == ACD_DEST_EXTENSION)
		strcpy(c->overflow.target, "2000");
}

static void random_members(uint32_t a)
{
	M.nmem[a] = 0;
	for (uint32_t q = 0; q < NQ; q++) {
		if (below(2) || (q == NQ - 1 && M.nmem[a] == 0)) {
			M.mem[a][M.nmem[a]++] = (struct acd_member){
				q + 1, (int32_t)below(5), (int32_t)below(4) };
		}
	}
}

static int last_agent(void *arg, const char *caller, uint32_t *agent,
		      int64_t *at)
{
	(void)arg;
	*agent = 1 + (uint32_t)(caller[1] - '0');   /* "c3" → agent 4 */
	*at = M.now - 3600000;
	return caller[1] == '9' ? ENOENT : 0;
}

/* Applies the model's configuration to a fresh router. */
static struct acd *fresh_router(uint64_t seed)
{
	struct acd *acd;
	struct acd_host host = { emit, last_agent, NULL };

	assert_int_equal(0, acd_alloc(&acd, &host, seed));
	for (int i = NQ - 1; i >= 0; i--)   /* overflow targets first */
		assert_int_equal(0, acd_queue_set(acd, &M.cfg[i], M.now,
						  NULL, 0));
	for (uint32_t a = 0; a < NA; a++)
		assert_int_equal(0, acd_agent_set(acd, a + 1, M.mem[a],
						  M.nmem[a], M.now, NULL, 0));
	return acd;
}

static void same_snapshots(const struct acd_snapshot *x,
			   const struct acd_snapshot *y)
{
	assert_int_equal(x->nagents, y->nagents);
	assert_int_equal(x->ncalls, y->ncalls);
	assert_int_equal(x->rng, y->rng);
	assert_int_equal(x->next_seq, y->next_seq);
	assert_memory_equal(x->agents, y->agents,
			    x->nagents * sizeof(*x->agents));
	if (x->ncalls)
		assert_memory_equal(x->calls, y->calls,
				    x->ncalls * sizeof(*x->calls));
	assert_memory_equal(x->rr, y->rr, x->nrr * sizeof(*x->rr));
}

static void restart(void)
{
	struct acd_snapshot a, b;
	struct acd *fresh = fresh_router(0);
	char why[ACD_WHY_LEN] = "";
	uint64_t before;

	assert_int_equal(0, acd_tick(M.acd, M.now));
	before = M.nactions;
	assert_int_equal(0, acd_snapshot(M.acd, &a));
	if (acd_restore(fresh, &a, M.now, why, sizeof(why)))
		fail_msg("restore refused: %s", why);
	assert_int_equal(before, M.nactions);   /* nothing to do on restore */
	assert_int_equal(0, acd_snapshot(fresh, &b));
	same_snapshots(&a, &b);
	acd_snapshot_clear(&a);
	acd_snapshot_clear(&b);
	acd_free(M.acd);
	M.acd = fresh;
	M.restarts++;
}

/* A configuration change that is refused must change nothing. */
static void refused_change(void)
{
	struct acd_snapshot a, b;
	struct acd_queue_cfg c = M.cfg[below(NQ)];
	char why[ACD_WHY_LEN] = "";

	assert_int_equal(0, acd_tick(M.acd, M.now));
	assert_int_equal(0, acd_snapshot(M.acd, &a));
	c.overflow.kind = ACD_DEST_QUEUE;
	c.overflow.queue_id = c.id == 1 ? 1 : 1 + below(c.id);  /* ≤ itself */
	if (c.overflow.queue_id != c.id)
		c.wrapup_ms = -5;
	assert_int_equal(EINVAL, acd_queue_set(M.acd, &c, M.now, why,
					       sizeof(why)));
	assert_true(why[0] != '\0');
	assert_int_equal(0, acd_snapshot(M.acd, &b));
	same_snapshots(&a, &b);
	acd_snapshot_clear(&a);
	acd_snapshot_clear(&b);
}

/* A random live call in one of the given model states, or 0. */
static uint64_t pick_call(enum mstate s)
{
	for (int tries = 0; tries < 20 && M.ncalls; tries++) {
		uint64_t id = 1 + rnd() % M.ncalls;
		if (M.call[id] == s)
			return id;
	}
	return 0;
}

static uint32_t pick_ringing(void)
{
	uint32_t start = below(NA);

	for (uint32_t i = 0; i < NA; i++) {
		uint32_t a = (start + i) % NA;
		if (M.ringing_for[a])
			return a;
	}
	return NA;
}

static void step(void)
{
	uint32_t a = below(NA), r = below(100), g;
	uint64_t c;

	M.now += below(4) ? below(3000) : 0;
	last_event = r;
	/* A ring past its deadline is cancelled, a caller past max wait
	 * overflowed, before the host's event: catch up first, so what is
	 * picked below is still there. */
	if (r >= 25 && r < 55)
		assert_int_equal(0, acd_tick(M.acd, M.now));
	if (r < 25) {
		char caller[4] = { 'c', (char)('0' + below(10)), 0, 0 };
		c = ++M.ncalls;
		M.call[c] = M_WAITING;
		assert_int_equal(0, acd_call_enqueue(M.acd, 1 + below(NQ), c,
			(int32_t)below(3), below(2) ? caller : NULL, M.now));
	} else if (r < 35 && (g = pick_ringing()) < NA) {
		c = M.ringing_for[g];
		assert_int_equal(0, acd_offer_answered(M.acd, c, g + 1, M.now));
		M.ringing_for[g] = 0;
		M.offers[c] = 0;
		M.answered++;
		M.call[c] = M_CONNECTED;
	} else if (r < 40 && (g = pick_ringing()) < NA) {
		c = M.ringing_for[g];
		M.ringing_for[g] = 0;
		if (--M.offers[c] == 0)
			M.call[c] = M_WAITING;
		assert_int_equal(0, (below(2) ? acd_offer_rejected
				     : acd_offer_timeout)(M.acd, c, g + 1, M.now));
	} else if (r < 50 && (c = pick_call(M_CONNECTED))) {
		M.call[c] = M_ENDED;
		assert_int_equal(0, acd_call_ended(M.acd, c, M.now));
	} else if (r < 55 && ((c = pick_call(M_WAITING)) ||
			      (c = pick_call(M_OFFERED)))) {
		/* Its rings are cancelled through actions. */
		assert_int_equal(0, acd_call_abandon(M.acd, c, M.now));
		assert_int_equal(0, M.offers[c]);
		M.call[c] = M_ABANDONED;
	} else if (r < 70) {
		assert_int_equal(0, acd_agent_ready(M.acd, a + 1, M.now));
	} else if (r < 75) {
		assert_int_equal(0, acd_agent_not_ready(M.acd, a + 1,
			below(2) ? "break" : "lunch", M.now));
	} else if (r < 78) {
		assert_int_equal(0, acd_agent_logout(M.acd, a + 1, M.now));
	} else if (r < 80) {
		assert_int_equal(0, acd_agent_login(M.acd, a + 1, M.now));
	} else if (r < 92) {
		int64_t next = acd_next_deadline(M.acd);
		if (next != ACD_NEVER && next > M.now)
			M.now = next;
		assert_int_equal(0, acd_tick(M.acd, M.now));
	} else if (r < 95) {
		uint32_t q = below(NQ);
		random_cfg(q, &M.cfg[q]);
		assert_int_equal(0, acd_queue_set(M.acd, &M.cfg[q], M.now,
						  NULL, 0));
	} else if (r < 97) {
		random_members(a);
		assert_int_equal(0, acd_agent_set(M.acd, a + 1, M.mem[a],
						  M.nmem[a], M.now, NULL, 0));
	} else if (r < 98) {
		refused_change();
	} else if (r < 99) {
		assert_int_equal(0, acd_counters_reset(M.acd, M.now));
	} else {
		restart();
	}
}

/* The router and the model agree on every agent and every live call. */
static void agree(void)
{
	char why[ACD_WHY_LEN] = "";
	static const enum mstate of[] = {
		[ACD_CALL_WAITING] = M_WAITING, [ACD_CALL_OFFERED] = M_OFFERED,
		[ACD_CALL_CONNECTED] = M_CONNECTED,
	};

	if (acd_check(M.acd, why, sizeof(why)))
		fail_msg("step %u (event %u): invariant broken: %s", step_no,
			 last_event, why);
	for (uint32_t a = 0; a < NA; a++) {
		struct acd_agent_info ai;
		assert_int_equal(0, acd_agent_get(M.acd, a + 1, &ai));
		assert_int_equal(M.agent[a], ai.state);
		assert_int_equal(M.agent[a] == ACD_RINGING,
				 M.ringing_for[a] != 0);
		if (M.ringing_for[a])
			assert_int_equal(M.ringing_for[a], ai.call_id);
	}
	for (uint64_t c = 1; c <= M.ncalls; c++) {
		struct acd_call_info ci;
		int err = acd_call_get(M.acd, c, &ci);
		if (M.call[c] >= M_ABANDONED) {
			assert_int_equal(ENOENT, err);
			continue;
		}
		assert_int_equal(0, err);
		if (of[ci.state] != M.call[c])
			fail_msg("call %llu: router %d, model %d",
				 (unsigned long long)c, ci.state, M.call[c]);
	}
}

static void random_streams_keep_every_invariant(void **state)
{
	uint64_t kinds[4] = {0}, answered = 0, restarts = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		memset(&M, 0, sizeof(M));
		M.rng = seed * 7919;
		M.now = 1700000000000LL;
		for (uint32_t q = 0; q < NQ; q++)
			random_cfg(q, &M.cfg[q]);
		for (uint32_t a = 0; a < NA; a++)
			random_members(a);
		M.acd = fresh_router(seed);
		for (step_no = 0; step_no < STEPS; step_no++) {
			step();
			agree();
		}
		acd_free(M.acd);
		for (int k = 0; k < 4; k++)
			kinds[k] += M.kinds[k];
		answered += M.answered;
		restarts += M.restarts;
	}
	print_message("offers %llu cancels %llu overflows %llu states %llu "
		      "answered %llu restarts %llu\n",
		      (unsigned long long)kinds[0], (unsigned long long)kinds[1],
		      (unsigned long long)kinds[2], (unsigned long long)kinds[3],
		      (unsigned long long)answered,
		      (unsigned long long)restarts);
	/* A stream that stopped reaching a path would prove nothing. */
	for (int k = 0; k < 4; k++)
		assert_true(kinds[k] > 100);
	assert_true(answered > 100 && restarts > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_streams_keep_every_invariant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
