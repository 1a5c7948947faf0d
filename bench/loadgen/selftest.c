/* selftest: bench/calls checked against itself, no server. Its RTP
 * receiver is fed crafted sequences; then its callers dial its own agents
 * over loopback and each run's figures must be exactly what the load was:
 * every call answered, no loss, the digits arrived, loss made on purpose
 * measured, a 404 counted, set-up mode without media. */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "base/util.h"
#include "loadgen.h"


struct case_ {
	const char *name;
	void (*prep)(struct lg_opts *o);
	const char *(*check)(const struct lg_result *r);
};

static void prep_clean(struct lg_opts *o)
{
	o->calls = 12;
	o->concurrent = 6;
	o->rate = 20;
	o->hold_s = 3;
	(void)util_strlcpy(o->dtmf, "1#9", sizeof(o->dtmf));
}

static const char *check_clean(const struct lg_result *r)
{
	const struct lg_rtp *c = &r->rtp[LG_CALLER], *a = &r->rtp[LG_AGENT];

	if (r->calls.answered != 12 || r->calls.failed || r->calls.completed != 12)
		return "not every call was answered and completed";
	if (r->agents.answered != 12)
		return "agents did not answer 12 calls";
	if (!c->rx || !a->rx || !c->tx || !a->tx)
		return "RTP did not flow both ways";
	if (lg_rtp_lost(c) || lg_rtp_lost(a) || c->late || a->late)
		return "loss or reordering over loopback";
	/* Only what a side sends after the other hung up goes undelivered:
	 * a packet or two per call of the 150 it lasts. */
	if (lg_rtp_delivered_loss_pct(r->rtp) < 0 ||
	    lg_rtp_delivered_loss_pct(r->rtp) > 5.0)
		return "delivered loss over loopback";
	if (a->digits != 12 * 3)
		return "agents did not receive 3 RFC 4733 digits per call";
	if (c->digits_sent != 12 * 3)
		return "callers did not count 3 RFC 4733 digits sent per call";
	if (r->calls.setup_n != 12 || r->calls.max_established != 6)
		return "set-up times or concurrency not accounted";
	return NULL;
}

static void prep_lossy(struct lg_opts *o)
{
	o->calls = 6;
	o->concurrent = 6;
	o->rate = 50;
	o->hold_s = 2;
	o->sim_loss_every = 25;
}

static const char *check_lossy(const struct lg_result *r)
{
	for (int s = 0; s < LG_SIDES; s++) {
		uint64_t lost = lg_rtp_lost(&r->rtp[s]);
		uint64_t dropped = r->rtp[!s].sim_dropped;

		/* A stream's last drop may fall after its last packet. */
		if (!dropped || lost > dropped || lost + 6 < dropped)
			return "measured loss does not match packets dropped";
	}
	/* One packet in 25 never left: 4 % not delivered, and up to a few
	 * packets per call at hang-up. */
	if (lg_rtp_delivered_loss_pct(r->rtp) < 3.5 ||
	    lg_rtp_delivered_loss_pct(r->rtp) > 8.0)
		return "delivered loss does not match packets dropped";
	return r->calls.answered == 6 ? NULL : "lossy calls not answered";
}

static void prep_unknown(struct lg_opts *o)
{
	o->dial = "999";
	o->calls = 3;
	o->concurrent = 3;
	o->rate = 0;
}

static const char *check_unknown(const struct lg_result *r)
{
	if (r->calls.failed != 3 || r->calls.scode[404] != 3 ||
	    r->agents.rejected != 3 || r->calls.answered)
		return "calls to an unknown extension not failed with 404";
	return NULL;
}

static void prep_setup(struct lg_opts *o)
{
	o->setup_mode = true;
	o->no_media = true;
	o->calls = 40;
	o->concurrent = 10;
	o->rate = 0;
	o->hold_s = 0;
}

static const char *check_setup(const struct lg_result *r)
{
	if (r->calls.answered != 40 || r->calls.completed != 40 ||
	    r->calls.setup_n != 40)
		return "set-up mode calls not all answered";
	if (r->rtp[LG_CALLER].tx || r->rtp[LG_AGENT].tx)
		return "set-up mode sent media";
	return NULL;
}

static const struct case_ self_cases[] = {
	{"calls complete with no loss and DTMF arrives", prep_clean,
	 check_clean},
	{"dropped packets are measured as loss", prep_lossy, check_lossy},
	{"an unknown extension is refused with 404", prep_unknown,
	 check_unknown},
	{"set-up mode places short calls without media", prep_setup,
	 check_setup},
};

/* Sequence numbers (and SSRC switches) arriving in this order, and what
 * the receiver must make of them. */
struct rx_case {
	const char *name;
	uint16_t seq[8];
	uint32_t ssrc[8];
	size_t n;
	uint64_t expected, gaps, late, dup, ssrc_changes, lost;
};

static const struct rx_case rx_cases[] = {
	{"in order", {10, 11, 12, 13}, {7, 7, 7, 7}, 4, 4, 0, 0, 0, 0, 0},
	{"a gap is loss", {10, 11, 14, 15}, {7, 7, 7, 7}, 4, 6, 2, 0, 0, 0, 2},
	{"late packet fills its gap", {10, 12, 11, 13}, {7, 7, 7, 7}, 4,
	 4, 1, 1, 0, 0, 0},
	{"duplicate is not received twice", {10, 11, 11, 12}, {7, 7, 7, 7}, 4,
	 3, 0, 0, 1, 0, 0},
	{"sequence wraps", {65534, 65535, 0, 1}, {7, 7, 7, 7}, 4,
	 4, 0, 0, 0, 0, 0},
	{"new SSRC starts afresh", {10, 11, 500, 501}, {7, 7, 9, 9}, 4,
	 4, 0, 0, 0, 1, 0},
};

static const char *check_rx(const struct rx_case *tc)
{
	struct lg_rx rx = {0};
	uint64_t inc[LG_NCTR] = {0};
	struct lg_rtp r = {0};
	uint8_t p[LG_RTP_HDR + LG_SAMPLES] = {0x80, 0};

	for (size_t i = 0; i < tc->n; i++) {
		p[2] = (uint8_t)(tc->seq[i] >> 8);
		p[3] = (uint8_t)tc->seq[i];
		p[11] = (uint8_t)tc->ssrc[i];
		lg_rx_account(&rx, p, sizeof(p), 101, inc);
	}
	for (int c = 0; c < LG_NCTR; c++)
		*lg_rtp_at(&r, c) = inc[c];
	if (r.rx != tc->n || r.expected != tc->expected || r.gaps != tc->gaps ||
	    r.late != tc->late || r.dup != tc->dup ||
	    r.ssrc_changes != tc->ssrc_changes || lg_rtp_lost(&r) != tc->lost)
		return "counted wrong";
	return NULL;
}

int lg_self_test(void)
{
	int failed = 0;

	for (size_t i = 0; i < ARRAY_LEN(rx_cases); i++) {
		const char *why = check_rx(&rx_cases[i]);

		printf("%s: rtp receiver: %s%s%s\n", why ? "FAIL" : "ok",
		       rx_cases[i].name, why ? ": " : "", why ? why : "");
		failed += why != NULL;
	}

	for (size_t i = 0; i < ARRAY_LEN(self_cases); i++) {
		const struct case_ *tc = &self_cases[i];
		struct lg_result res;
		struct lg_opts o;
		const char *why;
		int err;

		lg_opts_init(&o);
		o.agents = 4;
		o.no_register = true;
		o.dial_agents = true;
		o.dial = "1001-1004";
		o.duration_s = 60;
		tc->prep(&o);
		err = lg_run(&o, &res);
		lg_report_text(&o, &res);
		why = err ? "run failed" : res.timed_out ? "run timed out" :
			tc->check(&res);
		printf("%s: %s%s%s\n\n", why ? "FAIL" : "ok", tc->name,
		       why ? ": " : "", why ? why : "");
		failed += why != NULL;
		lg_result_free(&res);
	}
	return failed ? 1 : 0;
}
