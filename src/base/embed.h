/* embed: files compiled into the binary by scripts/embed.sh (migrations, and
 * later the web console). The table ends with a row whose name is NULL. */
#ifndef HL_BASE_EMBED_H
#define HL_BASE_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;   /* path as given to embed.sh, e.g. "src/api/migrations/001_core.sql" */
	const char *data;   /* contents; NUL-terminated for convenience */
	size_t      len;    /* length in bytes, without the NUL */
};

extern const struct embed_file embed_files[];

/* The embedded file with this exact name, or NULL. */
const struct embed_file *embed_find(const char *name);

#endif
