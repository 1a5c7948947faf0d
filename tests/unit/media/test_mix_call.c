/* A mix as a call sees it, over real loopback RTP (mix_phones.h): the
 * stream identity a phone keeps from a bridge into a mix, DTMF from a
 * member, the recording of a whispered call, a prompt to a member, the mix
 * freed, and what the API refuses. */
#include "mix_phones.h"

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

/* Hold music or an announcement played to a member replaces what it hears
 * in the mix while it plays; the others hear the member as before. */
static void a_prompt_to_a_member_wins_over_the_mix(void **state)
{
	struct fixture *f = *state;
	struct media_prompt *pr;
	int16_t pcm[8000];
	double phase = 0;

	f->ph[THIRD].sending = false;
	f->ph[SUPER].sending = false;
	tone_fill(pcm, 8000, HZ[THIRD], AMP, MEDIA_RATE, &phase);
	assert_int_equal(media_prompt_alloc(&pr, pcm, 8000), 0);
	add_call(f);
	assert_int_equal(media_leg_play(f->ph[CUSTOMER].leg, pr, true), 0);
	media_prompt_unref(pr);
	listen_now(f, C | A);
	expect_hears(f, CUSTOMER, T);
	expect_hears(f, AGENT, C);

	assert_int_equal(media_leg_stop(f->ph[CUSTOMER].leg), 0);
	listen_now(f, C | A);
	expect_hears(f, CUSTOMER, A);
}

/* Freeing the mix leaves its members unbridged: nothing is sent to them. */
static void a_freed_mix_sends_its_members_nothing(void **state)
{
	struct fixture *f = *state;

	f->ph[SUPER].sending = false;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[THIRD].leg, true), 0);
	listen_now(f, C | A | T);
	expect_hears(f, CUSTOMER, A | T);
	media_mix_free(f->mix);
	f->mix = NULL;
	talk(f, SETTLE_MS, false);
	talk(f, 400, true);
	for (int i = 0; i < NPHONES; i++)
		assert_int_equal(f->ph[i].packets, 0);
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
		T_(a_phone_sees_one_continuous_stream_from_bridge_to_mix),
		T_(a_members_rfc4733_digit_raises_the_event),
		T_(a_recording_of_a_whisper_keeps_it_on_the_agent_side),
		T_(a_prompt_to_a_member_wins_over_the_mix),
		T_(a_freed_mix_sends_its_members_nothing),
		T_(the_api_refuses_what_a_mix_cannot_do),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
