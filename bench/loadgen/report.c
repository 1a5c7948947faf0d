/* report: the figures of a run, for people (text) and for scripts (one
 * JSON object). Both print the same numbers; the JSON keys are what
 * bench/run.sh and anyone comparing servers read. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Not <re.h>: its re_json.h clashes with jansson. */
#include <re_types.h>
#include <re_sa.h>
#include "loadgen.h"

struct lat { double p50_ms, p99_ms, max_ms; };

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentiles of the INVITE -> 200 OK times. */
static struct lat latency(const struct lg_call_stats *st)
{
	struct lat l = {0, 0, 0};
	uint32_t *v;
	size_t n = st->setup_n;

	if (!n || !st->setup_us)
		return l;
	v = malloc(n * sizeof(*v));
	if (!v)
		return l;
	memcpy(v, st->setup_us, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_u32);
	l.p50_ms = v[(size_t)ceil(0.50 * (double)n) - 1] / 1000.0;
	l.p99_ms = v[(size_t)ceil(0.99 * (double)n) - 1] / 1000.0;
	l.max_ms = v[n - 1] / 1000.0;
	free(v);
	return l;
}

/* Answered calls over the time from the first INVITE to the last 200. */
static double setup_rate(const struct lg_call_stats *st)
{
	double span;

	if (st->answered < 2 || st->last_answer_us <= st->first_invite_us)
		return 0.0;
	span = (double)(st->last_answer_us - st->first_invite_us) / 1e6;
	return (double)st->answered / span;
}

/* Packets our callers sent per established call-second, in % of the 50 a
 * second G.711 needs: under 100 means the generator fell behind. */
static double send_pct(const struct lg_rtp *caller, double call_seconds)
{
	return call_seconds > 0 ?
		100.0 * (double)caller->tx / (call_seconds * 50.0) : 0.0;
}

static const char *mode_name(const struct lg_opts *o)
{
	return o->ramp_n ? "ramp" : o->sustained ? "sustained" :
	       o->setup_mode ? "setup" :
	       o->calls ? "calls" : "agents";
}

static double step_loss(const struct lg_step *s)
{
	struct lg_rtp sum;

	lg_rtp_sum(&sum, s->rtp);
	return lg_rtp_loss_pct(&sum);
}

/* Our CPU per established call-second: what the generator costs, so a
 * reader sees whether it, not the target, is near its limit. */
static double gen_ms_per_call_s(double own_cpu_ms, double call_seconds)
{
	/* Set-up runs hold no calls: no figure rather than a huge one. */
	return call_seconds >= 1 ? own_cpu_ms / call_seconds : 0.0;
}

/* The target's CPU per packet we sent it in the window (µs), -1 if
 * unknown: unlike CPU per call-second, it holds when a starved generator
 * sends fewer packets than its calls need (sent% under 100). A bridged
 * G.711 call is 100 packets a second, so one core carries 10,000 / this
 * many calls. */
static double tgt_us_per_pkt(const struct lg_step *s)
{
	uint64_t pkts = s->rtp[LG_CALLER].tx + s->rtp[LG_AGENT].tx;

	return s->target_cpu_ms >= 0 && pkts ?
		s->target_cpu_ms * 1000.0 / (double)pkts : -1.0;
}

/* "12.345" or "-" for an unknown (negative) percentage. */
static const char *pct_str(char *buf, size_t len, double v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", v);
	return buf;
}

static void text_rtp(const char *name, const struct lg_rtp r[LG_SIDES],
		     enum lg_side side)
{
	const struct lg_rtp *x = &r[side];
	char dlv[24];

	printf("rtp %-6s sent %llu received %llu delivered %s%% seq-lost %llu "
	       "(%.3f%%) late %llu dup %llu resyncs %llu ssrc-changes %llu "
	       "digits %llu send-errors %llu\n",
	       name, (unsigned long long)x->tx, (unsigned long long)x->rx,
	       pct_str(dlv, sizeof(dlv), lg_rtp_delivered_pct(r, side)),
	       (unsigned long long)lg_rtp_lost(x), lg_rtp_loss_pct(x),
	       (unsigned long long)x->late, (unsigned long long)x->dup,
	       (unsigned long long)x->resyncs,
	       (unsigned long long)x->ssrc_changes,
	       (unsigned long long)x->digits,
	       (unsigned long long)x->send_err);
}

void lg_report_text(const struct lg_opts *o, const struct lg_result *r)
{
	const struct lg_call_stats *c = &r->calls;
	const struct lg_agent_stats *a = &r->agents;
	struct lat l = latency(c);
	struct lg_rtp sum;
	char dlv[24];

	printf("bench/calls %s: target %s dial %s%s\n", mode_name(o),
	       o->dial_agents ? "(own agents)" : o->target_str,
	       o->dial ? o->dial : "-", r->timed_out ? " [--duration hit]" : "");
	if (o->calls) {
		printf("calls  attempted %llu answered %llu failed %llu",
		       (unsigned long long)c->attempted,
		       (unsigned long long)c->answered,
		       (unsigned long long)c->failed);
		for (int s = 0; s < LG_SCODES; s++) {
			if (c->scode[s])
				printf(" [%s%d x%llu]", s ? "" : "no-answer:", s,
				       (unsigned long long)c->scode[s]);
		}
		printf("; completed %llu ended-by-peer %llu cancelled %llu\n",
		       (unsigned long long)c->completed,
		       (unsigned long long)c->ended_by_peer,
		       (unsigned long long)c->cancelled);
		printf("setup  p50 %.1f ms p99 %.1f ms max %.1f ms; %.1f calls/s "
		       "achieved; max %llu established at once\n", l.p50_ms,
		       l.p99_ms, l.max_ms, setup_rate(c),
		       (unsigned long long)c->max_established);
	}
	if (o->agents)
		printf("agents %u registered %u failed %u; offered %llu answered "
		       "%llu rejected %llu max %llu at once\n", o->agents,
		       a->registered, a->reg_failed,
		       (unsigned long long)a->offered,
		       (unsigned long long)a->answered,
		       (unsigned long long)a->rejected,
		       (unsigned long long)a->max_active);
	text_rtp("caller", r->rtp, LG_CALLER);
	text_rtp("agent", r->rtp, LG_AGENT);
	lg_rtp_sum(&sum, r->rtp);
	printf("rtp    loss overall: delivered %s%%, sequence %.3f%%\n",
	       pct_str(dlv, sizeof(dlv), lg_rtp_delivered_loss_pct(r->rtp)),
	       lg_rtp_loss_pct(&sum));
	printf("self   cpu %.2f s over %.1f s (%.0f%% of a core, %.3f ms per "
	       "call-second), media ticks late %llu, callers sent %.1f%% of "
	       "nominal packets\n",
	       r->own_cpu_ms / 1000.0, r->wall_s,
	       r->wall_s > 0 ? r->own_cpu_ms / 10.0 / r->wall_s : 0.0,
	       gen_ms_per_call_s(r->own_cpu_ms, c->call_seconds),
	       (unsigned long long)r->late_ticks,
	       send_pct(&r->rtp[LG_CALLER], c->call_seconds));
	if (r->target_cpu_ms >= 0)
		printf("target pid %d cpu %.2f s, rss %llu kB\n", o->target_pid,
		       r->target_cpu_ms / 1000.0,
		       (unsigned long long)r->target_rss_kb);
	lg_report_windows_text(r);
	if (!r->steps_n)
		return;
	printf("%6s %7s %9s %9s %5s %13s %10s %8s %9s %8s %13s %5s %6s\n",
	       "calls", "reached", "dlv-loss%", "seq-loss%", "fail",
	       "tgt-ms/call-s", "tgt-us/pkt", "tgt-cpu%", "tgt-rssKB",
	       "gen-cpu%", "gen-ms/call-s", "late", "sent%");
	for (unsigned i = 0; i < r->steps_n; i++) {
		const struct lg_step *s = &r->steps[i];

		if (s->not_reached) {
			printf("%6u %7u  (concurrency not reached)\n", s->target,
			       s->reached);
			continue;
		}
		char per[24] = "-", pct[16] = "-", rss[24] = "-", dlv[24];
		char us[24];

		if (s->target_cpu_ms >= 0 && s->call_seconds > 0) {
			snprintf(per, sizeof(per), "%.3f",
				 s->target_cpu_ms / s->call_seconds);
			snprintf(pct, sizeof(pct), "%.1f",
				 s->target_cpu_ms / 10.0 / s->window_s);
			snprintf(rss, sizeof(rss), "%llu",
				 (unsigned long long)s->target_rss_kb_after);
		}
		printf("%6u %7u %9s %9.3f %5llu %13s %10s %8s %9s %8.1f "
		       "%13.3f %5llu %6.1f%s\n",
		       s->target, s->reached,
		       pct_str(dlv, sizeof(dlv),
			       lg_rtp_delivered_loss_pct(s->rtp)),
		       step_loss(s),
		       (unsigned long long)s->failed, per,
		       pct_str(us, sizeof(us), tgt_us_per_pkt(s)), pct, rss,
		       s->own_cpu_ms / 10.0 / s->window_s,
		       gen_ms_per_call_s(s->own_cpu_ms, s->call_seconds),
		       (unsigned long long)s->late_ticks,
		       send_pct(&s->rtp[LG_CALLER], s->call_seconds),
		       s->over_loss ? "  <- over loss limit" : "");
	}
}

/* -1 (unknown) as JSON null. */
static json_t *json_pct(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

static json_t *json_rtp(const struct lg_rtp all[LG_SIDES], enum lg_side side)
{
	const struct lg_rtp *r = &all[side];

	return json_pack("{s:I,s:I,s:o,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
			 "s:I,s:I}",
			 "sent", (json_int_t)r->tx,
			 "received", (json_int_t)r->rx,
			 "delivered_pct",
			 json_pct(lg_rtp_delivered_pct(all, side)),
			 "expected", (json_int_t)r->expected,
			 "lost", (json_int_t)lg_rtp_lost(r),
			 "loss_pct", lg_rtp_loss_pct(r),
			 "gaps", (json_int_t)r->gaps,
			 "late", (json_int_t)r->late,
			 "dup", (json_int_t)r->dup,
			 "ssrc_changes", (json_int_t)r->ssrc_changes,
			 "resyncs", (json_int_t)r->resyncs,
			 "digits", (json_int_t)r->digits,
			 "digits_sent", (json_int_t)r->digits_sent,
			 "send_errors", (json_int_t)r->send_err,
			 "sim_dropped", (json_int_t)r->sim_dropped);
}

static json_t *json_steps(const struct lg_result *r)
{
	json_t *arr = json_array();

	for (unsigned i = 0; arr && i < r->steps_n; i++) {
		const struct lg_step *s = &r->steps[i];
		json_t *o = json_pack(
			"{s:i,s:i,s:b,s:b,s:f,s:f,s:I,s:f,s:o,s:o,s:f,s:I,s:f}",
			"concurrency", s->target, "reached", s->reached,
			"not_reached", s->not_reached, "over_loss", s->over_loss,
			"window_s", s->window_s, "call_seconds", s->call_seconds,
			"failed", (json_int_t)s->failed,
			"loss_pct", step_loss(s),
			"caller", json_rtp(s->rtp, LG_CALLER),
			"agent", json_rtp(s->rtp, LG_AGENT),
			"generator_cpu_pct", s->window_s > 0 ?
				s->own_cpu_ms / 10.0 / s->window_s : 0.0,
			"late_ticks", (json_int_t)s->late_ticks,
			"caller_send_pct",
			send_pct(&s->rtp[LG_CALLER], s->call_seconds));

		if (o) {
			json_object_set_new(o, "delivered_loss_pct",
				json_pct(lg_rtp_delivered_loss_pct(s->rtp)));
			json_object_set_new(o, "generator_cpu_ms_per_call_s",
				json_real(gen_ms_per_call_s(s->own_cpu_ms,
							    s->call_seconds)));
		}
		if (o && s->target_cpu_ms >= 0 && s->window_s > 0) {
			json_object_set_new(o, "target_cpu_ms_per_call_s",
				json_real(s->call_seconds > 0 ?
					  s->target_cpu_ms / s->call_seconds : 0));
			json_object_set_new(o, "target_cpu_us_per_packet",
				json_pct(tgt_us_per_pkt(s)));
			json_object_set_new(o, "target_cpu_pct",
				json_real(s->target_cpu_ms / 10.0 / s->window_s));
			json_object_set_new(o, "target_rss_kb_before",
				json_integer((json_int_t)s->target_rss_kb_before));
			json_object_set_new(o, "target_rss_kb_after",
				json_integer((json_int_t)s->target_rss_kb_after));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

int lg_report_json(const struct lg_opts *o, const struct lg_result *r)
{
	const struct lg_call_stats *c = &r->calls;
	const struct lg_agent_stats *a = &r->agents;
	struct lat l = latency(c);
	json_t *root, *by = json_object();
	struct lg_rtp sum;
	char key[16];
	int err;

	for (int s = 0; by && s < LG_SCODES; s++) {
		if (!c->scode[s])
			continue;
		snprintf(key, sizeof(key), s ? "%d" : "no_answer", s);
		json_object_set_new(by, key, json_integer((json_int_t)c->scode[s]));
	}
	lg_rtp_sum(&sum, r->rtp);
	root = json_pack(
		"{s:s,s:s,s:s,s:b,"
		"s:{s:I,s:I,s:I,s:o,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f,s:f},"
		"s:{s:i,s:i,s:i,s:I,s:I,s:I,s:I},"
		"s:{s:o,s:o,s:f},"
		"s:{s:f,s:f,s:f,s:I,s:i,s:f},"
		"s:o}",
		"mode", mode_name(o),
		"target", o->dial_agents ? "own-agents" : o->target_str,
		"dial", o->dial ? o->dial : "",
		"timed_out", r->timed_out,
		"calls",
		"attempted", (json_int_t)c->attempted,
		"answered", (json_int_t)c->answered,
		"failed", (json_int_t)c->failed,
		"failed_by_status", by,
		"completed", (json_int_t)c->completed,
		"ended_by_peer", (json_int_t)c->ended_by_peer,
		"cancelled", (json_int_t)c->cancelled,
		"max_concurrent", (json_int_t)c->max_established,
		"setup_rate_cps", setup_rate(c),
		"setup_ms_p50", l.p50_ms, "setup_ms_p99", l.p99_ms,
		"setup_ms_max", l.max_ms,
		"call_seconds", c->call_seconds,
		"agents",
		"count", o->agents, "registered", a->registered,
		"register_failed", a->reg_failed,
		"offered", (json_int_t)a->offered,
		"answered", (json_int_t)a->answered,
		"rejected", (json_int_t)a->rejected,
		"max_concurrent", (json_int_t)a->max_active,
		"rtp",
		"caller", json_rtp(r->rtp, LG_CALLER),
		"agent", json_rtp(r->rtp, LG_AGENT),
		"loss_pct", lg_rtp_loss_pct(&sum),
		"generator",
		"cpu_s", r->own_cpu_ms / 1000.0, "wall_s", r->wall_s,
		"cpu_pct", r->wall_s > 0 ? r->own_cpu_ms / 10.0 / r->wall_s : 0.0,
		"late_ticks", (json_int_t)r->late_ticks,
		"media_threads", o->media_threads,
		"caller_send_pct", send_pct(&r->rtp[LG_CALLER], c->call_seconds),
		"steps", json_steps(r));
	if (!root)
		return ENOMEM;
	json_object_set_new(json_object_get(root, "rtp"), "delivered_loss_pct",
			    json_pct(lg_rtp_delivered_loss_pct(r->rtp)));
	json_object_set_new(json_object_get(root, "generator"),
			    "cpu_ms_per_call_s",
			    json_real(gen_ms_per_call_s(r->own_cpu_ms,
							c->call_seconds)));
	if (r->target_cpu_ms >= 0)
		json_object_set_new(root, "target_process",
			json_pack("{s:i,s:f,s:I}", "pid", o->target_pid,
				  "cpu_s", r->target_cpu_ms / 1000.0,
				  "rss_kb", (json_int_t)r->target_rss_kb));
	if (o->sustained)
		json_object_set_new(root, "sustained", lg_windows_json(r));
	err = json_dumpf(root, stdout, JSON_COMPACT) ? EIO : 0;
	printf("\n");
	json_decref(root);
	return err;
}
