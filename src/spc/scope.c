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

static bool given(const char *s)
{
	return s && *s;
}

/* queue_scope_check's cases, in its order. */
const char *spc_scope_code(const struct api_user *u, const char *queue,
			   const char *agent, json_t **more)
{
	if (api_scope_of(u) == API_SCOPE_OWN) {
		*more = json_pack("{s:s}", "ext", u->ext);
		return "scope_own";
	}
	*more = given(queue) ? json_pack("{s:s}", "queue", queue) :
		given(agent) ? json_pack("{s:s}", "agent", agent) : NULL;
	return given(queue) ? "scope_queue" : given(agent) ? "scope_agent" :
	       "scope_center";
}

void spc_scope_refuse(struct api_conn *conn, const struct api_user *u,
		      const char *queue, const char *agent, const char *why)
{
	json_t *more;
	const char *code = spc_scope_code(u, queue, agent, &more);

	spc_refuse(conn, 403, code, more, "%s", why);
}
