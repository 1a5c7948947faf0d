/* SDES (RFC 4568): the a=crypto attribute that carries SRTP master keys in
 * SDP, read and written. Which lines are usable is said in media.h. The
 * key is base64 of exactly the suite's key and salt, so its text length is
 * fixed too: anything longer or shorter is another key, not this one. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "base/util.h"
#include "media/media_int.h"

/* The suites we take, with their master key and salt length in bytes. */
static const struct {
	enum media_srtp_suite suite;
	const char *name;
	size_t keylen;
} suites[] = {
	{MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", 30},
	{MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", 30},
	{MEDIA_SRTP_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80", 46},
	{MEDIA_SRTP_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32", 46},
};

/* Session parameters (RFC 4568 6.3) that only hint and may be ignored. */
static const char *const ignorable[] = {"WSH="};

enum { LIFETIME_MIN_LOG2 = 31 };

const char *media_sdes_suite_name(enum media_srtp_suite suite)
{
	for (size_t i = 0; i < ARRAY_LEN(suites); i++) {
		if (suites[i].suite == suite)
			return suites[i].name;
	}
	return NULL;
}

static int no(char *why, size_t n, const char *reason)
{
	snprintf(why, n, "a=crypto: %s", reason);
	return EINVAL;
}

/* Splits off the next space-separated token of *s (NULL when none). */
static const char *word(const char **s, size_t *len)
{
	const char *t = *s + strspn(*s, " \t");

	if (!*t)
		return NULL;
	*len = strcspn(t, " \t");
	*s = t + *len;
	return t;
}

static bool digits(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static int b64_value(char ch)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch ? strchr(alpha, ch) : NULL;

	return p ? (int)(p - alpha) : -1;
}

/* Strict base64 of exactly want bytes: the padded length, only the
 * alphabet, '=' only as the padding. */
static bool b64_decode(const char *s, size_t len, uint8_t *out, size_t want)
{
	size_t pad = (3 - want % 3) % 3, o = 0;
	uint32_t acc = 0;

	if (len != (want + 2) / 3 * 4)
		return false;
	for (size_t i = 0; i < len; i++) {
		int v = b64_value(s[i]);

		if (i >= len - pad) {
			if (s[i] != '=')
				return false;
			v = 0;
		}
		else if (v < 0) {
			return false;
		}
		acc = acc << 6 | (uint32_t)v;
		if (i % 4 == 3) {
			for (int k = 2; k >= 0; k--) {
				if (o + (size_t)(2 - k) < want)
					out[o + (size_t)(2 - k)] =
						(uint8_t)(acc >> (8 * k));
			}
			o += 3;
			acc = 0;
		}
	}
	return true;
}

/* "2^N" or a decimal number of packets: at least 2^31 is fine (we never
 * send that many), fewer would need a re-key we do not do. */
static int lifetime_ok(const char *s, size_t len, char *why, size_t n)
{
	char buf[24];
	uint64_t v;

	if (len >= sizeof(buf))
		return no(why, n, "bad key lifetime");
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (len > 2 && !strncmp(buf, "2^", 2) && digits(buf + 2, len - 2)) {
		if (util_parse_u64(buf + 2, 0, 64, &v))
			return no(why, n, "bad key lifetime");
		if (v < LIFETIME_MIN_LOG2)
			return no(why, n, "key lifetime under 2^31 packets "
				  "(no re-keying)");
		return 0;
	}
	if (!digits(buf, len) || util_parse_u64(buf, 0, UINT64_MAX, &v))
		return no(why, n, "bad key lifetime");
	if (v < (1ULL << LIFETIME_MIN_LOG2))
		return no(why, n, "key lifetime under 2^31 packets "
			  "(no re-keying)");
	return 0;
}

/* "inline:KEY[|LIFETIME][|MKI:LEN]" */
static int key_params(struct media_sdes *c, const char *s, size_t len,
		      char *why, size_t n)
{
	static const char pfx[] = "inline:";
	const char *end = s + len, *key, *bar;
	int err;

	if (memchr(s, ';', len))
		return no(why, n, "more than one master key");
	if (len < sizeof(pfx) - 1 || strncmp(s, pfx, sizeof(pfx) - 1))
		return no(why, n, "key method is not inline");
	key = s + sizeof(pfx) - 1;
	bar = memchr(key, '|', (size_t)(end - key));
	if (!b64_decode(key, (size_t)((bar ? bar : end) - key), c->key,
			c->keylen))
		return no(why, n, "key is not base64 of the suite's key and "
			  "salt length");
	while (bar) {
		const char *p = bar + 1;
		size_t plen;

		bar = memchr(p, '|', (size_t)(end - p));
		plen = (size_t)((bar ? bar : end) - p);
		if (memchr(p, ':', plen))
			return no(why, n, "MKI not supported");
		err = lifetime_ok(p, plen, why, n);
		if (err)
			return err;
	}
	return 0;
}

static bool is_ignorable(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(ignorable); i++) {
		size_t k = strlen(ignorable[i]);
		if (len > k && !strncmp(s, ignorable[i], k))
			return true;
	}
	return false;
}

int media_sdes_parse(struct media_sdes *c, const char *value, char *why,
		     size_t n)
{
	struct media_sdes out = {0};
	const char *s = value, *t;
	size_t len;
	uint64_t tag;
	char num[10];
	int err;

	if (!c || !value)
		return EINVAL;
	t = word(&s, &len);
	if (!t || len > 9 || !digits(t, len))
		return no(why, n, "bad tag (want 1 to 9 digits)");
	memcpy(num, t, len);
	num[len] = '\0';
	if (util_parse_u64(num, 0, 999999999, &tag))
		return no(why, n, "bad tag (want 1 to 9 digits)");
	out.tag = (uint32_t)tag;
	t = word(&s, &len);
	if (!t)
		return no(why, n, "missing crypto suite");
	for (size_t i = 0; i < ARRAY_LEN(suites) && !out.keylen; i++) {
		if (strlen(suites[i].name) == len &&
		    !strncmp(t, suites[i].name, len)) {
			out.suite = suites[i].suite;
			out.keylen = suites[i].keylen;
		}
	}
	if (!out.keylen) {
		snprintf(why, n, "a=crypto: unknown crypto suite %.*s",
			 (int)(len < 40 ? len : 40), t);
		return EINVAL;
	}
	t = word(&s, &len);
	if (!t)
		return no(why, n, "missing key parameters");
	err = key_params(&out, t, len, why, n);
	if (err)
		return err;
	while ((t = word(&s, &len))) {
		if (!is_ignorable(t, len)) {
			snprintf(why, n, "a=crypto: session parameter %.*s not "
				 "supported", (int)(len < 32 ? len : 32), t);
			return EINVAL;
		}
	}
	*c = out;
	return 0;
}

int media_sdes_format(char *buf, size_t size, const struct media_sdes *c)
{
	const char *name = c ? media_sdes_suite_name(c->suite) : NULL;
	char key[sodium_base64_ENCODED_LEN(MEDIA_SDES_KEY_MAX,
					   sodium_base64_VARIANT_ORIGINAL)];
	int k;

	if (!buf || !name || c->tag > 999999999 || c->keylen > MEDIA_SDES_KEY_MAX)
		return EINVAL;
	sodium_bin2base64(key, sizeof(key), c->key, c->keylen,
			  sodium_base64_VARIANT_ORIGINAL);
	k = snprintf(buf, size, "%u %s inline:%s", c->tag, name, key);
	return k < 0 || (size_t)k >= size ? ENOSPC : 0;
}

int media_sdes_make(struct media_sdes *c, uint32_t tag,
		    enum media_srtp_suite suite)
{
	if (!c || tag > 999999999 || sodium_init() < 0)
		return EINVAL;
	for (size_t i = 0; i < ARRAY_LEN(suites); i++) {
		if (suites[i].suite != suite)
			continue;
		memset(c, 0, sizeof(*c));
		c->tag = tag;
		c->suite = suite;
		c->keylen = suites[i].keylen;
		randombytes_buf(c->key, c->keylen);
		return 0;
	}
	return EINVAL;
}
