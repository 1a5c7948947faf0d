/* api/events: the WebSocket of live events. Every bus event goes to every
 * connected client as one text frame {"type","subject","ts","seq","data"}.
 *
 * A client that reads slower than events arrive would make its send queue
 * grow without bound; once more than API_WS_BACKLOG bytes wait for it, it is
 * dropped (and logged) instead. Clients only listen: what they send is
 * ignored, apart from the close and ping frames ws.c answers itself. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "api/api_int.h"
#include "base/bus.h"
#include "base/log.h"

enum { KEEPALIVE_MS = 30000 };

struct client {
	struct le le;                /* in api.clients */
	struct api *api;             /* not a ref */
	struct api_ws *ws;
	char username[API_NAME_MAX + 1];
};

static void client_destructor(void *arg)
{
	struct client *c = arg;

	bool listed = c->le.list != NULL;

	list_unlink(&c->le);
	mem_deref(c->ws);
	if (listed)
		api_ws_left(c->api);
}

static void ws_close(int err, void *arg)
{
	struct client *c = arg;

	log_info("ws.closed", "user=%s err=%d", c->username, err);
	mem_deref(c);
}

static void drop(struct client *c, const char *why)
{
	log_warn("ws.dropped", "user=%s reason=%s", c->username, why);
	mem_deref(c);
}

static void on_event(const struct bus_event *ev, void *arg)
{
	struct api *api = arg;
	char ts[UTIL_TIME_LEN];
	struct le *le;
	json_t *j;
	char *s;

	if (!api->clients.head)
		return;
	util_rfc3339_ms(ts, ev->ts_ms);
	j = json_pack("{s:s, s:s, s:s, s:I, s:O}", "type", ev->type, "subject",
		      ev->subject, "ts", ts, "seq", (json_int_t)ev->seq, "data",
		      ev->data);
	s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!s) {
		log_error("ws.encode_failed", "type=%s", ev->type);
		return;
	}
	for (le = api->clients.head; le;) {
		struct client *c = le->data;

		le = le->next;   /* c may be dropped below */
		if (api_ws_txqsz(c->ws) > API_WS_BACKLOG)
			drop(c, "too slow");
		else if (api_ws_send_text(c->ws, s, strlen(s)))
			drop(c, "send failed");
	}
	free(s);
}

void api_h_events(struct api_req *req)
{
	struct api *api = req->api;
	const char *why = NULL;
	struct client *c;
	int err;

	c = mem_zalloc(sizeof(*c), client_destructor);
	if (!c) {
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	c->api = api;
	util_strlcpy(c->username, req->user.username, sizeof(c->username));
	err = api_ws_accept(&c->ws, req->conn, req->msg, KEEPALIVE_MS, ws_close,
			    c, &why);
	if (err) {
		mem_deref(c);
		if (why)
			api_reply_error(req->conn, 400, "%s", why);
		else
			api_reply_error(req->conn, 500, "cannot open the WebSocket");
		return;
	}
	list_append(&api->clients, &c->le, c);
	log_info("ws.open", "user=%s clients=%u", c->username,
		 list_count(&api->clients));
}

int api_events_start(struct api *api)
{
	return bus_subscribe(api->bus, "", on_event, api);
}

void api_events_stop(struct api *api)
{
	if (api->bus)
		bus_unsubscribe(api->bus, on_event, api);
}

void api_events_close_all(struct api *api)
{
	for (struct le *le = api->clients.head; le; le = le->next) {
		struct client *c = le->data;

		(void)api_ws_close(c->ws, 1001, "server stopping");
	}
}

void api_events_drop_all(struct api *api)
{
	list_flush(&api->clients);
}
