/* app/queue_cmd: "hotline queue", the queues of a running center through
 * its API (--api URL, default http://127.0.0.1:8080; an administrator's
 * token in HOTLINE_TOKEN, a supervisor's to list and show), so a change is live at once and
 * checked by the same code as the console's (queue/cfg.c's field table).
 *
 *   hotline queue list | show NAME | del NAME
 *   hotline queue set NAME KEY=TEXT… KEY:=JSON…
 * KEY=TEXT sets a text setting (strategy=ring-all, supervisors=lead,dept:ID);
 * KEY:=JSON any other (ring_timeout_ms:=20000, wrapup_required:=true), as
 * httpie writes them: a text that looks like a number stays text. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "app/app.h"
#include "app/app_int.h"

static const char default_api[] = "http://127.0.0.1:8080";

static int usage(FILE *f)
{
	fprintf(f, "usage: hotline queue list [--json]          every queue's settings\n"
		"       hotline queue show NAME               one queue's settings (JSON)\n"
		"       hotline queue set NAME KEY=TEXT… KEY:=JSON…\n"
		"                                             create it or change those settings\n"
		"       hotline queue del NAME                remove a queue without calls\n"
		"every command takes --api URL (default %s); the token is\n"
		"HOTLINE_TOKEN's: an administrator's (a supervisor's lists and shows).\n"
		"Settings: docs/api.md, \"GET/PUT/DELETE /api/v1/queues/{name}\"; e.g.\n"
		"  hotline queue set sales strategy=ring-all ring_timeout_ms:=20000 \\\n"
		"      supervisors=lead,dept:DEPARTMENT_ID\n", default_api);
	return f == stderr ? 2 : 0;
}

/* Adds one KEY=TEXT or KEY:=JSON to body; 0, or 2 with the reason. */
static int setting(json_t *body, const char *arg)
{
	const char *eq = strchr(arg, '=');
	bool raw = eq && eq > arg && eq[-1] == ':';
	size_t klen = eq ? (size_t)(eq - arg) - raw : 0;
	char key[64];
	json_t *v;

	if (!eq || !klen || klen >= sizeof(key)) {
		fprintf(stderr, "hotline: '%s': want KEY=TEXT or KEY:=JSON\n",
			arg);
		return 2;
	}
	snprintf(key, sizeof(key), "%.*s", (int)klen, arg);
	v = raw ? json_loads(eq + 1, JSON_DECODE_ANY, NULL) :
		json_string(eq + 1);
	if (!v) {
		fprintf(stderr, "hotline: %s: '%s' is no JSON value\n", key,
			eq + 1);
		return 2;
	}
	json_object_set_new(body, key, v);
	return 0;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	puts(s ? s : "{}");
	free(s);
	json_decref(j);
}

static void queue_line(const json_t *q)
{
	printf("%-16s %-14s ring=%lldms overflow=%s supervisors=%s\n",
	       json_string_value(json_object_get(q, "name")),
	       json_string_value(json_object_get(q, "strategy")),
	       json_integer_value(json_object_get(q, "ring_timeout_ms")),
	       json_string_value(json_object_get(q, "overflow")),
	       json_string_value(json_object_get(q, "supervisors")));
}

int app_queue(int argc, char **argv)
{
	const char *api = default_api, *sub = argc > 1 ? argv[1] : "";
	const char *name = NULL;
	bool as_json = false, set = !strcmp(sub, "set");
	char path[256];
	json_t *body = json_object(), *out = NULL;
	size_t i;
	int rc = 0;
	json_t *q;

	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		json_decref(body);
		return usage(stdout);
	}
	for (int a = 2; a < argc && !rc; a++) {
		if (!strcmp(argv[a], "--api") && a + 1 < argc)
			api = argv[++a];
		else if (!strcmp(argv[a], "--json") && !strcmp(sub, "list"))
			as_json = true;
		else if (!name && argv[a][0] != '-' && strcmp(sub, "list"))
			name = argv[a];
		else if (name && set)
			rc = setting(body, argv[a]);
		else
			rc = usage(stderr);
	}
	if (!rc && !name != !strcmp(sub, "list"))
		rc = usage(stderr);
	if (rc) {
		json_decref(body);
		return rc;
	}
	snprintf(path, sizeof(path), "/api/v1/queues/%s", name ? name : "");
	if (!strcmp(sub, "list")) {
		rc = app_api_call(api, "GET", "/api/v1/queue-config", NULL, &out);
		if (!rc && as_json)
			print_json(out);
		else if (!rc) {
			json_array_foreach(json_object_get(out, "items"), i, q)
				queue_line(q);
			json_decref(out);
		}
	}
	else if (!strcmp(sub, "show") || set) {
		rc = app_api_call(api, set ? "PUT" : "GET", path,
				  set ? body : NULL, &out);
		if (!rc)
			print_json(out);
	}
	else if (!strcmp(sub, "del")) {
		rc = app_api_call(api, "DELETE", path, NULL, NULL);
		if (!rc)
			printf("queue %s deleted\n", name);
	}
	else {
		rc = usage(stderr);
	}
	json_decref(body);
	return rc;
}
