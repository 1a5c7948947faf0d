/* call/rec_pause: pausing a conversation's recording for the sensitive
 * moments of a call (a card number, an ID), from the API.
 *
 * A pause does not stop the file: the media thread writes silence in place
 * of both voices, frame for frame (media_record_pause), so the WAV still
 * lasts as long as the conversation and a QA reviewer sees a gap, not a
 * shortened call. Each pause is a row of call_recording_pauses with its
 * offsets in that file (ms from the file's start) and who paused and
 * resumed, and a call.recording event each way.
 *
 * Facts that always hold:
 *  (1) Every pause row gets its end: resumed from the API, or closed by
 *      "system" when the conversation's recording ends (the talk app is
 *      left, the call ends), whichever comes first.
 *  (2) A pause outlives no recording: a later conversation of the same
 *      call (after a transfer) starts unpaused, in its own file. */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"

/* Offset of wall-clock ms at in the conversation's file. */
static int64_t offset(const struct call *c, int64_t at)
{
	return at > c->rec_at ? at - c->rec_at : 0;
}

static void set_paused(struct call *c, bool on, const char *by)
{
	int64_t now = util_now_ms();

	(void)media_record_pause(c->cust.media, on);
	c->rec_paused = on;
	if (on) {
		c->pause_at = now;
		cdr_rec_pause(&c->rec, ++c->npause, c->rec_file, true,
			      offset(c, now), 0, by);
	}
	else
		cdr_rec_pause(&c->rec, c->npause, c->rec_file, false,
			      offset(c, c->pause_at), offset(c, now), by);
}

int call_rec_pause(struct call *c, bool on, const char *by, char *why,
		   size_t n)
{
	if (c->app != &call_app_talk || !c->rec_file[0]) {
		snprintf(why, n, "the call is not being recorded");
		return EBUSY;
	}
	if (on == c->rec_paused) {
		snprintf(why, n, on ? "the recording is paused already" :
			 "the recording is not paused");
		return EALREADY;
	}
	set_paused(c, on, by);
	return 0;
}

void call_rec_stopped(struct call *c)
{
	if (c->rec_paused)
		set_paused(c, false, "system");
	c->rec_file[0] = '\0';
}
