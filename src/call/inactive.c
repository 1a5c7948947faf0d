/* call/inactive: dead calls end.
 *
 * A caller whose network went away, a carrier that lost the call, a BYE
 * that never arrived: the dialog stays up and nothing else would end it
 * (one caller sat 5.5 minutes in a queue and was then bridged to an
 * agent). Every second the sweep looks at each answered call's customer
 * leg: no RTP from it for rtp_timeout_ms ends the call, hangup_by system,
 * cause rtp_timeout. A leg on hold either way (sendonly, recvonly or
 * inactive agreed: by RFC 3264 one side sends nothing) is not counted, and
 * silence counts from the last offer or answer, so a resumed call starts
 * afresh. The check is an atomic read per call (media_leg_rx_idle_ms):
 * nothing here waits. */
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

enum { SWEEP_MS = 1000 };

static int64_t silent_ms(const struct leg *l, int64_t now)
{
	int64_t idle = media_leg_rx_idle_ms(l->media);
	int64_t since_sdp = now > l->sdp_at ? now - l->sdp_at : 0;

	return idle < since_sdp ? idle : since_sdp;
}

static void sweep(void *arg)
{
	struct call_mgr *m = arg;
	int64_t now = util_mono_ms();
	struct le *le = list_head(&m->calls);

	tmr_start(&m->inactive_tmr, SWEEP_MS, sweep, m);
	while (le) {
		struct call *c = le->data;
		const struct leg *l = &c->cust;
		int64_t silent;

		le = le->next;
		if (!l->estab || !l->media || !l->sess || l->late_offer ||
		    l->neg.dir != MEDIA_SENDRECV)
			continue;
		silent = silent_ms(l, now);
		if (silent < m->o.rtp_timeout_ms)
			continue;
		log_info("call.rtp_timeout", "id=%s silent_ms=%lld",
			 c->rec.id, (long long)silent);
		call_end(c, "system", "rtp_timeout");
	}
}

void call_inactive_start(struct call_mgr *m)
{
	tmr_init(&m->inactive_tmr);
	if (m->o.rtp_timeout_ms)
		tmr_start(&m->inactive_tmr, SWEEP_MS, sweep, m);
}

void call_inactive_stop(struct call_mgr *m)
{
	tmr_cancel(&m->inactive_tmr);
}
