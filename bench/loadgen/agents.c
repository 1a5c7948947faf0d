/* agents: N answering agents on one SIP stack and port. Each registers its
 * extension with the target (digest auth through sipreg) and answers every
 * INVITE for it with 200 and an SDP answer, then streams audio back until
 * the call ends. An agent takes any number of calls at once: how many it
 * is offered is the target's decision, and what we measure. */
#include <errno.h>
#include <string.h>
#include "base/log.h"
#include "base/util.h"
#include <re.h>
#include "loadgen.h"

enum { HT_SIZE = 1024, REG_EXPIRES_S = 600, NO_MEDIA_PORT = 9 };

struct agent {
	struct lg_agents *a;          /* not a ref: the agents outlive it */
	struct sipreg *reg;           /* ref; NULL with --no-register */
	char ext[16], pw[80];
	bool registered, failed;
};

struct acall {
	struct le le;                 /* in lg_agents.calls */
	struct lg_agents *a;          /* not a ref */
	struct sipsess *sess;         /* ref: deref sends BYE */
	struct sdp_session *sdp;      /* ref */
	struct lg_stream *rtp;        /* handle until lg_stream_close */
	char user[32];                /* the Request-URI's user */
};

struct lg_agents {
	const struct lg_opts *o;
	struct lg_media *media;       /* not a ref */
	struct sip *sip;
	struct sipsess_sock *sock;
	struct agent *v;              /* array of o->agents */
	struct list calls;
	struct lg_agent_stats st;
	struct sa laddr;
	void (*done)(void *);
	void *done_arg;
	lg_agents_watch_h *watch;
	void *watch_arg;
	bool closing;
	bool sip_owned;               /* false between sip_close and exit */
};

static void acall_destructor(void *arg)
{
	struct acall *ac = arg;

	list_unlink(&ac->le);
	lg_stream_close(ac->rtp);
	mem_deref(ac->sess);
	mem_deref(ac->sdp);
	if (ac->a->st.active)
		ac->a->st.active--;
}

static void agents_destructor(void *arg)
{
	struct lg_agents *a = arg;

	a->done = NULL;
	list_flush(&a->calls);
	for (unsigned i = 0; a->v && i < a->o->agents; i++)
		a->v[i].reg = mem_deref(a->v[i].reg);
	mem_deref(a->v);
	/* sip_close(false) gave our reference to the stack until its exit
	 * handler; forcing the close now hands it back. */
	if (!a->sip_owned)
		sip_close(a->sip, true);
	mem_deref(a->sock);
	if (a->sip_owned)
		mem_deref(a->sip);
}

static int offer_handler(struct mbuf **descp, const struct sip_msg *msg,
			 void *arg)
{
	struct acall *ac = arg;
	struct sa raddr;
	int pt, evpt, err;

	/* A re-INVITE may move the media (a B2BUA bridging us elsewhere). */
	err = sdp_decode(ac->sdp, msg->mb, true);
	if (!err)
		err = lg_sdp_remote(ac->sdp, &raddr, &pt, &evpt);
	if (err)
		return err;
	if (ac->rtp)
		(void)lg_stream_send(ac->rtp, &raddr, pt, evpt, NULL);
	return sdp_encode(descp, ac->sdp, false);
}

static int answer_handler(const struct sip_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return 0;
}

static void estab_handler(const struct sip_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

static void close_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct acall *ac = arg;

	(void)msg;
	/* A BYE from the target arrives as ECONNRESET: a normal hang-up. */
	if (err == ECONNRESET)
		ac->a->st.ended_by_peer++;
	if (ac->a->watch)
		ac->a->watch(false, ac->user, ac->a->watch_arg);
	mem_deref(ac);
}

static struct agent *agent_of(struct lg_agents *a, const struct sip_msg *msg)
{
	char user[32];
	uint64_t ext;

	/* One agent that does not register plays a carrier behind a trunk:
	 * it answers whatever number is dialled (bench/outbound.sh). */
	if (a->o->no_register && a->o->agents == 1)
		return &a->v[0];
	if (pl_strcpy(&msg->uri.user, user, sizeof(user)) ||
	    util_parse_u64(user, a->o->agent_base,
			   (uint64_t)a->o->agent_base + a->o->agents - 1, &ext))
		return NULL;
	return &a->v[ext - a->o->agent_base];
}

/* Builds the answer to msg's offer and accepts; 0 or the SIP status to
 * reject with. */
static uint16_t answer_call(struct lg_agents *a, struct agent *ag,
			    const struct sip_msg *msg)
{
	struct acall *ac = mem_zalloc(sizeof(*ac), acall_destructor);
	struct mbuf *desc = NULL;
	uint16_t port = NO_MEDIA_PORT, scode = 500;
	struct sa raddr;
	int pt, evpt, err;

	if (!ac)
		return 500;
	ac->a = a;
	(void)pl_strcpy(&msg->uri.user, ac->user, sizeof(ac->user));
	list_append(&a->calls, &ac->le, ac);
	a->st.active++;
	if (!a->o->no_media &&
	    lg_stream_open(a->media, &ac->rtp, LG_AGENT, &a->o->local, &port))
		goto out;
	if (lg_sdp_alloc(&ac->sdp, &a->o->local, port))
		goto out;
	scode = 488;
	if (sdp_decode(ac->sdp, msg->mb, true) ||
	    lg_sdp_remote(ac->sdp, &raddr, &pt, &evpt))
		goto out;
	scode = 500;
	if (sdp_encode(&desc, ac->sdp, false))
		goto out;
	err = sipsess_accept(&ac->sess, a->sock, msg, 200, "OK", ag->ext,
			     "application/sdp", desc, NULL, NULL, false,
			     offer_handler, answer_handler, estab_handler,
			     NULL, NULL, close_handler, ac, NULL);
	if (err)
		goto out;
	if (ac->rtp)
		(void)lg_stream_send(ac->rtp, &raddr, pt, evpt, NULL);
	scode = 0;
	a->st.answered++;
	if (a->watch)
		a->watch(true, ac->user, a->watch_arg);
	if (a->st.active > a->st.max_active)
		a->st.max_active = a->st.active;
 out:
	mem_deref(desc);
	if (scode)
		mem_deref(ac);
	return scode;
}

static void conn_handler(const struct sip_msg *msg, void *arg)
{
	struct lg_agents *a = arg;
	struct agent *ag = agent_of(a, msg);
	uint16_t scode;

	a->st.offered++;
	if (a->closing)
		scode = 503;
	else if (!ag)
		scode = 404;
	else if (!mbuf_get_left(msg->mb))
		scode = 488;          /* we answer offers; a late offer is refused */
	else
		scode = answer_call(a, ag, msg);
	if (scode) {
		a->st.rejected++;
		(void)sip_treply(NULL, a->sip, msg, scode,
				 scode == 404 ? "Not Found" :
				 scode == 488 ? "Not Acceptable Here" :
				 scode == 503 ? "Service Unavailable" :
				 "Server Internal Error");
	}
}

static int auth_handler(char **user, char **pass, const char *realm,
			void *arg)
{
	struct agent *ag = arg;
	int err;

	(void)realm;
	err = str_dup(user, ag->ext);
	if (!err)
		err = str_dup(pass, ag->pw);
	return err;
}

static void reg_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct agent *ag = arg;
	struct lg_agent_stats *st = &ag->a->st;

	if (!err && msg && msg->scode >= 200 && msg->scode < 300) {
		if (ag->failed) {
			ag->failed = false;
			st->reg_failed--;
		}
		if (!ag->registered) {
			ag->registered = true;
			st->registered++;
		}
		return;
	}
	if (err || (msg && msg->scode >= 300)) {
		if (!ag->registered && !ag->failed) {
			ag->failed = true;
			st->reg_failed++;
			log_warn("bench.register_failed", "ext=%s scode=%u err=%s",
				 ag->ext, msg ? msg->scode : 0,
				 err ? strerror(err) : "-");
		}
	}
}

static int register_all(struct lg_agents *a)
{
	char reg_uri[128], aor[160];
	int err = 0;

	re_snprintf(reg_uri, sizeof(reg_uri), "sip:%s", a->o->target_str);
	for (unsigned i = 0; i < a->o->agents && !err; i++) {
		struct agent *ag = &a->v[i];

		re_snprintf(aor, sizeof(aor), "sip:%s@%s", ag->ext,
			    a->o->target_str);
		err = sipreg_register(&ag->reg, a->sip, reg_uri, aor, NULL, aor,
				      REG_EXPIRES_S, ag->ext, NULL, 0, 0,
				      auth_handler, ag, false, reg_handler, ag,
				      NULL, NULL);
	}
	return err;
}

static void exit_handler(void *arg)
{
	struct lg_agents *a = arg;

	a->sip_owned = true;
	if (a->done)
		a->done(a->done_arg);
}

int lg_agents_alloc(struct lg_agents **ap, const struct lg_opts *o,
		    struct lg_media *media)
{
	struct lg_agents *a;
	struct sa laddr;
	int err;

	a = mem_zalloc(sizeof(*a), agents_destructor);
	if (!a)
		return ENOMEM;
	a->o = o;
	a->media = media;
	a->v = mem_zalloc(o->agents * sizeof(*a->v), NULL);
	if (!a->v) {
		err = ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < o->agents; i++) {
		struct agent *ag = &a->v[i];

		ag->a = a;
		re_snprintf(ag->ext, sizeof(ag->ext), "%u", o->agent_base + i);
		re_snprintf(ag->pw, sizeof(ag->pw), "%s%s",
			    o->agent_pw_prefix, ag->ext);
	}
	a->sip_owned = true;
	err = sip_alloc(&a->sip, NULL, HT_SIZE, HT_SIZE, HT_SIZE,
			"hotline-bench agents", exit_handler, a);
	if (err)
		goto out;
	laddr = o->local;
	sa_set_port(&laddr, o->agent_port);
	err = sip_transp_add(a->sip, SIP_TRANSP_UDP, &laddr);
	if (err)
		goto out;
	err = sip_transp_laddr(a->sip, &a->laddr, SIP_TRANSP_UDP, NULL);
	if (err)
		goto out;
	err = sipsess_listen(&a->sock, a->sip, HT_SIZE, conn_handler, a);
	if (err)
		goto out;
	if (!o->no_register)
		err = register_all(a);
 out:
	if (err)
		mem_deref(a);
	else
		*ap = a;
	return err;
}

void lg_agents_shutdown(struct lg_agents *a, void (*done)(void *), void *arg)
{
	if (!a || a->closing)
		return;
	a->closing = true;
	a->done = done;
	a->done_arg = arg;
	list_flush(&a->calls);
	/* Dropping a registration sends REGISTER with Expires: 0. */
	for (unsigned i = 0; i < a->o->agents; i++)
		a->v[i].reg = mem_deref(a->v[i].reg);
	a->sip_owned = false;
	sip_close(a->sip, false);
}

bool lg_agents_settled(const struct lg_agents *a)
{
	return !a || a->o->no_register ||
	       a->st.registered + a->st.reg_failed >= a->o->agents;
}

const struct lg_agent_stats *lg_agents_stats(const struct lg_agents *a)
{
	return &a->st;
}

void lg_agents_laddr(const struct lg_agents *a, struct sa *sa)
{
	*sa = a->laddr;
}

void lg_agents_watch(struct lg_agents *a, lg_agents_watch_h *h, void *arg)
{
	a->watch = h;
	a->watch_arg = arg;
}

int lg_agents_hangup(struct lg_agents *a, const char *user)
{
	for (struct le *le = list_head(&a->calls); le; le = le->next) {
		struct acall *ac = le->data;

		if (!strcmp(ac->user, user)) {
			mem_deref(ac);       /* its session's deref sends BYE */
			return 0;
		}
	}
	return ENOENT;
}
