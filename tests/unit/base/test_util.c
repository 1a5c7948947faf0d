/* base/util: time formats, ids, number and address parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "base/util.h"

/* 2026-11-23T16:40:00Z */
static const int64_t T0 = 1795452000000;

static void rfc3339_writes_utc_seconds_and_milliseconds(void **state)
{
	char buf[UTIL_TIME_LEN];
	(void)state;

	util_rfc3339(buf, T0 + 123);
	assert_string_equal("2026-11-23T16:40:00Z", buf);
	util_rfc3339_ms(buf, T0 + 123);
	assert_string_equal("2026-11-23T16:40:00.123Z", buf);
	util_rfc3339_ms(buf, 0);
	assert_string_equal("1970-01-01T00:00:00.000Z", buf);
	/* Before the epoch the fraction still counts forward within its second. */
	util_rfc3339_ms(buf, -1);
	assert_string_equal("1969-12-31T23:59:59.999Z", buf);
	util_rfc3339(buf, -1);
	assert_string_equal("1969-12-31T23:59:59Z", buf);
}

static void rfc3339_parses_what_it_writes(void **state)
{
	static const int64_t samples[] = {0, 1, 999, -1, -1000, -1001, T0, T0 + 7,
					  951782400123 /* 2000-02-29 */};
	char buf[UTIL_TIME_LEN];
	int64_t ms;
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(samples); i++) {
		util_rfc3339_ms(buf, samples[i]);
		assert_int_equal(0, util_parse_rfc3339(buf, &ms));
		assert_true(ms == samples[i]);
		util_rfc3339(buf, samples[i]);
		assert_int_equal(0, util_parse_rfc3339(buf, &ms));
		assert_true(ms == samples[i] - ((samples[i] % 1000 + 1000) % 1000));
	}
}

static void rfc3339_applies_offsets_and_fractions(void **state)
{
	static const struct {
		const char *s;
		int64_t ms;
	} cases[] = {
		{"2026-11-24T00:40:00+08:00",        T0},
		{"2026-11-23T11:10:00-05:30",        T0},
		{"2026-11-23T16:40:00+00:00",        T0},
		{"2026-11-23T16:40:00-00:00",        T0},
		{"2026-11-23T16:40:00z",             T0},
		{"2026-11-23T16:40:00.5Z",           T0 + 500},
		{"2026-11-23T16:40:00.05Z",          T0 + 50},
		{"2026-11-23T16:40:00.123456789Z",   T0 + 123},
		{"2026-11-24T00:40:00.250+08:00",    T0 + 250},
		{"2026-11-23t16:40:00Z",             T0},
		{"2000-02-29T00:00:00Z",             951782400000},
	};
	int64_t ms;
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		assert_int_equal(0, util_parse_rfc3339(cases[i].s, &ms));
		assert_true(ms == cases[i].ms);
	}
}

static void rfc3339_refuses_what_is_not_one(void **state)
{
	static const char *const bad[] = {
		"", "2026-11-23", "2026-11-23T16:40", "2026-11-23 16:40:00Z",
		"2026-11-23T16:40:00",          /* no zone */
		"2026-11-23T16:40:00Zjunk",
		"2026-11-23T16:40:00+0800",
		"2026-11-23T16:40:00+08",
		"2026-11-23T16:40:00+ab:cd",    /* offset not digits */
		"2026-11-23T16:40:00+24:00",    /* offset out of range */
		"2026-11-23T16:40:00+08:60",
		"2026-11-23T16:40:00.Z",        /* a fraction needs a digit */
		"2026-02-30T00:00:00Z",         /* no such day */
		"2026-13-01T00:00:00Z",
		"2026-11-23T25:00:00Z",
		" 2026-11-23T16:40:00Z",        /* strptime would skip the blank */
		"2026-1-23T16:40:00Z",
		"now",
	};
	int64_t ms = 42;
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (util_parse_rfc3339(bad[i], &ms) != EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(EINVAL, util_parse_rfc3339(NULL, &ms));
	assert_true(ms == 42);
}

static void random_ids_are_32_lowercase_hex_and_differ(void **state)
{
	char a[UTIL_ID_LEN], b[UTIL_ID_LEN];
	(void)state;

	util_random_id(a);
	util_random_id(b);
	assert_int_equal(32, strlen(a));
	assert_int_equal(strlen(a), strspn(a, "0123456789abcdef"));
	assert_int_equal(strlen(b), strspn(b, "0123456789abcdef"));
	assert_string_not_equal(a, b);
}

static void parse_u64_keeps_to_its_bounds(void **state)
{
	uint64_t v = 7;
	(void)state;

	assert_int_equal(0, util_parse_u64("0", 0, 10, &v));
	assert_true(v == 0);
	assert_int_equal(0, util_parse_u64("10", 0, 10, &v));
	assert_true(v == 10);
	assert_int_equal(0, util_parse_u64("007", 0, 10, &v));
	assert_true(v == 7);
	assert_int_equal(0, util_parse_u64("18446744073709551615", 0, UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);

	v = 99;
	assert_int_equal(EINVAL, util_parse_u64("11", 0, 10, &v));
	assert_int_equal(EINVAL, util_parse_u64("4", 5, 10, &v));
	assert_int_equal(EINVAL, util_parse_u64("18446744073709551616", 0, UINT64_MAX, &v));
	assert_int_equal(EINVAL, util_parse_u64("-1", 0, UINT64_MAX, &v));
	assert_int_equal(EINVAL, util_parse_u64("+1", 0, 10, &v));
	assert_int_equal(EINVAL, util_parse_u64(" 1", 0, 10, &v));
	assert_int_equal(EINVAL, util_parse_u64("1 ", 0, 10, &v));
	assert_int_equal(EINVAL, util_parse_u64("0x1", 0, 10, &v));
	assert_int_equal(EINVAL, util_parse_u64("", 0, 10, &v));
	assert_int_equal(EINVAL, util_parse_u64(NULL, 0, 10, &v));
	assert_true(v == 99);
}

static void hostport_splits_names_v4_and_bracketed_v6(void **state)
{
	static const struct {
		const char *s, *host;
		uint16_t port;
	} cases[] = {
		{"127.0.0.1:5060",     "127.0.0.1",   5060},
		{"0.0.0.0:8080",       "0.0.0.0",     8080},
		{"localhost:1",        "localhost",   1},
		{"[::1]:5060",         "::1",         5060},
		{"[fe80::1%eth0]:65535", "fe80::1%eth0", 65535},
	};
	char host[64];
	uint16_t port;
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		assert_int_equal(0, util_parse_hostport(cases[i].s, host,
							sizeof(host), &port));
		assert_string_equal(cases[i].host, host);
		assert_int_equal(cases[i].port, port);
	}
}

static void hostport_refuses_bad_input(void **state)
{
	static const char *const bad[] = {
		"", "5060", "host", "host:", ":5060", "host:65536", "host:-1",
		"host:50a", "[::1]", "[::1]5060", "[::1:5060", "[]:5060",
		"::1:5060",          /* IPv6 needs brackets to carry a port */
		"a:b:5060",
	};
	char host[64] = "untouched", small[4];
	uint16_t port = 9;
	(void)state;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (util_parse_hostport(bad[i], host, sizeof(host), &port) != EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(EINVAL, util_parse_hostport(NULL, host, sizeof(host), &port));
	/* A host that does not fit is refused, not cut. */
	assert_int_equal(EINVAL, util_parse_hostport("long.example:80", small,
						     sizeof(small), &port));
	assert_string_equal("untouched", host);
	assert_int_equal(9, port);
}

static void strlcpy_always_terminates_and_reports_truncation(void **state)
{
	char buf[4];
	(void)state;

	assert_int_equal(0, util_strlcpy(buf, "abc", sizeof(buf)));
	assert_string_equal("abc", buf);
	assert_int_equal(ENOSPC, util_strlcpy(buf, "abcd", sizeof(buf)));
	assert_string_equal("abc", buf);
	assert_int_equal(ENOSPC, util_strlcpy(buf, "x", 0));
}

static void clocks_move_forward(void **state)
{
	(void)state;
	int64_t m = util_mono_ms();
	assert_true(util_now_ms() > T0 - 10LL * 365 * 86400 * 1000);
	assert_true(util_mono_ms() >= m);
}

static void hex_digits_have_their_values_and_nothing_else_has_one(
	void **state)
{
	(void)state;
	assert_int_equal(0, util_hexval('0'));
	assert_int_equal(9, util_hexval('9'));
	assert_int_equal(10, util_hexval('a'));
	assert_int_equal(15, util_hexval('F'));
	assert_int_equal(-1, util_hexval('g'));
	assert_int_equal(-1, util_hexval('%'));
	assert_int_equal(-1, util_hexval('\0'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3339_writes_utc_seconds_and_milliseconds),
		cmocka_unit_test(rfc3339_parses_what_it_writes),
		cmocka_unit_test(rfc3339_applies_offsets_and_fractions),
		cmocka_unit_test(rfc3339_refuses_what_is_not_one),
		cmocka_unit_test(random_ids_are_32_lowercase_hex_and_differ),
		cmocka_unit_test(parse_u64_keeps_to_its_bounds),
		cmocka_unit_test(hostport_splits_names_v4_and_bracketed_v6),
		cmocka_unit_test(hostport_refuses_bad_input),
		cmocka_unit_test(strlcpy_always_terminates_and_reports_truncation),
		cmocka_unit_test(clocks_move_forward),
		cmocka_unit_test(hex_digits_have_their_values_and_nothing_else_has_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
