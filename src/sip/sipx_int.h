/* sipx internals shared by the files of src/sip/ (and their unit tests).
 * digest.c, ban.c and location.c are pure: time comes in as now_ms. */
#ifndef HL_SIP_SIPX_INT_H
#define HL_SIP_SIPX_INT_H

#include <re_types.h>
#include <re_fmt.h>
#include <re_mbuf.h>
#include <re_msg.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_uri.h>
#include <re_sip.h>
#include <re_sipsess.h>
#include <re_hash.h>
#include <re_httpauth.h>
#include <re_md5.h>
#include <re_mem.h>
#include <re_sys.h>
#include <re_tmr.h>
#include <re_sipreg.h>
#include "sip/sipx.h"

/* ---- digest.c: RFC 2617 / 7616 digest (MD5) and stateless nonces ---- */

enum {
	SIPX_NONCE_KEY_SZ  = 32,
	SIPX_NONCE_SZ      = 66,        /* 65 characters and the NUL */
	SIPX_NONCE_LIFE_MS = 300000,    /* older nonces are stale */
};

/* Credentials from one Authorization header, as C strings. */
struct sipx_cred {
	char username[SIPX_EXT_SZ];
	char realm[64];
	char nonce[SIPX_NONCE_SZ + 14];  /* room to see that one is too long */
	char uri[SIPX_URI_SZ];
	char response[40];
	char cnonce[128];
	char nc[16];
	char qop[16];
};

enum sipx_nonce_state {
	SIPX_NONCE_OK,       /* ours, signed, younger than SIPX_NONCE_LIFE_MS */
	SIPX_NONCE_STALE,    /* ours and signed, but too old */
	SIPX_NONCE_BAD,      /* not ours: malformed, tampered, from the future */
};

/* Writes the response digest (RFC 2617 3.2.2.1) for ha1 (hex). qop is NULL
 * or "" for the RFC 2069 form, else "auth" with nc and cnonce. */
int  sipx_digest_response(const char *ha1, const char *method,
			  const char *uri, const char *nonce, const char *nc,
			  const char *cnonce, const char *qop,
			  char out[SIPX_HA1_SZ]);

/* Parses a Digest Authorization header value; EBADMSG when a required
 * parameter is missing or a value does not fit. */
int  sipx_cred_decode(struct sipx_cred *cred, const struct pl *hval);

/* True when cred's response matches ha1 for method (constant time). */
bool sipx_cred_verify(const struct sipx_cred *cred, const char *ha1,
		      const char *method);

/* Makes a nonce signed with key for time now_ms and attempt (0 or 1). */
void sipx_nonce_make(const uint8_t key[SIPX_NONCE_KEY_SZ], int64_t now_ms,
		     unsigned attempt, char out[SIPX_NONCE_SZ]);

/* Checks a nonce against key at now_ms; *attempt is set when not BAD. */
enum sipx_nonce_state sipx_nonce_check(const uint8_t key[SIPX_NONCE_KEY_SZ],
				       const char *nonce, int64_t now_ms,
				       unsigned *attempt);

/* ---- ban.c: sources that fail authentication too often ---- */

struct sipx_ban;

struct sipx_ban_conf {
	uint32_t max_failures;   /* this many ... */
	int64_t  window_ms;      /* ... within this window ... */
	int64_t  ban_ms;         /* ... ban the source for this long */
	uint32_t max_sources;    /* tracked at once; beyond, failures are not */
};

/* *bp is the caller's (mem_deref). */
int  sipx_ban_alloc(struct sipx_ban **bp, const struct sipx_ban_conf *conf);

/* Counts one failure from the address ip (port ignored) under user: NULL
 * or "" counts against the whole address, a name against that name at
 * that address only. True when this failure starts a ban (so the caller
 * logs it once). */
bool sipx_ban_fail(struct sipx_ban *b, const struct sa *ip, const char *user,
		   int64_t now_ms);

/* True while ip is banned as a whole, or user (NULL: none) at ip is. */
bool sipx_ban_check(const struct sipx_ban *b, const struct sa *ip,
		    const char *user, int64_t now_ms);

/* Forgets sources whose ban ended and whose failures left the window. */
void sipx_ban_sweep(struct sipx_ban *b, int64_t now_ms);

/* Number of sources tracked (banned or with recent failures). */
uint32_t sipx_ban_count(const struct sipx_ban *b);

/* ---- location.c: bindings per extension (RFC 3261 10.3) ---- */

struct sipx_loc;

enum sipx_loc_why {
	SIPX_LOC_NEW,          /* a contact not bound before */
	SIPX_LOC_REFRESH,      /* a bound contact registered again */
	SIPX_LOC_UNREGISTER,   /* removed by the phone (expires 0 or '*') */
	SIPX_LOC_EXPIRED,      /* removed because its time ran out */
	SIPX_LOC_REPLACED,     /* removed to make room for a new contact */
	SIPX_LOC_KEEPALIVE,    /* removed: its keep-alives went unanswered */
};

/* Told of every change; c is valid during the call only, left counts the
 * extension's bindings after the change. */
typedef void (sipx_loc_h)(const char *ext, const struct sipx_contact *c,
			  enum sipx_loc_why why, uint32_t left, void *arg);

/* An empty table holding at most max_contacts bindings per extension; *lp
 * is the caller's (mem_deref). */
int  sipx_loc_alloc(struct sipx_loc **lp, uint32_t max_contacts);

/* Binds c->uri for ext, or refreshes that binding with c's fields. When the
 * extension is full, the binding expiring soonest gives way (REPLACED). */
int  sipx_loc_bind(struct sipx_loc *l, const char *ext,
		   const struct sipx_contact *c, sipx_loc_h *h, void *arg);

/* Removes ext's binding for uri; ENOENT when there is none. */
int  sipx_loc_unbind(struct sipx_loc *l, const char *ext, const char *uri,
		     sipx_loc_h *h, void *arg);

/* Removes ext's binding for uri, telling h why; ENOENT when none. */
int  sipx_loc_remove(struct sipx_loc *l, const char *ext, const char *uri,
		     enum sipx_loc_why why, sipx_loc_h *h, void *arg);

/* Removes every binding of ext (Contact: *). */
void sipx_loc_unbind_all(struct sipx_loc *l, const char *ext,
			 sipx_loc_h *h, void *arg);

/* Removes every binding with expires_at_ms <= now_ms (EXPIRED). */
void sipx_loc_expire(struct sipx_loc *l, int64_t now_ms,
		     sipx_loc_h *h, void *arg);

/* ext's binding for uri, or NULL. */
const struct sipx_contact *sipx_loc_find(const struct sipx_loc *l,
					 const char *ext, const char *uri);

/* Copies up to max of ext's bindings, latest expiry first. */
size_t sipx_loc_get(const struct sipx_loc *l, const char *ext,
		    struct sipx_contact *v, size_t max);

/* How many bindings ext has. */
size_t sipx_loc_count(const struct sipx_loc *l, const char *ext);

/* Calls h(ext, c, SIPX_LOC_NEW, n) for every binding. */
void sipx_loc_apply(const struct sipx_loc *l, sipx_loc_h *h, void *arg);

/* ---- store.c: extensions and registrations in the database ---- */

struct sipx_ext {
	struct le he;
	char ext[SIPX_EXT_SZ];
	char ha1[SIPX_HA1_SZ];
	char realm[SIPX_REALM_SZ];   /* the realm ha1 was made for */
	char display_name[SIPX_NAME_SZ];
	bool enabled;
};

int  sipx_store_load_exts(struct sipx *sx);
/* 1..32 of [0-9A-Za-z._-]: a SIP user part and a URL segment as is. */
bool sipx_store_ext_valid(const char *ext);
const struct sipx_ext *sipx_store_ext(const struct sipx *sx, const char *ext);
/* Creates or changes ext in memory; realm NULL: the endpoint's. */
int  sipx_store_put_ext(struct sipx *sx, const char *ext, const char *ha1,
			const char *realm, const char *display_name,
			bool enabled);
/* The realm to challenge msg with: that of the extension it names (To
 * for a REGISTER, From otherwise), else the endpoint's. */
const char *sipx_store_realm_for(const struct sipx *sx,
				 const struct sip_msg *msg);
int  sipx_store_restore(struct sipx *sx, int64_t now_ms);
void sipx_store_save(struct sipx *sx, const char *ext,
		     const struct sipx_contact *c);
void sipx_store_delete(struct sipx *sx, const char *ext, const char *uri);
const char *sipx_store_tp_name(enum sip_transp tp);

/* ---- keepalive.c: keep-alives to phones behind NAT (RFC 5626 spirit) ---- */

struct sipx_ka;

/* True when c needs keep-alives: its REGISTER came from another address
 * than its Contact names (NAT), or its Contact asks for outbound (;ob). */
bool sipx_ka_wanted(const struct sipx_contact *c);

/* The keep-alive table of sx; *kp is the caller's (mem_deref). */
int  sipx_ka_alloc(struct sipx_ka **kp, struct sipx *sx);

/* Keeps ext's binding c alive from due_ms on (a new or refreshed binding:
 * misses start again), or forgets it when it needs no keep-alives. */
void sipx_ka_track(struct sipx_ka *k, const char *ext,
		   const struct sipx_contact *c, int64_t due_ms);

/* Forgets ext's binding for uri (it ended). */
void sipx_ka_forget(struct sipx_ka *k, const char *ext, const char *uri);

/* Once a tick: OPTIONS to the bindings due (a bounded batch), and the
 * binding of a phone that left keepalive_misses of them unanswered in a
 * row removed (SIPX_LOC_KEEPALIVE). */
void sipx_ka_sweep(struct sipx_ka *k, int64_t now_ms);

/* How many bindings are kept alive. */
uint32_t sipx_ka_count(const struct sipx_ka *k);

/* ---- the endpoint ---- */

struct sipx {
	struct sipx_conf conf;
	char realm[SIPX_REALM_SZ];
	char listen[300];
	char tls_listen[300];        /* "" when there is no TLS listener */
	char tls_cert[1024];
	struct tls *tls;             /* the TLS context, or NULL */
	struct sip *sip;
	struct sip_lsnr *lsnr;
	struct sipsess_sock *sess_sock;
	struct sipx_ban *ban;
	struct sipx_loc *loc;
	struct sipx_ka *ka;          /* keep-alives of NATed bindings */
	struct hash *exts;           /* struct sipx_ext by name */
	struct db *db;               /* not a reference: outlives sx */
	struct bus *bus;             /* not a reference: outlives sx */
	struct tmr sweep_tmr;        /* expiry of bindings and bans */
	struct tmr restored_tmr;     /* publishes restored bindings once */
	struct list lost;            /* restored rows whose flow is gone,
				      * published with them, then freed */
	sipx_invite_h *inviteh;
	void *invite_arg;
	sipx_trunk_h *trunkh;        /* is a source a trunk's (trunk/) */
	void *trunk_arg;
	sipx_trunk_cred_h *credh;    /* a trunk's digest password (trunk/) */
	void *cred_arg;
	uint8_t nonce_key[SIPX_NONCE_KEY_SZ];
	struct sa laddr;
	char probe_id[32];           /* Call-ID of raw.c's probe */
	bool started;
};

/* check.c: the reason a new request must be refused by what RFC 3261 asks
 * and libre's parser does not check (RFC 4475), or NULL. *scode is the
 * status; hdr (n bytes) gets the header lines the answer carries
 * ("Unsupported: ..." for 420, "Accept: ..." for 415), or "". */
const char *sipx_check(const struct sip_msg *msg, uint16_t *scode,
		       char *hdr, size_t n);

/* listen.c: binds conf.listen for UDP and TCP (a wildcard host: every
 * local address of its family) and sets sx->laddr; a one-line reason in
 * err on failure. */
int  sipx_listen_plain(struct sipx *sx, char *err, size_t n);

/* listen.c: when conf.tls_listen is set, loads conf.tls_cert into sx->tls
 * and binds TLS there; 0 and nothing done when it is not. ENOENT/EACCES
 * for a certificate file that cannot be read, EINVAL for one without a
 * usable certificate and key. */
int  sipx_listen_tls(struct sipx *sx, char *err, size_t n);

/* raw.c: puts the helper that answers what libre cannot parse on the UDP
 * socket msg came in on, once; true when msg is our own probe (dropped). */
bool sipx_raw_take(struct sipx *sx, const struct sip_msg *msg);

/* sockbuf.c: gives UDP socket us the receive queue of sip.udp_rcvbuf
 * (both address families), logging when the kernel grants less. */
struct udp_sock;
void sipx_sockbuf_apply(const struct sipx *sx, struct udp_sock *us);

/* raw.c: sends the probe that shows sipx_raw_take the socket of laddr. */
int  sipx_raw_probe(struct sipx *sx);

/* endpoint.c: true when src is a source whose calls come in without
 * authentication (a trunk; in the demo, loopback). */
bool sipx_trusted_source(const struct sipx *sx, const struct sa *src);

/* auth.c: sends a 401 with a fresh nonce for attempt (0 or 1). */
int  sipx_challenge(struct sipx *sx, const struct sip_msg *msg,
		    unsigned attempt, bool stale);

/* auth.c: authenticate as extension `want` (NULL: any), replying on
 * failure; 0 or EACCES as sipx_authenticate. */
int  sipx_auth_as(struct sipx *sx, const struct sip_msg *msg,
		  const char *want, char ext[SIPX_EXT_SZ]);

/* auth.c: counts a failure against msg's source, logging a new ban. */
void sipx_auth_failed(struct sipx *sx, const struct sip_msg *msg,
		      const char *why);

/* register.c: the expiry granted for one contact, in seconds: its
 * expires parameter, else the Expires header, else the default; capped at
 * the maximum. 0 removes the binding. ERANGE: non-zero but under the
 * minimum (the caller answers 423); EINVAL: not a number. */
int  sipx_expiry(const struct sipx_conf *conf, const struct pl *param,
		 const struct pl *hdr, uint32_t *granted);

/* register.c: answers one REGISTER. */
void sipx_register(struct sipx *sx, const struct sip_msg *msg);

/* register.c: the location table's change handler (persist + publish). */
void sipx_register_changed(const char *ext, const struct sipx_contact *c,
			   enum sipx_loc_why why, uint32_t left, void *arg);

#endif
