/* call/control: live call control from the API, on behalf of the agent's
 * phone (the desktop's hold, resume, keypad and hang-up buttons).
 *
 * Hold from the API is the agent's hold exactly as the phone's hold key is
 * (hold.c): the record's hold time, call.hold / call.resume, the queue
 * host's books. The phone is not re-INVITEd: the B2BUA holds the media
 * itself, the caller hearing music on hold (talk.c) and the agent silence
 * in place of the caller, so a phone that knows nothing of it is held all
 * the same and the two holds cannot disagree about who holds. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

/* One operation: whether it needs the conversation (app "talk") and what
 * it does. why carries the reason of a refusal. */
struct ctl {
	const char *name;
	bool talking;
	int (*run)(struct call *c, const char *arg, char *why, size_t n);
};

static int ctl_hold(struct call *c, const char *arg, char *why, size_t n)
{
	(void)arg;
	if (c->agent_leg.held) {
		snprintf(why, n, "the call is on hold already");
		return EALREADY;
	}
	c->agent_leg.api_held = true;
	call_leg_hold(&c->agent_leg, true);
	return 0;
}

static int ctl_resume(struct call *c, const char *arg, char *why, size_t n)
{
	(void)arg;
	if (!c->agent_leg.held) {
		snprintf(why, n, "the call is not on hold");
		return EALREADY;
	}
	if (c->consult) {
		snprintf(why, n, "a consultation with %s is under way: complete "
			 "or cancel it", c->consult->who);
		return EBUSY;
	}
	if (!c->agent_leg.api_held) {
		snprintf(why, n, "the agent's phone holds the call: resume "
			 "it from the phone");
		return EALREADY;
	}
	call_leg_hold(&c->agent_leg, false);
	return 0;
}

/* Digits go to the customer: an agent working the keypad of the far end's
 * menu, as the phone's keypad would during the call. */
static int ctl_dtmf(struct call *c, const char *digits, char *why, size_t n)
{
	int err;

	if (!c->cust.media) {
		snprintf(why, n, "the caller has no media");
		return EALREADY;
	}
	err = media_leg_send_dtmf(c->cust.media, digits, 100);
	if (err == EINVAL)
		snprintf(why, n, "digits are 0-9 * # A-D, at most 32");
	else if (err == ENOTSUP)
		snprintf(why, n, "the caller's phone takes no RFC 4733 "
			 "telephone-events");
	return err;
}

static int ctl_hangup(struct call *c, const char *arg, char *why, size_t n)
{
	(void)arg;
	(void)why;
	(void)n;
	call_end(c, c->rec.agent[0] ? "agent" : "system", "api");
	return 0;
}

/* by (the op's arg): the API user who asks. */
static int ctl_rec_pause(struct call *c, const char *by, char *why, size_t n)
{
	return call_rec_pause(c, true, by, why, n);
}

static int ctl_rec_resume(struct call *c, const char *by, char *why, size_t n)
{
	return call_rec_pause(c, false, by, why, n);
}

/* The recording's refusals are its own (rec_pause.c): not talking is
 * "not being recorded" there. */
static const struct ctl ctls[] = {
	{"hold",   true,  ctl_hold},
	{"resume", true,  ctl_resume},
	{"dtmf",   true,  ctl_dtmf},
	{"hangup", false, ctl_hangup},
	{"recording_pause",  false, ctl_rec_pause},
	{"recording_resume", false, ctl_rec_resume},
};

struct call *call_by_id(struct call_mgr *m, const char *call_id)
{
	for (struct le *le = list_head(&m->calls); le; le = le->next) {
		struct call *x = le->data;
		if (!x->app->not_a_call && !x->ended &&
		    !strcmp(x->rec.id, call_id))
			return x;
	}
	return NULL;
}

int call_agent_of(struct call_mgr *m, const char *call_id, char *ext,
		  size_t n)
{
	struct call *c = call_by_id(m, call_id);

	if (!c)
		return ENOENT;
	util_strlcpy(ext, c->rec.agent, n);
	return 0;
}

int call_supervisors_of(struct call_mgr *m, const char *call_id, char *out,
			size_t n)
{
	struct call *c = call_by_id(m, call_id);
	const char *s;

	if (!c)
		return ENOENT;
	s = c->rec.queue[0] && m->qops.supervisors ?
		m->qops.supervisors(m->qarg, c->rec.queue) : NULL;
	util_strlcpy(out, s ? s : "", n);
	return 0;
}

int call_control(struct call_mgr *m, const char *call_id, const char *agent,
		 const char *op, const char *arg, char *why, size_t n)
{
	const struct ctl *ctl = NULL;
	struct call *c;

	for (size_t i = 0; i < ARRAY_LEN(ctls) && !ctl; i++)
		if (!strcmp(ctls[i].name, op))
			ctl = &ctls[i];
	if (!ctl) {
		snprintf(why, n, "no operation '%s'", op);
		return EINVAL;
	}
	c = call_by_id(m, call_id);
	if (!c || (agent && strcmp(c->rec.agent, agent)))
		return ENOENT;
	if (ctl->talking && c->app != &call_app_talk) {
		snprintf(why, n, "the call is not in conversation");
		return EBUSY;
	}
	log_info("call.control", "id=%s op=%s", c->rec.id, op);
	return ctl->run(c, arg, why, n);
}
