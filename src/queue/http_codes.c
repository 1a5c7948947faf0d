/* queue/http_codes: the not-ready reasons and wrap-up codes through the API
 * (GET for everyone signed in, writes for supervisors and administrators).
 * One set of handlers serves both lists: the route's path says which. The
 * lists live in the host's memory (codes_host.c), so nothing here reads
 * the database on the loop. */
#include <errno.h>
#include <string.h>
#include "api/http.h"
#include "base/mod.h"
#include "queue/http_int.h"
#include "queue/queue_int.h"
#include "queue/queue.h"

static uint16_t status_of(int err)
{
	return err == ENOENT ? 404 : err == EINVAL ? 400 : err == EEXIST ?
		409 : 500;
}

static bool host(struct api_req *req, struct queue_host **hp)
{
	*hp = api_house(req)->queues;
	if (*hp)
		return true;
	api_reply_error(req->conn, 503, "the ACD is not running");
	return false;
}

/* Which list the request's path names. */
static enum queue_code_kind kind_of(const struct api_req *req)
{
	return strstr(req->route->pattern, "/wrapup-codes") ? QUEUE_WRAPUP_CODES :
		QUEUE_REASONS;
}

static void answer(struct api_req *req, int err, uint16_t ok, json_t *out,
		   const char *why)
{
	if (!err)
		api_reply_json(req->conn, ok, NULL, out);
	else
		api_reply_error(req->conn, status_of(err), "%s",
				why && *why ? why : strerror(err));
}

void queue_h_codes_list(struct api_req *req)
{
	struct queue_host *h;
	json_t *out = NULL;
	int err;

	if (!host(req, &h))
		return;
	err = queue_codes_list(h, kind_of(req), &out);
	answer(req, err, 200, out, NULL);
}

/* Create (code NULL) or change one row from the request's body. */
static void write_one(struct api_req *req, const char *code)
{
	struct queue_host *h;
	json_t *body = NULL, *out = NULL;
	char why[256] = "";
	int err;

	if (!host(req, &h))
		return;
	if (api_req_body(req, &body, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		return;
	}
	err = code ? queue_codes_update(h, kind_of(req), code, body, &out,
					why, sizeof(why)) :
		queue_codes_create(h, kind_of(req), body, &out, why,
				   sizeof(why));
	json_decref(body);
	answer(req, err, code ? 200 : 201, out, why);
}

void queue_h_codes_create(struct api_req *req)
{
	write_one(req, NULL);
}

void queue_h_codes_update(struct api_req *req)
{
	write_one(req, api_param(&req->params, "code"));
}

void queue_h_codes_delete(struct api_req *req)
{
	const char *code = api_param(&req->params, "code");
	struct queue_host *h;
	char why[128] = "";
	int err;

	if (!host(req, &h))
		return;
	err = queue_codes_delete(h, kind_of(req), code, why, sizeof(why));
	answer(req, err, 200, err ? NULL : json_pack("{s:s}", "deleted", code),
	       why);
}
