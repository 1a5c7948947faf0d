/* api/httpd: our HTTP/1.1 server on libre's TCP. libre 1.1.0's own server
 * buffers at most 512 KiB per request and closes the connection silently
 * past that; here every refusal gets a status and {"error": …}.
 *
 * A connection is in one of three states:
 *
 *   READ ──whole request──► BUSY ──reply, keep-alive──► READ
 *     │                      │
 *     └─refused, timed out───┴──reply with "Connection: close"──► LINGER
 *
 *   READ    bytes go through the framer (frame.c); a clock runs: the header
 *           timeout from accept or a request's first byte to its blank line
 *           (408), the idle timeout between requests and while a body
 *           stalls (closed without a word).
 *   BUSY    one request is with its handler; bytes that arrive meanwhile
 *           wait in the framer (pipelining), so replies keep request order.
 *   LINGER  the reply is out and our side is shut down for writing; what
 *           the client still sends is read and dropped for a moment so the
 *           kernel does not reset the connection under the reply.
 *
 * The api's list holds each connection's main reference; a handler that
 * answers later holds another (mem_ref), and a reply to a closed connection
 * is ENOTCONN, never a crash. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "api/api_int.h"
#include "base/log.h"

enum { LINGER_MS = 2000 };

enum conn_state { C_READ, C_BUSY, C_LINGER };

struct api_conn {
	struct le le;               /* in api.conns while the socket is ours */
	struct api *api;            /* not a ref: closes us before it goes */
	struct tcp_conn *tc;        /* ref; NULL once closed or handed over */
	struct api_frame fr;
	struct tmr tmr;             /* header, idle or linger deadline */
	enum conn_state state;
	bool keep_alive;            /* of the request being handled */
	bool header_clock;          /* tmr is the header timeout */
	bool dispatching;           /* inside reqh: the loop picks up next */
	struct api_audit_note audit; /* of the request being handled */
};

struct api_audit_note *api_conn_audit(struct api_conn *c)
{
	return &c->audit;
}

static void process(struct api_conn *c);

static void conn_destructor(void *arg)
{
	struct api_conn *c = arg;

	list_unlink(&c->le);
	tmr_cancel(&c->tmr);
	mem_deref(c->tc);
	api_frame_reset(&c->fr);
}

/* Drops the socket and the list's reference; idempotent. */
static void conn_close(struct api_conn *c)
{
	if (!c->le.list)
		return;
	list_unlink(&c->le);
	tmr_cancel(&c->tmr);
	c->tc = mem_deref(c->tc);
	mem_deref(c);
}

static void linger_over(void *arg)
{
	conn_close(arg);
}

/* The reply has left our queue: stop writing, read a little longer. */
static void start_linger(void *arg)
{
	struct api_conn *c = arg;

	(void)tcp_set_send(c->tc, NULL);
	(void)shutdown(tcp_conn_fd(c->tc), SHUT_WR);
	tmr_start(&c->tmr, LINGER_MS, linger_over, c);
}

static int send_reply(struct api_conn *c, uint16_t status, const char *hdrs,
		      const void *body, size_t len, bool with_len, bool close)
{
	struct mbuf *mb = mbuf_alloc(256 + len);
	int err;

	if (!mb)
		return ENOMEM;
	err = mbuf_printf(mb, "HTTP/1.1 %u %s\r\n%s", status, api_reason(status),
			  hdrs ? hdrs : "");
	if (!err && with_len)
		err = mbuf_printf(mb, "Content-Length: %zu\r\n", len);
	if (!err && close)
		err = mbuf_write_str(mb, "Connection: close\r\n");
	if (!err)
		err = mbuf_write_str(mb, "\r\n");
	if (!err && len)
		err = mbuf_write_mem(mb, body, len);
	mb->pos = 0;
	if (!err)
		err = tcp_send(c->tc, mb);
	mem_deref(mb);
	return err;
}

/* After a reply that ends the connection. */
static void finish_closing(struct api_conn *c)
{
	c->state = C_LINGER;
	tmr_cancel(&c->tmr);
	if (tcp_conn_txqsz(c->tc) == 0)
		start_linger(c);
	else if (tcp_set_send(c->tc, start_linger))
		conn_close(c);
}

/* Answers {"error": why} and closes: the request could not be framed. */
static void refuse(struct api_conn *c, uint16_t status, const char *why)
{
	json_t *j = json_pack("{s:s}", "error", why);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	log_info("http.refused", "status=%u reason=%s", status, why);
	if (!s || send_reply(c, status, "Content-Type: application/json\r\n"
			     "Cache-Control: no-store\r\n", s, strlen(s), true,
			     true))
		conn_close(c);
	else
		finish_closing(c);
	free(s);
}

int api_conn_reply(struct api_conn *c, uint16_t status, const char *hdrs,
		   const void *body, size_t len)
{
	bool close;
	int err;

	if (!c->tc || c->state != C_BUSY)
		return ENOTCONN;
	api_audit_reply(c->api, &c->audit, status, body, len);
	close = !c->keep_alive || c->api->stopping;
	err = send_reply(c, status, hdrs, body, len, true, close);
	if (err) {
		conn_close(c);
		return err;
	}
	if (close) {
		finish_closing(c);
		return 0;
	}
	c->state = C_READ;
	if (!c->dispatching)
		process(c);
	return 0;
}

int api_conn_upgrade(struct api_conn *c, uint16_t status, const char *hdrs,
		     struct tcp_conn **tcp)
{
	int err;

	if (!c->tc || c->state != C_BUSY)
		return ENOTCONN;
	api_audit_reply(c->api, &c->audit, status, NULL, 0);
	err = send_reply(c, status, hdrs, NULL, 0, false, false);
	if (err) {
		conn_close(c);
		return err;
	}
	*tcp = c->tc;
	c->tc = NULL;
	tcp_set_handlers(*tcp, NULL, NULL, NULL, NULL);
	conn_close(c);
	return 0;
}

static void timeout(void *arg)
{
	struct api_conn *c = arg;

	if (c->header_clock) {
		refuse(c, 408, "request header not received in time");
		return;
	}
	conn_close(c);      /* idle: nothing to answer */
}

static void clock_header(struct api_conn *c)
{
	if (c->header_clock && tmr_isrunning(&c->tmr))
		return;
	c->header_clock = true;
	tmr_start(&c->tmr, c->api->hconf.header_timeout_ms, timeout, c);
}

static void clock_idle(struct api_conn *c)
{
	c->header_clock = false;
	tmr_start(&c->tmr, c->api->hconf.idle_timeout_ms, timeout, c);
}

/* True when msg's route takes uploads (API_F_UPLOAD). */
static bool upload_route(void *arg, const struct http_msg *msg)
{
	struct api *api = arg;
	const struct api_route *r;
	struct api_params pp;
	char method[16], path[API_PATH_MAX], allow[API_ALLOW_LEN];

	if (msg->met.l >= sizeof(method) || msg->path.l >= sizeof(path))
		return false;
	pl_strcpy(&msg->met, method, sizeof(method));
	pl_strcpy(&msg->path, path, sizeof(path));
	return !api_route_match(api->routes, api->nroutes, method, path, &r,
				&pp, allow) && (r->flags & API_F_UPLOAD);
}

/* Hands out requests one at a time while the connection is READ. */
static void process(struct api_conn *c)
{
	const struct api_frame_limits lim = {
		API_HEAD_MAX, API_BODY_MAX, API_UPLOAD_MAX, upload_route, c->api,
	};

	mem_ref(c);
	while (c->tc && c->state == C_READ) {
		enum api_frame_state st = api_frame_step(&c->fr, &lim);
		struct http_msg *msg;
		struct mbuf *head;

		if (st == API_FRAME_REJECT) {
			refuse(c, c->fr.status, c->fr.why);
			break;
		}
		if (st == API_FRAME_HEAD) {
			if (api_frame_started(&c->fr))
				clock_header(c);
			else if (!tmr_isrunning(&c->tmr))
				clock_idle(c);   /* between requests */
			break;
		}
		if (st == API_FRAME_BODY) {
			if (c->fr.expect_continue) {
				c->fr.expect_continue = false;
				(void)send_reply(c, 100, NULL, NULL, 0, false, false);
			}
			clock_idle(c);       /* restarted on every arrival */
			break;
		}
		c->keep_alive = c->fr.keep_alive;
		msg = api_frame_take(&c->fr, &head);
		c->state = C_BUSY;
		tmr_cancel(&c->tmr);
		c->dispatching = true;
		c->api->reqh(c, msg, c->api);
		c->dispatching = false;
		mem_deref(msg);
		mem_deref(head);
	}
	mem_deref(c);
}

static void conn_recv(struct mbuf *mb, void *arg)
{
	struct api_conn *c = arg;

	if (c->state == C_LINGER)
		return;
	if (api_frame_push(&c->fr, mbuf_buf(mb), mbuf_get_left(mb),
			   API_HEAD_MAX + API_BODY_MAX)) {
		log_info("http.overflow", "%s", "client sent far ahead of us");
		conn_close(c);
		return;
	}
	if (c->state == C_READ)
		process(c);
}

static void conn_closed(int err, void *arg)
{
	(void)err;
	conn_close(arg);
}

static void conn_accept(const struct sa *peer, void *arg)
{
	struct api *api = arg;
	struct api_conn *c;
	int err;

	if (api->stopping) {
		tcp_reject(api->ts);
		return;
	}
	c = mem_zalloc(sizeof(*c), conn_destructor);
	if (!c || api_frame_init(&c->fr)) {
		mem_deref(c);
		tcp_reject(api->ts);
		return;
	}
	c->api = api;
	tmr_init(&c->tmr);
	if (sa_ntop(peer, c->audit.ip, sizeof(c->audit.ip)))
		c->audit.ip[0] = '\0';
	err = tcp_accept(&c->tc, api->ts, NULL, conn_recv, conn_closed, c);
	if (err) {
		mem_deref(c);
		tcp_reject(api->ts);
		return;
	}
	list_append(&api->conns, &c->le, c);
	if (list_count(&api->conns) > api->hconf.max_conns) {
		log_warn("http.busy", "conns=%u", list_count(&api->conns));
		refuse(c, 503, "too many connections; retry later");
		return;
	}
	clock_header(c);
}

/* Not tcp_listen(): its backlog of 5 drops SYNs when hundreds of clients
 * (a wallboard room, a reconnect storm) connect at once. */
int api_httpd_listen(struct api *api, const struct sa *laddr)
{
	int err = tcp_sock_alloc(&api->ts, laddr, conn_accept, api);

	if (!err)
		err = tcp_sock_bind(api->ts, laddr);
	if (!err)
		err = tcp_sock_listen(api->ts, SOMAXCONN);
	if (err)
		api->ts = mem_deref(api->ts);
	return err;
}

void api_httpd_close(struct api *api)
{
	api->ts = mem_deref(api->ts);
	while (api->conns.head)
		conn_close(api->conns.head->data);
}
