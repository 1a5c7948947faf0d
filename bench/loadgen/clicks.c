/* clicks: click-to-dial requests, POST /api/v1/calls {"agent", "to"} with
 * a bearer token, over a few kept-alive HTTP/1.1 connections on the libre
 * loop. One request at a time on each connection (no pipelining): the
 * server answers a click as soon as the agent's phone is rung, so a
 * handful of connections carry hundreds of clicks a second. A connection
 * the server closed is opened again for the next request; a request on a
 * connection that dies is reported as failed (err), never sent twice. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include <re.h>
#include "loadgen.h"

enum { RX_MAX = 64 * 1024 };

struct hconn {
	struct tcp_conn *tc;          /* NULL until used, and after a close */
	struct mbuf *rx;
	struct mbuf *pending;         /* a request waiting for the connect */
	lg_click_h *h;                /* NULL: idle (or cancelled) */
	void *arg;
	bool busy, connected;
};

struct lg_clicks {
	struct sa api;
	char token[512];
	struct hconn *v;
	unsigned n;
};

static void conn_reset(struct hconn *c)
{
	c->tc = mem_deref(c->tc);
	c->pending = mem_deref(c->pending);
	c->connected = false;
	if (c->rx)
		mbuf_reset(c->rx);
}

/* The request's one answer: the handler is forgotten before it runs. */
static void done(struct hconn *c, int err, uint16_t status)
{
	lg_click_h *h = c->h;
	void *arg = c->arg;

	c->h = NULL;
	c->arg = NULL;
	c->busy = false;
	if (h)
		h(err, status, arg);
}

static void close_handler(int err, void *arg)
{
	struct hconn *c = arg;
	bool was_busy = c->busy;

	conn_reset(c);
	if (was_busy)
		done(c, err ? err : ECONNRESET, 0);
}

/* A whole response in rx: its status; the bytes it took are consumed. */
static int take_response(struct hconn *c, uint16_t *status)
{
	const char *p = (const char *)c->rx->buf;
	size_t len = c->rx->end, head, clen = 0;
	const char *end = NULL, *cl;

	for (size_t i = 0; i + 3 < len; i++) {
		if (!memcmp(p + i, "\r\n\r\n", 4)) {
			end = p + i;
			break;
		}
	}
	if (!end)
		return len > RX_MAX ? EMSGSIZE : EAGAIN;
	head = (size_t)(end - p) + 4;
	if (len < 12 || memcmp(p, "HTTP/1.", 7))
		return EPROTO;
	*status = (uint16_t)atoi(p + 9);
	for (cl = p; cl && cl < end; cl = memchr(cl, '\n', (size_t)(end - cl))) {
		cl++;
		if (!strncasecmp(cl, "content-length:", 15)) {
			clen = strtoul(cl + 15, NULL, 10);
			break;
		}
	}
	if (len < head + clen)
		return EAGAIN;
	memmove(c->rx->buf, c->rx->buf + head + clen, len - head - clen);
	c->rx->end = len - head - clen;
	c->rx->pos = 0;
	return 0;
}

static void recv_handler(struct mbuf *mb, void *arg)
{
	struct hconn *c = arg;
	uint16_t status = 0;
	int err;

	c->rx->pos = c->rx->end;
	if (mbuf_write_mem(c->rx, mbuf_buf(mb), mbuf_get_left(mb))) {
		conn_reset(c);
		done(c, ENOMEM, 0);
		return;
	}
	err = take_response(c, &status);
	if (err == EAGAIN)
		return;
	if (err) {
		log_warn("bench.click_bad_answer", "err=%s", strerror(err));
		conn_reset(c);
	}
	done(c, err, status);
}

static void estab_handler(void *arg)
{
	struct hconn *c = arg;
	int err;

	c->connected = true;
	if (!c->pending)
		return;
	err = tcp_send(c->tc, c->pending);
	c->pending = mem_deref(c->pending);
	if (err) {
		conn_reset(c);
		done(c, err, 0);
	}
}

static void clicks_destructor(void *arg)
{
	struct lg_clicks *k = arg;

	for (unsigned i = 0; i < k->n; i++) {
		k->v[i].h = NULL;
		conn_reset(&k->v[i]);
		mem_deref(k->v[i].rx);
	}
	mem_deref(k->v);
}

int lg_clicks_alloc(struct lg_clicks **kp, const struct sa *api,
		    const char *token, unsigned conns)
{
	struct lg_clicks *k = mem_zalloc(sizeof(*k), clicks_destructor);

	if (!k)
		return ENOMEM;
	k->api = *api;
	str_ncpy(k->token, token ? token : "", sizeof(k->token));
	k->v = mem_zalloc(conns * sizeof(*k->v), NULL);
	if (!k->v) {
		mem_deref(k);
		return ENOMEM;
	}
	k->n = conns;
	for (unsigned i = 0; i < conns; i++) {
		if (!(k->v[i].rx = mbuf_alloc(1024))) {
			mem_deref(k);
			return ENOMEM;
		}
	}
	*kp = k;
	return 0;
}

int lg_clicks_post(struct lg_clicks *k, const char *agent, const char *to,
		   lg_click_h *h, void *arg)
{
	struct hconn *c = NULL;
	struct mbuf *mb;
	char body[160];
	int err, blen;

	for (unsigned i = 0; i < k->n && !c; i++) {
		if (!k->v[i].busy)
			c = &k->v[i];
	}
	if (!c)
		return EBUSY;
	blen = re_snprintf(body, sizeof(body), "{\"agent\":\"%s\",\"to\":\"%s\"}",
			   agent, to);
	if (blen < 0)
		return EINVAL;
	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;
	err = mbuf_printf(mb, "POST /api/v1/calls HTTP/1.1\r\nHost: %J\r\n"
			  "Authorization: Bearer %s\r\n"
			  "Content-Type: application/json\r\n"
			  "Content-Length: %d\r\n\r\n%s", &k->api, k->token,
			  blen, body);
	if (err) {
		mem_deref(mb);
		return err;
	}
	mb->pos = 0;
	c->busy = true;
	c->h = h;
	c->arg = arg;
	if (c->tc && c->connected) {
		err = tcp_send(c->tc, mb);
		mem_deref(mb);
	}
	else {
		mem_deref(c->pending);
		c->pending = mb;
		err = c->tc ? 0 : tcp_connect(&c->tc, &k->api, estab_handler,
					      recv_handler, close_handler, c);
	}
	if (err) {
		conn_reset(c);
		c->busy = false;
		c->h = NULL;
		c->arg = NULL;
	}
	return err;
}

void lg_clicks_forget(struct lg_clicks *k, void *arg)
{
	for (unsigned i = 0; k && i < k->n; i++) {
		if (k->v[i].busy && k->v[i].arg == arg) {
			k->v[i].h = NULL;
			k->v[i].arg = NULL;
		}
	}
}
