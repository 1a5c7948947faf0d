/* call/talk: the "talk" app, the conversation. Whichever app rang the
 * phone that answered (extension, queue, redirect) hands the call here:
 * caller and agent are bridged in the media engine and recorded, and the
 * call stays here until either side hangs up or the agent transfers it
 * (REFER or the API: transfer.c takes it to the redirect or queue app).
 *
 * The agent's hold is this app's: while the agent holds, the caller hears
 * music on hold (hold.c tells which re-INVITE is a hold), and a call that
 * came through a queue has its host told, so both books agree. */
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

static void start_recording(struct call *c)
{
	char path[700], day[UTIL_TIME_LEN], part[sizeof(c->rec.recording)];

	if (!c->mgr->o.record)
		return;
	util_rfc3339(day, c->rec.started_ms);
	day[10] = '\0';
	/* The record names the first conversation's file; a transferred
	 * call's later conversations are recorded beside it (<id>-2.wav …),
	 * since a file ends with the agent leg that fed it. */
	if (c->nrec)
		snprintf(part, sizeof(part), "recordings/%s/%s-%u.wav", day,
			 c->rec.id, c->nrec + 1);
	else
		snprintf(part, sizeof(part), "recordings/%s/%s.wav", day,
			 c->rec.id);
	snprintf(path, sizeof(path), "%s/%s", c->mgr->data_dir, part);
	if (media_record(c->cust.media, c->agent_leg.media, path)) {
		log_warn("call.record", "id=%s path=%s failed", c->rec.id, path);
		return;
	}
	if (!c->nrec++)
		util_strlcpy(c->rec.recording, part, sizeof(c->rec.recording));
	else
		log_info("call.record", "id=%s part=%s", c->rec.id, part);
}

void call_connected(struct call *c)
{
	call_app_enter(c, &call_app_talk);
	if (!c->rec.answered_ms)
		c->rec.answered_ms = util_now_ms();
	c->rec.codec_customer = c->cust.neg.codec.name;
	c->rec.codec_agent = c->agent_leg.neg.codec.name;
	media_bridge(c->cust.media, c->agent_leg.media);
	start_recording(c);
	cdr_answered(&c->rec);
}

/* The caller hears music while the agent holds, the agent again after. */
static void hold(struct call *c, bool on, int64_t at_ms)
{
	struct call_mgr *m = c->mgr;

	if (m->o.moh) {
		if (on)
			(void)media_leg_play(c->cust.media, m->o.moh, true);
		else
			(void)media_leg_stop(c->cust.media);
	}
	if (c->queued && m->qops.hold)
		m->qops.hold(m->qarg, c->key, on, at_ms);
}

/* Either side's BYE ends the call: the defaults (agent_closed NULL,
 * caller_cause NULL) say so. */
const struct call_app call_app_talk = {
	.name = "talk",
	.hold = hold,
};
