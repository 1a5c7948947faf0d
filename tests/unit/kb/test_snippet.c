/* kb/snippet: query terms, and snippets that show where the terms are,
 * marked, with everything from the article escaped. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "kb/kb_int.h"

static void terms_split_at_ascii_and_ideographic_spaces(void **state)
{
	struct kb_terms t;

	(void)state;
	assert_int_equal(0, kb_terms_parse("  退款\xe3\x80\x80refund\t5G套餐 ", &t));
	assert_int_equal(3, t.n);
	assert_string_equal("退款", t.t[0]);
	assert_string_equal("refund", t.t[1]);
	assert_string_equal("5G套餐", t.t[2]);
}

static void no_terms_too_many_or_too_long_are_refused(void **state)
{
	struct kb_terms t;
	char lng[KB_TERM_MAX + 2];

	(void)state;
	assert_int_equal(EINVAL, kb_terms_parse("", &t));
	assert_int_equal(EINVAL, kb_terms_parse(" \xe3\x80\x80 ", &t));
	assert_int_equal(EINVAL, kb_terms_parse("a b c d e f g h i", &t));
	memset(lng, 'x', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	assert_int_equal(EINVAL, kb_terms_parse(lng, &t));
	assert_int_equal(0, kb_terms_parse("a b c d e f g h", &t));
}

static void snip(const char *text, const char *q, const char *want)
{
	struct kb_terms t;
	char out[KB_SNIPPET_MAX];

	assert_int_equal(0, kb_terms_parse(q, &t));
	kb_snippet(text, &t, out, sizeof(out));
	assert_string_equal(want, out);
}

static void every_occurrence_is_marked(void **state)
{
	(void)state;
	snip("七天无理由退款，退款在3个工作日内到账", "退款",
	     "七天无理由<mark>退款</mark>，<mark>退款</mark>在3个工作日内到账");
}

static void ascii_matches_any_case_and_mixed_terms_match_by_piece(void **state)
{
	(void)state;
	snip("Refund policy: 退款 REFUND", "退款 refund",
	     "<mark>Refund</mark> policy: <mark>退款</mark> <mark>REFUND</mark>");
	snip("办理5G 套餐", "5G套餐", "办理<mark>5G</mark> <mark>套餐</mark>");
}

static void article_html_is_escaped_and_markdown_dropped(void **state)
{
	(void)state;
	snip("## **退款**\n> <b>'x'</b> & `a\"`", "退款",
	     "<mark>退款</mark> &lt;b&gt;&#39;x&#39;&lt;/b&gt; &amp; a&quot;");
}

static void a_long_text_is_cut_around_the_first_match(void **state)
{
	char text[1024] = "", want[1024] = "\xe2\x80\xa6";

	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(text, "甲");
	strcat(text, "退款");
	for (int i = 0; i < 100; i++)
		strcat(text, "乙");
	/* 15 characters before, the match, then up to 60 characters. */
	for (int i = 0; i < 15; i++)
		strcat(want, "甲");
	strcat(want, "<mark>退款</mark>");
	for (int i = 0; i < 44; i++)
		strcat(want, "乙");
	strcat(want, "\xe2\x80\xa6");
	snip(text, "退款", want);
}

static void no_match_shows_the_start(void **state)
{
	(void)state;
	snip("话费查询", "退款", "话费查询");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(terms_split_at_ascii_and_ideographic_spaces),
		cmocka_unit_test(no_terms_too_many_or_too_long_are_refused),
		cmocka_unit_test(every_occurrence_is_marked),
		cmocka_unit_test(ascii_matches_any_case_and_mixed_terms_match_by_piece),
		cmocka_unit_test(article_html_is_escaped_and_markdown_dropped),
		cmocka_unit_test(a_long_text_is_cut_around_the_first_match),
		cmocka_unit_test(no_match_shows_the_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
