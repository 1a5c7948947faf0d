/* SDES (RFC 4568): which a=crypto lines we take, what we refuse and why,
 * and that what we write reads back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/util.h"
#include "media/media_int.h"

/* RFC 4568's example key: 30 bytes, AES-128 key and salt. */
#define KEY "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
/* 46 bytes for AES-256: base64 ends in "==". */
#define KEY256 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLQ=="

/* RFC 4568's own example carries a 2^20 lifetime and an MKI: refused; its
 * key alone is taken. */
static void rfc_4568s_example_key_is_taken_without_lifetime_and_mki(void **state)
{
	struct media_sdes c;
	char why[128] = "";

	(void)state;
	assert_int_equal(EINVAL, media_sdes_parse(&c, "1 AES_CM_128_HMAC_SHA1_80 "
						  "inline:" KEY "|2^20|1:4", why,
						  sizeof(why)));
	assert_string_equal("a=crypto: key lifetime under 2^31 packets "
			    "(no re-keying)", why);
	assert_int_equal(0, media_sdes_parse(&c, "1 AES_CM_128_HMAC_SHA1_80 "
					     "inline:" KEY, why, sizeof(why)));
	assert_int_equal(1, c.tag);
	assert_int_equal(MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, c.suite);
	assert_int_equal(30, c.keylen);
	assert_memory_equal("YS___semctl () ", c.key, 15);
}

static void every_suite_we_know_has_its_key_length(void **state)
{
	static const struct {
		const char *line;
		enum media_srtp_suite suite;
		size_t keylen;
	} rows[] = {
		{"9 AES_CM_128_HMAC_SHA1_32 inline:" KEY,
		 MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32, 30},
		{"10 AES_256_CM_HMAC_SHA1_80 inline:" KEY256,
		 MEDIA_SRTP_AES_256_CM_HMAC_SHA1_80, 46},
		{"0 AES_256_CM_HMAC_SHA1_32 inline:" KEY256,
		 MEDIA_SRTP_AES_256_CM_HMAC_SHA1_32, 46},
	};
	struct media_sdes c;
	char why[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		assert_int_equal(0, media_sdes_parse(&c, rows[i].line, why,
						     sizeof(why)));
		assert_int_equal(rows[i].suite, c.suite);
		assert_int_equal(rows[i].keylen, c.keylen);
	}
	assert_int_equal(45, c.key[45]);
	assert_int_equal(0, c.tag);
}

/* Each row: a line and the reason it is not ours to take. */
static void lines_we_cannot_use_are_refused_with_a_reason(void **state)
{
	static const struct {
		const char *line, *why;
	} rows[] = {
		{"", "bad tag (want 1 to 9 digits)"},
		{"x AES_CM_128_HMAC_SHA1_80 inline:" KEY,
		 "bad tag (want 1 to 9 digits)"},
		{"1234567890 AES_CM_128_HMAC_SHA1_80 inline:" KEY,
		 "bad tag (want 1 to 9 digits)"},
		{"1", "missing crypto suite"},
		{"1 F8_128_HMAC_SHA1_80 inline:" KEY,
		 "unknown crypto suite F8_128_HMAC_SHA1_80"},
		{"1 aes_cm_128_hmac_sha1_80 inline:" KEY,
		 "unknown crypto suite aes_cm_128_hmac_sha1_80"},
		{"1 AEAD_AES_128_GCM inline:" KEY,
		 "unknown crypto suite AEAD_AES_128_GCM"},
		{"1 AES_CM_128_HMAC_SHA1_80", "missing key parameters"},
		{"1 AES_CM_128_HMAC_SHA1_80 outline:" KEY,
		 "key method is not inline"},
		/* one byte short, longer, the AES-256 length, not base64 */
		{"1 AES_CM_128_HMAC_SHA1_80 inline:"
		 "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGU=",
		 "key is not base64 of the suite's key and salt length"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "AAAA",
		 "key is not base64 of the suite's key and salt length"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY256,
		 "key is not base64 of the suite's key and salt length"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:"
		 "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVub*Vz",
		 "key is not base64 of the suite's key and salt length"},
		{"1 AES_256_CM_HMAC_SHA1_80 inline:"
		 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKiss",
		 "key is not base64 of the suite's key and salt length"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|1:4", "MKI not supported"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^31|1:4",
		 "MKI not supported"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^20",
		 "key lifetime under 2^31 packets (no re-keying)"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|1048576",
		 "key lifetime under 2^31 packets (no re-keying)"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^x",
		 "bad key lifetime"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|",
		 "bad key lifetime"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY ";inline:" KEY,
		 "more than one master key"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY " UNENCRYPTED_SRTCP",
		 "session parameter UNENCRYPTED_SRTCP not supported"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY " KDR=1",
		 "session parameter KDR=1 not supported"},
	};
	struct media_sdes c = {.tag = 77};
	char why[128], want[160];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		snprintf(want, sizeof(want), "a=crypto: %s", rows[i].why);
		why[0] = '\0';
		assert_int_equal(EINVAL, media_sdes_parse(&c, rows[i].line,
							  why, sizeof(why)));
		assert_string_equal(want, why);
	}
	assert_int_equal(77, c.tag);     /* untouched when refused */
}

static void long_lifetimes_and_the_window_hint_are_ignored(void **state)
{
	static const char *const lines[] = {
		"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^31",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^48",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2147483648",
		"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY " WSH=64",
		"1  AES_CM_128_HMAC_SHA1_80\tinline:" KEY "  WSH=128 ",
	};
	struct media_sdes c;
	char why[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(lines); i++)
		assert_int_equal(0, media_sdes_parse(&c, lines[i], why,
						     sizeof(why)));
}

static void what_we_write_reads_back(void **state)
{
	struct media_sdes a, b, c;
	char buf[MEDIA_SDES_LINE], why[128];

	(void)state;
	assert_int_equal(0, media_sdes_make(&a, 3,
					    MEDIA_SRTP_AES_256_CM_HMAC_SHA1_80));
	assert_int_equal(0, media_sdes_make(&b, 3,
					    MEDIA_SRTP_AES_256_CM_HMAC_SHA1_80));
	/* fresh keys each time */
	assert_int_equal(46, a.keylen);
	assert_true(memcmp(a.key, b.key, a.keylen) != 0);
	assert_int_equal(0, media_sdes_format(buf, sizeof(buf), &a));
	assert_int_equal(0, strncmp(buf, "3 AES_256_CM_HMAC_SHA1_80 inline:",
				    33));
	assert_int_equal(0, media_sdes_parse(&c, buf, why, sizeof(why)));
	assert_int_equal(a.tag, c.tag);
	assert_int_equal(a.suite, c.suite);
	assert_memory_equal(a.key, c.key, a.keylen);

	assert_int_equal(ENOSPC, media_sdes_format(buf, 20, &a));
	assert_int_equal(EINVAL, media_sdes_make(&a, 1000000000,
					 MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80));
	assert_string_equal("AES_CM_128_HMAC_SHA1_32", media_sdes_suite_name(
				    MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc_4568s_example_key_is_taken_without_lifetime_and_mki),
		cmocka_unit_test(every_suite_we_know_has_its_key_length),
		cmocka_unit_test(lines_we_cannot_use_are_refused_with_a_reason),
		cmocka_unit_test(long_lifetimes_and_the_window_hint_are_ignored),
		cmocka_unit_test(what_we_write_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
