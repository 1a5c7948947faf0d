/* sip/body: where the SDP of a request is. Mostly the whole body; carriers
 * and SBCs also send multipart/mixed (RFC 5621) with the SDP as one part
 * (beside ISUP, a PIDF location, an XML blob), and such an INVITE is a
 * call like any other. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "sip/sipx_int.h"

static const char *find(const char *p, size_t n, const char *s, size_t sl)
{
	for (size_t i = 0; sl <= n && i + sl <= n; i++)
		if (!memcmp(p + i, s, sl))
			return p + i;
	return NULL;
}

/* True when the part's headers (h, n octets) say application/sdp. */
static bool part_is_sdp(const char *h, size_t n)
{
	static const char name[] = "content-type:";
	const char *line = h;

	while (line < h + n) {
		const char *end = find(line, (size_t)(h + n - line), "\r\n", 2);
		size_t l = end ? (size_t)(end - line) : (size_t)(h + n - line);

		if (l > sizeof(name) - 1 &&
		    !strncasecmp(line, name, sizeof(name) - 1)) {
			const char *v = line + sizeof(name) - 1;

			while (v < line + l && (*v == ' ' || *v == '\t'))
				v++;
			return (size_t)(line + l - v) >= 15 &&
			       !strncasecmp(v, "application/sdp", 15);
		}
		line = end ? end + 2 : h + n;
	}
	return false;
}

static int multipart_sdp(const struct sip_msg *msg, struct pl *sdp)
{
	const char *p = (const char *)mbuf_buf(msg->mb);
	size_t n = mbuf_get_left(msg->mb);
	char delim[80];
	struct pl b;
	int dl;

	if (msg_param_decode(&msg->ctyp.params, "boundary", &b) || !b.l)
		return EPROTO;
	if (b.l >= 2 && b.p[0] == '"' && b.p[b.l - 1] == '"') {
		b.p++;
		b.l -= 2;
	}
	dl = re_snprintf(delim, sizeof(delim), "--%r", &b);
	if (dl <= 2 || (size_t)dl >= sizeof(delim) - 1)
		return EPROTO;
	for (const char *at = find(p, n, delim, (size_t)dl); at;) {
		const char *head = at + dl, *body, *next;

		if ((size_t)(p + n - head) < 2 || memcmp(head, "\r\n", 2))
			break;                  /* "--boundary--": the end */
		head += 2;
		body = find(head, (size_t)(p + n - head), "\r\n\r\n", 4);
		if (!body)
			break;
		next = find(body, (size_t)(p + n - body), delim, (size_t)dl);
		if (!next || next - body < 6)
			break;
		if (part_is_sdp(head, (size_t)(body - head) + 2)) {
			sdp->p = body + 4;
			sdp->l = (size_t)(next - 2 - sdp->p);   /* CRLF before it */
			return 0;
		}
		at = next;
	}
	return EPROTO;
}

int sipx_sdp_body(const struct sip_msg *msg, struct pl *sdp)
{
	if (!msg || !sdp)
		return EINVAL;
	sdp->p = (const char *)mbuf_buf(msg->mb);
	sdp->l = mbuf_get_left(msg->mb);
	if (!sdp->l)
		return ENOENT;
	if (!msg->ctyp.type.l || msg_ctype_cmp(&msg->ctyp, "application", "sdp"))
		return 0;
	if (msg_ctype_cmp(&msg->ctyp, "multipart", "mixed"))
		return multipart_sdp(msg, sdp);
	return EPROTO;
}
