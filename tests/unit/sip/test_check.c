/* What check.c refuses that libre's parser lets through, and what it lets
 * pass: each case a request as it comes off the wire, decoded by libre,
 * then checked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sip/sipx_int.h"

#define HEAD(method) \
	method " sip:1001@127.0.0.1 SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n" \
	"Max-Forwards: 70\r\n" \
	"Call-ID: c1\r\n" \
	"CSeq: 1 " method "\r\n"
#define ADDRS \
	"From: <sip:13800138000@127.0.0.1>;tag=f\r\n" \
	"To: <sip:1001@127.0.0.1>\r\n"

/* The status sipx_check gives text (0: passes), its header line in hdr. */
static uint16_t check(const char *text, char *hdr, size_t n)
{
	struct mbuf *mb = mbuf_alloc(strlen(text));
	struct sip_msg *msg = NULL;
	uint16_t scode = 0;

	assert_non_null(mb);
	mbuf_write_str(mb, text);
	mb->pos = 0;
	assert_int_equal(0, sip_msg_decode(&msg, mb));
	if (!sipx_check(msg, &scode, hdr, n))
		scode = 0;
	mem_deref(msg);
	mem_deref(mb);
	return scode;
}

static void a_plain_invite_with_sdp_passes(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(0, check(HEAD("INVITE") ADDRS
				  "Content-Type: application/sdp\r\n"
				  "Content-Length: 4\r\n\r\nv=0\n", hdr,
				  sizeof(hdr)));
}

static void a_second_to_header_is_refused(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(400, check(HEAD("OPTIONS") ADDRS
				    "To: <sip:other@127.0.0.1>\r\n"
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
}

static void two_content_lengths_are_refused(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(400, check(HEAD("OPTIONS") ADDRS
				    "Content-Length: 0\r\n"
				    "l: 0\r\n\r\n", hdr, sizeof(hdr)));
}

static void an_unknown_require_gets_420_listing_it(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(420, check(HEAD("INVITE") ADDRS
				    "Require: 100rel, foo\r\n"
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
	assert_string_equal("Unsupported: 100rel, foo\r\n", hdr);
}

static void require_timer_passes_and_is_not_listed(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(0, check(HEAD("INVITE") ADDRS
				  "Require: timer\r\n"
				  "Session-Expires: 90;refresher=uac\r\n"
				  "Content-Length: 0\r\n\r\n", hdr, sizeof(hdr)));
	assert_int_equal(420, check(HEAD("INVITE") ADDRS
				    "Require: timer, 100rel\r\n"
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
	assert_string_equal("Unsupported: 100rel\r\n", hdr);
}

static void an_invite_of_another_body_type_gets_415_with_accept(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(415, check(HEAD("INVITE") ADDRS
				    "Content-Type: text/plain\r\n"
				    "Content-Length: 2\r\n\r\nhi", hdr,
				    sizeof(hdr)));
	assert_string_equal("Accept: application/sdp\r\n", hdr);
}

static void an_invite_accepting_no_sdp_gets_406(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(406, check(HEAD("INVITE") ADDRS
				    "Accept: text/plain, image/png\r\n"
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
	assert_int_equal(0, check(HEAD("INVITE") ADDRS
				  "Accept: text/plain, application/sdp\r\n"
				  "Content-Length: 0\r\n\r\n", hdr,
				  sizeof(hdr)));
}

static void a_tel_request_uri_gets_416(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(416, check("OPTIONS tel:+8613800138000 SIP/2.0\r\n"
				    "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK2\r\n"
				    "Call-ID: c2\r\nCSeq: 1 OPTIONS\r\n" ADDRS
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
}

static void broken_addresses_are_refused_and_utf8_names_pass(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(400, check(HEAD("OPTIONS")
				    "From: \"Mr. J <sip:a@b>;tag=1\r\n"
				    "To: <sip:1001@127.0.0.1>\r\n"
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
	assert_int_equal(400, check(HEAD("OPTIONS")
				    "From: Bell, Alexander <sip:a@b>;tag=1\r\n"
				    "To: <sip:1001@127.0.0.1>\r\n"
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
	assert_int_equal(400, check(HEAD("OPTIONS")
				    "From: <sip:a@b>;tag=1\r\n"
				    "To: < sip:1001@127.0.0.1 >\r\n"
				    "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
	assert_int_equal(0, check(HEAD("OPTIONS")
				  "From: \xe5\xbc\xa0\xe4\xb8\x89 <sip:a@b>;tag=1\r\n"
				  "To: <sip:1001@127.0.0.1>\r\n"
				  "Content-Length: 0\r\n\r\n", hdr,
				  sizeof(hdr)));
}

static void a_cseq_of_2_to_the_31_is_refused(void **state)
{
	char hdr[128];
	(void)state;

	assert_int_equal(400, check("OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\n"
				    "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK3\r\n"
				    "Call-ID: c3\r\nCSeq: 2147483648 OPTIONS\r\n"
				    ADDRS "Content-Length: 0\r\n\r\n", hdr,
				    sizeof(hdr)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_plain_invite_with_sdp_passes),
		cmocka_unit_test(require_timer_passes_and_is_not_listed),
		cmocka_unit_test(a_second_to_header_is_refused),
		cmocka_unit_test(two_content_lengths_are_refused),
		cmocka_unit_test(an_unknown_require_gets_420_listing_it),
		cmocka_unit_test(an_invite_of_another_body_type_gets_415_with_accept),
		cmocka_unit_test(an_invite_accepting_no_sdp_gets_406),
		cmocka_unit_test(a_tel_request_uri_gets_416),
		cmocka_unit_test(broken_addresses_are_refused_and_utf8_names_pass),
		cmocka_unit_test(a_cseq_of_2_to_the_31_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
