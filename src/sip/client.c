/* sip/client: requests Hotline sends to carriers on its own, outside any
 * call: OPTIONS pings (is the trunk there?) and registrations (libre's
 * sipreg, which refreshes before expiry). trunk/ decides when and what
 * to make of the answers; the SIP is here. */
#include <errno.h>
#include <stdio.h>
#include "base/log.h"
#include "sip/sipx_int.h"

struct sipx_ping {
	struct sip_request *req;
	struct sip_dialog *dlg;
	struct tmr tmr;
	sipx_ping_h *h;
	void *arg;
};

static void ping_destroy(void *arg)
{
	struct sipx_ping *p = arg;

	tmr_cancel(&p->tmr);
	mem_deref(p->req);       /* an unanswered request is cancelled */
	mem_deref(p->dlg);
}

/* Says once; the owner may free p from h. */
static void ping_say(struct sipx_ping *p, bool answered, uint16_t scode)
{
	sipx_ping_h *h = p->h;

	tmr_cancel(&p->tmr);
	p->h = NULL;
	if (h)
		h(answered, scode, p->arg);
}

static void ping_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct sipx_ping *p = arg;

	p->req = NULL;            /* libre's, done */
	/* Any answer, 404 or 405 too, shows the peer is there. */
	ping_say(p, !err && msg, msg ? msg->scode : 0);
}

/* libre's own timeout is 32 s (64*T1); a ping waits at most its own. */
static void ping_timeout(void *arg)
{
	struct sipx_ping *p = arg;

	p->req = mem_deref(p->req);
	ping_say(p, false, 0);
}

int sipx_ping(struct sipx_ping **pp, struct sipx *sx, const char *uri,
	      uint32_t timeout_ms, sipx_ping_h *h, void *arg)
{
	char from[128];
	struct sipx_ping *p;
	int err;

	if (!pp || !sx || !uri || !h || !timeout_ms)
		return EINVAL;
	p = mem_zalloc(sizeof(*p), ping_destroy);
	if (!p)
		return ENOMEM;
	tmr_init(&p->tmr);
	p->h = h;
	p->arg = arg;
	re_snprintf(from, sizeof(from), "sip:hotline@%j", &sx->laddr);
	err = sip_dialog_alloc(&p->dlg, uri, uri, NULL, from, NULL, 0);
	err = err ? err : sip_drequestf(&p->req, sx->sip, true, "OPTIONS",
					p->dlg, 0, NULL, NULL, ping_resp, p,
					"Accept: application/sdp\r\n"
					"Content-Length: 0\r\n\r\n");
	if (err) {
		mem_deref(p);
		return err;
	}
	tmr_start(&p->tmr, timeout_ms, ping_timeout, p);
	*pp = p;
	return 0;
}

struct sipx_reg {
	struct sipreg *reg;
	char *username, *password;
	sipx_reg_h *h;
	void *arg;
};

static void reg_destroy(void *arg)
{
	struct sipx_reg *r = arg;

	r->h = NULL;
	mem_deref(r->reg);        /* un-REGISTER when registered */
	mem_deref(r->username);
	mem_deref(r->password);
}

static int reg_auth(char **username, char **password, const char *realm,
		    void *arg)
{
	struct sipx_reg *r = arg;
	int err;
	(void)realm;

	err = str_dup(username, r->username);
	return err ? err : str_dup(password, r->password);
}

static void reg_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct sipx_reg *r = arg;

	if (r->h)
		r->h(err ? err : msg && msg->scode >= 300 ? EPROTO : 0,
		     msg ? msg->scode : 0, r->arg);
}

int sipx_reg_start(struct sipx_reg **rp, struct sipx *sx,
		   const struct sipx_reg_conf *c, sipx_reg_h *h, void *arg)
{
	struct sipx_reg *r;
	int err;

	if (!rp || !sx || !c || !c->registrar || !c->aor || !h)
		return EINVAL;
	r = mem_zalloc(sizeof(*r), reg_destroy);
	if (!r)
		return ENOMEM;
	r->h = h;
	r->arg = arg;
	err = str_dup(&r->username, c->username ? c->username : "");
	err = err ? err : str_dup(&r->password, c->password ? c->password : "");
	/* The sipreg does not hold r (aref false): r owns it and outlives it. */
	err = err ? err : sipreg_register(&r->reg, sx->sip, c->registrar,
					  c->aor, NULL, c->aor, c->expires_s,
					  c->contact_user ? c->contact_user :
					  "hotline", NULL, 0, 0,
					  c->username && c->username[0] ?
					  reg_auth : NULL, r, false, reg_resp,
					  r, NULL, NULL);
	if (err) {
		mem_deref(r);
		return err;
	}
	*rp = r;
	return 0;
}
