/* cfg: settings from an INI file and command-line flags over a table of
 * field descriptors (base/field.h): each row's name is the key, its flag,
 * default and help are the row's. Flags win over the file, the file over
 * defaults. Unknown keys or flags are errors that name them; cfg_check
 * then holds every value to its row. */
#ifndef HL_BASE_CFG_H
#define HL_BASE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/field.h"

struct cfg;

/* Makes a conf holding defs' defaults; *cp is the caller's (cfg_free). defs
 * ends with a row whose name is NULL ("section.name" keys, as [section]
 * name = … in the file; switch_flag rows take no value on the command
 * line) and must outlive it. */
int  cfg_alloc(struct cfg **cp, const struct field *defs);

/* Frees c and every value it holds; NULL is fine. */
void cfg_free(struct cfg *c);

/* Reads an INI file; on error writes a one-line reason (naming the file,
 * line and key) to err and leaves values set so far. */
int  cfg_load_file(struct cfg *c, const char *path, char *err, size_t n);

/* Applies argv[0..argc) flags: --config FILE first (file loaded), then the
 * others over it. "--flag VALUE" and "--flag=VALUE" both work; a VALUE that
 * starts with "--" needs the second form. */
int  cfg_parse_args(struct cfg *c, int argc, char **argv,
		     char *err, size_t n);

/* Sets key to a copy of val; ENOENT if the table has no such key. */
int  cfg_set(struct cfg *c, const char *key, const char *val);

/* The value of key, or NULL when unset or unknown. Owned by c. */
const char *cfg_get(const struct cfg *c, const char *key);

/* True when key is "1", "true", "yes" or "on" (any case). Any other word
 * reads as false: run cfg_check first, which refuses words that are not
 * field_bool_words. */
bool cfg_get_bool(const struct cfg *c, const char *key);

/* Holds every value to its row (field_parse_text) and stores it into base
 * at the row's offset; the first refused value is EINVAL with its one-line
 * reason in err ("bad --record 'maybe' (want true or false)"). */
int  cfg_check(const struct cfg *c, void *base, char *err, size_t n);

/* As cfg_check for rows[0..n) alone, a part of c's table (a module's
 * settings, base/mod.h): each row's value, found by its name, is held to
 * the row and stored into base. ENOENT with err set when a row's name is
 * not in c's table. */
int  cfg_read(const struct cfg *c, const struct field *rows, size_t n,
	      void *base, char *err, size_t en);

/* Writes the flags and their help, one per line, to stdout. */
void cfg_print_help(const struct field *defs);

#endif
