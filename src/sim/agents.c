/* sim/agents: the "agents" array: groups of alike agents, the queues they
 * serve with their skills, and their shifts. */
#include <errno.h>
#include <stdlib.h>
#include "base/util.h"
#include "sim/fields.h"

/* --- agents ------------------------------------------------------------- */

struct member_in {
	char name[SIM_NAME_LEN];
	int32_t skill;
};

static const struct field member_keys[] = {
	SIM_KEY("name",  true,  sim_k_name, offsetof(struct member_in, name)),
	SIM_KEY("skill", false, sim_k_i32,  offsetof(struct member_in, skill)),
};

static int k_members(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct sim_group_def *g = dst;
	size_t n = json_array_size(v);
	char sub[SIM_PATH_LEN];

	if (!json_is_array(v) || !n || n > SIM_MAX_QUEUES)
		return sim_f_fail(p, "%s: want an array of queue names", path);
	g->members = calloc(n, sizeof(*g->members));
	if (!g->members)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct member_in m = {0};
		json_t *e = json_array_get(v, i);
		int q, err;

		sim_f_item(sub, path, i);
		if (json_is_string(e))
			err = sim_f_string(p, sub, e, m.name);
		else if (json_is_object(e))
			err = sim_f_walk(p, sub, e, member_keys,
				   ARRAY_LEN(member_keys), &m);
		else
			err = sim_f_fail(p, "%s: want a queue name or "
				   "{\"name\", \"skill\"}", sub);
		if (err)
			return err;
		q = sim_queue_index(p->sc, m.name);
		if (q < 0)
			return sim_f_fail(p, "%s: no queue \"%s\"", sub, m.name);
		for (size_t j = 0; j < g->nmembers; j++) {
			if (g->members[j].queue == (uint32_t)q)
				return sim_f_fail(p, "%s: queue \"%s\" is listed "
					    "twice", sub, m.name);
		}
		g->members[g->nmembers++] = (struct sim_member_def){
			.queue = (uint32_t)q, .skill = m.skill};
	}
	return 0;
}

#define S(f) offsetof(struct sim_group_def, f)
static const struct field shift_keys[] = {
	SIM_KEY("start_s",  true,  sim_k_secs,     S(shift_start_ms)),
	SIM_KEY("end_s",    true,  sim_k_secs,     S(shift_end_ms)),
	SIM_KEY("repeat_s", false, sim_k_secs_pos, S(shift_repeat_ms)),
};

static int k_shift(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	struct sim_group_def *g = dst;
	int err = sim_f_walk(p, path, v, shift_keys, ARRAY_LEN(shift_keys), g);

	if (err)
		return err;
	g->has_shift = true;
	if (g->shift_end_ms <= g->shift_start_ms)
		return sim_f_fail(p, "%s.end_s: want a time after start_s", path);
	if (g->shift_repeat_ms &&
	    g->shift_end_ms - g->shift_start_ms > g->shift_repeat_ms)
		return sim_f_fail(p, "%s.repeat_s: want at least end_s - start_s",
			    path);
	return 0;
}

static int k_count(void *ctx, const char *path, json_t *v, void *dst)
{
	struct sim_pctx *p = ctx;
	long long x = 0;
	int err = sim_f_integer(p, path, v, 1, SIM_MAX_AGENTS, &x);

	if (!err)
		*(uint32_t *)dst = (uint32_t)x;
	return err;
}

static const struct field group_keys[] = {
	SIM_KEY("count",  true,  k_count,   S(count)),
	SIM_KEY("queues", true,  k_members, 0),
	SIM_KEY("shift",  false, k_shift,   0),
};

int sim_parse_agents(struct sim_pctx *p, json_t *arr)
{
	struct sim_scenario *sc = p->sc;
	char path[SIM_PATH_LEN];
	size_t n = json_array_size(arr);

	if (!json_is_array(arr))
		return sim_f_fail(p, "agents: want an array");
	sc->groups = calloc(n ? n : 1, sizeof(*sc->groups));
	if (!sc->groups)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct sim_group_def *g = &sc->groups[sc->ngroups++];
		int err;

		sim_f_item(path, "agents", i);
		err = sim_f_walk(p, path, json_array_get(arr, i), group_keys,
			   ARRAY_LEN(group_keys), g);
		if (err)
			return err;
		if (g->count > SIM_MAX_AGENTS - sc->nagents)
			return sim_f_fail(p, "%s.count: more than %d agents in all",
				    path, SIM_MAX_AGENTS);
		sc->nagents += g->count;
	}
	return 0;
}
