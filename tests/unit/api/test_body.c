/* Request bodies: one JSON object, each field checked by name, and every
 * refusal says which field and why (the text goes into the 400 reply). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "api/api_int.h"

static json_t *parse_ok(const char *s)
{
	json_t *j = NULL;
	char err[256];

	assert_int_equal(0, api_json_object(s, strlen(s), &j, err, sizeof(err)));
	return j;
}

static void an_object_parses(void **state)
{
	json_t *j = parse_ok("{\"username\":\"admin\",\"password\":\"x\"}");
	const char *s = NULL;
	char err[256];
	(void)state;

	assert_int_equal(0, api_json_str(j, "username", 64, &s, err, sizeof(err)));
	assert_string_equal("admin", s);
	json_decref(j);
}

static void garbage_is_refused_with_the_parser_reason(void **state)
{
	json_t *j = NULL;
	char err[256];
	(void)state;

	assert_int_equal(EINVAL, api_json_object("{\"a\":", 5, &j, err, sizeof(err)));
	assert_non_null(strstr(err, "not valid JSON"));
	assert_null(j);
	assert_int_equal(EINVAL, api_json_object("hello", 5, &j, err, sizeof(err)));
	assert_int_equal(EINVAL, api_json_object("", 0, &j, err, sizeof(err)));
	assert_non_null(strstr(err, "JSON object"));
	assert_int_equal(EINVAL, api_json_object(NULL, 0, &j, err, sizeof(err)));
}

static void non_objects_are_refused(void **state)
{
	json_t *j = NULL;
	char err[256];
	(void)state;

	assert_int_equal(EINVAL, api_json_object("[1,2]", 5, &j, err, sizeof(err)));
	assert_string_equal("request body must be a JSON object", err);
	assert_int_equal(EINVAL, api_json_object("\"s\"", 3, &j, err, sizeof(err)));
	assert_null(j);
}

static void duplicate_keys_are_refused(void **state)
{
	const char *s = "{\"username\":\"a\",\"username\":\"b\"}";
	json_t *j = NULL;
	char err[256];
	(void)state;

	assert_int_equal(EINVAL, api_json_object(s, strlen(s), &j, err, sizeof(err)));
}

static void a_missing_field_is_named(void **state)
{
	json_t *j = parse_ok("{\"username\":\"admin\"}");
	const char *s = NULL;
	char err[256];
	(void)state;

	assert_int_equal(EINVAL, api_json_str(j, "password", 64, &s, err, sizeof(err)));
	assert_string_equal("missing field 'password'", err);
	json_decref(j);
}

static void a_mistyped_field_is_named(void **state)
{
	json_t *j = parse_ok("{\"username\":42,\"password\":null}");
	const char *s = NULL;
	char err[256];
	(void)state;

	assert_int_equal(EINVAL, api_json_str(j, "username", 64, &s, err, sizeof(err)));
	assert_string_equal("field 'username' must be a string", err);
	assert_int_equal(EINVAL, api_json_str(j, "password", 64, &s, err, sizeof(err)));
	assert_string_equal("field 'password' must be a string", err);
	json_decref(j);
}

static void empty_too_long_and_nul_strings_are_refused(void **state)
{
	static const char nul[] = "{\"c\":\"x\\u0000y\"}";
	json_t *j = NULL;
	const char *s = NULL;
	char err[256];
	(void)state;

	/* A NUL inside a string would cut it short in C: refused outright. */
	assert_int_equal(EINVAL, api_json_object(nul, strlen(nul), &j, err,
						 sizeof(err)));
	j = parse_ok("{\"a\":\"\",\"b\":\"12345\"}");

	assert_int_equal(EINVAL, api_json_str(j, "a", 64, &s, err, sizeof(err)));
	assert_non_null(strstr(err, "'a' must not be empty"));
	assert_int_equal(0, api_json_str(j, "b", 5, &s, err, sizeof(err)));
	assert_int_equal(EINVAL, api_json_str(j, "b", 4, &s, err, sizeof(err)));
	assert_non_null(strstr(err, "'b'"));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_object_parses),
		cmocka_unit_test(garbage_is_refused_with_the_parser_reason),
		cmocka_unit_test(non_objects_are_refused),
		cmocka_unit_test(duplicate_keys_are_refused),
		cmocka_unit_test(a_missing_field_is_named),
		cmocka_unit_test(a_mistyped_field_is_named),
		cmocka_unit_test(empty_too_long_and_nul_strings_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
