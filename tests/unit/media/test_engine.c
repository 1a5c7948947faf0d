/* The RTP engine over real loopback sockets: relaying between bridged legs
 * (with new SSRC, continuous sequence numbers and transcoding), symmetric
 * RTP latching, RFC 4733 digits reported on the loop, prompts, and SRTP
 * on one leg of a bridge (the phone's side of libre's SRTP played here). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_main.h>
#include <re_tmr.h>
#include <re_mbuf.h>
#include <re_srtp.h>
#include "media/media_int.h"

/* A phone's RTP socket on loopback. */
struct peer {
	int fd;
	struct sockaddr_in sin;
};

static void peer_open(struct peer *p)
{
	socklen_t len = sizeof(p->sin);

	p->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(p->fd >= 0);
	memset(&p->sin, 0, sizeof(p->sin));
	p->sin.sin_family = AF_INET;
	p->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(p->fd, (struct sockaddr *)&p->sin, len), 0);
	assert_int_equal(getsockname(p->fd, (struct sockaddr *)&p->sin, &len), 0);
}

static void peer_send(const struct peer *p, uint16_t port, uint8_t pt,
		      uint16_t seq, uint32_t ts, const uint8_t *payload,
		      size_t n, bool marker)
{
	struct media_rtp_hdr h = {.pt = pt, .seq = seq, .ts = ts,
				  .ssrc = 0x11223344, .marker = marker};
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	uint8_t buf[512];
	size_t hlen;

	assert_int_equal(media_rtp_write(buf, sizeof(buf), &h, &hlen), 0);
	memcpy(buf + hlen, payload, n);
	assert_true(sendto(p->fd, buf, hlen + n, 0, (struct sockaddr *)&to,
			   sizeof(to)) > 0);
}

/* Receives one packet within 3 s (generous for sanitizer builds on a busy
 * machine); 0 when none came. */
static size_t peer_recv(const struct peer *p, uint8_t *buf, size_t size)
{
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	ssize_t n;

	if (poll(&pfd, 1, 3000) != 1)
		return 0;
	n = recv(p->fd, buf, size, 0);
	return n > 0 ? (size_t)n : 0;
}

struct fixture {
	struct media_engine *eng;
	struct media_leg *a, *b;
	struct peer pa, pb;
	struct media_event events[16];
	unsigned nevents;
	struct tmr tmr;
};

static void on_event(const struct media_event *ev, void *arg)
{
	struct fixture *f = arg;
	if (f->nevents < 16)
		f->events[f->nevents++] = *ev;
	re_cancel();
}

static void timeout(void *arg)
{
	(void)arg;
	re_cancel();
}

/* Runs the signalling loop until an event arrives or 2 s pass. */
static void run_loop(struct fixture *f)
{
	tmr_start(&f->tmr, 5000, timeout, f);
	re_main(NULL);
	tmr_cancel(&f->tmr);
}

static void leg_to(struct media_leg *l, const struct peer *p)
{
	assert_int_equal(media_leg_set_remote(l, (const struct sockaddr *)&p->sin,
					      sizeof(p->sin)), 0);
}

static int setup(void **state)
{
	static struct fixture f;
	/* A port range of our own, so parallel runs do not meet. */
	uint16_t lo = (uint16_t)(20000 + (getpid() % 300) * 100);
	struct media_engine_opts o = {.threads = 1, .port_lo = lo,
				      .port_hi = (uint16_t)(lo + 99),
				      .bind_ip = "127.0.0.1",
				      .eventh = on_event, .arg = &f};

	memset(&f, 0, sizeof(f));
	assert_int_equal(libre_init(), 0);
	tmr_init(&f.tmr);
	assert_int_equal(media_engine_start(&f.eng, &o), 0);
	assert_int_equal(media_leg_alloc(&f.a, f.eng, 0, &f.a), 0);
	assert_int_equal(media_leg_alloc(&f.b, f.eng, 0, &f.b), 0);
	peer_open(&f.pa);
	peer_open(&f.pb);
	leg_to(f.a, &f.pa);
	leg_to(f.b, &f.pb);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	media_leg_close(f->a);
	media_leg_close(f->b);
	media_engine_stop(f->eng);
	close(f->pa.fd);
	close(f->pb.fd);
	libre_close();
	return 0;
}

static void relays_with_new_identity_and_transcodes(void **state)
{
	struct fixture *f = *state;
	uint8_t payload[160], buf[512];
	struct media_rtp_hdr h;
	uint32_t ssrc = 0;
	uint16_t seq = 0;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 1);
	/* a speaks µ-law on PT 0, b A-law on PT 8. */
	assert_int_equal(media_leg_set_codec(f->a, MEDIA_PCMU, 0, 101), 0);
	assert_int_equal(media_leg_set_codec(f->b, MEDIA_PCMA, 8, 101), 0);
	assert_int_equal(media_bridge(f->a, f->b), 0);

	for (uint16_t i = 0; i < 5; i++) {
		size_t n;
		peer_send(&f->pa, media_leg_port(f->a), 0, (uint16_t)(1000 + i),
			  160u * i, payload, sizeof(payload), i == 0);
		n = peer_recv(&f->pb, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(media_rtp_parse(&h, buf, n), 0);
		assert_int_equal(h.pt, 8);
		assert_int_equal(h.payload_len, sizeof(payload));
		for (size_t k = 0; k < sizeof(payload); k++)
			assert_int_equal(h.payload[k],
					 media_ulaw_to_alaw(payload[k]));
		assert_int_not_equal(h.ssrc, 0x11223344);
		if (i) {
			assert_int_equal(h.ssrc, ssrc);
			assert_int_equal(h.seq, (uint16_t)(seq + 1));
		}
		ssrc = h.ssrc;
		seq = h.seq;
	}
}

/* Bridges a and b, both PCMU with telephone-event 101. */
static void bridge_pcmu(struct fixture *f)
{
	assert_int_equal(media_leg_set_codec(f->a, MEDIA_PCMU, 0, 101), 0);
	assert_int_equal(media_leg_set_codec(f->b, MEDIA_PCMU, 0, 101), 0);
	assert_int_equal(media_bridge(f->a, f->b), 0);
}

/* from's packet to leg a is relayed to b's phone. */
static void relayed(struct fixture *f, struct peer *from, uint16_t seq)
{
	uint8_t payload[160] = {0xff}, buf[512];

	peer_send(from, media_leg_port(f->a), 0, seq, 0, payload, 160, true);
	assert_true(peer_recv(&f->pb, buf, sizeof(buf)) > 0);
}

/* from's packet to leg a is dropped, counted, and b's phone gets nothing. */
static void dropped(struct fixture *f, struct peer *from, uint16_t seq)
{
	uint8_t payload[160] = {0xff};
	struct media_stats before, after;
	struct pollfd pfd = {.fd = f->pb.fd, .events = POLLIN};

	media_engine_stats(f->eng, &before);
	peer_send(from, media_leg_port(f->a), 0, seq, 160, payload, 160, false);
	assert_int_equal(poll(&pfd, 1, 300), 0);
	media_engine_stats(f->eng, &after);
	assert_int_equal(after.rx_dropped, before.rx_dropped + 1);
	/* The 300 ms held 15 ticks of the thread: its CPU clock moved. */
	assert_true(after.cpu_ns > before.cpu_ns);
}

static void drops_rtp_from_anyone_but_the_latched_peer(void **state)
{
	struct fixture *f = *state;
	struct peer stranger;

	bridge_pcmu(f);
	relayed(f, &f->pa, 1);
	peer_open(&stranger);
	dropped(f, &stranger, 2);
	close(stranger.fd);
}

/* A stray packet (an earlier call's, on a port just reused) latches the
 * leg first; the peer the SDP named then takes it back, and from then on
 * the stray one is the stranger. */
static void the_sdp_peer_takes_the_leg_back_from_a_stray_sender(void **state)
{
	struct fixture *f = *state;
	struct peer stray;

	bridge_pcmu(f);
	peer_open(&stray);
	relayed(f, &stray, 1);
	relayed(f, &f->pa, 7);
	dropped(f, &stray, 2);
	close(stray.fd);
}

static void reports_an_rfc4733_digit_once_on_the_loop(void **state)
{
	struct fixture *f = *state;
	struct media_dtmf_event ev = {.event = 5, .volume = 10};
	uint8_t p[4];

	assert_int_equal(media_leg_set_codec(f->a, MEDIA_PCMU, 0, 101), 0);
	/* Start, two updates, three ends: one key press. */
	for (uint16_t i = 0; i < 6; i++) {
		ev.duration = (uint16_t)(160 * (i < 3 ? i + 1 : 3));
		ev.end = i >= 3;
		media_dtmf_encode(p, &ev);
		peer_send(&f->pa, media_leg_port(f->a), 101, (uint16_t)(50 + i),
			  8000, p, sizeof(p), i == 0);
	}
	run_loop(f);
	assert_int_equal(f->nevents, 1);
	assert_int_equal(f->events[0].kind, MEDIA_EV_DTMF);
	assert_int_equal(f->events[0].digit, '5');
	assert_false(f->events[0].inband);
	assert_ptr_equal(f->events[0].owner, &f->a);
}

static void plays_a_prompt_then_says_it_ended(void **state)
{
	struct fixture *f = *state;
	struct media_prompt *pr;
	int16_t pcm[800];
	uint8_t buf[512];
	struct media_rtp_hdr h;
	size_t got = 0;

	for (size_t i = 0; i < 800; i++)
		pcm[i] = (int16_t)((i % 40) * 400 - 8000);
	assert_int_equal(media_prompt_alloc(&pr, pcm, 800), 0);
	assert_int_equal(media_leg_set_codec(f->a, MEDIA_PCMA, 8, 0), 0);
	assert_int_equal(media_leg_play(f->a, pr, false), 0);
	media_prompt_unref(pr);   /* the leg holds its own reference */

	while (got < 800) {
		size_t n = peer_recv(&f->pa, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(media_rtp_parse(&h, buf, n), 0);
		assert_int_equal(h.pt, 8);
		assert_int_equal(h.payload_len, 160);
		for (size_t k = 0; k < 160; k++)
			assert_int_equal(h.payload[k],
					 media_alaw_encode(pcm[got + k]));
		got += 160;
	}
	run_loop(f);
	assert_int_equal(f->nevents, 1);
	assert_int_equal(f->events[0].kind, MEDIA_EV_PROMPT_END);
	assert_ptr_equal(f->events[0].owner, &f->a);
	/* Played once: nothing more comes. */
	{
		struct pollfd pfd = {.fd = f->pa.fd, .events = POLLIN};
		assert_int_equal(poll(&pfd, 1, 200), 0);
	}
}

/* The prompt ends while the loop is busy elsewhere; the owner closes the
 * leg (and could free itself) before the loop reads the event: it must
 * never reach the handler. */
static void no_event_after_its_leg_is_closed(void **state)
{
	struct fixture *f = *state;
	struct media_prompt *pr;
	int16_t pcm[160] = {0};
	uint8_t buf[512];

	assert_int_equal(media_prompt_alloc(&pr, pcm, 160), 0);
	assert_int_equal(media_leg_play(f->a, pr, false), 0);
	media_prompt_unref(pr);
	assert_true(peer_recv(&f->pa, buf, sizeof(buf)) > 0);
	usleep(100 * 1000);        /* the end is posted to the loop by now */
	media_leg_close(f->a);
	f->a = NULL;
	tmr_start(&f->tmr, 300, timeout, f);
	re_main(NULL);
	tmr_cancel(&f->tmr);
	assert_int_equal(f->nevents, 0);
}

static void sends_rfc4733_digits_of_its_own(void **state)
{
	struct fixture *f = *state;
	struct media_dtmf_rx rx;
	uint8_t buf[512];
	struct media_rtp_hdr h;
	char got[8] = "", digit;
	size_t ngot = 0;
	uint32_t press_ts = 0;

	assert_int_equal(media_leg_send_dtmf(f->a, "1#", 100), ENOTSUP);
	assert_int_equal(media_leg_set_codec(f->a, MEDIA_PCMU, 0, 101), 0);
	assert_int_equal(media_leg_send_dtmf(f->a, "1x", 100), EINVAL);
	assert_int_equal(media_leg_send_dtmf(f->a, "1#", 100), 0);

	media_dtmf_rx_init(&rx);
	while (ngot < 2) {
		size_t n = peer_recv(&f->pa, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(media_rtp_parse(&h, buf, n), 0);
		assert_int_equal(h.pt, 101);
		/* Every packet of a press carries the press's timestamp; the
		 * first one is marked. */
		if (h.marker)
			press_ts = h.ts;
		assert_int_equal(h.ts, press_ts);
		if (!media_dtmf_rx_feed(&rx, h.ts, h.marker, h.payload,
					h.payload_len, &digit))
			got[ngot++] = digit;
	}
	assert_string_equal(got, "1#");
}

/* Phone a speaks SRTP with its own key (leg a's rx), leg a answers it with
 * ours (leg a's tx); phone b speaks plain RTP. */
static void an_srtp_leg_encrypts_what_it_sends_and_authenticates_what_it_gets(
	void **state)
{
	struct fixture *f = *state;
	struct media_sdes ours, theirs;
	struct srtp *phone_tx = NULL, *phone_rx = NULL;
	struct media_stats before, after;
	struct media_rtp_hdr h = {.pt = 0, .ssrc = 0x55667788};
	uint8_t payload[160], pkt[512], buf[512];
	struct mbuf mb;
	size_t hlen, n;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 5 + 3);
	assert_int_equal(0, media_sdes_make(&ours, 1,
					    MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80));
	assert_int_equal(0, media_sdes_make(&theirs, 1,
					    MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80));
	assert_int_equal(0, srtp_alloc(&phone_tx, SRTP_AES_CM_128_HMAC_SHA1_80,
				       theirs.key, theirs.keylen, 0));
	assert_int_equal(0, srtp_alloc(&phone_rx, SRTP_AES_CM_128_HMAC_SHA1_80,
				       ours.key, ours.keylen, 0));
	assert_int_equal(media_leg_set_codec(f->a, MEDIA_PCMU, 0, 101), 0);
	assert_int_equal(media_leg_set_codec(f->b, MEDIA_PCMU, 0, 101), 0);
	assert_int_equal(EINVAL, media_leg_set_srtp(f->a, &ours, NULL));
	assert_int_equal(0, media_leg_set_srtp(f->a, &ours, &theirs));
	assert_int_equal(media_bridge(f->a, f->b), 0);

	/* a -> b: decrypted on the way in, relayed in the clear */
	for (uint16_t i = 0; i < 3; i++) {
		struct sockaddr_in to = {.sin_family = AF_INET,
			.sin_port = htons(media_leg_port(f->a)),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

		h.seq = (uint16_t)(700 + i);
		h.ts = 160u * i;
		assert_int_equal(0, media_rtp_write(pkt, sizeof(pkt), &h, &hlen));
		memcpy(pkt + hlen, payload, sizeof(payload));
		mb = (struct mbuf){.buf = pkt, .size = sizeof(pkt),
				   .end = hlen + sizeof(payload)};
		assert_int_equal(0, srtp_encrypt(phone_tx, &mb));
		assert_int_equal(hlen + sizeof(payload) + 10, mb.end);
		assert_true(sendto(f->pa.fd, pkt, mb.end, 0,
				   (struct sockaddr *)&to, sizeof(to)) > 0);
		n = peer_recv(&f->pb, buf, sizeof(buf));
		assert_int_equal(MEDIA_RTP_HDR_LEN + sizeof(payload), n);
		assert_int_equal(0, media_rtp_parse(&h, buf, n));
		assert_memory_equal(payload, h.payload, sizeof(payload));
		h.ssrc = 0x55667788;
	}

	/* b -> a: encrypted for phone a, which authenticates and decrypts */
	peer_send(&f->pb, media_leg_port(f->b), 0, 9, 0, payload,
		  sizeof(payload), true);
	n = peer_recv(&f->pa, buf, sizeof(buf));
	assert_int_equal(MEDIA_RTP_HDR_LEN + sizeof(payload) + 10, n);
	assert_memory_not_equal(payload, buf + MEDIA_RTP_HDR_LEN,
				sizeof(payload));
	mb = (struct mbuf){.buf = buf, .size = sizeof(buf), .end = n};
	assert_int_equal(0, srtp_decrypt(phone_rx, &mb));
	assert_memory_equal(payload, buf + MEDIA_RTP_HDR_LEN, sizeof(payload));

	/* plain RTP from phone a, or one bit changed: dropped, not relayed */
	media_engine_stats(f->eng, &before);
	peer_send(&f->pa, media_leg_port(f->a), 0, 703, 480, payload,
		  sizeof(payload), false);
	h.seq = 704;
	assert_int_equal(0, media_rtp_write(pkt, sizeof(pkt), &h, &hlen));
	memcpy(pkt + hlen, payload, sizeof(payload));
	mb = (struct mbuf){.buf = pkt, .size = sizeof(pkt),
			   .end = hlen + sizeof(payload)};
	assert_int_equal(0, srtp_encrypt(phone_tx, &mb));
	pkt[hlen + 7] ^= 1;
	{
		struct sockaddr_in to = {.sin_family = AF_INET,
			.sin_port = htons(media_leg_port(f->a)),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		struct pollfd pfd = {.fd = f->pb.fd, .events = POLLIN};

		assert_true(sendto(f->pa.fd, pkt, mb.end, 0,
				   (struct sockaddr *)&to, sizeof(to)) > 0);
		assert_int_equal(poll(&pfd, 1, 300), 0);
	}
	media_engine_stats(f->eng, &after);
	assert_int_equal(after.rx_dropped, before.rx_dropped + 2);

	/* keys off: plain RTP again */
	assert_int_equal(0, media_leg_set_srtp(f->a, NULL, NULL));
	peer_send(&f->pa, media_leg_port(f->a), 0, 705, 800, payload,
		  sizeof(payload), false);
	n = peer_recv(&f->pb, buf, sizeof(buf));
	assert_int_equal(MEDIA_RTP_HDR_LEN + sizeof(payload), n);
	mem_deref(phone_tx);
	mem_deref(phone_rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			relays_with_new_identity_and_transcodes, setup, teardown),
		cmocka_unit_test_setup_teardown(
			drops_rtp_from_anyone_but_the_latched_peer, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			the_sdp_peer_takes_the_leg_back_from_a_stray_sender,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			reports_an_rfc4733_digit_once_on_the_loop, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			plays_a_prompt_then_says_it_ended, setup, teardown),
		cmocka_unit_test_setup_teardown(
			no_event_after_its_leg_is_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(
			sends_rfc4733_digits_of_its_own, setup, teardown),
		cmocka_unit_test_setup_teardown(
			an_srtp_leg_encrypts_what_it_sends_and_authenticates_what_it_gets,
			setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
