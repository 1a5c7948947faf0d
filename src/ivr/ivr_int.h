/* ivr internals shared by the pure files of src/ivr/ only. */
#ifndef HL_IVR_INT_H
#define HL_IVR_INT_H

#include <stdarg.h>
#include <jansson.h>
#include "ivr/ivr.h"

enum {
	IVR_NONE = UINT16_MAX,   /* no node */
	IVR_VARS_MAX = 64,       /* distinct variables a flow may set */
	IVR_VALUE_MAX = 256,     /* a variable's value, bytes */
	IVR_STEPS_MAX = 200,     /* node steps per event before it is a loop */
	IVR_DEPTH_MAX = 8,       /* sub-flows inside sub-flows */
	IVR_DIGITS_MAX = 32,     /* keys kept per node visit */
};

/* A set of variables, by their index in the flow's table. */
struct ivr_vset {
	uint64_t bits;
};

/* An edge: the exit called name of its node leads to node `to`. */
struct ivr_exit {
	char name[24];           /* "next", "1", "timeout", "case[0]" … */
	char path[IVR_PATH_MAX]; /* where the document names it */
	char *to_id;
	uint16_t to;
	struct ivr_vset sets;    /* variables set when leaving by it */
};

struct ivr_node {
	char *id;
	const struct ivr_kind *kind;
	struct ivr_exit *exits;
	unsigned nexits;
	struct ivr_vset reads;   /* variables it reads */
	void *p;                 /* the kind's own parameters */
};

struct ivr_flow {
	int refs;
	char name[IVR_NAME_MAX];
	uint32_t version;
	json_t *doc;
	const struct ivr_env *env;
	struct ivr_node *nodes;
	unsigned n;
	uint16_t start;
	uint16_t on_error;       /* IVR_NONE: to the agent, else hang up */
	char voice[8];           /* the flow's language */
	char tz[48];             /* its time zone (time.*, schedules) */
	char agent_key;          /* 按键转人工, or 0 */
	char agent_queue[IVR_NAME_MAX];
	int32_t agent_priority;
	char *vars[IVR_VARS_MAX];/* every variable a node sets */
	unsigned nvars;
};

/* What a node handler answers. */
enum ivr_step {
	IVR_STAY,   /* waiting: out says for what */
	IVR_GO,     /* leave by the exit named in r->exit */
	IVR_DONE,   /* the call leaves the flow (out->end set) */
	IVR_FAIL,   /* take the error path; r->why says why */
};

/* The compiler's state while one document is read (flow.c). */
struct ivr_cc {
	struct ivr_flow *f;
	struct ivr_problems *pr;
	const struct ivr_env *env;
	struct ivr_node *node;   /* being parsed */
	char base[IVR_PATH_MAX]; /* "nodes.<id>" */
};

/* One node kind: a row of the table in nodes.c. */
struct ivr_kind {
	const char *name;
	const char *doc;         /* one line for docs/ivr.md */
	bool waits;              /* waits for the caller's keys */
	/* Reads the node's keys from o (every one it knows, refusing others)
	 * into n->p, adds its exits and the variables it reads. Problems go
	 * to cc (ivr_cc_problem); returns 0 or ENOMEM. */
	int  (*parse)(struct ivr_cc *cc, struct ivr_node *n, json_t *o);
	void (*free)(void *p);
	/* The node is entered. */
	enum ivr_step (*enter)(struct ivr_run *r, struct ivr_out *out);
	/* An event for the node (KEY, PLAYED, TIMER, LOOKUP, FLOW). NULL:
	 * the node expects none. */
	enum ivr_step (*event)(struct ivr_run *r, const struct ivr_in *in,
			       struct ivr_out *out);
};

extern const struct ivr_kind *const ivr_kinds[];
extern const size_t ivr_kinds_n;
const struct ivr_kind *ivr_kind_find(const char *name);

/* One frame of the run's stack: the flow being run and where. */
struct ivr_frame {
	struct ivr_flow *f;
	uint16_t node;
	int64_t entered;         /* when the node was entered (a sub-flow
				  * node's visit spans its sub-flow) */
};

struct ivr_var {
	char name[IVR_NAME_MAX];
	char value[IVR_VALUE_MAX];
};

struct ivr_data {
	char *section, *key, *value;
};

/* The state of one call in a flow (run.c); a node's own state is in the
 * fields marked "node". */
struct ivr_run {
	struct ivr_frame stack[IVR_DEPTH_MAX];
	unsigned depth;               /* frames in use (>= 1) */
	struct ivr_caller who;
	char *who_buf[5];
	ivr_visit_h *visith;
	void *arg;
	int64_t now;
	bool started, over;
	bool failed;                  /* the error node has been entered */
	char last_digits[IVR_DIGITS_MAX + 1]; /* "digits": the last input */
	char tmp[32];                 /* a time built-in's value */
	uint64_t steps;
	const char *exit;             /* set with IVR_GO */
	char why[IVR_MSG_MAX];        /* set with IVR_FAIL */
	struct ivr_var *vars;
	unsigned nvars, capvars;
	struct ivr_data *data;
	unsigned ndata, capdata;
	char ahead[IVR_DIGITS_MAX];   /* keys typed during a barge-in prompt,
				       * for the next menu or input */
	/* node */
	int64_t entered;
	bool told;                    /* its visit has been told */
	char digits[IVR_DIGITS_MAX + 1]; /* keys pressed here (visit) */
	unsigned ndigits;
	char got[IVR_DIGITS_MAX + 1];    /* an input's digits so far */
	unsigned ngot;
	unsigned retries, timeouts, invalids;
	int phase;
	bool playing;
	int64_t deadline;
	char text[1024];              /* prompt text built for out */
	char url[1024], body[2048];
};

/* The node being run and its flow. */
static inline struct ivr_frame *ivr_top(struct ivr_run *r)
{
	return &r->stack[r->depth - 1];
}
static inline const struct ivr_node *ivr_node_now(struct ivr_run *r)
{
	struct ivr_frame *fr = ivr_top(r);
	return &fr->f->nodes[fr->node];
}

/* ---- flow.c: compiling ---- */

/* Appends a problem at cc->base + "." + key (key NULL: cc->base). */
void ivr_cc_problem(struct ivr_cc *cc, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same at an absolute path. */
void ivr_problem_at(struct ivr_problems *pr, const char *path,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds exit name of cc->node leading to node id (checked later), found at
 * key in the node's object. NULL on ENOMEM. */
struct ivr_exit *ivr_cc_exit(struct ivr_cc *cc, const char *name,
			     const char *key, const char *id);
/* The index of variable name in the flow's table, added when new;
 * -1 when the table is full (a problem is recorded). */
int  ivr_cc_var(struct ivr_cc *cc, const char *key, const char *name);
/* Records that cc->node reads variable name (a built-in or one set by a
 * node); key names where. */
void ivr_cc_reads(struct ivr_cc *cc, const char *key, const char *name);
/* Marks every "{name}" in a template as read; problems for a bad one. */
void ivr_cc_template(struct ivr_cc *cc, const char *key, const char *text);
/* True when name is a built-in variable (always set). */
bool ivr_builtin(const char *name);

/* Typed readers of a node's keys: a missing required key, or one of the
 * wrong type, is a problem; the key is marked as known. */
const char *ivr_cc_str(struct ivr_cc *cc, json_t *o, const char *key,
		       bool required, size_t max);
bool ivr_cc_int(struct ivr_cc *cc, json_t *o, const char *key, bool required,
		int64_t lo, int64_t hi, int64_t def, int64_t *v);
bool ivr_cc_bool(struct ivr_cc *cc, json_t *o, const char *key, bool def);
/* Refuses keys of o not in keys (NULL-ended); "kind" and "description"
 * are always known. */
void ivr_cc_only(struct ivr_cc *cc, json_t *o, const char *const *keys);
/* A prompt: "text", {"text":…,"voice":…} or {"file":…}. */
bool ivr_cc_prompt(struct ivr_cc *cc, json_t *o, const char *key,
		   bool required, struct ivr_prompt *p);
void ivr_prompt_free(struct ivr_prompt *p);
/* An exit key: a node id in o[key] (required or not). */
void ivr_cc_next(struct ivr_cc *cc, json_t *o, const char *key,
		 const char *exit, bool required);

/* ---- check.c: whole-graph checks ---- */

/* Unreachable nodes, loops that never wait, variables read before set. */
void ivr_check_graph(struct ivr_flow *f, struct ivr_problems *pr);

/* ---- run.c: helpers for node handlers ---- */

/* Sets r->exit and answers IVR_GO. */
enum ivr_step ivr_go(struct ivr_run *r, const char *exit);
/* Sets r->why and answers IVR_FAIL. */
enum ivr_step ivr_fail(struct ivr_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Asks out to play p (voice defaulted to the flow's). */
void ivr_play(struct ivr_run *r, struct ivr_out *out,
	      const struct ivr_prompt *p);
/* Reads a variable, built-ins included; NULL when unset. */
const char *ivr_get(struct ivr_run *r, const char *name);
/* Sets a variable (copied, truncated to IVR_VALUE_MAX - 1). */
int  ivr_set(struct ivr_run *r, const char *name, const char *value);
/* Sets call data section/key. */
int  ivr_data_set(struct ivr_run *r, const char *section, const char *key,
		  const char *value);
/* How ivr_expand writes a variable's value. */
enum ivr_esc { IVR_ESC_NONE, IVR_ESC_JSON, IVR_ESC_URL };
/* Expands "{name}" in tpl into buf; ENOENT (r->why set) for an unset
 * name, ENOSPC when it does not fit. */
int  ivr_expand(struct ivr_run *r, const char *tpl, char *buf, size_t n,
		enum ivr_esc esc);
/* A key pressed where no key is waited for (a barge-in prompt, a look-up,
 * a sub-flow being fetched): the agent key leaves for the agent (its
 * step), any other key is kept for the next menu or input (IVR_STAY). */
enum ivr_step ivr_key_ahead(struct ivr_run *r, char key, struct ivr_out *out);
/* Keys typed ahead: takes the first one, or 0. */
char ivr_ahead_take(struct ivr_run *r);
/* Remembers key pressed at this node (for the visit record). */
void ivr_digit_note(struct ivr_run *r, char key);
/* True when key is the agent key of the innermost flow naming one. */
bool ivr_is_agent_key(const struct ivr_run *r, char key);
/* Leaves the flow for that agent queue (or hangs up with none). */
enum ivr_step ivr_to_agent(struct ivr_run *r, struct ivr_out *out);
/* Enters sub-flow f; on E2BIG (too deep) *st is a failure. */
int  ivr_push(struct ivr_run *r, struct ivr_flow *f, struct ivr_out *out,
	      enum ivr_step *st);
/* Back from a sub-flow: its caller leaves by "next". */
enum ivr_step ivr_pop(struct ivr_run *r, struct ivr_out *out);

#endif
