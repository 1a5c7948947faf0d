/* sip/endpoint: the SIP stack on UDP and TCP, the first look at every
 * request, and the methods table.
 *
 * Our listener is registered before sipsess's, so every new request that
 * libre's transaction layer did not absorb as a retransmission passes here
 * first: banned sources are dropped, broken requests answered 400 (413 when
 * too big), REGISTER and OPTIONS answered, and the dialog methods passed on
 * to sipsess (new INVITEs then reach the call module's handler). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "base/log.h"
#include "base/util.h"
#include "sip/sipx_int.h"

#ifndef HOTLINE_VERSION
#define HOTLINE_VERSION "0.1.0"
#endif

enum {
	SWEEP_MS = 1000,
	/* Bodies here are SDP of a few hundred bytes; nothing we take needs
	 * more. Below us libre reads UDP datagrams into 8 KB (a longer one is
	 * cut, fails to parse and is dropped) and closes a TCP connection
	 * holding more than 64 KB of unparsed input. */
	MAX_BODY = 8192,
	/* libre's transaction tables (powers of 2). A finished transaction
	 * stays up to 32 s (Timers D, J) to absorb retransmissions, so at
	 * 1,000 set-ups a second some 100,000 sit in them, and every message
	 * is matched by a walk of its bucket: 32 buckets made that walk
	 * thousands long (issue 18). */
	HT_CTRANS = 16384,
	HT_STRANS = 16384,
	HT_TCPCONN = 256,
	HT_SESS = 4096,              /* live dialogs and pending ACKs */
};

#define ALLOW "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO, REFER, NOTIFY"

static const struct sipx_ban_conf ban_conf = {
	.max_failures = 10, .window_ms = 60000, .ban_ms = 300000,
	.max_sources = 65536,
};

void sipx_conf_default(struct sipx_conf *conf)
{
	if (!conf)
		return;
	memset(conf, 0, sizeof(*conf));
	conf->listen = "0.0.0.0:5060";
	conf->realm = "hotline";
	conf->min_expires_s = 60;
	conf->max_expires_s = 3600;
	conf->default_expires_s = 3600;
	conf->max_contacts = 5;
	conf->session_expires_s = 1800;
	conf->min_se_s = 90;        /* RFC 4028 4: never less in the wild */
	conf->keepalive_s = 25;     /* under the 30 s many NATs keep UDP */
	conf->keepalive_misses = 3;
	conf->udp_rcvbuf = 8u << 20;  /* ~6,000 queued SIP datagrams */
}

static void options(struct sipx *sx, const struct sip_msg *msg)
{
	(void)sip_treplyf(NULL, NULL, sx->sip, msg, false, 200, "OK",
			  "Allow: " ALLOW "\r\n"
			  "Accept: application/sdp\r\n"
			  "Accept-Encoding: identity\r\n"
			  "Content-Length: 0\r\n\r\n");
}

static void do_register(struct sipx *sx, const struct sip_msg *msg)
{
	if (!sx->started) {
		(void)sip_treply(NULL, sx->sip, msg, 503, "Service Unavailable");
		return;
	}
	sipx_register(sx, msg);
}

/* Methods SIP defines that we do not take: 405. Any other is one we do not
 * know at all: 501 (RFC 3261 21.5.2; RFC 4475 3.1.1.2). */
static const char *const known[] = {
	"SUBSCRIBE", "PUBLISH", "MESSAGE", "UPDATE", "PRACK",
};

static void not_allowed(struct sipx *sx, const struct sip_msg *msg)
{
	bool is_known = false;

	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		is_known |= !pl_strcmp(&msg->met, known[i]);
	(void)sip_treplyf(NULL, NULL, sx->sip, msg, false,
			  is_known ? 405 : 501, is_known ?
			  "Method Not Allowed" : "Not Implemented",
			  "Allow: " ALLOW "\r\nContent-Length: 0\r\n\r\n");
}

/* What each method gets. NULL: sipsess's (dialogs, new INVITEs). */
static const struct method {
	const char *name;
	void (*h)(struct sipx *sx, const struct sip_msg *msg);
} methods[] = {
	{"REGISTER", do_register},
	{"OPTIONS",  options},
	{"INVITE",   NULL},
	{"ACK",      NULL},
	{"BYE",      NULL},
	{"CANCEL",   NULL},
	{"INFO",     NULL},
	{"REFER",    NULL},
	{"NOTIFY",   NULL},
};

/* The reason a request cannot be handled, or NULL; *scode is set. */
static const char *broken(const struct sip_msg *msg, uint16_t *scode)
{
	size_t body = mbuf_get_left(msg->mb);
	uint64_t clen;

	*scode = 400;
	if (!pl_isset(&msg->from.auri))
		return "Missing From header";
	if (!pl_isset(&msg->to.auri))
		return "Missing To header";
	if (!pl_isset(&msg->callid))
		return "Missing Call-ID header";
	if (!pl_isset(&msg->cseq.met))
		return "Missing CSeq header";
	if (pl_cmp(&msg->cseq.met, &msg->met))
		return "CSeq method does not match the request";
	if (!pl_isset(&msg->via.branch))
		return "Missing Via branch";
	if (pl_isset(&msg->clen)) {
		char buf[24];

		if (msg->clen.l >= sizeof(buf))
			return "Bad Content-Length";
		pl_strcpy(&msg->clen, buf, sizeof(buf));
		if (util_parse_u64(buf, 0, UINT32_MAX, &clen))
			return "Bad Content-Length";
		if (clen > MAX_BODY) {
			*scode = 413;
			return "Request Entity Too Large";
		}
		if (clen > body)
			return "Content-Length exceeds the message";
	}
	else if (msg->tp != SIP_TRANSP_UDP) {
		return "Missing Content-Length";
	}
	if (body > MAX_BODY) {
		*scode = 413;
		return "Request Entity Too Large";
	}
	return NULL;
}

/* A ban refuses new requests only: a request in a dialog (To tag), an ACK
 * or a CANCEL belongs to a call already let in, and dropping it would
 * strand that call (its BYE lost, the caller unable to hang up). */
static bool banned(const struct sipx *sx, const struct sip_msg *msg)
{
	char user[SIPX_EXT_SZ] = "";

	if (pl_isset(&msg->to.tag) || !pl_strcmp(&msg->met, "ACK") ||
	    !pl_strcmp(&msg->met, "CANCEL"))
		return false;
	if (msg->from.uri.user.l < sizeof(user))
		pl_strcpy(&msg->from.uri.user, user, sizeof(user));
	return sipx_ban_check(sx->ban, &msg->src, user, util_now_ms());
}

static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct sipx *sx = arg;
	char hdr[256];
	const char *why;
	uint16_t scode;

	if (sipx_raw_take(sx, msg) || banned(sx, msg))
		return true;
	/* Without a Via there is nowhere to send an answer. */
	if (!pl_isset(&msg->via.sentby))
		return true;
	why = broken(msg, &scode);
	if (why) {
		char src[64];

		re_snprintf(src, sizeof(src), "%J", &msg->src);
		log_info("sip.bad_request", "src=%s status=%u reason=\"%s\"",
			 src, scode, why);
		if (pl_strcmp(&msg->met, "ACK"))
			(void)sip_reply(sx->sip, msg, scode, why);
		return true;
	}
	why = sipx_check(msg, &scode, hdr, sizeof(hdr));
	if (why) {
		log_info("sip.refused", "status=%u reason=\"%s\"", scode, why);
		if (pl_strcmp(&msg->met, "ACK"))
			(void)sip_treplyf(NULL, NULL, sx->sip, msg, false, scode,
					  why, "%sContent-Length: 0\r\n\r\n",
					  hdr);
		return true;
	}
	for (size_t i = 0; i < ARRAY_LEN(methods); i++) {
		if (pl_strcmp(&msg->met, methods[i].name))
			continue;
		if (!methods[i].h)
			return false;
		methods[i].h(sx, msg);
		return true;
	}
	not_allowed(sx, msg);
	return true;
}

/* RFC 4028 9: an interval under our Min-SE is refused with ours. */
static bool timer_refused(struct sipx *sx, const struct sip_msg *msg)
{
	struct sipx_timer_req rq;
	struct sipx_timer st;
	uint32_t min_se;
	int err = sipx_timer_read(msg, &rq);

	if (err == EBADMSG) {
		(void)sip_reply(sx->sip, msg, 400, "Bad Session-Expires or Min-SE");
		return true;
	}
	if (sipx_timer_negotiate(&rq, sx->conf.session_expires_s,
				 sx->conf.min_se_s, &st, &min_se) != ERANGE)
		return false;
	log_info("sip.refused", "status=422 reason=\"Session Interval Too "
		 "Small\" session_expires=%u min_se=%u", rq.se_s, min_se);
	(void)sip_treplyf(NULL, NULL, sx->sip, msg, false, 422,
			  "Session Interval Too Small",
			  "Min-SE: %u\r\nContent-Length: 0\r\n\r\n", min_se);
	return true;
}

static void conn_handler(const struct sip_msg *msg, void *arg)
{
	struct sipx *sx = arg;

	if (timer_refused(sx, msg))
		return;
	if (sx->inviteh)
		sx->inviteh(msg, sx->invite_arg);
	else
		(void)sip_treply(NULL, sx->sip, msg, 480,
				 "Temporarily Unavailable");
}

static void sweep(void *arg)
{
	struct sipx *sx = arg;
	int64_t now = util_now_ms();

	tmr_start(&sx->sweep_tmr, SWEEP_MS, sweep, sx);
	sipx_loc_expire(sx->loc, now, sipx_register_changed, sx);
	sipx_ban_sweep(sx->ban, now);
	sipx_ka_sweep(sx->ka, now);
}

static void destructor(void *arg)
{
	struct sipx *sx = arg;

	tmr_cancel(&sx->sweep_tmr);
	tmr_cancel(&sx->restored_tmr);
	list_flush(&sx->lost);
	mem_deref(sx->ka);           /* its requests, before the stack */
	mem_deref(sx->sess_sock);
	mem_deref(sx->lsnr);
	sip_close(sx->sip, true);
	mem_deref(sx->sip);
	mem_deref(sx->tls);
	mem_deref(sx->loc);
	mem_deref(sx->ban);
	hash_flush(sx->exts);
	mem_deref(sx->exts);
}

int sipx_alloc(struct sipx **sxp, const struct sipx_conf *conf,
	       char *err, size_t n)
{
	struct sipx *sx;
	int rc;

	if (!sxp || !conf || !conf->listen || !conf->realm ||
	    !conf->max_contacts || !conf->min_expires_s ||
	    conf->min_expires_s > conf->max_expires_s) {
		snprintf(err, n, "bad SIP settings");
		return EINVAL;
	}
	if (sodium_init() < 0) {
		snprintf(err, n, "cannot initialise libsodium");
		return ENOSYS;
	}
	sx = mem_zalloc(sizeof(*sx), destructor);
	if (!sx)
		return ENOMEM;
	sx->conf = *conf;
	if (util_strlcpy(sx->realm, conf->realm, sizeof(sx->realm)) ||
	    util_strlcpy(sx->listen, conf->listen, sizeof(sx->listen))) {
		snprintf(err, n, "SIP realm or address too long");
		rc = EINVAL;
		goto out;
	}
	sx->conf.realm = sx->realm;
	sx->conf.listen = sx->listen;
	if (util_strlcpy(sx->tls_listen, conf->tls_listen ?
			 conf->tls_listen : "", sizeof(sx->tls_listen)) ||
	    util_strlcpy(sx->tls_cert, conf->tls_cert ? conf->tls_cert : "",
			 sizeof(sx->tls_cert))) {
		snprintf(err, n, "SIP TLS address or certificate path too long");
		rc = EINVAL;
		goto out;
	}
	sx->conf.tls_listen = sx->tls_listen[0] ? sx->tls_listen : NULL;
	sx->conf.tls_cert = sx->tls_cert[0] ? sx->tls_cert : NULL;
	randombytes_buf(sx->nonce_key, sizeof(sx->nonce_key));

	rc = sip_alloc(&sx->sip, NULL, HT_CTRANS, HT_STRANS, HT_TCPCONN,
		       "hotline/" HOTLINE_VERSION, NULL, NULL);
	rc = rc ? rc : sipx_ban_alloc(&sx->ban, &ban_conf);
	rc = rc ? rc : sipx_loc_alloc(&sx->loc, conf->max_contacts);
	rc = rc ? rc : sipx_ka_alloc(&sx->ka, sx);
	rc = rc ? rc : hash_alloc(&sx->exts, 256);
	if (rc) {
		snprintf(err, n, "cannot set up SIP: %s", strerror(rc));
		goto out;
	}
	rc = sipx_listen_plain(sx, err, n);
	rc = rc ? rc : sipx_listen_tls(sx, err, n);
	if (rc)
		goto out;
	rc = sip_listen(&sx->lsnr, sx->sip, true, request_handler, sx);
	rc = rc ? rc : sipsess_listen(&sx->sess_sock, sx->sip, HT_SESS,
				      conn_handler, sx);
	if (rc) {
		snprintf(err, n, "cannot set up SIP: %s", strerror(rc));
		goto out;
	}
	tmr_start(&sx->sweep_tmr, SWEEP_MS, sweep, sx);
	rc = sipx_raw_probe(sx);
	if (rc)
		log_warn("sip.probe_failed", "err=%s", strerror(rc));
	rc = 0;
	log_debug("sip.listen", "addr=%s transports=udp,tcp tls=%s realm=%s",
		 sx->listen, sx->tls ? sx->conf.tls_listen : "off",
		 sx->realm);
out:
	if (rc)
		mem_deref(sx);
	else
		*sxp = sx;
	return rc;
}

struct sip *sipx_sip(const struct sipx *sx)
{
	return sx ? sx->sip : NULL;
}

struct sipsess_sock *sipx_sess_sock(const struct sipx *sx)
{
	return sx ? sx->sess_sock : NULL;
}

void sipx_set_invite_handler(struct sipx *sx, sipx_invite_h *h, void *arg)
{
	if (!sx)
		return;
	sx->inviteh = h;
	sx->invite_arg = arg;
}

bool sipx_has_extension(const struct sipx *sx, const char *ext)
{
	const struct sipx_ext *e = sx && ext ? sipx_store_ext(sx, ext) : NULL;
	return e && e->enabled;
}

bool sipx_ext_exists(const struct sipx *sx, const char *ext)
{
	return sx && ext && sipx_store_ext(sx, ext) != NULL;
}

bool sipx_is_loopback(const struct sa *src)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					   0xff, 0xff};
	const uint8_t *a6;

	if (!src)
		return false;
	if (sa_af(src) == AF_INET)
		return (ntohl(src->u.in.sin_addr.s_addr) >> 24) == 127;
	if (sa_af(src) != AF_INET6)
		return false;
	a6 = src->u.in6.sin6_addr.s6_addr;
	return IN6_IS_ADDR_LOOPBACK(&src->u.in6.sin6_addr) ||
		(!memcmp(a6, mapped, sizeof(mapped)) && a6[12] == 127);
}

void sipx_set_trunk_check(struct sipx *sx, sipx_trunk_h *h, void *arg)
{
	if (!sx)
		return;
	sx->trunkh = h;
	sx->trunk_arg = arg;
}

void sipx_set_trunk_creds(struct sipx *sx, sipx_trunk_cred_h *h, void *arg)
{
	if (!sx)
		return;
	sx->credh = h;
	sx->cred_arg = arg;
}

bool sipx_trusted_source(const struct sipx *sx, const struct sa *src)
{
	return sx && src &&
		((sx->conf.trust_loopback && sipx_is_loopback(src)) ||
		 (sx->trunkh && sx->trunkh(src, sx->trunk_arg)));
}

bool sipx_is_trunk(const struct sipx *sx, const struct sip_msg *msg)
{
	char from[SIPX_EXT_SZ];

	if (!sx || !msg || !sipx_trusted_source(sx, &msg->src))
		return false;
	if (!msg->from.uri.user.l || msg->from.uri.user.l >= sizeof(from))
		return true;
	pl_strcpy(&msg->from.uri.user, from, sizeof(from));
	return sipx_store_ext(sx, from) == NULL;
}

int sipx_laddr(const struct sipx *sx, enum sip_transp tp, struct sa *laddr)
{
	if (!sx || !laddr)
		return EINVAL;
	return sip_transp_laddr(sx->sip, laddr, tp, NULL);
}

/* A phone registered over TLS is called over the connection it registered
 * on (its REGISTER's source: libre reuses a connection open to that
 * address): a phone rarely has a certificate of its own to take a new TLS
 * connection with, and behind NAT it could not be reached at all. */
static int flow_target(const struct uri *u, const struct sipx_contact *ct,
		       char *out, size_t n)
{
	bool has_tp = 0 == re_regex(u->params.p, u->params.l,
				    ";transport=[^;]+", NULL);
	int len = re_snprintf(out, n, "%r:%r%s%J%r%s", &u->scheme, &u->user,
			      pl_isset(&u->user) ? "@" : "", &ct->source,
			      &u->params, has_tp ? "" : ";transport=tls");

	return len < 0 || (size_t)len >= n ? ENOSPC : 0;
}

/* A phone behind NAT registers a Contact with its private address, which
 * nobody outside can reach; its REGISTER came from the NAT's public
 * address and port (rport/received, RFC 3581), where the binding stays
 * open. So a request goes to that source whenever it differs from the
 * Contact's host and port; the URI keeps its user and parameters. */
int sipx_contact_target(const struct sipx_contact *ct, char *out, size_t n)
{
	struct uri u;
	struct pl pl;
	struct sa at;
	int len;

	if (!ct || !out || !n)
		return EINVAL;
	pl_set_str(&pl, ct->uri);
	if (uri_decode(&u, &pl) || !sa_isset(&ct->source, SA_ALL))
		goto as_is;
	if (ct->tp == SIP_TRANSP_TLS)
		return flow_target(&u, ct, out, n);
	/* Only another address means NAT: a phone that registers from one
	 * socket and listens on another (sipp, some desk phones) names its
	 * own host, and rewriting its port would ring the wrong socket. A
	 * Contact naming a host by name is taken as the phone wrote it. */
	if (sa_set(&at, &u.host, u.port ? u.port : 5060) ||
	    sa_cmp(&at, &ct->source, SA_ADDR))
		goto as_is;
	len = re_snprintf(out, n, "%r:%r%s%J%r", &u.scheme, &u.user,
			  pl_isset(&u.user) ? "@" : "", &ct->source, &u.params);
	return len < 0 || (size_t)len >= n ? ENOSPC : 0;
as_is:
	return util_strlcpy(out, ct->uri, n);
}

int sipx_contacts(const struct sipx *sx, const char *ext,
		  struct sipx_contact *v, size_t max, size_t *n)
{
	if (!sx || !ext || (!v && max) || !n)
		return EINVAL;
	*n = sipx_loc_get(sx->loc, ext, v, max);
	return 0;
}
