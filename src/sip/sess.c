/* sip/sess: libre's SIP session API (sipsess_*) and the replies call/
 * sends, with the arguments call/ uses. libre's signatures change between
 * releases (sipsess_accept gained and lost arguments), so only this file
 * follows them; call/ speaks sipx_sess_* and stays as it is. */
#include <errno.h>
#include <string.h>
#include "sip/sipx_int.h"

/* Our user part in Contact headers and the session's local user. */
static const char cuser[] = "hotline";

/* Our INVITEs offer a session timer (RFC 4028 7.1) and let the answerer
 * choose who refreshes. */
static void timer_offer(const struct sipx *sx, char *buf, size_t n)
{
	buf[0] = '\0';
	if (sx->conf.session_expires_s)
		re_snprintf(buf, n, "Supported: timer\r\n"
			    "Session-Expires: %u\r\nMin-SE: %u\r\n",
			    sx->conf.session_expires_s, sx->conf.min_se_s);
}

int sipx_sess_connect(struct sipsess **sessp, struct sipx *sx,
		      const char *uri, const char *from_name,
		      const char *from_uri, struct mbuf *sdp,
		      const struct sipx_sess_h *h, void *arg,
		      const char *call_id)
{
	char st[128];

	if (!sessp || !sx || !uri || !h)
		return EINVAL;
	timer_offer(sx, st, sizeof(st));
	return sipsess_connect(sessp, sx->sess_sock, uri, from_name, from_uri,
			       cuser, NULL, 0, "application/sdp", sdp,
			       NULL, NULL, false, h->offer, h->answer,
			       h->progress, h->estab, NULL, h->refer,
			       h->close, arg, "X-Hotline-Call: %s\r\n%s",
			       call_id ? call_id : "", st);
}

/* The credentials a carrier's challenge is answered with; kept by the
 * session (libre holds a reference) for its re-INVITEs too. */
struct dial_cred {
	char *username, *password;
};

static void cred_destroy(void *arg)
{
	struct dial_cred *c = arg;

	mem_deref(c->username);
	mem_deref(c->password);
}

static int cred_answer(char **username, char **password, const char *realm,
		       void *arg)
{
	const struct dial_cred *c = arg;
	int err;
	(void)realm;

	err = str_dup(username, c->username);
	if (!err)
		err = str_dup(password, c->password);
	return err;
}

int sipx_sess_dial(struct sipsess **sessp, struct sipx *sx, const char *uri,
		   const char *from_name, const char *from_uri,
		   struct mbuf *sdp, const struct sipx_sess_h *h, void *arg,
		   const char *call_id, const struct sipx_dial *d)
{
	struct dial_cred *cred = NULL;
	char st[128];
	int err;

	if (!sessp || !sx || !uri || !h || !d)
		return EINVAL;
	timer_offer(sx, st, sizeof(st));
	if (d->username && d->username[0]) {
		cred = mem_zalloc(sizeof(*cred), cred_destroy);
		if (!cred)
			return ENOMEM;
		err = str_dup(&cred->username, d->username);
		if (!err)
			err = str_dup(&cred->password,
				      d->password ? d->password : "");
		if (err) {
			mem_deref(cred);
			return err;
		}
	}
	err = sipsess_connect(sessp, sx->sess_sock, uri, from_name, from_uri,
			      cuser, NULL, 0, "application/sdp", sdp,
			      cred ? cred_answer : NULL, cred, true, h->offer,
			      h->answer, h->progress, h->estab, NULL, h->refer,
			      h->close, arg, "X-Hotline-Call: %s\r\n%s%s",
			      call_id ? call_id : "",
			      d->headers ? d->headers : "", st);
	mem_deref(cred);
	return err;
}

int sipx_sess_accept(struct sipsess **sessp, struct sipx *sx,
		     const struct sip_msg *msg, uint16_t scode,
		     const char *reason, struct mbuf *sdp,
		     const struct sipx_sess_h *h, void *arg, struct sipx_timer *st)
{
	struct sipx_timer_req rq;
	uint32_t min_se;

	if (!sessp || !sx || !msg || !h || !st)
		return EINVAL;
	/* What the endpoint let through negotiates; anything else (it was
	 * refused there) leaves the dialog without a timer. */
	if (sipx_timer_read(msg, &rq) ||
	    sipx_timer_negotiate(&rq, sx->conf.session_expires_s,
				 sx->conf.min_se_s, st, &min_se))
		memset(st, 0, sizeof(*st));
	return sipsess_accept(sessp, sx->sess_sock, msg, scode, reason, cuser,
			      "application/sdp", sdp, NULL, NULL, false,
			      h->offer, h->answer, h->estab, NULL, h->refer,
			      h->close, arg, NULL);
}

int sipx_sess_answer(struct sipsess *sess, struct mbuf *sdp,
		     const struct sipx_timer *st)
{
	char hdrs[96] = "";

	if (st && sipx_timer_hdrs(st, hdrs, sizeof(hdrs)))
		return ENOSPC;
	return sipsess_answer(sess, 200, "OK", sdp, "%s", hdrs);
}

int sipx_sess_granted(const struct sipx *sx, const struct sip_msg *msg,
		      struct sipx_timer *st)
{
	struct sipx_timer_req rs;

	if (!sx || !msg || !st)
		return EINVAL;
	if (sipx_timer_read(msg, &rs)) {
		memset(st, 0, sizeof(*st));
		return EBADMSG;
	}
	return sipx_timer_answered(&rs, sx->conf.session_expires_s, st);
}

int sipx_sess_refresh(struct sipsess *sess, struct mbuf *sdp)
{
	if (!sess || !sdp)
		return EINVAL;
	return sipsess_modify(sess, sdp);
}

int sipx_sess_modify(struct sipsess *sess, struct mbuf *sdp)
{
	if (!sess || !sdp)
		return EINVAL;
	return sipsess_modify(sess, sdp);
}

const char *sipx_sess_call_id(const struct sipsess *sess)
{
	const struct sip_dialog *d = sess ? sipsess_dialog(sess) : NULL;

	return d ? sip_dialog_callid(d) : NULL;
}

int sipx_sess_reject(struct sipsess *sess, uint16_t scode, const char *reason)
{
	return sipsess_reject(sess, scode, reason, NULL);
}

int sipx_reply(struct sipx *sx, const struct sip_msg *msg, uint16_t scode,
	       const char *reason)
{
	if (!sx || !msg)
		return EINVAL;
	return sip_reply(sx->sip, msg, scode, reason);
}

int sipx_refer_accept(struct sipx *sx, const struct sip_msg *msg)
{
	struct sip_contact ct;

	if (!sx || !msg)
		return EINVAL;
	sip_contact_set(&ct, cuser, &msg->dst, msg->tp);
	return sip_treplyf(NULL, NULL, sx->sip, msg, false, 202, "Accepted",
			   "%HContent-Length: 0\r\n\r\n", sip_contact_print,
			   &ct);
}

static int contact_send(enum sip_transp tp, const struct sa *src,
			const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct sip_contact ct;
	(void)dst;
	(void)arg;

	sip_contact_set(&ct, cuser, src, tp);
	return mbuf_printf(mb, "%H", sip_contact_print, &ct);
}

/* RFC 3515 2.4.4: the implicit subscription's only NOTIFY, final. */
int sipx_refer_notify_done(struct sipx *sx, struct sipsess *sess,
			   uint32_t refer_cseq)
{
	static const char frag[] = "SIP/2.0 200 OK\r\n";

	if (!sx || !sess)
		return EINVAL;
	return sip_drequestf(NULL, sx->sip, true, "NOTIFY",
			     sipsess_dialog(sess), 0, NULL, contact_send,
			     NULL, NULL,
			     "Event: refer;id=%u\r\n"
			     "Subscription-State: terminated;reason=noresource\r\n"
			     "Content-Type: message/sipfrag;version=2.0\r\n"
			     "Content-Length: %zu\r\n\r\n%s",
			     refer_cseq, sizeof(frag) - 1, frag);
}
