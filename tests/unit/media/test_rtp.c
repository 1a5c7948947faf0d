/* RTP: what a valid packet is, and how the bridge rewriter keeps one
 * continuous outgoing stream while its sources change underneath. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "media/media_int.h"

/* A PCMU packet: seq 0x1234, ts 0x01020304, ssrc 0xCAFEBABE, 4 bytes. */
static const uint8_t simple[] = {
	0x80, 0x00, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04,
	0xCA, 0xFE, 0xBA, 0xBE, 0xFF, 0xFE, 0xFD, 0xFC,
};

static void a_plain_packet_parses_into_its_fields(void **state)
{
	struct media_rtp_hdr h;

	(void)state;
	assert_int_equal(0, media_rtp_parse(&h, simple, sizeof(simple)));
	assert_false(h.marker);
	assert_int_equal(0, h.pt);
	assert_int_equal(0x1234, h.seq);
	assert_int_equal(0x01020304, h.ts);
	assert_int_equal(0xCAFEBABE, h.ssrc);
	assert_int_equal(0, h.cc);
	assert_false(h.ext);
	assert_int_equal(4, h.payload_len);
	assert_ptr_equal(simple + 12, h.payload);
}

static void csrcs_extension_and_padding_are_skipped_to_the_payload(void **state)
{
	const uint8_t pkt[] = {
		0xB2, 0xE5, 0x00, 0x01, 0, 0, 0, 160, 0, 0, 0, 7, /* P X cc=2, M, pt 101 */
		0, 0, 0, 1, 0, 0, 0, 2,                 /* CSRCs */
		0xBE, 0xDE, 0x00, 0x01, 1, 2, 3, 4,     /* one-word extension */
		9, 0, 0, 0xA0,                          /* telephone-event */
		0, 0, 3,                                /* three bytes of padding */
	};
	struct media_rtp_hdr h;

	(void)state;
	assert_int_equal(0, media_rtp_parse(&h, pkt, sizeof(pkt)));
	assert_true(h.marker);
	assert_int_equal(101, h.pt);
	assert_int_equal(2, h.cc);
	assert_int_equal(2, h.csrc[1]);
	assert_true(h.ext);
	assert_int_equal(0xBEDE, h.ext_profile);
	assert_int_equal(4, h.ext_len);
	assert_int_equal(3, h.ext_data[2]);
	assert_int_equal(3, h.pad);
	assert_int_equal(4, h.payload_len);
	assert_int_equal(9, h.payload[0]);
}

static void malformed_packets_are_rejected(void **state)
{
	struct media_rtp_hdr h;
	uint8_t p[64];

	(void)state;
	assert_int_equal(EBADMSG, media_rtp_parse(&h, simple, 11));
	assert_int_equal(EBADMSG, media_rtp_parse(&h, simple, 0));

	memcpy(p, simple, sizeof(simple));
	p[0] = 0x40;                                    /* version 1 */
	assert_int_equal(EBADMSG, media_rtp_parse(&h, p, sizeof(simple)));

	memcpy(p, simple, sizeof(simple));
	p[0] = 0x82;                                    /* 2 CSRCs, 4 bytes */
	assert_int_equal(EBADMSG, media_rtp_parse(&h, p, sizeof(simple)));

	memcpy(p, simple, sizeof(simple));
	p[0] = 0x90;                                    /* extension header only */
	p[14] = 0x00, p[15] = 0x05;                     /* says 5 words follow */
	assert_int_equal(EBADMSG, media_rtp_parse(&h, p, sizeof(simple)));

	memcpy(p, simple, sizeof(simple));
	p[0] = 0xA0;                                    /* padding */
	p[15] = 0;                                      /* of zero bytes */
	assert_int_equal(EBADMSG, media_rtp_parse(&h, p, sizeof(simple)));
	p[15] = 5;                                      /* more than the payload */
	assert_int_equal(EBADMSG, media_rtp_parse(&h, p, sizeof(simple)));
	p[15] = 4;                                      /* exactly the payload */
	assert_int_equal(0, media_rtp_parse(&h, p, sizeof(simple)));
	assert_int_equal(0, h.payload_len);

	memcpy(p, simple, sizeof(simple));
	p[1] = 200;                                     /* an RTCP sender report */
	assert_int_equal(EBADMSG, media_rtp_parse(&h, p, sizeof(simple)));
}

static void a_written_header_parses_back(void **state)
{
	struct media_rtp_hdr in = {
		.marker = true, .pt = 8, .seq = 65535, .ts = 0xFFFFFFFF,
		.ssrc = 42, .cc = 1, .csrc = {77},
	}, out;
	uint8_t buf[32];
	size_t len = 0;

	(void)state;
	assert_int_equal(ENOSPC, media_rtp_write(buf, 15, &in, &len));
	assert_int_equal(0, media_rtp_write(buf, sizeof(buf), &in, &len));
	assert_int_equal(16, len);
	memset(buf + len, 0xD5, 8);
	assert_int_equal(0, media_rtp_parse(&out, buf, len + 8));
	assert_true(out.marker);
	assert_int_equal(8, out.pt);
	assert_int_equal(65535, out.seq);
	assert_int_equal(0xFFFFFFFF, out.ts);
	assert_int_equal(42, out.ssrc);
	assert_int_equal(77, out.csrc[0]);
	assert_int_equal(8, out.payload_len);

	in.pt = 128;
	assert_int_equal(EINVAL, media_rtp_write(buf, sizeof(buf), &in, &len));
}

static void patching_changes_only_the_rewritten_fields(void **state)
{
	uint8_t p[sizeof(simple)];
	struct media_rtp_hdr h;

	(void)state;
	memcpy(p, simple, sizeof(p));
	assert_int_equal(0, media_rtp_parse(&h, p, sizeof(p)));
	h.seq = 7, h.ts = 8, h.ssrc = 9, h.marker = true;
	media_rtp_patch(p, &h);
	assert_int_equal(0, media_rtp_parse(&h, p, sizeof(p)));
	assert_true(h.marker);
	assert_int_equal(7, h.seq);
	assert_int_equal(8, h.ts);
	assert_int_equal(9, h.ssrc);
	assert_memory_equal(simple + 12, p + 12, 4);
	assert_int_equal(0x80, p[0]);
}

/* ---- rewriter ---- */

static struct media_rtp_hdr pkt(uint32_t ssrc, uint16_t seq, uint32_t ts)
{
	return (struct media_rtp_hdr){.ssrc = ssrc, .seq = seq, .ts = ts};
}

/* Sends one packet through rw at now_ms and checks what goes out. */
static void expect(struct media_rtp_rewrite *rw, struct media_rtp_hdr in,
		   int64_t now_ms, uint16_t seq, uint32_t ts, bool marker)
{
	media_rtp_rewrite_apply(rw, &in, now_ms);
	assert_int_equal(0x5EED, in.ssrc);
	assert_int_equal(seq, in.seq);
	assert_int_equal(ts, in.ts);
	assert_int_equal(marker, in.marker);
}

static void one_source_goes_out_under_our_ssrc_seq_and_ts(void **state)
{
	struct media_rtp_rewrite rw;

	(void)state;
	media_rtp_rewrite_init(&rw, 0x5EED, 1000, 50000);
	expect(&rw, pkt(1, 700, 9000), 0, 1000, 50000, true);
	expect(&rw, pkt(1, 701, 9160), 20, 1001, 50160, false);
	/* A lost packet stays lost, a late one stays late. */
	expect(&rw, pkt(1, 703, 9480), 60, 1003, 50480, false);
	expect(&rw, pkt(1, 702, 9320), 61, 1002, 50320, false);
	expect(&rw, pkt(1, 704, 9640), 80, 1004, 50640, false);
}

static void a_new_ssrc_continues_the_stream_with_the_marker(void **state)
{
	struct media_rtp_rewrite rw;

	(void)state;
	media_rtp_rewrite_init(&rw, 0x5EED, 1000, 50000);
	expect(&rw, pkt(1, 700, 9000), 0, 1000, 50000, true);
	expect(&rw, pkt(1, 701, 9160), 20, 1001, 50160, false);
	/* Same tick: one packet's worth of timestamp. */
	expect(&rw, pkt(2, 31000, 777777), 20, 1002, 50320, true);
	expect(&rw, pkt(2, 31001, 777937), 40, 1003, 50480, false);
	/* 100 ms of nothing before the third source: 800 samples on. */
	expect(&rw, pkt(3, 5, 1), 140, 1004, 51280, true);
	expect(&rw, pkt(3, 6, 161), 160, 1005, 51440, false);
	/* A late packet from the second source starts over again. */
	expect(&rw, pkt(2, 31002, 778097), 180, 1006, 51600, true);
}

static void the_gap_after_a_switch_follows_the_sources_packet_size(void **state)
{
	struct media_rtp_rewrite rw;

	(void)state;
	media_rtp_rewrite_init(&rw, 0x5EED, 0, 0);
	expect(&rw, pkt(1, 1, 0), 0, 0, 0, true);
	expect(&rw, pkt(1, 2, 240), 30, 1, 240, false);      /* 30 ms packets */
	expect(&rw, pkt(9, 1, 0), 30, 2, 480, true);
}

static void reset_restarts_a_source_that_keeps_its_ssrc(void **state)
{
	struct media_rtp_rewrite rw;

	(void)state;
	media_rtp_rewrite_init(&rw, 0x5EED, 10, 100);
	expect(&rw, pkt(1, 500, 8000), 0, 10, 100, true);
	expect(&rw, pkt(1, 501, 8160), 20, 11, 260, false);
	media_rtp_rewrite_reset(&rw);
	expect(&rw, pkt(1, 0, 0), 40, 12, 420, true);
	expect(&rw, pkt(1, 1, 160), 60, 13, 580, false);
}

static void a_large_sequence_jump_is_a_restarted_sender(void **state)
{
	struct media_rtp_rewrite rw;

	(void)state;
	media_rtp_rewrite_init(&rw, 0x5EED, 10, 100);
	expect(&rw, pkt(1, 500, 8000), 0, 10, 100, true);
	expect(&rw, pkt(1, 4000, 3), 20, 11, 260, true);     /* > 3000 on */
	expect(&rw, pkt(1, 4001, 163), 40, 12, 420, false);
	expect(&rw, pkt(1, 3800, 163), 60, 13, 580, true);   /* > 100 back */
}

static void sequence_and_timestamp_wrap_on_both_sides(void **state)
{
	struct media_rtp_rewrite rw;

	(void)state;
	media_rtp_rewrite_init(&rw, 0x5EED, 65534, 0xFFFFFF60u);
	expect(&rw, pkt(1, 65535, 0xFFFFFFA0u), 0, 65534, 0xFFFFFF60u, true);
	expect(&rw, pkt(1, 0, 0x40), 20, 65535, 0, false);
	expect(&rw, pkt(1, 1, 0xE0), 40, 0, 0xA0, false);
	/* The switch anchors on the highest packet sent, across the wrap. */
	expect(&rw, pkt(2, 9, 9), 40, 1, 0x140, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_plain_packet_parses_into_its_fields),
		cmocka_unit_test(csrcs_extension_and_padding_are_skipped_to_the_payload),
		cmocka_unit_test(malformed_packets_are_rejected),
		cmocka_unit_test(a_written_header_parses_back),
		cmocka_unit_test(patching_changes_only_the_rewritten_fields),
		cmocka_unit_test(one_source_goes_out_under_our_ssrc_seq_and_ts),
		cmocka_unit_test(a_new_ssrc_continues_the_stream_with_the_marker),
		cmocka_unit_test(the_gap_after_a_switch_follows_the_sources_packet_size),
		cmocka_unit_test(reset_restarts_a_source_that_keeps_its_ssrc),
		cmocka_unit_test(a_large_sequence_jump_is_a_restarted_sender),
		cmocka_unit_test(sequence_and_timestamp_wrap_on_both_sides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
