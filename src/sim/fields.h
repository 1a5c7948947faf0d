/* sim/fields.h: the scenario parser's shared pieces (fields.c, scenario.c,
 * agents.c), private to this folder. Each object of the file is a table of
 * keys; sim_f_walk checks it against its table and calls each key's parser
 * with the path of the field, so every message names it. */
#ifndef HL_SIM_FIELDS_H
#define HL_SIM_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
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

/* Parses one key's value into dst (a field of the object being filled);
 * 0, EINVAL with why written, or ENOMEM. */
typedef int (sim_key_h)(struct sim_pctx *p, const char *path, json_t *v,
			void *dst);

struct sim_key {
	const char *name;
	bool required;
	sim_key_h *parse;
	size_t off;                /* of dst within the object's struct */
};

/* Writes the reason; returns EINVAL. */
int  sim_f_fail(struct sim_pctx *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* path.key and path[i] into out (SIM_PATH_LEN). */
void sim_f_child(char *out, const char *path, const char *key);
void sim_f_item(char *out, const char *path, size_t i);
/* Checks obj's keys against the table (unknown and missing keys), then
 * parses each present key into base + off. */
int  sim_f_walk(struct sim_pctx *p, const char *path, json_t *obj,
		const struct sim_key *keys, size_t nkeys, void *base);

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
int  sim_k_secs(struct sim_pctx *p, const char *path, json_t *v, void *dst);
int  sim_k_secs_pos(struct sim_pctx *p, const char *path, json_t *v, void *dst);
int  sim_k_name(struct sim_pctx *p, const char *path, json_t *v, void *dst);
int  sim_k_u32(struct sim_pctx *p, const char *path, json_t *v, void *dst);
int  sim_k_i32(struct sim_pctx *p, const char *path, json_t *v, void *dst);
int  sim_k_handle(struct sim_pctx *p, const char *path, json_t *v, void *dst);
int  sim_k_patience(struct sim_pctx *p, const char *path, json_t *v, void *dst);

/* The index of queue `name` among those parsed so far, or -1. */
int  sim_queue_index(const struct sim_scenario *sc, const char *name);

/* agents.c: "agents" into sc->groups (queues already parsed). */
int  sim_parse_agents(struct sim_pctx *p, json_t *arr);

#endif
