/* ticket/attach_name: which names an attachment may have, the type its
 * extension gives, and the Content-Disposition a download carries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "ticket/ticket_int.h"

static int check(const char *name, const char **type)
{
	const char *why = NULL, *t = NULL;
	int err = wo_attach_name(name, &t, &why);

	if (err)
		assert_non_null(why);
	else
		assert_non_null(t);
	if (type)
		*type = t;
	return err;
}

static void the_extension_gives_the_type_in_any_case(void **state)
{
	const char *t;

	(void)state;
	assert_int_equal(0, check("报价单.pdf", &t));
	assert_string_equal("application/pdf", t);
	assert_int_equal(0, check("SCAN.JPG", &t));
	assert_string_equal("image/jpeg", t);
	assert_int_equal(0, check("a.tar.zip", &t));
	assert_string_equal("application/zip", t);
	assert_int_equal(0, check("客户 (2) 的说明.txt", &t));
	assert_string_equal("text/plain; charset=utf-8", t);
}

static void paths_and_hidden_names_are_refused(void **state)
{
	(void)state;
	assert_int_equal(EINVAL, check("../../etc/passwd.pdf", NULL));
	assert_int_equal(EINVAL, check("/etc/x.pdf", NULL));
	assert_int_equal(EINVAL, check("dir\\x.pdf", NULL));
	assert_int_equal(EINVAL, check(".x.pdf", NULL));
	assert_int_equal(EINVAL, check("..", NULL));
	assert_int_equal(EINVAL, check("x.pdf.", NULL));
	assert_int_equal(EINVAL, check(" x.pdf", NULL));
	assert_int_equal(EINVAL, check("a\nb.pdf", NULL));
	assert_int_equal(EINVAL, check("a\x7f.pdf", NULL));
	assert_int_equal(EINVAL, check("", NULL));
	assert_int_equal(EINVAL, check(NULL, NULL));
	assert_int_equal(EINVAL, check("bad\xff\xfe.pdf", NULL));
}

static void a_name_of_200_bytes_is_the_longest(void **state)
{
	char name[WO_ATTACH_NAME_MAX + 2];

	(void)state;
	memset(name, 'a', sizeof(name));
	memcpy(name + WO_ATTACH_NAME_MAX - 4, ".pdf", 5);
	assert_int_equal(0, check(name, NULL));
	memset(name, 'a', sizeof(name));
	memcpy(name + WO_ATTACH_NAME_MAX - 3, ".pdf", 5);
	assert_int_equal(EINVAL, check(name, NULL));
}

static void extensions_that_run_in_a_browser_are_not_taken(void **state)
{
	(void)state;
	assert_int_equal(ENOTSUP, check("page.html", NULL));
	assert_int_equal(ENOTSUP, check("logo.svg", NULL));
	assert_int_equal(ENOTSUP, check("run.js", NULL));
	assert_int_equal(ENOTSUP, check("setup.exe", NULL));
	assert_int_equal(ENOTSUP, check("noextension", NULL));
	assert_int_equal(ENOTSUP, check("pdf", NULL));
	for (size_t i = 0; wo_attach_exts(i); i++)
		assert_true(strcmp(wo_attach_exts(i), "html") &&
			    strcmp(wo_attach_exts(i), "svg"));
}

static void the_disposition_carries_the_utf8_name_and_an_ascii_one(void **state)
{
	char cd[1024];

	(void)state;
	wo_attach_disposition("报价 \"1\".pdf", cd, sizeof(cd));
	assert_string_equal("Content-Disposition: attachment; "
			    "filename=\"__ _1_.pdf\"; filename*=UTF-8''"
			    "%E6%8A%A5%E4%BB%B7%20%221%22.pdf\r\n", cd);
	wo_attach_disposition("plain-name_1.txt", cd, sizeof(cd));
	assert_string_equal("Content-Disposition: attachment; "
			    "filename=\"plain-name_1.txt\"; filename*=UTF-8''"
			    "plain-name_1.txt\r\n", cd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_extension_gives_the_type_in_any_case),
		cmocka_unit_test(paths_and_hidden_names_are_refused),
		cmocka_unit_test(a_name_of_200_bytes_is_the_longest),
		cmocka_unit_test(extensions_that_run_in_a_browser_are_not_taken),
		cmocka_unit_test(the_disposition_carries_the_utf8_name_and_an_ascii_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
