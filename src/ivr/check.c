/* ivr/check: what no single node can see, checked over the whole graph.
 *
 *  - every node is reachable from "start" (or is the error path);
 *  - no loop runs through nodes that never wait for the caller's keys (a
 *    caller would hear the same prompts for ever, or the interpreter spin);
 *  - every variable a node reads is set on every path that reaches it
 *    (a must-analysis: what is set on entry is what every incoming edge
 *    sets, iterated to a fixed point; the error path starts from nothing,
 *    as a failure can come from anywhere).
 *
 * Edges that lead to no node (reported by flow.c) are left out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/ivr_int.h"

static void problem_node(struct ivr_problems *pr, const struct ivr_node *n,
			 const char *msg)
{
	char path[IVR_PATH_MAX];

	snprintf(path, sizeof(path), "nodes.%s", n->id);
	ivr_problem_at(pr, path, "%s", msg);
}

static void reach(const struct ivr_flow *f, uint16_t from, bool *seen)
{
	uint16_t *todo = malloc(f->n * sizeof(*todo));
	unsigned ntodo = 0;

	if (!todo || seen[from]) {
		free(todo);
		return;
	}
	seen[from] = true;
	todo[ntodo++] = from;
	while (ntodo) {
		const struct ivr_node *n = &f->nodes[todo[--ntodo]];

		for (unsigned j = 0; j < n->nexits; j++) {
			uint16_t to = n->exits[j].to;

			if (to != IVR_NONE && !seen[to]) {
				seen[to] = true;
				todo[ntodo++] = to;
			}
		}
	}
	free(todo);
}

static bool passive(const struct ivr_node *n)
{
	return n->kind && !n->kind->waits;
}

/* Depth-first over passive nodes; colour 1 on the path, 2 done. A back
 * edge closes a loop: it is told once, from where it closes. */
static void loops_from(const struct ivr_flow *f, uint16_t i, uint8_t *colour,
		       uint16_t *path, unsigned depth, struct ivr_problems *pr)
{
	const struct ivr_node *n = &f->nodes[i];

	colour[i] = 1;
	path[depth] = i;
	for (unsigned j = 0; j < n->nexits; j++) {
		uint16_t to = n->exits[j].to;

		if (to == IVR_NONE || !passive(&f->nodes[to]))
			continue;
		if (colour[to] == 1) {
			char msg[IVR_MSG_MAX] = "a loop that never waits for "
				"the caller:";
			unsigned k = depth;

			while (k > 0 && path[k] != to)
				k--;
			for (; k <= depth; k++) {
				size_t l = strlen(msg);
				snprintf(msg + l, sizeof(msg) - l, " %s →",
					 f->nodes[path[k]].id);
			}
			size_t l = strlen(msg);
			snprintf(msg + l, sizeof(msg) - l, " %s",
				 f->nodes[to].id);
			problem_node(pr, &f->nodes[to], msg);
		} else if (colour[to] == 0) {
			loops_from(f, to, colour, path, depth + 1, pr);
		}
	}
	colour[i] = 2;
}

static void check_loops(const struct ivr_flow *f, struct ivr_problems *pr)
{
	uint8_t *colour = calloc(f->n, 1);
	uint16_t *path = malloc(f->n * sizeof(*path));

	for (unsigned i = 0; colour && path && i < f->n; i++) {
		if (passive(&f->nodes[i]) && colour[i] == 0)
			loops_from(f, (uint16_t)i, colour, path, 0, pr);
	}
	free(colour);
	free(path);
}

static void check_vars(const struct ivr_flow *f, const bool *seen,
		       struct ivr_problems *pr)
{
	uint64_t *in = malloc(f->n * sizeof(*in));
	bool changed = true;

	if (!in)
		return;
	for (unsigned i = 0; i < f->n; i++)
		in[i] = ~0ull;
	in[f->start] = 0;
	if (f->on_error != IVR_NONE)
		in[f->on_error] = 0;
	/* Sets only shrink, so this ends after at most (vars × nodes)
	 * rounds; flows are small. */
	while (changed) {
		changed = false;
		for (unsigned i = 0; i < f->n; i++) {
			const struct ivr_node *n = &f->nodes[i];

			if (!seen[i])
				continue;
			for (unsigned j = 0; j < n->nexits; j++) {
				const struct ivr_exit *e = &n->exits[j];
				uint64_t out = in[i] | e->sets.bits, now;

				if (e->to == IVR_NONE)
					continue;
				now = in[e->to] & out;
				if (now != in[e->to]) {
					in[e->to] = now;
					changed = true;
				}
			}
		}
	}
	for (unsigned i = 0; i < f->n; i++) {
		uint64_t miss = f->nodes[i].reads.bits & ~in[i];

		for (unsigned v = 0; seen[i] && miss && v < f->nvars; v++) {
			char msg[IVR_MSG_MAX];

			if (!(miss & (1ull << v)))
				continue;
			snprintf(msg, sizeof(msg), "reads \"%s\", which not "
				 "every path to it sets", f->vars[v]);
			problem_node(pr, &f->nodes[i], msg);
		}
	}
	free(in);
}

void ivr_check_graph(struct ivr_flow *f, struct ivr_problems *pr)
{
	bool *seen = calloc(f->n, sizeof(*seen));

	if (!seen)
		return;
	reach(f, f->start, seen);
	if (f->on_error != IVR_NONE)
		reach(f, f->on_error, seen);
	for (unsigned i = 0; i < f->n; i++) {
		if (!seen[i]) {
			char msg[IVR_MSG_MAX];

			snprintf(msg, sizeof(msg), "unreachable from start "
				 "\"%s\"", f->nodes[f->start].id);
			problem_node(pr, &f->nodes[i], msg);
		}
	}
	check_loops(f, pr);
	check_vars(f, seen, pr);
	free(seen);
}
