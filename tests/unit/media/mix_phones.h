/* Test helper for the mixer's tests (test_mix.c, test_mix_call.c): four
 * phones on loopback RTP, each sending its own tone (customer 400 Hz, agent
 * 700 Hz, a third party 1,100 Hz, a supervisor 1,500 Hz; µ-law customer and
 * third party, A-law agent and supervisor), each with a leg of a fresh
 * engine on shard 0, and a mix on that shard; what each phone receives is
 * decoded and measured with the Goertzel filter. Include once per test. */
#ifndef HL_TESTS_MIX_PHONES_H
#define HL_TESTS_MIX_PHONES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <sndfile.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_main.h>
#include <re_tmr.h>
#include "media/media_int.h"
#include "goertzel.h"

enum { CUSTOMER, AGENT, THIRD, SUPER, NPHONES };
enum {
	AMP = 6000,            /* each phone's tone */
	WINDOW = 3200,         /* 400 ms analysed: 80-sample multiple */
	SETTLE_MS = 200,       /* after a change, before listening */
};
static const double HZ[NPHONES] = {400, 700, 1100, 1500};

/* A phone: its socket, its tone, and what it heard while capturing. */
struct phone {
	int fd;
	struct sockaddr_in sin;
	struct media_leg *leg;
	enum media_law law;
	bool sending;
	bool pairs;            /* sends two packets at once every 40 ms */
	double phase;
	uint16_t seq;
	uint32_t ts;
	int16_t heard[48000];  /* 6 s */
	size_t nheard;
	unsigned packets;      /* received while capturing */
	struct media_rtp_hdr last;   /* header of the last packet received */
	bool have_last;
	uint16_t to_port;      /* where it sends; 0: its leg's port */
	uint16_t from_port;    /* where the last packet came from */
};

struct fixture {
	struct media_engine *eng;
	struct media_mix *mix;
	struct phone ph[NPHONES];
	struct media_event events[16];
	unsigned nevents;
	struct tmr tmr;
	char dir[64];
};

static inline int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void on_event(const struct media_event *ev, void *arg)
{
	struct fixture *f = arg;

	if (f->nevents < 16)
		f->events[f->nevents++] = *ev;
	re_cancel();
}

static inline void timeout(void *arg)
{
	(void)arg;
	re_cancel();
}

static inline void phone_open(struct fixture *f, struct phone *p,
			      enum media_law law, unsigned shard)
{
	socklen_t len = sizeof(p->sin);

	memset(p, 0, sizeof(*p));
	p->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(p->fd >= 0);
	p->sin.sin_family = AF_INET;
	p->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(p->fd, (struct sockaddr *)&p->sin, len), 0);
	assert_int_equal(getsockname(p->fd, (struct sockaddr *)&p->sin, &len), 0);
	p->law = law;
	p->sending = true;
	p->seq = (uint16_t)rand();
	p->ts = (uint32_t)rand();
	assert_int_equal(media_leg_alloc(&p->leg, f->eng, shard, p), 0);
	assert_int_equal(media_leg_set_remote(p->leg,
					      (const struct sockaddr *)&p->sin,
					      sizeof(p->sin)), 0);
	assert_int_equal(media_leg_set_codec(p->leg, law,
					     law == MEDIA_PCMA ? 8 : 0, 101), 0);
}

static inline void phone_send_raw(const struct phone *p, uint8_t pt,
				  bool marker, uint16_t seq, uint32_t ts,
				  const uint8_t *payload, size_t n)
{
	struct media_rtp_hdr h = {.pt = pt, .seq = seq, .ts = ts,
				  .ssrc = 0x5eed0000u + (uint32_t)p->fd,
				  .marker = marker};
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(p->to_port ? p->to_port :
						   media_leg_port(p->leg)),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	uint8_t buf[512];
	size_t hlen;

	assert_int_equal(media_rtp_write(buf, sizeof(buf), &h, &hlen), 0);
	memcpy(buf + hlen, payload, n);
	assert_true(sendto(p->fd, buf, hlen + n, 0, (struct sockaddr *)&to,
			   sizeof(to)) > 0);
}

/* One 20 ms packet of the phone's tone. */
static inline void phone_speak(struct phone *p, double hz)
{
	int16_t pcm[MEDIA_FRAME];
	uint8_t g711[MEDIA_FRAME];

	tone_fill(pcm, MEDIA_FRAME, hz, AMP, MEDIA_RATE, &p->phase);
	if (p->law == MEDIA_PCMA)
		media_alaw_encode_buf(g711, pcm, MEDIA_FRAME);
	else
		media_ulaw_encode_buf(g711, pcm, MEDIA_FRAME);
	phone_send_raw(p, p->law == MEDIA_PCMA ? 8 : 0, false, p->seq++,
		       p->ts, g711, sizeof(g711));
	p->ts += MEDIA_FRAME;
}

static inline void phone_receive(struct phone *p, bool capture)
{
	uint8_t buf[1500];
	struct media_rtp_hdr h;
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(p->fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen)) > 0) {
		flen = sizeof(from);
		if (media_rtp_parse(&h, buf, (size_t)n))
			continue;
		p->from_port = ntohs(from.sin_port);
		p->last = h;
		p->have_last = true;
		if (!capture)
			continue;
		p->packets++;
		if (h.pt != 0 && h.pt != 8)
			continue;
		/* Each phone must get its own law. */
		assert_int_equal(h.pt, p->law == MEDIA_PCMA ? 8 : 0);
		if (p->nheard + h.payload_len > sizeof(p->heard) / sizeof(p->heard[0]))
			continue;
		if (h.pt == 8)
			media_alaw_decode_buf(p->heard + p->nheard, h.payload,
					      h.payload_len);
		else
			media_ulaw_decode_buf(p->heard + p->nheard, h.payload,
					      h.payload_len);
		p->nheard += h.payload_len;
	}
}

/* Every phone that is sending speaks once per 20 ms for ms; what arrives
 * is added to what it heard when capture is set, else thrown away. */
static inline void talk_on(struct fixture *f, unsigned ms, bool capture)
{
	int64_t next = now_ms();

	for (unsigned t = 0; t < ms / 20; t++) {
		for (int i = 0; i < NPHONES; i++) {
			if (!f->ph[i].sending || (f->ph[i].pairs && t % 2))
				continue;
			phone_speak(&f->ph[i], HZ[i]);
			if (f->ph[i].pairs)
				phone_speak(&f->ph[i], HZ[i]);
		}
		next += 20;
		for (int64_t left; (left = next - now_ms()) > 0;) {
			struct pollfd pfd[NPHONES];
			for (int i = 0; i < NPHONES; i++)
				pfd[i] = (struct pollfd){.fd = f->ph[i].fd,
							 .events = POLLIN};
			if (poll(pfd, NPHONES, (int)left) <= 0)
				continue;
			for (int i = 0; i < NPHONES; i++) {
				if (pfd[i].revents & POLLIN)
					phone_receive(&f->ph[i], capture);
			}
		}
	}
}

/* talk_on, what is heard counted afresh. */
static inline void talk(struct fixture *f, unsigned ms, bool capture)
{
	if (capture) {
		for (int i = 0; i < NPHONES; i++) {
			f->ph[i].nheard = 0;
			f->ph[i].packets = 0;
		}
	}
	talk_on(f, ms, capture);
}

/* Captures ms more, keeping what was heard. */
static inline void talk_more(struct fixture *f, unsigned ms)
{
	talk_on(f, ms, true);
}

/* Settles after a change, then listens until every phone in `who` (bit i
 * for phone i) has WINDOW samples, or for 5 s on a machine too busy. */
static inline void listen_now(struct fixture *f, unsigned who)
{
	bool enough = false;

	talk(f, SETTLE_MS, false);
	talk(f, WINDOW / 8, true);
	for (int n = 0; n < 50 && !enough; n++) {
		enough = true;
		for (int i = 0; i < NPHONES; i++) {
			if ((who & (1u << i)) && f->ph[i].nheard < WINDOW)
				enough = false;
		}
		if (!enough)
			talk_more(f, 100);
	}
}

/* Asserts which tones phone `who` heard: bit i of mask for phone i. The
 * last WINDOW samples count; a tone heard is near its amplitude, one not
 * heard below a tenth of it. */
static inline void expect_hears(struct fixture *f, int who, unsigned mask)
{
	struct phone *p = &f->ph[who];
	const int16_t *x = p->heard + (p->nheard - WINDOW);

	assert_true(p->nheard >= WINDOW);
	for (int i = 0; i < NPHONES; i++) {
		double a = goertzel_amp(x, WINDOW, HZ[i], MEDIA_RATE);
		if (mask & (1u << i)) {
			if (!goertzel_hears(x, WINDOW, HZ[i], MEDIA_RATE, AMP))
				fail_msg("phone %d should hear %.0f Hz: %.0f",
					 who, HZ[i], a);
		}
		else if (a >= AMP / 10.0) {
			fail_msg("phone %d should not hear %.0f Hz: %.0f", who,
				 HZ[i], a);
		}
	}
}

#define C (1u << CUSTOMER)
#define A (1u << AGENT)
#define T (1u << THIRD)
#define S (1u << SUPER)

static inline int setup(void **state)
{
	static struct fixture f;
	uint16_t lo = (uint16_t)(20000 + (getpid() % 300) * 100);
	struct media_engine_opts o = {.threads = 2, .port_lo = lo,
				      .port_hi = (uint16_t)(lo + 99),
				      .bind_ip = "127.0.0.1",
				      .eventh = on_event, .arg = &f};

	memset(&f, 0, sizeof(f));
	assert_int_equal(libre_init(), 0);
	tmr_init(&f.tmr);
	assert_int_equal(media_engine_start(&f.eng, &o), 0);
	/* Mixed laws: µ-law customer and third party, A-law agent and
	 * supervisor. */
	phone_open(&f, &f.ph[CUSTOMER], MEDIA_PCMU, 0);
	phone_open(&f, &f.ph[AGENT], MEDIA_PCMA, 0);
	phone_open(&f, &f.ph[THIRD], MEDIA_PCMU, 0);
	phone_open(&f, &f.ph[SUPER], MEDIA_PCMA, 0);
	assert_int_equal(media_mix_alloc(&f.mix, f.eng, 0), 0);
	*state = &f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fixture *f = *state;

	media_mix_free(f->mix);
	for (int i = 0; i < NPHONES; i++) {
		media_leg_close(f->ph[i].leg);
		close(f->ph[i].fd);
	}
	media_engine_stop(f->eng);
	libre_close();
	return 0;
}

/* The customer and the agent talking, as a bridged call would. */
static inline void add_call(struct fixture *f)
{
	assert_int_equal(media_mix_add(f->mix, f->ph[CUSTOMER].leg, true), 0);
	assert_int_equal(media_mix_add(f->mix, f->ph[AGENT].leg, true), 0);
}

#endif
