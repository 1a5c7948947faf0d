/* ivr expressions, internals shared by expr_lex.c (tokens), expr.c (the
 * parser) and expr_eval.c only. The language is in ivr_expr.h. */
#ifndef HL_IVR_EXPR_INT_H
#define HL_IVR_EXPR_INT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	EX_TEXT_MAX = 1024,     /* bytes of an expression */
	EX_DEPTH_MAX = 32,      /* nested '(' '!' len() */
	EX_NAME_MAX = 31,       /* bytes of a name (IVR_NAME_MAX - 1) */
	EX_HOLD_MAX = 1024,     /* bytes of a value held while another is read */
	EX_NONE = UINT16_MAX,   /* no node */
};

enum ex_tok {
	T_END, T_NUM, T_TEXT, T_NAME, T_IN,
	T_LP, T_RP, T_LB, T_RB, T_COMMA,
	T_NOT, T_AND, T_OR,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
};

/* One token: its kind and where it is in the text (bytes). For T_TEXT,
 * [at, at + len) includes the quotes. */
struct ex_token {
	enum ex_tok t;
	uint16_t at, len;
};

struct ex_lexer {
	const char *s;
	size_t pos;
};

/* The next token of lx into *tk: 0, or EINVAL with why ("col N: …"). */
int  ex_lex(struct ex_lexer *lx, struct ex_token *tk, char *why, size_t n);
/* How a token is written, for messages ("'&&'", "the end", "a name"). */
const char *ex_tok_name(enum ex_tok t);
/* The 1-based character column of byte offset at of s (UTF-8). */
unsigned ex_col(const char *s, size_t at);
/* True when s[0..n) reads as a number (the grammar in ivr_expr.h). */
bool ex_is_num(const char *s, size_t n);

/* expr_pattern.c: pattern compiled into *rep (malloc'ed: regfree and
 * free it), or EINVAL with msg (no column), or ENOMEM. */
int  ex_pattern(regex_t **rep, const char *pat, char *msg, size_t n);

/* What a node is. Values: LIT, VAR, LEN; the rest are conditions. */
enum ex_op {
	EX_LIT,     /* text src[a, a + b) */
	EX_VAR,     /* names[a] */
	EX_LEN,     /* len(a) */
	EX_TRUTH,   /* a bare value a */
	EX_EQ, EX_NE, EX_LT, EX_LE, EX_GT, EX_GE,   /* a op b */
	EX_IN,      /* a in the list whose first item is b (items by next) */
	EX_STARTS,  /* startswith(a, b) */
	EX_MATCH,   /* matches(a, re[b]) */
	EX_NOT,     /* !a */
	EX_AND,     /* a && b; chains lean right: a && (b && c) */
	EX_OR,      /* a || b */
};

struct ex_node {
	uint8_t op;
	uint16_t a, b, next;
	uint16_t at, len;       /* where it is written (bytes), for messages */
};

struct ivr_expr {
	char *src;              /* the text as written: literals point in it */
	struct ex_node *v;
	uint16_t n, root;
	char **names;           /* each read variable once, as first written */
	unsigned nnames;
	regex_t **re;           /* one malloc each: a regex_t is never moved */
	unsigned nre;
};

#endif
