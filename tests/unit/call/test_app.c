/* call/app: the table of applications a call can run. Every app is there
 * once under its own name; every kind the dial plan routes to names an app
 * that can start a call; every app can be reached (started by an INVITE,
 * taken over from another app, or "talk", entered by an answer); and only
 * a feature code is no call. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "call/call_int.h"
#include "route/route.h"

static void every_app_is_listed_once_under_its_own_name(void **state)
{
	(void)state;
	assert_int_equal(10, call_apps_n);
	for (size_t i = 0; i < call_apps_n; i++) {
		assert_non_null(call_apps[i]);
		assert_non_null(call_apps[i]->name);
		assert_ptr_equal(call_apps[i], call_app_find(call_apps[i]->name));
		for (size_t j = i + 1; j < call_apps_n; j++) {
			assert_ptr_not_equal(call_apps[i], call_apps[j]);
			assert_string_not_equal(call_apps[i]->name,
						call_apps[j]->name);
		}
	}
	assert_null(call_app_find("fax"));
	assert_null(call_app_find(NULL));
}

static void the_named_apps_are_in_the_table(void **state)
{
	(void)state;
	assert_ptr_equal(&call_app_extension, call_app_find("extension"));
	assert_ptr_equal(&call_app_queue, call_app_find("queue"));
	assert_ptr_equal(&call_app_talk, call_app_find("talk"));
	assert_ptr_equal(&call_app_redirect, call_app_find("redirect"));
	assert_ptr_equal(&call_app_voicemail, call_app_find("voicemail"));
	assert_ptr_equal(&call_app_feature, call_app_find("feature"));
	assert_ptr_equal(&call_app_ivr, call_app_find("ivr"));
	assert_ptr_equal(&call_app_outbound, call_app_find("outbound"));
	assert_ptr_equal(&call_app_refuse, call_app_find("refuse"));
}

static void every_route_kind_starts_an_app(void **state)
{
	static const enum route_kind kinds[] = {ROUTE_EXTENSION, ROUTE_QUEUE,
						 ROUTE_IVR};
	(void)state;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct call_app *app =
			call_app_find(route_kind_name(kinds[i]));
		assert_non_null(app);
		assert_non_null(app->start);
	}
}

static void every_app_can_be_reached(void **state)
{
	(void)state;
	for (size_t i = 0; i < call_apps_n; i++) {
		const struct call_app *a = call_apps[i];
		assert_true(a->start || a->take || a == &call_app_talk ||
			    a == &call_app_click || a == &call_app_refuse);
	}
	/* Entered by the screen hook before routing (call_screen_refused),
	 * never dialled: a DID of kind "refuse" routes nowhere. */
	assert_null(call_app_refuse.start);
	assert_null(call_app_refuse.take);
	assert_string_equal("blacklisted", call_app_refuse.caller_cause);
	/* Started by the API (call_click_to_dial), never by an INVITE. */
	assert_null(call_app_click.start);
	/* Handed over to, never dialled. */
	assert_null(call_app_redirect.start);
	assert_non_null(call_app_redirect.take);
	assert_null(call_app_voicemail.start);
	assert_non_null(call_app_voicemail.take);
	assert_non_null(call_app_queue.take);
	/* Dialled by an extension, or taken to an outside number. */
	assert_non_null(call_app_outbound.start);
	assert_non_null(call_app_outbound.take);
}

static void only_a_feature_code_is_no_call(void **state)
{
	(void)state;
	for (size_t i = 0; i < call_apps_n; i++)
		assert_int_equal(call_apps[i] == &call_app_feature,
				 call_apps[i]->not_a_call);
}

/* Who rings a phone hears when it answers or gives up; the conversation
 * takes the agent's hold and hang-up (which may lead to the survey); the
 * IVR takes over answered callers (the survey). */
static void the_apps_that_ring_hear_the_agent_leg(void **state)
{
	const struct call_app *ringing[] = {
		&call_app_extension, &call_app_queue, &call_app_redirect,
		&call_app_outbound,
	};
	(void)state;

	for (size_t i = 0; i < sizeof(ringing) / sizeof(ringing[0]); i++) {
		assert_non_null(ringing[i]->answered);
		assert_non_null(ringing[i]->agent_closed);
	}
	assert_null(call_app_talk.answered);
	assert_non_null(call_app_talk.agent_closed);   /* survey, or the end */
	assert_non_null(call_app_ivr.take);
	assert_non_null(call_app_talk.hold);
	assert_string_equal("cancel", call_app_extension.caller_cause);
	assert_string_equal("voicemail", call_app_voicemail.caller_cause);
	assert_null(call_app_talk.caller_cause);   /* default: bye */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_app_is_listed_once_under_its_own_name),
		cmocka_unit_test(the_named_apps_are_in_the_table),
		cmocka_unit_test(every_route_kind_starts_an_app),
		cmocka_unit_test(every_app_can_be_reached),
		cmocka_unit_test(only_a_feature_code_is_no_call),
		cmocka_unit_test(the_apps_that_ring_hear_the_agent_leg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
