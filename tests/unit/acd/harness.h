/* harness.h: a host for the router in unit tests. It records every action
 * the router emits (with copies of their strings), answers sticky look-ups
 * from a small table, and offers short helpers so a test reads as the rule
 * it pins. Included by each tests/unit/acd/test_*.c. */
#ifndef HL_TEST_ACD_HARNESS_H
#define HL_TEST_ACD_HARNESS_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "acd/acd.h"

enum { H_MAX_ACTS = 8192, H_MAX_LAST = 32 };

struct h_act {
	struct acd_action a;
	char reason[ACD_REASON_LEN];
	struct acd_dest dest;
};

struct h {
	struct acd *acd;
	struct h_act *acts;
	size_t nacts;
	struct { char caller[ACD_CALLER_LEN]; uint32_t agent; int64_t at; }
		last[H_MAX_LAST];
	size_t nlast;
};

static inline void h_emit(void *arg, const struct acd_action *a)
{
	struct h *h = arg;
	struct h_act *r;

	assert_true(h->nacts < H_MAX_ACTS);
	r = &h->acts[h->nacts++];
	r->a = *a;
	snprintf(r->reason, sizeof(r->reason), "%s", a->reason ? a->reason : "");
	r->a.reason = NULL;
	if (a->dest)
		r->dest = *a->dest;
	r->a.dest = NULL;
}

static inline int h_last_agent(void *arg, const char *caller, uint32_t *agent,
			int64_t *at)
{
	struct h *h = arg;

	for (size_t i = 0; i < h->nlast; i++) {
		if (!strcmp(h->last[i].caller, caller)) {
			*agent = h->last[i].agent;
			*at = h->last[i].at;
			return 0;
		}
	}
	return ENOENT;
}

static inline struct h *h_new(uint64_t seed)
{
	struct h *h = calloc(1, sizeof(*h));
	struct acd_host host = { h_emit, h_last_agent, NULL };

	assert_non_null(h);
	h->acts = calloc(H_MAX_ACTS, sizeof(*h->acts));
	assert_non_null(h->acts);
	host.arg = h;
	assert_int_equal(0, acd_alloc(&h->acd, &host, seed));
	return h;
}

/* Frees h after checking every invariant still holds. */
static inline void h_free(struct h *h)
{
	char why[ACD_WHY_LEN] = "";

	if (!h)
		return;
	if (acd_check(h->acd, why, sizeof(why)))
		fail_msg("invariant broken: %s", why);
	acd_free(h->acd);
	free(h->acts);
	free(h);
}

static inline int h_setup(void **state)
{
	*state = h_new(1);
	return 0;
}

static inline int h_teardown(void **state)
{
	h_free(*state);
	return 0;
}

/* A queue with plain settings: ring 15 s, no retry, no limits, no wrap-up,
 * no pause, never not_ready for misses, weight 1, hang-up on overflow. */
static inline struct acd_queue_cfg h_cfg(uint32_t id, const char *strategy)
{
	struct acd_queue_cfg c = {
		.id = id, .strategy = strategy, .ring_timeout_ms = 15000,
		.weight = 1, .sticky_window_ms = 30LL * 86400000,
		.sticky_wait_ms = 20000,
	};
	return c;
}

static inline void h_queue_cfg(struct h *h, const struct acd_queue_cfg *c)
{
	char why[ACD_WHY_LEN] = "";

	if (acd_queue_set(h->acd, c, 0, why, sizeof(why)))
		fail_msg("queue %u refused: %s", c->id, why);
}

static inline void h_queue(struct h *h, uint32_t id, const char *strategy)
{
	struct acd_queue_cfg c = h_cfg(id, strategy);

	h_queue_cfg(h, &c);
}

/* Agent id serving one queue with a skill and a position. */
static inline void h_agent(struct h *h, uint32_t id, uint32_t queue, int32_t skill,
		    int32_t position)
{
	struct acd_member m = { queue, skill, position };

	assert_int_equal(0, acd_agent_set(h->acd, id, &m, 1, 0, NULL, 0));
}

static inline void h_ready(struct h *h, uint32_t id, int64_t at)
{
	assert_int_equal(0, acd_agent_ready(h->acd, id, at));
}

static inline void h_call(struct h *h, uint32_t queue, uint64_t call, int32_t prio,
		   int64_t at)
{
	assert_int_equal(0, acd_call_enqueue(h->acd, queue, call, prio, NULL,
					     at));
}

static inline void h_clear(struct h *h)
{
	h->nacts = 0;
}

/* The n-th (from 0) action of kind since the last h_clear, or NULL. */
static inline const struct h_act *h_nth(const struct h *h, enum acd_action_kind k,
				 size_t n)
{
	for (size_t i = 0; i < h->nacts; i++) {
		if (h->acts[i].a.kind == k && n-- == 0)
			return &h->acts[i];
	}
	return NULL;
}

static inline size_t h_count(const struct h *h, enum acd_action_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < h->nacts; i++)
		n += h->acts[i].a.kind == k;
	return n;
}

/* The agent the last offer of call went to since h_clear, or 0. */
static inline uint32_t h_offered(const struct h *h, uint64_t call)
{
	uint32_t agent = 0;

	for (size_t i = 0; i < h->nacts; i++) {
		if (h->acts[i].a.kind == ACD_ACT_OFFER &&
		    h->acts[i].a.call_id == call)
			agent = h->acts[i].a.agent_id;
	}
	return agent;
}

static inline enum acd_agent_state h_state(const struct h *h, uint32_t agent)
{
	struct acd_agent_info ai;

	assert_int_equal(0, acd_agent_get(h->acd, agent, &ai));
	return ai.state;
}

/* Answers call on agent at `at`, then ends it at `end`. */
static inline void h_talk(struct h *h, uint64_t call, uint32_t agent, int64_t at,
		   int64_t end)
{
	assert_int_equal(0, acd_offer_answered(h->acd, call, agent, at));
	assert_int_equal(0, acd_call_ended(h->acd, call, end));
}

#endif
