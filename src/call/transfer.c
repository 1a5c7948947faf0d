/* call/transfer: blind transfer, by REFER from the agent's phone (refer.c)
 * or by the API.
 *
 * The caller's dialog is already answered, so a transfer never touches it:
 * the agent leg is released (its phone gets 202, a NOTIFY saying the
 * transfer is done, and our BYE), and the caller is handed to the app of
 * the target: redirect for an extension (it rings while the caller hears
 * ringback or music), queue for a queue (a new arrival, a new key), ivr
 * for a DID that leads to a flow (self-service, the survey). The
 * target is found the way an INVITE's is, by asking the dial plan. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "ivr/ivr.h"
#include "route/route.h"
#include "sip/sipx.h"

/* ---- targets ---- */

int call_target_resolve(struct call_mgr *m, const char *to,
			struct route_target *t)
{
	memset(t, 0, sizeof(*t));
	if (!to || !*to || strlen(to) >= sizeof(t->target))
		return ENOENT;
	if (!route_lookup(m->o.route, to, t))
		return 0;
	/* A transfer may name a queue itself, which no INVITE can dial. */
	if (m->qops.has_queue && m->qops.has_queue(m->qarg, to)) {
		t->kind = ROUTE_QUEUE;
		util_strlcpy(t->target, to, sizeof(t->target));
		return 0;
	}
	return ENOENT;
}

int call_target_check(struct call *c, const struct route_target *t,
		      char *why, size_t n)
{
	struct sipx_contact ct;
	size_t nct = 0;

	if (t->kind == ROUTE_QUEUE)
		return c->mgr->qops.enter ? 0 : ENODEV;
	if (t->kind == ROUTE_IVR) {
		if (ivr_store_get(c->mgr->o.ivr, t->target))
			return 0;
		snprintf(why, n, "no IVR flow %s", t->target);
		return ENOENT;
	}
	if (!strcmp(t->target, c->rec.agent)) {
		snprintf(why, n, "the call is with %s already", t->target);
		return EINVAL;
	}
	if (sipx_contacts(c->mgr->o.sipx, t->target, &ct, 1, &nct) || !nct) {
		snprintf(why, n, "extension %s has no registered phone",
			 t->target);
		return ENODEV;
	}
	return 0;
}

/* ---- moving the caller ---- */

/* The agent's part ends: the record says where the call went (dialled:
 * the number as the agent gave it, a DID before it resolves), the queue
 * host books the agent's call as transferred to the target it resolved
 * to, the agent leg goes. Then the caller is taken there. */
static void agent_part_ends(struct call *c, const char *dialled,
			    const char *to, const char *via)
{
	struct call_mgr *m = c->mgr;
	char agent[sizeof(c->rec.agent)];

	util_strlcpy(agent, c->rec.agent, sizeof(agent));
	call_consult_drop(c, "transferred");
	call_leg_hold(&c->agent_leg, false);
	cdr_transfer(&c->rec, agent, dialled, via);
	c->fallback[0] = '\0';
	if (c->queued) {
		util_strlcpy(c->fallback, c->rec.queue, sizeof(c->fallback));
		c->queued = false;
		if (m->qops.transferred)
			m->qops.transferred(m->qarg, c->key, to);
	}
	call_agent_release(c);
	c->rec.agent[0] = '\0';
}

void call_transfer_out(struct call *c, const char *number, const char *via)
{
	agent_part_ends(c, number, number, via);
	if (call_outbound_take(c, number))
		call_end(c, "system", "no-route");
}

void call_transfer_to(struct call *c, const struct route_target *t,
		      const char *dialled, const char *via)
{
	agent_part_ends(c, dialled, t->target, via);
	if (t->kind == ROUTE_QUEUE) {
		if (call_app_queue.take(c, t->target))
			call_end(c, "system", "queue");
		return;
	}
	if (t->kind == ROUTE_IVR) {
		if (call_app_ivr.take(c, t->target))
			call_end(c, "system", "ivr");
		return;
	}
	if (call_app_redirect.take(c, t->target))
		call_redirect_failed(c, "unreachable");
}

/* ---- the API ---- */

int call_transfer(struct call_mgr *m, const char *call_id, const char *agent,
		  const char *to, char *why, size_t n)
{
	struct route_target t;
	struct call *c = NULL;
	int err;

	for (struct le *le = list_head(&m->calls); le && !c; le = le->next) {
		struct call *x = le->data;
		if (!x->app->not_a_call && !strcmp(x->rec.id, call_id))
			c = x;
	}
	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (c->app != &call_app_talk)
		return EBUSY;
	if (call_target_resolve(m, to, &t)) {
		/* An outside number: out through the dial plan's trunks. */
		if (call_outbound_check(m, to)) {
			snprintf(why, n, "no extension, queue or number '%s' "
				 "(no dial plan covers it)", to);
			return EINVAL;
		}
		call_transfer_out(c, to, "api");
		return 0;
	}
	err = call_target_check(c, &t, why, n);
	if (err)
		return EINVAL;
	call_transfer_to(c, &t, to, "api");
	return 0;
}
