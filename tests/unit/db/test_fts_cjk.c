/* The "hotline_cjk" FTS5 tokenizer: its tokens, then what real FTS5 tables
 * built on it find for one-, two- and four-character Chinese queries and
 * mixed Chinese/English, and what they must not find. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "db/db_int.h"

/* Tokens written as "tok@start-end", colocated ones prefixed with '+',
 * separated by spaces. */
static int collect(void *arg, bool colocated, const char *tok, int n,
		   int start, int end)
{
	char *out = arg;
	size_t len = strlen(out);

	snprintf(out + len, 512 - len, "%s%s%.*s@%d-%d", len ? " " : "",
		 colocated ? "+" : "", n, tok, start, end);
	return 0;
}

static void expect_tokens(const char *text, bool query, const char *want)
{
	char got[512] = "";

	assert_int_equal(0, db_cjk_tokenize(text, (int)strlen(text), query,
					    collect, got));
	assert_string_equal(want, got);
}

static void a_document_has_every_character_and_every_bigram(void **state)
{
	(void)state;
	expect_tokens("退款政策", false, "退@0-3 +退款@0-6 款@3-6 +款政@3-9 "
		      "政@6-9 +政策@6-12 策@9-12");
}

static void a_query_has_the_bigram_at_each_character_and_the_last_only_if_needed(
	void **state)
{
	(void)state;
	expect_tokens("退", true, "退@0-3");
	expect_tokens("退款", true, "退款@0-6");
	expect_tokens("退款政策", true, "退款@0-6 款政@3-9 政策@6-12");
	/* Followed by a token: the last character keeps its position. */
	expect_tokens("套餐5G", true, "套餐@0-6 餐@3-6 5g@6-8");
	expect_tokens("退款 政策。", true, "退款@0-6 款@3-6 政策@7-13");
}

static void words_are_lowercased_and_punctuation_separates(void **state)
{
	(void)state;
	expect_tokens("5G套餐，Refund!", false,
		      "5g@0-2 套@2-5 +套餐@2-8 餐@5-8 refund@11-17");
	expect_tokens("5G套餐", true, "5g@0-2 套餐@2-8");
	/* Full-width letters and digits are folded to ASCII. */
	expect_tokens("ＶＩＰ１", true, "vip1@0-12");
	expect_tokens("Café  niño", false, "café@0-5 niño@7-12");
}

static void bad_utf8_only_separates(void **state)
{
	(void)state;
	expect_tokens("a\xff\xfe" "b", false, "a@0-1 b@3-4");
	expect_tokens("\xe9\x80", false, "");   /* cut short */
}

static int stop_at_second(void *arg, bool colocated, const char *tok, int n,
			  int start, int end)
{
	int *seen = arg;

	(void)colocated, (void)tok, (void)n, (void)start, (void)end;
	return ++*seen == 2 ? 77 : 0;
}

static void a_callback_error_stops_the_tokenizer(void **state)
{
	int seen = 0;

	(void)state;
	assert_int_equal(77, db_cjk_tokenize("一二三", 9, false,
					     stop_at_second, &seen));
	assert_int_equal(2, seen);
}

/* ---- through FTS5 */

static const char *const docs[] = {
	"宽带故障报修流程",                 /* 1 */
	"5G套餐资费说明：畅享套餐每月100G",   /* 2 */
	"退款 refund 申请须知：七天无理由退款", /* 3 */
	"话费查询与充值",                   /* 4 */
	"款式说明",                         /* 5: 款 without 退款 */
};

static int setup(void **state)
{
	sqlite3 *db;

	if (sqlite3_open(":memory:", &db) ||
	    db_sqlite_cjk_register(db) ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, "
			 "tokenize='" DB_CJK_TOKENIZER "')", NULL, NULL, NULL))
		return -1;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char *sql = sqlite3_mprintf("INSERT INTO t(rowid, body) "
					    "VALUES(%d, %Q)", (int)i + 1,
					    docs[i]);
		int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

		sqlite3_free(sql);
		if (rc)
			return -1;
	}
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	sqlite3_close(*state);
	return 0;
}

/* The rowids matching q, best bm25 first, as "1,3". */
static void expect_match(sqlite3 *db, const char *q, const char *want)
{
	sqlite3_stmt *st;
	char got[64] = "";

	assert_int_equal(SQLITE_OK, sqlite3_prepare_v2(db,
		"SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t), rowid",
		-1, &st, NULL));
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t len = strlen(got);

		snprintf(got + len, sizeof(got) - len, "%s%lld", len ? "," : "",
			 sqlite3_column_int64(st, 0));
	}
	assert_int_equal(SQLITE_DONE, sqlite3_errcode(db));
	sqlite3_finalize(st);
	assert_string_equal(want, got);
}

static void one_character_finds_it_inside_words(void **state)
{
	expect_match(*state, "\"修\"", "1");
	/* bm25 weighs length: the short title before the long notice. */
	expect_match(*state, "\"款\"", "5,3");
}

static void two_characters_find_the_word_only(void **state)
{
	expect_match(*state, "\"退款\"", "3");
	expect_match(*state, "\"故障\"", "1");
	expect_match(*state, "\"款退\"", "");
	/* Ranked: 套餐 twice in 2 beats nothing else; 查询 only in 4. */
	expect_match(*state, "\"套餐\"", "2");
	expect_match(*state, "\"查询\"", "4");
}

static void four_characters_match_as_a_phrase(void **state)
{
	expect_match(*state, "\"故障报修\"", "1");
	expect_match(*state, "\"宽带报修\"", "");
	expect_match(*state, "\"无理由退款\"", "3");
	/* CJK then a word, the run's last character holding its place. */
	expect_match(*state, "\"套餐每月100g\"", "2");
	expect_match(*state, "\"套餐100g\"", "");
}

static void mixed_chinese_and_english(void **state)
{
	expect_match(*state, "\"5G套餐\"", "2");
	expect_match(*state, "\"5g\"", "2");
	expect_match(*state, "\"退款\" \"REFUND\"", "3");
	expect_match(*state, "\"退款\" \"话费\"", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_document_has_every_character_and_every_bigram),
		cmocka_unit_test(a_query_has_the_bigram_at_each_character_and_the_last_only_if_needed),
		cmocka_unit_test(words_are_lowercased_and_punctuation_separates),
		cmocka_unit_test(bad_utf8_only_separates),
		cmocka_unit_test(a_callback_error_stops_the_tokenizer),
		cmocka_unit_test_setup_teardown(one_character_finds_it_inside_words, setup, teardown),
		cmocka_unit_test_setup_teardown(two_characters_find_the_word_only, setup, teardown),
		cmocka_unit_test_setup_teardown(four_characters_match_as_a_phrase, setup, teardown),
		cmocka_unit_test_setup_teardown(mixed_chinese_and_english, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
