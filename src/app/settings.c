/* app/settings: every value of "hotline serve"'s settings checked once,
 * before anything is created, so a bad value is one line on standard
 * error and exit 2 with nothing touched. The house-wide values are parsed
 * into struct app_settings; each module's are held to its rows here and
 * read again by the module (base/mod.h). What no single row can say about
 * the house-wide values is said here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app_int.h"
#include "base/log.h"

struct check {
	const struct cfg *c;
	char *err;
	size_t n;
};

/* A module's values, parsed into a scratch struct of their own: the
 * module reads them again, once, in its open or start hook. */
static int check_module(const struct mod_settings *s, void *arg)
{
	struct check *k = arg;
	void *scratch;
	int e;

	if (s == &app_house_settings)
		return 0;
	scratch = calloc(1, s->size ? s->size : 1);
	if (!scratch) {
		snprintf(k->err, k->n, "out of memory");
		return ENOMEM;
	}
	e = cfg_read(k->c, s->rows, s->n, scratch, k->err, k->n);
	free(scratch);
	return e ? EINVAL : 0;
}

int app_settings_check(struct app_settings *s, const struct cfg *c,
		       char *err, size_t n)
{
	struct check k = {c, err, n};
	enum log_level lvl;

	*s = (struct app_settings){0};
	if (cfg_read(c, app_house_settings.rows, app_house_settings.n, s, err,
		     n) ||
	    app_cfg_each(check_module, &k))
		return EINVAL;
	if (log_level_parse(s->log_level, &lvl)) {
		snprintf(err, n, "bad --log-level '%s'", s->log_level);
		return EINVAL;
	}
	log_set_level(lvl);
	if (!*s->db_url)
		snprintf(s->db_url, sizeof(s->db_url), "sqlite:%s/hotline.db",
			 s->data_dir);
	if (strncmp(s->db_url, "sqlite:", 7)) {
		snprintf(err, n, "unsupported --db '%s' (want sqlite:PATH)",
			 s->db_url);
		return EINVAL;
	}
	return 0;
}
