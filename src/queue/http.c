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
#include "base/jsonw.h"
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

/* Replies with out (taken), its reals at JSONW_DUMP_DIGITS: the KPIs
 * that live.c rounds then read as the KPI report shows them. */
static void reply_rounded(struct api_req *req, json_t *out)
{
	char *text = json_dumps(out, JSON_COMPACT |
				JSON_REAL_PRECISION(JSONW_DUMP_DIGITS));

	json_decref(out);
	if (text)
		api_reply_body(req->conn, 200, "application/json", text,
			       strlen(text));
	else
		api_reply_error(req->conn, 500, "out of memory");
	free(text);
}

/* A reply built on the loop from what the pool read: the caller's data
 * scope (api_scope_list_load: the live lists show what its CTI snapshot
 * shows) and, unless ext is NULL, the members of one agent (ext) or of
 * every agent (""). */
struct members_job {
	struct api_job j;
	json_t *members;
	struct api_scope_list *scope;
	bool read_members;
	char ext[API_PARAM_LEN];
	int (*shape)(struct api_req *req, struct api_scope_list *scope,
		     const json_t *members, json_t **out, char *why,
		     size_t n);
};

typedef int (members_shape_h)(struct api_req *, struct api_scope_list *,
			      const json_t *, json_t **, char *, size_t);

static void members_clean(struct api_job *j)
{
	struct members_job *m = (struct members_job *)j;

	json_decref(m->members);
	api_scope_list_free(m->scope);
}

static void members_work(struct api_job *j)
{
	struct members_job *m = (struct members_job *)j;
	struct db *db = api_house(&j->req)->db;

	j->err = api_scope_list_load(&m->scope, db, &j->req.user);
	if (!j->err && m->read_members)
		j->err = qh_members_read_json(db, m->ext[0] ? m->ext : NULL,
					      &m->members);
}

/* Shapes the reply from scope and members, and sends it. */
static void shape_reply(struct api_req *req, int err, members_shape_h *shape,
			struct api_scope_list *scope, const json_t *members)
{
	json_t *out = NULL;
	char why[256] = "";

	if (!err)
		err = shape(req, scope, members, &out, why, sizeof(why));
	if (err)
		answer(req, err, NULL, why);
	else
		reply_rounded(req, out);
}

static void members_done(struct api_job *j)
{
	struct members_job *m = (struct members_job *)j;

	/* The host outlives the pool (api_shutdown stops the pool first). */
	shape_reply(&j->req, j->err, m->shape, m->scope, m->members);
}

static void members_then(struct api_req *req, const char *ext,
			 members_shape_h *shape)
{
	struct members_job *m;

	/* Nothing to read (no members asked, a scope that needs no
	 * department): answered at once, without the pool's round trip. */
	if (!ext && !api_scope_list_reads(&req->user)) {
		struct api_scope_list *scope = NULL;
		int err = api_scope_list_load(&scope, NULL, &req->user);

		shape_reply(req, err, shape, scope, NULL);
		api_scope_list_free(scope);
		return;
	}
	m = api_job_alloc(req, sizeof(*m), members_work, members_done,
			  members_clean);

	if (m) {
		m->read_members = ext != NULL;
		util_strlcpy(m->ext, ext ? ext : "", sizeof(m->ext));
		m->shape = shape;
	}
	api_job_queue(m);
}

/* {"items": the part of live that scope keeps}; live is taken. */
static int items_kept(struct api_scope_list *scope, json_t *live,
		      const char *part, json_t **out)
{
	json_t *kept = NULL;
	int err = live ? api_scope_list_keep(scope, live, &kept) : ENOMEM;

	json_decref(live);
	if (err)
		return err;
	*out = json_pack("{s:O}", "items", json_object_get(kept, part));
	json_decref(kept);
	return *out ? 0 : ENOMEM;
}

/* The live view a list is kept from: the queues with the agents whose
 * members say which queues a department's lead sees, as the CTI
 * snapshot has them (queue/view.c). */
static int view_kept(struct api_req *req, struct api_scope_list *scope,
		     json_t **out)
{
	json_t *live = json_object();
	int err = live ? queue_live_view(api_house(req)->queues,
				 MOD_LIVE_AGENTS | MOD_LIVE_QUEUES, live) :
		ENOMEM;

	if (err) {
		json_decref(live);
		return err;
	}
	return items_kept(scope, live, "queues", out);
}

static int queues_shape(struct api_req *req, struct api_scope_list *scope,
			const json_t *members, json_t **out, char *why,
			size_t n)
{
	(void)members;
	(void)why;
	(void)n;
	if (api_scope_list_all(scope))
		return queue_live_queues(api_house(req)->queues, out);
	return view_kept(req, scope, out);
}

static void api_h_queues(struct api_req *req)
{
	if (ready(req))
		members_then(req, NULL, queues_shape);
}

static int agents_shape(struct api_req *req, struct api_scope_list *scope,
			const json_t *members, json_t **out, char *why,
			size_t n)
{
	json_t *list = NULL;
	int err = queue_live_agents(api_house(req)->queues, members, &list);

	(void)why;
	(void)n;
	if (err)
		return err;
	if (api_scope_list_all(scope)) {
		*out = list;
		return 0;
	}
	err = items_kept(scope, json_pack("{s:O}", "agents",
				json_object_get(list, "items")), "agents", out);
	json_decref(list);
	return err;
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

/* Whether items (an array) holds one whose key is name. */
static bool listed(const json_t *items, const char *key, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(items, i, v) {
		const char *s = json_string_value(json_object_get(v, key));

		if (s && !strcmp(s, name))
			return true;
	}
	return false;
}

/* Every queue's configuration in the caller's list (GET /api/v1/queues:
 * view_kept), each whole with all its members, as the list and the one
 * queue give a queue whole. Scope all keeps everything unasked. */
static int cfgs_shape(struct api_req *req, struct api_scope_list *scope,
		      const json_t *members, json_t **out, char *why, size_t n)
{
	json_t *seen = NULL, *items;
	int err = queue_cfg_list(api_house(req)->queues, members, out);
	size_t i;

	(void)why;
	(void)n;
	if (err || api_scope_list_all(scope))
		return err;
	err = view_kept(req, scope, &seen);
	items = json_object_get(*out, "items");
	for (i = json_array_size(items); !err && i-- > 0;) {
		const char *name = json_string_value(json_object_get(
					json_array_get(items, i), "name"));

		if (!name || !listed(json_object_get(seen, "items"), "name",
				     name))
			err = json_array_remove(items, i) ? ENOMEM : 0;
	}
	json_decref(seen);
	if (err) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

static void api_h_queue_cfgs(struct api_req *req)
{
	if (ready(req))
		members_then(req, "", cfgs_shape);
}

/* One queue, as GET /api/v1/calls/{id} answers one call: 404 when there
 * is none, 403 when the caller's list (GET /api/v1/queues) leaves it out. */
static int queue_shape(struct api_req *req, struct api_scope_list *scope,
		       const json_t *members, json_t **out, char *why,
		       size_t n)
{
	const char *name = api_param(&req->params, "name");
	json_t *seen = NULL;
	int err = ENOENT;

	(void)members;
	snprintf(why, n, "no queue %s", name);
	if (qh_queue_by_name(api_house(req)->queues, name))
		err = api_scope_list_all(scope) ? 0 : view_kept(req, scope,
								&seen);
	if (!err && seen &&
	    !listed(json_object_get(seen, "items"), "name", name)) {
		snprintf(why, n, "outside your data scope: queue %s", name);
		err = EACCES;
	}
	json_decref(seen);
	return err ? err : queue_cfg_get_json(api_house(req)->queues, name,
					      out);
}

static void api_h_queue_get(struct api_req *req)
{
	if (ready(req))
		members_then(req, NULL, queue_shape);
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

/* The reply of a PUT: the writer's right is its role's, not a scope. */
static int agent_shape(struct api_req *req, struct api_scope_list *scope,
		       const json_t *members, json_t **out, char *why, size_t n)
{
	const char *ext = api_param(&req->params, "ext");

	(void)scope;
	snprintf(why, n, "no agent %s", ext);
	return queue_agent_cfg_get(api_house(req)->queues, ext, members, out);
}

/* One agent, as GET /api/v1/calls/{id} answers one call: 404 when there
 * is none, 403 when the caller's list (GET /api/v1/agents) leaves it out. */
static int agent_get_shape(struct api_req *req, struct api_scope_list *scope,
			   const json_t *members, json_t **out, char *why,
			   size_t n)
{
	const char *ext = api_param(&req->params, "ext");
	json_t *seen = NULL, *one;
	int err = agent_shape(req, scope, members, &one, why, n);

	if (err)
		return err;
	if (api_scope_list_all(scope)) {
		*out = one;
		return 0;
	}
	err = items_kept(scope, json_pack("{s:[{s:s}]}", "agents", "ext", ext),
			 "agents", &seen);
	if (!err && !json_array_size(json_object_get(seen, "items"))) {
		snprintf(why, n, "outside your data scope: agent %s", ext);
		err = EACCES;
	}
	json_decref(seen);
	if (err)
		json_decref(one);
	else
		*out = one;
	return err;
}

static void api_h_agent_get(struct api_req *req)
{
	if (ready(req))
		members_then(req, api_param(&req->params, "ext"),
			     agent_get_shape);
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
	 0, "live queues in the caller's data scope: waiting, longest wait, "
	 "agents by state, today's figures"},
	{"GET",  "/api/v1/queues/{name}",           api_h_queue_get, API_SUPERVISORS,
	 0, "one queue's configuration (403 outside the caller's data "
	 "scope)"},
	{"PUT",  "/api/v1/queues/{name}",           api_h_queue_put, API_R_ADMIN,
	 0, "create or change a queue (validated; refused whole)"},
	{"DELETE", "/api/v1/queues/{name}",         api_h_queue_delete, API_R_ADMIN,
	 0, "remove a queue without calls"},
	{"GET",  "/api/v1/queue-config",            api_h_queue_cfgs, API_SUPERVISORS,
	 0, "the configuration of the queues in the caller's data scope "
	 "(those GET /api/v1/queues lists), each with its members"},
	{"GET",  "/api/v1/agents",                  api_h_agents,    API_CALL_READERS,
	 0, "live agents in the caller's data scope: state, reason, time in "
	 "state, today's counters"},
	{"GET",  "/api/v1/agents/{ext}",            api_h_agent_get, API_SUPERVISORS,
	 0, "the queues an agent serves (403 outside the caller's data "
	 "scope)"},
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
