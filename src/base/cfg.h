/* cfg: settings from an INI file and command-line flags over a table of
 * known keys. Every key has a default and, where the table says so, a flag;
 * flags win over the file, the file over defaults. Unknown keys or flags are
 * errors that name them. */
#ifndef HL_BASE_CFG_H
#define HL_BASE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One known setting. The table ends with a row whose key is NULL. */
struct cfg_def {
	const char *key;    /* "section.name", as [section] name = … in the file */
	const char *flag;   /* "--flag" on the command line, or NULL */
	const char *def;    /* default value; NULL means unset */
	bool        is_bool;/* a flag that takes no value ("--demo") */
	const char *help;   /* one line for --help */
};

struct cfg;

/* Makes a conf holding defs' defaults; *cp is the caller's (cfg_free). defs
 * must outlive it. */
int  cfg_alloc(struct cfg **cp, const struct cfg_def *defs);

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

/* True when key is "1", "true", "yes" or "on". */
bool cfg_get_bool(const struct cfg *c, const char *key);

/* Writes the flags and their help, one per line, to stdout. */
void cfg_print_help(const struct cfg_def *defs);

#endif
