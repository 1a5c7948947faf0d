/* api/scope_list: the data scope of the live lists asked over HTTP
 * (GET /api/v1/agents, /api/v1/queues and the one agent or queue, in
 * queue/http.c). They list what the CTI snapshot lists, so they keep
 * what the snapshot keeps: one struct api_ws_scope, loaded and asked as
 * a WebSocket client's is (scope_ws.c holds the rule, snapshot.c applies
 * it to a live view), rather than a third copy of the rule beside that
 * one and the KPI report's (queue/scope.c), which it agrees with.
 *
 * Loading a lead's view reads the database (its department's
 * extensions), so it runs on a worker; any other view loads without a
 * read, on the loop (GET /api/v1/queues is the wallboard's poll and a
 * benchmark figure: no worker round trip for it). Keeping asks nothing
 * but memory, on the loop, where the queue host builds the lists; a view
 * that sees everything need not keep at all. The view is made afresh per
 * request: a changed department or membership shows on the next one. */
#include <errno.h>
#include <stdlib.h>
#include "api/api_int.h"

struct api_scope_list {
	struct api_ws_scope s;
};

int api_scope_list_load(struct api_scope_list **lp, struct db *db,
			const struct api_user *u)
{
	struct api_scope_list *l = malloc(sizeof(*l));
	int err;

	if (!l)
		return ENOMEM;
	api_ws_scope_init(&l->s, u);
	err = api_ws_scope_load(&l->s, db);
	if (err) {
		free(l);
		return EIO;
	}
	*lp = l;
	return 0;
}

bool api_scope_list_reads(const struct api_user *u)
{
	return api_ws_scope_reads(u);
}

void api_scope_list_free(struct api_scope_list *l)
{
	free(l);
}

bool api_scope_list_all(const struct api_scope_list *l)
{
	return api_ws_scope_all(&l->s);
}

int api_scope_list_keep(struct api_scope_list *l, const json_t *live,
			json_t **out)
{
	bool whole;

	/* Lists hold no calls, so l follows none (scope_ws.c's only
	 * state): it answers the same however often it is asked. */
	return api_live_scoped(&l->s, live, out, &whole);
}
