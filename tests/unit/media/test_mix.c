/* Mixing over real loopback RTP: four phones, each sending its own tone
 * (customer 400 Hz, agent 700 Hz, a third party 1,100 Hz, a supervisor
 * 1,500 Hz), in µ-law and A-law, and a Goertzel filter on what each one
 * receives, to say who hears whom in a conference and in a supervisor's
 * listen, whisper and barge, across changes mid-stream and members
 * leaving; plus the stream identity each phone sees, DTMF from a member,
 * the recording of a mixed call and the errors of the API. */
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
	double phase;
	uint16_t seq;
	uint32_t ts;
	int16_t heard[48000];  /* 6 s */
	size_t nheard;
	unsigned packets;      /* received while capturing */
	struct media_rtp_hdr last;   /* header of the last packet received */
	bool have_last;
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

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

static void phone_open(struct fixture *f, struct phone *p, enum media_law law,
		       unsigned shard)
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

static void phone_send_raw(const struct phone *p, uint8_t pt, bool marker,
			   uint16_t seq, uint32_t ts, const uint8_t *payload,
			   size_t n)
{
	struct media_rtp_hdr h = {.pt = pt, .seq = seq, .ts = ts,
				  .ssrc = 0x5eed0000u + (uint32_t)p->fd,
				  .marker = marker};
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(media_leg_port(p->leg)),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	uint8_t buf[512];
	size_t hlen;

	assert_int_equal(media_rtp_write(buf, sizeof(buf), &h, &hlen), 0);
	memcpy(buf + hlen, payload, n);
	assert_true(sendto(p->fd, buf, hlen + n, 0, (struct sockaddr *)&to,
			   sizeof(to)) > 0);
}

/* One 20 ms packet of the phone's tone. */
static void phone_speak(struct phone *p, double hz)
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

static void phone_receive(struct phone *p, bool capture)
{
	uint8_t buf[1500];
	struct media_rtp_hdr h;
	ssize_t n;

	while ((n = recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		if (media_rtp_parse(&h, buf, (size_t)n))
			continue;
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
static void talk_on(struct fixture *f, unsigned ms, bool capture)
{
	int64_t next = now_ms();

	for (unsigned t = 0; t < ms / 20; t++) {
		for (int i = 0; i < NPHONES; i++) {
			if (f->ph[i].sending)
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
static void talk(struct fixture *f, unsigned ms, bool capture)
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
static void talk_more(struct fixture *f, unsigned ms)
{
	talk_on(f, ms, true);
}

/* Settles after a change, then listens until every phone in `who` (bit i
 * for phone i) has WINDOW samples, or for 5 s on a machine too busy. */
static void listen_now(struct fixture *f, unsigned who)
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
static void expect_hears(struct fixture *f, int who, unsigned mask)
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

static int setup(void **state)
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

static int teardown(void **state)
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
static void add_call(struct fixture *f)
{
	assert_int_equal(media_mix_add(f->mix, f->ph[CUSTOMER].leg, true), 0);
	assert_int_equal(media_mix_add(f->mix, f->ph[AGENT].leg, true), 0);
}

static void everyone_in_a_conference_hears_everyone_else(void **state)
{
	struct fixture *f = *state;

	f->ph[SUPER].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[THIRD].leg, true), 0);
	assert_int_equal(media_mix_count(f->mix), 3);
	listen_now(f, C | A | T);
	expect_hears(f, CUSTOMER, A | T);
	expect_hears(f, AGENT, C | T);
	expect_hears(f, THIRD, C | A);
}

static void a_listening_supervisor_hears_both_and_nobody_hears_them(void **state)
{
	struct fixture *f = *state;

	f->ph[THIRD].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[SUPER].leg, false), 0);
	listen_now(f, C | A | S);
	expect_hears(f, SUPER, C | A);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
}

static void a_whisper_reaches_the_agent_and_never_the_customer(void **state)
{
	struct fixture *f = *state;

	f->ph[THIRD].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[SUPER].leg, false), 0);
	assert_int_equal(media_mix_hears(f->mix, f->ph[AGENT].leg,
					 f->ph[SUPER].leg, true), 0);
	listen_now(f, C | A | S);
	expect_hears(f, AGENT, C | S);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, SUPER, C | A);
}

static void a_barging_supervisor_talks_with_both(void **state)
{
	struct fixture *f = *state;

	f->ph[THIRD].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[SUPER].leg, true), 0);
	listen_now(f, C | A | S);
	expect_hears(f, CUSTOMER, A | S);
	expect_hears(f, AGENT, C | S);
	expect_hears(f, SUPER, C | A);
}

/* listen -> whisper -> barge -> listen on one stream, nobody restarting. */
static void modes_change_mid_stream(void **state)
{
	struct fixture *f = *state;
	struct media_leg *c = f->ph[CUSTOMER].leg, *a = f->ph[AGENT].leg;
	struct media_leg *s = f->ph[SUPER].leg;

	f->ph[THIRD].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, s, false), 0);
	listen_now(f, C | A | S);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	expect_hears(f, SUPER, C | A);

	assert_int_equal(media_mix_hears(f->mix, a, s, true), 0);
	listen_now(f, C | A | S);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C | S);

	assert_int_equal(media_mix_hears(f->mix, c, s, true), 0);
	listen_now(f, C | A | S);
	expect_hears(f, CUSTOMER, A | S);
	expect_hears(f, AGENT, C | S);
	expect_hears(f, SUPER, C | A);

	assert_int_equal(media_mix_hears(f->mix, c, s, false), 0);
	assert_int_equal(media_mix_hears(f->mix, a, s, false), 0);
	listen_now(f, C | A | S);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	expect_hears(f, SUPER, C | A);
}

static void a_leg_leaving_leaves_the_others_talking(void **state)
{
	struct fixture *f = *state;

	f->ph[SUPER].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[THIRD].leg, true), 0);
	listen_now(f, C | A | T);
	expect_hears(f, CUSTOMER, A | T);

	assert_int_equal(media_mix_remove(f->mix, f->ph[THIRD].leg), 0);
	assert_int_equal(media_mix_count(f->mix), 2);
	listen_now(f, C | A);
	expect_hears(f, CUSTOMER, A);
	expect_hears(f, AGENT, C);
	/* The one who left is sent nothing at all. */
	assert_int_equal(f->ph[THIRD].packets, 0);
}

static void a_member_closing_leaves_the_others_talking(void **state)
{
	struct fixture *f = *state;

	f->ph[SUPER].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[THIRD].leg, true), 0);
	listen_now(f, C | A | T);
	media_leg_close(f->ph[AGENT].leg);
	f->ph[AGENT].leg = NULL;
	f->ph[AGENT].sending = false;
	assert_int_equal(media_mix_count(f->mix), 2);
	listen_now(f, C | T);
	expect_hears(f, CUSTOMER, T);
	expect_hears(f, THIRD, C);
}

/* Joining a mix from a bridge: the customer's phone sees one SSRC whose
 * sequence numbers go on by one, a marker, and a timestamp moved on. */
static void a_phone_sees_one_continuous_stream_from_bridge_to_mix(void **state)
{
	struct fixture *f = *state;
	struct phone *cu = &f->ph[CUSTOMER];
	struct media_rtp_hdr relayed;
	uint8_t buf[1500];
	struct pollfd pfd = {.fd = cu->fd, .events = POLLIN};
	ssize_t n;
	struct media_rtp_hdr h;

	for (int i = 0; i < NPHONES; i++)
		f->ph[i].sending = i == AGENT;
	assert_int_equal(media_bridge(cu->leg, f->ph[AGENT].leg), 0);
	talk(f, 200, false);
	assert_true(cu->have_last);
	relayed = cu->last;
	f->ph[AGENT].sending = false;
	talk(f, 100, false);
	relayed = cu->last;

	add_call(f);
	/* A busy media thread may still relay what it had not read: the
	 * mix starts at the marker, right after the last packet relayed. */
	for (;;) {
		assert_int_equal(poll(&pfd, 1, 3000), 1);
		n = recv(cu->fd, buf, sizeof(buf), 0);
		assert_true(n > 0);
		assert_int_equal(media_rtp_parse(&h, buf, (size_t)n), 0);
		if (h.marker)
			break;
		assert_int_equal(h.seq, (uint16_t)(relayed.seq + 1));
		relayed = h;
	}
	assert_int_equal(h.ssrc, relayed.ssrc);
	assert_int_equal(h.seq, (uint16_t)(relayed.seq + 1));
	assert_true(h.marker);
	assert_true((uint32_t)(h.ts - relayed.ts) >= 160);
	assert_int_equal(h.pt, 0);
}

static void a_members_rfc4733_digit_raises_the_event(void **state)
{
	struct fixture *f = *state;
	struct phone *ag = &f->ph[AGENT];
	struct media_dtmf_event ev = {.event = 7, .volume = 10};
	uint8_t p[4];

	add_call(f);
	for (int i = 0; i < NPHONES; i++)
		f->ph[i].sending = false;
	for (uint16_t i = 0; i < 6; i++) {
		ev.duration = (uint16_t)(160 * (i < 3 ? i + 1 : 3));
		ev.end = i >= 3;
		media_dtmf_encode(p, &ev);
		phone_send_raw(ag, 101, i == 0, (uint16_t)(ag->seq + i), 4000,
			       p, sizeof(p));
	}
	tmr_start(&f->tmr, 5000, timeout, f);
	re_main(NULL);
	tmr_cancel(&f->tmr);
	assert_int_equal(f->nevents, 1);
	assert_int_equal(f->events[0].kind, MEDIA_EV_DTMF);
	assert_int_equal(f->events[0].digit, '7');
	assert_ptr_equal(f->events[0].owner, ag);
}

/* Recording a whispered call: left is the customer alone, right the agent
 * and the whisper the agent hears; the customer's side never has it. */
static void a_recording_of_a_whisper_keeps_it_on_the_agent_side(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/hotline-mix-XXXXXX", path[64];
	SF_INFO info = {0};
	SNDFILE *sf;
	int16_t *st, left[WINDOW], right[WINDOW];
	sf_count_t frames;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/call.wav", dir);
	f->ph[THIRD].sending = false;
	assert_int_equal(media_record(f->ph[CUSTOMER].leg, f->ph[AGENT].leg,
				      path), 0);
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[SUPER].leg, false), 0);
	assert_int_equal(media_mix_hears(f->mix, f->ph[AGENT].leg,
					 f->ph[SUPER].leg, true), 0);
	talk(f, 1000, false);
	/* Stopping the engine finishes the file. */
	media_mix_free(f->mix);
	f->mix = NULL;
	for (int i = 0; i < NPHONES; i++) {
		media_leg_close(f->ph[i].leg);
		f->ph[i].leg = NULL;
	}
	media_engine_stop(f->eng);
	f->eng = NULL;

	sf = sf_open(path, SFM_READ, &info);
	assert_non_null(sf);
	assert_int_equal(info.channels, 2);
	assert_true(info.frames >= WINDOW + 1600);
	st = malloc(sizeof(int16_t) * 2 * (size_t)info.frames);
	assert_non_null(st);
	frames = sf_readf_short(sf, st, info.frames);
	sf_close(sf);
	/* 200 ms from the end: past the start, before the legs closed. */
	for (size_t i = 0; i < WINDOW; i++) {
		size_t k = (size_t)frames - 1600 - WINDOW + i;
		left[i] = st[2 * k];
		right[i] = st[2 * k + 1];
	}
	free(st);
	unlink(path);
	rmdir(dir);
	assert_true(goertzel_hears(left, WINDOW, 400, MEDIA_RATE, AMP));
	assert_true(goertzel_amp(left, WINDOW, 700, MEDIA_RATE) < AMP / 10.0);
	assert_true(goertzel_amp(left, WINDOW, 1500, MEDIA_RATE) < AMP / 10.0);
	assert_true(goertzel_hears(right, WINDOW, 700, MEDIA_RATE, AMP));
	assert_true(goertzel_hears(right, WINDOW, 1500, MEDIA_RATE, AMP));
	assert_true(goertzel_amp(right, WINDOW, 400, MEDIA_RATE) < AMP / 10.0);
}

static void the_api_refuses_what_a_mix_cannot_do(void **state)
{
	struct fixture *f = *state;
	struct media_leg *c = f->ph[CUSTOMER].leg, *a = f->ph[AGENT].leg;
	struct media_leg *other_shard, *more[MEDIA_MIX_MAX];
	struct media_mix *m2;

	assert_int_equal(media_leg_alloc(&other_shard, f->eng, 1, NULL), 0);
	assert_int_equal(media_mix_add(f->mix, other_shard, true), EXDEV);
	media_leg_close(other_shard);

	assert_int_equal(media_mix_add(f->mix, c, true), 0);
	assert_int_equal(media_mix_add(f->mix, c, true), EALREADY);
	assert_int_equal(media_mix_hears(f->mix, c, a, true), ENOENT);
	assert_int_equal(media_mix_remove(f->mix, a), ENOENT);
	assert_int_equal(media_mix_add(f->mix, a, true), 0);
	assert_int_equal(media_mix_hears(f->mix, c, c, true), EINVAL);

	assert_int_equal(media_mix_alloc(&m2, f->eng, 0), 0);
	assert_int_equal(media_mix_add(m2, c, true), EBUSY);
	/* Bridging takes both out of the mix; then they may join another. */
	assert_int_equal(media_bridge(c, a), 0);
	assert_int_equal(media_mix_count(f->mix), 0);
	assert_int_equal(media_mix_add(m2, c, true), 0);

	for (unsigned i = 0; i < MEDIA_MIX_MAX; i++) {
		assert_int_equal(media_leg_alloc(&more[i], f->eng, 0, NULL), 0);
		assert_int_equal(media_mix_add(f->mix, more[i], true), 0);
	}
	assert_int_equal(media_mix_add(f->mix, a, true), ENOSPC);
	for (unsigned i = 0; i < MEDIA_MIX_MAX; i++)
		media_leg_close(more[i]);
	assert_int_equal(media_mix_count(f->mix), 0);
	assert_int_equal(media_mix_count(m2), 1);
	media_mix_free(m2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T_(everyone_in_a_conference_hears_everyone_else),
		T_(a_listening_supervisor_hears_both_and_nobody_hears_them),
		T_(a_whisper_reaches_the_agent_and_never_the_customer),
		T_(a_barging_supervisor_talks_with_both),
		T_(modes_change_mid_stream),
		T_(a_leg_leaving_leaves_the_others_talking),
		T_(a_member_closing_leaves_the_others_talking),
		T_(a_phone_sees_one_continuous_stream_from_bridge_to_mix),
		T_(a_members_rfc4733_digit_raises_the_event),
		T_(a_recording_of_a_whisper_keeps_it_on_the_agent_side),
		T_(the_api_refuses_what_a_mix_cannot_do),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
