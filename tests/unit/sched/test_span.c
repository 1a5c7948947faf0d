/* A shift's on-duty time and the checks a shift passes before it is
 * stored (sched.h's fact 2). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "sched/sched.h"

#define H INT64_C(3600000)
#define Q INT64_C(900000)

/* 08:00-12:00 with a break 10:00-10:15: 3 h 45 on duty; the 10:00
 * quarter hour has none, the 09:45-10:30 span 30 minutes, the hours
 * before and after the shift none. */
static void on_duty_is_the_shift_less_its_breaks(void **st)
{
	const struct sched_shift s = {
		.span = {8 * H, 12 * H},
		.breaks = {{10 * H, 10 * H + Q}}, .nbreaks = 1,
	};
	(void)st;
	assert_int_equal(3 * H + 3 * Q, sched_on_duty_ms(&s, 0, 24 * H));
	assert_int_equal(0, sched_on_duty_ms(&s, 10 * H, 10 * H + Q));
	assert_int_equal(2 * Q, sched_on_duty_ms(&s, 9 * H + 3 * Q,
						 10 * H + 2 * Q));
	assert_int_equal(0, sched_on_duty_ms(&s, 7 * H, 8 * H));
	assert_int_equal(0, sched_on_duty_ms(&s, 12 * H, 13 * H));
	assert_int_equal(H, sched_on_duty_ms(&s, 11 * H, 13 * H));
}

static void bad_shifts_are_refused_with_the_field(void **st)
{
	struct sched_shift s = {.span = {8 * H, 12 * H}, .nbreaks = 2,
		.breaks = {{9 * H, 9 * H + Q}, {11 * H, 11 * H + Q}}};
	const char *why = NULL;
	(void)st;

	assert_int_equal(0, sched_shift_check(&s, &why));
	s.breaks[1].start_ms = 9 * H;          /* overlaps the first */
	assert_int_equal(EINVAL, sched_shift_check(&s, &why));
	assert_string_equal("breaks: in time order, not overlapping", why);
	s.breaks[1] = (struct sched_span){11 * H, 13 * H};   /* past the end */
	assert_int_equal(EINVAL, sched_shift_check(&s, &why));
	s.nbreaks = 0;
	s.span.end_ms = 8 * H;                 /* no length */
	assert_int_equal(EINVAL, sched_shift_check(&s, &why));
	assert_string_equal("end_ms: want a time after start_ms", why);
	s.span.end_ms = 8 * H + SCHED_SHIFT_MAX_MS;          /* 16 h: fine */
	assert_int_equal(0, sched_shift_check(&s, &why));
	s.span.end_ms++;
	assert_int_equal(EINVAL, sched_shift_check(&s, &why));
	assert_string_equal("end_ms: a shift lasts at most 16 hours", why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(on_duty_is_the_shift_less_its_breaks),
		cmocka_unit_test(bad_shifts_are_refused_with_the_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
