/* base/cfg: defaults < INI file < flags, and errors that name what is wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/cfg.h"

/* What cfg_check fills. */
struct vals {
	char data[64];
	bool demo;
	int32_t threads;
};

static const struct field defs[] = {
	{.name = "db.url", .flag = "--db", .kind = FIELD_STR,
	 .help = "database URL"},
	{.name = "data.dir", .flag = "--data", .kind = FIELD_STR,
	 FIELD_AT(struct vals, data), .def = "./data",
	 .help = "data directory"},
	{.name = "sip.listen", .flag = "--sip", .kind = FIELD_HOSTPORT,
	 .def = "0.0.0.0:5060", .help = "SIP address"},
	{.name = "demo.enabled", .flag = "--demo", .kind = FIELD_BOOL,
	 FIELD_AT(struct vals, demo), .switch_flag = true, .def = "false",
	 .help = "demo tenant"},
	{.name = "sip.realm", .kind = FIELD_STR, .def = "hotline",
	 .help = "digest realm"},
	{.name = "top", .kind = FIELD_STR, .def = "t",
	 .help = "a key outside any section"},
	{.name = "media.threads", .kind = FIELD_INT,
	 FIELD_AT(struct vals, threads), .lo = 1, .hi = 64, .def = "1",
	 .help = "threads"},
	{.name = NULL},
};

struct fx {
	struct cfg *cfg;
	char dir[64];
	char path[96];
	char err[512];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/hl-cfg-test.XXXXXX");
	if (!mkdtemp(fx->dir) || cfg_alloc(&fx->cfg, defs))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/hotline.ini", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	cfg_free(fx->cfg);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void write_file(struct fx *fx, const char *text)
{
	FILE *f = fopen(fx->path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int parse(struct fx *fx, int argc, char **argv)
{
	fx->err[0] = '\0';
	return cfg_parse_args(fx->cfg, argc, argv, fx->err, sizeof(fx->err));
}

static void every_key_starts_at_its_default(void **state)
{
	struct fx *fx = *state;

	assert_string_equal("./data", cfg_get(fx->cfg, "data.dir"));
	assert_string_equal("hotline", cfg_get(fx->cfg, "sip.realm"));
	assert_null(cfg_get(fx->cfg, "db.url"));
	assert_false(cfg_get_bool(fx->cfg, "demo.enabled"));
	assert_null(cfg_get(fx->cfg, "no.such"));
	assert_int_equal(ENOENT, cfg_set(fx->cfg, "no.such", "x"));
	assert_int_equal(0, cfg_set(fx->cfg, "db.url", "sqlite:x"));
	assert_string_equal("sqlite:x", cfg_get(fx->cfg, "db.url"));
	assert_int_equal(0, cfg_set(fx->cfg, "db.url", NULL));
	assert_null(cfg_get(fx->cfg, "db.url"));
}

static void bool_values_are_read_generously(void **state)
{
	struct fx *fx = *state;
	static const char *const yes[] = {"1", "true", "TRUE", "yes", "On"};
	static const char *const no[] = {"0", "false", "no", "off", "", "2"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		assert_int_equal(0, cfg_set(fx->cfg, "demo.enabled", yes[i]));
		assert_true(cfg_get_bool(fx->cfg, "demo.enabled"));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++) {
		assert_int_equal(0, cfg_set(fx->cfg, "demo.enabled", no[i]));
		assert_false(cfg_get_bool(fx->cfg, "demo.enabled"));
	}
}

static void an_ini_file_sets_keys_by_section(void **state)
{
	struct fx *fx = *state;

	write_file(fx, "# comment\n"
		       "; another comment\n"
		       "top = outside\n"
		       "\n"
		       "[sip]\n"
		       "  listen =  127.0.0.1:5070  \n"
		       "realm=callcenter\n"
		       "[ data ]\n"
		       "dir = /var/lib/hotline\n"
		       "[db]\n"
		       "url = sqlite:/tmp/a=b.db\n");
	assert_int_equal(0, cfg_load_file(fx->cfg, fx->path, fx->err, sizeof(fx->err)));
	assert_string_equal("outside", cfg_get(fx->cfg, "top"));
	assert_string_equal("127.0.0.1:5070", cfg_get(fx->cfg, "sip.listen"));
	assert_string_equal("callcenter", cfg_get(fx->cfg, "sip.realm"));
	assert_string_equal("/var/lib/hotline", cfg_get(fx->cfg, "data.dir"));
	/* Only the first '=' separates: values may contain more. */
	assert_string_equal("sqlite:/tmp/a=b.db", cfg_get(fx->cfg, "db.url"));
}

static void an_unknown_key_names_the_key_the_file_and_the_line(void **state)
{
	struct fx *fx = *state;
	char want[200];

	write_file(fx, "[sip]\nlisten = 127.0.0.1:5070\n\n[sip]\nlisen = x\nrealm = late\n");
	assert_int_equal(EINVAL, cfg_load_file(fx->cfg, fx->path, fx->err, sizeof(fx->err)));
	snprintf(want, sizeof(want), "%s:5: unknown key 'sip.lisen'", fx->path);
	assert_string_equal(want, fx->err);
	/* Values before the error are kept; the file stops there. */
	assert_string_equal("127.0.0.1:5070", cfg_get(fx->cfg, "sip.listen"));
	assert_string_equal("hotline", cfg_get(fx->cfg, "sip.realm"));
}

static void malformed_lines_and_missing_files_are_errors(void **state)
{
	struct fx *fx = *state;
	char want[200];

	write_file(fx, "[sip\n");
	assert_int_equal(EINVAL, cfg_load_file(fx->cfg, fx->path, fx->err, sizeof(fx->err)));
	snprintf(want, sizeof(want), "%s:1: bad section header", fx->path);
	assert_string_equal(want, fx->err);

	write_file(fx, "[sip]\nlisten\n");
	assert_int_equal(EINVAL, cfg_load_file(fx->cfg, fx->path, fx->err, sizeof(fx->err)));
	snprintf(want, sizeof(want), "%s:2: expected key = value", fx->path);
	assert_string_equal(want, fx->err);

	unlink(fx->path);
	assert_int_equal(ENOENT, cfg_load_file(fx->cfg, fx->path, fx->err, sizeof(fx->err)));
	assert_non_null(strstr(fx->err, fx->path));
}

static void flags_win_over_the_file_wherever_config_appears(void **state)
{
	struct fx *fx = *state;
	char *argv[] = {"--sip", "127.0.0.1:6000", "--config", fx->path,
			"--data=/srv/hl"};

	write_file(fx, "[sip]\nlisten = 127.0.0.1:5070\nrealm = fromfile\n"
		       "[data]\ndir = /from/file\n");
	assert_int_equal(0, parse(fx, 5, argv));
	assert_string_equal("127.0.0.1:6000", cfg_get(fx->cfg, "sip.listen"));
	assert_string_equal("/srv/hl", cfg_get(fx->cfg, "data.dir"));
	assert_string_equal("fromfile", cfg_get(fx->cfg, "sip.realm"));
}

static void flag_values_come_separate_or_after_an_equals_sign(void **state)
{
	struct fx *fx = *state;
	char *argv[] = {"--db", "sqlite:/a.db", "--sip=[::1]:5060", "--data="};

	assert_int_equal(0, parse(fx, 4, argv));
	assert_string_equal("sqlite:/a.db", cfg_get(fx->cfg, "db.url"));
	assert_string_equal("[::1]:5060", cfg_get(fx->cfg, "sip.listen"));
	assert_string_equal("", cfg_get(fx->cfg, "data.dir"));
}

static void a_bool_flag_takes_no_value_unless_given_one(void **state)
{
	struct fx *fx = *state;
	char *on[] = {"--demo", "--data", "/d"};
	char *off[] = {"--demo=false"};

	assert_int_equal(0, parse(fx, 3, on));
	assert_true(cfg_get_bool(fx->cfg, "demo.enabled"));
	assert_string_equal("/d", cfg_get(fx->cfg, "data.dir"));
	assert_int_equal(0, parse(fx, 1, off));
	assert_false(cfg_get_bool(fx->cfg, "demo.enabled"));
}

static void bad_flags_are_errors_that_name_them(void **state)
{
	struct fx *fx = *state;
	char *unknown[] = {"--sip", "127.0.0.1:1", "--colour=red"};
	char *missing[] = {"--data"};
	char *followed[] = {"--data", "--demo"};
	char *stray[] = {"serve-now"};
	char *no_config[] = {"--config"};
	char *realm[] = {"--sip.realm", "x"};

	assert_int_equal(EINVAL, parse(fx, 3, unknown));
	assert_string_equal("unknown flag '--colour'", fx->err);
	assert_int_equal(EINVAL, parse(fx, 1, missing));
	assert_string_equal("flag '--data' needs a value", fx->err);
	/* "--data --demo" is a forgotten value, not a directory named --demo. */
	assert_int_equal(EINVAL, parse(fx, 2, followed));
	assert_string_equal("flag '--data' needs a value", fx->err);
	assert_int_equal(EINVAL, parse(fx, 1, stray));
	assert_string_equal("unexpected argument 'serve-now'", fx->err);
	assert_int_equal(EINVAL, parse(fx, 1, no_config));
	assert_string_equal("flag '--config' needs a value", fx->err);
	/* A key without a flag cannot be set from the command line. */
	assert_int_equal(EINVAL, parse(fx, 2, realm));
	assert_string_equal("unknown flag '--sip.realm'", fx->err);
	assert_string_equal("./data", cfg_get(fx->cfg, "data.dir"));
}

static void a_bad_config_file_fails_the_flags(void **state)
{
	struct fx *fx = *state;
	char *argv[] = {"--config", fx->path};

	write_file(fx, "[http]\nlisten = 1\n");
	assert_int_equal(EINVAL, parse(fx, 2, argv));
	assert_non_null(strstr(fx->err, "unknown key 'http.listen'"));
}

/* The values are held to their rows: a bool is one of the bool words and
 * nothing else, so "--record maybe" cannot quietly read as off. */
static void check_holds_every_value_to_its_row(void **state)
{
	struct fx *fx = *state;
	struct vals v = {0};
	char *maybe[] = {"--demo=maybe"};
	char *sip[] = {"--sip", "nowhere"};

	assert_int_equal(0, cfg_check(fx->cfg, &v, fx->err, sizeof(fx->err)));
	assert_string_equal("./data", v.data);
	assert_false(v.demo);
	assert_int_equal(1, v.threads);

	assert_int_equal(0, parse(fx, 1, maybe));
	assert_int_equal(EINVAL, cfg_check(fx->cfg, &v, fx->err,
					   sizeof(fx->err)));
	assert_string_equal("bad --demo 'maybe' (want true or false)", fx->err);

	assert_int_equal(0, cfg_set(fx->cfg, "demo.enabled", "Yes"));
	assert_int_equal(0, cfg_check(fx->cfg, &v, fx->err, sizeof(fx->err)));
	assert_true(v.demo);

	assert_int_equal(0, parse(fx, 2, sip));
	assert_int_equal(EINVAL, cfg_check(fx->cfg, &v, fx->err,
					   sizeof(fx->err)));
	assert_string_equal("bad --sip 'nowhere' (want HOST:PORT)", fx->err);
	assert_int_equal(0, cfg_set(fx->cfg, "sip.listen", "127.0.0.1:5060"));

	assert_int_equal(0, cfg_set(fx->cfg, "media.threads", "2147483648"));
	assert_int_equal(EINVAL, cfg_check(fx->cfg, &v, fx->err,
					   sizeof(fx->err)));
	assert_string_equal("bad media.threads '2147483648' (want an integer "
			    "1..64)", fx->err);
	assert_int_equal(1, v.threads);
}

/* A module reads its own rows (a part of the table, its own struct):
 * only those are parsed, as the whole table's check would; a row the
 * table lacks is ENOENT naming it. */
static void read_parses_a_part_of_the_table(void **state)
{
	struct fx *fx = *state;
	struct mine { int32_t threads; } m = {0};
	const struct field part[] = {
		{.name = "media.threads", .kind = FIELD_INT,
		 FIELD_AT(struct mine, threads), .lo = 1, .hi = 64},
	};
	const struct field stray[] = {
		{.name = "no.such", .kind = FIELD_STR},
	};

	assert_int_equal(0, cfg_set(fx->cfg, "media.threads", "8"));
	assert_int_equal(0, cfg_set(fx->cfg, "sip.listen", "nowhere"));
	assert_int_equal(0, cfg_read(fx->cfg, part, 1, &m, fx->err,
				     sizeof(fx->err)));
	assert_int_equal(8, m.threads);

	assert_int_equal(0, cfg_set(fx->cfg, "media.threads", "65"));
	assert_int_equal(EINVAL, cfg_read(fx->cfg, part, 1, &m, fx->err,
					  sizeof(fx->err)));
	assert_string_equal("bad media.threads '65' (want an integer 1..64)",
			    fx->err);
	assert_int_equal(8, m.threads);

	assert_int_equal(ENOENT, cfg_read(fx->cfg, stray, 1, &m, fx->err,
					  sizeof(fx->err)));
	assert_string_equal("unknown key 'no.such'", fx->err);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(every_key_starts_at_its_default),
		T(bool_values_are_read_generously),
		T(an_ini_file_sets_keys_by_section),
		T(an_unknown_key_names_the_key_the_file_and_the_line),
		T(malformed_lines_and_missing_files_are_errors),
		T(flags_win_over_the_file_wherever_config_appears),
		T(flag_values_come_separate_or_after_an_equals_sign),
		T(a_bool_flag_takes_no_value_unless_given_one),
		T(bad_flags_are_errors_that_name_them),
		T(a_bad_config_file_fails_the_flags),
		T(check_holds_every_value_to_its_row),
		T(read_parses_a_part_of_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
