/* sip/auth: digest authentication of requests from extensions (and from
 * trunks that prove themselves by digest), and the failure accounting
 * behind the ban list.
 *
 * The rule for wrong passwords, stateless thanks to the attempt number
 * signed into each nonce (digest.c):
 *   no credentials for our realm        → 401, nonce of attempt 0
 *   credentials with a nonce not ours   → 401, nonce of attempt 0
 *   right password, stale nonce         → 401 stale=true (no failure)
 *   wrong password, nonce of attempt 0  → 401, nonce of attempt 1
 *   wrong password, nonce of attempt 1  → 403 Forbidden
 *   unknown or disabled user, or a user
 *   other than the one required        → 403 Forbidden
 * The realm is the one the named extension's HA1 was made for (store.c),
 * so changing sip.realm locks no phone out.
 * So a phone that cached an old nonce or realm gets one more try, and a
 * wrong password ends in 403 on the second answer. Every wrong password and
 * unknown user counts as one failure of the source address; ten within a
 * minute ban the address for five minutes (ban.c), logged once as
 * "sip.ban". A client that keeps replaying a nonce of attempt 0 keeps
 * getting 401, and is banned by the count just the same. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "base/log.h"
#include "base/util.h"
#include "sip/sipx_int.h"

enum cred_find { CRED_NONE, CRED_FOUND, CRED_BAD };

int sipx_challenge(struct sipx *sx, const struct sip_msg *msg,
		   unsigned attempt, bool stale)
{
	char nonce[SIPX_NONCE_SZ];

	sipx_nonce_make(sx->nonce_key, util_now_ms(), attempt, nonce);
	return sip_treplyf(NULL, NULL, sx->sip, msg, false, 401,
			   "Unauthorized",
			   "WWW-Authenticate: Digest realm=\"%s\", "
			   "nonce=\"%s\", algorithm=MD5, qop=\"auth\"%s\r\n"
			   "Content-Length: 0\r\n\r\n",
			   sipx_store_realm_for(sx, msg), nonce,
			   stale ? ", stale=true" : "");
}

void sipx_auth_failed(struct sipx *sx, const struct sip_msg *msg,
		      const char *why)
{
	char ip[64] = "";
	char user[SIPX_EXT_SZ] = "";

	/* From names the extension that claims to send, REGISTER or not. */
	sa_ntop(&msg->src, ip, sizeof(ip));
	if (msg->from.uri.user.l < sizeof(user))
		pl_strcpy(&msg->from.uri.user, user, sizeof(user));
	log_info("sip.auth_failed", "ip=%s user=%s reason=\"%s\"", ip, user, why);
	/* A trusted source (a trunk, or loopback in the demo) carries many
	 * callers: a mistyped password there bans that user at that address,
	 * never the trunk's calls (fact 4 of sipx.h). */
	const char *key = !sipx_trusted_source(sx, &msg->src) ? NULL :
		user[0] ? user : "anonymous";

	if (sipx_ban_fail(sx->ban, &msg->src, key, util_now_ms()))
		log_warn("sip.ban", "ip=%s user=%s failures=10 window_s=60 "
			 "ban_s=300", ip, key ? key : "*");
}

struct find {
	const char *realm;          /* the one msg is challenged with */
	struct sipx_cred *cred;
	enum cred_find res;
};

static bool cred_of_realm(const struct sip_hdr *hdr, const struct sip_msg *msg,
			  void *arg)
{
	struct find *f = arg;
	struct pl scheme = PL("Digest ");

	(void)msg;
	/* Another scheme is no credentials of ours (RFC 4475 3.3.7): the
	 * answer is a challenge, not 400. */
	if (hdr->val.l < scheme.l ||
	    strncasecmp(hdr->val.p, scheme.p, scheme.l))
		return false;
	if (sipx_cred_decode(f->cred, &hdr->val)) {
		f->res = CRED_BAD;
		return true;
	}
	if (strcmp(f->cred->realm, f->realm))
		return false;
	f->res = CRED_FOUND;
	return true;
}

static void forbid(struct sipx *sx, const struct sip_msg *msg,
		   const char *reason)
{
	(void)sip_treply(NULL, sx->sip, msg, 403, reason);
}

/* Whose credentials a request carries, and the HA1 to check them with. */
struct peer {
	const char *name;           /* the extension's or the trunk's */
	bool trunk;
	char ha1[SIPX_HA1_SZ];
};

/* The extension named user, else (when trunks may call) the trunk that
 * proves itself as user, its HA1 made for realm from its password; NULL
 * with why when neither. */
static const char *peer_find(struct sipx *sx, const char *user,
			     const char *realm, const char *want, bool trunks,
			     struct peer *p)
{
	const struct sipx_ext *e = sipx_store_ext(sx, user);
	char password[SIPX_PW_MAX + 1];

	if (e && e->enabled && (!want || !strcmp(want, user))) {
		p->name = e->ext;
		p->trunk = false;
		util_strlcpy(p->ha1, e->ha1, sizeof(p->ha1));
		return NULL;
	}
	if (e)
		return !e->enabled ? "disabled" : "user mismatch";
	if (want || !trunks || !sx->credh ||
	    !sx->credh(user, password, sizeof(password), sx->cred_arg))
		return want ? "user mismatch" : "unknown user";
	p->name = user;
	p->trunk = true;
	(void)sipx_ha1(user, realm, password, p->ha1);
	return NULL;
}

static int auth(struct sipx *sx, const struct sip_msg *msg, const char *want,
		char ext[SIPX_EXT_SZ], char trunk[SIPX_EXT_SZ])
{
	struct sipx_cred cred;
	struct find f = {sipx_store_realm_for(sx, msg), &cred, CRED_NONE};
	struct peer peer;
	const char *why;
	enum sipx_nonce_state ns;
	unsigned attempt = 0;
	char method[32];

	(void)sip_msg_hdr_apply(msg, true, SIP_HDR_AUTHORIZATION,
				cred_of_realm, &f);
	if (f.res == CRED_BAD) {
		(void)sip_treply(NULL, sx->sip, msg, 400,
				 "Bad Authorization header");
		return EACCES;
	}
	if (f.res == CRED_NONE) {
		(void)sipx_challenge(sx, msg, 0, false);
		return EACCES;
	}
	why = peer_find(sx, cred.username, f.realm, want, trunk != NULL,
			&peer);
	if (why) {
		sipx_auth_failed(sx, msg, why);
		forbid(sx, msg, "Forbidden");
		return EACCES;
	}
	ns = sipx_nonce_check(sx->nonce_key, cred.nonce, util_now_ms(),
			      &attempt);
	if (ns == SIPX_NONCE_BAD) {
		(void)sipx_challenge(sx, msg, 0, false);
		return EACCES;
	}
	if (msg->met.l >= sizeof(method)) {
		forbid(sx, msg, "Forbidden");
		return EACCES;
	}
	pl_strcpy(&msg->met, method, sizeof(method));
	if (!sipx_cred_verify(&cred, peer.ha1, method)) {
		sipx_auth_failed(sx, msg, "wrong password");
		if (attempt == 0)
			(void)sipx_challenge(sx, msg, 1, false);
		else
			forbid(sx, msg, "Forbidden");
		return EACCES;
	}
	if (ns == SIPX_NONCE_STALE) {
		(void)sipx_challenge(sx, msg, 0, true);
		return EACCES;
	}
	ext[0] = '\0';
	if (trunk)
		trunk[0] = '\0';
	util_strlcpy(peer.trunk ? trunk : ext, peer.name, SIPX_EXT_SZ);
	return 0;
}

int sipx_auth_as(struct sipx *sx, const struct sip_msg *msg,
		 const char *want, char ext[SIPX_EXT_SZ])
{
	return auth(sx, msg, want, ext, NULL);
}

int sipx_authenticate(struct sipx *sx, const struct sip_msg *msg,
		      char ext[SIPX_EXT_SZ], char trunk[SIPX_EXT_SZ])
{
	if (!sx || !msg || !ext)
		return EINVAL;
	if (!sx->started) {
		(void)sip_treply(NULL, sx->sip, msg, 503, "Service Unavailable");
		return EACCES;
	}
	return auth(sx, msg, NULL, ext, trunk);
}
