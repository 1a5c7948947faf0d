/* spc/scope: which queues and agents a user's data scope covers, for the
 * KPI reports read by queue (the control chart of a KPI, the targets in
 * force). A queue's figures are its agents' work, so a queue is in a
 * user's scope when one of its members is: every queue for "all", the
 * queues an agent of their department (or one below it) serves for
 * "departments", the queues they serve themselves for "own". The
 * center's whole figures mix every queue: only "all" sees them. On a
 * worker: these are database reads. */
#include <errno.h>
#include <stdio.h>
#include "db/db.h"
#include "spc/spc_int.h"

static int found_h(const struct db_row *row, void *arg)
{
	(void)row;
	*(bool *)arg = true;
	return 0;
}

bool spc_scope_all(const struct api_user *u)
{
	return api_scope_of(u) == API_SCOPE_ALL;
}

int spc_scope_check(struct db *db, const struct api_user *u,
		    const char *queue, const char *agent, char *why, size_t n)
{
	const char *sc[API_SCOPE_NARGS];
	bool seen = false;
	int err;

	if (spc_scope_all(u))
		return 0;
	api_scope_args(u, sc);
	if (queue && *queue)
		err = db_query(db, found_h, &seen, "SELECT 1 FROM queue_members "
			       "m WHERE m.queue = ? AND "
			       API_SCOPE_SQL("m.ext", "m.ext") " LIMIT 1",
			       "t" API_SCOPE_TYPES, queue, sc[0], sc[1], sc[2],
			       sc[3], sc[4]);
	else if (agent && *agent)
		err = db_query(db, found_h, &seen, "SELECT 1 WHERE "
			       API_SCOPE_SQL("?", "?"), "tttttttt", sc[0], agent, sc[1], agent, sc[2], sc[3],
			       agent, sc[4]);
	else
		err = 0;
	if (err)
		return err;
	if (seen)
		return 0;
	if ((queue && *queue) || (agent && *agent))
		snprintf(why, n, "outside your data scope: %s %s",
			 queue && *queue ? "queue" : "agent",
			 queue && *queue ? queue : agent);
	else
		snprintf(why, n, "your data scope covers some queues only: ask "
			 "for one of them (?queue=) or an agent (?agent=)");
	return EACCES;
}
