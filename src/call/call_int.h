/* call internals shared by the files of src/call/ only. */
#ifndef HL_CALL_INT_H
#define HL_CALL_INT_H

#include <stdbool.h>
#include <re.h>
#include "call/cdr.h"
#include "base/util.h"
#include "call/call.h"
#include "media/media.h"

enum call_state { CALL_ROUTING, CALL_RINGING, CALL_TALKING, CALL_ENDED };

struct call;

/* One side of a call: a SIP dialog and its RTP endpoint. */
struct leg {
	struct call *call;
	struct sipsess *sess;         /* NULL once the dialog is over */
	struct media_leg *media;
	struct media_neg neg;         /* what was agreed for this leg */
	uint64_t sdp_id, sdp_ver;     /* o= of our descriptions */
	bool estab;
	bool is_agent;
};

struct call {
	struct le le;
	struct call_mgr *mgr;
	struct cdr rec;               /* id, parties, times: the record */
	enum call_state state;
	char cust_answer[1024];       /* our SDP answer, sent with the 200 */
	struct leg cust, agent_leg;
};

struct call_mgr {
	struct call_opts o;
	char *data_dir, *media_ip;
	struct list calls;
	bool stopping;
};

/* ---- sdp.c: offer/answer per leg ---- */

/* Answers offer for l (its media endpoint set up to match) into buf.
 * ENOTSUP: no codec in common (488); EBADMSG: malformed (400). */
int  leg_sdp_answer(struct leg *l, const char *offer, size_t len, char *buf,
		    size_t size);
/* Writes Hotline's offer for l into buf. */
int  leg_sdp_offer(struct leg *l, char *buf, size_t size);
/* Reads the answer to our offer and sets l's media endpoint up to match. */
int  leg_sdp_read_answer(struct leg *l, const char *answer, size_t len);

#endif
