/* db/fts_cjk: "hotline_cjk", the FTS5 tokenizer every SQLite connection
 * gets (SQLite only: PostgreSQL will bring its own text search).
 *
 * Chinese has no spaces, and FTS5's trigram tokenizer cannot match a
 * query shorter than three characters, while most Chinese words are two
 * (退款, 套餐) and agents type single characters too. Word segmentation
 * (libfriso) was tried first and left: it splits by dictionary and by
 * context, so a query segments differently from the text it should find
 * (宽带故障报修 → 宽带|故障|报|修, yet 报修 alone is one word), a
 * one-character query matches nothing inside a word, and its dictionary
 * is global state loaded per process. Characters need none of that:
 *
 *   document  every CJK character is a token (its unigram) at its own
 *             position; the bigram of it and the next CJK character sits
 *             at the same position (FTS5_TOKEN_COLOCATED);
 *   query     every CJK character becomes the bigram starting at it, or
 *             its unigram when it ends its run; so 退 → 退, 套餐5G →
 *             套餐 餐 5g: a phrase (FTS5 makes one of a string's tokens)
 *             lines up position by position with the document's, which
 *             matches exactly where the text holds it. A run's last
 *             character is left out when nothing follows it (the bigram
 *             before it already holds it): 退款 → 退款, 退款政策 → 退款
 *             款政 政策, so the commonest query is one index look-up;
 *   words     runs of ASCII letters and digits (full-width ones folded,
 *             Latin and Cyrillic letters kept) are one token, lowercased,
 *             so "5G套餐" is 5g then 套餐 in both.
 *
 * Everything else (spaces, punctuation, CJK punctuation) only separates.
 * Byte offsets are the text's own, so FTS5's highlight() would work. */
#include <stdbool.h>
#include <string.h>
#include <sqlite3.h>
#include "db/db_int.h"

enum { WORD_MAX = 64 };   /* bytes of a word token; longer ones are cut */

enum cls { C_SEP, C_CJK, C_WORD };

/* One code point at s[0..n): its value, length and class. Bad UTF-8 is a
 * one-byte separator. */
static int next_cp(const unsigned char *s, int n, unsigned *cp)
{
	unsigned c = s[0];
	int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 :
		  (c >> 3) == 30 ? 4 : 0;

	if (!len || len > n) {
		*cp = 0xfffd;
		return 1;
	}
	if (len == 1) {
		*cp = c;
		return 1;
	}
	c &= 0x7f >> len;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = c << 6 | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

/* The scripts written without spaces, each character a token. */
static const struct { unsigned lo, hi; } cjk_ranges[] = {
	{0x3040, 0x30ff},    /* hiragana, katakana */
	{0x3400, 0x4dbf},    /* CJK extension A */
	{0x4e00, 0x9fff},    /* CJK unified ideographs */
	{0xac00, 0xd7af},    /* hangul syllables */
	{0xf900, 0xfaff},    /* CJK compatibility ideographs */
	{0x20000, 0x3134f},  /* CJK extensions B..G */
};

/* cp's class; a word character is folded into *fold (0 when it stays as
 * written: non-ASCII letters). */
static enum cls classify(unsigned cp, unsigned *fold)
{
	*fold = 0;
	if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || cp == '_') {
		*fold = cp;
		return C_WORD;
	}
	if (cp >= 'A' && cp <= 'Z') {
		*fold = cp + 32;
		return C_WORD;
	}
	if (cp >= 0xff10 && cp <= 0xff19) {           /* full-width digits */
		*fold = cp - 0xff10 + '0';
		return C_WORD;
	}
	if ((cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a)) {
		*fold = (cp - 0xff21) % 32 + 'a';     /* full-width letters */
		return C_WORD;
	}
	for (size_t i = 0; i < sizeof(cjk_ranges) / sizeof(cjk_ranges[0]); i++)
		if (cp >= cjk_ranges[i].lo && cp <= cjk_ranges[i].hi)
			return C_CJK;
	if ((cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7) ||
	    (cp >= 0x370 && cp <= 0x4ff))
		return C_WORD;
	return C_SEP;
}

static int emit_word(const unsigned char *t, int start, int end,
		     db_cjk_token_h *h, void *arg)
{
	char w[WORD_MAX];
	int n = 0, i = start;

	while (i < end) {
		unsigned cp, fold;
		int len = next_cp(t + i, end - i, &cp);

		classify(cp, &fold);
		if (fold) {
			if (n + 1 > WORD_MAX)
				break;
			w[n++] = (char)fold;
		}
		else {
			if (n + len > WORD_MAX)
				break;
			memcpy(w + n, t + i, (size_t)len);
			n += len;
		}
		i += len;
	}
	return h(arg, false, w, n, start, end);
}

/* Whether a word or CJK character starts anywhere in t[from..len). */
static bool token_after(const unsigned char *t, int from, int len)
{
	while (from < len) {
		unsigned cp, fold;
		int n = next_cp(t + from, len - from, &cp);

		if (classify(cp, &fold) != C_SEP)
			return true;
		from += n;
	}
	return false;
}

int db_cjk_tokenize(const char *text, int len, bool query,
		    db_cjk_token_h *h, void *arg)
{
	const unsigned char *t = (const unsigned char *)text;
	int i = 0, word = -1, err = 0;
	bool prev_cjk = false;

	while (i <= len && !err) {
		unsigned cp = 0, fold;
		int n = i < len ? next_cp(t + i, len - i, &cp) : 0;
		enum cls c = i < len ? classify(cp, &fold) : C_SEP;

		if (c == C_WORD) {
			if (word < 0)
				word = i;
			i += n;
			continue;
		}
		if (word >= 0) {
			err = emit_word(t, word, i, h, arg);
			word = -1;
			if (err)
				break;
		}
		if (i == len)
			break;
		if (c == C_CJK) {
			unsigned cp2 = 0, f2;
			int n2 = i + n < len ? next_cp(t + i + n, len - i - n,
							&cp2) : 0;
			bool pair = n2 && classify(cp2, &f2) == C_CJK;

			if (query) {
				/* The last character of a run is implied by
				 * the bigram before it, unless a token follows
				 * that must sit one position further on. */
				if (pair || !prev_cjk || token_after(t, i + n, len))
					err = h(arg, false, text + i,
						pair ? n + n2 : n, i,
						i + (pair ? n + n2 : n));
			}
			else {
				err = h(arg, false, text + i, n, i, i + n);
				if (!err && pair)
					err = h(arg, true, text + i, n + n2, i,
						i + n + n2);
			}
		}
		prev_cjk = c == C_CJK;
		i += n;
	}
	return err;
}

/* ---- FTS5 glue */

struct fts_ctx {
	void *ctx;
	int (*x)(void *, int, const char *, int, int, int);
};

static int to_fts(void *arg, bool colocated, const char *tok, int n,
		  int start, int end)
{
	struct fts_ctx *f = arg;

	return f->x(f->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok, n,
		    start, end);
}

/* The tokenizer keeps no state: one static instance serves every table. */
static int tk_create(void *ctx, const char **argv, int argc,
		     Fts5Tokenizer **out)
{
	static char instance;

	(void)ctx;
	(void)argv;
	if (argc)
		return SQLITE_ERROR;
	*out = (Fts5Tokenizer *)&instance;
	return SQLITE_OK;
}

static void tk_delete(Fts5Tokenizer *t)
{
	(void)t;
}

static int tk_tokenize(Fts5Tokenizer *t, void *ctx, int flags,
		       const char *text, int len,
		       int (*x)(void *, int, const char *, int, int, int))
{
	struct fts_ctx f = {ctx, x};

	(void)t;
	return db_cjk_tokenize(text, len, (flags & FTS5_TOKENIZE_QUERY) != 0,
			       to_fts, &f);
}

int db_sqlite_cjk_register(struct sqlite3 *db)
{
	static fts5_tokenizer tk = {tk_create, tk_delete, tk_tokenize};
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, DB_CJK_TOKENIZER, NULL, &tk, NULL);
}
