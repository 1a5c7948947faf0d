/* A small host for the IVR unit tests: flows compiled from JSON text with
 * an env that knows fixed queues, extensions and flows; one run; a
 * simulated clock; feed helpers; expectations on the last ivr_out; and a
 * recorder of visits ("node:exit:digits:retries", space-separated).
 * Include after cmocka.h. Everything is static inline: each test file
 * uses a part. */
#ifndef HL_TESTS_IVR_HARNESS_H
#define HL_TESTS_IVR_HARNESS_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "ivr/ivr.h"

enum { H_T0 = 1000000 };          /* the call is answered at this time */

static inline bool h_in(const char *const *list, const char *name)
{
	for (; *list; list++) {
		if (!strcmp(*list, name))
			return true;
	}
	return false;
}

static inline bool h_queue(void *arg, const char *q)
{
	static const char *const known[] = {"support", "sales", "vip", NULL};
	(void)arg;
	return h_in(known, q);
}

static inline bool h_ext(void *arg, const char *x)
{
	static const char *const known[] = {"8001", "8002", NULL};
	(void)arg;
	return h_in(known, x);
}

static inline bool h_flowx(void *arg, const char *f)
{
	static const char *const known[] = {"main", "sub", "deep", NULL};
	(void)arg;
	return h_in(known, f);
}

static const struct ivr_env h_env = {
	.queue_exists = h_queue, .ext_exists = h_ext, .flow_exists = h_flowx,
};

/* Compiles text as version v: 0 and *fp, or the error with pr filled. */
static inline int h_compile(struct ivr_flow **fp, const char *text,
			    uint32_t v, struct ivr_problems *pr)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	int err;

	if (!doc)
		fail_msg("bad test JSON: %s (line %d)", jerr.text, jerr.line);
	err = ivr_flow_compile(fp, doc, v, &h_env, pr);
	json_decref(doc);
	return err;
}

/* A flow that must compile. */
static inline struct ivr_flow *h_flow(const char *text, uint32_t v)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;

	if (h_compile(&f, text, v, &pr)) {
		for (size_t i = 0; i < pr.n; i++)
			print_error("%s: %s\n", pr.v[i].path, pr.v[i].msg);
		ivr_problems_reset(&pr);
		fail_msg("the flow was refused");
	}
	return f;
}

/* The run, its clock and what it answered last. */
struct h {
	struct ivr_flow *f;
	struct ivr_run *r;
	int64_t now;
	int rc;                       /* the last feed's answer */
	struct ivr_out out;
	char said[1024];              /* the last prompt asked for */
	int64_t timer;                /* the timer the run wants, or 0 */
	char visits[8192];
	unsigned nvisits;
	struct ivr_visit last;        /* the last visit; strings not kept */
	char last_flow[IVR_NAME_MAX];
};

static inline void h_visit(const struct ivr_visit *v, void *arg)
{
	struct h *h = arg;
	size_t l = strlen(h->visits);

	snprintf(h->visits + l, sizeof(h->visits) - l, "%s%s:%s:%s:%u",
		 l ? " " : "", v->node, v->exit, v->digits, v->retries);
	h->nvisits++;
	h->last = *v;
	snprintf(h->last_flow, sizeof(h->last_flow), "%s", v->flow);
}

static inline void h_feed(struct h *h, struct ivr_in in)
{
	if (in.now_ms > h->now)
		h->now = in.now_ms;
	in.now_ms = h->now;
	h->rc = ivr_run_feed(h->r, &in, &h->out);
	if (h->out.play)
		snprintf(h->said, sizeof(h->said), "%s",
			 h->out.prompt.text ? h->out.prompt.text :
			 h->out.prompt.file);
	/* The host's side of timer_at: each answer replaces the timer. */
	if (h->rc != EALREADY)
		h->timer = h->out.timer_at;
}

/* A run of flow f (taken over) for caller 13800000000, not started. */
static inline void h_run(struct h *h, struct ivr_flow *f)
{
	static const struct ivr_caller who = {
		.caller = "13800000000", .did = "4001", .call_id = "c1",
		.province = "广东", .city = "深圳",
	};

	memset(h, 0, sizeof(*h));
	h->f = f;
	h->now = H_T0;
	assert_int_equal(0, ivr_run_alloc(&h->r, f, &who, h_visit, h));
}

/* Compiles text, allocs a run and starts it at H_T0. */
static inline void h_start(struct h *h, const char *text)
{
	h_run(h, h_flow(text, 1));
	h_feed(h, (struct ivr_in){.kind = IVR_IN_START, .now_ms = H_T0});
	assert_int_equal(0, h->rc);
}

static inline void h_done(struct h *h)
{
	ivr_run_free(h->r);
	ivr_flow_unref(h->f);
}

static inline void h_key(struct h *h, int64_t at, char key)
{
	h_feed(h, (struct ivr_in){.kind = IVR_IN_KEY, .now_ms = at,
				  .key = key});
}

static inline void h_keys(struct h *h, int64_t at, const char *keys)
{
	for (; *keys; keys++)
		h_key(h, at, *keys);
}

static inline void h_played(struct h *h, int64_t at)
{
	h_feed(h, (struct ivr_in){.kind = IVR_IN_PLAYED, .now_ms = at});
}

/* The timer the run asked for fires, at the time asked. */
static inline void h_fire(struct h *h)
{
	int64_t at = h->timer;

	assert_true(at > 0);
	h_feed(h, (struct ivr_in){.kind = IVR_IN_TIMER, .now_ms = at});
}

static inline void h_timer_at(struct h *h, int64_t at)
{
	h_feed(h, (struct ivr_in){.kind = IVR_IN_TIMER, .now_ms = at});
}

static inline void h_hangup(struct h *h, int64_t at)
{
	h_feed(h, (struct ivr_in){.kind = IVR_IN_HANGUP, .now_ms = at});
}

/* The last answer asks to play text containing part (NULL: nothing). */
static inline void h_plays_at(const struct h *h, const char *part,
			      const char *file, int line)
{
	if (!part && h->out.play)
		print_error("%s:%d: plays \"%s\", want nothing\n", file, line,
			    h->said);
	else if (part && !h->out.play)
		print_error("%s:%d: plays nothing, want \"%s\"\n", file, line,
			    part);
	else if (part && !strstr(h->said, part))
		print_error("%s:%d: plays \"%s\", want \"%s\"\n", file, line,
			    h->said, part);
	else
		return;
	fail();
}
#define h_plays(h, part) h_plays_at((h), (part), __FILE__, __LINE__)

/* The last answer ends the flow so, to target (NULL: none). */
#define h_ends(h, how, tgt) do {                                        \
	assert_int_equal((how), (h)->out.end);                          \
	if (tgt)                                                        \
		assert_string_equal((const char *)(tgt), (h)->out.target); \
	else                                                            \
		assert_null((h)->out.target);                           \
} while (0)

/* Still in the flow, waiting. */
#define h_waits(h) assert_int_equal(IVR_END_NONE, (h)->out.end)

#endif
