/* sip/raw: answers the UDP requests libre cannot parse.
 *
 * libre drops a datagram its parser refuses (a Request-URI in <>, LWS in
 * the Request-Line, SIP/7.0, a Via without branch, a To of an unknown
 * scheme) with a line on stderr and no answer, so the sender retransmits
 * for 32 s and learns nothing. RFC 3261 wants 400 (505 for the version).
 * A UDP helper sits on each of libre's SIP sockets, sees every datagram
 * before libre does, lets through whatever libre can decode and answers
 * the rest from the raw text: the Via, From, To, Call-ID and CSeq lines
 * copied as they came. libre hands out its UDP socket only as msg->sock of
 * a request it passed on, so the endpoint sends itself one probe OPTIONS
 * at start (and takes each socket a request arrives on, for wildcard
 * binds). Over TCP libre closes the connection on such a message: the
 * stream has lost its framing, and that is an answer too. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "base/log.h"
#include "base/util.h"
#include "sip/sipx_int.h"
#include <re_udp.h>

enum { HELPER_LAYER = 0x5170 };

/* The headers an answer repeats (RFC 3261 8.2.6.2), long and compact
 * names; each row's bit says which of the five it is. */
static const struct {
	const char *name;
	unsigned bit;
} copied[] = {
	{"via", 1}, {"v", 1}, {"from", 2}, {"f", 2}, {"to", 4}, {"t", 4},
	{"call-id", 8}, {"i", 8}, {"cseq", 16},
};

enum { ALL_COPIED = 31, TO_BIT = 4 };

static unsigned copied_bit(const char *p, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(copied); i++)
		if (strlen(copied[i].name) == n &&
		    !strncasecmp(p, copied[i].name, n))
			return copied[i].bit;
	return 0;
}

/* The status and reason for a request line libre refused. NULL: not a
 * request at all (a stray response, noise), left to libre to drop. */
static const char *start_line(const char *p, size_t n, uint16_t *scode)
{
	const char *eol = memchr(p, '\r', n);
	const char *sp1, *sp2;
	size_t l = eol ? (size_t)(eol - p) : n;

	if (l >= 4 && !memcmp(p, "SIP/", 4))
		return NULL;
	*scode = 400;
	sp1 = memchr(p, ' ', l);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', l - (size_t)(sp1 + 1 - p)) : NULL;
	if (!sp1 || !sp2 || sp1 == p)
		return "Bad Request-Line";
	if (l - (size_t)(sp2 + 1 - p) > 4 && !memcmp(sp2 + 1, "SIP/", 4) &&
	    !memchr(sp2 + 1, ' ', l - (size_t)(sp2 + 1 - p)) &&
	    !(l - (size_t)(sp2 + 1 - p) == 7 && !memcmp(sp2 + 1, "SIP/2.0", 7))) {
		*scode = 505;
		return "Version Not Supported";
	}
	if (sp2 == sp1 + 1 || memchr(sp2 + 1, ' ', l - (size_t)(sp2 + 1 - p)) ||
	    sp1[1] == '<')
		return "Bad Request-Line";
	return "Malformed header";
}

static bool has_tag(const char *p, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (!strncasecmp(p + i, "tag=", 4))
			return true;
	return false;
}

/* Ends the header being copied (a To gets our tag if it has none). */
static void close_header(struct mbuf *out, unsigned bit, bool tagged)
{
	if (bit == TO_BIT && !tagged)
		(void)mbuf_printf(out, ";tag=%016llx", rand_u64());
	if (bit)
		(void)mbuf_write_str(out, "\r\n");
}

/* Copies the headers an answer repeats; false when one is missing. */
static bool copy_headers(struct mbuf *out, const char *p, size_t n)
{
	unsigned have = 0, bit = 0;
	bool tagged = false;
	const char *line = memchr(p, '\n', n);

	while (line && ++line < p + n) {
		const char *end = memchr(line, '\n', (size_t)(p + n - line));
		size_t l = end ? (size_t)(end - line) : (size_t)(p + n - line);
		const char *colon;
		size_t nl;

		if (l && line[l - 1] == '\r')
			l--;
		if (!l)
			break;
		if (line[0] == ' ' || line[0] == '\t') {
			if (bit)
				(void)mbuf_printf(out, " %b", line, l);
			tagged |= bit == TO_BIT && has_tag(line, l);
			line = end;
			continue;
		}
		close_header(out, bit, tagged);
		colon = memchr(line, ':', l);
		nl = colon ? (size_t)(colon - line) : 0;
		while (nl && (line[nl - 1] == ' ' || line[nl - 1] == '\t'))
			nl--;
		bit = copied_bit(line, nl);
		have |= bit;
		tagged = bit == TO_BIT && has_tag(line, l);
		if (bit)
			(void)mbuf_printf(out, "%b", line, l);
		line = end;
	}
	close_header(out, bit, tagged);
	return have == ALL_COPIED;
}

static bool recv_helper(struct sa *src, struct mbuf *mb, void *arg)
{
	struct udp_sock *us = arg;
	const char *p = (const char *)mbuf_buf(mb);
	size_t n = mbuf_get_left(mb), pos = mb->pos;
	struct sip_msg *msg = NULL;
	struct mbuf *out;
	const char *why;
	uint16_t scode = 400;
	int err;

	if (n <= 4 || (p[0] & 0xc0) == 0)   /* STUN, keep-alives: libre's */
		return false;
	err = sip_msg_decode(&msg, mb);
	mb->pos = pos;
	mem_deref(msg);
	if (!err || (n > 3 && !memcmp(p, "ACK", 3)))
		return false;
	why = start_line(p, n, &scode);
	if (!why)
		return false;
	out = mbuf_alloc(512);
	if (!out)
		return false;
	(void)mbuf_printf(out, "SIP/2.0 %u %s\r\n", scode, why);
	if (copy_headers(out, p, n)) {
		(void)mbuf_write_str(out, "Content-Length: 0\r\n\r\n");
		out->pos = 0;
		char from[64];

		(void)udp_send(us, src, out);
		re_snprintf(from, sizeof(from), "%J", src);
		log_info("sip.bad_request", "src=%s status=%u reason=\"%s\"",
			 from, scode, why);
	}
	mem_deref(out);
	return true;
}

bool sipx_raw_take(struct sipx *sx, const struct sip_msg *msg)
{
	struct udp_sock *us;

	if (msg->tp != SIP_TRANSP_UDP || !msg->sock)
		return false;
	us = msg->sock;
	/* First request on this socket: the helper, and a deep queue. */
	if (!udp_helper_find(us, HELPER_LAYER)) {
		(void)udp_register_helper(NULL, us, HELPER_LAYER, NULL,
					  recv_helper, us);
		sipx_sockbuf_apply(sx, us);
	}
	return !pl_strcmp(&msg->callid, sx->probe_id);
}

int sipx_raw_probe(struct sipx *sx)
{
	struct mbuf *mb = mbuf_alloc(512);
	int err;

	if (!mb)
		return ENOMEM;
	re_snprintf(sx->probe_id, sizeof(sx->probe_id), "probe-%016llx",
		    rand_u64());
	err = mbuf_printf(mb, "OPTIONS sip:%J SIP/2.0\r\n"
			  "Via: SIP/2.0/UDP %J;branch=z9hG4bK%016llx\r\n"
			  "From: <sip:hotline@%J>;tag=probe\r\n"
			  "To: <sip:hotline@%J>\r\n"
			  "Call-ID: %s\r\n"
			  "CSeq: 1 OPTIONS\r\n"
			  "Max-Forwards: 0\r\n"
			  "Content-Length: 0\r\n\r\n",
			  &sx->laddr, &sx->laddr, rand_u64(), &sx->laddr,
			  &sx->laddr, sx->probe_id);
	mb->pos = 0;
	if (!err)
		err = sip_send(sx->sip, NULL, SIP_TRANSP_UDP, &sx->laddr, mb);
	mem_deref(mb);
	return err;
}
