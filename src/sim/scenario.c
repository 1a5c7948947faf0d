/* sim/scenario: the scenario file, read with jansson and checked whole
 * before anything runs. Every object's keys are one table (name, required,
 * parser); a key not in its table, a missing required key, a wrong type or
 * a value out of range is refused with the field's path, e.g.
 * `unknown key "queues[0].stratgy"` or `queues[1].sl_seconds: want a
 * number, 0 or more`. docs/simulator.md lists every key. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "acd/acd.h"
#include "base/util.h"
#include "sim/sim_int.h"

enum { PATH_LEN = 192, MAX_RATES = 100000 };

/* Every time in a scenario is at most a year: report/ books an agent state
 * of at most that long in one span. */
static const double MAX_S = REPORT_MAX_STATE_MS / 1000.0;

struct pctx {
	struct sim_scenario *sc;
	char *why;
	size_t n;
};

static int fail(struct pctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->n, fmt, ap);
	va_end(ap);
	return EINVAL;
}

/* Parses one key's value into dst (a field of the object being filled). */
typedef int (key_h)(struct pctx *p, const char *path, json_t *v, void *dst);

struct key {
	const char *name;
	bool required;
	key_h *parse;
	size_t off;
};

static void child(char *out, const char *path, const char *key)
{
	snprintf(out, PATH_LEN, "%s%s%s", path, *path ? "." : "", key);
}

static void item(char *out, const char *path, size_t i)
{
	snprintf(out, PATH_LEN, "%s[%zu]", path, i);
}

/* Walks obj against its key table, filling base through each row. */
static int walk(struct pctx *p, const char *path, json_t *obj,
		const struct key *keys, size_t nkeys, void *base)
{
	char sub[PATH_LEN];
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return fail(p, "%s: want an object", *path ? path : "scenario");
	json_object_foreach(obj, k, v) {
		size_t i;
		for (i = 0; i < nkeys && strcmp(keys[i].name, k); i++)
			;
		child(sub, path, k);
		if (i == nkeys)
			return fail(p, "unknown key \"%s\"", sub);
	}
	for (size_t i = 0; i < nkeys; i++) {
		int err;
		child(sub, path, keys[i].name);
		v = json_object_get(obj, keys[i].name);
		if (!v) {
			if (keys[i].required)
				return fail(p, "missing key \"%s\"", sub);
			continue;
		}
		err = keys[i].parse(p, sub, v, (char *)base + keys[i].off);
		if (err)
			return err;
	}
	return 0;
}

/* --- values ------------------------------------------------------------- */

static int number(struct pctx *p, const char *path, json_t *v, double lo,
		  bool open, double hi, double *out)
{
	double x = json_number_value(v);

	if (!json_is_number(v) || !isfinite(x) || x < lo || (open && x == lo))
		return fail(p, open ? "%s: want a number greater than %g" :
			    "%s: want a number, %g or more", path, lo);
	if (x > hi)
		return fail(p, "%s: want a number, at most %g", path, hi);
	*out = x;
	return 0;
}

static int integer(struct pctx *p, const char *path, json_t *v, long long lo,
		   long long hi, long long *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return fail(p, "%s: want a whole number from %lld to %lld",
			    path, lo, hi);
	*out = json_integer_value(v);
	return 0;
}

static int string(struct pctx *p, const char *path, json_t *v, char *out)
{
	const char *s = json_string_value(v);

	if (!s || !*s || strlen(s) >= SIM_NAME_LEN)
		return fail(p, "%s: want a non-empty string under %d bytes",
			    path, SIM_NAME_LEN);
	strcpy(out, s);
	return 0;
}

/* Seconds into milliseconds; `open`: 0 is refused. */
static int secs(struct pctx *p, const char *path, json_t *v, bool open,
		int64_t *ms)
{
	double x = 0;
	int err = number(p, path, v, 0, open, MAX_S, &x);

	if (err)
		return err;
	*ms = llround(x * 1000);
	if (open && *ms == 0)
		return fail(p, "%s: want at least 0.001 s", path);
	return 0;
}

static int k_secs(struct pctx *p, const char *path, json_t *v, void *dst)
{
	return secs(p, path, v, false, dst);
}

static int k_secs_pos(struct pctx *p, const char *path, json_t *v, void *dst)
{
	return secs(p, path, v, true, dst);
}

static int k_name(struct pctx *p, const char *path, json_t *v, void *dst)
{
	return string(p, path, v, dst);
}

static int k_u32(struct pctx *p, const char *path, json_t *v, void *dst)
{
	long long x = 0;
	int err = integer(p, path, v, 0, UINT32_MAX, &x);

	if (!err)
		*(uint32_t *)dst = (uint32_t)x;
	return err;
}

static int k_i32(struct pctx *p, const char *path, json_t *v, void *dst)
{
	long long x = 0;
	int err = integer(p, path, v, -1000000, 1000000, &x);

	if (!err)
		*(int32_t *)dst = (int32_t)x;
	return err;
}

static int k_seed(struct pctx *p, const char *path, json_t *v, void *dst)
{
	long long x = 0;
	int err = integer(p, path, v, 0, INT64_MAX, &x);

	if (!err)
		*(uint64_t *)dst = (uint64_t)x;
	return err;
}

/* --- distributions ------------------------------------------------------ */

struct dist_in {
	char dist[SIM_NAME_LEN];
	double mean_s, sd_s;
	bool has_mean, has_sd;
};

static int k_mean(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct dist_in *d = (struct dist_in *)((char *)dst -
					       offsetof(struct dist_in, mean_s));
	d->has_mean = true;
	return number(p, path, v, 0, false, MAX_S, dst);
}

static int k_sd(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct dist_in *d = (struct dist_in *)((char *)dst -
					       offsetof(struct dist_in, sd_s));
	d->has_sd = true;
	return number(p, path, v, 0, true, MAX_S, dst);
}

static const struct key dist_keys[] = {
	{"dist",   true,  k_name, offsetof(struct dist_in, dist)},
	{"mean_s", false, k_mean, offsetof(struct dist_in, mean_s)},
	{"sd_s",   false, k_sd,   offsetof(struct dist_in, sd_s)},
};

/* Which distributions a use allows, as a bit per enum sim_dist_kind. */
#define BIT(k) (1u << (k))
enum {
	ANY_TIME = BIT(SIM_DIST_FIXED) | BIT(SIM_DIST_EXPONENTIAL) |
		   BIT(SIM_DIST_LOGNORMAL),
	ANY_OR_NONE = ANY_TIME | BIT(SIM_DIST_NONE),
};

static int dist(struct pctx *p, const char *path, json_t *v, unsigned allow,
		struct sim_dist *out)
{
	struct dist_in in = {0};
	char sub[PATH_LEN];
	unsigned k;
	int err = walk(p, path, v, dist_keys, ARRAY_LEN(dist_keys), &in);

	if (err)
		return err;
	for (k = 0; k <= SIM_DIST_LOGNORMAL; k++) {
		if (!strcmp(in.dist, sim_dist_name(k)) && (allow & BIT(k)))
			break;
	}
	child(sub, path, "dist");
	if (k > SIM_DIST_LOGNORMAL) {
		char list[96] = "";
		for (unsigned j = 0; j <= SIM_DIST_LOGNORMAL; j++) {
			if (allow & BIT(j))
				snprintf(list + strlen(list),
					 sizeof(list) - strlen(list), "%s%s",
					 *list ? ", " : "", sim_dist_name(j));
		}
		return fail(p, "%s: unknown distribution \"%s\" (want %s)",
			    sub, in.dist, list);
	}
	child(sub, path, k == SIM_DIST_NONE ? "dist" : "mean_s");
	if (k == SIM_DIST_NONE && (in.has_mean || in.has_sd))
		return fail(p, "%s: \"none\" takes no mean_s or sd_s", sub);
	if (k != SIM_DIST_NONE && !in.has_mean)
		return fail(p, "missing key \"%s\"", sub);
	if (k != SIM_DIST_FIXED && k != SIM_DIST_NONE && !(in.mean_s > 0))
		return fail(p, "%s: want a number greater than 0", sub);
	child(sub, path, "sd_s");
	if (k == SIM_DIST_LOGNORMAL && !in.has_sd)
		return fail(p, "missing key \"%s\"", sub);
	if (k != SIM_DIST_LOGNORMAL && in.has_sd)
		return fail(p, "%s: only a lognormal has sd_s", sub);
	*out = (struct sim_dist){.kind = k, .mean_s = in.mean_s,
				 .sd_s = in.sd_s};
	sim_dist_prepare(out);
	return 0;
}

static int k_handle(struct pctx *p, const char *path, json_t *v, void *dst)
{
	return dist(p, path, v, ANY_TIME, dst);
}

static int k_patience(struct pctx *p, const char *path, json_t *v, void *dst)
{
	return dist(p, path, v, ANY_OR_NONE, dst);
}

/* --- queues ------------------------------------------------------------- */

struct queue_in {
	struct sim_queue_def q;
	char overflow[SIM_NAME_LEN];
};

static int k_strategy(struct pctx *p, const char *path, json_t *v, void *dst)
{
	const char *name, *doc, *cost;
	int err = string(p, path, v, dst);

	if (err)
		return err;
	for (size_t i = 0; !acd_strategy_at(i, &name, &doc, &cost); i++) {
		if (!strcmp(name, dst))
			return 0;
	}
	return fail(p, "%s: unknown strategy \"%s\"", path, (char *)dst);
}

static int k_weight(struct pctx *p, const char *path, json_t *v, void *dst)
{
	long long x = 0;
	int err = integer(p, path, v, 1, 1000, &x);

	if (!err)
		*(uint32_t *)dst = (uint32_t)x;
	return err;
}

#define Q(f) offsetof(struct queue_in, q.f)
static const struct key queue_keys[] = {
	{"name",            true,  k_name,     Q(name)},
	{"strategy",        false, k_strategy, Q(strategy)},
	{"sl_seconds",      false, k_secs,     Q(sl_ms)},
	{"short_abandon_s", false, k_secs,     Q(short_abandon_ms)},
	{"ring_timeout_s",  false, k_secs_pos, Q(ring_timeout_ms)},
	{"retry_s",         false, k_secs,     Q(retry_ms)},
	{"wrap_up_s",       false, k_secs,     Q(wrapup_ms)},
	{"max_wait_s",      false, k_secs,     Q(max_wait_ms)},
	{"max_len",         false, k_u32,      Q(max_len)},
	{"weight",          false, k_weight,   Q(weight)},
	{"priority",        false, k_i32,      Q(priority)},
	{"overflow",        false, k_name,     offsetof(struct queue_in, overflow)},
	{"handle_time",     false, k_handle,   Q(handle)},
	{"patience",        false, k_patience, Q(patience)},
};

static int queue_index(const struct sim_scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->nqueues; i++) {
		if (!strcmp(sc->queues[i].name, name))
			return (int)i;
	}
	return -1;
}

static int parse_queues(struct pctx *p, json_t *arr,
			const struct sim_dist *handle,
			const struct sim_dist *patience)
{
	struct sim_scenario *sc = p->sc;
	struct queue_in *in;
	char path[PATH_LEN];
	size_t n = json_array_size(arr);
	int err = 0;

	if (!json_is_array(arr) || !n || n > SIM_MAX_QUEUES)
		return fail(p, "queues: want an array of 1 to %d queues",
			    SIM_MAX_QUEUES);
	in = calloc(n, sizeof(*in));
	sc->queues = calloc(n, sizeof(*sc->queues));
	if (!in || !sc->queues) {
		free(in);
		return ENOMEM;
	}
	for (size_t i = 0; i < n && !err; i++) {
		in[i].q = (struct sim_queue_def){
			.strategy = "longest-idle", .sl_ms = 20000,
			.ring_timeout_ms = 30000, .weight = 1, .overflow = -1,
			.handle = *handle, .patience = *patience,
		};
		item(path, "queues", i);
		err = walk(p, path, json_array_get(arr, i), queue_keys,
			   ARRAY_LEN(queue_keys), &in[i]);
		if (!err && queue_index(sc, in[i].q.name) >= 0)
			err = fail(p, "%s.name: queue \"%s\" is listed twice",
				   path, in[i].q.name);
		if (!err)
			sc->queues[sc->nqueues++] = in[i].q;
	}
	/* Overflow names resolve once every queue is known. */
	for (size_t i = 0; i < n && !err; i++) {
		if (!in[i].overflow[0] || !strcmp(in[i].overflow, "hangup"))
			continue;
		sc->queues[i].overflow = queue_index(sc, in[i].overflow);
		if (sc->queues[i].overflow < 0)
			err = fail(p, "queues[%zu].overflow: no queue \"%s\" "
				   "(want a queue name or \"hangup\")", i,
				   in[i].overflow);
	}
	/* A chain of overflows must end; n hops without ending is a loop. */
	for (size_t i = 0; i < n && !err; i++) {
		int j = sc->queues[i].overflow;
		for (size_t hops = 0; j >= 0 && !err; hops++) {
			if ((size_t)j == i || hops > n)
				err = fail(p, "queues[%zu].overflow: queue \"%s\" "
					   "overflows back into itself", i,
					   sc->queues[i].name);
			j = sc->queues[j].overflow;
		}
	}
	free(in);
	return err;
}

/* --- agents ------------------------------------------------------------- */

struct member_in {
	char name[SIM_NAME_LEN];
	int32_t skill;
};

static const struct key member_keys[] = {
	{"name",  true,  k_name, offsetof(struct member_in, name)},
	{"skill", false, k_i32,  offsetof(struct member_in, skill)},
};

static int k_members(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct sim_group_def *g = dst;
	size_t n = json_array_size(v);
	char sub[PATH_LEN];

	if (!json_is_array(v) || !n || n > SIM_MAX_QUEUES)
		return fail(p, "%s: want an array of queue names", path);
	g->members = calloc(n, sizeof(*g->members));
	if (!g->members)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct member_in m = {0};
		json_t *e = json_array_get(v, i);
		int q, err;

		item(sub, path, i);
		if (json_is_string(e))
			err = string(p, sub, e, m.name);
		else if (json_is_object(e))
			err = walk(p, sub, e, member_keys,
				   ARRAY_LEN(member_keys), &m);
		else
			err = fail(p, "%s: want a queue name or "
				   "{\"name\", \"skill\"}", sub);
		if (err)
			return err;
		q = queue_index(p->sc, m.name);
		if (q < 0)
			return fail(p, "%s: no queue \"%s\"", sub, m.name);
		for (size_t j = 0; j < g->nmembers; j++) {
			if (g->members[j].queue == (uint32_t)q)
				return fail(p, "%s: queue \"%s\" is listed "
					    "twice", sub, m.name);
		}
		g->members[g->nmembers++] = (struct sim_member_def){
			.queue = (uint32_t)q, .skill = m.skill};
	}
	return 0;
}

#define S(f) offsetof(struct sim_group_def, f)
static const struct key shift_keys[] = {
	{"start_s",  true,  k_secs,     S(shift_start_ms)},
	{"end_s",    true,  k_secs,     S(shift_end_ms)},
	{"repeat_s", false, k_secs_pos, S(shift_repeat_ms)},
};

static int k_shift(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct sim_group_def *g = dst;
	int err = walk(p, path, v, shift_keys, ARRAY_LEN(shift_keys), g);

	if (err)
		return err;
	g->has_shift = true;
	if (g->shift_end_ms <= g->shift_start_ms)
		return fail(p, "%s.end_s: want a time after start_s", path);
	if (g->shift_repeat_ms &&
	    g->shift_end_ms - g->shift_start_ms > g->shift_repeat_ms)
		return fail(p, "%s.repeat_s: want at least end_s - start_s",
			    path);
	return 0;
}

static int k_count(struct pctx *p, const char *path, json_t *v, void *dst)
{
	long long x = 0;
	int err = integer(p, path, v, 1, SIM_MAX_AGENTS, &x);

	if (!err)
		*(uint32_t *)dst = (uint32_t)x;
	return err;
}

static const struct key group_keys[] = {
	{"count",  true,  k_count,   S(count)},
	{"queues", true,  k_members, 0},
	{"shift",  false, k_shift,   0},
};

static int parse_agents(struct pctx *p, json_t *arr)
{
	struct sim_scenario *sc = p->sc;
	char path[PATH_LEN];
	size_t n = json_array_size(arr);

	if (!json_is_array(arr))
		return fail(p, "agents: want an array");
	sc->groups = calloc(n ? n : 1, sizeof(*sc->groups));
	if (!sc->groups)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct sim_group_def *g = &sc->groups[sc->ngroups++];
		int err;

		item(path, "agents", i);
		err = walk(p, path, json_array_get(arr, i), group_keys,
			   ARRAY_LEN(group_keys), g);
		if (err)
			return err;
		if (g->count > SIM_MAX_AGENTS - sc->nagents)
			return fail(p, "%s.count: more than %d agents in all",
				    path, SIM_MAX_AGENTS);
		sc->nagents += g->count;
	}
	return 0;
}

/* --- arrivals ----------------------------------------------------------- */

struct stream_in {
	struct sim_stream_def s;
	char queue[SIM_NAME_LEN];
	double rate;
	bool has_rate, has_rates, has_width, has_prio;
};

static int k_rate(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct stream_in *in = dst;

	in->has_rate = true;
	return number(p, path, v, 0, false, 1e9, &in->rate);
}

static int k_rates(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct stream_in *in = dst;
	size_t n = json_array_size(v);
	char sub[PATH_LEN];

	in->has_rates = true;
	if (!json_is_array(v) || !n || n > MAX_RATES)
		return fail(p, "%s: want an array of 1 to %d rates", path,
			    MAX_RATES);
	in->s.rates_per_ms = calloc(n, sizeof(double));
	if (!in->s.rates_per_ms)
		return ENOMEM;
	in->s.nrates = n;
	for (size_t i = 0; i < n; i++) {
		double r;
		int err;
		item(sub, path, i);
		err = number(p, sub, json_array_get(v, i), 0, false, 1e9, &r);
		if (err)
			return err;
		in->s.rates_per_ms[i] = r / 3600000.0;
	}
	return 0;
}

static int k_width(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct stream_in *in = dst;

	in->has_width = true;
	return secs(p, path, v, true, &in->s.rate_interval_ms);
}

static int k_prio(struct pctx *p, const char *path, json_t *v, void *dst)
{
	struct stream_in *in = dst;

	in->has_prio = true;
	return k_i32(p, path, v, &in->s.priority);
}

static const struct key stream_keys[] = {
	{"queue",           true,  k_name,  offsetof(struct stream_in, queue)},
	{"rate_per_hour",   false, k_rate,  0},
	{"rates_per_hour",  false, k_rates, 0},
	{"rate_interval_s", false, k_width, 0},
	{"priority",        false, k_prio,  0},
};

static int parse_stream(struct pctx *p, const char *path, json_t *v,
			struct stream_in *in)
{
	int q, err = walk(p, path, v, stream_keys, ARRAY_LEN(stream_keys), in);

	if (err)
		return err;
	q = queue_index(p->sc, in->queue);
	if (q < 0)
		return fail(p, "%s.queue: no queue \"%s\"", path, in->queue);
	in->s.queue = (uint32_t)q;
	if (!in->has_prio)
		in->s.priority = p->sc->queues[q].priority;
	if (in->has_rate == in->has_rates)
		return fail(p, "%s: want exactly one of rate_per_hour and "
			    "rates_per_hour", path);
	if (in->has_width && !in->has_rates)
		return fail(p, "%s.rate_interval_s: only with rates_per_hour",
			    path);
	if (in->has_rate) {
		in->s.rates_per_ms = malloc(sizeof(double));
		if (!in->s.rates_per_ms)
			return ENOMEM;
		in->s.rates_per_ms[0] = in->rate / 3600000.0;
		in->s.nrates = 1;
	}
	if (!in->has_width)
		in->s.rate_interval_ms = 3600000;
	return 0;
}

static int parse_arrivals(struct pctx *p, json_t *arr)
{
	struct sim_scenario *sc = p->sc;
	char path[PATH_LEN];
	size_t n = json_array_size(arr);

	if (!json_is_array(arr))
		return fail(p, "arrivals: want an array");
	sc->streams = calloc(n ? n : 1, sizeof(*sc->streams));
	if (!sc->streams)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct stream_in in = {0};
		int err;

		item(path, "arrivals", i);
		err = parse_stream(p, path, json_array_get(arr, i), &in);
		sc->streams[sc->nstreams++] = in.s;  /* freed with sc */
		if (err)
			return err;
	}
	return 0;
}

/* --- the whole file ----------------------------------------------------- */

struct top_in {
	int64_t duration_ms, interval_ms;
	uint64_t seed;
	struct sim_dist handle, patience, answer;
	json_t *queues, *agents, *arrivals;
};

/* The arrays are parsed after the walk, in dependency order. */
static int k_keep(struct pctx *p, const char *path, json_t *v, void *dst)
{
	(void)p;
	(void)path;
	*(json_t **)dst = v;
	return 0;
}

static int k_answer(struct pctx *p, const char *path, json_t *v, void *dst)
{
	return dist(p, path, v, ANY_OR_NONE, dst);
}

#define T(f) offsetof(struct top_in, f)
static const struct key top_keys[] = {
	{"duration_s",   true,  k_secs_pos, T(duration_ms)},
	{"interval_s",   false, k_secs_pos, T(interval_ms)},
	{"seed",         false, k_seed,     T(seed)},
	{"queues",       true,  k_keep,     T(queues)},
	{"agents",       true,  k_keep,     T(agents)},
	{"arrivals",     true,  k_keep,     T(arrivals)},
	{"handle_time",  true,  k_handle,   T(handle)},
	{"patience",     false, k_patience, T(patience)},
	{"answer_delay", false, k_answer,   T(answer)},
};

static int parse_top(struct pctx *p, json_t *root)
{
	struct top_in t = {.interval_ms = REPORT_INTERVAL_MS, .seed = 1};
	int err = walk(p, "", root, top_keys, ARRAY_LEN(top_keys), &t);

	if (err)
		return err;
	p->sc->duration_ms = t.duration_ms;
	p->sc->interval_ms = t.interval_ms;
	p->sc->seed = t.seed;
	p->sc->answer = t.answer;
	err = parse_queues(p, t.queues, &t.handle, &t.patience);
	if (!err)
		err = parse_agents(p, t.agents);
	if (!err)
		err = parse_arrivals(p, t.arrivals);
	return err;
}

int sim_scenario_parse(struct sim_scenario **scp, const char *text,
		       char *why, size_t n)
{
	struct pctx p = {.why = why, .n = n};
	json_error_t jerr;
	json_t *root;
	int err;

	if (!scp || !text || !why || !n)
		return EINVAL;
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(why, n, "not valid JSON at line %d, column %d: %s",
			 jerr.line, jerr.column, jerr.text);
		return EINVAL;
	}
	p.sc = calloc(1, sizeof(*p.sc));
	if (!p.sc) {
		json_decref(root);
		return ENOMEM;
	}
	err = parse_top(&p, root);
	json_decref(root);
	if (err) {
		if (err == ENOMEM)
			snprintf(why, n, "out of memory");
		sim_scenario_free(p.sc);
		return err;
	}
	*scp = p.sc;
	return 0;
}

int sim_scenario_load(struct sim_scenario **scp, const char *path,
		      char *why, size_t n)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int err = 0;

	if (!f) {
		err = errno;
		snprintf(why, n, "cannot read %s: %s", path, strerror(err));
		return err;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *t = realloc(text, cap = cap * 2 + 8192);
			if (!t) {
				err = ENOMEM;
				break;
			}
			text = t;
		}
		size_t got = fread(text + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (!err && ferror(f))
		err = EIO;
	fclose(f);
	if (err) {
		snprintf(why, n, "cannot read %s: %s", path, strerror(err));
		free(text);
		return err;
	}
	text[len] = '\0';
	err = sim_scenario_parse(scp, text, why, n);
	free(text);
	return err;
}

void sim_scenario_free(struct sim_scenario *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->ngroups; i++)
		free(sc->groups[i].members);
	for (size_t i = 0; i < sc->nstreams; i++)
		free(sc->streams[i].rates_per_ms);
	free(sc->groups);
	free(sc->streams);
	free(sc->queues);
	free(sc);
}

uint64_t sim_scenario_seed(const struct sim_scenario *sc)
{
	return sc->seed;
}
