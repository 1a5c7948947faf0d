/* queue/announce: what a waiting caller is told. Position is the number of
 * callers the router will serve first; the estimated wait is (position + 1)
 * average handle times shared among the staffed agents, in whole minutes;
 * the sentence says exactly the parts the queue asks for. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "queue/queue_int.h"

/* A waiting call of queue 1. */
static struct acd_call_info call(uint64_t id, int32_t prio, uint64_t seq)
{
	return (struct acd_call_info){.id = id, .queue_id = 1,
				      .priority = prio, .seq = seq,
				      .state = ACD_CALL_WAITING};
}

static void the_first_caller_has_nobody_ahead(void **state)
{
	struct acd_call_info v[] = {call(10, 0, 1)};
	(void)state;

	assert_int_equal(queue_ann_position(&v[0], v, 1), 0);
	assert_int_equal(queue_ann_position(&v[0], v, 0), 0);
}

/* Equal priority: first come, first served. */
static void earlier_arrivals_are_ahead(void **state)
{
	struct acd_call_info v[] = {call(10, 0, 1), call(11, 0, 2),
				    call(12, 0, 3)};
	(void)state;

	assert_int_equal(queue_ann_position(&v[0], v, 3), 0);
	assert_int_equal(queue_ann_position(&v[1], v, 3), 1);
	assert_int_equal(queue_ann_position(&v[2], v, 3), 2);
}

/* A later caller of higher priority goes first; one of lower priority who
 * came earlier does not. */
static void higher_priority_is_ahead_whenever_it_came(void **state)
{
	struct acd_call_info v[] = {call(10, 0, 1), call(11, 5, 2),
				    call(12, 0, 3), call(13, -1, 0)};
	(void)state;

	assert_int_equal(queue_ann_position(&v[1], v, 4), 0);
	assert_int_equal(queue_ann_position(&v[0], v, 4), 1);
	assert_int_equal(queue_ann_position(&v[2], v, 4), 2);
	assert_int_equal(queue_ann_position(&v[3], v, 4), 3);
}

/* A caller ahead whose call is ringing an agent is still ahead; one
 * already talking, or in another queue, is not. */
static void only_waiting_callers_of_the_queue_count(void **state)
{
	struct acd_call_info v[] = {call(10, 0, 1), call(11, 0, 2),
				    call(12, 0, 3), call(13, 0, 4)};
	(void)state;

	v[0].state = ACD_CALL_CONNECTED;
	v[1].state = ACD_CALL_OFFERED;
	v[2].queue_id = 2;
	assert_int_equal(queue_ann_position(&v[3], v, 4), 1);
	assert_true(queue_ann_ahead(&v[1], &v[3]));
	assert_false(queue_ann_ahead(&v[0], &v[3]));
	assert_false(queue_ann_ahead(&v[2], &v[3]));
	assert_false(queue_ann_ahead(&v[3], &v[3]));
}

static void handle_time_is_talk_hold_and_wrapup_per_call(void **state)
{
	struct report_bucket b = {0};
	(void)state;

	assert_int_equal(queue_ann_aht_ms(&b), QUEUE_DEFAULT_AHT_MS);
	assert_int_equal(queue_ann_aht_ms(NULL), QUEUE_DEFAULT_AHT_MS);
	b.completed = 4;
	b.talk_ms = 400000;
	b.hold_ms = 40000;
	b.wrap_ms = 40000;
	assert_int_equal(queue_ann_aht_ms(&b), 120000);
}

/* (position + 1) × AHT / staffed, rounded up to the minute. */
static void wait_is_shared_among_staffed_agents_in_whole_minutes(void **state)
{
	(void)state;

	/* First in line, 3 min AHT, 1 agent: 3 minutes. */
	assert_int_equal(queue_ann_ewt_s(0, 180000, 1), 180);
	/* Three ahead: 4 × 3 min over 2 agents = 6 min. */
	assert_int_equal(queue_ann_ewt_s(3, 180000, 2), 360);
	/* 2 × 100 s / 3 = 66.7 s: rounded up to 2 minutes. */
	assert_int_equal(queue_ann_ewt_s(1, 100000, 3), 120);
	/* Exactly one minute stays one minute. */
	assert_int_equal(queue_ann_ewt_s(0, 60000, 1), 60);
}

static void wait_is_one_to_ninety_nine_minutes(void **state)
{
	(void)state;

	assert_int_equal(queue_ann_ewt_s(0, 1000, 10), 60);
	assert_int_equal(queue_ann_ewt_s(0, 0, 1), 60);
	assert_int_equal(queue_ann_ewt_s(500, 600000, 1), 99 * 60);
	assert_int_equal(queue_ann_ewt_s(UINT32_MAX, INT64_MAX / 8, 1),
			 99 * 60);
	/* Nobody staffed: as if one agent were. */
	assert_int_equal(queue_ann_ewt_s(1, 180000, 0), 360);
}

static void mandarin_sentences(void **state)
{
	char buf[256];
	(void)state;

	assert_int_equal(queue_ann_text(buf, sizeof(buf), "zh", true, true, 3,
					120), 0);
	assert_string_equal(buf, "您前面还有3位客户，预计等待约2分钟。");
	assert_int_equal(queue_ann_text(buf, sizeof(buf), "zh", true, true, 0,
					60), 0);
	assert_string_equal(buf, "您是下一位，预计等待约1分钟。");
	assert_int_equal(queue_ann_text(buf, sizeof(buf), "zh", true, false, 1,
					60), 0);
	assert_string_equal(buf, "您前面还有1位客户。");
	assert_int_equal(queue_ann_text(buf, sizeof(buf), "zh", false, true, 1,
					600), 0);
	assert_string_equal(buf, "预计等待约10分钟。");
}

static void english_sentences(void **state)
{
	char buf[256];
	(void)state;

	assert_int_equal(queue_ann_text(buf, sizeof(buf), "en", true, true, 3,
					120), 0);
	assert_string_equal(buf, "There are 3 callers ahead of you. "
			    "Your estimated wait is about 2 minutes.");
	assert_int_equal(queue_ann_text(buf, sizeof(buf), "en", true, true, 1,
					60), 0);
	assert_string_equal(buf, "There is 1 caller ahead of you. "
			    "Your estimated wait is about 1 minute.");
	assert_int_equal(queue_ann_text(buf, sizeof(buf), "en", true, false, 0,
					60), 0);
	assert_string_equal(buf, "You are next in line.");
}

static void nothing_to_say_or_no_room_is_an_error(void **state)
{
	char buf[256], small[10];
	(void)state;

	assert_int_equal(queue_ann_text(buf, sizeof(buf), "zh", false, false,
					1, 60), EINVAL);
	assert_int_equal(queue_ann_text(buf, sizeof(buf), "fr", true, true,
					1, 60), EINVAL);
	assert_int_equal(queue_ann_text(small, sizeof(small), "en", true, true,
					1, 60), ENOSPC);
	assert_true(queue_ann_lang_ok("zh"));
	assert_true(queue_ann_lang_ok("en"));
	assert_false(queue_ann_lang_ok("cmn"));
	assert_false(queue_ann_lang_ok(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_first_caller_has_nobody_ahead),
		cmocka_unit_test(earlier_arrivals_are_ahead),
		cmocka_unit_test(higher_priority_is_ahead_whenever_it_came),
		cmocka_unit_test(only_waiting_callers_of_the_queue_count),
		cmocka_unit_test(handle_time_is_talk_hold_and_wrapup_per_call),
		cmocka_unit_test(wait_is_shared_among_staffed_agents_in_whole_minutes),
		cmocka_unit_test(wait_is_one_to_ninety_nine_minutes),
		cmocka_unit_test(mandarin_sentences),
		cmocka_unit_test(english_sentences),
		cmocka_unit_test(nothing_to_say_or_no_room_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
