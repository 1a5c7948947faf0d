/* queue/scope: which queues' and agents' KPI figures a user's data scope
 * covers (GET /api/v1/reports/kpi here, the control charts and targets of
 * spc/). A queue's figures are the work of its members, so:
 *
 *   all          every queue, every agent, the center's whole figures
 *   departments  the agents of their department and every one below it
 *                (and their own extension), and the queues one of those
 *                agents serves
 *   own          their own agent figures only: a queue's figures are
 *                mostly other agents' work
 *
 * Only "all" sees the center's whole figures (neither queue nor agent):
 * they mix every queue. On a worker: these are database reads. The CTI
 * WebSocket shows a departments user the same queues (api/scope_ws.c,
 * from the members the live view lists: api/ is below this module), and
 * so do GET /api/v1/queues and /api/v1/agents, asking that rule
 * (api/scope_list.c, from http.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/http.h"
#include "db/db.h"
#include "queue/queue.h"

static int found_h(const struct db_row *row, void *arg)
{
	(void)row;
	*(bool *)arg = true;
	return 0;
}

static bool given(const char *s)
{
	return s && *s;
}

int queue_scope_check(struct db *db, const struct api_user *u,
		      const char *queue, const char *agent, char *why,
		      size_t n)
{
	enum api_scope scope = api_scope_of(u);
	const char *sc[API_SCOPE_NARGS];
	bool seen = false;
	int err = 0;

	if (scope == API_SCOPE_ALL)
		return 0;
	if (scope == API_SCOPE_OWN) {
		if (!given(queue) && given(agent) && !strcmp(agent, u->ext))
			return 0;
		snprintf(why, n, "outside your data scope: you see your own "
			 "figures only (?agent=%s)", *u->ext ? u->ext :
			 "your extension");
		return EACCES;
	}
	api_scope_args(u, sc);
	if (given(queue))
		err = db_query(db, found_h, &seen, "SELECT 1 FROM queue_members "
			       "m WHERE m.queue = ? AND "
			       API_SCOPE_SQL("m.ext", "m.ext") " LIMIT 1",
			       "t" API_SCOPE_TYPES, queue, sc[0], sc[1], sc[2],
			       sc[3], sc[4]);
	else if (given(agent))
		err = db_query(db, found_h, &seen, "SELECT 1 WHERE "
			       API_SCOPE_SQL("?", "?"), "tttttttt", sc[0], agent,
			       sc[1], agent, sc[2], sc[3], agent, sc[4]);
	if (err)
		return err;
	if (seen)
		return 0;
	if (given(queue) || given(agent))
		snprintf(why, n, "outside your data scope: %s %s",
			 given(queue) ? "queue" : "agent",
			 given(queue) ? queue : agent);
	else
		snprintf(why, n, "your data scope covers some queues only: ask "
			 "for one of them (?queue=) or an agent (?agent=)");
	return EACCES;
}
