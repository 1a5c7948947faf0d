/* queue/view: the queue host's part of the CTI live view (base/mod.h's
 * snapshot hook): the agents and queues exactly as GET /api/v1/agents and
 * GET /api/v1/queues list them, built from memory on the loop.
 *
 * Those routes read the agents' queues from the queue_members table on a
 * worker; the view cannot wait for a read, so the host keeps what it last
 * gave the router (qh_members_note, from qh_agent_apply and
 * queue_agent_cfg_put, the only two ways members reach the router). The
 * two agree but in one case: an extension made anew while the server runs
 * serves no queue until its members are set again, though older rows may
 * still name it; the view then says [] — what the router really does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/mod.h"
#include "queue/queue_int.h"

struct named {
	const char *queue;
	const struct acd_member *m;
};

static int by_queue(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->queue,
		      ((const struct named *)b)->queue);
}

void qh_members_note(struct queue_host *h, const char *ext,
		     const struct acd_member *m, size_t nm)
{
	struct named v[64];
	json_t *arr;
	size_t n = 0;

	if (!h->members && !(h->members = json_object()))
		return;
	/* In queue order, as the table is read (queue_members_read). */
	for (size_t i = 0; i < nm && n < ARRAY_LEN(v); i++) {
		struct qh_queue *q = qh_queue_by_id(h, m[i].queue_id);

		if (q)
			v[n++] = (struct named){q->cfg.name, &m[i]};
	}
	qsort(v, n, sizeof(*v), by_queue);
	arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, json_pack("{s:s, s:I, s:I}",
				"queue", v[i].queue,
				"skill", (json_int_t)v[i].m->skill,
				"position", (json_int_t)v[i].m->position)))
			arr = (json_decref(arr), NULL);
	if (!arr || json_object_set_new(h->members, ext, arr))
		log_warn("queue.view", "ext=%s: out of memory", ext);
}

/* Moves list's items array into data under key. */
static int take_items(json_t *data, const char *key, int err, json_t *list)
{
	if (!err && json_object_set(data, key, json_object_get(list, "items")))
		err = ENOMEM;
	json_decref(list);
	return err;
}

int queue_live_view(struct queue_host *h, unsigned parts, json_t *data)
{
	json_t *list = NULL;
	int err = 0;

	if (parts & MOD_LIVE_AGENTS) {
		err = queue_live_agents(h, h->members, &list);
		err = take_items(data, "agents", err, err ? NULL : list);
	}
	if (!err && parts & MOD_LIVE_QUEUES) {
		err = queue_live_queues(h, &list);
		err = take_items(data, "queues", err, err ? NULL : list);
	}
	return err;
}
