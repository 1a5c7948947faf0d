/* The WebSocket pieces that need no socket: the handshake's accept key
 * (RFC 6455 1.3, with SHA-1 per RFC 3174) and frame headers, parsed as a
 * client sends them (always masked) and written as a server does (never). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"

static void hex(const uint8_t md[20], char out[41])
{
	for (int i = 0; i < 20; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static void sha1_matches_the_rfc_3174_vectors(void **state)
{
	const struct {
		const char *in;
		const char *md;
	} rows[] = {
		{"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
	};
	uint8_t md[20];
	char h[41];
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		api_sha1(rows[i].in, strlen(rows[i].in), md);
		hex(md, h);
		assert_string_equal(rows[i].md, h);
	}
}

static void sha1_of_a_million_a_crosses_many_blocks(void **state)
{
	static char a[1000000];
	uint8_t md[20];
	char h[41];
	(void)state;

	memset(a, 'a', sizeof(a));
	api_sha1(a, sizeof(a), md);
	hex(md, h);
	assert_string_equal("34aa973cd4c4daa4f61eeb2bdbad27316534016f", h);
}

static void the_accept_key_is_the_rfc_example(void **state)
{
	const char *key = "dGhlIHNhbXBsZSBub25jZQ==";
	char out[29];
	(void)state;

	assert_int_equal(0, api_ws_accept_key(key, strlen(key), out));
	assert_string_equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", out);
}

static void a_masked_client_text_frame_parses(void **state)
{
	/* RFC 6455 5.7: "Hello", masked with 37 fa 21 3d. */
	const uint8_t f[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
			     0x7f, 0x9f, 0x4d, 0x51, 0x58};
	struct api_ws_hdr h;
	char text[6];
	(void)state;

	assert_int_equal(0, api_ws_hdr_parse(f, sizeof(f), &h));
	assert_true(h.fin);
	assert_int_equal(1, h.opcode);
	assert_int_equal(5, h.len);
	assert_int_equal(6, h.hdr_len);
	for (int i = 0; i < 5; i++)
		text[i] = (char)(f[6 + i] ^ h.mask[i % 4]);
	text[5] = '\0';
	assert_string_equal("Hello", text);
}

static void partial_headers_ask_for_more(void **state)
{
	const uint8_t f[] = {0x82, 0xfe, 0x01, 0x00, 1, 2, 3, 4};
	struct api_ws_hdr h;
	(void)state;

	for (size_t n = 0; n < sizeof(f); n++)
		assert_int_equal(ENODATA, api_ws_hdr_parse(f, n, &h));
	assert_int_equal(0, api_ws_hdr_parse(f, sizeof(f), &h));
	assert_int_equal(256, h.len);
	assert_int_equal(8, h.hdr_len);
}

static void frames_the_rfc_forbids_are_refused(void **state)
{
	const uint8_t unmasked[] = {0x81, 0x05};
	const uint8_t rsv[] = {0xc1, 0x80, 0, 0, 0, 0};
	const uint8_t reserved_op[] = {0x83, 0x80, 0, 0, 0, 0};
	const uint8_t long_ping[] = {0x89, 0xfe, 0, 126, 0, 0, 0, 0};
	const uint8_t split_close[] = {0x08, 0x80, 0, 0, 0, 0};
	struct api_ws_hdr h;
	(void)state;

	assert_int_equal(EBADMSG, api_ws_hdr_parse(unmasked, 2, &h));
	assert_int_equal(EBADMSG, api_ws_hdr_parse(rsv, 6, &h));
	assert_int_equal(EBADMSG, api_ws_hdr_parse(reserved_op, 6, &h));
	assert_int_equal(EBADMSG, api_ws_hdr_parse(long_ping, 8, &h));
	assert_int_equal(EBADMSG, api_ws_hdr_parse(split_close, 6, &h));
}

static void server_headers_use_the_shortest_length_form(void **state)
{
	uint8_t b[10];
	(void)state;

	assert_int_equal(2, api_ws_hdr_encode(b, 1, 125));
	assert_int_equal(0x81, b[0]);
	assert_int_equal(125, b[1]);
	assert_int_equal(4, api_ws_hdr_encode(b, 1, 126));
	assert_int_equal(126, b[1]);
	assert_int_equal(0, b[2]);
	assert_int_equal(126, b[3]);
	assert_int_equal(10, api_ws_hdr_encode(b, 1, 65536));
	assert_int_equal(127, b[1]);
	assert_int_equal(1, b[7]);
	assert_int_equal(0, b[8]);
	assert_int_equal(0, b[9]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha1_matches_the_rfc_3174_vectors),
		cmocka_unit_test(sha1_of_a_million_a_crosses_many_blocks),
		cmocka_unit_test(the_accept_key_is_the_rfc_example),
		cmocka_unit_test(a_masked_client_text_frame_parses),
		cmocka_unit_test(partial_headers_ask_for_more),
		cmocka_unit_test(frames_the_rfc_forbids_are_refused),
		cmocka_unit_test(server_headers_use_the_shortest_length_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
