/* call: the B2BUA. Every call has a customer leg (the caller's dialog and
 * RTP endpoint) and an agent leg (the dialog Hotline opens towards the called
 * phone), bridged in the media engine once the agent answers.
 *
 * Call states and the transitions (function that performs each):
 *
 *   ROUTING  -> RINGING    agent leg INVITE sent        [call_on_invite]
 *   RINGING  -> TALKING    agent answered, caller 200   [on_agent_estab]
 *   RINGING  -> ENDED      caller CANCEL / agent refuses[on_*_close]
 *   TALKING  -> ENDED      BYE from either side, stop   [on_*_close, call_mgr_hangup_all]
 *
 * Facts that always hold:
 *  (1) A call record is written when the call is created and updated when
 *      it is answered and when it ends; "call.ended" is published exactly once.
 *  (2) When one leg ends, the other is ended too (BYE, CANCEL or a final
 *      response), so no dialog outlives its call.
 *  (3) The media legs of a call share one media thread.
 */
#ifndef HL_CALL_H
#define HL_CALL_H

#include <stdint.h>

struct call_mgr;
struct sipx;
struct media_engine;
struct db;
struct bus;
struct media_prompt;

struct call_opts {
	struct sipx *sipx;            /* signalling: dialogs, registrations */
	struct media_engine *media;   /* RTP legs */
	struct db *db;                /* call records */
	struct bus *bus;              /* call.* events */
	const char *data_dir;         /* recordings go under DATA/recordings */
	const char *media_ip;         /* address written into our SDP */
	bool record;                  /* record bridged calls */
	struct media_prompt *ringback;/* early media while the agent's phone
				       * rings (183), or NULL for a plain 180;
				       * the manager takes a reference */
};

/* Starts taking INVITEs from opts->sipx; *mp is the caller's
 * (call_mgr_free). The strings in opts are copied. */
int  call_mgr_alloc(struct call_mgr **mp, const struct call_opts *opts);

/* Ends every live call (BYE or CANCEL, records finalised) and stops taking
 * new ones; the dialogs finish on the event loop. */
void call_mgr_hangup_all(struct call_mgr *m);

/* Number of live calls. */
unsigned call_mgr_count(const struct call_mgr *m);

/* Frees the manager; live calls are hung up first. NULL is fine. */
void call_mgr_free(struct call_mgr *m);

#endif
