/* sip/listen: the SIP transports we listen on: UDP and TCP where --sip
 * says, and TLS where --sip-tls says, with the configured certificate.
 * libre's transports need a concrete address, so a wildcard host (0.0.0.0,
 * ::) means every address of that family on this machine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/log.h"
#include "base/util.h"
#include "sip/sipx_int.h"
#include <re_net.h>
#include <re_srtp.h>
#include <re_tls.h>

static const char *tp_word(enum sip_transp tp)
{
	static const char *const words[] = {
		[SIP_TRANSP_UDP] = "udp", [SIP_TRANSP_TCP] = "tcp",
		[SIP_TRANSP_TLS] = "tls",
	};
	return tp >= 0 && (size_t)tp < ARRAY_LEN(words) && words[tp] ?
		words[tp] : "?";
}

/* The transports one listening address carries: the plain pair, or TLS. */
static const enum sip_transp plain[] = {SIP_TRANSP_UDP, SIP_TRANSP_TCP};
static const enum sip_transp secure[] = {SIP_TRANSP_TLS};

struct bind {
	struct sipx *sx;
	const enum sip_transp *tps;
	size_t ntps;
	uint16_t port;
	int af;
	char *err;
	size_t n;
	int rc;
	unsigned bound;
	bool loopback;               /* this pass binds loopback addresses */
	struct sa first;             /* the first address bound */
};

static int bind_addr(struct bind *b, const struct sa *addr)
{
	for (size_t i = 0; i < b->ntps; i++) {
		int rc = b->tps[i] == SIP_TRANSP_TLS ?
			sip_transp_add(b->sx->sip, SIP_TRANSP_TLS, addr,
				       b->sx->tls) :
			sip_transp_add(b->sx->sip, b->tps[i], addr);
		if (rc) {
			re_snprintf(b->err, b->n, "cannot listen for SIP on "
				    "%J/%s: %s", addr, tp_word(b->tps[i]),
				    strerror(rc));
			return rc;
		}
	}
	if (!b->bound++)
		b->first = *addr;
	return 0;
}

static bool bind_if(const char *ifname, const struct sa *sa, void *arg)
{
	struct bind *b = arg;
	struct sa a = *sa;
	(void)ifname;

	if (sa_af(sa) != b->af || sa_is_linklocal(sa) ||
	    sa_is_loopback(sa) != b->loopback)
		return false;
	sa_set_port(&a, b->port);
	b->rc = bind_addr(b, &a);
	return b->rc != 0;
}

/* Binds what b names on listen; b->first is the address Contact headers
 * name: a routable one before loopback, hence the two passes. */
static int bind_listen(struct bind *b, const char *listen)
{
	char host[256];
	struct sa at;

	if (util_parse_hostport(listen, host, sizeof(host), &b->port) ||
	    sa_set_str(&at, host, b->port)) {
		snprintf(b->err, b->n, "bad SIP address '%s' (want HOST:PORT)",
			 listen);
		return EINVAL;
	}
	if (!sa_is_any(&at))
		return bind_addr(b, &at);
	b->af = sa_af(&at);
	net_if_apply(bind_if, b);
	b->loopback = true;
	if (!b->rc)
		net_if_apply(bind_if, b);
	if (!b->rc && !b->bound) {
		snprintf(b->err, b->n, "cannot listen for SIP on %s: no local "
			 "address", listen);
		return EADDRNOTAVAIL;
	}
	return b->rc;
}

int sipx_listen_plain(struct sipx *sx, char *err, size_t n)
{
	struct bind b = {.sx = sx, .tps = plain, .ntps = ARRAY_LEN(plain),
			 .err = err, .n = n};
	int rc = bind_listen(&b, sx->conf.listen);

	if (!rc)
		sx->laddr = b.first;
	return rc;
}

/* A certificate that cannot be read is told apart from one that is not a
 * certificate and key, since the fixes differ (a path or permissions; the
 * file's content). */
static int load_cert(struct sipx *sx, char *err, size_t n)
{
	const char *path = sx->conf.tls_cert;
	int rc;

	if (!path) {
		snprintf(err, n, "SIP over TLS (--sip-tls) needs a certificate "
			 "(--sip-tls-cert FILE.pem)");
		return EINVAL;
	}
	if (access(path, R_OK)) {
		rc = errno;
		snprintf(err, n, "cannot read the TLS certificate %s: %s", path,
			 strerror(rc));
		return rc;
	}
	rc = tls_alloc(&sx->tls, TLS_METHOD_SSLV23, path, NULL);
	if (rc) {
		snprintf(err, n, "the TLS certificate %s holds no usable "
			 "certificate and private key (want PEM, both in one "
			 "file)", path);
		return EINVAL;
	}
	return 0;
}

int sipx_listen_tls(struct sipx *sx, char *err, size_t n)
{
	struct bind b = {.sx = sx, .tps = secure, .ntps = ARRAY_LEN(secure),
			 .err = err, .n = n};
	int rc;

	if (!sx->conf.tls_listen)
		return 0;
	rc = load_cert(sx, err, n);
	return rc ? rc : bind_listen(&b, sx->conf.tls_listen);
}

bool sipx_tls_on(const struct sipx *sx)
{
	return sx && sx->tls;
}
