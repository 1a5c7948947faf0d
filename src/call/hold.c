/* call/hold: hold and resume, as either leg's re-INVITE states them.
 *
 * Hold is read from the direction we agreed to in answer to the leg's
 * offer: a phone that offers sendonly or inactive (or c=0.0.0.0) wants
 * nothing from us, which is what holding means in RFC 3264 and what every
 * desk phone's hold key sends. The legs are not re-negotiated with each
 * other: the B2BUA keeps the other leg as it is, and the call's app decides
 * what the caller hears meanwhile (talk.c: music on hold).
 *
 * Only the agent's hold is hold time in docs/kpi.md ("the agent puts the
 * caller on hold"): the app hears of it (the queue host books it). A caller
 * who holds (a trunk parking the call, a customer's phone) is published as
 * call.hold by "customer" and left out of every KPI. */
#include <re.h>
#include "call/call_int.h"

bool call_leg_is_hold(const struct leg *l)
{
	return !(l->neg.dir & MEDIA_SENDONLY);
}

void call_leg_hold(struct leg *l, bool on)
{
	struct call *c = l->call;
	int64_t now = util_now_ms(), dur = 0;

	if (l->held == on)
		return;
	l->held = on;
	if (on) {
		l->held_at = now;
	} else {
		dur = now > l->held_at ? now - l->held_at : 0;
		if (l->is_agent)
			c->rec.hold_ms += dur;
	}
	cdr_hold(&c->rec, l->is_agent ? "agent" : "customer", on, dur);
	if (l->is_agent && c->app->hold)
		c->app->hold(c, on, now);
}
