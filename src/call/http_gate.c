/* call/http_gate: the data scope on live call control. A supervisor whose
 * scope is their departments (管理级) listens to, whispers to, barges in
 * on, holds, transfers or hangs up only the calls of their departments'
 * agents and their own, as they see only those calls' records; one whose
 * scope is their own, only their own. Agents are held to their own phone
 * by call control itself (http_ctl.c), and whoever sees every call
 * passes at once.
 *
 * The departments' extensions are read on a worker, then the live call's
 * agent is compared on the loop, where the call lives: a call answered a
 * moment ago counts although its record may not say so yet. */
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
	json_t *exts;   /* the user's departments' extensions; owned */
};

static int ext_row(const struct db_row *row, void *arg)
{
	struct gate_job *g = arg;

	return json_array_append_new(g->exts,
				     json_string(db_row_text(row, 0))) ?
		ENOMEM : 0;
}

static void gate_work(struct api_job *j)
{
	struct gate_job *g = (struct gate_job *)j;

	g->exts = json_array();
	if (!g->exts) {
		j->err = ENOMEM;
		return;
	}
	if (api_scope_of(&j->req.user) == API_SCOPE_DEPTS && j->req.user.dept[0])
		j->err = db_query(api_house(&j->req)->db, ext_row, g,
				  "SELECT extension FROM users WHERE extension IN "
				  API_DEPT_EXTENSIONS, "t", j->req.user.dept);
}

static bool in_scope(const struct gate_job *g, const char *agent)
{
	size_t i;
	json_t *e;

	if (!agent[0])
		return false;     /* nobody's yet: no department's either */
	if (!strcmp(agent, g->j.req.user.ext))
		return true;
	json_array_foreach(g->exts, i, e)
		if (!strcmp(json_string_value(e), agent))
			return true;
	return false;
}

static void gate_done(struct api_job *j)
{
	struct gate_job *g = (struct gate_job *)j;
	char agent[64] = "";
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
	/* No live call: the handler tells unknown from ended. */
	if (!err && !in_scope(g, agent)) {
		api_reply_error(j->req.conn, 403, "outside your data scope: "
				"the call's agent is not in your departments");
		return;
	}
	g->run(&j->req);
}

static void gate_clean(struct api_job *j)
{
	json_decref(((struct gate_job *)j)->exts);
}

void call_gate(struct api_req *req, void (*run)(struct api_req *req))
{
	struct gate_job *g;

	if (req->user.role_bit == API_R_AGENT ||
	    api_scope_of(&req->user) == API_SCOPE_ALL) {
		run(req);
		return;
	}
	g = api_job_alloc(req, sizeof(*g), gate_work, gate_done, gate_clean);
	if (g)
		g->run = run;
	api_job_queue(g);
}
