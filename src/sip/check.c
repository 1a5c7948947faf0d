/* sip/check: what RFC 3261 asks of a request that libre's parser lets
 * through. libre decodes leniently (it takes the first of two To headers,
 * the first of two Content-Lengths, an unterminated quoted string, a
 * Request-URI of any scheme) and leaves the refusing to the application;
 * RFC 4475's torture messages show each case. The endpoint runs these
 * checks on every new request before anything acts on it, in the order of
 * RFC 3261 8.2: the message's form (400), the Request-URI (416), Require
 * (420), then the body (415, 406). */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "base/log.h"
#include "base/util.h"
#include "sip/sipx_int.h"

/* Extensions we support, for Require (RFC 3261 8.2.2.3): timer is RFC
 * 4028's session timers (timer.c); 100rel would need PRACK. */
static const char *const supported[] = {"timer", NULL};

/* Headers RFC 3261 20 allows once only (Content-Length apart, below). */
static const struct {
	enum sip_hdrid id;
	const char *name;
} single[] = {
	{SIP_HDR_TO,           "Duplicate To header"},
	{SIP_HDR_FROM,         "Duplicate From header"},
	{SIP_HDR_CALL_ID,      "Duplicate Call-ID header"},
	{SIP_HDR_CSEQ,         "Duplicate CSeq header"},
	{SIP_HDR_MAX_FORWARDS, "Duplicate Max-Forwards header"},
	{SIP_HDR_CONTENT_TYPE, "Duplicate Content-Type header"},
	{SIP_HDR_EXPIRES,      "Duplicate Expires header"},
	{SIP_HDR_DATE,         "Duplicate Date header"},
};

static bool is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-.!%*_+`'~", c);
}

static bool is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A name-addr or addr-spec (To, From, Contact): quotes closed, a display
 * name of tokens (or UTF-8) unless quoted, no LWS just inside <>, and an
 * addr-spec without <> holds no '?' (its headers would be ambiguous, RFC
 * 3261 20). */
static const char *addr_broken(const struct pl *v)
{
	bool quoted = false, seen_quote = false, angle = false;
	size_t i;

	for (i = 0; i < v->l; i++) {
		char c = v->p[i];

		if (quoted) {
			if (c == '\\' && i + 1 < v->l)
				i++;
			else if (c == '"')
				quoted = false;
			continue;
		}
		if (c == '"') {
			quoted = seen_quote = true;
			continue;
		}
		if (c == '<') {
			angle = true;
			break;
		}
		/* Octets of UTF-8 pass: carriers send unquoted Chinese names,
		 * and refusing those calls would help nobody. */
		if (!seen_quote && !is_lws(c) && !is_token_char(c) &&
		    !((unsigned char)c & 0x80) &&
		    memchr(v->p + i, '<', v->l - i))
			return "Bad display name";
	}
	if (quoted)
		return "Unterminated quoted string";
	if (!angle)
		return memchr(v->p, '?', v->l) ? "URI with headers not in <>"
			: NULL;
	if (i + 1 < v->l && is_lws(v->p[i + 1]))
		return "Space inside <>";
	for (size_t j = i + 1; j < v->l; j++) {
		if (v->p[j] != '>')
			continue;
		return is_lws(v->p[j - 1]) ? "Space inside <>" : NULL;
	}
	return "Unterminated <";
}

static bool each_addr(const struct sip_hdr *hdr, const struct sip_msg *msg,
		      void *arg)
{
	const char **why = arg;

	(void)msg;
	*why = addr_broken(&hdr->val);
	if (*why)
		log_info("sip.bad_address", "header=%.*s reason=\"%s\"",
			 (int)hdr->name.l, hdr->name.p, *why);
	return *why != NULL;
}

/* The headers holding a name-addr, and the reason when one is broken (the
 * log line has the detail). */
static const struct {
	enum sip_hdrid id;
	const char *why;
} addrs[] = {
	{SIP_HDR_TO,      "Bad To header"},
	{SIP_HDR_FROM,    "Bad From header"},
	{SIP_HDR_CONTACT, "Bad Contact header"},
};

static bool each_via(const struct sip_hdr *hdr, const struct sip_msg *msg,
		     void *arg)
{
	struct sip_via via;
	(void)msg;
	(void)arg;

	return !hdr->val.l || sip_via_decode(&via, &hdr->val) ||
	       !pl_isset(&via.sentby);
}

/* RFC 3261 8.1.1.5: the sequence number is below 2^31. */
static bool cseq_broken(const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CSEQ);
	char buf[16];
	uint64_t n;
	size_t i = 0;

	if (!h)
		return false;
	while (i < h->val.l && h->val.p[i] >= '0' && h->val.p[i] <= '9')
		i++;
	if (!i || i >= sizeof(buf))
		return true;
	memcpy(buf, h->val.p, i);
	buf[i] = '\0';
	return util_parse_u64(buf, 0, INT32_MAX, &n) != 0;
}

/* RFC 3261 25.1: SIP-date is rfc1123-date, always in GMT. */
static bool date_broken(const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_DATE);
	struct pl gmt = PL(" GMT");

	if (!h)
		return false;
	return h->val.l < gmt.l ||
	       memcmp(h->val.p + h->val.l - gmt.l, gmt.p, gmt.l);
}

static const char *form_broken(const struct sip_msg *msg)
{
	const char *why = NULL;

	for (size_t i = 0; i < ARRAY_LEN(single); i++)
		if (sip_msg_hdr_count(msg, single[i].id) > 1)
			return single[i].name;
	if (sip_msg_hdr_count(msg, SIP_HDR_CONTENT_LENGTH) > 1)
		return "Multiple Content-Length values";
	if (sip_msg_hdr_apply(msg, true, SIP_HDR_VIA, each_via, NULL))
		return "Bad Via header";
	if (cseq_broken(msg))
		return "Bad CSeq";
	if (date_broken(msg))
		return "Date not in GMT";
	if (pl_isset(&msg->uri.headers))
		return "Headers in the Request-URI";
	for (size_t i = 0; i < ARRAY_LEN(addrs); i++)
		if (sip_msg_hdr_apply(msg, true, addrs[i].id, each_addr, &why))
			return addrs[i].why;
	return NULL;
}

static bool is_supported(const struct pl *opt)
{
	for (size_t i = 0; supported[i]; i++)
		if (!pl_strcasecmp(opt, supported[i]))
			return true;
	return false;
}

struct unsupported {
	char *buf;
	size_t n, len;
	size_t start;                /* where the list begins in buf */
};

/* libre gives each comma-separated Require value as a header of its own. */
static bool each_require(const struct sip_hdr *hdr, const struct sip_msg *msg,
			 void *arg)
{
	struct unsupported *u = arg;
	int w;
	(void)msg;

	if (!hdr->val.l || is_supported(&hdr->val))
		return false;
	w = re_snprintf(u->buf + u->len, u->n - u->len, "%s%r",
			u->len > u->start ? ", " : "", &hdr->val);
	if (w > 0)
		u->len += (size_t)w;
	return u->len + 1 >= u->n;
}

static bool accepts_sdp(const struct sip_hdr *hdr, const struct sip_msg *msg,
			void *arg)
{
	static const char *const ok[] = {"application/sdp", "application/*",
					 "*/*"};
	(void)msg;
	(void)arg;

	for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
		struct pl t = {hdr->val.p, hdr->val.l};
		size_t k = strlen(ok[i]);

		if (t.l >= k && !strncasecmp(t.p, ok[i], k) &&
		    (t.l == k || t.p[k] == ';' || is_lws(t.p[k])))
			return true;
	}
	return false;
}

const char *sipx_check(const struct sip_msg *msg, uint16_t *scode,
		       char *hdr, size_t n)
{
	struct unsupported u = {hdr, n, 0, 0};
	struct pl sdp;
	const char *why;
	bool invite = !pl_strcmp(&msg->met, "INVITE");

	*scode = 400;
	hdr[0] = '\0';
	why = form_broken(msg);
	if (why)
		return why;
	if (pl_strcasecmp(&msg->uri.scheme, "sip") &&
	    pl_strcasecmp(&msg->uri.scheme, "sips")) {
		*scode = 416;
		return "Unsupported URI Scheme";
	}
	/* ACK and CANCEL cannot be refused for an extension (RFC 3261 8.2.2.3
	 * and 9.2: a CANCEL's Require is not looked at). */
	if (pl_strcmp(&msg->met, "ACK") && pl_strcmp(&msg->met, "CANCEL")) {
		re_snprintf(hdr, n, "Unsupported: ");
		u.len = u.start = strlen(hdr);
		(void)sip_msg_hdr_apply(msg, true, SIP_HDR_REQUIRE,
					each_require, &u);
		if (u.len > u.start) {
			re_snprintf(hdr + u.len, n - u.len, "\r\n");
			*scode = 420;
			return "Bad Extension";
		}
		hdr[0] = '\0';
	}
	if (!invite)
		return NULL;
	if (sipx_sdp_body(msg, &sdp) == EPROTO) {
		re_snprintf(hdr, n, "Accept: application/sdp\r\n");
		*scode = 415;
		return "Unsupported Media Type";
	}
	if (sip_msg_hdr_count(msg, SIP_HDR_ACCEPT) &&
	    !sip_msg_hdr_apply(msg, true, SIP_HDR_ACCEPT, accepts_sdp, NULL)) {
		*scode = 406;
		return "Not Acceptable";
	}
	return NULL;
}
