/* call/refresh: session timers (RFC 4028) keep every leg of a call honest.
 *
 * A dialog whose far end vanished without a BYE (a carrier that lost the
 * call, a phone unplugged) would otherwise stay up for ever. Each leg
 * carries the timer its INVITE and 2xx agreed (sip/timer.c does the
 * arithmetic). Once a second one sweep looks at every call: a leg we
 * refresh gets a re-INVITE with our offer at half the interval, and ends
 * the call if that is still unanswered at the full interval; a leg the
 * peer refreshes ends the call when no re-INVITE came for the interval
 * less min(32 s, a third) (RFC 4028 10). Either way the call ends with
 * hangup_by system, cause session_expired, and call_end sends both BYEs.
 * Any offer/answer on the dialog counts as a refresh (RFC 4028 7.4).
 *
 * One exception keeps live calls up: libre 1.1.0 answers a peer's refresh
 * itself, without Session-Expires, and a strict peer reads that as "no
 * timer any more" (RFC 4028 7.2) and stops refreshing. So once the peer
 * has refreshed, its silence at expiry is not taken as death: we become
 * the refresher and send a re-INVITE, and only if that goes unanswered
 * until the interval is out (or gets 408/481) does the call end. */
#include <errno.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

enum { SWEEP_MS = 1000, SDP_MAX = 2048 };

void call_leg_refreshed(struct leg *l)
{
	l->st_at = util_mono_ms();
	l->st_sent = false;
}

void call_leg_granted(struct leg *l, const struct sip_msg *msg)
{
	if (sipx_sess_granted(l->call->mgr->o.sipx, msg, &l->st))
		log_info("call.session_timer", "id=%s leg=%s bad=1",
			 l->call->rec.id, l->is_agent ? "agent" : "customer");
	call_leg_refreshed(l);
}

bool call_leg_refresh_failed(const struct leg *l, int err,
			     const struct sip_msg *msg)
{
	if (!l->st_sent)
		return false;
	/* RFC 4028 10: a refresh answered 408 or 481, or never, ends the
	 * session (libre then closes the dialog). */
	return err == ETIMEDOUT || (msg && !msg->req &&
				    (msg->scode == 408 || msg->scode == 481));
}

static const char *leg_name(const struct leg *l)
{
	return l->is_agent ? "agent" : "customer";
}

static void refresh(struct leg *l)
{
	char sdp[SDP_MAX];
	struct mbuf *mb;
	int err = leg_sdp_offer(l, sdp, sizeof(sdp));

	mb = err ? NULL : call_sdp_mbuf(sdp);
	err = err ? err : mb ? sipx_sess_refresh(l->sess, mb) : ENOMEM;
	mem_deref(mb);
	/* Marked sent either way: a refresh we could not send lets the
	 * session run out, as a lost one would. */
	l->st_sent = true;
	log_info("call.session_refresh", "id=%s leg=%s interval_s=%u err=%d",
		 l->call->rec.id, leg_name(l), l->st.interval_s, err);
}

/* True when l's session expired (the call is to end). */
static bool check(struct leg *l, int64_t now)
{
	if (!l->estab || !l->sess || !l->st.interval_s)
		return false;
	switch (sipx_timer_due(&l->st, now - l->st_at, l->st_sent)) {
	case SIPX_TIMER_REFRESH:
		refresh(l);
		return false;
	case SIPX_TIMER_EXPIRED:
		if (!l->st.we_refresh && l->st_unsure) {
			log_info("call.session_takeover", "id=%s leg=%s",
				 l->call->rec.id, leg_name(l));
			l->st.we_refresh = true;
			refresh(l);
			return false;
		}
		log_info("call.session_expired", "id=%s leg=%s interval_s=%u "
			 "refresher=%s", l->call->rec.id, leg_name(l),
			 l->st.interval_s, l->st.we_refresh ? "us" : "peer");
		return true;
	default:
		return false;
	}
}

/* A third party (consultation, conference, supervisor) whose leg expired
 * leaves; the call goes on. At most one a tick per call: its leaving may
 * change the parties, or end the call. */
static void check_parties(struct call *c, int64_t now)
{
	for (struct le *le = list_head(&c->parties); le; le = le->next) {
		struct party *p = le->data;

		if (p->role == PARTY_FORWARDER || !check(&p->leg, now))
			continue;
		call_party_expired(c, p);
		return;
	}
}

static void sweep(void *arg)
{
	struct call_mgr *m = arg;
	int64_t now = util_mono_ms();
	struct le *le = list_head(&m->calls);

	tmr_start(&m->refresh_tmr, SWEEP_MS, sweep, m);
	while (le) {
		struct call *c = le->data;

		le = le->next;
		if (check(&c->cust, now) || check(&c->agent_leg, now))
			call_end(c, "system", "session_expired");
		else
			check_parties(c, now);
	}
}

void call_refresh_start(struct call_mgr *m)
{
	tmr_init(&m->refresh_tmr);
	tmr_start(&m->refresh_tmr, SWEEP_MS, sweep, m);
}

void call_refresh_stop(struct call_mgr *m)
{
	tmr_cancel(&m->refresh_tmr);
}
