/* call: the B2BUA. Every call has a customer leg (the caller's dialog and
 * RTP endpoint) and an agent leg (the dialog Hotline opens towards the called
 * phone), bridged in the media engine once the agent answers.
 *
 * A dialled extension (or a DID whose target is one) rings that extension
 * directly. A DID whose target is a queue answers the caller at once with
 * music on hold and hands the call to the queue host (call_queue_ops),
 * which decides which agent to ring (call_offer) and when to stop
 * (call_offer_cancel, call_queue_drop).
 *
 * Call states and the transitions (function that performs each):
 *
 *   ROUTING  -> RINGING    agent leg INVITE sent        [on_invite]
 *   ROUTING  -> QUEUED     queue DID: caller 200 + MOH  [call_queued_start]
 *   QUEUED   -> QUEUED     agent rung, missed, cancelled[call_offer, on_agent_close,
 *                                                        call_offer_cancel]
 *   QUEUED   -> TALKING    offered agent answered       [on_agent_estab]
 *   RINGING  -> TALKING    agent answered, caller 200   [on_agent_estab]
 *   RINGING  -> ENDED      caller CANCEL / agent refuses[on_*_close]
 *   QUEUED   -> ENDED      caller BYE (abandon), drop   [on_cust_close, call_queue_drop]
 *   TALKING  -> ENDED      BYE from either side, stop   [on_*_close, call_mgr_hangup_all]
 *
 * Facts that always hold:
 *  (1) A call record is written when the call is created and updated when
 *      it is answered and when it ends; "call.ended" is published exactly once.
 *      (A feature code dialled by an extension is no call: no record.)
 *  (2) When one leg ends, the other is ended too (BYE, CANCEL or a final
 *      response), so no dialog outlives its call.
 *  (3) The media legs of a call share one media thread.
 *  (4) A queued call rings at most one agent at a time, and its queue host
 *      hears of it exactly once through enter and exactly once through
 *      left; answered and missed only in between.
 */
#ifndef HL_CALL_H
#define HL_CALL_H

#include <stdbool.h>
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
	uint32_t ring_timeout_ms;     /* a direct call's agent phone rings at
				       * most this long (0: until the caller
				       * gives up); queues have their own */
	struct media_prompt *ringback;/* early media while the agent's phone
				       * rings (183), or NULL for a plain 180;
				       * the manager takes a reference */
	struct media_prompt *moh;     /* music on hold for queued callers,
				       * looped; NULL: silence. A reference
				       * is taken */
	struct media_prompt *confirm; /* played after a feature code before
				       * hanging up; NULL: hang up at once. A
				       * reference is taken */
};

/* How a queued call left its queue host. */
enum call_q_end {
	CALL_Q_ABANDONED,   /* the caller hung up before an agent answered */
	CALL_Q_COMPLETED,   /* an agent answered; the conversation is over */
	CALL_Q_DROPPED,     /* Hotline ended it unanswered (drop, shutdown) */
};

/* What the queue host hears. key names the call in call_offer and friends.
 * Every hook may call call_offer, call_offer_cancel and call_queue_drop,
 * also for the call it is told about. */
struct call_queue_ops {
	/* A caller reached queue (name) and hears music on hold. 0 keeps
	 * them; an errno ends the call (cause "queue"). */
	int  (*enter)(void *arg, uint64_t key, const char *queue,
		      const char *call_id, const char *caller);
	/* The agent rung by call_offer answered: the call is bridged. */
	void (*answered)(void *arg, uint64_t key, const char *agent);
	/* The agent's phone refused the call or could not be reached (why:
	 * the SIP status or reason). Not called after call_offer_cancel. */
	void (*missed)(void *arg, uint64_t key, const char *agent,
		       const char *why);
	/* The call is over; how says what became of it. */
	void (*left)(void *arg, uint64_t key, enum call_q_end how);
	/* An extension dialled a feature code ("*21"): 0 when it was applied
	 * (the caller hears confirm), ENOENT for no such code (404), another
	 * errno when it failed (403). */
	int  (*feature)(void *arg, const char *ext, const char *code);
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

/* Sends calls to queue DIDs to ops (copied) with arg; until set they are
 * refused with 480. */
void call_mgr_set_queue(struct call_mgr *m, const struct call_queue_ops *ops,
			void *arg);

/* Rings agent's registered phone for queued call key. ENOENT: no such
 * queued call; EBUSY: it is already ringing someone or leaving; ENODEV:
 * the agent has no registered phone; else the error of the INVITE. On
 * error nothing rings and no hook is called. */
int  call_offer(struct call_mgr *m, uint64_t key, const char *agent);

/* Stops ringing agent for call key (CANCEL); ENOENT when it is not
 * ringing that agent. */
int  call_offer_cancel(struct call_mgr *m, uint64_t key, const char *agent);

/* Ends queued call key unanswered (BYE, hangup_by system, cause); left is
 * called with CALL_Q_DROPPED. ENOENT when not queued. */
int  call_queue_drop(struct call_mgr *m, uint64_t key, const char *cause);

/* Plays p once to the waiting caller of queued call key in place of music
 * on hold, which resumes from its start when p ends; an agent's answer
 * cuts p short like the music. Takes its own reference to p. ENOENT: no
 * such call waiting (answered, leaving); EBUSY: an agent's phone is
 * ringing for it, or an announcement is still playing. */
int  call_announce(struct call_mgr *m, uint64_t key, struct media_prompt *p);

#endif
