/* Digest authentication as RFC 2617 and RFC 7616 define it, and the
 * stateless nonces the registrar challenges with. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sip/sipx_int.h"

static const uint8_t key[SIPX_NONCE_KEY_SZ] = "0123456789abcdef0123456789abcdef";
static const int64_t t0 = 1795000000000;  /* some Unix ms */

/* RFC 2617 3.5: Mufasa / "Circle Of Life" / testrealm@host.com. */
static void ha1_is_md5_of_user_realm_password(void **state)
{
	char ha1[SIPX_HA1_SZ];

	(void)state;
	assert_int_equal(0, sipx_ha1("Mufasa", "testrealm@host.com",
				     "Circle Of Life", ha1));
	assert_string_equal("939e7578ed9e3c518a452acee763bce9", ha1);
	assert_int_equal(0, sipx_ha1("1001", "hotline", "secret1001", ha1));
	assert_string_equal("0809f3e5963e8d5a3d19b15141b5885d", ha1);
}

static void rfc2617_example_response_with_qop_auth(void **state)
{
	char out[SIPX_HA1_SZ];

	(void)state;
	assert_int_equal(0, sipx_digest_response(
		"939e7578ed9e3c518a452acee763bce9", "GET", "/dir/index.html",
		"dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b",
		"auth", out));
	assert_string_equal("6629fae49393a05397450978507c4ef1", out);
}

/* RFC 7616 3.9.1, the MD5 variant. */
static void rfc7616_example_response_md5(void **state)
{
	char ha1[SIPX_HA1_SZ], out[SIPX_HA1_SZ];

	(void)state;
	assert_int_equal(0, sipx_ha1("Mufasa", "http-auth@example.org",
				     "Circle of Life", ha1));
	assert_int_equal(0, sipx_digest_response(ha1, "GET", "/dir/index.html",
		"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001",
		"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth", out));
	assert_string_equal("8ca523f5e9506fed4657c9700eebdbec", out);
}

/* RFC 2069 (no qop): the form old phones still send. */
static void rfc2069_response_without_qop(void **state)
{
	char ha1[SIPX_HA1_SZ], out[SIPX_HA1_SZ];

	(void)state;
	assert_int_equal(0, sipx_ha1("Mufasa", "testrealm@host.com",
				     "CircleOfLife", ha1));
	assert_int_equal(0, sipx_digest_response(ha1, "GET", "/dir/index.html",
		"dcd98b7102dd2f0e8b11d0f600bfb0c093", NULL, NULL, NULL, out));
	assert_string_equal("1949323746fe6a43ef61f9606e7febea", out);
}

static int decode(struct sipx_cred *c, const char *hval)
{
	struct pl pl;

	pl_set_str(&pl, hval);
	return sipx_cred_decode(c, &pl);
}

static void authorization_header_decodes_and_verifies(void **state)
{
	struct sipx_cred c;

	(void)state;
	assert_int_equal(0, decode(&c,
		"Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
		"nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
		"uri=\"/dir/index.html\", qop=auth, nc=00000001, "
		"cnonce=\"0a4f113b\", "
		"response=\"6629FAE49393A05397450978507C4EF1\", "
		"opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
	assert_string_equal("Mufasa", c.username);
	assert_string_equal("testrealm@host.com", c.realm);
	assert_string_equal("00000001", c.nc);
	/* Upper-case hex is the same response. */
	assert_true(sipx_cred_verify(&c, "939e7578ed9e3c518a452acee763bce9",
				     "GET"));
	/* Another method, another password: no. */
	assert_false(sipx_cred_verify(&c, "939e7578ed9e3c518a452acee763bce9",
				      "POST"));
	assert_false(sipx_cred_verify(&c, "0809f3e5963e8d5a3d19b15141b5885d",
				      "GET"));
}

static void authorization_header_missing_parts_is_bad(void **state)
{
	struct sipx_cred c;
	char big[1200];

	(void)state;
	assert_int_equal(EBADMSG, decode(&c, "Digest username=\"a\""));
	assert_int_equal(EBADMSG, decode(&c, "Basic QWxhZGRpbjpvcGVu"));
	/* qop=auth without nc/cnonce */
	assert_int_equal(EBADMSG, decode(&c,
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", "
		"response=\"00000000000000000000000000000000\", qop=auth"));
	/* qop we never offered */
	assert_int_equal(EBADMSG, decode(&c,
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", "
		"response=\"00000000000000000000000000000000\", qop=auth-int, "
		"nc=00000001, cnonce=\"x\""));
	/* a username longer than any extension */
	snprintf(big, sizeof(big), "Digest username=\"%0600d\", realm=\"r\", "
		 "nonce=\"n\", uri=\"u\", response=\"x\"", 7);
	assert_int_equal(EBADMSG, decode(&c, big));
}

static void fresh_nonce_is_ok_and_carries_its_attempt(void **state)
{
	char n0[SIPX_NONCE_SZ], n1[SIPX_NONCE_SZ];
	unsigned attempt = 9;

	(void)state;
	sipx_nonce_make(key, t0, 0, n0);
	sipx_nonce_make(key, t0, 1, n1);
	assert_int_equal(SIPX_NONCE_SZ - 1, strlen(n0));
	assert_string_not_equal(n0, n1);
	assert_int_equal(SIPX_NONCE_OK, sipx_nonce_check(key, n0, t0, &attempt));
	assert_int_equal(0, attempt);
	assert_int_equal(SIPX_NONCE_OK,
			 sipx_nonce_check(key, n1, t0 + 1000, &attempt));
	assert_int_equal(1, attempt);
}

static void two_nonces_made_at_once_differ(void **state)
{
	char a[SIPX_NONCE_SZ], b[SIPX_NONCE_SZ];

	(void)state;
	sipx_nonce_make(key, t0, 0, a);
	sipx_nonce_make(key, t0, 0, b);
	assert_string_not_equal(a, b);
}

static void nonce_turns_stale_after_its_lifetime(void **state)
{
	char n[SIPX_NONCE_SZ];
	unsigned attempt;

	(void)state;
	sipx_nonce_make(key, t0, 0, n);
	assert_int_equal(SIPX_NONCE_OK,
		sipx_nonce_check(key, n, t0 + SIPX_NONCE_LIFE_MS, &attempt));
	assert_int_equal(SIPX_NONCE_STALE,
		sipx_nonce_check(key, n, t0 + SIPX_NONCE_LIFE_MS + 1, &attempt));
}

static void tampered_or_foreign_nonce_is_bad(void **state)
{
	static const uint8_t other[SIPX_NONCE_KEY_SZ] =
		"another key, another process....";
	char n[SIPX_NONCE_SZ], t[SIPX_NONCE_SZ];
	unsigned attempt;

	(void)state;
	sipx_nonce_make(key, t0, 1, n);

	/* Turning the attempt back to 0 breaks the signature. */
	strcpy(t, n);
	t[16] = '0';
	assert_int_equal(SIPX_NONCE_BAD, sipx_nonce_check(key, t, t0, &attempt));
	/* So does re-dating it. */
	strcpy(t, n);
	t[15] = t[15] == 'f' ? 'e' : 'f';
	assert_int_equal(SIPX_NONCE_BAD, sipx_nonce_check(key, t, t0, &attempt));
	/* A nonce from another key (another run of the server). */
	assert_int_equal(SIPX_NONCE_BAD, sipx_nonce_check(other, n, t0, &attempt));
	/* Garbage, short, long, upper case. */
	assert_int_equal(SIPX_NONCE_BAD, sipx_nonce_check(key, "", t0, &attempt));
	assert_int_equal(SIPX_NONCE_BAD,
			 sipx_nonce_check(key, "dcd98b7102dd2f0e8b11d0f600bfb0c093",
					  t0, &attempt));
	snprintf(t, sizeof(t), "%.64sX", n);
	assert_int_equal(SIPX_NONCE_BAD, sipx_nonce_check(key, t, t0, &attempt));
	/* Made in the future (a clock stepped back): not trusted. */
	sipx_nonce_make(key, t0 + 60000, 0, t);
	assert_int_equal(SIPX_NONCE_BAD, sipx_nonce_check(key, t, t0, &attempt));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ha1_is_md5_of_user_realm_password),
		cmocka_unit_test(rfc2617_example_response_with_qop_auth),
		cmocka_unit_test(rfc7616_example_response_md5),
		cmocka_unit_test(rfc2069_response_without_qop),
		cmocka_unit_test(authorization_header_decodes_and_verifies),
		cmocka_unit_test(authorization_header_missing_parts_is_bad),
		cmocka_unit_test(fresh_nonce_is_ok_and_carries_its_attempt),
		cmocka_unit_test(two_nonces_made_at_once_differ),
		cmocka_unit_test(nonce_turns_stale_after_its_lifetime),
		cmocka_unit_test(tampered_or_foreign_nonce_is_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
