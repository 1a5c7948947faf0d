/* callers: places calls to `dial` at the target at a set rate, keeps at most
 * `concurrent` alive, holds each for a while after 200 OK and hangs up with
 * BYE. Audio starts as soon as the 200 OK's answer says where to send it.
 *
 * A call is counted once, in exactly one of: answered (then completed,
 * ended_by_peer or cut at shutdown) or failed (by final status; 0 when no
 * final response came, e.g. timeout or transport error). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/util.h"
#include <re.h>
#include "loadgen.h"

enum {
	HT_SIZE = 1024,
	NO_MEDIA_PORT = 9,
	LAUNCH_TICK_MS = 5,
	MAX_BURST = 100,          /* INVITEs per tick when the rate is open */
};

struct call {
	struct le le;                 /* in lg_callers.calls */
	struct lg_callers *c;         /* not a ref */
	struct sipsess *sess;         /* ref: deref sends BYE or CANCEL */
	struct sdp_session *sdp;      /* ref */
	struct lg_stream *rtp;        /* handle until lg_stream_close */
	struct tmr hold;
	uint64_t t_invite_us;
	bool established;
	char number[32];              /* click mode: the number clicked */
};

struct lg_callers {
	const struct lg_opts *o;
	struct lg_media *media;       /* not a ref */
	struct sip *sip;
	struct sipsess_sock *sock;
	struct list calls;
	struct tmr launch;
	struct sa laddr;
	char target[80];              /* host:port for the Request-URI */
	uint64_t total;
	unsigned concurrent, active;  /* active: calls in `calls` */
	double hold_s, credit;
	uint64_t credit_us, est_changed_us;
	bool range;
	uint64_t dial_lo, dial_hi, dial_next;
	size_t setup_cap;
	struct lg_clicks *clicks;     /* click mode; not a ref */
	struct lg_agents *carrier;    /* click mode; not a ref */
	unsigned agent_next;
	struct lg_call_stats st;
	void (*done)(void *);
	void *done_arg;
	bool closing, sip_owned;
};

static void est_change(struct lg_callers *c, int delta)
{
	uint64_t now = lg_now_us();

	c->st.call_seconds += (double)c->st.established *
		(double)(now - c->est_changed_us) / 1e6;
	c->est_changed_us = now;
	c->st.established = (uint64_t)((int64_t)c->st.established + delta);
	if (c->st.established > c->st.max_established)
		c->st.max_established = c->st.established;
}

static void call_destructor(void *arg)
{
	struct call *call = arg;

	tmr_cancel(&call->hold);
	lg_clicks_forget(call->c->clicks, call);
	list_unlink(&call->le);
	call->c->active--;
	if (call->established)
		est_change(call->c, -1);
	lg_stream_close(call->rtp);
	mem_deref(call->sess);
	mem_deref(call->sdp);
}

static void callers_destructor(void *arg)
{
	struct lg_callers *c = arg;

	c->done = NULL;
	tmr_cancel(&c->launch);
	list_flush(&c->calls);
	if (!c->sip_owned)
		sip_close(c->sip, true);
	mem_deref(c->sock);
	if (c->sip_owned)
		mem_deref(c->sip);
	free(c->st.setup_us);
}

static void fail(struct lg_callers *c, uint16_t scode)
{
	c->st.failed++;
	c->st.scode[scode < LG_SCODES ? scode : 0]++;
}

static void hold_expired(void *arg)
{
	struct call *call = arg;

	/* A clicked call is hung up by its customer, the carrier. */
	if (call->c->clicks)
		(void)lg_agents_hangup(call->c->carrier, call->number);
	call->c->st.completed++;
	mem_deref(call);
}

static int offer_handler(struct mbuf **descp, const struct sip_msg *msg,
			 void *arg)
{
	struct call *call = arg;
	struct sa raddr;
	int pt, evpt, err;

	err = sdp_decode(call->sdp, msg->mb, true);
	if (!err)
		err = lg_sdp_remote(call->sdp, &raddr, &pt, &evpt);
	if (err)
		return err;
	if (call->rtp)
		(void)lg_stream_send(call->rtp, &raddr, pt, evpt, NULL);
	return sdp_encode(descp, call->sdp, false);
}

static int answer_handler(const struct sip_msg *msg, void *arg)
{
	struct call *call = arg;
	struct sa raddr;
	int pt, evpt;

	if (sdp_decode(call->sdp, msg->mb, false) ||
	    lg_sdp_remote(call->sdp, &raddr, &pt, &evpt)) {
		log_warn("bench.bad_answer", "scode=%u", msg->scode);
		return 0;
	}
	if (call->rtp)
		(void)lg_stream_send(call->rtp, &raddr, pt, evpt,
				     call->c->o->dtmf);
	return 0;
}

static void progress_handler(const struct sip_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

static void record_setup(struct lg_callers *c, uint64_t us)
{
	struct lg_call_stats *st = &c->st;

	if (st->setup_n == c->setup_cap) {
		size_t cap = c->setup_cap ? c->setup_cap * 2 : 1024;
		uint32_t *v = realloc(st->setup_us, cap * sizeof(*v));

		if (!v)
			return;
		st->setup_us = v;
		c->setup_cap = cap;
	}
	st->setup_us[st->setup_n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static void answered(struct call *call)
{
	struct lg_callers *c = call->c;
	uint64_t now = lg_now_us();

	call->established = true;
	c->st.answered++;
	c->st.last_answer_us = now;
	record_setup(c, now - call->t_invite_us);
	est_change(c, +1);
	/* Hang up from a timer, never from inside the session's handler. */
	if (c->hold_s >= 0)
		tmr_start(&call->hold, (uint64_t)(c->hold_s * 1000.0),
			  hold_expired, call);
}

static void estab_handler(const struct sip_msg *msg, void *arg)
{
	(void)msg;
	answered(arg);
}

static void close_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct call *call = arg;
	struct lg_callers *c = call->c;

	if (!call->established) {
		fail(c, msg ? msg->scode : 0);
		log_debug("bench.call_failed", "scode=%u err=%s",
			  msg ? msg->scode : 0, strerror(err));
	}
	else
		c->st.ended_by_peer++;    /* a BYE (ECONNRESET) or a dead dialog */
	mem_deref(call);
}

static int auth_handler(char **user, char **pass, const char *realm,
			void *arg)
{
	struct lg_callers *c = arg;
	int err;

	(void)realm;
	err = str_dup(user, c->o->auth_user);
	if (!err)
		err = str_dup(pass, c->o->auth_pass ? c->o->auth_pass : "");
	return err;
}

static void dial_next(struct lg_callers *c, char *buf, size_t n)
{
	if (!c->range) {
		str_ncpy(buf, c->o->dial, n);
		return;
	}
	re_snprintf(buf, n, "%llu", (unsigned long long)c->dial_next);
	c->dial_next = c->dial_next == c->dial_hi ? c->dial_lo
						  : c->dial_next + 1;
}

/* Click mode: the server answers a click as soon as the agent's phone
 * rings; anything but 201 is the call's failure. */
static void click_answered(int err, uint16_t status, void *arg)
{
	struct call *call = arg;

	if (!err && status == 201)
		return;
	if (!call->established) {
		fail(call->c, status);
		log_debug("bench.click_failed", "status=%u err=%s", status,
			  strerror(err));
		mem_deref(call);
	}
}

/* A call of c's, counted active until freed; NULL when out of memory. */
static struct call *call_new(struct lg_callers *c)
{
	struct call *call = mem_zalloc(sizeof(*call), call_destructor);

	if (!call)
		return NULL;
	call->c = c;
	list_append(&c->calls, &call->le, call);
	c->active++;
	return call;
}

static int click_one(struct lg_callers *c)
{
	struct call *call = call_new(c);
	char agent[16];
	int err;

	if (!call)
		return ENOMEM;
	dial_next(c, call->number, sizeof(call->number));
	re_snprintf(agent, sizeof(agent), "%u",
		    c->o->agent_base + c->agent_next);
	call->t_invite_us = lg_now_us();
	err = lg_clicks_post(c->clicks, agent, call->number, click_answered,
			     call);
	if (err) {
		mem_deref(call);
		if (err != EBUSY) {
			c->st.attempted++;
			fail(c, 0);
			log_warn("bench.click_failed", "err=%s", strerror(err));
		}
		return err;
	}
	c->agent_next = (c->agent_next + 1) % (c->o->agents ? c->o->agents : 1);
	c->st.attempted++;
	if (!c->st.first_invite_us)
		c->st.first_invite_us = call->t_invite_us;
	return 0;
}

/* The carrier answered or was hung up on: the click's call, by number
 * (the trunk may prefix it). */
static void carrier_event(bool up, const char *user, void *arg)
{
	struct lg_callers *c = arg;
	size_t ul = strlen(user);

	for (struct le *le = list_head(&c->calls); le; le = le->next) {
		struct call *call = le->data;
		size_t nl = strlen(call->number);

		/* An answer is for a call still setting up, a hang-up for
		 * one that was answered. */
		if (call->established == up || nl > ul ||
		    strcmp(user + ul - nl, call->number))
			continue;
		if (up) {
			answered(call);
		}
		else {
			c->st.ended_by_peer++;
			mem_deref(call);
		}
		return;
	}
	if (up)
		log_warn("bench.carrier_unknown", "user=%s", user);
}

static int launch_one(struct lg_callers *c)
{
	struct call *call = call_new(c);
	char number[32], to[160], from[160];
	struct mbuf *desc = NULL;
	uint16_t port = NO_MEDIA_PORT;
	int err;

	if (!call)
		return ENOMEM;
	c->st.attempted++;
	if (!c->o->no_media) {
		err = lg_stream_open(c->media, &call->rtp, LG_CALLER,
				     &c->o->local, &port);
		if (err)
			goto out;
	}
	err = lg_sdp_alloc(&call->sdp, &c->o->local, port);
	if (!err)
		err = sdp_encode(&desc, call->sdp, true);
	if (err)
		goto out;
	dial_next(c, number, sizeof(number));
	re_snprintf(to, sizeof(to), "sip:%s@%s", number, c->target);
	re_snprintf(from, sizeof(from), "sip:%s@%j", c->o->from_user,
		    &c->laddr);
	call->t_invite_us = lg_now_us();
	if (!c->st.first_invite_us)
		c->st.first_invite_us = call->t_invite_us;
	err = sipsess_connect(&call->sess, c->sock, to, NULL, from,
			      c->o->from_user, NULL, 0, "application/sdp",
			      desc, c->o->auth_user ? auth_handler : NULL, c,
			      false, offer_handler, answer_handler,
			      progress_handler, estab_handler, NULL, NULL,
			      close_handler, call, NULL);
 out:
	mem_deref(desc);
	if (err) {
		log_warn("bench.invite_failed", "err=%s", strerror(err));
		fail(c, 0);
		mem_deref(call);
	}
	return err;
}

static void launch_tick(void *arg)
{
	struct lg_callers *c = arg;
	uint64_t now = lg_now_us();
	double cap;
	unsigned burst = 0;

	/* Token bucket: the rate is kept on average, bursts stay within
	 * 100 ms worth of calls after a pause for the concurrency limit. */
	if (c->o->rate > 0) {
		cap = c->o->rate * 0.1 > 1.0 ? c->o->rate * 0.1 : 1.0;
		c->credit += c->o->rate * (double)(now - c->credit_us) / 1e6;
		if (c->credit > cap)
			c->credit = cap;
	}
	c->credit_us = now;

	while (!c->closing && c->st.attempted < c->total &&
	       c->active < c->concurrent && burst < MAX_BURST &&
	       (c->o->rate <= 0 || c->credit >= 1.0)) {
		c->credit -= 1.0;
		burst++;
		if (c->clicks ? click_one(c) : launch_one(c))
			break;
	}
	if (!c->closing && c->st.attempted < c->total)
		tmr_start(&c->launch, LAUNCH_TICK_MS, launch_tick, c);
}

static int parse_dial(struct lg_callers *c, const char *dial)
{
	const char *dash = strchr(dial, '-');
	char lo[32];

	if (!dash)
		return 0;
	if ((size_t)(dash - dial) >= sizeof(lo))
		return EINVAL;
	memcpy(lo, dial, (size_t)(dash - dial));
	lo[dash - dial] = '\0';
	if (util_parse_u64(lo, 0, UINT64_MAX, &c->dial_lo) ||
	    util_parse_u64(dash + 1, c->dial_lo, UINT64_MAX, &c->dial_hi))
		return EINVAL;
	c->range = true;
	c->dial_next = c->dial_lo;
	return 0;
}

static void exit_handler(void *arg)
{
	struct lg_callers *c = arg;

	c->sip_owned = true;
	if (c->done)
		c->done(c->done_arg);
}

static void conn_handler(const struct sip_msg *msg, void *arg)
{
	struct lg_callers *c = arg;

	/* Callers only call out. */
	(void)sip_treply(NULL, c->sip, msg, 603, "Decline");
}

int lg_callers_alloc(struct lg_callers **cp, const struct lg_opts *o,
		     struct lg_media *media, const struct sa *target)
{
	struct lg_callers *c;
	struct sa laddr;
	int err;

	c = mem_zalloc(sizeof(*c), callers_destructor);
	if (!c)
		return ENOMEM;
	c->o = o;
	c->media = media;
	c->sip_owned = true;
	re_snprintf(c->target, sizeof(c->target), "%J", target);
	err = parse_dial(c, o->dial);
	if (err)
		goto out;
	err = sip_alloc(&c->sip, NULL, HT_SIZE, HT_SIZE, HT_SIZE,
			"hotline-bench callers", exit_handler, c);
	if (err)
		goto out;
	laddr = o->local;
	sa_set_port(&laddr, 0);
	err = sip_transp_add(c->sip, SIP_TRANSP_UDP, &laddr);
	if (!err)
		err = sip_transp_laddr(c->sip, &c->laddr, SIP_TRANSP_UDP, NULL);
	if (!err)
		err = sipsess_listen(&c->sock, c->sip, HT_SIZE, conn_handler, c);
 out:
	if (err)
		mem_deref(c);
	else
		*cp = c;
	return err;
}

void lg_callers_drive(struct lg_callers *c, uint64_t total,
		      unsigned concurrent, double hold_s)
{
	c->total = total;
	c->concurrent = concurrent;
	c->hold_s = hold_s;
	if (!c->closing && !tmr_isrunning(&c->launch)) {
		c->credit_us = lg_now_us();
		c->credit = 1.0;
		tmr_start(&c->launch, 0, launch_tick, c);
	}
}

unsigned lg_callers_active(const struct lg_callers *c)
{
	return c->active;
}

bool lg_callers_done(const struct lg_callers *c)
{
	return c->st.attempted >= c->total && !list_head(&c->calls);
}

void lg_callers_shutdown(struct lg_callers *c, void (*done)(void *),
			 void *arg)
{
	if (!c || c->closing)
		return;
	c->closing = true;
	c->done = done;
	c->done_arg = arg;
	tmr_cancel(&c->launch);
	for (struct le *le = list_head(&c->calls); le;) {
		struct call *call = le->data;

		le = le->next;
		if (call->established)
			c->st.completed++;
		else
			c->st.cancelled++;
		mem_deref(call);
	}
	c->sip_owned = false;
	sip_close(c->sip, false);
}

const struct lg_call_stats *lg_callers_stats(struct lg_callers *c)
{
	est_change(c, 0);
	return &c->st;
}

/* Hands the setup-latency array to the caller (free()). */
uint32_t *lg_callers_take_setup(struct lg_callers *c)
{
	uint32_t *v = c->st.setup_us;

	c->st.setup_us = NULL;
	c->setup_cap = 0;
	return v;
}

void lg_callers_click(struct lg_callers *c, struct lg_clicks *k,
		      struct lg_agents *carrier)
{
	c->clicks = k;
	c->carrier = carrier;
	lg_agents_watch(carrier, carrier_event, c);
}
