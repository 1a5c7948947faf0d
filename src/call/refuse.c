/* call/refuse: the "refuse" app, a caller the customer records say no to
 * (blacklisted, 黑名单). Before the call is routed anywhere, the screen
 * hook (call_mgr_set_screen: crm/'s answer from memory) is asked about
 * every inbound caller; a refused one is answered, hears the refusal
 * prompt once and gets BYE. The call is recorded like any other (a calls
 * row, call.created and call.ended) with hangup_by "system" and cause
 * "blacklisted", so refusals are counted and listed. The same hook gives
 * the caller's service level as a raise of every queue's priority. */
#include <errno.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"

enum { REFUSE_SLACK_MS = 2000 };   /* BYE this long after the prompt should
				    * have ended, if its end is lost */

static void refuse(struct call *c, const struct sip_msg *msg,
		   struct media_prompt *prompt)
{
	struct call_mgr *m = c->mgr;
	const char *reason = NULL;
	uint16_t code = 0;

	log_info("call.blacklisted", "id=%s from=%s to=%s prompt=%s",
		 c->rec.id, c->rec.from, c->rec.to, prompt ? "yes" : "no");
	if (call_answer_caller(c, msg, &code, &reason)) {
		if (c->cust.sess) {
			(void)sipx_sess_reject(c->cust.sess, code, reason);
			c->cust.sess = mem_deref(c->cust.sess);
			mem_deref(c);
			return;
		}
		call_refuse(c, msg, code, reason);
		return;
	}
	list_append(&m->calls, &c->le, c);
	cdr_created(&c->rec);
	if (prompt && !media_leg_play(c->cust.media, prompt, false)) {
		call_app_timer(c, (uint64_t)media_prompt_ms(prompt) +
			       REFUSE_SLACK_MS);
		return;
	}
	call_app_timer(c, 0);
}

bool call_screen_refused(struct call *c, const struct sip_msg *msg)
{
	struct call_mgr *m = c->mgr;
	struct call_screen s = {0};

	if (!m->sops.screen)
		return false;
	m->sops.screen(m->sarg, c->rec.from, &s);
	c->raise = s.raise;
	if (!s.refuse)
		return false;
	call_app_enter(c, &call_app_refuse);
	refuse(c, msg, s.prompt);
	return true;
}

/* The prompt has been heard: hang up now. */
static void prompt_end(struct call *c, struct leg *l)
{
	if (!l->is_agent && tmr_isrunning(&c->tmr))
		call_app_timer(c, 0);
}

static void timeout(struct call *c)
{
	call_end(c, "system", "blacklisted");
}

const struct call_app call_app_refuse = {
	.name = "refuse",
	.caller_cause = "blacklisted",
	.prompt_end = prompt_end,
	.timeout = timeout,
};
