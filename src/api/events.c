/* api/events: the WebSocket of live events. Every bus event goes to every
 * connected client as one text frame {"type","subject","ts","seq","data"}.
 *
 * A client that reads slower than events arrive would make its send queue
 * grow without bound; once more than API_WS_BACKLOG bytes wait for it, it is
 * dropped (and logged) instead. Clients only listen: what they send is
 * ignored, apart from the close and ping frames libre answers itself. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "api/api_int.h"
#include "base/bus.h"
#include "base/log.h"

enum { KEEPALIVE_MS = 30000 };

struct client {
	struct le le;                /* in api.clients */
	struct websock_conn *wc;
	char username[API_NAME_MAX + 1];
};

static void client_destructor(void *arg)
{
	struct client *c = arg;

	list_unlink(&c->le);
	mem_deref(c->wc);
}

static void ws_recv(const struct websock_hdr *hdr, struct mbuf *mb, void *arg)
{
	(void)hdr;
	(void)mb;
	(void)arg;
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
		if (tcp_conn_txqsz(websock_tcp(c->wc)) > API_WS_BACKLOG)
			drop(c, "too slow");
		else if (websock_send(c->wc, WEBSOCK_TEXT, "%s", s))
			drop(c, "send failed");
	}
	free(s);
}

void api_h_events(struct api_req *req)
{
	struct api *api = req->api;
	struct client *c;
	int err;

	if (!http_msg_hdr_has_value(req->msg, HTTP_HDR_UPGRADE, "websocket")) {
		api_reply_error(req->conn, 400, "this route is a WebSocket: send "
				"'Upgrade: websocket'");
		return;
	}
	c = mem_zalloc(sizeof(*c), client_destructor);
	if (!c) {
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	util_strlcpy(c->username, req->user.username, sizeof(c->username));
	err = websock_accept(&c->wc, api->ws, req->conn, req->msg, KEEPALIVE_MS,
			     ws_recv, ws_close, c);
	if (err) {
		mem_deref(c);
		api_reply_error(req->conn, 400, "bad WebSocket handshake");
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

		(void)websock_close(c->wc, WEBSOCK_GOING_AWAY, "server stopping");
	}
}

void api_events_drop_all(struct api *api)
{
	list_flush(&api->clients);
}
