/* task/rules: the pure rules of callback tasks — which state changes are
 * allowed, how a task counts in the completion statistics at a given
 * time, and which phone numbers and origins are taken. */
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "task/task.h"

enum { H = 3600000 };

static void only_an_open_task_is_done_or_cancelled(void **state)
{
	(void)state;
	assert_true(task_transition_ok(TASK_OPEN, TASK_DONE));
	assert_true(task_transition_ok(TASK_OPEN, TASK_CANCELLED));
	assert_false(task_transition_ok(TASK_OPEN, TASK_OPEN));
	assert_false(task_transition_ok(TASK_DONE, TASK_OPEN));
	assert_false(task_transition_ok(TASK_DONE, TASK_CANCELLED));
	assert_false(task_transition_ok(TASK_DONE, TASK_DONE));
	assert_false(task_transition_ok(TASK_CANCELLED, TASK_OPEN));
	assert_false(task_transition_ok(TASK_CANCELLED, TASK_DONE));
	assert_false(task_transition_ok((enum task_state)7, TASK_DONE));
}

static void state_names_round_trip(void **state)
{
	enum task_state st;
	(void)state;

	for (int i = TASK_OPEN; i <= TASK_CANCELLED; i++) {
		assert_int_equal(0, task_state_parse(
			task_state_name((enum task_state)i), &st));
		assert_int_equal(i, st);
	}
	assert_int_equal(EINVAL, task_state_parse("closed", &st));
	assert_int_equal(EINVAL, task_state_parse("", &st));
	assert_int_equal(EINVAL, task_state_parse(NULL, &st));
}

/* Due at 10:00; asked at 12:00. */
static void done_by_the_due_time_is_on_time_even_at_the_same_ms(void **state)
{
	(void)state;
	assert_int_equal(TASK_C_ON_TIME,
			 task_classify(TASK_DONE, 10 * H, 9 * H, 12 * H));
	assert_int_equal(TASK_C_ON_TIME,
			 task_classify(TASK_DONE, 10 * H, 10 * H, 12 * H));
	assert_int_equal(TASK_C_LATE,
			 task_classify(TASK_DONE, 10 * H, 10 * H + 1, 12 * H));
}

static void an_open_task_is_overdue_only_past_its_due_time(void **state)
{
	(void)state;
	assert_int_equal(TASK_C_OPEN,
			 task_classify(TASK_OPEN, 10 * H, 0, 9 * H));
	assert_int_equal(TASK_C_OPEN,
			 task_classify(TASK_OPEN, 10 * H, 0, 10 * H));
	assert_int_equal(TASK_C_OVERDUE,
			 task_classify(TASK_OPEN, 10 * H, 0, 10 * H + 1));
}

/* A done task's class does not change with the time of asking: the
 * statistics of a past month stay what they were. */
static void an_ended_task_keeps_its_class_whenever_asked(void **state)
{
	(void)state;
	for (int64_t now = 0; now < 48 * H; now += 7 * H) {
		assert_int_equal(TASK_C_LATE,
				 task_classify(TASK_DONE, 10 * H, 11 * H, now));
		assert_int_equal(TASK_C_CANCELLED,
				 task_classify(TASK_CANCELLED, 10 * H, 0, now));
	}
}

static void class_names_are_the_statistics_keys(void **state)
{
	(void)state;
	assert_string_equal("on_time", task_class_name(TASK_C_ON_TIME));
	assert_string_equal("late", task_class_name(TASK_C_LATE));
	assert_string_equal("open", task_class_name(TASK_C_OPEN));
	assert_string_equal("overdue", task_class_name(TASK_C_OVERDUE));
	assert_string_equal("cancelled", task_class_name(TASK_C_CANCELLED));
	assert_string_equal("", task_class_name(TASK_C_COUNT));
}

static void phone_numbers_are_digits_with_a_plus_and_separators(void **state)
{
	(void)state;
	assert_true(task_phone_ok(""));
	assert_true(task_phone_ok("13812348000"));
	assert_true(task_phone_ok("+8613812348000"));
	assert_true(task_phone_ok("010-8888 6666"));
	assert_true(task_phone_ok("10"));
	assert_false(task_phone_ok("1"));
	assert_false(task_phone_ok("+"));
	assert_false(task_phone_ok("138a"));
	assert_false(task_phone_ok("-138"));
	assert_false(task_phone_ok("138-"));
	assert_false(task_phone_ok("138--000"));
	assert_false(task_phone_ok("++138"));
	assert_false(task_phone_ok("123456789012345678901234567890123"));
	assert_false(task_phone_ok(NULL));
}

static void origins_are_the_four_sources(void **state)
{
	(void)state;
	assert_true(task_origin_ok("manual"));
	assert_true(task_origin_ok("voicemail"));
	assert_true(task_origin_ok("abandoned"));
	assert_true(task_origin_ok("ticket"));
	assert_false(task_origin_ok("email"));
	assert_false(task_origin_ok(""));
	assert_false(task_origin_ok(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_an_open_task_is_done_or_cancelled),
		cmocka_unit_test(state_names_round_trip),
		cmocka_unit_test(done_by_the_due_time_is_on_time_even_at_the_same_ms),
		cmocka_unit_test(an_open_task_is_overdue_only_past_its_due_time),
		cmocka_unit_test(an_ended_task_keeps_its_class_whenever_asked),
		cmocka_unit_test(class_names_are_the_statistics_keys),
		cmocka_unit_test(phone_numbers_are_digits_with_a_plus_and_separators),
		cmocka_unit_test(origins_are_the_four_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
