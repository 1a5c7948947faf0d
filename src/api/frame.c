/* api/frame: cutting one connection's byte stream into HTTP/1.1 requests.
 * No socket and no clock: bytes go in (api_frame_push), the state machine
 * advances when asked (api_frame_step), so a test can feed any split.
 *
 *   HEAD ──blank line──► BODY ──Content-Length bytes──► DONE ──take──► HEAD
 *     │                    │
 *     └──── REJECT ◄───────┘  (431, 400, 411, 413: answer, then close)
 *
 * Facts that always hold:
 *  (1) A head is never buffered past head_max bytes: a longer one is
 *      rejected (431) as soon as the limit is crossed, blank line or not.
 *  (2) The body limit is decided from Content-Length before any body byte
 *      is read, so a client announcing 100 MiB gets 413 at once. Routes
 *      that take uploads (the limits' upload hook) have a larger one.
 *  (3) Bytes after a request (pipelining) stay in `in` untouched until the
 *      request is taken; requests are handed out one at a time, in order.
 *  (4) In DONE, msg->mb holds exactly the body (pos 0 to end), which is
 *      what handlers read; the headers point into a separate head buffer
 *      that must live as long as msg.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "api/api_int.h"

int api_frame_init(struct api_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->in = mbuf_alloc(1024);
	return f->in ? 0 : ENOMEM;
}

void api_frame_reset(struct api_frame *f)
{
	f->in = mem_deref(f->in);
	f->req = mem_deref(f->req);
	f->msg = mem_deref(f->msg);
}

int api_frame_push(struct api_frame *f, const uint8_t *p, size_t n,
		   size_t cap)
{
	size_t left = mbuf_get_left(f->in), pos;
	int err;

	if (!n)
		return 0;
	if (left + n > cap)
		return EOVERFLOW;
	/* Keep consumed bytes from piling up in front. */
	if (f->in->pos > 0 && (left == 0 || f->in->pos > 64 * 1024)) {
		memmove(f->in->buf, mbuf_buf(f->in), left);
		f->scan = f->scan > f->in->pos ? f->scan - f->in->pos : 0;
		f->in->pos = 0;
		f->in->end = left;
	}
	pos = f->in->pos;
	f->in->pos = f->in->end;
	err = mbuf_write_mem(f->in, p, n);
	f->in->pos = pos;
	return err;
}

bool api_frame_started(const struct api_frame *f)
{
	return f->state != API_FRAME_HEAD || mbuf_get_left(f->in) > 0;
}

static enum api_frame_state reject(struct api_frame *f, uint16_t status,
				   const char *why)
{
	f->status = status;
	snprintf(f->why, sizeof(f->why), "%s", why);
	f->state = API_FRAME_REJECT;
	return f->state;
}

/* Offset just past the blank line ending the head, or 0 while there is
 * none. Bare LF line ends are accepted, as RFC 9112 2.2 allows. */
static size_t head_end(struct api_frame *f)
{
	const uint8_t *b = f->in->buf;
	size_t i = f->scan > f->in->pos ? f->scan : f->in->pos;

	for (; i < f->in->end; i++) {
		if (b[i] != '\n' || i == f->in->pos)
			continue;
		if (b[i - 1] == '\n')
			return i + 1;
		if (b[i - 1] == '\r' && i - 1 > f->in->pos && b[i - 2] == '\n')
			return i + 1;
	}
	/* Resume where a terminator could still begin ("\n\r" is 2 bytes). */
	f->scan = f->in->end >= f->in->pos + 2 ? f->in->end - 2 : f->in->pos;
	return 0;
}

/* Content-Length: digits only, every copy the same (RFC 9112 6.3). */
static int content_length(const struct http_msg *msg, uint64_t *clen)
{
	bool seen = false;

	*clen = 0;
	for (struct le *le = msg->hdrl.head; le; le = le->next) {
		const struct http_hdr *h = le->data;
		uint64_t v = 0;

		if (h->id != HTTP_HDR_CONTENT_LENGTH)
			continue;
		if (!h->val.l || h->val.l > 19)
			return EINVAL;
		for (size_t i = 0; i < h->val.l; i++) {
			if (h->val.p[i] < '0' || h->val.p[i] > '9')
				return EINVAL;
			v = v * 10 + (uint64_t)(h->val.p[i] - '0');
		}
		if (seen && v != *clen)
			return EINVAL;
		seen = true;
		*clen = v;
	}
	return 0;
}

/* The head is whole at in[pos .. pos+len): decode it and decide. */
/* Decodes the head at in[pos .. pos+len) and checks what framing needs. */
static enum api_frame_state check_head(struct api_frame *f, size_t len,
				       const struct api_frame_limits *lim,
				       struct http_msg *msg)
{
	char why[96];

	if (pl_strcmp(&msg->ver, "1.1") && pl_strcmp(&msg->ver, "1.0"))
		return reject(f, 400, "unsupported HTTP version (want 1.1)");
	if (http_msg_hdr(msg, HTTP_HDR_TRANSFER_ENCODING))
		return reject(f, 411, "chunked or encoded request bodies are not "
			      "accepted; send Content-Length");
	if (content_length(msg, &f->clen))
		return reject(f, 400, "bad Content-Length");
	if (f->clen > lim->body_max) {
		bool up = lim->upload && lim->upload(lim->arg, msg);
		uint64_t max = up ? lim->upload_max : lim->body_max;

		if (f->clen > max) {
			snprintf(why, sizeof(why), "request body larger than "
				 "%llu bytes", (unsigned long long)max);
			return reject(f, 413, why);
		}
	}
	f->head_len = len;
	return f->state;
}

/* The head is whole at in[pos .. pos+len): it moves to its own buffer,
 * which the decoded headers point into, and the body will go to msg->mb
 * (libre's decoder gives every message an empty one). */
static enum api_frame_state accept_head(struct api_frame *f, size_t len,
					const struct api_frame_limits *lim)
{
	f->req = mbuf_alloc(len);
	if (!f->req || mbuf_write_mem(f->req, mbuf_buf(f->in), len))
		return reject(f, 500, "out of memory");
	mbuf_advance(f->in, (ssize_t)len);
	f->req->pos = 0;
	if (http_msg_decode(&f->msg, f->req, true))
		return reject(f, 400, "malformed request line or header");
	if (check_head(f, len, lim, f->msg) == API_FRAME_REJECT)
		return f->state;
	if (!f->msg->mb)
		f->msg->mb = mbuf_alloc((size_t)f->clen + 1);
	if (!f->msg->mb)
		return reject(f, 500, "out of memory");
	f->msg->mb->pos = f->msg->mb->end = 0;
	if (!pl_strcmp(&f->msg->ver, "1.1"))
		f->keep_alive = !http_msg_hdr_has_value(f->msg, HTTP_HDR_CONNECTION,
							"close");
	else
		f->keep_alive = http_msg_hdr_has_value(f->msg, HTTP_HDR_CONNECTION,
						       "keep-alive");
	f->expect_continue = f->clen > 0 &&
		http_msg_hdr_has_value(f->msg, HTTP_HDR_EXPECT, "100-continue");
	f->state = API_FRAME_BODY;
	return f->state;
}

enum api_frame_state api_frame_step(struct api_frame *f,
				    const struct api_frame_limits *lim)
{
	if (f->state == API_FRAME_HEAD) {
		size_t end;

		/* RFC 9112 2.2: empty lines before a request are ignored. */
		while (mbuf_get_left(f->in) && (mbuf_buf(f->in)[0] == '\r' ||
						mbuf_buf(f->in)[0] == '\n'))
			mbuf_advance(f->in, 1);
		end = head_end(f);
		if (!end) {
			if (mbuf_get_left(f->in) > lim->head_max)
				return reject(f, 431, "request header block larger "
					      "than allowed");
			return f->state;
		}
		if (end - f->in->pos > lim->head_max)
			return reject(f, 431, "request header block larger than "
				      "allowed");
		if (accept_head(f, end - f->in->pos, lim) != API_FRAME_BODY)
			return f->state;
	}
	if (f->state == API_FRAME_BODY) {
		struct mbuf *body = f->msg->mb;
		size_t want = (size_t)f->clen - body->end;
		size_t n = mbuf_get_left(f->in) < want ? mbuf_get_left(f->in) : want;

		if (n && mbuf_write_mem(body, mbuf_buf(f->in), n))
			return reject(f, 500, "out of memory");
		mbuf_advance(f->in, (ssize_t)n);
		if (body->end == f->clen) {
			body->pos = 0;
			f->state = API_FRAME_DONE;
		}
	}
	return f->state;
}

struct http_msg *api_frame_take(struct api_frame *f, struct mbuf **headp)
{
	struct http_msg *msg = f->msg;

	if (f->state != API_FRAME_DONE)
		return NULL;
	*headp = f->req;
	f->req = NULL;
	f->msg = NULL;
	f->state = API_FRAME_HEAD;
	f->scan = f->in->pos;
	f->clen = 0;
	f->head_len = 0;
	f->expect_continue = false;
	return msg;
}
