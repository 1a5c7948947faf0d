/* call/live: the live calls as the CTI snapshot shows them (call_mgr_live).
 * This side walks the calls, which needs libre's types; live_json.c writes
 * each one with jansson (the two clash: cdr.h says why). */
#include <string.h>
#include "call/call_int.h"

/* What a caller is doing, by the app running the call. */
static const struct {
	const struct call_app *app;
	const char *state;
} states[] = {
	{&call_app_extension, "ringing"},     /* the extension's phone rings */
	{&call_app_redirect,  "ringing"},     /* a transfer's target rings */
	{&call_app_click,     "ringing"},     /* the agent's own phone first */
	{&call_app_outbound,  "dialing"},     /* the far end, through a trunk */
	{&call_app_queue,     "queued"},      /* "ringing" while a phone rings */
	{&call_app_talk,      "talking"},     /* "held" while on hold */
	{&call_app_ivr,       "ivr"},
	{&call_app_voicemail, "voicemail"},
};

static const char *state_of(const struct call *c)
{
	const struct leg *a = &c->agent_leg;

	if (c->app == &call_app_talk && (a->held || a->api_held ||
					 c->cust.held))
		return "held";
	if (c->app == &call_app_queue)
		for (struct le *le = list_head(&c->rings); le; le = le->next)
			if (!((struct ring *)le->data)->leg.moved)
				return "ringing";
	for (size_t i = 0; i < ARRAY_LEN(states); i++)
		if (states[i].app == c->app)
			return states[i].state;
	return c->app->name;
}

int call_mgr_live(struct call_mgr *m, struct json_t *arr)
{
	int err = 0;

	for (struct le *le = list_head(&m->calls); !err && le; le = le->next) {
		const struct call *c = le->data;
		const char *rung[16];
		size_t n = 0;

		if (c->app->not_a_call || c->ended)
			continue;
		for (struct le *r = list_head(&c->rings); r && n < ARRAY_LEN(rung);
		     r = r->next)
			if (!((struct ring *)r->data)->leg.moved)
				rung[n++] = ((struct ring *)r->data)->agent;
		err = cdr_live_json(&c->rec, state_of(c), rung, n, arr);
	}
	return err;
}
