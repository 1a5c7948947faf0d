/* call/http: call records (CDR) with their events, their recordings, and
 * call control on live calls.
 *
 * The list is newest first and paged by keyset on (started_at, id): the
 * cursor names the last row returned and the next page starts strictly
 * after it, so rows written meanwhile never shift or repeat a page (the
 * calls_started index serves both the order and the seek).
 *
 * Who sees what: the user's data scope (api/scope.c, API_SCOPE_SQL over
 * agent and transfer_by) filters the list; one call outside it is 403
 * (audited by the router), one that does not exist 404. Numbers are
 * masked for users who must not see them in full. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/http.h"
#include "audio/audio.h"
#include "base/jsonw.h"
#include "base/mod.h"
#include "call/http_int.h"
#include "call/call.h"
#include "db/db.h"

#define CALL_COLS "id, direction, caller, callee, started_at, answered_at, " \
	"ended_at, duration_s, talk_s, agent, queue, hangup_by, recording, " \
	"transfer_by, transfer_to, hold_s, province, city, rating, trunk, " \
	"wrapup_code, wrapup_notes, wrapup_by, wrapup_at"

enum { LIMIT_DEFAULT = 50, LIMIT_MAX = 500 };

/* Column index → API field, in CALL_COLS order; times become RFC 3339,
 * numbers (a customer's or a callee's) are masked for users who see them
 * masked. */
static const struct {
	const char *field;
	enum { C_TEXT, C_NUMBER, C_TIME, C_INT } kind;
} cols[] = {
	{"id", C_TEXT}, {"direction", C_TEXT}, {"from", C_NUMBER},
	{"to", C_NUMBER},
	{"started_at", C_TIME}, {"answered_at", C_TIME}, {"ended_at", C_TIME},
	{"duration_s", C_INT}, {"talk_s", C_INT}, {"agent", C_TEXT},
	{"queue", C_TEXT}, {"hangup_by", C_TEXT}, {"recording", C_TEXT},
	{"transfer_by", C_TEXT}, {"transfer_to", C_NUMBER}, {"hold_s", C_INT},
	{"province", C_TEXT}, {"city", C_TEXT}, {"rating", C_INT},
	{"trunk", C_TEXT}, {"wrapup_code", C_TEXT}, {"wrapup_notes", C_TEXT},
	{"wrapup_by", C_TEXT}, {"wrapup_at", C_TIME},
};

/* The text of column i of row as the user may see it; m holds a masked
 * number. */
static const char *col_text(const struct db_row *row, size_t i,
			    const struct api_user *u, char m[API_MASK_LEN])
{
	const char *txt = db_row_text(row, (int)i);

	if (cols[i].kind != C_NUMBER || !u->mask_numbers)
		return txt;
	api_mask_number(txt, m, API_MASK_LEN);
	return m;
}

static json_t *call_json(const struct db_row *row, const struct api_user *u)
{
	json_t *o = json_object();
	char t[UTIL_TIME_LEN], m[API_MASK_LEN];

	for (size_t i = 0; o && i < ARRAY_LEN(cols); i++) {
		json_t *v;

		if (db_row_isnull(row, (int)i))
			v = json_null();
		else if (cols[i].kind == C_INT)
			v = json_integer(db_row_int(row, (int)i));
		else if (cols[i].kind == C_TIME) {
			util_rfc3339(t, db_row_int(row, (int)i));
			v = json_string(t);
		}
		else
			v = json_string(col_text(row, i, u, m));
		json_object_set_new(o, cols[i].field, v);
	}
	return o;
}

/* The list is written as JSON text on the worker, row by row (base/jsonw):
 * the same fields and values call_json gives, without an object per
 * field, so the loop only sends bytes (bench/api). */
static void call_text(struct jsonw *w, const struct db_row *row,
		      const struct api_user *u)
{
	char t[UTIL_TIME_LEN], m[API_MASK_LEN];

	for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
		jsonw_raw(w, i ? "," : "{");
		jsonw_key(w, cols[i].field);
		if (db_row_isnull(row, (int)i))
			jsonw_raw(w, "null");
		else if (cols[i].kind == C_INT)
			jsonw_int(w, db_row_int(row, (int)i));
		else if (cols[i].kind == C_TIME) {
			util_rfc3339(t, db_row_int(row, (int)i));
			jsonw_str(w, t);
		}
		else
			jsonw_str(w, col_text(row, i, u, m));
	}
	jsonw_raw(w, "}");
}

struct page {
	const struct api_user *user;
	struct jsonw w;
	size_t n, limit;
	int64_t last_ts;
	char last_id[UTIL_ID_LEN];
};

static int page_row(const struct db_row *row, void *arg)
{
	struct page *pg = arg;

	if (++pg->n > pg->limit)   /* the extra row only says "there is more" */
		return 0;
	pg->last_ts = db_row_int(row, 4);
	util_strlcpy(pg->last_id, db_row_text(row, 0), sizeof(pg->last_id));
	if (pg->n > 1)
		jsonw_raw(&pg->w, ",");
	call_text(&pg->w, row, pg->user);
	return pg->w.err;
}

struct list_job {
	struct api_job j;
	struct page pg;
	char *text;               /* the reply, written on the worker */
	size_t len;
	int64_t from, to, c_ts;
	char c_id[UTIL_ID_LEN];
	struct call_filter f;
};

static void list_clean(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;

	jsonw_free(&l->pg.w);
	free(l->text);
}

_Static_assert(CALL_FILTER_BINDS == 16, "list_work passes 16 binds");

static void list_work(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;
	const struct call_filter *f = &l->f;
	const char *sc[API_SCOPE_NARGS];
	char sql[sizeof(f->sql) + 1024], types[32 + CALL_FILTER_BINDS];

	/* The filters' binds come last, so LIMIT is written into the SQL
	 * (a number checked to be 1..LIMIT_MAX), not bound. */
	api_scope_args(&j->req.user, sc);
	snprintf(sql, sizeof(sql), "SELECT " CALL_COLS " FROM calls "
		 "WHERE started_at >= ? AND started_at < ? "
		 "AND " API_SCOPE_SQL("agent", "transfer_by") " "
		 "AND (started_at < ? OR (started_at = ? AND id < ?))%s "
		 "ORDER BY started_at DESC, id DESC LIMIT %zu", f->sql,
		 l->pg.limit + 1);
	snprintf(types, sizeof(types), "ii" API_SCOPE_TYPES "iit%.*s",
		 (int)f->n, "tttttttttttttttt");
	l->pg.user = &j->req.user;
	jsonw_init(&l->pg.w);
	jsonw_raw(&l->pg.w, "{\"items\":[");
	j->err = db_query(api_house(&j->req)->db, page_row,
		&l->pg, sql, types,
		l->from, l->to, sc[0], sc[1], sc[2], sc[3], sc[4],
		l->c_ts, l->c_ts, l->c_id,
		f->bind[0], f->bind[1], f->bind[2], f->bind[3], f->bind[4],
		f->bind[5], f->bind[6], f->bind[7], f->bind[8], f->bind[9],
		f->bind[10], f->bind[11], f->bind[12], f->bind[13],
		f->bind[14], f->bind[15]);
	if (j->err)
		return;
	jsonw_raw(&l->pg.w, "],\"next_cursor\":");
	if (l->pg.n > l->pg.limit) {
		char next[API_CURSOR_LEN];

		api_cursor_encode(next, l->pg.last_ts, l->pg.last_id);
		jsonw_str(&l->pg.w, next);
	}
	else
		jsonw_raw(&l->pg.w, "null");
	jsonw_raw(&l->pg.w, "}");
	j->err = jsonw_take(&l->pg.w, &l->text, &l->len);
}

static void list_done(struct api_job *j)
{
	struct list_job *l = (struct list_job *)j;

	if (j->err) {
		api_reply_error(j->req.conn, 500, "cannot read calls");
		return;
	}
	api_reply_body(j->req.conn, 200, "application/json", l->text, l->len);
}

static void api_h_calls(struct api_req *req)
{
	struct list_job *l;
	size_t limit = LIMIT_DEFAULT;
	int64_t from = INT64_MIN, to = INT64_MAX, c_ts = INT64_MAX;
	char c_id[UTIL_ID_LEN] = "";
	struct call_filter f;

	if (api_query_time(req, "from", INT64_MIN, &from) ||
	    api_query_time(req, "to", INT64_MAX, &to) ||
	    call_filter_parse(req, &f))
		return;
	if (api_query_page(req, LIMIT_MAX, &limit, &c_ts, c_id))
		return;
	l = api_job_alloc(req, sizeof(*l), list_work, list_done, list_clean);
	if (l) {
		l->pg.limit = limit;
		l->from = from;
		l->to = to;
		l->c_ts = c_ts;
		memcpy(l->c_id, c_id, sizeof(c_id));
		l->f = f;
	}
	api_job_queue(l);
}

struct one {
	const struct api_user *user;
	json_t *call;
	bool in_scope;
};

static int one_row(const struct db_row *row, void *arg)
{
	struct one *o = arg;

	o->call = call_json(row, o->user);
	o->in_scope = db_row_int(row, (int)ARRAY_LEN(cols)) != 0;
	return 0;
}

/* The numbers an event's data may hold (the CTI stream's own list). */
static const char *const event_numbers[] = {"from", "to", "caller", "callee",
					    "transfer_to", NULL};

struct events {
	const struct api_user *user;
	json_t *items;
};

static int event_row(const struct db_row *row, void *arg)
{
	struct events *ev = arg;
	const char *data = db_row_text(row, 2);
	char ts[UTIL_TIME_LEN];
	json_t *d = data ? json_loads(data, 0, NULL) : NULL;

	if (!d)
		d = data ? json_string(data) : json_object();
	api_mask_fields(ev->user, d, event_numbers);
	util_rfc3339_ms(ts, db_row_int(row, 1));
	return json_array_append_new(ev->items, json_pack("{s:s, s:s, s:o}", "type",
				     db_row_text(row, 0), "ts", ts, "data", d))
		? ENOMEM : 0;
}

int call_http_read(const struct api_req *req, json_t **out)
{
	const char *id = api_param(&req->params, "id");
	const char *sc[API_SCOPE_NARGS];
	struct one o = {.user = &req->user};

	api_scope_args(&req->user, sc);
	if (db_query(api_house(req)->db, one_row, &o,
		     "SELECT " CALL_COLS ", "
		     API_SCOPE_SQL("agent", "transfer_by") " FROM calls "
		     "WHERE id = ?", API_SCOPE_TYPES "t",
		     sc[0], sc[1], sc[2], sc[3], sc[4], id)) {
		json_decref(o.call);
		return EIO;
	}
	if (!o.call)
		return ENOENT;
	if (!o.in_scope) {
		json_decref(o.call);
		return EACCES;
	}
	*out = o.call;
	return 0;
}

void call_http_refuse(struct api_conn *conn, int err)
{
	if (err == ENOENT)
		api_reply_error(conn, 404, "no such call");
	else if (err == EACCES)
		api_reply_error(conn, 403, "outside your data scope");
	else
		api_reply_error(conn, 500, "cannot read calls");
}

struct call_job {
	struct api_job j;
	json_t *call;
	bool events_failed;
};

static void call_clean(struct api_job *j)
{
	json_decref(((struct call_job *)j)->call);
}

/* One pause of the recording: offsets in its file, and who. */
static int pause_row(const struct db_row *row, void *arg)
{
	char at[UTIL_TIME_LEN], back[UTIL_TIME_LEN];

	util_rfc3339_ms(at, db_row_int(row, 3));
	if (!db_row_isnull(row, 4))
		util_rfc3339_ms(back, db_row_int(row, 4));
	return json_array_append_new(arg, json_pack(
		"{s:s, s:I, s:o, s:s, s:s?, s:s, s:s?}",
		"recording", db_row_text(row, 0),
		"from_ms", (json_int_t)db_row_int(row, 1),
		"to_ms", db_row_isnull(row, 2) ? json_null() :
			json_integer(db_row_int(row, 2)),
		"paused_at", at,
		"resumed_at", db_row_isnull(row, 4) ? NULL : back,
		"paused_by", db_row_text(row, 5),
		"resumed_by", db_row_text(row, 6))) ? ENOMEM : 0;
}

static void read_pauses(struct api_job *j, struct call_job *c)
{
	json_t *pauses = json_array();

	if (!pauses || db_query(api_house(&j->req)->db, pause_row, pauses,
				"SELECT recording, from_ms, to_ms, paused_at, "
				"resumed_at, paused_by, resumed_by FROM "
				"call_recording_pauses WHERE call_id = ? "
				"ORDER BY seq", "t",
				json_string_value(json_object_get(c->call,
								  "id")))) {
		json_decref(pauses);
		c->events_failed = true;
		return;
	}
	json_object_set_new(c->call, "recording_pauses", pauses);
}

/* What the recording says (audio/): null until it has been measured. */
static void read_audio(struct api_job *j, struct call_job *c)
{
	json_t *audio;

	if (audio_call_json(api_house(&j->req)->db,
			    json_string_value(json_object_get(c->call, "id")),
			    &audio)) {
		c->events_failed = true;
		return;
	}
	json_object_set_new(c->call, "audio", audio);
}

static void call_work(struct api_job *j)
{
	struct call_job *c = (struct call_job *)j;
	json_t *events;

	j->err = call_http_read(&j->req, &c->call);
	if (j->err)
		return;
	events = json_array();
	if (!events || db_query(api_house(&j->req)->db, event_row,
				&(struct events){&j->req.user, events},
				"SELECT type, ts, data FROM events "
				"WHERE subject = ? ORDER BY ts, seq", "t",
				json_string_value(json_object_get(c->call, "id")))) {
		json_decref(events);
		c->events_failed = true;
		return;
	}
	json_object_set_new(c->call, "events", events);
	read_pauses(j, c);
	if (!c->events_failed)
		read_audio(j, c);
}

static void call_done(struct api_job *j)
{
	struct call_job *c = (struct call_job *)j;

	if (j->err)
		call_http_refuse(j->req.conn, j->err);
	else if (c->events_failed)
		api_reply_error(j->req.conn, 500, "cannot read events");
	else
		api_reply_json(j->req.conn, 200, NULL, json_incref(c->call));
}

static void api_h_call(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct call_job), call_work,
				    call_done, call_clean));
}

/* The call row is read on the pool; the file is sent from the loop. */
struct rec_job {
	struct api_job j;
	json_t *call;
};

static void rec_clean(struct api_job *j)
{
	json_decref(((struct rec_job *)j)->call);
}

static void rec_work(struct api_job *j)
{
	j->err = call_http_read(&j->req, &((struct rec_job *)j)->call);
}

static void rec_done(struct api_job *j)
{
	struct rec_job *r = (struct rec_job *)j;

	if (j->err) {
		call_http_refuse(j->req.conn, j->err);
		return;
	}
	api_send_file(&j->req, json_string_value(json_object_get(r->call,
			"recording")), "audio/wav", "this call has no recording");
}

static void api_h_recording(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct rec_job), rec_work,
				    rec_done, rec_clean));
}

/* ---- the call module's routes ---- */


/* Call records, recordings, live call control, voicemail; see
 * api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET",  "/api/v1/calls",                   api_h_calls,     API_CALL_READERS,
	 0, "call records, newest first; from, to, number, number_prefix, agent, "
	 "department, direction, queue, min_duration, max_duration, province, "
	 "city, has_recording, limit, cursor"},
	{"POST", "/api/v1/calls",                   call_h_click,    API_CALL_HANDLERS,
	 0, "click-to-dial: {agent}'s phone rings, then {to} through a trunk"},
	{"GET",  "/api/v1/calls/{id}",              api_h_call,      API_CALL_READERS,
	 0, "one call record with its events in order"},
	{"GET",  "/api/v1/calls/{id}/recording",    api_h_recording, API_CALL_READERS,
	 API_F_QUERY_TOKEN | API_F_AUDIT,
	 "the call's WAV recording; Range requests supported"},
	{"POST", "/api/v1/calls/{id}/recording",    call_h_recording_ctl,
	 API_CALL_HANDLERS,
	 0, "pause or resume a live call's recording: {action}; silence meanwhile"},
	{"GET",  "/api/v1/calls/{id}/data",         call_h_data_get, API_CALL_READERS,
	 0, "the call's associated data (随路数据) as JSON, or XML (?format=xml)"},
	{"PUT",  "/api/v1/calls/{id}/data",         call_h_data_put, API_CALL_HANDLERS,
	 0, "set entries of a live call's data: {section: {key: value}}"},
	{"GET",  "/api/v1/reports/satisfaction",    call_h_satisfaction, API_CALL_READERS,
	 0, "survey ratings by queue, agent or day: rated, mean, satisfied, counts"},
	{"POST", "/api/v1/calls/{id}/transfer",     call_h_transfer,
	 API_CALL_HANDLERS,
	 0, "transfer a live call to {to}: blind, or attended (consult first)"},
	{"POST", "/api/v1/calls/{id}/transfer/complete", call_h_transfer_complete,
	 API_CALL_HANDLERS,
	 0, "attended transfer: the consulted party takes the caller"},
	{"POST", "/api/v1/calls/{id}/transfer/cancel", call_h_transfer_cancel,
	 API_CALL_HANDLERS,
	 0, "attended transfer: drop the consultation, back to the caller"},
	{"POST", "/api/v1/calls/{id}/conference",   call_h_conference, API_CALL_HANDLERS,
	 0, "three-way conference: {to} joins caller and agent"},
	{"POST", "/api/v1/calls/{id}/monitor",      call_h_monitor,  API_SUPERVISORS,
	 0, "a supervisor's phone listens, whispers or barges in (or switches)"},
	{"POST", "/api/v1/calls/{id}/hold",         call_h_hold,     API_CALL_HANDLERS,
	 0, "put the caller on hold: music for them, silence for the agent"},
	{"POST", "/api/v1/calls/{id}/resume",       call_h_resume,   API_CALL_HANDLERS,
	 0, "take the caller back from an API hold"},
	{"POST", "/api/v1/calls/{id}/dtmf",         call_h_dtmf,     API_CALL_HANDLERS,
	 0, "send {digits} to the caller as RFC 4733 telephone-events"},
	{"POST", "/api/v1/calls/{id}/hangup",       call_h_hangup,   API_CALL_HANDLERS,
	 0, "end a live call"},
	{"POST", "/api/v1/calls/{id}/wrapup",       call_h_wrapup,   API_CALL_HANDLERS,
	 0, "file the call's wrap-up: {code, notes}; ends the agent's wrap-up"},
	{"GET",  "/api/v1/calls/{id}/wrapup",       call_h_wrapup_get, API_CALL_READERS,
	 0, "the call's wrap-up: code, notes, by, at (null before it is filed)"},
	{"POST", "/api/v1/recordings/archive",      call_h_archive,  API_CALL_READERS,
	 API_F_AUDIT, "the recordings of {ids} (up to 200) as one ZIP with manifest.csv"},
	{"GET",  "/api/v1/recordings/archive/{name}", call_h_archive_get,
	 API_CALL_READERS, API_F_QUERY_TOKEN | API_F_AUDIT,
	 "download an archive the user built in the last hour"},
	{"GET",  "/api/v1/voicemails",              call_h_vm_list, API_CALL_HANDLERS,
	 0, "voicemail messages, newest first; mailbox, limit (agents: their own)"},
	{"GET",  "/api/v1/voicemails/{id}/audio",   call_h_vm_audio,
	 API_CALL_HANDLERS, API_F_QUERY_TOKEN | API_F_AUDIT,
	 "the message's mono WAV; Range requests supported"},
	{"PATCH", "/api/v1/voicemails/{id}",        call_h_vm_patch,
	 API_CALL_HANDLERS, 0, "mark a message heard or not: {\"heard\":true|false}"},
	{"DELETE", "/api/v1/voicemails/{id}",       call_h_vm_delete,
	 API_CALL_HANDLERS, 0, "delete a message and its audio"},
};
const struct mod_routes call_routes = {rows, ARRAY_LEN(rows)};
