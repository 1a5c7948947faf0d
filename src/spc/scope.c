/* spc/scope: which queues and agents a user's data scope covers, for the
 * KPI reports read by queue (the control chart of a KPI, the targets in
 * force): the KPI report's rule (queue/scope.c), so a chart shows what
 * the report it charts would. On a worker: these are database reads. */
#include "queue/queue.h"
#include "spc/spc_int.h"

bool spc_scope_all(const struct api_user *u)
{
	return api_scope_of(u) == API_SCOPE_ALL;
}

int spc_scope_check(struct db *db, const struct api_user *u,
		    const char *queue, const char *agent, char *why, size_t n)
{
	return queue_scope_check(db, u, queue, agent, why, n);
}
