/* qa/job: the one job shape every QA request runs as (qa_int.h), and the
 * column helpers the handlers share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/bus.h"
#include "base/mod.h"
#include "db/db.h"
#include "qa/qa_int.h"

static void job_work(struct api_job *j)
{
	struct qa_job *q = (struct qa_job *)j;

	q->work(q, api_house(&j->req)->db);
}

static void job_done(struct api_job *j)
{
	struct qa_job *q = (struct qa_job *)j;

	if (q->status >= 400 || !q->status) {
		if (q->problems) {
			api_reply_json(j->req.conn, q->status, NULL, json_pack(
				"{s:s, s:O}", "error", q->why, "problems",
				q->problems));
			return;
		}
		api_reply_error(j->req.conn, q->status ? q->status : 500, "%s",
				q->why[0] ? q->why : "cannot read QA data");
		return;
	}
	if (q->bytes)
		api_reply_bytes(j->req.conn, q->status, q->hdrs, q->bytes,
				q->nbytes);
	else
		api_reply_json(j->req.conn, q->status, NULL, q->out);
	q->out = NULL;
	if (q->ev_data && api_house(&j->req)->bus) {
		char subject[UTIL_ID_LEN];

		/* the subject lives in the data bus_publish takes */
		util_strlcpy(subject, json_string_value(json_object_get(
			q->ev_data, "evaluation_id")) ?: "", sizeof(subject));
		bus_publish(api_house(&j->req)->bus, q->ev, subject, q->now,
			    q->ev_data);
		q->ev_data = NULL;
	}
}

static void job_clean(struct api_job *j)
{
	struct qa_job *q = (struct qa_job *)j;

	json_decref(q->body);
	json_decref(q->problems);
	json_decref(q->out);
	json_decref(q->ev_data);
	free(q->bytes);
}

void qa_job_run(struct api_req *req, qa_work_h *work, bool with_body)
{
	const char *id = api_param(&req->params, "id");
	json_t *body = NULL;
	struct qa_job *q;
	char why[256];

	if (with_body && api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	q = api_job_alloc(req, sizeof(*q), job_work, job_done, job_clean);
	if (!q) {
		json_decref(body);
		return;
	}
	q->work = work;
	q->body = body;
	q->now = util_now_ms();
	q->appeal_days = api_house(req)->qa->appeal_days;
	util_strlcpy(q->id, id ? id : "", sizeof(q->id));
	api_job_queue(q);
}

void qa_fail(struct qa_job *q, uint16_t status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->why, sizeof(q->why), fmt, ap);
	va_end(ap);
	q->status = status;
}

void qa_fail_problems(struct qa_job *q, const struct qa_problems *p)
{
	json_decref(q->problems);
	q->problems = json_array();
	for (size_t i = 0; i < p->n && i < QA_PROBLEMS_MAX; i++)
		json_array_append_new(q->problems, json_string(p->msg[i]));
	if (p->n > QA_PROBLEMS_MAX)
		json_array_append_new(q->problems, json_sprintf(
			"… and %zu more", p->n - QA_PROBLEMS_MAX));
	qa_fail(q, 400, "%s", p->n ? p->msg[0] : "bad request");
}

void qa_ok(struct qa_job *q, uint16_t status, json_t *out)
{
	json_decref(q->out);
	q->out = out;
	q->status = out ? status : 500;
}

void qa_ok_bytes(struct qa_job *q, const char *hdrs, char *buf, size_t len)
{
	free(q->bytes);
	q->bytes = buf;
	q->nbytes = len;
	q->hdrs = hdrs;
	q->status = buf ? 200 : 500;
}

void qa_event(struct qa_job *q, enum bus_ev ev, const json_t *e,
	      const char *reason, json_t *audience)
{
	static const char *const keys[] = {"call_id", "agent", "score",
		"final_score", "failed_critical", "state"};
	json_t *d = json_object();

	json_object_set(d, "evaluation_id", json_object_get(e, "id"));
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		json_object_set(d, keys[i], json_object_get(e, keys[i]));
	if (reason)
		json_object_set_new(d, "reason", json_string(reason));
	json_object_set_new(d, "audience", audience);
	json_decref(q->ev_data);
	q->ev = ev;
	q->ev_data = d;
}

json_t *qa_col_str(const struct db_row *row, int i)
{
	const char *s = db_row_text(row, i);

	return s ? json_string(s) : json_null();
}

json_t *qa_col_time(const struct db_row *row, int i)
{
	char t[UTIL_TIME_LEN];

	if (db_row_isnull(row, i))
		return json_null();
	util_rfc3339(t, db_row_int(row, i));
	return json_string(t);
}

json_t *qa_col_json(const struct db_row *row, int i)
{
	const char *s = db_row_text(row, i);
	json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;

	return v ? v : json_null();
}

int qa_count_row(const struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_row_int(row, 0);
	return 0;
}

int qa_query_word(struct qa_job *q, const char *key, char *out, size_t n)
{
	int err = api_query_get(q->j.req.query, key, out, n);

	if (err == ENOENT) {
		*out = '\0';
		return 0;
	}
	if (err) {
		qa_fail(q, 400, "%s: too long or badly escaped", key);
		return EINVAL;
	}
	return 0;
}

int qa_query_time(struct qa_job *q, const char *key, int64_t def,
		  int64_t *ms)
{
	char v[64];
	int err = api_query_get(q->j.req.query, key, v, sizeof(v));

	*ms = def;
	if (err == ENOENT)
		return 0;
	if (err || util_parse_rfc3339(v, ms)) {
		qa_fail(q, 400, "%s: want an RFC 3339 time "
			"(2026-01-31T08:00:00Z)", key);
		return EINVAL;
	}
	return 0;
}
