/* queue/live: what the API shows and changes — live queues and agents,
 * and queue and agent configuration (KPI rows: kpi.c). A change is
 * tried on the router first and stored only once the router took it, so
 * an invalid configuration leaves the running one as it was. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/jsonw.h"
#include "db/db.h"
#include "media/media.h"
#include "queue/queue_int.h"

enum { DAY_MS = 86400000 };

static json_t *today_json(struct queue_host *h, const char *queue)
{
	struct report_bucket b;
	struct report_queue_cfg cfg;
	int64_t now = util_now_ms(), day = now - now % DAY_MS;
	double v;
	json_t *o;

	if (report_sum(h->rs, REPORT_QUEUE, queue, day, day + DAY_MS, &b))
		return json_null();
	report_queue_get(h->rs, queue, &cfg);
	o = json_pack("{s:I, s:I, s:I, s:I}", "entered", (json_int_t)b.entered,
		      "offered", (json_int_t)(b.answered + b.abandoned +
					      b.overflowed),
		      "answered", (json_int_t)b.answered,
		      "abandoned", (json_int_t)b.abandoned);
	static const char *const ids[] = {"service_level", "asa",
					  "abandon_rate"};
	static const char *const keys[] = {"service_level", "asa_s",
					   "abandon_rate"};
	/* Rounded as the KPI report rounds the same KPIs (seconds to 3
	 * decimals, ratios to 6); a reply dumped at JSONW_DUMP_DIGITS then
	 * shows those decimals and no more. */
	for (size_t i = 0; o && i < ARRAY_LEN(ids); i++) {
		const struct report_kpi_def *k = report_kpi_find(ids[i]);

		json_object_set_new(o, keys[i],
			report_kpi(k, &b, &cfg, &v) || !isfinite(v) ?
			json_null() :
			json_real(jsonw_fixed_value(v, report_kpi_decimals(k))));
	}
	return o;
}

int queue_live_queues(struct queue_host *h, json_t **out)
{
	json_t *arr = json_array();
	int64_t now = util_now_ms();

	if (!arr)
		return ENOMEM;
	for (size_t i = 0; i < h->nqueues; i++) {
		struct qh_queue *q = &h->queues[i];
		struct acd_queue_info qi;
		json_t *agents = json_object(), *o;

		if (acd_queue_get(h->acd, q->id, &qi))
			continue;
		for (int s = 0; agents && s < ACD_AGENT_STATES; s++)
			json_object_set_new(agents,
				acd_state_name((enum acd_agent_state)s),
				json_integer(qi.agents[s]));
		o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:f, s:o, s:o}",
			      "name", q->cfg.name, "strategy", q->cfg.strategy,
			      "waiting", (int)qi.waiting, "ringing",
			      (int)qi.ringing, "connected", (int)qi.connected,
			      "longest_wait_s", qi.oldest_enter_ms ?
			      jsonw_fixed_value((double)(now -
					qi.oldest_enter_ms) / 1000, 3) : 0.0,
			      "agents", agents, "today",
			      today_json(h, q->cfg.name));
		json_array_append_new(arr, o);
	}
	*out = json_pack("{s:o}", "items", arr);
	return *out ? 0 : ENOMEM;
}

/* ext's entry of a queue_members_read object, as a new reference ([]
 * when the agent serves no queue). */
static json_t *member_list(const json_t *members, const char *ext)
{
	json_t *arr = json_object_get(members, ext);

	return arr ? json_incref(arr) : json_array();
}

int queue_live_agents(struct queue_host *h, const json_t *members,
		      json_t **out)
{
	json_t *arr = json_array();
	int64_t now = util_now_ms();

	if (!arr)
		return ENOMEM;
	qh_agents_learn_all(h);
	for (size_t i = 0; i < h->nagents; i++) {
		struct acd_agent_info ai;
		json_t *o;

		if (qh_agent_gone(h, h->agents[i].ext) ||
		    acd_agent_get(h->acd, h->agents[i].id, &ai))
			continue;
		o = json_pack("{s:s, s:s, s:s, s:f, s:i, s:I, s:o}",
			      "ext", h->agents[i].ext,
			      "state", acd_state_name(ai.state),
			      "reason", ai.reason,
			      "time_in_state_s", (double)(now - ai.since_ms) / 1000,
			      "calls_today", (int)ai.calls_today,
			      "talk_ms_today", (json_int_t)ai.talk_ms_today,
			      "queues", member_list(members, h->agents[i].ext));
		if (o)
			qh_agent_wrapup_json(h, &h->agents[i], &ai, o);
		json_array_append_new(arr, o);
	}
	*out = json_pack("{s:o}", "items", arr);
	return *out ? 0 : ENOMEM;
}

/* ---- configuration ---- */

int queue_cfg_list(struct queue_host *h, const json_t *members, json_t **out)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < h->nqueues; i++) {
		json_t *o = queue_qcfg_json(&h->queues[i].cfg);
		json_object_set_new(o, "members", json_array());
		json_array_append_new(arr, o);
	}
	for (size_t i = 0; arr && i < h->nagents; i++) {
		json_t *ml = member_list(members, h->agents[i].ext), *m;
		size_t k;
		json_array_foreach(ml, k, m) {
			const char *qn = json_string_value(json_object_get(m, "queue"));
			for (size_t j = 0; j < h->nqueues; j++)
				if (!strcmp(h->queues[j].cfg.name, qn))
					json_array_append_new(json_object_get(
						json_array_get(arr, j), "members"),
						json_string(h->agents[i].ext));
		}
		json_decref(ml);
	}
	*out = json_pack("{s:o}", "items", arr);
	return *out ? 0 : ENOMEM;
}

int queue_cfg_get(struct queue_host *h, const char *name,
		  struct queue_qcfg *out)
{
	struct qh_queue *q = qh_queue_by_name(h, name);

	if (!q)
		return ENOENT;
	*out = q->cfg;
	return 0;
}

int queue_cfg_get_json(struct queue_host *h, const char *name, json_t **out)
{
	struct qh_queue *q = qh_queue_by_name(h, name);

	if (!q)
		return ENOENT;
	*out = queue_qcfg_json(&q->cfg);
	return *out ? 0 : ENOMEM;
}

int queue_cfg_put(struct queue_host *h, const char *name, const json_t *body,
		  char *why, size_t n)
{
	struct qh_queue *q = qh_queue_by_name(h, name), t = {0}, *v;
	struct qh_goodbye gb;
	uint32_t max_id = 0;
	int err;

	if (!queue_name_ok(name)) {
		snprintf(why, n, "name: 1..31 of A-Z a-z 0-9 _ -");
		return EINVAL;
	}
	for (size_t i = 0; i < h->nqueues; i++)
		if (h->queues[i].id > max_id)
			max_id = h->queues[i].id;
	if (q)
		t = *q;
	else {
		t.id = max_id + 1;
		queue_qcfg_default(&t.cfg, name);
	}
	err = queue_qcfg_apply(&t.cfg, body, why, n);
	err = err ? err : qh_goodbye_load(&t.cfg, body, &gb, why, n);
	if (err)
		return err;
	if (!q) {
		v = realloc(h->queues, (h->nqueues + 1) * sizeof(*v));
		if (!v) {
			qh_goodbye_drop(&gb);
			return ENOMEM;
		}
		h->queues = v;
		h->queues[h->nqueues++] = t;
		q = &h->queues[h->nqueues - 1];
		err = qh_queue_apply(h, q, true, why, n);
		if (err) {
			h->nqueues--;
			qh_goodbye_drop(&gb);
			return err;
		}
	} else {
		err = qh_queue_apply(h, &t, true, why, n);
		if (err) {
			qh_goodbye_drop(&gb);
			return err;
		}
		*q = t;
	}
	qh_goodbye_set(q, &gb);
	qh_queue_store(h, q);
	qh_goodbye_store(h, q);
	qh_drain(h);
	return 0;
}

/* Gives the router agent ext's queues (as last given, qh_members_note)
 * without queue_id; nothing when it did not serve it. */
static int agent_leave(struct queue_host *h, const char *ext,
		       uint32_t queue_id, char *why, size_t n)
{
	const json_t *list = h->members ? json_object_get(h->members, ext) :
			     NULL;
	struct acd_member m[64];
	size_t i, nm = 0;
	bool served = false;
	uint32_t id;
	json_t *e;

	if (queue_agent_id(ext, &id))
		return EINVAL;
	json_array_foreach(list, i, e) {
		struct qh_queue *q = qh_queue_by_name(h,
			json_string_value(json_object_get(e, "queue")));

		if (!q || nm == ARRAY_LEN(m))
			continue;
		if (q->id == queue_id) {
			served = true;
			continue;
		}
		m[nm++] = (struct acd_member){.queue_id = q->id,
			.skill = (int32_t)json_integer_value(
				json_object_get(e, "skill")),
			.position = (int32_t)json_integer_value(
				json_object_get(e, "position"))};
	}
	if (!served)
		return 0;
	if (acd_agent_set(h->acd, id, m, nm, util_now_ms(), why, n))
		return EBUSY;
	qh_members_note(h, ext, m, nm);
	return 0;
}

int queue_cfg_delete(struct queue_host *h, const char *name, char *why,
		     size_t n)
{
	struct qh_queue *q = qh_queue_by_name(h, name);
	struct acd_queue_info qi;
	int err;

	if (!q) {
		snprintf(why, n, "no queue %s", name);
		return ENOENT;
	}
	if (!acd_queue_get(h->acd, q->id, &qi) && (qi.waiting || qi.connected)) {
		snprintf(why, n, "queue %s has calls", name);
		return EBUSY;
	}
	for (size_t i = 0; i < h->nqueues; i++)
		if (!strncmp(h->queues[i].cfg.overflow, "queue:", 6) &&
		    !strcmp(h->queues[i].cfg.overflow + 6, name)) {
			snprintf(why, n, "queue %s overflows into it",
				 h->queues[i].cfg.name);
			return EINVAL;
		}
	/* The router refuses a queue that still has members: take them
	 * away first, from what the router was given (never a read on the
	 * loop); the rows go through the writer. */
	for (size_t i = 0; i < h->nagents; i++)
		(void)agent_leave(h, h->agents[i].ext, q->id, why, n);
	db_write(h->o.db, "DELETE FROM queue_members WHERE queue = ?", "t", name);
	err = acd_queue_remove(h->acd, q->id, why, n);
	if (err)
		return EBUSY;
	db_write(h->o.db, "DELETE FROM queues WHERE name = ?", "t", name);
	media_prompt_unref(q->goodbye);
	*q = h->queues[--h->nqueues];
	qh_drain(h);
	return 0;
}

/* Appends one member row to its extension's array in the object. */
/* The rows grow by doubling from 8: full when n is 8, 16, 32, … */
static int member_row(const struct db_row *row, void *arg)
{
	struct queue_members *m = arg;
	struct queue_membership *r;

	if (!m->n || (m->n >= 8 && !(m->n & (m->n - 1)))) {
		size_t cap = m->n ? m->n * 2 : 8;

		r = realloc(m->rows, cap * sizeof(*r));
		if (!r)
			return ENOMEM;
		m->rows = r;
	}
	r = &m->rows[m->n++];
	util_strlcpy(r->ext, db_row_text(row, 0) ?: "", sizeof(r->ext));
	util_strlcpy(r->queue, db_row_text(row, 1) ?: "", sizeof(r->queue));
	r->skill = db_row_int(row, 2);
	r->position = db_row_int(row, 3);
	return 0;
}

int queue_members_read(struct db *db, const char *ext,
		       struct queue_members *out)
{
	struct queue_members m = {0};
	int err;

	/* What the host queued (queue_agent_cfg_put) is on disk before we
	 * read: a reply never shows the configuration it just replaced. */
	db_flush(db);
	err = db_query(db, member_row, &m, "SELECT ext, queue, skill, "
		       "position FROM queue_members WHERE (? IS NULL OR ext = ?) "
		       "ORDER BY ext, queue", "tt", ext, ext);
	if (err) {
		queue_members_free(&m);
		return err == ENOMEM ? ENOMEM : EIO;
	}
	*out = m;
	return 0;
}

void queue_members_free(struct queue_members *m)
{
	if (!m)
		return;
	free(m->rows);
	*m = (struct queue_members){0};
}

int qh_members_read_json(struct db *db, const char *ext, json_t **out)
{
	struct queue_members m;
	json_t *obj, *arr = NULL;
	int err = queue_members_read(db, ext, &m);

	if (err)
		return err;
	obj = json_object();
	err = obj ? 0 : ENOMEM;
	for (size_t i = 0; !err && i < m.n; i++) {
		const struct queue_membership *r = &m.rows[i];

		if ((!i || strcmp(r->ext, m.rows[i - 1].ext)) &&
		    json_object_set_new(obj, r->ext, arr = json_array()))
			err = ENOMEM;
		else if (json_array_append_new(arr, json_pack(
				 "{s:s, s:I, s:I}", "queue", r->queue,
				 "skill", (json_int_t)r->skill, "position",
				 (json_int_t)r->position)))
			err = ENOMEM;
	}
	queue_members_free(&m);
	if (err) {
		json_decref(obj);
		return err;
	}
	*out = obj;
	return 0;
}

int queue_agent_cfg_get(struct queue_host *h, const char *ext,
			const json_t *members, json_t **out)
{
	if (!qh_agent_learn(h, ext))
		return ENOENT;
	*out = json_pack("{s:s, s:o}", "ext", ext, "queues",
			 member_list(members, ext));
	return *out ? 0 : ENOMEM;
}

int queue_agent_cfg_put(struct queue_host *h, const char *ext,
			const json_t *body, char *why, size_t n)
{
	struct qh_agent *ag = qh_agent_learn(h, ext);
	struct acd_member m[64];
	const json_t *list = json_object_get(body, "queues"), *e;
	size_t i, nm = 0;
	int err;

	if (!ag) {
		snprintf(why, n, "no agent %s", ext);
		return ENOENT;
	}
	if (!json_is_array(list) || json_array_size(list) > ARRAY_LEN(m)) {
		snprintf(why, n, "queues: want an array of at most %zu",
			 ARRAY_LEN(m));
		return EINVAL;
	}
	json_array_foreach(list, i, e) {
		struct queue_member_in mi;
		struct qh_queue *q;

		if (queue_member_parse(e, i, &mi, why, n))
			return EINVAL;
		q = qh_queue_by_name(h, mi.queue);
		if (!q) {
			snprintf(why, n, "queues[%zu]: want {\"queue\": an "
				 "existing queue, \"skill\": int, \"position\":"
				 " int}", i);
			return EINVAL;
		}
		m[nm++] = (struct acd_member){.queue_id = q->id,
			.skill = mi.skill, .position = mi.position};
	}
	err = acd_agent_set(h->acd, ag->id, m, nm, util_now_ms(), why, n);
	if (err)
		return err;
	qh_members_note(h, ext, m, nm);
	db_write(h->o.db, "DELETE FROM queue_members WHERE ext = ?", "t", ext);
	for (i = 0; i < nm; i++)
		db_write(h->o.db, "INSERT INTO queue_members (queue, ext, skill,"
			 " position) VALUES (?, ?, ?, ?)", "ttii",
			 qh_queue_by_id(h, m[i].queue_id)->cfg.name, ext,
			 (int64_t)m[i].skill, (int64_t)m[i].position);
	qh_drain(h);
	return 0;
}
