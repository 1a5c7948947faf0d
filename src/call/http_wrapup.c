/* call/http_wrapup: the wrap-up (话后小结) an agent files for a call they
 * handled — a code from the administrator's list and free notes — stored
 * with the call record, then announced on the bus (call.wrapup), where the
 * queue host ends the agent's wrap-up early.
 *
 * POST /api/v1/calls/{id}/wrapup {"code", "notes"}: an agent files for a
 * call they answered (agent) or passed on (transfer_by) once their part is
 * over (the call ended, or they transferred it); a supervisor or an
 * administrator may file for anyone's. Refused: 409 with the reason for a
 * call not theirs, never answered or still theirs and live; 400 for an
 * unknown or inactive code, a code kept for another queue, notes longer
 * than WRAPUP_NOTES_MAX characters. Filing again replaces the wrap-up.
 * GET …/wrapup answers the stored one (null fields before it is filed).
 *
 * The checks read the call row and the code on the worker pool. The code
 * list is queue/'s table, read here as a plain row: call/ sits below
 * queue/ and cannot ask the host. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/http.h"
#include "base/bus.h"
#include "base/mod.h"
#include "call/http_int.h"
#include "db/db.h"

enum { WRAPUP_NOTES_MAX = 2000, WRAPUP_CODE_MAX = 31, WHY_LEN = 160,
       NOTES_BYTES = WRAPUP_NOTES_MAX * 4 + 1 };   /* UTF-8: 4 a character */

struct wrapup_job {
	struct api_job j;
	char code[WRAPUP_CODE_MAX + 1];
	char notes[NOTES_BYTES];        /* "": none */
	bool get;                       /* GET: answer what is stored */
	/* read from the call row */
	bool found, answered, ended, in_scope;
	char agent[32], transfer_by[32], queue[64];
	char stored_code[WRAPUP_CODE_MAX + 1], stored_by[64];
	char stored_notes[NOTES_BYTES];
	bool has_notes;
	int64_t stored_at;
	/* the code's row */
	bool code_found, code_active;
	char code_queue[64];
	int status;                     /* a refusal's HTTP status, else 0 */
	char why[WHY_LEN];
};

static void copy_col(const struct db_row *row, int i, char *dst, size_t n)
{
	util_strlcpy(dst, db_row_isnull(row, i) ? "" : db_row_text(row, i), n);
}

static int call_row(const struct db_row *row, void *arg)
{
	struct wrapup_job *w = arg;

	w->found = true;
	copy_col(row, 0, w->agent, sizeof(w->agent));
	copy_col(row, 1, w->transfer_by, sizeof(w->transfer_by));
	w->answered = !db_row_isnull(row, 2);
	w->ended = !db_row_isnull(row, 3);
	copy_col(row, 4, w->queue, sizeof(w->queue));
	copy_col(row, 5, w->stored_code, sizeof(w->stored_code));
	w->has_notes = !db_row_isnull(row, 6);
	copy_col(row, 6, w->stored_notes, sizeof(w->stored_notes));
	copy_col(row, 7, w->stored_by, sizeof(w->stored_by));
	w->stored_at = db_row_isnull(row, 8) ? 0 : db_row_int(row, 8);
	w->in_scope = db_row_int(row, 9) != 0;
	return 0;
}

static int code_row(const struct db_row *row, void *arg)
{
	struct wrapup_job *w = arg;

	w->code_found = true;
	copy_col(row, 0, w->code_queue, sizeof(w->code_queue));
	w->code_active = db_row_int(row, 1) != 0;
	return 0;
}

#define REFUSE(st, ...) do { w->status = (st); \
	snprintf(w->why, sizeof(w->why), __VA_ARGS__); return; } while (0)

/* Whether the user may file for the call as read: 0 or a refusal. */
static void check(struct wrapup_job *w, const struct api_user *u)
{
	bool agent = u->role_bit == API_R_AGENT;
	bool theirs = !agent || (u->ext[0] && (!strcmp(w->agent, u->ext) ||
					       !strcmp(w->transfer_by, u->ext)));

	if (!w->found)
		REFUSE(404, "no such call");
	if (w->get) {
		if (!w->in_scope)
			REFUSE(403, "outside your data scope");
		return;
	}
	if (!theirs)
		REFUSE(409, "not your call: only the agent who handled it "
		       "files its wrap-up");
	if (!w->answered)
		REFUSE(409, "the call was never answered");
	if (!w->ended && !(w->transfer_by[0] &&
			   (!agent || !strcmp(w->transfer_by, u->ext))))
		REFUSE(409, "the call is still in progress: file the wrap-up "
		       "when it has ended");
	if (!w->code_found || !w->code_active)
		REFUSE(400, "code: unknown wrap-up code '%s' (GET "
		       "/api/v1/wrapup-codes)", w->code);
	if (w->code_queue[0] && strcmp(w->code_queue, w->queue))
		REFUSE(400, "code: '%s' is for queue %s, not this call's",
		       w->code, w->code_queue);
}

static void wrapup_work(struct api_job *j)
{
	struct wrapup_job *w = (struct wrapup_job *)j;
	struct db *db = api_house(&j->req)->db;
	const char *id = api_param(&j->req.params, "id");
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(&j->req.user, sc);
	/* The call record's last writes (ended_at, transfer_by) may still
	 * be queued when the agent files at once. */
	j->err = db_flush(db);
	if (!j->err)
		j->err = db_query(db, call_row, w, "SELECT agent, transfer_by, "
				  "answered_at, ended_at, queue, wrapup_code, "
				  "wrapup_notes, wrapup_by, wrapup_at, "
				  API_SCOPE_SQL("agent", "transfer_by")
				  " FROM calls WHERE id = ?", API_SCOPE_TYPES "t",
				  sc[0], sc[1], sc[2], sc[3], sc[4], id);
	if (!j->err && !w->get)
		j->err = db_query(db, code_row, w, "SELECT queue, active FROM "
				  "wrapup_codes WHERE code = ?", "t", w->code);
	if (j->err)
		j->err = EIO;
	else
		check(w, &j->req.user);
}

/* The agent whose wrap-up the filing ends: the requesting agent, else the
 * one who passed the call on, else the one who answered it. */
static const char *agent_of(const struct wrapup_job *w,
			    const struct api_user *u)
{
	if (u->role_bit == API_R_AGENT)
		return u->ext;
	return w->transfer_by[0] ? w->transfer_by : w->agent;
}

static void wrapup_done(struct api_job *j)
{
	struct wrapup_job *w = (struct wrapup_job *)j;
	struct mod_house *house = api_house(&j->req);
	const char *id = api_param(&j->req.params, "id");
	char at[UTIL_TIME_LEN];
	int64_t now = util_now_ms();
	json_t *out;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read the call");
		return;
	}
	if (w->status) {
		api_reply_error(j->req.conn, (uint16_t)w->status, "%s", w->why);
		return;
	}
	if (w->get) {
		if (w->stored_at)
			util_rfc3339(at, w->stored_at);
		api_reply_json(j->req.conn, 200, NULL, json_pack(
			"{s:s, s:s?, s:s?, s:s?, s:s?}", "call_id", id,
			"code", w->stored_code[0] ? w->stored_code : NULL,
			"notes", w->has_notes ? w->stored_notes : NULL, "by",
			w->stored_by[0] ? w->stored_by : NULL,
			"at", w->stored_at ? at : NULL));
		return;
	}
	db_write(house->db, "UPDATE calls SET wrapup_code = ?, wrapup_notes = ?, "
		 "wrapup_by = ?, wrapup_at = ? WHERE id = ?", "tttit", w->code,
		 w->notes[0] ? w->notes : NULL, j->req.user.username, now, id);
	util_rfc3339(at, now);
	out = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s}", "call_id", id,
			"code", w->code, "notes", w->notes[0] ? w->notes : NULL, "by",
			j->req.user.username, "at", at, "agent",
			agent_of(w, &j->req.user), "queue", w->queue);
	if (out)
		bus_publish(house->bus, BUS_CALL_WRAPUP, id, now,
			    json_deep_copy(out));
	api_reply_json(j->req.conn, 200, NULL, out);
}

/* Counts UTF-8 characters (not bytes): the limit is the person's. */
static size_t utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

void call_h_wrapup_get(struct api_req *req)
{
	struct wrapup_job *w = api_job_alloc(req, sizeof(*w), wrapup_work,
					     wrapup_done, NULL);

	if (w)
		w->get = true;
	api_job_queue(w);
}

void call_h_wrapup(struct api_req *req)
{
	const char *code, *notes = NULL;
	struct wrapup_job *w;
	char why[WHY_LEN];
	json_t *body = NULL, *v;

	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	if (api_json_str(body, "code", WRAPUP_CODE_MAX, &code, why,
			 sizeof(why)) || !*code) {
		api_reply_error(req->conn, 400, "code: want a wrap-up code");
		goto out;
	}
	v = json_object_get(body, "notes");
	if (v && !json_is_null(v) && (!(notes = json_string_value(v)) ||
				      utf8_len(notes) > WRAPUP_NOTES_MAX)) {
		api_reply_error(req->conn, 400, "notes: want a text of at most "
				"%d characters", WRAPUP_NOTES_MAX);
		goto out;
	}
	w = api_job_alloc(req, sizeof(*w), wrapup_work, wrapup_done, NULL);
	if (w) {
		util_strlcpy(w->code, code, sizeof(w->code));
		util_strlcpy(w->notes, notes ? notes : "", sizeof(w->notes));
	}
	api_job_queue(w);
 out:
	json_decref(body);
}
