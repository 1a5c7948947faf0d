/* db/migrate: schema changes shipped inside the binary.
 *
 * A migration is a file src/<module>/migrations/NNN_name.sql, kept by the
 * module that owns its tables (base/mod.h) and embedded by
 * scripts/embed.sh; the numbers are one sequence across modules. Facts:
 *  (1) Migrations are applied in number order, whatever order the table
 *      lists them in; each one at most once per database.
 *  (2) Each runs in its own transaction together with its row in
 *      schema_migrations, so a migration is either wholly applied and
 *      recorded or not at all.
 *  (3) Whether it is applied is decided inside that transaction, so two
 *      processes starting on one database cannot both apply it.
 * A migration file therefore holds no BEGIN/COMMIT of its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/util.h"
#include "db/db_int.h"

#define MIGRATION_DIR "/migrations/"

enum { ERR_LEN = 512, NAME_LEN = 128 };

struct migration {
	uint64_t version;
	char name[NAME_LEN];             /* "001_core", as recorded */
	const struct embed_file *file;
};

static const char create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at INTEGER NOT NULL)";

/* Runs a statement built from a type string (no db_write queue here: the
 * writer thread does not exist yet). */
static int run(const struct db_engine *eng, struct db_conn *c,
	       db_row_h *rowh, void *arg, char *err, const char *sql,
	       const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = db_stmt_make(&st, sql, types, ap);
	va_end(ap);
	if (rc) {
		snprintf(err, ERR_LEN, "bad statement");
		return rc;
	}
	rc = eng->run(c, st, rowh, arg, err, ERR_LEN);
	free(st);
	return rc;
}

/* "src/api/migrations/001_core.sql" → 1, "001_core"; EINVAL when the name
 * under the migrations folder is not NNN_name.sql. */
static int parse_name(const char *path, struct migration *m)
{
	const char *base = strrchr(path, '/') + 1;
	const char *us = strchr(base, '_');
	size_t len = strlen(base);
	char num[24];

	if (!us || us == base || (size_t)(us - base) >= sizeof(num) ||
	    len < 5 || strcmp(base + len - 4, ".sql") || us[1] == '.' ||
	    len - 4 >= NAME_LEN)
		return EINVAL;
	memcpy(num, base, (size_t)(us - base));
	num[us - base] = '\0';
	if (util_parse_u64(num, 1, 999999, &m->version))
		return EINVAL;
	memcpy(m->name, base, len - 4);
	m->name[len - 4] = '\0';
	return 0;
}

static int by_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* Collects and sorts the migrations among files; checks names and numbers. */
static int collect(const struct embed_file *files, struct migration **out,
		   size_t *np)
{
	struct migration *m;
	size_t n = 0, cap = 0;

	for (const struct embed_file *f = files; f->name; f++)
		cap++;
	m = calloc(cap ? cap : 1, sizeof(*m));
	if (!m)
		return ENOMEM;
	for (const struct embed_file *f = files; f->name; f++) {
		/* src/<module>/migrations/…: one folder down from src/ */
		const char *dir = strstr(f->name, MIGRATION_DIR);

		if (strncmp(f->name, "src/", 4) || !dir ||
		    memchr(f->name + 4, '/', (size_t)(dir - f->name - 4)) ||
		    strchr(dir + strlen(MIGRATION_DIR), '/'))
			continue;
		if (parse_name(f->name, &m[n])) {
			log_error("db.migration_bad_name", "file=%s want=NNN_name.sql",
				  f->name);
			free(m);
			return EINVAL;
		}
		m[n++].file = f;
	}
	qsort(m, n, sizeof(*m), by_version);
	for (size_t i = 1; i < n; i++) {
		if (m[i].version == m[i - 1].version) {
			log_error("db.migration_duplicate", "first=%s second=%s",
				  m[i - 1].file->name, m[i].file->name);
			free(m);
			return EINVAL;
		}
	}
	*out = m;
	*np = n;
	return 0;
}

static int count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

/* Applies m unless recorded; *applied says whether it was. */
static int apply_one(const struct db_engine *eng, struct db_conn *c,
		     const struct migration *m, bool *applied, char *err)
{
	int64_t seen = 0;
	int rc;

	*applied = false;
	rc = db_conn_sql(eng, c, eng->begin_sql, err, ERR_LEN);
	if (rc)
		return rc;
	rc = run(eng, c, count_row, &seen, err,
		 "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", "i",
		 (int64_t)m->version);
	if (!rc && !seen) {
		rc = eng->script(c, m->file->data, err, ERR_LEN);
		if (!rc)
			rc = run(eng, c, NULL, NULL, err,
				 "INSERT INTO schema_migrations (version, name, applied_at)"
				 " VALUES (?, ?, ?)", "iti",
				 (int64_t)m->version, m->name, util_now_ms());
		*applied = !rc;
	}
	if (!rc)
		rc = db_conn_sql(eng, c, "COMMIT", err, ERR_LEN);
	if (rc) {
		char ignored[ERR_LEN];
		db_conn_sql(eng, c, "ROLLBACK", ignored, ERR_LEN);
		*applied = false;
	}
	return rc;
}

int db_migrate(const struct db_engine *eng, struct db_conn *c,
	       const struct embed_file *files)
{
	char err[ERR_LEN];
	struct migration *m;
	size_t n;
	int rc;

	rc = collect(files, &m, &n);
	if (rc)
		return rc;
	rc = db_conn_sql(eng, c, create_table, err, ERR_LEN);
	if (rc) {
		log_error("db.migrate_failed", "error=\"%s\"", err);
		free(m);
		return EIO;
	}
	for (size_t i = 0; i < n; i++) {
		bool applied;
		rc = apply_one(eng, c, &m[i], &applied, err);
		if (rc) {
			log_error("db.migration_failed", "migration=%s error=\"%s\"",
				  m[i].file->name, err);
			rc = EIO;
			break;
		}
		if (applied)
			log_info("db.migration_applied", "migration=%s", m[i].name);
	}
	free(m);
	return rc;
}
