/* api/sendfile: a file under the data directory (a call's recording, a
 * voicemail), whole or one byte range, for the handlers that serve them.
 *
 * The file is never loaded whole. With the headers, the connection's TCP
 * socket is taken over from the HTTP layer (api_conn_upgrade) and the body
 * is sent in 64 KiB chunks, one each time the socket's send queue runs
 * empty (tcp_set_send), read from disk with pread. The
 * connection closes after the body ("Connection: close"), and a client that
 * goes away ends the download at once. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "api/api_int.h"
#include "base/log.h"

enum { CHUNK = 64 * 1024 };

int api_range_parse(const char *hdr, uint64_t size, uint64_t *first,
		    uint64_t *last)
{
	const char *p, *dash;
	uint64_t a, b;
	char num[24];

	if (!hdr || strncmp(hdr, "bytes=", 6) || strchr(hdr, ','))
		return ENOENT;
	p = hdr + 6;
	dash = strchr(p, '-');
	if (!dash || (size_t)(dash - p) >= sizeof(num) ||
	    strlen(dash + 1) >= sizeof(num))
		return ENOENT;
	if (dash == p) {                       /* "-N": the last N bytes */
		if (util_parse_u64(dash + 1, 0, UINT64_MAX, &b))
			return ENOENT;
		if (b == 0 || size == 0)
			return ERANGE;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return 0;
	}
	memcpy(num, p, (size_t)(dash - p));
	num[dash - p] = '\0';
	if (util_parse_u64(num, 0, UINT64_MAX, &a))
		return ENOENT;
	if (dash[1] == '\0')
		b = UINT64_MAX;                    /* "N-": from N to the end */
	else if (util_parse_u64(dash + 1, 0, UINT64_MAX, &b) || b < a)
		return ENOENT;
	if (a >= size)
		return ERANGE;
	*first = a;
	*last = b >= size ? size - 1 : b;
	return 0;
}

struct stream {
	struct le le;               /* in api.streams */
	struct tcp_conn *tc;        /* ref: taken over from the HTTP layer */
	int fd;
	uint64_t pos, end;          /* next byte to send, one past the last */
};

static void stream_destructor(void *arg)
{
	struct stream *st = arg;

	list_unlink(&st->le);
	mem_deref(st->tc);
	if (st->fd >= 0)
		close(st->fd);
}

/* The queue is empty: send the next chunk, or close after the last. */
static void stream_send(void *arg)
{
	struct stream *st = arg;
	struct mbuf *mb;
	size_t n = st->end - st->pos > CHUNK ? CHUNK : (size_t)(st->end - st->pos);
	ssize_t got;

	if (n == 0) {
		mem_deref(st);
		return;
	}
	mb = mbuf_alloc(n);
	if (!mb) {
		mem_deref(st);
		return;
	}
	got = pread(st->fd, mb->buf, n, (off_t)st->pos);
	if (got <= 0) {
		log_warn("recording.read_failed", "pos=%" PRIu64, st->pos);
		mem_deref(mb);
		mem_deref(st);
		return;
	}
	mb->end = (size_t)got;
	st->pos += (uint64_t)got;
	if (tcp_send(st->tc, mb))
		mem_deref(st);
	mem_deref(mb);
}

static void stream_recv(struct mbuf *mb, void *arg)
{
	(void)mb;      /* a download only sends; anything the client says after
	                  its request is ignored */
	(void)arg;
}

static void stream_close(int err, void *arg)
{
	(void)err;
	mem_deref(arg);
}

void api_streams_close_all(struct api *api)
{
	list_flush(&api->streams);
}

/* Opens data_dir/rel if rel stays inside data_dir. */
static int open_recording(const struct api *api, const char *rel, int *fdp,
			  uint64_t *size)
{
	char path[1024];
	struct stat sb;
	int fd;

	if (rel[0] == '/' || strstr(rel, "..") ||
	    snprintf(path, sizeof(path), "%s/%s", api->data_dir, rel) >=
	    (int)sizeof(path))
		return EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return ENOENT;
	}
	*fdp = fd;
	*size = (uint64_t)sb.st_size;
	return 0;
}

static void send_file(struct api_req *req, const char *rel, const char *type,
		      const char *extra, const char *missing)
{
	const struct http_hdr *rh;
	struct stream *st;
	uint64_t size = 0, first = 0, last = 0;
	char range[64] = "", cr[96] = "", hdrs[512];
	int fd = -1, err, rerr = ENOENT;
	uint16_t status = 200;

	if (!rel || open_recording(req->api, rel, &fd, &size)) {
		api_reply_error(req->conn, 404, missing);
		return;
	}
	rh = http_msg_hdr(req->msg, HTTP_HDR_RANGE);
	if (rh && rh->val.l < sizeof(range)) {
		pl_strcpy(&rh->val, range, sizeof(range));
		rerr = api_range_parse(range, size, &first, &last);
	}
	if (rerr == ERANGE) {
		close(fd);
		snprintf(cr, sizeof(cr), "Content-Range: bytes */%" PRIu64 "\r\n",
			 size);
		api_reply_json(req->conn, 416, cr, json_pack("{s:s}", "error",
			       "range not satisfiable"));
		return;
	}
	if (rerr == 0) {
		status = 206;
		snprintf(cr, sizeof(cr), "Content-Range: bytes %" PRIu64 "-%" PRIu64
			 "/%" PRIu64 "\r\n", first, last, size);
	}
	else {
		first = 0;
		last = size ? size - 1 : 0;
	}

	st = mem_zalloc(sizeof(*st), stream_destructor);
	if (!st) {
		close(fd);
		api_reply_error(req->conn, 500, "out of memory");
		return;
	}
	st->fd = fd;
	st->pos = first;
	st->end = size ? last + 1 : 0;
	snprintf(hdrs, sizeof(hdrs), "Content-Type: %s\r\n"
		 "Content-Length: %" PRIu64 "\r\n"
		 "Accept-Ranges: bytes\r\n"
		 "%s%s"
		 "Connection: close\r\n", type, st->end - st->pos, cr, extra);
	err = api_conn_upgrade(req->conn, status, hdrs, &st->tc);
	if (err) {
		mem_deref(st);
		return;
	}
	tcp_set_handlers(st->tc, NULL, stream_recv, stream_close, st);
	list_append(&req->api->streams, &st->le, st);
	if (tcp_set_send(st->tc, stream_send))
		mem_deref(st);
}

void api_send_file(struct api_req *req, const char *rel, const char *type,
		   const char *missing)
{
	send_file(req, rel, type, "", missing);
}

void api_send_attachment(struct api_req *req, const char *rel,
			 const char *type, const char *filename,
			 const char *missing)
{
	char cd[160];

	snprintf(cd, sizeof(cd), "Content-Disposition: attachment; "
		 "filename=\"%s\"\r\n", filename);
	send_file(req, rel, type, cd, missing);
}
