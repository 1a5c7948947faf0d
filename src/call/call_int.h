/* call internals shared by the files of src/call/ only. */
#ifndef HL_CALL_INT_H
#define HL_CALL_INT_H

#include <stdbool.h>
#include <re.h>
#include "base/util.h"
#include "call/call.h"
#include "media/media.h"
#include "media/engine.h"

enum call_state { CALL_ROUTING, CALL_RINGING, CALL_TALKING, CALL_ENDED };

struct call;

/* One side of a call: a SIP dialog and its RTP endpoint. */
struct leg {
	struct call *call;
	struct sipsess *sess;         /* NULL once the dialog is over */
	struct media_leg *media;
	struct media_sdp_answer neg;  /* what was agreed for this leg */
	bool estab;
	bool is_agent;
};

struct call {
	struct le le;
	struct call_mgr *mgr;
	char id[UTIL_ID_LEN];
	enum call_state state;
	const char *direction;        /* inbound, internal */
	char from[128], to[128];      /* caller's user part, dialled number */
	char agent[32];               /* the extension we ring */
	char recording[128];          /* relative path, or "" */
	int64_t started_ms, answered_ms, ended_ms;
	struct leg cust, agent_leg;
};

struct call_mgr {
	struct call_opts o;
	char *data_dir, *media_ip;
	struct list calls;
	bool stopping;
};

/* ---- cdr.c: the call record and call.* events ---- */

/* Inserts the record and publishes call.created. */
void cdr_created(struct call *c);
/* Updates answered_at and agent, publishes call.answered. */
void cdr_answered(struct call *c);
/* Publishes call.ringing for the agent leg. */
void cdr_ringing(struct call *c);
/* Publishes call.dtmf with the digit. */
void cdr_dtmf(struct call *c, const struct media_event *ev, bool agent);
/* Finalises the record, publishes call.ended; hangup_by is caller, agent or
 * system, cause a SIP status or reason. */
void cdr_ended(struct call *c, const char *hangup_by, const char *cause);

#endif
