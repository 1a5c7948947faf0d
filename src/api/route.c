/* api/route: matching a request line against the routes table, and the
 * query string. Pure string work, no libre, so the router's behaviour is
 * pinned by unit tests alone. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "api/api.h"
#include "api/api_int.h"
#include "base/mod.h"
#include "base/util.h"

static const struct {
	const char *name;
	unsigned    bit;
} roles[] = {
	{"admin",      API_R_ADMIN},
	{"supervisor", API_R_SUPERVISOR},
	{"agent",      API_R_AGENT},
	{"qa",         API_R_QA},
	{"backoffice", API_R_BACKOFFICE},
	{"executive",  API_R_EXECUTIVE},
};

const char *api_role_words(void)
{
	/* Every row above (tests/unit/api/test_user.c checks it). */
	return "admin, supervisor, agent, qa, backoffice or executive";
}

const char *api_role_name(unsigned bit)
{
	for (size_t i = 0; i < ARRAY_LEN(roles); i++) {
		if (roles[i].bit == bit)
			return roles[i].name;
	}
	return NULL;
}

int api_role_parse(const char *name, unsigned *bit)
{
	for (size_t i = 0; name && i < ARRAY_LEN(roles); i++) {
		if (!strcmp(roles[i].name, name)) {
			*bit = roles[i].bit;
			return 0;
		}
	}
	return EINVAL;
}

/* Length of the segment starting at s (up to '/' or the end). */
static size_t seglen(const char *s)
{
	return strcspn(s, "/");
}

/* Matches path against pattern segment by segment; fills pp on success. A
 * parameter matches one non-empty segment of at most API_PARAM_LEN - 1
 * bytes; longer ids cannot exist, so they do not match at all. */
static bool match(const char *pat, const char *path, struct api_params *pp)
{
	pp->n = 0;
	while (*pat && *path) {
		size_t pl = seglen(pat), sl = seglen(path);

		if (pat[0] == '{' && pl > 2 && pat[pl - 1] == '}') {
			if (sl == 0 || sl >= API_PARAM_LEN ||
			    pp->n == API_PARAMS_MAX || pl - 2 >= sizeof(pp->v[0].name))
				return false;
			memcpy(pp->v[pp->n].name, pat + 1, pl - 2);
			pp->v[pp->n].name[pl - 2] = '\0';
			memcpy(pp->v[pp->n].value, path, sl);
			pp->v[pp->n].value[sl] = '\0';
			pp->n++;
		}
		else if (pl != sl || memcmp(pat, path, pl)) {
			return false;
		}
		pat += pl;
		path += sl;
		if (*pat != *path)      /* one ends here, the other goes on */
			return false;
		if (*pat) {
			pat++;
			path++;
		}
	}
	return !*pat && !*path;
}

int api_route_match(const struct api_route *tab, size_t n, const char *method,
		    const char *path, const struct api_route **rp,
		    struct api_params *pp, char allow[API_ALLOW_LEN])
{
	struct api_params tmp;
	bool path_known = false;

	allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!match(tab[i].pattern, path, &tmp))
			continue;
		if (!strcmp(tab[i].method, method)) {
			*rp = &tab[i];
			*pp = tmp;
			return 0;
		}
		if (!strstr(allow, tab[i].method)) {
			size_t l = strlen(allow);
			snprintf(allow + l, API_ALLOW_LEN - l, "%s%s",
				 l ? ", " : "", tab[i].method);
		}
		path_known = true;
	}
	return path_known ? EPERM : ENOENT;
}

const char *api_param(const struct api_params *pp, const char *name)
{
	for (size_t i = 0; i < pp->n; i++) {
		if (!strcmp(pp->v[i].name, name))
			return pp->v[i].value;
	}
	return NULL;
}

/* Percent-decodes src[0..len) into out (size n). */
static int decode(const char *src, size_t len, char *out, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = src[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len)
				return EINVAL;
			hi = util_hexval(src[i + 1]);
			lo = util_hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return EINVAL;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (o + 1 >= n)
			return ENOSPC;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int api_query_get(const char *query, const char *key, char *out, size_t n)
{
	const char *p = query;
	size_t klen = strlen(key);

	if (!p)
		return ENOENT;
	if (*p == '?')
		p++;
	while (*p) {
		size_t len = strcspn(p, "&");
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;

		if (nlen == klen && !memcmp(p, key, klen)) {
			if (!eq)
				return decode("", 0, out, n);
			return decode(eq + 1, len - nlen - 1, out, n);
		}
		p += len;
		if (*p)
			p++;
	}
	return ENOENT;
}

int api_routes_join(const struct mod_export *const *mods, size_t n,
		    struct api_route **tabp, size_t *np, char *why, size_t wn)
{
	struct api_route *tab;
	size_t total = 0, k = 0;

	for (size_t i = 0; i < n; i++)
		total += mods[i]->routes ? mods[i]->routes->n : 0;
	tab = calloc(total ? total : 1, sizeof(*tab));
	if (!tab)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct mod_routes *r = mods[i]->routes;

		for (size_t j = 0; r && j < r->n; j++) {
			for (size_t o = 0; o < k; o++) {
				if (strcmp(tab[o].method, r->rows[j].method) ||
				    strcmp(tab[o].pattern, r->rows[j].pattern))
					continue;
				snprintf(why, wn, "%s %s: served twice (module %s)",
					 r->rows[j].method, r->rows[j].pattern,
					 mods[i]->name);
				free(tab);
				return EEXIST;
			}
			tab[k++] = r->rows[j];
		}
	}
	*tabp = tab;
	*np = k;
	return 0;
}
