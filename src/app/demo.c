/* app/demo: the demo tenant's web users (CONTRACT.md). Created on the first
 * start only: a user that exists is left as it is, so later starts neither
 * rehash passwords nor undo changes made since. */
#include <stdio.h>
#include "api/api.h"
#include "app/app_int.h"
#include "base/log.h"

static const struct {
	const char *username, *password, *role;
} staff[] = {
	{"admin", "admin123", "admin"},
	{"sup",   "sup123",   "supervisor"},
};

enum { AGENT_FIRST = 1001, AGENT_LAST = 1010 };

static int ensure(struct db *db, const char *user, const char *pw,
		  const char *role, const char *ext, unsigned *made)
{
	int exists = 0;
	int err = api_user_exists(db, user, &exists);

	if (err || exists)
		return err;
	err = api_user_put(db, user, pw, role, ext);
	if (!err)
		(*made)++;
	return err;
}

int app_demo_users(struct db *db)
{
	char ext[12], pw[20];
	unsigned made = 0;
	int err = 0;

	for (size_t i = 0; !err && i < ARRAY_LEN(staff); i++)
		err = ensure(db, staff[i].username, staff[i].password,
			     staff[i].role, NULL, &made);
	for (int e = AGENT_FIRST; !err && e <= AGENT_LAST; e++) {
		snprintf(ext, sizeof(ext), "%d", e);
		snprintf(pw, sizeof(pw), "secret%d", e);
		err = ensure(db, ext, pw, "agent", ext, &made);
	}
	if (err)
		log_error("demo.users_failed", "err=%d", err);
	else
		log_info("demo.users", "created=%u", made);
	return err;
}
