/* web/serve: the console's files over HTTP. They are public: the page is
 * the sign-in screen until the browser holds a token, and everything it
 * shows after comes from /api/v1 under that token's role and scope. */
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include "api/http.h"
#include "base/mod.h"
#include "base/util.h"
#include "web/web.h"

/* By suffix; what a browser needs to run a module script or a stylesheet
 * (a script served as anything else is refused by the browser). */
static const struct {
	const char *suffix;
	const char *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js",   "text/javascript; charset=utf-8"},
	{".mjs",  "text/javascript; charset=utf-8"},
	{".css",  "text/css; charset=utf-8"},
	{".json", "application/json"},
	{".svg",  "image/svg+xml"},
	{".png",  "image/png"},
	{".ico",  "image/x-icon"},
};

const char *web_type(const char *path)
{
	size_t pl = strlen(path);

	for (size_t i = 0; i < ARRAY_LEN(types); i++) {
		size_t sl = strlen(types[i].suffix);

		if (pl >= sl && !strcasecmp(path + pl - sl, types[i].suffix))
			return types[i].type;
	}
	return "application/octet-stream";
}

const struct web_file *web_find(const char *path)
{
	if (!strcmp(path, "/"))
		path = "/index.html";
	for (const struct web_file *f = web_files; f->path; f++)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}

static void h_file(struct api_req *req)
{
	char path[API_PARAM_LEN + 16];
	const char *file = api_param(&req->params, "file");
	const char *dir = strncmp(req->route->pattern, "/vendor/", 8) ?
		"/app/" : "/vendor/";
	const struct web_file *f;
	char hdrs[256];

	if (file)
		snprintf(path, sizeof(path), "%s%s", dir, file);
	else
		util_strlcpy(path, "/", sizeof(path));
	f = web_find(path);
	if (!f) {
		api_reply_error(req->conn, 404, "no such file: %s", path);
		return;
	}
	/* no-cache: the browser keeps the file but asks each time, so a new
	 * binary's console is never mixed with an old one's cached modules. */
	snprintf(hdrs, sizeof(hdrs), "Content-Type: %s\r\nETag: %s\r\n"
		 "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n",
		 web_type(f->path), f->etag);
	if (api_req_if_none_match(req, f->etag))
		api_reply_bytes(req->conn, 304, hdrs, NULL, 0);
	else
		api_reply_bytes(req->conn, 200, hdrs, f->data, f->len);
}

static const struct api_route rows[] = {
	{"GET", "/",               h_file, API_PUBLIC, 0,
	 "the web console (zh-CN by default; ?lang=en for English)"},
	{"GET", "/app/{file}",     h_file, API_PUBLIC, 0,
	 "the console's own modules and styles"},
	{"GET", "/vendor/{file}",  h_file, API_PUBLIC, 0,
	 "the libraries the console imports (Vue, Element Plus, ECharts)"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

const struct mod_export web_module = {
	.name = "web", .routes = &routes,
};
