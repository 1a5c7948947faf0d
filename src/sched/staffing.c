/* sched/staffing: planned against actual, for every agent with a shift
 * in the caller's scope, one agent (?agent=) or one team (?department=:
 * its agents and those of the departments below it, 一个班组 of 出勤率).
 * GET /api/v1/wfm/staffing (per
 * interval: agents on duty by the shifts, agents signed in, agents
 * available) and GET /api/v1/wfm/adherence (per agent: scheduled time,
 * time available while on duty, adherence; per day: agents scheduled and
 * agents who worked; and the KPI rows 出勤率 and 实际工作率).
 *
 * Actual agent time is the queue module's KPI rows of each scheduled
 * agent, in quarter hours: a worker reads the shifts and the stored rows
 * (queue_kpi_read), the loop adds what the queue host holds in memory
 * (queue_kpi_report, exactly what GET /api/v1/reports/kpi shows). Within a
 * quarter hour the order of states is not kept, so time available while on
 * duty is min(on duty, available) per quarter hour (docs/wfm.md). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "queue/queue.h"
#include "report/report.h"
#include "sched/sched_int.h"

#define Q_MS   INT64_C(900000)
#define DAY_MS INT64_C(86400000)
enum { AGENTS_MAX = 200, DAYS_MAX = 31 };

struct agent {
	char ext[API_EXT_MAX + 1];
	struct sched_shift *sh;
	size_t nsh;
	struct report_set *stored;
	int64_t *on, *login, *avail;    /* per quarter hour */
};

struct st_job {
	struct api_job j;
	bool adherence;
	bool again;
	char agent[API_EXT_MAX + 1];
	char dept[API_DEPT_LEN];        /* a team: its agents and below; "" all */
	int64_t from, to, iv_ms, horizon;
	size_t nq;                      /* quarter hours in [from, to) */
	struct agent *ag;
	size_t nag;
	int status;
	char why[256];
};

static struct agent *agent_add(struct st_job *s, const char *ext)
{
	struct agent *a;

	if (s->nag && !strcmp(s->ag[s->nag - 1].ext, ext))
		return &s->ag[s->nag - 1];
	if (s->nag == AGENTS_MAX)
		return NULL;
	a = &s->ag[s->nag++];
	snprintf(a->ext, sizeof(a->ext), "%s", ext);
	a->on = calloc(s->nq, sizeof(int64_t));
	a->login = calloc(s->nq, sizeof(int64_t));
	a->avail = calloc(s->nq, sizeof(int64_t));
	return a->on && a->login && a->avail ? a : NULL;
}

static int shift_row(const struct db_row *r, void *arg)
{
	struct st_job *s = arg;
	struct agent *a = agent_add(s, db_row_text(r, 0));
	struct sched_shift *sh, *grown;
	json_t *br = json_loads(db_row_text(r, 3), 0, NULL), *it;
	size_t i;

	if (!a) {
		json_decref(br);
		return s->nag == AGENTS_MAX ? E2BIG : ENOMEM;
	}
	grown = realloc(a->sh, (a->nsh + 1) * sizeof(*a->sh));
	if (!grown) {
		json_decref(br);
		return ENOMEM;
	}
	a->sh = grown;
	sh = &a->sh[a->nsh++];
	memset(sh, 0, sizeof(*sh));
	sh->span.start_ms = db_row_int(r, 1);
	sh->span.end_ms = db_row_int(r, 2);
	json_array_foreach(br, i, it) {
		if (i >= SCHED_BREAKS_MAX)
			break;
		sh->breaks[i].start_ms = json_integer_value(
			json_object_get(it, "start_ms"));
		sh->breaks[i].end_ms = json_integer_value(
			json_object_get(it, "end_ms"));
		sh->nbreaks = i + 1;
	}
	json_decref(br);
	return 0;
}

static void st_work(struct api_job *j)
{
	struct st_job *s = (struct st_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *a[API_SCOPE_NARGS];
	int err = 0;

	api_scope_args(&j->req.user, a);
	if (!s->ag) {
		s->ag = calloc(AGENTS_MAX, sizeof(*s->ag));
		if (!s->ag) {
			j->err = ENOMEM;
			return;
		}
		err = db_query(db, shift_row, s, "SELECT agent, start_ms, end_ms, "
			       "breaks FROM shifts WHERE start_ms < ? AND "
			       "end_ms > ? AND (? = '' OR agent = ?) AND "
			       "(? = '' OR agent IN " API_DEPT_EXTENSIONS ") AND "
			       API_SCOPE_SQL("agent", "agent")
			       " ORDER BY agent, start_ms",
			       "iitttt" API_SCOPE_TYPES, s->to, s->from,
			       s->agent, s->agent, s->dept, s->dept, a[0], a[1],
			       a[2], a[3], a[4]);
	}
	if (err == E2BIG) {
		s->status = 400;
		snprintf(s->why, sizeof(s->why), "more than %d agents have "
			 "shifts then: ask for one agent", AGENTS_MAX);
	}
	for (size_t i = 0; !err && i < s->nag; i++) {
		queue_kpi_stored_free(s->ag[i].stored);
		s->ag[i].stored = NULL;
		err = queue_kpi_read(db, NULL, s->ag[i].ext, s->from, s->to,
				     s->horizon, &s->ag[i].stored);
	}
	j->err = err;
}

static void put(struct agent *a, size_t q, const struct report_bucket *b)
{
	a->avail[q] = b->ready_ms + b->ringing_ms + b->talking_ms +
		      b->wrapup_ms;
	a->login[q] = a->avail[q] + b->not_ready_ms;
}

/* An agent the queue host does not know (no longer a member of any
 * queue) has no time in memory: the stored rows are all. */
static void stored_only(struct st_job *s, struct agent *a)
{
	for (size_t q = 0; a->stored && q < s->nq; q++) {
		struct report_bucket b;
		int64_t t = s->from + (int64_t)q * Q_MS;
		if (!report_sum(a->stored, REPORT_AGENT, a->ext, t, t + Q_MS, &b))
			put(a, q, &b);
	}
}

/* The agent's quarter hours from the KPI rows (loop). */
static int actual(struct st_job *s, struct agent *a)
{
	char why[128];
	struct queue_kpi_result rep;
	int err = queue_kpi_report(api_house(&s->j.req)->queues, s->from,
				   s->to, NULL, a->ext, Q_MS, a->stored,
				   s->horizon, NULL, NULL, &rep, why,
				   sizeof(why));

	if (err == ENOENT)
		stored_only(s, a);
	if (err)
		return err == ENOENT ? 0 : err;
	for (size_t i = 0; i < rep.nrows; i++) {
		const struct queue_kpi_row *r = &rep.rows[i];
		size_t q = (size_t)((r->start_ms - s->from) / Q_MS);

		if (r->start_ms >= s->from && q < s->nq)
			put(a, q, &r->counts);
	}
	queue_kpi_result_free(&rep);
	return 0;
}

static void on_duty(const struct st_job *s, struct agent *a)
{
	for (size_t q = 0; q < s->nq; q++) {
		int64_t t = s->from + (int64_t)q * Q_MS;
		for (size_t k = 0; k < a->nsh; k++)
			a->on[q] += sched_on_duty_ms(&a->sh[k], t, t + Q_MS);
	}
}

static json_t *staffing_json(const struct st_job *s)
{
	json_t *rows = json_array();
	size_t per = (size_t)(s->iv_ms / Q_MS);

	for (size_t q0 = 0; rows && q0 < s->nq; q0 += per) {
		int64_t on = 0, login = 0, avail = 0;
		for (size_t i = 0; i < s->nag; i++)
			for (size_t q = q0; q < q0 + per && q < s->nq; q++) {
				on += s->ag[i].on[q];
				login += s->ag[i].login[q];
				avail += s->ag[i].avail[q];
			}
		json_array_append_new(rows, json_pack("{s:I, s:f, s:f, s:f}",
			"start_ms", (json_int_t)(s->from + (int64_t)q0 * Q_MS),
			"planned", (double)on / (double)s->iv_ms,
			"signed_in", (double)login / (double)s->iv_ms,
			"available", (double)avail / (double)s->iv_ms));
	}
	return json_pack("{s:I, s:I, s:I, s:i, s:o}", "from_ms",
			 (json_int_t)s->from, "to_ms", (json_int_t)s->to,
			 "interval_ms", (json_int_t)s->iv_ms, "agents",
			 (int)s->nag, "rows", rows ? rows : json_array());
}

/* A KPI row of report/ over b: {"id", "name_zh", "value", "target",
 * "target_lo", "formula"}; target_lo, the least value on target, lets the
 * console colour a miss. */
static json_t *kpi_json(const char *id, const struct report_bucket *b)
{
	const struct report_kpi_def *d = report_kpi_find(id);
	double v;
	int err = report_kpi(d, b, NULL, &v);

	return json_pack("{s:s, s:s, s:o, s:s?, s:o, s:s}", "id", id,
			 "name_zh", d->name_zh, "value", err ? json_null()
			 : json_real(v), "target", d->target, "target_lo",
			 isnan(d->target_lo) ? json_null()
			 : json_real(d->target_lo), "formula", d->formula);
}

static json_t *adherence_json(const struct st_job *s)
{
	json_t *agents = json_array(), *days = json_array();
	struct report_bucket all = {0};
	size_t qpd = (size_t)(DAY_MS / Q_MS);

	for (size_t i = 0; i < s->nag; i++) {
		const struct agent *a = &s->ag[i];
		int64_t on = 0, login = 0, avail = 0, in = 0;
		for (size_t q = 0; q < s->nq; q++) {
			on += a->on[q];
			login += a->login[q];
			avail += a->avail[q];
			in += a->on[q] < a->avail[q] ? a->on[q] : a->avail[q];
		}
		all.ready_ms += avail;
		all.sched_ms += on;
		json_array_append_new(agents, json_pack(
			"{s:s, s:I, s:I, s:I, s:I, s:o}", "agent", a->ext,
			"scheduled_ms", (json_int_t)on,
			"signed_in_ms", (json_int_t)login,
			"available_ms", (json_int_t)avail,
			"in_adherence_ms", (json_int_t)in,
			"adherence", on ? json_real((double)in / (double)on)
					: json_null()));
	}
	for (size_t q0 = 0; q0 < s->nq; q0 += qpd) {
		int64_t sched = 0, worked = 0;
		for (size_t i = 0; i < s->nag; i++) {
			int64_t on = 0, login = 0;
			for (size_t q = q0; q < q0 + qpd && q < s->nq; q++) {
				on += s->ag[i].on[q];
				login += s->ag[i].on[q] ? s->ag[i].login[q] : 0;
			}
			sched += on > 0;
			worked += on > 0 && login > 0;
		}
		all.sched_agents += sched;
		all.worked_agents += worked;
		json_array_append_new(days, json_pack("{s:I, s:I, s:I, s:o}",
			"day_ms", (json_int_t)(s->from + (int64_t)q0 * Q_MS),
			"agents_scheduled", (json_int_t)sched,
			"agents_worked", (json_int_t)worked,
			"attendance", sched ? json_real((double)worked /
							(double)sched)
					    : json_null()));
	}
	return json_pack("{s:I, s:I, s:o, s:o, s:{s:o, s:o}}", "from_ms",
			 (json_int_t)s->from, "to_ms", (json_int_t)s->to,
			 "agents", agents, "days", days, "kpis",
			 "attendance", kpi_json("attendance", &all),
			 "utilization", kpi_json("utilization", &all));
}

static void st_queue(struct api_req *req, struct st_job *s);

static void st_done(struct api_job *j)
{
	struct st_job *s = (struct st_job *)j;
	json_t *out;
	int err = j->err;

	for (size_t i = 0; !err && i < s->nag; i++)
		err = actual(s, &s->ag[i]);
	if (err == EAGAIN && !s->again) {
		/* A day ended between the read and now: read the rows again. */
		s->again = true;
		s->horizon = queue_kpi_horizon(api_house(&j->req)->queues);
		st_queue(&j->req, s);
		return;
	}
	if (err) {
		api_reply_error(j->req.conn, s->status ? (uint16_t)s->status
				: 500, "%s", s->why[0] ? s->why
				: "cannot read the agents' time");
		return;
	}
	for (size_t i = 0; i < s->nag; i++)
		on_duty(s, &s->ag[i]);
	out = s->adherence ? adherence_json(s) : staffing_json(s);
	if (out)
		api_reply_json(j->req.conn, 200, NULL, out);
	else
		api_reply_error(j->req.conn, 500, "out of memory");
}

static void st_clean(struct api_job *j)
{
	struct st_job *s = (struct st_job *)j;

	for (size_t i = 0; s->ag && i < s->nag; i++) {
		free(s->ag[i].sh);
		free(s->ag[i].on);
		free(s->ag[i].login);
		free(s->ag[i].avail);
		queue_kpi_stored_free(s->ag[i].stored);
	}
	free(s->ag);
}

/* A job continuing s (whose agents, when read, move to the new job). */
static void st_queue(struct api_req *req, struct st_job *s)
{
	struct st_job *n = api_job_alloc(req, sizeof(*n), st_work, st_done,
					 st_clean);

	if (!n)
		return;
	memcpy((char *)n + sizeof(n->j), (char *)s + sizeof(s->j),
	       sizeof(*n) - sizeof(n->j));
	s->ag = NULL;
	s->nag = 0;
	api_job_queue(n);
}

static void handle(struct api_req *req, bool adherence)
{
	struct st_job s = {.adherence = adherence};
	int64_t now = util_now_ms(), day = now - now % DAY_MS;
	char iv[16];

	if (!api_house(req)->queues) {
		api_reply_error(req->conn, 503, "the ACD is not running");
		return;
	}
	if (sched_query_text(req, "agent", s.agent, sizeof(s.agent)) ||
	    sched_query_text(req, "department", s.dept, sizeof(s.dept)) ||
	    sched_query_text(req, "interval", iv, sizeof(iv)) ||
	    api_query_time(req, "from", day, &s.from) ||
	    api_query_time(req, "to", s.from + DAY_MS, &s.to))
		return;
	if (!iv[0] || !strcmp(iv, "15m"))
		s.iv_ms = Q_MS;
	else if (!strcmp(iv, "30m"))
		s.iv_ms = 2 * Q_MS;
	else if (!strcmp(iv, "1h"))
		s.iv_ms = 4 * Q_MS;
	else {
		api_reply_error(req->conn, 400, "interval: want 15m, 30m or 1h");
		return;
	}
	/* Whole days from `from`, which may be a local midnight (00:00 in
	 * Beijing is 16:00 UTC): every quarter hour of the KPI rows starts
	 * on a quarter hour, so any such day is made of whole ones. */
	if (s.from % Q_MS || s.to <= s.from ||
	    (s.to - s.from) % DAY_MS || s.to - s.from > DAYS_MAX * DAY_MS) {
		api_reply_error(req->conn, 400, "from, to: want whole days from "
				"a quarter hour (00:00 UTC or local), from "
				"before to, at most %d days", DAYS_MAX);
		return;
	}
	s.nq = (size_t)((s.to - s.from) / Q_MS);
	s.horizon = queue_kpi_horizon(api_house(req)->queues);
	st_queue(req, &s);
}

void sched_h_staffing(struct api_req *req)
{
	handle(req, false);
}

void sched_h_adherence(struct api_req *req)
{
	handle(req, true);
}
