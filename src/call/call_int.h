/* call internals shared by the files of src/call/ only. */
#ifndef HL_CALL_INT_H
#define HL_CALL_INT_H

#include <stdbool.h>
#include <re.h>
#include "call/cdr.h"
#include "base/util.h"
#include "call/call.h"
#include "media/media.h"

enum call_state { CALL_ROUTING, CALL_RINGING, CALL_QUEUED, CALL_TALKING,
		  CALL_ENDED };

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
	uint64_t key;                 /* the queue host's name for it */
	unsigned shard;               /* media thread of both legs */
	bool queued;                  /* reached a queue: hooks apply */
	bool leaving;                 /* left is being told: no new offer */
	bool feature;                 /* a feature code: no call record */
	bool announcing;              /* queued: an announcement plays in
				       * place of music on hold */
	struct tmr hangup;            /* feature code: BYE after the prompt */
	struct tmr noanswer;          /* direct call: the ring timeout */
};

struct call_mgr {
	struct call_opts o;
	char *data_dir, *media_ip;
	struct list calls;
	bool stopping;
	uint64_t next_key;
	struct call_queue_ops qops;
	void *qarg;
};

/* ---- b2bua.c: shared by the queued flow ---- */

/* Ends the call once (see b2bua.c); c is freed. */
void call_end(struct call *c, const char *by, const char *cause);
/* Gives the caller a media leg on a fresh shard and answers its SDP offer
 * into c->cust_answer; on error, *code and *reason are the SIP refusal
 * (503, 488 or 400). */
int  call_prepare_customer(struct call *c, const struct sip_msg *msg,
			   uint16_t *code, const char **reason);
/* Refuses an INVITE outside any dialog, logging why. */
void call_reply(struct call_mgr *m, const struct sip_msg *msg,
		uint16_t code, const char *reason);
/* Sends the agent leg's INVITE to agent's first registered contact.
 * ENODEV when agent has none. */
int  call_ring_agent(struct call *c, const char *agent);
/* Answers the customer leg: 180 and, right away, 200 with our SDP. */
int  call_answer_now(struct call *c, const struct sip_msg *msg);
/* Starts recording the bridged legs when recording is on. */
void call_start_recording(struct call *c);
/* New body of an SDP text. */
struct mbuf *call_sdp_mbuf(const char *text);

/* ---- queued.c: calls to a queue, and feature codes ---- */

/* Takes the call to queue: caller answered, music on hold, host told.
 * Answers msg itself on every path; c may be freed when it returns. */
void call_queued_start(struct call *c, const struct sip_msg *msg,
		       const char *queue);
/* The offered agent answered (c->state QUEUED). */
void call_queued_answered(struct call *c);
/* The offered agent's leg ended before an answer (code: SIP status). */
void call_queued_missed(struct call *c, uint16_t code);
/* A prompt played once on the leg owner ended: true when the event is
 * dealt with — a queued caller's announcement ended (music on hold
 * resumes), or no live call has that leg any more (the event is stale) —
 * false when it is another prompt of a live call. The owner is only
 * compared, never followed: the call may be gone. */
bool call_queued_prompt_end(struct call_mgr *m, const void *owner);
/* Applies a feature code dialled by ext; answers msg; c is freed or
 * hangs up by itself after the confirmation. */
void call_feature(struct call *c, const struct sip_msg *msg, const char *ext);
/* The feature call's timer: the confirmation is over, BYE. */
void call_feature_hangup(void *arg);

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
