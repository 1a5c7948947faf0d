/* qa/sample: the pure sampling core — which calls inspectors score (抽检).
 *
 * The caller reads the candidate calls (a period's answered calls that no
 * sample holds yet, already narrowed by any filter: long calls, low
 * ratings, transfers, the audio measures) and the inspectors with their
 * open load; a plan picks calls and hands each to an inspector:
 *   per-agent  up to n calls of every agent (监听分值: four to five a month)
 *   percent    pct % of every queue's calls, rounded up
 *   all        every candidate
 * Facts that always hold:
 *  (1) No inspector gets a call their own extension handled, nor one of
 *      an agent outside their list (their data scope), when they have one.
 *  (2) Each pick goes to the eligible inspector with the least load so
 *      far (open load plus this draw), ties to the lower index: loads
 *      end at most one apart when everyone is eligible.
 *  (3) The same candidates, inspectors, plan and seed give the same
 *      picks, whatever order the candidates came in.
 *  (4) A picked call nobody may inspect is reported unassigned (-1),
 *      never given to its own agent.
 * No I/O, no clock; strings are borrowed. */
#ifndef HL_QA_SAMPLE_H
#define HL_QA_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

enum qa_plan_kind { QA_PLAN_PER_AGENT, QA_PLAN_PERCENT, QA_PLAN_ALL };

struct qa_plan {
	enum qa_plan_kind kind;
	unsigned n;           /* per-agent: calls per agent (1..1000) */
	double pct;           /* percent: of each queue's calls (0..100] */
	uint64_t seed;
};

struct qa_cand {
	const char *id;       /* the call */
	const char *agent;    /* the extension that handled it */
	const char *queue;    /* "" when none */
	int64_t started_at;
};

struct qa_inspector {
	const char *ext;      /* "" when they have none */
	size_t load;          /* calls already waiting for them */
	/* NULL: any agent's calls; else the only agents (extensions) whose
	 * calls they may see, NULL-terminated */
	const char *const *agents;
};

struct qa_pick {
	size_t cand;          /* index into the candidates */
	int inspector;        /* index into the inspectors, -1: nobody may */
};

/* The plan kind named s ("per-agent", "percent", "all"); EINVAL else. */
int  qa_plan_parse(const char *s, enum qa_plan_kind *k);
/* Draws plan over cands[0..nc) for insp[0..ni) (whose load grows by each
 * assignment): picks[] (room for nc) gets the picks in candidate order
 * (by id), *npicks their count. EINVAL for a plan out of range, ENOMEM. */
int  qa_sample(const struct qa_plan *plan, const struct qa_cand *cands,
	       size_t nc, struct qa_inspector *insp, size_t ni,
	       struct qa_pick *picks, size_t *npicks);

#endif
