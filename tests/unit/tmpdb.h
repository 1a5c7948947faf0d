/* For the unit tests that need a real, migrated SQLite file and nothing
 * more: a fresh directory under /tmp, the database in it, and both gone
 * afterwards. (tests/unit/db/ has its own, richer fixture: write locks and
 * captured logs.) */
#ifndef HL_TEST_TMPDB_H
#define HL_TEST_TMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db/db.h"

struct tmpdb {
	char dir[64];
	struct db *db;
};

/* Opens a migrated database in a new directory named after tag; 0 or -1. */
static inline int tmpdb_open(struct tmpdb *t, const char *tag)
{
	char url[128];

	snprintf(t->dir, sizeof(t->dir), "/tmp/hotline-%s.XXXXXX", tag);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", t->dir);
	return db_open(&t->db, url) ? -1 : 0;
}

/* Closes the database and removes its directory; 0 or -1. */
static inline int tmpdb_close(struct tmpdb *t)
{
	char cmd[128];

	db_close(t->db);
	t->db = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	return system(cmd) ? -1 : 0;
}

#endif
