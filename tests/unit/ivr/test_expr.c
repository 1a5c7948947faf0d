/* ivr/expr: the conditions of a branch node, as ivr_expr.h specifies
 * them. Each table row is an expression and what it must answer for the
 * call below (a caller from 广州 whose order has shipped). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "ivr/ivr_expr.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const call[][2] = {
	{"caller", "13812345678"}, {"province", "广东"}, {"city", "广州"},
	{"data.order.status", "shipped"}, {"vip", "1"}, {"novip", "0"},
	{"empty", ""}, {"amount", "12.50"}, {"word", "abc"},
	{"time.hour", "9"}, {"time.hhmm", "09:30"}, {"zero", "0138"},
	{"big", "12345678901234567890"}, {"neg", "-3"},
};

static const char *get(const char *name, void *arg)
{
	unsigned *calls = arg;

	if (calls)
		++*calls;
	for (size_t i = 0; i < LEN(call); i++) {
		if (!strcmp(call[i][0], name))
			return call[i][1];
	}
	return NULL;
}

struct row {
	const char *text;
	bool yes;
};

static void check(const struct row *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ivr_expr *e = NULL;
		char why[160] = "";
		bool yes = !t[i].yes;
		int err = ivr_expr_compile(&e, t[i].text, why, sizeof(why));

		if (err)
			fail_msg("%s: refused: %s", t[i].text, why);
		err = ivr_expr_eval(e, get, NULL, &yes, why, sizeof(why));
		ivr_expr_free(e);
		if (err || yes != t[i].yes)
			fail_msg("%s: got %d %s (%s), want %s", t[i].text, err,
				 yes ? "true" : "false", why,
				 t[i].yes ? "true" : "false");
	}
}

static void comparisons_are_numeric_when_both_sides_read_as_numbers(void **s)
{
	static const struct row t[] = {
		{"amount == 12.5", true}, {"amount == '12.50'", true},
		{"amount > 9", true}, {"amount >= 12.5", true},
		{"amount < 100", true}, {"amount <= 12.49", false},
		{"amount != 12.5", false}, {"time.hour < 10", true},
		{"time.hour >= 18", false}, {"neg < 0", true},
		{"neg < -3.5", false}, {"-0 == 0", true}, {"0.10 == 0.1", true},
		{"big < 12345678901234567891", true},
		{"big == 12345678901234567890.0", true},
		{"big > 9999999999999999999", true},
		{"-1.5 < -1.25", true}, {"2 > 10", false},
	};
	(void)s;
	check(t, LEN(t));
}

static void other_comparisons_are_byte_wise_text(void **s)
{
	static const struct row t[] = {
		{"province == '广东'", true}, {"province == \"广西\"", false},
		{"province != '广西'", true}, {"word < 'abd'", true},
		{"word > 'ab'", true}, {"word >= 'abc'", true},
		{"time.hhmm >= '09:00' && time.hhmm < '18:00'", true},
		/* a leading 0 makes text: "0138" is not 138 */
		{"zero == 138", false}, {"zero == '0138'", true},
		{"word == 5", false}, {"word != 5", true},
		{"data.order.status == 'shipped'", true},
	};
	(void)s;
	check(t, LEN(t));
}

static void an_unset_variable_is_the_empty_text(void **s)
{
	static const struct row t[] = {
		{"nosuch == ''", true}, {"nosuch", false}, {"!nosuch", true},
		{"len(nosuch) == 0", true}, {"nosuch in ['', 'x']", true},
		{"data.order.none != 'x'", true},
	};
	(void)s;
	check(t, LEN(t));
}

static void a_bare_value_is_true_unless_empty_or_0(void **s)
{
	static const struct row t[] = {
		{"vip", true}, {"novip", false}, {"empty", false},
		{"word", true}, {"'0'", false}, {"0", false}, {"'0.0'", true},
		{"len(word)", true}, {"len(empty)", false},
	};
	(void)s;
	check(t, LEN(t));
}

static void logic_follows_precedence_and_parentheses(void **s)
{
	static const struct row t[] = {
		{"vip && novip", false}, {"vip || novip", true},
		{"novip || novip || vip", true}, {"vip && vip && novip", false},
		{"!vip", false}, {"!!vip", true}, {"!novip && vip", true},
		/* && binds tighter than || */
		{"vip || novip && novip", true},
		{"(vip || novip) && novip", false},
		{"!(province == '广东')", false}, {"!province == '广西'", true},
		{" ( ( vip ) ) ", true},
	};
	(void)s;
	check(t, LEN(t));
}

static void lists_functions_and_utf8(void **s)
{
	static const struct row t[] = {
		{"province in ['广东', '广西']", true},
		{"province in ['湖南']", false},
		{"city in ['深圳', city]", true},
		{"amount in [1, 12.5]", true},
		{"startswith(caller, '138')", true},
		{"startswith(caller, '139')", false},
		{"startswith(city, '广')", true},
		{"startswith('1', caller)", false},
		{"len(caller) == 11", true}, {"len(province) == 2", true},
		{"len(len(caller)) == 2", true},
		{"matches(caller, '^1[3-9][0-9]{9}$')", true},
		{"matches(caller, '^1[3-9][0-9]{8}$')", false},
		{"matches(province, '^(广东|广西)$')", true},
		{"matches(word, 'b')", true},
		{"matches('xyz', 'b')", false},
		{"matches(caller, '^[[:digit:]]{11}$')", true},
		{"matches(word, '^(a|x){1,3}b+[^]x]$')", true},
	};
	(void)s;
	check(t, LEN(t));
}

struct bad {
	const char *text, *why;
};

static const struct bad refusals[] = {
	{"", "col 1: expected a condition, not the end"},
	{"vip &&", "col 7: expected an operand after '&&'"},
	{"vip || )", "col 8: expected an operand after '||', not ')'"},
	{"a == ", "col 6: expected an operand after '=='"},
	{"!", "col 2: expected an operand after '!'"},
	{"(vip", "col 5: expected ')', not the end"},
	{"vip)", "col 4: expected '&&', '||' or the end, not ')'"},
	{"a = 1", "col 3: '=' alone: compare with '=='"},
	{"a & b", "col 3: '&' alone: 'and' is '&&'"},
	{"a | b", "col 3: '|' alone: 'or' is '||'"},
	{"a == '广东", "col 6: a text without its closing '"},
	{"a == \"x", "col 6: a text without its closing \""},
	{"广东 == a", "col 1: unexpected '广'"},
	{"a == 0138", "col 6: a number is written like -12, 0 or 3.5 "
	 "(other digits go in quotes: '0138')"},
	{"a == 1.", "col 6: a number is written like -12, 0 or 3.5 "
	 "(other digits go in quotes: '0138')"},
	{"a == 12ab", "col 6: a number is written like -12, 0 or 3.5 "
	 "(other digits go in quotes: '0138')"},
	{"data. == 1", "col 1: a dot in a name goes between two words "
	 "(data.order.status)"},
	{"a..b", "col 1: a dot in a name goes between two words "
	 "(data.order.status)"},
	{"abcdefghijabcdefghijabcdefghijab", "col 1: a name is at most 31 "
	 "characters"},
	{"a < b < c", "col 7: comparisons do not chain: write a < b && b < c"},
	{"in", "col 1: expected a condition, not 'in'"},
	{"a in 'x'", "col 6: expected '[', not a text"},
	{"a in []", "col 7: an empty list"},
	{"a in ['x' 'y']", "col 11: expected ',' or ']', not a text"},
	{"a in ['x',", "col 11: expected an operand after ','"},
	{"foo(a)", "col 1: no function foo() (len, startswith, matches)"},
	{"len(a, b)", "col 6: len() takes one value"},
	{"startswith(a)", "col 13: expected ',', not ')'"},
	{"len(startswith(a, 'b'))", "col 5: a test (startswith, matches) "
	 "where a value is needed"},
	{"startswith(a, 'b') == 1", "col 20: '==' compares no test "
	 "(startswith, matches): use it alone"},
	{"a == (b)", "col 6: expected an operand after '==', not '('"},
	{"matches(a, b)", "col 12: matches() takes its pattern in quotes"},
	{"matches(a, '(')", "col 12: not a pattern: Unmatched ( or \\("},
	{"matches(a, '(a)\\1')", "col 12: back-references (\\1) are not "
	 "allowed in a pattern"},
	{"matches(a, '[广西]')", "col 12: a pattern sees bytes: write "
	 "Chinese outside [...], as (广东|广西)"},
	{"matches(a, '(a{100}){100}')", "col 12: a pattern whose repeats "
	 "multiply past 4096"},
	{"matches(a, 'a{5000}')", "col 12: a pattern whose repeats "
	 "multiply past 4096"},
	/* a column counts characters, not bytes */
	{"province == '广东' &&", "col 20: expected an operand after '&&'"},
};

static void every_refusal_names_its_column(void **s)
{
	(void)s;
	for (size_t i = 0; i < LEN(refusals); i++) {
		struct ivr_expr *e = NULL;
		char why[160] = "";
		int err = ivr_expr_compile(&e, refusals[i].text, why,
					   sizeof(why));

		if (err != EINVAL || strcmp(why, refusals[i].why))
			fail_msg("%s: got %d \"%s\", want \"%s\"",
				 refusals[i].text, err, why, refusals[i].why);
		assert_null(e);
	}
}

static void nesting_is_capped_at_32_levels(void **s)
{
	char text[200];
	struct ivr_expr *e = NULL;
	char why[160];
	bool yes = false;
	(void)s;

	/* 32 levels: '!' once, 31 parentheses */
	snprintf(text, sizeof(text), "!%.*svip%.*s", 31,
		 "((((((((((((((((((((((((((((((((", 31,
		 "))))))))))))))))))))))))))))))))");
	assert_int_equal(0, ivr_expr_compile(&e, text, why, sizeof(why)));
	assert_int_equal(0, ivr_expr_eval(e, get, NULL, &yes, why,
					  sizeof(why)));
	assert_false(yes);
	ivr_expr_free(e);
	snprintf(text, sizeof(text), "!!%.*svip%.*s", 31,
		 "((((((((((((((((((((((((((((((((", 31,
		 "))))))))))))))))))))))))))))))))");
	assert_int_equal(EINVAL, ivr_expr_compile(&e, text, why, sizeof(why)));
	assert_string_equal("col 33: nested deeper than 32 levels", why);
}

static void text_longer_than_1024_bytes_is_refused(void **s)
{
	char text[1100];
	struct ivr_expr *e = NULL;
	char why[160];
	(void)s;

	memset(text, ' ', sizeof(text));
	memcpy(text, "vip", 3);
	text[1024] = '\0';
	assert_int_equal(0, ivr_expr_compile(&e, text, why, sizeof(why)));
	ivr_expr_free(e);
	text[1024] = ' ';
	text[1025] = '\0';
	assert_int_equal(EINVAL, ivr_expr_compile(&e, text, why, sizeof(why)));
	assert_string_equal("longer than 1024 bytes", why);
}

static int list_name(const char *name, void *arg)
{
	char *buf = arg;

	strcat(buf, name);
	strcat(buf, " ");
	return strcmp(name, "stop") ? 0 : 42;
}

static void every_name_read_is_listed_once_in_order(void **s)
{
	struct ivr_expr *e = NULL;
	char why[160], names[200] = "";
	(void)s;

	assert_int_equal(0, ivr_expr_compile(&e, "province in ['广东', city] "
		"&& (vip || len(data.x) > 1 && province != city) || "
		"matches(caller, 'vip') || 'time.hour' == 1", why,
		sizeof(why)));
	assert_int_equal(0, ivr_expr_names(e, list_name, names));
	assert_string_equal("province city vip data.x caller ", names);
	ivr_expr_free(e);
	assert_int_equal(0, ivr_expr_compile(&e, "a || stop || b", why,
					     sizeof(why)));
	names[0] = '\0';
	assert_int_equal(42, ivr_expr_names(e, list_name, names));
	assert_string_equal("a stop ", names);
	ivr_expr_free(e);
}

static void ordering_a_number_against_text_fails_at_run_time(void **s)
{
	static const struct bad t[] = {
		{"word > 5", "col 1: word > 5: \"abc\" is not a number"},
		{"vip && nosuch <= 3", "col 8: nosuch <= 3: nosuch is not set, "
		 "so not a number"},
		{"1 < word", "col 1: 1 < word: \"abc\" is not a number"},
		{"len(city) < city", "col 1: len(city) < city: \"广州\" is not "
		 "a number"},
	};
	(void)s;
	for (size_t i = 0; i < LEN(t); i++) {
		struct ivr_expr *e = NULL;
		char why[160] = "";
		bool yes = true;

		assert_int_equal(0, ivr_expr_compile(&e, t[i].text, why,
						     sizeof(why)));
		assert_int_equal(EINVAL, ivr_expr_eval(e, get, NULL, &yes, why,
						       sizeof(why)));
		assert_string_equal(t[i].why, why);
		assert_true(yes);  /* untouched on failure */
		ivr_expr_free(e);
	}
}

static void a_decided_and_or_or_reads_no_further(void **s)
{
	struct ivr_expr *e = NULL;
	char why[160];
	unsigned calls = 0;
	bool yes = false;
	(void)s;

	/* word > 5 would fail: it is never reached */
	assert_int_equal(0, ivr_expr_compile(&e, "vip || word > 5", why,
					     sizeof(why)));
	assert_int_equal(0, ivr_expr_eval(e, get, &calls, &yes, why,
					  sizeof(why)));
	assert_true(yes);
	assert_int_equal(1, calls);
	ivr_expr_free(e);
	assert_int_equal(0, ivr_expr_compile(&e, "novip && word > 5", why,
					     sizeof(why)));
	assert_int_equal(0, ivr_expr_eval(e, get, NULL, &yes, why,
					  sizeof(why)));
	assert_false(yes);
	ivr_expr_free(e);
}

/* A host answering from one buffer, as run.c's time.* do. */
static const char *shared(const char *name, void *arg)
{
	static char buf[32];

	(void)arg;
	snprintf(buf, sizeof(buf), "%s", strcmp(name, "h") ? "30" : "9");
	return buf;
}

static void the_left_value_is_kept_when_the_host_reuses_its_buffer(void **s)
{
	struct ivr_expr *e = NULL;
	char why[160];
	bool yes = false;
	(void)s;

	assert_int_equal(0, ivr_expr_compile(&e, "h < m && !(h in [m]) && "
		"!startswith(h, m) && h != m", why, sizeof(why)));
	assert_int_equal(0, ivr_expr_eval(e, shared, NULL, &yes, why,
					  sizeof(why)));
	assert_true(yes);
	ivr_expr_free(e);
}

static const char *huge(const char *name, void *arg)
{
	static char buf[1100];

	(void)name;
	(void)arg;
	memset(buf, 'x', sizeof(buf) - 1);
	return buf;
}

static void a_value_too_long_to_hold_is_an_error(void **s)
{
	struct ivr_expr *e = NULL;
	char why[160];
	bool yes = false;
	(void)s;

	assert_int_equal(0, ivr_expr_compile(&e, "v == 'x'", why,
					     sizeof(why)));
	assert_int_equal(E2BIG, ivr_expr_eval(e, huge, NULL, &yes, why,
					      sizeof(why)));
	assert_string_equal("col 1: v is longer than 1024 bytes", why);
	ivr_expr_free(e);
	/* read, not held: a bare value and len() take any length */
	assert_int_equal(0, ivr_expr_compile(&e, "v && len(v) == 1099", why,
					     sizeof(why)));
	assert_int_equal(0, ivr_expr_eval(e, huge, NULL, &yes, why,
					  sizeof(why)));
	assert_true(yes);
	ivr_expr_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(comparisons_are_numeric_when_both_sides_read_as_numbers),
		cmocka_unit_test(other_comparisons_are_byte_wise_text),
		cmocka_unit_test(an_unset_variable_is_the_empty_text),
		cmocka_unit_test(a_bare_value_is_true_unless_empty_or_0),
		cmocka_unit_test(logic_follows_precedence_and_parentheses),
		cmocka_unit_test(lists_functions_and_utf8),
		cmocka_unit_test(every_refusal_names_its_column),
		cmocka_unit_test(nesting_is_capped_at_32_levels),
		cmocka_unit_test(text_longer_than_1024_bytes_is_refused),
		cmocka_unit_test(every_name_read_is_listed_once_in_order),
		cmocka_unit_test(ordering_a_number_against_text_fails_at_run_time),
		cmocka_unit_test(a_decided_and_or_or_reads_no_further),
		cmocka_unit_test(the_left_value_is_kept_when_the_host_reuses_its_buffer),
		cmocka_unit_test(a_value_too_long_to_hold_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
