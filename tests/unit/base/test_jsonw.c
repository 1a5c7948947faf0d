/* base/jsonw: the text it writes is what jansson's compact output writes
 * for the same values, so a client cannot tell the two apart; bytes that
 * are not UTF-8 become U+FFFD, so the text always parses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "base/jsonw.h"

static char *take(struct jsonw *w)
{
	char *t = NULL;
	size_t len = 0;

	assert_int_equal(jsonw_take(w, &t, &len), 0);
	assert_int_equal(strlen(t), len);
	return t;
}

/* s written by jsonw_str equals s written by jansson. */
/* w's text equals j as jansson writes it; takes j. */
static void text_is(struct jsonw *w, json_t *j)
{
	char *mine = take(w), *theirs;

	assert_non_null(j);
	theirs = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
	json_decref(j);
}

static void same_as_jansson(const char *s)
{
	struct jsonw w;

	jsonw_init(&w);
	jsonw_str(&w, s);
	text_is(&w, json_string(s));
}

static void test_strings_as_jansson(void **state)
{
	static const char *const cases[] = {
		"", "13800138000", "北京市", "a\"b\\c/d", "tab\there\nnl\rcr",
		"\b\f\x01\x1f\x7f", "emoji 😀 and 𝄞", "mixed 中文 \"quoted\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_as_jansson(cases[i]);
}

/* Reals as jansson writes them: integers get ".0", exponents lose '+'
 * and leading zeros, 17 significant digits. */
static void test_reals_as_jansson(void **state)
{
	static const double cases[] = {
		0, 1, -1, 0.5, 0.1, 1.0 / 3, 2.0 / 3, 12345.678, 1e20, 1e-5,
		-2.5e-7, 1.7976931348623157e308, 5e-324, 123456789012345678.0,
		0.80000000000000004, 300.25, 86400,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonw w;

		jsonw_init(&w);
		jsonw_real(&w, cases[i]);
		text_is(&w, json_real(cases[i]));
	}
}

/* Integers in decimal, INT64_MIN and MAX included, as jansson writes
 * them. */
static void test_ints_as_jansson(void **state)
{
	static const int64_t cases[] = {0, 7, -7, 10, 1735689600000LL,
					INT64_MIN, INT64_MAX};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonw w;

		jsonw_init(&w);
		jsonw_int(&w, cases[i]);
		text_is(&w, json_integer(cases[i]));
	}
}

/* Every number of digits, each side of its power of ten, as printf
 * writes it (the digits go two at a time). */
static void test_ints_every_length(void **state)
{
	(void)state;
	for (uint64_t t = 1; t <= 1000000000000000000ull; t *= 10) {
		const int64_t cases[] = {(int64_t)t - 1, (int64_t)t,
					 (int64_t)t + 1, -(int64_t)t,
					 1 - (int64_t)t, (int64_t)t * 5};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct jsonw w;
			char want[32], *t2;

			snprintf(want, sizeof(want), "%" PRId64, cases[i]);
			jsonw_init(&w);
			jsonw_int(&w, cases[i]);
			t2 = take(&w);
			assert_string_equal(t2, want);
			free(t2);
		}
	}
}

/* Written straight into jsonw_room's bytes, a row is the text the
 * appends write for it. */
static void test_room_as_appends(void **state)
{
	struct jsonw a, b;
	char *ta, *tb, *p;

	(void)state;
	jsonw_init(&a);
	jsonw_init(&b);
	for (int k = 0; k < 1000; k++) {
		int64_t v = (int64_t)k * k * 7919 - 500000;
		double d = k / 7.0 - 20;

		jsonw_rawn(&a, "{\"n\":", 5);
		jsonw_int(&a, v);
		jsonw_rawn(&a, ",\"d\":", 5);
		jsonw_fixed(&a, d, k % 10);
		jsonw_rawn(&a, ",\"big\":", 7);
		jsonw_fixed(&a, d * 1e18, 3);
		jsonw_rawn(&a, "}", 1);
		assert_non_null(p = jsonw_room(&b, 3 * JSONW_NUM_MAX + 32));
		memcpy(p, "{\"n\":", 5);
		p = jsonw_put_int(p + 5, v);
		memcpy(p, ",\"d\":", 5);
		p = jsonw_put_fixed(p + 5, d, k % 10);
		memcpy(p, ",\"big\":", 7);
		p = jsonw_put_fixed(p + 7, d * 1e18, 3);
		*p++ = '}';
		jsonw_wrote(&b, p);
	}
	ta = take(&a);
	tb = take(&b);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
}

/* Rounded reals: the decimals asked for, trailing zeros dropped with one
 * kept, and the text reads back as jsonw_fixed_value says, to the bit. */
static void test_fixed(void **state)
{
	static const struct {
		double v;
		int dec;
		const char *text;
	} cases[] = {
		{0, 6, "0.0"}, {1, 6, "1.0"}, {90, 3, "90.0"}, {0.5, 6, "0.5"},
		{1.0 / 3, 6, "0.333333"}, {2.0 / 3, 6, "0.666667"},
		{4.0 / 13, 6, "0.307692"}, {12345.678, 3, "12345.678"},
		{12.3456789, 3, "12.346"}, {0.0000004, 6, "0.0"},
		{0.0000005, 6, "0.000001"}, {-2.5, 3, "-2.5"},
		{-0.0004, 3, "0.0"}, {0.1 + 0.2, 6, "0.3"}, {7.9999996, 6, "8.0"},
		{1e6 / 7, 3, "142857.143"}, {3, 0, "3.0"}, {2.5, 0, "3.0"},
		{1e20, 6, "1e20"}, {-1e20, 3, "-1e20"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonw w;
		char *t;

		jsonw_init(&w);
		jsonw_fixed(&w, cases[i].v, cases[i].dec);
		t = take(&w);
		assert_string_equal(t, cases[i].text);
		assert_true(strtod(t, NULL) ==
			    jsonw_fixed_value(cases[i].v, cases[i].dec));
		free(t);
	}
	/* Every value of a grid reads back as its rounded value. */
	for (int k = 0; k < 200000; k++) {
		double v = k * 0.0000137 + k % 7 / 3.0;
		struct jsonw w;
		char *t;

		jsonw_init(&w);
		jsonw_fixed(&w, v, k % 2 ? 6 : 3);
		t = take(&w);
		assert_true(strtod(t, NULL) == jsonw_fixed_value(v, k % 2 ? 6 : 3));
		free(t);
	}
}

static void test_bad_utf8_replaced(void **state)
{
	/* a lone continuation, a truncated sequence, an overlong '/', a
	 * surrogate, a byte past U+10FFFF */
	static const char *const bad[] = {
		"a\x80z", "a\xe4\xb8z", "\xc0\xaf", "\xed\xa0\x80", "\xf5\x80\x80\x80",
		"end\xe4",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jsonw w;
		json_error_t e;
		json_t *j;
		char *t;

		jsonw_init(&w);
		jsonw_str(&w, bad[i]);
		t = take(&w);
		j = json_loads(t, JSON_DECODE_ANY, &e);
		assert_non_null(j);
		assert_non_null(strstr(json_string_value(j), "\xef\xbf\xbd"));
		json_decref(j);
		free(t);
	}
}

static void test_object_round_trip(void **state)
{
	struct jsonw w;
	json_error_t e;
	json_t *j;
	char *t;

	(void)state;
	jsonw_init(&w);
	jsonw_raw(&w, "{");
	jsonw_key(&w, "items");
	jsonw_raw(&w, "[");
	for (int i = 0; i < 1000; i++) {   /* past the first 4 KiB */
		jsonw_raw(&w, i ? ",{" : "{");
		jsonw_key(&w, "n");
		jsonw_int(&w, INT64_MIN + i);
		jsonw_raw(&w, ",");
		jsonw_key(&w, "city");
		jsonw_str(&w, "广州市");
		jsonw_raw(&w, "}");
	}
	jsonw_raw(&w, "],\"next\":null}");
	t = take(&w);
	j = json_loads(t, 0, &e);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1000);
	assert_true(json_integer_value(json_object_get(json_array_get(
		json_object_get(j, "items"), 999), "n")) == INT64_MIN + 999);
	assert_true(json_is_null(json_object_get(j, "next")));
	json_decref(j);
	free(t);
}

static void test_empty_and_free(void **state)
{
	struct jsonw w;
	char *t;

	(void)state;
	jsonw_init(&w);
	t = take(&w);
	assert_string_equal(t, "");
	free(t);
	jsonw_init(&w);
	jsonw_raw(&w, "x");
	jsonw_free(&w);
	assert_null(w.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_as_jansson),
		cmocka_unit_test(test_reals_as_jansson),
		cmocka_unit_test(test_ints_as_jansson),
		cmocka_unit_test(test_ints_every_length),
		cmocka_unit_test(test_room_as_appends),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_bad_utf8_replaced),
		cmocka_unit_test(test_object_round_trip),
		cmocka_unit_test(test_empty_and_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
