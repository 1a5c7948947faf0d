/* sched/shifts: /api/v1/wfm/shifts — agents' planned shifts and breaks.
 * The loop parses and checks the body (span.c); a worker checks the data
 * scope, writes and reads back. A write that would overlap another shift
 * of the same agent is refused inside the INSERT or UPDATE itself (NOT
 * EXISTS), so two planners writing at once cannot both succeed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mod.h"
#include "db/db.h"
#include "sched/sched_int.h"

enum { NOTE_MAX = 200, LIST_MAX = 5000 };
#define LIST_SPAN_MS (INT64_C(92) * 86400000)

struct sh_job {
	struct api_job j;
	void (*work)(struct sh_job *s);
	struct db *db;
	char id[UTIL_ID_LEN];
	char agent[API_EXT_MAX + 1];
	char note[NOTE_MAX * 4 + 1];
	struct sched_shift sh;
	int64_t from, to;
	bool has_body;
	int status;
	json_t *out;
	char why[256];
};

#define COLS "id, agent, start_ms, end_ms, breaks, note, created_by, " \
	     "created_at, updated_at"

/* A stored row as the API shows it. */
static int row_json(const struct db_row *r, void *arg)
{
	json_t *arr = arg, *breaks = json_loads(db_row_text(r, 4), 0, NULL);

	json_array_append_new(arr, json_pack(
		"{s:s, s:s, s:I, s:I, s:o, s:s, s:s, s:I, s:I}",
		"id", db_row_text(r, 0), "agent", db_row_text(r, 1),
		"start_ms", (json_int_t)db_row_int(r, 2),
		"end_ms", (json_int_t)db_row_int(r, 3),
		"breaks", breaks ? breaks : json_array(),
		"note", db_row_text(r, 5), "created_by", db_row_text(r, 6),
		"created_at", (json_int_t)db_row_int(r, 7),
		"updated_at", (json_int_t)db_row_int(r, 8)));
	return 0;
}

/* The shift id if the caller's scope covers its agent: 0 with s->out the
 * shift, ENOENT (404 set), EIO. */
static int read_one(struct sh_job *s)
{
	const char *a[API_SCOPE_NARGS];
	json_t *arr = json_array();
	int err;

	api_scope_args(&s->j.req.user, a);
	err = db_query(s->db, row_json, arr, "SELECT " COLS " FROM shifts "
		       "WHERE id = ? AND " API_SCOPE_SQL("agent", "agent"),
		       "t" API_SCOPE_TYPES, s->id, a[0], a[1], a[2], a[3], a[4]);
	if (!err && !json_array_size(arr)) {
		s->status = 404;
		snprintf(s->why, sizeof(s->why), "no such shift");
		err = ENOENT;
	}
	if (!err) {
		json_decref(s->out);
		s->out = json_incref(json_array_get(arr, 0));
	}
	json_decref(arr);
	return err;
}

static int found(const struct db_row *r, void *arg)
{
	(void)r;
	*(bool *)arg = true;
	return 0;
}

/* Whether the caller may plan for agent: 0, or EACCES with 403 set. */
static int in_scope(struct sh_job *s, const char *agent)
{
	const char *a[API_SCOPE_NARGS];
	bool ok = false;
	int err;

	api_scope_args(&s->j.req.user, a);
	err = db_query(s->db, found, &ok, "SELECT 1 FROM (SELECT ? AS agent) "
		       "s WHERE " API_SCOPE_SQL("s.agent", "s.agent"),
		       "t" API_SCOPE_TYPES, agent, a[0], a[1], a[2], a[3], a[4]);
	if (!err && !ok) {
		s->status = 403;
		snprintf(s->why, sizeof(s->why), "agent %s: outside your data "
			 "scope", agent);
		err = EACCES;
	}
	return err;
}

static char *breaks_text(const struct sched_shift *sh)
{
	json_t *arr = json_array();
	char *txt;

	for (size_t i = 0; i < sh->nbreaks; i++)
		json_array_append_new(arr, json_pack("{s:I, s:I}",
			"start_ms", (json_int_t)sh->breaks[i].start_ms,
			"end_ms", (json_int_t)sh->breaks[i].end_ms));
	txt = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return txt;
}

/* After a guarded write: the row as stored, or 409 when the guard (an
 * overlapping shift) kept it out. */
static void settle(struct sh_job *s, int64_t now, int status)
{
	json_int_t upd;

	if (read_one(s))
		return;
	upd = json_integer_value(json_object_get(s->out, "updated_at"));
	if (upd != now || strcmp(json_string_value(json_object_get(s->out,
			"agent")), s->agent) ||
	    json_integer_value(json_object_get(s->out, "start_ms")) !=
	    s->sh.span.start_ms) {
		s->status = 409;
		snprintf(s->why, sizeof(s->why), "agent %s already has a shift "
			 "overlapping that time", s->agent);
		return;
	}
	s->status = status;
}

#define OVERLAP "NOT EXISTS (SELECT 1 FROM shifts WHERE agent = ? AND " \
		"start_ms < ? AND end_ms > ? AND id <> ?)"

static void w_create(struct sh_job *s)
{
	int64_t now = util_now_ms();
	char *br = breaks_text(&s->sh);
	int err;

	if (!br || in_scope(s, s->agent)) {
		free(br);
		return;
	}
	util_random_id(s->id);
	err = db_exec(s->db, "INSERT INTO shifts (" COLS ") SELECT ?, ?, ?, ?, "
		      "?, ?, ?, ?, ? WHERE " OVERLAP, "ttiitttiitiit", s->id,
		      s->agent, s->sh.span.start_ms, s->sh.span.end_ms, br,
		      s->note, s->j.req.user.username, now, now, s->agent,
		      s->sh.span.end_ms, s->sh.span.start_ms, s->id);
	free(br);
	if (err)
		return;
	settle(s, now, 201);
	if (s->status == 404) {   /* kept out by the guard: nothing stored */
		s->status = 409;
		snprintf(s->why, sizeof(s->why), "agent %s already has a shift "
			 "overlapping that time", s->agent);
	}
}

static void w_update(struct sh_job *s)
{
	int64_t now = util_now_ms();
	char *br;
	int err;

	if (read_one(s) || in_scope(s, s->agent))
		return;
	br = breaks_text(&s->sh);
	if (!br)
		return;
	err = db_exec(s->db, "UPDATE shifts SET agent = ?, start_ms = ?, "
		      "end_ms = ?, breaks = ?, note = ?, updated_at = ? "
		      "WHERE id = ? AND " OVERLAP, "tiittittiit", s->agent,
		      s->sh.span.start_ms, s->sh.span.end_ms, br, s->note, now,
		      s->id, s->agent, s->sh.span.end_ms, s->sh.span.start_ms,
		      s->id);
	free(br);
	if (!err)
		settle(s, now, 200);
}

static void w_get(struct sh_job *s)
{
	if (!read_one(s))
		s->status = 200;
}

static void w_delete(struct sh_job *s)
{
	if (read_one(s) || db_exec(s->db, "DELETE FROM shifts WHERE id = ?",
				   "t", s->id))
		return;
	json_decref(s->out);
	s->out = json_object();
	s->status = 204;
}

static void w_list(struct sh_job *s)
{
	const char *a[API_SCOPE_NARGS];
	json_t *arr = json_array();

	api_scope_args(&s->j.req.user, a);
	if (db_query(s->db, row_json, arr, "SELECT " COLS " FROM shifts WHERE "
		     "start_ms < ? AND end_ms > ? AND (? = '' OR agent = ?) AND "
		     API_SCOPE_SQL("agent", "agent") " ORDER BY start_ms, agent "
		     "LIMIT ?", "iitt" API_SCOPE_TYPES "i", s->to, s->from,
		     s->agent, s->agent, a[0], a[1], a[2], a[3], a[4],
		     (int64_t)LIST_MAX + 1)) {
		json_decref(arr);
		return;
	}
	if (json_array_size(arr) > LIST_MAX) {
		s->status = 400;
		snprintf(s->why, sizeof(s->why), "more than %d shifts: ask for "
			 "a shorter period or one agent", LIST_MAX);
		json_decref(arr);
		return;
	}
	s->out = json_pack("{s:o}", "items", arr);
	s->status = 200;
}

static void job_work(struct api_job *j)
{
	struct sh_job *s = (struct sh_job *)j;

	s->work(s);
}

static void job_done(struct api_job *j)
{
	struct sh_job *s = (struct sh_job *)j;

	if (s->status == 204)
		api_reply_body(j->req.conn, 204, "application/json", "", 0);
	else if (s->status && s->status < 400 && s->out) {
		api_reply_json(j->req.conn, (uint16_t)s->status, NULL, s->out);
		s->out = NULL;
	} else
		api_reply_error(j->req.conn, s->status >= 400 ?
				(uint16_t)s->status : 500, "%s",
				s->why[0] ? s->why : "cannot read the shifts");
}

static void job_clean(struct api_job *j)
{
	json_decref(((struct sh_job *)j)->out);
}

static void run(struct api_req *req, const struct sh_job *proto,
		void (*work)(struct sh_job *s))
{
	struct sh_job *s = api_job_alloc(req, sizeof(*s), job_work, job_done,
					 job_clean);

	if (!s)
		return;
	memcpy((char *)s + sizeof(s->j), (const char *)proto + sizeof(s->j),
	       sizeof(*s) - sizeof(s->j));
	s->work = work;
	s->db = api_house(req)->db;
	api_job_queue(s);
}

/* obj[key] as a whole number of ms >= 0, into *v. */
static int get_ms(const json_t *obj, const char *key, int64_t *v)
{
	const json_t *x = json_object_get(obj, key);

	if (!json_is_integer(x) || json_integer_value(x) < 0)
		return EINVAL;
	*v = json_integer_value(x);
	return 0;
}

static const char *const body_keys[] = {"agent", "start_ms", "end_ms",
					"breaks", "note", NULL};

/* The body into s: agent (digits), start_ms, end_ms, breaks, note. 0, or
 * EINVAL with why. */
static int parse_body(const json_t *b, struct sh_job *s, const char **why)
{
	const json_t *br = json_object_get(b, "breaks"), *it, *note;
	const char *agent = json_string_value(json_object_get(b, "agent")), *k;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)b, k, v) {
		for (i = 0; body_keys[i] && strcmp(body_keys[i], k); i++)
			;
		if (!body_keys[i]) {
			*why = "unknown field (want agent, start_ms, end_ms, "
			       "breaks, note)";
			return EINVAL;
		}
	}
	if (!agent || !*agent || strlen(agent) > API_EXT_MAX ||
	    strspn(agent, "0123456789") != strlen(agent)) {
		*why = "agent: want the agent's extension (digits)";
		return EINVAL;
	}
	snprintf(s->agent, sizeof(s->agent), "%s", agent);
	if (get_ms(b, "start_ms", &s->sh.span.start_ms) ||
	    get_ms(b, "end_ms", &s->sh.span.end_ms)) {
		*why = "start_ms, end_ms: want Unix milliseconds";
		return EINVAL;
	}
	if (br && (!json_is_array(br) ||
		   json_array_size(br) > SCHED_BREAKS_MAX)) {
		*why = "breaks: want an array of at most 8 {start_ms, end_ms}";
		return EINVAL;
	}
	json_array_foreach(br, i, it) {
		if (get_ms(it, "start_ms", &s->sh.breaks[i].start_ms) ||
		    get_ms(it, "end_ms", &s->sh.breaks[i].end_ms)) {
			*why = "breaks: want {start_ms, end_ms} in Unix ms";
			return EINVAL;
		}
		s->sh.nbreaks = i + 1;
	}
	note = json_object_get(b, "note");
	if (note && (!json_is_string(note) ||
		     json_string_length(note) > NOTE_MAX * 4)) {
		*why = "note: want a string of at most 200 characters";
		return EINVAL;
	}
	snprintf(s->note, sizeof(s->note), "%s",
		 note ? json_string_value(note) : "");
	return sched_shift_check(&s->sh, why);
}

static void with_body(struct api_req *req, struct sh_job *s,
		      void (*work)(struct sh_job *s))
{
	json_t *body = NULL;
	const char *why = NULL;
	char err[200];

	if (api_req_body(req, &body, err, sizeof(err))) {
		api_reply_error(req->conn, 400, "%s", err);
		return;
	}
	if (parse_body(body, s, &why))
		api_reply_error(req->conn, 400, "%s", why);
	else
		run(req, s, work);
	json_decref(body);
}

static int take_id(struct api_req *req, struct sh_job *s)
{
	const char *id = api_param(&req->params, "id");

	if (!id || strlen(id) >= sizeof(s->id)) {
		api_reply_error(req->conn, 404, "no such shift");
		return ENOENT;
	}
	snprintf(s->id, sizeof(s->id), "%s", id);
	return 0;
}

void sched_h_shift_create(struct api_req *req)
{
	struct sh_job s = {0};

	with_body(req, &s, w_create);
}

void sched_h_shift_update(struct api_req *req)
{
	struct sh_job s = {0};

	if (!take_id(req, &s))
		with_body(req, &s, w_update);
}

void sched_h_shift_get(struct api_req *req)
{
	struct sh_job s = {0};

	if (!take_id(req, &s))
		run(req, &s, w_get);
}

void sched_h_shift_delete(struct api_req *req)
{
	struct sh_job s = {0};

	if (!take_id(req, &s))
		run(req, &s, w_delete);
}

void sched_h_shift_list(struct api_req *req)
{
	struct sh_job s = {0};
	int64_t now = util_now_ms(), day = now - now % 86400000;

	if (sched_query_text(req, "agent", s.agent, sizeof(s.agent)) ||
	    api_query_time(req, "from", day, &s.from) ||
	    api_query_time(req, "to", s.from + 7 * INT64_C(86400000), &s.to))
		return;
	if (s.to <= s.from || s.to - s.from > LIST_SPAN_MS) {
		api_reply_error(req->conn, 400, "from, to: want from before to, "
				"at most 92 days apart");
		return;
	}
	run(req, &s, w_list);
}
