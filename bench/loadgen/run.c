/* run: one whole run on the libre loop. Agents register, then callers place
 * calls (a fixed number, or a ramp of concurrency steps), then everything is
 * hung up and unregistered. The run always ends by itself: when the calls
 * are done, when the ramp stops, or at --duration, whichever comes first.
 *
 *   REGISTER --settled or register_wait--> CALLS | RAMP --done--> FINISH
 *   RAMP step: UP (reach the concurrency) -> SETTLE (1 s) -> MEASURE (T s)
 *
 * FINISH shuts the callers down first and the agents after them, so our
 * BYEs still find our own agents when we dial them directly. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include <re.h>
#include "loadgen.h"

enum phase { PH_REGISTER, PH_CALLS, PH_RAMP, PH_FINISH };
enum rstate { RS_UP, RS_SETTLE, RS_MEASURE };

enum {
	CTL_MS = 50,
	SETTLE_MS = 1000,
	GRACE_MS = 5000,          /* for BYEs and un-REGISTERs at the end */
	RAMP_SLACK_S = 15,        /* beyond calls/rate to reach a step */
	CLICK_CONNS = 64,         /* HTTP connections of click mode, at most */
};

/* Everything a ramp window is the difference of. */
struct snap {
	struct lg_rtp rtp[LG_SIDES];
	uint64_t late, rss_kb, failed, at_us;
	double own_cpu_ms, target_cpu_ms, call_seconds;
};

struct run {
	const struct lg_opts *o;
	struct lg_result *res;
	struct lg_media *media;
	struct lg_agents *agents;
	struct lg_callers *callers;
	struct lg_agents *carrier;    /* click mode: the far end of the trunk */
	struct lg_clicks *clicks;     /* click mode */
	struct lg_opts carrier_o;
	struct tmr ctl, deadline, grace;
	enum phase phase;
	enum rstate rs;
	uint64_t t0_us, phase_us, rs_us;
	unsigned step, prev_target;
	struct snap s0;
	double own_cpu0_ms, target_cpu0_ms;
	struct snap w0;               /* sustained mode: the window's start */
	uint64_t w0_answered, w0_drops, drops0;
	bool have_target, have_drops;
	bool totals_taken;
};

static struct run *the_run;           /* for the signal handler */

static void snap_take(struct run *r, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	s->at_us = lg_now_us();
	lg_media_totals(r->media, s->rtp, &s->late);
	s->own_cpu_ms = lg_self_cpu_ms();
	s->target_cpu_ms = -1;
	if (r->have_target)
		(void)lg_proc_sample(r->o->target_pid, &s->target_cpu_ms,
				     &s->rss_kb);
	if (r->callers) {
		const struct lg_call_stats *st = lg_callers_stats(r->callers);

		s->failed = st->failed;
		s->call_seconds = st->call_seconds;
	}
}

static void agents_done(void *arg)
{
	(void)arg;
	re_cancel();
}

static void carrier_done(void *arg)
{
	struct run *r = arg;

	if (r->agents)
		lg_agents_shutdown(r->agents, agents_done, r);
	else
		re_cancel();
}

static void callers_done(void *arg)
{
	struct run *r = arg;

	if (r->carrier)
		lg_agents_shutdown(r->carrier, carrier_done, r);
	else if (r->agents)
		lg_agents_shutdown(r->agents, agents_done, r);
	else
		re_cancel();
}

static void grace_expired(void *arg)
{
	(void)arg;
	log_warn("bench.grace_expired", "ms=%d", GRACE_MS);
	re_cancel();
}

static void finish(struct run *r)
{
	if (r->phase == PH_FINISH)
		return;
	r->phase = PH_FINISH;
	/* RTP totals stop here: packets sent into calls being torn down are
	 * not part of the load, and would show as sent but never received. */
	lg_media_totals(r->media, r->res->rtp, &r->res->late_ticks);
	r->totals_taken = true;
	tmr_cancel(&r->ctl);
	tmr_cancel(&r->deadline);
	tmr_start(&r->grace, GRACE_MS, grace_expired, r);
	if (r->callers)
		lg_callers_shutdown(r->callers, callers_done, r);
	else
		callers_done(r);
}

static void record_step(struct run *r, const struct snap *s1,
			bool not_reached)
{
	struct lg_step *st = &r->res->steps[r->res->steps_n++];
	const struct snap *s0 = &r->s0;

	st->target = r->o->ramp[r->step];
	st->reached = (unsigned)lg_callers_stats(r->callers)->established;
	st->not_reached = not_reached;
	if (not_reached)
		return;
	st->window_s = (double)(s1->at_us - s0->at_us) / 1e6;
	st->call_seconds = s1->call_seconds - s0->call_seconds;
	st->failed = s1->failed - s0->failed;
	for (int i = 0; i < LG_SIDES; i++)
		lg_rtp_diff(&st->rtp[i], &s1->rtp[i], &s0->rtp[i]);
	st->own_cpu_ms = s1->own_cpu_ms - s0->own_cpu_ms;
	st->target_cpu_ms = r->have_target ?
		s1->target_cpu_ms - s0->target_cpu_ms : -1;
	st->target_rss_kb_before = s0->rss_kb;
	st->target_rss_kb_after = s1->rss_kb;
	st->late_ticks = s1->late - s0->late;
	/* Delivered loss, not sequence loss: a target that rewrites sequence
	 * numbers must not read as lossy (issue 18). */
	st->over_loss = lg_rtp_judged_loss_pct(st->rtp) > r->o->max_loss_pct;
}

static void ramp_tick(struct run *r, uint64_t now)
{
	unsigned target = r->o->ramp[r->step];
	uint64_t est = lg_callers_stats(r->callers)->established;
	struct snap s1;

	switch (r->rs) {
	case RS_UP: {
		double rate = r->o->rate > 0 ? r->o->rate : 1000.0;
		double budget = (target - r->prev_target) / rate + RAMP_SLACK_S;

		if (est >= target) {
			r->rs = RS_SETTLE;
			r->rs_us = now;
		}
		else if ((double)(now - r->rs_us) > budget * 1e6) {
			log_warn("bench.step_not_reached", "target=%u est=%llu",
				 target, (unsigned long long)est);
			record_step(r, NULL, true);
			finish(r);
		}
		break;
	}
	case RS_SETTLE:
		if (now - r->rs_us >= SETTLE_MS * 1000u) {
			snap_take(r, &r->s0);
			r->rs = RS_MEASURE;
			r->rs_us = now;
		}
		break;
	case RS_MEASURE:
		if ((double)(now - r->rs_us) < r->o->step_s * 1e6)
			break;
		snap_take(r, &s1);
		record_step(r, &s1, false);
		if (r->res->steps[r->res->steps_n - 1].over_loss ||
		    r->step + 1 == r->o->ramp_n) {
			finish(r);
			break;
		}
		r->prev_target = target;
		r->step++;
		lg_callers_drive(r->callers, r->o->calls,
				 r->o->ramp[r->step], -1);
		r->rs = RS_UP;
		r->rs_us = now;
		break;
	}
}

static uint64_t sip_drops(const struct run *r)
{
	uint64_t d = 0;

	return r->have_drops && !lg_udp_drops(sa_port(&r->o->target), &d) ?
		d : 0;
}

/* Sustained mode: closes a window each time --window more calls have been
 * answered (checked every CTL_MS, so a window runs a few calls over and
 * is divided by what it really holds). */
static void window_tick(struct run *r)
{
	const struct lg_call_stats *st = lg_callers_stats(r->callers);
	bool last = lg_callers_done(r->callers);
	struct snap s1;

	if (st->answered - r->w0_answered < r->o->window &&
	    !(last && st->answered > r->w0_answered))
		return;
	if (r->res->windows_n == LG_MAX_WINDOWS)
		return;
	snap_take(r, &s1);
	struct lg_window *w = &r->res->windows[r->res->windows_n++];
	uint64_t drops = sip_drops(r);
	w->setups = st->answered - r->w0_answered;
	w->failed = s1.failed - r->w0.failed;
	w->wall_s = (double)(s1.at_us - r->w0.at_us) / 1e6;
	w->target_cpu_ms = r->have_target ?
		s1.target_cpu_ms - r->w0.target_cpu_ms : -1;
	w->target_rss_kb = s1.rss_kb;
	w->sip_drops = r->have_drops ? drops - r->w0_drops : (uint64_t)-1;
	r->w0 = s1;
	r->w0_answered = st->answered;
	r->w0_drops = drops;
}

static void start_calls(struct run *r, uint64_t now)
{
	r->phase_us = now;
	if (r->agents && !r->o->no_register) {
		const struct lg_agent_stats *as = lg_agents_stats(r->agents);

		log_info("bench.registered", "agents=%u registered=%u failed=%u",
			 r->o->agents, as->registered, as->reg_failed);
	}
	if (!r->callers) {
		r->phase = PH_CALLS;      /* agents only: wait for --duration */
	}
	else if (r->o->ramp_n) {
		r->phase = PH_RAMP;
		r->rs = RS_UP;
		r->rs_us = now;
		lg_callers_drive(r->callers, r->o->calls, r->o->ramp[0], -1);
	}
	else {
		r->phase = PH_CALLS;
		snap_take(r, &r->w0);
		r->w0_drops = sip_drops(r);
		lg_callers_drive(r->callers, r->o->calls, r->o->concurrent,
				 r->o->hold_s);
	}
}

static void ctl_tick(void *arg)
{
	struct run *r = arg;
	uint64_t now = lg_now_us();

	switch (r->phase) {
	case PH_REGISTER:
		if (lg_agents_settled(r->agents) ||
		    now - r->phase_us > r->o->register_wait_s * 1000000ull)
			start_calls(r, now);
		break;
	case PH_CALLS:
		if (r->callers && r->o->window)
			window_tick(r);
		if (r->callers && lg_callers_done(r->callers)) {
			finish(r);
			return;
		}
		break;
	case PH_RAMP:
		ramp_tick(r, now);
		break;
	case PH_FINISH:
		return;
	}
	if (r->phase != PH_FINISH)
		tmr_start(&r->ctl, CTL_MS, ctl_tick, r);
}

static void deadline_expired(void *arg)
{
	struct run *r = arg;

	r->res->timed_out = true;
	log_info("bench.duration_reached", "s=%u", r->o->duration_s);
	finish(r);
}

static void signal_handler(int sig)
{
	(void)sig;
	if (the_run && the_run->phase != PH_FINISH)
		finish(the_run);
	else
		re_cancel();
}

static void collect(struct run *r)
{
	struct lg_result *res = r->res;

	res->wall_s = (double)(lg_now_us() - r->t0_us) / 1e6;
	res->own_cpu_ms = lg_self_cpu_ms() - r->own_cpu0_ms;
	res->target_cpu_ms = -1;
	if (r->have_target) {
		double cpu;

		if (!lg_proc_sample(r->o->target_pid, &cpu, &res->target_rss_kb))
			res->target_cpu_ms = cpu - r->target_cpu0_ms;
	}
	if (r->callers) {
		res->calls = *lg_callers_stats(r->callers);
		res->calls.setup_us = lg_callers_take_setup(r->callers);
	}
	if (r->agents)
		res->agents = *lg_agents_stats(r->agents);
	res->sip_drops = r->have_drops ? sip_drops(r) - r->drops0 :
		(uint64_t)-1;
}

static int setup(struct run *r)
{
	const struct lg_opts *o = r->o;
	struct sa target = o->target;
	int err;

	err = lg_media_alloc(&r->media, o->media_threads, o->sim_loss_every);
	if (!err && o->agents)
		err = lg_agents_alloc(&r->agents, o, r->media);
	if (err)
		return err;
	if (o->dial_agents && r->agents)
		lg_agents_laddr(r->agents, &target);
	if (!err && o->click) {
		/* One answering side that does not register: the carrier
		 * answers every number the trunk sends it. */
		r->carrier_o = *o;
		r->carrier_o.agents = 1;
		r->carrier_o.no_register = true;
		r->carrier_o.agent_port = o->carrier_port;
		err = lg_agents_alloc(&r->carrier, &r->carrier_o, r->media);
		/* A connection per call that may be set up at once (up to
		 * CLICK_CONNS): with fewer, clicks wait for a free one,
		 * and the generator, not the server, sets the rate. */
		if (!err)
			err = lg_clicks_alloc(&r->clicks, &o->api, o->api_token,
					      o->concurrent < CLICK_CONNS ?
					      o->concurrent : CLICK_CONNS);
	}
	if (!err && o->calls)
		err = lg_callers_alloc(&r->callers, o, r->media, &target);
	if (!err && o->click)
		lg_callers_click(r->callers, r->clicks, r->carrier);
	return err;
}

int lg_run(const struct lg_opts *o, struct lg_result *res)
{
	struct run r = {.o = o, .res = res};
	double cpu;
	uint64_t rss;
	int err;

	memset(res, 0, sizeof(*res));
	tmr_init(&r.ctl);
	tmr_init(&r.deadline);
	tmr_init(&r.grace);
	r.t0_us = r.phase_us = lg_now_us();
	r.own_cpu0_ms = lg_self_cpu_ms();
	if (o->target_pid > 0 && !lg_proc_sample(o->target_pid, &cpu, &rss)) {
		r.have_target = true;
		r.target_cpu0_ms = cpu;
	}
	/* The target's SIP port is only ours to read on this host. */
	if (sa_is_loopback(&o->target) &&
	    !lg_udp_drops(sa_port(&o->target), &r.drops0))
		r.have_drops = true;

	err = setup(&r);
	if (err) {
		log_error("bench.setup_failed", "err=%s", strerror(err));
		goto out;
	}
	the_run = &r;
	tmr_start(&r.ctl, 0, ctl_tick, &r);
	tmr_start(&r.deadline, o->duration_s * 1000ull, deadline_expired, &r);
	err = re_main(signal_handler);
	the_run = NULL;
	collect(&r);
 out:
	tmr_cancel(&r.ctl);
	tmr_cancel(&r.deadline);
	tmr_cancel(&r.grace);
	mem_deref(r.callers);
	mem_deref(r.clicks);
	mem_deref(r.carrier);
	mem_deref(r.agents);
	if (!r.totals_taken)
		lg_media_totals(r.media, res->rtp, &res->late_ticks);
	lg_media_free(r.media);
	return err;
}

void lg_opts_init(struct lg_opts *o)
{
	memset(o, 0, sizeof(*o));
	sa_set_str(&o->local, "127.0.0.1", 0);
	o->from_user = "bench";
	o->agent_base = 1001;
	o->agent_pw_prefix = "secret";
	o->register_wait_s = 10;
	o->calls = 100;
	o->concurrent = 100;
	o->rate = 10;
	o->hold_s = 10;
	o->duration_s = 300;
	o->step_s = 10;
	o->max_loss_pct = 0.5;
	o->media_threads = 2;
}

void lg_result_free(struct lg_result *res)
{
	free(res->calls.setup_us);
	res->calls.setup_us = NULL;
}
