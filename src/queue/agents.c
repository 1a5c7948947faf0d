/* queue/agents: what changes an agent's state from outside the router —
 * the phone registering (in phone-login mode, the demo's), feature codes
 * dialled from the phone, and the API. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/log.h"
#include "queue/queue_int.h"
#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include "sip/sipx.h"

/* What each feature code does: the state it asks for and its reason. */
static const struct {
	const char *code;
	const char *state;
	const char *reason;
} features[] = {
	{"*21", "ready",      ""},
	{"*22", "not_ready",  "phone"},
	{"*23", "logged_out", ""},
};

/* Applies a state the agent asked for (API, phone), then the router's
 * consequences. */
static int set_state(struct queue_host *h, struct qh_agent *ag,
		     enum acd_agent_state st, const char *reason, char *why,
		     size_t n)
{
	int64_t now = util_now_ms();
	int err;

	switch (st) {
	case ACD_READY:
		err = acd_agent_ready(h->acd, ag->id, now);
		break;
	case ACD_NOT_READY:
		if (!reason || !*reason || strlen(reason) >= ACD_REASON_LEN) {
			snprintf(why, n, "reason: want 1..%d characters",
				 ACD_REASON_LEN - 1);
			return EINVAL;
		}
		err = acd_agent_not_ready(h->acd, ag->id, reason, now);
		break;
	case ACD_LOGGED_OUT:
		err = acd_agent_logout(h->acd, ag->id, now);
		break;
	default:
		snprintf(why, n, "state: want ready, not_ready or logged_out");
		return EINVAL;
	}
	if (err)
		snprintf(why, n, "the router refused (%s)", strerror(err));
	qh_drain(h);
	return err;
}

/* A state asked for; listed: not_ready's reason must be one of the
 * administrator's active reasons (the phone's feature code has its own). */
static int state_set(struct queue_host *h, const char *ext, const char *state,
		     const char *reason, bool listed, char *why, size_t n)
{
	struct qh_agent *ag = qh_agent_learn(h, ext);
	const struct queue_code *r;
	enum acd_agent_state st;

	if (!ag) {
		snprintf(why, n, "no agent %s", ext);
		return ENOENT;
	}
	if (queue_state_parse(state, &st)) {
		snprintf(why, n, "state: want ready, not_ready or logged_out");
		return EINVAL;
	}
	if (listed && st == ACD_NOT_READY &&
	    (!(r = queue_code_find(&h->reasons, reason)) || !r->active)) {
		snprintf(why, n, "reason: want an active not-ready reason code "
			 "(GET /api/v1/not-ready-reasons), not '%.40s'",
			 reason ? reason : "");
		return EINVAL;
	}
	return set_state(h, ag, st, reason, why, n);
}

int queue_agent_state_set(struct queue_host *h, const char *ext,
			  const char *state, const char *reason, char *why,
			  size_t n)
{
	return state_set(h, ext, state, reason, true, why, n);
}

int qh_feature(void *arg, const char *ext, const char *code)
{
	struct queue_host *h = arg;
	char why[128] = "";

	for (size_t i = 0; i < ARRAY_LEN(features); i++) {
		if (strcmp(features[i].code, code))
			continue;
		if (!qh_agent_learn(h, ext))
			return EPERM;
		return state_set(h, ext, features[i].state,
				 features[i].reason, false, why,
				 sizeof(why)) ? EPERM : 0;
	}
	return ENOENT;
}

/* Phone login: a new binding makes its agent ready; the last binding
 * ending logs it out. A binding restored at start-up leaves a stored state
 * alone (the agent may have gone not ready or logged out on purpose). */
void qh_on_agent_bus(const struct bus_event *ev, void *arg)
{
	struct queue_host *h = arg;
	struct qh_agent *ag;
	const char *reason;
	int64_t now = util_now_ms();

	/* A deleted extension's agent leaves with its last phone, whether
	 * phones log agents in or not. */
	if (ev->id == BUS_AGENT_UNREGISTERED && h->o.sipx &&
	    !sipx_has_extension(h->o.sipx, ev->subject) &&
	    (ag = qh_agent_by_ext(h, ev->subject))) {
		(void)acd_agent_logout(h->acd, ag->id, now);
		qh_drain(h);
		return;
	}
	if (!h->o.phone_login || !(ag = qh_agent_learn(h, ev->subject)))
		return;
	reason = json_string_value(json_object_get(ev->data, "reason"));
	if (ev->id == BUS_AGENT_REGISTERED) {
		if (reason && !strcmp(reason, "restored") && ag->stored)
			return;
		(void)acd_agent_ready(h->acd, ag->id, now);
	} else if (ev->id == BUS_AGENT_UNREGISTERED &&
		   json_integer_value(json_object_get(ev->data, "contacts")) == 0) {
		(void)acd_agent_logout(h->acd, ag->id, now);
	} else {
		return;
	}
	qh_drain(h);
}

/* At start: an agent stored as logged in whose phone is gone (its
 * registration expired while Hotline was down) is logged out. */
void qh_login_registered(struct queue_host *h)
{
	int64_t now = util_now_ms();

	for (size_t i = 0; i < h->nagents; i++) {
		struct qh_agent *ag = &h->agents[i];
		struct acd_agent_info ai;
		struct sipx_contact ct;
		size_t nct = 0;

		if (acd_agent_get(h->acd, ag->id, &ai) ||
		    ai.state == ACD_LOGGED_OUT)
			continue;
		if (!sipx_contacts(h->o.sipx, ag->ext, &ct, 1, &nct) && nct)
			continue;
		(void)acd_agent_logout(h->acd, ag->id, now);
	}
}
