/* api/ws: the server side of RFC 6455 on a socket taken over from an HTTP
 * connection (httpd.c). We only ever send text, ping, pong and close; what
 * a client sends is parsed, unmasked and, apart from control frames,
 * ignored.
 *
 * Facts that always hold:
 *  (1) closeh runs at most once, and only from a socket, timer or receive
 *      callback, never from inside api_ws_send_text or api_ws_close, so a
 *      caller looping over clients may drop them itself.
 *  (2) At most WS_IN_MAX payload bytes of one client frame are buffered; a
 *      larger frame closes with 1009 (message too big).
 *  (3) A client frame that is not masked, uses reserved bits or opcodes, or
 *      is a fragmented or long control frame closes with 1002.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "api/api_int.h"
#include "base/log.h"

enum {
	WS_IN_MAX      = 64 * 1024,
	CLOSE_WAIT_MS  = 2000,
	OP_CONT = 0x0, OP_TEXT = 0x1, OP_BIN = 0x2,
	OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xa,
	CODE_PROTOCOL = 1002, CODE_TOO_BIG = 1009,
};

static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

struct api_ws {
	struct tcp_conn *tc;        /* ref; NULL once ended */
	struct mbuf *in;            /* ref: received bytes not yet a frame */
	struct tmr tmr;             /* keepalive ping, then the close wait */
	uint32_t ka_ms;
	api_ws_close_h *closeh;
	void *arg;
	bool heard;                 /* something arrived since the last ping */
	bool pinged;
	bool close_sent;
};

int api_ws_accept_key(const char *key, size_t len, char out[29])
{
	char buf[64 + sizeof(GUID)];
	uint8_t md[20];
	size_t olen = 29;

	if (len > 64)
		return EINVAL;
	memcpy(buf, key, len);
	memcpy(buf + len, GUID, sizeof(GUID) - 1);
	api_sha1(buf, len + sizeof(GUID) - 1, md);
	if (base64_encode(md, sizeof(md), out, &olen) || olen != 28)
		return EINVAL;
	out[28] = '\0';
	return 0;
}

int api_ws_hdr_parse(const uint8_t *b, size_t n, struct api_ws_hdr *h)
{
	size_t ext;

	if (n < 2)
		return ENODATA;
	h->fin = b[0] & 0x80;
	h->opcode = b[0] & 0x0f;
	if (b[0] & 0x70 || (h->opcode > OP_BIN && h->opcode < OP_CLOSE) ||
	    h->opcode > OP_PONG || !(b[1] & 0x80))
		return EBADMSG;
	h->len = b[1] & 0x7f;
	if (h->opcode >= OP_CLOSE && (!h->fin || h->len > 125))
		return EBADMSG;
	ext = h->len == 126 ? 2 : h->len == 127 ? 8 : 0;
	if (n < 2 + ext + 4)
		return ENODATA;
	if (ext) {
		h->len = 0;
		for (size_t i = 0; i < ext; i++)
			h->len = h->len << 8 | b[2 + i];
		if (h->len >> 63)
			return EBADMSG;
	}
	memcpy(h->mask, b + 2 + ext, 4);
	h->hdr_len = 2 + ext + 4;
	return 0;
}

size_t api_ws_hdr_encode(uint8_t out[10], uint8_t opcode, uint64_t len)
{
	out[0] = 0x80 | opcode;
	if (len < 126) {
		out[1] = (uint8_t)len;
		return 2;
	}
	if (len < 65536) {
		out[1] = 126;
		out[2] = (uint8_t)(len >> 8);
		out[3] = (uint8_t)len;
		return 4;
	}
	out[1] = 127;
	for (int i = 0; i < 8; i++)
		out[2 + i] = (uint8_t)(len >> (8 * (7 - i)));
	return 10;
}

static int send_frame(struct api_ws *ws, uint8_t opcode, const void *p,
		      size_t len)
{
	uint8_t hdr[10];
	size_t hl = api_ws_hdr_encode(hdr, opcode, len);
	struct mbuf *mb;
	int err;

	if (!ws->tc)
		return ENOTCONN;
	mb = mbuf_alloc(hl + len);
	if (!mb)
		return ENOMEM;
	err = mbuf_write_mem(mb, hdr, hl);
	if (!err && len)
		err = mbuf_write_mem(mb, p, len);
	mb->pos = 0;
	if (!err)
		err = tcp_send(ws->tc, mb);
	mem_deref(mb);
	return err;
}

static void ws_destructor(void *arg)
{
	struct api_ws *ws = arg;

	tmr_cancel(&ws->tmr);
	mem_deref(ws->tc);
	mem_deref(ws->in);
}

/* The connection is over; closeh may free ws, so nothing touches it after. */
static void end(struct api_ws *ws, int err)
{
	if (!ws->tc)
		return;
	ws->tc = mem_deref(ws->tc);
	tmr_cancel(&ws->tmr);
	if (ws->closeh)
		ws->closeh(err, ws->arg);
}

static void close_with(struct api_ws *ws, uint16_t code, int err)
{
	uint8_t p[2] = {(uint8_t)(code >> 8), (uint8_t)code};

	(void)send_frame(ws, OP_CLOSE, p, sizeof(p));
	end(ws, err);
}

static void tick(void *arg)
{
	struct api_ws *ws = arg;

	if (ws->close_sent || (ws->pinged && !ws->heard)) {
		end(ws, ETIMEDOUT);
		return;
	}
	ws->heard = false;
	ws->pinged = true;
	(void)send_frame(ws, OP_PING, NULL, 0);
	tmr_start(&ws->tmr, ws->ka_ms, tick, ws);
}

/* One whole frame, payload unmasked. 0 to go on, else ws has ended. */
static int on_frame(struct api_ws *ws, const struct api_ws_hdr *h,
		    const uint8_t *p)
{
	switch (h->opcode) {
	case OP_CLOSE:
		/* Our close answered, or theirs: echo its code, then done. */
		if (!ws->close_sent)
			(void)send_frame(ws, OP_CLOSE, p, h->len >= 2 ? 2 : 0);
		end(ws, 0);
		return ECONNRESET;
	case OP_PING:
		(void)send_frame(ws, OP_PONG, p, (size_t)h->len);
		return 0;
	default:
		return 0;           /* pong, text, binary, continuation */
	}
}

static void ws_recv(struct mbuf *mb, void *arg)
{
	struct api_ws *ws = arg;
	struct api_ws_hdr h;
	size_t left;
	int err;

	ws->heard = true;
	ws->in->pos = ws->in->end;
	if (mbuf_write_mem(ws->in, mbuf_buf(mb), mbuf_get_left(mb))) {
		end(ws, ENOMEM);
		return;
	}
	ws->in->pos = 0;
	while ((left = mbuf_get_left(ws->in)) > 0) {
		uint8_t *p = mbuf_buf(ws->in);

		err = api_ws_hdr_parse(p, left, &h);
		if (err == ENODATA)
			break;
		if (err) {
			close_with(ws, CODE_PROTOCOL, EPROTO);
			return;
		}
		if (h.len > WS_IN_MAX) {
			close_with(ws, CODE_TOO_BIG, EMSGSIZE);
			return;
		}
		if (left < h.hdr_len + h.len)
			break;
		p += h.hdr_len;
		for (size_t i = 0; i < h.len; i++)
			p[i] ^= h.mask[i % 4];
		if (on_frame(ws, &h, p))
			return;
		mbuf_advance(ws->in, (ssize_t)(h.hdr_len + h.len));
	}
	/* Keep only the partial frame, at the front. */
	left = mbuf_get_left(ws->in);
	memmove(ws->in->buf, mbuf_buf(ws->in), left);
	ws->in->pos = 0;
	ws->in->end = left;
}

static void ws_closed(int err, void *arg)
{
	end(arg, err ? err : ECONNRESET);
}

/* True when the comma-separated header value lists token. */
static bool has_token(const struct http_msg *msg, enum http_hdrid id,
		      const char *token)
{
	const struct http_hdr *h = http_msg_hdr(msg, id);
	char v[256];

	if (!h || h->val.l >= sizeof(v))
		return false;
	pl_strcpy(&h->val, v, sizeof(v));
	for (char *save = NULL, *t = strtok_r(v, ", \t", &save); t;
	     t = strtok_r(NULL, ", \t", &save)) {
		if (!strcasecmp(t, token))
			return true;
	}
	return false;
}

int api_ws_accept(struct api_ws **wsp, struct api_conn *conn,
		  const struct http_msg *msg, uint32_t keepalive_ms,
		  api_ws_close_h *closeh, void *arg, const char **why)
{
	const struct http_hdr *key = http_msg_hdr(msg, HTTP_HDR_SEC_WEBSOCKET_KEY);
	struct api_ws *ws;
	char accept[29], hdrs[160];
	uint8_t raw[32];
	size_t rawlen = sizeof(raw);
	int err;

	if (!has_token(msg, HTTP_HDR_UPGRADE, "websocket")) {
		*why = "this route is a WebSocket: send 'Upgrade: websocket'";
		return EPROTO;
	}
	if (!has_token(msg, HTTP_HDR_CONNECTION, "upgrade")) {
		*why = "a WebSocket handshake needs 'Connection: Upgrade'";
		return EPROTO;
	}
	if (!http_msg_hdr_has_value(msg, HTTP_HDR_SEC_WEBSOCKET_VERSION, "13")) {
		*why = "unsupported Sec-WebSocket-Version (want 13)";
		return EPROTO;
	}
	if (!key || base64_decode(key->val.p, key->val.l, raw, &rawlen) ||
	    rawlen != 16 || api_ws_accept_key(key->val.p, key->val.l, accept)) {
		*why = "bad Sec-WebSocket-Key (want 16 bytes in base64)";
		return EPROTO;
	}
	ws = mem_zalloc(sizeof(*ws), ws_destructor);
	if (!ws)
		return ENOMEM;
	tmr_init(&ws->tmr);
	ws->in = mbuf_alloc(1024);
	if (!ws->in) {
		mem_deref(ws);
		return ENOMEM;
	}
	ws->ka_ms = keepalive_ms;
	ws->closeh = closeh;
	ws->arg = arg;
	snprintf(hdrs, sizeof(hdrs), "Upgrade: websocket\r\n"
		 "Connection: Upgrade\r\n"
		 "Sec-WebSocket-Accept: %s\r\n", accept);
	err = api_conn_upgrade(conn, 101, hdrs, &ws->tc);
	if (err) {
		mem_deref(ws);
		return err;
	}
	tcp_set_handlers(ws->tc, NULL, ws_recv, ws_closed, ws);
	tmr_start(&ws->tmr, keepalive_ms, tick, ws);
	*wsp = ws;
	return 0;
}

int api_ws_send_text(struct api_ws *ws, const char *s, size_t len)
{
	if (ws->close_sent)
		return ENOTCONN;
	return send_frame(ws, OP_TEXT, s, len);
}

int api_ws_close(struct api_ws *ws, uint16_t code, const char *reason)
{
	uint8_t p[125];
	size_t rl = reason ? strlen(reason) : 0;

	if (!ws->tc || ws->close_sent)
		return 0;
	if (rl > sizeof(p) - 2)
		rl = sizeof(p) - 2;
	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	if (rl)
		memcpy(p + 2, reason, rl);
	ws->close_sent = true;
	tmr_start(&ws->tmr, CLOSE_WAIT_MS, tick, ws);
	return send_frame(ws, OP_CLOSE, p, 2 + rl);
}

size_t api_ws_txqsz(const struct api_ws *ws)
{
	return ws->tc ? tcp_conn_txqsz(ws->tc) : 0;
}
