/* base/zip: archives written here are read back by readers nobody here
 * wrote — Python's zipfile and Info-ZIP's unzip — byte for byte, with
 * UTF-8 names; bad names and unreadable sources are refused. */
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
#include "base/util.h"
#include "base/zip.h"

struct dir { char path[64]; char zip[96]; char src[96]; };

static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));

	strcpy(d->path, "/tmp/test_zip.XXXXXX");
	if (!mkdtemp(d->path))
		return -1;
	snprintf(d->zip, sizeof(d->zip), "%s/out.zip", d->path);
	snprintf(d->src, sizeof(d->src), "%s/src.bin", d->path);
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dir *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", d->path);
	free(d);
	return system(cmd) == 0 ? 0 : -1;
}

static void crc32_matches_the_standard_check_value(void **state)
{
	(void)state;
	assert_int_equal(0xcbf43926u, zip_crc32(0, "123456789", 9));
	/* continued over pieces it is the same */
	assert_int_equal(0xcbf43926u, zip_crc32(zip_crc32(0, "1234", 4),
						"56789", 5));
	assert_int_equal(0, zip_crc32(0, "", 0));
}

/* A file of 200 000 bytes (more than one read chunk), a buffer with a
 * Chinese name, an empty entry: python's zipfile checks every CRC and
 * compares the bytes, unzip -t checks the archive again. */
static void python_and_unzip_read_back_what_was_written(void **state)
{
	struct dir *d = *state;
	struct zip *z;
	uint64_t size = 0;
	FILE *f = fopen(d->src, "wb");
	char cmd[1024];

	assert_non_null(f);
	for (int i = 0; i < 200000; i++)
		fputc((i * 7 + i / 1000) & 0xff, f);
	fclose(f);
	assert_int_equal(0, zip_open(&z, d->zip));
	assert_int_equal(0, zip_add_file(z, "c1_138_4008_20260101-080000.wav",
					 d->src, 1767254400));
	assert_int_equal(0, zip_add_buf(z, "清单/manifest.csv", "id\nc1\n", 6,
					1767254401));
	assert_int_equal(0, zip_add_buf(z, "empty", "", 0, 1767254402));
	assert_int_equal(0, zip_close(z, &size));
	assert_true(size > 200000);

	snprintf(cmd, sizeof(cmd), "python3 - '%s' '%s' <<'PY'\n"
		 "import sys, zipfile\n"
		 "z = zipfile.ZipFile(sys.argv[1])\n"
		 "assert z.testzip() is None\n"
		 "n = z.namelist()\n"
		 "assert n == ['c1_138_4008_20260101-080000.wav', '清单/manifest.csv', 'empty'], n\n"
		 "assert z.read(n[0]) == open(sys.argv[2], 'rb').read()\n"
		 "assert z.read(n[1]) == b'id\\nc1\\n'\n"
		 "assert z.read(n[2]) == b''\n"
		 "i = z.getinfo(n[0])\n"
		 "assert i.compress_type == zipfile.ZIP_STORED and i.flag_bits & 0x800\n"
		 "assert i.date_time == (2026, 1, 1, 8, 0, 0), i.date_time\n"
		 "PY", d->zip, d->src);
	assert_int_equal(0, system(cmd));
	snprintf(cmd, sizeof(cmd), "unzip -tq '%s' >/dev/null", d->zip);
	assert_int_equal(0, system(cmd));
}

static void an_archive_with_no_entries_is_valid(void **state)
{
	struct dir *d = *state;
	struct zip *z;
	uint64_t size = 0;
	char cmd[256];

	assert_int_equal(0, zip_open(&z, d->zip));
	assert_int_equal(0, zip_close(z, &size));
	assert_int_equal(22, size);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import sys, zipfile; "
		 "assert zipfile.ZipFile(sys.argv[1]).namelist() == []' '%s'",
		 d->zip);
	assert_int_equal(0, system(cmd));
}

static void names_that_escape_the_folder_are_refused(void **state)
{
	static const char *const bad[] = {"", "/etc/passwd", "../x", "a/../b",
					  "a/.."};
	struct dir *d = *state;
	struct zip *z;

	assert_int_equal(0, zip_open(&z, d->zip));
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(EINVAL, zip_add_buf(z, bad[i], "x", 1, 0));
	assert_int_equal(0, zip_add_buf(z, "a..b/..c", "x", 1, 0));
	assert_int_equal(0, zip_close(z, NULL));
}

/* A source that cannot be read fails the archive, and the partial file
 * is removed: nobody is handed half an archive. */
static void a_missing_source_fails_and_leaves_no_file(void **state)
{
	struct dir *d = *state;
	struct zip *z;

	assert_int_equal(0, zip_open(&z, d->zip));
	assert_int_equal(ENOENT, zip_add_file(z, "x.wav", "/nonexistent/x.wav", 0));
	assert_int_equal(ENOENT, zip_close(z, NULL));
	assert_int_equal(-1, access(d->zip, F_OK));
	assert_int_equal(0, zip_open(&z, d->zip));
	zip_abort(z);
	assert_int_equal(-1, access(d->zip, F_OK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crc32_matches_the_standard_check_value),
		cmocka_unit_test_setup_teardown(python_and_unzip_read_back_what_was_written, setup, teardown),
		cmocka_unit_test_setup_teardown(an_archive_with_no_entries_is_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(names_that_escape_the_folder_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_missing_source_fails_and_leaves_no_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
