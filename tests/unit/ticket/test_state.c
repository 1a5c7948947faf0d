/* ticket/state: the work order's moves, who may make them, and the clocks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "ticket/ticket.h"

#define ALL (TICKET_A_CREATOR | TICKET_A_HANDLER | TICKET_A_MEMBER | \
	     TICKET_A_LEAD | TICKET_A_SYSTEM)

static int check(enum ticket_state from, enum ticket_state to, unsigned who,
		 bool reason)
{
	const char *why = NULL;
	int err = ticket_move_check(from, to, who, reason, &why);

	assert_non_null(why);
	return err;
}

static void names_round_trip_in_english_and_chinese(void **state)
{
	enum ticket_state s;

	(void)state;
	for (int i = 0; i < TICKET_STATE_COUNT; i++) {
		assert_int_equal(0, ticket_state_parse(ticket_state_name(i), &s));
		assert_int_equal(i, s);
		assert_int_equal(0, ticket_state_parse(ticket_state_zh(i), &s));
		assert_int_equal(i, s);
	}
	assert_int_equal(0, ticket_state_parse("处理中", &s));
	assert_int_equal(TICKET_IN_PROGRESS, s);
	assert_int_equal(EINVAL, ticket_state_parse("solved", &s));
	assert_int_equal(EINVAL, ticket_state_parse(NULL, &s));
	assert_null(ticket_state_name(TICKET_STATE_COUNT));
}

static void only_waiting_for_the_customer_pauses(void **state)
{
	(void)state;
	for (int i = 0; i < TICKET_STATE_COUNT; i++)
		assert_int_equal(i == TICKET_WAITING_CUSTOMER,
				 ticket_state_clock(i) == TICKET_CLK_PAUSE);
	assert_int_equal(TICKET_CLK_STOP, ticket_state_clock(TICKET_DONE));
	assert_int_equal(TICKET_CLK_STOP, ticket_state_clock(TICKET_CLOSED));
	assert_int_equal(TICKET_CLK_RUN, ticket_state_clock(TICKET_REOPENED));
}

/* The table's clock column says what its target's state says, and no
 * move is listed twice. */
static void every_row_agrees_with_its_target_state(void **state)
{
	size_t n;
	const struct ticket_move *m = ticket_moves(&n);

	(void)state;
	assert_true(n >= 15);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ticket_state_clock(m[i].to), m[i].clock);
		assert_int_not_equal(m[i].from, m[i].to);
		assert_true(m[i].who != 0);
		assert_non_null(m[i].doc);
		for (size_t j = 0; j < i; j++)
			assert_false(m[i].from == m[j].from && m[i].to == m[j].to);
	}
}

static void returning_needs_a_reason(void **state)
{
	(void)state;
	assert_int_equal(EINVAL, check(TICKET_PENDING, TICKET_RETURNED,
				       TICKET_A_MEMBER, false));
	assert_int_equal(0, check(TICKET_PENDING, TICKET_RETURNED,
				  TICKET_A_MEMBER, true));
	assert_int_equal(EINVAL, check(TICKET_IN_PROGRESS,
				       TICKET_WAITING_CUSTOMER,
				       TICKET_A_HANDLER, false));
	assert_int_equal(EINVAL, check(TICKET_CLOSED, TICKET_REOPENED,
				       TICKET_A_CREATOR, false));
}

static void a_closed_order_only_reopens(void **state)
{
	(void)state;
	for (int to = 0; to < TICKET_STATE_COUNT; to++)
		assert_int_equal(to == TICKET_REOPENED ? 0 : ENOENT,
				 check(TICKET_CLOSED, to, ALL, true));
}

static void done_cannot_go_back_to_the_inbox(void **state)
{
	(void)state;
	assert_int_equal(ENOENT, check(TICKET_DONE, TICKET_PENDING, ALL, true));
	assert_int_equal(ENOENT, check(TICKET_SUBMITTED, TICKET_DONE, ALL,
				       true));
	assert_int_equal(ENOENT, check(TICKET_PENDING, TICKET_PENDING, ALL,
				       true));
}

/* Whoever merely wrote an order cannot do the department's work. */
static void the_creator_cannot_finish_the_work(void **state)
{
	(void)state;
	assert_int_equal(EPERM, check(TICKET_IN_PROGRESS, TICKET_DONE,
				      TICKET_A_CREATOR, false));
	assert_int_equal(EPERM, check(TICKET_PENDING, TICKET_IN_PROGRESS,
				      TICKET_A_CREATOR, false));
	assert_int_equal(0, check(TICKET_IN_PROGRESS, TICKET_DONE,
				  TICKET_A_HANDLER, false));
	assert_int_equal(0, check(TICKET_IN_PROGRESS, TICKET_DONE,
				  TICKET_A_CREATOR | TICKET_A_LEAD, false));
}

/* task.done moves a done order to replied and on to closed. */
static void the_system_answers_and_closes(void **state)
{
	(void)state;
	assert_int_equal(0, check(TICKET_DONE, TICKET_REPLIED,
				  TICKET_A_SYSTEM, false));
	assert_int_equal(0, check(TICKET_REPLIED, TICKET_CLOSED,
				  TICKET_A_SYSTEM, false));
	assert_int_equal(EPERM, check(TICKET_CLOSED, TICKET_REOPENED,
				      TICKET_A_SYSTEM, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_round_trip_in_english_and_chinese),
		cmocka_unit_test(only_waiting_for_the_customer_pauses),
		cmocka_unit_test(every_row_agrees_with_its_target_state),
		cmocka_unit_test(returning_needs_a_reason),
		cmocka_unit_test(a_closed_order_only_reopens),
		cmocka_unit_test(done_cannot_go_back_to_the_inbox),
		cmocka_unit_test(the_creator_cannot_finish_the_work),
		cmocka_unit_test(the_system_answers_and_closes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
