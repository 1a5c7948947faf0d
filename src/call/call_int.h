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
		  CALL_VOICEMAIL, CALL_ENDED, CALL_REDIRECTING };

enum { CALL_BOX_LEN = 16 };   /* a mailbox: an extension's number */

struct call_vm;

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
	struct leg *moved;            /* a rung leg that won: it lives on as
				       * call->agent_leg (call_leg_live) */
	bool held;                    /* on hold by this side (hold.c) */
	int64_t held_at;              /* since when */
};

/* A phone rung for a queued call (call_offer). Each has its own dialog and
 * media leg on the call's shard. The first to answer moves into
 * c->agent_leg; its ring stays in c->rings, empty, as the forwarder its
 * dialog's handlers still name (leg.moved), until the call is freed. */
struct ring {
	struct le le;
	struct leg leg;
	char agent[32];               /* the extension rung */
};

/* The leg a dialog's or media leg's handler argument stands for now: a
 * rung leg that won is c->agent_leg. */
static inline struct leg *call_leg_live(void *arg)
{
	struct leg *l = arg;
	return l->moved ? l->moved : l;
}

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
	int32_t priority;             /* it waits with in queues */
	bool leaving;                 /* left is being told: no new offer */
	bool feature;                 /* a feature code: no call record */
	bool announcing;              /* queued: an announcement plays in
				       * place of music on hold */
	struct tmr hangup;            /* feature code: BYE after the prompt */
	struct tmr noanswer;          /* direct call, redirect: ring timeout */
	struct call_vm *vm;           /* leaving a voicemail, else NULL */
	struct list rings;            /* queued call: struct ring, the phones
				       * rung now (and the winner's forwarder) */
	char bye_cause[32];           /* why the hangup timer ends the call
				       * when it is no feature code */
	char fallback[32];            /* REDIRECTING: the queue to go back to
				       * when the target fails, or "" */
	unsigned nrec;                /* conversations recorded so far */
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
/* The same for leg l of c (c->agent_leg or a ring's). */
int  call_ring_leg(struct call *c, struct leg *l, const char *agent);
/* Answers the customer leg: 180 and, right away, 200 with our SDP. */
int  call_answer_now(struct call *c, const struct sip_msg *msg);
/* The agent leg answered: the call is talking, the legs bridged and
 * recorded, the record says answered (the first answer's time stays). */
void call_connected(struct call *c);
/* Starts recording the bridged legs when recording is on. */
void call_start_recording(struct call *c);
/* New body of an SDP text. */
struct mbuf *call_sdp_mbuf(const char *text);

/* ---- queued.c: calls to a queue, and feature codes ---- */

/* Takes the call to queue with priority: caller answered, music on hold,
 * host told. Answers msg itself on every path; c may be freed when it
 * returns. */
void call_queued_start(struct call *c, const struct sip_msg *msg,
		       const char *queue, int32_t priority);
/* Rung leg l answered (l->call->state QUEUED): it becomes the agent leg,
 * the other rings are cancelled. */
void call_queued_answered(struct leg *l);
/* Rung leg l ended before an answer (code: SIP status). */
void call_queued_missed(struct leg *l, uint16_t code);
/* Releases every ring's dialog and media leg (CANCEL, or BYE for one
 * that answered too late) and frees the rings. */
void call_rings_flush(struct call *c);
/* A prompt played once on leg l ended: true when it was a waiting
 * caller's announcement (music on hold resumes), false otherwise. */
bool call_queued_prompt_end(struct leg *l);
/* Applies a feature code dialled by ext; answers msg; c is freed or
 * hangs up by itself after the confirmation. */
void call_feature(struct call *c, const struct sip_msg *msg, const char *ext);
/* The hangup timer: the feature code's confirmation or the overflow
 * prompt is over (or took too long), BYE. */
void call_feature_hangup(void *arg);

/* The live call the queue host knows as key, or NULL. */
struct call *call_find(struct call_mgr *m, uint64_t key);

/* ---- voicemail.c ---- */

/* The greeting has been heard: record what the caller says. */
void call_vm_record(struct call *c);
/* The call is ending: the message's length is stored and announced. */
void call_vm_end(struct call *c);

/* ---- hold.c: hold and resume by either leg ---- */

/* l's side asked for hold (on) or resumed, by its last offer: published
 * once per change, the caller hears music while the agent holds, the
 * queue host is told of the agent's holds. */
void call_leg_hold(struct leg *l, bool on);
/* True when the direction agreed for l means its side holds us. */
bool call_leg_is_hold(const struct leg *l);

/* ---- transfer.c: blind transfer and redirect ---- */

/* Where a transfer goes. */
enum call_target_kind { CALL_TARGET_EXTENSION, CALL_TARGET_QUEUE };
struct call_target {
	enum call_target_kind kind;
	char name[32];
};

/* Where dialled number or name `to` leads: a DID's target, a known
 * extension, then a queue the host knows. ENOENT otherwise. */
int  call_target_resolve(struct call_mgr *m, const char *to,
			 struct call_target *t);
/* 0 when c can be taken to t now; EINVAL (t is c's agent) or ENODEV (no
 * registered phone), why saying so. */
int  call_target_check(struct call *c, const struct call_target *t,
		       char *why, size_t n);
/* Blind transfer of talking call c to t (via "refer" or "api"): the agent
 * leg is released, the caller taken to t. c may be freed when it
 * returns. */
void call_transfer_to(struct call *c, const struct call_target *t,
		      const char *via);
/* REDIRECTING: the target answered; bridged. */
void call_redirect_answered(struct call *c);
/* REDIRECTING: the target refused, was unreachable or did not answer
 * (cause); back to the fallback queue or the end. */
void call_redirect_failed(struct call *c, const char *cause);

/* ---- refer.c: REFER from the agent's phone ---- */

/* The user part of a Refer-To value ("<sip:1002@host;transport=udp>",
 * with or without a display name and angle brackets), %-decoded, into out.
 * EINVAL: no sip:/sips: URI with a user of [A-Za-z0-9_-], or it does not
 * fit; ENOTSUP: a Replaces header (attended transfer). */
int  call_refer_user(const char *value, char *out, size_t n);
/* The agent leg's REFER handler (sipsess_refer_h). */
void call_on_refer(struct sip *sip, const struct sip_msg *msg, void *arg);

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
