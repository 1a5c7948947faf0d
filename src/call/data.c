/* call/data: call-associated data (随路数据) set on a live call from
 * outside — a CTI client through the API — as the IVR sets it from
 * inside (call/ivr.c). The record keeps it and writes it (cdr.c). */
#include <errno.h>
#include <string.h>
#include "call/call_int.h"

int call_data_set(struct call_mgr *m, const char *call_id, const char *agent,
		  const char *section, const char *key, const char *value)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *c = le->data;

		if (c->app->not_a_call || c->ended || strcmp(c->rec.id, call_id))
			continue;
		if (agent && strcmp(c->rec.agent, agent))
			return ENOENT;
		return cdr_data_set(&c->rec, section, key, value);
	}
	return ENOENT;
}

int call_pop_of(struct call_mgr *m, const char *call_id, const char *ext,
		bool *mine, char *num, size_t nn, char *ivr, size_t ni)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *c = le->data;

		if (c->app->not_a_call || c->ended || strcmp(c->rec.id, call_id))
			continue;
		*mine = ext && *ext && !strcmp(c->rec.agent, ext);
		for (struct le *r = list_head(&c->rings); r && !*mine;
		     r = r->next) {
			const struct ring *rg = r->data;

			*mine = ext && *ext && !rg->leg.moved &&
				!strcmp(rg->agent, ext);
		}
		util_strlcpy(num, c->rec.direction &&
			     !strcmp(c->rec.direction, "outbound") ?
			     c->rec.to : c->rec.from, nn);
		cdr_data_get(&c->rec, "ivr", "menu", ivr, ni);
		return 0;
	}
	return ENOENT;
}
