/* base/field: what a row accepts, from text and from JSON, and what it says
 * when it refuses. Read top to bottom, this is the specification of a
 * setting's value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/field.h"
#include "base/util.h"

struct s {
	int32_t skill;
	uint32_t max_len;
	int64_t wait_ms;
	uint8_t small;
	bool on;
	char name[8];
	char lang[8];
	char listen[32];
	struct field_ports ports;
	int custom;
};

static const char *const langs[] = {"zh", "en", NULL};

static int no_self(const char *name, const char *text, const void *base,
		   char *why, size_t n)
{
	(void)base;
	if (strcmp(text, "self"))
		return 0;
	snprintf(why, n, "%s: a queue cannot overflow into itself", name);
	return EINVAL;
}

static int parse_custom(void *ctx, const char *path, json_t *v, void *dst)
{
	(void)path;
	*(int *)dst = (int)json_array_size(v);
	*(int *)ctx += 1;
	return 0;
}

#define AT(m) FIELD_AT(struct s, m)
static const struct field rows[] = {
	{.name = "skill", .kind = FIELD_INT, AT(skill), .lo = INT32_MIN,
	 .hi = INT32_MAX, .def = "0", .help = "skill level"},
	{.name = "max_len", .kind = FIELD_INT, AT(max_len), .lo = 0,
	 .hi = 100000, .def = "0", .help = "callers at most"},
	{.name = "wait_ms", .kind = FIELD_INT, AT(wait_ms), .lo = 0,
	 .hi = 86400000, .def = "20000", .unit = "ms", .help = "wait"},
	{.name = "small", .kind = FIELD_INT, AT(small), .lo = 0, .hi = 255,
	 .def = "7", .help = "a byte"},
	{.name = "record.enabled", .flag = "--record", .kind = FIELD_BOOL,
	 AT(on), .def = "true", .help = "record every call"},
	{.name = "overflow", .kind = FIELD_STR, AT(name), .def = "hangup",
	 .check = no_self, .help = "where to"},
	{.name = "announce_lang", .kind = FIELD_ENUM, .words = langs,
	 AT(lang), .def = "zh", .help = "language", .required = true},
	{.name = "sip.listen", .flag = "--sip", .kind = FIELD_HOSTPORT,
	 AT(listen), .def = "0.0.0.0:5060", .help = "SIP address"},
	{.name = "rtp.ports", .flag = "--rtp-ports", .kind = FIELD_PORTS,
	 AT(ports), .lo = 1024, .hi = 65535, .def = "20000-29999",
	 .help = "RTP port range LO-HI"},
	{.name = "custom", .kind = FIELD_CUSTOM, AT(custom),
	 .parse = parse_custom, .help = "anything"},
};
#define N ARRAY_LEN(rows)

static const struct field *row(const char *name)
{
	const struct field *f = field_find(rows, N, name);
	assert_non_null(f);
	return f;
}

/* Parses text into a fresh struct of defaults; why holds the message. */
static int text(struct s *v, const char *name, const char *t, char *why)
{
	*v = (struct s){0};
	assert_int_equal(0, field_defaults(rows, N, v));
	return field_parse_text(row(name), t, v, why, 256);
}

static int js(struct s *v, const char *name, const char *json, char *why)
{
	json_t *j = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	int err;

	assert_non_null(j);
	*v = (struct s){0};
	assert_int_equal(0, field_defaults(rows, N, v));
	err = field_parse_json(row(name), NULL, j, v, NULL, why, 256);
	json_decref(j);
	return err;
}

static void the_table_itself_is_sound(void **state)
{
	char why[256] = "";
	static const struct field too_wide[] = {
		{.name = "x", .kind = FIELD_INT, AT(skill), .lo = 0,
		 .hi = 4294967296LL},
	};
	static const struct field bad_default[] = {
		{.name = "y", .kind = FIELD_INT, AT(small), .lo = 0, .hi = 9,
		 .def = "10"},
	};

	(void)state;
	assert_int_equal(0, field_table_check(rows, N, why, sizeof(why)));
	assert_int_equal(EINVAL, field_table_check(too_wide, 1, why,
						   sizeof(why)));
	assert_string_equal("x: range 0..4294967296 does not fit its member",
			    why);
	assert_int_equal(EINVAL, field_table_check(bad_default, 1, why,
						   sizeof(why)));
	assert_string_equal("y: default '10' is refused", why);
}

static void defaults_fill_every_member(void **state)
{
	struct s v = {0};

	(void)state;
	assert_int_equal(0, field_defaults(rows, N, &v));
	assert_int_equal(0, v.skill);
	assert_int_equal(20000, v.wait_ms);
	assert_int_equal(7, v.small);
	assert_true(v.on);
	assert_string_equal("hangup", v.name);
	assert_string_equal("zh", v.lang);
	assert_string_equal("0.0.0.0:5060", v.listen);
	assert_int_equal(20000, v.ports.lo);
	assert_int_equal(29999, v.ports.hi);
}

/* A 32-bit field takes its whole range and not one past it: 2147483648
 * is refused, never wrapped to -2147483648. */
static void an_integer_is_taken_to_its_edges_and_no_further(void **state)
{
	struct s v;
	char why[256];

	(void)state;
	assert_int_equal(0, text(&v, "skill", "2147483647", why));
	assert_int_equal(INT32_MAX, v.skill);
	assert_int_equal(0, text(&v, "skill", "-2147483648", why));
	assert_int_equal(INT32_MIN, v.skill);
	assert_int_equal(EINVAL, text(&v, "skill", "2147483648", why));
	assert_string_equal("bad skill '2147483648' (want an integer "
			    "-2147483648..2147483647)", why);
	assert_int_equal(0, v.skill);
	assert_int_equal(EINVAL, js(&v, "skill", "2147483648", why));
	assert_string_equal("skill: want an integer -2147483648..2147483647",
			    why);
	assert_int_equal(0, v.skill);
	assert_int_equal(EINVAL, js(&v, "skill", "-2147483649", why));
	assert_int_equal(0, js(&v, "small", "255", why));
	assert_int_equal(255, v.small);
	assert_int_equal(EINVAL, js(&v, "small", "256", why));
	assert_int_equal(0, js(&v, "wait_ms", "86400000", why));
	assert_int_equal(86400000, v.wait_ms);
	assert_int_equal(EINVAL, js(&v, "wait_ms", "86400001", why));
	assert_int_equal(EINVAL, js(&v, "max_len", "-1", why));
	assert_string_equal("max_len: want an integer 0..100000", why);
}

/* Text is a plain decimal: no sign but '-', no spaces, no fraction, no
 * hex, and nothing past int64 (strtoll's clamp is refused, not kept). */
static void integer_text_is_plain_decimal(void **state)
{
	static const char *const bad[] = {
		"", "-", "+5", " 5", "5 ", "5x", "1.5", "0x10", "1e3",
		"9223372036854775808", "-9223372036854775809",
		"99999999999999999999",
	};
	struct s v;
	char why[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (text(&v, "wait_ms", bad[i], why) != EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(20000, v.wait_ms);
	}
	assert_int_equal(0, text(&v, "wait_ms", "0", why));
	assert_int_equal(0, v.wait_ms);
}

/* JSON integers only: a string of digits, a fraction, a bool or null is
 * not a number of milliseconds. */
static void json_integers_are_json_integers(void **state)
{
	static const char *const bad[] = {"\"15\"", "1.5", "true", "null",
					  "[1]", "{}"};
	struct s v;
	char why[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(EINVAL, js(&v, "wait_ms", bad[i], why));
		assert_string_equal("wait_ms: want an integer 0..86400000", why);
	}
}

/* A bool is one of eight words in any case; "maybe", "2" or "" is an
 * error, never a quiet false. JSON takes true and false only. */
static void a_bool_accepts_its_words_and_nothing_else(void **state)
{
	static const char *const yes[] = {"true", "TRUE", "yes", "On", "1"};
	static const char *const no[] = {"false", "No", "off", "0"};
	static const char *const bad[] = {"maybe", "2", "", "y", "truee",
					  " true", "enabled"};
	struct s v;
	char why[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		assert_int_equal(0, text(&v, "record.enabled", "false", why));
		assert_int_equal(0, text(&v, "record.enabled", yes[i], why));
		assert_true(v.on);
	}
	for (size_t i = 0; i < ARRAY_LEN(no); i++) {
		assert_int_equal(0, text(&v, "record.enabled", no[i], why));
		assert_false(v.on);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (text(&v, "record.enabled", bad[i], why) != EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(v.on);
	}
	assert_int_equal(EINVAL, text(&v, "record.enabled", "maybe", why));
	assert_string_equal("bad --record 'maybe' (want true or false)", why);
	assert_int_equal(0, js(&v, "record.enabled", "false", why));
	assert_false(v.on);
	assert_int_equal(EINVAL, js(&v, "record.enabled", "\"false\"", why));
	assert_string_equal("record.enabled: want true or false", why);
	assert_int_equal(EINVAL, js(&v, "record.enabled", "0", why));
}

static void a_string_fits_its_buffer_and_passes_its_check(void **state)
{
	struct s v;
	char why[256];

	(void)state;
	assert_int_equal(0, js(&v, "overflow", "\"1234567\"", why));
	assert_string_equal("1234567", v.name);
	assert_int_equal(EINVAL, js(&v, "overflow", "\"12345678\"", why));
	assert_string_equal("overflow: want a string under 8 bytes", why);
	assert_string_equal("hangup", v.name);
	assert_int_equal(EINVAL, js(&v, "overflow", "\"a\\u0000b\"", why));
	assert_int_equal(EINVAL, js(&v, "overflow", "5", why));
	/* The check's own words, and the member left as it was. */
	assert_int_equal(EINVAL, js(&v, "overflow", "\"self\"", why));
	assert_string_equal("overflow: a queue cannot overflow into itself",
			    why);
	assert_string_equal("hangup", v.name);
	assert_int_equal(EINVAL, text(&v, "overflow", "self", why));
	assert_string_equal("overflow: a queue cannot overflow into itself",
			    why);
}

static void an_enum_names_its_words(void **state)
{
	struct s v;
	char why[256];

	(void)state;
	assert_int_equal(0, js(&v, "announce_lang", "\"en\"", why));
	assert_string_equal("en", v.lang);
	assert_int_equal(EINVAL, js(&v, "announce_lang", "\"EN\"", why));
	assert_string_equal("announce_lang: want \"zh\" or \"en\"", why);
	assert_int_equal(EINVAL, text(&v, "announce_lang", "fr", why));
	assert_string_equal("bad announce_lang 'fr' (want \"zh\" or \"en\")",
			    why);
}

static void addresses_and_port_ranges(void **state)
{
	struct s v;
	char why[256];

	(void)state;
	assert_int_equal(0, text(&v, "sip.listen", "[::1]:5070", why));
	assert_string_equal("[::1]:5070", v.listen);
	assert_int_equal(EINVAL, text(&v, "sip.listen", "nowhere", why));
	assert_string_equal("bad --sip 'nowhere' (want HOST:PORT)", why);
	assert_int_equal(0, text(&v, "rtp.ports", "1024-65535", why));
	assert_int_equal(1024, v.ports.lo);
	assert_int_equal(65535, v.ports.hi);
	static const char *const bad[] = {"1023-2000", "2000-65536",
					  "3000-3000", "3000-2000", "3000",
					  "a-b", "-", "100000-2"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (text(&v, "rtp.ports", bad[i], why) != EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	assert_string_equal("bad --rtp-ports '100000-2' (want LO-HI, "
			    "1024..65535)", why);
}

/* An object is applied key by key; an unknown or missing key is named,
 * with the path of the object when it has one. */
static void objects_name_unknown_and_missing_keys(void **state)
{
	static const char *const skip[] = {"name", NULL};
	struct s v = {0};
	char why[256];
	int calls = 0;
	json_t *o = json_pack("{s:s, s:i, s:s, s:[i,i]}", "name", "q",
			      "max_len", 5, "announce_lang", "en",
			      "custom", 1, 2);

	(void)state;
	assert_int_equal(0, field_apply_json(rows, N, "", o, skip, &v, &calls,
					     why, sizeof(why)));
	assert_int_equal(5, v.max_len);
	assert_int_equal(2, v.custom);
	assert_int_equal(1, calls);
	json_object_set_new(o, "colour", json_string("red"));
	assert_int_equal(EINVAL, field_apply_json(rows, N, "queues[2]", o,
						  skip, &v, &calls, why,
						  sizeof(why)));
	assert_string_equal("queues[2].colour: unknown field", why);
	json_object_del(o, "colour");
	json_object_del(o, "announce_lang");
	assert_int_equal(EINVAL, field_apply_json(rows, N, "", o, skip, &v,
						  &calls, why, sizeof(why)));
	assert_string_equal("announce_lang: missing", why);
	json_decref(o);
}

/* The text form goes back in as it came out: what the database stores is
 * what the INI file would say. */
static void values_round_trip_through_text_and_json(void **state)
{
	struct s v = {0}, back = {0};
	char t[64], why[256];

	(void)state;
	assert_int_equal(0, field_defaults(rows, N, &v));
	v.skill = -7;
	v.on = false;
	for (size_t i = 0; i < N; i++) {
		json_t *j;
		if (rows[i].kind == FIELD_CUSTOM) {
			assert_int_equal(EINVAL, field_format(&rows[i], &v, t,
							      sizeof(t)));
			assert_null(field_to_json(&rows[i], &v));
			continue;
		}
		assert_int_equal(0, field_format(&rows[i], &v, t, sizeof(t)));
		assert_int_equal(0, field_parse_text(&rows[i], t, &back, why,
						     sizeof(why)));
		j = field_to_json(&rows[i], &v);
		assert_non_null(j);
		if (rows[i].kind == FIELD_INT)
			assert_true(json_is_integer(j));
		json_decref(j);
	}
	assert_int_equal(-7, back.skill);
	assert_false(back.on);
	assert_string_equal("20000-29999", (field_format(row("rtp.ports"), &v,
							 t, sizeof(t)), t));
	assert_int_equal(ENOSPC, field_format(row("wait_ms"), &v, t, 3));
}

/* --help and the docs are printed from the same rows. */
static void help_and_doc_lines_come_from_the_row(void **state)
{
	char line[512];
	static const struct field demo = {
		.name = "demo.enabled", .flag = "--demo", .kind = FIELD_BOOL,
		.switch_flag = true, .def = "false", .help = "demo tenant",
		.def_doc = "off",
	};

	(void)state;
	field_help_line(row("rtp.ports"), line, sizeof(line));
	assert_string_equal("  --rtp-ports VALUE      RTP port range LO-HI "
			    "(default 20000-29999)  [rtp.ports]\n", line);
	field_help_line(&demo, line, sizeof(line));
	assert_string_equal("  --demo                 demo tenant  "
			    "[demo.enabled]\n", line);
	field_help_line(row("wait_ms"), line, sizeof(line));
	assert_string_equal("  wait_ms                wait (default 20000)\n",
			    line);
	field_doc_row(row("rtp.ports"), line, sizeof(line));
	assert_string_equal("| `rtp.ports` | `--rtp-ports` | `20000-29999` | "
			    "RTP port range LO-HI |\n", line);
	field_doc_row(&demo, line, sizeof(line));
	assert_string_equal("| `demo.enabled` | `--demo` | off | demo tenant "
			    "|\n", line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_table_itself_is_sound),
		cmocka_unit_test(defaults_fill_every_member),
		cmocka_unit_test(an_integer_is_taken_to_its_edges_and_no_further),
		cmocka_unit_test(integer_text_is_plain_decimal),
		cmocka_unit_test(json_integers_are_json_integers),
		cmocka_unit_test(a_bool_accepts_its_words_and_nothing_else),
		cmocka_unit_test(a_string_fits_its_buffer_and_passes_its_check),
		cmocka_unit_test(an_enum_names_its_words),
		cmocka_unit_test(addresses_and_port_ranges),
		cmocka_unit_test(objects_name_unknown_and_missing_keys),
		cmocka_unit_test(values_round_trip_through_text_and_json),
		cmocka_unit_test(help_and_doc_lines_come_from_the_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
