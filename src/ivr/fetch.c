/* ivr/fetch: one HTTP/1.1 request per TCP connection, on libre's loop.
 *
 * Written on tcp_connect rather than libre 1.1.0's http_client: that
 * client needs a DNS client (dnsc_alloc opens UDP sockets on 0.0.0.0 and
 * ::, and fails where IPv6 is off), keeps idle connections for 15 min,
 * buffers bodies up to 512 KiB, and reads a body framed by the
 * connection's close (no Content-Length, no chunks) as empty. Here the
 * answer is framed by Content-Length, chunks or the close, whichever the
 * server chose, and the head is parsed by libre's http_msg_decode. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <re_types.h>
#include <re_fmt.h>
#include <re_mem.h>
#include <re_mbuf.h>
#include <re_list.h>
#include <re_sa.h>
#include <re_tmr.h>
#include <re_tcp.h>
#include <re_msg.h>
#include <re_http.h>
#include <jansson.h>
#include "ivr/ivr_fetch.h"

enum {
	HEAD_MAX  = 16 * 1024,        /* status line and headers */
	/* room for chunk-size lines around IVR_FETCH_BODY_MAX of data */
	RX_MAX    = HEAD_MAX + IVR_FETCH_BODY_MAX + 16 * 1024,
	HOST_MAX  = 64,
};

/* How the server marks the end of the body. */
enum framing { BY_CLOSE, BY_LENGTH, BY_CHUNKS };

struct ivr_fetch {
	struct tcp_conn *tc;          /* NULL once over */
	struct tmr tmr;               /* the timeout */
	struct mbuf *req;             /* the request, sent when connected */
	struct mbuf *rx;              /* the answer so far */
	bool head;                    /* rx holds the whole head */
	enum framing framing;
	size_t body_at;               /* where the body starts in rx */
	size_t clen;                  /* BY_LENGTH: the body's length */
	ivr_fetch_h *h;               /* NULL once called */
	void *arg;
};

static void destructor(void *arg)
{
	struct ivr_fetch *f = arg;

	tmr_cancel(&f->tmr);
	mem_deref(f->tc);
	mem_deref(f->req);
	mem_deref(f->rx);
}

/* The one call of the handler. Nothing of f is touched after it: the
 * handler may free f. */
static void finish(struct ivr_fetch *f, int err, json_t *answer)
{
	ivr_fetch_h *h = f->h;
	void *arg = f->arg;

	f->h = NULL;
	tmr_cancel(&f->tmr);
	f->tc = mem_deref(f->tc);
	f->rx = mem_deref(f->rx);
	if (h)
		h(err, answer, arg);
	json_decref(answer);
}

static void answer(struct ivr_fetch *f, const uint8_t *p, size_t n)
{
	json_error_t je;
	json_t *o = NULL;

	if (n <= IVR_FETCH_BODY_MAX)
		o = json_loadb((const char *)p, n, 0, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		finish(f, EPROTO, NULL);
		return;
	}
	finish(f, 0, o);
}

/* The chunked body p[0..n) joined into out: 0 when it is whole, ENODATA
 * while more is to come, EPROTO when it is malformed or too large.
 * Trailers after the last chunk are not waited for: the server closes. */
static int dechunk(const uint8_t *p, size_t n, struct mbuf *out)
{
	size_t i = 0;

	for (;;) {
		const uint8_t *eol = memchr(p + i, '\n', n - i);
		size_t len = 0, digits = 0;

		if (!eol)
			return n - i > 64 ? EPROTO : ENODATA;
		for (; p + i < eol; i++, digits++) {
			int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' :
				(p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f' ?
				(p[i] | 0x20) - 'a' + 10 : -1;

			if (d < 0)
				break;  /* ";ext" or the CR */
			len = len * 16 + (size_t)d;
			if (len > IVR_FETCH_BODY_MAX)
				return EPROTO;
		}
		if (!digits)
			return EPROTO;
		i = (size_t)(eol - p) + 1;
		if (!len)
			return 0;
		if (n - i < len + 2)
			return ENODATA;
		if (out->end + len > IVR_FETCH_BODY_MAX)
			return EPROTO;
		if (mbuf_write_mem(out, p + i, len))
			return ENOMEM;
		i += len;
		if (p[i] != '\r' || p[i + 1] != '\n')
			return EPROTO;
		i += 2;
	}
}

/* Reads the head once it is whole: 0, ENODATA (not yet) or EPROTO. */
static int head(struct ivr_fetch *f)
{
	struct http_msg *msg = NULL;
	int err;

	f->rx->pos = 0;
	err = http_msg_decode(&msg, f->rx, false);
	if (err == ENODATA)
		return f->rx->end > HEAD_MAX ? EPROTO : ENODATA;
	if (err)
		return EPROTO;
	f->head = true;
	f->body_at = f->rx->pos;
	if (http_msg_hdr_has_value(msg, HTTP_HDR_TRANSFER_ENCODING,
				   "chunked"))
		f->framing = BY_CHUNKS;
	else if (http_msg_hdr(msg, HTTP_HDR_CONTENT_LENGTH)) {
		f->framing = BY_LENGTH;
		f->clen = msg->clen;
	}
	err = msg->scode < 200 || msg->scode > 299 ? EPROTO : 0;
	if (f->framing == BY_LENGTH && f->clen > IVR_FETCH_BODY_MAX)
		err = EPROTO;
	mem_deref(msg);
	return err;
}

/* Finishes f when rx holds a whole answer. */
static void progress(struct ivr_fetch *f)
{
	const uint8_t *body;
	size_t have;
	struct mbuf *out;
	int err;

	if (!f->head && (err = head(f))) {
		if (err != ENODATA)
			finish(f, err, NULL);
		return;
	}
	body = f->rx->buf + f->body_at;
	have = f->rx->end - f->body_at;
	switch (f->framing) {
	case BY_LENGTH:
		if (have >= f->clen)
			answer(f, body, f->clen);
		return;
	case BY_CHUNKS:
		if (!(out = mbuf_alloc(have ? have : 1))) {
			finish(f, ENOMEM, NULL);
			return;
		}
		err = dechunk(body, have, out);
		if (!err)
			answer(f, out->buf, out->end);
		else if (err != ENODATA)
			finish(f, err, NULL);
		mem_deref(out);
		return;
	case BY_CLOSE:
		if (have > IVR_FETCH_BODY_MAX)
			finish(f, EPROTO, NULL);
		return;
	}
}

static void on_estab(void *arg)
{
	struct ivr_fetch *f = arg;

	if (tcp_send(f->tc, f->req))
		finish(f, EIO, NULL);
}

static void on_recv(struct mbuf *mb, void *arg)
{
	struct ivr_fetch *f = arg;
	size_t n = mbuf_get_left(mb);

	if (f->rx->end + n > RX_MAX) {
		finish(f, EPROTO, NULL);
		return;
	}
	f->rx->pos = f->rx->end;
	if (mbuf_write_mem(f->rx, mbuf_buf(mb), n)) {
		finish(f, ENOMEM, NULL);
		return;
	}
	progress(f);
}

static void on_close(int err, void *arg)
{
	struct ivr_fetch *f = arg;

	if (!f->head)
		finish(f, err == ECONNREFUSED ? ECONNREFUSED : EIO, NULL);
	else if (f->framing == BY_CLOSE)
		answer(f, f->rx->buf + f->body_at, f->rx->end - f->body_at);
	else
		finish(f, EIO, NULL);
}

static void on_timeout(void *arg)
{
	finish(arg, ETIMEDOUT, NULL);
}

/* url's address, its host as written (for Host:) and the path with the
 * query: 0 or EINVAL. */
static int url_parse(const char *url, struct sa *addr, char *host,
		     const char **path)
{
	const char *p, *end;
	size_t n;
	uint32_t port = 80;

	if (strncmp(url, "http://", 7))
		return EINVAL;
	for (p = url; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return EINVAL;  /* would break the request line */
	}
	p = url + 7;
	n = strcspn(p, ":/?#");
	if (!n || n >= HOST_MAX)
		return EINVAL;
	end = p + n;
	if (*end == ':') {
		const char *d = end + 1;

		for (port = 0; *d >= '0' && *d <= '9' && port <= 65535; d++)
			port = port * 10 + (uint32_t)(*d - '0');
		if (d == end + 1 || !port || port > 65535 ||
		    (*d && *d != '/' && *d != '?'))
			return EINVAL;
		n = (size_t)(d - p);
		end = d;
	}
	if (*end == '#')
		return EINVAL;
	memcpy(host, p, n);
	host[n] = '\0';
	host[strcspn(host, ":")] = '\0';
	if (!strcmp(host, "localhost"))
		sa_set_in(addr, 0x7f000001, (uint16_t)port);
	else if (sa_set_str(addr, host, (uint16_t)port) ||
		 sa_af(addr) != AF_INET)
		return EINVAL;
	memcpy(host, p, n);        /* with the port, for Host: */
	host[n] = '\0';
	*path = end;
	return 0;
}

static int request(struct mbuf *mb, bool post, const char *host,
		   const char *path, const char *body)
{
	int err = mbuf_printf(mb, "%s %s%s HTTP/1.1\r\n"
			      "Host: %s\r\n"
			      "User-Agent: hotline\r\n"
			      "Accept: application/json\r\n"
			      "Connection: close\r\n",
			      post ? "POST" : "GET", *path == '/' ? "" : "/",
			      path, host);

	if (!err && post) {
		if (!body)
			body = "{}";
		err = mbuf_printf(mb, "Content-Type: application/json\r\n"
				  "Content-Length: %zu\r\n\r\n%s",
				  strlen(body), body);
	}
	else if (!err)
		err = mbuf_write_str(mb, "\r\n");
	mb->pos = 0;
	return err;
}

int ivr_fetch_start(struct ivr_fetch **fp, const char *method,
		    const char *url, const char *body, uint32_t timeout_ms,
		    ivr_fetch_h *h, void *arg)
{
	char host[HOST_MAX];
	const char *path;
	struct ivr_fetch *f;
	struct sa addr;
	bool post;
	int err;

	if (!fp || !method || !url || !timeout_ms || !h)
		return EINVAL;
	post = !strcmp(method, "POST");
	if (!post && strcmp(method, "GET"))
		return EINVAL;
	if (url_parse(url, &addr, host, &path))
		return EINVAL;
	f = mem_zalloc(sizeof(*f), destructor);
	if (!f)
		return ENOMEM;
	f->h = h;
	f->arg = arg;
	f->req = mbuf_alloc(512);
	f->rx = mbuf_alloc(4096);
	err = f->req && f->rx ? request(f->req, post, host, path, body) :
		ENOMEM;
	if (!err)
		err = tcp_connect(&f->tc, &addr, on_estab, on_recv, on_close,
				  f);
	if (err) {
		f->h = NULL;
		mem_deref(f);
		return err;
	}
	tmr_start(&f->tmr, timeout_ms, on_timeout, f);
	*fp = f;
	return 0;
}
