/* sim/fields.h: the scenario parser's shared pieces (fields.c, scenario.c,
 * agents.c), private to this folder. Each object of the file is a table of
 * keys, field descriptors (base/field.h) like every other setting's;
 * sim_f_walk checks an object against its table and parses each key with
 * the path of the field, so every message names it. A row is either one
 * of field.h's kinds (a queue's live API names: "ring_timeout_ms") or
 * FIELD_CUSTOM with one of the parsers below (seconds, names,
 * distributions), whose ctx is the struct sim_pctx. */
#ifndef HL_SIM_FIELDS_H
#define HL_SIM_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "base/field.h"
#include "sim/sim_int.h"

enum { SIM_PATH_LEN = 192 };

/* Every time in a scenario is at most a year: report/ books an agent state
 * of at most that long in one span. */
#define SIM_MAX_S (REPORT_MAX_STATE_MS / 1000.0)

struct sim_pctx {
	struct sim_scenario *sc;   /* being filled */
	char *why;                 /* the one-line reason, size n */
	size_t n;
};

/* A key read by parse (a field_json_h: ctx is the struct sim_pctx; 0,
 * EINVAL with why written, or ENOMEM) into the member at off. */
#define SIM_KEY(nm, req, fn, offset) {.name = (nm), .kind = FIELD_CUSTOM, \
	.required = (req), .parse = (fn), .off = (offset)}

/* Writes the reason; returns EINVAL. */
int  sim_f_fail(struct sim_pctx *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* path.key and path[i] into out (SIM_PATH_LEN). */
void sim_f_child(char *out, const char *path, const char *key);
void sim_f_item(char *out, const char *path, size_t i);
/* Checks obj's keys against the table (unknown and missing keys), then
 * parses each present key into base + off. */
int  sim_f_walk(struct sim_pctx *p, const char *path, json_t *obj,
		const struct field *keys, size_t nkeys, void *base);

/* Values: a number in [lo, hi] (open: lo itself refused), a whole number
 * in [lo, hi], a non-empty name under SIM_NAME_LEN, seconds as ms. */
int  sim_f_number(struct sim_pctx *p, const char *path, json_t *v, double lo,
		  bool open, double hi, double *out);
int  sim_f_integer(struct sim_pctx *p, const char *path, json_t *v,
		   long long lo, long long hi, long long *out);
int  sim_f_string(struct sim_pctx *p, const char *path, json_t *v, char *out);
int  sim_f_secs(struct sim_pctx *p, const char *path, json_t *v, bool open,
		int64_t *ms);

/* Key parsers for the tables: seconds >= 0 (int64 ms), seconds > 0, a name,
 * uint32 >= 0, int32 in +-1e6, and distributions (struct sim_dist): a
 * handle time (fixed, exponential, lognormal) or one that may be none
 * (patience, answer delay). */
field_json_h sim_k_secs;
field_json_h sim_k_secs_pos;
field_json_h sim_k_name;
field_json_h sim_k_u32;
field_json_h sim_k_i32;
field_json_h sim_k_handle;
field_json_h sim_k_patience;

/* The index of queue `name` among those parsed so far, or -1. */
int  sim_queue_index(const struct sim_scenario *sc, const char *name);

/* agents.c: "agents" into sc->groups (queues already parsed). */
int  sim_parse_agents(struct sim_pctx *p, json_t *arr);

#endif
