/* ivr/say: how digits, numbers, money, dates and times are read out, in
 * Chinese and in English. Each table is a page of the specification. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "ivr/ivr_text.h"

struct said {
	const char *value, *text;
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void check(const struct said *t, size_t n, enum ivr_say_as as,
		  enum ivr_lang lang)
{
	char buf[512];

	for (size_t i = 0; i < n; i++) {
		const int err = ivr_say(buf, sizeof(buf), t[i].value, as, lang);
		if (err || strcmp(buf, t[i].text))
			fail_msg("\"%s\": got %d \"%s\", want \"%s\"", t[i].value,
				 err, buf, t[i].text);
	}
}

static void refused(const char *const *bad, size_t n, enum ivr_say_as as)
{
	char buf[512];

	for (size_t i = 0; i < n; i++) {
		for (int lang = IVR_LANG_ZH; lang <= IVR_LANG_EN; lang++) {
			strcpy(buf, "junk");
			if (ivr_say(buf, sizeof(buf), bad[i], as, lang) != EINVAL)
				fail_msg("\"%s\" was not refused", bad[i]);
			assert_string_equal("", buf);
		}
	}
}

static void chinese_phone_numbers_say_one_as_yao(void **state)
{
	static const struct said t[] = {
		{"13800138000", "幺三八零零幺三八零零零"},
		{"+8610", "加八六幺零"},
		{"*21#", "星二幺井"},
		{"0", "零"},
	};
	(void)state;
	check(t, LEN(t), IVR_SAY_DIGITS, IVR_LANG_ZH);
}

static void english_digits_are_words_with_zero(void **state)
{
	static const struct said t[] = {
		{"138", "one three eight"},
		{"4008001000", "four zero zero eight zero zero one zero zero zero"},
		{"+1*#", "plus one star pound"},
	};
	(void)state;
	check(t, LEN(t), IVR_SAY_DIGITS, IVR_LANG_EN);
}

static void chinese_numbers_place_zero_and_ten_as_spoken(void **state)
{
	static const struct said t[] = {
		{"0", "零"}, {"7", "七"}, {"10", "十"}, {"12", "十二"}, {"20", "二十"},
		{"105", "一百零五"}, {"110", "一百一十"}, {"1001", "一千零一"},
		{"1010", "一千零一十"}, {"10010", "一万零一十"}, {"100000", "十万"},
		{"150000", "十五万"}, {"20000", "二万"},
		{"123456789", "一亿二千三百四十五万六千七百八十九"},
		{"100100000", "一亿零一十万"}, {"110000000", "一亿一千万"},
		{"1000000001", "十亿零一"}, {"100000000000", "一千亿"},
		{"9999999999999999", "九千九百九十九万九千九百九十九亿"
				     "九千九百九十九万九千九百九十九"},
		{"1000000000000", "一万亿"}, {"007", "七"},
		{"-15", "负十五"}, {"-0", "零"},
		{"3.14", "三点一四"}, {"0.5", "零点五"}, {"-0.50", "负零点五零"},
		{"10.01", "十点零一"},
	};
	(void)state;
	check(t, LEN(t), IVR_SAY_NUMBER, IVR_LANG_ZH);
}

static void english_numbers_in_words(void **state)
{
	static const struct said t[] = {
		{"0", "zero"}, {"13", "thirteen"}, {"40", "forty"},
		{"123", "one hundred twenty-three"}, {"1001", "one thousand one"},
		{"100", "one hundred"},
		{"2000000", "two million"},
		{"1234567", "one million two hundred thirty-four thousand five "
			    "hundred sixty-seven"},
		{"3000000005", "three billion five"},
		{"9999999999999999", "nine thousand nine hundred ninety-nine "
		 "trillion nine hundred ninety-nine billion nine hundred "
		 "ninety-nine million nine hundred ninety-nine thousand nine "
		 "hundred ninety-nine"},
		{"-42", "minus forty-two"},
		{"3.14", "three point one four"},
		{"-0.0", "zero point zero"},
	};
	(void)state;
	check(t, LEN(t), IVR_SAY_NUMBER, IVR_LANG_EN);
}

static void chinese_money_in_yuan_jiao_fen(void **state)
{
	static const struct said t[] = {
		{"123.45", "一百二十三元四角五分"}, {"100.05", "一百元零五分"},
		{"0.50", "五角"}, {"0.5", "五角"}, {"0.05", "五分"},
		{"12", "十二元"}, {"0", "零元"}, {"0.00", "零元"}, {"-5", "负五元"},
		{"10.30", "十元三角"}, {"-0.01", "负一分"},
		{"100000.00", "十万元"},
	};
	(void)state;
	check(t, LEN(t), IVR_SAY_MONEY, IVR_LANG_ZH);
}

/* No "and" between yuan and fen: the pieces are said as two amounts. */
static void english_money_in_yuan_and_fen(void **state)
{
	static const struct said t[] = {
		{"123.45", "one hundred twenty-three yuan forty-five fen"},
		{"1", "one yuan"}, {"0", "zero yuan"}, {"0.5", "fifty fen"},
		{"100.05", "one hundred yuan five fen"}, {"-5", "minus five yuan"},
	};
	(void)state;
	check(t, LEN(t), IVR_SAY_MONEY, IVR_LANG_EN);
}

static void dates_in_both_languages(void **state)
{
	static const struct said zh[] = {
		{"2026-12-04", "二零二六年十二月四日"},
		{"2028-02-29", "二零二八年二月二十九日"},
		{"2000-10-10", "二零零零年十月十日"},
	};
	static const struct said en[] = {
		{"2026-12-04", "December 4, 2026"},
		{"2028-02-29", "February 29, 2028"},
		{"0001-01-01", "January 1, 1"},
	};
	(void)state;
	check(zh, LEN(zh), IVR_SAY_DATE, IVR_LANG_ZH);
	check(en, LEN(en), IVR_SAY_DATE, IVR_LANG_EN);
}

static void times_in_both_languages(void **state)
{
	static const struct said zh[] = {
		{"14:05", "十四点零五分"}, {"09:00", "九点整"}, {"00:00", "零点整"},
		{"10:10", "十点十分"}, {"23:59", "二十三点五十九分"},
	};
	static const struct said en[] = {
		{"14:05", "two oh five p m"}, {"09:00", "nine a m"},
		{"00:30", "twelve thirty a m"}, {"12:00", "twelve p m"},
		{"23:59", "eleven fifty-nine p m"},
	};
	(void)state;
	check(zh, LEN(zh), IVR_SAY_TIME, IVR_LANG_ZH);
	check(en, LEN(en), IVR_SAY_TIME, IVR_LANG_EN);
}

static void values_that_are_not_what_they_claim_are_refused(void **state)
{
	static const char *const digits[] = {"", "+", "12 34", "1-2", "++1", "1+",
					     "١٢", "abc"};
	static const char *const numbers[] = {
		"", "-", ".5", "5.", "1.2.3", "+5", " 5", "5 ", "1e5", "0x10",
		"--1", "12345678901234567", "1.12345678901234567", "一",
	};
	static const char *const money[] = {"1.234", "0.001", "", "1.", "yuan",
					    "12345678901234567.00"};
	static const char *const dates[] = {
		"2026-13-01", "2026-00-01", "2026-02-29", "2100-02-29",
		"2026-04-31", "0000-01-01", "2026-1-1", "2026/12/04", "2026-12-04 ",
		"26-12-04", "",
	};
	static const char *const times[] = {"24:00", "12:60", "9:00", "09:00:00",
					    "0900", "", "-1:00"};
	(void)state;

	refused(digits, LEN(digits), IVR_SAY_DIGITS);
	refused(numbers, LEN(numbers), IVR_SAY_NUMBER);
	refused(money, LEN(money), IVR_SAY_MONEY);
	refused(dates, LEN(dates), IVR_SAY_DATE);
	refused(times, LEN(times), IVR_SAY_TIME);
	assert_int_equal(EINVAL, ivr_say((char[8]){0}, 8, NULL, IVR_SAY_NUMBER,
					 IVR_LANG_ZH));
	assert_int_equal(EINVAL, ivr_say((char[8]){0}, 8, "1", 99, IVR_LANG_ZH));
	assert_int_equal(EINVAL, ivr_say((char[8]){0}, 8, "1", IVR_SAY_NUMBER, 7));
}

/* Any byte string at all: EINVAL or text, and never a crash. */
static void arbitrary_bytes_never_crash(void **state)
{
	char in[24], out[64];
	uint32_t x = 12345;
	(void)state;

	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		x = x * 1103515245 + 12345;
		const size_t len = (x >> 16) % (sizeof(in) - 1);
		for (; n < len; n++) {
			x = x * 1103515245 + 12345;
			in[n] = "0123456789-.:+*# \xe4"[(x >> 16) % 18];
		}
		in[n] = '\0';
		for (int as = IVR_SAY_DIGITS; as <= IVR_SAY_TIME; as++) {
			const int err = ivr_say(out, sizeof(out), in, as, round & 1);
			assert_true(err == 0 || err == EINVAL || err == ENOSPC);
			assert_true(strlen(out) < sizeof(out));
		}
	}
}

/* Too small a buffer is ENOSPC and leaves "", whatever the size. */
static void a_short_buffer_is_enospc(void **state)
{
	char buf[64];
	const char *want = "one hundred twenty-three";
	(void)state;

	for (size_t size = 0; size <= strlen(want); size++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(ENOSPC, ivr_say(buf, size, "123", IVR_SAY_NUMBER,
						 IVR_LANG_EN));
		if (size)
			assert_string_equal("", buf);
		else
			assert_int_equal('x', buf[0]);
	}
	assert_int_equal(0, ivr_say(buf, strlen(want) + 1, "123", IVR_SAY_NUMBER,
				    IVR_LANG_EN));
	assert_string_equal(want, buf);
	/* Cut inside a three-byte character is still a clean ENOSPC. */
	assert_int_equal(ENOSPC, ivr_say(buf, 5, "12", IVR_SAY_NUMBER, IVR_LANG_ZH));
	assert_int_equal(0, ivr_say(buf, 7, "12", IVR_SAY_NUMBER, IVR_LANG_ZH));
	assert_string_equal("十二", buf);
}

static void say_as_words(void **state)
{
	static const struct {
		const char *word;
		enum ivr_say_as as;
	} t[] = {
		{"digits", IVR_SAY_DIGITS}, {"number", IVR_SAY_NUMBER},
		{"money", IVR_SAY_MONEY}, {"date", IVR_SAY_DATE},
		{"time", IVR_SAY_TIME},
	};
	enum ivr_say_as as;
	(void)state;

	for (size_t i = 0; i < LEN(t); i++) {
		assert_int_equal(0, ivr_say_as_parse(t[i].word, &as));
		assert_int_equal(t[i].as, as);
	}
	assert_int_equal(EINVAL, ivr_say_as_parse("Money", &as));
	assert_int_equal(EINVAL, ivr_say_as_parse("", &as));
	assert_int_equal(EINVAL, ivr_say_as_parse(NULL, &as));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chinese_phone_numbers_say_one_as_yao),
		cmocka_unit_test(english_digits_are_words_with_zero),
		cmocka_unit_test(chinese_numbers_place_zero_and_ten_as_spoken),
		cmocka_unit_test(english_numbers_in_words),
		cmocka_unit_test(chinese_money_in_yuan_jiao_fen),
		cmocka_unit_test(english_money_in_yuan_and_fen),
		cmocka_unit_test(dates_in_both_languages),
		cmocka_unit_test(times_in_both_languages),
		cmocka_unit_test(values_that_are_not_what_they_claim_are_refused),
		cmocka_unit_test(arbitrary_bytes_never_crash),
		cmocka_unit_test(a_short_buffer_is_enospc),
		cmocka_unit_test(say_as_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
