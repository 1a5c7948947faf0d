/* call: the B2BUA. Every call has a customer leg (the caller's dialog and
 * RTP endpoint) and an agent leg (the dialog Hotline opens towards the called
 * phone), bridged in the media engine once the agent answers.
 *
 * A call runs one application at a time (call/app.c's table); the dial
 * plan (route/) names the first by the dialled number's kind, and each app
 * hands the caller on. A dialled extension (or a DID whose target is one)
 * runs "extension": that phone rings. A DID whose target is a queue runs
 * "queue": the caller is answered at once with music on hold and handed to
 * the queue host (call_queue_ops), which decides which agents to ring
 * (call_offer: one after another, or several at once for ring-all) and when
 * to stop (call_offer_cancel, call_queue_drop, call_queue_hangup).
 *
 * The apps a call runs and the handovers (function that performs each):
 *
 *   (INVITE)  -> extension  route: an extension, agent rung  [on_invite]
 *   (INVITE)  -> queue      route: a queue, caller 200 + MOH [on_invite]
 *   (INVITE)  -> feature    an extension dialled "*NN"       [on_invite]
 *   queue     -> queue      agent rung, missed, cancelled    [call_offer,
 *                                                 agent_closed, call_offer_cancel]
 *   queue     -> talk       first rung agent answered,       [answered]
 *                           the other rings cancelled
 *   extension -> talk       agent answered, caller 200       [answered]
 *   extension -> (end)      caller CANCEL / agent refuses /  [on_cust_close,
 *                           no answer                         agent_closed, timeout]
 *   queue     -> (end)      caller BYE (abandon), drop       [on_cust_close, call_queue_drop]
 *   queue     -> (end)      goodbye prompt over (BYE)        [call_queue_hangup, then
 *                                                             prompt_end or timeout]
 *   queue     -> voicemail  overflow to a mailbox            [call_queue_voicemail]
 *   queue     -> redirect   overflow to an extension         [call_redirect]
 *   voicemail -> (end)      caller BYE, the message's limit  [on_cust_close]
 *   feature   -> (end)      code applied, confirmation heard [prompt_end, timeout]
 *   talk      -> (end)      BYE from either side, stop       [on_*_close, call_mgr_hangup_all]
 *   (INVITE)  -> outbound   an extension dials a number no   [on_invite]
 *                           DID or extension has: the dial
 *                           plan's trunks, in order
 *   outbound  -> outbound   5xx, 408, no answer to the INVITE [agent_closed,
 *                           in time: the next trunk            timeout]
 *   outbound  -> talk       the far end answered              [answered]
 *   outbound  -> (end)      no plan (404, a record all the    [start, agent_closed,
 *                           same), every trunk failed or full  timeout]
 *                           (503), a final refusal (486 …)
 *
 * Outbound (outbound.c): the caller's leg is the customer leg, the
 * carrier's the agent leg, so talk, hold and recording are the same code;
 * the record says direction outbound, agent the extension that dialled,
 * trunk the trunk it went out on. call_outbound_take (call_int.h) takes a
 * caller answered already to an outside number the same way (transfer to
 * an outside number, click-to-dial).
 *
 * Facts that always hold:
 *  (1) A call record is written when the call is created and updated when
 *      it is answered and when it ends; "call.ended" is published exactly once.
 *      (A feature code dialled by an extension is no call: no record.)
 *  (2) When one leg ends, the other is ended too (BYE, CANCEL or a final
 *      response), so no dialog outlives its call.
 *  (3) The media legs of a call share one media thread.
 *  (4) A queued call may ring several agents at once, each phone on its
 *      own dialog and media leg, but it is connected to one agent at most:
 *      the first 200 OK wins and every other ring is released in the same
 *      step (CANCEL; a 200 OK that crosses it is acknowledged and hung up
 *      with BYE). Its queue host hears of it exactly once through enter
 *      and exactly once through left or transferred (or not at all after
 *      call_redirect or call_queue_voicemail); answered at most once,
 *      missed at most once per ring, and hold only in between.
 *  (5) Hold is the agent's: a re-INVITE from the agent leg that stops our
 *      sending (sendonly, inactive, c=0.0.0.0) starts it, one that
 *      restores it ends it. Each start and end is published once
 *      (call.hold, call.resume) and the record's hold_s sums the spans.
 *  (6) A call is run by one app at a time, and only that app hears its
 *      events; an app's timer is cancelled when the call moves on.
 *
 * Transfer (transfer.c): a talking call's agent leg sends REFER, or the API
 * calls call_transfer. The agent leg is released (202, NOTIFY, BYE), and
 * the caller, hearing ringback or music, is taken to the target:
 *
 *   talk      -> redirect   target extension rung            [call_transfer_to]
 *   talk      -> queue      target queue: enter anew         [call_transfer_to]
 *   redirect  -> talk       target answered                  [answered]
 *   redirect  -> queue      no answer / refused after a transfer of a
 *                           call that came through a queue: back
 *                           into that queue (enter, a new key)
 *   redirect  -> (end)      no answer / refused otherwise; caller BYE
 *
 * Attended transfer (party.c) stays in talk: a consultation is a third
 * leg while the caller holds, and completing it moves that leg into the
 * agent leg's place (call_consult, call_consult_end).
 */
#ifndef HL_CALL_H
#define HL_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct call_mgr;
struct sipx;
struct media_engine;
struct db;
struct route;
struct trunk_host;
struct ivr_store;
struct media_tts;
struct prompt_store;
struct bus;
struct media_prompt;
struct mod_routes;
struct mod_settings;
struct mod_house;
struct json_t;

/* The HTTP routes of the call module (http.c, http_vm.c): call records,
 * recordings, transfer of live calls, voicemail. */
extern const struct mod_routes call_routes;

/* The call.*, record.*, voicemail.* and srtp.* settings (settings.c),
 * named by the call module's export row; cfg_read() fills the values,
 * call.ringback and voicemail.greeting are read as text. */
extern const struct mod_settings call_settings;
struct call_values {
	bool record, srtp_keys_over_plain, conference_one_port;
	uint64_t ring_timeout_s, rtp_timeout_s, max_calls, vm_max_s;
};

struct call_opts {
	struct sipx *sipx;            /* signalling: dialogs, registrations */
	struct media_engine *media;   /* RTP legs */
	struct db *db;                /* call records */
	struct route *route;          /* the dial plan: where numbers lead */
	struct trunk_host *trunks;    /* carriers' trunks and the outbound
				       * dial plans, or NULL: none */
	struct ivr_store *ivr;        /* the voice menus DIDs may lead to */
	struct prompt_store *prompts; /* uploaded prompts they play, or NULL:
				       * those count as heard at once */
	struct media_tts *tts;        /* speech for them, or NULL: prompts
				       * are skipped as if heard */
	struct bus *bus;              /* call.* events */
	const char *data_dir;         /* recordings go under DATA/recordings */
	const char *media_ip;         /* address written into our SDP */
	bool record;                  /* record bridged calls */
	uint32_t ring_timeout_ms;     /* a direct call's agent phone rings at
				       * most this long (0: until the caller
				       * gives up); queues have their own */
	uint32_t rtp_timeout_ms;      /* an answered call whose customer
				       * sends no RTP this long ends (0:
				       * never; inactive.c) */
	struct media_prompt *ringback;/* early media while the agent's phone
				       * rings (183), or NULL for a plain 180;
				       * the manager takes a reference */
	struct media_prompt *moh;     /* music on hold for queued callers,
				       * looped; NULL: silence. A reference
				       * is taken */
	struct media_prompt *confirm; /* played after a feature code before
				       * hanging up; NULL: hang up at once. A
				       * reference is taken */
	struct media_prompt *vm_greeting; /* played before a voicemail is
				       * recorded (ending in a tone); NULL:
				       * record at once. A reference is taken */
	uint32_t vm_max_ms;           /* a voicemail's longest message (> 0) */
	const char *self_http;        /* "HOST:PORT" of our own HTTP API: an
				       * IVR look-up URL that starts with "/"
				       * goes there. NULL: such look-ups fail */
	uint32_t max_calls;           /* live calls at most (the lines the
				       * center has); more get 486 Busy Here.
				       * 0: no limit */
	bool srtp_keys_over_plain;    /* take SDES keys from SDP that came
				       * over UDP or TCP (else 488) */
	bool conference_one_port;     /* re-INVITE a conference's phones to
				       * one RTP port (conf.c) */
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
	/* A caller reached queue (name) with priority (higher first) and
	 * hears music on hold. 0 keeps them; an errno ends the call (cause
	 * "queue"). */
	int  (*enter)(void *arg, uint64_t key, const char *queue,
		      int32_t priority, const char *call_id,
		      const char *caller);
	/* The agent rung by call_offer answered: the call is bridged. */
	void (*answered)(void *arg, uint64_t key, const char *agent);
	/* The agent's phone refused the call or could not be reached (why:
	 * the SIP status or reason). Not called after call_offer_cancel. */
	void (*missed)(void *arg, uint64_t key, const char *agent,
		       const char *why);
	/* The call is over; how says what became of it. */
	void (*left)(void *arg, uint64_t key, enum call_q_end how);
	/* A caller to queue was turned away before reaching it (all lines
	 * busy, no media port): a blocked call. */
	void (*blocked)(void *arg, const char *queue, const char *why);
	/* An extension dialled a feature code ("*21"): 0 when it was applied
	 * (the caller hears confirm), ENOENT for no such code (404), another
	 * errno when it failed (403). */
	int  (*feature)(void *arg, const char *ext, const char *code);
	/* The connected agent put the caller on hold (on) or took them back,
	 * at at_ms (the time call.hold / call.resume carry, so both books
	 * agree). A caller's own hold is not told (it is no agent hold time). */
	void (*hold)(void *arg, uint64_t key, bool on, int64_t at_ms);
	/* The connected agent's part is over: the call was transferred to
	 * target (an extension or a queue). Said instead of left: key is the
	 * host's no more; a transfer to a queue comes back through enter
	 * under a new key. */
	void (*transferred)(void *arg, uint64_t key, const char *target);
	/* True when name is a queue (a transfer target). */
	bool (*has_queue)(void *arg, const char *name);
	/* The IVR flow queue's callers are taken to when their agent hangs
	 * up (the satisfaction survey), or NULL. */
	const char *(*survey)(void *arg, const char *queue);
	/* Who may monitor queue's calls besides their data scope: user
	 * names and "dept:ID", comma-separated; NULL for nobody. */
	const char *(*supervisors)(void *arg, const char *queue);
	/* The consent prompt queue's callers hear before they wait (本次通话
	 * 可能会被录音): *file an uploaded prompt's name, or *text spoken
	 * (either may be ""; the file wins). False when queue has none. The
	 * strings are the host's, valid until its next change. */
	bool (*consent)(void *arg, const char *queue, const char **text,
			const char **file);
};

/* What the owner of customer records (crm/, registered at its start)
 * says of a caller before the call is routed, from memory. */
struct call_screen {
	bool refuse;                  /* blacklisted: prompt, then BYE */
	int32_t raise;                /* added to the queue priority */
	struct media_prompt *prompt;  /* borrowed: what a refused caller
				       * hears; NULL: BYE at once */
};
struct call_screen_ops {
	/* Fills *out for caller (the From user, as received) of an inbound
	 * call; leaves it zeroed for an ordinary caller. On the loop, from
	 * memory: no I/O. */
	void (*screen)(void *arg, const char *caller, struct call_screen *out);
};

/* Closes the records a crash left open (ended_at NULL): ended at the last
 * moment known of each, hangup_by "system", cause "crash", and repairs
 * their recordings' WAV headers (crash.c). *closed (may be NULL) counts
 * them. Blocks on disk: call it at start, before any call is taken. */
int  call_crash_recover(struct db *db, const char *data_dir, unsigned *closed);

/* Starts taking INVITEs from opts->sipx; *mp is the caller's
 * (call_mgr_free). The strings in opts are copied. */
int  call_mgr_alloc(struct call_mgr **mp, const struct call_opts *opts);

/* Ends every live call (BYE or CANCEL, records finalised) and stops taking
 * new ones; the dialogs finish on the event loop. */
void call_mgr_hangup_all(struct call_mgr *m);

/* Number of live calls. */
unsigned call_mgr_count(const struct call_mgr *m);

/* Replaces the voicemail greeting for calls that start leaving a message
 * from now on (a reference is taken; the old one is dropped). */
void call_mgr_set_vm_greeting(struct call_mgr *m, struct media_prompt *p);

/* Appends one object per live call to arr (a JSON array), in the order
 * they came: id, direction, from, to, queue, agent, state (ringing,
 * dialing, queued, talking, held, ivr, voicemail), ringing (the
 * extensions rung now), started_at, answered_at, province, city and the
 * call-associated data. Memory only (live.c). ENOMEM. */
int  call_mgr_live(struct call_mgr *m, struct json_t *arr);

/* The call module's snapshot hook (base/mod.h): "calls", as above. */
int  call_snapshot(struct mod_house *h, unsigned parts, struct json_t *data);

/* Frees the manager; live calls are hung up first. NULL is fine. */
void call_mgr_free(struct call_mgr *m);

/* Sends calls to queue DIDs to ops (copied) with arg; until set they are
 * refused with 480. */
void call_mgr_set_queue(struct call_mgr *m, const struct call_queue_ops *ops,
			void *arg);

/* Asks ops (copied) with arg about every inbound caller from now on;
 * a zeroed ops stops asking. */
void call_mgr_set_screen(struct call_mgr *m, const struct call_screen_ops *ops,
			 void *arg);

/* Rings agent's registered phone for queued call key, besides any phone
 * already ringing for it. ENOENT: no such queued call; EBUSY: it already
 * rings that agent, is answered or is leaving; ENODEV: the agent has no
 * registered phone; else the error of the INVITE. On error nothing new
 * rings and no hook is called. */
int  call_offer(struct call_mgr *m, uint64_t key, const char *agent);

/* Stops ringing agent for call key (CANCEL); ENOENT when it is not
 * ringing that agent. */
int  call_offer_cancel(struct call_mgr *m, uint64_t key, const char *agent);

/* Takes queued call key out of its queue (no more hooks for it) to leave
 * a message in mailbox box (digits): greeting, then recording until the
 * caller hangs up or vm_max_ms; phones still ringing for it are
 * cancelled. ENOENT: not queued; EBUSY: it is leaving; EINVAL: a bad box. On error nothing changed. */
int  call_queue_voicemail(struct call_mgr *m, uint64_t key, const char *box);

/* Ends queued call key unanswered (BYE, hangup_by system, cause); left is
 * called with CALL_Q_DROPPED. ENOENT when not queued. */
int  call_queue_drop(struct call_mgr *m, uint64_t key, const char *cause);

/* call_queue_drop with a goodbye: left is called with CALL_Q_DROPPED at
 * once and any ringing phone cancelled, then the caller hears prompt once
 * in place of the music on hold and gets BYE (hangup_by system, cause)
 * when it ends, or at the latest 2 s after prompt_ms (its length) if the
 * end is never heard. prompt NULL: call_queue_drop. ENOENT when not
 * queued. The prompt is referenced while it plays. */
int  call_queue_hangup(struct call_mgr *m, uint64_t key, const char *cause,
		       struct media_prompt *prompt, uint32_t prompt_ms);

/* Takes queued call key out of its queue and rings extension ext for it
 * (overflow to an extension): the caller hears ringback or music until ext
 * answers; no answer within ring_timeout_ms or a refusal ends the call. On
 * 0 the host hears nothing more of key. ENOENT: not queued; EBUSY: an
 * agent is being rung or it is leaving; ENODEV: ext has no registered
 * phone; the call then stays queued. */
int  call_redirect(struct call_mgr *m, uint64_t key, const char *ext);

/* Blind transfer of live call call_id to `to`: an extension, a queue name
 * or a DID leading to either. agent, when not NULL, must be the call's
 * connected agent. ENOENT: no such live call (or not agent's); EBUSY: the
 * call is not in conversation; EINVAL: `to` leads nowhere (why says so).
 * On 0 the agent leg has been released and the caller is on the way. */
int  call_transfer(struct call_mgr *m, const char *call_id, const char *agent,
		   const char *to, char *why, size_t n);

/* Click-to-dial (click.c): rings extension agent's phone, and once it
 * answers calls number out through the dial plan's trunks, the agent
 * hearing ringback; a normal call record (direction outbound), its id
 * into id. EINVAL: no such extension; ENODEV: it has no registered phone,
 * or no trunks are configured; ENOENT: no dial plan covers number; EBUSY:
 * stopping; EIO: the phone could not be rung. why says which. */
int  call_click_to_dial(struct call_mgr *m, const char *agent,
			const char *number, char id[33], char *why, size_t n);

/* Attended transfer, first step (party.c): the caller of live call
 * call_id is held (music on hold, the agent's hold time) and extension
 * `to` rings; once it answers the agent talks to it. agent, when not NULL,
 * must be the call's agent. ENOENT: no such live call (or not agent's);
 * EBUSY: not in conversation, or a consultation is under way; EINVAL: `to`
 * is no extension with a registered phone; EIO: it could not be rung. why
 * says which. */
int  call_consult(struct call_mgr *m, const char *call_id, const char *agent,
		  const char *to, char *why, size_t n);

/* Ends call_id's consultation: done, the target takes the caller and the
 * agent leaves (a transfer, via "attended"); not done, the target is
 * released and agent and caller talk again. ENOENT as call_consult;
 * EALREADY: no consultation under way; EBUSY: done before the target
 * answered. */
int  call_consult_end(struct call_mgr *m, const char *call_id,
		      const char *agent, bool done, char *why, size_t n);

/* Three-way conference (conf.c): extension `to` rings, and once it
 * answers caller, agent and `to` all hear each other; any of the two
 * others may hang up without ending it for the rest (the third party
 * takes the agent's place when the agent leaves). Errors as
 * call_consult's. */
int  call_conference(struct call_mgr *m, const char *call_id,
		     const char *agent, const char *to, char *why, size_t n);

/* A supervisor on a live call, from their own phone: */
enum call_mon_mode {
	CALL_MON_LISTEN,    /* hears both, heard by no one (实时监听) */
	CALL_MON_WHISPER,   /* heard by the agent only (密语) */
	CALL_MON_BARGE,     /* heard by both (强插) */
};

/* "listen", "whisper" or "barge" into *mode; EINVAL otherwise. */
int  call_monitor_mode_parse(const char *name, enum call_mon_mode *mode);

/* Rings extension supervisor's phone into call_id in mode, or switches the
 * mode of the supervisor already on it. ENOENT: no such live call; EBUSY:
 * not in conversation or full; EINVAL: no such extension or no registered
 * phone; EIO: it could not be rung. */
int  call_monitor(struct call_mgr *m, const char *call_id,
		  const char *supervisor, enum call_mon_mode mode, char *why,
		  size_t n);

/* Live call control for the API (control.c): op is "hold" (the caller
 * hears music on hold, the agent silence; the agent's hold as the phone's
 * hold key makes it), "resume" (ends an API hold), "dtmf" (sends arg's
 * digits to the caller as RFC 4733 events), "hangup" (ends the call,
 * cause "api"), "recording_pause" or "recording_resume" (the recording is
 * written as silence meanwhile; arg names the API user, stored with the
 * pause). agent, when not NULL, must be the call's connected agent.
 * ENOENT: no such live call (or not agent's); EBUSY: not in conversation
 * (hold, resume, dtmf), nothing being recorded (recording_*); EALREADY:
 * on hold already, not on hold, held from the phone, paused already, not
 * paused; EINVAL/ENOTSUP: bad digits, no telephone-events, unknown op.
 * why says which. */
int  call_control(struct call_mgr *m, const char *call_id, const char *agent,
		  const char *op, const char *arg, char *why, size_t n);

/* Copies live call call_id's connected agent's extension ("" while none
 * is) into ext[0..n): whose call it is, for the API's data scope.
 * ENOENT: no such live call. */
int  call_agent_of(struct call_mgr *m, const char *call_id, char *ext,
		   size_t n);
/* Copies the supervisors setting of live call call_id's queue (the one
 * it came through; "" when none, or no queue) into out[0..n). ENOENT: no
 * such live call. */
int  call_supervisors_of(struct call_mgr *m, const char *call_id, char *out,
			 size_t n);

/* What the screen pop looks up for live call call_id: whether it is
 * extension ext's (connected to it, or ringing it) into *mine, its
 * customer's number (the caller of an inbound call, the callee of an
 * outbound one) into num[0..nn) and the caller's IVR choice, its data
 * ivr.menu ("" unset: docs/ivr.md), into ivr[0..ni). Memory only.
 * ENOENT: no such live call. */
int  call_pop_of(struct call_mgr *m, const char *call_id, const char *ext,
		 bool *mine, char *num, size_t nn, char *ivr, size_t ni);

/* Sets section/key to value in live call call_id's data (随路数据), as the
 * IVR's set nodes do: stored with the call, carried by its queue and agent
 * events from then on. agent, when not NULL, must be the call's agent.
 * ENOENT: no such live call (or not agent's); EINVAL: an empty section or
 * key; ENOSPC: the call's data is full (cdr.h), nothing changed. */
int  call_data_set(struct call_mgr *m, const char *call_id, const char *agent,
		   const char *section, const char *key, const char *value);

/* Plays p once to the waiting caller of queued call key in place of music
 * on hold, which resumes from its start when p ends; an agent's answer
 * cuts p short like the music. Takes its own reference to p. ENOENT: no
 * such call waiting (answered, leaving); EBUSY: an agent's phone is
 * ringing for it, or an announcement is still playing. */
int  call_announce(struct call_mgr *m, uint64_t key, struct media_prompt *p);

#endif
