/* ivr/lookup: the "http" node, the self-service query. It asks the host
 * for a GET or POST to a configured URL (variables filled in, URL-encoded;
 * a POST's body a JSON object of text templates), then maps fields of the
 * JSON answer into variables and leaves by "ok" — or by "fail" when the
 * host reports any error (timeout, not JSON, an error status, no
 * connection) or the answer lacks a mapped field. The node keeps its own
 * timer too (the look-up's timeout plus a margin), so a host that never
 * answers cannot leave the caller in silence. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ivr/ivr_int.h"

enum { LOOKUP_MARGIN_MS = 2000 };

struct map {
	char var[IVR_NAME_MAX];
	char *path;                  /* dotted path in the answer */
};

struct lookup {
	bool post;
	char *url;
	json_t *body;                /* POST: {key: template} */
	int64_t timeout_ms;
	struct map *map;
	unsigned nmap;
};

static void lookup_free(void *p)
{
	struct lookup *l = p;

	free(l->url);
	json_decref(l->body);
	for (unsigned i = 0; i < l->nmap; i++)
		free(l->map[i].path);
	free(l->map);
	free(l);
}

static int lookup_parse(struct ivr_cc *cc, struct ivr_node *n, json_t *o)
{
	static const char *const keys[] = {"method", "url", "body",
		"timeout_ms", "map", "ok", "fail", NULL};
	struct lookup *l = calloc(1, sizeof(*l));
	const char *method, *url, *k;
	json_t *body = json_object_get(o, "body"), *map, *v;
	struct ivr_vset sets = {0};
	char path[IVR_PATH_MAX];

	if (!(n->p = l))
		return ENOMEM;
	ivr_cc_only(cc, o, keys);
	method = ivr_cc_str(cc, o, "method", false, 8);
	if (method && strcmp(method, "GET") && strcmp(method, "POST"))
		ivr_cc_problem(cc, "method", "GET or POST");
	l->post = method && !strcmp(method, "POST");
	url = ivr_cc_str(cc, o, "url", true, 900);
	/* The client (fetch.c) speaks plain HTTP: an https:// service would
	 * fail every call, so it is refused when the flow is saved. */
	if (url && strncmp(url, "http://", 7) && url[0] != '/')
		ivr_cc_problem(cc, "url", "an http:// URL, or /path for this "
			       "center's own API (https:// is not supported: "
			       "reach the service through a local proxy)");
	if (url) {
		ivr_cc_template(cc, "url", url);
		if (!(l->url = strdup(url)))
			return ENOMEM;
	}
	if (body && (!l->post || !json_is_object(body)))
		ivr_cc_problem(cc, "body", "a POST's {key: text} only");
	json_object_foreach(json_is_object(body) ? body : NULL, k, v) {
		snprintf(path, sizeof(path), "body.%s", k);
		if (!json_is_string(v))
			ivr_cc_problem(cc, path, "expected text");
		else
			ivr_cc_template(cc, path, json_string_value(v));
	}
	l->body = json_incref(json_is_object(body) ? body : NULL);
	(void)ivr_cc_int(cc, o, "timeout_ms", false, 100, 30000, 3000,
			 &l->timeout_ms);
	map = json_object_get(o, "map");
	if (map && !json_is_object(map))
		ivr_cc_problem(cc, "map", "expected {variable: field.path}");
	json_object_foreach(json_is_object(map) ? map : NULL, k, v) {
		struct map *m;
		int i;

		snprintf(path, sizeof(path), "map.%s", k);
		if (!json_is_string(v) || !json_string_length(v)) {
			ivr_cc_problem(cc, path, "expected a field of the "
				       "answer (a.b.c)");
			continue;
		}
		if (strlen(k) >= IVR_NAME_MAX || ivr_builtin(k) ||
		    (i = ivr_cc_var(cc, path, k)) < 0) {
			ivr_cc_problem(cc, path, "\"%s\" cannot be a variable",
				       k);
			continue;
		}
		sets.bits |= 1ull << i;
		if (!(m = realloc(l->map, (l->nmap + 1) * sizeof(*m))))
			return ENOMEM;
		l->map = m;
		m = &l->map[l->nmap++];
		snprintf(m->var, sizeof(m->var), "%s", k);
		if (!(m->path = strdup(json_string_value(v))))
			return ENOMEM;
	}
	ivr_cc_next(cc, o, "ok", "ok", true);
	if (n->nexits && !strcmp(n->exits[n->nexits - 1].name, "ok"))
		n->exits[n->nexits - 1].sets = sets;
	ivr_cc_next(cc, o, "fail", "fail", true);
	return 0;
}

static enum ivr_step lookup_enter(struct ivr_run *r, struct ivr_out *out)
{
	const struct lookup *l = ivr_node_now(r)->p;
	const char *k;
	json_t *v;
	size_t used = 0;

	if (ivr_expand(r, l->url, r->url, sizeof(r->url), IVR_ESC_URL))
		return IVR_FAIL;
	r->body[0] = '\0';
	if (l->post) {
		used = (size_t)snprintf(r->body, sizeof(r->body), "{");
		json_object_foreach(l->body, k, v) {
			char val[IVR_VALUE_MAX * 2];
			int n;

			if (ivr_expand(r, json_string_value(v), val, sizeof(val),
				       IVR_ESC_JSON))
				return IVR_FAIL;
			n = snprintf(r->body + used, sizeof(r->body) - used,
				     "%s\"%s\":\"%s\"", used > 1 ? "," : "", k,
				     val);
			if (n < 0 || (size_t)n >= sizeof(r->body) - used)
				return ivr_fail(r, "the body is too long");
			used += (size_t)n;
		}
		if (used + 2 > sizeof(r->body))
			return ivr_fail(r, "the body is too long");
		strcat(r->body, "}");
	}
	out->lookup = true;
	out->method = l->post ? "POST" : "GET";
	out->url = r->url;
	out->body = l->post ? r->body : NULL;
	out->lookup_ms = (uint32_t)l->timeout_ms;
	r->deadline = r->now + l->timeout_ms + LOOKUP_MARGIN_MS;
	return IVR_STAY;
}

/* The value at dotted path in answer, as text, into buf; false when
 * missing or not a scalar. */
static bool field(const json_t *answer, const char *path, char *buf,
		  size_t n)
{
	const json_t *v = answer;
	char part[IVR_NAME_MAX * 2];

	while (*path && v) {
		size_t len = strcspn(path, ".");

		if (len >= sizeof(part))
			return false;
		memcpy(part, path, len);
		part[len] = '\0';
		v = json_is_array(v) ? json_array_get(v, strtoul(part, NULL,
								  10)) :
			json_object_get(v, part);
		path += len + (path[len] == '.');
	}
	if (json_is_string(v))
		snprintf(buf, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%.2f", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
	else
		return false;
	return true;
}

static enum ivr_step lookup_event(struct ivr_run *r, const struct ivr_in *in,
				  struct ivr_out *out)
{
	const struct lookup *l = ivr_node_now(r)->p;
	char buf[IVR_VALUE_MAX];

	/* A caller who knows the menu after the answer types ahead. */
	if (in->kind == IVR_IN_KEY)
		return ivr_key_ahead(r, in->key, out);
	if (in->kind == IVR_IN_TIMER)
		return ivr_go(r, "fail");
	if (in->kind != IVR_IN_LOOKUP)
		return IVR_STAY;
	if (in->lookup_err || !json_is_object(in->answer))
		return ivr_go(r, "fail");
	for (unsigned i = 0; i < l->nmap; i++) {
		if (!field(in->answer, l->map[i].path, buf, sizeof(buf)))
			return ivr_go(r, "fail");
		if (ivr_set(r, l->map[i].var, buf))
			return ivr_fail(r, "out of memory");
	}
	return ivr_go(r, "ok");
}

const struct ivr_kind ivr_kind_http = {
	.name = "http", .doc = "the self-service query: GET or POST a URL "
	"with variables, map the JSON answer into variables; ok or fail",
	.parse = lookup_parse, .free = lookup_free,
	.enter = lookup_enter, .event = lookup_event,
};
