/* Who hears whom in a mix, over real loopback RTP (mix_phones.h): a
 * conference, a supervisor's listen, whisper and barge, changes between
 * them mid-stream, a member whose packets come in pairs, and members
 * leaving; a Goertzel filter on what each
 * phone receives says which tones reach it. */
#include "mix_phones.h"

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

static void a_listening_supervisor_hears_both_and_nobody_hears_them(
	void **state)
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

/* A phone whose packets come two at once every 40 ms (after a stall, or a
 * sender that batches) is heard whole: the frame that came second waits in
 * the mix for the next tick. Losing it would leave half the tone's level
 * (every other frame silent). */
static void a_member_sending_two_frames_at_once_is_heard_whole(void **state)
{
	struct fixture *f = *state;
	const struct phone *agent = &f->ph[AGENT];
	double level;

	f->ph[SUPER].sending = false;
	f->ph[CUSTOMER].pairs = true;
	add_call(f);
	assert_int_equal(media_mix_add(f->mix, f->ph[THIRD].leg, true), 0);
	listen_now(f, C | A | T);
	expect_hears(f, AGENT, C | T);
	expect_hears(f, THIRD, C | A);
	level = goertzel_amp(agent->heard + (agent->nheard - WINDOW), WINDOW,
			     HZ[CUSTOMER], MEDIA_RATE);
	if (level < 0.75 * AMP)
		fail_msg("the agent heard the customer at %.0f of %d", level,
			 AMP);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T_(everyone_in_a_conference_hears_everyone_else),
		T_(a_listening_supervisor_hears_both_and_nobody_hears_them),
		T_(a_whisper_reaches_the_agent_and_never_the_customer),
		T_(a_barging_supervisor_talks_with_both),
		T_(a_member_sending_two_frames_at_once_is_heard_whole),
		T_(modes_change_mid_stream),
		T_(a_leg_leaving_leaves_the_others_talking),
		T_(a_member_closing_leaves_the_others_talking),
#undef T_
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
