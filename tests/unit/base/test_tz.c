/* base/tz: zone files, fixed offsets, footer rules, refusals. The real
 * zones come from the system's tzdata; the rules are tested on small TZif
 * files written here, so each footer form is pinned without a zone that
 * happens to use it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/tz.h"

static char dir[64];   /* a TZDIR of made-up zones, one per test */

static void put32(FILE *f, uint32_t v)
{
	const uint8_t b[4] = {v >> 24, v >> 16, v >> 8, v};
	fwrite(b, 1, 4, f);
}

/* One header and block: no transitions, one type (utoff, "ZZZ"). */
static void put_block(FILE *f, char version, int32_t utoff)
{
	static const uint8_t zero[15];

	fwrite("TZif", 1, 4, f);
	fputc(version, f);
	fwrite(zero, 1, 15, f);
	put32(f, 0), put32(f, 0), put32(f, 0), put32(f, 0);  /* ut std leap time */
	put32(f, 1), put32(f, 4);                            /* type, chars */
	put32(f, (uint32_t)utoff);
	fputc(0, f), fputc(0, f);
	fwrite("ZZZ", 1, 4, f);
}

/* Writes dir/name as a TZif v2 file whose footer is `footer`. */
static void write_zone(const char *name, const char *footer)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	put_block(f, '2', 0);
	put_block(f, '2', 0);
	fprintf(f, "\n%s\n", footer);
	fclose(f);
}

static void write_bytes(const char *name, const void *b, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(b, 1, n, f);
	fclose(f);
}

static int32_t offset_in(const char *name, int64_t utc)
{
	struct tz *z = NULL;
	int32_t off;

	assert_int_equal(0, tz_load(&z, name));
	assert_string_equal(name, tz_name(z));
	off = tz_offset_s(z, utc);
	tz_free(z);
	return off;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/hl-tz-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[96];
	(void)state;

	unsetenv("TZDIR");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void shanghai_is_eight_hours_ahead_now(void **state)
{
	(void)state;
	setenv("TZDIR", "/usr/share/zoneinfo", 1);
	assert_int_equal(8 * 3600, offset_in("Asia/Shanghai", 1780272000)); /* 2026-06-01 */
	assert_int_equal(8 * 3600, offset_in("Asia/Shanghai", 4119292800)); /* 2100-07-15 */
}

/* China kept summer time 1986-1991: in 1988 from 04-17 02:00 to 09-11 02:00. */
static void shanghai_had_summer_time_in_1988(void **state)
{
	(void)state;
	setenv("TZDIR", "/usr/share/zoneinfo", 1);
	assert_int_equal(8 * 3600, offset_in("Asia/Shanghai", 567993600));     /* 01-01 */
	assert_int_equal(8 * 3600, offset_in("Asia/Shanghai", 577216800 - 1));
	assert_int_equal(9 * 3600, offset_in("Asia/Shanghai", 577216800));
	assert_int_equal(9 * 3600, offset_in("Asia/Shanghai", 583718400));     /* 07-01 */
	assert_int_equal(9 * 3600, offset_in("Asia/Shanghai", 589914000 - 1));
	assert_int_equal(8 * 3600, offset_in("Asia/Shanghai", 589914000));
}

static void new_york_in_winter_and_summer_2026(void **state)
{
	(void)state;
	setenv("TZDIR", "/usr/share/zoneinfo", 1);
	assert_int_equal(-5 * 3600, offset_in("America/New_York", 1768435200)); /* 01-15 */
	assert_int_equal(-4 * 3600, offset_in("America/New_York", 1784073600)); /* 07-15 */
	/* 03-08 07:00Z and 11-01 06:00Z: the changes, to the second. */
	assert_int_equal(-5 * 3600, offset_in("America/New_York", 1772953200 - 1));
	assert_int_equal(-4 * 3600, offset_in("America/New_York", 1772953200));
	assert_int_equal(-4 * 3600, offset_in("America/New_York", 1793512800 - 1));
	assert_int_equal(-5 * 3600, offset_in("America/New_York", 1793512800));
}

/* 2100 is past every transition in the file: the footer's rule answers. */
static void new_york_in_2100_follows_the_footer_rule(void **state)
{
	(void)state;
	setenv("TZDIR", "/usr/share/zoneinfo", 1);
	assert_int_equal(-5 * 3600, offset_in("America/New_York", 4103654400));
	assert_int_equal(-4 * 3600, offset_in("America/New_York", 4119292800));
	assert_int_equal(-5 * 3600, offset_in("America/New_York", 4108690800 - 1));
	assert_int_equal(-4 * 3600, offset_in("America/New_York", 4108690800));
	assert_int_equal(-4 * 3600, offset_in("America/New_York", 4129250400 - 1));
	assert_int_equal(-5 * 3600, offset_in("America/New_York", 4129250400));
}

static void utc_and_fixed_offsets_need_no_file(void **state)
{
	(void)state;
	setenv("TZDIR", dir, 1);   /* empty: nothing to read */
	assert_int_equal(0, offset_in("UTC", 1780272000));
	assert_int_equal(8 * 3600, offset_in("+08:00", 1780272000));
	assert_int_equal(-(5 * 3600 + 30 * 60), offset_in("-05:30", 0));
	assert_int_equal(0, offset_in("+00:00", INT64_MAX));
	assert_int_equal(8 * 3600, offset_in("+08:00", INT64_MIN));
}

/* Sydney's footer: DST from October to April, across the new year. */
static void a_southern_rule_spans_the_new_year(void **state)
{
	(void)state;
	setenv("TZDIR", dir, 1);
	write_zone("Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3");
	assert_int_equal(11 * 3600, offset_in("Sydney", 4103654400)); /* 2100-01-15 */
	assert_int_equal(10 * 3600, offset_in("Sydney", 4119292800)); /* 2100-07-15 */
	/* 2100-04-03 16:00Z back to standard, 2100-10-02 16:00Z into DST. */
	assert_int_equal(11 * 3600, offset_in("Sydney", 4110451200 - 1));
	assert_int_equal(10 * 3600, offset_in("Sydney", 4110451200));
	assert_int_equal(10 * 3600, offset_in("Sydney", 4126176000 - 1));
	assert_int_equal(11 * 3600, offset_in("Sydney", 4126176000));
	/* Far out, the arithmetic stays defined. */
	offset_in("Sydney", INT64_MAX);
	offset_in("Sydney", INT64_MIN);
}

/* Jn skips Feb 29, n counts it: in 2024 J60 is March 1, 59 is Feb 29. */
static void julian_day_rules_count_leap_days_as_posix_says(void **state)
{
	(void)state;
	setenv("TZDIR", dir, 1);
	write_zone("J", "EST5EDT,J60,J300");
	write_zone("D", "EST5EDT,59,300");
	assert_int_equal(-5 * 3600, offset_in("J", 1709276400 - 1)); /* 2024-03-01 07:00Z */
	assert_int_equal(-4 * 3600, offset_in("J", 1709276400));
	assert_int_equal(-5 * 3600, offset_in("D", 1709190000 - 1)); /* 2024-02-29 07:00Z */
	assert_int_equal(-4 * 3600, offset_in("D", 1709190000));
}

static void footer_forms_quoted_names_minutes_and_no_rule(void **state)
{
	(void)state;
	setenv("TZDIR", dir, 1);
	write_zone("Q", "<+0330>-3:30");
	write_zone("W", "<-03>3");
	write_zone("Empty", "");
	write_zone("Off", "AAA-1BBB-3,M3.5.0/-1,M10.5.0/167");  /* explicit DST offset */
	assert_int_equal(3 * 3600 + 30 * 60, offset_in("Q", 0));
	assert_int_equal(-3 * 3600, offset_in("W", 4119292800));
	assert_int_equal(0, offset_in("Empty", 4119292800));   /* type 0 stays */
	assert_int_equal(3 * 3600, offset_in("Off", 4119292800));  /* July 2100 */
	assert_int_equal(1 * 3600, offset_in("Off", 4103654400));  /* January */
}

/* A version 1 file has only the 32-bit block and no footer. */
static void a_version_1_file_is_read_from_its_32_bit_block(void **state)
{
	char path[128];
	FILE *f;
	(void)state;

	setenv("TZDIR", dir, 1);
	snprintf(path, sizeof(path), "%s/V1", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	put_block(f, 0, 3600);
	fclose(f);
	assert_int_equal(3600, offset_in("V1", 4119292800));
}

static void names_that_could_leave_the_database_are_refused(void **state)
{
	static const char *const bad[] = {
		"", "/etc/passwd", "../etc/passwd", "Asia/../../etc/passwd",
		"Asia/Shang hai", "Asia\\Shanghai", "Europe/Zürich", "+8:00",
		"+08:60", "+24:00", "UTC;rm",
		"Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct tz *z = NULL;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(EINVAL, tz_name_check(bad[i]));
		assert_int_equal(EINVAL, tz_load(&z, bad[i]));
	}
	assert_null(z);
	assert_int_equal(EINVAL, tz_load(&z, NULL));
	assert_int_equal(0, tz_name_check("America/Argentina/Buenos_Aires"));
	assert_int_equal(0, tz_name_check("Etc/GMT+8"));
}

static void missing_zones_and_folders_are_enoent(void **state)
{
	struct tz *z = NULL;
	(void)state;

	setenv("TZDIR", "/usr/share/zoneinfo", 1);
	assert_int_equal(ENOENT, tz_load(&z, "Asia/Nowhere"));
	assert_int_equal(ENOENT, tz_load(&z, "Asia"));
	assert_int_equal(ENOENT, tz_load(&z, "Asia/Shanghai/x"));
	assert_null(z);
}

static void files_that_are_not_tzif_are_ebadmsg(void **state)
{
	static const char *const bad_footers[] = {
		"EST5EDT",                   /* DST without its dates */
		"ES5", "EST", "EST25", "EST5EDT,M13.1.0,M11.1.0",
		"EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,J0,J300",
		"EST5EDT,366,1", "EST5EDT,M3.2.0/168,M11.1.0", "EST5EDT,M3.2.0",
		"EST5 ", "<+08-8", "EST5:60",
	};
	struct tz *z = NULL;
	char name[16];
	(void)state;

	setenv("TZDIR", dir, 1);
	write_bytes("Text", "not a zone\n", 11);
	write_bytes("Short", "TZif2", 5);
	write_bytes("Zero", "", 0);
	assert_int_equal(EBADMSG, tz_load(&z, "Text"));
	assert_int_equal(EBADMSG, tz_load(&z, "Short"));
	assert_int_equal(EBADMSG, tz_load(&z, "Zero"));
	for (size_t i = 0; i < sizeof(bad_footers) / sizeof(bad_footers[0]); i++) {
		snprintf(name, sizeof(name), "Bad%zu", i);
		write_zone(name, bad_footers[i]);
		assert_int_equal(EBADMSG, tz_load(&z, name));
	}
	assert_null(z);
}

/* Every prefix of a real zone file is refused, never read past its end. */
static void truncated_zone_files_are_refused(void **state)
{
	uint8_t buf[4096];
	struct tz *z = NULL;
	size_t n;
	FILE *f = fopen("/usr/share/zoneinfo/America/New_York", "rb");
	(void)state;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 100 && n < sizeof(buf));
	setenv("TZDIR", dir, 1);
	for (size_t len = 0; len < n; len += len < 200 ? 1 : 37) {
		write_bytes("Cut", buf, len);
		assert_int_equal(EBADMSG, tz_load(&z, "Cut"));
	}
	write_bytes("Whole", buf, n);
	assert_int_equal(-4 * 3600, offset_in("Whole", 1784073600));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shanghai_is_eight_hours_ahead_now),
		cmocka_unit_test(shanghai_had_summer_time_in_1988),
		cmocka_unit_test(new_york_in_winter_and_summer_2026),
		cmocka_unit_test(new_york_in_2100_follows_the_footer_rule),
		cmocka_unit_test(utc_and_fixed_offsets_need_no_file),
		cmocka_unit_test(a_southern_rule_spans_the_new_year),
		cmocka_unit_test(julian_day_rules_count_leap_days_as_posix_says),
		cmocka_unit_test(footer_forms_quoted_names_minutes_and_no_rule),
		cmocka_unit_test(a_version_1_file_is_read_from_its_32_bit_block),
		cmocka_unit_test(names_that_could_leave_the_database_are_refused),
		cmocka_unit_test(missing_zones_and_folders_are_enoent),
		cmocka_unit_test(files_that_are_not_tzif_are_ebadmsg),
		cmocka_unit_test(truncated_zone_files_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
