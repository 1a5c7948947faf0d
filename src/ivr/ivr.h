/* ivr: voice menus as data. A flow is a graph of nodes written as JSON
 * (docs/ivr.md): it is checked whole before it is kept (ivr_flow_compile
 * lists every problem with the path to it), then run by the interpreter,
 * one ivr_run per call.
 *
 * The compiler and the interpreter are pure: no I/O, no clock, no libre.
 * The host (call/ivr.c in `hotline serve`, bench/ivr and the unit tests)
 * feeds a run events stamped with the time they happened (a key, a
 * prompt's end, a timer, a look-up's answer) and carries out what the run
 * answers: play this, stop that, wake me at, look this up, hand the call
 * to a queue, an extension or a mailbox, or hang up. Everything a run does
 * is a function of the flow and the events, so a test with a simulated
 * clock sees exactly what a caller hears.
 *
 * The stored flows, their HTTP routes and the module's row for `hotline
 * serve` are the host half (store.c, http.c; the second part of this
 * header).
 *
 * Facts that always hold:
 *  (1) A compiled flow is never changed: replacing a flow makes a new
 *      version, and a run keeps a reference to the version it started on.
 *  (2) A run never waits without a timer unless it waits for a prompt's
 *      end or a look-up (whose hosts promise an answer): no caller is left
 *      in silence by a flow.
 *  (3) Every run ends in exactly one ivr_out.end other than IVR_END_NONE,
 *      unless the caller hangs up first.
 *  (4) Any failure inside a run (a missing sub-flow, a loop that spins, an
 *      expression that cannot be read) takes the flow's error path, which
 *      leads to an agent when the flow names one. */
#ifndef HL_IVR_IVR_H
#define HL_IVR_IVR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ivr_flow;
struct ivr_run;
/* jansson's json_t, named so that users of libre's re.h (whose re_json.h
 * clashes with jansson.h) can include this header too. */
struct json_t;

enum { IVR_NAME_MAX = 32, IVR_PATH_MAX = 96, IVR_MSG_MAX = 160 };

/* ---- compiling a flow (flow.c, check.c, nodes*.c) ---------------------- */

/* One thing wrong with a flow: where (a JSON path: "nodes.menu.keys.3")
 * and what. */
struct ivr_problem {
	char path[IVR_PATH_MAX];
	char msg[IVR_MSG_MAX];
};

/* Every problem found, in the order found. v is owned by the list
 * (ivr_problems_reset). */
struct ivr_problems {
	struct ivr_problem *v;
	size_t n, cap;
	size_t dropped;              /* found after the first 200: not kept */
};

/* Frees the problems and empties the list. */
void ivr_problems_reset(struct ivr_problems *pr);

/* What a flow may name outside itself; each hook may be NULL (not
 * checked). The same env is used to run the flow: it must outlive it. */
struct ivr_env {
	bool (*queue_exists)(void *arg, const char *queue);
	bool (*ext_exists)(void *arg, const char *ext);
	bool (*flow_exists)(void *arg, const char *flow);
	bool (*prompt_exists)(void *arg, const char *name);
	/* The offset of zone tz from UTC at utc_ms, in seconds. ENOENT: no
	 * such zone. NULL: only "UTC" is known. */
	int  (*tz_offset)(void *arg, const char *tz, int64_t utc_ms,
			  int32_t *offset_s);
	void *arg;
};

/* Compiles the flow document doc (a reference is taken) as version
 * `version`: 0 and *fp (ivr_flow_unref), or EINVAL with every problem
 * appended to pr, or ENOMEM. */
int  ivr_flow_compile(struct ivr_flow **fp, struct json_t *doc,
		      uint32_t version, const struct ivr_env *env,
		      struct ivr_problems *pr);

/* Another reference to f. */
struct ivr_flow *ivr_flow_ref(struct ivr_flow *f);

/* Drops a reference; the last one frees f. NULL is fine. */
void ivr_flow_unref(struct ivr_flow *f);

/* The flow's name, version and document (borrowed). */
const char *ivr_flow_name(const struct ivr_flow *f);
uint32_t    ivr_flow_version(const struct ivr_flow *f);
struct json_t *ivr_flow_doc(const struct ivr_flow *f);

/* Calls h for every node kind in the table, in order (docs, the console's
 * palette, the tests). */
void ivr_kinds_each(void (*h)(const char *kind, const char *doc, void *arg),
		    void *arg);

/* ---- running a flow (run.c) -------------------------------------------- */

/* What the host tells a run. now_ms is the wall clock (UTC ms) when it
 * happened; a run never lets it go backwards. */
enum ivr_in_kind {
	IVR_IN_START,       /* the caller is answered: the flow begins */
	IVR_IN_KEY,         /* key: a DTMF key the caller pressed */
	IVR_IN_PLAYED,      /* the prompt asked for last has been heard (or
			     * could not be played: the same) */
	IVR_IN_TIMER,       /* the time asked for in timer_at has come */
	IVR_IN_LOOKUP,      /* the look-up asked for has an answer */
	IVR_IN_FLOW,        /* the sub-flow asked for (flow, or NULL: none) */
	IVR_IN_HANGUP,      /* the caller hung up: the run is over */
};

struct ivr_in {
	enum ivr_in_kind kind;
	int64_t now_ms;
	char key;                   /* '0'-'9', '*', '#', 'A'-'D' */
	int lookup_err;             /* 0, ETIMEDOUT, EPROTO, EIO, … */
	const struct json_t *answer; /* the look-up's JSON object (borrowed) */
	struct ivr_flow *flow;      /* the run takes its own reference */
};

/* A prompt to play: text spoken by voice ("zh", "en"), or an uploaded
 * prompt's name (file). */
struct ivr_prompt {
	const char *text;
	const char *file;
	const char *voice;
};

/* Where the call goes when the flow is done with it. */
enum ivr_end {
	IVR_END_NONE,       /* still in the flow */
	IVR_END_QUEUE,      /* target: a queue; priority, skill */
	IVR_END_TRANSFER,   /* target: an extension */
	IVR_END_VOICEMAIL,  /* target: a mailbox */
	IVR_END_HANGUP,     /* the flow hung up */
};

/* What the host does after a feed, in this order: stop, play, lookup,
 * want_flow, timer, end. Strings are the run's, valid until the next
 * feed. */
struct ivr_out {
	bool stop;                  /* stop the prompt playing now */
	bool play;                  /* play prompt; IVR_IN_PLAYED when heard */
	struct ivr_prompt prompt;
	bool lookup;                /* start an HTTP look-up; IVR_IN_LOOKUP */
	const char *method, *url, *body;
	uint32_t lookup_ms;         /* its timeout */
	const char *want_flow;      /* answer with IVR_IN_FLOW */
	int64_t timer_at;           /* IVR_IN_TIMER at this time; 0: none
				     * (a timer asked for earlier is void) */
	enum ivr_end end;
	const char *target;
	int32_t priority;
	uint32_t skill;             /* a skill the agent must have; 0: none */
};

/* One node visit, told when the caller leaves the node (analytics). */
struct ivr_visit {
	const char *flow;
	uint32_t version;
	const char *node;
	const char *kind;
	int64_t entered_ms, left_ms;
	const char *exit;           /* the exit taken; "hangup" when the caller
				     * hung up there, "error" on a failure */
	const char *digits;         /* keys pressed there, "" for none */
	unsigned retries;           /* prompts replayed after a timeout or a
				     * wrong key */
};

typedef void (ivr_visit_h)(const struct ivr_visit *v, void *arg);

/* Who is calling: the run's built-in variables (docs/ivr.md). Strings are
 * copied. */
struct ivr_caller {
	const char *caller;         /* the caller's number */
	const char *did;            /* the number dialled */
	const char *call_id;
	const char *province, *city;/* of the caller's number, or NULL */
};

/* A run of flow f (a reference is taken) for one call; *rp is the
 * caller's (ivr_run_free). visit may be NULL. */
int  ivr_run_alloc(struct ivr_run **rp, struct ivr_flow *f,
		   const struct ivr_caller *who, ivr_visit_h *visit,
		   void *arg);

/* Frees r and its references. NULL is fine. */
void ivr_run_free(struct ivr_run *r);

/* Feeds one event and fills *out with what to do. 0, or EINVAL for an
 * event the run does not expect now (ignored: *out asks nothing), or
 * EALREADY when the run is over. */
int  ivr_run_feed(struct ivr_run *r, const struct ivr_in *in,
		  struct ivr_out *out);

/* The value of variable name, or NULL. */
const char *ivr_run_var(const struct ivr_run *r, const char *name);

/* Call-associated data set so far: h(section, key, value) for each entry
 * in the order first set; non-zero stops and is returned. */
int  ivr_run_data_each(const struct ivr_run *r,
		       int (*h)(const char *section, const char *key,
				const char *value, void *arg), void *arg);

/* Node steps taken since alloc (bench/ivr). */
uint64_t ivr_run_steps(const struct ivr_run *r);

/* ---- the host half: stored flows (store.c), HTTP (http.c), the module
 * (mod.c) ---------------------------------------------------------------- */

struct ivr_store;
struct db;
struct mod_export;

/* The module's row for `hotline serve` (base/mod.h): starts after the dial
 * plan, before calls; sets h->ivr and serves /api/v1/ivr-flows. */
extern const struct mod_export ivr_module;

/* Reads the current version of every flow from db (start-up: synchronous)
 * and compiles it; a stored flow that no longer compiles is logged and not
 * run. Names outside a flow are asked of env (copied; hooks may be NULL).
 * *sp is the caller's (ivr_store_free). */
int  ivr_store_alloc(struct ivr_store **sp, struct db *db,
		     const struct ivr_env *env);
void ivr_store_free(struct ivr_store *s);

/* The current version of flow name, or NULL; borrowed: ivr_flow_ref it to
 * keep it past the current event. From memory. */
struct ivr_flow *ivr_store_get(const struct ivr_store *s, const char *name);

/* Compiles doc (its "name" names the flow) as the flow's next version;
 * on 0 it is current and its row queued, *version says which. EINVAL with
 * every problem in pr: nothing changed. */
int  ivr_store_put(struct ivr_store *s, struct json_t *doc, const char *by,
		   struct ivr_problems *pr, uint32_t *version);

/* Deletes flow name (its versions stay in the table for the record).
 * ENOENT: no such flow. */
int  ivr_store_delete(struct ivr_store *s, const char *name);

/* One current flow, for ivr_store_each. */
struct ivr_store_item {
	const struct ivr_flow *flow;
	int64_t updated_at;
	const char *by;
};
typedef int (ivr_store_h)(const struct ivr_store_item *it, void *arg);

/* Calls h for each current flow in name order; non-zero stops. */
int  ivr_store_each(const struct ivr_store *s, ivr_store_h *h, void *arg);

/* The env flows are compiled and run with: the store's own flow names,
 * then the host's hooks. */
const struct ivr_env *ivr_store_env(const struct ivr_store *s);

/* Provisioning (the demo): stores doc_text as flow name's first version
 * unless the flow exists. Synchronous (db_exec): start-up only. */
int  ivr_seed(struct db *db, const char *name, const char *doc_text);

#endif
