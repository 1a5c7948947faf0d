/* ivr/calendar: named business calendars (工作日历) in the schedule model
 * of sched.c — zone, weekly hours, holidays, 调休 make-up workdays — kept
 * in the calendars table, which the work orders' time limits count in.
 * PUT checks the whole schedule (400 naming the key) before storing it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "db/db.h"
#include "ivr/ivr_text.h"

/* The handlers ivr/http.c's table names. */
void ivr_h_calendars(struct api_req *req);
void ivr_h_calendar_put(struct api_req *req);

struct cal_job {
	struct api_job j;
	json_t *body;     /* PUT: the schedule; GET: the list read */
	char name[65];
};

static void cal_clean(struct api_job *j)
{
	json_decref(((struct cal_job *)j)->body);
}

static int cal_row(const struct db_row *row, void *arg)
{
	json_t *sched = json_loads(db_row_text(row, 1), 0, NULL);

	json_array_append_new(arg, json_pack("{s:s, s:o?, s:I}", "name",
		db_row_text(row, 0), "schedule", sched,
		"updated_at", (json_int_t)db_row_int(row, 2)));
	return 0;
}

static void list_work(struct api_job *j)
{
	struct cal_job *c = (struct cal_job *)j;

	c->body = json_array();
	j->err = db_query(api_house(&j->req)->db, cal_row, c->body,
			  "SELECT name, body, updated_at FROM calendars ORDER "
			  "BY name", "");
}

static void list_done(struct api_job *j)
{
	struct cal_job *c = (struct cal_job *)j;

	if (j->err)
		api_reply_error(j->req.conn, 500, "cannot read calendars");
	else
		api_reply_json(j->req.conn, 200, NULL, json_pack("{s:O}",
							"items", c->body));
}

void ivr_h_calendars(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct cal_job), list_work,
				    list_done, cal_clean));
}

static void put_work(struct api_job *j)
{
	struct cal_job *c = (struct cal_job *)j;
	char *text = json_dumps(c->body, JSON_COMPACT);

	j->err = text ? db_exec(api_house(&j->req)->db, "INSERT INTO calendars "
		"(name, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO "
		"UPDATE SET body = excluded.body, updated_at = "
		"excluded.updated_at", "tti", c->name, text, util_now_ms()) :
		ENOMEM;
	free(text);
}

static void put_done(struct api_job *j)
{
	struct cal_job *c = (struct cal_job *)j;

	if (j->err)
		api_reply_error(j->req.conn, 500, "cannot store the calendar");
	else
		api_reply_json(j->req.conn, 200, NULL, json_pack("{s:s, s:O}",
			"name", c->name, "schedule", c->body));
}

static bool name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '-' || s[i] == '_' || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

void ivr_h_calendar_put(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	struct ivr_sched *s = NULL;
	struct cal_job *c;
	json_t *body = NULL;
	char why[256];

	if (!name_ok(name)) {
		api_reply_error(req->conn, 400, "name: 1..64 letters, digits, "
				"'-' or '_'");
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    ivr_sched_parse(&s, body, why, sizeof(why))) {
		json_decref(body);
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	ivr_sched_free(s);
	c = api_job_alloc(req, sizeof(*c), put_work, put_done, cal_clean);
	if (!c) {
		json_decref(body);
		return;
	}
	c->body = body;
	util_strlcpy(c->name, name, sizeof(c->name));
	api_job_queue(c);
}
