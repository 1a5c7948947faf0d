/* task/job: the one job shape every task and notice request runs as (see
 * task_int.h), and the task's JSON, which the API, the events and the
 * statistics share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_mbuf.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_msg.h>
#include <re_http.h>
#include "base/bus.h"
#include "base/mod.h"
#include "db/db.h"
#include "queue/queue.h"
#include "task/task.h"
#include "task/task_int.h"

static void job_work(struct api_job *j)
{
	struct task_job *t = (struct task_job *)j;

	t->work(t, api_house(&j->req)->db);
}

static void publish(struct bus *bus, enum bus_ev id, const char *subject,
		    json_t *data, int64_t now)
{
	if (bus)
		bus_publish(bus, id, subject, now, data);
	else
		json_decref(data);
}

static void job_done(struct api_job *j)
{
	struct task_job *t = (struct task_job *)j;
	struct bus *bus = api_house(&j->req)->bus;
	size_t i;
	json_t *e;

	if (t->status >= 400 || !t->status) {
		api_reply_error(j->req.conn, t->status ? t->status : 500, "%s",
				t->why[0] ? t->why : "cannot read tasks");
		return;
	}
	api_reply_json(j->req.conn, t->status, NULL, t->out);
	t->out = NULL;
	if (t->ev_data) {
		publish(bus, t->ev, t->ev_subject, t->ev_data, t->now);
		t->ev_data = NULL;
	}
	json_array_foreach(t->more, i, e)
		publish(bus, (enum bus_ev)json_integer_value(json_array_get(e, 0)),
			json_string_value(json_array_get(e, 1)),
			json_incref(json_array_get(e, 2)), t->now);
}

static void job_clean(struct api_job *j)
{
	struct task_job *t = (struct task_job *)j;

	json_decref(t->body);
	json_decref(t->out);
	json_decref(t->ev_data);
	json_decref(t->more);
}

void task_job_run(struct api_req *req, task_work_h *work,
		  enum task_body with_body)
{
	const char *id = api_param(&req->params, "id");
	const struct mbuf *mb = req->msg ? req->msg->mb : NULL;
	json_t *body = NULL;
	struct task_job *t;
	char why[256];

	if (with_body == TASK_BODY_OPTIONAL && (!mb || !mbuf_get_left(mb)))
		with_body = TASK_BODY_NONE;
	if (with_body && api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	t = api_job_alloc(req, sizeof(*t), job_work, job_done, job_clean);
	if (!t) {
		json_decref(body);
		return;
	}
	t->work = work;
	t->body = body;
	t->now = util_now_ms();
	util_strlcpy(t->id, id ? id : "", sizeof(t->id));
	api_job_queue(t);
}

void task_fail(struct task_job *t, uint16_t status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
	t->status = status;
}

void task_ok(struct task_job *t, uint16_t status, json_t *out)
{
	json_decref(t->out);
	t->out = out;
	t->status = out ? status : 500;
}

bool task_is_manager(const struct api_user *u)
{
	return u->role_bit & (API_R_ADMIN | API_R_SUPERVISOR);
}

static json_t *str_or_null(const struct db_row *row, int i)
{
	const char *s = db_row_text(row, i);

	return s ? json_string(s) : json_null();
}

static json_t *time_or_null(const struct db_row *row, int i)
{
	char t[UTIL_TIME_LEN];

	if (db_row_isnull(row, i))
		return json_null();
	util_rfc3339(t, db_row_int(row, i));
	return json_string(t);
}

json_t *task_row_json(const struct db_row *row, const struct api_user *u,
		      int64_t now)
{
	static const char *const masked[] = {"phone", NULL};
	const char *state = db_row_text(row, 11);
	int64_t due = db_row_int(row, 5);
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "id", str_or_null(row, 0));
	json_object_set_new(o, "title", str_or_null(row, 1));
	json_object_set_new(o, "notes", str_or_null(row, 2));
	json_object_set_new(o, "phone", str_or_null(row, 3));
	json_object_set_new(o, "customer_id", str_or_null(row, 4));
	json_object_set_new(o, "due_at", time_or_null(row, 5));
	json_object_set_new(o, "assignee", str_or_null(row, 6));
	json_object_set_new(o, "assignee_name", str_or_null(row, 7));
	json_object_set_new(o, "assignee_id", str_or_null(row, 17));
	json_object_set_new(o, "pool", str_or_null(row, 8));
	json_object_set_new(o, "origin", str_or_null(row, 9));
	json_object_set_new(o, "origin_id", str_or_null(row, 10));
	json_object_set_new(o, "state", str_or_null(row, 11));
	json_object_set_new(o, "overdue", json_boolean(
		state && !strcmp(state, "open") && now > due));
	json_object_set_new(o, "outcome", str_or_null(row, 12));
	json_object_set_new(o, "call_id", str_or_null(row, 13));
	json_object_set_new(o, "attempts", json_integer(db_row_int(row, 14)));
	json_object_set_new(o, "created_at", time_or_null(row, 15));
	json_object_set_new(o, "ended_at", time_or_null(row, 16));
	if (u)
		api_mask_fields(u, o, masked);
	return o;
}

struct one {
	const struct api_user *u;
	int64_t now;
	json_t *out;
};

static int one_row(const struct db_row *row, void *arg)
{
	struct one *o = arg;

	o->out = task_row_json(row, o->u, o->now);
	return 0;
}

int task_read(struct db *db, const char *id, const struct api_user *u,
	      int64_t now, json_t **out)
{
	struct one o = {.u = u, .now = now};
	int err = db_query(db, one_row, &o, "SELECT " TASK_COLS " " TASK_FROM
			   " WHERE t.id = ?", "t", id);

	if (err) {
		json_decref(o.out);
		return EIO;
	}
	if (!o.out)
		return ENOENT;
	*out = o.out;
	return 0;
}

json_t *task_pool_exts(struct db *db, const char *queue)
{
	json_t *exts = json_array();
	struct queue_members all;

	if (!exts || !queue || queue_members_read(db, NULL, &all))
		return exts;
	for (size_t i = 0; i < all.n; i++)
		if (!strcmp(queue, all.rows[i].queue))
			json_array_append_new(exts,
					      json_string(all.rows[i].ext));
	queue_members_free(&all);
	return exts;
}

json_t *task_audience(struct db *db, const json_t *task)
{
	const char *who = json_string_value(json_object_get(task,
							    "assignee_id"));

	if (who)
		return json_pack("{s:[s]}", "users", who);
	return json_pack("{s:o}", "exts", task_pool_exts(db,
		json_string_value(json_object_get(task, "pool"))));
}
