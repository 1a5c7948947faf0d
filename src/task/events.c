/* task/events: tasks that events make, written off the loop.
 *
 *   voicemail.new      a task for the mailbox's owner (the user whose
 *                      extension it is), else its queue's pool
 *   queue.abandon,     the caller hung up in a queue: the queue is noted;
 *   call.ended         at the call's end, with the caller's number, a
 *                      callback task for the queue's pool when the queue's
 *                      switch (task_abandon_rules, '*' overall) is on and
 *                      the number has no open callback already
 *   ticket.reply_due   a reply task for the work order's agent
 *   call.answered      an outbound call answered: the caller's open tasks
 *                      for that number are done, the call linked
 *
 * The handlers copy what they need into a job for the module's serial
 * lane of the house pool (base/pool), which reads and writes the
 * database; the job's done publishes task.created / task.done on the
 * loop. Serial, because "no open callback already" is a read before the
 * insert: two jobs for one number side by side would both insert.
 *
 * Answered outbound calls come at the dialler's rate, and almost none
 * ends a task: they go to the lane together, up to CALLED_BATCH at a time
 * once CALLED_WAIT_MS has passed since the first, not a worker's wake-up
 * and a hand-back each (bench/outbound.sh: 1.2-1.3x an inbound set-up's
 * CPU with one job a call, 1.0x without). A call ends only the tasks made
 * before it was answered, however late its batch runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_mem.h>
#include <re_list.h>
#include <re_tmr.h>
#include "base/bus.h"
#include "base/log.h"
#include "base/mod.h"
#include "base/pool.h"
#include "db/db.h"
#include "task/task.h"
#include "task/task_int.h"

enum {
	ABANDON_DUE_MS = 15 * 60000,     /* call back within a quarter hour */
	VOICEMAIL_DUE_MS = 60 * 60000,
	REPLY_DUE_MS = 4 * 3600000,
	NOTED_MAX = 64,                  /* abandoned calls awaiting call.ended */
	CALLED_BATCH = 64,               /* answered outbound calls a job */
	CALLED_WAIT_MS = 50,
};

enum kind { K_VOICEMAIL, K_ABANDON, K_REPLY, K_CALLED };

struct ev_job {
	struct ev_job *next;  /* the next of its batch (K_CALLED), or NULL */
	enum kind kind;
	struct db *db;
	int64_t now;
	char phone[64], queue[64], ref[UTIL_ID_LEN * 2], who[64], title[256];
	json_t *out;      /* [[bus_ev, subject, data]…] to publish */
};

static struct {
	struct mod_house *h;
	struct pool *pool;    /* the house's (not a ref); NULL once stopped */
	unsigned lane;        /* ours on it, serial */
	struct {
		char call[UTIL_ID_LEN];
		char queue[64];
	} noted[NOTED_MAX];
	size_t next;
	struct ev_job *called, *called_last;  /* K_CALLED jobs waiting for
					       * their batch, oldest first */
	size_t ncalled;
	struct tmr called_tmr;
} S;

static void out_add(struct ev_job *j, enum bus_ev id, const char *subject,
		    json_t *data)
{
	if (!j->out)
		j->out = json_array();
	json_array_append_new(j->out, json_pack("[i, s, o]", (int)id, subject,
						data));
}

/* Inserts the task and notes its task.created. */
static void insert(struct ev_job *j, const char *title, const char *assignee,
		   const char *pool, const char *origin, int64_t due)
{
	char id[UTIL_ID_LEN];
	json_t *task;

	util_random_id(id);
	if (db_exec(j->db, "INSERT INTO tasks (id, title, phone, due_at, "
		    "assignee, pool, origin, origin_id, state, created_by, "
		    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		    "'open', 'system', ?, ?)", "tttitttt" "ii", id, title,
		    j->phone, due, assignee, pool, origin, j->ref[0] ? j->ref :
		    NULL, j->now, j->now) ||
	    task_read(j->db, id, NULL, j->now, &task))
		return;
	json_object_set_new(task, "audience", task_audience(j->db, task));
	out_add(j, BUS_TASK_CREATED, id, task);
	log_info("task.created", "id=%s origin=%s assignee=%s pool=%s", id,
		 origin, assignee ? assignee : "-", pool ? pool : "-");
}

static int text_row(const struct db_row *row, void *arg)
{
	util_strlcpy(arg, db_row_text(row, 0) ?: "", 64);
	return 0;
}

static int int_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

static void voicemail(struct ev_job *j)
{
	char owner[64] = "";
	char title[300];

	(void)db_query(j->db, text_row, owner, "SELECT id FROM users WHERE "
		       "extension = ? ORDER BY created_at LIMIT 1", "t", j->who);
	snprintf(title, sizeof(title), "回电：%s 的留言", j->phone);
	insert(j, title, owner[0] ? owner : NULL, owner[0] ? NULL :
	       j->queue[0] ? j->queue : j->who, "voicemail",
	       j->now + VOICEMAIL_DUE_MS);
}

static void abandoned(struct ev_job *j)
{
	int64_t on = 0, open = 0;
	char title[300];

	/* The queue's own row wins over the overall one ('*'). */
	if (db_query(j->db, int_row, &on, "SELECT enabled FROM "
		     "task_abandon_rules WHERE queue IN (?, '*') ORDER BY "
		     "CASE WHEN queue = '*' THEN 1 ELSE 0 END LIMIT 1", "t",
		     j->queue) || !on)
		return;
	if (db_query(j->db, int_row, &open, "SELECT COUNT(*) FROM tasks WHERE "
		     "phone = ? AND state = 'open' AND origin = 'abandoned'",
		     "t", j->phone) || open)
		return;
	snprintf(title, sizeof(title), "回拨：%s（%s 队列放弃）", j->phone,
		 j->queue);
	insert(j, title, NULL, j->queue, "abandoned", j->now + ABANDON_DUE_MS);
}

static void reply(struct ev_job *j)
{
	int64_t n = 0;

	if (db_query(j->db, int_row, &n, "SELECT COUNT(*) FROM users WHERE "
		     "id = ?", "t", j->who) || !n) {
		log_warn("task.reply_due", "ticket=%s: no user %s", j->ref,
			 j->who);
		return;
	}
	insert(j, j->title[0] ? j->title : "答复客户", j->who, NULL, "ticket",
	       j->now + REPLY_DUE_MS);
}

struct ended {
	struct ev_job *j;
	json_t *ids;
};

static int called_row(const struct db_row *row, void *arg)
{
	struct ended *e = arg;

	return json_array_append_new(e->ids, json_pack("[s, s, s?, s]",
		db_row_text(row, 0), db_row_text(row, 1), db_row_text(row, 2),
		db_row_text(row, 3))) ? ENOMEM : 0;
}

/* The agent (who: extension) called phone (ref: the call): each of its
 * open tasks for the number is done by that call. */
static void called(struct ev_job *j)
{
	struct ended e = {.j = j, .ids = json_array()};
	size_t i;
	json_t *r;

	if (!e.ids || db_query(j->db, called_row, &e, "SELECT t.id, t.origin, "
			       "t.origin_id, t.assignee FROM tasks t JOIN users "
			       "u ON u.id = t.assignee WHERE t.state = 'open' "
			       "AND t.phone = ? AND u.extension = ? AND "
			       "t.created_at <= ?", "tti", j->phone, j->who,
			       j->now))
		goto out;
	json_array_foreach(e.ids, i, r) {
		const char *id = json_string_value(json_array_get(r, 0));

		if (db_exec(j->db, "UPDATE tasks SET state = 'done', outcome = "
			    "'called', call_id = ?, attempts = attempts + 1, "
			    "ended_at = ?, ended_by = ?, updated_at = ? WHERE "
			    "id = ? AND state = 'open'", "titit", j->ref,
			    j->now, json_string_value(json_array_get(r, 3)),
			    j->now, id))
			continue;
		out_add(j, BUS_TASK_DONE, id, json_pack(
			"{s:s, s:O, s:O, s:s, s:s, s:{s:[O]}}", "task_id", id,
			"origin", json_array_get(r, 1), "origin_id",
			json_array_get(r, 2), "outcome", "called", "call_id",
			j->ref, "audience", "users", json_array_get(r, 3)));
		log_info("task.done", "id=%s call=%s", id, j->ref);
	}
 out:
	json_decref(e.ids);
}

static void (*const works[])(struct ev_job *) = {
	[K_VOICEMAIL] = voicemail, [K_ABANDON] = abandoned,
	[K_REPLY] = reply, [K_CALLED] = called,
};

static void job_work(void *arg)
{
	for (struct ev_job *j = arg; j; j = j->next)
		works[j->kind](j);
}

static void job_done(int err, void *arg)
{
	struct ev_job *j = arg, *next;
	size_t i;
	json_t *e;

	for (; j; j = next) {
		next = j->next;
		if (!err && S.h && S.h->bus)
			json_array_foreach(j->out, i, e)
				bus_publish(S.h->bus, (enum bus_ev)
					json_integer_value(json_array_get(e, 0)),
					json_string_value(json_array_get(e, 1)),
					j->now, json_incref(json_array_get(e, 2)));
		json_decref(j->out);
		free(j);
	}
}

/* The waiting K_CALLED jobs, chained in the order they came, to the lane
 * as one job. */
static void called_flush(void *arg)
{
	struct ev_job *batch = S.called;

	(void)arg;
	tmr_cancel(&S.called_tmr);
	S.called = S.called_last = NULL;
	S.ncalled = 0;
	if (batch && (!S.pool ||
		      pool_queue_lane(S.pool, S.lane, job_work, job_done, batch))) {
		log_warn("task.dropped", "kind=called first_call=%s: the worker is "
			 "full", batch->ref);
		job_done(ECANCELED, batch);
	}
}

static void queue_job(enum kind k, const char *phone, const char *queue,
		      const char *ref, const char *who, const char *title)
{
	struct ev_job *j;

	/* A reply may have no number (the agent answers in writing); a
	 * callback needs one. */
	phone = phone ? phone : "";
	if (!S.pool || !task_phone_ok(phone) || (!*phone && k != K_REPLY))
		return;
	j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->kind = k;
	j->db = S.h->db;
	j->now = util_now_ms();
	util_strlcpy(j->phone, phone, sizeof(j->phone));
	util_strlcpy(j->queue, queue ? queue : "", sizeof(j->queue));
	util_strlcpy(j->ref, ref ? ref : "", sizeof(j->ref));
	util_strlcpy(j->who, who ? who : "", sizeof(j->who));
	util_strlcpy(j->title, title ? title : "", sizeof(j->title));
	if (k == K_CALLED) {
		if (S.called_last)
			S.called_last->next = j;
		else
			S.called = j;
		S.called_last = j;
		if (++S.ncalled >= CALLED_BATCH)
			called_flush(NULL);
		else if (!tmr_isrunning(&S.called_tmr))
			tmr_start(&S.called_tmr, CALLED_WAIT_MS, called_flush,
				  NULL);
		return;
	}
	if (pool_queue_lane(S.pool, S.lane, job_work, job_done, j)) {
		log_warn("task.dropped", "kind=%d phone=%s: the worker is full",
			 (int)k, phone);
		free(j);
	}
}

static const char *str(const struct bus_event *ev, const char *key)
{
	return json_string_value(json_object_get(ev->data, key));
}

static void on_voicemail(const struct bus_event *ev, void *arg)
{
	(void)arg;
	queue_job(K_VOICEMAIL, str(ev, "caller"), str(ev, "queue"),
		  str(ev, "id"), str(ev, "mailbox"), NULL);
}

static void on_abandon(const struct bus_event *ev, void *arg)
{
	const char *q = str(ev, "queue");

	(void)arg;
	if (!q)
		return;
	util_strlcpy(S.noted[S.next].call, ev->subject, UTIL_ID_LEN);
	util_strlcpy(S.noted[S.next].queue, q, sizeof(S.noted[0].queue));
	S.next = (S.next + 1) % NOTED_MAX;
}

static void on_ended(const struct bus_event *ev, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < NOTED_MAX; i++) {
		if (!S.noted[i].call[0] || strcmp(S.noted[i].call, ev->subject))
			continue;
		queue_job(K_ABANDON, str(ev, "from"), S.noted[i].queue,
			  ev->subject, NULL, NULL);
		S.noted[i].call[0] = '\0';
		return;
	}
}

static void on_answered(const struct bus_event *ev, void *arg)
{
	const char *dir = str(ev, "direction");

	(void)arg;
	if (dir && !strcmp(dir, "outbound"))
		queue_job(K_CALLED, str(ev, "to"), NULL, ev->subject,
			  str(ev, "from"), NULL);
}

static void on_reply_due(const struct bus_event *ev, void *arg)
{
	(void)arg;
	queue_job(K_REPLY, str(ev, "customer_phone"), NULL,
		  str(ev, "ticket_id") ? str(ev, "ticket_id") : ev->subject,
		  str(ev, "agent"), str(ev, "title"));
}

static const struct {
	const char *prefix;
	bus_h *h;
} subs[] = {
	{"voicemail.new", on_voicemail},
	{"queue.abandon", on_abandon},
	{"call.ended", on_ended},
	{"call.answered", on_answered},
	{"ticket.reply_due", on_reply_due},
};

int task_events_start(struct mod_house *h)
{
	int err;

	memset(&S, 0, sizeof(S));
	tmr_init(&S.called_tmr);
	S.h = h;
	S.pool = h->pool;
	err = pool_lane(S.pool, &S.lane);
	for (size_t i = 0; !err && i < ARRAY_LEN(subs); i++)
		err = bus_subscribe(h->bus, subs[i].prefix, subs[i].h, NULL);
	return err;
}

void task_events_stop(void)
{
	if (S.h && S.h->bus)
		for (size_t i = 0; i < ARRAY_LEN(subs); i++)
			bus_unsubscribe(S.h->bus, subs[i].h, NULL);
	/* The jobs' done publish on S.h's bus: they run here, before it
	 * goes; the calls still waiting for their batch go first. */
	called_flush(NULL);
	pool_lane_stop(S.pool, S.lane);
	S.pool = NULL;
	S.h = NULL;
}
