/* sipx: the SIP endpoint of the call center. One libre SIP stack listening
 * on UDP and TCP, a registrar and location service for the agents'
 * extensions with digest authentication, OPTIONS, a ban list for sources
 * that keep failing authentication, and the hooks the call module needs to
 * answer INVITEs itself (libre owns the sip_ prefix; ours is sipx_).
 *
 * Facts that always hold:
 *  (1) Passwords are never stored: extensions keep HA1 = MD5(ext:realm:pw).
 *  (2) Every binding change is queued for the database (db_write) before
 *      the REGISTER is answered, so a restart keeps the registrations.
 *  (3) Each new binding publishes "agent.registered", each binding that ends
 *      "agent.unregistered"; subject is the extension, data {ext, contact,
 *      source, transport, reason, contacts}: reason is new, restored (at
 *      start-up), unregister, expired, replaced, keepalive (a phone behind
 *      NAT left its keep-alives unanswered) or flow_lost (at start-up: a
 *      TCP/TLS flow from behind NAT died with the last process), contacts
 *      how many bindings the extension has after the change (0: the agent
 *      has no phone left).
 *  (4) New requests from a banned source are dropped without an answer:
 *      10 authentication failures (wrong password, unknown extension or
 *      user) within 60 s ban the source for 300 s. A source is the
 *      address, except at a trusted address (a trunk; loopback in the
 *      demo), where many callers share one address: there it is the
 *      address and the From user, so mistyped passwords ban that user
 *      there and never the trunk's calls. A ban never touches a call
 *      already let in: requests in a dialog (To tag), ACK and CANCEL pass.
 *  (5) Nonces carry their own time and attempt number under an HMAC with a
 *      per-process key: no state is kept per challenge.
 */
#ifndef HL_SIP_SIPX_H
#define HL_SIP_SIPX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* Like libre's own headers this one has prerequisites: include <re.h>
 * first, or where jansson is used too (re_json.h clashes with it) these
 * parts of it: re_types.h re_fmt.h re_mbuf.h re_msg.h re_list.h re_sa.h
 * re_uri.h re_sip.h. libre's headers have no include guards, so each may
 * be included once per file only. */

struct sipx;
struct db;
struct mod_routes;
struct mod_settings;
struct bus;
struct sipsess_sock;

enum {
	SIPX_EXT_SZ  = 33,    /* an extension, NUL included */
	SIPX_URI_SZ  = 512,   /* a Contact URI, NUL included */
	SIPX_UA_SZ   = 128,   /* a User-Agent, NUL included (truncated) */
	SIPX_CID_SZ  = 256,   /* a Call-ID, NUL included */
	SIPX_HA1_SZ  = 33,    /* hex MD5, NUL included */
	SIPX_REALM_SZ = 64,   /* a digest realm, NUL included */
	SIPX_NAME_SZ = 101,   /* an extension's display name, NUL included */
	SIPX_PW_MIN  = 8,     /* an extension's password, at least */
	SIPX_PW_MAX  = 128,
};

struct sipx_conf {
	const char *listen;          /* "HOST:PORT", bound for UDP and TCP */
	const char *tls_listen;      /* "HOST:PORT" for SIP over TLS, or NULL */
	const char *tls_cert;        /* PEM: certificate chain and private
				      * key, needed with tls_listen */
	const char *realm;           /* digest realm, e.g. "hotline" */
	uint32_t min_expires_s;      /* a shorter non-zero request gets 423 */
	uint32_t max_expires_s;      /* a longer request is granted this */
	uint32_t default_expires_s;  /* when the REGISTER names none */
	uint32_t max_contacts;       /* bindings per extension */
	bool trust_loopback;         /* demo: loopback sources are trunks */
	uint32_t session_expires_s;  /* RFC 4028 interval we want, 0: off */
	uint32_t min_se_s;           /* a shorter Session-Expires gets 422 */
	uint32_t keepalive_s;        /* OPTIONS to NATed or outbound (;ob)
				      * contacts this often, 0: never */
	uint32_t keepalive_misses;   /* unanswered in a row: unregistered */
	uint32_t udp_rcvbuf;         /* receive queue of each UDP socket,
				      * bytes; 0: the kernel's default */
};

/* One registered contact of an extension (a location-service binding). */
struct sipx_contact {
	char uri[SIPX_URI_SZ];       /* the Contact URI as registered */
	struct sa source;            /* where the REGISTER came from */
	enum sip_transp tp;          /* the transport it came over */
	int64_t expires_at_ms;       /* Unix ms */
	char user_agent[SIPX_UA_SZ];
	char call_id[SIPX_CID_SZ];   /* of the REGISTER that made or refreshed it */
	uint32_t cseq;
};

/* Receives each new out-of-dialog INVITE that passed the endpoint's checks
 * (size, headers, ban list). The handler answers it: typically
 * sipsess_accept() on sipx_sess_sock(), or sip_treply() to refuse. */
typedef void (sipx_invite_h)(const struct sip_msg *msg, void *arg);

/* The extensions API (http.c), named by the sip module's export row. */
extern const struct mod_routes sipx_routes;

/* The sip.* settings (settings.c), named by the sip module's export row;
 * cfg_read() fills the numbers into struct sipx_values. */
extern const struct mod_settings sipx_settings;
struct sipx_values {
	uint64_t min_expires, max_expires, session_expires_s, min_se_s,
		 keepalive_s, keepalive_misses, udp_rcvbuf;
};

/* Fills conf with the defaults: realm "hotline", expiry 60..3600 s
 * (default 3600), 5 contacts per extension, loopback not trusted,
 * session timers of 1800 s with Min-SE 90 s, keep-alives every 25 s with
 * 3 misses allowed, 8 MiB UDP receive queues. */
void sipx_conf_default(struct sipx_conf *conf);

/* Binds conf->listen for UDP and TCP (and conf->tls_listen for TLS with
 * conf->tls_cert) and starts answering OPTIONS; REGISTER gets 503 until
 * sipx_start(). On failure writes a one-line reason to err (EADDRINUSE for
 * a port in use, ENOENT/EACCES/EINVAL for a certificate that cannot be
 * read or used). *sxp is the caller's: mem_deref() closes
 * every socket and drops every binding from memory (not from the db). */
int  sipx_alloc(struct sipx **sxp, const struct sipx_conf *conf,
		char *err, size_t n);

/* Loads the extensions and the unexpired registrations from db, removes the
 * expired rows, and starts the registrar. db and bus must outlive sx.
 * "agent.registered" (reason "restored") is published for every restored
 * binding on the loop's next turn, after the caller subscribed. */
int  sipx_start(struct sipx *sx, struct db *db, struct bus *bus);

/* The libre SIP stack, for requests of the caller's own (not a reference). */
struct sip *sipx_sip(const struct sipx *sx);

/* The session socket new INVITEs are accepted on (not a reference). */
struct sipsess_sock *sipx_sess_sock(const struct sipx *sx);

/* Routes new INVITEs to h; until set (or with h NULL) they get 480. */
void sipx_set_invite_handler(struct sipx *sx, sipx_invite_h *h, void *arg);

/* Copies up to max current bindings of ext, soonest-expiring last, into v
 * and sets *n to how many were copied (0 when not registered). */
int  sipx_contacts(const struct sipx *sx, const char *ext,
		   struct sipx_contact *v, size_t max, size_t *n);

/* The URI a request to contact ct goes to, into out: its Contact URI, or,
 * when its REGISTER came from another IP address than the Contact names (a
 * phone behind NAT), the same URI at that source address and port.
 * ENOSPC when it does not fit. */
int  sipx_contact_target(const struct sipx_contact *ct, char *out, size_t n);

/* True when ext is one of our extensions and enabled (from memory: the
 * registrar keeps every extension loaded). */
bool sipx_has_extension(const struct sipx *sx, const char *ext);

/* True when ext is one of our extensions, enabled or not (from memory). */
bool sipx_ext_exists(const struct sipx *sx, const char *ext);

/* True when the request may come in without authentication: it comes from
 * a trunk's address (the trunk check below; demo: any loopback address,
 * 127.0.0.0/8 and ::1) and its From does not name one of our extensions.
 * An extension always proves who it is, wherever it calls from, so an
 * internal call is never taken for a customer's. */
bool sipx_is_trunk(const struct sipx *sx, const struct sip_msg *msg);

/* True when src is a loopback address: 127.0.0.0/8, ::1, or an IPv4-mapped
 * 127/8 (libre's sa_is_loopback knows 127.0.0.1 alone). */
bool sipx_is_loopback(const struct sa *src);

/* Whether a source address is one of the configured trunks'. The module
 * that owns trunks (above sip/) answers; sip/ only asks. */
typedef bool (sipx_trunk_h)(const struct sa *src, void *arg);

/* Sets the trunk check sipx_is_trunk asks (h NULL: no trunks). */
void sipx_set_trunk_check(struct sipx *sx, sipx_trunk_h *h, void *arg);

/* A trunk that proves itself by digest: the owner of trunks (above sip/)
 * copies the password of the trunk whose inbound username is user into
 * password and answers true, or false when no trunk has that name. */
typedef bool (sipx_trunk_cred_h)(const char *user, char *password, size_t n,
				 void *arg);

/* Sets where sipx_authenticate looks for trunks' credentials (h NULL:
 * extensions only). */
void sipx_set_trunk_creds(struct sipx *sx, sipx_trunk_cred_h *h, void *arg);

/* Authenticates a request from an extension, or (trunk not NULL) from a
 * trunk, by digest. 0: valid credentials of an enabled extension, its name
 * in ext and trunk "", or of a trunk, its username in trunk and ext "" (an
 * extension's name is tried first). EACCES: the request
 * has been answered (401 challenge, 403 or 400) and counted against the
 * source where it failed; the caller replies nothing more. A wrong password
 * is challenged once more, then refused with 403 (rule table in auth.c). */
int  sipx_authenticate(struct sipx *sx, const struct sip_msg *msg,
		       char ext[SIPX_EXT_SZ], char trunk[SIPX_EXT_SZ]);

/* Writes hex MD5(user:realm:password) into out. */
int  sipx_ha1(const char *user, const char *realm, const char *password,
	      char out[SIPX_HA1_SZ]);

/* Creates or changes an extension (password hashed with the endpoint's
 * realm, which the extension is then challenged with), in the database
 * and in the registrar's memory at once. Disabling it drops its
 * bindings. */
int  sipx_ext_set(struct sipx *sx, const char *ext, const char *display_name,
		  const char *password, bool enabled);

/* Changes an existing extension: NULL display_name or password are kept
 * (the HA1, and the realm it was made for, with them); enabled as given.
 * ENOENT when there is no such extension. */
int  sipx_ext_update(struct sipx *sx, const char *ext,
		     const char *display_name, const char *password,
		     bool enabled);

/* Removes an extension: its bindings are dropped (each published as
 * "agent.unregistered"), then its rows. ENOENT when there is none. */
int  sipx_ext_delete(struct sipx *sx, const char *ext);

/* One extension as the API shows it: never its HA1. */
struct sipx_ext_info {
	char ext[SIPX_EXT_SZ];
	char display_name[SIPX_NAME_SZ];
	char realm[SIPX_REALM_SZ];   /* the realm it is challenged with */
	bool enabled;
	size_t contacts;             /* current bindings */
};

/* Calls h for every extension, in name order, from memory; stops at h's
 * non-zero value and returns it. */
int  sipx_ext_list(const struct sipx *sx,
		   int (*h)(const struct sipx_ext_info *e, void *arg),
		   void *arg);

/* The extension named ext into *out; ENOENT. */
int  sipx_ext_get(const struct sipx *sx, const char *ext,
		  struct sipx_ext_info *out);

/* Whether ext is acceptable as an extension's name for the API: 2..16
 * digits (what a phone dials). The registrar itself loads any name made
 * of [0-9A-Za-z._-]. */
bool sipx_ext_name_ok(const char *ext);

/* True when SIP over TLS is listened for (calls and trunks may use it). */
bool sipx_tls_on(const struct sipx *sx);

/* The address bound for tp (the one --sip named), for Contact headers. */
int  sipx_laddr(const struct sipx *sx, enum sip_transp tp, struct sa *laddr);

/* ---- sessions (sess.c): the only way into libre's SIP session API ----
 * The handlers have libre's shapes (re_sipsess.h); arg is passed to each.
 * A session (struct sipsess) is the caller's: mem_deref() sends CANCEL
 * while an INVITE of ours rings, BYE once established. */
struct sipsess;
struct sipx_sess_h {
	/* A re-INVITE's offer: put our answer in *descp. */
	int  (*offer)(struct mbuf **descp, const struct sip_msg *msg,
		      void *arg);
	/* The answer to our offer (NULL for an incoming session). */
	int  (*answer)(const struct sip_msg *msg, void *arg);
	/* A provisional response to our INVITE (NULL: ignored). */
	void (*progress)(const struct sip_msg *msg, void *arg);
	/* The dialog is established. */
	void (*estab)(const struct sip_msg *msg, void *arg);
	/* A REFER in the dialog (NULL: refused by libre). */
	void (*refer)(struct sip *sip, const struct sip_msg *msg, void *arg);
	/* The session is over: err ECONNRESET (or 0) for a BYE, msg the
	 * final response that refused our INVITE, if any. */
	void (*close)(int err, const struct sip_msg *msg, void *arg);
};

/* ---- session timers (timer.c, RFC 4028) ----
 * A dialog's timer as agreed: the side that refreshes sends a re-INVITE
 * every half interval; the other ends the session when no refresh came
 * for the interval less min(32 s, a third). call/ keeps the clock. */
enum sipx_refresher_param { SIPX_BY_NONE, SIPX_BY_UAC, SIPX_BY_UAS };

/* What an INVITE or its 2xx says about the timer. */
struct sipx_timer_req {
	bool supported;              /* Supported (or Require): timer */
	uint32_t se_s;               /* Session-Expires, 0: absent */
	enum sipx_refresher_param refresher;
	uint32_t min_se_s;           /* Min-SE, 0: absent */
};

struct sipx_timer {
	uint32_t interval_s;         /* 0: no timer on this dialog */
	bool we_refresh;             /* else the peer does and we watch */
	bool we_are_uas;             /* the INVITE that made it was theirs */
	bool require;                /* the peer knows timers: Require it */
};

enum sipx_timer_due {
	SIPX_TIMER_WAIT,             /* nothing to do yet */
	SIPX_TIMER_REFRESH,          /* ours to refresh now */
	SIPX_TIMER_EXPIRED,          /* end the session (BYE) */
};

/* Reads msg's Supported, Require, Session-Expires and Min-SE into *rq.
 * EBADMSG: a Session-Expires or Min-SE that is no number, or a refresher
 * that is neither uac nor uas. */
int  sipx_timer_read(const struct sip_msg *msg, struct sipx_timer_req *rq);

/* As the UAS of an INVITE asking rq, with our interval want_s (0: timers
 * off) and our floor min_se_s: the timer into *out (interval 0: none).
 * ERANGE: the interval asked is under min_se_s; answer 422 with
 * Min-SE: *need_min_se. */
int  sipx_timer_negotiate(const struct sipx_timer_req *rq, uint32_t want_s,
			  uint32_t min_se_s, struct sipx_timer *out,
			  uint32_t *need_min_se);

/* As the UAC that asked asked_s (0: nothing), the timer the 2xx rs
 * grants into *out (interval 0: none, as RFC 4028 7.2 says). */
int  sipx_timer_answered(const struct sipx_timer_req *rs, uint32_t asked_s,
			 struct sipx_timer *out);

/* What t asks for elapsed_ms after the last refresh (or the answer);
 * refresh_sent: ours went out and awaits its answer. */
enum sipx_timer_due sipx_timer_due(const struct sipx_timer *t,
				   int64_t elapsed_ms, bool refresh_sent);

/* The 2xx's header lines for t ("Session-Expires: ...;refresher=...",
 * "Require: timer"), each ending in CRLF, or "" without a timer. */
int  sipx_timer_hdrs(const struct sipx_timer *t, char *buf, size_t n);

/* Sends an INVITE with our SDP offer to uri, From "from_name"
 * <from_uri>, the call named in an X-Hotline-Call header. */
int  sipx_sess_connect(struct sipsess **sessp, struct sipx *sx,
		       const char *uri, const char *from_name,
		       const char *from_uri, struct mbuf *sdp,
		       const struct sipx_sess_h *h, void *arg,
		       const char *call_id);

/* What an INVITE through a carrier's trunk adds to sipx_sess_connect's. */
struct sipx_dial {
	const char *username;        /* digest credentials for the carrier's */
	const char *password;        /* 401/407, or NULL: none */
	const char *headers;         /* more header lines, each ending in
				      * CRLF (P-Asserted-Identity, Privacy),
				      * or NULL */
};

/* sipx_sess_connect with d's credentials and headers. */
int  sipx_sess_dial(struct sipsess **sessp, struct sipx *sx,
		    const char *uri, const char *from_name,
		    const char *from_uri, struct mbuf *sdp,
		    const struct sipx_sess_h *h, void *arg,
		    const char *call_id, const struct sipx_dial *d);

/* Takes the INVITE msg into a session with a provisional answer (scode,
 * reason; sdp for early media, or NULL); the session timer agreed with
 * msg goes into *st (the endpoint answered 422 to what it refuses). */
int  sipx_sess_accept(struct sipsess **sessp, struct sipx *sx,
		      const struct sip_msg *msg, uint16_t scode,
		      const char *reason, struct mbuf *sdp,
		      const struct sipx_sess_h *h, void *arg,
		      struct sipx_timer *st);

/* Answers an accepted session: 200 OK with our SDP answer, and st's
 * Session-Expires (NULL: none). */
int  sipx_sess_answer(struct sipsess *sess, struct mbuf *sdp,
		      const struct sipx_timer *st);

/* The session timer msg, the 2xx to our INVITE, grants into *st. Our
 * INVITEs offer sx's interval (Supported: timer, Session-Expires). */
int  sipx_sess_granted(const struct sipx *sx, const struct sip_msg *msg,
		       struct sipx_timer *st);

/* Refreshes an established session (RFC 4028): a re-INVITE offering sdp
 * (libre 1.1.0 sends no UPDATE). Its answer reaches h->answer. */
int  sipx_sess_refresh(struct sipsess *sess, struct mbuf *sdp);

/* Sends a re-INVITE in sess's dialog with a new SDP offer (the media moved:
 * a new address or port); the answer comes to the session's answer
 * handler. */
int  sipx_sess_modify(struct sipsess *sess, struct mbuf *sdp);

/* The Call-ID of sess's dialog, or NULL when it has none yet. Points into
 * the session. */
const char *sipx_sess_call_id(const struct sipsess *sess);

/* Refuses an accepted session not yet answered with a final response. */
int  sipx_sess_reject(struct sipsess *sess, uint16_t scode,
		      const char *reason);

/* The SDP msg carries: its body when that is application/sdp (or has no
 * Content-Type), or the application/sdp part of a multipart/mixed body
 * (RFC 5621). ENOENT: no body; EPROTO: a body with no SDP in it. sdp
 * points into msg. */
int  sipx_sdp_body(const struct sip_msg *msg, struct pl *sdp);

/* Replies to a request outside any session (an INVITE refused, a REFER). */
int  sipx_reply(struct sipx *sx, const struct sip_msg *msg, uint16_t scode,
		const char *reason);

/* Accepts a REFER: 202 Accepted with our Contact. */
int  sipx_refer_accept(struct sipx *sx, const struct sip_msg *msg);

/* Ends a REFER's implicit subscription in sess's dialog: the one NOTIFY,
 * final, saying the transfer is done (sipfrag "200 OK"). */
int  sipx_refer_notify_done(struct sipx *sx, struct sipsess *sess,
			    uint32_t refer_cseq);

/* ---- requests to carriers (client.c) ---- */

/* An OPTIONS ping on its way. */
struct sipx_ping;

/* The ping's fate, once: answered (any response, scode its status) or
 * not within the timeout. */
typedef void (sipx_ping_h)(bool answered, uint16_t scode, void *arg);

/* Sends OPTIONS to uri ("sip:HOST:PORT;transport=udp"); h is called once,
 * answered or not within timeout_ms. *pp is the caller's: mem_deref()
 * before h cancels it and h is never called. */
int  sipx_ping(struct sipx_ping **pp, struct sipx *sx, const char *uri,
	       uint32_t timeout_ms, sipx_ping_h *h, void *arg);

/* A registration to a carrier. */
struct sipx_reg;

struct sipx_reg_conf {
	const char *registrar;       /* "sip:HOST:PORT;transport=udp" */
	const char *aor;             /* "sip:USER@HOST" */
	const char *contact_user;    /* our Contact's user part */
	const char *username;        /* digest credentials, or NULL */
	const char *password;
	uint32_t expires_s;
};

/* Each final answer to a REGISTER: scode 200 when registered, else the
 * refusal (err set when there was none: no answer). */
typedef void (sipx_reg_h)(int err, uint16_t scode, void *arg);

/* Registers (and re-registers before expiry) with the carrier; h hears
 * every final answer. *rp is the caller's: mem_deref() stops it (with an
 * un-REGISTER when registered). A caller retrying after a failure frees
 * the old one first. */
int  sipx_reg_start(struct sipx_reg **rp, struct sipx *sx,
		    const struct sipx_reg_conf *c, sipx_reg_h *h, void *arg);

#endif
