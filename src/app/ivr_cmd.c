/* app/ivr_cmd: "hotline ivr", flows as files.
 *
 *   hotline ivr check FILE                 compile; every problem, exit 1
 *   hotline ivr import FILE [--data DIR | --db URL]
 *                                          store as the flow's next version
 *   hotline ivr export NAME [--data DIR | --db URL]
 *                                          print the current version
 *
 * check needs no database: names outside the flow (queues, extensions,
 * sub-flows) are taken as written; import checks the sub-flows it can see.
 * A running server reads flows at start: change a live center through the
 * API (PUT /api/v1/ivr-flows/NAME), which also checks queue names. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "app/app.h"
#include "base/tz.h"
#include "db/db.h"
#include "ivr/ivr.h"

static int usage(void)
{
	fprintf(stderr, "usage: hotline ivr check FILE\n"
		"       hotline ivr import FILE [--data DIR | --db URL]\n"
		"       hotline ivr export NAME [--data DIR | --db URL]\n");
	return 2;
}

/* Zones are read from the system's database (one at a time: a command
 * compiles one flow). */
static int tz_offset(void *arg, const char *name, int64_t utc_ms,
		     int32_t *off)
{
	struct tz *z;

	(void)arg;
	if (tz_load(&z, name))
		return ENOENT;
	*off = tz_offset_s(z, utc_ms / 1000);
	tz_free(z);
	return 0;
}

static void print_problems(const char *file, const struct ivr_problems *pr)
{
	for (size_t i = 0; i < pr->n; i++)
		fprintf(stderr, "%s: %s: %s\n", file, pr->v[i].path,
			pr->v[i].msg);
	if (pr->dropped)
		fprintf(stderr, "%s: … and %zu more\n", file, pr->dropped);
}

static json_t *load(const char *file)
{
	json_error_t je;
	json_t *doc = json_load_file(file, 0, &je);

	if (!doc)
		fprintf(stderr, "%s:%d: not JSON: %s\n", file, je.line, je.text);
	return doc;
}

static int check(const char *file)
{
	struct ivr_env env = {.tz_offset = tz_offset};
	struct ivr_problems pr = {0};
	struct ivr_flow *f = NULL;
	json_t *doc = load(file);
	int err;

	if (!doc)
		return 1;
	err = ivr_flow_compile(&f, doc, 0, &env, &pr);
	json_decref(doc);
	if (err) {
		print_problems(file, &pr);
		ivr_problems_reset(&pr);
		return 1;
	}
	printf("%s: flow %s is fine\n", file, ivr_flow_name(f));
	ivr_flow_unref(f);
	return 0;
}

/* --data DIR or --db URL (default: ./hotline-data) into url. */
static int db_flag(int argc, char **argv, int i, char *url, size_t n)
{
	snprintf(url, n, "sqlite:./hotline-data/hotline.db");
	for (; i < argc; i += 2) {
		if (i + 1 >= argc)
			return EINVAL;
		if (!strcmp(argv[i], "--data"))
			snprintf(url, n, "sqlite:%s/hotline.db", argv[i + 1]);
		else if (!strcmp(argv[i], "--db"))
			snprintf(url, n, "%s", argv[i + 1]);
		else
			return EINVAL;
	}
	return 0;
}

static int import(const char *file, struct db *db)
{
	struct ivr_env env = {.tz_offset = tz_offset};
	struct ivr_problems pr = {0};
	struct ivr_store *s = NULL;
	json_t *doc = load(file);
	uint32_t version;
	int err;

	if (!doc)
		return 1;
	err = ivr_store_alloc(&s, db, &env);
	if (!err)
		err = ivr_store_put(s, doc, "cli", &pr, &version);
	json_decref(doc);
	if (err == EINVAL)
		print_problems(file, &pr);
	else if (err)
		fprintf(stderr, "%s: cannot store: %s\n", file, strerror(err));
	else
		printf("%s: stored as version %u\n", file, version);
	ivr_problems_reset(&pr);
	ivr_store_free(s);
	return err ? 1 : 0;
}

static int export(const char *name, struct db *db)
{
	struct ivr_env env = {.tz_offset = tz_offset};
	struct ivr_store *s = NULL;
	struct ivr_flow *f;
	int err = ivr_store_alloc(&s, db, &env);

	if (err) {
		fprintf(stderr, "cannot read flows: %s\n", strerror(err));
		return 1;
	}
	f = ivr_store_get(s, name);
	if (!f) {
		fprintf(stderr, "no flow %s\n", name);
		ivr_store_free(s);
		return 1;
	}
	json_dumpf(ivr_flow_doc(f), stdout, JSON_INDENT(2));
	printf("\n");
	ivr_store_free(s);
	return 0;
}

int app_ivr(int argc, char **argv)
{
	char url[600];
	struct db *db = NULL;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage();
		return 0;
	}
	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "check"))
		return argc == 3 ? check(argv[2]) : usage();
	if ((strcmp(argv[1], "import") && strcmp(argv[1], "export")) ||
	    db_flag(argc, argv, 3, url, sizeof(url)))
		return usage();
	if (db_open(&db, url)) {
		fprintf(stderr, "cannot open the database %s\n", url);
		return 2;
	}
	rc = !strcmp(argv[1], "import") ? import(argv[2], db) :
		export(argv[2], db);
	db_close(db);
	return rc;
}
