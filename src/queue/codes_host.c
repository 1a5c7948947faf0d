/* queue/codes_host: the not-ready reasons and wrap-up codes of the running
 * host. Both lists are small and read on every state change and live view,
 * so they live whole in memory, loaded at start; a change is made there
 * and queued for the database (db_write) in one step on the loop.
 *
 * The wrap-up filed for a call (call/http_wrapup.c publishes call.wrapup)
 * ends its agent's wrap-up early: the agent becomes ready. Only the wrap-up
 * of that very call ends — a code filed late for an older call leaves a
 * newer wrap-up, or any other state, alone. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/log.h"
#include "db/db.h"
#include "queue/queue_int.h"

static const struct {
	const char *table, *noun;
} tables[] = {
	[QUEUE_REASONS] = {"not_ready_reasons", "not-ready reason"},
	[QUEUE_WRAPUP_CODES] = {"wrapup_codes", "wrap-up code"},
};

static struct queue_codes *list_of(struct queue_host *h,
				   enum queue_code_kind k)
{
	return k == QUEUE_REASONS ? &h->reasons : &h->wcodes;
}

static int row_in(const struct db_row *row, void *arg)
{
	struct queue_code c = {0};

	util_strlcpy(c.code, db_row_text(row, 0), sizeof(c.code));
	util_strlcpy(c.label_zh, db_row_text(row, 1), sizeof(c.label_zh));
	util_strlcpy(c.label_en, db_row_text(row, 2), sizeof(c.label_en));
	if (!db_row_isnull(row, 3))
		util_strlcpy(c.queue, db_row_text(row, 3), sizeof(c.queue));
	c.sort = (int32_t)db_row_int(row, 4);
	c.active = db_row_int(row, 5) != 0;
	if (!db_row_isnull(row, 6))
		c.resolved = db_row_int(row, 6) ? QUEUE_RESOLVED_YES :
			QUEUE_RESOLVED_NO;
	return queue_codes_put(arg, &c);
}

int qh_codes_load(struct queue_host *h)
{
	int err = db_query(h->o.db, row_in, &h->reasons,
			   "SELECT code, label_zh, label_en, NULL, sort, active, "
			   "NULL FROM not_ready_reasons", "");

	if (!err)
		err = db_query(h->o.db, row_in, &h->wcodes,
			       "SELECT code, label_zh, label_en, queue, sort, "
			       "active, resolved FROM wrapup_codes", "");
	return err;
}

static void store(struct queue_host *h, enum queue_code_kind k,
		  const struct queue_code *c)
{
	bool w = k == QUEUE_WRAPUP_CODES;
	char sql[500];

	snprintf(sql, sizeof(sql), "INSERT INTO %s (code, label_zh, label_en, "
		 "sort, active%s) VALUES (?, ?, ?, ?, ?%s) ON CONFLICT(code) DO "
		 "UPDATE SET label_zh = excluded.label_zh, label_en = "
		 "excluded.label_en, sort = excluded.sort, active = "
		 "excluded.active%s", tables[k].table,
		 w ? ", queue, resolved" : "", w ? ", ?, ?" : "",
		 w ? ", queue = excluded.queue, resolved = excluded.resolved" :
		 "");
	/* resolved: NULL ('n' takes no argument) when the code says nothing. */
	db_write(h->o.db, sql, !w ? "tttii" :
		 c->resolved == QUEUE_RESOLVED_UNSAID ? "tttiitn" : "tttiiti",
		 c->code, c->label_zh, c->label_en, (int64_t)c->sort,
		 (int64_t)c->active, c->queue[0] ? c->queue : NULL,
		 (int64_t)(c->resolved == QUEUE_RESOLVED_YES));
}

int queue_codes_list(struct queue_host *h, enum queue_code_kind k,
		     json_t **out)
{
	*out = queue_codes_json(k, list_of(h, k));
	return *out ? 0 : ENOMEM;
}

/* c's queue must be one the host has. */
static int queue_known(struct queue_host *h, const struct queue_code *c,
		       char *why, size_t n)
{
	if (!c->queue[0] || qh_queue_by_name(h, c->queue))
		return 0;
	snprintf(why, n, "queue: no queue '%s'", c->queue);
	return EINVAL;
}

static int put(struct queue_host *h, enum queue_code_kind k,
	       const struct queue_code *c, json_t **out, char *why, size_t n)
{
	int err = queue_known(h, c, why, n);

	if (!err)
		err = queue_codes_put(list_of(h, k), c);
	if (err)
		return err;
	store(h, k, c);
	*out = queue_code_json(k, c);
	return *out ? 0 : ENOMEM;
}

int queue_codes_create(struct queue_host *h, enum queue_code_kind k,
		       const json_t *body, json_t **out, char *why, size_t n)
{
	struct queue_code c = {0};
	int err = queue_code_apply(k, &c, body, true, why, n);

	if (err)
		return err;
	if (queue_code_find(list_of(h, k), c.code)) {
		snprintf(why, n, "code: %s '%s' exists", tables[k].noun, c.code);
		return EEXIST;
	}
	return put(h, k, &c, out, why, n);
}

int queue_codes_update(struct queue_host *h, enum queue_code_kind k,
		       const char *code, const json_t *body, json_t **out,
		       char *why, size_t n)
{
	const struct queue_code *old = queue_code_find(list_of(h, k), code);
	struct queue_code c;
	int err;

	if (!old) {
		snprintf(why, n, "no %s '%.40s'", tables[k].noun, code);
		return ENOENT;
	}
	c = *old;
	err = queue_code_apply(k, &c, body, false, why, n);
	return err ? err : put(h, k, &c, out, why, n);
}

int queue_codes_delete(struct queue_host *h, enum queue_code_kind k,
		       const char *code, char *why, size_t n)
{
	char sql[96];

	if (!queue_codes_del(list_of(h, k), code)) {
		snprintf(why, n, "no %s '%.40s'", tables[k].noun, code);
		return ENOENT;
	}
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE code = ?",
		 tables[k].table);
	db_write(h->o.db, sql, "t", code);
	return 0;
}

void qh_on_wrapup_bus(const struct bus_event *ev, void *arg)
{
	struct queue_host *h = arg;
	const char *ext = json_string_value(json_object_get(ev->data, "agent"));
	struct qh_agent *ag = ext ? qh_agent_by_ext(h, ext) : NULL;
	struct acd_agent_info ai;

	/* After a restart the host no longer knows which call a restored
	 * wrap-up was for (wrap_call ""): the code filed ends it. */
	if (!ag || (ag->wrap_call[0] && strcmp(ag->wrap_call, ev->subject)) ||
	    acd_agent_get(h->acd, ag->id, &ai) || ai.state != ACD_WRAP_UP)
		return;
	log_info("queue.wrapup_filed", "agent=%s call=%s", ext, ev->subject);
	(void)acd_agent_ready(h->acd, ag->id, util_now_ms());
	qh_drain(h);
}

void qh_agent_wrapup_json(struct queue_host *h, const struct qh_agent *ag,
			  const struct acd_agent_info *ai, json_t *o)
{
	const struct queue_code *r = ai->reason[0] ?
		queue_code_find(&h->reasons, ai->reason) : NULL;
	const struct qh_queue *q = ai->state == ACD_WRAP_UP ?
		qh_queue_by_name(h, ag->last_queue) : NULL;

	json_object_set_new(o, "reason_label_zh",
			    r ? json_string(r->label_zh) : json_null());
	json_object_set_new(o, "reason_label_en",
			    r ? json_string(r->label_en) : json_null());
	json_object_set_new(o, "wrapup_call", ai->state == ACD_WRAP_UP &&
			    ag->wrap_call[0] ? json_string(ag->wrap_call) :
			    json_null());
	json_object_set_new(o, "wrapup_ms", json_integer(q ? q->cfg.wrapup_ms :
							 0));
	json_object_set_new(o, "wrapup_required",
			    json_boolean(q && q->cfg.wrapup_required));
}
