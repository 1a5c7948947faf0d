/* call internals shared by the files of src/call/ only. */
#ifndef HL_CALL_INT_H
#define HL_CALL_INT_H

#include <stdbool.h>
#include <re.h>
#include "call/cdr.h"
#include "base/util.h"
#include "call/call.h"
#include "media/media.h"
#include "route/route.h"
#include "sip/sipx.h"

enum { CALL_BOX_LEN = 16 };   /* a mailbox: an extension's number */

struct call_vm;
struct call_ivr;
struct sipx_sess_h;
struct call_out;
struct trunk;

struct call;
struct call_consent_tok;

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
	bool late_offer;              /* its INVITE had no SDP: our offer went
				       * in the 200, the answer comes in the
				       * ACK (RFC 3261 13.2.1) */
	bool held;                    /* on hold by this side (hold.c) */
	char codecs[24];              /* the codecs this leg may use, in
				       * order ("PCMA,PCMU": a trunk's), or
				       * "": all of Hotline's */
	int64_t sdp_at;               /* monotonic ms of the last offer or
				       * answer: silence counts from here */
	int64_t held_at;              /* since when */
	bool api_held;                /* the hold is the API's (control.c):
				       * the agent hears silence meanwhile */
	bool tls;                     /* its signalling goes over TLS, so
				       * SDES keys in its SDP are secret */
	bool srtp;                    /* our offers on it carry SRTP
				       * (RTP/SAVP with our key): a phone
				       * over TLS, a trunk with srtp */
	struct media_sdes key;        /* our SRTP key on it (keylen 0: none
				       * made yet); kept across re-INVITEs */
	struct sipx_timer st;         /* its session timer (RFC 4028), as
				       * agreed by its INVITE and 2xx */
	int64_t st_at;                /* monotonic ms of its last refresh */
	bool st_sent;                 /* our refresh awaits its answer */
	bool st_unsure;               /* the peer refreshed, and libre's 200
				       * to that could not repeat the timer:
				       * the peer may have stopped its own */
};

/* A third party on a talking call (party.c): the consultation of an
 * attended transfer, a conference's third party, a supervisor (conf.c);
 * PARTY_FORWARDER once its leg became the agent leg (its dialog's
 * handlers still name it: leg.moved). */
enum party_role { PARTY_CONSULT, PARTY_CONF, PARTY_MONITOR,
		  PARTY_FORWARDER };
struct party {
	struct le le;
	struct leg leg;
	enum party_role role;
	char who[32];                 /* the extension rung */
	enum call_mon_mode mode;      /* a supervisor's (PARTY_MONITOR) */
	bool in_mix;                  /* answered and in the call's mix */
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
	const struct call_app *app;   /* runs the call now (app.c) */
	bool ended;                   /* call_end has run: nothing more */
	char cust_answer[1024];       /* our SDP answer, sent with the 200 */
	struct leg cust, agent_leg;
	uint64_t key;                 /* the queue host's name for it */
	unsigned shard;               /* media thread of both legs */
	bool queued;                  /* the queue host knows it by key:
				       * its hooks apply, whatever the app */
	int32_t priority;             /* it waits with in queues */
	int32_t raise;                /* the caller's service level adds
				       * this to any queue's priority */
	bool leaving;                 /* left is being told: no new offer */
	bool announcing;              /* queue: an announcement plays in
				       * place of music on hold */
	struct tmr tmr;               /* the app's timer (call_app_timer) */
	struct call_vm *vm;           /* voicemail: the message, else NULL */
	struct call_ivr *ivr;         /* ivr: the flow's run, kept after it
				       * hands the caller on (its data) */
	struct list rings;            /* queue: struct ring, the phones
				       * rung now (and the winner's forwarder) */
	char bye_cause[32];           /* queue: why the goodbye ends it */
	char fallback[32];            /* redirect: the queue to go back to
				       * when the target fails, or "" */
	unsigned nrec;                /* conversations recorded so far */
	char rec_file[128];           /* the conversation's recording being
				       * written (relative path), or "" */
	int64_t rec_at;               /* when it started, ms since the epoch */
	bool rec_paused;              /* it is written as silence now */
	int64_t pause_at;             /* since when */
	unsigned npause;              /* pauses so far (their seq) */
	/* consent.c: the DID's consent prompt (route_target's), "" none */
	char consent_text[ROUTE_CONSENT_MAX + 1];
	char consent_file[ROUTE_PROMPT_MAX + 1];
	bool consent_heard;           /* one was played: no other */
	bool consenting;              /* it plays; the queue waits for it */
	struct call_consent_tok *consent_tok;  /* ref: the audio asked for */
	struct list parties;          /* struct party (party.c) */
	struct party *consult;        /* the consultation under way, or NULL */
	struct media_mix *mix;        /* conference or supervisor: the legs
				       * mixed (conf.c), else NULL */
	struct media_mux *mux;        /* ref: the port a conference's phones
				       * were moved to (conf.c), or NULL */
	struct trunk *trunk;          /* ref: the trunk whose channel the
				       * call holds, or NULL (outbound.c) */
	struct call_out *out;         /* outbound: the plan's trunks and
				       * which is tried, else NULL */
	struct call *replaced;        /* ref: the consultation whose target's
				       * leg became ours (replace.c), kept
				       * as that dialog's forwarder */
};

struct call_mgr {
	struct call_opts o;
	char *data_dir, *media_ip;
	char *self_http;              /* o.self_http copied, or NULL */
	struct list calls;
	bool stopping;
	uint64_t next_key;
	struct call_queue_ops qops;
	void *qarg;
	struct call_screen_ops sops;  /* crm/'s answers on callers */
	void *sarg;
	struct media_prompt *silence; /* 20 ms of it, looped in place of
				       * the caller during an API hold */
	struct tmr inactive_tmr;      /* inactive.c's sweep */
	struct tmr refresh_tmr;       /* refresh.c's sweep */
};

/* ---- app.c: the applications a call runs ----
 *
 * A call is always run by one application (c->app); the B2BUA hands it
 * every event of its dialogs and media and the app decides. A handler left
 * NULL takes the default named beside it. A new way of handling a call is
 * a new entry in app.c's table, not a new branch in the B2BUA. */
struct call_app {
	const char *name;           /* as a route's kind names it */
	bool not_a_call;            /* a feature code: no call record, and
				     * no call id the API can find */
	/* Takes a new call: msg is its INVITE, still unanswered, target the
	 * route's (an extension, a queue, a feature code). Answers msg on
	 * every path; c may be freed when it returns. NULL: the app is only
	 * entered from another one. */
	void (*start)(struct call *c, const struct sip_msg *msg,
		      const char *target);
	/* Takes over a caller answered already (transfer, overflow, back to
	 * a queue) towards target. 0: the app has the call (c may be freed
	 * by now); an errno: nothing changed. NULL: only started. */
	int  (*take)(struct call *c, const char *target);
	/* The call was turned away before start (why: "lines"). NULL: no
	 * one to tell. */
	void (*refused)(struct call *c, const char *target, const char *why);
	/* Agent leg l had a provisional answer (code 1xx). NULL: ignored. */
	void (*progress)(struct call *c, struct leg *l, uint16_t code);
	/* Agent leg l answered. NULL: ignored. */
	void (*answered)(struct call *c, struct leg *l);
	/* Agent leg l is over (its dialog released): code its final status
	 * (>= 300; 480 when it had none), err the dialog's error. NULL: the
	 * call ends, hung up by the agent (bye). */
	void (*agent_closed)(struct call *c, struct leg *l, int err,
			     uint16_t code);
	/* The record's cause when the caller hangs up. NULL: bye. */
	const char *caller_cause;
	/* A prompt played once on l ended. NULL: ignored. */
	void (*prompt_end)(struct call *c, struct leg *l);
	/* l's side pressed digit (recorded already). NULL: ignored. */
	void (*dtmf)(struct call *c, struct leg *l, char digit);
	/* The agent held (on) or resumed at at_ms (published already). NULL:
	 * ignored. */
	void (*hold)(struct call *c, bool on, int64_t at_ms);
	/* The app's timer (call_app_timer) fired. NULL: ignored. */
	void (*timeout)(struct call *c);
	/* The call is ending (call_end), before the record is final. NULL:
	 * nothing to close. */
	void (*end)(struct call *c);
};

extern const struct call_app call_app_extension;  /* extension.c */
extern const struct call_app call_app_queue;      /* queued.c */
extern const struct call_app call_app_talk;       /* talk.c */
extern const struct call_app call_app_voicemail;  /* voicemail.c */
extern const struct call_app call_app_redirect;   /* redirect.c */
extern const struct call_app call_app_feature;    /* feature.c */
extern const struct call_app call_app_ivr;        /* ivr.c */
extern const struct call_app call_app_outbound;   /* outbound.c */
extern const struct call_app call_app_click;      /* click.c */
extern const struct call_app call_app_refuse;     /* refuse.c */

/* Asks the screen hook about c's caller (an inbound call, before it is
 * routed): sets c->raise; true when the caller is refused, the call then
 * taken by the refuse app (answered, prompt, BYE) or refused with msg. */
bool call_screen_refused(struct call *c, const struct sip_msg *msg);

/* Every app, once each (app.c). */
extern const struct call_app *const call_apps[];
extern const size_t call_apps_n;

/* The app called name, or NULL. */
const struct call_app *call_app_find(const char *name);
/* c is run by app from now on; the last app's timer is cancelled. */
void call_app_enter(struct call *c, const struct call_app *app);
/* Starts (or restarts) the app's timer: its timeout handler in ms. */
void call_app_timer(struct call *c, uint64_t ms);

/* ---- b2bua.c: calls, legs and dialogs ---- */

/* A call with its id, start time and two empty legs, in no list and run
 * by no app yet; NULL when out of memory. The caller's (mem_deref). */
struct call *call_new(struct call_mgr *m);
/* sip/'s INVITE handler (invite.c; arg is the manager): admits the
 * INVITE, makes it a call and hands it to its application, or refuses
 * it with the reason. */
void call_on_invite(const struct sip_msg *msg, void *arg);
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
/* Refuses msg and frees c (not yet a live call). */
void call_refuse(struct call *c, const struct sip_msg *msg, uint16_t code,
		 const char *reason);
/* Takes the customer's INVITE into a session with a provisional answer
 * (desc: our SDP for early media, or NULL). */
int  call_accept(struct call *c, const struct sip_msg *msg, uint16_t scode,
		 const char *reason, struct mbuf *desc);
/* Answers the customer leg's session with 200 and our SDP answer. */
int  call_answer_customer(struct call *c);
/* Answers the customer leg: 180 and, right away, 200 with our SDP. */
int  call_answer_now(struct call *c, const struct sip_msg *msg);
/* call_prepare_customer and call_answer_now, and the leg sends silence
 * whenever nothing else goes to it (media_leg_fill): *code, *reason on
 * error. */
int  call_answer_caller(struct call *c, const struct sip_msg *msg,
			uint16_t *code, const char **reason);
/* call_ring_uri through a carrier: d's credentials and headers, From
 * from_user at our address. */
struct sipx_dial;
int  call_dial_trunk(struct call *c, struct leg *l, const char *uri,
		   const char *from_user, const struct sipx_dial *d);
/* Sends leg l's INVITE to contact uri (c->agent_leg or a ring's). */
int  call_ring_uri(struct call *c, struct leg *l, const char *uri);
/* The same with the dialog's handlers h (a party's, click-to-dial's),
 * From user `from` (NULL: the record's from). */
int  call_dial_uri(struct call *c, struct leg *l, const char *uri,
		   const char *from, const struct sipx_sess_h *h);
/* The handlers of an agent leg's dialog: a party's leg that became the
 * agent leg forwards to them. */
const struct sipx_sess_h *call_agent_h(void);
/* Any leg's re-INVITE: hold and resume (sipx_sess_h.offer). */
int  call_leg_offer(struct mbuf **descp, const struct sip_msg *msg,
		    void *arg);
/* Any leg's answer to our offer (sipx_sess_h.answer): in the 200 to our
 * INVITE or re-INVITE, or in the ACK of a late offer. */
int  call_leg_answer(const struct sip_msg *msg, void *arg);
/* The same to agent's first registered contact. ENODEV when agent has
 * none. */
int  call_ring_leg(struct call *c, struct leg *l, const char *agent);
/* call_ring_leg for c->agent_leg. */
int  call_ring_agent(struct call *c, const char *agent);
/* Releases the agent leg (BYE, or CANCEL while ringing) and its media. */
void call_agent_release(struct call *c);
/* New body of an SDP text. */
struct mbuf *call_sdp_mbuf(const char *text);
/* The live call the queue host knows as key, or NULL. */
struct call *call_find(struct call_mgr *m, uint64_t key);

/* ---- control.c: call control from the API ---- */

/* The live call whose record is call_id (a feature code is none), or
 * NULL. */
struct call *call_by_id(struct call_mgr *m, const char *call_id);

/* ---- consent.c: the recording consent prompt before a queue ---- */

/* c (run by the queue app, its record's queue set, not yet in the queue)
 * is about to enter the queue: true when a consent prompt is being made
 * for the caller first, and call_queue_enter follows once it is over;
 * false when there is none to play (the caller heard one already, or it
 * cannot be asked for): enter now. */
bool call_consent_begin(struct call *c);
/* The prompt ended, failed or timed out: the caller enters the queue. */
void call_consent_over(struct call *c);
/* The call is being freed: audio still to come is dropped. */
void call_consent_forget(struct call *c);

/* ---- rec_pause.c: pausing a conversation's recording ---- */

/* Pause (on) or resume the recording of talking call c for API user by.
 * EBUSY: nothing is being recorded; EALREADY: paused already, not paused.
 * why says which. */
int  call_rec_pause(struct call *c, bool on, const char *by, char *why,
		    size_t n);
/* The conversation's recording ends (the talk app is left, the call
 * ends): a pause under way is closed at this moment, by "system". */
void call_rec_stopped(struct call *c);

/* ---- party.c: a third party on a talking call ---- */

/* The agent left (hung up) during a consultation: completed when the
 * target answered, else a blind transfer to the target. False when no
 * consultation was under way (nothing done). c may be freed. */
bool call_consult_agent_left(struct call *c);
/* Ends a consultation under way, if any (why: the call.consult state);
 * agent and caller talk again. */
void call_consult_drop(struct call *c, const char *why);
/* Frees every party and the mix (the call is going). */
void call_parties_flush(struct call *c);
/* Rings extension `to` as a party of role on c's media thread; *pp is in
 * c->parties. EINVAL: no such extension, one on the call already, or no
 * registered phone; EIO: it could not be rung (why says which). */
int  call_party_ring(struct call *c, enum party_role role, const char *to,
		     struct party **pp, char *why, size_t n);
/* p's leg becomes c's agent leg (the agent's is released already); p stays
 * as its forwarder, and the record's agent is p's extension. */
void call_party_moved(struct call *c, struct party *p);
/* p's session timer ran out (refresh.c): its dialog ends with BYE and
 * p leaves as its role does (why "session_expired"); c may be freed. */
void call_party_expired(struct call *c, struct party *p);
/* c's party of role for who (NULL: any), not a forwarder, or NULL. */
struct party *call_party_find(struct call *c, enum party_role role,
			      const char *who);

/* ---- conf.c: conference and monitoring, as a mix ---- */

void call_conf_answered(struct call *c, struct party *p);
void call_conf_left(struct call *c, struct party *p, const char *why);
void call_monitor_answered(struct call *c, struct party *p);
void call_monitor_left(struct call *c, struct party *p, const char *why);
/* The agent left while a conference party talks: that party takes the
 * agent's place (a transfer via "conference"). False: none did. */
bool call_conf_agent_left(struct call *c);
/* Digit pressed on leg l: a supervisor's 1, 2, 3 switch listen, whisper,
 * barge; anything else is ignored. */
void call_monitor_dtmf(struct call *c, struct leg *l, char digit);

/* ---- talk.c: the conversation ---- */

/* The agent leg answered: the call is talking (app "talk"), the legs
 * bridged and recorded, the record says answered (the first answer's time
 * stays). */
void call_connected(struct call *c);

/* ---- queued.c: the queue app ---- */

/* Releases every ring's dialog and media leg (CANCEL, or BYE for one
 * that answered too late) and frees the rings. */
void call_rings_flush(struct call *c);
/* The caller of c (its record's queue set) hears music on hold and waits
 * in the queue from now: call.queued, the host's enter. c may be freed. */
void call_queue_enter(struct call *c);

/* ---- voicemail.c ---- */

/* The greeting has been heard: record what the caller says. */
void call_vm_record(struct call *c);

/* ---- hold.c: hold and resume by either leg ---- */

/* l's side asked for hold (on) or resumed, by its last offer: published
 * once per change; the app hears of the agent's. */
void call_leg_hold(struct leg *l, bool on);
/* True when the direction agreed for l means its side holds us. */
bool call_leg_is_hold(const struct leg *l);

/* ---- outbound.c: calls out through the carriers' trunks ---- */

/* Takes c, whose caller is answered already and whose agent leg is
 * released (a transfer to an outside number, click-to-dial), to number
 * through the dial plan: the caller hears ringback while the plan's trunks
 * are tried in order, and talks once one answers. 0: the outbound app has
 * the call (c may be freed by now); ENOENT: no plan covers number, EINVAL:
 * it is no number, ENODEV: no trunks configured; then nothing changed. */
int  call_outbound_take(struct call *c, const char *number);
/* 0 when a dial plan covers number now; else call_outbound_take's
 * ENOENT, EINVAL or ENODEV. Nothing is taken or rung. */
int  call_outbound_check(struct call_mgr *m, const char *number);
/* call_outbound_take in two steps, for a call that is routed well before
 * it goes out (click-to-dial: routed at the click, out when the agent
 * answers): route chooses number's plan and trunks for c, with
 * call_outbound_take's errors; go then takes c out on that route (ENOENT
 * if c was never routed). The number is read once. */
int  call_outbound_route(struct call *c, const char *number);
int  call_outbound_go(struct call *c);
/* Gives back c's trunk channel, if it holds one (call_destroy). */
void call_trunk_release(struct call *c);

/* ---- redirect.c: the redirect app ---- */

/* The redirect target refused, was unreachable or did not answer
 * (cause); back to the fallback queue or the end. */
void call_redirect_failed(struct call *c, const char *cause);

/* ---- transfer.c: blind transfer ---- */

struct route_target;

/* Where dialled number or name `to` leads: the dial plan's answer (a DID,
 * an extension), then a queue the host knows. ENOENT otherwise. */
int  call_target_resolve(struct call_mgr *m, const char *to,
			 struct route_target *t);
/* 0 when c can be taken to t now; EINVAL (t is c's agent) or ENODEV (no
 * registered phone), why saying so. */
int  call_target_check(struct call *c, const struct route_target *t,
		       char *why, size_t n);
/* Blind transfer of talking call c to t (via "refer" or "api"): the agent
 * leg is released, the caller taken to t; the record keeps dialled, the
 * target as the agent gave it (a DID, not the queue it leads to). c may be
 * freed when it returns. */
void call_transfer_to(struct call *c, const struct route_target *t,
		      const char *dialled, const char *via);
/* The same to an outside number, out through the dial plan's trunks
 * (call_outbound_take; the call ends when that fails at once). */
void call_transfer_out(struct call *c, const char *number, const char *via);

/* ---- refer.c: REFER from the agent's phone ---- */

/* The user part of a Refer-To value ("<sip:1002@host;transport=udp>",
 * with or without a display name and angle brackets), %-decoded, into out.
 * EINVAL: no sip:/sips: URI with a user of [A-Za-z0-9_-], or it does not
 * fit; ENOTSUP: a Replaces header (attended transfer). */
int  call_refer_user(const char *value, char *out, size_t n);
/* The agent leg's REFER handler (sipx_sess_h.refer). */
void call_on_refer(struct sip *sip, const struct sip_msg *msg, void *arg);

/* ---- replace.c: the phone's own attended transfer (REFER + Replaces) */

/* The Call-ID of the Replaces header in a Refer-To value's URI headers,
 * %-decoded, into cid (the tags after it are not kept). ENOENT: no
 * Replaces; EINVAL: malformed or it does not fit. */
int  call_refer_replaces(const char *value, char *cid, size_t n);
/* Answers msg, a REFER on c's agent leg whose Refer-To (value) carries
 * Replaces: the consultation it names (the agent's answered call to the
 * target) gives its target's leg to c, and ends; 481 when there is no
 * such consultation of the agent's, 400 when Replaces is malformed. */
void call_refer_replace(struct call *c, const struct sip_msg *msg,
			const char *value);

/* ---- sdp.c: offer/answer per leg ---- */

/* Answers offer for l (its media endpoint set up to match) into buf.
 * ENOTSUP: no codec in common; EPROTONOSUPPORT: RTP/SAVP without a usable
 * a=crypto line; EACCES: SDES keys over plain signalling (l->tls false,
 * srtp.keys_over_plain off); EBADMSG: malformed. */
int  leg_sdp_answer(struct leg *l, const char *offer, size_t len, char *buf,
		    size_t size);
/* The final response for an offer leg_sdp_answer refused with err: 488
 * (no common codec; RTP/SAVP without a usable a=crypto line, EPROTONO-
 * SUPPORT; SDES keys over plain signalling, EACCES) or 400. */
void leg_sdp_refusal(int err, uint16_t *code, const char **reason);
/* Writes Hotline's offer for l into buf. */
int  leg_sdp_offer(struct leg *l, char *buf, size_t size);
/* Reads the answer to our offer and sets l's media endpoint up to match. */
int  leg_sdp_read_answer(struct leg *l, const char *answer, size_t len);

/* ---- inactive.c: dead calls end ----
 * Starts (when o.rtp_timeout_ms) and stops the sweep that ends an answered
 * call whose customer sent no RTP for rtp_timeout_ms, cause rtp_timeout. */
void call_inactive_start(struct call_mgr *m);
void call_inactive_stop(struct call_mgr *m);

/* ---- refresh.c: session timers (RFC 4028) on every leg ----
 * One sweep for every call: a leg whose timer is ours is refreshed by
 * re-INVITE every half interval; one the peer refreshes and left
 * unrefreshed ends the call (system, session_expired), or, for a third
 * party's leg, that party's part in it. */
void call_refresh_start(struct call_mgr *m);
void call_refresh_stop(struct call_mgr *m);
/* l's session was refreshed (or answered) now: its clock restarts. */
void call_leg_refreshed(struct leg *l);
/* msg, the 2xx to l's INVITE, sets l's timer (none when it grants none). */
void call_leg_granted(struct leg *l, const struct sip_msg *msg);
/* True when l's dialog closed (err, msg) because our refresh failed: the
 * call ends as session_expired, not as the peer's hang-up. */
bool call_leg_refresh_failed(const struct leg *l, int err,
			     const struct sip_msg *msg);

#endif
