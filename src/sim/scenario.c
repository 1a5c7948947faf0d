/* sim/scenario: the scenario file, read with jansson and checked whole
 * before anything runs: the top level, queues and arrivals here, agents in
 * agents.c, the key tables' machinery in fields.c. A key not in its table,
 * a missing required key, a wrong type or a value out of range is refused
 * with the field's path. docs/simulator.md lists every key. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acd/acd.h"
#include "base/util.h"
#include "sim/fields.h"

enum { MAX_RATES = 100000 };

static int k_seed(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	long long x = 0;
	int err = sim_f_integer(p, path, v, 0, INT64_MAX, &x);

	if (!err)
		*(uint64_t *)dst = (uint64_t)x;
	return err;
}

/* --- queues ------------------------------------------------------------- */

struct queue_in {
	struct sim_queue_def q;
	char overflow[SIM_NAME_LEN];
};

static int k_strategy(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	const char *name, *doc, *cost;
	int err = sim_f_string(p, path, v, dst);

	if (err)
		return err;
	for (size_t i = 0; !acd_strategy_at(i, &name, &doc, &cost); i++) {
		if (!strcmp(name, dst))
			return 0;
	}
	return sim_f_fail(p, "%s: unknown strategy \"%s\"", path, (char *)dst);
}

static int k_weight(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	long long x = 0;
	int err = sim_f_integer(p, path, v, 1, 1000, &x);

	if (!err)
		*(uint32_t *)dst = (uint32_t)x;
	return err;
}

#define Q(f) offsetof(struct queue_in, q.f)
#define LIVE(nm, m, lo_, hi_) {.name = #nm, .kind = FIELD_INT, \
	FIELD_AT(struct queue_in, q.m), .lo = (lo_), .hi = (hi_)}
static const struct field queue_keys[] = {
	SIM_KEY("name",            true,  sim_k_name,     Q(name)),
	SIM_KEY("strategy",        false, k_strategy, Q(strategy)),
	SIM_KEY("sl_seconds",      false, sim_k_secs,     Q(sl_ms)),
	SIM_KEY("short_abandon_s", false, sim_k_secs,     Q(short_abandon_ms)),
	SIM_KEY("ring_timeout_s",  false, sim_k_secs_pos, Q(ring_timeout_ms)),
	SIM_KEY("retry_s",         false, sim_k_secs,     Q(retry_ms)),
	SIM_KEY("wrap_up_s",       false, sim_k_secs,     Q(wrapup_ms)),
	SIM_KEY("max_wait_s",      false, sim_k_secs,     Q(max_wait_ms)),
	SIM_KEY("max_len",         false, sim_k_u32,      Q(max_len)),
	SIM_KEY("weight",          false, k_weight,   Q(weight)),
	SIM_KEY("priority",        false, sim_k_i32,      Q(priority)),
	SIM_KEY("overflow",        false, sim_k_name,     offsetof(struct queue_in, overflow)),
	SIM_KEY("handle_time",     false, sim_k_handle,   Q(handle)),
	SIM_KEY("patience",        false, sim_k_patience, Q(patience)),
	/* The live API's names and ranges (queue/cfg.c), whole milliseconds,
	 * so a queue's configuration reads the same in both. */
	LIVE(sl_ms,            sl_ms,            0,    3600000),
	LIVE(short_abandon_ms, short_abandon_ms, 0,    3600000),
	LIVE(ring_timeout_ms,  ring_timeout_ms,  1000, 600000),
	LIVE(retry_ms,         retry_ms,         0,    600000),
	LIVE(wrapup_ms,        wrapup_ms,        0,    3600000),
	LIVE(max_wait_ms,      max_wait_ms,      0,    86400000),
};

/* One setting, two names: the simulator's seconds (docs/simulator.md, the
 * docs/contract.md form) and the live API's milliseconds. Either is fine; both
 * in one queue is refused, naming both. */
static const struct {
	const char *sim, *live;
} aliases[] = {
	{"sl_seconds",      "sl_ms"},
	{"short_abandon_s", "short_abandon_ms"},
	{"ring_timeout_s",  "ring_timeout_ms"},
	{"retry_s",         "retry_ms"},
	{"wrap_up_s",       "wrapup_ms"},
	{"max_wait_s",      "max_wait_ms"},
};

static int one_name_each(struct sim_pctx *p, const char *path, json_t *obj)
{
	for (size_t i = 0; i < ARRAY_LEN(aliases); i++)
		if (json_object_get(obj, aliases[i].sim) &&
		    json_object_get(obj, aliases[i].live))
			return sim_f_fail(p, "%s: \"%s\" and \"%s\" are one "
					  "setting; give one of them", path,
					  aliases[i].sim, aliases[i].live);
	return 0;
}

static int parse_queues(struct sim_pctx *p, json_t *arr,
			const struct sim_dist *handle,
			const struct sim_dist *patience)
{
	struct sim_scenario *sc = p->sc;
	struct queue_in *in;
	char path[SIM_PATH_LEN];
	size_t n = json_array_size(arr);
	int err = 0;

	if (!json_is_array(arr) || !n || n > SIM_MAX_QUEUES)
		return sim_f_fail(p, "queues: want an array of 1 to %d queues",
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
		sim_f_item(path, "queues", i);
		err = one_name_each(p, path, json_array_get(arr, i));
		if (!err)
			err = sim_f_walk(p, path, json_array_get(arr, i),
					 queue_keys, ARRAY_LEN(queue_keys),
					 &in[i]);
		if (!err && sim_queue_index(sc, in[i].q.name) >= 0)
			err = sim_f_fail(p, "%s.name: queue \"%s\" is listed twice",
				   path, in[i].q.name);
		if (!err)
			sc->queues[sc->nqueues++] = in[i].q;
	}
	/* Overflow names resolve once every queue is known. */
	for (size_t i = 0; i < n && !err; i++) {
		const char *to = in[i].overflow;

		if (!to[0] || !strcmp(to, "hangup"))
			continue;
		/* The live form "queue:NAME" names the same queue, unless a
		 * queue is really called that. */
		if (sim_queue_index(sc, to) < 0 && !strncmp(to, "queue:", 6))
			to += 6;
		sc->queues[i].overflow = sim_queue_index(sc, to);
		if (sc->queues[i].overflow < 0)
			err = sim_f_fail(p, "queues[%zu].overflow: no queue \"%s\" "
				   "(want a queue name or \"hangup\")", i,
				   in[i].overflow);
	}
	/* A chain of overflows must end; n hops without ending is a loop. */
	for (size_t i = 0; i < n && !err; i++) {
		int j = sc->queues[i].overflow;
		for (size_t hops = 0; j >= 0 && !err; hops++) {
			if ((size_t)j == i || hops > n)
				err = sim_f_fail(p, "queues[%zu].overflow: queue \"%s\" "
					   "overflows back into itself", i,
					   sc->queues[i].name);
			j = sc->queues[j].overflow;
		}
	}
	free(in);
	return err;
}

/* --- arrivals ----------------------------------------------------------- */

struct stream_in {
	struct sim_stream_def s;
	char queue[SIM_NAME_LEN];
	double rate;
	bool has_rate, has_rates, has_width, has_prio;
};

static int k_rate(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct stream_in *in = dst;

	in->has_rate = true;
	return sim_f_number(p, path, v, 0, false, 1e9, &in->rate);
}

static int k_rates(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct stream_in *in = dst;
	size_t n = json_array_size(v);
	char sub[SIM_PATH_LEN];

	in->has_rates = true;
	if (!json_is_array(v) || !n || n > MAX_RATES)
		return sim_f_fail(p, "%s: want an array of 1 to %d rates", path,
			    MAX_RATES);
	in->s.rates_per_ms = calloc(n, sizeof(double));
	if (!in->s.rates_per_ms)
		return ENOMEM;
	in->s.nrates = n;
	for (size_t i = 0; i < n; i++) {
		double r;
		int err;
		sim_f_item(sub, path, i);
		err = sim_f_number(p, sub, json_array_get(v, i), 0, false, 1e9, &r);
		if (err)
			return err;
		in->s.rates_per_ms[i] = r / 3600000.0;
	}
	return 0;
}

static int k_width(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct stream_in *in = dst;

	in->has_width = true;
	return sim_f_secs(p, path, v, true, &in->s.rate_interval_ms);
}

static int k_prio(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct stream_in *in = dst;

	in->has_prio = true;
	return sim_k_i32(p, path, v, &in->s.priority);
}

static const struct field stream_keys[] = {
	SIM_KEY("queue",           true,  sim_k_name,  offsetof(struct stream_in, queue)),
	SIM_KEY("rate_per_hour",   false, k_rate,  0),
	SIM_KEY("rates_per_hour",  false, k_rates, 0),
	SIM_KEY("rate_interval_s", false, k_width, 0),
	SIM_KEY("priority",        false, k_prio,  0),
};

static int parse_stream(struct sim_pctx *p, const char *path, json_t *v,
			struct stream_in *in)
{
	int q, err = sim_f_walk(p, path, v, stream_keys, ARRAY_LEN(stream_keys), in);

	if (err)
		return err;
	q = sim_queue_index(p->sc, in->queue);
	if (q < 0)
		return sim_f_fail(p, "%s.queue: no queue \"%s\"", path, in->queue);
	in->s.queue = (uint32_t)q;
	if (!in->has_prio)
		in->s.priority = p->sc->queues[q].priority;
	if (in->has_rate == in->has_rates)
		return sim_f_fail(p, "%s: want exactly one of rate_per_hour and "
			    "rates_per_hour", path);
	if (in->has_width && !in->has_rates)
		return sim_f_fail(p, "%s.rate_interval_s: only with rates_per_hour",
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

static int parse_arrivals(struct sim_pctx *p, json_t *arr)
{
	struct sim_scenario *sc = p->sc;
	char path[SIM_PATH_LEN];
	size_t n = json_array_size(arr);

	if (!json_is_array(arr))
		return sim_f_fail(p, "arrivals: want an array");
	sc->streams = calloc(n ? n : 1, sizeof(*sc->streams));
	if (!sc->streams)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct stream_in in = {0};
		int err;

		sim_f_item(path, "arrivals", i);
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
static int k_keep(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	(void)p;
	(void)path;
	*(json_t **)dst = v;
	return 0;
}

#define T(f) offsetof(struct top_in, f)
static const struct field top_keys[] = {
	SIM_KEY("duration_s",   true,  sim_k_secs_pos, T(duration_ms)),
	SIM_KEY("interval_s",   false, sim_k_secs_pos, T(interval_ms)),
	SIM_KEY("seed",         false, k_seed,     T(seed)),
	SIM_KEY("queues",       true,  k_keep,     T(queues)),
	SIM_KEY("agents",       true,  k_keep,     T(agents)),
	SIM_KEY("arrivals",     true,  k_keep,     T(arrivals)),
	SIM_KEY("handle_time",  true,  sim_k_handle,   T(handle)),
	SIM_KEY("patience",     false, sim_k_patience, T(patience)),
	SIM_KEY("answer_delay", false, sim_k_patience, T(answer)),
};

static int parse_top(struct sim_pctx *p, json_t *root)
{
	struct top_in t = {.interval_ms = REPORT_INTERVAL_MS, .seed = 1};
	int err = sim_f_walk(p, "", root, top_keys, ARRAY_LEN(top_keys), &t);

	if (err)
		return err;
	p->sc->duration_ms = t.duration_ms;
	p->sc->interval_ms = t.interval_ms;
	p->sc->seed = t.seed;
	p->sc->answer = t.answer;
	err = parse_queues(p, t.queues, &t.handle, &t.patience);
	if (!err)
		err = sim_parse_agents(p, t.agents);
	if (!err)
		err = parse_arrivals(p, t.arrivals);
	return err;
}

int sim_scenario_parse(struct sim_scenario **scp, const char *text,
		       char *why, size_t n)
{
	struct sim_pctx p = {.why = why, .n = n};
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
