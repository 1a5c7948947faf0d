/* api/openapi: the API as an OpenAPI 3.0.3 document, made from the joined
 * routes table the server really serves, so the document cannot describe a
 * route that is not served nor leave out one that is (tests/api/openapi.sh
 * checks both directions against a running server).
 *
 * What a row says becomes, per operation:
 *   pattern   the path; each {name} a required string path parameter
 *   doc       the summary
 *   roles     security bearerAuth unless API_PUBLIC; x-roles names the
 *             roles allowed, as users have them ("agent")
 *   flags     API_F_QUERY_TOKEN: x-query-token, and the token may come as
 *             ?token= (the queryToken scheme); API_F_UPLOAD: a file as the body
 * and the responses follow from the row too: its method's success (the
 * table below, or a special row's), 400 when the method carries a body,
 * 401 unless public, 403 unless every role may call it, 404 when the path
 * names something. Every error answers the shared Error schema. A row says
 * nothing of the bodies' fields, so neither does the document: it is the
 * map of the API, docs/api.md its prose. */
#include <errno.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api_int.h"

#ifndef HOTLINE_VERSION
#define HOTLINE_VERSION "0.1.0"
#endif

/* What a method's success is; "2XX" where routes of that method differ. */
static const struct {
	const char *method;
	const char *status;
	const char *what;
	bool body;          /* carries a request body, so a bad one gets 400 */
} methods[] = {
	{"GET",    "200", "the resource", false},
	{"POST",   "2XX", "done: 200, 201 when it created something, 202 when "
		   "a live call's change is under way", true},
	{"PUT",    "2XX", "done: 200, or 201 when it created it", true},
	{"PATCH",  "200", "changed", true},
	{"DELETE", "200", "deleted", false},
};
static const char *const other_status = "2XX";

/* Rows whose answers the method's rule does not tell, matched by method
 * and pattern (tests/unit/api/test_openapi.c checks that each is served). */
static const struct {
	const char *method, *pattern;
	const char *status, *what;
	bool instead;       /* replaces the method's success, not added to it */
} specials[] = {
	{"GET", "/api/v1/events", "101", "the WebSocket of events", true},
	{"GET", "/api/v1/events", "400", "not a WebSocket upgrade request",
	 false},
	{"GET", "/api/v1/calls/{id}/recording", "206",
	 "the part of the WAV a Range asked for", false},
	{"GET", "/api/v1/voicemails/{id}/audio", "206",
	 "the part of the WAV a Range asked for", false},
};

static bool takes_body(const struct api_route *r)
{
	for (size_t i = 0; i < ARRAY_LEN(methods); i++) {
		if (!strcmp(methods[i].method, r->method))
			return methods[i].body;
	}
	return false;
}

static bool signed_in(const struct api_route *r)
{
	return r->roles != API_PUBLIC;
}

static bool some_role_refused(const struct api_route *r)
{
	return r->roles != API_PUBLIC && (r->roles & API_ANYONE) != API_ANYONE;
}

static bool names_something(const struct api_route *r)
{
	return strchr(r->pattern, '{') != NULL;
}

/* The errors a row may answer besides those every request may get (405,
 * 413, 503 … in docs/api.md). */
static const struct {
	const char *status, *what;
	bool (*applies)(const struct api_route *r);
} errors[] = {
	{"400", "a malformed body: the reason names the field", takes_body},
	{"401", "no bearer token, or an unknown, revoked or expired one",
	 signed_in},
	{"403", "the signed-in user's role may not use this route",
	 some_role_refused},
	{"404", "nothing by that name or id", names_something},
};

/* Sets o[key] to v (taken): 0, or ENOMEM when v is NULL or the set fails. */
static int put(json_t *o, const char *key, json_t *v)
{
	return v && !json_object_set_new(o, key, v) ? 0 : ENOMEM;
}

static int append(json_t *a, json_t *v)
{
	return v && !json_array_append_new(a, v) ? 0 : ENOMEM;
}

/* "get_api_v1_calls_id_recording": the method and the pattern's words. */
static void operation_id(const struct api_route *r, char *out, size_t n)
{
	size_t o = 0;

	for (const char *m = r->method; *m && o + 1 < n; m++)
		out[o++] = (char)tolower((unsigned char)*m);
	for (const char *p = r->pattern; *p && o + 1 < n; p++) {
		if (isalnum((unsigned char)*p))
			out[o++] = *p;
		else if (o > 0 && out[o - 1] != '_')
			out[o++] = '_';
	}
	while (o > 0 && out[o - 1] == '_')
		o--;
	out[o] = '\0';
}

/* The first word of the path under /api/v1/ ("calls"), for grouping. */
static void tag_of(const char *pattern, char *out, size_t n)
{
	static const char prefix[] = "/api/v1/";
	const char *p = pattern;

	if (!strncmp(p, prefix, sizeof(prefix) - 1))
		p += sizeof(prefix) - 1;
	else if (*p == '/')
		p++;
	snprintf(out, n, "%.*s", (int)strcspn(p, "/."), p);
}

/* One parameter object per {name} segment of pattern. */
static json_t *path_params(const char *pattern)
{
	json_t *a = json_array();
	const char *p = pattern;

	while (a && (p = strchr(p, '{'))) {
		size_t len = strcspn(p + 1, "}");

		if (append(a, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name",
					p + 1, len, "in", "path", "required",
					1, "schema", "type", "string"))) {
			json_decref(a);
			return NULL;
		}
		p += len + 1;
	}
	return a;
}

/* The names of the roles allowed, in the order of their bits. */
static json_t *role_names(unsigned roles)
{
	json_t *a = json_array();

	for (unsigned bit = 1; a && bit && bit <= roles; bit <<= 1) {
		const char *name = (roles & bit) ? api_role_name(bit) : NULL;

		if (name && append(a, json_string(name))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *security(const struct api_route *r)
{
	if (r->roles == API_PUBLIC)
		return json_array();
	if (r->flags & API_F_QUERY_TOKEN)
		return json_pack("[{s:[]}, {s:[]}]", "bearerAuth",
				 "queryToken");
	return json_pack("[{s:[]}]", "bearerAuth");
}

/* A success answers what the route returns (not described); an error the
 * Error schema. */
static int respond(json_t *resp, const char *status, const char *what)
{
	if (status[0] < '4')
		return put(resp, status,
			   json_pack("{s:s}", "description", what));
	return put(resp, status, json_pack(
		"{s:s, s:{s:{s:{s:s}}}}", "description", what, "content",
		"application/json", "schema", "$ref",
		"#/components/schemas/Error"));
}

static json_t *responses(const struct api_route *r)
{
	json_t *resp = json_object();
	const char *status = other_status, *what = "done";
	bool instead = false;
	int err = resp ? 0 : ENOMEM;

	for (size_t i = 0; i < ARRAY_LEN(specials); i++) {
		if (strcmp(specials[i].method, r->method) ||
		    strcmp(specials[i].pattern, r->pattern))
			continue;
		instead |= specials[i].instead;
		err = err ? err : respond(resp, specials[i].status,
					  specials[i].what);
	}
	for (size_t i = 0; i < ARRAY_LEN(methods); i++) {
		if (!strcmp(methods[i].method, r->method)) {
			status = methods[i].status;
			what = methods[i].what;
		}
	}
	if (!instead && !err)
		err = respond(resp, status, what);
	for (size_t i = 0; i < ARRAY_LEN(errors) && !err; i++) {
		if (errors[i].applies(r))
			err = respond(resp, errors[i].status, errors[i].what);
	}
	if (err) {
		json_decref(resp);
		return NULL;
	}
	return resp;
}

static json_t *request_body(const struct api_route *r)
{
	/* The uploads differ in kind (a prompt's audio, an import's CSV or
	 * XLSX, a work order's attachment); each row's summary names its
	 * kinds, the document says only that the body is the file. */
	if (r->flags & API_F_UPLOAD)
		return json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description",
				 "the file itself, of a kind the summary names",
				 "content", "*/*", "schema", "type", "string",
				 "format", "binary");
	return json_pack("{s:{s:{s:{s:s}}}}", "content", "application/json",
			 "schema", "type", "object");
}

static json_t *operation(const struct api_route *r)
{
	char id[160], tag[64];
	json_t *op;
	int err;

	operation_id(r, id, sizeof(id));
	tag_of(r->pattern, tag, sizeof(tag));
	op = json_pack("{s:s, s:s, s:[s]}", "summary", r->doc ? r->doc : "",
		       "operationId", id, "tags", tag);
	if (!op)
		return NULL;
	err = names_something(r) ?
		put(op, "parameters", path_params(r->pattern)) : 0;
	if (!err && takes_body(r))
		err = put(op, "requestBody", request_body(r));
	if (!err)
		err = put(op, "responses", responses(r));
	if (!err)
		err = put(op, "security", security(r));
	if (!err && r->roles != API_PUBLIC)
		err = put(op, "x-roles", role_names(r->roles));
	if (!err && (r->flags & API_F_QUERY_TOKEN))
		err = put(op, "x-query-token", json_true());
	if (err) {
		json_decref(op);
		return NULL;
	}
	return op;
}

static json_t *components(void)
{
	return json_pack(
		"{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}},"
		" s:{s:{s:s, s:[s], s:{s:{s:s}}}}}",
		"securitySchemes",
		"bearerAuth", "type", "http", "scheme", "bearer",
		"description", "the token from POST /api/v1/auth/login",
		"queryToken", "type", "apiKey", "in", "query", "name", "token",
		"description", "the same token as ?token=, where a browser "
		"cannot set headers (x-query-token)",
		"schemas",
		"Error", "type", "object", "required", "error",
		"properties", "error", "type", "string");
}

int api_openapi_doc(const struct api_route *tab, size_t n,
		    const char *version, json_t **docp)
{
	json_t *doc, *paths = json_object();
	int err = 0;

	doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:O, s:o}",
			"openapi", "3.0.3", "info", "title", "Hotline",
			"version", version, "description", "the call center's "
			"HTTP API; made from the routes the server serves",
			"servers", "url", "/", "paths", paths,
			"components", components());
	json_decref(paths);
	if (!doc)
		return ENOMEM;
	for (size_t i = 0; i < n && !err; i++) {
		json_t *item = json_object_get(paths, tab[i].pattern);
		char method[16];
		size_t k = 0;

		for (; tab[i].method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)tolower(
				(unsigned char)tab[i].method[k]);
		method[k] = '\0';
		if (!item) {
			item = json_object();
			err = put(paths, tab[i].pattern, item);
		}
		if (!err)
			err = put(item, method, operation(&tab[i]));
	}
	if (err) {
		json_decref(doc);
		return err;
	}
	*docp = doc;
	return 0;
}

void api_h_openapi(struct api_req *req)
{
	/* api_start joins the table once and it never changes while the
	 * server runs, so the text is made once, on first request, and kept
	 * to the end of the process. */
	static char *text;
	json_t *doc;

	if (!text && !api_openapi_doc(req->api->routes, req->api->nroutes,
				      HOTLINE_VERSION, &doc)) {
		text = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
	}
	if (!text) {
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	api_reply_body(req->conn, 200, "application/json", text, strlen(text));
}
