/* base/mod: running the module table's hooks in order (base/mod.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/cfg.h"
#include "base/mod.h"

int mod_settings_load(const struct mod_house *h, const struct mod_settings *s,
		      void **out, char *err, size_t n)
{
	void *v = calloc(1, s->size);

	if (!v) {
		snprintf(err, n, "out of memory");
		return ENOMEM;
	}
	if (cfg_read(h->cfg, s->rows, s->n, v, err, n)) {
		free(v);
		return EINVAL;
	}
	*out = v;
	return 0;
}

int mod_open_all(const struct mod_export *const *mods, size_t n,
		 struct mod_house *h, size_t *reached, char *err, size_t en)
{
	int e = 0;

	for (*reached = 0; *reached < n && !e; ++*reached) {
		const struct mod_export *m = mods[*reached];

		e = m->open ? m->open(h, err, en) : 0;
	}
	return e;
}

int mod_start_all(const struct mod_export *const *mods, size_t n,
		  struct mod_house *h, char *err, size_t en)
{
	for (size_t i = 0; i < n; i++) {
		int e = mods[i]->start ? mods[i]->start(h, err, en) : 0;

		if (e)
			return e;
	}
	return 0;
}

void mod_stop_all(const struct mod_export *const *mods, size_t n,
		  struct mod_house *h)
{
	while (n--) {
		if (mods[n]->stop)
			mods[n]->stop(h);
	}
}
