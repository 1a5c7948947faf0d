/* sim/fields: checking one object of the scenario against its key table,
 * and the values and distributions every table uses. Messages name the
 * field by its path: `unknown key "queues[0].stratgy"`, `missing key
 * "handle_time.sd_s"`, `queues[1].sl_seconds: want a number, 0 or more`. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/util.h"
#include "sim/fields.h"

int sim_f_fail(struct sim_pctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->n, fmt, ap);
	va_end(ap);
	return EINVAL;
}

void sim_f_child(char *out, const char *path, const char *key)
{
	snprintf(out, SIM_PATH_LEN, "%s%s%s", path, *path ? "." : "", key);
}

void sim_f_item(char *out, const char *path, size_t i)
{
	snprintf(out, SIM_PATH_LEN, "%s[%zu]", path, i);
}

/* Walks obj against its key table, filling base through each row. */
int sim_f_walk(struct sim_pctx *p, const char *path, json_t *obj,
		const struct field *keys, size_t nkeys, void *base)
{
	char sub[SIM_PATH_LEN];
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return sim_f_fail(p, "%s: want an object", *path ? path : "scenario");
	json_object_foreach(obj, k, v) {
		size_t i;
		for (i = 0; i < nkeys && strcmp(keys[i].name, k); i++)
			;
		sim_f_child(sub, path, k);
		if (i == nkeys)
			return sim_f_fail(p, "unknown key \"%s\"", sub);
	}
	for (size_t i = 0; i < nkeys; i++) {
		int err;
		sim_f_child(sub, path, keys[i].name);
		v = json_object_get(obj, keys[i].name);
		if (!v) {
			if (keys[i].required)
				return sim_f_fail(p, "missing key \"%s\"", sub);
			continue;
		}
		err = field_parse_json(&keys[i], sub, v, base, p, p->why, p->n);
		if (err)
			return err;
	}
	return 0;
}

/* --- values ------------------------------------------------------------- */

int sim_f_number(struct sim_pctx *p, const char *path, json_t *v, double lo,
		  bool open, double hi, double *out)
{
	double x = json_number_value(v);

	if (!json_is_number(v) || !isfinite(x) || x < lo || (open && x == lo))
		return sim_f_fail(p, open ? "%s: want a number greater than %g" :
			    "%s: want a number, %g or more", path, lo);
	if (x > hi)
		return sim_f_fail(p, "%s: want a number, at most %g", path, hi);
	*out = x;
	return 0;
}

int sim_f_integer(struct sim_pctx *p, const char *path, json_t *v, long long lo,
		   long long hi, long long *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return sim_f_fail(p, "%s: want a whole number from %lld to %lld",
			    path, lo, hi);
	*out = json_integer_value(v);
	return 0;
}

int sim_f_string(struct sim_pctx *p, const char *path, json_t *v, char *out)
{
	const char *s = json_string_value(v);

	if (!s || !*s || strlen(s) >= SIM_NAME_LEN)
		return sim_f_fail(p, "%s: want a non-empty string under %d bytes",
			    path, SIM_NAME_LEN);
	strcpy(out, s);
	return 0;
}

/* Seconds into milliseconds; `open`: 0 is refused. */
int sim_f_secs(struct sim_pctx *p, const char *path, json_t *v, bool open,
		int64_t *ms)
{
	double x = 0;
	int err = sim_f_number(p, path, v, 0, open, SIM_MAX_S, &x);

	if (err)
		return err;
	*ms = llround(x * 1000);
	if (open && *ms == 0)
		return sim_f_fail(p, "%s: want at least 0.001 s", path);
	return 0;
}

int sim_k_secs(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	return sim_f_secs(p, path, v, false, dst);
}

int sim_k_secs_pos(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	return sim_f_secs(p, path, v, true, dst);
}

int sim_k_name(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	return sim_f_string(p, path, v, dst);
}

int sim_k_u32(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	long long x = 0;
	int err = sim_f_integer(p, path, v, 0, UINT32_MAX, &x);

	if (!err)
		*(uint32_t *)dst = (uint32_t)x;
	return err;
}

int sim_k_i32(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	long long x = 0;
	int err = sim_f_integer(p, path, v, -1000000, 1000000, &x);

	if (!err)
		*(int32_t *)dst = (int32_t)x;
	return err;
}

/* --- distributions ------------------------------------------------------ */

struct dist_in {
	char dist[SIM_NAME_LEN];
	double mean_s, sd_s;
	bool has_mean, has_sd;
};

static int k_mean(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct dist_in *d = (struct dist_in *)((char *)dst -
					       offsetof(struct dist_in, mean_s));
	d->has_mean = true;
	return sim_f_number(p, path, v, 0, false, SIM_MAX_S, dst);
}

static int k_sd(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct dist_in *d = (struct dist_in *)((char *)dst -
					       offsetof(struct dist_in, sd_s));
	d->has_sd = true;
	return sim_f_number(p, path, v, 0, true, SIM_MAX_S, dst);
}

static const struct field dist_keys[] = {
	SIM_KEY("dist",   true,  sim_k_name, offsetof(struct dist_in, dist)),
	SIM_KEY("mean_s", false, k_mean, offsetof(struct dist_in, mean_s)),
	SIM_KEY("sd_s",   false, k_sd,   offsetof(struct dist_in, sd_s)),
};

/* Which distributions a use allows, as a bit per enum sim_dist_kind. */
#define BIT(k) (1u << (k))
enum {
	ANY_TIME = BIT(SIM_DIST_FIXED) | BIT(SIM_DIST_EXPONENTIAL) |
		   BIT(SIM_DIST_LOGNORMAL),
	ANY_OR_NONE = ANY_TIME | BIT(SIM_DIST_NONE),
};

static int dist(struct sim_pctx *p, const char *path, json_t *v, unsigned allow,
		struct sim_dist *out)
{
	struct dist_in in = {0};
	char sub[SIM_PATH_LEN];
	unsigned k;
	int err = sim_f_walk(p, path, v, dist_keys, ARRAY_LEN(dist_keys), &in);

	if (err)
		return err;
	for (k = 0; k <= SIM_DIST_LOGNORMAL; k++) {
		if (!strcmp(in.dist, sim_dist_name(k)) && (allow & BIT(k)))
			break;
	}
	sim_f_child(sub, path, "dist");
	if (k > SIM_DIST_LOGNORMAL) {
		char list[96] = "";
		for (unsigned j = 0; j <= SIM_DIST_LOGNORMAL; j++) {
			if (allow & BIT(j))
				snprintf(list + strlen(list),
					 sizeof(list) - strlen(list), "%s%s",
					 *list ? ", " : "", sim_dist_name(j));
		}
		return sim_f_fail(p, "%s: unknown distribution \"%s\" (want %s)",
			    sub, in.dist, list);
	}
	sim_f_child(sub, path, k == SIM_DIST_NONE ? "dist" : "mean_s");
	if (k == SIM_DIST_NONE && (in.has_mean || in.has_sd))
		return sim_f_fail(p, "%s: \"none\" takes no mean_s or sd_s", sub);
	if (k != SIM_DIST_NONE && !in.has_mean)
		return sim_f_fail(p, "missing key \"%s\"", sub);
	if (k != SIM_DIST_FIXED && k != SIM_DIST_NONE && !(in.mean_s > 0))
		return sim_f_fail(p, "%s: want a number greater than 0", sub);
	sim_f_child(sub, path, "sd_s");
	if (k == SIM_DIST_LOGNORMAL && !in.has_sd)
		return sim_f_fail(p, "missing key \"%s\"", sub);
	if (k != SIM_DIST_LOGNORMAL && in.has_sd)
		return sim_f_fail(p, "%s: only a lognormal has sd_s", sub);
	*out = (struct sim_dist){.kind = k, .mean_s = in.mean_s,
				 .sd_s = in.sd_s};
	sim_dist_prepare(out);
	return 0;
}

int sim_k_handle(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	return dist(p, path, v, ANY_TIME, dst);
}

int sim_k_patience(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	return dist(p, path, v, ANY_OR_NONE, dst);
}

int sim_queue_index(const struct sim_scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->nqueues; i++) {
		if (!strcmp(sc->queues[i].name, name))
			return (int)i;
	}
	return -1;
}
