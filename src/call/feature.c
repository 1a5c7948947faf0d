/* call/feature: the "feature" app, feature codes (*21 ready, *22 not
 * ready, *23 log out): INVITEs from an authenticated extension to the
 * code. Like Asterisk's and FreeSWITCH's agent codes, an applied code is
 * answered, a short confirmation is played and Hotline hangs up; an
 * unknown code gets 404 and one the host refuses 403, with no answer.
 *
 * A feature code is no call: it leaves no call record, and the API finds
 * no call by its id (call_app.not_a_call). */
#include <errno.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

enum { FEATURE_MAX_MS = 5000 };   /* BYE even if the prompt end is lost */

static void start(struct call *c, const struct sip_msg *msg, const char *code)
{
	struct call_mgr *m = c->mgr;
	const char *ext = c->rec.from;   /* the authenticated extension */
	const char *reason = NULL;
	uint16_t scode = 0;
	int err = m->qops.feature ? m->qops.feature(m->qarg, ext, code) :
		ENOENT;

	log_info("call.feature", "ext=%s code=%s err=%d", ext, code, err);
	if (err == ENOENT) {
		call_refuse(c, msg, 404, "Not Found (no such feature code)");
		return;
	}
	if (err) {
		call_refuse(c, msg, 403, "Forbidden (feature code refused)");
		return;
	}
	if (call_answer_caller(c, msg, &scode, &reason)) {
		/* Applied all the same; only the confirmation is lost. */
		if (c->cust.sess) {
			(void)sipx_sess_reject(c->cust.sess, scode, reason);
			mem_deref(c);
			return;
		}
		call_refuse(c, msg, scode, reason);
		return;
	}
	list_append(&m->calls, &c->le, c);
	if (m->o.confirm)
		(void)media_leg_play(c->cust.media, m->o.confirm, false);
	call_app_timer(c, m->o.confirm ? FEATURE_MAX_MS : 0);
}

/* The confirmation has been heard: hang up now. */
static void prompt_end(struct call *c, struct leg *l)
{
	if (!l->is_agent && tmr_isrunning(&c->tmr))
		call_app_timer(c, 0);
}

static void timeout(struct call *c)
{
	call_end(c, "system", "feature");
}

const struct call_app call_app_feature = {
	.name = "feature",
	.not_a_call = true,
	.start = start,
	.prompt_end = prompt_end,
	.timeout = timeout,
};
