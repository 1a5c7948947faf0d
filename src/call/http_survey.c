/* call/http_survey: the satisfaction report (满意度统计) — the survey's
 * ratings (1 very dissatisfied … 5 very satisfied, calls.rating) of the
 * calls started in [from, to), grouped by queue, agent or day (UTC):
 * how many were rated, the mean, how many said 4 or 5 (satisfied) and the
 * count of each rating. The calls themselves, with their rating, are the
 * detail (满意度明细): GET /api/v1/calls. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "call/http_int.h"
#include "db/db.h"

/* What a row is grouped by: the API's name and its SQL expression. */
static const struct {
	const char *by, *expr;
} groups[] = {
	{"queue", "COALESCE(queue, '')"},
	{"agent", "COALESCE(agent, '')"},
	{"day",   "date(started_at / 1000, 'unixepoch')"},
};

struct sat_job {
	struct api_job j;
	const char *by, *expr;
	int64_t from, to;
	json_t *items;
};

static void sat_clean(struct api_job *j)
{
	json_decref(((struct sat_job *)j)->items);
}

static int sat_row(const struct db_row *row, void *arg)
{
	json_t *items = arg, *counts = json_object();
	int64_t rated = 0, sum = 0, good;
	char k[2] = "0";

	for (int r = 1; counts && r <= 5; r++) {
		int64_t n = db_row_int(row, r);

		k[0] = (char)('0' + r);
		json_object_set_new(counts, k, json_integer(n));
		rated += n;
		sum += n * r;
	}
	good = db_row_int(row, 4) + db_row_int(row, 5);
	return !counts || json_array_append_new(items, json_pack(
		"{s:s, s:I, s:f, s:I, s:f, s:o}", "key", db_row_text(row, 0),
		"rated", (json_int_t)rated,
		"mean", rated ? (double)sum / (double)rated : 0.0,
		"satisfied", (json_int_t)good,
		"satisfied_pct", rated ? 100.0 * (double)good / (double)rated : 0.0,
		"counts", counts)) ? ENOMEM : 0;
}

static void sat_work(struct api_job *j)
{
	struct sat_job *s = (struct sat_job *)j;
	const char *sc[API_SCOPE_NARGS];
	char sql[1024];

	/* Only the calls the user's data scope shows (api/scope.c). */
	api_scope_args(&j->req.user, sc);
	snprintf(sql, sizeof(sql), "SELECT %s AS k, "
		 "SUM(rating = 1), SUM(rating = 2), SUM(rating = 3), "
		 "SUM(rating = 4), SUM(rating = 5) FROM calls "
		 "WHERE rating IS NOT NULL AND started_at >= ? AND started_at < ? "
		 "AND " API_SCOPE_SQL("agent", "transfer_by") " "
		 "GROUP BY k ORDER BY k", s->expr);
	s->items = json_array();
	j->err = !s->items ? ENOMEM :
		db_query(api_house(&j->req)->db, sat_row, s->items, sql,
			 "ii" API_SCOPE_TYPES, s->from, s->to, sc[0], sc[1],
			 sc[2], sc[3], sc[4]);
}

static void sat_done(struct api_job *j)
{
	struct sat_job *s = (struct sat_job *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read ratings");
		return;
	}
	api_reply_json(j->req.conn, 200, NULL, json_pack("{s:s, s:O}", "by",
		       s->by, "items", s->items));
}

void call_h_satisfaction(struct api_req *req)
{
	int64_t from = INT64_MIN, to = INT64_MAX;
	const char *expr = NULL, *name = groups[0].by;
	struct sat_job *s;
	char by[16];
	int err;

	if (api_query_time(req, "from", INT64_MIN, &from) ||
	    api_query_time(req, "to", INT64_MAX, &to))
		return;
	err = api_query_get(req->query, "by", by, sizeof(by));
	if (err == ENOENT)
		expr = groups[0].expr;
	for (size_t i = 0; !err && i < ARRAY_LEN(groups); i++)
		if (!strcmp(by, groups[i].by)) {
			expr = groups[i].expr;
			name = groups[i].by;
		}
	if (!expr) {
		api_reply_error(req->conn, 400, "bad 'by' (queue, agent or day)");
		return;
	}
	s = api_job_alloc(req, sizeof(*s), sat_work, sat_done, sat_clean);
	if (s) {
		s->by = name;
		s->expr = expr;
		s->from = from;
		s->to = to;
	}
	api_job_queue(s);
}
