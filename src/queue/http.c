/* queue/http: the live ACD (queues, agents, agent states), the KPI report
 * and the queue and agent configuration, all answered by the queue host.
 * An agent may change their own state only; supervisors and admins anyone's.
 *
 * Queue members live in the database: they are read on the worker pool
 * (qh_members_read_json) and the reply is shaped on the loop, where the
 * host's live state may be touched. The KPI report reads the rows of
 * days before today, and the side figures of its KPIs read from other
 * modules' records, the same way, and sums them with today's in memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "base/cfg.h"
#include "base/mod.h"
#include "db/db.h"
#include "ivr/ivr.h"
#include "prompt/prompt.h"
#include "queue/http_int.h"
#include "queue/queue_int.h"
#include "queue/queue.h"
#include "report/report.h"

static bool ready(struct api_req *req)
{
	if (api_house(req)->queues)
		return true;
	api_reply_error(req->conn, 503, "the ACD is not running");
	return false;
}

static uint16_t status_of(int err)
{
	return err == ENOENT ? 404 : err == EINVAL ? 400 : err == EBUSY ? 409 :
		err == EACCES ? 403 : 500;
}

/* Replies with out, or with the error and why. */
static void answer(struct api_req *req, int err, json_t *out, const char *why)
{
	if (!err)
		api_reply_json(req->conn, 200, NULL, out);
	else
		api_reply_error(req->conn, status_of(err), "%s",
				why && *why ? why : strerror(err));
}

static json_t *body_of(struct api_req *req)
{
	char why[256];
	json_t *body = NULL;

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return NULL;
	}
	return body;
}

static void api_h_queues(struct api_req *req)
{
	json_t *out = NULL;

	int err;

	if (!ready(req))
		return;
	err = queue_live_queues(api_house(req)->queues, &out);
	answer(req, err, out, NULL);
}

/* A reply built from the members the pool read. ext: one agent's, or
 * "" for every agent's. */
struct members_job {
	struct api_job j;
	json_t *members;
	char ext[API_PARAM_LEN];
	int (*shape)(struct api_req *req, const json_t *members, json_t **out,
		     char *why, size_t n);
};

static void members_clean(struct api_job *j)
{
	json_decref(((struct members_job *)j)->members);
}

static void members_work(struct api_job *j)
{
	struct members_job *m = (struct members_job *)j;

	j->err = qh_members_read_json(api_house(&j->req)->db,
				      m->ext[0] ? m->ext : NULL, &m->members);
}

static void members_done(struct api_job *j)
{
	struct members_job *m = (struct members_job *)j;
	json_t *out = NULL;
	char why[256] = "";
	int err = j->err;

	/* The host outlives the pool (api_shutdown stops the pool first). */
	if (!err)
		err = m->shape(&j->req, m->members, &out, why, sizeof(why));
	answer(&j->req, err, out, why);
}

static void members_then(struct api_req *req, const char *ext,
			 int (*shape)(struct api_req *, const json_t *,
				      json_t **, char *, size_t))
{
	struct members_job *m = api_job_alloc(req, sizeof(*m), members_work,
					      members_done, members_clean);

	if (m) {
		util_strlcpy(m->ext, ext, sizeof(m->ext));
		m->shape = shape;
	}
	api_job_queue(m);
}

static int agents_shape(struct api_req *req, const json_t *members,
			json_t **out, char *why, size_t n)
{
	(void)why;
	(void)n;
	return queue_live_agents(api_house(req)->queues, members, out);
}

static void api_h_agents(struct api_req *req)
{
	if (ready(req))
		members_then(req, "", agents_shape);
}

static void api_h_agent_state(struct api_req *req)
{
	const char *ext = api_param(&req->params, "ext"), *state, *reason;
	char why[256] = "";
	json_t *body;
	int err;

	if (!ready(req))
		return;
	if (req->user.role_bit == API_R_AGENT && strcmp(req->user.ext, ext)) {
		api_reply_error(req->conn, 403, "agents set their own state only");
		return;
	}
	if (!(body = body_of(req)))
		return;
	if (api_json_str(body, "state", 32, &state, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	reason = json_string_value(json_object_get(body, "reason"));
	err = queue_agent_state_set(api_house(req)->queues, ext, state, reason, why,
				    sizeof(why));
	if (err)
		answer(req, err, NULL, why);
	else
		api_reply_json(req->conn, 200, NULL, json_pack("{s:s, s:s}",
			       "ext", ext, "state", state));
	json_decref(body);   /* state lives in it */
}

/* The KPI report: rows older than the host's horizon and the side
 * figures (calls, work orders, tasks, QA, staff: report_side_read) are
 * read on the pool, then summed with today's buckets in memory on the
 * loop. */
struct kpi_job {
	struct api_job j;
	int64_t from, to, ms, horizon;
	int64_t window_ms, ring_period_ms;
	char queue[64], agent[64];
	char why[160];             /* outside the user's data scope: why */
	struct report_set *stored;
	struct report_side *side, total;   /* side: one per row */
	bool again;                /* read once more: the horizon moved */
};

static void kpi_clean(struct api_job *j)
{
	struct kpi_job *k = (struct kpi_job *)j;

	queue_kpi_stored_free(k->stored);
	free(k->side);
}

static void kpi_work(struct api_job *j)
{
	struct kpi_job *k = (struct kpi_job *)j;
	struct db *db = api_house(&j->req)->db;
	struct report_side_q q = {
		.queue = k->queue[0] ? k->queue : NULL,
		.agent = k->agent[0] ? k->agent : NULL,
		.from = k->from, .to = k->to,
		.origin = k->from - k->from % k->ms, .step = k->ms,
		.fcr_window_ms = k->window_ms,
		.ring_period_ms = k->ring_period_ms,
		.now_ms = util_now_ms(),  /* settled days: their stored rows */
	};

	q.nbins = (size_t)((k->to - q.origin - 1) / k->ms + 1);
	/* Refused before anything is read (scope.c). */
	j->err = queue_scope_check(db, &j->req.user, q.queue, q.agent, k->why,
				   sizeof(k->why));
	if (j->err)
		return;
	j->err = queue_kpi_read_by(db, q.queue, q.agent, k->from, k->to,
				   k->horizon, k->ms, &k->stored);
	if (!j->err && !k->side && !(k->side = calloc(q.nbins,
						      sizeof(*k->side))))
		j->err = ENOMEM;
	if (!j->err)
		j->err = report_side_read(db, &q, k->side, &k->total);
}

static void kpi_read(const struct api_req *req, const struct kpi_job *from);

static void kpi_done(struct api_job *j)
{
	struct kpi_job *k = (struct kpi_job *)j;
	char why[256] = "", *text = NULL;
	size_t len = 0;
	int e = j->err;

	if (e) {
		answer(&j->req, e, NULL, e == EACCES ? k->why : "reading the "
		       "stored KPI buckets or records failed");
		return;
	}
	/* Written as text straight from the sums: building a year of
	 * quarter hours as jansson objects and dumping them took seconds. */
	e = queue_kpi_report_text(api_house(&j->req)->queues, k->from, k->to,
				  k->queue[0] ? k->queue : NULL,
				  k->agent[0] ? k->agent : NULL, k->ms,
				  k->stored, k->horizon, k->side, &k->total,
				  &text, &len, why, sizeof(why));
	if (e == EAGAIN && !k->again) {
		kpi_read(&j->req, k);
		return;
	}
	if (e)
		answer(&j->req, e, NULL, why);
	else
		api_reply_body(j->req.conn, 200, "application/json", text, len);
	free(text);
}

/* Queues the stored half of the report that proto describes, at the
 * host's horizon now. */
static void kpi_read(const struct api_req *req, const struct kpi_job *proto)
{
	struct kpi_job *k = api_job_alloc(req, sizeof(*k), kpi_work, kpi_done,
					  kpi_clean);

	if (!k)
		return;
	k->from = proto->from;
	k->to = proto->to;
	k->ms = proto->ms;
	k->window_ms = proto->window_ms;
	k->ring_period_ms = proto->ring_period_ms;
	memcpy(k->queue, proto->queue, sizeof(k->queue));
	memcpy(k->agent, proto->agent, sizeof(k->agent));
	k->again = proto->horizon != 0;
	k->horizon = queue_kpi_horizon(api_house(req)->queues);
	api_job_queue(k);
}

static void api_h_kpi(struct api_req *req)
{
	char iv[16] = "15m";
	int64_t now = util_now_ms(), day = now - now % 86400000;
	struct kpi_job k = {0};
	struct report_side_q q = {0};
	int e;

	if (!ready(req) || api_query_time(req, "from", day, &k.from) ||
	    api_query_time(req, "to", now + 1, &k.to))
		return;
	e = api_query_get(req->query, "interval", iv, sizeof(iv));
	if ((e && e != ENOENT) || queue_interval_parse(iv, &k.ms)) {
		api_reply_error(req->conn, 400, "bad 'interval' (want 15m, 1h "
				"or 1d)");
		return;
	}
	/* Refused here as queue_kpi_report would, before the pool reads
	 * (and allocates a row of side figures per interval). */
	if (k.from >= k.to || (k.to - k.from) / k.ms > QUEUE_KPI_MAX_ROWS) {
		api_reply_error(req->conn, 400, "want from < to and at most "
				"%d intervals (a year at 15m)",
				QUEUE_KPI_MAX_ROWS);
		return;
	}
	if (api_query_get(req->query, "queue", k.queue, sizeof(k.queue)))
		k.queue[0] = '\0';
	if (api_query_get(req->query, "agent", k.agent, sizeof(k.agent)))
		k.agent[0] = '\0';
	/* Someone who sees only their own figures gets them unasked. */
	if (api_scope_of(&req->user) == API_SCOPE_OWN && !k.queue[0] &&
	    !k.agent[0])
		snprintf(k.agent, sizeof(k.agent), "%s", req->user.ext);
	report_side_settings(api_house(req)->report, &q);
	k.window_ms = q.fcr_window_ms;
	k.ring_period_ms = q.ring_period_ms;
	kpi_read(req, &k);
}

static int cfgs_shape(struct api_req *req, const json_t *members,
		      json_t **out, char *why, size_t n)
{
	(void)why;
	(void)n;
	return queue_cfg_list(api_house(req)->queues, members, out);
}

static void api_h_queue_cfgs(struct api_req *req)
{
	if (ready(req))
		members_then(req, "", cfgs_shape);
}

static void api_h_queue_get(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	json_t *out = NULL;
	char why[128];

	int err;

	snprintf(why, sizeof(why), "no queue %s", name);
	if (!ready(req))
		return;
	err = queue_cfg_get_json(api_house(req)->queues, name, &out);
	answer(req, err, out, why);
}

static void api_h_queue_put(struct api_req *req)
{
	const char *name = api_param(&req->params, "name"), *survey, *prompt;
	char why[256] = "";
	json_t *body, *out = NULL;
	int err;

	if (!ready(req) || !(body = body_of(req)))
		return;
	survey = json_string_value(json_object_get(body, "survey"));
	if (survey && *survey && !ivr_store_get(api_house(req)->ivr, survey)) {
		api_reply_error(req->conn, 400, "survey: no IVR flow '%.40s'",
				survey);
		json_decref(body);
		return;
	}
	prompt = json_string_value(json_object_get(body, "consent_file"));
	if (prompt && *prompt && prompt_name_ok(prompt) &&
	    !(api_house(req)->prompts &&
	      prompt_exists(api_house(req)->prompts, prompt))) {
		api_reply_error(req->conn, 400, "consent_file: no prompt "
				"'%.64s' (upload it first)", prompt);
		json_decref(body);
		return;
	}
	err = queue_cfg_put(api_house(req)->queues, name, body, why, sizeof(why));
	json_decref(body);
	if (!err)
		err = queue_cfg_get_json(api_house(req)->queues, name, &out);
	answer(req, err, out, why);
}

static void api_h_queue_delete(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	char why[256] = "";
	int err;

	if (!ready(req))
		return;
	err = queue_cfg_delete(api_house(req)->queues, name, why, sizeof(why));
	answer(req, err, err ? NULL : json_pack("{s:s}", "deleted", name), why);
}

static int agent_shape(struct api_req *req, const json_t *members,
		       json_t **out, char *why, size_t n)
{
	const char *ext = api_param(&req->params, "ext");

	snprintf(why, n, "no agent %s", ext);
	return queue_agent_cfg_get(api_house(req)->queues, ext, members, out);
}

static void api_h_agent_get(struct api_req *req)
{
	if (ready(req))
		members_then(req, api_param(&req->params, "ext"), agent_shape);
}

/* The reply is read back from the database like a GET: qh_members_read_json
 * waits for the write queued here, so it shows the new configuration. */
static void api_h_agent_put(struct api_req *req)
{
	const char *ext = api_param(&req->params, "ext");
	char why[256] = "";
	json_t *body;
	int err;

	if (!ready(req) || !(body = body_of(req)))
		return;
	err = queue_agent_cfg_put(api_house(req)->queues, ext, body, why, sizeof(why));
	json_decref(body);
	if (err)
		answer(req, err, NULL, why);
	else
		members_then(req, ext, agent_shape);
}

/* ---- the module's row (base/mod.h) ---- */

/* Live queues and agents, their configuration, KPIs; see api/routes.c
 * for what each column means. */
static const struct api_route rows[] = {
	{"GET",  "/api/v1/queues",                  api_h_queues,    API_CALL_READERS,
	 0, "live queues: waiting, longest wait, agents by state, today's figures"},
	{"GET",  "/api/v1/queues/{name}",           api_h_queue_get, API_SUPERVISORS,
	 0, "one queue's configuration"},
	{"PUT",  "/api/v1/queues/{name}",           api_h_queue_put, API_R_ADMIN,
	 0, "create or change a queue (validated; refused whole)"},
	{"DELETE", "/api/v1/queues/{name}",         api_h_queue_delete, API_R_ADMIN,
	 0, "remove a queue without calls"},
	{"GET",  "/api/v1/queue-config",            api_h_queue_cfgs, API_SUPERVISORS,
	 0, "every queue's configuration with its members"},
	{"GET",  "/api/v1/agents",                  api_h_agents,    API_CALL_READERS,
	 0, "live agents: state, reason, time in state, today's counters"},
	{"GET",  "/api/v1/agents/{ext}",            api_h_agent_get, API_SUPERVISORS,
	 0, "the queues an agent serves"},
	{"PUT",  "/api/v1/agents/{ext}",            api_h_agent_put, API_R_ADMIN,
	 0, "set the queues an agent serves (skill, position)"},
	{"PUT",  "/api/v1/agents/{ext}/state",      api_h_agent_state,
	 API_CALL_HANDLERS,
	 0, "ready, not_ready (reason: a not-ready reason's code) or logged_out"},
	{"GET",  "/api/v1/not-ready-reasons",       queue_h_codes_list, API_ANYONE,
	 0, "not-ready reasons (示忙原因): code, label_zh, label_en, sort, active"},
	{"POST", "/api/v1/not-ready-reasons",       queue_h_codes_create,
	 API_SUPERVISORS, 0, "add a not-ready reason (409 when its code exists)"},
	{"PUT",  "/api/v1/not-ready-reasons/{code}", queue_h_codes_update,
	 API_SUPERVISORS, 0, "change a not-ready reason's labels, sort or active"},
	{"DELETE", "/api/v1/not-ready-reasons/{code}", queue_h_codes_delete,
	 API_SUPERVISORS, 0, "remove a not-ready reason"},
	{"GET",  "/api/v1/wrapup-codes",            queue_h_codes_list, API_ANYONE,
	 0, "wrap-up codes (小结代码): code, labels, queue (null: all), sort, active"},
	{"POST", "/api/v1/wrapup-codes",            queue_h_codes_create,
	 API_SUPERVISORS, 0, "add a wrap-up code (409 when its code exists)"},
	{"PUT",  "/api/v1/wrapup-codes/{code}",     queue_h_codes_update,
	 API_SUPERVISORS, 0, "change a wrap-up code's labels, queue, sort or active"},
	{"DELETE", "/api/v1/wrapup-codes/{code}",   queue_h_codes_delete,
	 API_SUPERVISORS, 0, "remove a wrap-up code"},
	{"GET",  "/api/v1/reports/kpi",             api_h_kpi,       API_CALL_READERS,
	 0, "KPI rows per interval; from, to, queue, agent, interval; KPIs "
	 "rounded: seconds to 3 decimals, other units to 6"},
};
static const struct mod_routes routes = {rows, ARRAY_LEN(rows)};

static int start(struct mod_house *h, char *err, size_t n)
{
	/* queue.phone_login unset: on with the demo tenant */
	struct queue_values v = {.phone_login = h->demo};
	char why[300] = "";
	struct queue_opts qo = {
		.db = h->db, .bus = h->bus, .calls = h->calls, .sipx = h->sipx,
		.tts = h->tts,
	};
	int e;

	if (cfg_read(h->cfg, queue_settings.rows, queue_settings.n, &v, err, n))
		return EINVAL;
	qo.phone_login = v.phone_login;
	qo.flush_ms = v.flush_ms;
	e = queue_host_start(&h->queues, &qo, why, sizeof(why));
	if (e)
		snprintf(err, n, "cannot start the queues (%s)", why);
	return e;
}

/* The queue host stores states and buckets while the database is open,
 * after every call has told it how it ended (the call module's drain, or
 * no call at all when the server never ran). */
static void stop(struct mod_house *h)
{
	queue_host_stop(h->queues);
	h->queues = NULL;
}

/* The CTI client's view of agents and queues (api/snapshot.c). */
static int snapshot(struct mod_house *h, unsigned parts, json_t *data)
{
	return h->queues ? queue_live_view(h->queues, parts, data) : 0;
}

const struct mod_export queue_module = {
	.name = "queue", .start = start, .stop = stop, .routes = &routes,
	.settings = &queue_settings, .snapshot = snapshot,
};
