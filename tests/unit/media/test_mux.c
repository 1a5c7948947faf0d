/* A mux (one RTP port for several legs' peers) over real loopback RTP
 * (mix_phones.h): a conference and a bridged pair on one port, heard as on
 * their own ports and answered from the mux's port; a stranger at the mux
 * heard by nobody; a peer that never moved still heard; a peer behind NAT
 * found at the mux; leaving the mux; the port given back; an SRTP leg on a
 * mux; what the API refuses. */
#include "mix_phones.h"
#include <re_mbuf.h>
#include <re_srtp.h>

/* Puts the phones in `who` on x; their phones now send to x's port, as a
 * phone does once it took the re-INVITE. */
static void move(struct fixture *f, struct media_mux *x, unsigned who)
{
	for (int i = 0; i < NPHONES; i++) {
		if (who & (1u << i))
			assert_int_equal(media_leg_mux(f->ph[i].leg, x), 0);
	}
}

static void expect_answered_from(struct fixture *f, unsigned who,
				 uint16_t port)
{
	for (int i = 0; i < NPHONES; i++) {
		if ((who & (1u << i)) && f->ph[i].from_port != port)
			fail_msg("phone %d got its audio from port %u, not %u",
				 i, f->ph[i].from_port, port);
	}
}

static void a_conference_on_a_mux_sounds_as_on_its_own_ports(void **state)
{
	struct fixture *f = *state;
	struct media_mux *x;

	f->ph[SUPER].sending = false;
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	move(f, x, C | A | T);
	for (int i = 0; i < SUPER; i++)
		assert_int_equal(media_leg_port(f->ph[i].leg), media_mux_port(x));
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[THIRD].leg, true), 0);
	listen_now(f, C | A | T);
	expect_hears(f, CUSTOMER, A | T);
	expect_hears(f, AGENT, C | T);
	expect_hears(f, THIRD, C | A);
	expect_answered_from(f, C | A | T, media_mux_port(x));
	media_mux_release(x);
}

static void a_bridged_pair_on_a_mux_talks_both_ways(void **state)
{
	struct fixture *f = *state;
	struct media_mux *x;
	uint16_t port;

	f->ph[THIRD].sending = f->ph[SUPER].sending = false;
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	port = media_mux_port(x);
	move(f, x, C | A);
	media_mux_release(x);    /* the legs hold it now */
	assert_int_equal(media_bridge(f->ph[CUSTOMER].leg, f->ph[AGENT].leg), 0);
	listen_now(f, C | A);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	expect_answered_from(f, C | A, port);
}

/* The supervisor is heard by everyone in the mix, but its phone sends to
 * the mux, where its leg is not: its packets match no member. */
static void a_stranger_at_the_mux_is_heard_by_nobody(void **state)
{
	struct fixture *f = *state;
	struct media_stats before, after;
	struct media_mux *x;

	f->ph[THIRD].sending = false;
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	move(f, x, C | A);
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[SUPER].leg, true), 0);
	f->ph[SUPER].to_port = media_mux_port(x);
	media_engine_stats(f->eng, &before);
	listen_now(f, C | A);
	media_engine_stats(f->eng, &after);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	assert_true(after.rx_dropped > before.rx_dropped);
	media_mux_release(x);
}

/* A peer that refused the re-INVITE keeps sending to the leg's own port:
 * it is heard, and answered from there. */
static void a_peer_that_never_moved_is_still_heard(void **state)
{
	struct fixture *f = *state;
	uint16_t own = media_leg_port(f->ph[AGENT].leg);
	struct media_mux *x;

	f->ph[THIRD].sending = f->ph[SUPER].sending = false;
	f->ph[AGENT].to_port = own;
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	move(f, x, C | A);
	add_call(f);
	listen_now(f, C | A);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	expect_answered_from(f, A, own);
	expect_answered_from(f, C, media_mux_port(x));
	media_mux_release(x);
}

/* A phone behind NAT sends from an address its SDP does not name. It
 * latched on the leg's own port; the answer to the re-INVITE that moved it
 * names the SDP's address again (unlatching the leg), and its packets at
 * the mux come from where it latched from. */
static void a_peer_behind_nat_is_still_known_at_the_mux(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in sdp = {.sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(0x7f000063)};
	struct media_leg *agent = f->ph[AGENT].leg;
	struct media_mux *x;

	f->ph[THIRD].sending = f->ph[SUPER].sending = false;
	assert_int_equal(media_leg_set_remote(agent, (struct sockaddr *)&sdp,
					      sizeof(sdp)), 0);
	add_call(f);
	listen_now(f, C | A);
	expect_hears(f, AGENT, C);
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	move(f, x, C | A);
	assert_int_equal(media_leg_set_remote(agent, (struct sockaddr *)&sdp,
					      sizeof(sdp)), 0);
	listen_now(f, C | A);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	expect_answered_from(f, C | A, media_mux_port(x));
	media_mux_release(x);
}

static void a_leg_off_the_mux_is_back_on_its_own_port(void **state)
{
	struct fixture *f = *state;
	uint16_t own = media_leg_port(f->ph[AGENT].leg);
	struct media_mux *x;

	f->ph[THIRD].sending = f->ph[SUPER].sending = false;
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	move(f, x, C | A);
	add_call(f);
	listen_now(f, C | A);
	expect_answered_from(f, A, media_mux_port(x));
	assert_int_equal(media_leg_unmux(f->ph[AGENT].leg), 0);
	assert_int_equal(media_leg_port(f->ph[AGENT].leg), own);
	assert_null(media_leg_mux_of(f->ph[AGENT].leg));
	listen_now(f, C | A);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	expect_answered_from(f, A, own);
	media_mux_release(x);
}

/* Once its creator and every leg let go, the port is free again: a plain
 * socket can bind it. */
static void the_port_is_given_back_when_the_last_holder_lets_go(void **state)
{
	struct fixture *f = *state;
	struct media_mux *x;
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	bool bound = false;

	assert_true(fd >= 0);
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	sin.sin_port = htons(media_mux_port(x));
	move(f, x, C | A);
	media_mux_release(x);
	media_leg_close(f->ph[CUSTOMER].leg);
	f->ph[CUSTOMER].leg = NULL;
	usleep(100000);
	assert_int_not_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(media_leg_unmux(f->ph[AGENT].leg), 0);
	for (int i = 0; i < 50 && !bound; i++) {
		bound = !bind(fd, (struct sockaddr *)&sin, sizeof(sin));
		if (!bound)
			usleep(20000);
	}
	close(fd);
	assert_true(bound);
}

/* Waits up to 3 s for one packet at p (sanitizer builds on a busy
 * machine); its length, 0 when none came. */
static size_t recv_one(struct phone *p, uint8_t *buf, size_t size)
{
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	ssize_t n;

	if (poll(&pfd, 1, 3000) != 1)
		return 0;
	n = recvfrom(p->fd, buf, size, 0, (struct sockaddr *)&from, &flen);
	p->from_port = ntohs(from.sin_port);
	return n > 0 ? (size_t)n : 0;
}

/* The customer's phone speaks SRTP (a TLS phone in a conference), the
 * agent's plain RTP, both moved to a mux and bridged: what each sends is
 * decrypted or encrypted per leg as on its own port. */
static void an_srtp_leg_on_a_mux_keeps_its_keys(void **state)
{
	struct fixture *f = *state;
	struct phone *cu = &f->ph[CUSTOMER], *ag = &f->ph[AGENT];
	struct media_sdes ours, theirs;
	struct srtp *phone_tx = NULL, *phone_rx = NULL;
	struct media_rtp_hdr h = {.pt = 0, .ssrc = 0x55667788, .seq = 700};
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	uint8_t payload[MEDIA_FRAME], pkt[512], buf[512];
	struct media_mux *x;
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
	assert_int_equal(media_leg_set_codec(ag->leg, MEDIA_PCMU, 0, 101), 0);
	assert_int_equal(0, media_leg_set_srtp(cu->leg, &ours, &theirs));
	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	move(f, x, C | A);
	assert_int_equal(media_bridge(cu->leg, ag->leg), 0);
	to.sin_port = htons(media_mux_port(x));

	/* customer -> agent: authenticated, decrypted, relayed in the clear
	 * (from the agent leg's own port: the agent's phone has not sent to
	 * the mux yet, fact 2) */
	assert_int_equal(0, media_rtp_write(pkt, sizeof(pkt), &h, &hlen));
	memcpy(pkt + hlen, payload, sizeof(payload));
	mb = (struct mbuf){.buf = pkt, .size = sizeof(pkt),
			   .end = hlen + sizeof(payload)};
	assert_int_equal(0, srtp_encrypt(phone_tx, &mb));
	assert_true(sendto(cu->fd, pkt, mb.end, 0, (struct sockaddr *)&to,
			   sizeof(to)) > 0);
	n = recv_one(ag, buf, sizeof(buf));
	assert_int_equal(MEDIA_RTP_HDR_LEN + sizeof(payload), n);
	assert_int_equal(0, media_rtp_parse(&h, buf, n));
	assert_memory_equal(payload, h.payload, sizeof(payload));
	assert_int_not_equal(ag->from_port, media_mux_port(x));

	/* agent -> customer: encrypted with the customer leg's key */
	assert_int_equal(0, media_rtp_write(pkt, sizeof(pkt),
					    &(struct media_rtp_hdr){.pt = 0,
						.seq = 9, .ssrc = 0x0a0b0c0d},
					    &hlen));
	memcpy(pkt + hlen, payload, sizeof(payload));
	assert_true(sendto(ag->fd, pkt, hlen + sizeof(payload), 0,
			   (struct sockaddr *)&to, sizeof(to)) > 0);
	n = recv_one(cu, buf, sizeof(buf));
	assert_int_equal(MEDIA_RTP_HDR_LEN + sizeof(payload) + 10, n);
	mb = (struct mbuf){.buf = buf, .size = sizeof(buf), .end = n};
	assert_int_equal(0, srtp_decrypt(phone_rx, &mb));
	assert_memory_equal(payload, buf + MEDIA_RTP_HDR_LEN, sizeof(payload));
	assert_int_equal(cu->from_port, media_mux_port(x));

	/* and now the agent's phone has sent to the mux, it hears from there */
	h = (struct media_rtp_hdr){.pt = 0, .ssrc = 0x55667788, .seq = 701,
				   .ts = 160};
	assert_int_equal(0, media_rtp_write(pkt, sizeof(pkt), &h, &hlen));
	memcpy(pkt + hlen, payload, sizeof(payload));
	mb = (struct mbuf){.buf = pkt, .size = sizeof(pkt),
			   .end = hlen + sizeof(payload)};
	assert_int_equal(0, srtp_encrypt(phone_tx, &mb));
	assert_true(sendto(cu->fd, pkt, mb.end, 0, (struct sockaddr *)&to,
			   sizeof(to)) > 0);
	n = recv_one(ag, buf, sizeof(buf));
	assert_int_equal(MEDIA_RTP_HDR_LEN + sizeof(payload), n);
	assert_int_equal(ag->from_port, media_mux_port(x));
	mem_deref(phone_tx);
	mem_deref(phone_rx);
	media_mux_release(x);
}

static void what_the_api_refuses(void **state)
{
	struct fixture *f = *state;
	struct media_mux *x, *y;
	struct phone other;

	assert_int_equal(media_mux_alloc(&x, f->eng, 0), 0);
	assert_int_equal(media_mux_alloc(&y, f->eng, 0), 0);
	assert_int_equal(media_leg_unmux(f->ph[AGENT].leg), ENOENT);
	assert_int_equal(media_leg_mux(f->ph[AGENT].leg, x), 0);
	assert_int_equal(media_leg_mux(f->ph[AGENT].leg, x), EALREADY);
	assert_int_equal(media_leg_mux(f->ph[AGENT].leg, y), EBUSY);
	assert_ptr_equal(media_leg_mux_of(f->ph[AGENT].leg), x);
	phone_open(f, &other, MEDIA_PCMU, 1);
	assert_int_equal(media_leg_mux(other.leg, x), EXDEV);
	media_leg_close(other.leg);
	close(other.fd);
	media_mux_release(y);
	media_mux_release(x);
	media_mux_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T_(a_conference_on_a_mux_sounds_as_on_its_own_ports),
		T_(a_bridged_pair_on_a_mux_talks_both_ways),
		T_(a_stranger_at_the_mux_is_heard_by_nobody),
		T_(a_peer_that_never_moved_is_still_heard),
		T_(a_peer_behind_nat_is_still_known_at_the_mux),
		T_(a_leg_off_the_mux_is_back_on_its_own_port),
		T_(the_port_is_given_back_when_the_last_holder_lets_go),
		T_(an_srtp_leg_on_a_mux_keeps_its_keys),
		T_(what_the_api_refuses),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
