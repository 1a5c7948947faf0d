/* ivr/wait: every timer of menu and collect, with a simulated clock. The
 * rules (docs/ivr.md, "Timers"): a wait starts when the prompt has been
 * heard; the first digit and the ones after have their own timeouts; the
 * last possible digit and the terminator end an entry at once; keys typed
 * during a prompt count; a timer the run no longer wants is ignored. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "harness.h"

#define T H_T0

static const char *const menu_flow =
	"{\"name\":\"m\",\"start\":\"menu\",\"nodes\":{"
	"  \"menu\":{\"kind\":\"menu\",\"prompt\":\"press 1\","
	"           \"timeout_ms\":4000,\"timeout_retries\":1,"
	"           \"keys\":{\"1\":\"one\"},\"default\":\"bye\"},"
	"  \"one\":{\"kind\":\"play\",\"prompt\":\"one\",\"next\":\"bye\"},"
	"  \"bye\":{\"kind\":\"hangup\"}}}";

/* min 3, max 6, # ends, first digit within 5 s, the next ones 3 s */
static const char *const acct_flow =
	"{\"name\":\"c\",\"start\":\"acct\",\"nodes\":{"
	"  \"acct\":{\"kind\":\"collect\",\"prompt\":\"account?\","
	"           \"invalid_prompt\":\"not valid\",\"var\":\"acct\","
	"           \"min\":3,\"max\":6,\"first_timeout_ms\":5000,"
	"           \"inter_timeout_ms\":3000,\"invalid_retries\":1,"
	"           \"timeout_retries\":1,\"next\":\"ok\",\"default\":\"bye\"},"
	"  \"ok\":{\"kind\":\"play\",\"prompt\":\"got {acct}\",\"next\":\"bye\"},"
	"  \"bye\":{\"kind\":\"hangup\"}}}";

static void a_menu_timeout_starts_when_its_prompt_has_been_heard(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, menu_flow);
	h_plays(&h, "press 1");
	assert_int_equal(0, h.timer);      /* not while it plays */
	h_played(&h, T + 3000);
	assert_int_equal(T + 7000, h.timer);
	h_timer_at(&h, T + 6999);          /* early: not yet */
	assert_int_equal(EINVAL, h.rc);
	assert_false(h.out.play);
	assert_int_equal(T + 7000, h.timer);
	h_fire(&h);
	h_plays(&h, "press 1");            /* the retry */
	assert_int_equal(0, h.timer);
	h_played(&h, T + 10000);
	assert_int_equal(T + 14000, h.timer);
	h_fire(&h);
	h_ends(&h, IVR_END_HANGUP, NULL);
	assert_string_equal("menu:timeout::1 bye:hangup::0", h.visits);
	h_done(&h);
}

static void a_timer_for_a_node_left_is_ignored(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, menu_flow);
	h_played(&h, T + 1000);
	h_key(&h, T + 2000, '1');
	h_plays(&h, "one");
	assert_int_equal(0, h.timer);      /* the menu's timer is void */
	h_timer_at(&h, T + 5000);
	assert_int_equal(EINVAL, h.rc);
	h_waits(&h);
	assert_false(h.out.play);
	assert_string_equal("menu:1:1:0", h.visits);
	h_done(&h);
}

static void a_wrong_key_voids_the_menu_timer_until_the_prompt_is_heard_again(
	void **state)
{
	struct h h;
	(void)state;

	h_start(&h, menu_flow);
	h_played(&h, T + 1000);
	assert_int_equal(T + 5000, h.timer);
	h_key(&h, T + 2000, '9');
	h_plays(&h, "press 1");
	assert_int_equal(0, h.timer);
	h_timer_at(&h, T + 5000);              /* the old one */
	assert_int_equal(EINVAL, h.rc);
	assert_false(h.out.play);
	h_played(&h, T + 6000);
	assert_int_equal(T + 10000, h.timer);
	h_key(&h, T + 7000, '1');
	h_plays(&h, "one");
	assert_string_equal("menu:1:91:1", h.visits);
	h_done(&h);
}

static void the_first_digit_has_its_timeout_then_each_next_one(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	assert_int_equal(0, h.timer);
	h_played(&h, T + 2000);
	assert_int_equal(T + 7000, h.timer);   /* first_timeout_ms */
	h_key(&h, T + 6000, '1');
	assert_int_equal(T + 9000, h.timer);   /* inter_timeout_ms */
	h_key(&h, T + 8000, '2');
	assert_int_equal(T + 11000, h.timer);
	h_key(&h, T + 10000, '3');
	assert_int_equal(T + 13000, h.timer);
	h_fire(&h);                            /* 3 digits: enough */
	h_plays(&h, "got 123");
	assert_string_equal("123", ivr_run_var(h.r, "acct"));
	h_done(&h);
}

static void no_first_digit_replays_then_leaves_by_timeout(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_played(&h, T + 2000);
	h_fire(&h);
	h_plays(&h, "account?");
	assert_int_equal(0, h.timer);
	h_played(&h, T + 9000);
	assert_int_equal(T + 14000, h.timer);
	h_fire(&h);
	h_ends(&h, IVR_END_HANGUP, NULL);
	assert_string_equal("acct:timeout::1 bye:hangup::0", h.visits);
	h_done(&h);
}

static void the_old_first_digit_timer_is_void_after_a_key(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_played(&h, T + 2000);                /* asks T + 7000 */
	h_key(&h, T + 6000, '1');              /* asks T + 9000 */
	h_timer_at(&h, T + 7000);              /* the old one, late to cancel */
	assert_int_equal(EINVAL, h.rc);
	assert_false(h.out.play);
	assert_int_equal(T + 9000, h.timer);
	h_timer_at(&h, T + 9400);              /* the new one, a little late */
	assert_int_equal(0, h.rc);
	h_plays(&h, "not valid");              /* 1 digit: too short */
	h_done(&h);
}

static void the_last_possible_digit_ends_the_entry_at_once(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_played(&h, T + 2000);
	h_keys(&h, T + 3000, "12345");
	assert_int_equal(T + 6000, h.timer);
	h_key(&h, T + 3500, '6');
	h_plays(&h, "got 123456");             /* no inter-digit wait */
	assert_int_equal(0, h.timer);
	h_done(&h);
}

static void the_terminator_ends_at_once_and_is_not_a_digit(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_played(&h, T + 2000);
	h_keys(&h, T + 3000, "4321#");
	h_plays(&h, "got 4321");
	assert_string_equal("4321", ivr_run_var(h.r, "acct"));
	assert_int_equal(0, h.timer);
	h_played(&h, T + 4000);
	assert_string_equal("acct:next:4321#:0 ok:next::0 bye:hangup::0",
			    h.visits);
	h_done(&h);
}

static void too_few_digits_replay_with_the_notice_then_leave_by_invalid(
	void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_played(&h, T + 2000);
	h_keys(&h, T + 3000, "12#");
	h_plays(&h, "not valid");
	assert_int_equal(0, h.timer);
	h_played(&h, T + 4000);
	h_plays(&h, "account?");
	h_played(&h, T + 6000);
	assert_int_equal(T + 11000, h.timer);
	h_keys(&h, T + 7000, "9#");
	h_ends(&h, IVR_END_HANGUP, NULL);
	assert_string_equal("acct:invalid:12#9#:1 bye:hangup::0", h.visits);
	h_done(&h);
}

static void an_entry_the_pattern_refuses_is_a_wrong_entry(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, "{\"name\":\"c\",\"start\":\"pin\",\"nodes\":{"
		"  \"pin\":{\"kind\":\"collect\",\"prompt\":\"pin?\",\"var\":\"pin\","
		"          \"max\":4,\"first_timeout_ms\":5000,\"pattern\":\"1[0-9]*\","
		"          \"invalid_prompt\":\"bad pin\",\"next\":\"q\","
		"          \"default\":\"bye\"},"
		"  \"q\":{\"kind\":\"queue\",\"queue\":\"support\"},"
		"  \"bye\":{\"kind\":\"hangup\"}}}");
	h_played(&h, T + 1000);
	h_keys(&h, T + 2000, "2345");
	h_plays(&h, "bad pin");
	assert_null(ivr_run_var(h.r, "pin"));
	h_played(&h, T + 3000);
	h_played(&h, T + 4000);
	h_keys(&h, T + 5000, "1345");
	h_ends(&h, IVR_END_QUEUE, "support");
	assert_string_equal("1345", ivr_run_var(h.r, "pin"));
	h_done(&h);
}

/* A collect's pattern passes the same guard as matches(): one whose
 * repeats multiply into a huge automaton is refused when saved. */
static void a_pattern_that_would_build_a_huge_automaton_is_refused(void **state)
{
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	(void)state;

	assert_int_equal(EINVAL, h_compile(&f,
		"{\"name\":\"c\",\"start\":\"pin\",\"nodes\":{"
		"  \"pin\":{\"kind\":\"collect\",\"prompt\":\"pin?\",\"var\":\"pin\","
		"          \"max\":4,\"first_timeout_ms\":5000,"
		"          \"pattern\":\"((1{100}){100}){100}\",\"next\":\"q\","
		"          \"default\":\"q\"},"
		"  \"q\":{\"kind\":\"queue\",\"queue\":\"support\"}}}", 1, &pr));
	assert_int_equal(1, pr.n);
	assert_string_equal("nodes.pin.pattern", pr.v[0].path);
	assert_non_null(strstr(pr.v[0].msg, "multiply past 4096"));
	ivr_problems_reset(&pr);
}

static void keys_pressed_during_the_prompt_count(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_key(&h, T + 500, '7');               /* the prompt is playing */
	assert_true(h.out.stop);
	assert_int_equal(T + 3500, h.timer);   /* inter-digit from now on */
	h_keys(&h, T + 1000, "89#");
	h_plays(&h, "got 789");
	h_done(&h);
}

static void a_key_that_is_no_digit_leaves_the_prompt_playing(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_key(&h, T + 500, 'A');               /* DTMF A-D: not an entry */
	assert_false(h.out.stop);
	h_played(&h, T + 2000);                /* so the wait still starts */
	assert_int_equal(T + 7000, h.timer);
	h_keys(&h, T + 3000, "12B3#");
	h_plays(&h, "got 123");
	h_done(&h);
}

static void keys_typed_during_an_earlier_prompt_count(void **state)
{
	struct h h;
	(void)state;

	h_start(&h, "{\"name\":\"c\",\"start\":\"hi\",\"nodes\":{"
		"  \"hi\":{\"kind\":\"play\",\"prompt\":\"hello\",\"next\":\"acct\"},"
		"  \"acct\":{\"kind\":\"collect\",\"prompt\":\"account?\","
		"           \"var\":\"acct\",\"min\":3,\"max\":6,"
		"           \"first_timeout_ms\":5000,\"next\":\"ok\","
		"           \"default\":\"bye\"},"
		"  \"ok\":{\"kind\":\"play\",\"prompt\":\"got {acct}\",\"next\":\"bye\"},"
		"  \"bye\":{\"kind\":\"hangup\"}}}");
	h_key(&h, T + 500, '5');               /* cuts "hello" short */
	assert_true(h.out.stop);
	assert_false(h.out.play);              /* account? is skipped */
	assert_int_equal(T + 3500, h.timer);   /* inter_timeout_ms: 3000 */
	h_keys(&h, T + 1000, "67#");
	h_plays(&h, "got 567");
	h_done(&h);
}

static void an_inter_digit_timeout_with_enough_digits_ends_the_entry(
	void **state)
{
	struct h h;
	(void)state;

	h_start(&h, acct_flow);
	h_played(&h, T + 2000);
	h_keys(&h, T + 3000, "1234");
	h_timer_at(&h, T + 5999);
	assert_int_equal(EINVAL, h.rc);
	h_fire(&h);
	h_plays(&h, "got 1234");
	h_done(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_menu_timeout_starts_when_its_prompt_has_been_heard),
		cmocka_unit_test(a_timer_for_a_node_left_is_ignored),
		cmocka_unit_test(a_wrong_key_voids_the_menu_timer_until_the_prompt_is_heard_again),
		cmocka_unit_test(the_first_digit_has_its_timeout_then_each_next_one),
		cmocka_unit_test(no_first_digit_replays_then_leaves_by_timeout),
		cmocka_unit_test(the_old_first_digit_timer_is_void_after_a_key),
		cmocka_unit_test(the_last_possible_digit_ends_the_entry_at_once),
		cmocka_unit_test(the_terminator_ends_at_once_and_is_not_a_digit),
		cmocka_unit_test(too_few_digits_replay_with_the_notice_then_leave_by_invalid),
		cmocka_unit_test(an_entry_the_pattern_refuses_is_a_wrong_entry),
		cmocka_unit_test(a_pattern_that_would_build_a_huge_automaton_is_refused),
		cmocka_unit_test(keys_pressed_during_the_prompt_count),
		cmocka_unit_test(a_key_that_is_no_digit_leaves_the_prompt_playing),
		cmocka_unit_test(keys_typed_during_an_earlier_prompt_count),
		cmocka_unit_test(an_inter_digit_timeout_with_enough_digits_ends_the_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
