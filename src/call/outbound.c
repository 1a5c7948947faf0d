/* call/outbound: the "outbound" app, a call out through the carriers'
 * trunks. An extension dials a number that is no DID and no extension;
 * trunk/ normalises it and names the first matching dial plan's trunks,
 * in order. Each is tried in turn: a trunk that is down or has every
 * channel in use is passed over, one that answers 5xx or 408, or does not
 * answer the INVITE at all within its invite_timeout_s, is failed over
 * from. The caller hears 180 meanwhile; the first trunk that answers is
 * bridged (the talk app). A final refusal other than those (486 busy, 404,
 * 603) is the callee's and goes back to the caller as it is.
 *
 * Unplaceable calls still leave a record: 404 when no plan covers the
 * number, 503 when no trunk could take it (cause no-trunk). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "base/log.h"
#include "call/call_int.h"
#include "sip/sipx.h"
#include "trunk/trunk.h"

struct call_out {
	struct trunk_route r;       /* the plan's trunks, referenced */
	size_t i;                   /* the one tried now */
	bool responded;             /* it answered the INVITE (1xx) */
	bool tried;                 /* some trunk was tried */
	uint16_t last_code;         /* the last failure's status */
	bool unrecorded;            /* a new call whose record waits for its
				     * first trunk (one INSERT, no UPDATE) */
};

static void out_destroy(void *arg)
{
	struct call_out *o = arg;

	trunk_route_release(&o->r);
}

void call_trunk_release(struct call *c)
{
	if (!c->trunk)
		return;
	trunk_channel_give(c->trunk);
	c->trunk = mem_deref(c->trunk);
}

/* Ends the call with code for a caller still ringing, BYE otherwise. */
static void finish(struct call *c, uint16_t code, const char *reason,
		   const char *by, const char *cause)
{
	if (c->cust.sess && !c->cust.estab) {
		(void)sipx_sess_reject(c->cust.sess, code, reason);
		c->cust.sess = mem_deref(c->cust.sess);
	}
	call_end(c, by, cause);
}

static void try_next(struct call *c, size_t from);

/* The call's record names the trunk now tried. A call the outbound app
 * started is recorded only here, trunk included: an UPDATE right after
 * the INSERT cost each set-up a second write (bench/outbound.sh). */
static void record_trunk(struct call *c)
{
	if (!c->out->unrecorded) {
		cdr_trunk(&c->rec);
		return;
	}
	c->out->unrecorded = false;
	cdr_created(&c->rec);
}

static int dial(struct call *c, struct trunk *t)
{
	struct trunk_dial d;
	struct sipx_dial sd;
	int err = trunk_dial_get(t, c->out->r.number, c->rec.from, &d);

	if (err)
		return err;
	sd = (struct sipx_dial){.username = d.username, .password = d.password,
				.headers = d.headers};
	util_strlcpy(c->agent_leg.codecs, d.codecs, sizeof(c->agent_leg.codecs));
	c->agent_leg.srtp = d.srtp;
	err = call_dial_trunk(c, &c->agent_leg, d.uri, d.from_user, &sd);
	if (err)
		return err;
	log_info("call.outbound", "id=%s from=%s number=%s trunk=%s uri=%s",
		 c->rec.id, c->rec.from, c->out->r.number, trunk_name(t), d.uri);
	call_app_timer(c, d.invite_timeout_ms);
	return 0;
}

static void try_next(struct call *c, size_t from)
{
	struct call_out *o = c->out;

	for (;;) {
		size_t i = trunk_route_next(&o->r, from);
		struct trunk *t;

		if (i >= o->r.n)
			break;
		from = i + 1;
		t = o->r.v[i];
		if (trunk_channel_take(t, TRUNK_OUT))
			continue;
		c->trunk = mem_ref(t);
		o->i = i;
		o->responded = false;
		o->tried = true;
		util_strlcpy(c->rec.trunk, trunk_name(t), sizeof(c->rec.trunk));
		record_trunk(c);
		if (!dial(c, t))
			return;
		log_warn("call.outbound_dial", "id=%s trunk=%s: not sent",
			 c->rec.id, trunk_name(t));
		trunk_failed(t);
		call_trunk_release(c);
	}
	if (o->unrecorded) {
		o->unrecorded = false;
		cdr_created(&c->rec);
	}
	log_info("call.outbound_failed", "id=%s number=%s tried=%s last=%u",
		 c->rec.id, o->r.number, o->tried ? "yes" : "no", o->last_code);
	finish(c, 503, o->tried ? "Service Unavailable (every trunk failed)" :
	       "Service Unavailable (no trunk free)", "system", "no-trunk");
}

/* The trunk failed the call: count it, give its channel back, next. */
static void failover(struct call *c, uint16_t code)
{
	c->out->last_code = code;
	trunk_failed(c->trunk);
	call_trunk_release(c);
	c->agent_leg.sess = mem_deref(c->agent_leg.sess);  /* CANCEL */
	try_next(c, c->out->i + 1);
}

/* c->out for number: 0, or ENOENT / EINVAL / ENODEV as call_outbound_take
 * says. */
static int out_alloc(struct call *c, const char *number)
{
	struct call_out *o;
	int err;

	if (!c->mgr->o.trunks)
		return ENODEV;
	o = mem_zalloc(sizeof(*o), out_destroy);
	if (!o)
		return ENOMEM;
	err = trunk_route_find(c->mgr->o.trunks, number, &o->r);
	if (err) {
		mem_deref(o);
		return err;
	}
	mem_deref(c->out);
	c->out = o;
	return 0;
}

int call_outbound_check(struct call_mgr *m, const char *number)
{
	struct trunk_route r;
	int err;

	if (!m->o.trunks)
		return ENODEV;
	err = trunk_route_find(m->o.trunks, number, &r);
	if (!err)
		trunk_route_release(&r);
	return err;
}

/* Not placed, but asked for: the record says so. */
static void refuse_recorded(struct call *c, const struct sip_msg *msg,
			    uint16_t code, const char *reason,
			    const char *cause)
{
	c->rec.ended_ms = util_now_ms();
	cdr_created(&c->rec);
	cdr_ended(&c->rec, "system", cause);
	call_refuse(c, msg, code, reason);
}

static void start(struct call *c, const struct sip_msg *msg,
		  const char *number)
{
	struct call_mgr *m = c->mgr;
	const char *reason = NULL;
	char why[128];
	uint16_t code = 0;
	int err;

	c->rec.direction = "outbound";
	util_strlcpy(c->rec.agent, c->rec.from, sizeof(c->rec.agent));
	err = out_alloc(c, number);
	if (err) {
		snprintf(why, sizeof(why), "Not Found (%s)",
			 err == ENOENT ? "no dial plan covers the number" :
			 "not a number");
		refuse_recorded(c, msg, 404, why, "no-route");
		return;
	}
	/* Every trunk down or full: no media is set up for nothing. */
	if (trunk_route_next(&c->out->r, 0) >= c->out->r.n) {
		refuse_recorded(c, msg, 503, "Service Unavailable (no trunk "
				"free)", "no-trunk");
		return;
	}
	err = call_prepare_customer(c, msg, &code, &reason);
	if (!err && media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
				    &c->agent_leg)) {
		err = ENOSPC;
		code = 503;
		reason = "Service Unavailable (no media ports)";
	}
	if (err) {
		call_refuse(c, msg, code, reason);
		return;
	}
	if (call_accept(c, msg, 180, "Ringing", NULL)) {
		call_refuse(c, msg, 500, "Server Error");
		return;
	}
	list_append(&m->calls, &c->le, c);
	c->out->unrecorded = true;
	try_next(c, 0);
}

int call_outbound_take(struct call *c, const char *number)
{
	int err = call_outbound_route(c, number);

	return err ? err : call_outbound_go(c);
}

int call_outbound_route(struct call *c, const char *number)
{
	if (!c || !number)
		return EINVAL;
	return out_alloc(c, number);
}

int call_outbound_go(struct call *c)
{
	struct call_mgr *m = c->mgr;

	if (!c->out)
		return ENOENT;
	if (!c->agent_leg.media &&
	    media_leg_alloc(&c->agent_leg.media, m->o.media, c->shard,
			    &c->agent_leg)) {
		c->out = mem_deref(c->out);
		return ENOSPC;
	}
	call_app_enter(c, &call_app_outbound);
	if (m->o.ringback)
		(void)media_leg_play(c->cust.media, m->o.ringback, true);
	else if (m->o.moh)
		(void)media_leg_play(c->cust.media, m->o.moh, true);
	try_next(c, 0);
	return 0;
}

static void progress(struct call *c, struct leg *l, uint16_t code)
{
	(void)l;
	(void)code;
	if (c->out->responded)
		return;
	/* The trunk took the call: from now on the callee decides. */
	c->out->responded = true;
	tmr_cancel(&c->tmr);
	if (c->mgr->o.ring_timeout_ms)
		call_app_timer(c, c->mgr->o.ring_timeout_ms);
}

static void answered(struct call *c, struct leg *l)
{
	(void)l;
	if (c->cust.estab)
		(void)media_leg_stop(c->cust.media);
	else if (call_answer_customer(c)) {
		call_end(c, "system", "answer failed");
		return;
	}
	call_connected(c);
}

static void agent_closed(struct call *c, struct leg *l, int err,
			 uint16_t code)
{
	char cause[16];
	(void)l;

	/* No final answer at all (err: a timeout, a refused connection)
	 * is the trunk's failure, like 5xx and 408. */
	if (code >= 500 || code == 408 ||
	    (err && err != ECONNRESET && !c->out->responded)) {
		failover(c, code);
		return;
	}
	snprintf(cause, sizeof(cause), "%u", code);
	finish(c, code, code == 480 ? "Temporarily Unavailable" :
	       code == 486 ? "Busy Here" : "Declined", "agent", cause);
}

static void timeout(struct call *c)
{
	if (!c->out->responded) {
		log_info("call.outbound_timeout", "id=%s trunk=%s", c->rec.id,
			 trunk_name(c->trunk));
		failover(c, 408);
		return;
	}
	finish(c, 480, "Temporarily Unavailable (no answer)", "system",
	       "no-answer");
}

const struct call_app call_app_outbound = {
	.name = "outbound",
	.start = start,
	.take = call_outbound_take,
	.progress = progress,
	.answered = answered,
	.agent_closed = agent_closed,
	.caller_cause = "cancel",
	.timeout = timeout,
};
