/* call/refer: where a REFER sends the call. The Refer-To header names
 * the target by the user part of a SIP URI, in any of the forms phones
 * write it; anything else is refused (400 to the phone), and an attended
 * transfer (Replaces) is told apart, the Call-ID of the dialog it replaces
 * taken out of the escaped header. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "call/call_int.h"

static void user(const char *value, const char *want)
{
	char out[32] = "";

	if (call_refer_user(value, out, sizeof(out)))
		fail_msg("refused: %s", value);
	assert_string_equal(out, want);
}

static void accepts_every_form_phones_send(void **state)
{
	(void)state;
	user("sip:1002@127.0.0.1", "1002");
	user("<sip:1002@127.0.0.1:5060;transport=udp>", "1002");
	user("\"Front desk\" <sip:1002@pbx.example.com>;x=1", "1002");
	user("sip:1002@10.0.0.1;user=phone", "1002");
	user("SIPS:sales@pbx.example.com", "sales");
	user("<sip:support-2@h?Subject=hello>", "support-2");
	user("  sip:4008002000@h", "4008002000");
}

static void decodes_percent_escapes(void **state)
{
	(void)state;
	user("<sip:%3100%32@h>", "1002");
	user("<sip:sales%5F2@h>", "sales_2");
}

static void refuses_what_names_no_target(void **state)
{
	static const char *const bad[] = {
		"", "1002", "tel:1002", "http://x/1002", "sip:@h", "sip:h",
		"<sip:1002@h", "sip:10 02@h", "<sip:10%2@h>", "<sip:10%zz@h>",
		"<sip:a;b@h>", "<sip:a+b@h>", "<sip:a.b@h>", "sip:",
		"<sip:0123456789012345678901234567890123@h>",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[32];
		if (call_refer_user(bad[i], out, sizeof(out)) != EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	}
}

/* RFC 3891: Refer-To with ?Replaces=… is an attended transfer. */
static void tells_attended_transfer_apart(void **state)
{
	char out[32];
	(void)state;

	assert_int_equal(call_refer_user("<sip:1002@h?Replaces=abc%40h%3Bto-tag"
					 "%3D1%3Bfrom-tag%3D2>", out, sizeof(out)),
			 ENOTSUP);
	assert_int_equal(call_refer_user("<sip:1002@h?x=1&REPLACES=abc>", out,
					 sizeof(out)), ENOTSUP);
}

static void replaces(const char *value, const char *want)
{
	char cid[64] = "";

	if (call_refer_replaces(value, cid, sizeof(cid)))
		fail_msg("refused: %s", value);
	assert_string_equal(cid, want);
}

/* The Call-ID, unescaped, without the tags after it. */
static void the_replaced_dialogs_call_id_is_read(void **state)
{
	char cid[8];
	(void)state;

	replaces("<sip:1002@h?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>",
		 "abc@h");
	replaces("<sip:1002@h?x=1&Replaces=a%25b%3Bto-tag%3D1&y=2>", "a%b");
	replaces("<sip:1002@h?REPLACES=plain>", "plain");
	replaces("sip:1002@h?replaces=k9%3Bearly-only", "k9");
	assert_int_equal(ENOENT, call_refer_replaces("<sip:1002@h?x=1>", cid,
						     sizeof(cid)));
	assert_int_equal(ENOENT, call_refer_replaces("<sip:1002@h?Replace=a>",
						     cid, sizeof(cid)));
	assert_int_equal(ENOENT, call_refer_replaces("<sip:1002@h>", cid,
						     sizeof(cid)));
	assert_int_equal(EINVAL, call_refer_replaces("<sip:1002@h?Replaces=>",
						     cid, sizeof(cid)));
	assert_int_equal(EINVAL, call_refer_replaces(
				 "<sip:1002@h?Replaces=%3Bto-tag%3D1>", cid,
				 sizeof(cid)));
	assert_int_equal(EINVAL, call_refer_replaces(
				 "<sip:1002@h?Replaces=a%4>", cid, sizeof(cid)));
	assert_int_equal(EINVAL, call_refer_replaces(
				 "<sip:1002@h?Replaces=a b>", cid, sizeof(cid)));
	assert_int_equal(EINVAL, call_refer_replaces(
				 "<sip:1002@h?Replaces=toolongforeight>", cid,
				 sizeof(cid)));
}

static void a_target_that_does_not_fit_is_refused(void **state)
{
	char out[5];
	(void)state;

	assert_int_equal(call_refer_user("sip:1002@h", out, sizeof(out)), 0);
	assert_string_equal(out, "1002");
	assert_int_equal(call_refer_user("sip:10020@h", out, sizeof(out)),
			 EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_every_form_phones_send),
		cmocka_unit_test(decodes_percent_escapes),
		cmocka_unit_test(refuses_what_names_no_target),
		cmocka_unit_test(tells_attended_transfer_apart),
		cmocka_unit_test(a_target_that_does_not_fit_is_refused),
		cmocka_unit_test(the_replaced_dialogs_call_id_is_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
