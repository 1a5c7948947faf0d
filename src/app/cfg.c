/* app/cfg: the settings table of "hotline serve": the house-wide rows
 * here (storage, log, the demo tenant), then every module's own rows
 * (mod_export.settings, in its folder's settings.c) in module-table order.
 * The INI file uses the same keys ([sip] listen = …); the flags are
 * docs/contract.md's. The rows drive everything about a setting:
 * app_settings_check holds each value to its row before anything is
 * created, `serve --help` prints the rows, and docs/operations.md's
 * settings table is the rows' field_doc_row (tests/unit/app/test_cfg.c
 * compares them). */
#include <errno.h>
#include <stdlib.h>
#include "app/app.h"
#include "app/app_int.h"

#define SET(m) FIELD_AT(struct app_settings, m)

static const char *const log_levels[] = {"debug", "info", "warn", "error",
					 NULL};

static const struct field house_rows[] = {
	{.name = "db.url", .flag = "--db", .kind = FIELD_STR, SET(db_url),
	 .help = "database URL (default sqlite:DATA/hotline.db)",
	 .doc = "the database", .def_doc = "`sqlite:DATA/hotline.db`"},
	{.name = "data.dir", .flag = "--data", .kind = FIELD_STR, SET(data_dir),
	 .def = "./hotline-data",
	 .help = "directory for the database, recordings and caches",
	 .doc = "database, recordings, caches"},
	{.name = "log.level", .flag = "--log-level", .kind = FIELD_ENUM,
	 .words = log_levels, SET(log_level), .def = "info",
	 .help = "debug, info, warn or error",
	 .doc = "`debug`, `info`, `warn`, `error`"},
	{.name = "demo.enabled", .flag = "--demo", .kind = FIELD_BOOL,
	 .switch_flag = true, SET(demo), .def = "false",
	 .help = "provision the demo tenant (idempotent)",
	 .doc = "provision the demo tenant; loopback sources are trunks",
	 .def_doc = "off"},
};

const struct mod_settings app_house_settings = {
	house_rows, ARRAY_LEN(house_rows), sizeof(struct app_settings),
};

/* The house's rows, then each module's, as app_cfg_table lists them. */
static const struct mod_settings *part(size_t i)
{
	return i == 0 ? &app_house_settings : app_modules[i - 1]->settings;
}

int app_cfg_table(struct field **rowsp, size_t *np)
{
	struct field *rows;
	size_t n = 0, at = 0;

	for (size_t i = 0; i <= app_nmodules; i++)
		n += part(i) ? part(i)->n : 0;
	rows = calloc(n + 1, sizeof(*rows));   /* + the row without a name */
	if (!rows)
		return ENOMEM;
	for (size_t i = 0; i <= app_nmodules; i++) {
		const struct mod_settings *s = part(i);

		for (size_t j = 0; s && j < s->n; j++)
			rows[at++] = s->rows[j];
	}
	*rowsp = rows;
	if (np)
		*np = n;
	return 0;
}

int app_cfg_each(int (*fn)(const struct mod_settings *s, void *arg),
		 void *arg)
{
	for (size_t i = 0; i <= app_nmodules; i++) {
		int e = part(i) ? fn(part(i), arg) : 0;

		if (e)
			return e;
	}
	return 0;
}
