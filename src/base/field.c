/* field: values in and out through a row. Text and JSON go through the same
 * checks (parse_text is the one place a value is accepted), so a setting
 * refuses the same things from an INI file, a flag, the database or the
 * API; only the message's form differs by where the value came from. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/field.h"
#include "base/util.h"

const char *const field_bool_words[] = {
	"true", "yes", "on", "1", "false", "no", "off", "0", NULL,
};
enum { BOOL_TRUE_WORDS = 4 };

const struct field *field_find(const struct field *fs, size_t n,
			       const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (!strcmp(fs[i].name, name))
			return &fs[i];
	return NULL;
}

/* ---- members ---------------------------------------------------------- */

static bool int_signed(const struct field *f)
{
	return f->lo < 0;
}

/* The member's own range, whatever the row says. */
static void int_limits(const struct field *f, int64_t *lo, int64_t *hi)
{
	unsigned bits = (unsigned)f->size * 8;

	if (bits >= 64) {
		*lo = int_signed(f) ? INT64_MIN : 0;
		*hi = INT64_MAX;
	}
	else if (int_signed(f)) {
		*lo = -((int64_t)1 << (bits - 1));
		*hi = ((int64_t)1 << (bits - 1)) - 1;
	}
	else {
		*lo = 0;
		*hi = ((int64_t)1 << bits) - 1;
	}
}

/* memcpy, not a cast: a member of a packed or odd struct may be unaligned. */
static void int_put(const struct field *f, void *base, int64_t v)
{
	char *p = (char *)base + f->off;
	int8_t i8 = (int8_t)v;
	int16_t i16 = (int16_t)v;
	int32_t i32 = (int32_t)v;
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;
	bool s = int_signed(f);

	switch (f->size) {
	case 1: memcpy(p, s ? (void *)&i8 : (void *)&u8, 1); break;
	case 2: memcpy(p, s ? (void *)&i16 : (void *)&u16, 2); break;
	case 4: memcpy(p, s ? (void *)&i32 : (void *)&u32, 4); break;
	case 8: memcpy(p, &v, 8); break;
	default: break;
	}
}

static int64_t int_get(const struct field *f, const void *base)
{
	const char *p = (const char *)base + f->off;
	int8_t i8; int16_t i16; int32_t i32; int64_t i64;
	uint8_t u8; uint16_t u16; uint32_t u32;
	bool s = int_signed(f);

	switch (f->size) {
	case 1: if (s) { memcpy(&i8, p, 1); return i8; }
		memcpy(&u8, p, 1); return u8;
	case 2: if (s) { memcpy(&i16, p, 2); return i16; }
		memcpy(&u16, p, 2); return u16;
	case 4: if (s) { memcpy(&i32, p, 4); return i32; }
		memcpy(&u32, p, 4); return u32;
	case 8: memcpy(&i64, p, 8); return i64;
	default: return 0;
	}
}

/* ---- text ------------------------------------------------------------- */

/* A decimal integer: an optional '-', digits, nothing else; EINVAL past
 * int64 rather than a wrapped value. */
static int text_int(const char *s, int64_t *v)
{
	const char *d = s + (*s == '-');
	char *end;
	long long x;

	if (!*d || strspn(d, "0123456789") != strlen(d))
		return EINVAL;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno == ERANGE || *end)
		return EINVAL;
	*v = x;
	return 0;
}

static int text_bool(const char *s, bool *v)
{
	for (size_t i = 0; field_bool_words[i]; i++)
		if (!strcasecmp(s, field_bool_words[i])) {
			*v = i < BOOL_TRUE_WORDS;
			return 0;
		}
	return EINVAL;
}

static int text_ports(const struct field *f, const char *s,
		      struct field_ports *p)
{
	char a[8], b[8];
	uint64_t x, y;
	const char *dash = strchr(s, '-');

	if (!dash || dash - s >= (long)sizeof(a) ||
	    strlen(dash + 1) >= sizeof(b))
		return EINVAL;
	memcpy(a, s, (size_t)(dash - s));
	a[dash - s] = '\0';
	strcpy(b, dash + 1);
	if (f->lo < 0 || f->hi > UINT16_MAX ||
	    util_parse_u64(a, (uint64_t)f->lo, (uint64_t)f->hi, &x) ||
	    util_parse_u64(b, (uint64_t)f->lo, (uint64_t)f->hi, &y) || x >= y)
		return EINVAL;
	p->lo = (uint16_t)x;
	p->hi = (uint16_t)y;
	return 0;
}

static bool text_fits(const struct field *f, const char *s)
{
	return !f->size || strlen(s) < f->size;
}

/* The one place a value is accepted. EINVAL with why empty: the value is
 * not of the row's kind (the caller says what is wanted); with why set:
 * the row's check refused it and said why. */
static int parse_text(const struct field *f, const char *s, void *base,
		      bool check, char *why, size_t n)
{
	char *dst = (char *)base + f->off, host[256];
	int64_t v = 0;
	bool b = false;
	struct field_ports pr;
	uint16_t port;

	*why = '\0';
	switch (f->kind) {
	case FIELD_INT:
		if (text_int(s, &v) || v < f->lo || v > f->hi)
			return EINVAL;
		break;
	case FIELD_BOOL:
		if (text_bool(s, &b))
			return EINVAL;
		break;
	case FIELD_STR:
		if (!text_fits(f, s))
			return EINVAL;
		break;
	case FIELD_ENUM: {
		size_t i = 0;
		while (f->words[i] && strcmp(f->words[i], s))
			i++;
		if (!f->words[i] || !text_fits(f, s))
			return EINVAL;
		break;
	}
	case FIELD_HOSTPORT:
		if (!text_fits(f, s) ||
		    util_parse_hostport(s, host, sizeof(host), &port))
			return EINVAL;
		break;
	case FIELD_PORTS:
		if (text_ports(f, s, &pr))
			return EINVAL;
		break;
	case FIELD_CUSTOM:
	default:
		return EINVAL;
	}
	if (check && f->check && f->check(f->name, s, base, why, n)) {
		if (!*why)
			snprintf(why, n, "%s: bad value '%s'", f->name, s);
		return EINVAL;
	}
	if (!f->size)
		return 0;
	switch (f->kind) {
	case FIELD_INT:
		int_put(f, base, v);
		break;
	case FIELD_BOOL:
		memcpy(dst, &b, sizeof(b));
		break;
	case FIELD_PORTS:
		memcpy(dst, &pr, sizeof(pr));
		break;
	default:
		util_strlcpy(dst, s, f->size);
		break;
	}
	return 0;
}

void field_want(const struct field *f, char *out, size_t n)
{
	size_t at = 0;

	switch (f->kind) {
	case FIELD_INT:
		snprintf(out, n, "an integer %" PRId64 "..%" PRId64, f->lo,
			 f->hi);
		break;
	case FIELD_BOOL:
		snprintf(out, n, "true or false");
		break;
	case FIELD_STR:
		if (f->size)
			snprintf(out, n, "a string under %zu bytes", f->size);
		else
			snprintf(out, n, "a string");
		break;
	case FIELD_ENUM:
		*out = '\0';
		for (size_t i = 0; f->words[i] && at < n; i++)
			at += (size_t)snprintf(out + at, n - at, "%s\"%s\"",
					       !i ? "" : f->words[i + 1] ?
					       ", " : " or ", f->words[i]);
		break;
	case FIELD_HOSTPORT:
		snprintf(out, n, "HOST:PORT");
		break;
	case FIELD_PORTS:
		snprintf(out, n, "LO-HI, %" PRId64 "..%" PRId64, f->lo, f->hi);
		break;
	default:
		snprintf(out, n, "a valid value");
		break;
	}
}

int field_parse_text(const struct field *f, const char *text, void *base,
		     char *why, size_t n)
{
	char want[256];

	if (!text)
		return 0;
	if (!parse_text(f, text, base, true, why, n))
		return 0;
	if (!*why) {
		field_want(f, want, sizeof(want));
		snprintf(why, n, "bad %s '%s' (want %s)",
			 f->flag ? f->flag : f->name, text, want);
	}
	return EINVAL;
}

/* ---- JSON ------------------------------------------------------------- */

int field_parse_json(const struct field *f, const char *path, json_t *v,
		     void *base, void *ctx, char *why, size_t n)
{
	char text[32], want[256];
	const char *s = text;
	bool ok;

	if (!path)
		path = f->name;
	if (f->kind == FIELD_CUSTOM)
		return f->parse(ctx, path, v, (char *)base + f->off);
	switch (f->kind) {
	case FIELD_INT:
		ok = json_is_integer(v);
		snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT,
			 ok ? json_integer_value(v) : 0);
		break;
	case FIELD_BOOL:
		ok = json_is_boolean(v);
		s = json_is_true(v) ? "true" : "false";
		break;
	default:
		/* A NUL inside the string would hide its tail from every
		 * check; such a value is no text. */
		ok = json_is_string(v) &&
			strlen(json_string_value(v)) == json_string_length(v);
		s = ok ? json_string_value(v) : "";
		break;
	}
	if (ok && !parse_text(f, s, base, true, why, n))
		return 0;
	if (!ok || !*why) {
		field_want(f, want, sizeof(want));
		snprintf(why, n, "%s: want %s", path, want);
	}
	return EINVAL;
}

static void child(char *out, size_t n, const char *path, const char *key)
{
	snprintf(out, n, "%s%s%s", path, *path ? "." : "", key);
}

static bool skipped(const char *const *skip, const char *key)
{
	for (size_t i = 0; skip && skip[i]; i++)
		if (!strcmp(skip[i], key))
			return true;
	return false;
}

int field_apply_json(const struct field *fs, size_t nf, const char *path,
		     json_t *obj, const char *const *skip, void *base,
		     void *ctx, char *why, size_t n)
{
	char sub[256];
	const char *key;
	json_t *v;

	if (!json_is_object(obj)) {
		snprintf(why, n, "%s%swant a JSON object", path,
			 *path ? ": " : "");
		return EINVAL;
	}
	json_object_foreach(obj, key, v) {
		const struct field *f = field_find(fs, nf, key);
		int err;

		if (skipped(skip, key))
			continue;
		child(sub, sizeof(sub), path, key);
		if (!f) {
			snprintf(why, n, "%s: unknown field", sub);
			return EINVAL;
		}
		err = field_parse_json(f, sub, v, base, ctx, why, n);
		if (err)
			return err;
	}
	for (size_t i = 0; i < nf; i++)
		if (fs[i].required && !json_object_get(obj, fs[i].name)) {
			child(sub, sizeof(sub), path, fs[i].name);
			snprintf(why, n, "%s: missing", sub);
			return EINVAL;
		}
	return 0;
}

/* ---- defaults, output ------------------------------------------------- */

int field_defaults(const struct field *fs, size_t n, void *base)
{
	char why[256];

	for (size_t i = 0; i < n; i++) {
		if (!fs[i].def || !fs[i].size || fs[i].kind == FIELD_CUSTOM)
			continue;
		/* A default is the table's own word: no check (an overflow's
		 * rule needs a queue name the defaults do not have yet). */
		if (parse_text(&fs[i], fs[i].def, base, false, why,
			       sizeof(why)))
			return EINVAL;
	}
	return 0;
}

int field_format(const struct field *f, const void *base, char *out,
		 size_t n)
{
	const char *p = (const char *)base + f->off;
	struct field_ports pr;
	bool b;
	int len;

	if (!f->size || f->kind == FIELD_CUSTOM)
		return EINVAL;
	switch (f->kind) {
	case FIELD_INT:
		len = snprintf(out, n, "%" PRId64, int_get(f, base));
		break;
	case FIELD_BOOL:
		memcpy(&b, p, sizeof(b));
		len = snprintf(out, n, "%s", b ? "true" : "false");
		break;
	case FIELD_PORTS:
		memcpy(&pr, p, sizeof(pr));
		len = snprintf(out, n, "%u-%u", pr.lo, pr.hi);
		break;
	default:
		len = snprintf(out, n, "%.*s", (int)strnlen(p, f->size), p);
		break;
	}
	return len < 0 || (size_t)len >= n ? ENOSPC : 0;
}

json_t *field_to_json(const struct field *f, const void *base)
{
	char text[512];
	bool b;

	if (!f->size || f->kind == FIELD_CUSTOM)
		return NULL;
	if (f->kind == FIELD_INT)
		return json_integer(int_get(f, base));
	if (f->kind == FIELD_BOOL) {
		memcpy(&b, (const char *)base + f->off, sizeof(b));
		return json_boolean(b);
	}
	if (f->kind != FIELD_PORTS)
		return json_stringn((const char *)base + f->off,
				    strnlen((const char *)base + f->off,
					    f->size));
	field_format(f, base, text, sizeof(text));
	return json_string(text);
}

int field_table_check(const struct field *fs, size_t n, char *why, size_t wn)
{
	size_t need = 1;
	char *scratch;
	int err = 0;

	for (size_t i = 0; i < n; i++)
		if (fs[i].off + fs[i].size > need)
			need = fs[i].off + fs[i].size;
	scratch = calloc(1, need);
	if (!scratch)
		return ENOMEM;
	for (size_t i = 0; i < n && !err; i++) {
		const struct field *f = &fs[i];
		int64_t lo, hi;

		err = EINVAL;
		if (!f->name)
			snprintf(why, wn, "row %zu: no name", i);
		else if (f->kind == FIELD_INT && f->size &&
			 (f->size > 8 || (f->size & (f->size - 1))))
			snprintf(why, wn, "%s: a %zu-byte integer", f->name,
				 f->size);
		else if (f->kind == FIELD_INT && f->size &&
			 (int_limits(f, &lo, &hi), f->lo < lo || f->hi > hi))
			snprintf(why, wn, "%s: range %" PRId64 "..%" PRId64
				 " does not fit its member", f->name, f->lo,
				 f->hi);
		else if (f->kind == FIELD_INT && f->lo > f->hi)
			snprintf(why, wn, "%s: empty range", f->name);
		else if (f->kind == FIELD_BOOL && f->size &&
			 f->size != sizeof(bool))
			snprintf(why, wn, "%s: not a bool member", f->name);
		else if (f->kind == FIELD_PORTS && f->size &&
			 f->size != sizeof(struct field_ports))
			snprintf(why, wn, "%s: not a field_ports member",
				 f->name);
		else if (f->kind == FIELD_ENUM && (!f->words || !f->words[0]))
			snprintf(why, wn, "%s: an enum without words", f->name);
		else if (f->kind == FIELD_CUSTOM && !f->parse)
			snprintf(why, wn, "%s: custom without a parser",
				 f->name);
		else if (f->def && f->kind != FIELD_CUSTOM &&
			 parse_text(f, f->def, scratch, false, why, wn))
			snprintf(why, wn, "%s: default '%s' is refused",
				 f->name, f->def);
		else
			err = 0;
	}
	free(scratch);
	return err;
}

void field_help_line(const struct field *f, char *out, size_t n)
{
	char left[64];
	int at;

	if (!f->flag) {
		at = snprintf(out, n, "  %-22s %s", f->name, f->help);
		if (f->def && at >= 0 && (size_t)at < n)
			at += snprintf(out + at, n - (size_t)at, " (default %s)",
				       f->def);
		if (at >= 0 && (size_t)at < n)
			snprintf(out + at, n - (size_t)at, "\n");
		return;
	}
	snprintf(left, sizeof(left), "%s%s", f->flag,
		 f->switch_flag ? "" : " VALUE");
	at = snprintf(out, n, "  %-22s %s", left, f->help);
	if (f->def && !f->switch_flag && at >= 0 && (size_t)at < n)
		at += snprintf(out + at, n - (size_t)at, " (default %s)", f->def);
	if (at >= 0 && (size_t)at < n)
		snprintf(out + at, n - (size_t)at, "  [%s]\n", f->name);
}

void field_doc_row(const struct field *f, char *out, size_t n)
{
	char flag[48] = "", def[256] = "";

	if (f->flag)
		snprintf(flag, sizeof(flag), "`%s`", f->flag);
	if (f->def_doc)
		snprintf(def, sizeof(def), "%s", f->def_doc);
	else if (f->def)
		snprintf(def, sizeof(def), "`%s`", f->def);
	/* An empty cell is "| |", as a hand-written table has it. */
	snprintf(out, n, "| `%s` |%s%s%s|%s%s%s| %s |\n", f->name,
		 *flag ? " " : " ", flag, *flag ? " " : "",
		 *def ? " " : " ", def, *def ? " " : "",
		 f->doc ? f->doc : f->help);
}
