/* field: one descriptor per setting, the same shape for every setting
 * Hotline has (server settings, a queue's configuration, a DID, a simulator
 * scenario's keys). A row says what a value may be and where it lives; the
 * functions here do the rest the same way everywhere: parse it from text
 * (INI file, flag, database column) or from JSON, refuse what the row does
 * not accept with one line naming the field and what it accepts, fill
 * defaults, write --help lines and docs' markdown rows.
 *
 * A table is a plain array of rows; callers pass its length.
 *
 *   static const char *const kinds[] = {"extension", "queue", NULL};
 *   static const struct field did_fields[] = {   (DID configuration)
 *     {.name = "target_kind", .kind = FIELD_ENUM, .words = kinds,
 *      FIELD_AT(struct did, kind), .required = true},
 *     {.name = "priority", .kind = FIELD_INT, .lo = 0, .hi = 100,
 *      FIELD_AT(struct did, priority), .def = "0"},
 *   };
 */
#ifndef HL_BASE_FIELD_H
#define HL_BASE_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

enum field_kind {
	FIELD_INT,       /* a whole number in lo..hi; the member is 1, 2, 4 or
			  * 8 bytes, signed when lo < 0 */
	FIELD_BOOL,      /* a bool; JSON true/false; text: the words of
			  * field_bool_words, any case, nothing else */
	FIELD_STR,       /* char[size]: text shorter than size bytes */
	FIELD_ENUM,      /* char[size]: one of words (NULL-ended) */
	FIELD_HOSTPORT,  /* char[size]: HOST:PORT ("[v6]:PORT" too) */
	FIELD_PORTS,     /* struct field_ports: LO-HI, lo <= LO < HI <= hi */
	FIELD_CUSTOM,    /* JSON only: the row's parse function reads it */
};

/* A port range; LO < HI. */
struct field_ports {
	uint16_t lo, hi;
};

/* FIELD_CUSTOM's parser: reads v into dst (the member), writes its own
 * one-line reason (naming path) through ctx, which is the caller's. */
typedef int (field_json_h)(void *ctx, const char *path, json_t *v,
			   void *dst);

/* A rule the row cannot say (an overflow that is no destination, a
 * strategy the router does not know). text is the value being set, base
 * the struct it goes into (the other fields as they stand). 0, or EINVAL
 * with the whole one-line reason in why. */
typedef int (field_check_h)(const char *name, const char *text,
			    const void *base, char *why, size_t n);

struct field {
	const char *name;        /* JSON key, or "section.key" of the INI file */
	const char *flag;        /* "--sip" on the command line, or NULL */
	enum field_kind kind;
	size_t off, size;        /* the member in the caller's struct; size 0:
				  * checked, never stored */
	int64_t lo, hi;          /* FIELD_INT and FIELD_PORTS: the range */
	const char *const *words;/* FIELD_ENUM: the words, NULL-ended */
	const char *def;         /* default in text form; NULL: unset */
	const char *unit;        /* "ms", "s": said in help and docs */
	const char *help;        /* one line for --help */
	const char *doc;         /* docs' markdown "meaning"; NULL: help */
	const char *def_doc;     /* docs' default when not "`def`" */
	const char *column;      /* the database column holding it, or NULL */
	field_check_h *check;    /* or NULL */
	field_json_h *parse;     /* FIELD_CUSTOM only */
	bool required;           /* a JSON object must name it */
	bool switch_flag;        /* a flag that takes no value ("--demo") */
};

/* Where a member lives: FIELD_AT(struct queue_cfg, wrapup_ms). */
#define FIELD_AT(type, member) \
	.off = offsetof(type, member), .size = sizeof(((type *)0)->member)

/* Words a FIELD_BOOL accepts in text, true ones first: "true", "yes",
 * "on", "1", then "false", "no", "off", "0". */
extern const char *const field_bool_words[];

/* The row named name, or NULL. */
const struct field *field_find(const struct field *fs, size_t n,
			       const char *name);

/* Parses text (an INI value, a flag, a database column) into the member;
 * NULL text is "unset" and always fine. EINVAL with "bad NAME 'text'
 * (want …)", NAME the flag when the row has one; the member is then
 * unchanged. */
int  field_parse_text(const struct field *f, const char *text, void *base,
		      char *why, size_t n);

/* Parses a JSON value into the member. path names the field in messages
 * (NULL: f->name): EINVAL with "PATH: want …" or the check's reason; the
 * member is then unchanged. FIELD_CUSTOM calls f->parse(ctx, …). */
int  field_parse_json(const struct field *f, const char *path, json_t *v,
		      void *base, void *ctx, char *why, size_t n);

/* Applies the keys of obj over base, each through its row: an unknown key
 * is "PATH.KEY: unknown field" (names in skip are passed over), a missing
 * required one "PATH.KEY: missing". path "" names keys alone. On error
 * base may be partly written: apply to a copy. */
int  field_apply_json(const struct field *fs, size_t nf, const char *path,
		      json_t *obj, const char *const *skip, void *base,
		      void *ctx, char *why, size_t n);

/* Parses every row's default into base (rows without one are left). */
int  field_defaults(const struct field *fs, size_t n, void *base);

/* The member in text form (the form field_parse_text reads) into out;
 * ENOSPC when it does not fit, EINVAL for FIELD_CUSTOM or size 0. */
int  field_format(const struct field *f, const void *base, char *out,
		  size_t n);

/* The member as JSON (FIELD_INT a number, FIELD_BOOL true/false, the rest
 * strings); NULL for FIELD_CUSTOM, size 0 or no memory. New reference. */
json_t *field_to_json(const struct field *f, const void *base);

/* What f accepts, in words: "an integer 1000..600000", "true or false",
 * "\"off\", \"no_agents\" or \"no_available\"", "HOST:PORT". */
void field_want(const struct field *f, char *out, size_t n);

/* Checks a table: ranges that fit their members, enum rows with words,
 * defaults that parse. 0, or EINVAL naming the first bad row in why. */
int  field_table_check(const struct field *fs, size_t n, char *why,
		       size_t wn);

/* One --help line for f, ending in a newline (the format of
 * cfg_print_help). */
void field_help_line(const struct field *f, char *out, size_t n);

/* One row of docs' settings table, ending in a newline:
 * "| `key` | `--flag` | `default` | meaning |". */
void field_doc_row(const struct field *f, char *out, size_t n);

#endif
