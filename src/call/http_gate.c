/* call/http_gate: the data scope on live call control. A supervisor whose
 * scope is their departments (管理级) listens to, whispers to, barges in
 * on, holds, transfers or hangs up only the calls of their departments'
 * agents and their own, as they see only those calls' records; one whose
 * scope is their own, only their own. Agents are held to their own phone
 * by call control itself (http_ctl.c), and whoever sees every call
 * passes at once.
 *
 * Monitoring (listen, whisper, barge) is also open to whom the call's
 * queue names in its `supervisors` setting: the user by name, or a
 * department ("dept:ID") in their department's tree — whatever their
 * scope. That grant covers monitoring only: holding, transferring or
 * hanging up another department's call stays refused.
 *
 * The departments' extensions and ids are read on a worker, then the
 * live call's agent and queue are compared on the loop, where the call
 * lives: a call answered a moment ago counts although its record may not
 * say so yet. */
#include <errno.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "base/util.h"
#include "call/call.h"
#include "call/http_int.h"
#include "db/db.h"

struct gate_job {
	struct api_job j;
	void (*run)(struct api_req *req);
	bool monitor;   /* the queue's supervisors may too */
	json_t *exts;   /* the user's departments' extensions; owned */
	json_t *depts;  /* the ids of the user's department's tree; owned */
};

/* The user's department and every one below it. */
#define DEPT_TREE \
	"WITH RECURSIVE sub(id) AS (SELECT ? UNION " \
	"SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) " \
	"SELECT id FROM sub"

static int text_row(const struct db_row *row, void *arg)
{
	return json_array_append_new(arg, json_string(db_row_text(row, 0))) ?
		ENOMEM : 0;
}

static void gate_work(struct api_job *j)
{
	struct gate_job *g = (struct gate_job *)j;

	const char *dept = j->req.user.dept;

	g->exts = json_array();
	g->depts = json_array();
	if (!g->exts || !g->depts) {
		j->err = ENOMEM;
		return;
	}
	if (api_scope_of(&j->req.user) == API_SCOPE_DEPTS && dept[0])
		j->err = db_query(api_house(&j->req)->db, text_row, g->exts,
				  "SELECT extension FROM users WHERE extension IN "
				  API_DEPT_EXTENSIONS, "t", dept);
	if (!j->err && g->monitor && dept[0])
		j->err = db_query(api_house(&j->req)->db, text_row, g->depts,
				  DEPT_TREE, "t", dept);
}

static bool has(const json_t *a, const char *s, size_t len)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e)
		if (strlen(json_string_value(e)) == len &&
		    !strncmp(json_string_value(e), s, len))
			return true;
	return false;
}

/* Whether sups (the call's queue's setting: "lead,dept:ID") names the
 * user or a department of their tree. */
static bool supervises(const struct gate_job *g, const char *sups)
{
	const char *me = g->j.req.user.username;

	for (const char *p = sups; *p;) {
		size_t len = strcspn(p, ",");

		if (!strncmp(p, "dept:", 5) ? has(g->depts, p + 5, len - 5) :
		    len == strlen(me) && !strncmp(p, me, len))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static bool in_scope(const struct gate_job *g, const char *agent)
{
	if (!agent[0])
		return false;     /* nobody's yet: no department's either */
	return !strcmp(agent, g->j.req.user.ext) ||
		has(g->exts, agent, strlen(agent));
}

static void gate_done(struct api_job *j)
{
	struct gate_job *g = (struct gate_job *)j;
	char agent[64] = "", sups[512] = "";
	int err;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read your "
				"departments: %s", strerror(j->err));
		return;
	}
	if (!api_house(&j->req)->calls) {
		api_reply_error(j->req.conn, 503, "calls are not running");
		return;
	}
	err = call_agent_of(api_house(&j->req)->calls,
			    api_param(&j->req.params, "id"), agent,
			    sizeof(agent));
	if (!err && g->monitor)
		err = call_supervisors_of(api_house(&j->req)->calls,
					  api_param(&j->req.params, "id"),
					  sups, sizeof(sups));
	/* No live call: the handler tells unknown from ended. */
	if (!err && !in_scope(g, agent) && !supervises(g, sups)) {
		api_reply_error(j->req.conn, 403, "outside your data scope: "
				"the call's agent is not in your departments%s",
				g->monitor ? ", nor is its queue one you "
				"supervise" : "");
		return;
	}
	g->run(&j->req);
}

static void gate_clean(struct api_job *j)
{
	json_decref(((struct gate_job *)j)->exts);
	json_decref(((struct gate_job *)j)->depts);
}

void call_gate(struct api_req *req, void (*run)(struct api_req *req))
{
	call_gate_for(req, run, false);
}

void call_gate_for(struct api_req *req, void (*run)(struct api_req *req),
		   bool monitor)
{
	struct gate_job *g;

	if (req->user.role_bit == API_R_AGENT ||
	    api_scope_of(&req->user) == API_SCOPE_ALL) {
		run(req);
		return;
	}
	g = api_job_alloc(req, sizeof(*g), gate_work, gate_done, gate_clean);
	if (g) {
		g->run = run;
		g->monitor = monitor;
	}
	api_job_queue(g);
}
