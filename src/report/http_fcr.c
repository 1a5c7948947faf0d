/* report/http_fcr: GET /api/v1/reports/fcr — first-contact resolution
 * (一次性解决问题的呼叫率) of a period with the calls that were not
 * resolved and why, what a supervisor looks into (the reference's 监控措施:
 * "有关重拨的资料会帮助你找出那些不被人注意的方面"). The counts are the KPI's,
 * as GET /api/v1/reports/kpi shows them; the list holds only the calls the
 * user's data scope shows, numbers masked for users who must not see
 * them. Read on an api worker. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "db/db.h"
#include "report/report.h"
#include "report/report_int.h"

enum { LIMIT_DEFAULT = 100, LIMIT_MAX = 1000 };
static const int64_t MAX_SPAN_MS = 366LL * 86400000;

struct fcr_job {
	struct api_job j;
	int64_t from, to, window_ms;
	size_t limit;
	char queue[64], agent[64];
	json_t *out;
};

static const struct {
	unsigned bit;
	const char *name;
} reasons[] = {
	{REPORT_FCR_REPEATED, "repeated"},
	{REPORT_FCR_FOLLOWED_UP, "followed_up"},
	{REPORT_FCR_UNRESOLVED, "unresolved"},
};

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct visible {
	char **ids;
	size_t n, cap;
};

static int visible_row(const struct db_row *row, void *arg)
{
	struct visible *s = arg;
	const char *id = db_row_text(row, 0);

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **v = realloc(s->ids, cap * sizeof(*v));
		if (!v)
			return ENOMEM;
		s->ids = v;
		s->cap = cap;
	}
	if (!(s->ids[s->n] = strdup(id ? id : "")))
		return ENOMEM;
	s->n++;
	return 0;
}

/* Which of the n calls the user's scope shows, as a sorted list of ids;
 * every one (ids NULL) with scope all. */
static int scope_filter(struct fcr_job *f, const struct report_fcr_call *v,
			size_t n, struct visible *s)
{
	const char *sc[API_SCOPE_NARGS];
	json_t *ids;
	char *list;
	int err;

	if (!n || api_scope_of(&f->j.req.user) == API_SCOPE_ALL)
		return 0;
	if (!(ids = json_array()))
		return ENOMEM;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ids, json_string(v[i].id));
	list = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	if (!list)
		return ENOMEM;
	api_scope_args(&f->j.req.user, sc);
	err = db_query(api_house(&f->j.req)->db, visible_row, s,
		       "SELECT id FROM calls WHERE id IN (SELECT value FROM "
		       "json_each(?)) AND " API_SCOPE_SQL("agent", "transfer_by"),
		       "t" API_SCOPE_TYPES, list, sc[0], sc[1], sc[2], sc[3],
		       sc[4]);
	free(list);
	if (!err && s->n)
		qsort(s->ids, s->n, sizeof(*s->ids), cmp_id);
	return err;
}

static bool shown(const struct visible *s, bool all, const char *id)
{
	return all || (s->n && bsearch(&id, s->ids, s->n, sizeof(*s->ids),
				       cmp_id));
}

static json_t *call_json(const struct api_user *u,
			 const struct report_fcr_call *c)
{
	static const char *const masked[] = {"caller", NULL};
	char at[UTIL_TIME_LEN];
	json_t *why = json_array(), *o;

	for (size_t i = 0; why && i < ARRAY_LEN(reasons); i++)
		if (c->why & reasons[i].bit)
			json_array_append_new(why, json_string(reasons[i].name));
	util_rfc3339(at, c->at_ms);
	o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:o}", "call_id", c->id,
		      "caller", c->caller, "started_at", at, "agent",
		      c->agent[0] ? c->agent : NULL, "queue",
		      c->queue[0] ? c->queue : NULL, "reasons", why);
	if (o)
		api_mask_fields(u, o, masked);
	return o;
}

static void fcr_work(struct api_job *j)
{
	struct fcr_job *f = (struct fcr_job *)j;
	struct report_side_q q = {
		.queue = f->queue[0] ? f->queue : NULL,
		.agent = f->agent[0] ? f->agent : NULL,
		.from = f->from, .to = f->to, .fcr_window_ms = f->window_ms,
	};
	struct report_fcr_call *v = NULL;
	struct report_fcr t;
	struct visible s = {0};
	size_t n = 0, listed = 0;
	bool all = api_scope_of(&j->req.user) == API_SCOPE_ALL, more = false;
	json_t *calls = json_array();

	j->err = calls ? report_fcr_calls(api_house(&j->req)->db, &q, &v, &n,
					  &t) : ENOMEM;
	j->err = j->err ? j->err : scope_filter(f, v, n, &s);
	for (size_t i = 0; !j->err && i < n; i++) {
		if (!shown(&s, all, v[i].id))
			continue;
		if (listed == f->limit) {
			more = true;
			break;
		}
		json_array_append_new(calls, call_json(&j->req.user, &v[i]));
		listed++;
	}
	if (!j->err)
		f->out = json_pack("{s:I, s:I, s:s?, s:s?, s:I, s:I, s:I, s:I, "
			"s:I, s:I, s:o, s:O, s:b}", "from_ms", (json_int_t)f->from,
			"to_ms", (json_int_t)f->to, "queue", q.queue, "agent",
			q.agent, "window_h", (json_int_t)(f->window_ms / 3600000),
			"answered", (json_int_t)t.answered, "resolved",
			(json_int_t)t.resolved, "repeated", (json_int_t)t.repeated,
			"followed_up", (json_int_t)t.followed_up, "unresolved",
			(json_int_t)t.unresolved, "fcr", t.answered ?
			json_real((double)t.resolved / (double)t.answered) :
			json_null(), "calls", calls, "more", more);
	if (!j->err && !f->out)
		j->err = ENOMEM;
	json_decref(calls);
	for (size_t i = 0; i < s.n; i++)
		free(s.ids[i]);
	free(s.ids);
	free(v);
}

static void fcr_done(struct api_job *j)
{
	struct fcr_job *f = (struct fcr_job *)j;

	if (j->err)
		api_reply_error(j->req.conn, 500, "reading the calls failed");
	else
		api_reply_json(j->req.conn, 200, NULL, json_incref(f->out));
}

static void fcr_clean(struct api_job *j)
{
	json_decref(((struct fcr_job *)j)->out);
}

void report_h_fcr(struct api_req *req)
{
	int64_t now = util_now_ms(), from, to;
	uint64_t limit = LIMIT_DEFAULT;
	struct report_side_q q = {0};
	char lim[16], queue[64] = "", agent[64] = "";
	struct fcr_job *f;
	int e;

	if (api_query_time(req, "from", now - now % 86400000, &from) ||
	    api_query_time(req, "to", now + 1, &to))
		return;
	if (from >= to || to - from > MAX_SPAN_MS) {
		api_reply_error(req->conn, 400, "from, to: want from < to, at "
				"most 366 days apart");
		return;
	}
	e = api_query_get(req->query, "limit", lim, sizeof(lim));
	if ((e && e != ENOENT) ||
	    (!e && util_parse_u64(lim, 1, LIMIT_MAX, &limit))) {
		api_reply_error(req->conn, 400, "limit: want 1..%d", LIMIT_MAX);
		return;
	}
	if (api_query_get(req->query, "queue", queue, sizeof(queue)))
		queue[0] = '\0';
	if (api_query_get(req->query, "agent", agent, sizeof(agent)))
		agent[0] = '\0';
	report_side_settings(api_house(req)->report, &q);
	f = api_job_alloc(req, sizeof(*f), fcr_work, fcr_done, fcr_clean);
	if (!f)
		return;
	f->from = from;
	f->to = to;
	f->window_ms = q.fcr_window_ms;
	f->limit = (size_t)limit;
	util_strlcpy(f->queue, queue, sizeof(f->queue));
	util_strlcpy(f->agent, agent, sizeof(f->agent));
	api_job_queue(f);
}
