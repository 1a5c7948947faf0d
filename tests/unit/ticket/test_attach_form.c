/* ticket/attach_form: the one file of a multipart/form-data upload, as
 * curl -F and browsers send it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "ticket/ticket_int.h"

#define CT "multipart/form-data; boundary=------------------------abc123"
#define B "--------------------------abc123"

struct got {
	const char *data;
	size_t len;
	char name[64];
	const char *why;
};

static int parse(const char *ct, const char *body, size_t len,
		 struct got *g)
{
	memset(g, 0, sizeof(*g));
	return wo_attach_form(ct, strlen(ct), body, len, &g->data, &g->len,
			      g->name, sizeof(g->name), &g->why);
}

static void the_file_part_among_fields(void **state)
{
	static const char body[] =
		B "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
		"hello\r\n"
		B "\r\nContent-Disposition: form-data; name=\"file\"; "
		"filename=\"报价单.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
		"%PDF\r\n--not-the-boundary\r\n\0binary\r\n"
		B "--\r\n";
	struct got g;

	(void)state;
	assert_int_equal(0, parse(CT, body, sizeof(body) - 1, &g));
	assert_string_equal("报价单.pdf", g.name);
	assert_int_equal(sizeof("%PDF\r\n--not-the-boundary\r\n\0binary") - 1,
			 g.len);
	assert_memory_equal("%PDF\r\n--not-the-boundary\r\n\0binary", g.data,
			    g.len);
}

static void a_quoted_boundary(void **state)
{
	static const char body[] =
		"--x y\r\nContent-Disposition: form-data; name=\"f\"; "
		"filename=\"a.txt\"\r\n\r\nabc\r\n--x y--\r\n";
	struct got g;

	(void)state;
	assert_int_equal(0, parse("multipart/form-data; boundary=\"x y\"", body,
				  sizeof(body) - 1, &g));
	assert_string_equal("a.txt", g.name);
	assert_int_equal(3, g.len);
}

static void an_empty_file_is_found_empty(void **state)
{
	static const char body[] =
		B "\r\nContent-Disposition: form-data; name=\"f\"; "
		"filename=\"e.txt\"\r\n\r\n\r\n" B "--\r\n";
	struct got g;

	(void)state;
	assert_int_equal(0, parse(CT, body, sizeof(body) - 1, &g));
	assert_int_equal(0, g.len);
}

static void forms_without_exactly_one_file_are_refused(void **state)
{
	static const char none[] =
		B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n"
		B "--\r\n";
	static const char two[] =
		B "\r\nContent-Disposition: form-data; name=\"a\"; "
		"filename=\"1.txt\"\r\n\r\nx\r\n"
		B "\r\nContent-Disposition: form-data; name=\"b\"; "
		"filename=\"2.txt\"\r\n\r\ny\r\n" B "--\r\n";
	struct got g;

	(void)state;
	assert_int_equal(EINVAL, parse(CT, none, sizeof(none) - 1, &g));
	assert_non_null(strstr(g.why, "no file"));
	assert_int_equal(EINVAL, parse(CT, two, sizeof(two) - 1, &g));
	assert_non_null(strstr(g.why, "one file"));
}

static void cut_or_malformed_forms_are_refused(void **state)
{
	static const char cut[] =
		B "\r\nContent-Disposition: form-data; name=\"f\"; "
		"filename=\"a.txt\"\r\n\r\nabc";
	static const char ok[] =
		B "\r\nContent-Disposition: form-data; name=\"f\"; "
		"filename=\"a.txt\"\r\n\r\nabc\r\n" B "--\r\n";
	struct got g;

	(void)state;
	assert_int_equal(EINVAL, parse(CT, cut, sizeof(cut) - 1, &g));
	assert_int_equal(EINVAL, parse(CT, "garbage", 7, &g));
	assert_int_equal(EINVAL, parse(CT, "", 0, &g));
	assert_int_equal(EINVAL, parse("multipart/form-data", ok,
				       sizeof(ok) - 1, &g));
	assert_non_null(strstr(g.why, "boundary"));
	assert_int_equal(EINVAL, parse("multipart/form-data; boundary=", ok,
				       sizeof(ok) - 1, &g));
	/* the closing delimiter cut after its boundary */
	assert_int_equal(EINVAL, parse(CT, ok, sizeof(ok) - 5, &g));
	assert_int_equal(0, parse(CT, ok, sizeof(ok) - 3, &g));
}

static void a_filename_too_long_is_refused(void **state)
{
	char body[512];
	struct got g;
	int n = snprintf(body, sizeof(body), B "\r\nContent-Disposition: "
			 "form-data; name=\"f\"; filename=\"%070d.txt\"\r\n\r\n"
			 "x\r\n" B "--\r\n", 0);

	(void)state;
	assert_int_equal(EINVAL, parse(CT, body, (size_t)n, &g));
	assert_non_null(strstr(g.why, "name"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_file_part_among_fields),
		cmocka_unit_test(a_quoted_boundary),
		cmocka_unit_test(an_empty_file_is_found_empty),
		cmocka_unit_test(forms_without_exactly_one_file_are_refused),
		cmocka_unit_test(cut_or_malformed_forms_are_refused),
		cmocka_unit_test(a_filename_too_long_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
