/* call/http_ctl: call control on live calls through the API — what the
 * agent's desktop does in place of the phone's keys (docs/api.md).
 *
 * An agent controls the calls they are connected to; supervisors and
 * admins any call their data scope shows (http_gate.c). A live call an agent is not on is answered 409 with
 * the reason, an ended one 409, an unknown one 404 (issue 14's "call
 * control on a call the agent is not on → 409 with the reason"). Each
 * answer says what was done: 200 for an operation done
 * now, 202 for a transfer, under way when answered.
 *
 * An attended transfer is two requests: /transfer with "attended": true
 * holds the caller and rings the target (the consultation), then
 * /transfer/complete hands the caller over or /transfer/cancel goes back
 * to them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "call/call.h"
#include "call/http_int.h"
#include "db/db.h"

enum { TARGET_MAX = 31, DIGITS_MAX = 32 };

/* The agent a control request is limited to: an agent acts for their own
 * phone only. */
static const char *acting_agent(const struct api_req *req)
{
	return req->user.role_bit == API_R_AGENT ? req->user.ext : NULL;
}

/* A call the manager does not know for this user, told apart on a
 * worker from the record: no record → 404; an ended call → 409; a live
 * call someone else is on → 409 naming why (the agent acts only for their
 * own phone). The record exists from the call's first moment (cdr.c). */
struct gone_job {
	struct api_job j;
	bool found, ended;
};

static int gone_row(const struct db_row *row, void *arg)
{
	struct gone_job *g = arg;

	g->found = true;
	g->ended = db_row_int(row, 0) != 0;
	return 0;
}

static void gone_work(struct api_job *j)
{
	j->err = db_query(api_house(&j->req)->db, gone_row, j,
			  "SELECT ended_at IS NOT NULL FROM calls WHERE id = ?",
			  "t", api_param(&j->req.params, "id"));
}

static void gone_done(struct api_job *j)
{
	struct gone_job *g = (struct gone_job *)j;

	if (j->err || !g->found)
		api_reply_error(j->req.conn, 404, "no such live call");
	else if (g->ended)
		api_reply_error(j->req.conn, 409, "the call has ended");
	else if (acting_agent(&j->req))
		api_reply_error(j->req.conn, 409, "you are not on this call: "
				"an agent controls only the calls on their "
				"own phone");
	else
		api_reply_error(j->req.conn, 404, "no such live call");
}

/* The common refusals of call control. */
static void reply_err(struct api_req *req, int err, const char *why)
{
	switch (err) {
	case ENOENT:
		api_job_queue(api_job_alloc(req, sizeof(struct gone_job),
					    gone_work, gone_done, NULL));
		break;
	case EBUSY:
	case EALREADY:
		api_reply_error(req->conn, 409, "%s", why);
		break;
	case EINVAL:
	case ENOTSUP:
		api_reply_error(req->conn, 400, "%s", why);
		break;
	case EIO:
		api_reply_error(req->conn, 502, "%s", why);
		break;
	default:
		api_reply_error(req->conn, 500, "call control failed: %s",
				strerror(err));
	}
}

/* Runs op on call {id} with arg; answers 200 {id, op} or the refusal. */
static void control(struct api_req *req, const char *op, const char *arg)
{
	const char *id = api_param(&req->params, "id");
	char why[256] = "";
	int err;

	if (!api_house(req)->calls) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	err = call_control(api_house(req)->calls, id, acting_agent(req), op,
			   arg, why, sizeof(why));
	if (err) {
		reply_err(req, err, why);
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:s, s:s}", "id", id,
		       "op", op));
}

static void hold(struct api_req *req)
{
	control(req, "hold", NULL);
}

static void resume(struct api_req *req)
{
	control(req, "resume", NULL);
}

static void hangup(struct api_req *req)
{
	control(req, "hangup", NULL);
}

static void dtmf(struct api_req *req)
{
	const char *digits;
	char why[128] = "";
	json_t *body = NULL;

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "digits", DIGITS_MAX, &digits, why,
			 sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	control(req, "dtmf", digits);
	json_decref(body);   /* digits live in it */
}

/* {"action": "pause"|"resume"}: the recording goes silent for a moment
 * the caller's details must not be kept, then on again; the API user is
 * stored with the pause. */
static void recording_ctl(struct api_req *req)
{
	static const struct {
		const char *action, *op;
	} actions[] = {
		{"pause",  "recording_pause"},
		{"resume", "recording_resume"},
	};
	const char *action, *op = NULL;
	char why[128] = "";
	json_t *body = NULL;

	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "action", 16, &action, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(actions) && !op; i++)
		if (!strcmp(actions[i].action, action))
			op = actions[i].op;
	if (op)
		control(req, op, req->user.username);
	else
		api_reply_error(req->conn, 400, "bad 'action': pause or resume");
	json_decref(body);   /* action lives in it */
}

/* A blind transfer takes the call from its agent to an extension, a queue
 * or a DID. */
static void transfer(struct api_req *req)
{
	const char *id = api_param(&req->params, "id"), *to;
	char why[256] = "";
	json_t *body = NULL, *attended;
	int err;

	if (!api_house(req)->calls) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "to", TARGET_MAX, &to, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	attended = json_object_get(body, "attended");
	if (attended && !json_is_boolean(attended)) {
		api_reply_error(req->conn, 400, "'attended' must be true or false");
		json_decref(body);
		return;
	}
	err = json_is_true(attended) ?
		call_consult(api_house(req)->calls, id, acting_agent(req), to,
			     why, sizeof(why)) :
		call_transfer(api_house(req)->calls, id, acting_agent(req), to,
			      why, sizeof(why));
	if (!err)
		api_reply_json(req->conn, 202, NULL, json_pack("{s:s, s:s, s:b}",
			       "id", id, "to", to, "attended",
			       json_is_true(attended)));
	else if (err == EINVAL)
		api_reply_error(req->conn, 400, "bad 'to': %s", why);
	else if (err == EBUSY)
		api_reply_error(req->conn, 409, "%s", why[0] ? why :
				"the call is not in conversation");
	else
		reply_err(req, err, why);
	json_decref(body);   /* to lives in it */
}

/* The attended transfer's second step: complete or cancel. */
static void consult_end(struct api_req *req, bool done)
{
	const char *id = api_param(&req->params, "id");
	char why[256] = "";
	int err;

	if (!api_house(req)->calls) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	err = call_consult_end(api_house(req)->calls, id, acting_agent(req),
			       done, why, sizeof(why));
	if (err) {
		reply_err(req, err, why);
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:s, s:s}", "id", id,
		       "op", done ? "complete" : "cancel"));
}

static void transfer_complete(struct api_req *req)
{
	consult_end(req, true);
}

static void transfer_cancel(struct api_req *req)
{
	consult_end(req, false);
}

/* A third party joins the conversation: all three hear each other. */
static void conference(struct api_req *req)
{
	const char *id = api_param(&req->params, "id"), *to;
	char why[256] = "";
	json_t *body = NULL;
	int err;

	if (!api_house(req)->calls) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "to", TARGET_MAX, &to, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	err = call_conference(api_house(req)->calls, id, acting_agent(req), to,
			      why, sizeof(why));
	if (err)
		reply_err(req, err, why);
	else
		api_reply_json(req->conn, 202, NULL, json_pack("{s:s, s:s}",
			       "id", id, "to", to));
	json_decref(body);   /* to lives in it */
}

/* A supervisor listens, whispers or barges in from their own phone; the
 * same request with another mode switches. */
static void monitor(struct api_req *req)
{
	const char *id = api_param(&req->params, "id"), *ext, *mode;
	enum call_mon_mode m;
	char why[256] = "";
	json_t *body = NULL;
	int err;

	if (!api_house(req)->calls) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "supervisor_ext", TARGET_MAX, &ext, why,
			 sizeof(why)) ||
	    api_json_str(body, "mode", 16, &mode, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	if (call_monitor_mode_parse(mode, &m)) {
		api_reply_error(req->conn, 400, "bad 'mode': listen, whisper "
				"or barge");
		json_decref(body);
		return;
	}
	err = call_monitor(api_house(req)->calls, id, ext, m, why,
			   sizeof(why));
	if (err)
		reply_err(req, err, why);
	else
		api_reply_json(req->conn, 202, NULL, json_pack("{s:s, s:s, s:s}",
			       "id", id, "supervisor_ext", ext, "mode", mode));
	json_decref(body);
}

/* Click-to-dial: {"agent": EXT, "to": NUMBER}. An agent dials from their
 * own phone only. */
void call_h_click(struct api_req *req)
{
	const char *agent, *to;
	char why[256] = "", id[33];
	json_t *body = NULL;
	int err;

	if (!api_house(req)->calls) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "agent", TARGET_MAX, &agent, why, sizeof(why)) ||
	    api_json_str(body, "to", TARGET_MAX, &to, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	if (acting_agent(req) && strcmp(acting_agent(req), agent)) {
		api_reply_error(req->conn, 403, "an agent dials from their own "
				"extension only");
		json_decref(body);
		return;
	}
	err = call_click_to_dial(api_house(req)->calls, agent, to, id, why,
				 sizeof(why));
	switch (err) {
	case 0:
		api_reply_json(req->conn, 201, NULL, json_pack("{s:s, s:s, s:s}",
			       "id", id, "agent", agent, "to", to));
		break;
	case ENOENT:
		api_reply_error(req->conn, 404, "%s", why);
		break;
	case EINVAL:
		api_reply_error(req->conn, 400, "%s", why);
		break;
	case ENODEV:
	case EBUSY:
		api_reply_error(req->conn, 409, "%s", why);
		break;
	default:
		reply_err(req, err, why);
	}
	json_decref(body);
}

/* The routes: each runs once the caller's data scope allows the call. */
#define GATED(name) \
	void call_h_##name(struct api_req *req) { call_gate(req, name); }
GATED(hold)
GATED(resume)
GATED(hangup)
GATED(dtmf)
GATED(recording_ctl)
GATED(transfer)
GATED(transfer_complete)
GATED(transfer_cancel)
GATED(conference)
/* A queue's supervisors may listen in on its calls beyond their scope. */
void call_h_monitor(struct api_req *req) { call_gate_for(req, monitor, true); }
