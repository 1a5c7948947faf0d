/* sip/register: the registrar (RFC 3261 10.3) for the extensions.
 *
 * A REGISTER is checked whole before anything changes: the To user must be
 * a known extension (404 otherwise, 403 when disabled), the credentials
 * must be that extension's (auth.c), every Contact must parse and every
 * requested expiry be 0 or at least the minimum (423 with Min-Expires
 * otherwise). Then each contact is bound, refreshed or removed, and the 200
 * lists every binding of the extension with the seconds it has left. */
#include <errno.h>
#include <string.h>
#include <jansson.h>
#include "base/bus.h"
#include "base/log.h"
#include "base/util.h"
#include "sip/sipx_int.h"

enum { MAX_REQ_CONTACTS = 16 };

struct req_contact {
	char uri[SIPX_URI_SZ];
	uint32_t expires;            /* granted; 0 removes */
};

struct parse {
	const struct sipx_conf *conf;
	const struct sip_msg *msg;
	struct req_contact v[MAX_REQ_CONTACTS];
	size_t n;
	bool star;
	int err;                     /* EBADMSG, ERANGE (423), E2BIG */
	const char *why;
};

int sipx_expiry(const struct sipx_conf *conf, const struct pl *param,
		const struct pl *hdr, uint32_t *granted)
{
	const struct pl *pick = pl_isset(param) ? param :
				pl_isset(hdr) ? hdr : NULL;
	uint64_t v = conf->default_expires_s;
	char buf[16];

	if (pick) {
		if (pick->l >= sizeof(buf))
			return EINVAL;
		pl_strcpy(pick, buf, sizeof(buf));
		if (util_parse_u64(buf, 0, UINT32_MAX, &v))
			return EINVAL;
		if (v == 0) {
			*granted = 0;
			return 0;
		}
		if (v < conf->min_expires_s)
			return ERANGE;
	}
	if (v < conf->min_expires_s)
		v = conf->min_expires_s;
	if (v > conf->max_expires_s)
		v = conf->max_expires_s;
	*granted = (uint32_t)v;
	return 0;
}

static bool contact_h(const struct sip_hdr *hdr, const struct sip_msg *msg,
		      void *arg)
{
	struct parse *p = arg;
	struct sip_addr addr;
	struct pl param = PL_INIT;
	int err;

	if (!pl_strcmp(&hdr->val, "*")) {
		p->star = true;
		return false;
	}
	if (p->n >= MAX_REQ_CONTACTS) {
		p->err = E2BIG;
		p->why = "Too many Contacts";
		return true;
	}
	/* libre takes "<sip:x@h" (no '>') as an addr-spec with scheme
	 * "<sip"; only a sip: or sips: URI with a host is a contact. */
	if (sip_addr_decode(&addr, &hdr->val) || !pl_isset(&addr.auri) ||
	    addr.auri.l >= SIPX_URI_SZ || !pl_isset(&addr.uri.host) ||
	    (pl_strcasecmp(&addr.uri.scheme, "sip") &&
	     pl_strcasecmp(&addr.uri.scheme, "sips"))) {
		p->err = EBADMSG;
		p->why = "Bad Contact header";
		return true;
	}
	(void)msg_param_decode(&addr.params, "expires", &param);
	err = sipx_expiry(p->conf, &param, &msg->expires,
			  &p->v[p->n].expires);
	if (err) {
		p->err = err == ERANGE ? ERANGE : EBADMSG;
		p->why = err == ERANGE ? "Interval Too Brief" : "Bad Expires value";
		return true;
	}
	pl_strcpy(&addr.auri, p->v[p->n].uri, SIPX_URI_SZ);
	p->n++;
	return false;
}

/* Fills p from msg's Contact headers; 0, or p->err with p->why. */
static int parse_contacts(struct parse *p)
{
	(void)sip_msg_hdr_apply(p->msg, true, SIP_HDR_CONTACT, contact_h, p);
	if (p->err)
		return p->err;
	if (p->star && (p->n || pl_strcmp(&p->msg->expires, "0"))) {
		p->why = "Contact * needs Expires: 0 and no other Contact";
		return p->err = EBADMSG;
	}
	return 0;
}

static void copy_pl(char *dst, size_t n, const struct pl *pl)
{
	size_t l = pl->l < n ? pl->l : n - 1;

	memcpy(dst, pl->p, l);
	dst[l] = '\0';
}

/* RFC 3261 10.3 step 7: within one Call-ID, CSeq must grow. */
static bool out_of_order(struct sipx *sx, const char *ext,
			 const struct parse *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct sipx_contact *c =
			sipx_loc_find(sx->loc, ext, p->v[i].uri);

		if (c && !pl_strcmp(&p->msg->callid, c->call_id) &&
		    p->msg->cseq.num <= c->cseq)
			return true;
	}
	return false;
}

static void apply(struct sipx *sx, const char *ext, const struct parse *p,
		  int64_t now)
{
	const struct sip_msg *msg = p->msg;
	const struct sip_hdr *ua = sip_msg_hdr(msg, SIP_HDR_USER_AGENT);
	struct sipx_contact c;

	if (p->star) {
		sipx_loc_unbind_all(sx->loc, ext, sipx_register_changed, sx);
		return;
	}
	for (size_t i = 0; i < p->n; i++) {
		if (!p->v[i].expires) {
			(void)sipx_loc_unbind(sx->loc, ext, p->v[i].uri,
					      sipx_register_changed, sx);
			continue;
		}
		memset(&c, 0, sizeof(c));
		strcpy(c.uri, p->v[i].uri);
		c.source = msg->src;
		c.tp = msg->tp;
		c.expires_at_ms = now + (int64_t)p->v[i].expires * 1000;
		if (ua)
			copy_pl(c.user_agent, sizeof(c.user_agent), &ua->val);
		copy_pl(c.call_id, sizeof(c.call_id), &msg->callid);
		c.cseq = msg->cseq.num;
		(void)sipx_loc_bind(sx->loc, ext, &c, sipx_register_changed, sx);
	}
}

static void reply_ok(struct sipx *sx, const struct sip_msg *msg,
		     const char *ext, int64_t now)
{
	struct sipx_contact *v;
	struct mbuf *mb = mbuf_alloc(512);
	size_t n;

	v = mem_zalloc(sx->conf.max_contacts * sizeof(*v), NULL);
	if (!mb || !v) {
		(void)sip_treply(NULL, sx->sip, msg, 500, "Server Error");
		goto out;
	}
	n = sipx_loc_get(sx->loc, ext, v, sx->conf.max_contacts);
	for (size_t i = 0; i < n; i++) {
		int64_t left = (v[i].expires_at_ms - now + 999) / 1000;

		(void)mbuf_printf(mb, "Contact: <%s>;expires=%lld\r\n", v[i].uri,
				  (long long)(left > 0 ? left : 0));
	}
	(void)sip_treplyf(NULL, NULL, sx->sip, msg, false, 200, "OK",
			  "%bContent-Length: 0\r\n\r\n", mb->buf, mb->end);
out:
	mem_deref(v);
	mem_deref(mb);
}

void sipx_register(struct sipx *sx, const struct sip_msg *msg)
{
	char ext[SIPX_EXT_SZ], authed[SIPX_EXT_SZ];
	const struct sipx_ext *e;
	struct parse *p;
	int64_t now;

	if (!pl_isset(&msg->to.uri.user) || msg->to.uri.user.l >= sizeof(ext)) {
		sipx_auth_failed(sx, msg, "unknown extension");
		(void)sip_treply(NULL, sx->sip, msg, 404, "Not Found");
		return;
	}
	pl_strcpy(&msg->to.uri.user, ext, sizeof(ext));
	e = sipx_store_ext(sx, ext);
	if (!e) {
		sipx_auth_failed(sx, msg, "unknown extension");
		(void)sip_treply(NULL, sx->sip, msg, 404, "Not Found");
		return;
	}
	if (!e->enabled) {
		(void)sip_treply(NULL, sx->sip, msg, 403, "Extension Disabled");
		return;
	}
	if (sipx_auth_as(sx, msg, ext, authed))
		return;
	p = mem_zalloc(sizeof(*p), NULL);
	if (!p) {
		(void)sip_treply(NULL, sx->sip, msg, 500, "Server Error");
		return;
	}
	p->conf = &sx->conf;
	p->msg = msg;
	if (parse_contacts(p) == ERANGE) {
		(void)sip_treplyf(NULL, NULL, sx->sip, msg, false, 423, p->why,
				  "Min-Expires: %u\r\nContent-Length: 0\r\n\r\n",
				  sx->conf.min_expires_s);
	}
	else if (p->err) {
		(void)sip_treply(NULL, sx->sip, msg, 400, p->why);
	}
	else if (out_of_order(sx, ext, p)) {
		(void)sip_treply(NULL, sx->sip, msg, 400, "CSeq Out Of Order");
	}
	else {
		now = util_now_ms();
		apply(sx, ext, p, now);
		reply_ok(sx, msg, ext, now);
	}
	mem_deref(p);
}

void sipx_register_changed(const char *ext, const struct sipx_contact *c,
			   enum sipx_loc_why why, uint32_t left, void *arg)
{
	static const char *const whys[] = {
		[SIPX_LOC_NEW] = "new", [SIPX_LOC_REFRESH] = "refresh",
		[SIPX_LOC_UNREGISTER] = "unregister",
		[SIPX_LOC_EXPIRED] = "expired", [SIPX_LOC_REPLACED] = "replaced",
		[SIPX_LOC_KEEPALIVE] = "keepalive",
	};
	struct sipx *sx = arg;
	const char *tp = sipx_store_tp_name(c->tp);
	bool bound = why == SIPX_LOC_NEW || why == SIPX_LOC_REFRESH;
	char src[64];

	re_snprintf(src, sizeof(src), "%J", &c->source);
	if (bound) {
		sipx_store_save(sx, ext, c);
		sipx_ka_track(sx->ka, ext, c, util_now_ms() +
			      (int64_t)sx->conf.keepalive_s * 1000);
	}
	else {
		sipx_store_delete(sx, ext, c->uri);
		sipx_ka_forget(sx->ka, ext, c->uri);
	}
	if (why == SIPX_LOC_REFRESH)
		return;
	log_info(bound ? "sip.registered" : "sip.unregistered",
		 "ext=%s contact=%s source=%s transport=%s reason=%s contacts=%u",
		 ext, c->uri, src, tp, whys[why], left);
	if (!sx->bus)
		return;
	(void)bus_publish(sx->bus, bound ? BUS_AGENT_REGISTERED :
			  BUS_AGENT_UNREGISTERED, ext, util_now_ms(),
			  json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}",
				    "ext", ext, "contact", c->uri,
				    "source", src, "transport", tp,
				    "reason", whys[why],
				    "contacts", (json_int_t)left));
}
