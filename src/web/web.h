/* web: the console (web/), served from the binary. scripts/web.sh stages
 * web/index.html, the files in web/app/ and the npm libraries it imports (Vue, Element
 * Plus, ECharts) and generates the table below; this module answers GET /,
 * /app/{file} and /vendor/{file} from it with an ETag, so a browser asks
 * again cheaply (304) and never runs a stale console after an upgrade.
 * Nothing is read from disk at run time. */
#ifndef HL_WEB_WEB_H
#define HL_WEB_WEB_H

#include <stddef.h>

/* One file of the console; the generated table ends with a NULL path. */
struct web_file {
	const char *path;   /* the URL path: "/index.html", "/app/desk.js" */
	const char *data;   /* the bytes, NUL-terminated for convenience */
	size_t      len;    /* without the NUL */
	const char *etag;   /* a strong validator, quoted: "\"3f2a…\"" */
};

extern const struct web_file web_files[];   /* generated: build/V/gen/web.c */

/* The console's file at URL path, or NULL. "/" is "/index.html". */
const struct web_file *web_find(const char *path);

/* The Content-Type for path, by its suffix (application/octet-stream when
 * not known). */
const char *web_type(const char *path);

struct mod_export;
extern const struct mod_export web_module;   /* base/mod.h: its routes */

#endif
