/* trunk/health: a trunk is down after TRUNK_DOWN_AFTER unanswered pings in
 * a row and up at the next answer; a failed registration is retried on a
 * doubling schedule, capped, never at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re_types.h>
#include <re_list.h>
#include "trunk/trunk_int.h"

static void a_trunk_goes_down_after_three_missed_pings_in_a_row(void **state)
{
	struct trunk_health h = {0};
	(void)state;

	assert_false(trunk_health_note(&h, false));
	assert_false(trunk_health_note(&h, false));
	assert_false(h.down);
	assert_true(trunk_health_note(&h, false));
	assert_true(h.down);
	assert_false(trunk_health_note(&h, false));   /* still down: no news */
	assert_true(h.down);
}

static void an_answer_between_misses_starts_the_count_again(void **state)
{
	struct trunk_health h = {0};
	(void)state;

	trunk_health_note(&h, false);
	trunk_health_note(&h, false);
	trunk_health_note(&h, true);
	trunk_health_note(&h, false);
	trunk_health_note(&h, false);
	assert_false(h.down);
}

static void a_down_trunk_is_up_at_its_first_answer(void **state)
{
	struct trunk_health h = {.down = true, .misses = 7};
	(void)state;

	assert_true(trunk_health_note(&h, true));
	assert_false(h.down);
	assert_int_equal(0, h.misses);
}

static void registration_retries_double_from_five_seconds_to_five_minutes(
	void **state)
{
	static const uint32_t want[] = {5000, 10000, 20000, 40000, 80000,
					160000, 300000, 300000};
	(void)state;

	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(want[i], trunk_backoff_ms(i + 1));
	assert_int_equal(300000, trunk_backoff_ms(1000000));
	assert_int_equal(5000, trunk_backoff_ms(0));   /* never a tight loop */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_trunk_goes_down_after_three_missed_pings_in_a_row),
		cmocka_unit_test(an_answer_between_misses_starts_the_count_again),
		cmocka_unit_test(a_down_trunk_is_up_at_its_first_answer),
		cmocka_unit_test(registration_retries_double_from_five_seconds_to_five_minutes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
