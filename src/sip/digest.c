/* sip/digest: HTTP digest authentication (RFC 2617, MD5 as RFC 7616 keeps
 * it) and the stateless nonces we challenge with.
 *
 * A nonce is 65 characters: 16 hex of the Unix ms it was made, one digit
 * for the attempt it belongs to (0: first challenge, 1: re-challenge after
 * a wrong password), 16 hex of randomness, and 32 hex of HMAC-SHA256 over
 * the first 33, keyed with a secret made at start-up. So the server keeps
 * nothing per challenge, a client cannot forge or re-date a nonce nor turn
 * its attempt back to 0, and nonces die with the process. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "sip/sipx_int.h"

enum { HEAD_LEN = 33, MAC_HEX = 32 };

static void hex(const uint8_t *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static int md5_hex(char out[SIPX_HA1_SZ], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int md5_hex(char out[SIPX_HA1_SZ], const char *fmt, ...)
{
	char buf[2048];
	uint8_t md[MD5_SIZE];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return EOVERFLOW;
	md5((const uint8_t *)buf, (size_t)len, md);
	hex(md, sizeof(md), out);
	return 0;
}

int sipx_ha1(const char *user, const char *realm, const char *password,
	     char out[SIPX_HA1_SZ])
{
	if (!user || !realm || !password || !out)
		return EINVAL;
	return md5_hex(out, "%s:%s:%s", user, realm, password);
}

int sipx_digest_response(const char *ha1, const char *method,
			 const char *uri, const char *nonce, const char *nc,
			 const char *cnonce, const char *qop,
			 char out[SIPX_HA1_SZ])
{
	char ha2[SIPX_HA1_SZ];
	int err;

	if (!ha1 || !method || !uri || !nonce || !out)
		return EINVAL;
	err = md5_hex(ha2, "%s:%s", method, uri);
	if (err)
		return err;
	if (!qop || !*qop)
		return md5_hex(out, "%s:%s:%s", ha1, nonce, ha2);
	if (!nc || !cnonce)
		return EINVAL;
	return md5_hex(out, "%s:%s:%s:%s:%s:%s", ha1, nonce, nc, cnonce, qop,
		       ha2);
}

/* Copies a parameter that must fit; an absent optional one becomes "". */
static int take(char *dst, size_t n, const struct pl *pl, bool required)
{
	if (!pl_isset(pl)) {
		dst[0] = '\0';
		return required ? EBADMSG : 0;
	}
	if (pl->l >= n)
		return EBADMSG;
	memcpy(dst, pl->p, pl->l);
	dst[pl->l] = '\0';
	return 0;
}

int sipx_cred_decode(struct sipx_cred *cred, const struct pl *hval)
{
	struct httpauth_digest_resp r;
	int err;

	if (!cred || !hval)
		return EINVAL;
	memset(&r, 0, sizeof(r));
	if (httpauth_digest_response_decode(&r, hval))
		return EBADMSG;
	err  = take(cred->username, sizeof(cred->username), &r.username, true);
	err |= take(cred->realm, sizeof(cred->realm), &r.realm, true);
	err |= take(cred->nonce, sizeof(cred->nonce), &r.nonce, true);
	err |= take(cred->uri, sizeof(cred->uri), &r.uri, true);
	err |= take(cred->response, sizeof(cred->response), &r.response, true);
	err |= take(cred->cnonce, sizeof(cred->cnonce), &r.cnonce, false);
	err |= take(cred->nc, sizeof(cred->nc), &r.nc, false);
	err |= take(cred->qop, sizeof(cred->qop), &r.qop, false);
	if (err)
		return EBADMSG;
	/* We offer qop="auth" only; with a qop, nc and cnonce are required. */
	if (cred->qop[0] && (strcmp(cred->qop, "auth") || !cred->nc[0] ||
			     !cred->cnonce[0]))
		return EBADMSG;
	return 0;
}

bool sipx_cred_verify(const struct sipx_cred *cred, const char *ha1,
		      const char *method)
{
	char want[SIPX_HA1_SZ];
	char got[SIPX_HA1_SZ] = {0};

	if (!cred || !ha1 || !method)
		return false;
	if (sipx_digest_response(ha1, method, cred->uri, cred->nonce,
				 cred->nc, cred->cnonce, cred->qop, want))
		return false;
	if (strlen(cred->response) != SIPX_HA1_SZ - 1)
		return false;
	/* Hex digits compare case-insensitively; lower them first. */
	for (size_t i = 0; i < SIPX_HA1_SZ - 1; i++) {
		char ch = cred->response[i];
		got[i] = (ch >= 'A' && ch <= 'F') ? (char)(ch - 'A' + 'a') : ch;
	}
	return 0 == sodium_memcmp(want, got, SIPX_HA1_SZ - 1);
}

static void nonce_mac(const uint8_t key[SIPX_NONCE_KEY_SZ], const char *head,
		      char out[MAC_HEX + 1])
{
	uint8_t mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256(mac, (const uint8_t *)head, HEAD_LEN, key);
	hex(mac, MAC_HEX / 2, out);
}

void sipx_nonce_make(const uint8_t key[SIPX_NONCE_KEY_SZ], int64_t now_ms,
		     unsigned attempt, char out[SIPX_NONCE_SZ])
{
	uint8_t rnd[8];
	char rhex[17];

	rand_bytes(rnd, sizeof(rnd));
	hex(rnd, sizeof(rnd), rhex);
	snprintf(out, SIPX_NONCE_SZ, "%016" PRIx64 "%u%s",
		 (uint64_t)now_ms, attempt ? 1u : 0u, rhex);
	nonce_mac(key, out, out + HEAD_LEN);
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

enum sipx_nonce_state sipx_nonce_check(const uint8_t key[SIPX_NONCE_KEY_SZ],
				       const char *nonce, int64_t now_ms,
				       unsigned *attempt)
{
	char mac[MAC_HEX + 1];
	char tshex[17];
	int64_t ts;

	if (!nonce || strlen(nonce) != SIPX_NONCE_SZ - 1 ||
	    !all_hex(nonce, SIPX_NONCE_SZ - 1) ||
	    (nonce[16] != '0' && nonce[16] != '1'))
		return SIPX_NONCE_BAD;
	nonce_mac(key, nonce, mac);
	if (sodium_memcmp(mac, nonce + HEAD_LEN, MAC_HEX))
		return SIPX_NONCE_BAD;
	memcpy(tshex, nonce, 16);
	tshex[16] = '\0';
	ts = (int64_t)strtoull(tshex, NULL, 16);
	/* Made later than now: a clock step back; treat as not ours. */
	if (ts > now_ms + 1000)
		return SIPX_NONCE_BAD;
	if (attempt)
		*attempt = (unsigned)(nonce[16] - '0');
	return now_ms - ts > SIPX_NONCE_LIFE_MS ? SIPX_NONCE_STALE
						: SIPX_NONCE_OK;
}
