/* api/callctl: call control on live calls through the call manager. A
 * blind transfer takes the call from its agent to an extension, a queue
 * or a DID (docs/api.md). An agent may transfer the calls they are
 * connected to; supervisors and admins any call. A call the user may not
 * control is answered 404, like one that does not exist or has ended. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/api_int.h"
#include "call/call.h"

enum { TARGET_MAX = 31 };

void api_h_call_transfer(struct api_req *req)
{
	const char *id = api_param(&req->params, "id"), *to;
	char why[256] = "";
	json_t *body = NULL;
	int err;

	if (!req->api->calls) {
		api_reply_error(req->conn, 503, "calls are not running");
		return;
	}
	if (api_req_body(req, &body, why, sizeof(why)) ||
	    api_json_str(body, "to", TARGET_MAX, &to, why, sizeof(why))) {
		api_reply_error(req->conn, 400, "%s", why);
		json_decref(body);
		return;
	}
	err = call_transfer(req->api->calls, id,
			    req->user.role_bit == API_R_AGENT ? req->user.ext :
			    NULL, to, why, sizeof(why));
	switch (err) {
	case 0:
		api_reply_json(req->conn, 202, NULL, json_pack("{s:s, s:s}",
			       "id", id, "to", to));
		break;
	case ENOENT:
		api_reply_error(req->conn, 404, "no such live call");
		break;
	case EBUSY:
		api_reply_error(req->conn, 409, "the call is not in conversation");
		break;
	case EINVAL:
		api_reply_error(req->conn, 400, "bad 'to': %s", why);
		break;
	default:
		api_reply_error(req->conn, 500, "transfer failed: %s",
				strerror(err));
	}
	json_decref(body);   /* to lives in it */
}
