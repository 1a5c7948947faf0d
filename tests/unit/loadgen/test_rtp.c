/* bench/calls' RTP counting (bench/loadgen/rtp.c): synthetic sequences fed
 * to the receiver, and delivered loss against sequence loss. A target that
 * rewrites sequence numbers must not read as lossy, a jump back must not
 * hide the loss after it, duplicates and a new SSRC must count right
 * (issue 18). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <re.h>
#include "../bench/loadgen/loadgen.h"

/* Feeds packets with these sequence numbers (and SSRCs, 7 when ssrc is
 * NULL) to a fresh receiver and returns its counters. */
static struct lg_rtp feed(const uint16_t *seq, const uint32_t *ssrc, size_t n)
{
	struct lg_rx rx;
	uint64_t inc[LG_NCTR] = {0};
	struct lg_rtp r;
	uint8_t p[LG_RTP_HDR + LG_SAMPLES] = {0x80, 0};

	memset(&rx, 0, sizeof(rx));
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < n; i++) {
		uint32_t s = ssrc ? ssrc[i] : 7;

		p[2] = (uint8_t)(seq[i] >> 8);
		p[3] = (uint8_t)seq[i];
		p[8] = (uint8_t)(s >> 24);
		p[9] = (uint8_t)(s >> 16);
		p[10] = (uint8_t)(s >> 8);
		p[11] = (uint8_t)s;
		lg_rx_account(&rx, p, sizeof(p), 101, inc);
	}
	for (int c = 0; c < LG_NCTR; c++)
		*lg_rtp_at(&r, c) = inc[c];
	return r;
}

static void a_small_gap_is_sequence_loss(void **state)
{
	static const uint16_t seq[] = {10, 11, 14, 15};
	struct lg_rtp r = feed(seq, NULL, 4);

	(void)state;
	assert_int_equal(r.rx, 4);
	assert_int_equal(r.expected, 6);
	assert_int_equal(r.gaps, 2);
	assert_int_equal(lg_rtp_lost(&r), 2);
	assert_int_equal(r.resyncs, 0);
}

/* A rewriting peer jumps thousands ahead: a new numbering, not loss. */
static void a_far_jump_forward_is_a_resync_not_loss(void **state)
{
	static const uint16_t seq[] = {10, 11, 12, 20000, 20001, 20002};
	struct lg_rtp r = feed(seq, NULL, 6);

	(void)state;
	assert_int_equal(r.rx, 6);
	assert_int_equal(r.resyncs, 1);
	assert_int_equal(r.expected, 6);
	assert_int_equal(lg_rtp_lost(&r), 0);
	assert_int_equal(r.late, 0);
}

/* The largest jump still loss and the smallest that is a resync. */
static void the_dropout_bound_separates_loss_from_resync(void **state)
{
	static const uint16_t below[] = {100, 100 + LG_MAX_DROPOUT - 1};
	static const uint16_t at[] = {100, 100 + LG_MAX_DROPOUT};
	struct lg_rtp b = feed(below, NULL, 2), a = feed(at, NULL, 2);

	(void)state;
	assert_int_equal(lg_rtp_lost(&b), LG_MAX_DROPOUT - 2);
	assert_int_equal(b.resyncs, 0);
	assert_int_equal(lg_rtp_lost(&a), 0);
	assert_int_equal(a.resyncs, 1);
}

/* After a jump back, the old counter would have called every packet late
 * until the numbers caught up, and the loss among them never showed. */
static void loss_after_a_jump_back_is_still_seen(void **state)
{
	static const uint16_t seq[] = {5000, 5001, 5002, 1000, 1001,
				       1004, 1005};
	struct lg_rtp r = feed(seq, NULL, 7);

	(void)state;
	assert_int_equal(r.resyncs, 1);
	assert_int_equal(r.late, 0);
	assert_int_equal(r.gaps, 2);
	assert_int_equal(lg_rtp_lost(&r), 2);
}

/* A little way back is a late packet: it fills the gap it left. */
static void a_late_packet_within_the_misorder_bound_fills_its_gap(void **state)
{
	static const uint16_t seq[] = {10, 12, 11, 13};
	struct lg_rtp r = feed(seq, NULL, 4);

	(void)state;
	assert_int_equal(r.late, 1);
	assert_int_equal(r.resyncs, 0);
	assert_int_equal(r.expected, 4);
	assert_int_equal(lg_rtp_lost(&r), 0);
}

static void duplicates_are_not_received_twice(void **state)
{
	static const uint16_t seq[] = {10, 11, 11, 11, 12};
	struct lg_rtp r = feed(seq, NULL, 5);
	struct lg_rtp sides[LG_SIDES];

	(void)state;
	assert_int_equal(r.dup, 2);
	assert_int_equal(r.expected, 3);
	assert_int_equal(lg_rtp_lost(&r), 0);
	/* Delivered leaves them out too: 3 of the 3 the far end sent. */
	memset(sides, 0, sizeof(sides));
	sides[LG_AGENT] = r;
	sides[LG_CALLER].tx = 3;
	sides[LG_AGENT].tx = 1;
	sides[LG_CALLER].rx = 1;
	assert_true(lg_rtp_delivered_pct(sides, LG_AGENT) == 100.0);
	assert_true(lg_rtp_delivered_loss_pct(sides) == 0.0);
}

static void a_new_ssrc_starts_afresh(void **state)
{
	static const uint16_t seq[] = {10, 11, 500, 501, 503};
	static const uint32_t ssrc[] = {7, 7, 9, 9, 9};
	struct lg_rtp r = feed(seq, ssrc, 5);

	(void)state;
	assert_int_equal(r.ssrc_changes, 1);
	assert_int_equal(r.resyncs, 0);
	assert_int_equal(r.expected, 6);
	assert_int_equal(lg_rtp_lost(&r), 1);
}

static void the_sequence_wraps(void **state)
{
	static const uint16_t seq[] = {65534, 65535, 0, 1};
	struct lg_rtp r = feed(seq, NULL, 4);

	(void)state;
	assert_int_equal(r.expected, 4);
	assert_int_equal(lg_rtp_lost(&r), 0);
	assert_int_equal(r.resyncs + r.late, 0);
}

/* The case: the target rewrote numbers (a small jump forward, so
 * sequence loss sees hundreds lost) yet delivered every packet. */
static void delivered_loss_ignores_rewritten_numbers(void **state)
{
	uint16_t seq[200];
	struct lg_rtp sides[LG_SIDES];
	double seq_loss;

	(void)state;
	for (unsigned i = 0; i < 200; i++)
		seq[i] = (uint16_t)(i < 100 ? i : i + 900);
	memset(sides, 0, sizeof(sides));
	sides[LG_AGENT] = feed(seq, NULL, 200);
	sides[LG_CALLER] = feed(seq, NULL, 200);
	sides[LG_CALLER].tx = sides[LG_AGENT].tx = 200;
	seq_loss = lg_rtp_loss_pct(&sides[LG_AGENT]);
	assert_true(seq_loss > 80.0);
	assert_true(lg_rtp_delivered_pct(sides, LG_AGENT) == 100.0);
	assert_true(lg_rtp_delivered_loss_pct(sides) == 0.0);
	assert_true(lg_rtp_judged_loss_pct(sides) == 0.0);
}

/* Real loss shows in delivered: 10 of 400 sent never arrived. */
static void delivered_loss_counts_what_never_arrived(void **state)
{
	struct lg_rtp sides[LG_SIDES];

	(void)state;
	memset(sides, 0, sizeof(sides));
	sides[LG_CALLER].tx = 200;
	sides[LG_AGENT].tx = 200;
	sides[LG_AGENT].rx = 196;       /* of the callers' 200 */
	sides[LG_CALLER].rx = 194;      /* of the agents' 200 */
	assert_true(lg_rtp_delivered_pct(sides, LG_AGENT) == 98.0);
	assert_true(lg_rtp_delivered_pct(sides, LG_CALLER) == 97.0);
	assert_true(lg_rtp_delivered_loss_pct(sides) == 2.5);
	assert_true(lg_rtp_judged_loss_pct(sides) == 2.5);
}

/* One side silent (an echo peer, not ours): delivered is unknown and the
 * step is judged by sequence loss. */
static void without_both_ends_delivered_is_unknown(void **state)
{
	static const uint16_t seq[] = {1, 2, 4};
	struct lg_rtp sides[LG_SIDES];

	(void)state;
	memset(sides, 0, sizeof(sides));
	sides[LG_CALLER] = feed(seq, NULL, 3);
	sides[LG_CALLER].tx = 3;
	assert_true(lg_rtp_delivered_pct(sides, LG_CALLER) < 0);
	assert_true(lg_rtp_delivered_loss_pct(sides) < 0);
	assert_true(lg_rtp_judged_loss_pct(sides) == 25.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_small_gap_is_sequence_loss),
		cmocka_unit_test(a_far_jump_forward_is_a_resync_not_loss),
		cmocka_unit_test(the_dropout_bound_separates_loss_from_resync),
		cmocka_unit_test(loss_after_a_jump_back_is_still_seen),
		cmocka_unit_test(a_late_packet_within_the_misorder_bound_fills_its_gap),
		cmocka_unit_test(duplicates_are_not_received_twice),
		cmocka_unit_test(a_new_ssrc_starts_afresh),
		cmocka_unit_test(the_sequence_wraps),
		cmocka_unit_test(delivered_loss_ignores_rewritten_numbers),
		cmocka_unit_test(delivered_loss_counts_what_never_arrived),
		cmocka_unit_test(without_both_ends_delivered_is_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
