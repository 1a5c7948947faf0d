/* call/live_json: one live call as a JSON object (the jansson half of
 * live.c), and the call module's snapshot hook (base/mod.h). */
#include <errno.h>
#include <jansson.h>
#include "base/mod.h"
#include "call/call.h"
#include "call/cdr.h"

static json_t *time_or_null(int64_t ms)
{
	char t[UTIL_TIME_LEN];

	if (!ms)
		return json_null();
	util_rfc3339(t, ms);
	return json_string(t);
}

static json_t *text_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

int cdr_live_json(const struct cdr *r, const char *state,
		  const char *const *rung, size_t nrung, struct json_t *arr)
{
	json_t *ringing = json_array(), *o;

	for (size_t i = 0; ringing && i < nrung; i++)
		if (json_array_append_new(ringing, json_string(rung[i])))
			ringing = (json_decref(ringing), NULL);
	o = ringing ? json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o,"
				" s:o, s:o, s:o, s:o, s:o}",
		"id", r->id, "direction", r->direction, "from", r->from,
		"to", r->to, "queue", text_or_null(r->queue),
		"agent", text_or_null(r->agent), "state", state,
		"ringing", ringing,
		"started_at", time_or_null(r->started_ms),
		"answered_at", time_or_null(r->answered_ms),
		"province", text_or_null(r->province),
		"city", text_or_null(r->city),
		"data", r->data ? json_deep_copy(r->data) : json_object()) :
		NULL;
	if (!o || json_array_append_new(arr, o))
		return ENOMEM;
	return 0;
}

int call_snapshot(struct mod_house *h, unsigned parts, struct json_t *data)
{
	json_t *calls;

	if (!(parts & MOD_LIVE_CALLS) || !h->calls)
		return 0;
	calls = json_array();
	if (!calls)
		return ENOMEM;
	if (call_mgr_live(h->calls, calls)) {
		json_decref(calls);
		return ENOMEM;
	}
	return json_object_set_new(data, "calls", calls) ? ENOMEM : 0;
}
