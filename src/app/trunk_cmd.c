/* app/trunk_cmd: "hotline trunk" and "hotline dialplan", the carriers'
 * trunks and the outbound dial plans of a running center. They speak to
 * its API (--api URL, default http://127.0.0.1:8080; an administrator's
 * token in HOTLINE_TOKEN), so a change is live at once and checked by the
 * same code as the console's.
 *
 *   hotline trunk add NAME [--inbound CIDR]… [--outbound IP:PORT] […]
 *   hotline trunk list | del NAME
 *   hotline dialplan add PATTERN --trunks A[,B…] [--position N]
 *   hotline dialplan list | del ID
 * (app/httpc.c is the HTTP client.) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "app/app.h"
#include "app/app_int.h"
#include "base/util.h"

static const char default_api[] = "http://127.0.0.1:8080";

/* ---- flags ---- */

/* What a flag does to the body being built. */
enum flag_kind {
	F_STR,     /* the value as text */
	F_INT,     /* a whole number */
	F_BOOL,    /* no value: true */
	F_LIST,    /* A,B,C: a list */
	F_EACH,    /* one item a time, the flag repeated for more */
	F_STDIN,   /* no value: one line of standard input */
};

struct flag {
	const char *name;          /* "--outbound" */
	enum flag_kind kind;
	const char *key;           /* "outbound.address": a dot nests */
	const char *help;
};

/* Sets key (maybe "a.b") in body to v (taken). */
static void body_set(json_t *body, const char *key, json_t *v)
{
	const char *dot = strchr(key, '.');
	char outer[32];
	json_t *o;

	if (!dot) {
		if (json_is_array(v) && json_is_array(json_object_get(body, key))) {
			json_array_extend(json_object_get(body, key), v);
			json_decref(v);
			return;
		}
		json_object_set_new(body, key, v);
		return;
	}
	snprintf(outer, sizeof(outer), "%.*s", (int)(dot - key), key);
	o = json_object_get(body, outer);
	if (!o) {
		o = json_object();
		json_object_set_new(body, outer, o);
	}
	body_set(o, dot + 1, v);
}

static json_t *list_of(const char *csv)
{
	json_t *a = json_array();
	char buf[1024], *save = NULL;

	util_strlcpy(buf, csv, sizeof(buf));
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_string(t));
	return a;
}

/* Applies argv's flags (from i) to body by the table; 0, or 2 with the
 * reason on stderr. */
static int flags_apply(const struct flag *fl, size_t nfl, int argc,
		       char **argv, int i, json_t *body, const char **api)
{
	for (; i < argc; i++) {
		const struct flag *f = NULL;
		char line[512], *end;
		long long v;

		if (!strcmp(argv[i], "--api") && i + 1 < argc) {
			*api = argv[++i];
			continue;
		}
		for (size_t k = 0; k < nfl && !f; k++)
			f = strcmp(argv[i], fl[k].name) ? NULL : &fl[k];
		if (!f) {
			fprintf(stderr, "hotline: unknown flag '%s' (see --help)\n",
				argv[i]);
			return 2;
		}
		if (f->kind == F_BOOL) {
			body_set(body, f->key, json_true());
			continue;
		}
		if (f->kind == F_STDIN) {
			if (!fgets(line, sizeof(line), stdin)) {
				fprintf(stderr, "hotline: %s: nothing on standard "
					"input\n", f->name);
				return 2;
			}
			line[strcspn(line, "\r\n")] = '\0';
			body_set(body, f->key, json_string(line));
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "hotline: %s needs a value\n", f->name);
			return 2;
		}
		i++;
		if (f->kind == F_INT) {
			v = strtoll(argv[i], &end, 10);
			if (!*argv[i] || *end) {
				fprintf(stderr, "hotline: %s: want a whole number\n",
					f->name);
				return 2;
			}
			body_set(body, f->key, json_integer(v));
		}
		else if (f->kind == F_LIST || f->kind == F_EACH) {
			body_set(body, f->key, f->kind == F_EACH ?
				 json_pack("[s]", argv[i]) : list_of(argv[i]));
		}
		else {
			body_set(body, f->key, json_string(argv[i]));
		}
	}
	return 0;
}

static void flags_help(const struct flag *fl, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("  %-18s %s\n", fl[i].name, fl[i].help);
	printf("  %-18s the center's API (default %s); the token is\n"
	       "  %-18s HOTLINE_TOKEN's, an administrator's\n", "--api URL",
	       default_api, "");
}

/* ---- hotline trunk ---- */

static const struct flag trunk_flags[] = {
	{"--inbound", F_EACH, "inbound_from",
	 "CIDR or address the carrier calls from (repeat for more)"},
	{"--outbound", F_STR, "outbound.address",
	 "IP:PORT of the carrier's gateway for outbound calls"},
	{"--transport", F_STR, "outbound.transport",
	 "udp (default), tcp or tls (needs serve --sip-tls)"},
	{"--srtp", F_BOOL, "outbound.srtp",
	 "offer SRTP, keys in the SDP (needs --transport tls)"},
	{"--username", F_STR, "outbound.username", "digest user at the carrier"},
	{"--password-stdin", F_STDIN, "outbound.password",
	 "digest password, one line on standard input"},
	{"--register", F_BOOL, "outbound.register",
	 "register to the carrier (needs --username)"},
	{"--codecs", F_LIST, "outbound.codecs", "PCMU,PCMA (the default)"},
	{"--caller-id", F_STR, "caller_id", "the DID the carrier shows callees"},
	{"--privacy", F_BOOL, "privacy", "hide the caller ID (Privacy: id)"},
	{"--max-channels", F_INT, "max_channels", "calls at once, both ways"},
	{"--ping", F_INT, "ping_interval_s", "OPTIONS every N s (0: off; 30)"},
	{"--invite-timeout", F_INT, "invite_timeout_s",
	 "fail over when the INVITE is not answered in N s (8)"},
};

static int trunk_usage(FILE *f)
{
	fprintf(f, "usage: hotline trunk add NAME [flags]   create a trunk\n"
		"       hotline trunk list [--json]        every trunk and its state\n"
		"       hotline trunk del NAME             remove a trunk\n");
	return f == stderr ? 2 : 0;
}

static void trunk_line(const json_t *t)
{
	const json_t *o = json_object_get(t, "outbound");
	const json_t *c = json_object_get(t, "counters");
	char *in = json_dumps(json_object_get(t, "inbound_from"), JSON_COMPACT);

	printf("%-16s %-12s in=%s out=%s reg=%s channels=%lld/%lld "
	       "calls_in=%lld calls_out=%lld failures=%lld\n",
	       json_string_value(json_object_get(t, "name")),
	       json_string_value(json_object_get(t, "state")), in ? in : "[]",
	       o ? json_string_value(json_object_get(o, "address")) : "-",
	       json_string_value(json_object_get(json_object_get(t,
			"registration"), "state")),
	       json_integer_value(json_object_get(c, "channels_in_use")),
	       json_integer_value(json_object_get(t, "max_channels")),
	       json_integer_value(json_object_get(c, "calls_in")),
	       json_integer_value(json_object_get(c, "calls_out")),
	       json_integer_value(json_object_get(c, "failures")));
	free(in);
}

/* Prints a list reply: --json as it came, else one line per item. */
static int print_list(json_t *body, bool as_json, void (*line)(const json_t *))
{
	size_t i;
	json_t *it;

	if (as_json) {
		char *s = json_dumps(body, JSON_INDENT(2));
		puts(s ? s : "{}");
		free(s);
	}
	else {
		json_array_foreach(json_object_get(body, "items"), i, it)
			line(it);
	}
	json_decref(body);
	return 0;
}

/* "list" takes only --api and --json. */
static int list_flags(int argc, char **argv, const char **api, bool *as_json)
{
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			*as_json = true;
		else if (!strcmp(argv[i], "--api") && i + 1 < argc)
			*api = argv[++i];
		else
			return 2;
	}
	return 0;
}

int app_trunk(int argc, char **argv)
{
	const char *api = default_api;
	const char *sub = argc > 1 ? argv[1] : "";
	char path[512];
	json_t *body, *out = NULL;
	bool as_json = false;
	int rc;

	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		trunk_usage(stdout);
		printf("\nflags of add:\n");
		flags_help(trunk_flags, ARRAY_LEN(trunk_flags));
		return 0;
	}
	if (!strcmp(sub, "list")) {
		if (list_flags(argc, argv, &api, &as_json))
			return trunk_usage(stderr);
		rc = app_api_call(api, "GET", "/api/v1/trunks", NULL, &out);
		return rc ? rc : print_list(out, as_json, trunk_line);
	}
	if (argc < 3 || argv[2][0] == '-')
		return trunk_usage(stderr);
	if (!strcmp(sub, "del")) {
		if (argc > 3 && (argc != 5 || strcmp(argv[3], "--api")))
			return trunk_usage(stderr);
		api = argc == 5 ? argv[4] : api;
		snprintf(path, sizeof(path), "/api/v1/trunks/%s", argv[2]);
		rc = app_api_call(api, "DELETE", path, NULL, NULL);
		if (!rc)
			printf("trunk %s deleted\n", argv[2]);
		return rc;
	}
	if (strcmp(sub, "add"))
		return trunk_usage(stderr);
	body = json_pack("{s:s}", "name", argv[2]);
	rc = flags_apply(trunk_flags, ARRAY_LEN(trunk_flags), argc, argv, 3,
			 body, &api);
	if (!rc)
		rc = app_api_call(api, "POST", "/api/v1/trunks", body, NULL);
	if (!rc)
		printf("trunk %s added\n", argv[2]);
	json_decref(body);
	return rc;
}

/* ---- hotline dialplan ---- */

static const struct flag plan_flags[] = {
	{"--trunks", F_LIST, "trunks", "trunk names, in the order to try them"},
	{"--position", F_INT, "position", "lower is tried first (default last)"},
};

static int plan_usage(FILE *f)
{
	fprintf(f, "usage: hotline dialplan add PATTERN --trunks A[,B…] [--position N]\n"
		"       hotline dialplan list [--json]\n"
		"       hotline dialplan del ID\n"
		"PATTERN is a POSIX extended regex over the whole normalised number,\n"
		"e.g. '^1[3-9][0-9]{9}$' for Chinese mobiles.\n");
	return f == stderr ? 2 : 0;
}

static void plan_line(const json_t *p)
{
	char *t = json_dumps(json_object_get(p, "trunks"), JSON_COMPACT);

	printf("%-4lld %-6lld %-32s %s\n",
	       json_integer_value(json_object_get(p, "id")),
	       json_integer_value(json_object_get(p, "position")),
	       json_string_value(json_object_get(p, "pattern")), t ? t : "[]");
	free(t);
}

int app_dialplan(int argc, char **argv)
{
	const char *api = default_api;
	const char *sub = argc > 1 ? argv[1] : "";
	char path[512];
	json_t *body, *out = NULL;
	bool as_json = false;
	int rc;

	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		plan_usage(stdout);
		printf("\nflags of add:\n");
		flags_help(plan_flags, ARRAY_LEN(plan_flags));
		return 0;
	}
	if (!strcmp(sub, "list")) {
		if (list_flags(argc, argv, &api, &as_json))
			return plan_usage(stderr);
		rc = app_api_call(api, "GET", "/api/v1/dial-plans", NULL, &out);
		return rc ? rc : print_list(out, as_json, plan_line);
	}
	if (argc < 3)
		return plan_usage(stderr);
	if (!strcmp(sub, "del")) {
		if (strspn(argv[2], "0123456789") != strlen(argv[2]) ||
		    (argc > 3 && (argc != 5 || strcmp(argv[3], "--api"))))
			return plan_usage(stderr);
		api = argc == 5 ? argv[4] : api;
		snprintf(path, sizeof(path), "/api/v1/dial-plans/%s", argv[2]);
		rc = app_api_call(api, "DELETE", path, NULL, NULL);
		if (!rc)
			printf("dial plan %s deleted\n", argv[2]);
		return rc;
	}
	if (strcmp(sub, "add"))
		return plan_usage(stderr);
	body = json_pack("{s:s}", "pattern", argv[2]);
	rc = flags_apply(plan_flags, ARRAY_LEN(plan_flags), argc, argv, 3, body,
			 &api);
	if (!rc)
		rc = app_api_call(api, "POST", "/api/v1/dial-plans", body, &out);
	if (!rc) {
		printf("dial plan %lld added\n",
		       json_integer_value(json_object_get(out, "id")));
		json_decref(out);
	}
	json_decref(body);
	return rc;
}
