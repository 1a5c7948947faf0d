/* api/snapshot: the live view — agents, queues, calls — that a CTI client
 * receives first, and whose queues go out once a second as queue.stats.
 *
 * api/ is the transport and knows no module: each module that holds a part
 * adds it through its export row's snapshot hook (base/mod.h), whole; the
 * client's scope (scope_ws.c) then keeps the items it may see, asking the
 * same rule the events obey. Everything is in memory and built on the
 * loop, between two events: the view is exactly the state after the last
 * event sent, whose seq the frame carries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "api/api_int.h"
#include "base/jsonw.h"
#include "base/mod.h"

/* Each part: its key, what its items are, and which field names one. */
static const struct {
	unsigned part;
	const char *key;
	enum api_ws_kind kind;
	const char *subject;
} parts[] = {
	{MOD_LIVE_AGENTS, "agents", API_WS_AGENT, "ext"},
	{MOD_LIVE_QUEUES, "queues", API_WS_QUEUE, "name"},
	{MOD_LIVE_CALLS,  "calls",  API_WS_CALL,  "id"},
};

int api_live(struct api *api, unsigned want, json_t **out)
{
	json_t *data = json_object();
	int err = data ? 0 : ENOMEM;

	for (size_t i = 0; !err && i < api->nmods; i++)
		if (api->mods[i]->snapshot)
			err = api->mods[i]->snapshot(api->house, want, data);
	for (size_t i = 0; !err && i < ARRAY_LEN(parts); i++) {
		if (!(want & parts[i].part) ||
		    json_is_array(json_object_get(data, parts[i].key)))
			continue;
		if (json_object_set_new(data, parts[i].key, json_array()))
			err = ENOMEM;
	}
	if (err) {
		json_decref(data);
		return err;
	}
	*out = data;
	return 0;
}

/* The items of arr that s sees, in order, into a new array. */
static json_t *scoped(struct api_ws_scope *s, size_t p, const json_t *arr,
		      bool *whole)
{
	json_t *keep = json_array(), *v;
	size_t i;

	json_array_foreach(arr, i, v) {
		struct api_ws_item it = {
			.kind = parts[p].kind,
			.subject = json_string_value(json_object_get(v,
							parts[p].subject)),
		};

		if (!it.subject)
			it.subject = "";
		if (it.kind == API_WS_CALL) {
			it.agent = json_string_value(json_object_get(v, "agent"));
			it.rung = json_object_get(v, "ringing");
		}
		if (!api_ws_scope_sees(s, &it))
			*whole = false;
		else if (keep && json_array_append(keep, v))
			keep = (json_decref(keep), NULL);
	}
	return keep;
}

int api_live_scoped(struct api_ws_scope *s, const json_t *live, json_t **out,
		    bool *whole)
{
	json_t *data = json_object();

	*whole = true;
	/* A view with its agents (the snapshot) says which queues they serve
	 * before the queues are asked; the statistics, without agents, keep
	 * what the snapshot said. */
	if (json_is_array(json_object_get(live, "agents")))
		api_ws_scope_queues(s, json_object_get(live, "agents"));
	for (size_t p = 0; data && p < ARRAY_LEN(parts); p++) {
		const json_t *arr = json_object_get(live, parts[p].key);

		if (arr && json_object_set_new(data, parts[p].key,
					       scoped(s, p, arr, whole)))
			data = (json_decref(data), NULL);
	}
	if (!data)
		return ENOMEM;
	*out = data;
	return 0;
}

char *api_live_frame(const char *type, uint64_t seq, int64_t ts_ms,
		     const json_t *data)
{
	char ts[UTIL_TIME_LEN];
	json_t *j;
	char *s;

	util_rfc3339_ms(ts, ts_ms);
	/* O, not o: data stays the caller's; the cast drops jansson's
	 * missing const. */
	j = json_pack("{s:s, s:I, s:s, s:O}", "type", type, "seq",
		      (json_int_t)seq, "ts", ts, "data", (json_t *)data);
	/* The queues' KPIs are rounded (queue/live.c): printed so. */
	s = j ? json_dumps(j, JSON_COMPACT |
			   JSON_REAL_PRECISION(JSONW_DUMP_DIGITS)) : NULL;
	json_decref(j);
	return s;
}
