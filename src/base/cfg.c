/* cfg: a value slot per row of the caller's table; nothing is looked up by
 * anything but the table, so a misspelt key is always an error. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/cfg.h"

struct cfg {
	const struct field *defs;
	size_t n;
	char **vals;
};

static int find_key(const struct cfg *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->defs[i].name, key))
			return (int)i;
	}
	return -1;
}

static int set_at(struct cfg *c, size_t i, const char *val)
{
	char *v = NULL;
	if (val && !(v = strdup(val)))
		return ENOMEM;
	free(c->vals[i]);
	c->vals[i] = v;
	return 0;
}

int cfg_alloc(struct cfg **cp, const struct field *defs)
{
	struct cfg *c;
	size_t n = 0;

	while (defs[n].name)
		n++;
	c = calloc(1, sizeof(*c));
	if (!c)
		return ENOMEM;
	c->defs = defs;
	c->n = n;
	c->vals = calloc(n ? n : 1, sizeof(char *));
	if (!c->vals) {
		free(c);
		return ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (set_at(c, i, defs[i].def)) {
			cfg_free(c);
			return ENOMEM;
		}
	}
	*cp = c;
	return 0;
}

void cfg_free(struct cfg *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->vals[i]);
	free(c->vals);
	free(c);
}

int cfg_set(struct cfg *c, const char *key, const char *val)
{
	int i = find_key(c, key);
	return i < 0 ? ENOENT : set_at(c, (size_t)i, val);
}

const char *cfg_get(const struct cfg *c, const char *key)
{
	int i = find_key(c, key);
	return i < 0 ? NULL : c->vals[i];
}

bool cfg_get_bool(const struct cfg *c, const char *key)
{
	const char *v = cfg_get(c, key);
	return v && (!strcmp(v, "1") || !strcasecmp(v, "true") ||
		     !strcasecmp(v, "yes") || !strcasecmp(v, "on"));
}

static char *trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int cfg_load_file(struct cfg *c, const char *path, char *err, size_t n)
{
	char line[1024], section[128] = "", key[256];
	unsigned lineno = 0;
	int rc = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		rc = errno;
		snprintf(err, n, "cannot read config %s: %s", path, strerror(rc));
		return rc;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq;
		lineno++;
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (!close || close[1] || close - s - 1 >= (long)sizeof(section)) {
				snprintf(err, n, "%s:%u: bad section header", path, lineno);
				rc = EINVAL;
				break;
			}
			*close = '\0';
			snprintf(section, sizeof(section), "%s", trim(s + 1));
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, n, "%s:%u: expected key = value", path, lineno);
			rc = EINVAL;
			break;
		}
		*eq = '\0';
		snprintf(key, sizeof(key), "%s%s%s", section, *section ? "." : "",
			 trim(s));
		rc = cfg_set(c, key, trim(eq + 1));
		if (rc) {
			snprintf(err, n, "%s:%u: unknown key '%s'", path, lineno, key);
			rc = EINVAL;
			break;
		}
	}
	fclose(f);
	return rc;
}

static const struct field *find_flag(const struct cfg *c, const char *arg,
					size_t len)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *fl = c->defs[i].flag;
		if (fl && strlen(fl) == len && !strncmp(fl, arg, len))
			return &c->defs[i];
	}
	return NULL;
}

int cfg_parse_args(struct cfg *c, int argc, char **argv, char *err, size_t n)
{
	/* Pass 0 loads --config so that pass 1's flags override the file. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < argc; i++) {
			const char *a = argv[i], *eq = strchr(a, '='), *val;
			size_t len = eq ? (size_t)(eq - a) : strlen(a);
			const struct field *d;
			bool is_config;

			if (strncmp(a, "--", 2)) {
				snprintf(err, n, "unexpected argument '%s'", a);
				return EINVAL;
			}
			is_config = len == 8 && !strncmp(a, "--config", 8);
			d = is_config ? NULL : find_flag(c, a, len);
			if (!is_config && !d) {
				snprintf(err, n, "unknown flag '%.*s'", (int)len, a);
				return EINVAL;
			}
			if (d && d->switch_flag) {
				val = eq ? eq + 1 : "true";
			}
			else if (eq) {
				val = eq + 1;
			}
			else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) {
				/* "--data --demo" is a forgotten value, not a
				 * directory named --demo; "--data=--x" still
				 * works for the odd value that needs it. */
				val = argv[++i];
			}
			else {
				snprintf(err, n, "flag '%s' needs a value", a);
				return EINVAL;
			}
			if (pass == 0 && is_config) {
				int rc = cfg_load_file(c, val, err, n);
				if (rc)
					return rc;
			}
			else if (pass == 1 && d) {
				if (cfg_set(c, d->name, val))
					return ENOMEM;
			}
		}
	}
	return 0;
}

int cfg_check(const struct cfg *c, void *base, char *err, size_t n)
{
	for (size_t i = 0; i < c->n; i++) {
		int rc = field_parse_text(&c->defs[i], c->vals[i], base, err, n);
		if (rc)
			return rc;
	}
	return 0;
}

int cfg_read(const struct cfg *c, const struct field *rows, size_t n,
	     void *base, char *err, size_t en)
{
	for (size_t i = 0; i < n; i++) {
		int at = find_key(c, rows[i].name), rc;

		if (at < 0) {
			snprintf(err, en, "unknown key '%s'", rows[i].name);
			return ENOENT;
		}
		rc = field_parse_text(&rows[i], c->vals[at], base, err, en);
		if (rc)
			return rc;
	}
	return 0;
}

void cfg_print_help(const struct field *defs)
{
	char line[1024];

	printf("  %-22s %s\n", "--config FILE", "INI file; flags override it");
	for (const struct field *d = defs; d->name; d++) {
		if (!d->flag)
			continue;
		field_help_line(d, line, sizeof(line));
		fputs(line, stdout);
	}
	printf("\nsettings for the config file only ([section] key = value):\n");
	for (const struct field *d = defs; d->name; d++) {
		if (d->flag)
			continue;
		field_help_line(d, line, sizeof(line));
		fputs(line, stdout);
	}
}
