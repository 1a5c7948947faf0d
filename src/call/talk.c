/* call/talk: the "talk" app, the conversation. Whichever app rang the
 * phone that answered (extension, queue, redirect) hands the call here:
 * caller and agent are bridged in the media engine and recorded, and the
 * call stays here until either side hangs up or the agent transfers it
 * (REFER or the API: transfer.c takes it to the redirect or queue app).
 *
 * The agent's hold is this app's: while the agent holds, the caller hears
 * music on hold (hold.c tells which re-INVITE is a hold, control.c holds
 * from the API), and a call that
 * came through a queue has its host told, so both books agree. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "ivr/ivr.h"

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
	util_strlcpy(c->rec_file, part, sizeof(c->rec_file));
	c->rec_at = util_now_ms();
	if (!c->nrec++)
		util_strlcpy(c->rec.recording, part, sizeof(c->rec.recording));
	else
		log_info("call.record", "id=%s part=%s", c->rec.id, part);
}

void call_connected(struct call *c)
{
	call_app_enter(c, &call_app_talk);
	call_rec_stopped(c);   /* a new conversation, a new file (fact 2) */
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
	/* The API's hold holds the agent's side too (control.c); whichever
	 * resume comes, from the API or the phone, ends it. */
	if (c->agent_leg.api_held) {
		if (on)
			(void)media_leg_play(c->agent_leg.media, m->silence, true);
		else {
			(void)media_leg_stop(c->agent_leg.media);
			c->agent_leg.api_held = false;
		}
	}
	if (c->queued && m->qops.hold)
		m->qops.hold(m->qarg, c->key, on, at_ms);
}

/* The agent hung up. A call that came through a queue with a survey
 * (满意度调查) takes the caller to the survey flow: the queue host books
 * the agent's call as completed, the record keeps the agent it rates.
 * Otherwise the call ends, as the caller's BYE ends it. */
static void agent_closed(struct call *c, struct leg *l, int err, uint16_t code)
{
	struct call_mgr *m = c->mgr;
	const char *flow = c->queued && m->qops.survey ?
		m->qops.survey(m->qarg, c->rec.queue) : NULL;
	char name[32];
	(void)l;
	(void)code;

	if (call_consult_agent_left(c) || call_conf_agent_left(c))
		return;
	if (flow && m->o.ivr && ivr_store_get(m->o.ivr, flow)) {
		util_strlcpy(name, flow, sizeof(name));
		call_leg_hold(&c->agent_leg, false);   /* as a transfer does */
		c->queued = false;
		if (m->qops.left)
			m->qops.left(m->qarg, c->key, CALL_Q_COMPLETED);
		call_agent_release(c);
		if (!call_app_ivr.take(c, name))
			return;
		log_warn("call.survey", "id=%s flow=%s: cannot start", c->rec.id,
			 name);
	}
	call_end(c, "agent", err == ECONNRESET || !err ? "bye" : strerror(err));
}

/* The caller's BYE ends the call (caller_cause NULL: the default). */
const struct call_app call_app_talk = {
	.name = "talk",
	.hold = hold,
	.dtmf = call_monitor_dtmf,
	.agent_closed = agent_closed,
};
