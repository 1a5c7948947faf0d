/* RFC 4733 telephone-events: the payload, a receiver that reports every key
 * press exactly once whatever the network does to its packets, and a sender
 * whose packets that receiver understands. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "base/util.h"
#include "media/media_int.h"

static void the_payload_round_trips(void **state)
{
	const uint8_t wire[4] = {11, 0x8A, 0x03, 0x20};  /* '#', E, -10, 800 */
	struct media_dtmf_event ev;
	uint8_t out[4];

	(void)state;
	assert_int_equal(0, media_dtmf_decode(&ev, wire, 4));
	assert_int_equal(11, ev.event);
	assert_true(ev.end);
	assert_int_equal(10, ev.volume);
	assert_int_equal(800, ev.duration);
	media_dtmf_encode(out, &ev);
	assert_memory_equal(wire, out, 4);
	assert_int_equal(EBADMSG, media_dtmf_decode(&ev, wire, 3));
}

static void event_codes_map_to_the_sixteen_keys(void **state)
{
	const char keys[] = "0123456789*#ABCD";
	uint8_t code;

	(void)state;
	for (uint8_t i = 0; i < 16; i++) {
		assert_int_equal(keys[i], media_dtmf_char(i));
		assert_int_equal(0, media_dtmf_code(keys[i], &code));
		assert_int_equal(i, code);
	}
	assert_int_equal(0, media_dtmf_char(16));       /* flash */
	assert_int_equal(0, media_dtmf_code('b', &code));
	assert_int_equal(13, code);
	assert_int_equal(EINVAL, media_dtmf_code('E', &code));
	assert_int_equal(EINVAL, media_dtmf_code('\0', &code));
}

/* One packet as a sender would put it on the wire. */
struct pkt {
	uint32_t ts;
	bool     marker;
	uint8_t  event;
	bool     end;
	uint16_t duration;
};

/* Feeds the packets in order and returns the digits reported. */
static void feed(struct media_dtmf_rx *rx, const struct pkt *p, size_t n,
		 char *got)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct media_dtmf_event ev = {
			.event = p[i].event, .end = p[i].end,
			.volume = 10, .duration = p[i].duration,
		};
		uint8_t pl[4];
		char d = 0;
		int err;

		media_dtmf_encode(pl, &ev);
		err = media_dtmf_rx_feed(rx, p[i].ts, p[i].marker, pl, 4, &d);
		if (err == 0)
			got[k++] = d;
		else
			assert_int_equal(ENOENT, err);
	}
	got[k] = 0;
}

static void a_clean_press_is_reported_once(void **state)
{
	const struct pkt p[] = {
		{1000, true, 5, false, 160}, {1000, false, 5, false, 320},
		{1000, false, 5, false, 480}, {1000, false, 5, true, 640},
		{1000, false, 5, true, 640}, {1000, false, 5, true, 640},
	};
	struct media_dtmf_rx rx;
	char got[16];

	(void)state;
	media_dtmf_rx_init(&rx);
	feed(&rx, p, ARRAY_LEN(p), got);
	assert_string_equal("5", got);
}

static void duplicated_packets_change_nothing(void **state)
{
	const struct pkt p[] = {
		{1000, true, 1, false, 160}, {1000, true, 1, false, 160},
		{1000, false, 1, false, 320}, {1000, false, 1, false, 320},
		{1000, false, 1, true, 480}, {1000, false, 1, true, 480},
		{1000, false, 1, true, 480}, {1000, false, 1, true, 480},
	};
	struct media_dtmf_rx rx;
	char got[16];

	(void)state;
	media_dtmf_rx_init(&rx);
	feed(&rx, p, ARRAY_LEN(p), got);
	assert_string_equal("1", got);
}

static void a_lost_first_packet_still_gives_the_digit(void **state)
{
	const struct pkt p[] = {
		/* the marker packet never arrived */
		{4000, false, 9, false, 320}, {4000, false, 9, true, 480},
		{4000, false, 9, true, 480},
		/* nor did anything but one end packet of the next press */
		{6000, false, 0, true, 400},
	};
	struct media_dtmf_rx rx;
	char got[16];

	(void)state;
	media_dtmf_rx_init(&rx);
	feed(&rx, p, ARRAY_LEN(p), got);
	assert_string_equal("90", got);
}

static void late_end_packets_do_not_repeat_a_digit(void **state)
{
	const struct pkt p[] = {
		{1000, true, 1, false, 160}, {1000, false, 1, true, 480},
		{1000, false, 1, false, 320},          /* overtaken by the end */
		{2000, true, 2, false, 160},
		{1000, false, 1, true, 480},           /* end of 1 after 2 began */
		{2000, false, 2, true, 320}, {2000, false, 2, true, 320},
	};
	struct media_dtmf_rx rx;
	char got[16];

	(void)state;
	media_dtmf_rx_init(&rx);
	feed(&rx, p, ARRAY_LEN(p), got);
	assert_string_equal("12", got);
}

static void the_same_key_twice_is_two_presses(void **state)
{
	const struct pkt p[] = {
		{1000, true, 7, false, 160}, {1000, false, 7, true, 320},
		{1800, true, 7, false, 160}, {1800, false, 7, true, 320},
		/* and again, with every packet but an update lost */
		{2600, false, 7, false, 320},
	};
	struct media_dtmf_rx rx;
	char got[16];

	(void)state;
	media_dtmf_rx_init(&rx);
	feed(&rx, p, ARRAY_LEN(p), got);
	assert_string_equal("777", got);
}

static void a_long_press_in_two_segments_is_one_press(void **state)
{
	const struct pkt p[] = {
		{0, true, 3, false, 160}, {0, false, 3, false, 65000},
		{0, false, 3, false, 65535},
		/* RFC 4733 2.5.1.3: a new segment, no marker */
		{65535, false, 3, false, 160}, {65535, false, 3, true, 800},
		{70000, true, 3, false, 160},          /* then a real press */
	};
	struct media_dtmf_rx rx;
	char got[16];

	(void)state;
	media_dtmf_rx_init(&rx);
	feed(&rx, p, ARRAY_LEN(p), got);
	assert_string_equal("33", got);
}

static void timestamps_wrap_like_serial_numbers(void **state)
{
	const struct pkt p[] = {
		{0xFFFFFF00u, true, 4, false, 160}, {0xFFFFFF00u, false, 4, true, 320},
		{0x00000100u, true, 6, false, 160},
		{0xFFFFFF00u, false, 4, true, 320},    /* stale, across the wrap */
	};
	struct media_dtmf_rx rx;
	char got[16];

	(void)state;
	media_dtmf_rx_init(&rx);
	feed(&rx, p, ARRAY_LEN(p), got);
	assert_string_equal("46", got);
}

static void non_dtmf_events_and_short_payloads_are_not_digits(void **state)
{
	const uint8_t flash[4] = {16, 0, 0, 160}, shorty[3] = {1, 0, 0};
	struct media_dtmf_rx rx;
	char d = 0;

	(void)state;
	media_dtmf_rx_init(&rx);
	assert_int_equal(ENOENT, media_dtmf_rx_feed(&rx, 1, true, flash, 4, &d));
	assert_int_equal(EBADMSG, media_dtmf_rx_feed(&rx, 2, true, shorty, 3, &d));
	assert_int_equal(0, d);
}

static void the_sender_marks_updates_and_ends_three_times(void **state)
{
	struct media_dtmf_tx tx;
	struct media_dtmf_event ev;
	uint16_t want[] = {160, 320, 480, 640, 800, 800, 800};
	uint8_t pl[4];
	bool m;

	(void)state;
	assert_int_equal(0, media_dtmf_tx_start(&tx, '#', 100, 10));
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		assert_int_equal(0, media_dtmf_tx_next(&tx, pl, &m));
		assert_int_equal(0, media_dtmf_decode(&ev, pl, 4));
		assert_int_equal(i == 0, m);
		assert_int_equal(11, ev.event);
		assert_int_equal(10, ev.volume);
		assert_int_equal(want[i], ev.duration);
		assert_int_equal(i >= 4, ev.end);
	}
	assert_int_equal(ENOENT, media_dtmf_tx_next(&tx, pl, &m));
	assert_int_equal(ENOENT, media_dtmf_tx_next(&tx, pl, &m));
}

static void the_sender_rounds_up_and_refuses_what_it_cannot_send(void **state)
{
	struct media_dtmf_tx tx;
	struct media_dtmf_event ev;
	uint8_t pl[4];
	bool m;
	int n = 0;

	(void)state;
	assert_int_equal(0, media_dtmf_tx_start(&tx, 'a', 30, 63));
	while (media_dtmf_tx_next(&tx, pl, &m) == 0)
		n++;
	assert_int_equal(0, media_dtmf_decode(&ev, pl, 4));
	assert_int_equal(320, ev.duration);          /* 30 ms -> 40 ms */
	assert_int_equal(12, ev.event);
	assert_int_equal(4, n);                      /* 160, then 320 ended x3 */

	assert_int_equal(EINVAL, media_dtmf_tx_start(&tx, 'x', 100, 10));
	assert_int_equal(EINVAL, media_dtmf_tx_start(&tx, '1', 0, 10));
	assert_int_equal(EINVAL, media_dtmf_tx_start(&tx, '1', 9000, 10));
	assert_int_equal(EINVAL, media_dtmf_tx_start(&tx, '1', 100, 64));
}

static void what_the_sender_sends_the_receiver_reports_once(void **state)
{
	const char *keys = "0123456789*#ABCD";
	struct media_dtmf_rx rx;
	struct media_dtmf_tx tx;
	char got[32] = {0};
	size_t k = 0;

	(void)state;
	media_dtmf_rx_init(&rx);
	for (uint32_t i = 0; keys[i]; i++) {
		uint32_t ts = 0xFFFF0000u + i * 2000;   /* wraps on the way */
		uint8_t pl[4];
		bool m;

		assert_int_equal(0, media_dtmf_tx_start(&tx, keys[i], 120, 10));
		while (media_dtmf_tx_next(&tx, pl, &m) == 0) {
			char d;

			if (media_dtmf_rx_feed(&rx, ts, m, pl, 4, &d) == 0)
				got[k++] = d;
		}
	}
	assert_string_equal(keys, got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_payload_round_trips),
		cmocka_unit_test(event_codes_map_to_the_sixteen_keys),
		cmocka_unit_test(a_clean_press_is_reported_once),
		cmocka_unit_test(duplicated_packets_change_nothing),
		cmocka_unit_test(a_lost_first_packet_still_gives_the_digit),
		cmocka_unit_test(late_end_packets_do_not_repeat_a_digit),
		cmocka_unit_test(the_same_key_twice_is_two_presses),
		cmocka_unit_test(a_long_press_in_two_segments_is_one_press),
		cmocka_unit_test(timestamps_wrap_like_serial_numbers),
		cmocka_unit_test(non_dtmf_events_and_short_payloads_are_not_digits),
		cmocka_unit_test(the_sender_marks_updates_and_ends_three_times),
		cmocka_unit_test(the_sender_rounds_up_and_refuses_what_it_cannot_send),
		cmocka_unit_test(what_the_sender_sends_the_receiver_reports_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
