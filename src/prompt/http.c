/* prompt/http: the prompt API (语音文件管理). An upload is the audio file
 * itself as the body (up to API_UPLOAD_MAX: the route's API_F_UPLOAD),
 * converted on the api's worker pool and saved before the name appears
 * in the store, so a prompt listed is always playable. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_mbuf.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_msg.h>
#include <re_http.h>
#include "api/http.h"
#include "base/mod.h"
#include "base/util.h"
#include "media/media.h"
#include "prompt/prompt.h"

static struct prompt_store *store_of(const struct api_req *req)
{
	return api_house(req)->prompts;
}

static json_t *info_json(const struct prompt_info *it)
{
	return json_pack("{s:s, s:I, s:i, s:i, s:s, s:I}", "name", it->name,
			 "duration_ms", (json_int_t)it->duration_ms,
			 "orig_rate", it->orig_rate,
			 "orig_channels", it->orig_channels,
			 "uploaded_by", it->by,
			 "uploaded_at", (json_int_t)it->at);
}

static int list_one(const struct prompt_info *it, void *arg)
{
	return json_array_append_new(arg, info_json(it)) ? ENOMEM : 0;
}

static void h_list(struct api_req *req)
{
	json_t *items = json_array();

	if (!items || prompt_each(store_of(req), list_one, items)) {
		json_decref(items);
		api_reply_error(req->conn, 500, "cannot list the prompts");
		return;
	}
	api_reply_json(req->conn, 200, NULL, json_pack("{s:o}", "items", items));
}

/* The converted audio, 8 kHz mono WAV, as stored. */
static void h_get(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	char rel[128];

	if (!prompt_exists(store_of(req), name) ||
	    prompt_rel_path(name, rel, sizeof(rel))) {
		api_reply_error(req->conn, 404, "no such prompt");
		return;
	}
	api_send_file(req, rel, "audio/wav", "no such prompt");
}

struct upload {
	struct api_job j;
	struct prompt_store *s;      /* read only on the worker */
	const void *body;            /* the request's, which the job holds */
	size_t len;
	struct prompt_info info;
	const char *why;
};

static void upload_work(struct api_job *j)
{
	struct upload *u = (struct upload *)j;
	int16_t *pcm = NULL;
	size_t n = 0;

	j->err = prompt_convert(u->body, u->len, prompt_dir(u->s), &pcm, &n,
				&u->info.orig_rate, &u->info.orig_channels,
				&u->why);
	if (!j->err) {
		u->info.duration_ms = (int64_t)n * 1000 / MEDIA_RATE;
		j->err = prompt_file_save(u->s, u->info.name, pcm, n);
		if (j->err)
			u->why = "cannot store the prompt";
	}
	free(pcm);
}

/* The status of each refusal: not audio is the wrong media type; audio
 * we will not take (empty, too long) is unprocessable. */
static const struct {
	int err;
	uint16_t status;
} refusals[] = {
	{EBADMSG, 415}, {ENODATA, 422}, {EFBIG, 422},
};

static void upload_done(struct api_job *j)
{
	struct upload *u = (struct upload *)j;
	bool existed;

	if (j->err) {
		uint16_t status = 500;

		for (size_t i = 0; i < ARRAY_LEN(refusals); i++)
			if (refusals[i].err == j->err)
				status = refusals[i].status;
		api_reply_error(j->req.conn, status, "%s", u->why);
		return;
	}
	existed = prompt_exists(u->s, u->info.name);
	u->info.at = util_now_ms();
	if (prompt_put(u->s, &u->info)) {
		api_reply_error(j->req.conn, 500, "cannot store the prompt");
		return;
	}
	api_reply_json(j->req.conn, existed ? 200 : 201, NULL,
		       info_json(&u->info));
}

static void h_put(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	struct upload *u;

	if (!prompt_name_ok(name)) {
		api_reply_error(req->conn, 400, "a prompt's name is 1 to %d "
				"letters, digits, '-', '_' or '.', not starting "
				"with '.'", PROMPT_NAME_MAX);
		return;
	}
	if (!mbuf_get_left(req->msg->mb)) {
		api_reply_error(req->conn, 422, "the body is empty: send the "
				"audio file");
		return;
	}
	u = api_job_alloc(req, sizeof(*u), upload_work, upload_done, NULL);
	if (!u)
		return;
	u->s = store_of(req);
	u->body = mbuf_buf(req->msg->mb);
	u->len = mbuf_get_left(req->msg->mb);
	util_strlcpy(u->info.name, name, sizeof(u->info.name));
	util_strlcpy(u->info.by, req->user.username, sizeof(u->info.by));
	api_job_queue(u);
}

static void h_delete(struct api_req *req)
{
	const char *name = api_param(&req->params, "name");
	char user[PROMPT_NAME_MAX + 1] = "";
	int err = prompt_delete(store_of(req), name, user, sizeof(user));

	if (err == ENOENT)
		api_reply_error(req->conn, 404, "no such prompt");
	else if (err == EBUSY)
		api_reply_error(req->conn, 409, "the IVR flow \"%s\" plays this "
				"prompt: change the flow first", user);
	else if (err)
		api_reply_error(req->conn, 500, "cannot delete the prompt");
	else
		api_reply_json(req->conn, 200, NULL, json_pack(
			"{s:s, s:b}", "name", name, "deleted", 1));
}

/* The prompt API: see api/routes.c for what each column means. */
static const struct api_route rows[] = {
	{"GET",    "/api/v1/prompts",        h_list,   API_SUPERVISORS,
	 0, "every uploaded prompt: name, duration, original rate and channels, who uploaded it and when"},
	{"GET",    "/api/v1/prompts/{name}", h_get,    API_SUPERVISORS,
	 0, "an uploaded prompt's audio as stored (8 kHz mono WAV)"},
	{"PUT",    "/api/v1/prompts/{name}", h_put,    API_R_ADMIN,
	 API_F_UPLOAD, "uploads a prompt: the body is an audio file (WAV, FLAC, Ogg; any rate, up to 20 MiB and 10 minutes), converted to 8 kHz mono; 415 when not audio"},
	{"DELETE", "/api/v1/prompts/{name}", h_delete, API_R_ADMIN,
	 0, "removes a prompt no IVR flow plays (409 names the flow that does)"},
};
const struct mod_routes prompt_routes = {rows, ARRAY_LEN(rows)};
