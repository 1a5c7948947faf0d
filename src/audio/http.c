/* audio/http: GET /api/v1/calls/{id}/audio-timeline, the recording
 * player's lanes. A route of its own rather than a field of GET
 * /api/v1/calls/{id}: a long call's timeline is up to 100 kB (timeline.c),
 * the call record a few; the list and the record stay small, and the
 * player asks only when it plays.
 *
 * Who sees it: whoever sees the call (call/http.c's rule, the same data
 * scope over agent and transfer_by): 404 for no such call, 403 outside
 * the scope. The body is {"status", "timeline"}: status is the row's (ok,
 * missing, unreadable) or null before the call is measured; timeline is
 * the stored JSON (timeline.c) or null — not measured, not measurable, or
 * measured before migration 045 (service.c fact 5). */
#include <errno.h>
#include <string.h>
#include "api/http.h"
#include "audio/audio_int.h"
#include "base/mod.h"
#include "db/db.h"

struct tl_job {
	struct api_job j;
	bool found, in_scope;
	json_t *body;
};

static int row(const struct db_row *r, void *arg)
{
	struct tl_job *t = arg;
	const char *text = db_row_text(r, 2);
	json_t *tl = text ? json_loads(text, 0, NULL) : json_null();

	t->found = true;
	t->in_scope = db_row_int(r, 0) != 0;
	if (!tl)
		return EIO;      /* only this module writes it: never seen */
	t->body = json_pack("{s:s?, s:o}", "status", db_row_text(r, 1),
			    "timeline", tl);
	return t->body ? 0 : ENOMEM;
}

static void work(struct api_job *j)
{
	struct tl_job *t = (struct tl_job *)j;
	const char *sc[API_SCOPE_NARGS];

	api_scope_args(&j->req.user, sc);
	j->err = db_query(api_house(&j->req)->db, row, t,
			  "SELECT " API_SCOPE_SQL("c.agent", "c.transfer_by")
			  ", x.status, x.timeline FROM calls c LEFT JOIN "
			  "call_audio x ON x.call_id = c.id WHERE c.id = ?",
			  API_SCOPE_TYPES "t", sc[0], sc[1], sc[2], sc[3],
			  sc[4], api_param(&j->req.params, "id"));
	if (!j->err && !t->found)
		j->err = ENOENT;
	else if (!j->err && !t->in_scope)
		j->err = EACCES;
}

static void done(struct api_job *j)
{
	struct tl_job *t = (struct tl_job *)j;

	if (j->err == ENOENT)
		api_reply_error(j->req.conn, 404, "no such call");
	else if (j->err == EACCES)
		api_reply_error(j->req.conn, 403, "outside your data scope");
	else if (j->err)
		api_reply_error(j->req.conn, 500, "cannot read the timeline");
	else
		api_reply_json(j->req.conn, 200, NULL, json_incref(t->body));
}

static void clean(struct api_job *j)
{
	json_decref(((struct tl_job *)j)->body);
}

static void h_timeline(struct api_req *req)
{
	api_job_queue(api_job_alloc(req, sizeof(struct tl_job), work, done,
				    clean));
}

/* See api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET", "/api/v1/calls/{id}/audio-timeline", h_timeline,
	 API_CALL_READERS, 0, "the recording's lanes: customer, agent, "
	 "overtalk, silence, hold spans in ms (null until measured)"},
};
const struct mod_routes audio_routes = {rows, ARRAY_LEN(rows)};
