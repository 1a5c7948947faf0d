/* base/jsonw: JSON text written straight from values, for the lists that
 * send thousands of rows a second (GET /api/v1/calls): building a jansson
 * object per field, then serialising and freeing it, cost four times what
 * reading the rows from SQLite did (bench/api's profile). The text is what
 * json_dumps(…, JSON_COMPACT) would write for the same values, so clients
 * see no difference; tests/unit/base/test_jsonw.c reads it back with
 * jansson.
 *
 * A writer is a growable buffer the caller owns (jsonw_init, jsonw_free).
 * Appends never fail one by one: a failed allocation marks the writer, and
 * jsonw_take reports ENOMEM once at the end. */
#ifndef HL_BASE_JSONW_H
#define HL_BASE_JSONW_H

#include <stddef.h>
#include <stdint.h>

struct jsonw {
	char  *buf;   /* NUL-terminated text so far; yours after jsonw_take */
	size_t len, cap;
	int    err;   /* ENOMEM once an append could not grow the buffer */
};

/* An empty writer (no allocation yet). */
void jsonw_init(struct jsonw *w);
/* Frees the text unless it was taken. */
void jsonw_free(struct jsonw *w);
/* Appends s as it is (punctuation, literals: "{", "null", ","). */
void jsonw_raw(struct jsonw *w, const char *s);
/* Appends s as a JSON string: quoted, escaped; bytes that are not UTF-8
 * become U+FFFD, so the text is always valid JSON. */
void jsonw_str(struct jsonw *w, const char *s);
/* Appends "key": (quoted and escaped as jsonw_str). */
void jsonw_key(struct jsonw *w, const char *key);
/* Appends v in decimal. */
void jsonw_int(struct jsonw *w, int64_t v);
/* Appends v as jansson writes a json_real (finite v: jansson has no
 * others). */
void jsonw_real(struct jsonw *w, double v);
/* Appends finite v rounded to dec decimals (0..9), half away from zero,
 * trailing zeros dropped but one digit kept after the point ("0.25",
 * "90.0"): the text reads back (strtod) as jsonw_fixed_value(v, dec). Far
 * beyond what dec decimals can hold (|v| >= 2^53 / 10^dec) it is
 * jsonw_real's text and reads back as v. */
void jsonw_fixed(struct jsonw *w, double v, int dec);
/* The double jsonw_fixed's text for v and dec reads back as. */
double jsonw_fixed_value(double v, int dec);
/* The significant digits to have jansson dump reals with
 * (JSON_REAL_PRECISION) so that jsonw_fixed_value's doubles print as
 * jsonw_fixed's text ("0.833333", not jansson's 17 digits
 * "0.83333299999999997"): DBL_DIG, which every decimal of that many
 * digits survives, so exact while |v| < 10^(15 - dec). */
#define JSONW_DUMP_DIGITS 15
/* Appends the n bytes at s as they are. */
void jsonw_rawn(struct jsonw *w, const char *s, size_t n);
/* Makes room for n more bytes at once (a hint: appends grow anyway). */
void jsonw_reserve(struct jsonw *w, size_t n);
/* The most bytes jsonw_put_int or jsonw_put_fixed writes. */
#define JSONW_NUM_MAX 48
/* n more bytes of room at the text's end, to write straight into (rows
 * of many values: one check a row, not one a value); NULL once an append
 * failed. jsonw_wrote says where the writing ended. */
char *jsonw_room(struct jsonw *w, size_t n);
/* Ends a write into jsonw_room's bytes: the text now ends at end. */
void jsonw_wrote(struct jsonw *w, char *end);
/* Writes jsonw_int's text of v at p; returns its end. */
char *jsonw_put_int(char *p, int64_t v);
/* Writes jsonw_fixed's text of v and dec at p; returns its end. */
char *jsonw_put_fixed(char *p, double v, int dec);
/* 0 with the text in *text and its length in *len (yours: free()), the
 * writer emptied; ENOMEM when an append failed (the writer is freed). */
int  jsonw_take(struct jsonw *w, char **text, size_t *len);

#endif
