/* call/consent: the recording consent prompt (本次通话可能会被录音) a caller
 * hears before waiting for an agent, set per DID and per queue (docs/api.md:
 * consent_text, consent_file).
 *
 * When a call reaches a queue (from its DID, the IVR, a transfer) the
 * queue app asks call_consent_begin first. The DID's prompt wins; else the
 * queue's; and a caller who has heard one hears no other for the rest of
 * the call. While it plays the call is not yet in the queue: the queue
 * host learns of it (queue.enter, call.queued) only when the prompt is
 * over, so queue wait, ASA and service level count from the end of the
 * prompt, as they do from the end of an IVR — time spent being told about
 * the recording is no time waiting for an agent. A caller who hangs up
 * during it never entered the queue: no abandon (docs/acd.md).
 *
 * Facts that always hold:
 *  (1) The caller is never left waiting on us: audio that cannot be made
 *      or played counts as heard at once, and a prompt whose end event is
 *      lost counts as heard its length plus a margin after it started (the
 *      app's timer; MAKE_MS while the audio is being made).
 *  (2) Audio that arrives after the call has gone is dropped: the request
 *      names a token the call forgets as it is freed. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "prompt/prompt.h"

enum {
	MARGIN_MS = 2000,    /* after a prompt's length, if its end is lost */
	MAKE_MS = 15000,     /* for speech or a file to be ready */
};

/* What an audio request names: the call while it lives. */
struct call_consent_tok {
	struct call *c;
};

/* Mandarin unless the text is plain ASCII (an English sentence). */
static const char *voice_of(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p >= 0x80)
			return "zh";
	return "en";
}

static void forget(struct call *c)
{
	if (c->consent_tok) {
		c->consent_tok->c = NULL;
		c->consent_tok = mem_deref(c->consent_tok);
	}
}

void call_consent_over(struct call *c)
{
	if (!c->consenting)
		return;
	c->consenting = false;
	tmr_cancel(&c->tmr);
	forget(c);
	log_info("call.consent_heard", "id=%s queue=%s", c->rec.id,
		 c->rec.queue);
	call_queue_enter(c);
}

static void on_audio(int err, struct media_prompt *p, void *arg)
{
	struct call_consent_tok *t = arg;
	struct call *c = t->c;

	if (!c)
		return;
	forget(c);
	if (err || media_leg_play(c->cust.media, p, false)) {
		log_warn("call.consent", "id=%s err=%s: taken as heard",
			 c->rec.id, strerror(err ? err : EIO));
		call_consent_over(c);
		return;
	}
	call_app_timer(c, media_prompt_ms(p) + MARGIN_MS);
}

/* Asks for the audio: an uploaded prompt from the store, or text spoken. */
static int ask(struct call_mgr *m, const char *text, const char *file,
	       struct call_consent_tok *t)
{
	if (*file)
		return m->o.prompts ? prompt_load(m->o.prompts, file, on_audio,
						  t) : ENOTSUP;
	return m->o.tts ? media_tts_say(m->o.tts, voice_of(text), text,
					on_audio, t) : ENOTSUP;
}

bool call_consent_begin(struct call *c)
{
	struct call_mgr *m = c->mgr;
	const char *text = c->consent_text, *file = c->consent_file;
	const char *whose = "did";
	struct call_consent_tok *t;
	int err;

	if (c->consent_heard)
		return false;
	if (!*text && !*file) {
		whose = "queue";
		if (!m->qops.consent ||
		    !m->qops.consent(m->qarg, c->rec.queue, &text, &file))
			return false;
	}
	/* Once per call, whether it plays or fails (fact 1). */
	c->consent_heard = true;
	t = mem_zalloc(sizeof(*t), NULL);
	if (!t)
		return false;
	t->c = c;
	err = ask(m, text, file, t);
	if (err) {
		log_warn("call.consent", "id=%s %s's file=%s err=%s: taken as "
			 "heard", c->rec.id, whose, file, strerror(err));
		mem_deref(t);
		return false;
	}
	c->consent_tok = t;
	c->consenting = true;
	(void)media_leg_stop(c->cust.media);
	call_app_timer(c, MAKE_MS);
	log_info("call.consent", "id=%s queue=%s from=%s file=%s", c->rec.id,
		 c->rec.queue, whose, file);
	return true;
}

void call_consent_forget(struct call *c)
{
	forget(c);
}
