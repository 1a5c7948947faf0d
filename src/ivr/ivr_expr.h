/* ivr expressions: the conditions of a "branch" node, e.g.
 *
 *   province in ['广东', '广西'] && startswith(caller, '138')
 *   data.order.status == 'shipped' || (vip && time.hour >= 18)
 *
 * Compiled once with the flow, evaluated per call. Pure: no I/O, no clock;
 * every value, the time included (time.hour …), comes from the host's
 * get().
 *
 * The language, whole:
 *
 *   cond   := and ('||' and)*
 *   and    := not ('&&' not)*
 *   not    := '!' not | '(' cond ')' | test
 *   test   := value [cmp value | 'in' '[' value (',' value)* ']']
 *           | 'startswith' '(' value ',' value ')'
 *           | 'matches' '(' value ',' text ')'
 *   value  := text | number | name | 'len' '(' value ')'
 *   cmp    := '==' | '!=' | '<' | '<=' | '>' | '>='
 *
 *  - text: 'like this' or "like this", any UTF-8, no escapes (a text
 *    holding ' is written in "…"). number: -12, 0, 3.5.
 *  - name: [A-Za-z_][A-Za-z0-9_.]* up to 31 bytes, dots only between
 *    words: caller, province, data.order.status, time.hour. An unset
 *    variable reads as the empty text. "in" is no name.
 *  - Every value is text. A value "reads as a number" when it is written
 *    -?(0|[1-9][0-9]*)(.[0-9]+)? — so "0138" does not: phone numbers with
 *    a leading 0 compare as text. Numbers compare exactly (no rounding,
 *    any length): 1.50 == 1.5.
 *  - == != (and in): as numbers when both sides read as numbers, else
 *    byte by byte. < <= > >=: as numbers when both read as numbers, as
 *    text (byte order, which is Unicode order: '09:30' < '18:00') when
 *    neither does; one of each is an error at run time (amount > 5 with
 *    amount "abc" or unset).
 *  - A bare value is true when it is neither empty nor "0".
 *  - len(x): x's length in characters (UTF-8). startswith(x, p): x's
 *    bytes begin with p's.
 *  - matches(x, 'pattern'): POSIX extended regular expression, searched
 *    anywhere in x unless anchored (^…$), compiled with the expression. It
 *    sees bytes, so Chinese is written as plain text or alternatives
 *    (广东|广西), never inside [...]; back-references and repeats that
 *    multiply past 4096 are refused, so no pattern can be slow.
 *  - && and || stop as soon as the answer is known: a failing test on the
 *    right of a decided && or || is not run.
 *  - Limits: 1024 bytes of text, 32 levels of '(' '!' and len() nesting.
 */
#ifndef HL_IVR_EXPR_H
#define HL_IVR_EXPR_H

#include <stdbool.h>
#include <stddef.h>

struct ivr_expr;

/* Compiles text: 0 and *ep (the caller's: ivr_expr_free), or EINVAL with
 * why saying where ("col 7: expected an operand after '&&'"; columns count
 * characters from 1), or ENOMEM. */
int  ivr_expr_compile(struct ivr_expr **ep, const char *text, char *why,
		      size_t whysz);

/* 0 when pat, a POSIX extended regular expression, is one regcomp may
 * be given: no back-references, and no repeats that multiply past 4096
 * once written out (the bound that keeps a flow's pattern from building
 * a huge automaton). EINVAL with why otherwise. The patterns of
 * matches() and of a collect node's pattern both pass here. */
int  ivr_expr_pattern_check(const char *pat, char *why, size_t whysz);

/* Frees e. NULL is fine. */
void ivr_expr_free(struct ivr_expr *e);

/* Calls fn once for every variable name e reads, in the order first
 * written; non-zero from fn stops and is returned. */
int  ivr_expr_names(const struct ivr_expr *e,
		    int (*fn)(const char *name, void *arg), void *arg);

/* Evaluates e, reading variables through get (NULL: unset). What get
 * returns need only stay valid until its next call. 0 and *yes, or EINVAL
 * (a value that cannot be compared) or E2BIG (a value longer than 1024
 * bytes where it must be held) with why. */
int  ivr_expr_eval(const struct ivr_expr *e,
		   const char *(*get)(const char *name, void *arg), void *arg,
		   bool *yes, char *why, size_t whysz);

#endif
